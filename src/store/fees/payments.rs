//! `payments`: 收款、退款 and 冲销, one row each, never edited.

use chrono::NaiveDate;

use super::super::{Conn, Row, Tx};
use crate::payments::receipt::ReceiptNo;
use crate::payments::{PayMethod, Payment, PaymentId, PaymentKind};
use crate::school::ChildId;
use crate::{args, Fen, Result};

/// The select list of an entry, with what `rest` adds (a literal), as one literal.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT p.id, p.child_id, c.name, c.student_no, p.kind, p.paid_on, p.amount_fen, p.method,
               p.note, p.reverses, (SELECT r.id FROM payments r WHERE r.reverses = p.id), p.recorded_at, p.recorded_by,
               rc.year, rc.seq, rc.print_count
             FROM payments p JOIN children c ON c.id = p.child_id LEFT JOIN receipts rc ON rc.payment_id = p.id",
            $rest
        )
    };
}

fn read(r: &Row) -> Result<Payment> {
    Ok(Payment {
        id: r.get(0)?,
        child_id: r.get(1)?,
        child: r.get(2)?,
        student_no: r.get(3)?,
        kind: r.get(4)?,
        paid_on: r.get(5)?,
        amount: r.get(6)?,
        method: r.get::<PayMethod>(7)?,
        note: r.get(8)?,
        reverses: r.get(9)?,
        reversed_by: r.get(10)?,
        recorded_at: r.get(11)?,
        recorded_by: r.get(12)?,
        receipt: match (r.get::<Option<i32>>(13)?, r.get::<Option<i64>>(14)?) {
            (Some(year), Some(seq)) => Some(ReceiptNo { year, seq }),
            _ => None,
        },
        receipt_prints: r.get::<Option<u32>>(15)?.unwrap_or(0),
    })
}

/// What a new row holds (the amount signed as it moves the family's balance).
pub struct NewPayment<'a> {
    pub child_id: ChildId,
    pub kind: PaymentKind,
    pub paid_on: NaiveDate,
    pub amount: Fen,
    pub method: PayMethod,
    pub note: &'a str,
    pub reverses: Option<PaymentId>,
}

pub fn insert(tx: &Tx, p: &NewPayment) -> Result<PaymentId> {
    tx.insert(
        "INSERT INTO payments (child_id, kind, paid_on, amount_fen, method, note, reverses, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        &args![
            p.child_id,
            p.kind,
            p.paid_on,
            p.amount,
            p.method,
            p.note,
            p.reverses,
            crate::dates::now(),
            tx.operator()
        ],
    )
    .map(PaymentId)
}

pub fn get(conn: &Conn, id: PaymentId) -> Result<Option<Payment>> {
    conn.row_opt(select!(" WHERE p.id = ?1"), &args![id], read)
}

/// Entries by date (then as entered), optionally of one child and a date range.
pub fn list(
    conn: &Conn,
    child: Option<ChildId>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Payment>> {
    conn.rows(
        select!(
            " WHERE (CAST(?1 AS BIGINT) IS NULL OR p.child_id = ?1) AND (CAST(?2 AS DATE) IS NULL OR p.paid_on >= ?2)
               AND (CAST(?3 AS DATE) IS NULL OR p.paid_on <= ?3)
             ORDER BY p.paid_on, p.id"
        ),
        &args![child, from, to],
        read,
    )
}

/// Every entry's amount (optionally of one child, dated up to `through`),
/// summed by the caller with checked arithmetic: a file may hold an amount
/// from before amounts were bounded, and a database's SUM would refuse it.
pub fn amounts(conn: &Conn, child: Option<ChildId>, through: Option<NaiveDate>) -> Result<Vec<(ChildId, Fen)>> {
    conn.rows(
        "SELECT child_id, amount_fen FROM payments
         WHERE (CAST(?1 AS BIGINT) IS NULL OR child_id = ?1) AND (CAST(?2 AS DATE) IS NULL OR paid_on <= ?2)",
        &args![child, through],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}
