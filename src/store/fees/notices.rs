//! `notice_issues`: the fee notices issued, their numbers, reprints and replacements.

use super::super::Conn;
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
