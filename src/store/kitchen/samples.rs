//! `food_samples`: one sample (留样) per dish of a meal, from storing to discard.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::kitchen::{Grams, Meal, SampleId};
use crate::store::{Conn, Row, Tx};
use crate::{args, Result};

/// A sample as stored (the domain adds the due time, which depends on the settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSample {
    pub id: SampleId,
    pub date: NaiveDate,
    pub meal: Meal,
    pub dish: String,
    pub weight: Grams,
    pub stored_at: NaiveDateTime,
    pub sampler: String,
    pub fridge: String,
    pub discarded_at: Option<NaiveDateTime>,
    pub discarded_by: Option<String>,
}

/// What is written when a sample is stored or its weight corrected.
#[derive(Debug, Clone, Copy)]
pub struct SampleFields<'a> {
    pub dish: &'a str,
    pub weight: Grams,
    pub stored_at: NaiveDateTime,
    pub sampler: &'a str,
    pub fridge: &'a str,
}

// The dish's place on the menu orders the log; a dish dropped from the menu
// (not possible once sampled, but older files) goes last.
macro_rules! samples_where {
    ($filter:literal) => {
        concat!(
            "SELECT s.id, s.date, s.meal, s.dish, s.weight_dg, s.stored_at, s.sampler, s.fridge, s.discarded_at,
                    s.discarded_by, COALESCE(m.position, 999)
             FROM food_samples s LEFT JOIN menu_dishes m ON m.date = s.date AND m.meal = s.meal AND m.dish = s.dish
             WHERE ",
            $filter
        )
    };
}

const BETWEEN: &str = samples_where!("s.date >= ?1 AND s.date <= ?2");
const OF_MEAL: &str = samples_where!("s.date = ?1 AND s.meal = ?2");
const BY_ID: &str = samples_where!("s.id = ?1");
const IDS_FROM_TO: &str = samples_where!("s.id >= ?1 AND s.id <= ?2");
const NOT_DISCARDED: &str = samples_where!("s.discarded_at IS NULL");
const HELD: &str = samples_where!("s.date <= ?2 AND (s.discarded_at IS NULL OR s.discarded_at >= ?1)");

fn read(r: &Row) -> Result<(i64, StoredSample)> {
    let sample = StoredSample {
        id: r.get(0)?,
        date: r.get(1)?,
        meal: r.get(2)?,
        dish: r.get(3)?,
        weight: Grams(r.get(4)?),
        stored_at: r.get(5)?,
        sampler: r.get(6)?,
        fridge: r.get(7)?,
        discarded_at: r.get(8)?,
        discarded_by: r.get(9)?,
    };
    Ok((r.get(10)?, sample))
}

/// Samples in log order: date, meal of the day, place on the menu, id. Meals
/// are sorted here rather than in SQL: their order is the enum's, not the text's.
fn query(conn: &Conn, sql: &str, args: &[crate::store::Value]) -> Result<Vec<StoredSample>> {
    let mut rows = conn.rows(sql, args, read)?;
    rows.sort_by_key(|(position, x)| (x.date, x.meal, *position, x.id));
    Ok(rows.into_iter().map(|(_, x)| x).collect())
}

/// The samples of the days `from..=to`.
pub fn between(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<StoredSample>> {
    query(conn, BETWEEN, &args![from, to])
}

/// The samples of one meal.
pub fn of_meal(conn: &Conn, date: NaiveDate, meal: Meal) -> Result<Vec<StoredSample>> {
    query(conn, OF_MEAL, &args![date, meal])
}

pub fn get(conn: &Conn, id: SampleId) -> Result<Option<StoredSample>> {
    Ok(query(conn, BY_ID, &args![id])?.pop())
}

/// The samples whose id is in `from..=to` (a discard's selection, read in one query).
pub fn with_ids_from_to(conn: &Conn, from: SampleId, to: SampleId) -> Result<Vec<StoredSample>> {
    query(conn, IDS_FROM_TO, &args![from, to])
}

/// Every sample still in the fridge.
pub fn not_discarded(conn: &Conn) -> Result<Vec<StoredSample>> {
    query(conn, NOT_DISCARDED, &[])
}

/// The samples in a fridge on some day of `from..=to`: stored by `to` and
/// not discarded before `from` began.
pub fn held_between(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<StoredSample>> {
    query(conn, HELD, &args![from.and_time(NaiveTime::MIN), to])
}

/// The first and last day with a sample, if any.
pub fn span(conn: &Conn) -> Result<Option<(NaiveDate, NaiveDate)>> {
    let (first, last): (Option<NaiveDate>, Option<NaiveDate>) =
        conn.row("SELECT MIN(date), MAX(date) FROM food_samples", &[], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(first.zip(last))
}

pub fn insert(tx: &Tx, date: NaiveDate, meal: Meal, f: &SampleFields) -> Result<SampleId> {
    tx.insert(
        "INSERT INTO food_samples (date, meal, dish, weight_dg, stored_at, sampler, fridge)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &args![date, meal, f.dish, f.weight.0, f.stored_at, f.sampler, f.fridge],
    )
    .map(SampleId)
}

/// A corrected weight, with the time, sampler and fridge of the new weighing.
pub fn correct(tx: &Tx, id: SampleId, f: &SampleFields) -> Result<()> {
    tx.exec(
        "UPDATE food_samples SET weight_dg = ?1, stored_at = ?2, sampler = ?3, fridge = ?4 WHERE id = ?5",
        &args![f.weight.0, f.stored_at, f.sampler, f.fridge, id],
    )?;
    Ok(())
}

/// Marks a sample discarded; false when it already was (or does not exist).
pub fn discard(tx: &Tx, id: SampleId, at: NaiveDateTime, by: &str) -> Result<bool> {
    let n = tx.exec(
        "UPDATE food_samples SET discarded_at = ?1, discarded_by = ?2 WHERE id = ?3 AND discarded_at IS NULL",
        &args![at, by, id],
    )?;
    Ok(n > 0)
}
