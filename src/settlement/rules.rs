//! Effective-dated rule sets: a school's fee items, in force from a month until
//! the next version. A settled month keeps the rules it was settled with (they
//! are copied into the settlement), and a new version may only start after the
//! last closed month.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::dates::YearMonth;
use crate::db::{now, Db};
use crate::refund::{validate_fee_items, FeeItem, ScenarioDocument};
use crate::{Error, Result};

/// One saved rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleVersion {
    pub id: i64,
    pub effective_from: YearMonth,
    pub fees: Vec<FeeItem>,
    pub note: String,
    pub saved_at: String,
    pub saved_by: String,
}

fn parse_items(json: &str) -> rusqlite::Result<Vec<FeeItem>> {
    serde_json::from_str(json)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn read(r: &rusqlite::Row) -> rusqlite::Result<RuleVersion> {
    let month: String = r.get(1)?;
    Ok(RuleVersion {
        id: r.get(0)?,
        effective_from: month.parse().map_err(|e: Error| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.to_string().into())
        })?,
        fees: parse_items(&r.get::<_, String>(2)?)?,
        note: r.get(3)?,
        saved_at: r.get(4)?,
        saved_by: r.get(5)?,
    })
}

const COLUMNS: &str = "id, effective_from, rules_json, note, saved_at, saved_by";

/// All versions, oldest first.
pub fn versions(conn: &Connection) -> Result<Vec<RuleVersion>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM fee_rule_versions ORDER BY effective_from"))?;
    let rows = stmt.query_map([], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The version in force in `month`, if any.
pub fn rules_for(conn: &Connection, month: YearMonth) -> Result<Option<RuleVersion>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM fee_rule_versions WHERE effective_from <= ?1 ORDER BY effective_from DESC LIMIT 1"
            ),
            [month.to_string()],
            read,
        )
        .optional()?)
}

/// The latest closed month, if any.
pub fn last_closed_month(conn: &Connection) -> Result<Option<YearMonth>> {
    let m: Option<String> =
        conn.query_row("SELECT MAX(month) FROM settlements WHERE status = 'closed'", [], |r| r.get(0))?;
    m.map(|m| m.parse()).transpose()
}

/// Saves a rule set in force from `effective_from`. Refused for a month already
/// closed (or before one): settled months keep their rules.
pub fn save_rules(db: &mut Db, effective_from: YearMonth, fees: &[FeeItem], note: &str) -> Result<i64> {
    if fees.is_empty() {
        return Err(Error::invalid("至少需要一个收费项目"));
    }
    validate_fee_items(fees)?;
    crate::text::Field::note("说明").max(200).check(note).map_err(Error::Invalid)?;
    if let Some(closed) = last_closed_month(db.conn())? {
        if effective_from <= closed {
            return Err(Error::conflict(format!(
                "{} 已结账,已结账月份沿用结账时的规则;新规则最早从 {} 起生效",
                closed.label(),
                closed.next().label()
            )));
        }
    }
    let json = serde_json::to_string(fees).map_err(|e| Error::invalid(format!("费用规则无法保存:{e}")))?;
    let before = versions(db.conn())?.into_iter().find(|v| v.effective_from == effective_from);
    db.with_tx(|tx| {
        tx.execute(
            "INSERT INTO fee_rule_versions (effective_from, rules_json, note, saved_at, saved_by)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (effective_from) DO UPDATE SET rules_json = excluded.rules_json, note = excluded.note,
               saved_at = excluded.saved_at, saved_by = excluded.saved_by",
            rusqlite::params![effective_from.to_string(), json, note.trim(), now(), tx.operator()],
        )?;
        let id: i64 = tx.query_row(
            "SELECT id FROM fee_rule_versions WHERE effective_from = ?1",
            [effective_from.to_string()],
            |r| r.get(0),
        )?;
        tx.audit(
            "fee_rules",
            effective_from,
            if before.is_some() { "update" } else { "create" },
            before.map(|b| serde_json::json!(b.fees)).as_ref(),
            Some(&serde_json::json!(fees)),
        )?;
        Ok(id)
    })
}

/// The rule set in force in `month` as a shareable document (the scenario
/// format without children), for another campus to import.
pub fn export_document(conn: &Connection, month: YearMonth, source: &str) -> Result<String> {
    let v = rules_for(conn, month)?.ok_or_else(|| Error::not_found("收费规则", month.label()))?;
    let doc = serde_json::json!({ "source": source, "month": month.to_string(), "fees": v.fees });
    serde_json::to_string_pretty(&doc).map_err(|e| Error::invalid(format!("无法导出:{e}")))
}

/// Reads the fee items of a shared document (or of any scenario file).
pub fn parse_document(text: &str) -> Result<Vec<FeeItem>> {
    let doc = ScenarioDocument::parse(text, "规则文件")?;
    validate_fee_items(&doc.fees)?;
    Ok(doc.fees)
}
