//! `fee_rule_versions`: a school's whole set of fee items, in force from a
//! month (YYYY-MM) until the next version.

use super::super::{Conn, Row, StoreError, Tx};
use crate::dates::YearMonth;
use crate::refund::FeeItem;
use crate::settlement::rules::RuleVersion;
use crate::{args, Result};

const COLUMNS: &str = "id, effective_from, rules_json, note, saved_at, saved_by";

fn read(r: &Row) -> Result<RuleVersion> {
    let json: String = r.get(2)?;
    let fees: Vec<FeeItem> =
        serde_json::from_str(&json).map_err(|e| StoreError::decode(format!("收费规则无法读取:{e}")))?;
    Ok(RuleVersion {
        id: r.get(0)?,
        effective_from: r.get(1)?,
        fees,
        note: r.get(3)?,
        saved_at: r.get(4)?,
        saved_by: r.get(5)?,
    })
}

/// All versions, oldest first.
pub fn versions(conn: &Conn) -> Result<Vec<RuleVersion>> {
    conn.rows(&format!("SELECT {COLUMNS} FROM fee_rule_versions ORDER BY effective_from"), &[], read)
}

/// The version in force in `month`, if any.
pub fn in_force(conn: &Conn, month: YearMonth) -> Result<Option<RuleVersion>> {
    conn.row_opt(
        &format!(
            "SELECT {COLUMNS} FROM fee_rule_versions WHERE effective_from <= ?1 ORDER BY effective_from DESC LIMIT 1"
        ),
        &args![month],
        read,
    )
}

/// The month of the first version, if any.
pub fn first_month(conn: &Conn) -> Result<Option<YearMonth>> {
    conn.value("SELECT MIN(effective_from) FROM fee_rule_versions", &[])
}

/// Saves the version starting `effective_from` (replacing one that starts
/// the same month); returns its id.
pub fn put(tx: &Tx, effective_from: YearMonth, rules_json: &str, note: &str) -> Result<i64> {
    tx.insert(
        "INSERT INTO fee_rule_versions (effective_from, rules_json, note, saved_at, saved_by)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (effective_from) DO UPDATE SET rules_json = excluded.rules_json, note = excluded.note,
           saved_at = excluded.saved_at, saved_by = excluded.saved_by
         RETURNING id",
        &args![effective_from, rules_json, note, crate::dates::now(), tx.operator()],
    )
}
