//! The school calendar (校历): legal working days from the national schedule,
//! minus the school's own closures. Pure: the storage layer loads the overrides
//! and closures, this module answers questions about days and months.

mod builtin_data;
pub mod holidays;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

pub use holidays::{parse_year_file, HolidayEntry, HolidayTable};

use crate::dates::YearMonth;

/// A date range the school was closed, as the bursar records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Closure {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
    /// `false`: a planned break (寒暑假) — not a school day, nobody is charged.
    /// `true`: an unplanned closure after fees were collected (epidemic, typhoon) —
    /// stays in the charge basis and may be refunded per day.
    pub charged: bool,
}

impl Closure {
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// How the national schedule classes a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary Monday–Friday.
    Workday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A public holiday (放假).
    Holiday,
    /// A weekend day that is a working day (调休上班).
    MakeUpWorkday,
}

/// Everything the month view shows about one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DayInfo {
    pub date: NaiveDate,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u32,
    pub kind: DayKind,
    pub holiday_name: Option<String>,
    pub legal_working_day: bool,
    pub closure_reason: Option<String>,
    /// The day is a charged (unplanned) closure: a school day nobody can attend.
    pub charged_closure: bool,
    pub school_day: bool,
}

/// The counts a month's rules need, with the days behind them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonthCalendar {
    pub month: YearMonth,
    /// Whether the national schedule for this year is known; if not, only
    /// weekends are treated as days off and the UI says so.
    pub schedule_known: bool,
    pub legal_working_days: Vec<NaiveDate>,
    /// Legal working days minus uncharged closures (charged closures stay in).
    pub school_days: Vec<NaiveDate>,
    pub charged_closure_days: Vec<NaiveDate>,
    pub days: Vec<DayInfo>,
}

/// The national schedule plus the school's closures.
#[derive(Debug, Clone)]
pub struct SchoolCalendar {
    table: HolidayTable,
    closures: Vec<Closure>,
}

impl SchoolCalendar {
    pub fn new(table: HolidayTable, closures: Vec<Closure>) -> Self {
        SchoolCalendar { table, closures }
    }

    /// The built-in national schedule and no closures.
    pub fn national() -> Self {
        SchoolCalendar { table: HolidayTable::builtin().clone(), closures: Vec::new() }
    }

    pub fn holidays(&self) -> &HolidayTable {
        &self.table
    }

    pub fn closures(&self) -> &[Closure] {
        &self.closures
    }

    pub fn is_legal_working_day(&self, d: NaiveDate) -> bool {
        self.table.is_legal_working_day(d)
    }

    fn closure_on(&self, d: NaiveDate) -> Option<&Closure> {
        // An uncharged closure wins over a charged one on the same day: a day in
        // the summer break is not a school day whatever else was recorded.
        self.closures.iter().filter(|c| c.covers(d)).min_by_key(|c| c.charged)
    }

    pub fn day(&self, d: NaiveDate) -> DayInfo {
        let entry = self.table.entry(d);
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        let kind = match (entry, weekend) {
            (Some(e), true) if !e.is_off_day => DayKind::MakeUpWorkday,
            (Some(e), _) if e.is_off_day => DayKind::Holiday,
            (_, true) => DayKind::Weekend,
            _ => DayKind::Workday,
        };
        let legal = self.table.is_legal_working_day(d);
        let closure = if legal { self.closure_on(d) } else { None };
        let charged_closure = closure.is_some_and(|c| c.charged);
        let school_day = legal && closure.is_none_or(|c| c.charged);
        DayInfo {
            date: d,
            weekday: d.weekday().number_from_monday(),
            kind,
            holiday_name: entry.map(|e| e.name.clone()),
            legal_working_day: legal,
            closure_reason: self.closures.iter().find(|c| c.covers(d)).map(|c| c.reason.clone()),
            charged_closure,
            school_day,
        }
    }

    /// A school day: a legal working day not inside a planned (uncharged) closure.
    pub fn is_school_day(&self, d: NaiveDate) -> bool {
        self.day(d).school_day
    }

    pub fn month(&self, month: YearMonth) -> MonthCalendar {
        let days: Vec<DayInfo> = month.days().map(|d| self.day(d)).collect();
        MonthCalendar {
            month,
            schedule_known: self.table.knows_year(month.year()),
            legal_working_days: days.iter().filter(|d| d.legal_working_day).map(|d| d.date).collect(),
            school_days: days.iter().filter(|d| d.school_day).map(|d| d.date).collect(),
            charged_closure_days: days.iter().filter(|d| d.charged_closure).map(|d| d.date).collect(),
            days,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }
    fn m(s: &str) -> YearMonth {
        s.parse().expect("month")
    }

    #[test]
    fn october_2025_has_18_legal_working_days() {
        let cal = SchoolCalendar::national();
        let oct = cal.month(m("2025-10"));
        assert_eq!(oct.legal_working_days.len(), 18);
        assert_eq!(oct.school_days.len(), 18);
        assert_eq!(cal.day(d("2025-10-11")).kind, DayKind::MakeUpWorkday);
        assert_eq!(cal.day(d("2025-10-01")).kind, DayKind::Holiday);
    }

    #[test]
    fn scenario_month_counts() {
        let cal = SchoolCalendar::national();
        assert_eq!(cal.month(m("2024-11")).legal_working_days.len(), 21);
        assert_eq!(cal.month(m("2026-03")).legal_working_days.len(), 22);
        assert_eq!(cal.month(m("2026-07")).legal_working_days.len(), 23);
    }

    #[test]
    fn planned_break_removes_school_days_charged_closure_keeps_them() {
        let cal = SchoolCalendar::new(
            HolidayTable::builtin().clone(),
            vec![
                Closure { from: d("2026-07-08"), to: d("2026-07-09"), reason: "台风停课".into(), charged: true },
                Closure { from: d("2026-07-16"), to: d("2026-07-31"), reason: "暑假".into(), charged: false },
            ],
        );
        let jul = cal.month(m("2026-07"));
        assert_eq!(jul.legal_working_days.len(), 23);
        assert_eq!(jul.school_days.len(), 11);
        assert_eq!(jul.charged_closure_days, vec![d("2026-07-08"), d("2026-07-09")]);
        assert!(cal.is_school_day(d("2026-07-08")));
        assert!(!cal.is_school_day(d("2026-07-16")));
    }

    #[test]
    fn unknown_year_is_flagged() {
        let cal = SchoolCalendar::national();
        assert!(!cal.month(m("2027-05")).schedule_known);
        assert!(cal.month(m("2026-05")).schedule_known);
    }
}
