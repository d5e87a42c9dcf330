//! The meal account's settings, kept in the `settings` table under
//! `meal_account.*` and changed with an audit entry:
//!
//! - `meal_account.categories`: the food categories, in the order the sheet
//!   lists them (JSON array of names);
//! - `meal_account.limit_percent`: the profit/loss limit in percent (`2` = ±2%);
//! - `meal_account.publish_day`: publish last month's sheet by this day (15);
//! - `meal_account.fee_id`: the fee item whose charges and refunds are the
//!   meal account's income (`meal`);
//! - `meal_account.term_start_months`: the months a term's running balance
//!   starts from (`[2, 9]`: spring and autumn terms);
//! - `meal_account.complaint_phone`: the 监督电话 printed at the foot of the
//!   posted sheet (empty: none printed).

use crate::store::Conn;
use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::{Error, Fen, Result};

const KEY_CATEGORIES: &str = "meal_account.categories";
const KEY_LIMIT: &str = "meal_account.limit_percent";
const KEY_DAY: &str = "meal_account.publish_day";
const KEY_FEE: &str = "meal_account.fee_id";
const KEY_TERMS: &str = "meal_account.term_start_months";
/// The setting that holds the 监督电话 (the demo sets it directly).
pub const KEY_PHONE: &str = "meal_account.complaint_phone";

/// The categories of the national sample sheets, in their usual order.
pub const DEFAULT_CATEGORIES: &[&str] =
    &["粮食", "食用油", "肉禽蛋", "水产", "蔬菜", "豆制品", "奶类", "水果", "点心", "调味品", "燃料"];

/// Longest category name accepted (it has to fit a column of the sheet).
const MAX_CATEGORY_CHARS: usize = 8;

/// The settings as the rules and the form use them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MealSettings {
    /// Food categories, in sheet order.
    pub categories: Vec<String>,
    /// The profit/loss limit in percent as typed: `2`, `2.5` (at most two decimals).
    pub limit_percent: String,
    /// Day of the next month by which the sheet is published (1–28).
    pub publish_day: u32,
    /// Id of the fee item that is the meal fee.
    pub fee_id: String,
    /// Months (1–12) in which a term starts.
    pub term_start_months: Vec<u32>,
    /// 监督电话 printed on the posted sheet, where parents can complain (may be empty).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub complaint_phone: String,
}

impl Default for MealSettings {
    fn default() -> Self {
        MealSettings {
            categories: DEFAULT_CATEGORIES.iter().map(|s| s.to_string()).collect(),
            limit_percent: "2".into(),
            publish_day: 15,
            fee_id: "meal".into(),
            term_start_months: vec![2, 9],
            complaint_phone: String::new(),
        }
    }
}

/// `2` → 200 basis points (0.01%); `2.5%` → 250. Must be above 0 and at most 100%.
pub fn parse_percent(text: &str) -> Result<i64> {
    let t = text.trim().trim_end_matches(['%', '%']).trim();
    let bad = || Error::invalid(format!("盈亏率上限“{text}”无效:请填写 0 到 100 之间的百分数,最多两位小数(例如 2)"));
    // Two decimals of a percent are hundredths, exactly like fen of a yuan.
    let v = Fen::parse(t).map_err(|_| bad())?.as_i64();
    if v <= 0 || v > 10_000 {
        return Err(bad());
    }
    Ok(v)
}

/// 200 → `2%`, 250 → `2.5%`, -14 → `-0.14%`: the shortest exact form.
pub fn percent_text(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let a = bp.unsigned_abs();
    let (int, frac) = (a / 100, a % 100);
    if frac == 0 {
        format!("{sign}{int}%")
    } else if frac % 10 == 0 {
        format!("{sign}{int}.{}%", frac / 10)
    } else {
        format!("{sign}{int}.{frac:02}%")
    }
}

impl MealSettings {
    /// The limit in basis points (hundredths of a percent).
    pub fn limit_bp(&self) -> Result<i64> {
        parse_percent(&self.limit_percent)
    }

    /// `±2%`.
    pub fn limit_text(&self) -> String {
        match self.limit_bp() {
            Ok(bp) => format!("±{}", percent_text(bp)),
            Err(_) => format!("±{}%", self.limit_percent.trim()),
        }
    }

    /// Whether `name` is one of the categories.
    pub fn has_category(&self, name: &str) -> bool {
        self.categories.iter().any(|c| c == name)
    }

    /// The categories as a list for messages: 粮食、食用油、….
    pub fn category_list(&self) -> String {
        self.categories.join("、")
    }

    /// Every problem with these settings, all at once.
    pub fn check(&self) -> Result<()> {
        let mut problems = Vec::new();
        if self.categories.is_empty() {
            problems.push("请至少填写一个食品类别".to_string());
        }
        let mut seen: Vec<&str> = Vec::new();
        for c in &self.categories {
            let name = c.trim();
            if name.is_empty() {
                problems.push("食品类别的名称不能为空".to_string());
            } else if name.chars().count() > MAX_CATEGORY_CHARS {
                problems.push(format!("食品类别“{name}”太长,最多 {MAX_CATEGORY_CHARS} 个字"));
            } else if name.contains([',', ',', '、', '=']) {
                problems.push(format!("食品类别“{name}”中不能有逗号、顿号或等号"));
            } else if let Err(why) = crate::text::check("食品类别", crate::text::Kind::Name, MAX_CATEGORY_CHARS, name)
            {
                problems.push(why);
            } else if seen.contains(&name) {
                problems.push(format!("食品类别“{name}”重复了"));
            }
            seen.push(name);
        }
        if let Err(e) = self.limit_bp() {
            problems.push(e.to_string());
        }
        if !(1..=28).contains(&self.publish_day) {
            problems.push(format!("公示截止日必须是 1 到 28 日之间(每个月都有的日子),而不是 {} 日", self.publish_day));
        }
        if self.fee_id.trim().is_empty() {
            problems.push("请选择伙食费对应的收费项目".to_string());
        }
        if self.term_start_months.is_empty() {
            problems.push("请至少填写一个学期开始的月份".to_string());
        }
        for m in &self.term_start_months {
            if !(1..=12).contains(m) {
                problems.push(format!("学期开始月份必须是 1 到 12 月,而不是 {m}"));
            }
        }
        if let Err(why) = crate::text::Field::phone("监督电话").check(&self.complaint_phone) {
            problems.push(why);
        }
        let names: Vec<&str> = self.categories.iter().map(|c| c.as_str()).collect();
        for (text, chars) in crate::pdf::missing_glyphs(&names) {
            let list: String = chars.iter().collect();
            problems.push(format!("类别“{text}”中的“{list}”没有字体可以打印,请换一种写法"));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(problems.join(";")))
        }
    }

    /// The month the term containing `month` started in (the latest start
    /// month at or before it, going back into the previous year if needed).
    pub fn term_start(&self, month: crate::dates::YearMonth) -> crate::dates::YearMonth {
        let mut m = month;
        for _ in 0..12 {
            if self.term_start_months.contains(&m.month()) {
                return m;
            }
            m = m.prev();
        }
        // No start month configured: the calendar year.
        crate::dates::YearMonth::new(month.year(), 1).unwrap_or(month)
    }
}

/// The saved settings, with the defaults for anything never set.
pub fn get(conn: &Conn) -> Result<MealSettings> {
    let d = MealSettings::default();
    let categories = match crate::settings::get(conn, KEY_CATEGORIES)? {
        Some(v) => serde_json::from_str::<Vec<String>>(&v)
            .map_err(|_| Error::invalid("设置中的食品类别无法读取,请在伙食账设置中重新填写"))?,
        None => d.categories,
    };
    let limit_percent = crate::settings::get(conn, KEY_LIMIT)?.unwrap_or(d.limit_percent);
    let publish_day = match crate::settings::get(conn, KEY_DAY)? {
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| Error::invalid(format!("设置中的公示截止日“{v}”无效,请在伙食账设置中重新填写")))?,
        None => d.publish_day,
    };
    let fee_id = crate::settings::get(conn, KEY_FEE)?.unwrap_or(d.fee_id);
    let term_start_months = match crate::settings::get(conn, KEY_TERMS)? {
        Some(v) => serde_json::from_str::<Vec<u32>>(&v)
            .map_err(|_| Error::invalid("设置中的学期开始月份无法读取,请在伙食账设置中重新填写"))?,
        None => d.term_start_months,
    };
    let complaint_phone = crate::settings::get(conn, KEY_PHONE)?.unwrap_or(d.complaint_phone);
    Ok(MealSettings { categories, limit_percent, publish_day, fee_id, term_start_months, complaint_phone })
}

/// Saves the settings in one transaction, each changed key audited with its
/// old and new value. Refused (nothing saved) if any value is unusable.
pub fn save(db: &mut Db, s: &MealSettings) -> Result<MealSettings> {
    let mut months = s.term_start_months.clone();
    months.sort_unstable();
    months.dedup();
    let s = MealSettings {
        categories: s.categories.iter().map(|c| c.trim().to_string()).collect(),
        limit_percent: s.limit_percent.trim().trim_end_matches(['%', '%']).trim().to_string(),
        fee_id: s.fee_id.trim().to_string(),
        term_start_months: months,
        complaint_phone: s.complaint_phone.trim().to_string(),
        ..s.clone()
    };
    s.check()?;
    let json = |e: serde_json::Error| Error::invalid(format!("伙食账设置无法保存:{e}"));
    crate::settings::save_all_for(
        db,
        crate::auth::Job::Fees,
        &[
            (KEY_CATEGORIES, Some(serde_json::to_string(&s.categories).map_err(json)?)),
            (KEY_LIMIT, Some(s.limit_percent.clone())),
            (KEY_DAY, Some(s.publish_day.to_string())),
            (KEY_FEE, Some(s.fee_id.clone())),
            (KEY_TERMS, Some(serde_json::to_string(&s.term_start_months).map_err(json)?)),
            (KEY_PHONE, Some(s.complaint_phone.clone())),
        ],
    )?;
    get(db.conn())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::YearMonth;

    #[test]
    fn percentages_parse_and_print_exactly() {
        assert_eq!(parse_percent("2").expect("2"), 200);
        assert_eq!(parse_percent(" 2.5% ").expect("2.5"), 250);
        assert_eq!(parse_percent("0.15").expect("0.15"), 15);
        assert!(parse_percent("0").is_err());
        assert!(parse_percent("-2").is_err());
        assert!(parse_percent("2.345").is_err());
        assert!(parse_percent("两").is_err());
        assert_eq!(percent_text(200), "2%");
        assert_eq!(percent_text(250), "2.5%");
        assert_eq!(percent_text(-14), "-0.14%");
        assert_eq!(percent_text(5), "0.05%");
    }

    #[test]
    fn defaults_until_saved_then_saved_values_with_audit() {
        let mut db = Db::open_scratch().expect("db");
        let d = get(db.conn()).expect("get");
        assert_eq!(d, MealSettings::default());
        assert_eq!(d.limit_bp().expect("limit"), 200);
        assert_eq!(d.limit_text(), "±2%");
        let s = MealSettings {
            categories: vec![" 主食 ".into(), "副食".into()],
            limit_percent: "1.5%".into(),
            publish_day: 10,
            fee_id: "meal".into(),
            term_start_months: vec![9, 3, 9],
            complaint_phone: " 0591-12345678 ".into(),
        };
        let saved = save(&mut db, &s).expect("save");
        assert_eq!(saved.categories, vec!["主食", "副食"]);
        assert_eq!(saved.limit_percent, "1.5");
        assert_eq!(saved.term_start_months, vec![3, 9]);
        assert_eq!(saved.complaint_phone, "0591-12345678");
        let log = crate::db::audit::recent(db.conn(), Some("setting"), 10).expect("audit");
        assert_eq!(log.len(), 6, "every key stored on the first save");
        save(&mut db, &saved).expect("same again");
        assert_eq!(
            crate::db::audit::recent(db.conn(), Some("setting"), 10).expect("audit").len(),
            6,
            "nothing changed"
        );
    }

    #[test]
    fn bad_settings_are_refused_in_chinese_and_change_nothing() {
        let mut db = Db::open_scratch().expect("db");
        let s = MealSettings {
            categories: vec!["粮食".into(), "粮食".into(), " ".into()],
            limit_percent: "abc".into(),
            publish_day: 31,
            fee_id: " ".into(),
            term_start_months: vec![13],
            complaint_phone: "call me".into(),
        };
        let err = save(&mut db, &s).expect_err("refused").to_string();
        for part in
            ["“粮食”重复", "名称不能为空", "盈亏率上限", "1 到 28 日", "伙食费对应的收费项目", "1 到 12 月", "监督电话"]
        {
            assert!(err.contains(part), "{part} missing in {err}");
        }
        assert_eq!(get(db.conn()).expect("get"), MealSettings::default());
    }

    #[test]
    fn the_term_starts_in_the_latest_start_month() {
        let s = MealSettings::default();
        let m = |t: &str| t.parse::<YearMonth>().expect("month");
        assert_eq!(s.term_start(m("2026-11")), m("2026-09"));
        assert_eq!(s.term_start(m("2027-01")), m("2026-09"));
        assert_eq!(s.term_start(m("2027-02")), m("2027-02"));
        assert_eq!(s.term_start(m("2027-07")), m("2027-02"));
    }
}
