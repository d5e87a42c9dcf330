//! A fee item's rules in words, for people who never see the JSON: the fee
//! screens' one-line summary and the posted 收费公示. The sentences use the
//! settlement explanation's own phrases (满 N 天起退, 每段前 N 天不退, 出勤不超过
//! 当月法定工作日的一半…), so what a parent reads on the wall is what the
//! month's explanation later says about their child.

use serde::Serialize;

use super::explain;
use super::rules::{Charge, Divisor, FeeItem, Proration, TierThreshold};

/// One fee item described for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeItemWords {
    /// The standard: `每月 800.00 元` / `每天 15.00 元`.
    pub standard: String,
    /// 按月 / 按天.
    pub unit: &'static str,
    /// How a part month or the daily rate is worked out; empty for a daily charge.
    pub charge_rule: String,
    /// Each refund rule as one sentence, in the order the settlement applies them;
    /// `["不退费"]` when the item has none.
    pub refunds: Vec<String>,
}

impl FeeItemWords {
    /// Everything on one line: the fee screens' summary.
    pub fn one_line(&self) -> String {
        let mut parts = vec![self.standard.clone()];
        if !self.charge_rule.is_empty() {
            parts.push(self.charge_rule.clone());
        }
        parts.extend(self.refunds.iter().cloned());
        parts.join(";")
    }
}

/// The rules of `item` in words.
pub fn describe(item: &FeeItem) -> FeeItemWords {
    let (standard, unit, charge_rule) = match &item.charge {
        Charge::PerDay { rate } => (format!("每天 {}", explain::yuan(*rate)), "按天", String::new()),
        Charge::Monthly { amount, divisor, proration } => {
            let daily = match divisor {
                Divisor::LegalWorkingDays => "日费 = 月收费 ÷ 当月法定工作日".to_string(),
                Divisor::SchoolDays => "日费 = 月收费 ÷ 当月在校日".to_string(),
                Divisor::Fixed(n) => format!("日费 = 月收费 ÷ {n} 天"),
            };
            let part = match proration {
                Proration::PerDay => "月中入园或离园的按入园在校日 × 日费收取",
                Proration::FullIfHalf => "入园在校日满当月在校日一半的收全月,不足一半的按入园在校日 × 日费收取",
            };
            (format!("每月 {}", explain::yuan(*amount)), "按月", format!("{daily};{part}"))
        }
    };
    FeeItemWords { standard, unit, charge_rule, refunds: refunds(item) }
}

fn refunds(item: &FeeItem) -> Vec<String> {
    let rule = &item.refund;
    let mut out = Vec::new();
    if !rule.tiers.is_empty() {
        let basis = rule.tier_basis().label();
        let tiers: Vec<String> = rule
            .tiers
            .iter()
            .map(|t| {
                let when = match t.attended_at_most {
                    TierThreshold::NoDays => "全月未出勤".to_string(),
                    TierThreshold::Half => format!("出勤不超过当月{basis}的一半"),
                    TierThreshold::AtMost(k) => format!("出勤不超过 {k} 天"),
                };
                format!("{when}的退本月收费的 {}%", t.percent)
            })
            .collect();
        out.push(format!(
            "全月在园的幼儿按出勤天数分档退费:{}(符合分档的,不再另按天、满30天或停课退费)",
            tiers.join(",")
        ));
    }
    if let Some(p) = &rule.per_day {
        let kinds = explain::kinds(&p.kinds);
        let mut s = if p.min_run > 1 {
            format!("连续请假({kinds})满 {} 个在校日起退", p.min_run)
        } else {
            format!("请假({kinds})按请假天数退")
        };
        if p.unrefunded_per_run > 0 {
            s.push_str(&format!(",每段前 {} 天不退", p.unrefunded_per_run));
        }
        s.push_str(",退还天数 × 日费");
        out.push(s);
    }
    if let Some(p) = &rule.per_30_days {
        out.push(format!("连续请假({})每满 30 个自然日(含周末、节假日),退一个月费用", explain::kinds(&p.kinds)));
    }
    if rule.closures {
        out.push("因停课不能入园的在校日,照常计费、按天退还".to_string());
    }
    if out.is_empty() {
        out.push("不退费".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(json: &str) -> FeeItem {
        FeeItem::from_json(json).unwrap()
    }

    #[test]
    fn a_daily_meal_fee_refunded_from_the_third_day() {
        let w = describe(&item(
            r#"{"id":"meal","name":"伙食费","charge":{"per_day":"15.00"},
                "refund":{"per_day":{"min_run":3,"kinds":["sick","personal"]},"closures":true}}"#,
        ));
        assert_eq!(w.standard, "每天 15.00 元");
        assert_eq!(w.unit, "按天");
        assert_eq!(w.charge_rule, "");
        assert_eq!(
            w.refunds,
            vec![
                "连续请假(病假、事假)满 3 个在校日起退,退还天数 × 日费".to_string(),
                "因停课不能入园的在校日,照常计费、按天退还".to_string(),
            ]
        );
        assert_eq!(
            w.one_line(),
            "每天 15.00 元;连续请假(病假、事假)满 3 个在校日起退,退还天数 × 日费;因停课不能入园的在校日,照常计费、按天退还"
        );
    }

    #[test]
    fn a_monthly_care_fee_with_tiers_and_an_unrefunded_first_day() {
        let w = describe(&item(
            r#"{"id":"care","name":"保教费","charge":{"monthly":"800.00","divisor":"legal_working_days","proration":"full_if_half"},
                "refund":{"tiers":[{"attended_at_most":"none","percent":100},{"attended_at_most":"half","percent":50}],
                          "per_day":{"min_run":1,"unrefunded_per_run":1,"kinds":["sick"]},
                          "per_30_days":{"kinds":["sick"]}}}"#,
        ));
        assert_eq!(w.standard, "每月 800.00 元");
        assert_eq!(w.unit, "按月");
        assert_eq!(
            w.charge_rule,
            "日费 = 月收费 ÷ 当月法定工作日;入园在校日满当月在校日一半的收全月,不足一半的按入园在校日 × 日费收取"
        );
        assert_eq!(w.refunds.len(), 3);
        assert_eq!(
            w.refunds[0],
            "全月在园的幼儿按出勤天数分档退费:全月未出勤的退本月收费的 100%,出勤不超过当月法定工作日的一半的退本月收费的 50%(符合分档的,不再另按天、满30天或停课退费)"
        );
        assert_eq!(w.refunds[1], "请假(病假)按请假天数退,每段前 1 天不退,退还天数 × 日费");
        assert_eq!(w.refunds[2], "连续请假(病假)每满 30 个自然日(含周末、节假日),退一个月费用");
    }

    #[test]
    fn an_item_without_refund_rules_says_so() {
        let w = describe(&item(r#"{"id":"books","name":"图书费","charge":{"monthly":"30.00","divisor":22}}"#));
        assert_eq!(w.charge_rule, "日费 = 月收费 ÷ 22 天;月中入园或离园的按入园在校日 × 日费收取");
        assert_eq!(w.refunds, vec!["不退费".to_string()]);
    }
}
