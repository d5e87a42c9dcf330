//! `audit_log`: who changed what, when, and the values before and after.
//! Written inside the transaction that makes the change, so the two can't drift.

use serde::Serialize;
use serde_json::Value as Json;

use super::{Conn, Tx};
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
        self.exec(
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
        )?;
        Ok(())
    }
}

/// The newest entries, optionally for one entity kind.
pub fn recent(conn: &Conn, entity: Option<&str>, limit: usize) -> Result<Vec<AuditEntry>> {
    conn.rows(
        "SELECT id, at, operator, entity, entity_id, action, before, after FROM audit_log
         WHERE (CAST(?1 AS TEXT) IS NULL OR entity = ?1) ORDER BY id DESC LIMIT ?2",
        &args![entity, limit],
        |r| {
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
        },
    )
}
