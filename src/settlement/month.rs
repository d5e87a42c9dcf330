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

use crate::store::Conn;
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::HashMap;

use super::rules::{last_closed_month, rules_for};
use crate::calendar::SchoolCalendar;
use crate::dates::{today, YearMonth};
use crate::db::{now, Db, Tx};
use crate::refund::{settle_month, Absence, EnrolledChild, FeeItem, LeaveKind, SettlementInput, SettlementResult};
use crate::school::children::{self, ChildFilter};
use crate::school::ChildId;
use crate::{Error, Fen, Result};

/// Whether a month is still open or has been confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SettlementStatus {
    /// 未结账: a preview, computed from today's data.
    Open,
    /// 已结账: what was confirmed.
    Closed,
}

/// A correction to a closed month carried by this settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adjustment {
    pub origin_month: YearMonth,
    pub child_id: ChildId,
    pub child_name: String,
    pub class: String,
    pub fee_id: String,
    pub fee_name: String,
    /// > 0: 补退 (owed to the family); < 0: 补收.
    pub amount: Fen,
    /// 补退 or 补收.
    pub label: String,
    pub explanation: String,
}

/// A month's settlement as the screen and the CLI show it.
#[derive(Debug, Clone, Serialize)]
pub struct SettlementView {
    pub month: YearMonth,
    pub status: SettlementStatus,
    /// The month the rules in force were saved for.
    pub rules_from: YearMonth,
    pub fees: Vec<FeeItem>,
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
    enrolments: Vec<(i64, NaiveDate, Option<NaiveDate>)>,
}

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
        let mut stmt = conn.prepare_cached(
            "SELECT child_id, from_date, to_date, kind FROM absences
             WHERE from_date <= ?2 AND to_date >= ?1 ORDER BY child_id, from_date",
        )?;
        let mut rows = stmt.query([start, end])?;
        while let Some(r) = rows.next()? {
            let kind = LeaveKind::parse(r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?)?;
            leave.entry(r.get::<_, i64>(0)?).or_default().push((iso_date(r, 1)?, iso_date(r, 2)?, kind));
        }
        let mut stmt = conn.prepare_cached("SELECT id, enrolled_on, left_on FROM children")?;
        let enrolments =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(Sources { calendar, start, days, leave, enrolments })
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
    fn digest(
        &self,
        month_digest: &Fnv,
        (id, enrolled, left): (i64, NaiveDate, Option<NaiveDate>),
        month: YearMonth,
    ) -> i64 {
        let mut h = Fnv(month_digest.0);
        let day = |h: &mut Fnv, d: Option<NaiveDate>| h.write(&d.map_or(0, |d| d.num_days_from_ce()).to_le_bytes());
        day(&mut h, Some(enrolled));
        day(&mut h, left);
        for &(from, to, kind) in self.leave_for(id, month) {
            day(&mut h, Some(from));
            day(&mut h, Some(to));
            h.write(kind.as_str().as_bytes());
        }
        // Stored as SQLite's signed integer; the bits are what matter.
        h.0 as i64
    }

    /// The children enrolled on at least one day of `month`: (id, enrolled, left).
    fn enrolled_in(&self, month: YearMonth) -> impl Iterator<Item = (i64, NaiveDate, Option<NaiveDate>)> + '_ {
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
        settle_month(&SettlementInput { month, calendar: &self.calendar, fees, children: kids, absences: &absences })
    }
}

/// A stored `YYYY-MM-DD` date, read without chrono's general format parser
/// (a year of leave is tens of thousands of dates per preview).
fn iso_date(r: &rusqlite::Row, i: usize) -> rusqlite::Result<NaiveDate> {
    let text = r.get_ref(i)?.as_str()?;
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| {
        b.get(range)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .map(|d| d.iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0')))
    };
    let date = match (b.len(), b.get(4), b.get(7)) {
        (10, Some(b'-'), Some(b'-')) => match (num(0..4), num(5..7), num(8..10)) {
            (Some(y), Some(m), Some(d)) => i32::try_from(y).ok().and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
            _ => None,
        },
        _ => None,
    };
    match date {
        Some(d) => Ok(d),
        // Anything else: the general parser, with its error.
        None => r.get(i),
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

struct Confirmed {
    id: i64,
    revision: i64,
    fees: Vec<FeeItem>,
    confirmed_at: String,
    confirmed_by: String,
}

fn confirmed(conn: &Conn, month: YearMonth) -> Result<Option<Confirmed>> {
    let row = conn
        .query_row(
            "SELECT id, revision, rules_json, confirmed_at, confirmed_by FROM settlements
             WHERE month = ?1 AND status = 'closed'",
            [month.to_string()],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((id, revision, rules, confirmed_at, confirmed_by)) = row else { return Ok(None) };
    let fees: Vec<FeeItem> = serde_json::from_str(&rules)
        .map_err(|e| Error::invalid(format!("{} 的结账规则无法读取:{e}", month.label())))?;
    Ok(Some(Confirmed { id, revision, fees, confirmed_at, confirmed_by }))
}

type Key = (i64, String);

/// Charged and refunded per (child, fee) in a confirmed settlement, for some children only.
fn confirmed_items_of(conn: &Conn, settlement_id: i64, kids: &[EnrolledChild]) -> Result<HashMap<Key, (Fen, Fen)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT fee_id, charged_fen, refund_fen FROM settlement_items WHERE settlement_id = ?1 AND child_id = ?2",
    )?;
    let mut out = HashMap::new();
    for kid in kids {
        let Ok(child_id) = kid.id.parse::<i64>() else { continue };
        let rows = stmt.query_map(rusqlite::params![settlement_id, child_id], |r| {
            Ok(((child_id, r.get::<_, String>(0)?), (Fen(r.get(1)?), Fen(r.get(2)?))))
        })?;
        for row in rows {
            let (key, value) = row?;
            out.insert(key, value);
        }
    }
    Ok(out)
}

/// Adjustments already carried for `origin` by closed settlements, per (child, fee).
fn carried(conn: &Conn, origin: YearMonth) -> Result<HashMap<Key, Fen>> {
    let mut stmt = conn.prepare(
        "SELECT a.child_id, a.fee_id, SUM(a.amount_fen) FROM adjustments a
         JOIN settlements s ON s.id = a.settlement_id
         WHERE a.origin_month = ?1 AND s.status = 'closed' GROUP BY a.child_id, a.fee_id",
    )?;
    let rows =
        stmt.query_map([origin.to_string()], |r| Ok(((r.get::<_, i64>(0)?, r.get::<_, String>(1)?), Fen(r.get(2)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn closed_months_before(conn: &Conn, month: YearMonth) -> Result<Vec<YearMonth>> {
    let mut stmt =
        conn.prepare("SELECT month FROM settlements WHERE status = 'closed' AND month < ?1 ORDER BY month")?;
    let rows = stmt.query_map([month.to_string()], |r| r.get::<_, String>(0))?;
    rows.map(|m| m.map_err(Error::from).and_then(|m| m.parse())).collect()
}

/// What corrections to the closed months before `month` are owed now.
/// `sources` covers those months.
fn pending_adjustments(conn: &Conn, sources: &Sources, closed: &[YearMonth]) -> Result<Vec<Adjustment>> {
    let mut out = Vec::new();
    for &origin in closed {
        let Some(c) = confirmed(conn, origin)? else { continue };
        let already = carried(conn, origin)?;
        // Children whose inputs are as they were when the month was confirmed
        // owe exactly what was confirmed: only the others are settled again
        // (and those with a correction already carried, which may need undoing).
        let stored = stored_digests(conn, c.id)?;
        let month_digest = sources.month_digest(origin);
        let mut changed: Vec<EnrolledChild> = Vec::new();
        for kid in sources.enrolled_in(origin) {
            let id = kid.0;
            if stored.get(&id) == Some(&sources.digest(&month_digest, kid, origin))
                && !already.keys().any(|(child, _)| *child == id)
            {
                continue;
            }
            // As `enrolled_children` has it: the class on the month's last day.
            let c = children::get(conn, ChildId(id), Some(origin.last_day()))?;
            changed.push(EnrolledChild {
                id: id.to_string(),
                name: c.name,
                class: c.class_name,
                enrolled: c.enrolled_on,
                left: c.left_on,
            });
        }
        if changed.is_empty() {
            continue;
        }
        let then = confirmed_items_of(conn, c.id, &changed)?;
        let again = sources.settle_children(origin, &c.fees, &changed)?;
        for child in &again.children {
            let Ok(child_id) = child.child_id.parse::<i64>() else { continue };
            for fee in &child.fees {
                let key = (child_id, fee.fee_id.clone());
                let (old_charged, old_refund) = then.get(&key).copied().unwrap_or((Fen::ZERO, Fen::ZERO));
                let owed_before = old_charged - old_refund;
                let owed_now = fee.charged - fee.refund;
                let carried = already.get(&key).copied().unwrap_or(Fen::ZERO);
                // Positive: the family paid too much for `origin` and is owed back.
                let delta = owed_before - owed_now - carried;
                if delta == Fen::ZERO {
                    continue;
                }
                let label = if delta.is_negative() { "补收" } else { "补退" };
                let mut explanation = format!(
                    "{}{}更正:结账时应收 {} 元、退 {} 元;按现在的考勤应收 {} 元、退 {} 元",
                    origin.label(),
                    fee.fee_name,
                    old_charged,
                    old_refund,
                    fee.charged,
                    fee.refund
                );
                if carried != Fen::ZERO {
                    explanation.push_str(&format!(";此前已调整 {} 元", carried));
                }
                explanation.push_str(&format!(",本月{label} {} 元", delta.abs()));
                out.push(Adjustment {
                    origin_month: origin,
                    child_id: ChildId(child_id),
                    child_name: child.name.clone(),
                    class: child.class.clone(),
                    fee_id: fee.fee_id.clone(),
                    fee_name: fee.fee_name.clone(),
                    amount: delta,
                    label: label.into(),
                    explanation,
                });
            }
        }
    }
    Ok(out)
}

/// The input digests stored with a confirmed settlement, per child (none for
/// months confirmed before digests were kept: all their children are settled again).
fn stored_digests(conn: &Conn, settlement_id: i64) -> Result<HashMap<i64, i64>> {
    let mut stmt = conn.prepare_cached("SELECT child_id, digest FROM settlement_inputs WHERE settlement_id = ?1")?;
    let rows = stmt.query_map([settlement_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn stored_adjustments(conn: &Conn, settlement_id: i64) -> Result<Vec<Adjustment>> {
    let mut stmt = conn.prepare(
        "SELECT a.origin_month, a.child_id, ch.name, a.fee_id, a.fee_name, a.amount_fen, a.explanation
         FROM adjustments a JOIN children ch ON ch.id = a.child_id WHERE a.settlement_id = ?1 ORDER BY a.id",
    )?;
    let rows = stmt.query_map([settlement_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, ChildId>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            Fen(r.get(5)?),
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (origin, child_id, child_name, fee_id, fee_name, amount, explanation) = row?;
        let class = children::get(conn, child_id, None).map(|c| c.class_name).unwrap_or_default();
        out.push(Adjustment {
            origin_month: origin.parse()?,
            child_id,
            child_name,
            class,
            fee_id,
            fee_name,
            label: if amount.is_negative() { "补收" } else { "补退" }.into(),
            amount,
            explanation,
        });
    }
    Ok(out)
}

/// The month's settlement: the confirmed one if the month is closed (exactly
/// as it was stored when confirmed), otherwise a preview from today's data.
pub fn preview(conn: &Conn, month: YearMonth) -> Result<SettlementView> {
    let last_closed = last_closed_month(conn)?;
    if let Some(c) = confirmed(conn, month)? {
        let result = confirmed_result(conn, month, c.id)?;
        let adjustments = stored_adjustments(conn, c.id)?;
        // What today's attendance would change, kept apart from `result`.
        let sources = Sources::load(conn, month, month)?;
        let pending_corrections = pending_adjustments(conn, &sources, &[month])?;
        return Ok(SettlementView {
            month,
            status: SettlementStatus::Closed,
            rules_from: month,
            fees: c.fees,
            adjustment_total: adjustments.iter().map(|a| a.amount).sum(),
            result,
            adjustments,
            revision: Some(c.revision),
            confirmed_at: Some(c.confirmed_at),
            confirmed_by: Some(c.confirmed_by),
            last_closed,
            pending_corrections,
            corrections_go_to: last_closed.map(YearMonth::next),
        });
    }
    let rules = rules_for(conn, month)?
        .ok_or_else(|| Error::invalid(format!("{} 没有生效的收费规则,请先在“设置 → 收费项目”中设置", month.label())))?;
    let closed = closed_months_before(conn, month)?;
    let sources = Sources::load(conn, closed.first().copied().unwrap_or(month), month)?;
    let result = sources.settle(conn, month, &rules.fees)?;
    let adjustments = pending_adjustments(conn, &sources, &closed)?;
    Ok(SettlementView {
        month,
        status: SettlementStatus::Open,
        rules_from: rules.effective_from,
        fees: rules.fees,
        adjustment_total: adjustments.iter().map(|a| a.amount).sum(),
        result,
        adjustments,
        revision: None,
        confirmed_at: None,
        confirmed_by: None,
        last_closed,
        pending_corrections: Vec::new(),
        corrections_go_to: None,
    })
}

/// The confirmed result of a closed month, as stored when it was confirmed:
/// the record every view of the month shows (rows, explanations, class, item
/// and school totals). It is never settled again with today's data — an
/// earlier version did, patched only the children's amounts, and the item and
/// class totals then disagreed with the rows after a correction.
fn confirmed_result(conn: &Conn, month: YearMonth, settlement_id: i64) -> Result<SettlementResult> {
    let json: String = conn.value("SELECT result_json FROM settlements WHERE id = ?1", &crate::args![settlement_id])?;
    serde_json::from_str(&json).map_err(|e| {
        Error::invalid(format!("{} 的结账记录无法读取({e}),数据文件可能已损坏,请从备份恢复", month.label()))
    })
}

/// Confirms (closes) a month: stores the settlement, its items and the
/// adjustments it carries, in one transaction. Only a month after the last
/// closed one, and not in the future.
pub fn confirm(db: &mut Db, month: YearMonth) -> Result<SettlementView> {
    let today = today();
    db.write(crate::auth::Job::Fees, |tx| confirm_in_tx(tx, month, today))?;
    preview(db.conn(), month)
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

/// [`confirm`] inside an open transaction (the demo closes past months this way).
pub fn confirm_in_tx(tx: &Tx, month: YearMonth, today: chrono::NaiveDate) -> Result<()> {
    check_can_confirm(tx, month, today)?;
    let view = preview(tx, month)?;
    let revision: i64 = tx.query_row(
        "SELECT COALESCE(MAX(revision), 0) + 1 FROM settlements WHERE month = ?1",
        [month.to_string()],
        |r| r.get(0),
    )?;
    let rules_json = serde_json::to_string(&view.fees).map_err(|e| Error::invalid(e.to_string()))?;
    let result_json = serde_json::to_string(&view.result).map_err(|e| Error::invalid(e.to_string()))?;
    tx.execute(
        "INSERT INTO settlements (month, revision, status, rules_json, result_json, charged_fen, refund_fen,
           adjustment_fen, confirmed_at, confirmed_by) VALUES (?1, ?2, 'closed', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            month.to_string(),
            revision,
            rules_json,
            result_json,
            view.result.charged.0,
            view.result.refund.0,
            view.adjustment_total.0,
            now(),
            tx.operator()
        ],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut item = tx.prepare(
            "INSERT INTO settlement_items (settlement_id, child_id, fee_id, fee_name, charged_fen, refund_fen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for ch in &view.result.children {
            let child_id: i64 =
                ch.child_id.parse().map_err(|_| Error::invalid(format!("幼儿编号无效:{}", ch.child_id)))?;
            for f in &ch.fees {
                item.execute(rusqlite::params![id, child_id, f.fee_id, f.fee_name, f.charged.0, f.refund.0])?;
            }
        }
        let mut adj = tx.prepare(
            "INSERT INTO adjustments (settlement_id, origin_month, child_id, fee_id, fee_name, amount_fen, explanation)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for a in &view.adjustments {
            adj.execute(rusqlite::params![
                id,
                a.origin_month.to_string(),
                a.child_id,
                a.fee_id,
                a.fee_name,
                a.amount.0,
                a.explanation
            ])?;
        }
    }
    {
        let sources = Sources::load(tx, month, month)?;
        let mut input =
            tx.prepare("INSERT INTO settlement_inputs (settlement_id, child_id, digest) VALUES (?1, ?2, ?3)")?;
        let month_digest = sources.month_digest(month);
        for kid in sources.enrolled_in(month) {
            input.execute(rusqlite::params![id, kid.0, sources.digest(&month_digest, kid, month)])?;
        }
    }
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
    let first_rules: Option<String> =
        conn.query_row("SELECT MIN(effective_from) FROM fee_rule_versions", [], |r| r.get(0))?;
    let Some(first_rules) = first_rules else { return Ok(None) };
    let closed = closed_months_before(conn, month)?;
    let calendar = crate::school::calendar::load(conn)?;
    let mut m: YearMonth = first_rules.parse()?;
    while m < month {
        if !closed.contains(&m)
            && m.days().any(|d| calendar.is_school_day(d))
            && !enrolled_children(conn, m)?.is_empty()
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
/// with it; confirming it again stores a new revision.
pub fn reopen(db: &mut Db, month: YearMonth, reason: &str) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("重新打开已结账的月份必须填写原因"));
    }
    crate::text::Field::note("原因").check(reason).map_err(Error::Invalid)?;
    let Some(c) = confirmed(db.conn(), month)? else {
        return Err(Error::invalid(format!("{} 尚未结账,无需重新打开", month.label())));
    };
    if let Some(latest) = last_closed_month(db.conn())? {
        if latest > month {
            return Err(Error::conflict(format!(
                "只能重新打开最近结账的月份({});请先重新打开 {}",
                latest.label(),
                latest.label()
            )));
        }
    }
    db.write(crate::auth::Job::ReopenMonth, |tx| {
        tx.execute(
            "UPDATE settlements SET status = 'reopened', reopened_at = ?1, reopened_by = ?2, reopen_reason = ?3
             WHERE id = ?4",
            rusqlite::params![now(), tx.operator(), reason, c.id],
        )?;
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
    Ok(confirmed(conn, month)?.is_some())
}
