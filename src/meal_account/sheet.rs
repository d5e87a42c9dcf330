//! The monthly 伙食费收支公示 as a pure rule: from one month's figures (income
//! from the settlement, the kitchen store, staff meals, the term's earlier
//! months) to the sheet, with the Chinese lines that explain every number.
//!
//! The readings taken:
//! - income (本月伙食费收入) = the meal item's charges − its refunds to children
//!   for the month, − corrections to earlier months carried by this month's
//!   settlement (补退 paid back, 补收 taken in), which are money of this month;
//! - 短期缺勤未退 (absences shorter than the refund rule's minimum run, charged
//!   and kept) is stated on its own line: it is part of the charges and of the
//!   income, not money on top, and it comes from the settlement as confirmed
//!   (a month closed before it was recorded shows no such line);
//! - cost (幼儿伙食支出) = food issued from the store (opening + purchases −
//!   closing), less what was issued to the staff kitchen; food bought but still
//!   on the shelf is not a cost;
//! - the month's percentage = month balance ÷ month income; the term's =
//!   running balance ÷ term income, both over the months of the term that have
//!   a month-end count (a month without a count has no cost yet);
//! - a percentage is rounded half-up to 0.01% once, and the rounded value is
//!   compared with the limit, so the sheet never shows "2.00%" flagged as
//!   outside ±2%; exactly the limit is inside.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::settings::percent_text;
use super::store::{StockLine, StoreMonth};
use crate::dates::YearMonth;
use crate::money::div_round_half_up;
use crate::refund::ShortUnrefunded;
use crate::Fen;

/// Income and children's cost of one counted month (for the term's running balance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonthFigures {
    pub month: YearMonth,
    pub income: Fen,
    pub cost: Fen,
}

impl MonthFigures {
    /// 结余 = income − cost.
    pub fn balance(&self) -> Fen {
        self.income - self.cost
    }
}

/// Everything the sheet is computed from (gathered from the database by `load`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetInput {
    pub month: YearMonth,
    /// School name for the title.
    pub school: String,
    /// 会计 and 园长 as the school profile names them (printed by the signatures).
    pub bursar: String,
    pub head: String,
    /// 监督电话 (may be empty).
    pub complaint_phone: String,
    /// The meal fee per day when it is charged per day (the standard a
    /// child-day's cost is compared with).
    pub daily_rate: Option<Fen>,
    /// The profit/loss limit in basis points (200 = ±2%).
    pub limit_bp: i64,
    /// The meal fee item's name (伙食费).
    pub fee_name: String,
    /// 用膳标准 in words: `15.00 元/天`.
    pub rate_text: String,
    /// School days of the month (天数).
    pub school_days: u32,
    /// 儿童人日数 from the attendance data.
    pub child_days: u32,
    /// The month's settlement is confirmed (otherwise a preview).
    pub settlement_closed: bool,
    /// The confirmed settlement's revision (第 N 版), when closed.
    pub settlement_revision: Option<i64>,
    /// The meal item's charges for the month.
    pub charged: Fen,
    /// The meal item's refunds to children for the month (幼儿退款).
    pub refund: Fen,
    /// Corrections to earlier months carried by this month (> 0 补退, < 0 补收).
    pub adjustments: Fen,
    /// Of the income, what subsidies (减免、资助 of the meal fee) pay instead
    /// of the families: income, not a refund.
    pub subsidy: Fen,
    /// Absences shorter than the refund rule's minimum run, charged and not
    /// refunded (`None`: no such rule, or a settlement stored without it).
    pub short_unrefunded: Option<ShortUnrefunded>,
    /// The kitchen store of the month.
    pub store: StoreMonth,
    /// The month the term started.
    pub term_start: YearMonth,
    /// Counted months of the term before this one.
    pub term_before: Vec<MonthFigures>,
    /// Months of the term before this one without a month-end count.
    pub term_uncounted: Vec<YearMonth>,
    /// Publish by this day (next month's Nth).
    pub publish_by: NaiveDate,
}

/// A profit/loss percentage with the base it was computed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Ratio {
    /// Hundredths of a percent, rounded half-up; `None` when there is no base.
    pub bp: Option<i64>,
    /// `0.15%`, `-2.31%`, or `—`.
    pub text: String,
    /// What was divided by what, in words and figures.
    pub base: String,
    /// Outside the limit (flagged in red).
    pub outside: bool,
}

fn ratio(balance: Fen, income: Fen, limit_bp: i64, balance_name: &str, income_name: &str) -> Ratio {
    if income.as_i64() <= 0 {
        return Ratio {
            bp: None,
            text: "—".into(),
            base: format!("{income_name}为 {} 元,无法计算盈亏率", income.to_grouped_string()),
            outside: false,
        };
    }
    let bp = div_round_half_up(balance.as_i64() as i128 * 10_000, income.as_i64() as i128) as i64;
    Ratio {
        bp: Some(bp),
        text: two_decimals(bp),
        base: format!(
            "{balance_name} {} 元 ÷ {income_name} {} 元",
            balance.to_grouped_string(),
            income.to_grouped_string()
        ),
        outside: bp.abs() > limit_bp,
    }
}

/// 15 → `0.15%`, -231 → `-2.31%`: always two decimals, as printed sheets do.
pub fn two_decimals(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let a = bp.unsigned_abs();
    format!("{sign}{}.{:02}%", a / 100, a % 100)
}

/// The term's running figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TermFigures {
    /// First month of the term.
    pub from: YearMonth,
    /// The counted months included, in order (this month last if counted).
    pub months: Vec<MonthFigures>,
    /// 学期伙食费收入.
    pub income: Fen,
    /// 学期幼儿伙食支出.
    pub cost: Fen,
    /// 累计结余.
    pub balance: Fen,
    /// 累计盈亏率 = balance ÷ income.
    pub ratio: Ratio,
    /// Months of the term up to this one without a count (not included).
    pub uncounted: Vec<YearMonth>,
}

/// Staff meals, accounted apart (教工伙食单独核算).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaffFigures {
    /// Whether staff meals were recorded for the month.
    pub recorded: bool,
    /// 用餐人次.
    pub meals: u32,
    /// 教工伙食收入.
    pub income: Fen,
    /// 教工伙食支出 (food issued to the staff kitchen).
    pub cost: Fen,
    /// 结余.
    pub balance: Fen,
}

/// A published sheet's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Publication {
    pub published_on: NaiveDate,
    pub published_at: String,
    pub published_by: String,
}

/// The month's 伙食费收支公示.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MealSheet {
    pub month: YearMonth,
    pub school: String,
    /// 会计 and 园长, printed by their signature lines.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub bursar: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub head: String,
    /// 监督电话 printed at the foot (empty: none).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub complaint_phone: String,
    pub fee_name: String,
    /// 用膳标准.
    pub rate_text: String,
    /// 天数 (school days).
    pub school_days: u32,
    /// 儿童人日数.
    pub child_days: u32,
    pub settlement_closed: bool,
    /// The revision of the confirmed settlement the income comes from (a
    /// sheet published before this was recorded reads as `None`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub settlement_revision: Option<i64>,
    /// 应收伙食费.
    pub charged: Fen,
    /// 幼儿退款.
    pub refund: Fen,
    /// 以前月份更正 (> 0 补退, < 0 补收).
    pub adjustments: Fen,
    /// 其中政府资助: the part of `income` paid by subsidies (减免、资助 of the
    /// meal fee). Absent from sheets published before waivers, and when zero.
    #[serde(default, skip_serializing_if = "Fen::is_zero")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Fen>", optional))]
    pub subsidy: Fen,
    /// 短期缺勤未退伙食费: included in `charged` and `income`, stated apart.
    /// Sheets published before it was recorded read as `None`.
    #[serde(default)]
    pub short_unrefunded: Option<ShortUnrefunded>,
    /// 本月伙食费收入.
    pub income: Fen,
    /// Per category.
    pub categories: Vec<StockLine>,
    /// 合计 of the categories.
    pub total: StockLine,
    /// The month has a month-end count (otherwise cost and balance are unknown).
    pub counted: bool,
    /// 幼儿伙食支出.
    pub cost: Option<Fen>,
    /// 本月结余.
    pub balance: Option<Fen>,
    /// 本月盈亏率.
    pub month_ratio: Ratio,
    /// 学期累计.
    pub term: TermFigures,
    /// 教工伙食.
    pub staff: StaffFigures,
    /// The limit in basis points, and as printed (`±2%`).
    pub limit_bp: i64,
    pub limit_text: String,
    /// Either percentage is outside the limit.
    pub outside: bool,
    /// Numbered explanation lines, in Chinese.
    pub explanation: Vec<String>,
    /// Publish by this date.
    pub publish_by: NaiveDate,
    /// Set when the sheet has been published (filled in by the loader).
    pub publication: Option<Publication>,
    /// A published sheet whose settlement has since been reopened or
    /// confirmed with other meal figures: why it is out of date and what to
    /// do (withdraw and publish again). Filled in by the loader, never stored.
    #[serde(default, skip_deserializing)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub stale: Option<String>,
}

/// Computes the sheet. Pure: the same input always gives the same sheet.
pub fn compute(input: &SheetInput) -> MealSheet {
    let limit_text = format!("±{}", percent_text(input.limit_bp));
    let income = input.charged - input.refund - input.adjustments;
    let store = &input.store;
    let counted = store.counted();
    let cost = if counted { store.total.children } else { None };
    let balance = cost.map(|c| income - c);
    let mut ex = Vec::new();

    let source = match (input.settlement_closed, input.settlement_revision) {
        // The revision (第 N 版) is for the bursar's screen, not for the posted sheet.
        (true, _) => "已结账".to_string(),
        (false, _) => "尚未结账,按当前考勤预览".to_string(),
    };
    let mut income_line = format!(
        "本月伙食费收入 = 应收{} {} 元 − 幼儿退款 {} 元",
        input.fee_name,
        input.charged.to_grouped_string(),
        input.refund.to_grouped_string()
    );
    if input.adjustments != Fen::ZERO {
        let (label, sign) = if input.adjustments.is_negative() { ("补收", "+") } else { ("补退", "−") };
        income_line
            .push_str(&format!(" {sign} 以前月份更正({label}){} 元", input.adjustments.abs().to_grouped_string()));
    }
    income_line.push_str(&format!(
        " = {} 元;取自 {} 月结({source}),用膳标准 {}",
        income.to_grouped_string(),
        input.month.label(),
        input.rate_text
    ));
    ex.push(income_line);
    if let Some(short) = input.short_unrefunded {
        ex.push(short_unrefunded_line(&short, input.daily_rate, &input.fee_name));
    }
    ex.push(if input.settlement_closed {
        // The confirmed figure: a later correction is counted in the month
        // that carries it (see `load::meal_income`), not here.
        format!(
            "儿童人日数 {} 取自 {} 月结({source}):本月 {} 个在园日里,每名幼儿结账时的出勤天数之和;\
             结账后的考勤更正不改变本表,差额作为补退/补收计入以后月份",
            input.child_days,
            input.month.label(),
            input.school_days
        )
    } else {
        format!(
            "儿童人日数 {} 取自考勤:本月 {} 个在园日里,每天实际出勤的幼儿人数之和",
            input.child_days, input.school_days
        )
    });

    if counted {
        let t = &store.total;
        ex.push(format!(
            "伙食支出按出库计算:上月底库存 {} 元 + 本月购入 {} 元 − 本月底库存 {} 元 = 本月出库 {} 元(买进未用的食品不计入支出)",
            t.opening.to_grouped_string(),
            t.purchases.to_grouped_string(),
            t.closing.unwrap_or_default().to_grouped_string(),
            t.issued.unwrap_or_default().to_grouped_string()
        ));
        if t.staff != Fen::ZERO {
            ex.push(format!(
                "本月出库中教工伙食领用 {} 元单独核算,不计入幼儿伙食支出;幼儿伙食支出 {} 元",
                t.staff.to_grouped_string(),
                cost.unwrap_or_default().to_grouped_string()
            ));
        }
        if let (Some(c), true) = (cost, input.child_days > 0) {
            let per_day = crate::money::mul_div(c, 1, i64::from(input.child_days));
            let standard = match input.daily_rate {
                Some(rate) => format!(
                    ",用膳标准 {} 元/天,{}",
                    rate.to_grouped_string(),
                    match per_day.cmp(&rate) {
                        std::cmp::Ordering::Greater => format!("高出 {} 元", (per_day - rate).to_grouped_string()),
                        std::cmp::Ordering::Less => format!("低于标准 {} 元", (rate - per_day).to_grouped_string()),
                        std::cmp::Ordering::Equal => "与标准相同".to_string(),
                    }
                ),
                None => format!(",用膳标准 {}", input.rate_text),
            };
            ex.push(format!(
                "每名幼儿每天的伙食支出 = 幼儿伙食支出 {} 元 ÷ 儿童人日数 {} = {} 元{standard}",
                c.to_grouped_string(),
                input.child_days,
                per_day.to_grouped_string()
            ));
        }
        if let Some(b) = balance {
            ex.push(format!(
                "本月结余 = 收入 {} 元 − 幼儿伙食支出 {} 元 = {} 元",
                income.to_grouped_string(),
                cost.unwrap_or_default().to_grouped_string(),
                b.to_grouped_string()
            ));
        }
    } else {
        ex.push(format!(
            "{} 尚未月末盘点:本月出库(伙食支出)要在盘点库存后才能计算,结余和盈亏率暂不计算",
            input.month.label()
        ));
    }

    let month_ratio = match balance {
        Some(b) => ratio(b, income, input.limit_bp, "本月结余", "本月伙食费收入"),
        None => Ratio { bp: None, text: "—".into(), base: "尚未月末盘点".into(), outside: false },
    };
    if month_ratio.bp.is_some() {
        ex.push(format!(
            "本月盈亏率 = {} = {}(四舍五入到 0.01%),{}",
            month_ratio.base,
            month_ratio.text,
            verdict(&month_ratio, &limit_text)
        ));
    }

    // The term: earlier counted months plus this one if counted.
    let mut months = input.term_before.clone();
    if let (true, Some(c)) = (counted, cost) {
        months.push(MonthFigures { month: input.month, income, cost: c });
    }
    let t_income: Fen = months.iter().map(|m| m.income).sum();
    let t_cost: Fen = months.iter().map(|m| m.cost).sum();
    let t_balance = t_income - t_cost;
    let mut uncounted = input.term_uncounted.clone();
    if !counted {
        uncounted.push(input.month);
    }
    let t_ratio = if months.is_empty() {
        Ratio { bp: None, text: "—".into(), base: "本学期还没有盘点过的月份".into(), outside: false }
    } else {
        ratio(t_balance, t_income, input.limit_bp, "学期累计结余", "学期伙食费收入")
    };
    if !months.is_empty() {
        let list: Vec<String> = months.iter().map(|m| format!("{}月", m.month.month())).collect();
        ex.push(format!(
            "学期累计({} 起,含 {}):收入 {} 元,幼儿伙食支出 {} 元,累计结余 {} 元;累计盈亏率 = {} = {},{}",
            input.term_start.label(),
            list.join("、"),
            t_income.to_grouped_string(),
            t_cost.to_grouped_string(),
            t_balance.to_grouped_string(),
            t_ratio.base,
            t_ratio.text,
            verdict(&t_ratio, &limit_text)
        ));
    }
    if !uncounted.is_empty() {
        let list: Vec<String> = uncounted.iter().map(|m| m.label()).collect();
        ex.push(format!("{} 没有月末盘点,不计入学期累计", list.join("、")));
    }

    let staff_cost = store.staff_cost();
    let staff = match &store.staff {
        Some(s) => StaffFigures {
            recorded: true,
            meals: s.meals,
            income: s.income,
            cost: staff_cost,
            balance: s.income - staff_cost,
        },
        None => StaffFigures {
            recorded: staff_cost != Fen::ZERO,
            meals: 0,
            income: Fen::ZERO,
            cost: staff_cost,
            balance: -staff_cost,
        },
    };
    if staff.recorded {
        ex.push(format!(
            "教工伙食单独核算,不与幼儿伙食混用:用餐 {} 人次,收入 {} 元,支出 {} 元,结余 {} 元",
            staff.meals,
            staff.income.to_grouped_string(),
            staff.cost.to_grouped_string(),
            staff.balance.to_grouped_string()
        ));
    }

    let term = TermFigures {
        from: input.term_start,
        months,
        income: t_income,
        cost: t_cost,
        balance: t_balance,
        ratio: t_ratio,
        uncounted,
    };
    MealSheet {
        month: input.month,
        school: input.school.clone(),
        bursar: input.bursar.clone(),
        head: input.head.clone(),
        complaint_phone: input.complaint_phone.clone(),
        fee_name: input.fee_name.clone(),
        rate_text: input.rate_text.clone(),
        school_days: input.school_days,
        child_days: input.child_days,
        settlement_closed: input.settlement_closed,
        settlement_revision: input.settlement_revision,
        charged: input.charged,
        refund: input.refund,
        adjustments: input.adjustments,
        subsidy: input.subsidy,
        short_unrefunded: input.short_unrefunded,
        income,
        categories: store.lines.clone(),
        total: store.total.clone(),
        counted,
        cost,
        balance,
        outside: month_ratio.outside || term.ratio.outside,
        month_ratio,
        term,
        staff,
        limit_bp: input.limit_bp,
        limit_text,
        explanation: ex,
        publish_by: input.publish_by,
        publication: None,
        stale: None,
    }
}

/// `短期缺勤未退伙食费(连续缺勤不足 3 天不退)` — the label the sheet, the
/// PDF and the screen share.
pub fn short_unrefunded_label(short: &ShortUnrefunded, fee_name: &str) -> String {
    format!("短期缺勤未退{fee_name}(连续缺勤不足 {} 天不退)", short.min_run)
}

/// The explanation of 短期缺勤未退: days × rate, and that it is inside the income.
fn short_unrefunded_line(short: &ShortUnrefunded, daily_rate: Option<Fen>, fee_name: &str) -> String {
    let label = short_unrefunded_label(short, fee_name);
    if short.days == 0 {
        return format!("{label}:本月没有不足 {} 天的缺勤,0.00 元", short.min_run);
    }
    let sum = match daily_rate {
        Some(rate) => {
            format!("{} 天 × {} 元 = {} 元", short.days, rate.to_grouped_string(), short.amount.to_grouped_string())
        }
        // A monthly fee's day rate is worked out per month; each run is rounded as a refund would be.
        None => format!("{} 天,按日费逐段计算,合计 {} 元", short.days, short.amount.to_grouped_string()),
    };
    format!("{label} = {} 段、{sum},照常收费、按规定不退,已含在本月收入中", short.runs)
}

fn verdict(r: &Ratio, limit_text: &str) -> String {
    if r.outside {
        format!("超出 {limit_text} 的范围")
    } else {
        format!("在 {limit_text} 以内")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meal_account::store::{CountInfo, CountKind, StaffMonth};

    fn m(s: &str) -> YearMonth {
        s.parse().expect("month")
    }

    fn line(category: &str, opening: i64, purchases: i64, closing: i64, staff: i64) -> StockLine {
        let issued = Fen(opening + purchases - closing);
        StockLine {
            category: category.into(),
            listed: true,
            opening: Fen(opening),
            purchases: Fen(purchases),
            closing: Some(Fen(closing)),
            issued: Some(issued),
            staff: Fen(staff),
            children: Some(issued - Fen(staff)),
        }
    }

    /// A counted month whose children's cost is `cost` fen (one category).
    fn store(cost: i64, staff: i64) -> StoreMonth {
        let l = line("粮食", 10_000, cost + staff, 10_000, staff);
        StoreMonth {
            month: m("2025-10"),
            count: Some(CountInfo {
                kind: CountKind::Count,
                counted_on: "2025-10-31".parse().expect("d"),
                counted_by: String::new(),
                note: String::new(),
                saved_at: String::new(),
                saved_by: String::new(),
            }),
            opening_from: Some(CountKind::Count),
            lines: vec![l.clone()],
            total: StockLine { category: "合计".into(), ..l },
            staff: Some(StaffMonth { meals: 400, income: Fen(320_000), note: String::new() }),
            published: false,
        }
    }

    fn input(income: i64, cost: i64) -> SheetInput {
        SheetInput {
            month: m("2025-10"),
            school: "阳光幼儿园".into(),
            bursar: "李会计".into(),
            head: "王园长".into(),
            complaint_phone: "0591-12345678".into(),
            daily_rate: Some(Fen(1_500)),
            limit_bp: 200,
            fee_name: "伙食费".into(),
            rate_text: "15.00 元/天".into(),
            school_days: 20,
            child_days: 1_700,
            settlement_closed: true,
            settlement_revision: Some(1),
            charged: Fen(income + 100_000),
            refund: Fen(100_000),
            adjustments: Fen::ZERO,
            subsidy: Fen::ZERO,
            short_unrefunded: None,
            store: store(cost, 300_000),
            term_start: m("2025-09"),
            term_before: vec![],
            term_uncounted: vec![],
            publish_by: "2025-11-15".parse().expect("d"),
        }
    }

    #[test]
    fn the_real_sheet_from_the_domain_notes() {
        // A profit of 66.40 on 45,696.00 income is 0.15% (0.1453… rounded half-up).
        let s = compute(&input(4_569_600, 4_569_600 - 6_640));
        assert_eq!(s.income, Fen(4_569_600));
        assert_eq!(s.balance, Some(Fen(6_640)));
        assert_eq!(s.month_ratio.bp, Some(15));
        assert_eq!(s.month_ratio.text, "0.15%");
        assert_eq!(s.month_ratio.base, "本月结余 66.40 元 ÷ 本月伙食费收入 45,696.00 元");
        assert!(!s.month_ratio.outside);
        assert!(s.explanation.iter().any(|l| l.contains("在 ±2% 以内")), "{:?}", s.explanation);
        assert_eq!(s.staff.cost, Fen(300_000));
        assert_eq!(s.staff.balance, Fen(20_000));
        assert_eq!(s.cost, Some(Fen(4_569_600 - 6_640)), "staff issues are not the children's cost");
    }

    #[test]
    fn the_flag_sits_exactly_at_the_limit() {
        // 2.00% (and 2.004% that prints as 2.00%) is inside; 2.01% is outside; −2.01% too.
        for (balance, bp, outside) in [
            (2_000, 200, false),
            (2_004, 200, false),
            (2_005, 201, true),
            (2_010, 201, true),
            (-2_000, -200, false),
            (-2_010, -201, true),
            (1_999, 200, false),
        ] {
            let s = compute(&input(100_000, 100_000 - balance));
            assert_eq!(s.month_ratio.bp, Some(bp), "balance {balance}");
            assert_eq!(s.month_ratio.outside, outside, "balance {balance}");
            assert_eq!(s.outside, outside);
        }
        let out = compute(&input(100_000, 100_000 + 2_500));
        assert_eq!(out.month_ratio.text, "-2.50%");
        assert!(out.explanation.iter().any(|l| l.contains("超出 ±2% 的范围")));
    }

    #[test]
    fn the_term_adds_up_counted_months_only() {
        let mut i = input(1_000_000, 990_000);
        i.term_before = vec![MonthFigures { month: m("2025-09"), income: Fen(500_000), cost: Fen(520_000) }];
        let s = compute(&i);
        assert_eq!(s.term.income, Fen(1_500_000));
        assert_eq!(s.term.balance, Fen(-10_000));
        assert_eq!(s.term.ratio.bp, Some(-67));
        assert!(!s.term.ratio.outside);
        // September alone was −4%: the month is flagged, the term is not.
        assert_eq!(s.term.months.len(), 2);
        // Uncounted: no cost, no balance, no month ratio; the term keeps September.
        let mut u = i.clone();
        u.store.count = None;
        let s = compute(&u);
        assert_eq!((s.cost, s.balance, s.month_ratio.bp), (None, None, None));
        assert_eq!(s.term.months.len(), 1);
        assert_eq!(s.term.ratio.bp, Some(-400));
        assert!(s.term.ratio.outside && s.outside);
        assert_eq!(s.term.uncounted, vec![m("2025-10")]);
    }

    #[test]
    fn no_income_gives_no_percentage() {
        let mut i = input(0, 0);
        i.charged = Fen::ZERO;
        i.refund = Fen::ZERO;
        let s = compute(&i);
        assert_eq!(s.month_ratio.bp, None);
        assert_eq!(s.month_ratio.text, "—");
        assert!(!s.outside);
    }

    #[test]
    fn short_absences_kept_are_explained_apart_and_change_no_total() {
        // 7 runs of 1 or 2 days (under 3) over 11 days at 15.00: 165.00 kept.
        let mut i = input(1_000_000, 990_000);
        let plain = compute(&i);
        i.short_unrefunded = Some(ShortUnrefunded { min_run: 3, runs: 7, days: 11, amount: Fen(16_500) });
        let s = compute(&i);
        assert_eq!(s.short_unrefunded, i.short_unrefunded);
        assert_eq!((s.income, s.balance, &s.month_ratio), (plain.income, plain.balance, &plain.month_ratio));
        assert_eq!(
            s.explanation[1],
            "短期缺勤未退伙食费(连续缺勤不足 3 天不退) = 7 段、11 天 × 15.00 元 = 165.00 元,\
             照常收费、按规定不退,已含在本月收入中"
        );
        // None (no such rule, or a settlement stored before it was kept): no line.
        assert!(!plain.explanation.iter().any(|l| l.contains("短期缺勤")), "{:?}", plain.explanation);
    }

    #[test]
    fn corrections_to_earlier_months_count_in_this_months_income() {
        let mut i = input(1_000_000, 990_000);
        i.adjustments = Fen(5_000);
        let s = compute(&i);
        assert_eq!(s.income, Fen(995_000));
        assert!(s.explanation[0].contains("− 以前月份更正(补退)50.00 元"), "{}", s.explanation[0]);
    }
}
