//! Common rule presets a bursar can pick and adjust (every number is then the
//! school's own setting). Written in the shared rule format, so what a preset
//! means is exactly what a scenario file with the same rule means.

use serde::Serialize;

use crate::refund::FeeItem;
use crate::{Error, Result};

/// A named starting point for a fee item.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Preset {
    pub key: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub item: FeeItem,
    /// The item's rules in words, as the 收费公示 and the explanation word them.
    pub summary: String,
}

const PRESETS: &[(&str, &str, &str, &str)] = &[
    (
        "meal_after_3_days",
        "伙食费:连续请假满 3 天按天退",
        "每天收费;连续请假(病假、事假)满 3 个在园日起,按天全部退还;计费停课按天退还。",
        r#"{"id":"meal","name":"伙食费","charge":{"per_day":"15.00"},
            "refund":{"per_day":{"min_run":3,"unrefunded_per_run":0,"kinds":["sick","personal"]},"closures":true}}"#,
    ),
    (
        "meal_shenzhen_n_minus_1",
        "伙食费:连续请假 2 天以上退 N−1 天(深圳)",
        "深圳市幼儿园膳食管理办法(2020):连续请假 2 天及以上,退还请假天数减 1 天的伙食费。",
        r#"{"id":"meal","name":"伙食费","charge":{"per_day":"10.50"},
            "refund":{"per_day":{"min_run":2,"unrefunded_per_run":1,"kinds":["sick","personal"]},"closures":true}}"#,
    ),
    (
        "meal_every_day",
        "伙食费:按实际未用餐天数退",
        "每请假一个在园日退一天伙食费(聊城等地做法)。",
        r#"{"id":"meal","name":"伙食费","charge":{"per_day":"12.00"},
            "refund":{"per_day":{"min_run":1,"unrefunded_per_run":0,"kinds":["sick","personal","other"]},"closures":true}}"#,
    ),
    (
        "care_tiers_100_50",
        "保教费:整月未到园全退,出勤不超过一半退 50%",
        "按当月法定工作日:整月未到园退 100%;出勤天数 ≤ 法定工作日的一半退 50%;其余不退。",
        r#"{"id":"care","name":"保教费","charge":{"monthly":"800.00","divisor":"legal_working_days","proration":"per_day"},
            "refund":{"tiers":[{"attended_at_most":"none","percent":100},{"attended_at_most":"half","percent":50}],
                      "tier_basis":"legal_working_days"}}"#,
    ),
    (
        "care_tiers_private_30_15",
        "保教费(民办):整月 30%,不超过一半 15%",
        "烟台等地民办园做法:整月未到园退 30%;出勤不超过一半退 15%。",
        r#"{"id":"care","name":"保教费","charge":{"monthly":"1200.00","divisor":"legal_working_days","proration":"full_if_half"},
            "refund":{"tiers":[{"attended_at_most":"none","percent":30},{"attended_at_most":"half","percent":15}],
                      "tier_basis":"legal_working_days"}}"#,
    ),
    (
        "care_per_30_days_sick",
        "保教费:病假满 30 天退一个月",
        "合肥做法:仅病假,连续满 30 个自然日(含周末)退一个月保教费;不足 30 天不退。",
        r#"{"id":"care","name":"保教费","charge":{"monthly":"600.00","divisor":"legal_working_days","proration":"per_day"},
            "refund":{"per_30_days":{"kinds":["sick"]}}}"#,
    ),
];

/// Every preset, parsed. A preset that fails to parse is a bug caught by the tests.
pub fn presets() -> Result<Vec<Preset>> {
    PRESETS
        .iter()
        .map(|(key, name, description, json)| {
            let item = FeeItem::from_json(json).map_err(|e| Error::invalid(format!("预设“{name}”有误:{e}")))?;
            let summary = crate::refund::describe_fee_item(&item).one_line();
            Ok(Preset { key, name, description, item, summary })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_preset_parses_and_validates() {
        let all = super::presets().expect("presets");
        assert_eq!(all.len(), super::PRESETS.len());
        for p in all {
            p.item.validate().expect(p.key);
        }
    }
}
