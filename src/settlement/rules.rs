//! Effective-dated rule sets: a school's fee items, in force from a month until
//! the next version. A settled month keeps the rules it was settled with (they
//! are copied into the settlement), and a new version may only start after the
//! last closed month.

use serde::Serialize;

use crate::dates::YearMonth;
use crate::db::{Db, Tx};
use crate::refund::{validate_fee_items, FeeItem, ScenarioDocument};
use crate::store::{self, Conn};
use crate::{Error, Result};

/// One saved rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleVersion {
    pub id: i64,
    pub effective_from: YearMonth,
    pub fees: Vec<FeeItem>,
    pub note: String,
    pub saved_at: String,
    pub saved_by: String,
}

/// All versions, oldest first.
pub fn versions(conn: &Conn) -> Result<Vec<RuleVersion>> {
    store::fees::rules::versions(conn)
}

/// The version in force in `month`, if any.
pub fn rules_for(conn: &Conn, month: YearMonth) -> Result<Option<RuleVersion>> {
    store::fees::rules::in_force(conn, month)
}

/// The latest closed month, if any.
pub fn last_closed_month(conn: &Conn) -> Result<Option<YearMonth>> {
    store::fees::settlements::last_closed_month(conn)
}

/// Saves a rule set in force from `effective_from`. Refused for a month already
/// closed (or before one): settled months keep their rules.
pub fn save_rules(db: &mut Db, effective_from: YearMonth, fees: &[FeeItem], note: &str) -> Result<i64> {
    db.write(crate::auth::Job::Fees, |tx| save_rules_in_tx(tx, effective_from, fees, note))
}

/// [`save_rules`] inside an open transaction (the demo saves its rules this way).
pub fn save_rules_in_tx(tx: &Tx, effective_from: YearMonth, fees: &[FeeItem], note: &str) -> Result<i64> {
    if fees.is_empty() {
        return Err(Error::invalid("至少需要一个收费项目"));
    }
    validate_fee_items(fees)?;
    crate::text::Field::note("说明").max(200).check(note).map_err(Error::Invalid)?;
    if let Some(closed) = last_closed_month(tx)? {
        if effective_from <= closed {
            return Err(Error::conflict(format!(
                "{} 已结账,已结账月份沿用结账时的规则;新规则最早从 {} 起生效",
                closed.label(),
                closed.next().label()
            )));
        }
    }
    let json = serde_json::to_string(fees).map_err(|e| Error::invalid(format!("费用规则无法保存:{e}")))?;
    let before = versions(tx)?.into_iter().find(|v| v.effective_from == effective_from);
    let id = store::fees::rules::put(tx, effective_from, &json, note.trim())?;
    tx.audit(
        "fee_rules",
        effective_from,
        if before.is_some() { "update" } else { "create" },
        before.map(|b| serde_json::json!(b.fees)).as_ref(),
        Some(&serde_json::json!(fees)),
    )?;
    Ok(id)
}

/// The rule set in force in `month` as a shareable document (the scenario
/// format without children), for another campus to import.
pub fn export_document(conn: &Conn, month: YearMonth, source: &str) -> Result<String> {
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
