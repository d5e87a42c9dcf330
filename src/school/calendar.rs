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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    db.write(crate::auth::Job::School, |tx| {
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
    db.write(crate::auth::Job::School, |tx| {
        let Some(before) = store::calendar::override_on(tx, date)? else {
            return Err(Error::not_found("自定义日期", date));
        };
        store::calendar::remove_override(tx, date)?;
        tx.audit("calendar_day", date, "remove", Some(&serde_json::json!(before)), None)
    })
}

/// What importing a year's State Council schedule did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportedYear {
    pub year: i32,
    /// Days in the file (holidays and make-up working days).
    pub days: usize,
    /// Of those, how many replaced a different entry the school had.
    pub replaced: usize,
}

/// Imports a year of the State Council's holiday schedule from a file in the
/// format of the built-in data (`data/holiday-cn/YYYY.json`: `year`, and
/// `days` of `name`, `date`, `isOffDay`), as the school's entries for that
/// year: one transaction, each day audited. A year the program does not
/// have built in (2027 and later) becomes known this way.
pub fn import_year(db: &mut Db, json: &str) -> Result<ImportedYear> {
    // A copy of the file first, so the change can be undone (a local file only).
    crate::backup::before(db, crate::backup::Reason::Import)?;
    let (year, entries) = crate::calendar::parse_year_file(json)?;
    db.write(crate::auth::Job::School, |tx| {
        let mut replaced = 0;
        for e in &entries {
            let before = store::calendar::override_on(tx, e.date)?;
            if before.as_ref() == Some(e) {
                continue;
            }
            replaced += usize::from(before.is_some());
            store::calendar::put_override(tx, e)?;
            tx.audit(
                "calendar_day",
                e.date,
                "import",
                before.map(|b| serde_json::json!(b)).as_ref(),
                Some(&serde_json::json!(e)),
            )?;
        }
        Ok(ImportedYear { year, days: entries.len(), replaced })
    })
}

/// The year after `today`'s, when the school is in the last quarter and that
/// year's national schedule is not known yet (the home screen says so).
pub fn next_year_missing(conn: &Conn, today: NaiveDate) -> Result<Option<i32>> {
    use chrono::Datelike;
    let table = HolidayTable::with_overrides(&overrides(conn)?);
    let next = today.year() + 1;
    if !table.knows_year(today.year()) {
        return Ok(Some(today.year()));
    }
    Ok((today.month() >= 10 && !table.knows_year(next)).then_some(next))
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
    db.write(crate::auth::Job::School, |tx| {
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
    db.write(crate::auth::Job::School, |tx| {
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

#[cfg(test)]
mod import_tests {
    use super::*;

    /// 2027 as the State Council publishes it would come (the format of the built-in files).
    const Y2027: &str = r#"{"year": 2027, "days": [
        {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
        {"name": "春节", "date": "2027-02-06", "isOffDay": true},
        {"name": "春节", "date": "2027-02-07", "isOffDay": true},
        {"name": "春节", "date": "2027-02-08", "isOffDay": true},
        {"name": "春节", "date": "2027-02-20", "isOffDay": false}
    ]}"#;

    #[test]
    fn a_new_years_schedule_is_imported_from_a_file_and_known_after() {
        let mut db = Db::open_scratch().expect("db");
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
        assert_eq!(next_year_missing(db.conn(), today).expect("check"), Some(2027));
        let r = import_year(&mut db, Y2027).expect("import");
        assert_eq!(r, ImportedYear { year: 2027, days: 5, replaced: 0 });
        assert_eq!(next_year_missing(db.conn(), today).expect("check"), None);
        let feb = month(db.conn(), "2027-02".parse().expect("month")).expect("month");
        assert!(feb.schedule_known);
        assert!(!feb.legal_working_days.iter().any(|d| d.to_string() == "2027-02-08"), "a holiday");
        assert!(feb.legal_working_days.iter().any(|d| d.to_string() == "2027-02-20"), "a make-up Saturday");
        // Importing the same file again changes nothing.
        assert_eq!(import_year(&mut db, Y2027).expect("again").replaced, 0);
        let audited = crate::db::audit::recent(db.conn(), Some("calendar_day"), 50).expect("audit");
        assert_eq!(audited.len(), 5, "each day once");
    }

    #[test]
    fn a_bad_schedule_file_is_refused_and_changes_nothing() {
        let mut db = Db::open_scratch().expect("db");
        for (bad, why) in [
            ("not json", "不是有效的 JSON"),
            (r#"{"year": 2027, "days": []}"#, "没有任何日期"),
            (r#"{"year": 2027, "days": [{"name": "元旦", "date": "2028-01-01", "isOffDay": true}]}"#, "别的年份"),
            (r#"{"year": 2027, "days": [{"name": "x", "date": "2027-01-04", "isOffDay": false}]}"#, "不需要调休上班"),
        ] {
            let err = import_year(&mut db, bad).expect_err("refused").to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
        assert!(overrides(db.conn()).expect("overrides").is_empty());
    }
}
