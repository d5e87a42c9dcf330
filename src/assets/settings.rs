//! The fixed-asset settings: every school-specific number of this job, stored
//! in the `settings` table under `assets.*` and changed with an audit entry.
//!
//! - `assets.number_pattern`: how new asset numbers are made, e.g.
//!   `ZC{yyyy}{seq:4}` → ZC20250001 (see [`NumberPattern`]).
//! - `assets.threshold_general` / `assets.threshold_special`: the
//!   capitalisation threshold (固定资产起点) for general and special equipment;
//!   cheaper items are suggested as low-value consumables (低值易耗品).
//! - `assets.depreciation_rule`: `government` (from the month of acquisition,
//!   the default for public kindergartens) or `enterprise` (from the next
//!   month, the default for private ones) — unset means "by ownership".
//! - `assets.disposal_levels`: who approves a disposal, by original value.
//! - `assets.check_interval_months`: an asset not found at a stocktake for this
//!   long is listed as not checked.
//! - `assets.label_columns` / `assets.label_rows`: the label paper.

use crate::store::Conn;
use serde::{Deserialize, Serialize};

use super::depreciation::DepreciationRule;
use crate::db::Db;
use crate::school::profile::{self, Ownership};
use crate::{settings as kv, Error, Fen, Result};

const PATTERN: &str = "assets.number_pattern";
const THRESHOLD_GENERAL: &str = "assets.threshold_general";
const THRESHOLD_SPECIAL: &str = "assets.threshold_special";
const RULE: &str = "assets.depreciation_rule";
const LEVELS: &str = "assets.disposal_levels";
const CHECK_MONTHS: &str = "assets.check_interval_months";
const LABEL_COLUMNS: &str = "assets.label_columns";
const LABEL_ROWS: &str = "assets.label_rows";

/// One approval level: disposals of assets whose original value is at least
/// `from` need `level` (the highest level reached applies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalLevel {
    /// Lower bound of the original value (原值), inclusive.
    pub from: Fen,
    /// Who approves, e.g. 园长审批.
    pub level: String,
}

/// The settings as the rules use them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetSettings {
    pub number_pattern: String,
    pub threshold_general: Fen,
    pub threshold_special: Fen,
    pub rule: DepreciationRule,
    /// True when no rule was chosen and it follows the school's ownership.
    pub rule_from_ownership: bool,
    /// Ascending by `from`; the first starts at 0.
    pub approval_levels: Vec<ApprovalLevel>,
    pub check_interval_months: u32,
    pub label_columns: u32,
    pub label_rows: u32,
}

/// The settings as the form shows and sends them: amounts as typed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AssetsSettingsForm"))]
pub struct SettingsForm {
    pub number_pattern: String,
    pub threshold_general: String,
    pub threshold_special: String,
    /// `None`: follow the school's ownership (public → government).
    pub depreciation_rule: Option<DepreciationRule>,
    pub approval_levels: Vec<LevelForm>,
    pub check_interval_months: u32,
    pub label_columns: u32,
    pub label_rows: u32,
}

/// One approval level in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LevelForm {
    /// Original value from which this level applies, as typed (e.g. 10000).
    pub from: String,
    pub level: String,
}

/// The shipped defaults (domain: 1,000 yuan general, 1,500 special equipment;
/// a half-yearly check; 3 × 8 labels, the common 24-up A4 label sheet).
pub fn default_levels() -> Vec<ApprovalLevel> {
    vec![
        ApprovalLevel { from: Fen::ZERO, level: "园长审批".into() },
        ApprovalLevel { from: Fen::yuan(10_000), level: "园务会议集体决定".into() },
        ApprovalLevel { from: Fen::yuan(50_000), level: "报主管部门(教育局)审批".into() },
    ]
}

fn text(conn: &Conn, key: &str) -> Result<Option<String>> {
    Ok(kv::get(conn, key)?.filter(|v| !v.trim().is_empty()))
}

/// The depreciation rule alone (a scan needs only this): the setting, else
/// the one that fits the school's ownership.
pub fn rule(conn: &Conn) -> Result<DepreciationRule> {
    Ok(rule_and_source(conn)?.0)
}

/// The rule and whether it comes from the school's ownership (not set).
fn rule_and_source(conn: &Conn) -> Result<(DepreciationRule, bool)> {
    match text(conn, RULE)? {
        Some(v) => Ok((
            DepreciationRule::from_code(v.trim())
                .ok_or_else(|| Error::invalid(format!("设置“{RULE}”的值“{v}”无效,请在 固定资产 → 设置 中重新填写")))?,
            false,
        )),
        None => {
            let ownership = profile::get(conn)?.map(|p| p.ownership).unwrap_or_default();
            Ok((DepreciationRule::for_ownership(ownership), true))
        }
    }
}

/// Reads the settings, with defaults for what was never set. A stored value
/// that no longer parses is reported, never silently replaced.
pub fn load(conn: &Conn) -> Result<AssetSettings> {
    let broken =
        |key: &str, v: &str| Error::invalid(format!("设置“{key}”的值“{v}”无效,请在 固定资产 → 设置 中重新填写"));
    let money = |key: &str, default: Fen| -> Result<Fen> {
        match text(conn, key)? {
            Some(v) => Fen::parse(&v).map_err(|_| broken(key, &v)),
            None => Ok(default),
        }
    };
    let number = |key: &str, default: u32| -> Result<u32> {
        match text(conn, key)? {
            Some(v) => v.trim().parse().map_err(|_| broken(key, &v)),
            None => Ok(default),
        }
    };
    let (rule, rule_from_ownership) = rule_and_source(conn)?;
    let approval_levels = match text(conn, LEVELS)? {
        Some(v) => serde_json::from_str(&v).map_err(|_| broken(LEVELS, &v))?,
        None => default_levels(),
    };
    Ok(AssetSettings {
        number_pattern: text(conn, PATTERN)?.unwrap_or_else(|| "ZC{yyyy}{seq:4}".into()),
        threshold_general: money(THRESHOLD_GENERAL, Fen::yuan(1_000))?,
        threshold_special: money(THRESHOLD_SPECIAL, Fen::yuan(1_500))?,
        rule,
        rule_from_ownership,
        approval_levels,
        check_interval_months: number(CHECK_MONTHS, 12)?,
        label_columns: number(LABEL_COLUMNS, 3)?,
        label_rows: number(LABEL_ROWS, 8)?,
    })
}

impl AssetSettings {
    /// The settings as the form shows them.
    pub fn to_form(&self) -> SettingsForm {
        SettingsForm {
            number_pattern: self.number_pattern.clone(),
            threshold_general: self.threshold_general.to_yuan_string(),
            threshold_special: self.threshold_special.to_yuan_string(),
            depreciation_rule: if self.rule_from_ownership { None } else { Some(self.rule) },
            approval_levels: self
                .approval_levels
                .iter()
                .map(|l| LevelForm { from: l.from.to_yuan_string(), level: l.level.clone() })
                .collect(),
            check_interval_months: self.check_interval_months,
            label_columns: self.label_columns,
            label_rows: self.label_rows,
        }
    }
}

/// The form read back: every field checked, every problem in Chinese.
fn parse_form(form: &SettingsForm) -> Result<Vec<(&'static str, Option<String>)>> {
    NumberPattern::parse(&form.number_pattern)?;
    let money = |label: &str, v: &str| -> Result<Fen> {
        let f = Fen::parse(v).map_err(|e| Error::invalid(format!("{label}:{e}")))?;
        if f.is_negative() {
            return Err(Error::invalid(format!("{label}不能为负数")));
        }
        Ok(f)
    };
    let general = money("通用设备的固定资产起点", &form.threshold_general)?;
    let special = money("专用设备的固定资产起点", &form.threshold_special)?;
    let mut levels = Vec::new();
    for (i, l) in form.approval_levels.iter().enumerate() {
        let level = l.level.trim();
        if level.is_empty() {
            return Err(Error::invalid(format!("审批层级第 {} 行:请填写审批人或审批方式", i + 1)));
        }
        let from = if l.from.trim().is_empty() && i == 0 {
            Fen::ZERO
        } else {
            money(&format!("审批层级第 {} 行的金额", i + 1), &l.from)?
        };
        levels.push(ApprovalLevel { from, level: level.to_string() });
    }
    if levels.is_empty() {
        return Err(Error::invalid("请至少设置一个报废审批层级"));
    }
    if levels[0].from != Fen::ZERO {
        return Err(Error::invalid("第一个审批层级应从 0 元起,否则低价资产的报废无人审批"));
    }
    if levels.windows(2).any(|w| w[1].from <= w[0].from) {
        return Err(Error::invalid("审批层级的金额应从小到大排列,且不能重复"));
    }
    if !(1..=120).contains(&form.check_interval_months) {
        return Err(Error::invalid("未盘点提醒的间隔应在 1 到 120 个月之间"));
    }
    if !(1..=6).contains(&form.label_columns) || !(1..=20).contains(&form.label_rows) {
        return Err(Error::invalid("标签纸每行 1–6 张、每列 1–20 张"));
    }
    let levels_json = serde_json::to_string(&levels).map_err(|e| Error::invalid(e.to_string()))?;
    Ok(vec![
        (PATTERN, Some(form.number_pattern.trim().to_string())),
        (THRESHOLD_GENERAL, Some(general.to_yuan_string())),
        (THRESHOLD_SPECIAL, Some(special.to_yuan_string())),
        (RULE, form.depreciation_rule.map(|r| r.code().to_string())),
        (LEVELS, Some(levels_json)),
        (CHECK_MONTHS, Some(form.check_interval_months.to_string())),
        (LABEL_COLUMNS, Some(form.label_columns.to_string())),
        (LABEL_ROWS, Some(form.label_rows.to_string())),
    ])
}

/// Saves the form in one transaction; each changed key is audited with its
/// old and new value. A form with any bad field saves nothing.
pub fn save(db: &mut Db, form: &SettingsForm) -> Result<AssetSettings> {
    kv::save_all_for(db, crate::auth::Job::Assets, &parse_form(form)?)?;
    load(db.conn())
}

impl DepreciationRule {
    /// Public kindergartens keep government accounts, private ones usually
    /// enterprise accounts.
    pub fn for_ownership(o: Ownership) -> DepreciationRule {
        match o {
            Ownership::Public => DepreciationRule::Government,
            Ownership::Private => DepreciationRule::Enterprise,
        }
    }
}

/// An asset-number pattern: literal text with `{yyyy}` (year of acquisition),
/// `{yy}`, `{mm}` (month of acquisition), `{cat}` (category code) and exactly
/// one `{seq}` / `{seq:N}` (a running number, zero-padded to N digits, counted
/// separately for each distinct prefix). Numbers stay within ASCII letters,
/// digits and `-_./` so a barcode scanner can type them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberPattern {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Year4,
    Year2,
    Month,
    Category,
    Seq(usize),
}

/// Whether `c` may appear in an asset number.
pub fn number_char_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')
}

impl NumberPattern {
    /// Reads a pattern, or says what is wrong with it.
    pub fn parse(pattern: &str) -> Result<NumberPattern> {
        let p = pattern.trim();
        let bad = |why: &str| Error::invalid(format!("资产编号规则“{p}”无效:{why}。例如 ZC{{yyyy}}{{seq:4}}"));
        let mut parts = Vec::new();
        let mut rest = p;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let end = after.find('}').ok_or_else(|| bad("缺少右括号 }"))?;
                let token = &after[..end];
                parts.push(match token {
                    "yyyy" => Part::Year4,
                    "yy" => Part::Year2,
                    "mm" => Part::Month,
                    "cat" => Part::Category,
                    "seq" => Part::Seq(4),
                    t if t.starts_with("seq:") => {
                        let n: usize = t[4..].parse().map_err(|_| bad("{seq:N} 中的 N 应为 1 到 8 的数字"))?;
                        if !(1..=8).contains(&n) {
                            return Err(bad("{seq:N} 中的 N 应为 1 到 8 的数字"));
                        }
                        Part::Seq(n)
                    }
                    other => return Err(bad(&format!("不认识的占位符 {{{other}}}"))),
                });
                rest = &after[end + 1..];
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let literal = &rest[..end];
                if let Some(c) = literal.chars().find(|c| !number_char_ok(*c)) {
                    return Err(bad(&format!("不能包含“{c}”,编号只能用字母、数字和 - _ . /,以便扫码枪录入")));
                }
                parts.push(Part::Text(literal.to_string()));
                rest = &rest[end..];
            }
        }
        match parts.iter().filter(|p| matches!(p, Part::Seq(_))).count() {
            0 => return Err(bad("缺少流水号 {seq}")),
            1 => {}
            _ => return Err(bad("只能有一个流水号 {seq}")),
        }
        Ok(NumberPattern { parts })
    }

    /// The text before and after the running number, and its width, for an
    /// asset acquired on `acquired` in category `category_code`.
    pub fn frame(&self, acquired: chrono::NaiveDate, category_code: &str) -> (String, usize, String) {
        use chrono::Datelike;
        let (mut before, mut after, mut width, mut seen) = (String::new(), String::new(), 4, false);
        for part in &self.parts {
            let piece = match part {
                Part::Text(t) => t.clone(),
                Part::Year4 => format!("{:04}", acquired.year()),
                Part::Year2 => format!("{:02}", acquired.year().rem_euclid(100)),
                Part::Month => format!("{:02}", acquired.month()),
                Part::Category => category_code.chars().filter(|c| number_char_ok(*c)).collect(),
                Part::Seq(n) => {
                    width = *n;
                    seen = true;
                    continue;
                }
            };
            if seen {
                after.push_str(&piece);
            } else {
                before.push_str(&piece);
            }
        }
        (before, width, after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> chrono::NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn patterns_frame_numbers() {
        let p = NumberPattern::parse("ZC{yyyy}{seq:4}").expect("ok");
        assert_eq!(p.frame(d("2025-03-09"), "A02010100"), ("ZC2025".into(), 4, "".into()));
        let p = NumberPattern::parse("{cat}-{yy}{mm}-{seq}").expect("ok");
        assert_eq!(p.frame(d("2025-03-09"), "A02010100"), ("A02010100-2503-".into(), 4, "".into()));
        let p = NumberPattern::parse("Z{seq:6}/Y").expect("ok");
        assert_eq!(p.frame(d("2025-03-09"), "x"), ("Z".into(), 6, "/Y".into()));
    }

    #[test]
    fn bad_patterns_are_explained() {
        for (p, why) in [
            ("ZC{yyyy}", "缺少流水号"),
            ("ZC{seq}{seq}", "只能有一个流水号"),
            ("资产{seq}", "不能包含“资”"),
            ("ZC{year}{seq}", "不认识的占位符 {year}"),
            ("ZC{seq:9}", "1 到 8"),
            ("ZC{seq", "缺少右括号"),
        ] {
            let msg = NumberPattern::parse(p).expect_err(p).to_string();
            assert!(msg.contains(why), "{p}: {msg}");
        }
    }

    #[test]
    fn defaults_follow_ownership_until_a_rule_is_chosen() {
        let mut db = Db::open_scratch().expect("db");
        let s = load(db.conn()).expect("load");
        assert_eq!(s.rule, DepreciationRule::Government);
        assert!(s.rule_from_ownership);
        assert_eq!(s.threshold_general, Fen::yuan(1000));
        let mut p = profile::SchoolProfile { name: "民办园".into(), ..Default::default() };
        p.ownership = Ownership::Private;
        profile::save(&mut db, &p).expect("profile");
        assert_eq!(load(db.conn()).expect("load").rule, DepreciationRule::Enterprise);

        let mut form = load(db.conn()).expect("load").to_form();
        form.depreciation_rule = Some(DepreciationRule::Government);
        form.threshold_general = "800".into();
        let s = save(&mut db, &form).expect("save");
        assert_eq!(
            (s.rule, s.rule_from_ownership, s.threshold_general),
            (DepreciationRule::Government, false, Fen::yuan(800))
        );
        let log = crate::db::audit::recent(db.conn(), Some("setting"), 10).expect("audit");
        assert!(log.iter().any(|e| e.entity_id == THRESHOLD_GENERAL));
    }

    #[test]
    fn a_bad_form_saves_nothing() {
        let mut db = Db::open_scratch().expect("db");
        let mut form = load(db.conn()).expect("load").to_form();
        form.threshold_general = "-5".into();
        form.number_pattern = "NEW{seq}".into();
        let msg = save(&mut db, &form).expect_err("negative").to_string();
        assert!(msg.contains("不能为负数"), "{msg}");
        assert_eq!(load(db.conn()).expect("load").number_pattern, "ZC{yyyy}{seq:4}");
        form.threshold_general = "1000".into();
        form.approval_levels[1].from = "0".into();
        let msg = save(&mut db, &form).expect_err("order").to_string();
        assert!(msg.contains("从小到大"), "{msg}");
    }
}
