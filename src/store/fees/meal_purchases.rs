//! `meal_purchases` and their `meal_purchase_lines`: the meal account's food
//! deliveries (进货) with their inspection record, written together.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::super::{Conn, Row, Tx};
use crate::dates::YearMonth;
use crate::meal_account::purchases::{quantity_text, Purchase, PurchaseId, PurchaseLine};
use crate::{args, Fen, Result};

/// A delivery's own fields, checked and trimmed.
pub struct NewPurchase<'a> {
    pub date: NaiveDate,
    pub supplier: &'a str,
    pub receiver: &'a str,
    pub certificate: &'a str,
    pub note: &'a str,
}

/// One item of a delivery, checked and trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLine {
    pub item: String,
    pub category: String,
    pub quantity_milli: i64,
    pub unit: String,
    pub amount: Fen,
    pub batch: String,
    pub shelf_life: String,
}

/// A new delivery saved now by the transaction's operator, with its items.
pub fn insert(tx: &Tx, p: &NewPurchase, lines: &[NewLine]) -> Result<PurchaseId> {
    let id = PurchaseId(tx.insert(
        "INSERT INTO meal_purchases (date, supplier, receiver, certificate, note, saved_at, saved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &args![p.date, p.supplier, p.receiver, p.certificate, p.note, crate::dates::now(), tx.operator()],
    )?);
    insert_lines(tx, id, lines)?;
    Ok(id)
}

/// New fields and items for delivery `id` (its old items are replaced).
pub fn update(tx: &Tx, id: PurchaseId, p: &NewPurchase, lines: &[NewLine]) -> Result<()> {
    tx.exec(
        "UPDATE meal_purchases SET date = ?1, supplier = ?2, receiver = ?3, certificate = ?4, note = ?5,
           saved_at = ?6, saved_by = ?7 WHERE id = ?8",
        &args![p.date, p.supplier, p.receiver, p.certificate, p.note, crate::dates::now(), tx.operator(), id],
    )?;
    tx.exec("DELETE FROM meal_purchase_lines WHERE purchase_id = ?1", &args![id])?;
    insert_lines(tx, id, lines)
}

fn insert_lines(tx: &Tx, id: PurchaseId, lines: &[NewLine]) -> Result<()> {
    let mut values = Vec::with_capacity(lines.len() * 9);
    for (i, l) in lines.iter().enumerate() {
        values.extend(args![id, i + 1, l.item, l.category, l.quantity_milli, l.unit, l.amount, l.batch, l.shelf_life]);
    }
    super::insert_rows(
        tx,
        "INSERT INTO meal_purchase_lines
           (purchase_id, line_no, item, category, quantity_milli, unit, amount_fen, batch, shelf_life) VALUES",
        9,
        &values,
    )
}

/// Deletes delivery `id` with its items.
pub fn delete(tx: &Tx, id: PurchaseId) -> Result<()> {
    tx.exec("DELETE FROM meal_purchases WHERE id = ?1", &args![id])?;
    Ok(())
}

const HEADER: &str = "SELECT id, date, supplier, receiver, certificate, note, saved_at, saved_by FROM meal_purchases";

fn read_header(r: &Row) -> Result<Purchase> {
    Ok(Purchase {
        id: r.get(0)?,
        date: r.get(1)?,
        supplier: r.get(2)?,
        receiver: r.get(3)?,
        certificate: r.get(4)?,
        note: r.get(5)?,
        saved_at: r.get(6)?,
        saved_by: r.get(7)?,
        lines: Vec::new(),
        total: Fen::ZERO,
    })
}

const LINE: &str = "SELECT l.purchase_id, l.line_no, l.item, l.category, l.quantity_milli, l.unit, l.amount_fen,
       l.batch, l.shelf_life FROM meal_purchase_lines l";

fn read_line(r: &Row) -> Result<(PurchaseId, PurchaseLine)> {
    let milli: i64 = r.get(4)?;
    Ok((
        r.get(0)?,
        PurchaseLine {
            line_no: r.get(1)?,
            item: r.get(2)?,
            category: r.get(3)?,
            quantity: quantity_text(milli),
            quantity_milli: milli,
            unit: r.get(5)?,
            amount: r.get(6)?,
            batch: r.get(7)?,
            shelf_life: r.get(8)?,
        },
    ))
}

/// Gives each delivery its items (by line number) and their total.
fn with_lines(mut heads: Vec<Purchase>, lines: Vec<(PurchaseId, PurchaseLine)>) -> Result<Vec<Purchase>> {
    let mut by_id: HashMap<PurchaseId, Vec<PurchaseLine>> = HashMap::new();
    for (id, line) in lines {
        by_id.entry(id).or_default().push(line);
    }
    for p in &mut heads {
        let mut lines = by_id.remove(&p.id).unwrap_or_default();
        lines.sort_by_key(|l| l.line_no);
        p.total = crate::money::try_sum(lines.iter().map(|l| l.amount))?;
        p.lines = lines;
    }
    Ok(heads)
}

/// One delivery, if it exists.
pub fn get(conn: &Conn, id: PurchaseId) -> Result<Option<Purchase>> {
    let heads = conn.rows(&format!("{HEADER} WHERE id = ?1"), &args![id], read_header)?;
    if heads.is_empty() {
        return Ok(None);
    }
    let lines = conn.rows(&format!("{LINE} WHERE l.purchase_id = ?1"), &args![id], read_line)?;
    Ok(with_lines(heads, lines)?.pop())
}

/// The deliveries of a month, by date (two queries, whatever their number).
pub fn in_month(conn: &Conn, month: YearMonth) -> Result<Vec<Purchase>> {
    let range = args![month.first_day(), month.last_day()];
    let heads = conn.rows(&format!("{HEADER} WHERE date BETWEEN ?1 AND ?2 ORDER BY date, id"), &range, read_header)?;
    let lines = conn.rows(
        &format!("{LINE} JOIN meal_purchases p ON p.id = l.purchase_id WHERE p.date BETWEEN ?1 AND ?2"),
        &range,
        read_line,
    )?;
    with_lines(heads, lines)
}

/// What a month's deliveries came to per category.
pub fn totals_by_category(conn: &Conn, month: YearMonth) -> Result<Vec<(String, Fen)>> {
    conn.rows(
        "SELECT l.category, SUM(l.amount_fen) FROM meal_purchase_lines l JOIN meal_purchases p ON p.id = l.purchase_id
         WHERE p.date BETWEEN ?1 AND ?2 GROUP BY l.category",
        &args![month.first_day(), month.last_day()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Whether any delivery was ever entered.
pub fn any(conn: &Conn) -> Result<bool> {
    conn.value("SELECT EXISTS (SELECT 1 FROM meal_purchases)", &[])
}
