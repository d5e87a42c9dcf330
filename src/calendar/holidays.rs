//! National holidays and make-up working days (调休): the built-in schedule, with a
//! school's own additions and corrections on top.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::builtin_data::YEARS;

/// One exception to the Monday–Friday week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HolidayEntry {
    pub date: NaiveDate,
    pub name: String,
    /// `true`: a day off (holiday); `false`: a make-up working day (调休上班).
    pub is_off_day: bool,
}

/// All known exceptions, by date, and the years for which a schedule is known.
#[derive(Debug, Clone, Default)]
pub struct HolidayTable {
    days: BTreeMap<NaiveDate, HolidayEntry>,
    years: BTreeSet<i32>,
}

#[derive(Deserialize)]
struct YearFile {
    #[serde(default)]
    year: Option<i32>,
    days: Vec<YearFileDay>,
}

#[derive(Deserialize)]
struct YearFileDay {
    name: String,
    date: NaiveDate,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

/// Reads a year's schedule file in the built-in format (NateScarlet/holiday-cn:
/// `year`, `days: [{name, date, isOffDay}]`). Refused in Chinese when it is not
/// one: not JSON, no days, a day outside the year, a day named twice, a
/// holiday on a date that makes no sense for the kind (a 调休 working day on a
/// weekday, which would change nothing).
pub fn parse_year_file(json: &str) -> crate::Result<(i32, Vec<HolidayEntry>)> {
    let file: YearFile = serde_json::from_str(json).map_err(|e| crate::error::json_error("放假安排文件", json, &e))?;
    let Some(first) = file.days.first() else {
        return Err(crate::Error::invalid("放假安排文件里没有任何日期"));
    };
    let year = file.year.unwrap_or_else(|| first.date.year());
    if !(2007..=2200).contains(&year) {
        return Err(crate::Error::invalid(format!("放假安排的年份 {year} 不对")));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(file.days.len());
    for d in file.days {
        if d.date.year() != year {
            return Err(crate::Error::invalid(format!("{year} 年的放假安排里有别的年份的日期:{}", d.date)));
        }
        if !seen.insert(d.date) {
            return Err(crate::Error::invalid(format!("放假安排里 {} 出现了两次", d.date)));
        }
        let name = d.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 20 || name.chars().any(char::is_control) {
            return Err(crate::Error::invalid(format!("{} 的节日名称不对", d.date)));
        }
        let weekend = matches!(d.date.weekday(), Weekday::Sat | Weekday::Sun);
        if !d.is_off_day && !weekend {
            return Err(crate::Error::invalid(format!("{}({name})是工作日,不需要调休上班", d.date)));
        }
        out.push(HolidayEntry { date: d.date, name, is_off_day: d.is_off_day });
    }
    Ok((year, out))
}

impl HolidayTable {
    /// The schedule built into the program (2007 onward).
    pub fn builtin() -> &'static HolidayTable {
        static TABLE: OnceLock<HolidayTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut t = HolidayTable::default();
            for (year, json) in YEARS {
                // The data is compiled in and checked by a test; a year that fails
                // to parse is left unknown rather than taking the program down.
                if let Ok(file) = serde_json::from_str::<YearFile>(json) {
                    t.years.insert(*year);
                    for d in file.days {
                        t.days.insert(d.date, HolidayEntry { date: d.date, name: d.name, is_off_day: d.is_off_day });
                    }
                }
            }
            t
        })
    }

    /// The built-in schedule with a school's own entries laid over it: an entry
    /// for a date replaces the built-in one, and makes that year known.
    pub fn with_overrides(overrides: &[HolidayEntry]) -> HolidayTable {
        let mut t = HolidayTable::builtin().clone();
        for o in overrides {
            t.years.insert(o.date.year());
            t.days.insert(o.date, o.clone());
        }
        t
    }

    /// Whether the State Council schedule for this year is known (built in or entered).
    pub fn knows_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn known_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn entry(&self, date: NaiveDate) -> Option<&HolidayEntry> {
        self.days.get(&date)
    }

    /// 法定工作日: Monday–Friday that are not holidays, plus make-up working days.
    pub fn is_legal_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(e) => !e.is_off_day,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn every_builtin_year_parses() {
        let t = HolidayTable::builtin();
        for y in 2007..=2026 {
            assert!(t.knows_year(y), "year {y} missing");
        }
    }

    #[test]
    fn national_day_and_make_up_day_2025() {
        let t = HolidayTable::builtin();
        assert!(!t.is_legal_working_day(d("2025-10-01")));
        assert!(!t.is_legal_working_day(d("2025-10-08")));
        assert!(t.is_legal_working_day(d("2025-10-11")), "Saturday make-up day");
        assert!(t.is_legal_working_day(d("2025-10-09")));
        assert!(!t.is_legal_working_day(d("2025-10-12")));
    }

    #[test]
    fn spring_festival_2026_is_off() {
        // The holiday-cn crate got this wrong (empty 2026 table); ours must not.
        let t = HolidayTable::builtin();
        assert!(!t.is_legal_working_day(d("2026-02-17")));
    }

    #[test]
    fn overrides_replace_builtin_days() {
        let t = HolidayTable::with_overrides(&[HolidayEntry {
            date: d("2027-01-01"),
            name: "元旦".into(),
            is_off_day: true,
        }]);
        assert!(t.knows_year(2027));
        assert!(!t.is_legal_working_day(d("2027-01-01")));
        assert!(!HolidayTable::builtin().knows_year(2027));
    }
}
