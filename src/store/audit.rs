//! `audit_log`: who changed what, when, and the values before and after.
//! Written inside the transaction that makes the change, so the two can't drift.

use serde::Serialize;
use serde_json::Value as Json;

use super::batch::{Batched, Tail};
use super::pg::Param;
use super::{Conn, Tx, Value};
use crate::{args, Result};

/// One row of the trail as the UI lists it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub operator: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

impl Tx<'_> {
    /// Records a change to `entity` (a table's name in the users' words is fine:
    /// `child`, `absence`, `stock_movement`) in this transaction.
    pub fn audit(
        &self,
        entity: &str,
        entity_id: impl ToString,
        action: &str,
        before: Option<&Json>,
        after: Option<&Json>,
    ) -> Result<()> {
        // Nothing reads its answer: on a server it travels with the commit.
        self.exec_later(
            "INSERT INTO audit_log (at, operator, entity, entity_id, action, before, after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &args![
                crate::dates::now(),
                self.operator(),
                entity,
                entity_id.to_string(),
                action,
                before.map(|v| v.to_string()),
                after.map(|v| v.to_string())
            ],
        )
    }

    /// Records many changes at once (a batch of scans, an import), in order,
    /// with one statement per chunk: the same rows [`Tx::audit`] would write
    /// one by one, stamped with one time.
    pub fn audit_many(&self, entries: &[AuditRow]) -> Result<()> {
        let shared = args![crate::dates::now(), self.operator()];
        let values = audit_values(entries);
        match &**self {
            Conn::Postgres(pg) if !entries.is_empty() => {
                let columns = super::batch::columns(&values, super::batch::width(AUDIT_ROWS.row));
                let params: Vec<Param> =
                    shared.iter().map(Param::Value).chain(columns.iter().map(Param::Column)).collect();
                pg.exec_params_later(AUDIT_ROWS.postgres, &params)
            }
            _ => self.exec_rows(&AUDIT_ROWS, &shared, &values).map(|_| ()),
        }
    }

    /// A batched write (`write`, over the rows of `values`) and the audit
    /// rows that record it, in one go. On PostgreSQL they are one statement,
    /// the write as a `WITH` ahead of the audit rows' insert: one round trip
    /// to the server where there were two. On SQLite, the write and then the
    /// rows. `write.postgres` numbers its arrays after `shared`.
    pub fn write_and_audit(
        &self,
        write: &Batched,
        shared: &[Value],
        values: &[Value],
        entries: &[AuditRow],
    ) -> Result<()> {
        let Conn::Postgres(pg) = &**self else {
            self.exec_rows(write, shared, values)?;
            return self.audit_many(entries);
        };
        let width = super::batch::width(write.row);
        let written = super::batch::columns(values, width);
        let audited = super::batch::columns(&audit_values(entries), super::batch::width(AUDIT_ROWS.row));
        let stamp = args![crate::dates::now(), self.operator()];
        // The audit rows' insert, its parameters numbered after the write's.
        let sql = format!(
            "WITH written AS ({}) {}",
            write.postgres,
            super::batch::renumber(AUDIT_ROWS.postgres, shared.len() + width)
        );
        let params: Vec<Param> = shared
            .iter()
            .map(Param::Value)
            .chain(written.iter().map(Param::Column))
            .chain(stamp.iter().map(Param::Value))
            .chain(audited.iter().map(Param::Column))
            .collect();
        // Nothing reads its answer: on a server it travels with the commit.
        pg.exec_params_later(&sql, &params)
    }
}

/// The audit rows of [`Tx::audit_many`], five values a row.
fn audit_values(entries: &[AuditRow]) -> Vec<Value> {
    let mut values = Vec::with_capacity(entries.len() * 5);
    for e in entries {
        values.extend(args![
            e.entity,
            e.entity_id,
            e.action,
            e.before.as_ref().map(Json::to_string),
            e.after.as_ref().map(Json::to_string)
        ]);
    }
    values
}

/// Audit rows stamped with one time (`?1`) and operator (`?2`).
const AUDIT_ROWS: Batched = Batched {
    sqlite: "INSERT INTO audit_log (at, operator, entity, entity_id, action, before, after) VALUES {}",
    row: "(?1, ?2, ?, ?, ?, ?, ?)",
    tail: Tail::Split,
    postgres: "INSERT INTO audit_log (at, operator, entity, entity_id, action, before, after)
        SELECT CAST(?1 AS TIMESTAMP), CAST(?2 AS TEXT), v.* FROM unnest(CAST(?3 AS TEXT[]),
          CAST(?4 AS TEXT[]), CAST(?5 AS TEXT[]), CAST(?6 AS TEXT[]), CAST(?7 AS TEXT[])) AS v",
};

/// One change for [`Tx::audit_many`], as [`Tx::audit`] takes it.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub entity: &'static str,
    pub entity_id: String,
    pub action: &'static str,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

/// The newest entries, optionally for one entity kind.
pub fn recent(conn: &Conn, entity: Option<&str>, limit: usize) -> Result<Vec<AuditEntry>> {
    conn.rows(
        "SELECT id, at, operator, entity, entity_id, action, before, after FROM audit_log
         WHERE (CAST(?1 AS TEXT) IS NULL OR entity = ?1) ORDER BY id DESC LIMIT ?2",
        &args![entity, limit],
        read,
    )
}

/// What the 操作日志 screen asks for: every part optional.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditFilter {
    /// The first day shown (from 00:00).
    pub from: Option<chrono::NaiveDate>,
    /// The last day shown (to 24:00).
    pub to: Option<chrono::NaiveDate>,
    /// One person (operator or signed-in user), exactly as recorded.
    pub operator: Option<String>,
    /// One kind of record (`child`, `absence`, …).
    pub entity: Option<String>,
}

// A missing date bound is an open end: these stand in for it, so one text
// serves every filter (no SQL built per call) and both backends compare a
// timestamp with a timestamp.
fn bounds(f: &AuditFilter) -> (chrono::NaiveDateTime, chrono::NaiveDateTime) {
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let first = f.from.unwrap_or(day(1900, 1, 1));
    let after_last = f.to.and_then(|d| d.succ_opt()).unwrap_or(day(9999, 12, 31));
    (first.and_time(chrono::NaiveTime::MIN), after_last.and_time(chrono::NaiveTime::MIN))
}

const FILTERED: &str = "SELECT id, at, operator, entity, entity_id, action, before, after FROM audit_log
     WHERE at >= ?1 AND at < ?2
       AND (CAST(?3 AS TEXT) IS NULL OR operator = ?3)
       AND (CAST(?4 AS TEXT) IS NULL OR entity = ?4)
     ORDER BY at DESC, id DESC LIMIT ?5 OFFSET ?6";

const FILTERED_COUNT: &str = "SELECT COUNT(*) FROM audit_log
     WHERE at >= ?1 AND at < ?2
       AND (CAST(?3 AS TEXT) IS NULL OR operator = ?3)
       AND (CAST(?4 AS TEXT) IS NULL OR entity = ?4)";

fn blank_is_none(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The entries `filter` selects, newest first: `limit` of them after skipping `offset`.
pub fn search(conn: &Conn, filter: &AuditFilter, limit: usize, offset: usize) -> Result<Vec<AuditEntry>> {
    let (from, until) = bounds(filter);
    conn.rows(
        FILTERED,
        &args![from, until, blank_is_none(&filter.operator), blank_is_none(&filter.entity), limit, offset],
        read,
    )
}

/// How many entries `filter` selects.
pub fn count(conn: &Conn, filter: &AuditFilter) -> Result<i64> {
    let (from, until) = bounds(filter);
    conn.value(FILTERED_COUNT, &args![from, until, blank_is_none(&filter.operator), blank_is_none(&filter.entity)])
}

/// Everyone who has changed something, for the filter's list.
pub fn operators(conn: &Conn) -> Result<Vec<String>> {
    conn.rows("SELECT DISTINCT operator FROM audit_log ORDER BY operator", &[], |r| r.get(0))
}

/// Every kind of record changed so far, for the filter's list.
pub fn entities(conn: &Conn) -> Result<Vec<String>> {
    conn.rows("SELECT DISTINCT entity FROM audit_log ORDER BY entity", &[], |r| r.get(0))
}

fn read(r: &super::Row) -> Result<AuditEntry> {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        operator: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        action: r.get(5)?,
        before: parse(r.get(6)?),
        after: parse(r.get(7)?),
    })
}
