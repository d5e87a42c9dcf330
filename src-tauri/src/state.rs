//! The app's one piece of state: the open database (or why it could not be
//! opened, or that nobody has said yet where it is), shared by every command.
//! Commands never touch the database on the UI thread: [`AppState::run`]
//! moves the work to a blocking task. Switching to another database
//! ([`AppState::reopen`]) replaces it in place: no restart.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use houqin::backup::{self, BackupInfo};
use houqin::connection::Source;
use houqin::db::{Db, Target};
use houqin::error::ErrorView;

use crate::error::AppError;

/// What is open, and what was asked for.
struct Slot {
    db: Option<Db>,
    /// Where the data is; `None` before the first-start question is answered.
    target: Option<Target>,
    source: Source,
    open_error: Option<ErrorView>,
}

/// The database behind a mutex, plus where it lives.
pub struct AppState {
    slot: Arc<Mutex<Slot>>,
}

/// Where the data is and whether it opened, for the start screen.
#[derive(Debug, Clone)]
pub struct Where {
    pub target: Option<Target>,
    pub source: Source,
    pub open_error: Option<ErrorView>,
}

impl AppState {
    /// Opens what `choice` names (see [`houqin::connection::resolve`]); with
    /// no choice the app asks first (本机数据库 or 连接服务器). A database
    /// that fails to open is not fatal: the state keeps the Chinese error,
    /// and the UI shows it instead of the app.
    pub fn start(choice: Option<(Target, Source)>) -> AppState {
        match choice {
            None => AppState::empty(None, Source::Default, None),
            Some((target, source)) => match Db::open_target(&target) {
                Ok(db) => AppState::with(db, target, source),
                Err(e) => AppState::empty(Some(target), source, Some((&e).into())),
            },
        }
    }

    /// Where the data is could not even be read (a `HOUQIN_DB` that is not
    /// a valid address, a damaged `connection.json`): the error is shown, and
    /// the start screen offers to choose again.
    pub fn failed(flag: Option<&str>, e: &houqin::Error) -> AppState {
        let source = if flag.is_some() { Source::Flag } else { Source::Saved };
        AppState::empty(None, source, Some(e.into()))
    }

    /// Opens the database file at `path` (tests; the app starts through [`AppState::start`]).
    #[cfg(test)]
    pub fn open(path: &Path) -> AppState {
        AppState::start(Some((Target::File(path.to_path_buf()), Source::Flag)))
    }

    /// A state over an already open database (tests use an in-memory one).
    #[cfg(test)]
    pub fn from_db(db: Db, path: PathBuf) -> AppState {
        AppState::with(db, Target::File(path), Source::Flag)
    }

    fn with(db: Db, target: Target, source: Source) -> AppState {
        AppState { slot: Arc::new(Mutex::new(Slot { db: Some(db), target: Some(target), source, open_error: None })) }
    }

    fn empty(target: Option<Target>, source: Source, open_error: Option<ErrorView>) -> AppState {
        AppState { slot: Arc::new(Mutex::new(Slot { db: None, target, source, open_error })) }
    }

    fn lock(slot: &Mutex<Slot>) -> MutexGuard<'_, Slot> {
        // A panic in an earlier command poisons the lock; the database rolled
        // its transaction back, so the connection itself is still sound.
        slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Where the data is and whether it opened.
    pub fn place(&self) -> Where {
        let s = Self::lock(&self.slot);
        Where { target: s.target.clone(), source: s.source, open_error: s.open_error.clone() }
    }

    /// The database file or server, for messages (empty before the first choice).
    pub fn location(&self) -> String {
        Self::lock(&self.slot).target.as_ref().map(Target::display).unwrap_or_default()
    }

    /// Why the database did not open, if it did not.
    pub fn open_error(&self) -> Option<ErrorView> {
        Self::lock(&self.slot).open_error.clone()
    }

    /// Runs `f` on the database in a blocking task and returns its result. With
    /// HOUQIN_STARTUP_TRACE set, each call prints on stderr how long it waited
    /// for the database and how long it ran (scripts/measure-app.sh).
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db) -> houqin::Result<T> + Send + 'static,
    {
        let slot = Arc::clone(&self.slot);
        tauri::async_runtime::spawn_blocking(move || {
            let started = trace_commands().then(std::time::Instant::now);
            let mut guard = Self::lock(&slot);
            let Slot { db, open_error, target, .. } = &mut *guard;
            match db.as_mut() {
                Some(db) => {
                    let locked = started.map(|t| t.elapsed());
                    let result = f(db).map_err(AppError::from);
                    if let (Some(t), Some(waited)) = (started, locked) {
                        // The closure's type names the command it belongs to.
                        eprintln!(
                            "houqin-app command {} waited {} ms ran {} ms",
                            std::any::type_name::<F>(),
                            waited.as_millis(),
                            (t.elapsed() - waited).as_millis()
                        );
                    }
                    result
                }
                None => Err(match (open_error, target) {
                    (Some(e), _) => AppError(e.clone()),
                    (None, None) => AppError::internal("还没有选择数据库:请先选择本机数据库或连接服务器"),
                    (None, Some(_)) => AppError::internal("数据库没有打开"),
                }),
            }
        })
        .await
        .map_err(|e| AppError::internal(format!("后台任务意外中止,本次操作可能未完成:{e}")))?
    }

    /// Opens `target` and, once it is open, puts it in place of the database
    /// in use (which stays as it was when the new one fails to open: the
    /// error is returned and nothing changes). `after` runs on the new
    /// database before it takes over (saving the choice); its failure also
    /// leaves everything as it was.
    pub async fn reopen(
        &self,
        target: Target,
        source: Source,
        after: impl FnOnce(&mut Db) -> houqin::Result<()> + Send + 'static,
    ) -> Result<(), AppError> {
        let slot = Arc::clone(&self.slot);
        tauri::async_runtime::spawn_blocking(move || {
            // Connected outside the lock: a server that does not answer takes
            // seconds, and the screen in use keeps working meanwhile.
            let mut db = Db::open_target(&target)?;
            after(&mut db)?;
            let mut s = Self::lock(&slot);
            *s = Slot { db: Some(db), target: Some(target), source, open_error: None };
            Ok::<(), houqin::Error>(())
        })
        .await
        .map_err(|e| AppError::internal(format!("后台任务意外中止:{e}")))?
        .map_err(AppError::from)
    }

    /// The newest backup of a database file that did not open (what the
    /// start screen offers to restore).
    pub fn latest_backup(&self) -> Option<BackupInfo> {
        let s = Self::lock(&self.slot);
        match (&s.db, &s.target) {
            (None, Some(Target::File(path))) if s.open_error.is_some() => backup::latest_beside(path),
            _ => None,
        }
    }

    /// Restores the database file that did not open from `file` (one of its
    /// own backups), then opens it.
    pub async fn restore_unopened(&self, file: PathBuf) -> Result<backup::Restored, AppError> {
        let slot = Arc::clone(&self.slot);
        tauri::async_runtime::spawn_blocking(move || {
            let mut s = Self::lock(&slot);
            let path = match (&s.db, &s.target) {
                (None, Some(Target::File(path))) => path.clone(),
                _ => return Err(houqin::Error::invalid("数据库已经打开:请在「设置 › 数据备份」中恢复")),
            };
            // Only this file's own backups: the button restores what it named.
            let ours = backup::list_dir(&backup::dir_beside(&path))?;
            if !ours.iter().any(|b| Path::new(&b.path) == file) {
                return Err(houqin::Error::invalid(format!("{} 不是这个数据库的备份", file.display())));
            }
            let restored = backup::restore(&path, &file)?;
            s.db = Some(Db::open(&path)?);
            s.open_error = None;
            Ok(restored)
        })
        .await
        .map_err(|e| AppError::internal(format!("后台任务意外中止:{e}")))?
        .map_err(AppError::from)
    }
}

/// What `--db PATH` / `--db=PATH` says, if given.
pub fn db_flag(args: impl IntoIterator<Item = String>) -> Option<String> {
    let mut explicit = None;
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        if a == "--db" {
            explicit = args.next();
        } else if let Some(p) = a.strip_prefix("--db=") {
            explicit = Some(p.to_string());
        }
    }
    explicit
}

/// Whether HOUQIN_STARTUP_TRACE asks for each command's time, read once.
fn trace_commands() -> bool {
    static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os(crate::commands::app::STARTUP_TRACE_ENV).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("houqin-app-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }

    #[test]
    fn db_flag_wins() {
        let args = ["houqin-app", "--db", "/tmp/x.db"].map(String::from);
        assert_eq!(db_flag(args).as_deref(), Some("/tmp/x.db"));
        let args = ["houqin-app", "--db=postgres://u:p@h:5432/d"].map(String::from);
        assert_eq!(db_flag(args).as_deref(), Some("postgres://u:p@h:5432/d"));
        assert_eq!(db_flag(["houqin-app".to_string()]), None);
    }

    #[test]
    fn a_database_that_does_not_open_gives_a_chinese_error_not_a_panic() {
        let dir = temp_dir("bad");
        let bad = dir.join("not-a-db.db");
        std::fs::write(&bad, b"this is not an sqlite file, it is just text that is long enough").expect("write");
        let state = AppState::open(&bad);
        let err = state.open_error().expect("refused");
        assert!(!err.message.is_empty());
        let r = tauri::async_runtime::block_on(state.run(|db| Ok(db.operator().to_string())));
        assert_eq!(r.expect_err("no db").0.message, err.message);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn before_the_first_choice_commands_say_to_choose() {
        let state = AppState::start(None);
        assert!(state.place().target.is_none());
        let r = tauri::async_runtime::block_on(state.run(|db| Ok(db.operator().to_string())));
        assert!(r.expect_err("nothing open").0.message.contains("还没有选择数据库"));
    }

    #[test]
    fn switching_replaces_the_database_in_place_and_a_failed_switch_changes_nothing() {
        let dir = temp_dir("switch");
        let first = dir.join("first.db");
        let second = dir.join("second.db");
        let state = AppState::open(&first);
        tauri::async_runtime::block_on(state.run(|db| houqin::settings::set(db, "probe", "first"))).expect("write");

        // A switch whose follow-up fails (saving the choice) leaves the first in use.
        let refused = tauri::async_runtime::block_on(
            state.reopen(Target::File(second.clone()), Source::Saved, |_| Err(houqin::Error::invalid("保存失败"))),
        );
        assert_eq!(refused.expect_err("refused").0.message, "保存失败");
        assert_eq!(state.location(), first.display().to_string());

        tauri::async_runtime::block_on(state.reopen(Target::File(second.clone()), Source::Saved, |_| Ok(())))
            .expect("switch");
        assert_eq!(state.location(), second.display().to_string());
        let probe = tauri::async_runtime::block_on(state.run(|db| houqin::settings::get(db.conn(), "probe")));
        assert_eq!(probe.expect("read"), None, "the second database is a new one");

        // A file that is not a database: refused, the second stays open.
        let garbage = dir.join("garbage.db");
        std::fs::write(&garbage, vec![b'x'; 4096]).expect("write");
        let err = tauri::async_runtime::block_on(state.reopen(Target::File(garbage), Source::Saved, |_| Ok(())));
        assert!(err.expect_err("garbage").0.message.contains("无法打开数据库文件"));
        assert_eq!(state.location(), second.display().to_string());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_damaged_file_is_restored_from_its_own_latest_backup_and_opened() {
        let dir = temp_dir("damaged");
        let path = dir.join("houqin.db");
        {
            let mut db = Db::open(&path).expect("open");
            houqin::settings::set(&mut db, "probe", "kept").expect("write");
            backup::create(&mut db, backup::Reason::Manual, None).expect("backup");
        }
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        std::fs::write(&path, vec![b'x'; 8192]).expect("damage");
        let state = AppState::open(&path);
        assert!(state.open_error().is_some());
        let latest = state.latest_backup().expect("offered");

        // Only its own backups: another file is refused and nothing changes.
        let stranger = dir.join("stranger.db");
        std::fs::write(&stranger, b"x").expect("write");
        let err = tauri::async_runtime::block_on(state.restore_unopened(stranger));
        assert!(err.expect_err("not ours").0.message.contains("不是这个数据库的备份"));

        let restored =
            tauri::async_runtime::block_on(state.restore_unopened(PathBuf::from(&latest.path))).expect("restore");
        assert!(restored.kept.is_some(), "the damaged file is kept aside");
        assert!(state.open_error().is_none());
        let probe = tauri::async_runtime::block_on(state.run(|db| houqin::settings::get(db.conn(), "probe")));
        assert_eq!(probe.expect("read").as_deref(), Some("kept"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
