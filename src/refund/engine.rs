//! The month's settlement (月结): what each child is charged for each fee item and
//! what is refunded for absences and closures, with the lines that explain it.
//!
//! [`settle_month`] is a pure function of plain data: the storage layer loads the
//! calendar, the fee items, the children and their absences, and saves the
//! [`SettlementResult`] in one transaction. Nothing here reads a clock, a file or
//! the database.
//!
//! The semantics are those of `shared/scenarios/README.md`. The readings this
//! module commits to where that text leaves room:
//! - a run is maximal in both directions: days recorded after the month count for
//!   `min_run` just as days before it do, so a run split by a month end refunds
//!   the same total as if it were not;
//! - ranges of listed kinds merge into one `per_30_days` run when they overlap,
//!   touch, or are separated only by days that are not school days (a weekend
//!   between two week-long sick notes), mirroring how runs are built;
//! - an item's refund never exceeds its charge for the month (a divisor of 22 in
//!   a 23-day month could otherwise refund more than was paid); the cut is a line;
//! - `full_if_half` means enrolled days × 2 ≥ school days (10 of 21 is under half);
//! - a day covered by leave of a listed and of an unlisted kind counts as listed.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolCalendar;
use crate::dates::YearMonth;
use crate::error::{Error, FieldProblem, Result};
use crate::money::{mul_div, Fen};

use super::explain;
use super::rules::{
    kinds_mask, validate_fee_items, Charge, DayBasis, Divisor, FeeItem, LeaveKind, PerDayRefund, Proration,
    TierThreshold,
};

/// A child as settlement needs it: who, which class, and the enrolment dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolledChild {
    /// Stable key (the storage layer may pass its row id as text).
    #[serde(deserialize_with = "super::de::de_id")]
    pub id: String,
    /// 姓名.
    #[serde(default)]
    pub name: String,
    /// 班级, e.g. 大一班.
    #[serde(default)]
    pub class: String,
    /// First day of enrolment (入园日期).
    #[serde(deserialize_with = "super::de::de_date")]
    pub enrolled: NaiveDate,
    /// Last day of enrolment (离园日期), inclusive; `None` while still enrolled.
    #[serde(default, deserialize_with = "super::de::de_opt_date")]
    pub left: Option<NaiveDate>,
}

impl EnrolledChild {
    fn is_enrolled_on(&self, d: NaiveDate) -> bool {
        self.enrolled <= d && self.left.is_none_or(|l| d <= l)
    }
    fn label(&self) -> String {
        if self.name.is_empty() {
            self.id.clone()
        } else {
            format!("{}({})", self.name, self.id)
        }
    }
}

/// One leave record (请假): a child away from `from` to `to`, inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Absence {
    /// The child's id.
    #[serde(deserialize_with = "super::de::de_id")]
    pub child: String,
    /// First day away.
    #[serde(deserialize_with = "super::de::de_date")]
    pub from: NaiveDate,
    /// Last day away (inclusive); may be after the month, may include weekends.
    #[serde(deserialize_with = "super::de::de_date")]
    pub to: NaiveDate,
    /// 病假 / 事假 / 其他.
    pub kind: LeaveKind,
}

/// Everything one month's settlement needs, as plain data.
///
/// `absences` must include every leave record that can touch the month through a
/// run: records before the month (a run that began last month counts for
/// `min_run`; a 30-day run may have begun two months ago) and after it. Passing
/// more is harmless; `calendar` must know the closures for all those dates.
#[derive(Debug, Clone, Copy)]
pub struct SettlementInput<'a> {
    /// The month being settled.
    pub month: YearMonth,
    /// The national schedule with the school's closures.
    pub calendar: &'a SchoolCalendar,
    /// The school's fee items.
    pub fees: &'a [FeeItem],
    /// Children to settle (those not enrolled in the month come out with zeros).
    pub children: &'a [EnrolledChild],
    /// Leave records of those children.
    pub absences: &'a [Absence],
}

/// What a line of a fee settlement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// The month's charge.
    Charge,
    /// Refund for one run of consecutive absence (per day).
    Run,
    /// Refund for charged-closure days (停课).
    Closures,
    /// Refund by a tier of days attended.
    Tier,
    /// Refund of a month's amount for 30 full calendar days of leave.
    Per30Days,
    /// The refund cut back to the month's charge.
    Cap,
    /// A waiver or subsidy (减免、资助), applied after the refunds: see `waiver.rs`.
    Waiver,
    /// Why something was not refunded; amount is zero.
    Note,
}

impl LineKind {
    fn is_refund(self) -> bool {
        matches!(self, LineKind::Run | LineKind::Closures | LineKind::Tier | LineKind::Per30Days | LineKind::Cap)
    }
}

/// One explained step of a settlement; amounts are already rounded to the fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SettlementLine {
    /// What the line is.
    pub kind: LineKind,
    /// First day the line is about, if any.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Last day the line is about, if any.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Days charged or refunded by this line (0 for tiers and notes).
    pub days: u32,
    /// Charge (for `Charge`) or refund (otherwise), in fen.
    pub amount: Fen,
    /// The explanation in Chinese.
    pub text: String,
    /// On the note of a run of absence shorter than the rule's minimum (不足
    /// N 天不退): the days of this month it covers, billed and kept, and their
    /// fee at the day rate. What the meal account states as 短期缺勤未退.
    /// Absent from results stored before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unrefunded: Option<Unrefunded>,
}

/// School days of absence that were charged and, by the rule, not refunded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Unrefunded {
    /// Days of the month.
    pub days: u32,
    /// Their fee: days × the day rate, rounded to the fen as a refund would be.
    pub amount: Fen,
}

impl SettlementLine {
    fn note(text: String) -> Self {
        SettlementLine {
            kind: LineKind::Note,
            from: None,
            to: None,
            days: 0,
            amount: Fen::ZERO,
            text,
            unrefunded: None,
        }
    }
}

/// One child's charge and refund for one fee item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeeSettlement {
    /// The fee item's id.
    pub fee_id: String,
    /// The fee item's name.
    pub fee_name: String,
    /// The month's charge (sum of the charge lines).
    pub charged: Fen,
    /// The refund credited on next month's notice (sum of the refund lines).
    pub refund: Fen,
    /// Waivers and subsidies (减免、资助) of the month, applied after the
    /// refunds (never more than charged − refund). Absent from results stored
    /// before waivers existed, and when zero.
    #[serde(default, skip_serializing_if = "Fen::is_zero")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Fen>", optional))]
    pub waiver: Fen,
    /// Charge line first, then refund lines and notes, then waiver lines.
    pub lines: Vec<SettlementLine>,
}

impl FeeSettlement {
    /// The explanation texts, in order.
    pub fn explanations(&self) -> Vec<String> {
        self.lines.iter().map(|l| l.text.clone()).collect()
    }
}

/// One child's month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChildSettlement {
    /// The child's id.
    pub child_id: String,
    /// 姓名.
    pub name: String,
    /// 班级.
    pub class: String,
    /// School days of the month inside the enrolment.
    pub enrolled_school_days: u32,
    /// Enrolled school days covered by a leave record (charged closures excluded).
    pub absent_school_days: u32,
    /// Enrolled charged-closure days (停课).
    pub closure_days: u32,
    /// Enrolled school days − absent days − closure days.
    pub attended_days: u32,
    /// Enrolled on every school day of the month (tiers apply only then).
    pub whole_month: bool,
    /// One entry per fee item, in the order of the fee items.
    pub fees: Vec<FeeSettlement>,
    /// Sum of the items' charges.
    pub charged: Fen,
    /// Sum of the items' refunds.
    pub refund: Fen,
    /// Waivers and subsidies (减免、资助) of the month, applied after the
    /// refunds (never more than charged − refund). Absent from results stored
    /// before waivers existed, and when zero.
    #[serde(default, skip_serializing_if = "Fen::is_zero")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Fen>", optional))]
    pub waiver: Fen,
}

/// Totals of one class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClassTotal {
    /// 班级.
    pub class: String,
    /// Children settled in the class.
    pub children: u32,
    /// Sum of charges.
    pub charged: Fen,
    /// Sum of refunds.
    pub refund: Fen,
    /// Waivers and subsidies (减免、资助) of the month, applied after the
    /// refunds (never more than charged − refund). Absent from results stored
    /// before waivers existed, and when zero.
    #[serde(default, skip_serializing_if = "Fen::is_zero")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Fen>", optional))]
    pub waiver: Fen,
}

/// Totals of one fee item over the school (the meal account's refund line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeeTotal {
    /// The fee item's id.
    pub fee_id: String,
    /// The fee item's name.
    pub fee_name: String,
    /// Sum of charges.
    pub charged: Fen,
    /// Sum of refunds.
    pub refund: Fen,
    /// Waivers and subsidies (减免、资助) of the month, applied after the
    /// refunds (never more than charged − refund). Absent from results stored
    /// before waivers existed, and when zero.
    #[serde(default, skip_serializing_if = "Fen::is_zero")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Fen>", optional))]
    pub waiver: Fen,
    /// For an item refunded per day only from a run of N days (N > 1): the
    /// shorter runs, charged and not refunded, summed over the children.
    /// `None` for other items, and in results stored before it was recorded
    /// (nothing is recomputed for them: the attendance may have changed since).
    #[serde(default)]
    pub short_unrefunded: Option<ShortUnrefunded>,
}

/// The absences shorter than a fee item's minimum run, over the school: days
/// charged whose fee the school kept (短期缺勤未退).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ShortUnrefunded {
    /// The rule's minimum run (不足 N 天不退).
    pub min_run: u32,
    /// Runs of absence (段) shorter than it, with days in the month.
    pub runs: u32,
    /// Their days in the month (人天).
    pub days: u32,
    /// Sum of the runs' [`Unrefunded::amount`].
    pub amount: Fen,
}

/// The whole month's settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SettlementResult {
    /// The month settled.
    pub month: YearMonth,
    /// 当月法定工作日.
    pub legal_working_days: u32,
    /// 当月在校日 (legal working days minus planned breaks; charged closures stay in).
    pub school_days: u32,
    /// Charged-closure days of the month.
    pub charged_closure_days: u32,
    /// Whether the national schedule of the month's year is known.
    pub schedule_known: bool,
    /// One entry per child, in input order.
    pub children: Vec<ChildSettlement>,
    /// Per class, in order of first appearance.
    pub classes: Vec<ClassTotal>,
    /// Per fee item, in the order of the fee items.
    pub fees: Vec<FeeTotal>,
    /// School total charged.
    pub charged: Fen,
    /// School total refunded.
    pub refund: Fen,
    /// Waivers and subsidies (减免、资助) of the month, applied after the
    /// refunds (never more than charged − refund). Absent from results stored
    /// before waivers existed, and when zero.
    #[serde(default, skip_serializing_if = "Fen::is_zero")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Fen>", optional))]
    pub waiver: Fen,
}

/// Settles one month: charges and refunds per child and fee item, with explanations.
///
/// Returns [`Error::Rejected`] listing every bad input (invalid rule, unknown child,
/// a range that ends before it starts, leave entirely outside the enrolment…).
pub fn settle_month(input: &SettlementInput) -> Result<SettlementResult> {
    validate_input(input)?;
    let month = input.month;
    let mcal = input.calendar.month(month);
    let month_facts = MonthFacts {
        month,
        legal_days: count(mcal.legal_working_days.len()),
        school_days: count(mcal.school_days.len()),
        closure_reasons: mcal
            .days
            .iter()
            .filter(|d| d.charged_closure)
            .map(|d| (d.date, d.closure_reason.clone().unwrap_or_default()))
            .collect(),
    };

    let mut by_child: HashMap<&str, Vec<&Absence>> = HashMap::new();
    for a in input.absences {
        by_child.entry(a.child.as_str()).or_default().push(a);
    }
    let clipped: Vec<Vec<Range>> = input
        .children
        .iter()
        .map(|c| clip_to_enrolment(c, by_child.get(c.id.as_str()).map(Vec::as_slice).unwrap_or(&[])))
        .collect();

    let (mut lo, mut hi) = (month.first_day(), month.last_day());
    for r in clipped.iter().flatten() {
        lo = lo.min(r.from);
        hi = hi.max(r.to);
    }
    let table = DayTable::build(input.calendar, lo, hi);

    let mut children = Vec::with_capacity(input.children.len());
    for (child, ranges) in input.children.iter().zip(&clipped) {
        children.push(settle_child(child, ranges, input.fees, &table, &month_facts));
    }
    Ok(totals(month, &mcal, input.fees, children))
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Besides the rules people must keep, this is what makes the engine's plain
/// `+` and `sum()` safe: every rate and monthly amount is at most
/// `Fen::MAX_INPUT` (checked by `validate_fee_items`), so a month of a
/// school's charges and refunds stays many orders below the `i64` limit.
fn validate_input(input: &SettlementInput) -> Result<()> {
    let mut problems = match validate_fee_items(input.fees) {
        Err(Error::Rejected { problems }) => problems,
        Err(e) => return Err(e),
        Ok(()) => Vec::new(),
    };
    let mut children: HashMap<&str, &EnrolledChild> = HashMap::new();
    for c in input.children {
        let mut bad = |reason: String| problems.push(FieldProblem { row: 0, column: "幼儿".into(), reason });
        if c.id.trim().is_empty() {
            bad(format!("幼儿“{}”没有编号(id)", c.name));
        }
        if children.insert(c.id.as_str(), c).is_some() {
            bad(format!("幼儿编号“{}”重复", c.id));
        }
        if let Some(left) = c.left {
            if left < c.enrolled {
                bad(format!(
                    "幼儿{}的离园日期 {} 早于入园日期 {}",
                    c.label(),
                    explain::date(left),
                    explain::date(c.enrolled)
                ));
            }
        }
    }
    for a in input.absences {
        let mut bad = |reason: String| problems.push(FieldProblem { row: 0, column: "请假".into(), reason });
        let what = format!("{}({})", explain::range(a.from, a.to), a.kind.label());
        let Some(child) = children.get(a.child.as_str()) else {
            bad(format!("请假记录 {what} 的幼儿编号“{}”不存在", a.child));
            continue;
        };
        if a.to < a.from {
            bad(format!(
                "幼儿{}的请假结束日期 {} 早于开始日期 {}",
                child.label(),
                explain::date(a.to),
                explain::date(a.from)
            ));
            continue;
        }
        let outside = a.to < child.enrolled || child.left.is_some_and(|l| a.from > l);
        if outside {
            let left = child.left.map(explain::date).unwrap_or_else(|| "至今".into());
            bad(format!(
                "幼儿{}在 {what} 期间不在园(在园期间 {} 至 {left}),请检查日期",
                child.label(),
                explain::date(child.enrolled)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Rejected { problems })
    }
}

/// A leave range already cut to the child's enrolment.
#[derive(Debug, Clone, Copy)]
struct Range {
    from: NaiveDate,
    to: NaiveDate,
    kind: LeaveKind,
}

fn clip_to_enrolment(child: &EnrolledChild, absences: &[&Absence]) -> Vec<Range> {
    let mut out: Vec<Range> = absences
        .iter()
        .filter_map(|a| {
            let from = a.from.max(child.enrolled);
            let to = child.left.map_or(a.to, |l| a.to.min(l));
            (from <= to).then_some(Range { from, to, kind: a.kind })
        })
        .collect();
    out.sort_by_key(|r| (r.from, r.to));
    out
}

/// The calendar facts of every day in a window, looked up by offset.
struct DayTable {
    start: NaiveDate,
    /// School days, charged closures included (they stay in the charge basis).
    school: Vec<bool>,
    charged_closure: Vec<bool>,
}

impl DayTable {
    fn build(calendar: &SchoolCalendar, from: NaiveDate, to: NaiveDate) -> DayTable {
        let mut school = Vec::new();
        let mut charged_closure = Vec::new();
        for d in from.iter_days().take_while(|d| *d <= to) {
            let info = calendar.day(d);
            school.push(info.school_day);
            charged_closure.push(info.charged_closure);
        }
        DayTable { start: from, school, charged_closure }
    }

    fn index(&self, d: NaiveDate) -> Option<usize> {
        usize::try_from((d - self.start).num_days()).ok().filter(|i| *i < self.school.len())
    }

    /// A school day on which a child can be present or absent (not a charged closure).
    fn countable(&self, d: NaiveDate) -> bool {
        self.index(d).is_some_and(|i| self.school[i] && !self.charged_closure[i])
    }

    fn is_charged_closure(&self, d: NaiveDate) -> bool {
        self.index(d).is_some_and(|i| self.charged_closure[i])
    }

    fn is_school_day(&self, d: NaiveDate) -> bool {
        self.index(d).is_some_and(|i| self.school[i])
    }
}

struct MonthFacts {
    month: YearMonth,
    legal_days: u32,
    school_days: u32,
    closure_reasons: HashMap<NaiveDate, String>,
}

impl MonthFacts {
    fn divisor(&self, d: Divisor) -> i64 {
        match d {
            Divisor::LegalWorkingDays => i64::from(self.legal_days),
            Divisor::SchoolDays => i64::from(self.school_days),
            Divisor::Fixed(n) => i64::from(n),
        }
    }
    fn basis(&self, b: DayBasis) -> u32 {
        match b {
            DayBasis::LegalWorkingDays => self.legal_days,
            DayBasis::SchoolDays => self.school_days,
        }
    }
}

/// The days of a child's month, counted once for all fee items.
struct ChildMonth {
    /// Leave kinds per day over `[span_start, ..]`, one bit per kind.
    span_start: NaiveDate,
    kinds: Vec<u8>,
    enrolled_days: u32,
    absent_days: u32,
    closure_days: Vec<NaiveDate>,
    whole_month: bool,
}

impl ChildMonth {
    fn kinds_on(&self, d: NaiveDate) -> u8 {
        usize::try_from((d - self.span_start).num_days()).ok().and_then(|i| self.kinds.get(i)).copied().unwrap_or(0)
    }
    fn attended(&self) -> u32 {
        self.enrolled_days.saturating_sub(self.absent_days).saturating_sub(count(self.closure_days.len()))
    }
    fn span_end(&self) -> NaiveDate {
        self.span_start + Days::new(self.kinds.len().saturating_sub(1) as u64)
    }
}

fn child_month(child: &EnrolledChild, ranges: &[Range], table: &DayTable, m: &MonthFacts) -> ChildMonth {
    let (mut lo, mut hi) = (m.month.first_day(), m.month.last_day());
    for r in ranges {
        lo = lo.min(r.from);
        hi = hi.max(r.to);
    }
    let len = usize::try_from((hi - lo).num_days() + 1).unwrap_or(0);
    let mut kinds = vec![0u8; len];
    for r in ranges {
        let start = usize::try_from((r.from - lo).num_days()).unwrap_or(0);
        let end = usize::try_from((r.to - lo).num_days()).unwrap_or(0);
        for k in kinds.iter_mut().take(end + 1).skip(start) {
            *k |= r.kind.bit();
        }
    }
    let mut cm = ChildMonth {
        span_start: lo,
        kinds,
        enrolled_days: 0,
        absent_days: 0,
        closure_days: Vec::new(),
        whole_month: false,
    };
    for d in m.month.days() {
        if !table.is_school_day(d) || !child.is_enrolled_on(d) {
            continue;
        }
        cm.enrolled_days += 1;
        if table.is_charged_closure(d) {
            cm.closure_days.push(d);
        } else if cm.kinds_on(d) != 0 {
            cm.absent_days += 1;
        }
    }
    cm.whole_month = m.school_days > 0 && cm.enrolled_days == m.school_days;
    cm
}

/// A maximal sequence of absent school days of listed kinds.
struct Run {
    days: Vec<NaiveDate>,
    kinds: u8,
}

fn runs(child: &EnrolledChild, cm: &ChildMonth, table: &DayTable, listed: u8, month: YearMonth) -> Vec<Run> {
    // Runs that never touch the month are dropped as soon as they end.
    fn close(run: &mut Run, out: &mut Vec<Run>, month: YearMonth) {
        let run = std::mem::replace(run, Run { days: Vec::new(), kinds: 0 });
        if run.days.iter().any(|d| month.contains(*d)) {
            out.push(run);
        }
    }
    let mut out = Vec::new();
    let mut current = Run { days: Vec::new(), kinds: 0 };
    let end = cm.span_end();
    for d in cm.span_start.iter_days().take_while(|d| *d <= end) {
        // Weekends, holidays, breaks and charged closures neither extend nor break a run.
        if !table.countable(d) {
            continue;
        }
        let k = cm.kinds_on(d);
        if child.is_enrolled_on(d) && k & listed != 0 {
            current.days.push(d);
            current.kinds |= k & listed;
        } else {
            close(&mut current, &mut out, month);
        }
    }
    close(&mut current, &mut out, month);
    out
}

/// Calendar-day runs for `per_30_days`: listed ranges merged when nothing but
/// non-school days lies between them.
fn calendar_runs(ranges: &[Range], listed: u8, table: &DayTable) -> Vec<(NaiveDate, NaiveDate, u8)> {
    let mut out: Vec<(NaiveDate, NaiveDate, u8)> = Vec::new();
    for r in ranges.iter().filter(|r| r.kind.bit() & listed != 0) {
        if let Some(last) = out.last_mut() {
            let gap_has_school_day = last
                .1
                .succ_opt()
                .map(|first_gap| first_gap.iter_days().take_while(|d| *d < r.from).any(|d| table.countable(d)))
                .unwrap_or(false);
            if r.from <= last.1 || !gap_has_school_day {
                last.1 = last.1.max(r.to);
                last.2 |= r.kind.bit();
                continue;
            }
        }
        out.push((r.from, r.to, r.kind.bit()));
    }
    out
}

fn kinds_of(mask: u8) -> Vec<LeaveKind> {
    LeaveKind::ALL.into_iter().filter(|k| mask & k.bit() != 0).collect()
}

/// A daily rate as `amount ÷ divisor`, kept unrounded until it is multiplied.
#[derive(Clone, Copy)]
struct Rate {
    amount: Fen,
    divisor: i64,
    divisor_label: Option<&'static str>,
}

impl Rate {
    fn of(charge: &Charge, m: &MonthFacts) -> Rate {
        match *charge {
            Charge::PerDay { rate } => Rate { amount: rate, divisor: 1, divisor_label: None },
            Charge::Monthly { amount, divisor, .. } => Rate {
                amount,
                divisor: m.divisor(divisor),
                divisor_label: Some(match divisor {
                    Divisor::LegalWorkingDays => "当月法定工作日",
                    Divisor::SchoolDays => "当月在校日",
                    Divisor::Fixed(_) => "固定除数",
                }),
            },
        }
    }

    fn times(self, days: u32) -> Fen {
        if self.divisor <= 0 {
            return Fen::ZERO;
        }
        mul_div(self.amount, i64::from(days), self.divisor)
    }

    fn describe(self) -> String {
        match self.divisor_label {
            None => format!("日费 {}", explain::yuan(self.amount)),
            Some(label) => format!("日费 = {} ÷ {} 天({label})", explain::yuan(self.amount), self.divisor),
        }
    }

    /// `(日费 = 300.00 元 ÷ 21 天(当月法定工作日))` for a monthly item; nothing for a daily rate,
    /// which the multiplication already shows.
    fn describe_if_monthly(self) -> String {
        if self.divisor_label.is_some() {
            format!("({})", self.describe())
        } else {
            String::new()
        }
    }

    fn explain_times(self, days: u32, result: Fen) -> String {
        explain::times(self.amount, i64::from(days), self.divisor, result)
    }
}

fn settle_child(
    child: &EnrolledChild,
    ranges: &[Range],
    fees: &[FeeItem],
    table: &DayTable,
    m: &MonthFacts,
) -> ChildSettlement {
    let cm = child_month(child, ranges, table, m);
    let mut run_cache: Vec<(u8, Vec<Run>)> = Vec::new();
    let mut out_fees = Vec::with_capacity(fees.len());
    for fee in fees {
        let listed = fee.refund.per_day.as_ref().map(|p| kinds_mask(&p.kinds)).unwrap_or(0);
        if fee.refund.per_day.is_some() && !run_cache.iter().any(|(k, _)| *k == listed) {
            run_cache.push((listed, runs(child, &cm, table, listed, m.month)));
        }
        let child_runs = run_cache.iter().find(|(k, _)| *k == listed).map(|(_, r)| r.as_slice()).unwrap_or(&[]);
        out_fees.push(settle_fee(fee, &cm, child_runs, ranges, table, m));
    }
    ChildSettlement {
        child_id: child.id.clone(),
        name: child.name.clone(),
        class: child.class.clone(),
        enrolled_school_days: cm.enrolled_days,
        absent_school_days: cm.absent_days,
        closure_days: count(cm.closure_days.len()),
        attended_days: cm.attended(),
        whole_month: cm.whole_month,
        charged: out_fees.iter().map(|f| f.charged).sum(),
        refund: out_fees.iter().map(|f| f.refund).sum(),
        waiver: Fen::ZERO,
        fees: out_fees,
    }
}

fn settle_fee(
    fee: &FeeItem,
    cm: &ChildMonth,
    runs: &[Run],
    ranges: &[Range],
    table: &DayTable,
    m: &MonthFacts,
) -> FeeSettlement {
    let rate = Rate::of(&fee.charge, m);
    let mut lines = vec![charge_line(fee, cm, rate, m)];
    let charged = lines[0].amount;

    if charged > Fen::ZERO {
        let tier_applied = tier_lines(fee, cm, charged, m, &mut lines);
        if !tier_applied {
            if let Some(rule) = &fee.refund.per_day {
                run_lines(rule, runs, rate, m, &mut lines);
            }
            if fee.refund.closures {
                closure_line(cm, rate, m, &mut lines);
            }
            if let Some(rule) = &fee.refund.per_30_days {
                per_30_lines(&kinds_of(kinds_mask(&rule.kinds)), &fee.charge, ranges, table, m, &mut lines);
            }
        }
        let refund: Fen = lines.iter().filter(|l| l.kind.is_refund()).map(|l| l.amount).sum();
        if refund > charged {
            lines.push(SettlementLine {
                kind: LineKind::Cap,
                from: None,
                to: None,
                days: 0,
                amount: charged - refund,
                text: format!(
                    "以上退费合计 {} 超过本月收费 {},按本月收费退足,冲减 {}",
                    explain::yuan(refund),
                    explain::yuan(charged),
                    explain::yuan(refund - charged)
                ),
                unrefunded: None,
            });
        }
    }
    FeeSettlement {
        fee_id: fee.id.clone(),
        fee_name: fee.name.clone(),
        charged,
        refund: lines.iter().filter(|l| l.kind.is_refund()).map(|l| l.amount).sum(),
        waiver: Fen::ZERO,
        lines,
    }
}

fn charge_line(fee: &FeeItem, cm: &ChildMonth, rate: Rate, m: &MonthFacts) -> SettlementLine {
    let n = cm.enrolled_days;
    let line = |amount: Fen, text: String| SettlementLine {
        kind: LineKind::Charge,
        from: Some(m.month.first_day()),
        to: Some(m.month.last_day()),
        days: n,
        amount,
        text: format!("{}收费:{text}", fee.name),
        unrefunded: None,
    };
    if m.school_days == 0 {
        return line(Fen::ZERO, format!("{}没有在校日,不收费", m.month.label()));
    }
    if n == 0 {
        return line(Fen::ZERO, format!("{}不在园,不收费", m.month.label()));
    }
    match fee.charge {
        Charge::PerDay { rate: r } => {
            let amount = rate.times(n);
            line(amount, format!("入园在校日 {n} 天 × 日费 {} = {}", explain::yuan(r), explain::yuan(amount)))
        }
        Charge::Monthly { amount, proration, .. } => {
            if cm.whole_month {
                return line(amount, format!("全月在园(在校日 {n} 天),按月收 {}", explain::yuan(amount)));
            }
            let at_least_half = u64::from(n) * 2 >= u64::from(m.school_days);
            if proration == Proration::FullIfHalf && at_least_half {
                return line(
                    amount,
                    format!(
                        "入园在校日 {n} 天,不少于当月在校日 {} 天的一半,按全月收 {}",
                        m.school_days,
                        explain::yuan(amount)
                    ),
                );
            }
            let prorated = rate.times(n);
            let why = if proration == Proration::FullIfHalf {
                format!("入园在校日 {n} 天,不足当月在校日 {} 天的一半,按天收费", m.school_days)
            } else {
                format!("本月部分在园,入园在校日 {n} 天,按天收费")
            };
            if prorated > amount {
                // More enrolled days than the divisor (e.g. 23 days against ÷ 22): never more than the month.
                return line(
                    amount,
                    format!(
                        "{why}:{};超过全月金额,按全月收 {}",
                        rate.explain_times(n, prorated),
                        explain::yuan(amount)
                    ),
                );
            }
            line(prorated, format!("{why}:{}({})", rate.explain_times(n, prorated), rate.describe()))
        }
    }
}

/// Applies the first tier that holds; returns whether one did (it replaces other refunds).
fn tier_lines(fee: &FeeItem, cm: &ChildMonth, charged: Fen, m: &MonthFacts, lines: &mut Vec<SettlementLine>) -> bool {
    let tiers = &fee.refund.tiers;
    if tiers.is_empty() {
        return false;
    }
    if !cm.whole_month {
        lines.push(SettlementLine::note(format!(
            "本月非全月在园(入园在校日 {} 天 / 当月在校日 {} 天),不适用按出勤天数分档退费",
            cm.enrolled_days, m.school_days
        )));
        return false;
    }
    let attended = cm.attended();
    let basis = fee.refund.tier_basis();
    let basis_days = m.basis(basis);
    for tier in tiers {
        let (holds, condition) = match tier.attended_at_most {
            TierThreshold::NoDays => (attended == 0, "全月未出勤".to_string()),
            TierThreshold::Half => {
                let half = basis_days / 2;
                (attended <= half, format!("出勤不超过当月{} {basis_days} 天的一半(≤ {half} 天)", basis.label()))
            }
            TierThreshold::AtMost(k) => (attended <= k, format!("出勤不超过 {k} 天")),
        };
        if holds {
            let amount = mul_div(charged, i64::from(tier.percent), 100);
            lines.push(SettlementLine {
                kind: LineKind::Tier,
                from: Some(m.month.first_day()),
                to: Some(m.month.last_day()),
                days: 0,
                amount,
                text: format!(
                    "本月出勤 {attended} 天(在校日 {} 天 − 请假 {} 天 − 停课 {} 天),符合“{condition}”档,退本月收费的 {}%:{}(按档位退费,不再另按天、满30天或停课退费)",
                    cm.enrolled_days,
                    cm.absent_days,
                    cm.closure_days.len(),
                    tier.percent,
                    explain::percent_of(charged, tier.percent, amount)
                ), unrefunded: None,
            });
            return true;
        }
    }
    lines.push(SettlementLine::note(format!(
        "本月出勤 {attended} 天,不符合任何按出勤分档退费的条件(当月{} {basis_days} 天)",
        basis.label()
    )));
    false
}

fn run_lines(rule: &PerDayRefund, runs: &[Run], rate: Rate, m: &MonthFacts, lines: &mut Vec<SettlementLine>) {
    let skip = usize::try_from(rule.unrefunded_per_run).unwrap_or(usize::MAX);
    for run in runs {
        let (Some(&first), Some(&last)) = (run.days.first(), run.days.last()) else { continue };
        let len = count(run.days.len());
        let in_month: Vec<NaiveDate> = run.days.iter().copied().filter(|d| m.month.contains(*d)).collect();
        let refunded: Vec<NaiveDate> = run
            .days
            .iter()
            .copied()
            .enumerate()
            .filter(|(i, d)| *i >= skip && m.month.contains(*d))
            .map(|(_, d)| d)
            .collect();
        let kinds = explain::kinds(&kinds_of(run.kinds));
        let mut head = format!("连续请假({kinds}){},共 {len} 个在校日", explain::range(first, last));
        if in_month.len() != run.days.len() {
            head.push_str(&format!(",其中本月 {} 天({})", in_month.len(), explain::day_list(&in_month)));
        } else {
            head.push_str(&format!("({})", explain::day_list(&in_month)));
        }
        if len < rule.min_run {
            // Charged and kept: stated apart so the meal account can say how much.
            let days = count(in_month.len());
            lines.push(SettlementLine {
                kind: LineKind::Note,
                from: Some(first),
                to: Some(last),
                days: 0,
                amount: Fen::ZERO,
                text: format!("{head};不足 {} 天起退的要求,不退", rule.min_run),
                unrefunded: Some(Unrefunded { days, amount: rate.times(days) }),
            });
            continue;
        }
        let n = count(refunded.len());
        let amount = rate.times(n);
        let mut rule_text =
            if rule.min_run > 1 { format!("满 {} 天起退", rule.min_run) } else { "按请假天数退".to_string() };
        if rule.unrefunded_per_run > 0 {
            rule_text.push_str(&format!(",每段前 {} 天不退", rule.unrefunded_per_run));
        }
        let text = if n == 0 {
            format!("{head};{rule_text},本月没有可退的天数")
        } else {
            format!("{head};{rule_text},本月退 {n} 天:{}{}", rate.explain_times(n, amount), rate.describe_if_monthly())
        };
        lines.push(SettlementLine {
            kind: if n == 0 { LineKind::Note } else { LineKind::Run },
            from: Some(first),
            to: Some(last),
            days: n,
            amount,
            text,
            unrefunded: None,
        });
    }
}

fn closure_line(cm: &ChildMonth, rate: Rate, m: &MonthFacts, lines: &mut Vec<SettlementLine>) {
    let (Some(&first), Some(&last)) = (cm.closure_days.first(), cm.closure_days.last()) else { return };
    let n = count(cm.closure_days.len());
    let amount = rate.times(n);
    let mut reasons: Vec<&str> = cm
        .closure_days
        .iter()
        .filter_map(|d| m.closure_reasons.get(d))
        .map(String::as_str)
        .filter(|r| !r.is_empty())
        .collect();
    reasons.dedup();
    let reason = if reasons.is_empty() { " ".to_string() } else { format!("({})", reasons.join("、")) };
    lines.push(SettlementLine {
        kind: LineKind::Closures,
        from: Some(first),
        to: Some(last),
        days: n,
        amount,
        text: format!(
            "停课{reason}{n} 天({}),照常计费、按天退还:{}{}",
            explain::day_list(&cm.closure_days),
            rate.explain_times(n, amount),
            rate.describe_if_monthly()
        ),
        unrefunded: None,
    });
}

fn per_30_lines(
    kinds: &[LeaveKind],
    charge: &Charge,
    ranges: &[Range],
    table: &DayTable,
    m: &MonthFacts,
    lines: &mut Vec<SettlementLine>,
) {
    let month_amount = match *charge {
        Charge::PerDay { rate } => Fen(rate.0.saturating_mul(i64::from(m.school_days))),
        Charge::Monthly { amount, .. } => amount,
    };
    for (from, to, mask) in calendar_runs(ranges, kinds_mask(kinds), table) {
        let days = (to - from).num_days() + 1;
        let label = explain::kinds(&kinds_of(mask));
        for k in 1..=days / 30 {
            let Some(completed) = from.checked_add_days(Days::new((30 * k - 1) as u64)) else { continue };
            if !m.month.contains(completed) {
                continue;
            }
            lines.push(SettlementLine {
                kind: LineKind::Per30Days,
                from: Some(from),
                to: Some(to),
                days: 30,
                amount: month_amount,
                text: format!(
                    "连续请假({label}){},共 {days} 个自然日(含周末、节假日);第 {k} 个满 30 天于 {} 满,退一个月费用 {}",
                    explain::range(from, to),
                    explain::date(completed),
                    explain::yuan(month_amount)
                ),
                unrefunded: None,
            });
        }
        if days < 30 && m.month.contains(to) {
            lines.push(SettlementLine {
                kind: LineKind::Note,
                from: Some(from),
                to: Some(to),
                days: 0,
                amount: Fen::ZERO,
                text: format!("连续请假({label}){},共 {days} 个自然日,不满 30 天,不按月退费", explain::range(from, to)),
                unrefunded: None,
            });
        }
    }
}

fn totals(
    month: YearMonth,
    mcal: &crate::calendar::MonthCalendar,
    fees: &[FeeItem],
    children: Vec<ChildSettlement>,
) -> SettlementResult {
    let mut classes: Vec<ClassTotal> = Vec::new();
    let mut class_index: HashMap<&str, usize> = HashMap::new();
    let mut fee_totals: Vec<FeeTotal> = fees
        .iter()
        .map(|f| FeeTotal {
            fee_id: f.id.clone(),
            fee_name: f.name.clone(),
            charged: Fen::ZERO,
            refund: Fen::ZERO,
            waiver: Fen::ZERO,
            short_unrefunded: f.refund.per_day.as_ref().filter(|p| p.min_run > 1).map(|p| ShortUnrefunded {
                min_run: p.min_run,
                runs: 0,
                days: 0,
                amount: Fen::ZERO,
            }),
        })
        .collect();
    for c in &children {
        let i = *class_index.entry(c.class.as_str()).or_insert_with(|| {
            classes.push(ClassTotal {
                class: c.class.clone(),
                children: 0,
                charged: Fen::ZERO,
                refund: Fen::ZERO,
                waiver: Fen::ZERO,
            });
            classes.len() - 1
        });
        classes[i].children += 1;
        classes[i].charged += c.charged;
        classes[i].refund += c.refund;
        for (t, f) in fee_totals.iter_mut().zip(&c.fees) {
            t.charged += f.charged;
            t.refund += f.refund;
            if let Some(short) = t.short_unrefunded.as_mut() {
                for u in f.lines.iter().filter_map(|l| l.unrefunded).filter(|u| u.days > 0) {
                    short.runs += 1;
                    short.days += u.days;
                    short.amount += u.amount;
                }
            }
        }
    }
    SettlementResult {
        month,
        legal_working_days: count(mcal.legal_working_days.len()),
        school_days: count(mcal.school_days.len()),
        charged_closure_days: count(mcal.charged_closure_days.len()),
        schedule_known: mcal.schedule_known,
        charged: children.iter().map(|c| c.charged).sum(),
        refund: children.iter().map(|c| c.refund).sum(),
        waiver: Fen::ZERO,
        children,
        classes,
        fees: fee_totals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Closure, HolidayTable};
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn fee(v: serde_json::Value) -> FeeItem {
        FeeItem::from_json(&v.to_string()).expect("valid fee item")
    }

    fn meal(rate: &str, min_run: u32, unrefunded: u32, kinds: &[&str]) -> FeeItem {
        fee(json!({
            "id": "meal", "name": "伙食费", "charge": {"per_day": rate},
            "refund": {"per_day": {"min_run": min_run, "unrefunded_per_run": unrefunded, "kinds": kinds}}
        }))
    }

    fn child(id: &str, enrolled: &str, left: Option<&str>) -> EnrolledChild {
        EnrolledChild {
            id: id.into(),
            name: format!("幼儿{id}"),
            class: "大一班".into(),
            enrolled: d(enrolled),
            left: left.map(d),
        }
    }

    fn away(child: &str, from: &str, to: &str, kind: LeaveKind) -> Absence {
        Absence { child: child.into(), from: d(from), to: d(to), kind }
    }

    use LeaveKind::{Other, Personal, Sick};

    fn settle_with(
        month: &str,
        closures: Vec<Closure>,
        fees: &[FeeItem],
        children: &[EnrolledChild],
        absences: &[Absence],
    ) -> SettlementResult {
        let calendar = SchoolCalendar::new(HolidayTable::builtin().clone(), closures);
        settle_month(&SettlementInput {
            month: month.parse().expect("month"),
            calendar: &calendar,
            fees,
            children,
            absences,
        })
        .expect("settles")
    }

    /// Settles one child (id `a`, enrolled long ago) and returns the first item's (charged, refund).
    fn one(month: &str, item: FeeItem, absences: &[Absence]) -> (i64, i64) {
        let r = settle_with(month, vec![], &[item], &[child("a", "2020-09-01", None)], absences);
        let f = &r.children[0].fees[0];
        (f.charged.as_i64(), f.refund.as_i64())
    }

    fn refund_of(month: &str, item: FeeItem, absences: &[Absence]) -> i64 {
        one(month, item, absences).1
    }

    // November 2024: 21 legal working days, no holidays; the 1st is a Friday.

    #[test]
    fn min_run_edges() {
        let item = || meal("10.00", 3, 0, &["sick", "personal"]);
        assert_eq!(refund_of("2024-11", item(), &[away("a", "2024-11-05", "2024-11-06", Sick)]), 0, "2 < 3");
        assert_eq!(refund_of("2024-11", item(), &[away("a", "2024-11-05", "2024-11-07", Sick)]), 3000, "3 = 3");
        assert_eq!(refund_of("2024-11", item(), &[away("a", "2024-11-04", "2024-11-08", Sick)]), 5000);
    }

    #[test]
    fn short_runs_charged_and_kept_are_summed_per_fee_item() {
        // November 2024, 伙食费 15.00 a day, refunded from a run of 3 days.
        // a: sick 5–6 (2 days, kept: 30.00); personal 11–15 (5 days, refunded 75.00).
        // b: personal on the 20th (1 day, kept: 15.00); sick Thu 31 Oct – Fri 1 Nov
        //    (2 school days, 1 of them in November, kept: 15.00).
        // c: "other" leave on the 25th–26th: not a kind the rule refunds, so not a short run of it.
        // Total kept: 3 runs, 2 + 1 + 1 = 4 days × 15.00 = 60.00.
        let care = fee(
            json!({"id": "care", "name": "保教费", "charge": {"monthly": "800.00", "divisor": "legal_working_days"},
            "refund": {"tiers": [{"attended_at_most": "none", "percent": 100}]}}),
        );
        let every_day = fee(json!({"id": "milk", "name": "牛奶费", "charge": {"per_day": "2.00"},
            "refund": {"per_day": {"min_run": 1, "kinds": ["sick", "personal"]}}}));
        let fees = [meal("15.00", 3, 0, &["sick", "personal"]), care, every_day];
        let kids = [child("a", "2020-09-01", None), child("b", "2020-09-01", None), child("c", "2020-09-01", None)];
        let absences = [
            away("a", "2024-11-05", "2024-11-06", Sick),
            away("a", "2024-11-11", "2024-11-15", Personal),
            away("b", "2024-11-20", "2024-11-20", Personal),
            away("b", "2024-10-31", "2024-11-01", Sick),
            away("c", "2024-11-25", "2024-11-26", Other),
        ];
        let r = settle_with("2024-11", vec![], &fees, &kids, &absences);
        assert_eq!(
            r.fees[0].short_unrefunded,
            Some(ShortUnrefunded { min_run: 3, runs: 3, days: 4, amount: Fen(6_000) })
        );
        assert_eq!(r.fees[0].refund, Fen(7_500), "the 5-day run is refunded, not kept");
        // Per line: the note of each short run carries its days and fee.
        let kept: Vec<(String, Unrefunded)> = r
            .children
            .iter()
            .flat_map(|c| c.fees[0].lines.iter().filter_map(|l| l.unrefunded.map(|u| (c.child_id.clone(), u))))
            .collect();
        assert_eq!(
            kept,
            vec![
                ("a".into(), Unrefunded { days: 2, amount: Fen(3_000) }),
                ("b".into(), Unrefunded { days: 1, amount: Fen(1_500) }),
                ("b".into(), Unrefunded { days: 1, amount: Fen(1_500) }),
            ]
        );
        // No minimum run (every day refunded) or no per-day rule: nothing to state.
        assert_eq!(r.fees[1].short_unrefunded, None);
        assert_eq!(r.fees[2].short_unrefunded, None);
        // A result stored before the figure was kept reads as "not known", not 0.
        let mut old = serde_json::to_value(&r).expect("json");
        for f in old["fees"].as_array_mut().expect("fees") {
            f.as_object_mut().expect("object").remove("short_unrefunded");
        }
        let old: SettlementResult = serde_json::from_value(old).expect("old shape reads");
        assert_eq!(old.fees[0].short_unrefunded, None);
    }

    #[test]
    fn unrefunded_days_are_taken_from_each_run() {
        // Two runs of 3 (Mon–Wed twice), N − 1 each: 2 + 2 days.
        let absences = [away("a", "2024-11-04", "2024-11-06", Sick), away("a", "2024-11-11", "2024-11-13", Personal)];
        assert_eq!(refund_of("2024-11", meal("10.50", 2, 1, &["sick", "personal"]), &absences), 4200);
        // More unrefunded days than the run has: never below zero.
        assert_eq!(refund_of("2024-11", meal("10.50", 1, 5, &["sick"]), &absences[..1]), 0);
    }

    #[test]
    fn unlisted_kinds_refund_nothing_and_break_a_run() {
        let quanzhou = || meal("10.00", 1, 0, &["sick", "other"]);
        assert_eq!(refund_of("2024-11", quanzhou(), &[away("a", "2024-11-04", "2024-11-08", Personal)]), 0);
        // Sick Mon–Tue, personal Wed, sick Thu–Fri: two runs of 2, not one of 4.
        let absences = [
            away("a", "2024-11-04", "2024-11-05", Sick),
            away("a", "2024-11-06", "2024-11-06", Personal),
            away("a", "2024-11-07", "2024-11-08", Sick),
        ];
        assert_eq!(refund_of("2024-11", meal("10.00", 3, 0, &["sick"]), &absences), 0);
        assert_eq!(refund_of("2024-11", meal("10.00", 3, 0, &["sick", "personal"]), &absences), 5000);
        assert_eq!(refund_of("2024-11", meal("10.00", 1, 0, &["sick"]), &absences), 4000);
    }

    #[test]
    fn an_attended_day_breaks_a_run() {
        let absences = [away("a", "2024-11-05", "2024-11-05", Sick), away("a", "2024-11-07", "2024-11-07", Sick)];
        assert_eq!(refund_of("2024-11", meal("10.50", 2, 1, &["sick"]), &absences), 0);
    }

    #[test]
    fn a_weekend_does_not_break_a_run() {
        // Friday and Monday, recorded as two notes: one run of 2.
        let absences = [away("a", "2024-11-08", "2024-11-08", Sick), away("a", "2024-11-11", "2024-11-11", Sick)];
        assert_eq!(refund_of("2024-11", meal("10.50", 2, 1, &["sick"]), &absences), 1050);
        assert_eq!(refund_of("2024-11", meal("10.50", 2, 0, &["sick"]), &absences), 2100);
    }

    #[test]
    fn a_holiday_does_not_break_a_run() {
        // 2025-10-01..08 is the National Day holiday: Sep 30 and Oct 9 form one run of 2.
        let absences = [away("a", "2025-09-30", "2025-09-30", Sick), away("a", "2025-10-09", "2025-10-09", Sick)];
        assert_eq!(refund_of("2025-10", meal("10.00", 2, 0, &["sick"]), &absences), 1000);
    }

    #[test]
    fn a_run_started_last_month_counts_whole_for_min_run() {
        // Thu Oct 31 + Fri Nov 1: a run of 2; the unrefunded day is Oct 31, so Nov refunds Nov 1.
        let absences = [away("a", "2024-10-31", "2024-11-01", Sick)];
        assert_eq!(refund_of("2024-11", meal("10.50", 2, 1, &["sick"]), &absences), 1050);
        // With 2 unrefunded days both are used up by the run's first days.
        assert_eq!(refund_of("2024-11", meal("10.50", 2, 2, &["sick"]), &absences), 0);
        // Oct 28 – Nov 1 is 5 days; min_run 3 holds although November has only one of them.
        assert_eq!(
            refund_of("2024-11", meal("10.50", 3, 1, &["sick"]), &[away("a", "2024-10-28", "2024-11-01", Sick)]),
            1050
        );
        // And the earlier month refunds its own days of the run: Oct 29–31 (Oct 28 is unrefunded).
        assert_eq!(
            refund_of("2024-10", meal("10.50", 3, 1, &["sick"]), &[away("a", "2024-10-28", "2024-11-01", Sick)]),
            3150
        );
    }

    #[test]
    fn a_run_into_next_month_counts_whole_for_min_run() {
        // Thu Nov 28 – Tue Dec 3: 4 school days; November refunds Nov 29 (Nov 28 is the unrefunded day).
        let absences = [away("a", "2024-11-28", "2024-12-03", Sick)];
        assert_eq!(refund_of("2024-11", meal("10.50", 3, 1, &["sick"]), &absences), 1050);
        assert_eq!(refund_of("2024-12", meal("10.50", 3, 1, &["sick"]), &absences), 2100);
    }

    #[test]
    fn overlapping_ranges_count_each_day_once() {
        let absences = [away("a", "2024-11-04", "2024-11-07", Sick), away("a", "2024-11-06", "2024-11-08", Sick)];
        assert_eq!(refund_of("2024-11", meal("10.00", 1, 0, &["sick"]), &absences), 5000);
    }

    fn care(tiers: serde_json::Value, basis: &str) -> FeeItem {
        fee(json!({
            "id": "care", "name": "保教费",
            "charge": {"monthly": "300.00", "divisor": "legal_working_days", "proration": "per_day"},
            "refund": {"tiers": tiers, "tier_basis": basis}
        }))
    }

    fn liaocheng() -> FeeItem {
        care(
            json!([{"attended_at_most": "none", "percent": 100}, {"attended_at_most": "half", "percent": 50}]),
            "legal_working_days",
        )
    }

    #[test]
    fn tier_none_refunds_the_whole_share() {
        assert_eq!(one("2024-11", liaocheng(), &[away("a", "2024-11-01", "2024-11-30", Sick)]), (30000, 30000));
    }

    #[test]
    fn tier_half_is_floor_and_inclusive() {
        // 21 days: half = 10. Absent Nov 1–15 (11 days) → attended 10 → 50%.
        assert_eq!(refund_of("2024-11", liaocheng(), &[away("a", "2024-11-01", "2024-11-15", Personal)]), 15000);
        // Absent Nov 4–15 (10 days) → attended 11 → nothing.
        assert_eq!(refund_of("2024-11", liaocheng(), &[away("a", "2024-11-04", "2024-11-15", Personal)]), 0);
    }

    #[test]
    fn tier_k_days_and_first_match_wins() {
        let rule = || {
            care(
                json!([{"attended_at_most": 4, "percent": 80}, {"attended_at_most": "half", "percent": 50}]),
                "school_days",
            )
        };
        // Attended Nov 1, 4, 5, 6 = 4 days → 80%.
        assert_eq!(refund_of("2024-11", rule(), &[away("a", "2024-11-07", "2024-11-30", Other)]), 24000);
        // 5 days → 50%.
        assert_eq!(refund_of("2024-11", rule(), &[away("a", "2024-11-08", "2024-11-30", Other)]), 15000);
    }

    #[test]
    fn a_tier_replaces_per_day_and_closure_refunds() {
        let item = fee(json!({
            "id": "meal", "name": "伙食费", "charge": {"per_day": "10.00"},
            "refund": {
                "per_day": {"min_run": 1, "unrefunded_per_run": 0, "kinds": ["sick"]},
                "closures": true,
                "tiers": [{"attended_at_most": "none", "percent": 80}], "tier_basis": "school_days"
            }
        }));
        let r = settle_with(
            "2024-11",
            vec![Closure { from: d("2024-11-29"), to: d("2024-11-29"), reason: "停电".into(), charged: true }],
            &[item],
            &[child("a", "2020-09-01", None)],
            &[away("a", "2024-11-01", "2024-11-28", Sick)],
        );
        let f = &r.children[0].fees[0];
        assert_eq!((f.charged.as_i64(), f.refund.as_i64()), (21000, 16800));
        assert_eq!(f.lines.iter().filter(|l| l.kind.is_refund()).count(), 1, "{:#?}", f.lines);
    }

    #[test]
    fn tiers_do_not_apply_to_mid_month_enrolment() {
        let r = settle_with(
            "2024-11",
            vec![],
            &[liaocheng()],
            &[child("a", "2024-11-04", None)],
            &[away("a", "2024-11-04", "2024-11-30", Sick)],
        );
        let c = &r.children[0];
        assert!(!c.whole_month);
        assert_eq!(c.attended_days, 0);
        // 20 of 21 days: 300 × 20 ÷ 21 = 285.714… → 285.71; no tier.
        assert_eq!((c.charged.as_i64(), c.refund.as_i64()), (28571, 0));
        assert!(c.fees[0].lines.iter().any(|l| l.text.contains("不适用")), "{:#?}", c.fees[0].lines);
    }

    fn chongqing() -> FeeItem {
        fee(
            json!({"id": "care", "name": "保教费", "charge": {"monthly": "800.00", "divisor": "legal_working_days", "proration": "full_if_half"}}),
        )
    }

    fn charged_for(month: &str, item: FeeItem, enrolled: &str, left: Option<&str>) -> i64 {
        let r = settle_with(month, vec![], &[item], &[child("a", enrolled, left)], &[]);
        r.children[0].charged.as_i64()
    }

    #[test]
    fn full_if_half_edges() {
        // March 2026: 22 school days. 11 enrolled days (from the 17th) is half: the full month.
        assert_eq!(charged_for("2026-03", chongqing(), "2026-03-17", None), 80000);
        // 10 days (from the 18th): 800 × 10 ÷ 22 = 363.636… → 363.64.
        assert_eq!(charged_for("2026-03", chongqing(), "2026-03-18", None), 36364);
        // November 2024: 21 days. 11 days (from the 15th) ≥ 10.5: full; 10 days (from the 18th): per day.
        assert_eq!(charged_for("2024-11", chongqing(), "2024-11-15", None), 80000);
        assert_eq!(charged_for("2024-11", chongqing(), "2024-11-18", None), 38095);
        // Leaving counts the same way: enrolled until Fri Nov 15 is 11 days.
        assert_eq!(charged_for("2024-11", chongqing(), "2020-09-01", Some("2024-11-15")), 80000);
    }

    #[test]
    fn a_child_not_enrolled_in_the_month_is_charged_nothing() {
        assert_eq!(charged_for("2024-11", chongqing(), "2024-12-02", None), 0);
        assert_eq!(charged_for("2024-11", meal("10.00", 1, 0, &["sick"]), "2020-09-01", Some("2024-10-31")), 0);
    }

    fn fujian(divisor: serde_json::Value) -> FeeItem {
        fee(json!({
            "id": "meal", "name": "伙食费",
            "charge": {"monthly": "330.00", "divisor": divisor, "proration": "per_day"},
            "refund": {"per_day": {"min_run": 1, "unrefunded_per_run": 0, "kinds": ["sick", "personal", "other"]}}
        }))
    }

    #[test]
    fn fixed_divisor_22() {
        // 330 ÷ 22 = 15.00 a day whatever the month has (21 days in Nov 2024).
        assert_eq!(one("2024-11", fujian(json!(22)), &[away("a", "2024-11-04", "2024-11-06", Sick)]), (33000, 4500));
        // Enrolled from Mon Nov 4: 20 days × 15 = 300.
        assert_eq!(charged_for("2024-11", fujian(json!(22)), "2024-11-04", None), 30000);
    }

    #[test]
    fn refund_is_capped_at_the_month_charge() {
        // July 2026 has 23 school days: absent all of them at 330 ÷ 22 would refund 345.
        let (charged, refund) = one("2026-07", fujian(json!(22)), &[away("a", "2026-07-01", "2026-07-31", Sick)]);
        assert_eq!((charged, refund), (33000, 33000));
    }

    #[test]
    fn each_line_is_rounded_once_and_totals_are_sums_of_lines() {
        // 300 ÷ 21 a day. Two separate single days: 14.29 + 14.29 = 28.58 (not 28.57 from 2 days at once).
        let item = fujian(json!("legal_working_days"));
        let two_runs = [away("a", "2024-11-05", "2024-11-05", Sick), away("a", "2024-11-07", "2024-11-07", Sick)];
        let item = FeeItem {
            charge: Charge::Monthly {
                amount: Fen(30000),
                divisor: Divisor::LegalWorkingDays,
                proration: Proration::PerDay,
            },
            ..item
        };
        assert_eq!(refund_of("2024-11", item.clone(), &two_runs), 2858);
        assert_eq!(refund_of("2024-11", item, &[away("a", "2024-11-05", "2024-11-06", Sick)]), 2857);
    }

    fn hefei() -> FeeItem {
        fee(json!({
            "id": "care", "name": "保教费", "charge": {"monthly": "600.00", "divisor": "legal_working_days", "proration": "per_day"},
            "refund": {"per_30_days": {"kinds": ["sick"]}}
        }))
    }

    #[test]
    fn per_30_days_refunds_in_the_month_the_30_days_complete() {
        // Oct 20 + 29 days = Nov 18: November refunds a month, October nothing.
        let long = [away("a", "2024-10-20", "2024-11-25", Sick)];
        assert_eq!(refund_of("2024-11", hefei(), &long), 60000);
        assert_eq!(refund_of("2024-10", hefei(), &long), 0);
        // 29 calendar days: nothing.
        assert_eq!(refund_of("2024-11", hefei(), &[away("a", "2024-11-01", "2024-11-29", Sick)]), 0);
        // Exactly 30 (Nov 1–30): completes on the 30th.
        assert_eq!(refund_of("2024-11", hefei(), &[away("a", "2024-11-01", "2024-11-30", Sick)]), 60000);
        // Personal leave does not count under a sick-only rule.
        assert_eq!(refund_of("2024-11", hefei(), &[away("a", "2024-11-01", "2024-11-30", Personal)]), 0);
    }

    #[test]
    fn per_30_days_merges_adjacent_and_weekend_separated_ranges() {
        // Two notes, Oct 20–31 and Nov 1–25: one run.
        let adjacent = [away("a", "2024-10-20", "2024-10-31", Sick), away("a", "2024-11-01", "2024-11-25", Sick)];
        assert_eq!(refund_of("2024-11", hefei(), &adjacent), 60000);
        // Mon Oct 21 – Fri Nov 1, then Mon Nov 4 – Fri Nov 22: only a weekend between → Oct 21 + 29 = Nov 19.
        let weekly = [away("a", "2024-10-21", "2024-11-01", Sick), away("a", "2024-11-04", "2024-11-22", Sick)];
        assert_eq!(refund_of("2024-11", hefei(), &weekly), 60000);
        // A school day between them (Mon Nov 4 attended) splits the run: 12 + 18 days, nothing.
        let split = [away("a", "2024-10-21", "2024-11-01", Sick), away("a", "2024-11-05", "2024-11-22", Sick)];
        assert_eq!(refund_of("2024-11", hefei(), &split), 0);
    }

    #[test]
    fn per_30_days_counts_every_full_30() {
        // Sep 1 + 59 = Oct 30: the second 30 completes in October; settling October refunds one month.
        let long = [away("a", "2024-09-01", "2024-11-30", Sick)];
        assert_eq!(refund_of("2024-10", hefei(), &long), 60000);
        // Nov 29 is day 90: the third 30.
        assert_eq!(refund_of("2024-11", hefei(), &long), 60000);
    }

    fn typhoon() -> Vec<Closure> {
        vec![
            Closure { from: d("2026-07-08"), to: d("2026-07-09"), reason: "台风停课".into(), charged: true },
            Closure { from: d("2026-07-16"), to: d("2026-07-31"), reason: "暑假".into(), charged: false },
        ]
    }

    #[test]
    fn closures_are_refunded_per_day_to_enrolled_children_only() {
        let item = fee(json!({
            "id": "meal", "name": "伙食费", "charge": {"per_day": "12.00"},
            "refund": {"per_day": {"min_run": 3, "unrefunded_per_run": 0, "kinds": ["sick"]}, "closures": true}
        }));
        let children = [
            child("a", "2020-09-01", None),
            child("b", "2026-07-09", None),
            child("c", "2020-09-01", Some("2026-07-07")),
        ];
        let r = settle_with("2026-07", typhoon(), &[item], &children, &[]);
        assert_eq!((r.legal_working_days, r.school_days, r.charged_closure_days), (23, 11, 2));
        let refunds: Vec<i64> = r.children.iter().map(|c| c.refund.as_i64()).collect();
        assert_eq!(refunds, vec![2400, 1200, 0]);
        // b: enrolled Jul 9, 10, 13, 14, 15 = 5 school days (the closure day included).
        assert_eq!(r.children[1].charged.as_i64(), 6000);
    }

    #[test]
    fn a_charged_closure_is_not_an_absence_and_does_not_break_a_run() {
        // Sick Jul 6–13 around the typhoon: absent 6, 7, 10, 13 = one run of 4; closure days refunded apart.
        let item = fee(json!({
            "id": "meal", "name": "伙食费", "charge": {"per_day": "12.00"},
            "refund": {"per_day": {"min_run": 4, "unrefunded_per_run": 0, "kinds": ["sick"]}}
        }));
        let r = settle_with(
            "2026-07",
            typhoon(),
            &[item],
            &[child("a", "2020-09-01", None)],
            &[away("a", "2026-07-06", "2026-07-13", Sick)],
        );
        let c = &r.children[0];
        assert_eq!((c.absent_school_days, c.closure_days, c.attended_days), (4, 2, 5));
        assert_eq!(c.refund.as_i64(), 4800);
    }

    #[test]
    fn every_refund_has_a_chinese_explanation() {
        let r = settle_with(
            "2024-11",
            vec![],
            &[meal("10.50", 2, 1, &["sick"]), liaocheng()],
            &[child("a", "2020-09-01", None)],
            &[away("a", "2024-11-01", "2024-11-15", Sick)],
        );
        for f in &r.children[0].fees {
            assert!(f.refund > Fen::ZERO);
            let refund_lines: Vec<&SettlementLine> = f.lines.iter().filter(|l| l.kind.is_refund()).collect();
            assert!(!refund_lines.is_empty());
            assert!(refund_lines.iter().all(|l| l.text.contains('元')), "{refund_lines:#?}");
        }
        let run = &r.children[0].fees[0].lines[1];
        assert_eq!(run.amount, Fen(1050 * 10));
        assert!(run.text.contains("共 11 个在校日") && run.text.contains("前 1 天不退"), "{}", run.text);
        assert_eq!(r.classes[0].refund, r.refund);
        assert_eq!(r.fees.iter().map(|f| f.refund).sum::<Fen>(), r.refund);
    }

    fn rejected(children: &[EnrolledChild], absences: &[Absence]) -> String {
        let calendar = SchoolCalendar::national();
        let fees = [meal("10.00", 1, 0, &["sick"])];
        let input = SettlementInput {
            month: "2024-11".parse().expect("m"),
            calendar: &calendar,
            fees: &fees,
            children,
            absences,
        };
        match settle_month(&input) {
            Err(e @ Error::Rejected { .. }) => e.to_string(),
            other => panic!("expected Rejected, got {other:?}"),
        }
    }

    #[test]
    fn bad_input_is_rejected_with_chinese_messages() {
        let kids = [child("a", "2024-09-01", Some("2024-11-15"))];
        assert!(rejected(&kids, &[away("a", "2024-11-08", "2024-11-04", Sick)]).contains("早于开始日期"));
        assert!(rejected(&kids, &[away("zz", "2024-11-04", "2024-11-05", Sick)]).contains("“zz”不存在"));
        assert!(rejected(&kids, &[away("a", "2024-11-18", "2024-11-20", Sick)]).contains("不在园"));
        assert!(rejected(&kids, &[away("a", "2024-08-01", "2024-08-20", Sick)]).contains("不在园"));
        assert!(rejected(&[child("a", "2024-09-01", Some("2024-08-01"))], &[]).contains("离园日期"));
        assert!(rejected(&[child("a", "2024-09-01", None), child("a", "2024-09-01", None)], &[]).contains("重复"));
        // Partly outside the enrolment is fine: only the enrolled days count.
        let calendar = SchoolCalendar::national();
        let fees = [meal("10.00", 1, 0, &["sick"])];
        let absences = [away("a", "2024-11-14", "2024-11-20", Sick)];
        let r = settle_month(&SettlementInput {
            month: "2024-11".parse().expect("m"),
            calendar: &calendar,
            fees: &fees,
            children: &kids,
            absences: &absences,
        })
        .expect("settles");
        assert_eq!(r.refund, Fen(2000));
    }

    #[test]
    fn five_hundred_children_settle_quickly() {
        let fees = [meal("10.50", 2, 1, &["sick", "personal"]), liaocheng()];
        let children: Vec<EnrolledChild> = (0..500).map(|i| child(&format!("c{i}"), "2023-09-01", None)).collect();
        let mut absences = Vec::new();
        for i in 0..1500u32 {
            let c = format!("c{}", i % 500);
            let start = d("2024-10-20") + Days::new(u64::from(i * 7 % 40));
            let kind = [Sick, Personal, Other][(i % 3) as usize];
            absences.push(Absence { child: c, from: start, to: start + Days::new(u64::from(i % 5)), kind });
        }
        let calendar = SchoolCalendar::national();
        let input = SettlementInput {
            month: "2024-11".parse().expect("m"),
            calendar: &calendar,
            fees: &fees,
            children: &children,
            absences: &absences,
        };
        let started = std::time::Instant::now();
        let r = settle_month(&input).expect("settles");
        let took = started.elapsed();
        assert_eq!(r.children.len(), 500);
        // Debug builds are ~10× slower than release; this guards against an accidental O(n²).
        assert!(took.as_millis() < 1000, "took {took:?}");
        eprintln!("500 children × 2 items × 1,500 absences: {took:?} (debug build)");
    }
}
