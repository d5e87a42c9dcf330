//! `supply_deposits`: items lent against a deposit (押金领用), from the loan
//! (its 押金借出 document) until the item is returned or written off.

use chrono::NaiveDate;

use crate::store::{Conn, Row, Tx};
use crate::supplies::deposits::Deposit;
use crate::supplies::{name_with_spec, DepositId, MovementId, StockDocId, SupplyItemId};
use crate::{args, Fen, Result};

macro_rules! select {
    () => {
        "SELECT d.id, d.item_id, i.name, i.spec, i.unit, d.qty, d.borrower, ld.department, d.lent_on, d.deposit,
                ld.number, d.closed_on, d.item_returned, d.refunded,
                (SELECT number FROM stock_docs r WHERE r.id = d.return_doc), d.close_note, ld.note
         FROM supply_deposits d JOIN supply_items i ON i.id = d.item_id JOIN stock_docs ld ON ld.id = d.lend_doc"
    };
}

/// A loan as stored; what follows from the dates (`kept`, `days`, `status`)
/// is left for [`crate::supplies::deposits`] to fill in.
fn read(r: &Row) -> Result<Deposit> {
    let name: String = r.get(2)?;
    let spec: String = r.get(3)?;
    Ok(Deposit {
        id: r.get(0)?,
        item_id: r.get(1)?,
        item: name_with_spec(name, &spec),
        unit: r.get(4)?,
        qty: r.get(5)?,
        borrower: r.get(6)?,
        department: r.get(7)?,
        lent_on: r.get(8)?,
        deposit: r.get(9)?,
        lend_number: r.get(10)?,
        closed_on: r.get(11)?,
        item_returned: r.get(12)?,
        refunded: r.get(13)?,
        kept: Fen::ZERO,
        return_number: r.get(14)?,
        close_note: r.get(15)?,
        note: r.get(16)?,
        days: 0,
        status: String::new(),
    })
}

/// A new loan of `qty` units of `item`, taken out of stock by document `lend_doc`.
pub fn insert(
    tx: &Tx,
    lend_doc: StockDocId,
    item: SupplyItemId,
    qty: i64,
    borrower: &str,
    lent_on: NaiveDate,
    deposit: Fen,
) -> Result<DepositId> {
    tx.insert(
        "INSERT INTO supply_deposits (lend_doc, item_id, qty, borrower, lent_on, deposit)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        &args![lend_doc, item, qty, borrower, lent_on, deposit],
    )
    .map(DepositId)
}

/// How a loan ended.
pub struct Closing<'a> {
    pub on: NaiveDate,
    pub item_returned: bool,
    pub refunded: Fen,
    /// The 押金归还 document, when the item came back.
    pub return_doc: Option<StockDocId>,
    pub note: &'a str,
}

pub fn close(tx: &Tx, id: DepositId, c: &Closing) -> Result<()> {
    tx.exec(
        "UPDATE supply_deposits SET closed_on = ?1, item_returned = ?2, refunded = ?3, return_doc = ?4, close_note = ?5
         WHERE id = ?6",
        &args![c.on, c.item_returned, c.refunded, c.return_doc, c.note, id],
    )?;
    Ok(())
}

pub fn get(conn: &Conn, id: DepositId) -> Result<Option<Deposit>> {
    conn.row_opt(concat!(select!(), " WHERE d.id = ?1"), &args![id], read)
}

/// The loan whose 借出单 has exactly this number.
pub fn by_lend_number(conn: &Conn, number: &str) -> Result<Option<DepositId>> {
    conn.row_opt(
        "SELECT d.id FROM supply_deposits d JOIN stock_docs s ON s.id = d.lend_doc WHERE s.number = ?1",
        &args![number],
        |r| r.get(0),
    )
}

/// Open loans first (oldest first), then closed ones (newest first).
pub fn list(conn: &Conn, open_only: bool) -> Result<Vec<Deposit>> {
    conn.rows(
        concat!(
            select!(),
            " WHERE (NOT ?1 OR d.closed_on IS NULL)
              ORDER BY d.closed_on IS NOT NULL, CASE WHEN d.closed_on IS NULL THEN d.lent_on END,
                       d.closed_on DESC, d.id"
        ),
        &args![open_only],
        read,
    )
}

/// The loan's 借出单 and its one line (what a return brings back).
pub fn lend_line(conn: &Conn, id: DepositId) -> Result<(StockDocId, MovementId)> {
    conn.row(
        "SELECT d.lend_doc, m.id FROM supply_deposits d JOIN stock_movements m ON m.doc_id = d.lend_doc WHERE d.id = ?1",
        &args![id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Units still out on loan, per item.
pub fn on_loan_per_item(conn: &Conn) -> Result<Vec<(SupplyItemId, i64)>> {
    conn.rows("SELECT item_id, SUM(qty) FROM supply_deposits WHERE closed_on IS NULL GROUP BY item_id", &[], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}
