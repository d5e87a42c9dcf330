//! 收费公示: the one-page list of fees a school posts each term — every fee
//! item in force, its standard, unit, basis (收费依据), how it is refunded
//! (the settlement explanation's own sentences, from the rules, never typed
//! twice), the waivers available and the complaint phone.

pub mod pdf;
pub mod settings;

use chrono::NaiveDate;
use serde::Serialize;

use crate::dates::YearMonth;
use crate::error::{Code, Error};
use crate::refund::describe_fee_item;
use crate::store::Conn;
use crate::Result;

pub use settings::FeeListSettings;

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeListItem {
    /// Fee item id (the key of its 收费依据 setting).
    pub id: String,
    /// 收费项目.
    pub name: String,
    /// 收费标准: `每月 800.00 元`.
    pub standard: String,
    /// 按月 / 按天.
    pub unit: String,
    /// How the daily rate and a part month are worked out (empty for a daily charge).
    pub charge_rule: String,
    /// 收费依据; empty when not set.
    pub basis: String,
    /// 退费办法, one sentence per rule.
    pub refunds: Vec<String>,
}

/// Everything the printed list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeList {
    pub school: String,
    pub address: String,
    pub phone: String,
    pub head: String,
    /// `2026年秋季学期`.
    pub term: String,
    /// The month the list was asked for.
    pub month: YearMonth,
    /// The first month the rules shown are in force.
    pub effective_from: YearMonth,
    pub items: Vec<FeeListItem>,
    /// 减免政策: the kinds of waiver (from the kinds setting, so they are
    /// typed once), then the bursar's note on how to apply, if any.
    pub waivers: String,
    /// 监督电话 (empty prints nothing).
    pub complaint_phone: String,
    /// The date printed at the foot (公示日期).
    pub printed_on: NaiveDate,
}

/// The list for the rules in force in `month`. Refused with `no_fee_rules`
/// when none are, and `school_profile_missing` before the school is set up.
pub fn build(conn: &Conn, month: YearMonth, today: NaiveDate) -> Result<FeeList> {
    let school = crate::school::profile::get(conn)?.ok_or_else(|| {
        Error::refused(Code::SchoolProfileMissing, "还没有填写学校信息,请先在“设置 → 学校信息”中填写")
    })?;
    let rules = crate::settlement::rules_for(conn, month)?.ok_or_else(|| {
        Error::refused(Code::NoFeeRules, format!("{} 没有生效的收费规则,请先在“设置 → 收费项目”中设置", month.label()))
            .with("month", month)
    })?;
    let s = settings::get(conn)?;
    let meal = crate::meal_account::settings::get(conn)?;
    let complaint_phone = if s.complaint_phone.is_empty() { meal.complaint_phone.clone() } else { s.complaint_phone };
    let items = rules
        .fees
        .iter()
        .map(|f| {
            let w = describe_fee_item(f);
            FeeListItem {
                id: f.id.clone(),
                name: f.name.clone(),
                standard: w.standard,
                unit: w.unit.to_string(),
                charge_rule: w.charge_rule,
                basis: s.basis.get(&f.id).cloned().unwrap_or_default(),
                refunds: w.refunds,
            }
        })
        .collect();
    Ok(FeeList {
        school: school.name,
        address: school.address,
        phone: school.phone,
        head: school.head_name,
        term: term_label(meal.term_start(month)),
        month,
        effective_from: rules.effective_from,
        items,
        waivers: waiver_policy(&crate::waivers::kinds::get(conn)?, &s.waivers),
        complaint_phone,
        printed_on: today,
    })
}

/// The 减免政策 paragraph: the kinds with their usual percent, then `note`.
fn waiver_policy(kinds: &[crate::waivers::kinds::WaiverKind], note: &str) -> String {
    let mut text = format!("可申请的减免、资助:{}。", crate::waivers::kinds::in_words(kinds));
    if !note.trim().is_empty() {
        text.push('\n');
        text.push_str(note.trim());
    }
    text
}

/// `2026年秋季学期` for a term starting from July on, `2027年春季学期` before.
fn term_label(start: YearMonth) -> String {
    let season = if start.month() >= 7 { "秋季" } else { "春季" };
    format!("{}年{season}学期", start.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_named_by_the_season_they_start_in() {
        assert_eq!(term_label(YearMonth::new(2026, 9).unwrap()), "2026年秋季学期");
        assert_eq!(term_label(YearMonth::new(2027, 2).unwrap()), "2027年春季学期");
    }

    #[test]
    fn the_waiver_policy_lists_the_kinds_from_the_setting() {
        let kinds = crate::waivers::kinds::defaults();
        let text = waiver_policy(&kinds[..2], " 请到财务室办理。 ");
        assert_eq!(
            text,
            "可申请的减免、资助:学前教育资助/家庭经济困难(减免 50%)、孤儿/残疾儿童(减免 100%)。\n请到财务室办理。"
        );
    }
}
