//! The one place a database is opened: a local SQLite file (the default, WAL,
//! foreign keys on, a busy timeout) or a school's PostgreSQL server. Either
//! way migrations run on open (an SQLite file is copied aside first), and
//! every write goes through [`Db::with_tx`]: one user action, one
//! transaction, with the audit trail written inside that same transaction.

pub mod audit;
pub mod migrations;

use chrono::NaiveDateTime;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::auth::{Job, Session};
use crate::error::{Error, Result};
use crate::store::{Conn, Dialect, ServerUrl, StoreErrorKind, TxGuard};

pub use crate::store::Tx;

pub use crate::store::ServerUrl as Server;

/// Where a school's data lives, as `--db` / `HOUQIN_DB` name it: a path means
/// an SQLite file, `postgres://user:password@host:port/db` a server.
#[derive(Debug, Clone)]
pub enum Target {
    File(PathBuf),
    Server(Box<ServerUrl>),
}

impl Target {
    /// A path, or a `postgres://` / `postgresql://` URL.
    pub fn parse(s: &str) -> Result<Target> {
        let t = s.trim();
        if t.starts_with("postgres://") || t.starts_with("postgresql://") {
            Ok(Target::Server(Box::new(ServerUrl::parse(t).map_err(Error::Invalid)?)))
        } else {
            Ok(Target::File(PathBuf::from(s)))
        }
    }

    /// For messages: the file's path, or the server without its password.
    pub fn display(&self) -> String {
        match self {
            Target::File(p) => p.display().to_string(),
            Target::Server(u) => u.display().to_string(),
        }
    }
}

/// The default database file: `<data dir>/houqin/houqin.db`
/// (`~/.local/share/houqin/houqin.db` on Linux).
pub fn default_path() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("houqin").join("houqin.db")
}

/// `--db` wins, then `HOUQIN_DB`, then the choice saved on this PC
/// ([`crate::connection`]), then the default file.
pub fn resolve_target(explicit: Option<&str>) -> Result<Target> {
    match crate::connection::resolve(explicit)? {
        Some((target, _)) => Ok(target),
        None => Ok(Target::File(default_path())),
    }
}

/// `--db` wins, then `HOUQIN_DB`, then the default (a file path only).
pub fn resolve_path(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    match std::env::var_os("HOUQIN_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => default_path(),
    }
}

/// The local wall-clock time, as every stored timestamp has it.
pub fn now() -> NaiveDateTime {
    crate::dates::now()
}

/// How long a write waits for another writer before giving up.
const DEFAULT_WAIT: Duration = Duration::from_secs(5);
/// On a server, another PC may hold the write lock for a month close.
const SERVER_WAIT: Duration = Duration::from_secs(20);

/// An open database and the operator in whose name changes are audited.
pub struct Db {
    conn: Conn,
    path: Option<PathBuf>,
    server: Option<ServerUrl>,
    session: Session,
    /// Where the pre-migration copy went, if one was made on open.
    backup: Option<PathBuf>,
    /// A throwaway schema on a server (tests), dropped with the `Db`.
    scratch_schema: Option<String>,
    wait: Duration,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db> {
        Self::open_file(path).map_err(|e| match e {
            Error::Database(inner) if inner.kind == StoreErrorKind::Corrupt => Error::Damaged {
                path: path.display().to_string(),
                problems: inner.message,
                backup: crate::backup::latest_beside(path).map(|b| b.path),
            },
            Error::Database(inner) => Error::CannotOpen {
                path: path.display().to_string(),
                detail: inner.message,
                backup: crate::backup::latest_beside(path).map(|b| b.path),
            },
            other => other,
        })
    }

    /// Opens a file or connects to a server, as `target` says.
    pub fn open_target(target: &Target) -> Result<Db> {
        match target {
            Target::File(p) => Db::open(p),
            Target::Server(u) => Db::connect(u),
        }
    }

    /// Connects to a school's PostgreSQL server and brings its schema up to date.
    pub fn connect(url: &ServerUrl) -> Result<Db> {
        let conn = Conn::connect(url).map_err(|e| server_error(url, e))?;
        let mut db = Db {
            conn,
            path: None,
            server: Some(url.clone()),
            session: Session::Operator(String::new()),
            backup: None,
            scratch_schema: None,
            wait: SERVER_WAIT,
        };
        crate::store::migrate::run(&db.conn, &mut |_| Ok(())).map_err(|e| server_error(url, e))?;
        db.session = Session::Operator(db.setting("operator")?.unwrap_or_default());
        Ok(db)
    }

    fn open_file(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
        let existed = path.metadata().map(|m| m.len() > 0).unwrap_or(false);
        let conn = Conn::open_file(path, false)?;
        if existed {
            // Before anything is written: a damaged file is not opened at all.
            // SQLite's full check (indexes against their tables too: a broken
            // index passes the quick check, and a write through it damages
            // more) on every open of a school-sized file, about 8 ms a MB;
            // a file beyond that gets it on the first open of the day, before
            // the day's backup would copy a damaged file, and the quick check
            // otherwise.
            if let Conn::Sqlite(s) = &conn {
                let size = path.metadata().map(|m| m.len()).unwrap_or(0);
                let full = size <= FULL_CHECK_MAX_BYTES || !crate::backup::made_today(path);
                let problems = s.check(full, 20)?;
                if !problems.is_empty() {
                    let first = problems.iter().find(|p| !p.starts_with("***")).unwrap_or(&problems[0]);
                    return Err(damaged(format!(
                        "SQLite 检查发现{}处问题,例如:{}",
                        if problems.len() >= 20 { "至少 20 ".to_string() } else { format!(" {} ", problems.len()) },
                        first.trim()
                    )));
                }
            }
        }
        let mut db = Db {
            conn,
            path: Some(path.to_path_buf()),
            server: None,
            session: Session::Operator(String::new()),
            backup: None,
            scratch_schema: None,
            wait: DEFAULT_WAIT,
        };
        db.configure(true)?;
        db.migrate()?;
        let missing = crate::store::schema::problems(&db.conn)?;
        if !missing.is_empty() {
            return Err(damaged(missing.join(";")));
        }
        db.session = Session::Operator(db.setting("operator")?.unwrap_or_default());
        Ok(db)
    }

    /// A fresh in-memory SQLite database with the full schema.
    pub fn open_in_memory() -> Result<Db> {
        let conn = Conn::open_memory()?;
        let mut db = Db {
            conn,
            path: None,
            server: None,
            session: Session::Operator("测试".into()),
            backup: None,
            scratch_schema: None,
            wait: DEFAULT_WAIT,
        };
        db.configure(false)?;
        db.migrate()?;
        Ok(db)
    }

    /// A fresh, empty database for a test: in memory, or — when the
    /// environment variable `HOUQIN_TEST_DB` names a PostgreSQL server — a
    /// new schema of its own on that server, dropped when the `Db` is.
    /// Every test that opens its database this way runs on either backend.
    pub fn open_scratch() -> Result<Db> {
        match test_server()? {
            None => Db::open_in_memory(),
            Some(url) => Db::scratch_on(&url),
        }
    }

    /// A new, empty schema of its own on `server` (benchmarks, tests), dropped
    /// when the `Db` is.
    pub fn scratch_on(server: &ServerUrl) -> Result<Db> {
        let schema = scratch_schema_name();
        let mut db = Db::connect(&server.with_schema(&schema))?;
        db.scratch_schema = Some(schema);
        db.session = Session::Operator("测试".into());
        Ok(db)
    }

    fn configure(&self, file: bool) -> Result<()> {
        let Conn::Sqlite(sqlite) = &self.conn else { return Ok(()) };
        sqlite.set_busy_timeout(self.wait)?;
        if file {
            let mode: String = self.conn.value("PRAGMA journal_mode=WAL", &[])?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::invalid(format!("无法启用 WAL 日志模式(当前为 {mode})")));
            }
        }
        // FULL: a committed change survives a power cut, not only a crash
        // (the cost is in the README's benchmarks).
        self.conn.batch("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;")
    }

    /// Lowers SQLite's `synchronous` from FULL to NORMAL (or back), only so a
    /// benchmark can show what FULL costs; the program never runs on NORMAL.
    /// Does nothing on a server.
    pub fn set_full_sync_for_benchmark(&self, full: bool) -> Result<()> {
        if let Conn::Sqlite(_) = &self.conn {
            self.conn.batch(if full { "PRAGMA synchronous=FULL;" } else { "PRAGMA synchronous=NORMAL;" })?;
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let conn = &self.conn;
        let path = self.path.clone();
        let mut backup = None;
        crate::store::migrate::run(conn, &mut |current| {
            if let Some(path) = &path {
                backup = Some(copy_aside(conn, path, current)?);
            }
            Ok(())
        })?;
        self.backup = backup;
        Ok(())
    }

    /// Replaces this database's content with the backup `file` (checked first:
    /// nothing changes when it is refused), keeping a copy of what it replaces.
    pub fn restore(&mut self, file: &Path) -> Result<crate::backup::Restored> {
        self.require(Job::Maintenance)?;
        crate::backup::check_file(file)?;
        if self.path.is_none() {
            return Err(Error::invalid("连接服务器时不能从备份文件恢复:请在服务器上用 pg_restore,或上传到新的数据库"));
        }
        let kept = crate::backup::create(self, crate::backup::Reason::Restore, None)?;
        let Conn::Sqlite(sqlite) = &mut self.conn else {
            return Err(Error::invalid("只有本机数据库文件可以从备份恢复"));
        };
        sqlite.restore_from(file)?;
        self.configure(true)?;
        self.migrate()?;
        let missing = crate::store::schema::problems(&self.conn)?;
        if !missing.is_empty() {
            return Err(damaged(missing.join(";")));
        }
        Ok(crate::backup::Restored { restored_from: file.display().to_string(), kept: Some(kept.path) })
    }

    /// The copy made before the last migration on open, if any.
    pub fn backup_path(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    /// The SQLite file, if this is one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The server, if this is one.
    pub fn server(&self) -> Option<&ServerUrl> {
        self.server.as_ref()
    }

    pub fn dialect(&self) -> Dialect {
        self.conn.dialect()
    }

    /// Where the data is, for messages: the file or the server (no password).
    pub fn location(&self) -> String {
        match (&self.path, &self.server) {
            (Some(p), _) => p.display().to_string(),
            (None, Some(s)) => s.display().to_string(),
            (None, None) => "内存数据库".into(),
        }
    }

    /// How long a write waits for another writer before giving up with
    /// [`Error::Busy`] (5 s by default on a file, 20 s on a server).
    pub fn set_busy_timeout(&mut self, wait: Duration) -> Result<()> {
        self.wait = wait;
        if let Conn::Sqlite(s) = &self.conn {
            s.set_busy_timeout(wait)?;
        }
        Ok(())
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Conn {
        &self.conn
    }

    /// Who is working: the signed-in user's name, or the operator's.
    pub fn operator(&self) -> &str {
        self.session.name()
    }

    /// Sets the operator for this session (not stored; see `settings::set_operator`).
    /// Without sign-in only: a signed-in user stays who they are.
    pub fn set_operator(&mut self, name: impl Into<String>) {
        if let Session::Operator(_) = self.session {
            self.session = Session::Operator(name.into());
        }
    }

    /// Who is working, and as what.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// After a successful sign-in (see [`crate::auth::sign_in`]).
    pub(crate) fn set_session(&mut self, session: Session) {
        self.session = session;
    }

    /// Signs out: back to an anonymous operator (who may change nothing where
    /// sign-in is required).
    pub fn sign_out(&mut self) {
        self.session = Session::Operator(String::new());
    }

    /// One user action that changes data of `job`: [`Db::with_tx`] after the
    /// signed-in person's role is checked *inside* the transaction (a role
    /// changed or an account disabled on another PC a moment ago counts).
    pub fn write<T>(&mut self, job: Job, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let session = self.session.clone();
        let server = self.signs_in_as_server();
        self.with_tx(|tx| {
            authorize(tx, &session, server, job)?;
            f(tx)
        })
    }

    /// Whether everyone must sign in because the data is on a server. A
    /// scratch schema of the tests and benchmarks (never the app's) counts as
    /// a local file: its operator may change everything, unless sign-in is
    /// turned on, as the role tests do.
    fn signs_in_as_server(&self) -> bool {
        self.server.is_some() && self.scratch_schema.is_none()
    }

    /// Refuses unless the signed-in person may do `job` (for work that reads
    /// everything and writes elsewhere: a backup, a copy to a file).
    pub fn require(&self, job: Job) -> Result<()> {
        authorize(&self.conn, &self.session, self.signs_in_as_server(), job)
    }

    /// A write that no role guards (the first administrator of an empty
    /// database; a person changing their own password).
    pub(crate) fn with_tx_unchecked<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        self.with_tx(f)
    }

    /// Runs `f` in one write transaction: commit on `Ok`, roll back on `Err`
    /// (and on a panic inside `f`). On SQLite an IMMEDIATE transaction; on a
    /// server one that holds the school's write lock, so the checks `f` reads
    /// hold until it commits.
    pub fn with_tx<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let operator =
            if self.session.name().is_empty() { "未指定".to_string() } else { self.session.name().to_string() };
        self.conn.begin_write(self.wait)?;
        let guard = TxGuard::new(&self.conn);
        let tx = Tx::new(&self.conn, &operator);
        match f(&tx) {
            Ok(out) => match guard.commit() {
                Ok(()) => Ok(out),
                Err(e) => {
                    // A commit refused (busy file, lost server): nothing was saved.
                    if self.conn.in_transaction() {
                        let _ = self.conn.rollback();
                    }
                    Err(e)
                }
            },
            Err(e) => {
                let _ = guard.rollback();
                Err(e)
            }
        }
    }

    /// Runs `f` over one consistent snapshot (a report made of several queries
    /// must not mix two states of the data while another PC writes).
    pub fn read<T>(&self, f: impl FnOnce(&Conn) -> Result<T>) -> Result<T> {
        if self.conn.in_transaction() {
            return f(&self.conn);
        }
        self.conn.begin_read()?;
        let guard = TxGuard::new(&self.conn);
        let out = f(&self.conn);
        let _ = guard.rollback();
        out
    }

    /// A key from the `settings` table.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        crate::store::settings::get(&self.conn, key)
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some(schema) = &self.scratch_schema {
            let _ = self.conn.batch(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// Whether `session` may change data of `job`, as the database says now.
fn authorize(tx: &Conn, session: &Session, server: bool, job: Job) -> Result<()> {
    match session {
        Session::User { id, name, .. } => match crate::store::users::role_of(tx, *id)? {
            None => Err(Error::SignInNeeded),
            Some((_, true)) => Err(Error::conflict(format!("账号“{name}”已停用,本次修改未保存"))),
            Some((role, false)) if role.may(job) => Ok(()),
            Some((role, false)) => Err(Error::Forbidden { user: name.clone(), role: role.label(), job: job.label() }),
        },
        Session::Operator(_) => {
            let required =
                server || crate::store::settings::get(tx, crate::auth::SIGN_IN_REQUIRED)?.as_deref() == Some("1");
            if required {
                Err(Error::SignInNeeded)
            } else {
                Ok(())
            }
        }
    }
}

/// Files up to this size get SQLite's full integrity check on every open.
const FULL_CHECK_MAX_BYTES: u64 = 64 * 1024 * 1024;

fn damaged(problems: String) -> Error {
    Error::Database(crate::store::StoreError::new(StoreErrorKind::Corrupt, problems))
}

/// A consistent copy of the file as it is now, in the backups folder, before
/// a migration changes it (it holds schema version `version`).
fn copy_aside(conn: &Conn, path: &Path, version: i64) -> Result<PathBuf> {
    let Conn::Sqlite(sqlite) = conn else {
        return Err(Error::invalid("只有本机数据库文件在升级前复制"));
    };
    let dir = crate::backup::dir_beside(path);
    std::fs::create_dir_all(&dir)?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "houqin".into());
    let stamp = crate::dates::now().format("%Y%m%d-%H%M%S");
    let target = dir.join(format!("{stem}-{stamp}-before-upgrade.db"));
    let tmp = dir.join(format!(".{stem}-v{version}-{stamp}.tmp"));
    sqlite.backup_to(&tmp)?;
    std::fs::rename(&tmp, &target)?;
    Ok(target)
}

/// A server that could not be reached or refused us, in the user's words.
fn server_error(url: &ServerUrl, e: Error) -> Error {
    match e {
        Error::Database(inner) => match inner.kind {
            StoreErrorKind::Connection => {
                Error::ServerUnreachable { server: url.display().to_string(), detail: inner.message }
            }
            StoreErrorKind::Auth => Error::ServerRefused { server: url.display().to_string(), detail: inner.message },
            _ => Error::Database(inner),
        },
        // Already converted by `From<StoreError>`, which does not know the address: name it.
        Error::ServerUnreachable { detail, .. } => {
            Error::ServerUnreachable { server: url.display().to_string(), detail }
        }
        other => other,
    }
}

/// The PostgreSQL server tests run against, if `HOUQIN_TEST_DB` names one.
pub fn test_server() -> Result<Option<ServerUrl>> {
    match std::env::var("HOUQIN_TEST_DB") {
        Ok(s) if s.starts_with("postgres://") || s.starts_with("postgresql://") => {
            Ok(Some(ServerUrl::parse(&s).map_err(Error::Invalid)?))
        }
        _ => Ok(None),
    }
}

/// A schema name no other test (in this or another process) is using.
pub fn scratch_schema_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("t_{}_{}_{}", std::process::id(), n, nanos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args;
    use crate::store::migrate::{self, MIGRATIONS};

    #[test]
    fn a_fresh_database_has_the_schema_and_foreign_keys() {
        let db = Db::open_scratch().expect("open");
        let v: i64 = db.conn().value("SELECT MAX(version) FROM schema_migrations", &[]).expect("v");
        assert_eq!(v, migrate::latest_version());
        // A child in a class that does not exist is refused by the foreign key.
        let err = db
            .conn()
            .exec(
                "INSERT INTO class_placements (child_id, class_id, from_date) VALUES (?1, ?2, ?3)",
                &args![999_i64, 999_i64, chrono::NaiveDate::from_ymd_opt(2026, 1, 1)],
            )
            .expect_err("refused");
        assert!(matches!(&err, Error::Database(e) if e.kind == StoreErrorKind::ForeignKey), "{err:?}");
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

    // Regression: once `From<StoreError>` turned a lost connection into
    // ServerUnreachable itself, a server that does not answer at all was
    // reported as "无法连接数据库服务器 数据库服务器", without its address.
    #[test]
    fn a_server_that_does_not_answer_is_named_by_its_address() {
        let url = ServerUrl::parse("postgres://u:secret@127.0.0.1:1/houqin").expect("url");
        let err = Db::connect(&url).err().expect("refused");
        assert!(matches!(err, Error::ServerUnreachable { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("127.0.0.1:1"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }

    fn temp_db(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("houqin-db-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        dir.join("houqin.db")
    }

    fn raw(path: &Path) -> Conn {
        Conn::open_file(path, false).expect("open")
    }

    /// A file as an older program left it: every migration up to `version`, recorded.
    fn older_file(path: &Path, version: i64) {
        let conn = raw(path);
        conn.batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
               checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .expect("table");
        for m in MIGRATIONS.iter().filter(|m| m.version <= version) {
            let sql = m.sqlite.expect("sqlite");
            conn.batch(sql).expect("migration");
            conn.exec(
                "INSERT INTO schema_migrations VALUES (?1, ?2, ?3, '2026-01-01 00:00:00')",
                &args![m.version, m.name, migrate::checksum_hex(sql)],
            )
            .expect("record");
        }
        conn.exec("INSERT INTO classes (name, grade, head_teacher) VALUES ('大一班', 'senior', '王老师')", &[])
            .expect("a class");
    }

    fn version_and_classes(path: &Path) -> (i64, Vec<String>) {
        let conn = raw(path);
        let v = conn.value("SELECT MAX(version) FROM schema_migrations", &[]).expect("version");
        let names = conn.rows("SELECT name FROM classes ORDER BY id", &[], |r| r.get(0)).expect("rows");
        (v, names)
    }

    #[test]
    fn an_older_file_is_copied_aside_before_it_is_migrated() {
        let path = temp_db("backup");
        let old = migrate::latest_version() - 1;
        older_file(&path, old);
        let db = Db::open(&path).expect("open and migrate");
        let backup = db.backup_path().expect("a copy was made").to_path_buf();
        drop(db);
        assert_eq!(backup.parent(), Some(crate::backup::dir_beside(&path).as_path()), "in the backups folder");
        let name = backup.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.starts_with("houqin-") && name.ends_with("-before-upgrade.db"), "{name}");
        assert_eq!(version_and_classes(&backup), (old, vec!["大一班".to_string()]), "the old version, same data");
        assert_eq!(version_and_classes(&path), (migrate::latest_version(), vec!["大一班".to_string()]));
        let listed = crate::backup::list_dir(&crate::backup::dir_beside(&path)).expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].reason, crate::backup::Reason::Migration);

        // Opening an up-to-date file copies nothing.
        let again = Db::open(&path).expect("reopen");
        assert!(again.backup_path().is_none());
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[test]
    fn a_file_whose_recorded_migration_differs_is_not_opened() {
        let path = temp_db("checksum");
        older_file(&path, 3);
        raw(&path)
            .exec("UPDATE schema_migrations SET checksum = '0000000000000000' WHERE version = 2", &[])
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
                tx.exec("INSERT INTO settings (key, value) VALUES ('first', '1')", &[])?;
                Ok(second.with_tx(|tx| {
                    tx.exec("INSERT INTO settings (key, value) VALUES ('second', '1')", &[])?;
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
        let mut db = Db::open_scratch().expect("open");
        let r: Result<()> = db.with_tx(|tx| {
            tx.exec("INSERT INTO settings (key, value) VALUES ('x', '1')", &[])?;
            Err(Error::invalid("stop"))
        });
        assert!(r.is_err());
        assert_eq!(db.setting("x").expect("read"), None);
        // The connection is usable again.
        db.with_tx(|tx| tx.exec("INSERT INTO settings (key, value) VALUES ('y', '1')", &[]).map(|_| ())).expect("next");
        assert_eq!(db.setting("y").expect("read").as_deref(), Some("1"));
    }

    // On a server a write whose answer nobody reads waits to travel with the
    // next statement or the commit; these hold it to what an immediate write
    // gives on either backend.
    #[test]
    fn a_write_sent_later_is_seen_by_the_next_statement_and_saved_by_the_commit() {
        let mut db = Db::open_scratch().expect("open");
        db.with_tx(|tx| {
            tx.exec_later("INSERT INTO settings (key, value) VALUES ('later', '1')", &[])?;
            let seen: Option<String> = crate::store::settings::get(tx, "later")?;
            assert_eq!(seen.as_deref(), Some("1"), "the next statement sees it");
            tx.exec_later("UPDATE settings SET value = '2' WHERE key = 'later'", &[])
        })
        .expect("committed");
        assert_eq!(db.setting("later").expect("read").as_deref(), Some("2"), "the last one went with the commit");
    }

    #[test]
    fn a_refused_write_sent_with_the_commit_fails_it_and_saves_nothing() {
        let mut db = Db::open_scratch().expect("open");
        db.with_tx(|tx| tx.exec("INSERT INTO settings (key, value) VALUES ('taken', '1')", &[]).map(|_| ()))
            .expect("first");
        let r = db.with_tx(|tx| {
            tx.exec("INSERT INTO settings (key, value) VALUES ('before', '1')", &[])?;
            tx.exec_later("INSERT INTO settings (key, value) VALUES ('taken', '2')", &[])
        });
        let err = r.expect_err("the duplicate key is refused");
        assert!(matches!(&err, Error::Database(e) if e.kind == StoreErrorKind::Unique), "{err:?}");
        assert_eq!(db.setting("before").expect("read"), None, "nothing of the transaction was saved");
        assert_eq!(db.setting("taken").expect("read").as_deref(), Some("1"));
        // The connection is usable again, and an empty transaction commits.
        db.with_tx(|_| Ok(())).expect("empty");
        db.with_tx(|tx| tx.exec_later("INSERT INTO settings (key, value) VALUES ('after', '1')", &[])).expect("next");
        assert_eq!(db.setting("after").expect("read").as_deref(), Some("1"));
    }

    #[test]
    fn a_write_that_cannot_be_sent_keeps_the_commit_from_leaving() {
        let mut db = Db::open_scratch().expect("open");
        // Two parameters and one value: refused before it reaches the server.
        let r = db.with_tx(|tx| {
            tx.exec("INSERT INTO settings (key, value) VALUES ('early', '1')", &[])?;
            tx.exec_later("UPDATE settings SET value = ?1 WHERE key = ?2", &args!["x"])
        });
        assert!(r.is_err(), "{r:?}");
        assert_eq!(db.setting("early").expect("read"), None, "the commit did not go without it");
        db.with_tx(|tx| tx.exec("INSERT INTO settings (key, value) VALUES ('early', '2')", &[]).map(|_| ()))
            .expect("the next transaction is a transaction of its own");
        assert_eq!(db.setting("early").expect("read").as_deref(), Some("2"));
    }

    #[test]
    fn a_query_ahead_of_others_gives_its_rows_with_their_answer() {
        let mut db = Db::open_scratch().expect("open");
        let (ahead, main) = db
            .with_tx(|tx| {
                tx.exec("INSERT INTO settings (key, value) VALUES ('a', '1'), ('b', '2')", &[])?;
                tx.ahead_of(
                    "SELECT value FROM settings WHERE key = ?1",
                    &args!["a"],
                    |r| r.get::<String>(0),
                    || tx.value::<String>("SELECT value FROM settings WHERE key = ?1", &args!["b"]),
                )
            })
            .expect("read");
        assert_eq!((ahead, main), (vec!["1".to_string()], "2".to_string()));
        // With nothing else to travel with, it goes alone.
        let (ahead, ()) = db
            .with_tx(|tx| {
                tx.ahead_of("SELECT value FROM settings WHERE key = 'b'", &[], |r| r.get::<String>(0), || Ok(()))
            })
            .expect("alone");
        assert_eq!(ahead, vec!["2".to_string()]);
        // A failing `main` is the answer, and the next transaction is not confused by the queued query.
        let r = db.with_tx(|tx| {
            tx.ahead_of(
                "SELECT value FROM settings WHERE key = 'a'",
                &[],
                |r| r.get::<String>(0),
                || tx.exec("INSERT INTO settings (key, value) VALUES ('a', '3')", &[]),
            )
        });
        assert!(matches!(r, Err(Error::Database(ref e)) if e.kind == StoreErrorKind::Unique), "{r:?}");
        let (ahead, main) = db
            .with_tx(|tx| {
                tx.ahead_of(
                    "SELECT value FROM settings WHERE key = 'b'",
                    &[],
                    |r| r.get::<String>(0),
                    || tx.value::<String>("SELECT value FROM settings WHERE key = 'a'", &[]),
                )
            })
            .expect("after a failure");
        assert_eq!((ahead, main), (vec!["2".to_string()], "1".to_string()));
    }
    #[test]
    fn a_panic_inside_a_transaction_rolls_it_back() {
        let mut db = Db::open_scratch().expect("open");
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = db.with_tx(|tx| -> Result<()> {
                tx.exec("INSERT INTO settings (key, value) VALUES ('p', '1')", &[])?;
                panic!("inside");
            });
        }));
        assert!(caught.is_err());
        assert_eq!(db.setting("p").expect("read"), None, "rolled back");
        db.with_tx(|tx| tx.exec("INSERT INTO settings (key, value) VALUES ('q', '1')", &[]).map(|_| ())).expect("next");
    }

    #[test]
    fn targets_from_text() {
        assert!(matches!(Target::parse("/tmp/x.db").expect("file"), Target::File(_)));
        match Target::parse("postgres://hq:pw@127.0.0.1:5432/hq").expect("server") {
            Target::Server(u) => assert_eq!(u.display(), "postgres://hq@127.0.0.1:5432/hq"),
            other => panic!("{other:?}"),
        }
    }
}
