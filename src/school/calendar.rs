//! Storage of the school's calendar entries: corrections to the national
//! schedule (a new year's holidays typed in by hand) and closures.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::required;
use crate::calendar::{Closure, HolidayEntry, HolidayTable, MonthCalendar, SchoolCalendar};
use crate::dates::YearMonth;
use crate::db::{Db, Tx};
use crate::text::{self, Field};
use crate::{Error, Result};

/// A stored closure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredClosure {
    pub id: i64,
    #[serde(flatten)]
    pub closure: Closure,
}

/// The school calendar as stored: built-in schedule, overrides and closures.
pub fn load(conn: &Connection) -> Result<SchoolCalendar> {
    let table = HolidayTable::with_overrides(&overrides(conn)?);
    let closures = closures(conn)?.into_iter().map(|c| c.closure).collect();
    Ok(SchoolCalendar::new(table, closures))
}

/// The month view: legal working days, holidays, make-up days, closures.
pub fn month(conn: &Connection, month: YearMonth) -> Result<MonthCalendar> {
    Ok(load(conn)?.month(month))
}

pub fn overrides(conn: &Connection) -> Result<Vec<HolidayEntry>> {
    let mut stmt = conn.prepare("SELECT date, name, is_off_day FROM calendar_overrides ORDER BY date")?;
    let rows = stmt.query_map([], |r| Ok(HolidayEntry { date: r.get(0)?, name: r.get(1)?, is_off_day: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds or corrects one day of the national schedule (a holiday or a make-up working day).
pub fn set_override(db: &mut Db, entry: &HolidayEntry) -> Result<()> {
    let name = required(&entry.name, "节日名称")?;
    text::check_all(&[(Field::name("节日名称").max(20), &name)])?;
    let after = HolidayEntry { name, ..entry.clone() };
    db.with_tx(|tx| {
        // Replacing a correction keeps what it said before in the audit trail.
        let before = override_on(tx, entry.date)?;
        tx.execute(
            "INSERT INTO calendar_overrides (date, name, is_off_day) VALUES (?1, ?2, ?3)
             ON CONFLICT (date) DO UPDATE SET name = excluded.name, is_off_day = excluded.is_off_day",
            rusqlite::params![after.date, after.name, after.is_off_day],
        )?;
        tx.audit(
            "calendar_day",
            entry.date,
            if before.is_some() { "update" } else { "set" },
            before.map(|b| serde_json::json!(b)).as_ref(),
            Some(&serde_json::json!(after)),
        )
    })
}

fn override_on(conn: &Connection, date: NaiveDate) -> Result<Option<HolidayEntry>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT date, name, is_off_day FROM calendar_overrides WHERE date = ?1", [date], |r| {
            Ok(HolidayEntry { date: r.get(0)?, name: r.get(1)?, is_off_day: r.get(2)? })
        })
        .optional()?)
}

pub fn remove_override(db: &mut Db, date: NaiveDate) -> Result<()> {
    db.with_tx(|tx| {
        let Some(before) = override_on(tx, date)? else {
            return Err(Error::not_found("自定义日期", date));
        };
        tx.execute("DELETE FROM calendar_overrides WHERE date = ?1", [date])?;
        tx.audit("calendar_day", date, "remove", Some(&serde_json::json!(before)), None)
    })
}

pub fn closures(conn: &Connection) -> Result<Vec<StoredClosure>> {
    let mut stmt = conn.prepare("SELECT id, from_date, to_date, reason, charged FROM closures ORDER BY from_date")?;
    let rows = stmt.query_map([], |r| {
        Ok(StoredClosure {
            id: r.get(0)?,
            closure: Closure { from: r.get(1)?, to: r.get(2)?, reason: r.get(3)?, charged: r.get(4)? },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records a closure (停课/放假). Overlapping an existing closure is refused so
/// that no day is counted twice.
pub fn add_closure(db: &mut Db, c: &Closure) -> Result<i64> {
    let reason = required(&c.reason, "停课原因")?;
    text::check_all(&[(Field::line("停课原因").max(100), &reason)])?;
    if c.to < c.from {
        return Err(Error::invalid(format!("结束日期 {} 早于开始日期 {}", c.to, c.from)));
    }
    if let Some(o) = closures(db.conn())?.into_iter().find(|o| o.closure.from <= c.to && c.from <= o.closure.to) {
        return Err(Error::conflict(format!(
            "与已有的停课“{}”({} 至 {})重叠",
            o.closure.reason, o.closure.from, o.closure.to
        )));
    }
    db.with_tx(|tx| insert_closure_in_tx(tx, &Closure { reason, ..c.clone() }))
}

/// Inserts a checked closure inside an open transaction.
pub fn insert_closure_in_tx(tx: &Tx, c: &Closure) -> Result<i64> {
    tx.execute(
        "INSERT INTO closures (from_date, to_date, reason, charged) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![c.from, c.to, c.reason.trim(), c.charged],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit("closure", id, "create", None, Some(&serde_json::json!(c)))?;
    Ok(id)
}

pub fn delete_closure(db: &mut Db, id: i64) -> Result<()> {
    let before =
        closures(db.conn())?.into_iter().find(|c| c.id == id).ok_or_else(|| Error::not_found("停课记录", id))?;
    db.with_tx(|tx| {
        tx.execute("DELETE FROM closures WHERE id = ?1", [id])?;
        tx.audit("closure", id, "delete", Some(&serde_json::json!(before.closure)), None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn closures_and_overrides_shape_the_month() {
        let mut db = Db::open_in_memory().expect("db");
        add_closure(
            &mut db,
            &Closure { from: d("2026-07-16"), to: d("2026-07-31"), reason: "暑假".into(), charged: false },
        )
        .expect("closure");
        let jul = month(db.conn(), "2026-07".parse().expect("m")).expect("month");
        assert_eq!(jul.school_days.len(), 11);
        let overlap = add_closure(
            &mut db,
            &Closure { from: d("2026-07-30"), to: d("2026-08-02"), reason: "x".into(), charged: false },
        );
        assert!(matches!(overlap, Err(Error::Conflict(_))));
        set_override(&mut db, &HolidayEntry { date: d("2027-01-01"), name: "元旦".into(), is_off_day: true })
            .expect("override");
        let jan = month(db.conn(), "2027-01".parse().expect("m")).expect("month");
        assert!(jan.schedule_known);
        assert!(!jan.legal_working_days.contains(&d("2027-01-01")));
    }

    #[test]
    fn backwards_range_is_refused() {
        let mut db = Db::open_in_memory().expect("db");
        let r = add_closure(
            &mut db,
            &Closure { from: d("2026-07-16"), to: d("2026-07-01"), reason: "x".into(), charged: true },
        );
        assert!(r.expect_err("refused").to_string().contains("早于开始日期"));
        assert!(closures(db.conn()).expect("list").is_empty());
    }
}
