//! The commands the UI invokes. Each one takes the state, calls one core
//! function on a blocking task ([`AppState::run`](crate::state::AppState::run))
//! and returns `Result<T, AppError>`. Argument names are snake_case in JSON,
//! like the core's structs.

pub mod app;
pub mod assets;
pub mod attendance;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod children;
pub mod demo;
pub mod kitchen;
pub mod meal_account;
pub mod notices;
pub mod payments;
pub mod repairs;
pub mod school;
pub mod session;
pub mod settings;
pub mod settlement;
pub mod supplies;
pub mod waivers;

/// Opens a PDF the app has written in the system's PDF viewer. Only existing
/// `.pdf` files: this is not a general "open anything" door for the page.
/// When no viewer starts, the message says so in Chinese and where the file
/// is (the launcher's own text, e.g. `Launcher "gio" "open" … failed`, goes
/// to the log, not to the person).
pub(crate) fn open_pdf(app: &tauri::AppHandle, path: &str) -> Result<(), crate::error::AppError> {
    use tauri_plugin_opener::OpenerExt;
    let p = std::path::Path::new(path);
    if !p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) || !p.is_file() {
        return Err(houqin::Error::invalid(format!("找不到要打开的 PDF 文件:{path}")).into());
    }
    app.opener().open_path(path.to_string(), None::<&str>).map_err(|e| {
        eprintln!("houqin-app: the PDF viewer did not start for {path}: {e}");
        houqin::Error::invalid(format!(
            "没有能打开 PDF 的程序,或它没有启动。文件已经保存在:{path}。可以在文件管理器中双击打开,或安装一个 PDF 阅读器(如 Evince)。"
        ))
        .into()
    })
}
