//! The kitchen's records read against each other and against the school
//! calendar, as a food-safety inspector reads them:
//!
//! - a sample on a day the children were not in school (weekend, holiday,
//!   closure) needs the 非在园日供餐 reason;
//! - nobody excluded at that day's 晨检 (不宜上岗) samples or discards;
//! - the fridge is read `fridge_checks_per_day` times on every day it holds
//!   samples (weekends and closures too), and on every day the kitchen cooks;
//! - a sample past its retention time is discarded.
//!
//! The writes refuse what they can see coming (a sampler excluded at 晨检, a
//! sample on an off day without its reason). What can only be seen afterwards
//! — a closure recorded after the morning's samples, a 晨检 entered after the
//! sample, a reading not taken, a sample left in the fridge — is a [`Flag`],
//! shown on screen and on the printed logs; each has a stable `code`.
//!
//! Deliberately out: the missing-sample check (every dish of every meal),
//! which is [`super::samples::missing`].

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::logs::{Disinfection, FridgeReading, HealthCheck};
use super::samples::{FoodSample, SampleId};
use super::settings::{self, KitchenSettings};
use super::{in_session, short_date, short_datetime, weekday_label};
use crate::calendar::SchoolCalendar;
use crate::store::{self, Conn};
use crate::Result;

/// What kind of problem a [`Flag`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// A sample on a day the children were not in school, without the 非在园日供餐 reason.
    OffDayWithoutReason,
    /// The sampler was excluded (不宜上岗) at that day's 晨检.
    UnfitSampler,
    /// The person who discarded was excluded at that day's 晨检.
    UnfitDiscarder,
    /// Fewer fridge readings than the settings ask, on a day the fridge had to be read.
    FridgeReadingsMissing,
    /// Past its retention time and not discarded.
    SampleOverdue,
}

impl FlagKind {
    /// The stable code (for scripts and the cross-module check).
    pub fn code(self) -> &'static str {
        match self {
            FlagKind::OffDayWithoutReason => "kitchen.off_day_without_reason",
            FlagKind::UnfitSampler => "kitchen.unfit_sampler",
            FlagKind::UnfitDiscarder => "kitchen.unfit_discarder",
            FlagKind::FridgeReadingsMissing => "kitchen.fridge_readings_missing",
            FlagKind::SampleOverdue => "kitchen.sample_overdue",
        }
    }

    /// A short title (a badge, a heading).
    pub fn title(self) -> &'static str {
        match self {
            FlagKind::OffDayWithoutReason => "非在园日留样未说明原因",
            FlagKind::UnfitSampler => "留样人晨检不宜上岗",
            FlagKind::UnfitDiscarder => "处理人晨检不宜上岗",
            FlagKind::FridgeReadingsMissing => "留样柜缺测温",
            FlagKind::SampleOverdue => "留样逾期未处理",
        }
    }
}

/// One problem found in the records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Flag {
    pub kind: FlagKind,
    pub code: &'static str,
    /// The kind in a few words (留样柜缺测温).
    pub title: &'static str,
    /// The day it concerns.
    pub date: NaiveDate,
    /// What is wrong, naming the day, the dish or the fridge.
    pub message: String,
    /// What to do about it.
    pub fix: String,
    /// The sample concerned, if any.
    pub sample: Option<SampleId>,
}

impl Flag {
    fn new(kind: FlagKind, date: NaiveDate, message: String, fix: &str, sample: Option<SampleId>) -> Flag {
        Flag { kind, code: kind.code(), title: kind.title(), date, message, fix: fix.to_string(), sample }
    }
}

/// A run of days the school calendar closes, as the logs mark it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosureMark {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// 停课 (an unplanned closure: the children stay home) or 放假 (a planned break).
    pub label: &'static str,
    pub reason: String,
}

impl ClosureMark {
    /// 11月8日 or 1月21日–1月31日.
    pub fn days(&self) -> String {
        if self.from == self.to {
            short_date(self.from)
        } else {
            format!("{}–{}", short_date(self.from), short_date(self.to))
        }
    }

    /// 停课:暴雨红色预警停课.
    pub fn text(&self) -> String {
        format!("{}:{}", self.label, self.reason)
    }
}

/// The closures of the calendar that fall on `from..=to`, clipped to it:
/// only those that close at least one working day (a closure over a weekend
/// changes nothing the logs show).
pub fn closure_marks(cal: &SchoolCalendar, from: NaiveDate, to: NaiveDate) -> Vec<ClosureMark> {
    let mut marks: Vec<ClosureMark> = cal
        .closures()
        .iter()
        .filter_map(|c| {
            let (a, b) = (c.from.max(from), c.to.min(to));
            let closes = a.iter_days().take_while(|d| *d <= b).any(|d| cal.is_legal_working_day(d));
            closes.then(|| ClosureMark {
                from: a,
                to: b,
                label: if c.charged { "停课" } else { "放假" },
                reason: c.reason.clone(),
            })
        })
        .collect();
    marks.sort_by_key(|m| (m.from, m.to));
    marks
}

/// The kitchen's records of a range of days and what they are checked
/// against, each read once (a query per day would be a round trip per day
/// on a server).
pub(crate) struct Records {
    pub s: KitchenSettings,
    pub cal: SchoolCalendar,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Every sample in a fridge on some day of the range (stored in it, or
    /// earlier and not discarded before it).
    pub samples: Vec<FoodSample>,
    pub readings: Vec<FridgeReading>,
    pub disinfections: Vec<Disinfection>,
    /// The checks of the range and of the days samples were discarded on.
    pub health: Vec<HealthCheck>,
    /// 非在园日供餐 reasons of the range.
    pub off_days: BTreeMap<NaiveDate, String>,
}

impl Records {
    pub fn load(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Records> {
        let s = settings::get(conn)?;
        let retention = s.retention();
        let samples: Vec<FoodSample> = store::kitchen::samples::held_between(conn, from, to)?
            .into_iter()
            .map(|x| FoodSample::new(x, retention))
            .collect();
        let last_discard = samples.iter().filter_map(|x| x.discarded_at.map(|t| t.date())).max();
        Ok(Records {
            cal: crate::school::calendar::load(conn)?,
            readings: store::kitchen::fridge_readings::between(conn, from, to)?,
            disinfections: store::kitchen::disinfections::between(conn, from, to)?,
            health: store::kitchen::health_checks::between(conn, from, last_discard.unwrap_or(to).max(to))?,
            off_days: store::kitchen::off_day_meals::between(conn, from, to)?,
            s,
            from,
            to,
            samples,
        })
    }

    /// The fridge a sample counts for: its own, or the first of the settings
    /// when it names none or one no longer there (readings can only be taken
    /// of the fridges in the settings).
    fn fridge_of<'a>(&'a self, x: &'a FoodSample) -> &'a str {
        if self.s.fridges.contains(&x.fridge) {
            &x.fridge
        } else {
            self.s.fridges.first().map(String::as_str).unwrap_or("")
        }
    }

    /// How many samples `fridge` held on `d` (a sample is in the fridge from
    /// the day it is stored to the day it is discarded, both included).
    pub fn held(&self, fridge: &str, d: NaiveDate) -> usize {
        self.samples
            .iter()
            .filter(|x| x.stored_at.date() <= d && x.discarded_at.is_none_or(|t| t.date() >= d))
            .filter(|x| self.fridge_of(x) == fridge)
            .count()
    }

    /// For each fridge that had to be read on `d` (the kitchen cooks that
    /// day, or the fridge holds samples): (fridge, readings taken, samples held).
    pub fn readings_due(&self, d: NaiveDate) -> Vec<(&str, usize, usize)> {
        let cooking = in_session(&self.cal, d);
        self.s
            .fridges
            .iter()
            .map(|f| (f.as_str(), self.held(f, d)))
            .filter(|(_, held)| cooking || *held > 0)
            .map(|(f, held)| (f, self.readings.iter().filter(|r| r.date == d && r.fridge == f).count(), held))
            .collect()
    }

    /// The 晨检 of `name` on `d` if it found them not fit.
    pub fn unfit(&self, name: &str, d: NaiveDate) -> Option<&HealthCheck> {
        self.health.iter().find(|c| c.date == d && !c.fit && c.staff == name)
    }

    /// The first of `people` (a name, or several: 张三、李四) excluded at `d`'s 晨检.
    pub fn unfit_among(&self, people: &str, d: NaiveDate) -> Option<&HealthCheck> {
        names(people).find_map(|n| self.unfit(n, d))
    }

    /// Samples of the range on days the children were not in school, with no reason recorded.
    fn off_day_flags(&self, out: &mut Vec<Flag>) {
        let mut days: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for x in self.samples.iter().filter(|x| self.in_range(x.date)) {
            if !in_session(&self.cal, x.date) && !self.off_days.contains_key(&x.date) {
                *days.entry(x.date).or_default() += 1;
            }
        }
        for (d, n) in days {
            let why = super::samples::off_day_reason(&self.cal, d).unwrap_or_default();
            out.push(Flag::new(
                FlagKind::OffDayWithoutReason,
                d,
                format!(
                    "{} {} 不是在园日({why}),却有 {n} 份留样,没有写明非在园日供餐的原因",
                    short_date(d),
                    weekday_label(d)
                ),
                "在「留样登记」这一天填写非在园日供餐的原因(命令行:houqin kitchen off-day --date 日期 --reason 原因)",
                None,
            ));
        }
    }

    /// Samples stored or discarded in the range by someone excluded at that day's 晨检.
    fn unfit_flags(&self, out: &mut Vec<Flag>) {
        for x in &self.samples {
            let d = x.stored_at.date();
            if self.in_range(d) {
                if let Some(c) = self.unfit_among(&x.sampler, d) {
                    out.push(Flag::new(
                        FlagKind::UnfitSampler,
                        d,
                        format!(
                            "{} {} {}由{}留样,{}当天晨检不宜上岗({})",
                            short_date(d),
                            x.meal_label,
                            x.dish,
                            x.sampler,
                            c.staff,
                            c.why_unfit()
                        ),
                        "查明实际留样人并在备注中说明;以后由晨检合格的人员留样",
                        Some(x.id),
                    ));
                }
            }
            let (Some(at), Some(by)) = (x.discarded_at, x.discarded_by.as_deref()) else {
                continue;
            };
            if self.in_range(at.date()) {
                if let Some(c) = self.unfit_among(by, at.date()) {
                    out.push(Flag::new(
                        FlagKind::UnfitDiscarder,
                        at.date(),
                        format!(
                            "{} {} {}的留样于 {} 由{}处理,{}当天晨检不宜上岗({})",
                            short_date(x.date),
                            x.meal_label,
                            x.dish,
                            short_datetime(at),
                            by,
                            c.staff,
                            c.why_unfit()
                        ),
                        "查明实际处理人并在备注中说明;以后由晨检合格的人员处理留样",
                        Some(x.id),
                    ));
                }
            }
        }
    }

    /// Days of the range before `today` with fewer readings than asked.
    fn fridge_flags(&self, today: NaiveDate, out: &mut Vec<Flag>) {
        let per_day = self.s.fridge_checks_per_day as usize;
        let mut d = self.from;
        while d <= self.to && d < today {
            for (fridge, n, held) in self.readings_due(d) {
                if n < per_day {
                    let why = if held > 0 { format!(",柜中有 {held} 份留样") } else { String::new() };
                    out.push(Flag::new(
                        FlagKind::FridgeReadingsMissing,
                        d,
                        format!("{} {} {fridge}测温 {n} 次,应测 {per_day} 次{why}", short_date(d), weekday_label(d)),
                        "留样柜中有留样的每一天(含周末、节假日、停课日)都要按设置的次数测温",
                        None,
                    ));
                }
            }
            d += Duration::days(1);
        }
    }

    /// Samples of the range still in the fridge past their time at `now`.
    fn overdue_flags(&self, now: NaiveDateTime, out: &mut Vec<Flag>) {
        for x in self.samples.iter().filter(|x| self.in_range(x.date)) {
            if x.discarded_at.is_none() && x.due_at <= now {
                out.push(Flag::new(
                    FlagKind::SampleOverdue,
                    x.date,
                    format!(
                        "{} {} {}的留样 {} 已到期,至今未处理",
                        short_date(x.date),
                        x.meal_label,
                        x.dish,
                        short_datetime(x.due_at)
                    ),
                    "在「到期处理」中登记处理时间和处理人",
                    Some(x.id),
                ));
            }
        }
    }

    fn in_range(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// The flags that do not depend on the clock: off days without a reason
    /// and people excluded at 晨检 who sampled or discarded.
    pub fn record_flags(&self) -> Vec<Flag> {
        let mut out = Vec::new();
        self.off_day_flags(&mut out);
        self.unfit_flags(&mut out);
        sorted(out)
    }

    /// Every flag of the range at `now`: fridge readings are asked of the
    /// days before today (today is not over), overdue samples at `now`.
    pub fn flags(&self, now: NaiveDateTime) -> Vec<Flag> {
        let mut out = self.record_flags();
        self.fridge_flags(now.date(), &mut out);
        self.overdue_flags(now, &mut out);
        sorted(out)
    }
}

fn sorted(mut flags: Vec<Flag>) -> Vec<Flag> {
    flags.sort_by_key(|f| (f.date, f.kind, f.sample));
    flags
}

/// The people named in a sampler or discarder field (several share a duty: 张三、李四).
pub(crate) fn names(people: &str) -> impl Iterator<Item = &str> {
    people.split(['、', ',', '，', '/', ' ', '\u{3000}']).map(str::trim).filter(|n| !n.is_empty())
}

/// Every flag of the days `from..=to` at `now`, in date order.
pub fn flags(conn: &Conn, from: NaiveDate, to: NaiveDate, now: NaiveDateTime) -> Result<Vec<Flag>> {
    Ok(Records::load(conn, from, to)?.flags(now))
}

/// The flags of today and the `days` days before it (the screens' check).
pub fn recent_flags(conn: &Conn, now: NaiveDateTime, days: i64) -> Result<Vec<Flag>> {
    let today = now.date();
    flags(conn, today - Duration::days(days), today, now)
}
