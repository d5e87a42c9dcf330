//! Storage of the school's calendar entries: corrections to the national
//! schedule (a new year's holidays typed in by hand) and closures.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::required;
use crate::calendar::{Closure, HolidayEntry, HolidayTable, MonthCalendar, SchoolCalendar};
use crate::dates::YearMonth;
use crate::db::{Db, Tx};
use crate::store::{self, Conn};
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
pub fn load(conn: &Conn) -> Result<SchoolCalendar> {
    let table = HolidayTable::with_overrides(&overrides(conn)?);
    let closures = closures(conn)?.into_iter().map(|c| c.closure).collect();
    Ok(SchoolCalendar::new(table, closures))
}

/// The month view: legal working days, holidays, make-up days, closures.
pub fn month(conn: &Conn, month: YearMonth) -> Result<MonthCalendar> {
    Ok(load(conn)?.month(month))
}

pub fn overrides(conn: &Conn) -> Result<Vec<HolidayEntry>> {
    store::calendar::overrides(conn)
}

/// Adds or corrects one day of the national schedule (a holiday or a make-up working day).
pub fn set_override(db: &mut Db, entry: &HolidayEntry) -> Result<()> {
    let name = required(&entry.name, "节日名称")?;
    text::check_all(&[(Field::name("节日名称").max(20), &name)])?;
    let after = HolidayEntry { name, ..entry.clone() };
    db.with_tx(|tx| {
        // Replacing a correction keeps what it said before in the audit trail.
        let before = store::calendar::override_on(tx, entry.date)?;
        store::calendar::put_override(tx, &after)?;
        tx.audit(
            "calendar_day",
            entry.date,
            if before.is_some() { "update" } else { "set" },
            before.map(|b| serde_json::json!(b)).as_ref(),
            Some(&serde_json::json!(after)),
        )
    })
}

pub fn remove_override(db: &mut Db, date: NaiveDate) -> Result<()> {
    db.with_tx(|tx| {
        let Some(before) = store::calendar::override_on(tx, date)? else {
            return Err(Error::not_found("自定义日期", date));
        };
        store::calendar::remove_override(tx, date)?;
        tx.audit("calendar_day", date, "remove", Some(&serde_json::json!(before)), None)
    })
}

pub fn closures(conn: &Conn) -> Result<Vec<StoredClosure>> {
    store::calendar::closures(conn)
}

/// Records a closure (停课/放假). Overlapping an existing closure is refused so
/// that no day is counted twice.
pub fn add_closure(db: &mut Db, c: &Closure) -> Result<i64> {
    let reason = required(&c.reason, "停课原因")?;
    text::check_all(&[(Field::line("停课原因").max(100), &reason)])?;
    if c.to < c.from {
        return Err(Error::invalid(format!("结束日期 {} 早于开始日期 {}", c.to, c.from)));
    }
    db.with_tx(|tx| {
        if let Some(o) = closures(tx)?.into_iter().find(|o| o.closure.from <= c.to && c.from <= o.closure.to) {
            return Err(Error::conflict(format!(
                "与已有的停课“{}”({} 至 {})重叠",
                o.closure.reason, o.closure.from, o.closure.to
            )));
        }
        insert_closure_in_tx(tx, &Closure { reason: reason.clone(), ..c.clone() })
    })
}

/// Inserts a checked closure inside an open transaction.
pub fn insert_closure_in_tx(tx: &Tx, c: &Closure) -> Result<i64> {
    let id = store::calendar::insert_closure(tx, &Closure { reason: c.reason.trim().to_string(), ..c.clone() })?;
    tx.audit("closure", id, "create", None, Some(&serde_json::json!(c)))?;
    Ok(id)
}

pub fn delete_closure(db: &mut Db, id: i64) -> Result<()> {
    db.with_tx(|tx| {
        let before = closures(tx)?.into_iter().find(|c| c.id == id).ok_or_else(|| Error::not_found("停课记录", id))?;
        store::calendar::delete_closure(tx, id)?;
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
        let mut db = Db::open_scratch().expect("db");
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
        let mut db = Db::open_scratch().expect("db");
        let r = add_closure(
            &mut db,
            &Closure { from: d("2026-07-16"), to: d("2026-07-01"), reason: "x".into(), charged: true },
        );
        assert!(r.expect_err("refused").to_string().contains("早于开始日期"));
        assert!(closures(db.conn()).expect("list").is_empty());
    }
}
