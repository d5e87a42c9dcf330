//! `settlements` (月结) with the rows written with each: `settlement_items`
//! (charged and refunded per child and fee item) and `settlement_inputs` (per
//! child, a digest of what its money depended on). A row is never changed
//! except to mark it reopened; confirming again adds a new revision.
//!
//! Reads for many months or children are one query for the set (a preview
//! settles a year of closed months again): never one per child.

use std::collections::HashMap;

use super::super::{Conn, Dialect, Row, Tx};
use crate::dates::YearMonth;
use crate::school::ChildId;
use crate::{args, Fen, Result};

/// A closed (confirmed) settlement, without its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub id: i64,
    pub month: YearMonth,
    pub revision: i64,
    /// The fee items it was settled with (JSON, read by the settlement module).
    pub rules_json: String,
    pub confirmed_at: String,
    pub confirmed_by: String,
}

const CLOSED_COLUMNS: &str = "id, month, revision, rules_json, confirmed_at, confirmed_by";

fn read_closed(r: &Row) -> Result<Closed> {
    Ok(Closed {
        id: r.get(0)?,
        month: r.get(1)?,
        revision: r.get(2)?,
        rules_json: r.get(3)?,
        confirmed_at: r.get(4)?,
        confirmed_by: r.get(5)?,
    })
}

/// The latest closed month, if any.
pub fn last_closed_month(conn: &Conn) -> Result<Option<YearMonth>> {
    conn.value("SELECT MAX(month) FROM settlements WHERE status = 'closed'", &[])
}

/// The closed settlement of `month`, if it is closed.
pub fn closed(conn: &Conn, month: YearMonth) -> Result<Option<Closed>> {
    conn.row_opt(
        &format!("SELECT {CLOSED_COLUMNS} FROM settlements WHERE month = ?1 AND status = 'closed'"),
        &args![month],
        read_closed,
    )
}

/// The closed settlements of the months before `month`, oldest first.
pub fn closed_before(conn: &Conn, month: YearMonth) -> Result<Vec<Closed>> {
    conn.rows(
        &format!("SELECT {CLOSED_COLUMNS} FROM settlements WHERE status = 'closed' AND month < ?1 ORDER BY month"),
        &args![month],
        read_closed,
    )
}

/// The closed months, newest first.
pub fn closed_months(conn: &Conn) -> Result<Vec<YearMonth>> {
    conn.rows("SELECT DISTINCT month FROM settlements WHERE status = 'closed' ORDER BY month DESC", &[], |r| r.get(0))
}

/// The stored result (JSON) of a settlement.
pub fn result_json(conn: &Conn, id: i64) -> Result<String> {
    conn.value("SELECT result_json FROM settlements WHERE id = ?1", &args![id])
}

/// The revision (第 N 版) a new confirmation of `month` gets.
pub fn next_revision(conn: &Conn, month: YearMonth) -> Result<i64> {
    conn.value("SELECT COALESCE(MAX(revision), 0) + 1 FROM settlements WHERE month = ?1", &args![month])
}

/// What a confirmation stores besides its items.
pub struct NewSettlement<'a> {
    pub month: YearMonth,
    pub revision: i64,
    pub rules_json: &'a str,
    pub result_json: &'a str,
    pub charged: Fen,
    pub refund: Fen,
    pub adjustment: Fen,
}

/// A closed settlement, confirmed now by the transaction's operator; its id.
pub fn insert(tx: &Tx, s: &NewSettlement) -> Result<i64> {
    tx.insert(
        "INSERT INTO settlements (month, revision, status, rules_json, result_json, charged_fen, refund_fen,
           adjustment_fen, confirmed_at, confirmed_by) VALUES (?1, ?2, 'closed', ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         RETURNING id",
        &args![
            s.month,
            s.revision,
            s.rules_json,
            s.result_json,
            s.charged,
            s.refund,
            s.adjustment,
            crate::dates::now(),
            tx.operator()
        ],
    )
}

/// One child's charge and refund of one fee item.
pub struct Item<'a> {
    pub child_id: ChildId,
    pub fee_id: &'a str,
    pub fee_name: &'a str,
    pub charged: Fen,
    pub refund: Fen,
    /// What the waivers in force came to (减免、资助).
    pub waiver: Fen,
}

/// The items of settlement `id`.
pub fn insert_items(tx: &Tx, id: i64, items: &[Item]) -> Result<()> {
    let mut values = Vec::with_capacity(items.len() * 7);
    for i in items {
        values.extend(args![id, i.child_id, i.fee_id, i.fee_name, i.charged, i.refund, i.waiver]);
    }
    super::insert_rows(
        tx,
        "INSERT INTO settlement_items (settlement_id, child_id, fee_id, fee_name, charged_fen, refund_fen, waiver_fen)
         VALUES",
        7,
        &values,
    )
}

/// The input digests of settlement `id`: (child, digest).
pub fn insert_inputs(tx: &Tx, id: i64, digests: &[(ChildId, i64)]) -> Result<()> {
    let mut values = Vec::with_capacity(digests.len() * 3);
    for (child, digest) in digests {
        values.extend(args![id, child, digest]);
    }
    super::insert_rows(tx, "INSERT INTO settlement_inputs (settlement_id, child_id, digest) VALUES", 3, &values)
}

/// Marks settlement `id` reopened now by the transaction's operator.
pub fn reopen(tx: &Tx, id: i64, reason: &str) -> Result<()> {
    tx.exec(
        "UPDATE settlements SET status = 'reopened', reopened_at = ?1, reopened_by = ?2, reopen_reason = ?3
         WHERE id = ?4",
        &args![crate::dates::now(), tx.operator(), reason, id],
    )?;
    Ok(())
}

/// The input digests of the closed settlements of `from..=to`, by settlement
/// id and child (none for months confirmed before digests were kept).
pub fn digests(conn: &Conn, from: YearMonth, to: YearMonth) -> Result<HashMap<i64, HashMap<ChildId, i64>>> {
    let mut out: HashMap<i64, HashMap<ChildId, i64>> = HashMap::new();
    conn.each(
        "SELECT i.settlement_id, i.child_id, i.digest FROM settlement_inputs i
         JOIN settlements s ON s.id = i.settlement_id
         WHERE s.status = 'closed' AND s.month >= ?1 AND s.month <= ?2",
        &args![from, to],
        |r| {
            out.entry(r.get(0)?).or_default().insert(r.get(1)?, r.get(2)?);
            Ok(())
        },
    )?;
    Ok(out)
}

// The children are passed as one JSON array (`[3,17,42]`) that each backend
// unpacks itself: one statement text whatever their number, one round trip.
const ITEMS_OF_SQLITE: &str = "SELECT i.settlement_id, i.child_id, i.fee_id, i.charged_fen, i.refund_fen, i.waiver_fen
     FROM settlement_items i JOIN settlements s ON s.id = i.settlement_id
     WHERE s.status = 'closed' AND s.month >= ?1 AND s.month <= ?2
       AND i.child_id IN (SELECT value FROM json_each(?3))";
const ITEMS_OF_POSTGRES: &str =
    "SELECT i.settlement_id, i.child_id, i.fee_id, i.charged_fen, i.refund_fen, i.waiver_fen
     FROM settlement_items i JOIN settlements s ON s.id = i.settlement_id
     WHERE s.status = 'closed' AND s.month >= ?1 AND s.month <= ?2
       AND i.child_id IN (SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(CAST(?3 AS TEXT) AS json)))";

/// (settlement id, child, fee item id): the key of a settlement item.
pub type ItemKey = (i64, ChildId, String);

/// (charged, refunded, waived) per settlement, child and fee item in the closed
/// settlements of `from..=to`, for some children only.
pub fn items_of(
    conn: &Conn,
    from: YearMonth,
    to: YearMonth,
    children: &[ChildId],
) -> Result<HashMap<ItemKey, (Fen, Fen, Fen)>> {
    let mut out = HashMap::new();
    if children.is_empty() {
        return Ok(out);
    }
    let ids: Vec<i64> = children.iter().map(|c| c.0).collect();
    let list = serde_json::Value::from(ids).to_string();
    let sql = match conn.dialect() {
        Dialect::Sqlite => ITEMS_OF_SQLITE,
        Dialect::Postgres => ITEMS_OF_POSTGRES,
    };
    conn.each(sql, &args![from, to, list], |r| {
        out.insert((r.get(0)?, r.get(1)?, r.get(2)?), (r.get(3)?, r.get(4)?, r.get(5)?));
        Ok(())
    })?;
    Ok(out)
}
