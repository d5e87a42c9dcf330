//! The demo kitchen: a two-week rotating menu (两餐一点) on every day of the
//! term up to today the children are in school (not on the storm closure),
//! samples of every dish before today, discarded on the first such day after
//! their 48 hours — with a few things left for the user to find:
//!
//! - today's menu is there but nothing is sampled yet (enter it);
//! - three dishes in the last seven days were not sampled (the check shows them);
//! - samples from the last school days are still in the fridge, some of them
//!   past their 48 hours (the discard list shows them);
//! - fridge readings twice a day on every day the fridge holds samples,
//!   weekends and the closure included (one out of range, with its action and
//!   a re-check), a disinfection after every lunch, and the 晨检 of the three
//!   kitchen staff every morning (one day a cook with a fever was sent home,
//!   and someone else sampled and washed up that day).
//!
//! Apart from what is listed above, the records pass every check of
//! [`crate::kitchen::checks`]: the demo obeys the rules the app enforces.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::names::DemoRng;
use crate::calendar::SchoolCalendar;
use crate::db::Tx;
use crate::kitchen::logs::{self, Disinfection, FridgeReading, Hands, HealthCheck, Method};
use crate::kitchen::samples;
use crate::kitchen::{in_session, settings, Celsius, Grams, Meal};
use crate::Result;

/// Breakfast, lunch and afternoon snack for ten school days, then again.
const MENUS: [[&[&str]; 3]; 10] = [
    [&["小米南瓜粥", "鸡蛋饼"], &["米饭", "番茄炒蛋", "红烧鸡翅", "紫菜蛋花汤"], &["香蕉", "小蛋糕"]],
    [&["牛奶", "肉松面包", "煮鸡蛋"], &["二米饭", "土豆烧牛肉", "蒜蓉油麦菜", "冬瓜排骨汤"], &["苹果"]],
    [&["八宝粥", "菜肉包"], &["米饭", "清蒸鲈鱼", "木耳炒山药", "西红柿豆腐汤"], &["酸奶", "葡萄干"]],
    [&["豆浆", "葱油花卷", "鹌鹑蛋"], &["米饭", "糖醋里脊", "香菇青菜", "玉米排骨汤"], &["橙子", "全麦饼干"]],
    [&["皮蛋瘦肉粥", "红糖馒头"], &["鸡蛋炒饭", "鱼丸汤", "清炒西兰花"], &["梨"]],
    [&["牛奶燕麦粥", "蒸红薯"], &["米饭", "咖喱鸡块", "醋溜白菜", "丝瓜蛋汤"], &["猕猴桃", "南瓜饼"]],
    [&["鸡蛋面条", "小笼包"], &["米饭", "红烧带鱼", "胡萝卜炒肉丝", "菠菜猪肝汤"], &["西瓜"]],
    [&["红豆粥", "奶黄包", "煮鸡蛋"], &["二米饭", "宫保鸡丁", "清炒土豆丝", "海带排骨汤"], &["酸奶", "小饼干"]],
    [&["豆浆", "三鲜烧卖"], &["米饭", "虾仁炒蛋", "蚝油生菜", "山药鸡汤"], &["苹果", "枣泥糕"]],
    [&["青菜瘦肉粥", "发糕"], &["什锦炒面", "紫菜虾皮汤", "凉拌黄瓜"], &["香蕉"]],
];

const SAMPLERS: [&str; 2] = ["周师傅", "吴师傅"];
const KITCHEN_STAFF: [&str; 3] = ["周师傅", "吴师傅", "郑师傅"];
/// The cook with a fever on the fever day (sent home: neither samples nor washes up).
const SENT_HOME: &str = KITCHEN_STAFF[1];
/// Who reads the fridge on a day the children are away.
const ON_DUTY: &str = "郑师傅";

fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
}

/// Fills the kitchen of the demo school for the term around `today`.
pub fn fill(tx: &Tx, today: NaiveDate, cal: &SchoolCalendar) -> Result<()> {
    let mut rng = DemoRng::new(0x006b_6974_6368_656e); // "kitchen"
    let s = settings::get(tx)?;
    let term = super::term_of(today);
    let last = today.min(term.end);
    let days: Vec<NaiveDate> =
        term.start.iter_days().take_while(|d| *d <= last).filter(|d| in_session(cal, *d)).collect();
    if days.is_empty() {
        return Ok(());
    }
    let past: Vec<NaiveDate> = days.iter().copied().filter(|d| *d < today).collect();
    // The most recent school day before today, and a few dishes never sampled.
    let latest = past.last().copied();
    let recent: Vec<NaiveDate> = past.iter().rev().copied().filter(|d| *d >= today - Duration::days(7)).collect();
    let mut skipped: Vec<(NaiveDate, Meal, usize)> = Vec::new();
    if let Some(d) = recent.get(1) {
        skipped.push((*d, Meal::AfternoonSnack, 1));
    }
    if let Some(d) = recent.get(3).or(recent.last()) {
        skipped.push((*d, Meal::Lunch, 3));
        skipped.push((*d, Meal::Breakfast, 0));
    }
    // One older gap, so the month's printed log has a 未留样 row too.
    if let Some(d) = past.get(past.len().saturating_sub(25)) {
        if !skipped.iter().any(|x| x.0 == *d) {
            skipped.push((*d, Meal::Lunch, 2));
        }
    }

    let out_of_range_day = past.get(past.len().saturating_sub(9)).copied();
    let fever_day = past.get(past.len().saturating_sub(14)).copied();
    let fridge = s.fridges.first().cloned().unwrap_or_else(|| "留样冰箱".into());

    // The days each sample spends in the fridge (stored, discarded or still there).
    let mut in_fridge: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
    for (i, d) in days.iter().copied().enumerate() {
        let menu = &MENUS[i % MENUS.len()];
        for (meal, dishes) in [Meal::Breakfast, Meal::Lunch, Meal::AfternoonSnack].into_iter().zip(menu.iter()) {
            let dishes: Vec<String> = dishes.iter().map(|x| x.to_string()).collect();
            samples::write_menu(tx, d, meal, &[], &dishes)?;
            if d >= today {
                continue;
            }
            let stored = d.and_time(meal.usual_time()) + Duration::minutes(rng.below(20) as i64);
            let sampler = if rng.chance(75) { SAMPLERS[0] } else { SAMPLERS[1] };
            let sampler = if Some(d) == fever_day && sampler == SENT_HOME { SAMPLERS[0] } else { sampler };
            for (k, dish) in dishes.iter().enumerate() {
                if skipped.contains(&(d, meal, k)) {
                    continue;
                }
                let weight = Grams(1250 + rng.below(600) as i64 / 5 * 5);
                let id = samples::insert_sample(tx, d, meal, dish, weight, stored, sampler, &fridge)?;
                // Discarded on the first school day on or after the due time,
                // after lunch; the last batch of 午点 was forgotten (still due).
                let due = stored + s.retention();
                let Some(day) = due.date().iter_days().take(30).find(|x| in_session(cal, *x)) else {
                    in_fridge.push((d, None));
                    continue;
                };
                let when = at(day, 13, 30).max(due + Duration::minutes(30));
                let forgotten = Some(day) == latest && meal == Meal::AfternoonSnack;
                if day < today && !forgotten {
                    samples::discard_in_tx(tx, id, when, if rng.chance(70) { "周师傅" } else { "郑师傅" })?;
                    in_fridge.push((d, Some(when.date())));
                } else {
                    in_fridge.push((d, None));
                }
            }
        }
    }
    // The fridge is read on every day before today it holds samples, and on
    // every day the kitchen cooks; the other logs only on those days.
    let Some(first) = days.first().copied() else {
        return Ok(());
    };
    for d in first.iter_days().take_while(|d| *d < today) {
        let cooking = days.binary_search(&d).is_ok();
        let held = in_fridge.iter().any(|(from, to)| *from <= d && to.is_none_or(|to| to >= d));
        if cooking || held {
            let person = if cooking { "周师傅" } else { ON_DUTY };
            fridge_readings(tx, &mut rng, d, &fridge, person, s.fridge_checks_per_day, Some(d) == out_of_range_day)?;
        }
        if cooking {
            daily_logs(tx, &mut rng, d, Some(d) == fever_day)?;
        }
    }
    Ok(())
}

/// A day's `n` fridge readings from morning to late afternoon; on the `warm`
/// day the last one is out of range, with its action, and re-checked.
fn fridge_readings(
    tx: &Tx,
    rng: &mut DemoRng,
    d: NaiveDate,
    fridge: &str,
    person: &str,
    n: u32,
    warm: bool,
) -> Result<()> {
    let hm = |t: NaiveDateTime| t.format("%H:%M").to_string();
    let reading = |time: NaiveDateTime, temp: i64, action: &str| FridgeReading {
        id: 0,
        date: d,
        time: hm(time),
        fridge: fridge.to_string(),
        temp: Celsius(temp),
        out_of_range: !(0..=80).contains(&temp),
        action: action.to_string(),
        person: person.into(),
    };
    // Spread over 07:50–16:30, a few minutes late each time.
    let n = n.max(1);
    let span = 8 * 60 + 30;
    for k in 0..n {
        let minute = if n == 1 { 0 } else { span * k / (n - 1) };
        let time = at(d, 7, 50) + Duration::minutes(i64::from(minute)) + Duration::minutes(rng.below(10) as i64);
        if warm && k + 1 == n {
            logs::insert_reading(tx, &reading(at(d, 16, 30), 86, "门未关严,已关好并调低温控,一小时后复测"))?;
            logs::insert_reading(tx, &reading(at(d, 17, 30), 42, ""))?;
        } else {
            logs::insert_reading(tx, &reading(time, 20 + rng.below(35) as i64, ""))?;
        }
    }
    Ok(())
}

/// One school day's disinfections and morning checks.
fn daily_logs(tx: &Tx, rng: &mut DemoRng, d: NaiveDate, fever: bool) -> Result<()> {
    let hm = |t: NaiveDateTime| t.format("%H:%M").to_string();

    let disinfect =
        |time: NaiveDateTime, method: Method, items: &str, intensity: u32, minutes: u32, person: &str| Disinfection {
            id: 0,
            date: d,
            time: hm(time),
            method,
            method_label: method.label(),
            items: items.into(),
            intensity,
            unit: method.unit(),
            minutes,
            person: person.into(),
        };
    let cook = KITCHEN_STAFF[1 + rng.below(2)];
    let cook = if fever && cook == SENT_HOME { KITCHEN_STAFF[2] } else { cook };
    logs::insert_disinfection(
        tx,
        &disinfect(
            at(d, 12, 40 + rng.below(15) as u32),
            Method::Steam,
            "碗、勺、餐盘",
            100,
            15 + 5 * rng.below(2) as u32,
            cook,
        ),
    )?;
    if rng.chance(30) {
        logs::insert_disinfection(tx, &disinfect(at(d, 15, 50), Method::Infrared, "水杯、点心盘", 120, 20, cook))?;
    }
    if d.format("%u").to_string() == "5" {
        logs::insert_disinfection(
            tx,
            &disinfect(at(d, 16, 0), Method::Chlorine, "餐桌、砧板、抹布", 250, 10, "郑师傅"),
        )?;
    }

    for (k, staff) in KITCHEN_STAFF.iter().enumerate() {
        let sick = fever && *staff == SENT_HOME;
        let temp = if sick { Celsius(376) } else { Celsius(361 + rng.below(7) as i64) };
        logs::insert_health_check(
            tx,
            &HealthCheck {
                id: 0,
                date: d,
                time: Some(format!("07:{:02}", 20 + 3 * k)),
                staff: staff.to_string(),
                temp,
                hands: Some(Hands::Normal),
                hands_label: Hands::Normal.label(),
                symptoms: if sick { vec!["发热".into()] } else { vec![] },
                fit: !sick,
                note: if sick { "离岗休息,次日复查".into() } else { String::new() },
                checker: "孙医生".into(),
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::kitchen::samples::{fridge_contents, recent_missing};

    #[test]
    fn the_demo_kitchen_has_history_gaps_and_samples_due() {
        let mut db = Db::open_scratch().expect("db");
        let today: NaiveDate = "2026-11-25".parse().expect("date"); // a Wednesday
        db.with_tx(|tx| fill(tx, today, &SchoolCalendar::national())).expect("demo kitchen");
        let conn = db.conn();
        let now = at(today, 9, 0);
        let r = recent_missing(conn, today, 7).expect("missing");
        assert!(r.missing_samples >= 3 + r.missing_today, "{r:?}");
        assert!(r.missing_today > 0, "today's menu is there, unsampled");
        let c = fridge_contents(conn, now).expect("fridge");
        assert!(!c.due.is_empty(), "some samples are due for discard");
        assert!(!c.keeping.is_empty(), "yesterday's samples are still kept");
        assert!(c.due.iter().chain(&c.keeping).all(|x| x.date < today));
        let month = crate::dates::YearMonth::of(today);
        let tallies = samples::tally(conn, month.first_day(), today).expect("tally");
        assert!(tallies.iter().filter(|t| t.date < today).all(|t| t.meals_without_menu.is_empty()));
        let logs = logs::daily_status(conn, today - Duration::days(1)).expect("logs");
        assert!(logs.missing.is_empty(), "{:?}", logs.missing);
        // No discard before its time, none in the future.
        let all = samples::samples_between(conn, month.first_day() - Duration::days(90), today).expect("all");
        assert!(all.iter().filter_map(|x| x.discarded_at.map(|t| (t, x.due_at))).all(|(t, due)| t >= due && t < now));
    }

    /// The demo's storm closure had a full day of samples, disinfections and
    /// 晨检, and the cook sent home with a fever had sampled that morning's
    /// breakfast; the fridge was read only on school days while it held
    /// samples over every weekend. Now the demo passes every check but the
    /// samples it leaves due for discard.
    #[test]
    fn the_demo_kitchen_obeys_the_calendar_and_the_morning_check() {
        let mut db = Db::open_scratch().expect("db");
        let today: NaiveDate = "2026-11-25".parse().expect("date"); // a Wednesday
        let storm: NaiveDate = "2026-11-12".parse().expect("date"); // a Thursday
        let c = crate::calendar::Closure {
            from: storm, to: storm, reason: "暴雨红色预警停课".into(), charged: true
        };
        crate::school::calendar::add_closure(&mut db, &c).expect("closure");
        let cal = crate::school::calendar::load(db.conn()).expect("calendar");
        db.with_tx(|tx| fill(tx, today, &cal)).expect("demo kitchen");
        let conn = db.conn();
        let term_start = super::super::term_of(today).start;

        // The storm day: nothing cooked, nothing checked, the fridge read (it held samples).
        assert!(samples::menus_between(conn, storm, storm).expect("menu").is_empty());
        assert!(samples::samples_between(conn, storm, storm).expect("samples").is_empty());
        let st = logs::daily_status(conn, storm).expect("storm day");
        assert!(st.disinfections.is_empty() && st.health_checks.is_empty());
        assert!(!st.school_day && st.missing.is_empty(), "{:?}", st.missing);
        assert_eq!(st.readings.len(), 2);

        // The fever day: someone else sampled and discarded.
        let sent_home: Vec<_> =
            logs::health_checks(conn, term_start, today).expect("checks").into_iter().filter(|c| !c.fit).collect();
        assert_eq!(sent_home.len(), 1);
        assert!(sent_home[0].why_unfit().contains("发热"));
        let that_day = samples::samples_between(conn, sent_home[0].date, sent_home[0].date).expect("samples");
        assert!(!that_day.is_empty() && that_day.iter().all(|x| x.sampler != sent_home[0].staff));

        // Every check passes but the samples due for discard, planted on purpose.
        let now = at(today, 9, 0);
        let flags = crate::kitchen::checks::flags(conn, term_start, today, now).expect("flags");
        let other: Vec<_> =
            flags.iter().filter(|f| f.kind != crate::kitchen::checks::FlagKind::SampleOverdue).collect();
        assert!(other.is_empty(), "{other:?}");
        assert!(!flags.is_empty(), "the samples left due for discard are flagged");
        // Every day of the term before today the fridge held samples was read, weekends too.
        let weekend: NaiveDate = "2026-11-22".parse().expect("date");
        assert_eq!(logs::readings(conn, weekend, weekend).expect("readings").len(), 2);
    }
}
