//! The one place the SQLite file is opened. WAL, foreign keys on, a busy
//! timeout, migrations run (with a copy of the old file set aside first), and
//! every write goes through [`Db::with_tx`]: one user action, one transaction,
//! with the audit trail written inside that same transaction.

pub mod audit;
pub mod migrations;

use chrono::{Local, NaiveDateTime};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// An open database and the operator in whose name changes are audited.
pub struct Db {
    conn: Connection,
    path: Option<PathBuf>,
    operator: String,
    /// Where the pre-migration copy went, if one was made on open.
    backup: Option<PathBuf>,
}

/// A write transaction. Commit happens in [`Db::with_tx`] when the closure returns `Ok`.
pub struct Tx<'a> {
    tx: Transaction<'a>,
    operator: &'a str,
}

impl std::ops::Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

impl Tx<'_> {
    /// Who is making this change (shown in the audit trail).
    pub fn operator(&self) -> &str {
        self.operator
    }
}

/// The default database file: `<data dir>/houqin/houqin.db`
/// (`~/.local/share/houqin/houqin.db` on Linux).
pub fn default_path() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("houqin").join("houqin.db")
}

/// `--db` wins, then `HOUQIN_DB`, then the default.
pub fn resolve_path(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    match std::env::var_os("HOUQIN_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => default_path(),
    }
}

pub fn now() -> NaiveDateTime {
    Local::now().naive_local()
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db> {
        Self::open_inner(path).map_err(|e| match e {
            Error::Database(inner) => Error::CannotOpen { path: path.display().to_string(), detail: inner.to_string() },
            other => other,
        })
    }

    fn open_inner(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mut db = Db { conn, path: Some(path.to_path_buf()), operator: String::new(), backup: None };
        db.configure(true)?;
        db.migrate()?;
        db.operator = db.setting("operator")?.unwrap_or_default();
        Ok(db)
    }

    /// A fresh in-memory database with the full schema, for tests.
    pub fn open_in_memory() -> Result<Db> {
        let conn = Connection::open_in_memory()?;
        let mut db = Db { conn, path: None, operator: "测试".into(), backup: None };
        db.configure(false)?;
        db.migrate()?;
        Ok(db)
    }

    fn configure(&self, file: bool) -> Result<()> {
        self.conn.busy_timeout(Duration::from_secs(5))?;
        if file {
            // journal_mode returns a row, so it is queried rather than executed.
            let mode: String = self.conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::invalid(format!("无法启用 WAL 日志模式(当前为 {mode})")));
            }
        }
        self.conn.execute_batch("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;")?;
        Ok(())
    }

    fn schema_version(&self) -> Result<i64> {
        self.conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )",
        )?;
        Ok(self.conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let current = self.schema_version()?;
        let latest = migrations::latest_version();
        if current > latest {
            return Err(Error::SchemaTooNew { found: current, supported: latest });
        }
        if current == latest {
            return Ok(());
        }
        if current > 0 {
            if let Some(path) = &self.path {
                self.backup = Some(self.copy_aside(path, current)?);
            }
        }
        for (version, name, sql) in migrations::MIGRATIONS.iter().filter(|m| m.0 > current) {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![version, name, format!("{:016x}", migrations::checksum(sql)), now()],
            )?;
            tx.commit()?;
        }
        Ok(())
    }

    /// A consistent copy of the file as it is now (`VACUUM INTO` reads through
    /// the WAL), named after the schema version it holds.
    fn copy_aside(&self, path: &Path, version: i64) -> Result<PathBuf> {
        let stamp = Local::now().format("%Y%m%d-%H%M%S");
        let name = format!(
            "{}.v{version}-{stamp}.bak",
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "houqin.db".into())
        );
        let target = path.with_file_name(name);
        self.conn.execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
        Ok(target)
    }

    /// The copy made before the last migration on open, if any.
    pub fn backup_path(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Read-only access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn operator(&self) -> &str {
        &self.operator
    }

    /// Sets the operator for this session (not stored; see `settings::set_operator`).
    pub fn set_operator(&mut self, name: impl Into<String>) {
        self.operator = name.into();
    }

    /// Runs `f` in one IMMEDIATE transaction: commit on `Ok`, roll back on `Err`.
    pub fn with_tx<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let operator = if self.operator.is_empty() { "未指定".to_string() } else { self.operator.clone() };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let wrapped = Tx { tx, operator: &operator };
        let out = f(&wrapped)?;
        wrapped.tx.commit()?;
        Ok(out)
    }

    /// A key from the `settings` table.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_memory_has_schema_and_foreign_keys() {
        let db = Db::open_in_memory().expect("open");
        let fk: i64 = db.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).expect("pragma");
        assert_eq!(fk, 1);
        let v: i64 = db.conn().query_row("SELECT MAX(version) FROM schema_migrations", [], |r| r.get(0)).expect("v");
        assert_eq!(v, migrations::latest_version());
    }

    #[test]
    fn a_file_that_is_not_a_database_says_so() {
        let path = std::env::temp_dir().join(format!("houqin-garbage-{}.db", std::process::id()));
        std::fs::write(&path, vec![b'x'; 4096]).expect("write");
        let err = Db::open(&path).err().expect("refused");
        assert!(matches!(err, Error::CannotOpen { .. }), "{err:?}");
        assert!(err.to_string().contains("无法打开数据库文件"));
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn failed_closure_rolls_back() {
        let mut db = Db::open_in_memory().expect("open");
        let r: Result<()> = db.with_tx(|tx| {
            tx.execute("INSERT INTO settings (key, value) VALUES ('x', '1')", [])?;
            Err(Error::invalid("stop"))
        });
        assert!(r.is_err());
        assert_eq!(db.setting("x").expect("read"), None);
    }
}
