//! `meal_publications`: the 伙食费收支公示 sheets as published (at most one
//! current per month), and their withdrawals.

use chrono::NaiveDate;

use super::super::{Conn, Tx};
use crate::dates::YearMonth;
use crate::{args, Result};

/// The current publication of a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The sheet as published (JSON, read by the meal account).
    pub sheet_json: String,
    pub published_on: NaiveDate,
    pub published_at: String,
    pub published_by: String,
}

/// The current publication of `month`, if it is published.
pub fn get(conn: &Conn, month: YearMonth) -> Result<Option<Published>> {
    conn.row_opt(
        "SELECT sheet_json, published_on, published_at, published_by FROM meal_publications
         WHERE month = ?1 AND status = 'published'",
        &args![month],
        |r| {
            Ok(Published {
                sheet_json: r.get(0)?,
                published_on: r.get(1)?,
                published_at: r.get(2)?,
                published_by: r.get(3)?,
            })
        },
    )
}

/// When and by whom `month` was published, if it is (the lock check: no sheet is read).
pub fn published_on(conn: &Conn, month: YearMonth) -> Result<Option<(NaiveDate, String)>> {
    conn.row_opt(
        "SELECT published_on, published_by FROM meal_publications WHERE month = ?1 AND status = 'published'",
        &args![month],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The first month after `month` that is published, if any.
pub fn first_published_after(conn: &Conn, month: YearMonth) -> Result<Option<YearMonth>> {
    conn.value("SELECT MIN(month) FROM meal_publications WHERE month > ?1 AND status = 'published'", &args![month])
}

/// Publishes `month`'s sheet on `published_on`, now, by the transaction's operator.
pub fn insert(tx: &Tx, month: YearMonth, published_on: NaiveDate, sheet_json: &str) -> Result<()> {
    tx.exec(
        "INSERT INTO meal_publications (month, status, published_on, published_at, published_by, sheet_json)
         VALUES (?1, 'published', ?2, ?3, ?4, ?5)",
        &args![month, published_on, crate::dates::now(), tx.operator(), sheet_json],
    )?;
    Ok(())
}

/// Withdraws the current publication of `month`, now, with the reason.
pub fn withdraw(tx: &Tx, month: YearMonth, reason: &str) -> Result<()> {
    tx.exec(
        "UPDATE meal_publications SET status = 'withdrawn', withdrawn_at = ?1, withdrawn_by = ?2, withdraw_reason = ?3
         WHERE month = ?4 AND status = 'published'",
        &args![crate::dates::now(), tx.operator(), reason, month],
    )?;
    Ok(())
}
