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
        StoreError::new(kind, e.to_string())
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

    /// A consistent copy of the whole database into `target` with SQLite's
    /// online backup API (pages copied while others may keep reading).
    pub fn backup_to(&self, target: &Path) -> std::result::Result<(), StoreError> {
        let mut dest = Connection::open(target)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut dest)?;
        backup.run_to_completion(256, Duration::from_millis(0), None)?;
        Ok(())
    }
}
