//! `disinfections`: the 餐具消毒记录, one row per disinfection.

use chrono::NaiveDate;

use crate::kitchen::logs::{Disinfection, Method};
use crate::store::{Conn, Row, Tx};
use crate::{args, Result};

fn read(r: &Row) -> Result<Disinfection> {
    let method: Method = r.get(3)?;
    Ok(Disinfection {
        id: r.get(0)?,
        date: r.get(1)?,
        time: r.get(2)?,
        method,
        method_label: method.label(),
        items: r.get(4)?,
        intensity: r.get(5)?,
        unit: method.unit(),
        minutes: r.get(6)?,
        person: r.get(7)?,
    })
}

/// Stores a disinfection (its `id` is ignored); gives the new id.
pub fn insert(tx: &Tx, x: &Disinfection) -> Result<i64> {
    tx.insert(
        "INSERT INTO disinfections (date, time, method, items, intensity, minutes, person)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &args![x.date, x.time, x.method, x.items, x.intensity, x.minutes, x.person],
    )
}

/// The disinfections of `from..=to`, in time order.
pub fn between(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<Disinfection>> {
    conn.rows(
        "SELECT id, date, time, method, items, intensity, minutes, person FROM disinfections
         WHERE date >= ?1 AND date <= ?2 ORDER BY date, time, id",
        &args![from, to],
        read,
    )
}

pub fn get(conn: &Conn, id: i64) -> Result<Option<Disinfection>> {
    conn.row_opt(
        "SELECT id, date, time, method, items, intensity, minutes, person FROM disinfections WHERE id = ?1",
        &args![id],
        read,
    )
}

pub fn delete(tx: &Tx, id: i64) -> Result<()> {
    tx.exec("DELETE FROM disinfections WHERE id = ?1", &args![id])?;
    Ok(())
}
