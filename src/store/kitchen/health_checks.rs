//! `health_checks`: the 晨检, one row per person per day.

use chrono::NaiveDate;

use crate::kitchen::logs::{Hands, HealthCheck};
use crate::kitchen::Celsius;
use crate::store::{Conn, Row, Tx};
use crate::{args, Result};

/// Symptoms are kept as one text, joined the way the log prints them.
const SYMPTOM_SEPARATOR: char = '、';

macro_rules! select {
    ($filter:literal) => {
        concat!(
            "SELECT id, date, staff, temp_dc, symptoms, fit, note, checker, time, hands FROM health_checks WHERE ",
            $filter
        )
    };
}

fn read(r: &Row) -> Result<HealthCheck> {
    let symptoms: String = r.get(4)?;
    let hands: Option<Hands> = r.get(9)?;
    Ok(HealthCheck {
        id: r.get(0)?,
        date: r.get(1)?,
        time: r.get(8)?,
        staff: r.get(2)?,
        temp: Celsius(r.get(3)?),
        hands,
        hands_label: hands.map(Hands::label).unwrap_or(""),
        symptoms: symptoms.split(SYMPTOM_SEPARATOR).filter(|s| !s.is_empty()).map(String::from).collect(),
        fit: r.get(5)?,
        note: r.get(6)?,
        checker: r.get(7)?,
    })
}

/// Stores a check (its `id` is ignored); gives the new id.
pub fn insert(tx: &Tx, c: &HealthCheck) -> Result<i64> {
    let symptoms = c.symptoms.join(&SYMPTOM_SEPARATOR.to_string());
    tx.insert(
        "INSERT INTO health_checks (date, staff, temp_dc, symptoms, fit, note, checker, time, hands)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        &args![c.date, c.staff, c.temp.0, symptoms, c.fit, c.note, c.checker, c.time, c.hands],
    )
}

/// Whether `staff` was already checked on `date`.
pub fn exists(conn: &Conn, date: NaiveDate, staff: &str) -> Result<bool> {
    let n: i64 =
        conn.value("SELECT COUNT(*) FROM health_checks WHERE date = ?1 AND staff = ?2", &args![date, staff])?;
    Ok(n > 0)
}

/// The checks of `from..=to`, by date and name.
pub fn between(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<HealthCheck>> {
    conn.rows(select!("date >= ?1 AND date <= ?2 ORDER BY date, id"), &args![from, to], read)
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<HealthCheck>> {
    conn.row_opt(select!("id = ?1"), &args![id], read)
}

pub fn delete(tx: &Tx, id: i64) -> Result<()> {
    tx.exec("DELETE FROM health_checks WHERE id = ?1", &args![id])?;
    Ok(())
}
