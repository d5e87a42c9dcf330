//! Preview, confirm (close), reopen and trial run of one month's settlement.
//!
//! A closed month is shown exactly as it was confirmed: the stored result is
//! the record (see [`preview`]). Corrections to a closed month never rewrite
//! it. When a month N is previewed, every closed month M before it is settled
//! again with today's data and the rules M was confirmed with; the difference
//! from what M confirmed (and from the adjustments already carried for M)
//! becomes an adjustment line of N: 补退 when the family is owed more, 补收
//! when the school is. Confirming N stores those lines with N. M's own view
//! lists the same differences apart, as a comparison (`pending_corrections`).

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

use super::rules::{last_closed_month, rules_for};
use crate::calendar::SchoolCalendar;
use crate::dates::{today, YearMonth};
use crate::db::{Db, Tx};
use crate::error::Code;
use crate::refund::{
    apply_waivers, settle_month, Absence, EnrolledChild, FeeItem, LeaveKind, SettlementInput, SettlementResult,
};
use crate::school::children::{self, ChildFilter};
use crate::school::ChildId;
use crate::store::fees::adjustments::NewAdjustment;
use crate::store::fees::settlements::{Closed, Item, NewSettlement};
use crate::store::{self, Conn};
use crate::{Error, Fen, Result};

/// Whether a month is still open or has been confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SettlementStatus {
    /// 未结账: a preview, computed from today's data.
    Open,
    /// 已结账: what was confirmed.
    Closed,
}

/// A correction to a closed month carried by this settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Adjustment {
    pub origin_month: YearMonth,
    pub child_id: ChildId,
    pub child_name: String,
    pub class: String,
    pub fee_id: String,
    pub fee_name: String,
    /// > 0: 补退 (owed to the family); < 0: 补收.
    pub amount: Fen,
    /// The part of `amount` due to waivers (减免) changed since the month
    /// closed: paid by a subsidy, so not a correction of the meal account's income.
    #[serde(default, skip_serializing_if = "Fen::is_zero")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Fen>", optional))]
    pub waiver: Fen,
    /// 补退 or 补收.
    pub label: String,
    pub explanation: String,
}

/// A month's settlement as the screen and the CLI show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SettlementView {
    pub month: YearMonth,
    pub status: SettlementStatus,
    /// The month the rules in force were saved for.
    pub rules_from: YearMonth,
    pub fees: Vec<FeeItem>,
    /// Each of `fees` in words (one line), for the screens: the same phrases
    /// as the 收费公示 and the explanation.
    pub fee_rules_in_words: Vec<String>,
    pub result: SettlementResult,
    pub adjustments: Vec<Adjustment>,
    /// Sum of the adjustments (> 0: owed to families).
    pub adjustment_total: Fen,
    pub revision: Option<i64>,
    pub confirmed_at: Option<String>,
    pub confirmed_by: Option<String>,
    /// The latest closed month (only a month after it can be confirmed).
    pub last_closed: Option<YearMonth>,
    /// Only for a closed month: what changes to its attendance made since it
    /// was confirmed come to, not yet carried by any closed month. A comparison
    /// for the screen, never part of `result`: the month keeps its confirmed
    /// figures and these amounts are carried by `corrections_go_to`.
    pub pending_corrections: Vec<Adjustment>,
    /// The sum of `pending_corrections` (补退 positive, 补收 negative).
    pub pending_total: Fen,
    /// Whether some of `pending_corrections` come from waivers (减免) granted,
    /// ended or cancelled after the month closed, not only from attendance.
    pub pending_from_waivers: bool,
    /// The open month that carries `pending_corrections` (the month after the
    /// latest closed one).
    pub corrections_go_to: Option<YearMonth>,
}

/// The children enrolled on at least one day of `month`, as the engine takes
/// them (their class is the one on the month's last day).
pub fn enrolled_children(conn: &Conn, month: YearMonth) -> Result<Vec<EnrolledChild>> {
    let (first, last) = (month.first_day(), month.last_day());
    Ok(children::list(conn, &ChildFilter { include_left: true, on: Some(last), ..Default::default() })?
        .into_iter()
        .filter(|c| c.enrolled_on <= last && c.left_on.is_none_or(|l| l >= first))
        .map(|c| EnrolledChild {
            id: c.id.to_string(),
            name: c.name,
            class: c.class_name,
            enrolled: c.enrolled_on,
            left: c.left_on,
        })
        .collect())
}

/// Runs may reach back (a run begun last month counts for min_run; 30-day runs
/// span months) and forward (the rest of a run that ends next month): leave
/// this far around a month is looked at when settling it.
const LOOK_BACK_DAYS: i64 = 100;
const LOOK_AHEAD_DAYS: i64 = 45;

/// What settling needs besides a month's children, loaded once for a span of
/// months: a preview settles every closed month before it again, and loading
/// the calendar and the leave records once per month made that slow.
struct Sources {
    calendar: SchoolCalendar,
    /// First day of `days`.
    start: NaiveDate,
    /// Per day from `start`: [`SCHOOL_DAY`], [`CHARGED_CLOSURE`], [`LEGAL_DAY`] bits.
    days: Vec<u8>,
    /// Each child's leave ranges (stored ranges never overlap), by start date.
    leave: HashMap<i64, Vec<(NaiveDate, NaiveDate, LeaveKind)>>,
    /// Every child's enrolment: (id, enrolled, left).
    enrolments: Vec<Enrolment>,
    /// The waivers (减免、资助) in force on some month of the span, by child.
    waivers: HashMap<i64, Vec<store::fees::waivers::Stored>>,
}

/// A child's enrolment: (id, enrolled, left).
type Enrolment = (i64, NaiveDate, Option<NaiveDate>);

const SCHOOL_DAY: u8 = 1;
const CHARGED_CLOSURE: u8 = 2;
const LEGAL_DAY: u8 = 4;

impl Sources {
    /// For settling the months `first..=last`.
    fn load(conn: &Conn, first: YearMonth, last: YearMonth) -> Result<Sources> {
        let calendar = crate::school::calendar::load(conn)?;
        let start = first.first_day() - Duration::days(LOOK_BACK_DAYS);
        let end = last.last_day() + Duration::days(LOOK_AHEAD_DAYS);
        let days = start
            .iter_days()
            .take_while(|d| *d <= end)
            .map(|d| {
                let day = calendar.day(d);
                [
                    (day.school_day, SCHOOL_DAY),
                    (day.charged_closure, CHARGED_CLOSURE),
                    (day.legal_working_day, LEGAL_DAY),
                ]
                .iter()
                .filter(|(set, _)| *set)
                .fold(0, |flags, (_, bit)| flags | bit)
            })
            .collect();
        let mut leave: HashMap<i64, Vec<_>> = HashMap::new();
        // By child, then date: each child's ranges come in order.
        for a in store::absences::between(conn, start, end)? {
            leave.entry(a.child_id.0).or_default().push((a.from, a.to, a.kind));
        }
        let mut enrolments: Vec<_> =
            store::children::enrolments(conn)?.into_iter().map(|(id, from, left)| (id.0, from, left)).collect();
        // In id order on both backends: it is the order corrections are listed in.
        enrolments.sort_unstable_by_key(|e| e.0);
        let mut waivers: HashMap<i64, Vec<_>> = HashMap::new();
        for w in store::fees::waivers::list(conn, None, first, last)? {
            waivers.entry(w.child_id.0).or_default().push(w);
        }
        // By id: the order they were granted is the order they apply in.
        waivers.values_mut().for_each(|ws| ws.sort_unstable_by_key(|w| w.id));
        Ok(Sources { calendar, start, days, leave, enrolments, waivers })
    }

    /// A child's waivers in force in `month`.
    fn waivers_for(&self, child: i64, month: YearMonth) -> impl Iterator<Item = &store::fees::waivers::Stored> {
        self.waivers.get(&child).into_iter().flatten().filter(move |w| w.from <= month && month <= w.to)
    }

    fn flags(&self, d: NaiveDate) -> Option<u8> {
        usize::try_from((d - self.start).num_days()).ok().and_then(|i| self.days.get(i)).copied()
    }

    /// Whether leave ending on `a` and leave starting on `b` can be one run:
    /// no day a child could attend lies between (weekends, holidays and
    /// closures don't count). Outside the loaded days, assume they can.
    fn joined(&self, a: NaiveDate, b: NaiveDate) -> bool {
        a.iter_days()
            .skip(1)
            .take_while(|d| *d < b)
            .all(|d| self.flags(d).is_none_or(|f| f & (SCHOOL_DAY | CHARGED_CLOSURE) != SCHOOL_DAY))
    }

    /// A child's leave that can matter to `month`: the ranges inside it and
    /// those chained to them (within the look-back and look-ahead). Leave
    /// separated from the month by an ordinary school day cannot change its
    /// runs, so it is not passed to the engine (which keeps a year of
    /// re-settled months fast).
    fn leave_for(&self, child: i64, month: YearMonth) -> &[(NaiveDate, NaiveDate, LeaveKind)] {
        let Some(ranges) = self.leave.get(&child) else { return &[] };
        let (first, last) = (month.first_day(), month.last_day());
        let lo_limit = first - Duration::days(LOOK_BACK_DAYS);
        let hi_limit = last + Duration::days(LOOK_AHEAD_DAYS);
        let Some(mut lo) = ranges.iter().position(|a| a.1 >= first && a.0 <= last) else { return &[] };
        let mut hi = lo;
        while hi + 1 < ranges.len() && ranges[hi + 1].0 <= last {
            hi += 1;
        }
        while lo > 0 && ranges[lo - 1].1 >= lo_limit && self.joined(ranges[lo - 1].1, ranges[lo].0) {
            lo -= 1;
        }
        while hi + 1 < ranges.len() && ranges[hi + 1].0 <= hi_limit && self.joined(ranges[hi].1, ranges[hi + 1].0) {
            hi += 1;
        }
        &ranges[lo..=hi]
    }

    /// The engine's input for `month` with the given rules, and its result.
    fn settle(&self, conn: &Conn, month: YearMonth, fees: &[FeeItem]) -> Result<SettlementResult> {
        self.settle_children(month, fees, &enrolled_children(conn, month)?)
    }

    /// The part of every child's [`Sources::digest`] that is the month's: the
    /// calendar of the days its leave can reach. Computed once per month.
    fn month_digest(&self, month: YearMonth) -> Fnv {
        let mut h = Fnv::default();
        let from = month.first_day() - Duration::days(LOOK_BACK_DAYS);
        let to = month.last_day() + Duration::days(LOOK_AHEAD_DAYS);
        for d in from.iter_days().take_while(|d| *d <= to) {
            h.write(&[self.flags(d).unwrap_or(0xff)]);
        }
        h
    }

    /// What a child's settlement of `month` depends on besides the fee rules:
    /// the calendar (`month_digest`), the enrolment and the leave chained to the
    /// month, as a digest (FNV-1a). Equal digests, equal money.
    fn digest(&self, month_digest: &Fnv, (id, enrolled, left): Enrolment, month: YearMonth) -> i64 {
        let mut h = Fnv(month_digest.0);
        let day = |h: &mut Fnv, d: Option<NaiveDate>| h.write(&d.map_or(0, |d| d.num_days_from_ce()).to_le_bytes());
        day(&mut h, Some(enrolled));
        day(&mut h, left);
        for &(from, to, kind) in self.leave_for(id, month) {
            day(&mut h, Some(from));
            day(&mut h, Some(to));
            h.write(kind.as_str().as_bytes());
        }
        // Only children with a waiver hash one: the digests of the others stay
        // as they were stored before waivers existed.
        for w in self.waivers_for(id, month) {
            h.write(&w.id.to_le_bytes());
            h.write(w.fee_id.as_bytes());
            h.write(&w.percent.map_or(-1, i64::from).to_le_bytes());
            h.write(&w.amount.map_or(-1, |a| a.0).to_le_bytes());
        }
        // Stored as a signed 64-bit integer; the bits are what matter.
        h.0 as i64
    }

    /// The children enrolled on at least one day of `month`: (id, enrolled, left).
    fn enrolled_in(&self, month: YearMonth) -> impl Iterator<Item = Enrolment> + '_ {
        let (first, last) = (month.first_day(), month.last_day());
        self.enrolments.iter().copied().filter(move |(_, from, left)| *from <= last && left.is_none_or(|l| l >= first))
    }

    /// [`Sources::settle`] for some of the month's children only.
    fn settle_children(&self, month: YearMonth, fees: &[FeeItem], kids: &[EnrolledChild]) -> Result<SettlementResult> {
        // Only the leave of children settled this month is passed: a child who
        // left earlier is not in the month, and the engine refuses strangers.
        let mut absences = Vec::new();
        for k in kids {
            let Ok(id) = k.id.parse::<i64>() else { continue };
            absences.extend(self.leave_for(id, month).iter().map(|&(from, to, kind)| Absence {
                child: k.id.clone(),
                from,
                to,
                kind,
            }));
        }
        let mut result = settle_month(&SettlementInput {
            month,
            calendar: &self.calendar,
            fees,
            children: kids,
            absences: &absences,
        })?;
        let waivers: Vec<_> = kids
            .iter()
            .filter_map(|k| k.id.parse::<i64>().ok())
            .flat_map(|id| self.waivers_for(id, month))
            .map(crate::waivers::in_force)
            .collect::<Result<Vec<_>>>()?;
        apply_waivers(&mut result, &waivers)?;
        Ok(result)
    }
}

/// FNV-1a, 64 bits: cheap and stable across versions (unlike std's hasher).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The engine's input, loaded for `month` with the given rules.
fn settle_with(conn: &Conn, month: YearMonth, fees: &[FeeItem]) -> Result<SettlementResult> {
    Sources::load(conn, month, month)?.settle(conn, month, fees)
}

/// Runs `fees` over a month without saving anything (试算).
pub fn trial(conn: &Conn, month: YearMonth, fees: &[FeeItem]) -> Result<SettlementResult> {
    crate::refund::validate_fee_items(fees)?;
    settle_with(conn, month, fees)
}

/// A closed month as confirmed, with the rules it was settled with.
struct Confirmed {
    id: i64,
    month: YearMonth,
    revision: i64,
    fees: Vec<FeeItem>,
    confirmed_at: String,
    confirmed_by: String,
}

impl Confirmed {
    fn from_stored(c: Closed) -> Result<Confirmed> {
        let fees: Vec<FeeItem> = serde_json::from_str(&c.rules_json)
            .map_err(|e| Error::invalid(format!("{} 的结账规则无法读取:{e}", c.month.label())))?;
        Ok(Confirmed {
            id: c.id,
            month: c.month,
            revision: c.revision,
            fees,
            confirmed_at: c.confirmed_at,
            confirmed_by: c.confirmed_by,
        })
    }
}

fn confirmed(conn: &Conn, month: YearMonth) -> Result<Option<Confirmed>> {
    store::fees::settlements::closed(conn, month)?.map(Confirmed::from_stored).transpose()
}

/// The closed months before `month`, oldest first.
fn closed_before(conn: &Conn, month: YearMonth) -> Result<Vec<Confirmed>> {
    store::fees::settlements::closed_before(conn, month)?.into_iter().map(Confirmed::from_stored).collect()
}

/// The class a child was in on `day`, from their placements (oldest first):
/// the latest one starting on or before it, or the first one for a day before
/// enrolment — as the children's list reads it.
fn class_on(placements: &[(NaiveDate, String)], day: NaiveDate) -> String {
    placements
        .iter()
        .rev()
        .find(|(from, _)| *from <= day)
        .or(placements.first())
        .map(|p| p.1.clone())
        .unwrap_or_default()
}

/// What corrections to the closed months `closed` (oldest first) are owed
/// now. `sources` covers those months. A fixed number of queries whatever the
/// number of months and children: a year of months is settled again here.
fn pending_adjustments(conn: &Conn, sources: &Sources, closed: &[Confirmed]) -> Result<Vec<Adjustment>> {
    let (Some(first), Some(last)) = (closed.first(), closed.last()) else { return Ok(Vec::new()) };
    let carried = store::fees::adjustments::carried(conn, first.month, last.month)?;
    let with_carried: HashSet<(YearMonth, ChildId)> = carried.keys().map(|(m, c, _)| (*m, *c)).collect();
    let digests = store::fees::settlements::digests(conn, first.month, last.month)?;
    // Children whose inputs are as they were when their month was confirmed
    // owe exactly what was confirmed: only the others are settled again (and
    // those with a correction already carried, which may need undoing).
    let mut changed: Vec<(&Confirmed, Vec<Enrolment>)> = Vec::new();
    for c in closed {
        let stored = digests.get(&c.id);
        let month_digest = sources.month_digest(c.month);
        let kids: Vec<_> = sources
            .enrolled_in(c.month)
            .filter(|kid| {
                let same =
                    stored.and_then(|s| s.get(&ChildId(kid.0))) == Some(&sources.digest(&month_digest, *kid, c.month));
                !same || with_carried.contains(&(c.month, ChildId(kid.0)))
            })
            .collect();
        if !kids.is_empty() {
            changed.push((c, kids));
        }
    }
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<ChildId> = changed
        .iter()
        .flat_map(|(_, kids)| kids.iter().map(|k| ChildId(k.0)))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let then = store::fees::settlements::items_of(conn, first.month, last.month, &ids)?;
    let classes = store::children::class_histories(conn)?;
    let mut out = Vec::new();
    for (c, kids) in changed {
        let origin = c.month;
        // As `enrolled_children` has it: the class on the month's last day.
        let kids: Vec<EnrolledChild> = kids
            .into_iter()
            .map(|(id, enrolled, left)| {
                let (name, placements) =
                    classes.get(&ChildId(id)).map(|(n, p)| (n.clone(), p.as_slice())).unwrap_or_default();
                EnrolledChild {
                    id: id.to_string(),
                    name,
                    class: class_on(placements, origin.last_day()),
                    enrolled,
                    left,
                }
            })
            .collect();
        let again = sources.settle_children(origin, &c.fees, &kids)?;
        for child in &again.children {
            let Ok(child_id) = child.child_id.parse::<i64>().map(ChildId) else { continue };
            for fee in &child.fees {
                let (old_charged, old_refund, old_waiver) = then
                    .get(&(c.id, child_id, fee.fee_id.clone()))
                    .copied()
                    .unwrap_or((Fen::ZERO, Fen::ZERO, Fen::ZERO));
                let owed_before = old_charged.checked_sub(old_refund)?.checked_sub(old_waiver)?;
                let owed_now = fee.charged.checked_sub(fee.refund)?.checked_sub(fee.waiver)?;
                let (carried, carried_waiver) =
                    carried.get(&(origin, child_id, fee.fee_id.clone())).copied().unwrap_or((Fen::ZERO, Fen::ZERO));
                // Positive: the family paid too much for `origin` and is owed back.
                let delta = owed_before.checked_sub(owed_now)?.checked_sub(carried)?;
                let waiver_delta = fee.waiver.checked_sub(old_waiver)?.checked_sub(carried_waiver)?;
                if delta == Fen::ZERO {
                    continue;
                }
                let label = if delta.is_negative() { "补收" } else { "补退" };
                let waived = |w: Fen| if w == Fen::ZERO { String::new() } else { format!("、减免 {} 元", w) };
                let mut explanation = format!(
                    "{}{}更正:结账时应收 {} 元、退 {} 元{};按现在的{}应收 {} 元、退 {} 元{}",
                    origin.label(),
                    fee.fee_name,
                    old_charged,
                    old_refund,
                    waived(old_waiver),
                    if old_waiver == Fen::ZERO && fee.waiver == Fen::ZERO { "考勤" } else { "考勤与减免" },
                    fee.charged,
                    fee.refund,
                    waived(fee.waiver)
                );
                if carried != Fen::ZERO {
                    explanation.push_str(&format!(";此前已调整 {} 元", carried));
                }
                explanation.push_str(&format!(",本月{label} {} 元", delta.abs()));
                out.push(Adjustment {
                    origin_month: origin,
                    child_id,
                    child_name: child.name.clone(),
                    class: child.class.clone(),
                    fee_id: fee.fee_id.clone(),
                    fee_name: fee.fee_name.clone(),
                    amount: delta,
                    waiver: waiver_delta,
                    label: label.into(),
                    explanation,
                });
            }
        }
    }
    Ok(out)
}

/// The adjustments a confirmed settlement carries, as stored (each child's
/// class as of today, as the screen lists children).
fn stored_adjustments(conn: &Conn, settlement_id: i64) -> Result<Vec<Adjustment>> {
    let rows = store::fees::adjustments::of_settlement(conn, settlement_id)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let classes = store::children::class_histories(conn)?;
    let today = today();
    Ok(rows
        .into_iter()
        .map(|a| Adjustment {
            origin_month: a.origin_month,
            child_id: a.child_id,
            child_name: a.child_name,
            class: classes.get(&a.child_id).map(|(_, p)| class_on(p, today)).unwrap_or_default(),
            fee_id: a.fee_id,
            fee_name: a.fee_name,
            label: if a.amount.is_negative() { "补收" } else { "补退" }.into(),
            amount: a.amount,
            waiver: a.waiver,
            explanation: a.explanation,
        })
        .collect())
}

/// The month's settlement: the confirmed one if the month is closed (exactly
/// as it was stored when confirmed), otherwise a preview from today's data.
pub fn preview(conn: &Conn, month: YearMonth) -> Result<SettlementView> {
    Ok(view_and_sources(conn, month)?.0)
}

/// [`preview`], with what it was settled from (confirming stores the input
/// digests of the same data).
fn view_and_sources(conn: &Conn, month: YearMonth) -> Result<(SettlementView, Sources)> {
    let last_closed = last_closed_month(conn)?;
    if let Some(c) = confirmed(conn, month)? {
        let result = confirmed_result(conn, month, c.id)?;
        let adjustments = stored_adjustments(conn, c.id)?;
        // What today's attendance would change, kept apart from `result`.
        let sources = Sources::load(conn, month, month)?;
        let pending_corrections = pending_adjustments(conn, &sources, std::slice::from_ref(&c))?;
        let pending_total = crate::money::try_sum(pending_corrections.iter().map(|a| a.amount))?;
        let pending_from_waivers = pending_corrections.iter().any(|a| a.waiver != Fen::ZERO);
        let view = SettlementView {
            month,
            status: SettlementStatus::Closed,
            rules_from: month,
            adjustment_total: crate::money::try_sum(adjustments.iter().map(|a| a.amount))?,
            fee_rules_in_words: in_words(&c.fees),
            fees: c.fees,
            result,
            adjustments,
            revision: Some(c.revision),
            confirmed_at: Some(c.confirmed_at),
            confirmed_by: Some(c.confirmed_by),
            last_closed,
            pending_corrections,
            pending_total,
            pending_from_waivers,
            corrections_go_to: last_closed.map(YearMonth::next),
        };
        return Ok((view, sources));
    }
    let rules = rules_for(conn, month)?.ok_or_else(|| {
        Error::refused(Code::NoFeeRules, format!("{} 没有生效的收费规则,请先在“设置 → 收费项目”中设置", month.label()))
            .with("month", month)
    })?;
    let closed = closed_before(conn, month)?;
    let sources = Sources::load(conn, closed.first().map_or(month, |c| c.month), month)?;
    let result = sources.settle(conn, month, &rules.fees)?;
    let adjustments = pending_adjustments(conn, &sources, &closed)?;
    let view = SettlementView {
        month,
        status: SettlementStatus::Open,
        rules_from: rules.effective_from,
        fee_rules_in_words: in_words(&rules.fees),
        fees: rules.fees,
        adjustment_total: crate::money::try_sum(adjustments.iter().map(|a| a.amount))?,
        result,
        adjustments,
        revision: None,
        confirmed_at: None,
        confirmed_by: None,
        last_closed,
        pending_corrections: Vec::new(),
        pending_total: Fen::ZERO,
        pending_from_waivers: false,
        corrections_go_to: None,
    };
    Ok((view, sources))
}

fn in_words(fees: &[FeeItem]) -> Vec<String> {
    fees.iter().map(|f| crate::refund::describe_fee_item(f).one_line()).collect()
}

/// The confirmed result of a closed month, as stored when it was confirmed:
/// the record every view of the month shows (rows, explanations, class, item
/// and school totals). It is never settled again with today's data — an
/// earlier version did, patched only the children's amounts, and the item and
/// class totals then disagreed with the rows after a correction.
fn confirmed_result(conn: &Conn, month: YearMonth, settlement_id: i64) -> Result<SettlementResult> {
    let json = store::fees::settlements::result_json(conn, settlement_id)?;
    serde_json::from_str(&json).map_err(|e| {
        Error::invalid(format!("{} 的结账记录无法读取({e}),数据文件可能已损坏,请从备份恢复", month.label()))
    })
}

/// Confirms (closes) a month: stores the settlement, its items and the
/// adjustments it carries, in one transaction. Only a month after the last
/// closed one, and not in the future.
pub fn confirm(db: &mut Db, month: YearMonth) -> Result<SettlementView> {
    let today = today();
    // A copy of the file first (a local file only): a close can be undone by 恢复备份 too.
    crate::backup::before(db, crate::backup::Reason::MonthClose)?;
    db.write(crate::auth::Job::Fees, |tx| {
        confirm_in_tx(tx, month, today)?;
        preview(tx, month)
    })
}

/// Why `month` cannot be confirmed on `today`, if it can't: a month not yet
/// begun, one already closed or before the last closed one, or one with an
/// earlier month still open (see [`first_open_month_before`]).
pub fn check_can_confirm(conn: &Conn, month: YearMonth, today: chrono::NaiveDate) -> Result<()> {
    if month > YearMonth::of(today) {
        return Err(Error::invalid(format!("{} 还没有到,不能结账", month.label())));
    }
    let last_closed = last_closed_month(conn)?;
    if let Some(closed) = last_closed {
        if month <= closed {
            return Err(Error::conflict(if month == closed {
                format!("{} 已经结账", month.label())
            } else {
                format!("{} 已结账,不能再结算更早的 {}", closed.label(), month.label())
            }));
        }
    }
    // Months are closed in order: once a later month is closed, an earlier one
    // can no longer be confirmed, so skipping it would lose its refunds for good.
    if let Some(open) = first_open_month_before(conn, month)? {
        return Err(Error::conflict(match last_closed {
            Some(closed) if closed > open => format!(
                "{open_l} 还没有结账就被跳过了(已结账到 {closed_l}),它的退费还没有结算。\
                 请从 {closed_l} 起依次重新打开 {open_l} 之后已结账的月份,先结 {open_l},再按月份顺序结账",
                open_l = open.label(),
                closed_l = closed.label()
            ),
            _ => format!(
                "{open_l} 还没有结账。请先结算并确认 {open_l},再结 {month_l}:\
                 按月份顺序结账,才不会漏掉哪个月的退费",
                open_l = open.label(),
                month_l = month.label()
            ),
        }));
    }
    Ok(())
}

/// [`confirm`] inside an open transaction (the demo closes past months this
/// way). The checks and the preview it stores are read through `tx`: another
/// PC confirming the same month waits for this one and is then refused.
pub fn confirm_in_tx(tx: &Tx, month: YearMonth, today: chrono::NaiveDate) -> Result<()> {
    check_can_confirm(tx, month, today)?;
    let (view, sources) = view_and_sources(tx, month)?;
    let revision = store::fees::settlements::next_revision(tx, month)?;
    let rules_json = serde_json::to_string(&view.fees).map_err(|e| Error::invalid(e.to_string()))?;
    let result_json = serde_json::to_string(&view.result).map_err(|e| Error::invalid(e.to_string()))?;
    let id = store::fees::settlements::insert(
        tx,
        &NewSettlement {
            month,
            revision,
            rules_json: &rules_json,
            result_json: &result_json,
            charged: view.result.charged,
            refund: view.result.refund,
            adjustment: view.adjustment_total,
        },
    )?;
    let mut items = Vec::new();
    for ch in &view.result.children {
        let child_id =
            ChildId(ch.child_id.parse().map_err(|_| Error::invalid(format!("幼儿编号无效:{}", ch.child_id)))?);
        items.extend(ch.fees.iter().map(|f| Item {
            child_id,
            fee_id: &f.fee_id,
            fee_name: &f.fee_name,
            charged: f.charged,
            refund: f.refund,
            waiver: f.waiver,
        }));
    }
    store::fees::settlements::insert_items(tx, id, &items)?;
    let adjustments: Vec<NewAdjustment> = view
        .adjustments
        .iter()
        .map(|a| NewAdjustment {
            origin_month: a.origin_month,
            child_id: a.child_id,
            fee_id: &a.fee_id,
            fee_name: &a.fee_name,
            amount: a.amount,
            waiver: a.waiver,
            explanation: &a.explanation,
        })
        .collect();
    store::fees::adjustments::insert_all(tx, id, &adjustments)?;
    let month_digest = sources.month_digest(month);
    let digests: Vec<(ChildId, i64)> =
        sources.enrolled_in(month).map(|kid| (ChildId(kid.0), sources.digest(&month_digest, kid, month))).collect();
    store::fees::settlements::insert_inputs(tx, id, &digests)?;
    tx.audit(
        "settlement",
        month,
        "confirm",
        Some(&serde_json::json!({ "status": if revision > 1 { "reopened" } else { "open" } })),
        Some(&serde_json::json!({
            "status": "closed",
            "revision": revision,
            "charged_fen": view.result.charged,
            "refund_fen": view.result.refund,
            "adjustment_fen": view.adjustment_total,
        })),
    )
}

/// The earliest month before `month` that still needs confirming: fee rules
/// in force, children enrolled, at least one school day (a month of summer
/// break charges nothing), and not closed. Confirming `month` first would skip it.
pub fn first_open_month_before(conn: &Conn, month: YearMonth) -> Result<Option<YearMonth>> {
    let Some(first_rules) = store::fees::rules::first_month(conn)? else { return Ok(None) };
    if first_rules >= month {
        return Ok(None);
    }
    let closed: HashSet<YearMonth> =
        store::fees::settlements::closed_before(conn, month)?.into_iter().map(|c| c.month).collect();
    let calendar = crate::school::calendar::load(conn)?;
    // Every child's enrolment once, not the children's list once per month.
    let enrolments = store::children::enrolments(conn)?;
    let mut m = first_rules;
    while m < month {
        let (first, last) = (m.first_day(), m.last_day());
        if !closed.contains(&m)
            && m.days().any(|d| calendar.is_school_day(d))
            && enrolments.iter().any(|(_, from, left)| *from <= last && left.is_none_or(|l| l >= first))
        {
            return Ok(Some(m));
        }
        m = m.next();
    }
    Ok(None)
}

/// Whether `month` has not ended yet on `today`: leave can still be entered for
/// its remaining days, so confirming now would turn it into next month's corrections.
pub fn not_over_yet(month: YearMonth, today: chrono::NaiveDate) -> bool {
    month.last_day() >= today
}

/// Reopens the latest closed month, with a reason (audited). Its adjustments go
/// with it; confirming it again stores a new revision. Which month is the
/// latest is read inside the transaction, so a month another PC closed a
/// moment ago counts.
pub fn reopen(db: &mut Db, month: YearMonth, reason: &str) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("重新打开已结账的月份必须填写原因"));
    }
    crate::text::Field::note("原因").check(reason).map_err(Error::Invalid)?;
    crate::backup::before(db, crate::backup::Reason::Reopen)?;
    db.write(crate::auth::Job::ReopenMonth, |tx| {
        let Some(c) = store::fees::settlements::closed(tx, month)? else {
            return Err(Error::invalid(format!("{} 尚未结账,无需重新打开", month.label())));
        };
        if let Some(latest) = last_closed_month(tx)? {
            if latest > month {
                return Err(Error::conflict(format!(
                    "只能重新打开最近结账的月份({});请先重新打开 {}",
                    latest.label(),
                    latest.label()
                )));
            }
        }
        store::fees::settlements::reopen(tx, c.id, reason)?;
        tx.audit(
            "settlement",
            month,
            "reopen",
            Some(&serde_json::json!({ "revision": c.revision, "status": "closed" })),
            Some(&serde_json::json!({ "status": "reopened", "reason": reason })),
        )
    })
}

/// Whether a month is closed (absence entry warns that changes become adjustments).
pub fn is_closed(conn: &Conn, month: YearMonth) -> Result<bool> {
    Ok(store::fees::settlements::closed(conn, month)?.is_some())
}

/// The closed months, newest first (the months notices can be printed for).
pub fn closed_months(conn: &Conn) -> Result<Vec<YearMonth>> {
    store::fees::settlements::closed_months(conn)
}

/// The id and revision (第 N 版) of `month`'s confirmed settlement, if it is closed.
pub fn confirmed_id(conn: &Conn, month: YearMonth) -> Result<Option<(i64, i64)>> {
    Ok(store::fees::settlements::closed(conn, month)?.map(|c| (c.id, c.revision)))
}
