//! `meal_stock_counts` with their `meal_stock_count_lines`, and
//! `meal_staff_months`: a month's month-end count of the kitchen store and
//! the staff meals of that month, saved and deleted together.

use chrono::NaiveDate;

use super::super::{Conn, Tx};
use crate::dates::YearMonth;
use crate::meal_account::store::{CountInfo, CountKind, StaffMonth};
use crate::{args, Fen, Result};

/// Who counted `month` and when, if it was counted.
pub fn info(conn: &Conn, month: YearMonth) -> Result<Option<CountInfo>> {
    conn.row_opt(
        "SELECT kind, counted_on, counted_by, note, saved_at, saved_by FROM meal_stock_counts WHERE month = ?1",
        &args![month],
        |r| {
            Ok(CountInfo {
                kind: r.get(0)?,
                counted_on: r.get(1)?,
                counted_by: r.get(2)?,
                note: r.get(3)?,
                saved_at: r.get(4)?,
                saved_by: r.get(5)?,
            })
        },
    )
}

/// The count of `month` per category: (category, closing stock, issued to the staff kitchen).
pub fn lines(conn: &Conn, month: YearMonth) -> Result<Vec<(String, Fen, Fen)>> {
    conn.rows(
        "SELECT category, closing_fen, staff_fen FROM meal_stock_count_lines WHERE month = ?1",
        &args![month],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// The staff meals of `month`, if any were recorded.
pub fn staff(conn: &Conn, month: YearMonth) -> Result<Option<StaffMonth>> {
    conn.row_opt("SELECT meals, income_fen, note FROM meal_staff_months WHERE month = ?1", &args![month], |r| {
        Ok(StaffMonth { meals: r.get(0)?, income: r.get(1)?, note: r.get(2)? })
    })
}

/// Whether any count was ever saved.
pub fn any(conn: &Conn) -> Result<bool> {
    conn.value("SELECT EXISTS (SELECT 1 FROM meal_stock_counts)", &[])
}

/// A count as it is saved.
pub struct NewCount<'a> {
    pub kind: CountKind,
    pub counted_on: NaiveDate,
    pub counted_by: &'a str,
    pub note: &'a str,
    /// (category, closing stock, issued to the staff kitchen).
    pub lines: &'a [(String, Fen, Fen)],
    /// (meals served, what the staff paid), if recorded.
    pub staff: Option<(u32, Fen)>,
}

/// Saves the count of `month` (replacing one saved before) and its staff meals.
pub fn put(tx: &Tx, month: YearMonth, c: &NewCount) -> Result<()> {
    delete(tx, month)?;
    tx.exec(
        "INSERT INTO meal_stock_counts (month, kind, counted_on, counted_by, note, saved_at, saved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &args![month, c.kind, c.counted_on, c.counted_by, c.note, crate::dates::now(), tx.operator()],
    )?;
    let mut values = Vec::with_capacity(c.lines.len() * 4);
    for (category, closing, staff) in c.lines {
        values.extend(args![month, category, closing, staff]);
    }
    super::insert_rows(
        tx,
        "INSERT INTO meal_stock_count_lines (month, category, closing_fen, staff_fen) VALUES",
        4,
        &values,
    )?;
    if let Some((meals, income)) = c.staff {
        tx.exec(
            "INSERT INTO meal_staff_months (month, meals, income_fen) VALUES (?1, ?2, ?3)",
            &args![month, meals, income],
        )?;
    }
    Ok(())
}

/// Deletes the count of `month` (its lines go with it) and its staff meals.
pub fn delete(tx: &Tx, month: YearMonth) -> Result<()> {
    tx.exec("DELETE FROM meal_stock_counts WHERE month = ?1", &args![month])?;
    tx.exec("DELETE FROM meal_staff_months WHERE month = ?1", &args![month])?;
    Ok(())
}
