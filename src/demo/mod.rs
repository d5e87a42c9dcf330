//! The demo school (演示幼儿园): a realistic kindergarten a new user can try
//! every screen and printout on. Everything is dated relative to `today`, so
//! the demo always shows the current term, last month and this month.
//!
//! Each job adds its own data here as it is built. Loading is one transaction
//! and only into an empty school.

pub mod assets;
pub mod kitchen;
pub mod meal_account;
pub mod names;
pub mod payments;
pub mod repairs;
pub mod supplies;
pub mod waivers;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::attendance::absences::{self, AbsenceChange};
use crate::calendar::{Closure, HolidayTable, SchoolCalendar};
use crate::dates::YearMonth;
use crate::db::{Db, Tx};
use crate::refund::LeaveKind;
use crate::school::children::{self, ChildDetails, NewChild};
use crate::school::classes::{self, ClassInput};
use crate::school::profile::{self, Ownership, SchoolProfile};
use crate::school::staff::{self, StaffInput};
use crate::school::{calendar, ChildId, ClassId, Gender, Grade};
use crate::{Error, Result};
use names::DemoRng;

/// What the demo put in, for the message the user sees.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DemoSummary {
    pub classes: usize,
    /// Every child on the roll, those who have left included.
    pub children: usize,
    /// Children enrolled today (what the home screen counts as 在园).
    pub enrolled_today: usize,
    pub staff: usize,
    pub closures: usize,
    /// Months already settled (closed).
    pub settled_months: usize,
    /// Absence ranges recorded over the term so far.
    pub absences: usize,
    /// Notices recorded as printed (closed months before the newest).
    pub notices_issued: usize,
    /// Payments and refunds recorded against them.
    pub payments: usize,
    /// Waivers and subsidies (减免、资助) granted.
    pub waivers: usize,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
}

/// A school term (学期) around a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The September the school year began (a 2026 autumn term → 2026).
    pub school_year: i32,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The term `today` falls in, or the one just ended during a break.
/// Autumn: 1 Sep – 20 Jan; spring: 24 Feb – 15 Jul (typical kindergarten dates).
pub fn term_of(today: NaiveDate) -> Term {
    let (y, m) = (today.year(), today.month());
    if m >= 9 {
        Term { start: ymd(y, 9, 1), end: ymd(y + 1, 1, 20), school_year: y }
    } else if m == 1 || (m == 2 && today < ymd(y, 2, 24)) {
        Term { start: ymd(y - 1, 9, 1), end: ymd(y, 1, 20), school_year: y - 1 }
    } else {
        Term { start: ymd(y, 2, 24), end: ymd(y, 7, 15), school_year: y - 1 }
    }
}

/// Where the demo's money history begins: the start of the term last month
/// fell in, or of this term if that is earlier. Last month is the one left
/// open for the user to settle, so it must have fee rules and absences even
/// when today is early in a term (in March last month is February, mostly
/// winter break; in September it is August, all summer break).
pub fn history_start(today: NaiveDate) -> NaiveDate {
    let last_month = YearMonth::of(today).prev();
    term_of(last_month.first_day()).start.min(term_of(today).start)
}

struct DemoClass {
    name: &'static str,
    grade: Grade,
    /// Years in the school before this school year (大班 started two years ago).
    years_in: i32,
}

const CLASSES: &[DemoClass] = &[
    DemoClass { name: "小一班", grade: Grade::Junior, years_in: 0 },
    DemoClass { name: "小二班", grade: Grade::Junior, years_in: 0 },
    DemoClass { name: "中一班", grade: Grade::Middle, years_in: 1 },
    DemoClass { name: "中二班", grade: Grade::Middle, years_in: 1 },
    DemoClass { name: "大一班", grade: Grade::Senior, years_in: 2 },
    DemoClass { name: "大二班", grade: Grade::Senior, years_in: 2 },
];

const CHILDREN_PER_CLASS: usize = 15;

/// Fills an empty school with the demo. Refuses if any class or child exists.
/// The emptiness check is read inside the transaction that fills: another PC
/// adding a class meanwhile is seen, not overwritten with the demo.
pub fn load(db: &mut Db, today: NaiveDate) -> Result<DemoSummary> {
    db.write(crate::auth::Job::Maintenance, |tx| {
        let existing = (crate::store::classes::count(tx)?, crate::store::children::count(tx)?);
        if existing != (0, 0) {
            return Err(Error::conflict(format!(
                "演示数据只能载入到空的学校:当前已有 {} 个班级、{} 名幼儿。请使用新的数据库文件。",
                existing.0, existing.1
            )));
        }
        let before = profile::get(tx)?;
        fill(tx, today, before)
    })
}

/// What the demo's 收费公示 prints beside the rules: a basis for each fee
/// item and the waivers a family can apply for.
fn fee_list_settings(tx: &Tx, fees: &[crate::refund::FeeItem]) -> Result<()> {
    use crate::fee_list::settings as s;
    let basis: std::collections::BTreeMap<&str, &str> = fees
        .iter()
        .map(|f| {
            let text = if f.id == "meal" {
                "按成本收取,专款专用(杭教计〔2023〕8号)"
            } else {
                "杭发改价格〔2024〕35号"
            };
            (f.id.as_str(), text)
        })
        .collect();
    let json = serde_json::to_string(&basis).map_err(|e| crate::Error::invalid(e.to_string()))?;
    crate::settings::set_in_tx(tx, s::KEY_BASIS, Some(&json))?;
    crate::settings::set_in_tx(
        tx,
        s::KEY_WAIVERS,
        Some("申请请带有关证明到财务室办理,经园长批准后从批准的月份起减免;资助按区教育局规定每学期公示。"),
    )?;
    Ok(())
}

fn fill(tx: &Tx, today: NaiveDate, before: Option<SchoolProfile>) -> Result<DemoSummary> {
    let mut rng = DemoRng::new(0x484f_5551_494e); // "HOUQIN"
    let term = term_of(today);
    profile::save_in_tx(
        tx,
        &SchoolProfile {
            name: "阳光幼儿园".into(),
            campus: "本部".into(),
            address: "杭州市西湖区文三路 118 号".into(),
            phone: "0571-88886666".into(),
            bursar_name: "李会计".into(),
            head_name: "王园长".into(),
            ownership: Ownership::Public,
        },
        before,
    )?;

    let mut staff_count = 0;
    for (name, role) in [
        ("王园长", "园长"),
        ("李会计", "会计"),
        ("赵出纳", "出纳"),
        ("孙医生", "保健医"),
        ("周师傅", "食堂管理员"),
        ("吴师傅", "厨师"),
        ("郑师傅", "厨师"),
        ("钱保管", "资产管理员"),
    ] {
        staff::insert_in_tx(tx, &StaffInput { name: name.into(), role: role.into(), phone: names::phone(&mut rng) })?;
        staff_count += 1;
    }

    let mut class_ids: Vec<(ClassId, &DemoClass)> = Vec::new();
    for c in CLASSES {
        let teacher = names::adult_name(&mut rng, None);
        staff::insert_in_tx(
            tx,
            &StaffInput { name: teacher.clone(), role: format!("{}班主任", c.name), phone: names::phone(&mut rng) },
        )?;
        let assistant = names::adult_name(&mut rng, None);
        staff::insert_in_tx(
            tx,
            &StaffInput { name: assistant, role: format!("{}保育员", c.name), phone: names::phone(&mut rng) },
        )?;
        staff_count += 2;
        let id = classes::insert_in_tx(tx, &ClassInput { name: c.name.into(), grade: c.grade, head_teacher: teacher })?;
        class_ids.push((id, c));
    }

    // The breaks around this term, and one unplanned closure last month.
    let this_month = YearMonth::of(today);
    let last_month = this_month.prev();
    let mut closures = vec![
        Closure {
            from: term.end + Duration::days(1),
            to: next_term_start(term) - Duration::days(1),
            reason: break_name(term).into(),
            charged: false,
        },
        Closure {
            from: previous_break(term).0,
            to: term.start - Duration::days(1),
            reason: previous_break(term).1.into(),
            charged: false,
        },
    ];
    // The closure falls on last month's eighth school day, or this month's if
    // last month was mostly a break.
    let cal = SchoolCalendar::new(HolidayTable::with_overrides(&[]), closures.clone());
    let eighth_school_day = |m: YearMonth| m.days().filter(|d| cal.is_school_day(*d)).nth(7);
    if let Some(storm) = eighth_school_day(last_month).or_else(|| eighth_school_day(this_month)) {
        closures.push(Closure { from: storm, to: storm, reason: "暴雨红色预警停课".into(), charged: true });
    }
    for c in &closures {
        calendar::insert_closure_in_tx(tx, c)?;
    }
    let cal = SchoolCalendar::new(HolidayTable::with_overrides(&[]), closures.clone());

    let history = history_start(today);
    let mut child_count = 0;
    let mut absence_count = 0;
    let mut first_ids = Vec::new();
    for (ci, (class_id, c)) in class_ids.iter().enumerate() {
        let entry_year = term.school_year - c.years_in;
        for k in 0..CHILDREN_PER_CLASS {
            let boy = rng.chance(52);
            let enrolled_on = ymd(entry_year, 9, 1);
            let (name, surname) = names::child_name(&mut rng, boy);
            // Born in the school year that makes them 3 at entry to 小班.
            let born = ymd(entry_year - 4, 9, 1) + Duration::days(rng.below(365) as i64);
            let details = ChildDetails {
                name,
                gender: if boy { Gender::Male } else { Gender::Female },
                birth_date: Some(born),
                student_no: format!("{}{:02}{:02}", entry_year, ci + 1, k + 1),
                guardian_name: names::adult_name(&mut rng, Some(&surname)),
                guardian_phone: names::phone(&mut rng),
                enrolled_on,
            };
            let id = children::insert_in_tx(tx, &NewChild { details, class_id: *class_id })?;
            if k == 0 {
                first_ids.push(id);
            } else {
                absence_count +=
                    demo_absences(tx, &mut rng, &cal, id, history.max(enrolled_on), today, (ci * 100 + k) % 37)?;
            }
            child_count += 1;
        }
    }

    // Some life in the register: a child who joined mid last month, one who left
    // mid last month, and one who changed class at the start of this month.
    let mid_last = last_month.first_day() + Duration::days(14);
    let late_joiner_class = class_ids[0].0;
    let (name, surname) = names::child_name(&mut rng, false);
    children::insert_in_tx(
        tx,
        &NewChild {
            details: ChildDetails {
                name,
                gender: Gender::Female,
                birth_date: Some(ymd(term.school_year - 4, 11, 3)),
                student_no: format!("{}0116", term.school_year),
                guardian_name: names::adult_name(&mut rng, Some(&surname)),
                guardian_phone: names::phone(&mut rng),
                enrolled_on: mid_last.max(term.start),
            },
            class_id: late_joiner_class,
        },
    )?;
    child_count += 1;
    if let Some(leaver) = first_ids.get(3) {
        crate::school::children::set_left_in_tx(tx, *leaver, Some(mid_last))?;
    }
    if let (Some(mover), Some((to, _))) = (first_ids.get(2), class_ids.get(3)) {
        let from = this_month.first_day();
        crate::school::children::move_class_in_tx(tx, *mover, *to, from)?;
    }

    // Fee rules from the start of the history; months before last month are
    // already settled, last month is left for the user to settle.
    let fees = demo_fees()?;
    let rules_from = YearMonth::of(history);
    crate::settlement::rules::save_rules_in_tx(tx, rules_from, &fees, "演示规则")?;
    fee_list_settings(tx, &fees)?;
    // Children who stay all term (not the mover or the leaver).
    let subsidised: Vec<ChildId> = [0, 1, 5].iter().filter_map(|i| first_ids.get(*i).copied()).collect();
    let waiver_count = waivers::fill(tx, &subsidised, rules_from, YearMonth::of(term.end))?;
    let mut closed = Vec::new();
    let mut m = rules_from;
    while m < last_month {
        crate::settlement::confirm_in_tx(tx, m, today)?;
        closed.push(m);
        m = m.next();
    }
    let settled = closed.len();
    let (notices_issued, payments_recorded) = payments::fill(tx, today, &closed)?;
    meal_account::fill(tx, today, &cal)?;
    kitchen::fill(tx, today, &cal)?;
    assets::fill(tx, today)?;
    supplies::fill(tx, today, &cal)?;
    repairs::fill(tx, today)?;

    Ok(DemoSummary {
        settled_months: settled,
        classes: class_ids.len(),
        children: child_count,
        enrolled_today: crate::school::children::count_enrolled(tx, today)?,
        staff: staff_count,
        closures: closures.len(),
        absences: absence_count,
        notices_issued,
        payments: payments_recorded,
        waivers: waiver_count,
        term_start: term.start,
        term_end: term.end,
    })
}

/// 伙食费 15 元/天 (refunded per day after 3 consecutive days, closures per day)
/// and 保教费 800 元/月 (whole month away 100%, attended ≤ half 50%).
pub fn demo_fees() -> Result<Vec<crate::refund::FeeItem>> {
    let all = crate::settlement::presets::presets()?;
    let pick = |key: &str| {
        all.iter()
            .find(|p| p.key == key)
            .map(|p| p.item.clone())
            .ok_or_else(|| Error::invalid(format!("缺少预设 {key}")))
    };
    Ok(vec![pick("meal_after_3_days")?, pick("care_tiers_100_50")?])
}

/// Absences for one child, from `since` to yesterday: the odd
/// sick day, colds of a few days, a personal day now and then. Two children
/// (by `slot`) get the long absences the refund rules are about: two weeks
/// off sick last month, and away the whole of last month.
fn demo_absences(
    tx: &Tx,
    rng: &mut DemoRng,
    cal: &SchoolCalendar,
    child: crate::school::ChildId,
    since: NaiveDate,
    today: NaiveDate,
    slot: usize,
) -> Result<usize> {
    let mut n = 0;
    let mut mark = |from: NaiveDate, to: NaiveDate, kind: LeaveKind| -> Result<()> {
        absences::apply_in_tx(tx, &AbsenceChange { child_id: child, from, to, kind: Some(kind), note: String::new() })?;
        n += 1;
        Ok(())
    };
    let last_month = YearMonth::of(today).prev();
    let long = match slot {
        1 => Some((last_month.first_day() + Duration::days(6), last_month.first_day() + Duration::days(19))),
        2 => Some((last_month.first_day(), last_month.last_day())),
        _ => None,
    };
    let school_days: Vec<NaiveDate> = since
        .iter_days()
        .take_while(|d| *d < today)
        .filter(|d| cal.is_school_day(*d) && !cal.day(*d).charged_closure)
        .collect();
    let mut i = 0;
    while i < school_days.len() {
        let day = school_days[i];
        if long.is_some_and(|(a, b)| day >= a && day <= b) {
            i += 1;
            continue;
        }
        let roll = rng.below(1000);
        if roll < 25 {
            let len = 1 + rng.below(5);
            let end = school_days[(i + len - 1).min(school_days.len() - 1)];
            if long.is_none_or(|(a, b)| end < a || day > b) {
                mark(day, end, LeaveKind::Sick)?;
            }
            i += len + 1;
        } else if roll < 35 {
            mark(day, day, LeaveKind::Personal)?;
            i += 2;
        } else {
            i += 1;
        }
    }
    if let Some((from, to)) = long {
        // Only if it falls on school days (last month may have been a break).
        if from >= since && to < today && school_days.iter().any(|d| (from..=to).contains(d)) {
            mark(from, to, LeaveKind::Sick)?;
        }
    }
    Ok(n)
}

fn next_term_start(term: Term) -> NaiveDate {
    if term.start.month() == 9 {
        ymd(term.start.year() + 1, 2, 24)
    } else {
        ymd(term.start.year(), 9, 1)
    }
}

fn break_name(term: Term) -> &'static str {
    if term.start.month() == 9 {
        "寒假"
    } else {
        "暑假"
    }
}

fn previous_break(term: Term) -> (NaiveDate, &'static str) {
    if term.start.month() == 9 {
        (ymd(term.start.year(), 7, 16), "暑假")
    } else {
        (ymd(term.start.year(), 1, 21), "寒假")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::school::children::ChildFilter;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn terms_follow_the_school_year() {
        assert_eq!(term_of(d("2026-11-22")).start, d("2026-09-01"));
        assert_eq!(term_of(d("2027-01-10")).start, d("2026-09-01"));
        assert_eq!(term_of(d("2027-02-10")).end, d("2027-01-20"));
        assert_eq!(term_of(d("2027-04-01")).start, d("2027-02-24"));
        assert_eq!(term_of(d("2027-04-01")).school_year, 2026);
    }

    #[test]
    fn demo_fills_an_empty_school_once() {
        let mut db = Db::open_scratch().expect("db");
        let today = d("2026-11-22");
        let s = load(&mut db, today).expect("demo");
        assert_eq!(s.classes, 6);
        assert_eq!(s.children, 91);
        let now = children::list(db.conn(), &ChildFilter { on: Some(today), ..Default::default() }).expect("list");
        assert_eq!(now.len(), 90, "one child left last month");
        assert_eq!(s.enrolled_today, now.len(), "the toast counts who is in school today, as the home screen");
        assert!(now.iter().all(|c| !c.class_name.is_empty()));
        let again = load(&mut db, today).expect_err("second load refused");
        assert!(again.to_string().contains("空的学校"));
        let cal = calendar::month(db.conn(), YearMonth::of(today).prev()).expect("cal");
        assert_eq!(cal.charged_closure_days.len(), 1, "the storm day last month");
        assert!(s.absences > 100, "a term of absences, got {}", s.absences);
        assert_eq!(s.settled_months, 1, "September closed, October left to settle");
        let oct = crate::settlement::preview(db.conn(), YearMonth::of(today).prev()).expect("settle last month");
        assert_eq!(oct.status, crate::settlement::SettlementStatus::Open);
        assert!(oct.result.refund.as_i64() > 0);
        let class = crate::school::classes::list(db.conn()).expect("classes")[4].id;
        let grid = crate::attendance::grid::month_grid(db.conn(), YearMonth::of(today).prev(), class).expect("grid");
        assert_eq!(grid.rows.len(), 15);
        let whole_month = grid.rows.iter().filter(|r| r.attended_days == 0).count();
        assert_eq!(whole_month, 1, "one child away the whole of last month");
        let expected: u32 = grid.rows.iter().map(|r| r.attended_days).sum();
        assert_eq!(grid.child_days, expected);
    }

    #[test]
    fn demo_works_in_every_month_of_the_year() {
        for m in 1..=12 {
            let mut db = Db::open_scratch().expect("db");
            let today = ymd(2026, m, 15);
            load(&mut db, today).unwrap_or_else(|e| panic!("month {m}: {e}"));
            // The demo kitchen obeys the calendar and the morning check (no
            // samples on the storm closure, nobody sent home at 晨检 samples,
            // the fridge read on every day it holds samples): the only flags
            // are the samples it leaves past their time on purpose.
            let term = term_of(today);
            let now = today.and_hms_opt(9, 0, 0).expect("time");
            let flags = crate::kitchen::checks::flags(db.conn(), term.start.min(today), today, now).expect("flags");
            let other: Vec<_> =
                flags.iter().filter(|f| f.kind != crate::kitchen::checks::FlagKind::SampleOverdue).collect();
            assert!(other.is_empty(), "month {m}: {other:?}");
        }
    }
}
