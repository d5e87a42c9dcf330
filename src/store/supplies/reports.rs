//! The sums the supplies reports read: a month's usage per class/department
//! and item, its issue slips, and the month's stock report per item. Each is
//! one grouped query, so a month of thousands of lines is summed by the
//! database, not row by row here.

use chrono::NaiveDate;

use crate::school::ClassId;
use crate::store::{Conn, Row, StoreError, Value};
use crate::supplies::SupplyItemId;
use crate::{args, Result};

/// What one class/department took of one item in a period, net of reversed issues.
#[derive(Debug, Clone, Copy)]
pub struct UsageSum<'r> {
    pub class_id: Option<ClassId>,
    /// The department as written on the slips.
    pub department: &'r str,
    pub item_id: SupplyItemId,
    pub qty: i64,
    pub value: i64,
}

/// A text column borrowed from the row: a report only looks the name up, so
/// thousands of rows are not copied for it.
fn text(r: &Row, i: usize) -> Result<&str> {
    match r.value(i) {
        Value::Text(s) => Ok(s),
        other => Err(StoreError::decode(format!("第 {} 列不是文字:{other:?}", i + 1)).into()),
    }
}

/// Calls `f` with the issues (and reversals of issues) dated `from`..=`to`,
/// summed per class, department and item.
pub fn each_usage(
    conn: &Conn,
    from: NaiveDate,
    to: NaiveDate,
    mut f: impl FnMut(UsageSum) -> Result<()>,
) -> Result<()> {
    conn.each(
        "SELECT d.class_id, d.department, m.item_id, -SUM(m.qty), -SUM(m.value)
         FROM stock_movements m JOIN stock_docs d ON d.id = m.doc_id
         WHERE m.date BETWEEN ?1 AND ?2 AND (m.kind = 'issue' OR (m.kind = 'reversal' AND m.qty > 0))
         GROUP BY d.class_id, d.department, m.item_id",
        &args![from, to],
        |r| {
            f(UsageSum {
                class_id: r.get(0)?,
                department: text(r, 1)?,
                item_id: r.get(2)?,
                qty: r.get(3)?,
                value: r.get(4)?,
            })
        },
    )
}

/// Issue slips dated `from`..=`to`, counted per class and department.
pub fn slips(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<(Option<ClassId>, String, i64)>> {
    conn.rows(
        "SELECT class_id, department, COUNT(*) FROM stock_docs WHERE kind = 'issue' AND date BETWEEN ?1 AND ?2
         GROUP BY class_id, department",
        &args![from, to],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// An item's name, spec, category and unit, for a report's rows.
#[derive(Debug, Clone)]
pub struct ItemLabel {
    pub id: SupplyItemId,
    pub name: String,
    pub spec: String,
    pub category: String,
    pub unit: String,
}

/// The labels of the items `wanted` picks (archived ones too: they may have
/// history); the others are passed over without reading their text.
pub fn item_labels(conn: &Conn, wanted: impl Fn(SupplyItemId) -> bool) -> Result<Vec<ItemLabel>> {
    let mut out = Vec::new();
    conn.each("SELECT id, name, spec, category, unit FROM supply_items", &[], |r| {
        let id = r.get(0)?;
        if wanted(id) {
            out.push(ItemLabel { id, name: r.get(1)?, spec: r.get(2)?, category: r.get(3)?, unit: r.get(4)? });
        }
        Ok(())
    })?;
    Ok(out)
}

/// One item's sums for a month: (quantity, value in fen) pairs.
#[derive(Debug, Clone)]
pub struct MonthSums {
    pub item: ItemLabel,
    pub reorder_level: i64,
    /// Everything before the month.
    pub opening: (i64, i64),
    /// Receipts, net of reversed receipts.
    pub received: (i64, i64),
    /// Issues (as positive numbers), net of reversed issues.
    pub issued: (i64, i64),
    /// Stocktake differences and loans.
    pub other: (i64, i64),
    /// Lines dated in the month.
    pub lines: i64,
}

/// The month `from`..=`to` per item that has any line up to its end, by category, name and spec.
pub fn month(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<MonthSums>> {
    conn.rows(
        "SELECT i.id, i.name, i.spec, i.category, i.unit, i.reorder_level,
            SUM(CASE WHEN m.date < ?1 THEN m.qty ELSE 0 END), SUM(CASE WHEN m.date < ?1 THEN m.value ELSE 0 END),
            SUM(CASE WHEN m.date >= ?1 AND (m.kind = 'receipt' OR (m.kind = 'reversal' AND m.qty < 0)) THEN m.qty ELSE 0 END),
            SUM(CASE WHEN m.date >= ?1 AND (m.kind = 'receipt' OR (m.kind = 'reversal' AND m.qty < 0)) THEN m.value ELSE 0 END),
            SUM(CASE WHEN m.date >= ?1 AND (m.kind = 'issue' OR (m.kind = 'reversal' AND m.qty > 0)) THEN -m.qty ELSE 0 END),
            SUM(CASE WHEN m.date >= ?1 AND (m.kind = 'issue' OR (m.kind = 'reversal' AND m.qty > 0)) THEN -m.value ELSE 0 END),
            SUM(CASE WHEN m.date >= ?1 AND m.kind IN ('adjust', 'lend', 'return') THEN m.qty ELSE 0 END),
            SUM(CASE WHEN m.date >= ?1 AND m.kind IN ('adjust', 'lend', 'return') THEN m.value ELSE 0 END),
            SUM(CASE WHEN m.date >= ?1 THEN 1 ELSE 0 END)
         FROM stock_movements m JOIN supply_items i ON i.id = m.item_id
         WHERE m.date <= ?2
         GROUP BY i.id, i.name, i.spec, i.category, i.unit, i.reorder_level
         ORDER BY i.category, i.name, i.spec",
        &args![from, to],
        |r| {
            let pair = |q: usize, v: usize| -> Result<(i64, i64)> { Ok((r.get(q)?, r.get(v)?)) };
            Ok(MonthSums {
                item: ItemLabel {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    spec: r.get(2)?,
                    category: r.get(3)?,
                    unit: r.get(4)?,
                },
                reorder_level: r.get(5)?,
                opening: pair(6, 7)?,
                received: pair(8, 9)?,
                issued: pair(10, 11)?,
                other: pair(12, 13)?,
                lines: r.get(14)?,
            })
        },
    )
}
