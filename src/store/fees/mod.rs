//! The bursar's tables: fee rules, settlements, notices, payments and the meal account. One module per table or aggregate; each owns its SQL.

pub mod adjustments;
pub mod meal_counts;
pub mod meal_publications;
pub mod meal_purchases;
pub mod notices;
pub mod payments;
pub mod receipts;
pub mod rules;
pub mod settlements;
pub mod waivers;

use super::{Tx, Value};
use crate::Result;

/// Rows per multi-row `INSERT` (well under both backends' parameter limits).
const ROWS_PER_INSERT: usize = 100;

/// Inserts `values` (`width` columns a row, row after row) with one statement
/// per [`ROWS_PER_INSERT`] rows: a month's 1,000 settlement items are ten
/// round trips to a server, not a thousand. `head` is the constant
/// `INSERT INTO t (a, b, …) VALUES`; only the count of placeholder groups
/// varies, so a table has at most [`ROWS_PER_INSERT`] statement texts.
fn insert_rows(tx: &Tx, head: &str, width: usize, values: &[Value]) -> Result<()> {
    debug_assert!(width > 0 && values.len() % width == 0, "{head}: {} values in rows of {width}", values.len());
    for chunk in values.chunks(width * ROWS_PER_INSERT) {
        let groups: Vec<String> = (0..chunk.len() / width)
            .map(|row| {
                let cols: Vec<String> = (1..=width).map(|c| format!("?{}", row * width + c)).collect();
                format!("({})", cols.join(", "))
            })
            .collect();
        tx.exec(&format!("{head} {}", groups.join(", ")), chunk)?;
    }
    Ok(())
}
