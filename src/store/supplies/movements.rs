//! `stock_movements`: the stock journal, one row per line of a document.
//! `qty` is signed (+ in, − out) and `value` is the signed value in fen that
//! [`crate::supplies::cost`] gives it; lines are inserted with their document
//! (see [`super::docs`]) and only their value is ever updated.

use chrono::NaiveDate;

use crate::store::{Conn, Row, Tx};
use crate::supplies::cost::Stock;
use crate::supplies::stock::{JournalFilter, JournalLine, NewLine};
use crate::supplies::{name_with_spec, MoveKind, MovementId, StockDocId, SupplyItemId};
use crate::{args, Fen, Result};

/// The balance of `item` at the end of `date`.
pub fn balance_on(conn: &Conn, item: SupplyItemId, date: NaiveDate) -> Result<i64> {
    conn.value(
        "SELECT COALESCE(SUM(qty), 0) FROM stock_movements WHERE item_id = ?1 AND date <= ?2",
        &args![item, date],
    )
}

/// The balance of `item` after everything entered, whatever its date.
pub fn balance(conn: &Conn, item: SupplyItemId) -> Result<i64> {
    conn.value("SELECT COALESCE(SUM(qty), 0) FROM stock_movements WHERE item_id = ?1", &args![item])
}

/// Whether `item` has any line in the journal.
pub fn exists_for(conn: &Conn, item: SupplyItemId) -> Result<bool> {
    Ok(conn
        .row_opt("SELECT 1 FROM stock_movements WHERE item_id = ?1 LIMIT 1", &args![item], |r| r.get::<i64>(0))?
        .is_some())
}

/// The balance of `item` at the end of `date`, and the first day anything came in.
pub fn balance_and_first_in(conn: &Conn, item: SupplyItemId, date: NaiveDate) -> Result<(i64, Option<NaiveDate>)> {
    conn.row(
        "SELECT COALESCE(SUM(CASE WHEN date <= ?2 THEN qty END), 0), MIN(CASE WHEN qty > 0 THEN date END)
         FROM stock_movements WHERE item_id = ?1",
        &args![item, date],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The net change of `item` on each day after `date` that has one, in date order.
pub fn daily_after(conn: &Conn, item: SupplyItemId, date: NaiveDate) -> Result<Vec<(NaiveDate, i64)>> {
    conn.rows(
        "SELECT date, SUM(qty) FROM stock_movements WHERE item_id = ?1 AND date > ?2 GROUP BY date ORDER BY date",
        &args![item, date],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// A new line of document `doc`, numbered `line_no`, with its value.
pub(crate) fn insert(
    tx: &Tx,
    doc: StockDocId,
    line_no: i64,
    date: NaiveDate,
    l: &NewLine,
    value: i64,
) -> Result<MovementId> {
    tx.insert(
        "INSERT INTO stock_movements (doc_id, line_no, item_id, date, kind, qty, unit_price, value, trade_in, note, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        &args![doc, line_no, l.item, date, l.kind, l.qty, l.unit_price, value, l.trade_in, l.note, l.origin],
    )
    .map(MovementId)
}

/// Quantity and value of `item` from the lines dated before `from`.
pub fn stock_before(conn: &Conn, item: SupplyItemId, from: NaiveDate) -> Result<Stock> {
    conn.row(
        "SELECT COALESCE(SUM(qty), 0), COALESCE(SUM(value), 0) FROM stock_movements WHERE item_id = ?1 AND date < ?2",
        &args![item, from],
        |r| Ok(Stock { qty: r.get(0)?, value: r.get(1)? }),
    )
}

/// What valuing one line needs.
#[derive(Debug, Clone)]
pub struct ValuedLine {
    pub id: MovementId,
    pub date: NaiveDate,
    pub kind: MoveKind,
    pub qty: i64,
    pub unit_price: Option<i64>,
    pub value: i64,
    pub origin: Option<MovementId>,
}

/// The lines of `item` dated `from` or later, in the order they count: by
/// date, ins before outs within a day, then as entered.
pub fn valued_from(conn: &Conn, item: SupplyItemId, from: NaiveDate) -> Result<Vec<ValuedLine>> {
    conn.rows(
        "SELECT id, date, kind, qty, unit_price, value, origin FROM stock_movements
         WHERE item_id = ?1 AND date >= ?2 ORDER BY date, qty < 0, id",
        &args![item, from],
        |r| {
            Ok(ValuedLine {
                id: r.get(0)?,
                date: r.get(1)?,
                kind: r.get(2)?,
                qty: r.get(3)?,
                unit_price: r.get(4)?,
                value: r.get(5)?,
                origin: r.get(6)?,
            })
        },
    )
}

/// The stored value of one line.
pub fn value_of(conn: &Conn, id: MovementId) -> Result<i64> {
    conn.value("SELECT value FROM stock_movements WHERE id = ?1", &args![id])
}

/// The unit price of the last receipt of `item` dated on or before `on`.
pub fn last_receipt_price(conn: &Conn, item: SupplyItemId, on: NaiveDate) -> Result<Option<i64>> {
    Ok(conn
        .row_opt(
            "SELECT unit_price FROM stock_movements WHERE item_id = ?1 AND kind = 'receipt' AND date <= ?2
             ORDER BY date DESC, id DESC LIMIT 1",
            &args![item, on],
            |r| r.get::<Option<i64>>(0),
        )?
        .flatten())
}

pub fn set_value(tx: &Tx, id: MovementId, value: i64) -> Result<()> {
    tx.exec("UPDATE stock_movements SET value = ?1 WHERE id = ?2", &args![value, id])?;
    Ok(())
}

/// Quantity and value on hand of every item that has lines (one pass over
/// the covering index; 50,000 lines sum in a few ms).
pub fn stock_per_item(conn: &Conn) -> Result<Vec<(SupplyItemId, Stock)>> {
    conn.rows("SELECT item_id, SUM(qty), SUM(value) FROM stock_movements GROUP BY item_id", &[], |r| {
        Ok((r.get(0)?, Stock { qty: r.get(1)?, value: r.get(2)? }))
    })
}

fn read_journal_line(r: &Row) -> Result<JournalLine> {
    let kind: MoveKind = r.get(4)?;
    let qty: i64 = r.get(9)?;
    let name: String = r.get(6)?;
    let spec: String = r.get(7)?;
    Ok(JournalLine {
        id: r.get(0)?,
        date: r.get(1)?,
        doc_id: r.get(2)?,
        number: r.get(3)?,
        kind,
        kind_label: kind.label(qty).into(),
        item_id: r.get(5)?,
        item: name_with_spec(name, &spec),
        unit: r.get(8)?,
        qty_in: qty.max(0),
        qty_out: (-qty).max(0),
        unit_price: r.get::<Option<i64>>(10)?.map(Fen),
        value: r.get(11)?,
        party: r.get(12)?,
        requester: r.get(13)?,
        trade_in: r.get(14)?,
        note: r.get(15)?,
        created_by: r.get(16)?,
        created_at: r.get(17)?,
        reversed: r.get(18)?,
        balance_after: None,
    })
}

/// Journal lines, newest first (outs before ins within a day, the order they
/// count in read backwards); `balance_after` is left for the caller.
pub fn journal(conn: &Conn, f: &JournalFilter) -> Result<Vec<JournalLine>> {
    conn.rows(
        "SELECT m.id, m.date, m.doc_id, d.number, m.kind, m.item_id, i.name, i.spec, i.unit, m.qty, m.unit_price,
                m.value, CASE WHEN d.kind = 'receipt' THEN d.supplier ELSE d.department END, d.requester, m.trade_in,
                CASE WHEN m.note <> '' THEN m.note ELSE d.note END, d.created_by, d.created_at,
                EXISTS (SELECT 1 FROM stock_movements r WHERE r.origin = m.id AND r.kind = 'reversal')
         FROM stock_movements m JOIN stock_docs d ON d.id = m.doc_id JOIN supply_items i ON i.id = m.item_id
         WHERE (CAST(?1 AS BIGINT) IS NULL OR m.item_id = ?1) AND (CAST(?2 AS DATE) IS NULL OR m.date >= ?2)
           AND (CAST(?3 AS DATE) IS NULL OR m.date <= ?3) AND (CAST(?4 AS TEXT) IS NULL OR d.department = ?4)
         ORDER BY m.date DESC, m.qty < 0 DESC, m.id DESC LIMIT ?5",
        &args![f.item_id, f.from, f.to, f.department, f.limit.unwrap_or(500)],
        read_journal_line,
    )
}

/// The balance of `item` after line `id` (dated `date`, going out if `out`),
/// counting the lines of that day in journal order: ins, then outs, each as entered.
pub fn balance_after_line(conn: &Conn, item: SupplyItemId, date: NaiveDate, out: bool, id: MovementId) -> Result<i64> {
    conn.value(
        "SELECT COALESCE(SUM(qty), 0) FROM stock_movements WHERE item_id = ?1
         AND (date < ?2 OR (date = ?2 AND ((qty < 0) < ?3 OR ((qty < 0) = ?3 AND id <= ?4))))",
        &args![item, date, out, id],
    )
}
