//! `waivers`: 减免、资助 per child and fee item over a span of months. A row is
//! never deleted; ending one moves its last month (`to_month`).

use super::super::{Conn, Row, Tx};
use crate::dates::YearMonth;
use crate::school::ChildId;
use crate::{args, Fen, Result};

/// One stored waiver, with the child's name and 学号.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub child_id: ChildId,
    pub child_name: String,
    pub student_no: String,
    pub fee_id: String,
    pub kind: String,
    /// Exactly one of `percent` and `amount` is set.
    pub percent: Option<u32>,
    pub amount: Option<Fen>,
    pub from: YearMonth,
    pub to: YearMonth,
    pub approved_by: String,
    pub doc_no: String,
    pub created_at: chrono::NaiveDateTime,
    pub created_by: String,
}

const SELECT: &str = "SELECT w.id, w.child_id, c.name, c.student_no, w.fee_id, w.kind, w.percent, w.amount_fen,
       w.from_month, w.to_month, w.approved_by, w.doc_no, w.created_at, w.created_by
     FROM waivers w JOIN children c ON c.id = w.child_id";

fn read(r: &Row) -> Result<Stored> {
    Ok(Stored {
        id: r.get(0)?,
        child_id: r.get(1)?,
        child_name: r.get(2)?,
        student_no: r.get(3)?,
        fee_id: r.get(4)?,
        kind: r.get(5)?,
        percent: r.get(6)?,
        amount: r.get(7)?,
        from: r.get(8)?,
        to: r.get(9)?,
        approved_by: r.get(10)?,
        doc_no: r.get(11)?,
        created_at: r.get(12)?,
        created_by: r.get(13)?,
    })
}

/// What a new waiver holds.
pub struct NewWaiver<'a> {
    pub child_id: ChildId,
    pub fee_id: &'a str,
    pub kind: &'a str,
    pub percent: Option<u32>,
    pub amount: Option<Fen>,
    pub from: YearMonth,
    pub to: YearMonth,
    pub approved_by: &'a str,
    pub doc_no: &'a str,
}

/// Stores a waiver entered now by the transaction's operator; its id.
pub fn insert(tx: &Tx, w: &NewWaiver) -> Result<i64> {
    tx.insert(
        "INSERT INTO waivers (child_id, fee_id, kind, percent, amount_fen, from_month, to_month, approved_by, doc_no,
           created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        &args![
            w.child_id,
            w.fee_id,
            w.kind,
            w.percent,
            w.amount,
            w.from,
            w.to,
            w.approved_by,
            w.doc_no,
            crate::dates::now(),
            tx.operator()
        ],
    )
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<Stored>> {
    conn.row_opt(&format!("{SELECT} WHERE w.id = ?1"), &args![id], read)
}

/// The waivers of one child (or all), in force on some month of `from..=to`
/// (or any month), by child, fee item and first month.
pub fn list(conn: &Conn, child: Option<ChildId>, from: YearMonth, to: YearMonth) -> Result<Vec<Stored>> {
    match child {
        Some(c) => conn.rows(
            &format!(
                "{SELECT} WHERE w.child_id = ?1 AND w.from_month <= ?3 AND w.to_month >= ?2
                 ORDER BY w.fee_id, w.from_month, w.id"
            ),
            &args![c, from, to],
            read,
        ),
        None => conn.rows(
            &format!(
                "{SELECT} WHERE w.from_month <= ?2 AND w.to_month >= ?1
                 ORDER BY c.student_no, w.fee_id, w.from_month, w.id"
            ),
            &args![from, to],
            read,
        ),
    }
}

/// A waiver of the same child, fee item and kind with a month in `from..=to`,
/// other than `except`: its id.
pub fn overlapping(tx: &Tx, w: &NewWaiver, except: Option<i64>) -> Result<Option<i64>> {
    tx.value(
        "SELECT MIN(id) FROM waivers WHERE child_id = ?1 AND fee_id = ?2 AND kind = ?3
           AND from_month <= ?5 AND to_month >= ?4 AND id <> ?6",
        &args![w.child_id, w.fee_id, w.kind, w.from, w.to, except.unwrap_or(0)],
    )
}

/// Moves the last month of waiver `id`.
pub fn set_last(tx: &Tx, id: i64, last: YearMonth) -> Result<()> {
    tx.exec("UPDATE waivers SET to_month = ?1 WHERE id = ?2", &args![last, id])?;
    Ok(())
}

/// Removes waiver `id` (one entered by mistake; the caller audits it).
pub fn delete(tx: &Tx, id: i64) -> Result<()> {
    tx.exec("DELETE FROM waivers WHERE id = ?1", &args![id])?;
    Ok(())
}

/// What the waivers of each child and fee item came to in the closed months of
/// `from..=to`: (child, fee item id, sum), checked sums.
pub fn settled(conn: &Conn, from: YearMonth, to: YearMonth) -> Result<Vec<(ChildId, String, Fen)>> {
    let mut out: Vec<(ChildId, String, Fen)> = Vec::new();
    conn.each(
        "SELECT i.child_id, i.fee_id, i.waiver_fen FROM settlement_items i
         JOIN settlements s ON s.id = i.settlement_id
         WHERE s.status = 'closed' AND s.month >= ?1 AND s.month <= ?2 AND i.waiver_fen <> 0
         ORDER BY i.child_id, i.fee_id",
        &args![from, to],
        |r| {
            let (child, fee, amount): (ChildId, String, Fen) = (r.get(0)?, r.get(1)?, r.get(2)?);
            match out.last_mut() {
                Some(last) if last.0 == child && last.1 == fee => last.2 = last.2.checked_add(amount)?,
                _ => out.push((child, fee, amount)),
            }
            Ok(())
        },
    )?;
    Ok(out)
}
