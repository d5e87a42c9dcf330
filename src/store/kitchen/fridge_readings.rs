//! `fridge_readings`: the 留样柜温度记录, one row per reading.

use chrono::NaiveDate;

use crate::kitchen::logs::FridgeReading;
use crate::kitchen::Celsius;
use crate::store::{Conn, Row, Tx};
use crate::{args, Result};

fn read(r: &Row) -> Result<FridgeReading> {
    Ok(FridgeReading {
        id: r.get(0)?,
        date: r.get(1)?,
        time: r.get(2)?,
        fridge: r.get(3)?,
        temp: Celsius(r.get(4)?),
        out_of_range: r.get(5)?,
        action: r.get(6)?,
        person: r.get(7)?,
    })
}

/// Stores a reading (its `id` is ignored); gives the new id.
pub fn insert(tx: &Tx, x: &FridgeReading) -> Result<i64> {
    tx.insert(
        "INSERT INTO fridge_readings (date, time, fridge, temp_dc, out_of_range, action, person)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &args![x.date, x.time, x.fridge, x.temp.0, x.out_of_range, x.action, x.person],
    )
}

/// The readings of `from..=to`, in time order.
pub fn between(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<FridgeReading>> {
    conn.rows(
        "SELECT id, date, time, fridge, temp_dc, out_of_range, action, person FROM fridge_readings
         WHERE date >= ?1 AND date <= ?2 ORDER BY date, time, fridge, id",
        &args![from, to],
        read,
    )
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<FridgeReading>> {
    conn.row_opt(
        "SELECT id, date, time, fridge, temp_dc, out_of_range, action, person FROM fridge_readings WHERE id = ?1",
        &args![id],
        read,
    )
}

pub fn delete(tx: &Tx, id: i64) -> Result<()> {
    tx.exec("DELETE FROM fridge_readings WHERE id = ?1", &args![id])?;
    Ok(())
}
