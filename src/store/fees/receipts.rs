//! `receipts`: the receipt (收据) of each 收款 — its number in the year's
//! book and how often it was printed.

use chrono::{NaiveDate, NaiveDateTime};

use super::super::{Conn, Row, Tx};
use crate::payments::receipt::{ReceiptNo, ReceiptState};
use crate::payments::PaymentId;
use crate::{args, Result};

/// The next free number of `year`'s book: the books run 1, 2, 3 … per year
/// (the write transaction holds the school's lock, so no one else takes it).
pub fn next_seq(tx: &Tx, year: i32) -> Result<i64> {
    tx.value("SELECT COALESCE(MAX(seq), 0) + 1 FROM receipts WHERE year = ?1", &args![year])
}

pub fn insert(tx: &Tx, payment: PaymentId, number: ReceiptNo) -> Result<()> {
    tx.exec(
        "INSERT INTO receipts (payment_id, year, seq) VALUES (?1, ?2, ?3)",
        &args![payment, number.year, number.seq],
    )?;
    Ok(())
}

fn read(r: &Row) -> Result<ReceiptState> {
    Ok(ReceiptState {
        payment_id: r.get(0)?,
        number: ReceiptNo { year: r.get(1)?, seq: r.get(2)? },
        print_count: r.get(3)?,
        first_printed_at: r.get(4)?,
        first_printed_by: r.get(5)?,
    })
}

const SELECT: &str = "SELECT payment_id, year, seq, print_count, first_printed_at, first_printed_by FROM receipts";

pub fn of_payment(conn: &Conn, payment: PaymentId) -> Result<Option<ReceiptState>> {
    conn.row_opt(&format!("{SELECT} WHERE payment_id = ?1"), &args![payment], read)
}

pub fn by_number(conn: &Conn, number: ReceiptNo) -> Result<Option<ReceiptState>> {
    conn.row_opt(&format!("{SELECT} WHERE year = ?1 AND seq = ?2"), &args![number.year, number.seq], read)
}

/// The receipts of the payments dated `from`..=`to`, in the book's order.
pub fn dated(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<ReceiptState>> {
    conn.rows(
        "SELECT r.payment_id, r.year, r.seq, r.print_count, r.first_printed_at, r.first_printed_by
         FROM receipts r JOIN payments p ON p.id = r.payment_id
         WHERE p.paid_on >= ?1 AND p.paid_on <= ?2 ORDER BY r.year, r.seq",
        &args![from, to],
        read,
    )
}

/// Receipts never printed of payments dated `from`..=`to` and not cancelled
/// by a 冲销 (a voided receipt need not reach the family), in the book's order.
pub fn unprinted(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<ReceiptState>> {
    conn.rows(
        "SELECT r.payment_id, r.year, r.seq, r.print_count, r.first_printed_at, r.first_printed_by
         FROM receipts r JOIN payments p ON p.id = r.payment_id
         WHERE r.print_count = 0 AND p.paid_on >= ?1 AND p.paid_on <= ?2
           AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.reverses = p.id)
         ORDER BY r.year, r.seq",
        &args![from, to],
        read,
    )
}

/// One more print of the receipt of `payment`, at `at` by the transaction's
/// operator (the first print is kept as it was).
pub fn printed(tx: &Tx, payment: PaymentId, at: NaiveDateTime) -> Result<()> {
    tx.exec(
        "UPDATE receipts SET print_count = print_count + 1,
           first_printed_at = COALESCE(first_printed_at, ?1), first_printed_by = COALESCE(first_printed_by, ?2),
           last_printed_at = ?1, last_printed_by = ?2
         WHERE payment_id = ?3",
        &args![at, tx.operator(), payment],
    )?;
    Ok(())
}
