//! The audit trail: who changed what, when, and the values before and after.
//! Written inside the transaction that makes the change, so the two can't drift.

use serde::Serialize;
use serde_json::Value;

use super::{now, Tx};
use crate::error::Result;

/// One row of the trail as the UI lists it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub operator: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Tx<'_> {
    /// Records a change to `entity` (a table's name in the users' words is fine:
    /// `child`, `absence`, `stock_movement`) in this transaction.
    pub fn audit(
        &self,
        entity: &str,
        entity_id: impl ToString,
        action: &str,
        before: Option<&Value>,
        after: Option<&Value>,
    ) -> Result<()> {
        // Cached: a batch of scans or an import writes thousands of entries.
        self.prepare_cached(
            "INSERT INTO audit_log (at, operator, entity, entity_id, action, before, after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(rusqlite::params![
            now(),
            self.operator(),
            entity,
            entity_id.to_string(),
            action,
            before.map(|v| v.to_string()),
            after.map(|v| v.to_string())
        ])?;
        Ok(())
    }
}

/// The newest entries, optionally for one entity kind.
pub fn recent(conn: &rusqlite::Connection, entity: Option<&str>, limit: usize) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, operator, entity, entity_id, action, before, after FROM audit_log
         WHERE (?1 IS NULL OR entity = ?1) ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![entity, limit as i64], |r| {
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
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
