//! Depreciation (折旧): straight line, monthly, no residual value.
//!
//! [`depreciate`] is the rule: plain data in, the amounts and the sentences
//! that explain them out. Two rules, chosen by a setting:
//! - [`DepreciationRule::Government`] (政府会计准则第3号 / 财会〔2017〕4号, public
//!   kindergartens): an asset added in a month is depreciated from that month;
//!   one removed in a month is not depreciated in that month.
//! - [`DepreciationRule::Enterprise`] (企业会计准则, many private
//!   kindergartens): from the month after it is added; the month it is removed
//!   is still depreciated.
//!
//! The amounts ([`straight_line`]): a constant monthly charge, 原值 ÷ months
//! rounded half-up to the fen, and the last month of the useful life takes
//! what is left, so every month but the last shows the same figure (a reader
//! checks that first) and the charges add up to the original value exactly.
//! Only when half-up rounding would use up the value before the last month
//! (a few fen over a long life) is the monthly charge rounded down instead.
//!
//! [`monthly_report`] loads the register and applies the rule to every asset
//! on the books in a month, with totals per category.
//!
//! Deliberately out: residual values, changes of useful life after
//! acquisition (edit the card: the whole history is recomputed), impairment.

use crate::store::Conn;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::settings;
use crate::dates::YearMonth;
use crate::money::div_round_half_up;
use crate::school::text_enum_sql;
use crate::{Fen, Result};

/// Which accounting rule sets the first and last month of depreciation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DepreciationRule {
    /// From the month of acquisition; not in the month of removal.
    Government,
    /// From the month after acquisition; still in the month of removal.
    Enterprise,
}
text_enum_sql!(DepreciationRule { Government => "government", Enterprise => "enterprise" });

impl DepreciationRule {
    /// The sentence a report prints to say which rule it used.
    pub fn description(self) -> &'static str {
        match self {
            DepreciationRule::Government => {
                "按政府会计制度(政府会计准则第3号,财会〔2017〕4号)计提:当月增加的资产当月计提折旧,当月减少的资产当月不再计提。"
            }
            DepreciationRule::Enterprise => {
                "按企业会计准则计提:当月增加的资产从下月起计提折旧,当月减少的资产当月照提、从下月起不再计提。"
            }
        }
    }

    /// A short name for lists.
    pub fn label(self) -> &'static str {
        match self {
            DepreciationRule::Government => "政府会计(当月计提)",
            DepreciationRule::Enterprise => "企业会计(次月计提)",
        }
    }
}

/// What the rule needs to know about one asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepreciationInput {
    /// 原值.
    pub original: Fen,
    /// Useful life in months (0 for categories that do not depreciate).
    pub life_months: u32,
    /// 取得日期.
    pub acquired_on: NaiveDate,
    /// The day it left the books (disposed, written off), if it did.
    pub off_books_on: Option<NaiveDate>,
    /// False for books, cultural relics, land.
    pub depreciates: bool,
    /// Category name, for the explanation (e.g. 图书).
    pub category: String,
}

/// The rule's answer for one asset as of the end of one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Depreciation {
    /// The month asked about.
    pub month: YearMonth,
    /// Months depreciated up to and including `month`.
    pub months_charged: u32,
    /// The charge in `month` itself (0 outside the charging months).
    pub this_month: Fen,
    /// 累计折旧 at the end of `month`.
    pub accumulated: Fen,
    /// 净值 = original − accumulated.
    pub net: Fen,
    /// The first and last month that carry a charge (`None` if there are none).
    pub first_month: Option<YearMonth>,
    pub last_month: Option<YearMonth>,
    /// Every month of the useful life has been charged.
    pub fully_depreciated: bool,
    /// How the figures were reached, in Chinese, one sentence per line.
    pub lines: Vec<String>,
}

fn months_between(from: YearMonth, to: YearMonth) -> i64 {
    (to.year() as i64 - from.year() as i64) * 12 + to.month() as i64 - from.month() as i64
}

fn add_months(m: YearMonth, n: i64) -> YearMonth {
    let total = m.year() as i64 * 12 + m.month() as i64 - 1 + n;
    let (y, mo) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    YearMonth::new(y as i32, mo as u32).unwrap_or(m)
}

/// The monthly amounts of straight-line depreciation over a whole useful
/// life, and the sentence that says how they were reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StraightLine {
    /// The amount depreciated over the life (原值: there is no residual value).
    pub depreciable: Fen,
    pub life_months: u32,
    /// The charge of every month but the last.
    pub monthly: Fen,
    /// The charge of the last month: the remainder.
    pub last: Fen,
    /// Half-up rounding would have charged the whole amount before the last
    /// month, so the monthly charge was rounded down.
    pub rounded_down: bool,
    /// How the two amounts were reached, in Chinese.
    pub explanation: String,
}

impl StraightLine {
    /// Accumulated depreciation after `k` charged months.
    fn accumulated_after(&self, k: i64) -> Fen {
        if k <= 0 {
            Fen::ZERO
        } else if k >= self.life_months as i64 {
            self.depreciable
        } else {
            Fen(self.monthly.0 * k)
        }
    }
}

/// The method, in one sentence, for the head of a report.
pub const METHOD_TEXT: &str = "按年限平均法(直线法)按月计提,无残值:每月折旧额 = 原值 ÷ 使用月数,四舍五入到分,\
     各月相同;最后一个月计提余额(原值 − 已提折旧),使折旧合计正好等于原值。图书、土地等不计提折旧。";

/// Straight-line amounts for `depreciable` fen over `life` months. Pure.
/// A life of 0 charges nothing.
pub fn straight_line(depreciable: Fen, life: u32) -> StraightLine {
    if life == 0 {
        return StraightLine {
            depreciable,
            life_months: 0,
            monthly: Fen::ZERO,
            last: Fen::ZERO,
            rounded_down: false,
            explanation: "使用年限为 0,不计提折旧。".into(),
        };
    }
    let n = life as i64;
    let half_up = Fen(div_round_half_up(depreciable.0 as i128, n as i128) as i64);
    // Rounding up by up to half a fen a month can, over a long life, add up to
    // more than one month's charge: then the last month would go negative.
    let rounded_down = half_up.0 * (n - 1) > depreciable.0;
    let monthly = if rounded_down { Fen(depreciable.0.div_euclid(n)) } else { half_up };
    let last = Fen(depreciable.0 - monthly.0 * (n - 1));
    let (d, m, l) = (depreciable.to_grouped_string(), monthly.to_grouped_string(), last.to_grouped_string());
    let explanation = if life == 1 {
        format!("使用年限 1 个月,一次计提 {d} 元。")
    } else if rounded_down {
        format!(
            "每月折旧额 = {d} ÷ {life} 个月,按四舍五入计 {} 元会在最后一个月前提完,故舍去分以下为 {m} 元;\
             前 {} 个月每月 {m} 元,最后一个月计提余额 {l} 元,合计 {d} 元。",
            half_up.to_grouped_string(),
            life - 1
        )
    } else {
        format!(
            "每月折旧额 = {d} ÷ {life} 个月 = {m} 元(四舍五入到分);前 {} 个月每月 {m} 元,\
             最后一个月计提余额 {d} − {m} × {} = {l} 元,合计正好等于原值 {d} 元。",
            life - 1,
            life - 1
        )
    };
    StraightLine { depreciable, life_months: life, monthly, last, rounded_down, explanation }
}

/// The figures of [`Depreciation`] without the explanation: what a list of
/// thousands of cards, or the monthly report, needs of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    pub months_charged: u32,
    pub this_month: Fen,
    pub accumulated: Fen,
    pub net: Fen,
    pub first_month: Option<YearMonth>,
    pub last_month: Option<YearMonth>,
    pub fully_depreciated: bool,
}

/// The first and last month that carry a charge under `rule` (the last may
/// come before the first: removed before any charge), and the month of
/// removal when it cut the useful life short.
fn charging_months(asset: &DepreciationInput, rule: DepreciationRule) -> (YearMonth, YearMonth, Option<YearMonth>) {
    let acquired = YearMonth::of(asset.acquired_on);
    let first = match rule {
        DepreciationRule::Government => acquired,
        DepreciationRule::Enterprise => acquired.next(),
    };
    // The last month of the useful life, then cut short by removal.
    let mut last = add_months(first, asset.life_months as i64 - 1);
    let mut cut_by = None;
    if let Some(off) = asset.off_books_on {
        let removed = YearMonth::of(off);
        let last_by_removal = match rule {
            DepreciationRule::Government => removed.prev(),
            DepreciationRule::Enterprise => removed,
        };
        if last_by_removal < last {
            last = last_by_removal;
            cut_by = Some(removed);
        }
    }
    (first, last, cut_by)
}

/// [`depreciate`]'s figures alone. Pure: no clock, no database.
pub fn figures(asset: &DepreciationInput, rule: DepreciationRule, month: YearMonth) -> Figures {
    let none = Figures {
        months_charged: 0,
        this_month: Fen::ZERO,
        accumulated: Fen::ZERO,
        net: asset.original,
        first_month: None,
        last_month: None,
        fully_depreciated: false,
    };
    if !asset.depreciates || asset.life_months == 0 {
        return none;
    }
    let life = asset.life_months as i64;
    let (first, last, _) = charging_months(asset, rule);
    if last < first || month < first {
        return none;
    }
    let plan = straight_line(asset.original, asset.life_months);
    let charged_to = if month < last { month } else { last };
    let k = months_between(first, charged_to) + 1;
    let accumulated = plan.accumulated_after(k);
    let this_month = if month <= last { accumulated - plan.accumulated_after(k - 1) } else { Fen::ZERO };
    Figures {
        months_charged: k as u32,
        this_month,
        accumulated,
        net: asset.original - accumulated,
        first_month: Some(first),
        last_month: Some(last),
        fully_depreciated: k >= life,
    }
}

/// Applies `rule` to `asset` as of the end of `month`, with the sentences
/// that explain it. Pure: no clock, no database.
pub fn depreciate(asset: &DepreciationInput, rule: DepreciationRule, month: YearMonth) -> Depreciation {
    let f = figures(asset, rule, month);
    let explained = |lines: Vec<String>| Depreciation {
        month,
        months_charged: f.months_charged,
        this_month: f.this_month,
        accumulated: f.accumulated,
        net: f.net,
        first_month: f.first_month,
        last_month: f.last_month,
        fully_depreciated: f.fully_depreciated,
        lines,
    };
    let mut lines = Vec::new();
    if !asset.depreciates || asset.life_months == 0 {
        lines.push(format!(
            "{}类资产不计提折旧,净值等于原值 {} 元。",
            if asset.category.is_empty() { "该" } else { &asset.category },
            asset.original.to_grouped_string()
        ));
        return explained(lines);
    }
    let life = asset.life_months as i64;
    let acquired = YearMonth::of(asset.acquired_on);
    let (first, last, cut_by) = charging_months(asset, rule);
    let removed_note = cut_by.map(|removed| match rule {
        DepreciationRule::Government => format!("{}减少(报废或核销),当月起不再计提。", removed.label()),
        DepreciationRule::Enterprise => format!("{}减少(报废或核销),当月照提,下月起不再计提。", removed.label()),
    });
    lines.push(rule.description().to_string());
    let years = if life % 12 == 0 { format!("{} 年", life / 12) } else { format!("{life} 个月") };
    let plan = straight_line(asset.original, asset.life_months);
    lines.push(format!(
        "原值 {} 元,使用年限 {years}(共 {life} 个月),无残值,按年限平均法(直线法)计提。{}",
        asset.original.to_grouped_string(),
        plan.explanation,
    ));
    let start_text = match rule {
        DepreciationRule::Government => format!("{}取得,从当月起计提", acquired.label()),
        DepreciationRule::Enterprise => format!("{}取得,从次月({})起计提", acquired.label(), first.label()),
    };
    if last < first {
        lines.push(format!("{start_text};{}", removed_note.unwrap_or_default()));
        lines.push("未计提任何月份的折旧。".to_string());
        return explained(lines);
    }
    if month < first {
        lines.push(format!("{start_text};截至{}尚未开始计提,净值等于原值。", month.label()));
        return explained(lines);
    }
    lines.push(format!(
        "{start_text};截至{}已提 {} 个月,累计折旧 {} 元,净值 {} 元{}。",
        month.label(),
        f.months_charged,
        f.accumulated.to_grouped_string(),
        f.net.to_grouped_string(),
        if month <= last { format!(",本月折旧 {} 元", f.this_month.to_grouped_string()) } else { String::new() }
    ));
    if let Some(note) = removed_note {
        lines.push(note);
    } else if f.fully_depreciated {
        lines.push(format!("已于{}提足折旧,之后不再计提(资产仍可继续使用,净值为 0)。", last.label()));
    }
    explained(lines)
}

/// One asset's line in the monthly report.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportLine {
    pub asset_id: super::AssetId,
    pub number: String,
    pub name: String,
    pub category_code: String,
    pub category_name: String,
    pub acquired_on: NaiveDate,
    pub original: Fen,
    pub life_months: u32,
    pub this_month: Fen,
    pub accumulated: Fen,
    pub net: Fen,
    pub depreciates: bool,
}

/// Totals for one category (or the whole register).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CategoryTotal {
    pub code: String,
    pub name: String,
    pub count: usize,
    pub original: Fen,
    pub this_month: Fen,
    pub accumulated: Fen,
    pub net: Fen,
}

impl CategoryTotal {
    fn add(&mut self, l: &ReportLine) {
        self.count += 1;
        self.original += l.original;
        self.this_month += l.this_month;
        self.accumulated += l.accumulated;
        self.net += l.net;
    }
}

/// The monthly depreciation report (月度折旧表).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonthlyReport {
    pub month: YearMonth,
    pub rule: DepreciationRule,
    /// The sentence saying which rule was used.
    pub rule_text: String,
    /// The sentence saying how the amounts are computed ([`METHOD_TEXT`]).
    pub method_text: String,
    pub categories: Vec<CategoryTotal>,
    pub total: CategoryTotal,
    /// Every asset on the books during the month, by category then number.
    pub lines: Vec<ReportLine>,
}

/// The depreciation of every asset on the books at some point in `month`
/// (acquired by its last day, not removed before its first), per the rule in
/// the settings.
pub fn monthly_report(conn: &Conn, month: YearMonth) -> Result<MonthlyReport> {
    let rule = settings::load(conn)?.rule;
    let mut lines = Vec::new();
    for c in crate::store::assets::register::on_books_between(conn, month.first_day(), month.last_day())? {
        let input = DepreciationInput {
            original: c.original,
            life_months: c.life_months,
            acquired_on: c.acquired_on,
            off_books_on: c.off_books_on,
            depreciates: c.depreciates,
            // Only the explanation names it; the report has no explanation per card.
            category: String::new(),
        };
        let d = figures(&input, rule, month);
        lines.push(ReportLine {
            asset_id: c.id,
            number: c.number,
            name: c.name,
            category_code: c.category_code,
            category_name: c.category_name,
            acquired_on: c.acquired_on,
            original: c.original,
            life_months: c.life_months,
            this_month: d.this_month,
            accumulated: d.accumulated,
            net: d.net,
            depreciates: c.depreciates,
        });
    }
    let mut categories: Vec<CategoryTotal> = Vec::new();
    let mut total = CategoryTotal { code: String::new(), name: "合计".into(), ..Default::default() };
    for l in &lines {
        match categories.last_mut() {
            Some(c) if c.code == l.category_code => c.add(l),
            _ => {
                let mut c = CategoryTotal {
                    code: l.category_code.clone(),
                    name: l.category_name.clone(),
                    ..Default::default()
                };
                c.add(l);
                categories.push(c);
            }
        }
        total.add(l);
    }
    Ok(MonthlyReport {
        month,
        rule,
        rule_text: rule.description().to_string(),
        method_text: METHOD_TEXT.to_string(),
        categories,
        total,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use DepreciationRule::{Enterprise, Government};

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }
    fn m(s: &str) -> YearMonth {
        s.parse().expect("month")
    }
    fn computer(acquired: &str) -> DepreciationInput {
        DepreciationInput {
            original: Fen::parse("6000").expect("fen"),
            life_months: 72,
            acquired_on: d(acquired),
            off_books_on: None,
            depreciates: true,
            category: "计算机".into(),
        }
    }

    #[test]
    fn government_rule_starts_in_the_month_of_acquisition_even_on_its_last_day() {
        let a = computer("2025-03-31");
        let r = depreciate(&a, Government, m("2025-02"));
        assert_eq!((r.months_charged, r.accumulated, r.this_month), (0, Fen::ZERO, Fen::ZERO));
        let r = depreciate(&a, Government, m("2025-03"));
        assert_eq!((r.months_charged, r.this_month, r.accumulated), (1, Fen(8333), Fen(8333)));
        assert_eq!(r.net, Fen(591_667));
        assert!(r.lines[0].contains("当月增加的资产当月计提"), "{:?}", r.lines);
        assert!(
            r.lines.iter().any(|l| l.contains("2025年3月取得,从当月起计提;截至2025年3月已提 1 个月")),
            "{:?}",
            r.lines
        );
    }

    #[test]
    fn enterprise_rule_starts_the_month_after_even_on_the_first_day() {
        let a = computer("2025-03-01");
        let r = depreciate(&a, Enterprise, m("2025-03"));
        assert_eq!((r.months_charged, r.accumulated), (0, Fen::ZERO));
        assert!(r.lines.iter().any(|l| l.contains("从次月(2025年4月)起计提")), "{:?}", r.lines);
        let r = depreciate(&a, Enterprise, m("2025-04"));
        assert_eq!((r.months_charged, r.this_month), (1, Fen(8333)));
        // Across a year boundary: Dec → Jan.
        let r = depreciate(&computer("2025-12-15"), Enterprise, m("2026-01"));
        assert_eq!((r.months_charged, r.first_month), (1, Some(m("2026-01"))));
        let r = depreciate(&computer("2025-12-15"), Government, m("2026-01"));
        assert_eq!(r.months_charged, 2);
    }

    #[test]
    fn charges_add_up_to_the_original_value_and_stop_when_fully_depreciated() {
        let a = computer("2025-01-10");
        let mut sum = Fen::ZERO;
        let mut month = m("2025-01");
        for i in 0..80 {
            let r = depreciate(&a, Government, month);
            sum += r.this_month;
            // 6,000.00 ÷ 72 = 83.33 every month; the 72nd takes the remainder, 83.57.
            let expected = match i {
                0..=70 => Fen(8333),
                71 => Fen(8357),
                _ => Fen::ZERO,
            };
            assert_eq!(r.this_month, expected, "month {i}");
            month = month.next();
        }
        assert_eq!(sum, a.original);
        let last = depreciate(&a, Government, m("2030-12"));
        assert_eq!((last.months_charged, last.this_month, last.net), (72, Fen(8357), Fen::ZERO));
        assert!(last.fully_depreciated);
        let after = depreciate(&a, Government, m("2031-01"));
        assert_eq!((after.months_charged, after.this_month, after.accumulated), (72, Fen::ZERO, a.original));
        assert!(after.lines.iter().any(|l| l.contains("已于2030年12月提足折旧")), "{:?}", after.lines);
    }

    /// Regression: monthly charges were differences of rounded accumulated
    /// amounts, so 3,875.00 over 60 months printed 64.58, 64.59, 64.58, …
    /// month after month. Now every month but the last is the same figure.
    #[test]
    fn monthly_charge_does_not_alternate_by_a_fen() {
        let mut a = computer("2025-01-10");
        a.original = Fen(387_500);
        a.life_months = 60;
        let mut month = m("2025-01");
        let mut charges = Vec::new();
        for _ in 0..60 {
            charges.push(depreciate(&a, Government, month).this_month);
            month = month.next();
        }
        assert!(charges[..59].iter().all(|c| *c == Fen(6458)), "{charges:?}");
        assert_eq!(charges[59], Fen(387_500 - 6458 * 59));
        let r = depreciate(&a, Government, m("2025-01"));
        assert!(r.lines[1].contains("每月折旧额 = 3,875.00 ÷ 60 个月 = 64.58 元"), "{:?}", r.lines);
        assert!(r.lines[1].contains("最后一个月计提余额"), "{:?}", r.lines);
    }

    #[test]
    fn straight_line_rounds_half_up_and_the_last_month_takes_the_remainder() {
        // 1,000.05 ÷ 10 = 100.005 → 100.01 (half up); last 1,000.05 − 900.09 = 99.96.
        let s = straight_line(Fen(100_005), 10);
        assert_eq!((s.monthly, s.last, s.rounded_down), (Fen(10_001), Fen(9_996), false));
        assert!(s.explanation.contains("= 100.01 元(四舍五入到分)"), "{}", s.explanation);
        let one = straight_line(Fen(500), 1);
        assert_eq!((one.monthly, one.last), (Fen(500), Fen(500)));
        assert_eq!(straight_line(Fen(500), 0).last, Fen::ZERO);
    }

    #[test]
    fn a_tiny_amount_over_a_long_life_rounds_down_rather_than_run_out_early() {
        // 1.00 ÷ 18 = 0.0556 → 0.06 would charge 1.02 in 17 months: round down to 0.05.
        let s = straight_line(Fen(100), 18);
        assert_eq!((s.monthly, s.last, s.rounded_down), (Fen(5), Fen(15), true));
        assert!(s.explanation.contains("舍去分以下"), "{}", s.explanation);
    }

    proptest::proptest! {
        #[test]
        fn charges_sum_to_the_depreciable_amount_and_all_but_the_last_are_equal(
            original in 0i64..2_000_000_000,
            life in 1u32..=600,
        ) {
            let s = straight_line(Fen(original), life);
            let mut a = computer("2020-01-15");
            a.original = Fen(original);
            a.life_months = life;
            let mut month = m("2020-01");
            let mut charges = Vec::new();
            for _ in 0..life {
                charges.push(figures(&a, Government, month).this_month);
                month = month.next();
            }
            proptest::prop_assert_eq!(charges.iter().copied().sum::<Fen>(), Fen(original));
            proptest::prop_assert!(charges[..charges.len() - 1].iter().all(|c| *c == s.monthly));
            proptest::prop_assert_eq!(*charges.last().expect("one month at least"), s.last);
            proptest::prop_assert!(s.last >= Fen::ZERO);
            // Half-up whenever that leaves the last month something to take.
            let half_up = (2 * original + life as i64) / (2 * life as i64);
            if half_up * (life as i64 - 1) <= original {
                proptest::prop_assert_eq!(s.monthly, Fen(half_up));
            }
            proptest::prop_assert_eq!(depreciate(&a, Government, month).this_month, Fen::ZERO);
        }
    }

    #[test]
    fn removal_stops_that_month_for_government_and_the_next_for_enterprise() {
        let mut a = computer("2025-01-10");
        a.off_books_on = Some(d("2025-06-01"));
        let g = depreciate(&a, Government, m("2025-06"));
        assert_eq!((g.months_charged, g.this_month, g.last_month), (5, Fen::ZERO, Some(m("2025-05"))));
        assert!(g.lines.iter().any(|l| l.contains("2025年6月减少")), "{:?}", g.lines);
        let e = depreciate(&a, Enterprise, m("2025-06"));
        assert_eq!((e.months_charged, e.this_month, e.last_month), (5, Fen(8333), Some(m("2025-06"))));
        assert_eq!(depreciate(&a, Enterprise, m("2025-07")).this_month, Fen::ZERO);
        // Bought and removed in the same month: no charge under either rule.
        a.off_books_on = Some(d("2025-01-20"));
        assert_eq!(depreciate(&a, Government, m("2025-01")).accumulated, Fen::ZERO);
        assert_eq!(depreciate(&a, Enterprise, m("2025-02")).accumulated, Fen::ZERO);
    }

    #[test]
    fn books_and_land_never_depreciate() {
        for (cat, life) in [("图书", 0), ("土地", 0), ("图书", 60)] {
            let a = DepreciationInput {
                original: Fen::yuan(3_000),
                life_months: life,
                acquired_on: d("2020-09-01"),
                off_books_on: None,
                depreciates: false,
                category: cat.into(),
            };
            for rule in [Government, Enterprise] {
                let r = depreciate(&a, rule, m("2025-10"));
                assert_eq!((r.accumulated, r.net, r.this_month), (Fen::ZERO, Fen::yuan(3_000), Fen::ZERO));
                assert_eq!(r.lines, [format!("{cat}类资产不计提折旧,净值等于原值 3,000.00 元。")]);
            }
        }
    }

    #[test]
    fn a_life_that_is_not_whole_years_is_shown_in_months() {
        let mut a = computer("2025-01-01");
        a.life_months = 18;
        a.original = Fen(100);
        let r = depreciate(&a, Government, m("2025-01"));
        assert!(r.lines[1].contains("使用年限 18 个月"), "{:?}", r.lines);
        // 100 fen ÷ 18 = 5.56 fen; 6 a month would run out before month 18, so 5.
        assert_eq!(r.accumulated, Fen(5));
    }
}
