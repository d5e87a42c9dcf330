//! Calendar months and date parsing in the forms people type.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// A calendar month, e.g. 2025-10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Result<Self> {
        if !(1..=12).contains(&month) || !(1900..=2200).contains(&year) {
            return Err(Error::invalid(format!("月份“{year}-{month}”无效")));
        }
        Ok(YearMonth { year, month })
    }
    pub fn of(date: NaiveDate) -> Self {
        YearMonth { year: date.year(), month: date.month() }
    }
    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u32 {
        self.month
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }
    pub fn next(self) -> Self {
        if self.month == 12 {
            YearMonth { year: self.year + 1, month: 1 }
        } else {
            YearMonth { year: self.year, month: self.month + 1 }
        }
    }
    pub fn prev(self) -> Self {
        if self.month == 1 {
            YearMonth { year: self.year - 1, month: 12 }
        } else {
            YearMonth { year: self.year, month: self.month - 1 }
        }
    }
    /// Every day of the month, in order.
    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        let last = self.last_day();
        self.first_day().iter_days().take_while(move |d| *d <= last)
    }
    pub fn contains(self, d: NaiveDate) -> bool {
        YearMonth::of(d) == self
    }
    /// 2025年10月
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = Error;
    /// Accepts `2025-10`, `2025-1`, `2025/10`, `202510`, `2025年10月`.
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim().trim_end_matches('月');
        let bad = || Error::invalid(format!("“{s}”不是有效的月份(例如 2025-10)"));
        let (y, m) = if let Some((y, m)) = t.split_once(['-', '/', '年', '.']) {
            (y, m)
        } else if t.len() == 6 && t.chars().all(|c| c.is_ascii_digit()) {
            t.split_at(4)
        } else {
            return Err(bad());
        };
        let y: i32 = y.trim().parse().map_err(|_| bad())?;
        let m: u32 = m.trim().parse().map_err(|_| bad())?;
        YearMonth::new(y, m).map_err(|_| bad())
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses a date as people write it in forms and spreadsheets:
/// `2025-09-01`, `2025/9/1`, `2025.9.1`, `20250901`, `2025年9月1日`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if t.len() == 8 && t.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(t, "%Y%m%d").ok().filter(|d| (1900..=2200).contains(&d.year()));
    }
    // Excel sometimes appends a time: "2025-09-01 00:00:00".
    let t = t.split_whitespace().next().unwrap_or(t);
    let t = t.trim_end_matches('日');
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() != 3 {
        return None;
    }
    let y: i32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let d: u32 = parts[2].parse().ok()?;
    if !(1900..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `2026年9月21日`: a date as it is written on paper, without leading zeros.
pub fn on_paper(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Today on this PC's clock (local time: an office in China).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The local wall-clock time (stored timestamps are local, as the school reads
/// them), to the microsecond: what PostgreSQL keeps, so a school copied
/// between a file and a server keeps every timestamp exactly.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let t = chrono::Local::now().naive_local();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn months_parse_in_common_forms() {
        for s in ["2025-10", "2025/10", "202510", "2025年10月", " 2025-10 "] {
            assert_eq!(s.parse::<YearMonth>().expect(s).to_string(), "2025-10");
        }
        assert!("2025-13".parse::<YearMonth>().is_err());
        assert!("october".parse::<YearMonth>().is_err());
    }

    #[test]
    fn month_bounds() {
        let feb: YearMonth = "2024-02".parse().expect("month");
        assert_eq!(feb.last_day(), d(2024, 2, 29));
        assert_eq!(feb.days().count(), 29);
        assert_eq!("2025-12".parse::<YearMonth>().expect("m").next().to_string(), "2026-01");
        assert_eq!("2026-01".parse::<YearMonth>().expect("m").prev().to_string(), "2025-12");
    }

    #[test]
    fn dates_parse_in_common_forms() {
        for s in ["2025-09-01", "2025/9/1", "2025.9.1", "20250901", "2025年9月1日", "2025-09-01 00:00:00"] {
            assert_eq!(parse_date(s), Some(d(2025, 9, 1)), "{s}");
        }
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("明天"), None);
        assert_eq!(parse_date(""), None);
    }

    /// Found while writing the property tests (issue 12): the eight-digit form
    /// skipped the year range every other form keeps, so `00010101` was the year 1.
    #[test]
    fn eight_digit_dates_keep_the_year_range() {
        assert_eq!(parse_date("00010101"), None);
        assert_eq!(parse_date("22010101"), None);
        assert_eq!(parse_date("19000101"), Some(d(1900, 1, 1)));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn any_date() -> impl Strategy<Value = NaiveDate> {
            let first = d(1900, 1, 1).num_days_from_ce();
            let last = d(2200, 12, 31).num_days_from_ce();
            (first..=last).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).expect("in range"))
        }

        proptest! {
            #[test]
            fn parse_date_never_panics_and_stays_in_range(text in "\\PC{0,24}|[0-9年月日./ -]{0,24}") {
                if let Some(day) = parse_date(&text) {
                    prop_assert!((1900..=2200).contains(&day.year()), "{text} → {day}");
                }
            }

            #[test]
            fn dates_written_every_way_parse_back(day in any_date()) {
                let (y, m, dd) = (day.year(), day.month(), day.day());
                for text in [
                    day.format("%Y-%m-%d").to_string(),
                    format!("{y}/{m}/{dd}"),
                    format!("{y}.{m}.{dd}"),
                    day.format("%Y%m%d").to_string(),
                    format!("{y}年{m}月{dd}日"),
                    format!(" {} 00:00:00", day.format("%Y-%m-%d")),
                ] {
                    prop_assert_eq!(parse_date(&text), Some(day), "{}", text);
                }
            }

            #[test]
            fn months_parse_back_and_step(day in any_date()) {
                let m = YearMonth::of(day);
                prop_assert_eq!(m.to_string().parse::<YearMonth>().ok(), Some(m));
                prop_assert_eq!(m.label().parse::<YearMonth>().ok(), Some(m));
                prop_assert!(m.contains(day) && m.contains(m.first_day()) && m.contains(m.last_day()));
                prop_assert!((28..=31).contains(&m.days().count()));
                prop_assert_eq!(m.next().prev(), m);
                prop_assert_eq!(m.next().first_day(), m.last_day().succ_opt().expect("next day"));
            }

            #[test]
            fn month_parse_never_panics(text in "\\PC{0,16}|[0-9年月./-]{0,10}") {
                if let Ok(m) = text.parse::<YearMonth>() {
                    prop_assert!((1900..=2200).contains(&m.year()) && (1..=12).contains(&m.month()));
                }
            }
        }
    }
}
