//! The embedded backend: one SQLite file (rusqlite), or an in-memory database
//! for tests. Dates are bound as ISO text, booleans as 0/1, the way files
//! written before the storage layer hold them.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::error::{StoreError, StoreErrorKind};
use super::row::Row;
use super::value::{Value, DATETIME_FORMAT, DATE_FORMAT};
use crate::Result;

/// An open SQLite connection.
pub struct Sqlite {
    conn: Connection,
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
            Value::Date(d) => ToSqlOutput::Owned(rusqlite::types::Value::Text(d.format(DATE_FORMAT).to_string())),
            Value::DateTime(t) => {
                ToSqlOutput::Owned(rusqlite::types::Value::Text(t.format(DATETIME_FORMAT).to_string()))
            }
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

fn read(v: ValueRef<'_>) -> std::result::Result<Value, StoreError> {
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(
            std::str::from_utf8(t).map_err(|_| StoreError::decode("数据库中的文字不是有效的 UTF-8"))?.to_string(),
        ),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    })
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        let kind = match &e {
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreErrorKind::Busy,
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => StoreErrorKind::Corrupt,
                ErrorCode::ConstraintViolation => match f.extended_code {
                    rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                        StoreErrorKind::Unique
                    }
                    rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => StoreErrorKind::ForeignKey,
                    _ => StoreErrorKind::Check,
                },
                _ => StoreErrorKind::Other,
            },
            rusqlite::Error::QueryReturnedNoRows => StoreErrorKind::NoRow,
            rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => StoreErrorKind::Decode,
            _ => StoreErrorKind::Other,
        };
        let message = match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::NotADatabase => {
                "不是数据库文件(可能选错了文件)".to_string()
            }
            rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::DatabaseCorrupt => {
                "文件中有损坏的数据页".to_string()
            }
            _ => e.to_string(),
        };
        StoreError::new(if message.starts_with("不是数据库") { StoreErrorKind::Other } else { kind }, message)
    }
}

impl From<rusqlite::Error> for crate::Error {
    fn from(e: rusqlite::Error) -> Self {
        crate::Error::from(StoreError::from(e))
    }
}

impl Sqlite {
    /// Opens (and with `create`, creates) a database file. `read_only` opens it
    /// without write access (a damaged file is looked at this way).
    pub fn open(path: &Path, read_only: bool) -> std::result::Result<Sqlite, StoreError> {
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = Connection::open_with_flags(path, flags)?;
        Ok(Sqlite::wrap(conn))
    }

    pub fn in_memory() -> std::result::Result<Sqlite, StoreError> {
        Ok(Sqlite::wrap(Connection::open_in_memory()?))
    }

    fn wrap(conn: Connection) -> Sqlite {
        // Enough for every statement a batch of scans or an import repeats.
        conn.set_prepared_statement_cache_capacity(128);
        Sqlite { conn }
    }

    /// The rusqlite connection, for the transitional code that still calls it directly.
    pub fn raw(&self) -> &Connection {
        &self.conn
    }

    pub fn set_busy_timeout(&self, wait: Duration) -> std::result::Result<(), StoreError> {
        Ok(self.conn.busy_timeout(wait)?)
    }

    pub fn exec(&self, sql: &str, args: &[Value]) -> Result<u64> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(StoreError::from)?;
        let n = stmt.execute(rusqlite::params_from_iter(args.iter())).map_err(StoreError::from)?;
        Ok(n as u64)
    }

    pub fn each(&self, sql: &str, args: &[Value], f: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(StoreError::from)?;
        let width = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter())).map_err(StoreError::from)?;
        let mut row = Row::with_capacity(width);
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            row.clear();
            for i in 0..width {
                row.push(read(r.get_ref(i).map_err(StoreError::from)?)?);
            }
            f(&row)?;
        }
        Ok(())
    }

    pub fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql).map_err(StoreError::from)?)
    }

    /// Whether the connection is inside a transaction.
    pub fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }

    /// A consistent copy of the whole database into the new file `target`
    /// with SQLite's online backup API (pages copied while others may keep
    /// reading), synced to disk.
    pub fn backup_to(&self, target: &Path) -> std::result::Result<(), StoreError> {
        let mut dest = Connection::open(target)?;
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut dest)?;
            backup.run_to_completion(1024, Duration::from_millis(0), None)?;
        }
        // A backup is a rollback-journal file of its own, complete on disk.
        dest.pragma_update(None, "journal_mode", "DELETE")?;
        dest.close().map_err(|(_, e)| StoreError::from(e))?;
        Ok(())
    }

    /// Replaces this database's whole content with `source`'s, page by page,
    /// under a write lock: other connections to this file see the old content
    /// or the new, never a mix (the online backup API run the other way).
    pub fn restore_from(&mut self, source: &Path) -> std::result::Result<(), StoreError> {
        let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let backup = rusqlite::backup::Backup::new(&src, &mut self.conn)?;
        backup.run_to_completion(1024, Duration::from_millis(0), None)?;
        Ok(())
    }

    /// `PRAGMA quick_check` (or the full `integrity_check`): empty when the
    /// file is sound, else what SQLite found wrong (at most `limit` lines).
    pub fn check(&self, full: bool, limit: u32) -> std::result::Result<Vec<String>, StoreError> {
        let pragma = if full { "integrity_check" } else { "quick_check" };
        let mut stmt = self.conn.prepare(&format!("PRAGMA {pragma}({limit})"))?;
        let lines = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(if lines.len() == 1 && lines[0] == "ok" { Vec::new() } else { lines })
    }
}
