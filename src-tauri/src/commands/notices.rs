//! 通知单: the months that can be printed, what a print would hold (with the
//! names that cannot print), printing a batch on the blocking pool with
//! `notices-progress` events, the refund statement, the notice settings, and
//! opening a written PDF in the system viewer.

use std::path::Path;

use houqin::dates::YearMonth;
use houqin::notices::{
    self, statement::StatementSummary, EarlierUnprinted, NoticePlan, NoticeScope, NoticeSettings, PrintSummary,
};
use tauri::{Emitter, State};

use crate::error::AppError;
use crate::state::AppState;

/// Closed months, newest first.
#[tauri::command]
pub async fn notice_months(state: State<'_, AppState>) -> Result<Vec<YearMonth>, AppError> {
    state.run(|db| notices::settled_months(db.conn())).await
}

/// What printing `scope` for settled month `month` would hold; writes nothing.
#[tauri::command]
pub async fn notices_plan(
    state: State<'_, AppState>,
    month: YearMonth,
    scope: NoticeScope,
) -> Result<NoticePlan, AppError> {
    state.run(move |db| notices::plan(db.conn(), month, scope)).await
}

/// Prints the notices into `path` and records them, reporting progress as
/// `notices-progress` events ({stage, done, total}).
#[tauri::command]
pub async fn notices_print(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    month: YearMonth,
    scope: NoticeScope,
    path: String,
    force: Option<bool>,
) -> Result<PrintSummary, AppError> {
    // The bursar chose 仍然打印 after the earlier_notices_unprinted refusal.
    let earlier = if force == Some(true) { EarlierUnprinted::PrintAnyway } else { EarlierUnprinted::Refuse };
    state
        .run(move |db| {
            notices::print(db, month, scope, earlier, Path::new(&path), &mut |p| {
                // A lost progress event only leaves the bar behind; not an error.
                let _ = app.emit("notices-progress", p);
            })
        })
        .await
}

/// Writes the refund statement (per class and the school summary) to `path`.
#[tauri::command]
pub async fn notices_statement(
    state: State<'_, AppState>,
    month: YearMonth,
    path: String,
) -> Result<StatementSummary, AppError> {
    state.run(move |db| notices::statement::write(db.conn(), month, Path::new(&path))).await
}

#[tauri::command]
pub async fn notice_settings_get(state: State<'_, AppState>) -> Result<NoticeSettings, AppError> {
    state.run(|db| notices::settings::get(db.conn())).await
}

#[tauri::command]
pub async fn notice_settings_save(
    state: State<'_, AppState>,
    settings: NoticeSettings,
) -> Result<NoticeSettings, AppError> {
    state.run(move |db| notices::settings::save(db, &settings)).await
}

/// Opens a PDF the app has written in the system's PDF viewer. Only existing
/// `.pdf` files: this is not a general "open anything" door for the page.
#[tauri::command]
pub async fn notices_open(app: tauri::AppHandle, path: String) -> Result<(), AppError> {
    super::open_pdf(&app, &path)
}
