//! `off_day_meals`: why the kitchen cooked on a day the children were not in
//! school (非在园日供餐), one reason per day.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::store::{Conn, Tx};
use crate::{args, Result};

/// The reason recorded for `date`, if any.
pub fn get(conn: &Conn, date: NaiveDate) -> Result<Option<String>> {
    conn.row_opt("SELECT reason FROM off_day_meals WHERE date = ?1", &args![date], |r| r.get(0))
}

/// The reasons recorded for the days of `from..=to`.
pub fn between(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<BTreeMap<NaiveDate, String>> {
    let rows: Vec<(NaiveDate, String)> = conn.rows(
        "SELECT date, reason FROM off_day_meals WHERE date >= ?1 AND date <= ?2 ORDER BY date",
        &args![from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows.into_iter().collect())
}

/// Records (or replaces) the reason of `date`.
pub fn set(tx: &Tx, date: NaiveDate, reason: &str) -> Result<()> {
    tx.exec(
        "INSERT INTO off_day_meals (date, reason) VALUES (?1, ?2)
         ON CONFLICT (date) DO UPDATE SET reason = excluded.reason",
        &args![date, reason],
    )?;
    Ok(())
}
