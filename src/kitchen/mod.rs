//! The kitchen manager's job (食堂): the daily menu, food samples (食品留样)
//! and the kitchen's daily logs, with the checks inspectors make.
//!
//! What is here:
//! - [`settings`]: the rules as settings, with the defaults of GB 31654-2021
//!   and the 2019 school food-safety rules (125 g, 48 h, fridge 0–8 °C, which
//!   meals the school serves, disinfection minimums, the fever line).
//! - [`samples`]: the menu per day and meal (copy last week's, dish names for
//!   autocomplete), one save per meal of the dishes' sample weights, the
//!   samples due for discard and discarding them, and the missing-sample check.
//! - [`logs`]: the fridge temperature log, the tableware disinfection log and
//!   the staff morning health check (晨检), each a simple daily table.
//! - [`checks`]: the records read against each other and the calendar
//!   (samples on days the children were away, samplers excluded at 晨检,
//!   fridge readings on every day the fridge holds samples, overdue samples):
//!   the flags shown on screen and on the printed logs.
//! - [`print`](mod@print): the month's 食品留样记录表, sticker labels, and the monthly
//!   temperature, disinfection and health-check logs as PDF.
//!
//! Decisions a reader should know:
//! - A sample under the minimum weight is **refused** (no override): the cook
//!   adds food to the box and weighs again. The standard allows no exceptions,
//!   and an override would let the log show a short sample as a valid one.
//! - Times are local wall-clock times at minute precision. Every write takes
//!   `now` from the caller, so the rules (nothing in the future, 48 h to the
//!   minute) are tested with fixed clocks.
//! - The kitchen cooks on 在园日 ([`in_session`]): a closure (停课) is not
//!   one even when the fees count it. A dish or sample on any other day needs
//!   the 非在园日供餐 reason, kept once per day.
//! - Someone found 不宜上岗 at the morning check cannot sample or discard
//!   that day; the fridge is read on every day it holds samples.
//! - A fridge reading outside the range is **kept and flagged** (it is an
//!   observation; refusing it would hide the problem) but needs the action
//!   taken (处理措施). A disinfection below its minimum is refused: it has to
//!   be done again before it can be recorded.
//!
//! Deliberately out: purchase inspection (进货查验), recipes and nutrition,
//! stock of food, several campuses' kitchens in one database.
//!
//! Glossary: menu 菜单/食谱 · dish 菜品 · meal 餐次 · food sample 留样 ·
//! sampler 留样人 · stored at 留样时间 · discard 处理/销毁 · fridge 留样柜 ·
//! reading 温度记录 · disinfection 消毒记录 · health check 晨检.

pub mod checks;
pub mod logs;
pub mod print;
pub mod samples;
pub mod settings;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize, Serializer};

use crate::school::text_enum_sql;

pub use samples::{FoodSample, SampleId};
pub use settings::KitchenSettings;

/// 餐次: the meals a kindergarten kitchen may serve (which ones a school
/// serves is a setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Meal {
    /// 早餐
    Breakfast,
    /// 早点 (mid-morning snack)
    MorningSnack,
    /// 午餐
    Lunch,
    /// 午点 / 加餐 (afternoon snack)
    AfternoonSnack,
    /// 晚餐
    Dinner,
}
text_enum_sql!(Meal {
    Breakfast => "breakfast",
    MorningSnack => "morning_snack",
    Lunch => "lunch",
    AfternoonSnack => "afternoon_snack",
    Dinner => "dinner",
});

impl Meal {
    /// All meals in the order of the day.
    pub const ALL: [Meal; 5] = [Meal::Breakfast, Meal::MorningSnack, Meal::Lunch, Meal::AfternoonSnack, Meal::Dinner];

    /// The name on forms and printouts.
    pub fn label(self) -> &'static str {
        match self {
            Meal::Breakfast => "早餐",
            Meal::MorningSnack => "早点",
            Meal::Lunch => "午餐",
            Meal::AfternoonSnack => "午点",
            Meal::Dinner => "晚餐",
        }
    }

    /// Reads 早餐/早点/午餐/午点/加餐/晚餐 (and 早/中/晚), or the code names.
    pub fn parse(s: &str) -> Option<Meal> {
        let t = s.trim();
        Meal::from_code(&t.to_ascii_lowercase()).or(match t {
            "早餐" | "早饭" | "早" => Some(Meal::Breakfast),
            "早点" | "上午点心" | "上午加餐" => Some(Meal::MorningSnack),
            "午餐" | "午饭" | "中餐" | "中" => Some(Meal::Lunch),
            "午点" | "加餐" | "下午点心" | "下午加餐" => Some(Meal::AfternoonSnack),
            "晚餐" | "晚饭" | "晚" => Some(Meal::Dinner),
            _ => None,
        })
    }

    /// When samples of this meal are usually stored: only a prefill for
    /// entries made after the fact, never a rule.
    pub fn usual_time(self) -> NaiveTime {
        let (h, m) = match self {
            Meal::Breakfast => (8, 0),
            Meal::MorningSnack => (9, 30),
            Meal::Lunch => (11, 30),
            Meal::AfternoonSnack => (15, 0),
            Meal::Dinner => (17, 30),
        };
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
    }
}

/// Whether the children are in school on `d` (在园日), so the kitchen cooks:
/// a school day that is not a closure. A charged closure (停课 after fees were
/// collected) stays a school day for the fees, but nobody attends it.
pub fn in_session(cal: &crate::calendar::SchoolCalendar, d: NaiveDate) -> bool {
    let day = cal.day(d);
    day.school_day && !day.charged_closure
}

/// A weight in tenths of a gram (scales show one decimal at most).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct Grams(pub i64);

impl Grams {
    /// Whole grams.
    pub fn whole(g: u32) -> Grams {
        Grams(i64::from(g) * 10)
    }

    /// Reads a typed weight: `130`, `124.5`, `130克`, `130 g`, full-width
    /// digits. The error is the Chinese reason, for a form's field problem.
    pub fn parse(text: &str) -> Result<Grams, String> {
        let t = normalize_number(text);
        let t = t.trim_end_matches(['克', 'g', 'G']).trim();
        if t.is_empty() {
            return Err("请填写留样量(克)".into());
        }
        let tenths = parse_tenths(t).ok_or_else(|| format!("“{}”不是数字,请填写克数,例如 130", text.trim()))?;
        if tenths <= 0 {
            return Err(format!("留样量必须大于 0 克(填的是“{}”)", text.trim()));
        }
        // No sample box holds 5 kg: a number this large is a typo (a missing point).
        if tenths > 50_000 {
            return Err(format!("留样量 {} 克太大,请检查是否多打了数字", Grams(tenths)));
        }
        Ok(Grams(tenths))
    }
}

impl std::fmt::Display for Grams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fmt_tenths(self.0, f)
    }
}

impl Serialize for Grams {
    /// As the user would type it (`125`, `124.5`): the UI shows it without arithmetic.
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A temperature in tenths of a degree Celsius.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct Celsius(pub i64);

impl Celsius {
    /// Whole degrees.
    pub fn whole(c: i64) -> Celsius {
        Celsius(c * 10)
    }

    /// Reads a typed temperature: `4`, `4.5`, `-1.5`, `36.5℃`, `4 °C`,
    /// full-width digits. The error is the Chinese reason.
    pub fn parse(text: &str, what: &str) -> Result<Celsius, String> {
        let t = normalize_number(text);
        let t = t.trim_end_matches(['℃', 'C', 'c']).trim_end_matches(['°', '度']).trim();
        if t.is_empty() {
            return Err(format!("请填写{what}"));
        }
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.trim()),
            None => (false, t),
        };
        let tenths = parse_tenths(digits).ok_or_else(|| format!("{what}“{}”不是数字,例如 4.5", text.trim()))?;
        Ok(Celsius(if neg { -tenths } else { tenths }))
    }
}

impl std::fmt::Display for Celsius {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fmt_tenths(self.0, f)
    }
}

impl Celsius {
    /// With one decimal always (`2.0`, `36.5`), as thermometers show it: for logs.
    pub fn reading(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{}.{}", self.0.abs() / 10, self.0.abs() % 10)
    }
}

impl Serialize for Celsius {
    /// As a thermometer shows it (`2.0`, `-1.5`).
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.reading())
    }
}

fn fmt_tenths(v: i64, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.abs();
    if a % 10 == 0 {
        write!(f, "{sign}{}", a / 10)
    } else {
        write!(f, "{sign}{}.{}", a / 10, a % 10)
    }
}

/// Full-width digits, point, minus and colon to ASCII; spaces trimmed.
fn normalize_number(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '－' | '—' => '-',
            '：' => ':',
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// `12`, `12.5` → tenths; at most one decimal place, digits only.
fn parse_tenths(t: &str) -> Option<i64> {
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    if int.is_empty() || int.len() > 7 || !int.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = int.parse().ok()?;
    let tenth = match frac {
        None => 0,
        Some(f) if f.len() == 1 && f.chars().all(|c| c.is_ascii_digit()) => f.parse::<i64>().ok()?,
        // 125.00 is still 125.0; anything finer is not a scale reading.
        Some(f) if f.len() > 1 && f.chars().all(|c| c.is_ascii_digit()) && f[1..].chars().all(|c| c == '0') => {
            f[..1].parse::<i64>().ok()?
        }
        Some(_) => return None,
    };
    Some(whole * 10 + tenth)
}

/// A whole number typed in a form (`10`, `１０`, `10分钟`), with the unit suffixes allowed.
pub(crate) fn parse_count(text: &str, what: &str, suffixes: &[&str]) -> Result<i64, String> {
    let mut t = normalize_number(text);
    for s in suffixes {
        if let Some(stripped) = t.strip_suffix(s) {
            t = stripped.to_string();
            break;
        }
    }
    if t.is_empty() {
        return Err(format!("请填写{what}"));
    }
    if t.len() > 6 || !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("{what}“{}”不是整数", text.trim()));
    }
    t.parse().map_err(|_| format!("{what}“{}”不是整数", text.trim()))
}

/// Reads a clock time as people type it: `11:30`, `11：30`, `1130`, `11.30`,
/// `11点30`, `11时30分`, `11点`. The error is the Chinese reason.
pub fn parse_time(text: &str) -> Result<NaiveTime, String> {
    let t = normalize_number(text);
    let bad = || format!("“{}”不是有效的时间,请按 11:30 的格式填写", text.trim());
    if t.is_empty() {
        return Err("请填写时间".into());
    }
    let t = t.trim_end_matches('分');
    let (h, m) = if let Some((h, m)) = t.split_once([':', '.', '点', '时']) {
        (h, if m.is_empty() { "0" } else { m })
    } else if t.chars().all(|c| c.is_ascii_digit()) && (t.len() == 3 || t.len() == 4) {
        t.split_at(t.len() - 2)
    } else if t.chars().all(|c| c.is_ascii_digit()) && t.len() <= 2 {
        (t, "0")
    } else {
        return Err(bad());
    };
    // Seconds (11:30:00) are accepted and dropped: the log is to the minute.
    let m = m.split(':').next().unwrap_or(m);
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
}

/// Reads a date and time: `2026-11-20 11:30`, `2026/11/20 11:30`,
/// `2026-11-20T11:30:00`. The error is the Chinese reason.
pub fn parse_datetime(text: &str) -> Result<NaiveDateTime, String> {
    let t = text.trim();
    let bad = || format!("“{t}”不是有效的日期和时间,请按 2026-11-20 11:30 的格式填写");
    let (d, time) = t.split_once([' ', 'T', '\u{3000}']).ok_or_else(bad)?;
    let date = crate::dates::parse_date(d).ok_or_else(bad)?;
    let time = parse_time(time.trim()).map_err(|_| bad())?;
    Ok(date.and_time(time))
}

/// Drops seconds and below: the log is kept to the minute.
pub fn to_minute(t: NaiveDateTime) -> NaiveDateTime {
    t.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(t)
}

/// 11月20日 11:30 — how times are shown on screen and on the log.
pub fn short_datetime(t: NaiveDateTime) -> String {
    format!("{}月{}日 {:02}:{:02}", t.month(), t.day(), t.hour(), t.minute())
}

/// 11月20日.
pub fn short_date(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

/// 周一 … 周日.
pub fn weekday_label(d: NaiveDate) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][d.weekday().num_days_from_monday() as usize]
}

/// The name of a person typed in a form, or the reason it is unusable.
pub(crate) fn person(text: &str, what: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("请填写{what}"));
    }
    if t.chars().count() > 20 {
        return Err(format!("{what}“{t}”太长(最多 20 个字)"));
    }
    // Several people may share a duty (张三、李四): any printable one-line text.
    crate::text::check(what, crate::text::Kind::Name, 20, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_parse_in_the_forms_people_type() {
        for (s, dg) in
            [("125", 1250), ("124.5", 1245), ("130克", 1300), (" 130 g", 1300), ("１２５", 1250), ("125.00", 1250)]
        {
            assert_eq!(Grams::parse(s), Ok(Grams(dg)), "{s}");
        }
        for s in ["abc", "12a", "1,25", "12.34", "-5", "0", "", "1e3", "一百二十五", "999999"] {
            let e = Grams::parse(s).expect_err(s);
            assert!(e.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{s}: {e}");
        }
        assert!(Grams::parse("abc").expect_err("abc").contains("不是数字"));
        assert_eq!(Grams(1245).to_string(), "124.5");
        assert_eq!(Grams(1250).to_string(), "125");
    }

    #[test]
    fn temperatures_and_times_parse() {
        assert_eq!(Celsius::parse("4.5℃", "温度"), Ok(Celsius(45)));
        assert_eq!(Celsius::parse("-1.5", "温度"), Ok(Celsius(-15)));
        assert_eq!(Celsius::parse("36.8 °C", "体温"), Ok(Celsius(368)));
        assert!(Celsius::parse("高", "温度").is_err());
        assert_eq!(Celsius(-15).to_string(), "-1.5");
        for (s, hm) in
            [("11:30", (11, 30)), ("11：30", (11, 30)), ("1130", (11, 30)), ("8点", (8, 0)), ("11时30分", (11, 30))]
        {
            assert_eq!(parse_time(s), Ok(NaiveTime::from_hms_opt(hm.0, hm.1, 0).expect("t")), "{s}");
        }
        assert!(parse_time("25:00").is_err());
        assert!(parse_time("noon").is_err());
        let dt = parse_datetime("2026/11/20 11:30").expect("dt");
        assert_eq!(short_datetime(dt), "11月20日 11:30");
        assert!(parse_datetime("2026-11-20").is_err());
    }

    #[test]
    fn meals_parse_by_name_and_alias() {
        assert_eq!(Meal::parse("加餐"), Some(Meal::AfternoonSnack));
        assert_eq!(Meal::parse("lunch"), Some(Meal::Lunch));
        assert_eq!(Meal::parse("夜宵"), None);
    }
}
