//! The app's one piece of state: the open database (or why it could not be
//! opened), shared by every command. Commands never touch SQLite on the UI
//! thread: [`AppState::run`] moves the work to a blocking task.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use houqin::db::Db;
use houqin::error::ErrorView;

use crate::error::AppError;

/// The database behind a mutex, plus where it lives.
pub struct AppState {
    db: Arc<Mutex<Option<Db>>>,
    path: PathBuf,
    open_error: Option<ErrorView>,
}

impl AppState {
    /// Opens the database at `path`. A file that fails to open is not fatal:
    /// the state keeps the Chinese error, and the UI shows it instead of the app.
    pub fn open(path: &Path) -> AppState {
        match Db::open(path) {
            Ok(db) => AppState::from_db(db, path.to_path_buf()),
            Err(e) => {
                AppState { db: Arc::new(Mutex::new(None)), path: path.to_path_buf(), open_error: Some((&e).into()) }
            }
        }
    }

    /// A state over an already open database (tests use an in-memory one).
    pub fn from_db(db: Db, path: PathBuf) -> AppState {
        AppState { db: Arc::new(Mutex::new(Some(db))), path, open_error: None }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the database did not open, if it did not.
    pub fn open_error(&self) -> Option<&ErrorView> {
        self.open_error.as_ref()
    }

    /// Runs `f` on the database in a blocking task and returns its result.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db) -> houqin::Result<T> + Send + 'static,
    {
        let db = Arc::clone(&self.db);
        let open_error = self.open_error.clone();
        tauri::async_runtime::spawn_blocking(move || {
            // A panic in an earlier command poisons the lock; SQLite rolled its
            // transaction back, so the connection itself is still sound.
            let mut guard = db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match guard.as_mut() {
                Some(db) => f(db).map_err(AppError::from),
                None => Err(open_error.map(AppError).unwrap_or_else(|| AppError::internal("数据库没有打开"))),
            }
        })
        .await
        .map_err(|e| AppError::internal(format!("后台任务意外中止,本次操作可能未完成:{e}")))?
    }
}

/// The database path from `--db PATH` / `--db=PATH`, else `HOUQIN_DB`, else the default.
pub fn db_path_from_args(args: impl IntoIterator<Item = String>) -> PathBuf {
    let mut explicit = None;
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        if a == "--db" {
            explicit = args.next().map(PathBuf::from);
        } else if let Some(p) = a.strip_prefix("--db=") {
            explicit = Some(PathBuf::from(p));
        }
    }
    houqin::db::resolve_path(explicit.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_flag_wins() {
        let args = ["houqin-app", "--db", "/tmp/x.db"].map(String::from);
        assert_eq!(db_path_from_args(args), PathBuf::from("/tmp/x.db"));
        let args = ["houqin-app", "--db=/tmp/y.db"].map(String::from);
        assert_eq!(db_path_from_args(args), PathBuf::from("/tmp/y.db"));
    }

    #[test]
    fn a_database_that_does_not_open_gives_a_chinese_error_not_a_panic() {
        let dir = std::env::temp_dir().join(format!("houqin-app-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let bad = dir.join("not-a-db.db");
        std::fs::write(&bad, b"this is not an sqlite file, it is just text that is long enough").expect("write");
        let state = AppState::open(&bad);
        let err = state.open_error().expect("refused");
        assert!(!err.message.is_empty());
        let r = tauri::async_runtime::block_on(state.run(|db| Ok(db.operator().to_string())));
        assert_eq!(r.expect_err("no db").0.message, err.message);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
