//! The storage layer: the only place that knows a database driver.
//!
//! Two backends give the same behaviour to the fen: SQLite (rusqlite, the
//! embedded default, one file) and PostgreSQL (`tokio-postgres`, driven synchronously, a
//! school's shared server). Domain code sees [`Conn`], [`Tx`], [`Row`] and
//! [`Value`], never a driver type, and calls the per-table modules below,
//! which own the SQL.
//!
//! SQL is written once where the two dialects agree (most of it: `?N`
//! placeholders, `ON CONFLICT`, `RETURNING`, no date functions — date
//! arithmetic is done in Rust) and per backend where they don't
//! ([`Conn::dialect`]). Why enum dispatch rather than a trait per table: the
//! dialects differ in a handful of statements, so one SQL text per statement
//! with a rare `match` is less code to keep in step than two implementations
//! of every table.

pub mod batch;
pub mod copy;
pub mod error;
pub mod migrate;
pub mod pg;
mod row;
pub mod schema;
pub mod sqlite;
pub mod value;

// One module per table or aggregate; each owns its SQL.
pub mod absences;
pub mod audit;
pub mod calendar;
pub mod children;
pub mod classes;
pub mod profile;
pub mod repairs;
pub mod settings;
pub mod staff;
pub mod users;

// One folder per area of the back office.
pub mod assets;
pub mod fees;
pub mod kitchen;
pub mod supplies;

use std::path::Path;
use std::time::Duration;

pub use error::{StoreError, StoreErrorKind};
pub use pg::ServerUrl;
pub use row::Row;
pub use value::{FromValue, ToValue, Value};

use crate::{Error, Result};

/// Which SQL dialect a connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// An open database of either kind.
pub enum Conn {
    Sqlite(sqlite::Sqlite),
    Postgres(Box<pg::Pg>),
}

impl Conn {
    pub fn open_file(path: &Path, read_only: bool) -> Result<Conn> {
        Ok(Conn::Sqlite(sqlite::Sqlite::open(path, read_only)?))
    }

    pub fn open_memory() -> Result<Conn> {
        Ok(Conn::Sqlite(sqlite::Sqlite::in_memory()?))
    }

    pub fn connect(url: &ServerUrl) -> Result<Conn> {
        Ok(Conn::Postgres(Box::new(pg::Pg::connect(url)?)))
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs a statement; returns how many rows it changed.
    pub fn exec(&self, sql: &str, args: &[Value]) -> Result<u64> {
        match self {
            Conn::Sqlite(c) => c.exec(sql, args),
            Conn::Postgres(c) => c.exec(sql, args),
        }
    }

    /// [`Conn::exec`] for a write whose row count nobody reads (an audit
    /// row): on a server, inside a transaction, it travels with the next
    /// statement or the commit instead of costing a round trip of its own;
    /// an error in it is then the error of that statement or of the commit.
    pub fn exec_later(&self, sql: &str, args: &[Value]) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.exec(sql, args).map(|_| ()),
            Conn::Postgres(c) => c.exec_params_later(sql, &args.iter().map(pg::Param::Value).collect::<Vec<_>>()),
        }
    }

    /// Runs the query `sql` and then `main`, and gives the query's rows (each
    /// read by `read`) with `main`'s answer. On a server, inside a
    /// transaction, the query travels in one flight with `main`'s first
    /// statement: for a check whose answer is needed only together with the
    /// rows it guards (a stocktake still open, and the lines of a batch of
    /// scans). `main` must not depend on the query having run.
    pub fn ahead_of<A, T>(
        &self,
        sql: &str,
        args: &[Value],
        mut read: impl FnMut(&Row) -> Result<A>,
        main: impl FnOnce() -> Result<T>,
    ) -> Result<(Vec<A>, T)> {
        let mut rows = Vec::new();
        match self {
            Conn::Sqlite(c) => {
                c.each(sql, args, &mut |r| {
                    rows.push(read(r)?);
                    Ok(())
                })?;
                Ok((rows, main()?))
            }
            Conn::Postgres(c) => {
                c.queue_read(sql, args)?;
                let out = main().and_then(|out| {
                    c.queued_rows(&mut |r| {
                        rows.push(read(r)?);
                        Ok(())
                    })?;
                    Ok(out)
                });
                if out.is_err() {
                    c.drop_queued_reads();
                }
                Ok((rows, out?))
            }
        }
    }

    /// Calls `f` with each row of a query, in order.
    pub fn each(&self, sql: &str, args: &[Value], mut f: impl FnMut(&Row) -> Result<()>) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.each(sql, args, &mut f),
            Conn::Postgres(c) => c.each(sql, args, &mut f),
        }
    }

    /// Every row of a query, each read by `f`.
    pub fn rows<T>(&self, sql: &str, args: &[Value], mut f: impl FnMut(&Row) -> Result<T>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, args, |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query, if there is one.
    pub fn row_opt<T>(&self, sql: &str, args: &[Value], f: impl FnOnce(&Row) -> Result<T>) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.each(sql, args, |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query that always returns one (an aggregate, a
    /// `RETURNING`); none is an error.
    pub fn row<T>(&self, sql: &str, args: &[Value], f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        self.row_opt(sql, args, f)?
            .ok_or_else(|| Error::from(StoreError::new(StoreErrorKind::NoRow, format!("查询没有返回结果:{sql}"))))
    }

    /// The first column of the first row.
    pub fn value<T: FromValue>(&self, sql: &str, args: &[Value]) -> Result<T> {
        self.row(sql, args, |r| r.get(0))
    }

    /// Runs an `INSERT … RETURNING id` and gives the new row's id.
    pub fn insert(&self, sql: &str, args: &[Value]) -> Result<i64> {
        debug_assert!(sql.contains("RETURNING"), "insert() needs RETURNING id: {sql}");
        self.value(sql, args)
    }

    /// Refreshes the planner's statistics after many rows arrived at once (a
    /// server push, a benchmark's fill). PostgreSQL plans from them and reads
    /// a table it believes empty row by row until autovacuum catches up;
    /// SQLite plans without them (and its ANALYZE would change its plans).
    pub fn refresh_statistics(&self) -> Result<()> {
        match self {
            Conn::Sqlite(_) => Ok(()),
            Conn::Postgres(c) => c.batch("ANALYZE"),
        }
    }

    /// Several statements without parameters (migrations, set-up).
    pub fn batch(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.batch(sql),
            Conn::Postgres(c) => c.batch(sql),
        }
    }

    /// Starts a write transaction; another writer waits up to `wait`.
    pub(crate) fn begin_write(&self, wait: Duration) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.batch("BEGIN IMMEDIATE"),
            Conn::Postgres(c) => c.begin_write(wait),
        }
    }

    /// Starts a read transaction: one consistent snapshot for a report made of
    /// several queries.
    pub(crate) fn begin_read(&self) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.batch("BEGIN DEFERRED"),
            Conn::Postgres(c) => c.begin_read(),
        }
    }

    pub(crate) fn commit(&self) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.batch("COMMIT"),
            Conn::Postgres(c) => c.commit(),
        }
    }

    pub(crate) fn rollback(&self) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.batch("ROLLBACK"),
            Conn::Postgres(c) => c.rollback(),
        }
    }

    pub(crate) fn in_transaction(&self) -> bool {
        match self {
            Conn::Sqlite(c) => c.in_transaction(),
            Conn::Postgres(c) => c.in_transaction(),
        }
    }
}

/// A write transaction. Commit happens in `Db::with_tx` when the closure
/// returns `Ok`. Every read a write depends on goes through it (it derefs to
/// the [`Conn`] it runs on); store functions that write take a `&Tx`, so
/// they cannot run outside one.
pub struct Tx<'a> {
    conn: &'a Conn,
    operator: &'a str,
}

impl<'a> Tx<'a> {
    pub(crate) fn new(conn: &'a Conn, operator: &'a str) -> Tx<'a> {
        Tx { conn, operator }
    }

    /// Who is making this change (shown in the audit trail).
    pub fn operator(&self) -> &str {
        self.operator
    }

    /// The connection the transaction runs on.
    pub fn conn(&self) -> &Conn {
        self.conn
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

/// Rolls back a transaction that was neither committed nor rolled back (a
/// panic inside it), so the connection is usable again.
pub(crate) struct TxGuard<'a> {
    conn: &'a Conn,
    done: bool,
}

impl<'a> TxGuard<'a> {
    pub(crate) fn new(conn: &'a Conn) -> TxGuard<'a> {
        TxGuard { conn, done: false }
    }

    pub(crate) fn commit(mut self) -> Result<()> {
        self.done = true;
        self.conn.commit()
    }

    pub(crate) fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.conn.rollback()
    }
}

impl Drop for TxGuard<'_> {
    fn drop(&mut self) {
        if !self.done && self.conn.in_transaction() {
            let _ = self.conn.rollback();
        }
    }
}
