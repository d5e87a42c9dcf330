//! `notice_issues`: the fee notices issued, their numbers, reprints and replacements.

use chrono::NaiveDateTime;

use super::super::{Conn, Tx};
use crate::dates::YearMonth;
use crate::school::ChildId;
use crate::{args, Fen, Result};

/// The period amount (total without the previous balance it carried) of every
/// current notice, optionally of one child and of settled months before
/// `before`; summed by the caller with checked arithmetic.
pub fn period_amounts(conn: &Conn, child: Option<ChildId>, before: Option<YearMonth>) -> Result<Vec<(ChildId, Fen)>> {
    conn.rows(
        "SELECT child_id, total_fen - balance_fen FROM notice_issues
         WHERE replaced_by IS NULL AND (CAST(?1 AS BIGINT) IS NULL OR child_id = ?1)
           AND (CAST(?2 AS TEXT) IS NULL OR month < ?2)",
        &args![child, before],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// (child, total due) of the current notices of settled month `month`, by child.
pub fn totals(conn: &Conn, month: YearMonth) -> Result<Vec<(ChildId, Fen)>> {
    conn.rows(
        "SELECT child_id, total_fen FROM notice_issues WHERE month = ?1 AND replaced_by IS NULL ORDER BY child_id",
        &args![month],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The current (not replaced) record of a child's notice of a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub id: i64,
    pub child_id: ChildId,
    pub number: String,
    pub settlement_id: i64,
    /// The money table as printed (JSON).
    pub rows_json: String,
    pub print_count: u32,
    pub issued_at: String,
    pub issued_by: String,
}

/// The current notices of settled month `month`.
pub fn current(conn: &Conn, month: YearMonth) -> Result<Vec<Current>> {
    conn.rows(
        "SELECT id, child_id, number, settlement_id, rows_json, print_count, issued_at, issued_by
         FROM notice_issues WHERE month = ?1 AND replaced_by IS NULL",
        &args![month],
        |r| {
            Ok(Current {
                id: r.get(0)?,
                child_id: r.get(1)?,
                number: r.get(2)?,
                settlement_id: r.get(3)?,
                rows_json: r.get(4)?,
                print_count: r.get(5)?,
                issued_at: r.get(6)?,
                issued_by: r.get(7)?,
            })
        },
    )
}

/// How many notices of `month` were ever issued (replaced ones too): the
/// numbers already taken.
pub fn count_of_month(conn: &Conn, month: YearMonth) -> Result<i64> {
    conn.value("SELECT COUNT(*) FROM notice_issues WHERE month = ?1", &args![month])
}

/// For every closed month up to `month`: each child its confirmed settlement
/// covers, and whether any notice of that month was ever printed for them —
/// what tells a month whose notices were never handed out.
pub fn printed_in_closed_months_up_to(conn: &Conn, month: YearMonth) -> Result<Vec<(YearMonth, ChildId, bool)>> {
    conn.rows(
        "SELECT DISTINCT s.month, si.child_id,
           CASE WHEN EXISTS (SELECT 1 FROM notice_issues n WHERE n.month = s.month AND n.child_id = si.child_id)
                THEN 1 ELSE 0 END
         FROM settlements s JOIN settlement_items si ON si.settlement_id = s.id
         WHERE s.status = 'closed' AND s.month <= ?1
         ORDER BY s.month, si.child_id",
        &args![month],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<i64>(2)? != 0)),
    )
}

/// One more print of notice `id`, at `at` by the transaction's operator.
pub fn reprinted(tx: &Tx, id: i64, at: NaiveDateTime) -> Result<()> {
    tx.exec(
        "UPDATE notice_issues SET print_count = print_count + 1, last_printed_at = ?1, last_printed_by = ?2
         WHERE id = ?3",
        &args![at, tx.operator(), id],
    )?;
    Ok(())
}

/// What a new notice record holds.
pub struct NewIssue<'a> {
    pub child_id: ChildId,
    pub month: YearMonth,
    pub settlement_id: i64,
    pub number: &'a str,
    pub total: Fen,
    pub rows_json: &'a str,
    /// The previous balance the notice carried.
    pub balance: Fen,
}

/// Records a notice first printed at `at` by the transaction's operator; when
/// it replaces notice `replaces`, that one points at it afterwards. Its id.
pub fn issue(tx: &Tx, n: &NewIssue, at: NaiveDateTime, replaces: Option<i64>) -> Result<i64> {
    if let Some(old) = replaces {
        // The old row leaves the "current" index first (pointing at itself
        // for a moment), so the new one can take its place.
        tx.exec("UPDATE notice_issues SET replaced_by = id WHERE id = ?1", &args![old])?;
    }
    let id = tx.insert(
        "INSERT INTO notice_issues (child_id, month, settlement_id, number, total_fen, rows_json, issued_at,
           issued_by, print_count, last_printed_at, last_printed_by, balance_fen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?7, ?8, ?9) RETURNING id",
        &args![n.child_id, n.month, n.settlement_id, n.number, n.total, n.rows_json, at, tx.operator(), n.balance],
    )?;
    if let Some(old) = replaces {
        tx.exec("UPDATE notice_issues SET replaced_by = ?1 WHERE id = ?2", &args![id, old])?;
    }
    Ok(id)
}

/// The child's newest notice first printed up to `at`: (settled month,
/// number, money table as printed) — the paper the family had in hand when
/// they paid (a notice replaced later still was that paper).
pub fn latest_issued_up_to(
    conn: &Conn,
    child: ChildId,
    at: NaiveDateTime,
) -> Result<Option<(YearMonth, String, String)>> {
    conn.row_opt(
        "SELECT month, number, rows_json FROM notice_issues
         WHERE child_id = ?1 AND issued_at <= ?2
         ORDER BY month DESC, issued_at DESC, id DESC LIMIT 1",
        &args![child, at],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
