//! `stocktake_lines`: every item counted on a 盘点单, with its book and
//! counted quantity; the differences are the document's `adjust` lines in
//! `stock_movements`.

use chrono::NaiveDate;

use crate::store::{Conn, Tx};
use crate::supplies::stocktake::{CountLine, SheetLine};
use crate::supplies::{name_with_spec, StockDocId, SupplyItemId};
use crate::{args, Result};

/// Every active item (or one category's) with its balance at the end of
/// `date`, by location, category, name and spec.
pub fn sheet(conn: &Conn, date: NaiveDate, category: Option<&str>) -> Result<Vec<SheetLine>> {
    conn.rows(
        "SELECT i.id, i.code, i.name, i.spec, i.category, i.unit, i.location,
                COALESCE((SELECT SUM(qty) FROM stock_movements m WHERE m.item_id = i.id AND m.date <= ?1), 0)
         FROM supply_items i WHERE NOT i.archived AND (CAST(?2 AS TEXT) IS NULL OR i.category = ?2)
         ORDER BY i.location, i.category, i.name, i.spec",
        &args![date, category],
        |r| {
            let name: String = r.get(2)?;
            let spec: String = r.get(3)?;
            Ok(SheetLine {
                item_id: r.get(0)?,
                code: r.get(1)?,
                item: name_with_spec(name, &spec),
                category: r.get(4)?,
                unit: r.get(5)?,
                location: r.get(6)?,
                book_qty: r.get(7)?,
            })
        },
    )
}

pub fn insert_line(
    tx: &Tx,
    doc: StockDocId,
    item: SupplyItemId,
    book_qty: i64,
    counted: i64,
    reason: &str,
) -> Result<()> {
    tx.exec(
        "INSERT INTO stocktake_lines (doc_id, item_id, book_qty, counted, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        &args![doc, item, book_qty, counted, reason],
    )?;
    Ok(())
}

/// The counted items of a 盘点单 in the order entered, with the value of each adjustment.
pub fn lines(conn: &Conn, doc: StockDocId) -> Result<Vec<CountLine>> {
    conn.rows(
        "SELECT s.item_id, i.name, i.spec, i.unit, s.book_qty, s.counted, s.reason,
                COALESCE((SELECT SUM(m.value) FROM stock_movements m WHERE m.doc_id = s.doc_id AND m.item_id = s.item_id), 0)
         FROM stocktake_lines s JOIN supply_items i ON i.id = s.item_id WHERE s.doc_id = ?1 ORDER BY s.id",
        &args![doc],
        |r| {
            let name: String = r.get(1)?;
            let spec: String = r.get(2)?;
            let book: i64 = r.get(4)?;
            let counted: i64 = r.get(5)?;
            Ok(CountLine {
                item_id: r.get(0)?,
                item: name_with_spec(name, &spec),
                unit: r.get(3)?,
                book_qty: book,
                counted,
                difference: counted - book,
                reason: r.get(6)?,
                value: r.get(7)?,
            })
        },
    )
}
