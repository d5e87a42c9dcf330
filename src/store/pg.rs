//! The server backend: PostgreSQL through `tokio-postgres`, driven
//! synchronously (see [`Pg`]).
//!
//! SQL is written once with `?N` placeholders; here they become `$N`. A value
//! is encoded for whatever type the server inferred for its placeholder (a
//! date given as text binds to a `DATE`, 0/1 to a `BOOLEAN`), and every column
//! read back becomes a [`Value`]; `NUMERIC` (what `SUM` of a `BIGINT` gives)
//! is decoded to an integer when it is one.
//!
//! Writers take one advisory lock per school schema for the length of their
//! transaction: writes are serialised as SQLite serialises them, so a check
//! read inside a write transaction still holds when it commits, and two PCs
//! closing the same month cannot both succeed. A school's write load is a few
//! short transactions a minute; the lock costs nothing there.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::str::FromStr;
use std::time::Duration;

use bytes::{BufMut, BytesMut};
use chrono::{NaiveDate, NaiveDateTime};
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::Poll;

use tokio_postgres::error::SqlState;
use tokio_postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};
use tokio_postgres::{Client, Config, NoTls, Statement};

use super::error::{StoreError, StoreErrorKind};
use super::row::Row;
use super::value::{parse_iso_date, parse_iso_datetime, Value, DATETIME_FORMAT, DATE_FORMAT};
use crate::Result;

type BoxError = Box<dyn StdError + Sync + Send>;

/// Where a server database is: the connection settings and, optionally, the
/// schema inside it that holds this school (several campuses, or tests, can
/// share one database this way).
#[derive(Clone)]
pub struct ServerUrl {
    config: Config,
    schema: Option<String>,
    display: String,
}

impl std::fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display)
    }
}

impl ServerUrl {
    /// `postgres://user:password@host:port/database[?schema=name&…]`.
    pub fn parse(url: &str) -> std::result::Result<ServerUrl, String> {
        let (base, query) = match url.split_once('?') {
            Some((b, q)) => (b, q),
            None => (url, ""),
        };
        let mut schema = None;
        let mut rest = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("schema", v)) => schema = Some(v.to_string()),
                _ => rest.push(pair),
            }
        }
        if let Some(s) = &schema {
            if s.is_empty() || !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return Err(format!("schema “{s}” 只能由小写字母、数字和下划线组成"));
            }
        }
        let plain = if rest.is_empty() { base.to_string() } else { format!("{base}?{}", rest.join("&")) };
        let mut config = Config::from_str(&plain).map_err(|e| format!("服务器地址格式不对:{e}"))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(8));
        }
        config.application_name("houqin");
        let display = display_url(&config, schema.as_deref());
        Ok(ServerUrl { config, schema, display })
    }

    /// The same server and database with another schema.
    pub fn with_schema(&self, schema: &str) -> ServerUrl {
        ServerUrl {
            config: self.config.clone(),
            schema: Some(schema.to_string()),
            display: display_url(&self.config, Some(schema)),
        }
    }

    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// The address without the password, for messages and the title bar.
    pub fn display(&self) -> &str {
        &self.display
    }
}

fn display_url(config: &Config, schema: Option<&str>) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("");
    let db = config.get_dbname().unwrap_or("");
    let mut s = format!("postgres://{user}@{host}:{port}/{db}");
    if let Some(schema) = schema {
        s.push_str(&format!("?schema={schema}"));
    }
    s
}

struct Inner {
    /// A single-threaded runtime of this connection's own: every call blocks
    /// on it, and while it does, it also drives the connection's socket.
    rt: tokio::runtime::Runtime,
    client: Client,
    /// Prepared statements by their SQL as written (with `?N`).
    cache: HashMap<String, Statement>,
    /// Work of the open transaction not sent yet (see [`Pending`]).
    pending: Pending,
    /// The rows of queued reads that have been answered, in queue order.
    read_back: Vec<Vec<tokio_postgres::Row>>,
}

/// What a transaction has asked for that need not cost a round trip of its
/// own: its `BEGIN` (nothing depends on its answer but the next statement),
/// writes whose answer nobody reads (a batch's audit rows), and reads whose
/// rows are wanted only after the next statement's (a check made in the same
/// flight as the read it guards). They go to the server in one flight with
/// the next statement, or with the `COMMIT`; PostgreSQL runs them in order,
/// and an error in any of them is the error of that statement (or of the
/// commit, which then saves nothing).
#[derive(Default)]
struct Pending {
    begin: Option<String>,
    queued: Vec<Queued>,
}

enum Queued {
    Write(Statement, Vec<OwnedParam>),
    Read(Statement, Vec<OwnedParam>),
}

/// An open connection to the server.
pub struct Pg {
    inner: RefCell<Inner>,
    url: ServerUrl,
    in_tx: Cell<bool>,
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> StoreError {
        if let Some(db) = e.as_db_error() {
            let code = db.code();
            let kind = if *code == SqlState::UNIQUE_VIOLATION {
                StoreErrorKind::Unique
            } else if *code == SqlState::FOREIGN_KEY_VIOLATION {
                StoreErrorKind::ForeignKey
            } else if *code == SqlState::CHECK_VIOLATION || *code == SqlState::NOT_NULL_VIOLATION {
                StoreErrorKind::Check
            } else if *code == SqlState::LOCK_NOT_AVAILABLE
                || *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED
            {
                StoreErrorKind::LockTimeout
            } else if *code == SqlState::INVALID_PASSWORD || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
                StoreErrorKind::Auth
            } else if code.code().starts_with("08")
                || code.code().starts_with("57P")
                || *code == SqlState::INVALID_CATALOG_NAME
            {
                StoreErrorKind::Connection
            } else {
                StoreErrorKind::Other
            };
            return StoreError::new(kind, format!("{}({})", db.message(), code.code()));
        }
        let io = e.source().is_some_and(|s| s.is::<std::io::Error>());
        let kind = if e.is_closed() || io { StoreErrorKind::Connection } else { StoreErrorKind::Other };
        let mut message = e.to_string();
        if let Some(source) = e.source() {
            message = format!("{message}:{source}");
        }
        StoreError::new(kind, message)
    }
}

type PgResult<T> = std::result::Result<T, tokio_postgres::Error>;
type Flight<'a> = Pin<Box<dyn Future<Output = PgResult<Option<Vec<tokio_postgres::Row>>>> + 'a>>;

/// Runs `pending` and then `main` as one flight: each is sent as soon as it
/// is first polled, and they are polled in order, so all of them leave before
/// the first answer is awaited. Returns the first error in that order (the
/// statements after a failed one fail only because the transaction aborted),
/// else `main`'s answer and the rows of the queued reads.
fn in_one_flight<T>(
    rt: &tokio::runtime::Runtime,
    client: &Client,
    pending: &Pending,
    main: impl Future<Output = PgResult<T>>,
) -> std::result::Result<(T, Vec<Vec<tokio_postgres::Row>>), StoreError> {
    let mut flights: Vec<Flight> = Vec::with_capacity(1 + pending.queued.len());
    if let Some(begin) = &pending.begin {
        flights.push(Box::pin(async move { client.batch_execute(begin).await.map(|()| None) }));
    }
    for queued in &pending.queued {
        flights.push(Box::pin(async move {
            match queued {
                Queued::Write(stmt, params) => {
                    let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(OwnedParam::to_sql).collect();
                    client.execute(stmt, &params).await.map(|_| None)
                }
                Queued::Read(stmt, params) => {
                    let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(OwnedParam::to_sql).collect();
                    client.query(stmt, &params).await.map(Some)
                }
            }
        }));
    }
    let mut main = pin!(main);
    let mut early: Vec<Option<PgResult<Option<Vec<tokio_postgres::Row>>>>> = flights.iter().map(|_| None).collect();
    let mut last = None;
    // A statement sends itself when first polled, unless it fails before
    // that (a value its parameter cannot take): then nothing after it may
    // leave, least of all a COMMIT, which would save the transaction
    // without it. What left already is still awaited.
    let mut sent = 0;
    let mut stop = false;
    rt.block_on(poll_fn(|cx| {
        let mut done = true;
        for (i, (f, out)) in flights.iter_mut().zip(early.iter_mut()).enumerate() {
            if out.is_some() || (i >= sent && stop) {
                continue;
            }
            let first = i >= sent;
            sent = sent.max(i + 1);
            match f.as_mut().poll(cx) {
                Poll::Ready(r) => {
                    stop |= first && r.is_err();
                    *out = Some(r);
                }
                Poll::Pending => done = false,
            }
        }
        if last.is_none() && !stop {
            match main.as_mut().poll(cx) {
                Poll::Ready(r) => last = Some(r),
                Poll::Pending => done = false,
            }
        }
        if done {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }));
    let mut reads = Vec::new();
    for r in early.into_iter().flatten() {
        if let Some(rows) = r? {
            reads.push(rows);
        }
    }
    match last {
        Some(r) => Ok((r?, reads)),
        // Stopped by an error above, which was returned.
        None => unreachable!("the flight ended before its last statement answered"),
    }
}

impl Pg {
    /// Connects and selects the school's schema (creating it if it is missing).
    pub fn connect(url: &ServerUrl) -> std::result::Result<Pg, StoreError> {
        let (rt, client) = open_client(url)?;
        Ok(Pg {
            inner: RefCell::new(Inner {
                rt,
                client,
                cache: HashMap::new(),
                pending: Pending::default(),
                read_back: Vec::new(),
            }),
            url: url.clone(),
            in_tx: Cell::new(false),
        })
    }

    pub fn url(&self) -> &ServerUrl {
        &self.url
    }

    /// The client, reconnected first if the server closed the connection
    /// since the last statement (a restarted server, a dropped network) —
    /// never inside a transaction, whose work died with the connection.
    fn ready(&self) -> std::result::Result<std::cell::RefMut<'_, Inner>, StoreError> {
        let mut inner = self.inner.borrow_mut();
        if inner.client.is_closed() && !self.in_tx.get() {
            let (rt, client) = open_client(&self.url)?;
            inner.client = client;
            inner.rt = rt;
            inner.cache.clear();
        }
        Ok(inner)
    }

    fn statement(inner: &mut Inner, sql: &str) -> std::result::Result<Statement, StoreError> {
        if let Some(s) = inner.cache.get(sql) {
            return Ok(s.clone());
        }
        let stmt = inner.rt.block_on(inner.client.prepare(&to_dollar(sql)))?;
        // Statements are few and fixed; a copy builds some per table. Keep it bounded.
        if inner.cache.len() >= 512 {
            inner.cache.clear();
        }
        inner.cache.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    /// Runs `main(client)` after, and in one flight with, the work pending.
    fn send<'c, T, F>(inner: &'c mut Inner, main: impl FnOnce(&'c Client) -> F) -> std::result::Result<T, StoreError>
    where
        F: Future<Output = PgResult<T>> + 'c,
    {
        let pending = std::mem::take(&mut inner.pending);
        let Inner { rt, client, read_back, .. } = inner;
        let (out, reads) = in_one_flight(rt, client, &pending, main(client))?;
        read_back.extend(reads);
        Ok(out)
    }

    pub fn exec(&self, sql: &str, args: &[Value]) -> Result<u64> {
        self.exec_columns(sql, args, &[])
    }

    /// [`Pg::exec`] with, after `args`, one array parameter per column of
    /// `columns` (a batch of rows sent whole, read back with `unnest`).
    pub fn exec_columns(&self, sql: &str, args: &[Value], columns: &[Vec<Value>]) -> Result<u64> {
        let params: Vec<Param> = args.iter().map(Param::Value).chain(columns.iter().map(Param::Column)).collect();
        self.exec_params(sql, &params)
    }

    /// Runs a statement whose parameters are values and array columns in
    /// any order.
    pub fn exec_params(&self, sql: &str, params: &[Param]) -> Result<u64> {
        let mut inner = self.ready()?;
        let stmt = Self::statement(&mut inner, sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(Param::to_sql).collect();
        Ok(Self::send(&mut inner, |c| c.execute(&stmt, &params))?)
    }

    /// [`Pg::exec_params`] for a write whose row count nobody reads: inside
    /// a transaction it waits to travel with the next statement or the
    /// commit, and its error (if any) is theirs.
    pub fn exec_params_later(&self, sql: &str, params: &[Param]) -> Result<()> {
        if !self.in_tx.get() {
            return self.exec_params(sql, params).map(|_| ());
        }
        let mut inner = self.ready()?;
        let stmt = Self::statement(&mut inner, sql)?;
        let owned = params.iter().map(Param::to_owned).collect();
        inner.pending.queued.push(Queued::Write(stmt, owned));
        Ok(())
    }

    /// Queues a query to travel with the next statement (inside a
    /// transaction; outside one it runs now). Its rows: [`Pg::queued_rows`].
    pub fn queue_read(&self, sql: &str, args: &[Value]) -> Result<()> {
        let mut inner = self.ready()?;
        let stmt = Self::statement(&mut inner, sql)?;
        if !self.in_tx.get() {
            let params = params(args, &[]);
            let rows = Self::send(&mut inner, |c| c.query(&stmt, &params))?;
            inner.read_back.push(rows);
            return Ok(());
        }
        let owned = args.iter().map(|a| OwnedParam::Value(a.clone())).collect();
        inner.pending.queued.push(Queued::Read(stmt, owned));
        Ok(())
    }

    /// The rows of the oldest queued read, sent now if it has not left yet.
    pub fn queued_rows(&self, f: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        let rows = {
            let mut inner = self.ready()?;
            if inner.read_back.is_empty() && inner.pending.queued.iter().any(|q| matches!(q, Queued::Read(..))) {
                Self::send(&mut inner, |_| async { Ok(()) })?;
            }
            if inner.read_back.is_empty() {
                return Err(StoreError::new(StoreErrorKind::NoRow, "没有排队的查询").into());
            }
            inner.read_back.remove(0)
        };
        each_row(&rows, f)
    }

    /// Forgets queued reads and their rows (the statement they travelled
    /// with failed, or nobody wants them any more).
    pub fn drop_queued_reads(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.pending.queued.retain(|q| !matches!(q, Queued::Read(..)));
        inner.read_back.clear();
    }

    pub fn each(&self, sql: &str, args: &[Value], f: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        self.each_columns(sql, args, &[], f)
    }

    /// [`Pg::each`] with array parameters, as [`Pg::exec_columns`].
    pub fn each_columns(
        &self,
        sql: &str,
        args: &[Value],
        columns: &[Vec<Value>],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let rows = {
            let mut inner = self.ready()?;
            let stmt = Self::statement(&mut inner, sql)?;
            let params = params(args, columns);
            Self::send(&mut inner, |c| c.query(&stmt, &params))?
        };
        // The borrow is released: the callback may run queries of its own.
        each_row(&rows, f)
    }

    pub fn batch(&self, sql: &str) -> Result<()> {
        let mut inner = self.ready()?;
        Ok(Self::send(&mut inner, |c| c.batch_execute(sql))?)
    }

    /// Starts a write transaction: waits (at most `wait`) for the school's
    /// write lock, which it holds until commit or rollback. The `BEGIN` is
    /// sent with the transaction's first statement.
    pub fn begin_write(&self, wait: Duration) -> Result<()> {
        let mut inner = self.ready()?;
        inner.read_back.clear();
        inner.pending = Pending {
            begin: Some(format!(
                "BEGIN; SET LOCAL lock_timeout = '{}ms'; SELECT pg_advisory_xact_lock(hashtext('houqin:' || current_schema()))",
                wait.as_millis()
            )),
            queued: Vec::new(),
        };
        self.in_tx.set(true);
        Ok(())
    }

    /// Starts a read-only transaction that sees one snapshot throughout
    /// (sent, too, with its first statement).
    pub fn begin_read(&self) -> Result<()> {
        let mut inner = self.ready()?;
        inner.read_back.clear();
        inner.pending =
            Pending { begin: Some("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY".into()), queued: Vec::new() };
        self.in_tx.set(true);
        Ok(())
    }

    /// Commits, with the writes still pending in the same flight. A
    /// transaction that never reached the server has nothing to commit.
    pub fn commit(&self) -> Result<()> {
        let mut inner = self.inner.borrow_mut();
        self.in_tx.set(false);
        inner.read_back.clear();
        if inner.pending.begin.is_some() && inner.pending.queued.is_empty() {
            inner.pending = Pending::default();
            return Ok(());
        }
        let result = Self::send(&mut inner, |c| c.batch_execute("COMMIT"));
        // Queued reads nobody asked for are not kept for the next transaction.
        inner.read_back.clear();
        if result.is_err() {
            // The COMMIT may not have left (a write before it failed to be
            // sent); end the transaction here rather than leave it open. If
            // it did leave, the server has ended it and this only warns.
            let inner = &mut *inner;
            let _ = inner.rt.block_on(inner.client.batch_execute("ROLLBACK"));
        }
        Ok(result?)
    }

    /// Rolls back; what was pending is dropped unsent.
    pub fn rollback(&self) -> Result<()> {
        let mut inner = self.inner.borrow_mut();
        self.in_tx.set(false);
        inner.read_back.clear();
        let pending = std::mem::take(&mut inner.pending);
        if pending.begin.is_some() {
            return Ok(());
        }
        let inner = &mut *inner;
        Ok(inner.rt.block_on(inner.client.batch_execute("ROLLBACK")).map_err(StoreError::from)?)
    }

    pub fn in_transaction(&self) -> bool {
        self.in_tx.get()
    }

    /// Forgets prepared statements (after the schema changed under them).
    pub fn clear_cache(&self) {
        self.inner.borrow_mut().cache.clear();
    }
}

/// One parameter of a statement: a value, or a column of a batch's rows
/// (an array of [`Value`]s binds as the array type the statement casts it to).
pub enum Param<'a> {
    Value(&'a Value),
    Column(&'a Vec<Value>),
}

impl Param<'_> {
    fn to_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Param::Value(v) => *v,
            Param::Column(c) => *c,
        }
    }

    fn to_owned(&self) -> OwnedParam {
        match self {
            Param::Value(v) => OwnedParam::Value((*v).clone()),
            Param::Column(c) => OwnedParam::Column((*c).clone()),
        }
    }
}

/// A [`Param`] kept until its statement is sent.
enum OwnedParam {
    Value(Value),
    Column(Vec<Value>),
}

impl OwnedParam {
    fn to_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            OwnedParam::Value(v) => v,
            OwnedParam::Column(c) => c,
        }
    }
}

/// The parameters of a statement: its values, then its array columns.
fn params<'a>(args: &'a [Value], columns: &'a [Vec<Value>]) -> Vec<&'a (dyn ToSql + Sync)> {
    let args = args.iter().map(|a| a as &(dyn ToSql + Sync));
    args.chain(columns.iter().map(|c| c as &(dyn ToSql + Sync))).collect()
}

fn open_client(url: &ServerUrl) -> std::result::Result<(tokio::runtime::Runtime, Client), StoreError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| StoreError::new(StoreErrorKind::Connection, format!("无法启动数据库连接:{e}")))?;
    let (client, connection) = rt.block_on(url.config.connect(NoTls))?;
    // Runs whenever the runtime does, that is during each call's block_on.
    rt.spawn(connection);
    // A school's data is small enough to sit in the server's memory, where
    // reading a page through an index costs about what reading the next one
    // does. PostgreSQL's default of 4 assumes a spinning disk, and with it the
    // planner would rather walk every line of a stocktake than look up the
    // 125 lines a batch of scans changes.
    let mut setup = String::from("SET client_min_messages = warning; SET random_page_cost = 1.1;");
    if let Some(schema) = &url.schema {
        // The name was checked to be [a-z0-9_]+ when the URL was parsed.
        setup.push_str(&format!("CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema};"));
    }
    rt.block_on(client.batch_execute(&setup))?;
    Ok((rt, client))
}

/// `?N` → `$N`, and a bare `?` → the next number; text in quotes and
/// comments is left alone.
pub fn to_dollar(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next = 1;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                out.push('$');
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                if digits.is_empty() {
                    out.push_str(&next.to_string());
                    next += 1;
                } else {
                    out.push_str(&digits);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn bad_bind(v: &Value, ty: &Type) -> BoxError {
    format!("不能把 {v:?} 作为 {} 类型写入", ty.name()).into()
}

fn is_text(ty: &Type) -> bool {
    *ty == Type::TEXT || *ty == Type::VARCHAR || *ty == Type::BPCHAR || *ty == Type::NAME || *ty == Type::UNKNOWN
}

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => {
                if *ty == Type::INT8 {
                    i.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::try_from(*i)?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*i)?.to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (*i != 0).to_sql(ty, out)
                } else if *ty == Type::NUMERIC {
                    encode_numeric(*i, out);
                    Ok(IsNull::No)
                } else if *ty == Type::FLOAT8 {
                    #[allow(clippy::cast_precision_loss)]
                    (*i as f64).to_sql(ty, out)
                } else if is_text(ty) {
                    i.to_string().to_sql(ty, out)
                } else {
                    Err(bad_bind(self, ty))
                }
            }
            Value::Real(f) => {
                if *ty == Type::FLOAT8 {
                    f.to_sql(ty, out)
                } else if *ty == Type::FLOAT4 {
                    #[allow(clippy::cast_possible_truncation)]
                    (*f as f32).to_sql(ty, out)
                } else if is_text(ty) {
                    f.to_string().to_sql(ty, out)
                } else {
                    Err(bad_bind(self, ty))
                }
            }
            Value::Bool(b) => {
                if *ty == Type::BOOL {
                    b.to_sql(ty, out)
                } else if *ty == Type::INT8 {
                    i64::from(*b).to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::from(*b).to_sql(ty, out)
                } else {
                    Err(bad_bind(self, ty))
                }
            }
            Value::Text(s) => {
                if is_text(ty) {
                    s.to_sql(ty, out)
                } else if *ty == Type::DATE {
                    parse_iso_date(s).ok_or_else(|| bad_bind(self, ty))?.to_sql(ty, out)
                } else if *ty == Type::TIMESTAMP {
                    parse_iso_datetime(s)
                        .or_else(|| parse_iso_date(s).map(|d| d.and_time(chrono::NaiveTime::MIN)))
                        .ok_or_else(|| bad_bind(self, ty))?
                        .to_sql(ty, out)
                } else if *ty == Type::INT8 {
                    s.trim().parse::<i64>().map_err(|_| bad_bind(self, ty))?.to_sql(ty, out)
                } else if *ty == Type::BYTEA {
                    s.as_bytes().to_sql(ty, out)
                } else {
                    Err(bad_bind(self, ty))
                }
            }
            Value::Date(d) => {
                if *ty == Type::DATE {
                    d.to_sql(ty, out)
                } else if *ty == Type::TIMESTAMP {
                    d.and_time(chrono::NaiveTime::MIN).to_sql(ty, out)
                } else if is_text(ty) {
                    d.format(DATE_FORMAT).to_string().to_sql(ty, out)
                } else {
                    Err(bad_bind(self, ty))
                }
            }
            Value::DateTime(t) => {
                if *ty == Type::TIMESTAMP {
                    t.to_sql(ty, out)
                } else if *ty == Type::DATE {
                    t.date().to_sql(ty, out)
                } else if is_text(ty) {
                    t.format(DATETIME_FORMAT).to_string().to_sql(ty, out)
                } else {
                    Err(bad_bind(self, ty))
                }
            }
            Value::Blob(b) => {
                if *ty == Type::BYTEA {
                    b.to_sql(ty, out)
                } else {
                    Err(bad_bind(self, ty))
                }
            }
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A `NUMERIC` read as an integer when it is whole (every `SUM` of money), as
/// a float otherwise.
struct Numeric(Value);

impl<'a> FromSql<'a> for Numeric {
    fn from_sql(_: &Type, raw: &'a [u8]) -> std::result::Result<Numeric, BoxError> {
        decode_numeric(raw).map(Numeric)
    }
    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

fn decode_numeric(raw: &[u8]) -> std::result::Result<Value, BoxError> {
    let word = |i: usize| -> std::result::Result<u16, BoxError> {
        raw.get(i * 2..i * 2 + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).ok_or_else(|| "NUMERIC 数据不完整".into())
    };
    let ndigits = usize::from(word(0)?);
    let weight = i32::from(word(1)? as i16);
    let sign = word(2)?;
    if sign == 0xC000 || sign == 0xD000 || sign == 0xF000 {
        return Err("NUMERIC 不是有限数".into());
    }
    let negative = sign == 0x4000;
    let mut whole: i128 = 0;
    let mut fraction = false;
    let mut float = 0.0f64;
    for k in 0..ndigits {
        let d = i128::from(word(4 + k)?);
        let exp = weight - k as i32;
        float += d as f64 * 10000f64.powi(exp);
        if exp >= 0 {
            let scale = 10000i128.checked_pow(exp as u32).ok_or("NUMERIC 超出范围")?;
            whole = d.checked_mul(scale).and_then(|x| whole.checked_add(x)).ok_or("NUMERIC 超出范围")?;
        } else if d != 0 {
            fraction = true;
        }
    }
    if fraction {
        return Ok(Value::Real(if negative { -float } else { float }));
    }
    let whole = if negative { -whole } else { whole };
    Ok(Value::Int(i64::try_from(whole).map_err(|_| "NUMERIC 超出整数范围")?))
}

fn encode_numeric(i: i64, out: &mut BytesMut) {
    let mut n = i.unsigned_abs();
    let mut digits = Vec::new();
    while n > 0 {
        digits.push((n % 10000) as u16);
        n /= 10000;
    }
    digits.reverse();
    let weight = digits.len() as i16 - 1;
    while digits.last() == Some(&0) {
        digits.pop();
    }
    out.put_u16(digits.len() as u16);
    out.put_i16(if digits.is_empty() { 0 } else { weight });
    out.put_u16(if i < 0 { 0x4000 } else { 0 });
    out.put_u16(0);
    for d in digits {
        out.put_u16(d);
    }
}

/// Calls `f` with each of `rows`, its columns read as [`Value`]s.
fn each_row(rows: &[tokio_postgres::Row], f: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
    for r in rows {
        let mut values = Vec::with_capacity(r.len());
        for i in 0..r.len() {
            values.push(read(r, i)?);
        }
        f(&Row::from_values(values))?;
    }
    Ok(())
}

fn read(r: &tokio_postgres::Row, i: usize) -> std::result::Result<Value, StoreError> {
    let ty = r.columns()[i].type_().clone();
    let err = |e: tokio_postgres::Error| StoreError::decode(format!("第 {} 列({}):{e}", i + 1, ty.name()));
    let v = if ty == Type::INT8 {
        r.try_get::<_, Option<i64>>(i).map_err(err)?.map(Value::Int)
    } else if ty == Type::INT4 {
        r.try_get::<_, Option<i32>>(i).map_err(err)?.map(|x| Value::Int(x.into()))
    } else if ty == Type::INT2 {
        r.try_get::<_, Option<i16>>(i).map_err(err)?.map(|x| Value::Int(x.into()))
    } else if ty == Type::OID {
        r.try_get::<_, Option<u32>>(i).map_err(err)?.map(|x| Value::Int(x.into()))
    } else if ty == Type::BOOL {
        r.try_get::<_, Option<bool>>(i).map_err(err)?.map(Value::Bool)
    } else if is_text(&ty) {
        r.try_get::<_, Option<String>>(i).map_err(err)?.map(Value::Text)
    } else if ty == Type::DATE {
        r.try_get::<_, Option<NaiveDate>>(i).map_err(err)?.map(Value::Date)
    } else if ty == Type::TIMESTAMP {
        r.try_get::<_, Option<NaiveDateTime>>(i).map_err(err)?.map(Value::DateTime)
    } else if ty == Type::FLOAT8 {
        r.try_get::<_, Option<f64>>(i).map_err(err)?.map(Value::Real)
    } else if ty == Type::FLOAT4 {
        r.try_get::<_, Option<f32>>(i).map_err(err)?.map(|x| Value::Real(x.into()))
    } else if ty == Type::NUMERIC {
        r.try_get::<_, Option<Numeric>>(i).map_err(err)?.map(|n| n.0)
    } else if ty == Type::BYTEA {
        r.try_get::<_, Option<Vec<u8>>>(i).map_err(err)?.map(Value::Blob)
    } else {
        return Err(StoreError::decode(format!("第 {} 列的类型 {} 无法读取", i + 1, ty.name())));
    };
    Ok(v.unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(to_dollar("SELECT a FROM t WHERE x = ?1 AND y = ?12"), "SELECT a FROM t WHERE x = $1 AND y = $12");
        assert_eq!(to_dollar("VALUES (?, ?, '?', \"a?\") -- why?\n, ?"), "VALUES ($1, $2, '?', \"a?\") -- why?\n, $3");
    }

    #[test]
    fn numerics_decode_to_integers_when_whole() {
        for i in [0_i64, 1, -1, 9999, 10000, 123_456_789, -9_999_999_999, i64::MAX, i64::MIN + 1] {
            let mut out = BytesMut::new();
            encode_numeric(i, &mut out);
            assert_eq!(decode_numeric(&out).expect("decodes"), Value::Int(i), "{i}");
        }
        // 12.5: ndigits 2, weight 0, positive, dscale 1, digits [12, 5000].
        let raw = [0, 2, 0, 0, 0, 0, 0, 1, 0, 12, 0x13, 0x88];
        assert_eq!(decode_numeric(&raw).expect("decodes"), Value::Real(12.5));
    }

    #[test]
    fn urls_keep_the_schema_apart_and_hide_the_password() {
        let url = ServerUrl::parse("postgres://hq:secret@127.0.0.1:54329/hq?schema=campus_2").expect("url");
        assert_eq!(url.schema(), Some("campus_2"));
        assert_eq!(url.display(), "postgres://hq@127.0.0.1:54329/hq?schema=campus_2");
        assert!(ServerUrl::parse("postgres://hq@h/hq?schema=Bad-Name").is_err());
    }
}
