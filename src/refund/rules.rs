//! A school's fee items and their refund rules, as plain serde data.
//!
//! The JSON shape of [`FeeItem`] is exactly a `fees[]` entry of a scenario
//! document, so the same types are stored in the database (as JSON), exported and
//! imported between campuses, and read by the scenario runner. Money is written
//! as a decimal yuan string (`"10.50"`) and held as [`Fen`].
//!
//! Deserialising checks the *form* of each field (a money string, a known leave
//! kind, a whole number); [`FeeItem::validate`] checks the *rules* (no negative
//! amounts, percent at most 100, …) and lists every problem at once. Code that
//! builds a rule by hand must call `validate` too. Unknown fields inside `charge`
//! and `refund` are refused: a misspelt `min_runs` would otherwise silently
//! change what parents are refunded.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{Error, FieldProblem, Result};
use crate::money::{Fen, MoneyError};
use crate::text::Field;

/// Why a child was away (请假类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = r#""sick" | "personal" | "other""#))]
#[serde(try_from = "String", into = "&'static str")]
pub enum LeaveKind {
    /// 病假
    Sick,
    /// 事假
    Personal,
    /// 其他
    Other,
}

impl LeaveKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [LeaveKind; 3] = [LeaveKind::Sick, LeaveKind::Personal, LeaveKind::Other];

    /// The word people use: 病假 / 事假 / 其他.
    pub fn label(self) -> &'static str {
        match self {
            LeaveKind::Sick => "病假",
            LeaveKind::Personal => "事假",
            LeaveKind::Other => "其他",
        }
    }

    /// The stable machine name stored in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            LeaveKind::Sick => "sick",
            LeaveKind::Personal => "personal",
            LeaveKind::Other => "other",
        }
    }

    /// One bit per kind, for cheap per-day sets in the engine.
    pub(crate) fn bit(self) -> u8 {
        match self {
            LeaveKind::Sick => 1,
            LeaveKind::Personal => 2,
            LeaveKind::Other => 4,
        }
    }

    /// Accepts the machine name or the Chinese label (病假, 事假, 其他/其它).
    pub fn parse(text: &str) -> Result<LeaveKind> {
        match text.trim() {
            "sick" | "病假" => Ok(LeaveKind::Sick),
            "personal" | "事假" => Ok(LeaveKind::Personal),
            "other" | "其他" | "其它" => Ok(LeaveKind::Other),
            other => Err(Error::invalid(unknown_kind_message(other))),
        }
    }
}

fn unknown_kind_message(text: &str) -> String {
    format!("未知的请假类型“{text}”,可用的类型:sick(病假)、personal(事假)、other(其他)")
}

impl fmt::Display for LeaveKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl TryFrom<String> for LeaveKind {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        LeaveKind::parse(&s).map_err(|_| unknown_kind_message(&s))
    }
}

impl From<LeaveKind> for &'static str {
    fn from(k: LeaveKind) -> &'static str {
        k.as_str()
    }
}

/// A set of leave kinds as a bit mask.
pub(crate) fn kinds_mask(kinds: &[LeaveKind]) -> u8 {
    kinds.iter().fold(0, |m, k| m | k.bit())
}

/// Which count of days a rule divides or compares by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = r#""legal_working_days" | "school_days""#))]
#[serde(try_from = "String", into = "&'static str")]
pub enum DayBasis {
    /// 当月法定工作日
    LegalWorkingDays,
    /// 当月在校日 (legal working days minus planned breaks)
    SchoolDays,
}

impl DayBasis {
    /// 法定工作日 / 在校日.
    pub fn label(self) -> &'static str {
        match self {
            DayBasis::LegalWorkingDays => "法定工作日",
            DayBasis::SchoolDays => "在校日",
        }
    }
    fn as_str(self) -> &'static str {
        match self {
            DayBasis::LegalWorkingDays => "legal_working_days",
            DayBasis::SchoolDays => "school_days",
        }
    }
    fn parse(s: &str) -> Option<DayBasis> {
        match s.trim() {
            "legal_working_days" | "法定工作日" => Some(DayBasis::LegalWorkingDays),
            "school_days" | "在校日" => Some(DayBasis::SchoolDays),
            _ => None,
        }
    }
}

impl TryFrom<String> for DayBasis {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        DayBasis::parse(&s)
            .ok_or_else(|| format!("未知的天数口径“{s}”,可用:legal_working_days(法定工作日)、school_days(在校日)"))
    }
}

impl From<DayBasis> for &'static str {
    fn from(b: DayBasis) -> &'static str {
        b.as_str()
    }
}

/// What a monthly amount is divided by to get the daily rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
// Serialized by hand below: a day basis word or a fixed count of days.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = r#""legal_working_days" | "school_days" | number"#))]
pub enum Divisor {
    /// The month's legal working days.
    LegalWorkingDays,
    /// The month's school days.
    SchoolDays,
    /// A fixed number of days, e.g. 22 (Fujian: month ÷ 22).
    Fixed(u32),
}

impl Divisor {
    /// 法定工作日 / 在校日 / 固定 22 天.
    pub fn label(self) -> String {
        match self {
            Divisor::LegalWorkingDays => "法定工作日".to_string(),
            Divisor::SchoolDays => "在校日".to_string(),
            Divisor::Fixed(n) => format!("固定 {n} 天"),
        }
    }
}

impl Serialize for Divisor {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Divisor::LegalWorkingDays => s.serialize_str("legal_working_days"),
            Divisor::SchoolDays => s.serialize_str("school_days"),
            Divisor::Fixed(n) => s.serialize_u32(*n),
        }
    }
}

impl<'de> Deserialize<'de> for Divisor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Divisor;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"legal_working_days\"、\"school_days\" 或一个正整数")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Divisor, E> {
                match DayBasis::parse(s) {
                    Some(DayBasis::LegalWorkingDays) => Ok(Divisor::LegalWorkingDays),
                    Some(DayBasis::SchoolDays) => Ok(Divisor::SchoolDays),
                    None => match s.trim().parse::<i64>() {
                        Ok(n) => self.visit_i64(n),
                        Err(_) => Err(E::custom(format!(
                            "未知的除数“{s}”,可用:legal_working_days(法定工作日)、school_days(在校日)或正整数(如 22)"
                        ))),
                    },
                }
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<Divisor, E> {
                match u32::try_from(n) {
                    Ok(n) if n > 0 => Ok(Divisor::Fixed(n)),
                    _ => Err(E::custom(format!("除数必须是正整数(如 22),而不是 {n}"))),
                }
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> std::result::Result<Divisor, E> {
                self.visit_i64(i64::try_from(n).unwrap_or(-1))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> std::result::Result<Divisor, E> {
                Err(E::custom(format!("除数必须是正整数(如 22),而不是 {n}")))
            }
        }
        d.deserialize_any(V)
    }
}

/// How a monthly amount is charged to a child enrolled for part of the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = r#""per_day" | "full_if_half""#))]
#[serde(try_from = "String", into = "&'static str")]
pub enum Proration {
    /// Daily rate × enrolled school days.
    PerDay,
    /// The full amount when enrolled on at least half of the school days, else per day (重庆).
    FullIfHalf,
}

impl TryFrom<String> for Proration {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        match s.trim() {
            "per_day" => Ok(Proration::PerDay),
            "full_if_half" => Ok(Proration::FullIfHalf),
            _ => Err(format!("未知的折算方式“{s}”,可用:per_day(按天)、full_if_half(满半月收全月)")),
        }
    }
}

impl From<Proration> for &'static str {
    fn from(p: Proration) -> &'static str {
        match p {
            Proration::PerDay => "per_day",
            Proration::FullIfHalf => "full_if_half",
        }
    }
}

/// Money as a yuan string in rule JSON (`"10.50"`); whole numbers are accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
struct MoneyText(Fen);

impl Serialize for MoneyText {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(&self.0.to_yuan_string())
    }
}

impl<'de> Deserialize<'de> for MoneyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = MoneyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("以元为单位的金额字符串,例如 \"10.50\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<MoneyText, E> {
                Fen::parse(s).map(MoneyText).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<MoneyText, E> {
                let too_large = || E::custom(MoneyError::TooLarge(n.to_string()));
                let fen = n.checked_mul(100).ok_or_else(too_large)?;
                Fen::checked_input(fen, &n.to_string()).map(MoneyText).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> std::result::Result<MoneyText, E> {
                i64::try_from(n)
                    .map_err(|_| E::custom(MoneyError::TooLarge(n.to_string())))
                    .and_then(|n| self.visit_i64(n))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> std::result::Result<MoneyText, E> {
                // A float may already have lost the fen; make people write the exact text.
                Err(E::custom(format!("金额请写成带引号的字符串,例如 \"{n:.2}\"")))
            }
        }
        d.deserialize_any(V)
    }
}

/// A count of days or a percent: any JSON integer, so a negative one gets a Chinese message.
fn de_count<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    let n = i64::deserialize(d)?;
    u32::try_from(n).map_err(|_| de::Error::custom(format!("天数/百分比不能为负数或过大:{n}")))
}

fn de_percent<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    let n = i64::deserialize(d)?;
    match u32::try_from(n) {
        Ok(p) if p <= 100 => Ok(p),
        _ => Err(de::Error::custom(format!("百分比必须在 0 到 100 之间,而不是 {n}"))),
    }
}

/// What an item costs a child for the month, before refunds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(as = "ChargeRepr"))]
#[serde(try_from = "ChargeRepr", into = "ChargeRepr")]
pub enum Charge {
    /// `{"per_day": "10.50"}`: the rate × the child's enrolled school days.
    PerDay {
        /// Daily rate.
        rate: Fen,
    },
    /// `{"monthly": "300.00", "divisor": ..., "proration": ...}`.
    Monthly {
        /// The month's amount for a child enrolled on every school day.
        amount: Fen,
        /// Daily rate = amount ÷ divisor.
        divisor: Divisor,
        /// How a part month is charged.
        proration: Proration,
    },
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Charge", optional_fields))]
#[serde(deny_unknown_fields)]
struct ChargeRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    per_day: Option<MoneyText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    monthly: Option<MoneyText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    divisor: Option<Divisor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proration: Option<Proration>,
}

impl TryFrom<ChargeRepr> for Charge {
    type Error = String;
    fn try_from(r: ChargeRepr) -> std::result::Result<Self, String> {
        match (r.per_day, r.monthly) {
            (Some(rate), None) => {
                if r.divisor.is_some() || r.proration.is_some() {
                    return Err("按天收费(per_day)不需要 divisor 或 proration,请删去".to_string());
                }
                Ok(Charge::PerDay { rate: rate.0 })
            }
            (None, Some(amount)) => Ok(Charge::Monthly {
                amount: amount.0,
                // Defaults when omitted: the daily rate over the days the school is open.
                divisor: r.divisor.unwrap_or(Divisor::SchoolDays),
                proration: r.proration.unwrap_or(Proration::PerDay),
            }),
            (Some(_), Some(_)) => Err("收费方式只能是 per_day(按天)或 monthly(按月)之一,不能同时填写".to_string()),
            (None, None) => Err("收费方式缺失:请填写 per_day(每天金额)或 monthly(每月金额)".to_string()),
        }
    }
}

impl From<Charge> for ChargeRepr {
    fn from(c: Charge) -> ChargeRepr {
        match c {
            Charge::PerDay { rate } => {
                ChargeRepr { per_day: Some(MoneyText(rate)), monthly: None, divisor: None, proration: None }
            }
            Charge::Monthly { amount, divisor, proration } => ChargeRepr {
                per_day: None,
                monthly: Some(MoneyText(amount)),
                divisor: Some(divisor),
                proration: Some(proration),
            },
        }
    }
}

/// Refund per absent school day, for runs of consecutive absence (连续请假).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PerDayRefund {
    /// A run shorter than this many school days refunds nothing.
    #[serde(default = "one", deserialize_with = "de_count")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub min_run: u32,
    /// Days at the start of each run that are never refunded (深圳: 1, "N − 1").
    #[serde(default, deserialize_with = "de_count")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub unrefunded_per_run: u32,
    /// The leave kinds that count; other kinds break a run.
    #[serde(default = "all_kinds")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub kinds: Vec<LeaveKind>,
}

fn one() -> u32 {
    1
}

fn all_kinds() -> Vec<LeaveKind> {
    LeaveKind::ALL.to_vec()
}

/// When a tier holds, by days attended in the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = r#""none" | "half" | number"#))]
pub enum TierThreshold {
    /// `"none"`: the child attended no day (全月未入园).
    NoDays,
    /// `"half"`: attended days ≤ ⌊basis ÷ 2⌋.
    Half,
    /// A whole number k: attended days ≤ k.
    AtMost(u32),
}

impl Serialize for TierThreshold {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            TierThreshold::NoDays => s.serialize_str("none"),
            TierThreshold::Half => s.serialize_str("half"),
            TierThreshold::AtMost(k) => s.serialize_u32(*k),
        }
    }
}

impl<'de> Deserialize<'de> for TierThreshold {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = TierThreshold;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"none\"、\"half\" 或一个非负整数")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<TierThreshold, E> {
                match s.trim() {
                    "none" => Ok(TierThreshold::NoDays),
                    "half" => Ok(TierThreshold::Half),
                    t => match t.parse::<i64>() {
                        Ok(n) => self.visit_i64(n),
                        Err(_) => Err(E::custom(format!(
                            "未知的出勤档位“{s}”,可用:none(全月未出勤)、half(出勤不超过一半)或天数(如 4)"
                        ))),
                    },
                }
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<TierThreshold, E> {
                u32::try_from(n)
                    .map(TierThreshold::AtMost)
                    .map_err(|_| E::custom(format!("出勤天数档位不能为负数:{n}")))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> std::result::Result<TierThreshold, E> {
                self.visit_i64(i64::try_from(n).unwrap_or(-1))
            }
        }
        d.deserialize_any(V)
    }
}

/// A refund of a share of the month's charge by days attended (按出勤档位退费).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// When the tier holds.
    pub attended_at_most: TierThreshold,
    /// Share of the month's charge refunded, 0–100.
    #[serde(deserialize_with = "de_percent")]
    pub percent: u32,
}

/// One month's amount back for each full 30 consecutive calendar days of leave (合肥).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Per30DaysRefund {
    /// The leave kinds that count.
    #[serde(default = "all_kinds")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub kinds: Vec<LeaveKind>,
}

/// How an item is refunded for absences and closures. Every part is optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RefundRule {
    /// Refund per absent school day in runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_day: Option<PerDayRefund>,
    /// Tiers by days attended, checked in order; the first that holds replaces the other refunds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    /// What `"half"` in a tier is half of (default: legal working days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier_basis: Option<DayBasis>,
    /// One month back per full 30 calendar days of leave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_30_days: Option<Per30DaysRefund>,
    /// Refund charged-closure days (停课) per day to every enrolled child.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closures: bool,
}

impl RefundRule {
    /// The basis of `"half"` tiers, with its default applied.
    pub fn tier_basis(&self) -> DayBasis {
        self.tier_basis.unwrap_or(DayBasis::LegalWorkingDays)
    }
}

/// One fee item of a school (伙食费, 保教费…) with its charge and refund rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeeItem {
    /// Stable key, e.g. `meal`.
    pub id: String,
    /// Name shown to people, e.g. 伙食费.
    pub name: String,
    /// What the month costs.
    pub charge: Charge,
    /// How absences and closures are refunded.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub refund: RefundRule,
}

impl FeeItem {
    /// Parses one fee item from its JSON and validates it.
    pub fn from_json(json: &str) -> Result<FeeItem> {
        let item: FeeItem = serde_json::from_str(json).map_err(|e| crate::error::json_error("费用规则", json, &e))?;
        item.validate()?;
        Ok(item)
    }

    /// The JSON stored in the database and written to exports.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::invalid(format!("费用规则无法保存:{e}")))
    }

    /// Checks the rules a deserialised or hand-built item must keep; lists every problem.
    pub fn validate(&self) -> Result<()> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Rejected { problems })
        }
    }

    /// What [`FeeItem::validate`] would reject, for callers that gather problems of many items.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let label = if self.name.trim().is_empty() { self.id.clone() } else { self.name.clone() };
        let mut out = Vec::new();
        let mut bad = |field: &str, reason: String| {
            out.push(FieldProblem { row: 0, column: format!("费用项目“{label}”·{field}"), reason });
        };
        if self.id.trim().is_empty() {
            bad("编号", "费用项目的编号(id)不能为空".into());
        }
        if self.name.trim().is_empty() {
            bad("名称", "费用项目的名称不能为空".into());
        }
        for (field, value) in [(Field::code("编号"), &self.id), (Field::name("名称").max(20), &self.name)] {
            if let Err(why) = field.check(value) {
                bad(field.label, why);
            }
        }
        match &self.charge {
            Charge::PerDay { rate } if rate.is_negative() => {
                bad("每天金额", format!("金额不能为负数:{rate}"));
            }
            Charge::Monthly { amount, divisor, .. } => {
                if amount.is_negative() {
                    bad("每月金额", format!("金额不能为负数:{amount}"));
                }
                if *divisor == Divisor::Fixed(0) {
                    bad("除数", "固定除数必须大于 0".into());
                }
            }
            Charge::PerDay { .. } => {}
        }
        // Rule JSON parses through `Fen::checked_input`; this also covers items built in code.
        let amount = match &self.charge {
            Charge::PerDay { rate } => rate,
            Charge::Monthly { amount, .. } => amount,
        };
        if amount.abs() > Fen::MAX_INPUT {
            bad("金额", MoneyError::TooLarge(amount.to_yuan_string()).to_string());
        }
        let r = &self.refund;
        if let Some(p) = &r.per_day {
            if p.kinds.is_empty() {
                bad("按天退费·请假类型", "至少要选一种请假类型,否则不会退费".into());
            }
        }
        if let Some(p) = &r.per_30_days {
            if p.kinds.is_empty() {
                bad("满30天退费·请假类型", "至少要选一种请假类型,否则不会退费".into());
            }
        }
        for (i, t) in r.tiers.iter().enumerate() {
            if t.percent > 100 {
                bad(&format!("第{}档·百分比", i + 1), format!("百分比必须在 0 到 100 之间,而不是 {}", t.percent));
            }
        }
        out
    }
}

/// Checks a school's whole rule set: every item valid and every id used once.
pub fn validate_fee_items(items: &[FeeItem]) -> Result<()> {
    let mut problems: Vec<FieldProblem> = items.iter().flat_map(FeeItem::problems).collect();
    let mut seen = std::collections::HashSet::new();
    for item in items {
        if !seen.insert(item.id.as_str()) {
            problems.push(FieldProblem {
                row: 0,
                column: format!("费用项目“{}”·编号", item.name),
                reason: format!("编号“{}”重复,每个费用项目的编号必须不同", item.id),
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Rejected { problems })
    }
}

/// Parses a school's rule set (a JSON array of fee items, as exported) and validates it.
pub fn fee_items_from_json(json: &str) -> Result<Vec<FeeItem>> {
    let items: Vec<FeeItem> = serde_json::from_str(json).map_err(|e| crate::error::json_error("费用规则", json, &e))?;
    validate_fee_items(&items)?;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(v: serde_json::Value) -> Result<FeeItem> {
        FeeItem::from_json(&v.to_string())
    }

    #[test]
    fn readme_example_round_trips_exactly() {
        let v = json!({
            "id": "care", "name": "保教费",
            "charge": {"monthly": "300.00", "divisor": "legal_working_days", "proration": "per_day"},
            "refund": {
                "tiers": [
                    {"attended_at_most": "none", "percent": 100},
                    {"attended_at_most": "half", "percent": 50},
                    {"attended_at_most": 4, "percent": 80}
                ],
                "tier_basis": "legal_working_days"
            }
        });
        let parsed = item(v.clone()).expect("valid");
        assert_eq!(serde_json::to_value(&parsed).expect("ser"), v);

        let meal = json!({
            "id": "meal", "name": "伙食费",
            "charge": {"per_day": "10.50"},
            "refund": {
                "per_day": {"min_run": 2, "unrefunded_per_run": 1, "kinds": ["sick", "personal"]},
                "per_30_days": {"kinds": ["sick"]},
                "closures": true
            }
        });
        let parsed = item(meal.clone()).expect("valid");
        assert_eq!(parsed.charge, Charge::PerDay { rate: Fen(1050) });
        assert_eq!(serde_json::to_value(&parsed).expect("ser"), meal);
    }

    #[test]
    fn fixed_divisor_and_defaults() {
        let parsed =
            item(json!({"id": "m", "name": "伙食费", "charge": {"monthly": "330", "divisor": 22}})).expect("valid");
        assert_eq!(
            parsed.charge,
            Charge::Monthly { amount: Fen(33000), divisor: Divisor::Fixed(22), proration: Proration::PerDay }
        );
        assert_eq!(parsed.refund, RefundRule::default());
        let p: PerDayRefund = serde_json::from_value(json!({})).expect("defaults");
        assert_eq!((p.min_run, p.unrefunded_per_run, p.kinds.len()), (1, 0, 3));
    }

    #[test]
    fn chinese_kind_labels_are_accepted() {
        let p: PerDayRefund = serde_json::from_value(json!({"kinds": ["病假", "事假"]})).expect("labels");
        assert_eq!(p.kinds, vec![LeaveKind::Sick, LeaveKind::Personal]);
        assert_eq!(serde_json::to_value(LeaveKind::Other).expect("ser"), json!("other"));
    }

    fn rejected_with(v: serde_json::Value, needle: &str) {
        let err = item(v).expect_err("must be rejected").to_string();
        assert!(err.contains(needle), "message {err:?} should mention {needle:?}");
    }

    #[test]
    fn bad_rules_get_chinese_messages() {
        rejected_with(
            json!({"id": "m", "name": "伙食费", "charge": {"per_day": "10.5"}, "refund": {"per_day": {"kinds": ["holiday"]}}}),
            "未知的请假类型“holiday”",
        );
        rejected_with(
            json!({"id": "c", "name": "保教费", "charge": {"monthly": "300"}, "refund": {"tiers": [{"attended_at_most": "none", "percent": 120}]}}),
            "0 到 100",
        );
        rejected_with(json!({"id": "m", "name": "伙食费", "charge": {"per_day": "-1.00"}}), "不能为负数");
        rejected_with(json!({"id": "m", "name": "伙食费", "charge": {"per_day": "10.505"}}), "两位小数");
        rejected_with(json!({"id": "m", "name": "伙食费", "charge": {"per_day": 10.5}}), "字符串");
        rejected_with(json!({"id": "m", "name": "伙食费", "charge": {"monthly": "300", "divisor": 0}}), "正整数");
        rejected_with(json!({"id": "m", "name": "伙食费", "charge": {}}), "收费方式缺失");
        rejected_with(
            json!({"id": "m", "name": "伙食费", "charge": {"per_day": "1"}, "refund": {"per_day": {"min_runs": 3}}}),
            "min_runs",
        );
        rejected_with(
            json!({"id": "m", "name": "伙食费", "charge": {"per_day": "1"}, "refund": {"per_day": {"min_run": -1}}}),
            "不能为负数",
        );
        rejected_with(
            json!({"id": "m", "name": "伙食费", "charge": {"per_day": "1"}, "refund": {"per_day": {"kinds": []}}}),
            "至少要选一种",
        );
    }

    #[test]
    fn hand_built_items_are_validated_too() {
        let bad = FeeItem {
            id: "c".into(),
            name: "保教费".into(),
            charge: Charge::Monthly { amount: Fen(-5), divisor: Divisor::Fixed(0), proration: Proration::PerDay },
            refund: RefundRule {
                tiers: vec![Tier { attended_at_most: TierThreshold::Half, percent: 101 }],
                ..RefundRule::default()
            },
        };
        match bad.validate() {
            Err(Error::Rejected { problems }) => assert_eq!(problems.len(), 3, "{problems:?}"),
            other => panic!("expected Rejected, got {other:?}"),
        }
    }

    /// Issue 12: a `per_day` of 92233720368547758.07 was accepted and closed a
    /// month with a negative refund (the product wrapped).
    #[test]
    fn amounts_beyond_99_999_999_99_are_refused() {
        let too_large = "过大:每笔金额最多 99,999,999.99 元";
        rejected_with(json!({"id": "m", "name": "伙食费", "charge": {"per_day": "92233720368547758.07"}}), too_large);
        rejected_with(json!({"id": "m", "name": "伙食费", "charge": {"per_day": 100_000_000}}), too_large);
        rejected_with(
            json!({"id": "m", "name": "伙食费", "charge": {"per_day": 92_233_720_368_547_758_u64}}),
            too_large,
        );
        rejected_with(json!({"id": "m", "name": "伙食费", "charge": {"monthly": "100000000"}}), too_large);
        assert!(item(json!({"id": "m", "name": "伙食费", "charge": {"per_day": "99999999.99"}})).is_ok());
        let built = FeeItem {
            id: "m".into(),
            name: "伙食费".into(),
            charge: Charge::PerDay { rate: Fen(i64::MAX) },
            refund: RefundRule::default(),
        };
        assert!(built.validate().expect_err("too large").to_string().contains(too_large));
    }

    /// Issue 12: fee names are text like any other: no control characters.
    #[test]
    fn fee_names_hold_no_control_characters() {
        rejected_with(json!({"id": "m", "name": "伙食\u{1b}[31m费", "charge": {"per_day": "1"}}), "控制字符");
    }

    #[test]
    fn duplicate_ids_in_a_rule_set_are_rejected() {
        let one = json!({"id": "m", "name": "伙食费", "charge": {"per_day": "1"}});
        let err = fee_items_from_json(&json!([one, one]).to_string()).expect_err("dup").to_string();
        assert!(err.contains("重复"), "{err}");
    }
}
