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
        self.verify_recorded()?;
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
                rusqlite::params![version, name, migrations::checksum_hex(sql), now()],
            )?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Refuses a file whose recorded migrations differ from this program's: its
    /// schema is not the one the program was written for, and upgrading it
    /// further could damage it. (A handful of rows; checked on every open.)
    fn verify_recorded(&self) -> Result<()> {
        let mut stmt = self.conn.prepare("SELECT version, name, checksum FROM schema_migrations ORDER BY version")?;
        let recorded = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (version, name, checksum) in recorded {
            let Some((_, _, sql)) = migrations::MIGRATIONS.iter().find(|m| m.0 == version) else { continue };
            if !checksum.is_empty() && checksum != migrations::checksum_hex(sql) {
                return Err(Error::MigrationChanged { version, name });
            }
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

    /// How long a write waits for another program's lock before giving up
    /// with [`Error::Busy`] (5 s by default).
    pub fn set_busy_timeout(&self, wait: Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(wait)?)
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

    fn temp_db(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("houqin-db-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        dir.join("houqin.db")
    }

    /// A file as an older program left it: every migration up to `version`, recorded.
    fn older_file(path: &Path, version: i64) {
        let conn = Connection::open(path).expect("open");
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
               checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .expect("table");
        for (v, name, sql) in migrations::MIGRATIONS.iter().filter(|m| m.0 <= version) {
            conn.execute_batch(sql).expect("migration");
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?1, ?2, ?3, '2026-01-01 00:00:00')",
                rusqlite::params![v, name, migrations::checksum_hex(sql)],
            )
            .expect("record");
        }
        conn.execute("INSERT INTO classes (name, grade, head_teacher) VALUES ('大一班', 'senior', '王老师')", [])
            .expect("a class");
    }

    fn version_and_classes(path: &Path) -> (i64, Vec<String>) {
        let conn = Connection::open(path).expect("open");
        let v = conn.query_row("SELECT MAX(version) FROM schema_migrations", [], |r| r.get(0)).expect("version");
        let mut stmt = conn.prepare("SELECT name FROM classes ORDER BY id").expect("prepare");
        let names = stmt.query_map([], |r| r.get(0)).expect("query").collect::<rusqlite::Result<_>>().expect("rows");
        (v, names)
    }

    #[test]
    fn an_older_file_is_copied_aside_before_it_is_migrated() {
        let path = temp_db("backup");
        let old = migrations::latest_version() - 1;
        older_file(&path, old);
        let db = Db::open(&path).expect("open and migrate");
        let backup = db.backup_path().expect("a copy was made").to_path_buf();
        drop(db);
        assert_eq!(backup.parent(), path.parent(), "beside the database");
        let name = backup.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.starts_with(&format!("houqin.db.v{old}-")) && name.ends_with(".bak"), "{name}");
        assert_eq!(version_and_classes(&backup), (old, vec!["大一班".to_string()]), "the old version, same data");
        assert_eq!(version_and_classes(&path), (migrations::latest_version(), vec!["大一班".to_string()]));

        // Opening an up-to-date file copies nothing.
        let again = Db::open(&path).expect("reopen");
        assert!(again.backup_path().is_none());
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[test]
    fn a_file_whose_recorded_migration_differs_is_not_opened() {
        let path = temp_db("checksum");
        older_file(&path, 3);
        Connection::open(&path)
            .expect("open")
            .execute("UPDATE schema_migrations SET checksum = '0000000000000000' WHERE version = 2", [])
            .expect("tamper");
        let err = Db::open(&path).err().expect("refused");
        assert!(matches!(err, Error::MigrationChanged { version: 2, .. }), "{err:?}");
        assert!(err.to_string().contains("第 2 步结构升级(absences)与本程序内置的不一致"), "{err}");
        assert_eq!(version_and_classes(&path).0, 3, "not migrated further");
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[test]
    fn a_locked_file_says_another_program_is_using_it() {
        let path = temp_db("busy");
        let mut first = Db::open(&path).expect("first");
        let mut second = Db::open(&path).expect("second");
        second.set_busy_timeout(Duration::from_millis(50)).expect("timeout");
        let err = first
            .with_tx(|tx| {
                tx.execute("INSERT INTO settings (key, value) VALUES ('first', '1')", [])?;
                Ok(second.with_tx(|tx| {
                    tx.execute("INSERT INTO settings (key, value) VALUES ('second', '1')", [])?;
                    Ok(())
                }))
            })
            .expect("first commits")
            .expect_err("second waits, then gives up");
        assert!(matches!(err, Error::Busy), "{err:?}");
        assert_eq!(err.kind(), "Busy");
        let msg = err.to_string();
        assert!(msg.starts_with("数据库文件正被另一个程序使用,暂时无法读写,本次修改未保存。"), "{msg}");
        assert!(!msg.contains("locked") && !msg.contains("busy"), "no English detail: {msg}");
        assert_eq!(second.setting("second").expect("read"), None, "nothing written");
        assert_eq!(second.setting("first").expect("read").as_deref(), Some("1"));
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
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
