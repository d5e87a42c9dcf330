//! `calendar_overrides` and `closures`: the school's corrections to the
//! national schedule and the days it closed.

use chrono::NaiveDate;

use super::{Conn, Row, Tx};
use crate::calendar::{Closure, HolidayEntry};
use crate::school::calendar::StoredClosure;
use crate::{args, Result};

fn read_override(r: &Row) -> Result<HolidayEntry> {
    Ok(HolidayEntry { date: r.get(0)?, name: r.get(1)?, is_off_day: r.get(2)? })
}

pub fn overrides(conn: &Conn) -> Result<Vec<HolidayEntry>> {
    conn.rows("SELECT date, name, is_off_day FROM calendar_overrides ORDER BY date", &[], read_override)
}

pub fn override_on(conn: &Conn, date: NaiveDate) -> Result<Option<HolidayEntry>> {
    conn.row_opt("SELECT date, name, is_off_day FROM calendar_overrides WHERE date = ?1", &args![date], read_override)
}

pub fn put_override(tx: &Tx, e: &HolidayEntry) -> Result<()> {
    tx.exec(
        "INSERT INTO calendar_overrides (date, name, is_off_day) VALUES (?1, ?2, ?3)
         ON CONFLICT (date) DO UPDATE SET name = excluded.name, is_off_day = excluded.is_off_day",
        &args![e.date, e.name, e.is_off_day],
    )?;
    Ok(())
}

pub fn remove_override(tx: &Tx, date: NaiveDate) -> Result<()> {
    tx.exec("DELETE FROM calendar_overrides WHERE date = ?1", &args![date])?;
    Ok(())
}

pub fn closures(conn: &Conn) -> Result<Vec<StoredClosure>> {
    conn.rows("SELECT id, from_date, to_date, reason, charged FROM closures ORDER BY from_date", &[], |r| {
        Ok(StoredClosure {
            id: r.get(0)?,
            closure: Closure { from: r.get(1)?, to: r.get(2)?, reason: r.get(3)?, charged: r.get(4)? },
        })
    })
}

pub fn insert_closure(tx: &Tx, c: &Closure) -> Result<i64> {
    tx.insert(
        "INSERT INTO closures (from_date, to_date, reason, charged) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        &args![c.from, c.to, c.reason, c.charged],
    )
}

pub fn delete_closure(tx: &Tx, id: i64) -> Result<()> {
    tx.exec("DELETE FROM closures WHERE id = ?1", &args![id])?;
    Ok(())
}
