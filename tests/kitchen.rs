//! 食品留样 and the kitchen's daily logs, through the public API on an
//! in-memory database with fixed clocks: the 125 g and 48 h rules at their
//! edges, every refusal (Chinese message, nothing saved), the menu on a
//! non-school day, copying last week's menu, discard, the missing-sample
//! check, the three daily logs and the audit trail.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use chrono::{NaiveDate, NaiveDateTime};
use houqin::db::{audit, Db};
use houqin::kitchen::checks::{self, FlagKind};
use houqin::kitchen::logs::{self, DisinfectionInput, FridgeReadingInput, Hands, HealthCheckInput, LogKind, Method};
use houqin::kitchen::samples::{self, DiscardInput, DishRow, MealEntry};
use houqin::kitchen::{settings, Grams, Meal, SampleId};
use houqin::Error;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("datetime")
}

/// Thursday 2026-11-19 and Friday 2026-11-20 are school days; 21–22 the weekend.
const THU: &str = "2026-11-19";
const FRI: &str = "2026-11-20";
const SAT: &str = "2026-11-21";

fn db() -> Db {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("周师傅");
    db
}

fn rows(list: &[(&str, &str)]) -> Vec<DishRow> {
    list.iter().map(|(dish, weight)| DishRow { dish: dish.to_string(), weight: weight.to_string() }).collect()
}

fn entry(date: &str, meal: Meal, list: &[(&str, &str)], time: &str) -> MealEntry {
    MealEntry {
        date: d(date),
        meal,
        rows: rows(list),
        time: time.into(),
        sampler: "周师傅".into(),
        fridge: "留样冰箱".into(),
        off_day_reason: String::new(),
    }
}

/// Every sample on record (the tests' dates are all within these years).
fn all_samples(db: &Db) -> Vec<houqin::kitchen::FoodSample> {
    samples::samples_between(db.conn(), d("2000-01-01"), d("2099-12-31")).expect("samples")
}

fn stored_samples(db: &Db) -> usize {
    all_samples(db).len()
}

fn discarded_count(db: &Db) -> usize {
    all_samples(db).iter().filter(|x| x.discarded_at.is_some()).count()
}

fn menu_count(db: &Db) -> usize {
    let menus = samples::menus_between(db.conn(), d("2000-01-01"), d("2099-12-31")).expect("menus");
    menus.values().flat_map(|meals| meals.values()).map(Vec::len).sum()
}

fn audit_count(db: &Db) -> usize {
    audit::recent(db.conn(), None, 10_000).expect("audit").len()
}

/// The refusal's message, asserting nothing was written (no rows, no audit).
fn refused(db: &mut Db, e: &MealEntry, now: &str) -> String {
    let (samples, menu, log) = (stored_samples(db), menu_count(db), audit_count(db));
    let err = samples::save_meal(db, e, t(now)).expect_err("refused");
    assert_eq!(stored_samples(db), samples, "a sample was saved: {err}");
    assert_eq!(menu_count(db), menu, "the menu changed: {err}");
    assert_eq!(audit_count(db), log, "something was audited: {err}");
    err.to_string()
}

fn lunch_ids(db: &Db, date: &str) -> Vec<SampleId> {
    samples::samples_between(db.conn(), d(date), d(date)).expect("list").iter().map(|x| x.id).collect()
}

#[test]
fn weight_124_is_refused_and_125_is_saved() {
    let mut db = db();
    let msg = refused(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "124")], "11:30"), "2026-11-20 12:00");
    assert!(msg.contains("124 克不足 125 克"), "{msg}");
    assert!(msg.contains("没有保存任何数据"), "{msg}");
    let msg = refused(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "124.9")], "11:30"), "2026-11-20 12:00");
    assert!(msg.contains("124.9 克不足"), "{msg}");

    let saved =
        samples::save_meal(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "125")], "11:30"), t("2026-11-20 12:00"))
            .expect("125 g is enough");
    assert_eq!((saved.added, saved.dishes), (1, 1));
    let x = &samples::samples_between(db.conn(), d(FRI), d(FRI)).expect("list")[0];
    assert_eq!((x.weight, x.dish.as_str(), x.sampler.as_str()), (Grams(1250), "红烧肉", "周师傅"));
}

#[test]
fn one_short_dish_refuses_the_whole_meal() {
    let mut db = db();
    let e = entry(FRI, Meal::Lunch, &[("米饭", "150"), ("红烧肉", "130"), ("清炒西兰花", "100")], "11:30");
    let msg = refused(&mut db, &e, "2026-11-20 12:00");
    assert!(msg.contains("清炒西兰花") && msg.contains("第3行"), "{msg}");
}

#[test]
fn the_minimum_weight_is_a_setting() {
    let mut db = db();
    let mut f = settings::get(db.conn()).expect("get").to_form();
    f.min_grams = "150".into();
    settings::save(&mut db, &f).expect("save");
    let msg = refused(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "149")], "11:30"), "2026-11-20 12:00");
    assert!(msg.contains("不足 150 克"), "{msg}");
    samples::save_meal(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "150")], "11:30"), t("2026-11-20 12:00"))
        .expect("150 g");
}

#[test]
fn weights_that_are_not_numbers_are_refused_in_chinese() {
    let mut db = db();
    for w in ["abc", "一百三", "12o", "1,30", "130..5", "-130", "0"] {
        let msg = refused(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", w)], "11:30"), "2026-11-20 12:00");
        assert!(msg.contains("红烧肉") && (msg.contains("不是数字") || msg.contains("大于 0")), "{w}: {msg}");
    }
}

#[test]
fn a_stored_time_in_the_future_is_refused() {
    let mut db = db();
    let msg = refused(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "130")], "11:31"), "2026-11-20 11:30");
    assert!(msg.contains("晚于现在"), "{msg}");
    // A later day altogether.
    let msg = refused(&mut db, &entry("2026-11-23", Meal::Lunch, &[("红烧肉", "130")], "11:30"), "2026-11-20 11:30");
    assert!(msg.contains("晚于现在"), "{msg}");
    // The same minute as now is fine.
    samples::save_meal(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "130")], "11:30"), t("2026-11-20 11:30"))
        .expect("now");
}

#[test]
fn bad_times_missing_sampler_and_repeated_dishes_are_refused() {
    let mut db = db();
    let msg = refused(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "130")], "午饭后"), "2026-11-20 12:00");
    assert!(msg.contains("不是有效的时间"), "{msg}");
    let mut e = entry(FRI, Meal::Lunch, &[("红烧肉", "130")], "11:30");
    e.sampler = " ".into();
    assert!(refused(&mut db, &e, "2026-11-20 12:00").contains("请填写留样人"));
    let msg = refused(
        &mut db,
        &entry(FRI, Meal::Lunch, &[("红烧肉", "130"), ("红烧肉", "140")], "11:30"),
        "2026-11-20 12:00",
    );
    assert!(msg.contains("写了两次"), "{msg}");
    let msg = refused(&mut db, &entry(FRI, Meal::Lunch, &[("", "130")], "11:30"), "2026-11-20 12:00");
    assert!(msg.contains("没有菜名"), "{msg}");
    let e = entry(FRI, Meal::Dinner, &[("面条", "130")], "17:30");
    let err = samples::save_meal(&mut db, &e, t("2026-11-20 18:00")).expect_err("no dinner at this school");
    assert!(err.to_string().contains("没有“晚餐”"), "{err}");
}

#[test]
fn a_dish_on_a_non_school_day_needs_the_off_day_reason() {
    let mut db = db();
    let e = entry(SAT, Meal::Lunch, &[("红烧肉", "130")], "11:30");
    let msg = refused(&mut db, &e, "2026-11-21 12:00");
    assert!(msg.contains("不是在园日(周末)") && msg.contains("请填写非在园日供餐的原因"), "{msg}");
    let err = samples::save_meal(&mut db, &e, t("2026-11-21 12:00")).expect_err("again");
    // The app asks for the reason on this code (not on the message).
    assert_eq!(err.refusal(), Some(houqin::error::Code::OffDayMealReasonNeeded));
    // A menu without weights is a dish too; a blank reason is no reason.
    let msg = refused(&mut db, &entry(SAT, Meal::Breakfast, &[("小米粥", "")], ""), "2026-11-21 12:00");
    assert!(msg.contains("不是在园日"), "{msg}");
    let blank = MealEntry { off_day_reason: "  ".into(), ..e.clone() };
    assert!(refused(&mut db, &blank, "2026-11-21 12:00").contains("供餐的原因"));

    let with_reason = MealEntry { off_day_reason: "教职工加班用餐".into(), ..e };
    samples::save_meal(&mut db, &with_reason, t("2026-11-21 12:00")).expect("with its reason");
    let day = samples::day(db.conn(), d(SAT), t("2026-11-21 12:00"), "周师傅").expect("day");
    assert_eq!(day.off_day_meal.as_deref(), Some("教职工加班用餐"));
    assert!(day.flags.is_empty(), "{:?}", day.flags);
    let log = audit::recent(db.conn(), Some("off_day_meal"), 10).expect("audit");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].after.as_ref().expect("after")["reason"], "教职工加班用餐");
    // Once the day has its reason, a correction or another meal needs none.
    let fix = entry(SAT, Meal::Lunch, &[("红烧肉", "135")], "11:30");
    let saved = samples::save_meal(&mut db, &fix, t("2026-11-21 12:10")).expect("fix");
    assert_eq!(saved.updated, 1);
    samples::save_meal(&mut db, &entry(SAT, Meal::AfternoonSnack, &[("苹果", "")], ""), t("2026-11-21 12:10"))
        .expect("another meal of a day with its reason");
    // On a school day a reason is not asked for, and not kept.
    let school =
        MealEntry { off_day_reason: "多余".into(), ..entry(FRI, Meal::Lunch, &[("米饭", "150")], "11:30") };
    samples::save_meal(&mut db, &school, t("2026-11-20 12:00")).expect("school day");
    assert!(samples::day(db.conn(), d(FRI), t("2026-11-20 12:00"), "周师傅").expect("fri").off_day_meal.is_none());
}

/// Adds a charged closure (停课) on `date`, as the bursar records it.
fn closure(db: &mut Db, date: &str, reason: &str) {
    let c = houqin::calendar::Closure { from: d(date), to: d(date), reason: reason.into(), charged: true };
    houqin::school::calendar::add_closure(db, &c).expect("closure");
}

/// The demo's storm closure was a school day for the fees but nobody came:
/// the kitchen logged a full day of samples as if it had cooked. A charged
/// closure is not a 在园日 for the kitchen: its samples need the reason too.
#[test]
fn a_charged_closure_is_not_a_day_the_kitchen_cooks() {
    let mut db = db();
    closure(&mut db, FRI, "暴雨红色预警停课");
    let e = entry(FRI, Meal::Lunch, &[("米饭", "150")], "11:30");
    let msg = refused(&mut db, &e, "2026-11-20 12:00");
    assert!(msg.contains("不是在园日(暴雨红色预警停课)"), "{msg}");
    let day = samples::day(db.conn(), d(FRI), t("2026-11-20 12:00"), "周师傅").expect("day");
    assert!(!day.school_day);
    assert_eq!(day.off_reason.as_deref(), Some("暴雨红色预警停课"));
    // Nothing is missing on that day: no menu is expected.
    let r = samples::missing(db.conn(), d(THU), d(FRI), d(FRI)).expect("missing");
    assert!(r.days.iter().all(|x| x.date != d(FRI)), "{r:?}");
    // The daily logs ask for no disinfection or 晨检 that day.
    let st = logs::daily_status(db.conn(), d(FRI)).expect("status");
    assert!(!st.school_day && st.missing.is_empty(), "{:?}", st.missing);
}

/// Samples already kept on a day later closed are flagged until the reason
/// is given; it can be given without touching the samples.
#[test]
fn samples_on_a_day_closed_afterwards_are_flagged_until_the_reason_is_given() {
    let mut db = db();
    samples::save_meal(&mut db, &entry(FRI, Meal::Breakfast, &[("小米粥", "150")], "08:00"), t("2026-11-20 08:30"))
        .expect("breakfast, before the closure was announced");
    closure(&mut db, FRI, "暴雨红色预警停课");
    let now = t("2026-11-20 12:00");
    let flags = checks::flags(db.conn(), d(FRI), d(FRI), now).expect("flags");
    let off: Vec<_> = flags.iter().filter(|f| f.kind == FlagKind::OffDayWithoutReason).collect();
    assert_eq!(off.len(), 1, "{flags:?}");
    assert_eq!(off[0].code, "kitchen.off_day_without_reason");
    assert!(off[0].message.contains("暴雨红色预警停课") && off[0].message.contains("1 份留样"), "{}", off[0].message);
    let err = samples::set_off_day_reason(&mut db, d(THU), "加班").expect_err("Thursday is a school day");
    assert!(err.to_string().contains("是在园日"), "{err}");
    assert!(samples::set_off_day_reason(&mut db, d(FRI), " ").is_err());
    samples::set_off_day_reason(&mut db, d(FRI), "停课通知前已供应早餐").expect("reason");
    let flags = checks::flags(db.conn(), d(FRI), d(FRI), now).expect("flags");
    assert!(flags.iter().all(|f| f.kind != FlagKind::OffDayWithoutReason), "{flags:?}");
}

#[test]
fn the_menu_is_saved_in_order_and_sampled_dishes_stay_on_it() {
    let mut db = db();
    let e = entry(FRI, Meal::Lunch, &[("米饭", "150"), ("红烧肉", ""), ("紫菜蛋花汤", "")], "11:30");
    let saved = samples::save_meal(&mut db, &e, t("2026-11-20 12:00")).expect("save");
    assert_eq!((saved.dishes, saved.added, saved.unsampled), (3, 1, 2));
    assert_eq!(samples::menu(db.conn(), d(FRI), Meal::Lunch).expect("menu"), vec!["米饭", "红烧肉", "紫菜蛋花汤"]);
    // Removing the sampled dish, or clearing its weight, is refused.
    let msg = refused(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "")], "11:30"), "2026-11-20 12:00");
    assert!(msg.contains("“米饭”已经留样") && msg.contains("不能从菜单中删去"), "{msg}");
    let msg = refused(&mut db, &entry(FRI, Meal::Lunch, &[("米饭", ""), ("红烧肉", "")], "11:30"), "2026-11-20 12:00");
    assert!(msg.contains("不能清空"), "{msg}");
    // The day view shows the meal with its dishes prefilled.
    let day = samples::day(db.conn(), d(FRI), t("2026-11-20 12:00"), "周师傅").expect("day");
    assert!(day.school_day && day.is_today);
    let lunch = day.meals.iter().find(|m| m.meal == Meal::Lunch).expect("lunch");
    assert_eq!(lunch.dishes.len(), 3);
    assert_eq!(lunch.sampled, 1);
    assert_eq!(lunch.time, "11:30");
    assert_eq!(day.meals.iter().map(|m| m.label).collect::<Vec<_>>(), vec!["早餐", "午餐", "午点"]);
    assert!(samples::dish_names(db.conn()).expect("names").contains(&"紫菜蛋花汤".to_string()));
}

fn lunch_on(db: &mut Db, date: &str, time: &str) -> Vec<SampleId> {
    let e = entry(date, Meal::Lunch, &[("米饭", "150"), ("红烧肉", "130")], time);
    samples::save_meal(db, &e, t(&format!("{date} 23:00"))).expect("lunch");
    lunch_ids(db, date)
}

fn discard_input(ids: &[SampleId], at: &str) -> DiscardInput {
    DiscardInput { ids: ids.to_vec(), at: at.into(), by: "吴师傅".into() }
}

#[test]
fn discard_at_47_59_is_refused_and_at_48_00_allowed() {
    let mut db = db();
    let ids = lunch_on(&mut db, THU, "11:30");
    let now = t("2026-11-22 09:00");
    let (before, log) = (discarded_count(&db), audit_count(&db));
    let err = samples::discard(&mut db, &discard_input(&ids, "2026-11-21 11:29"), now).expect_err("47:59");
    let msg = err.to_string();
    assert!(msg.contains("只留了 47 小时 59 分") && msg.contains("须留满 48 小时"), "{msg}");
    assert_eq!(discarded_count(&db), before);
    assert_eq!(audit_count(&db), log);

    let n = samples::discard(&mut db, &discard_input(&ids, "2026-11-21 11:30"), now).expect("48:00");
    assert_eq!(n, 2);
    let x = samples::get(db.conn(), ids[0]).expect("get");
    assert_eq!(x.discarded_by.as_deref(), Some("吴师傅"));
    assert_eq!(x.discarded_at, Some(t("2026-11-21 11:30")));
    // Twice is refused.
    let err = samples::discard(&mut db, &discard_input(&ids, "2026-11-21 12:00"), now).expect_err("twice");
    assert!(err.to_string().contains("处理过"), "{err}");
}

#[test]
fn due_list_turns_at_exactly_48_hours() {
    let mut db = db();
    lunch_on(&mut db, THU, "11:30");
    let c = samples::fridge_contents(db.conn(), t("2026-11-21 11:29")).expect("contents");
    assert_eq!((c.due.len(), c.keeping.len()), (0, 2));
    let c = samples::fridge_contents(db.conn(), t("2026-11-21 11:30")).expect("contents");
    assert_eq!((c.due.len(), c.keeping.len()), (2, 0));
    assert_eq!(c.due[0].due_text, "11月21日 11:30");
}

#[test]
fn retention_is_a_setting() {
    let mut db = db();
    let mut f = settings::get(db.conn()).expect("get").to_form();
    f.retention_hours = "72".into();
    settings::save(&mut db, &f).expect("save");
    let ids = lunch_on(&mut db, THU, "11:30");
    let err =
        samples::discard(&mut db, &discard_input(&ids, "2026-11-21 11:30"), t("2026-11-23 09:00")).expect_err("48 h");
    assert!(err.to_string().contains("须留满 72 小时"), "{err}");
    samples::discard(&mut db, &discard_input(&ids, "2026-11-22 11:30"), t("2026-11-23 09:00")).expect("72 h");
}

#[test]
fn discard_in_the_future_or_before_storing_is_refused() {
    let mut db = db();
    let ids = lunch_on(&mut db, THU, "11:30");
    let err =
        samples::discard(&mut db, &discard_input(&ids, "2026-11-22 09:01"), t("2026-11-22 09:00")).expect_err("future");
    assert!(err.to_string().contains("晚于现在"), "{err}");
    let err =
        samples::discard(&mut db, &discard_input(&ids, "2026-11-19 10:00"), t("2026-11-22 09:00")).expect_err("before");
    assert!(err.to_string().contains("早于留样时间"), "{err}");
    let err = samples::discard(&mut db, &discard_input(&ids, "后天"), t("2026-11-22 09:00")).expect_err("not a time");
    assert!(err.to_string().contains("不是有效的日期和时间"), "{err}");
    let mut blank = discard_input(&ids, "2026-11-21 12:00");
    blank.by = String::new();
    let err = samples::discard(&mut db, &blank, t("2026-11-22 09:00")).expect_err("nobody");
    assert!(err.to_string().contains("请填写处理人"), "{err}");
    assert_eq!(discarded_count(&db), 0);
}

#[test]
fn one_sample_too_young_refuses_the_whole_discard() {
    let mut db = db();
    let mut ids = lunch_on(&mut db, THU, "11:30");
    ids.extend(lunch_on(&mut db, FRI, "11:30"));
    let err =
        samples::discard(&mut db, &discard_input(&ids, "2026-11-21 12:00"), t("2026-11-22 09:00")).expect_err("Fri");
    match &err {
        Error::Rejected { problems } => assert_eq!(problems.len(), 2, "{err}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(discarded_count(&db), 0);
}

#[test]
fn a_discarded_sample_cannot_be_changed() {
    let mut db = db();
    let ids = lunch_on(&mut db, THU, "11:30");
    samples::discard(&mut db, &discard_input(&ids, "2026-11-21 12:00"), t("2026-11-22 09:00")).expect("discard");
    let e = entry(THU, Meal::Lunch, &[("米饭", "160"), ("红烧肉", "130")], "11:30");
    let msg = refused(&mut db, &e, "2026-11-22 09:00");
    assert!(msg.contains("已于 11月21日 12:00 处理"), "{msg}");
}

#[test]
fn missing_check_flags_unsampled_dishes_and_meals_without_menu() {
    let mut db = db();
    // Friday: lunch has one dish unsampled; breakfast and 午点 have no menu.
    let e = entry(FRI, Meal::Lunch, &[("米饭", "150"), ("红烧肉", "")], "11:30");
    samples::save_meal(&mut db, &e, t("2026-11-20 12:00")).expect("save");
    let r = samples::missing(db.conn(), d(FRI), d(SAT), d(FRI)).expect("missing");
    assert_eq!(r.days_checked, 1, "Saturday has no menu and is not checked");
    assert_eq!((r.missing_samples, r.missing_today, r.meals_without_menu), (1, 1, 2));
    let day = &r.days[0];
    assert!(day.is_today);
    let lunch = day.meals.iter().find(|m| m.meal == Meal::Lunch).expect("lunch");
    assert_eq!(lunch.dishes, vec!["红烧肉"]);
    assert!(day.meals.iter().any(|m| m.meal == Meal::Breakfast && m.no_menu));

    // A Saturday on which the kitchen cooked is checked for the meals it cooked.
    let mut sat = entry(SAT, Meal::Lunch, &[("面条", "")], "");
    sat.off_day_reason = "教职工加班用餐".into();
    samples::save_meal(&mut db, &sat, t("2026-11-21 12:00")).expect("saturday");
    let r = samples::missing(db.conn(), d(FRI), d(SAT), d(SAT)).expect("missing");
    assert_eq!(r.days_checked, 2);
    assert_eq!(r.days[0].date, d(SAT), "newest first");
    assert_eq!(r.days[0].meals.len(), 1, "only lunch was cooked on Saturday");
    let recent = samples::recent_missing(db.conn(), d("2026-11-22"), 7).expect("recent");
    assert_eq!(recent.from, d("2026-11-15"));
}

#[test]
fn copying_last_week_fills_school_days_without_a_menu_only() {
    let mut db = db();
    for (date, dish) in [("2026-11-16", "鸡蛋饼"), ("2026-11-17", "小米粥"), ("2026-11-20", "豆浆")] {
        let e = entry(date, Meal::Breakfast, &[(dish, "")], "");
        samples::save_meal(&mut db, &e, t("2026-11-22 09:00")).expect("menu");
    }
    // This week: Tuesday already has its own menu.
    samples::save_meal(&mut db, &entry("2026-11-24", Meal::Breakfast, &[("南瓜粥", "")], ""), t("2026-11-22 09:00"))
        .expect("own");
    let log = audit_count(&db);
    let s = samples::copy_last_week(&mut db, d("2026-11-25")).expect("copy");
    assert_eq!(s.copied, vec![d("2026-11-23"), d("2026-11-27")]);
    assert_eq!(s.kept, vec![d("2026-11-24")]);
    assert_eq!(s.dishes, 2);
    assert_eq!(audit_count(&db), log + 2);
    assert_eq!(samples::menu(db.conn(), d("2026-11-24"), Meal::Breakfast).expect("m"), vec!["南瓜粥"]);
    assert_eq!(samples::menu(db.conn(), d("2026-11-27"), Meal::Breakfast).expect("m"), vec!["豆浆"]);
    let err = samples::copy_last_week(&mut db, d("2026-11-25")).expect_err("nothing left");
    assert!(err.to_string().contains("已有菜单"), "{err}");
    let err = samples::copy_last_week(&mut db, d("2026-11-11")).expect_err("empty week before");
    assert!(err.to_string().contains("没有菜单"), "{err}");
}

#[test]
fn every_sample_change_is_audited_with_before_and_after() {
    let mut db = db();
    samples::save_meal(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "130")], "11:30"), t("2026-11-20 12:00"))
        .expect("save");
    samples::save_meal(&mut db, &entry(FRI, Meal::Lunch, &[("红烧肉", "140")], "11:30"), t("2026-11-20 12:05"))
        .expect("fix");
    let log = audit::recent(db.conn(), Some("food_sample"), 10).expect("audit");
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, "update");
    assert_eq!(log[0].operator, "周师傅");
    assert_eq!(log[0].before.as_ref().expect("before")["grams"], "130");
    assert_eq!(log[0].after.as_ref().expect("after")["grams"], "140");
    assert_eq!(audit::recent(db.conn(), Some("menu"), 10).expect("menu").len(), 1);
}

// ------------------------------------------------------------ daily logs

fn reading(time: &str, temp: &str, action: &str) -> FridgeReadingInput {
    FridgeReadingInput {
        date: d(FRI),
        time: time.into(),
        fridge: "留样冰箱".into(),
        temp: temp.into(),
        action: action.into(),
        person: "周师傅".into(),
    }
}

#[test]
fn fridge_readings_outside_the_range_need_an_action() {
    let mut db = db();
    let now = t("2026-11-20 18:00");
    logs::add_reading(&mut db, &reading("08:00", "4.5", ""), now).expect("in range");
    logs::add_reading(&mut db, &reading("08:05", "8", ""), now).expect("8 °C is the edge, in range");
    let err = logs::add_reading(&mut db, &reading("16:30", "8.1", ""), now).expect_err("no action");
    assert!(err.to_string().contains("超出 0–8 °C") && err.to_string().contains("处理措施"), "{err}");
    logs::add_reading(&mut db, &reading("16:30", "8.1", "调低温控,1小时后复测"), now).expect("with action");
    for (temp, part) in [("冷", "不是数字"), ("45", "不像冰箱温度")] {
        let err = logs::add_reading(&mut db, &reading("16:40", temp, ""), now).expect_err(temp);
        assert!(err.to_string().contains(part), "{err}");
    }
    let err = logs::add_reading(&mut db, &reading("18:01", "4", ""), now).expect_err("future");
    assert!(err.to_string().contains("晚于现在"), "{err}");
    let mut other = reading("09:00", "4", "");
    other.fridge = "2号柜".into();
    assert!(logs::add_reading(&mut db, &other, now).expect_err("unknown").to_string().contains("没有名为“2号柜”"));
    let list = logs::readings(db.conn(), d(FRI), d(FRI)).expect("list");
    assert_eq!(list.len(), 3);
    assert!(list[2].out_of_range && !list[0].out_of_range && !list[1].out_of_range);
}

fn disinfection(method: Method, intensity: &str, minutes: &str) -> DisinfectionInput {
    DisinfectionInput {
        date: d(FRI),
        time: "13:00".into(),
        method,
        items: "碗、勺、餐盘".into(),
        intensity: intensity.into(),
        minutes: minutes.into(),
        person: "吴师傅".into(),
    }
}

#[test]
fn disinfection_below_the_minimums_is_refused() {
    let mut db = db();
    let now = t("2026-11-20 18:00");
    logs::add_disinfection(&mut db, &disinfection(Method::Steam, "100", "10"), now).expect("steam edge");
    logs::add_disinfection(&mut db, &disinfection(Method::Infrared, "120℃", "15分钟"), now).expect("infrared");
    logs::add_disinfection(&mut db, &disinfection(Method::Chlorine, "250", "5"), now).expect("chlorine edge");
    for (m, v, min, part) in [
        (Method::Steam, "99", "10", "须达到 100 °C"),
        (Method::Steam, "100", "9", "须保持 10 分钟以上"),
        (Method::Chlorine, "200", "5", "须达到 250 mg/L"),
        (Method::Infrared, "很热", "10", "不是整数"),
    ] {
        let err = logs::add_disinfection(&mut db, &disinfection(m, v, min), now).expect_err(v);
        assert!(err.to_string().contains(part), "{part}: {err}");
    }
    assert_eq!(logs::disinfections(db.conn(), d(FRI), d(FRI)).expect("list").len(), 3);
}

#[test]
fn health_check_with_fever_or_symptom_is_not_fit_and_needs_a_note() {
    let mut db = db();
    let now = t("2026-11-20 08:00");
    let check = |staff: &str, temp: &str, symptoms: &[&str], note: &str| HealthCheckInput {
        date: d(FRI),
        time: "07:30".into(),
        staff: staff.into(),
        temp: temp.into(),
        hands: Some(Hands::Normal),
        symptoms: symptoms.iter().map(|s| s.to_string()).collect(),
        note: note.into(),
        checker: "孙医生".into(),
    };
    logs::add_health_check(&mut db, &check("周师傅", "36.5", &[], ""), now).expect("fit");
    let err = logs::add_health_check(&mut db, &check("吴师傅", "37.3", &[], ""), now).expect_err("fever, no note");
    assert!(err.to_string().contains("发热不宜上岗"), "{err}");
    logs::add_health_check(&mut db, &check("吴师傅", "37.3", &[], "离岗休息"), now).expect("noted");
    logs::add_health_check(&mut db, &check("郑师傅", "36.6", &["腹泻"], "调离接触食品岗位"), now).expect("symptom");
    let err = logs::add_health_check(&mut db, &check("周师傅", "36.5", &[], ""), now).expect_err("twice");
    assert!(err.to_string().contains("已登记过"), "{err}");
    let list = logs::health_checks(db.conn(), d(FRI), d(FRI)).expect("list");
    assert_eq!(list.iter().map(|c| c.fit).collect::<Vec<_>>(), vec![true, false, false]);
    assert_eq!(list[1].symptoms, vec!["发热"]);
    // Deleting a mistaken entry is audited with what it said.
    logs::delete_entry(&mut db, LogKind::Health, list[2].id).expect("delete");
    let log = audit::recent(db.conn(), Some("health_check"), 1).expect("audit");
    assert_eq!(log[0].action, "delete");
    assert_eq!(log[0].before.as_ref().expect("before")["staff"], "郑师傅");
}

fn health(staff: &str, date: &str, temp: &str, hands: Option<Hands>, note: &str) -> HealthCheckInput {
    HealthCheckInput {
        date: d(date),
        time: "07:30".into(),
        staff: staff.into(),
        temp: temp.into(),
        hands,
        symptoms: vec![],
        note: note.into(),
        checker: "孙医生".into(),
    }
}

#[test]
fn the_morning_check_records_its_time_and_the_hands() {
    let mut db = db();
    let now = t("2026-11-20 08:00");
    // No hand check: refused, nothing saved.
    let err = logs::add_health_check(&mut db, &health("周师傅", FRI, "36.5", None, ""), now).expect_err("no hands");
    assert!(err.to_string().contains("请填写手部检查"), "{err}");
    // A time later than now, or not a time: refused.
    let mut late = health("周师傅", FRI, "36.5", Some(Hands::Normal), "");
    late.time = "08:01".into();
    let err = logs::add_health_check(&mut db, &late, now).expect_err("future");
    assert!(err.to_string().contains("晚于现在"), "{err}");
    late.time = "早上".into();
    assert!(logs::add_health_check(&mut db, &late, now)
        .expect_err("not a time")
        .to_string()
        .contains("不是有效的时间"));
    assert!(logs::health_checks(db.conn(), d(FRI), d(FRI)).expect("list").is_empty());

    logs::add_health_check(&mut db, &health("周师傅", FRI, "36.5", Some(Hands::Normal), ""), now).expect("fit");
    // A wound on the hands: not fit, and what was done must be noted.
    let err = logs::add_health_check(&mut db, &health("吴师傅", FRI, "36.6", Some(Hands::Wound), ""), now)
        .expect_err("no note");
    assert!(err.to_string().contains("手部伤口不宜上岗"), "{err}");
    logs::add_health_check(
        &mut db,
        &health("吴师傅", FRI, "36.6", Some(Hands::Wound), "调离接触直接入口食品岗位"),
        now,
    )
    .expect("noted");
    logs::add_health_check(&mut db, &health("郑师傅", FRI, "36.6", Some(Hands::Infected), "离岗就医"), now)
        .expect("pus");
    let list = logs::health_checks(db.conn(), d(FRI), d(FRI)).expect("list");
    assert_eq!(list.iter().map(|c| c.fit).collect::<Vec<_>>(), vec![true, false, false]);
    assert_eq!(list[0].time.as_deref(), Some("07:30"));
    assert_eq!(list.iter().map(|c| c.hands_label).collect::<Vec<_>>(), vec!["正常", "伤口", "化脓"]);
    assert_eq!(list[2].why_unfit(), "手部化脓");
    assert_eq!(Hands::parse("有伤口"), Some(Hands::Wound));
}

/// A cook sent home with a fever at the morning check was the sampler of
/// that morning's breakfast. Someone found 不宜上岗 at 晨检 cannot sample or
/// discard that day; the refusal says why and saves nothing.
#[test]
fn someone_sent_home_at_the_morning_check_cannot_sample_or_discard_that_day() {
    let mut db = db();
    let ids = lunch_on(&mut db, THU, "11:30");
    logs::add_health_check(
        &mut db,
        &health("吴师傅", SAT, "37.6", Some(Hands::Normal), "离岗休息"),
        t("2026-11-21 07:40"),
    )
    .expect("fever");
    let mut e = entry(SAT, Meal::Breakfast, &[("小米粥", "150")], "08:00");
    e.off_day_reason = "教职工加班用餐".into();
    for sampler in ["吴师傅", "周师傅、吴师傅"] {
        e.sampler = sampler.into();
        let msg = refused(&mut db, &e, "2026-11-21 09:00");
        assert!(msg.contains("吴师傅 11月21日晨检不宜上岗(发热 37.6 °C),当天不能留样"), "{sampler}: {msg}");
    }
    e.sampler = "周师傅".into();
    samples::save_meal(&mut db, &e, t("2026-11-21 09:00")).expect("another sampler");

    // Discarding that day by the same person: refused; the next day: fine.
    let (before, log) = (discarded_count(&db), audit_count(&db));
    let err = samples::discard(&mut db, &discard_input(&ids, "2026-11-21 12:00"), t("2026-11-21 13:00"))
        .expect_err("sent home");
    assert!(err.to_string().contains("当天不能处理留样"), "{err}");
    assert_eq!((discarded_count(&db), audit_count(&db)), (before, log));
    samples::discard(&mut db, &discard_input(&ids, "2026-11-22 12:00"), t("2026-11-22 13:00")).expect("next day");
}

/// A 晨检 entered after the morning's samples cannot refuse them: the
/// sample stays, flagged, on screen and in the flags.
#[test]
fn a_sampler_found_unfit_afterwards_is_flagged() {
    let mut db = db();
    let e = MealEntry { sampler: "吴师傅".into(), ..entry(FRI, Meal::Breakfast, &[("小米粥", "150")], "08:00") };
    samples::save_meal(&mut db, &e, t("2026-11-20 08:05")).expect("sampled first");
    logs::add_health_check(
        &mut db,
        &health("吴师傅", FRI, "37.5", Some(Hands::Normal), "离岗休息"),
        t("2026-11-20 08:30"),
    )
    .expect("checked after");
    let day = samples::day(db.conn(), d(FRI), t("2026-11-20 09:00"), "周师傅").expect("day");
    assert_eq!(day.flags.len(), 1, "{:?}", day.flags);
    assert_eq!(day.flags[0].kind, FlagKind::UnfitSampler);
    assert!(day.flags[0].message.contains("小米粥由吴师傅留样"), "{}", day.flags[0].message);
    let sample = day.meals[0].dishes[0].sample.as_ref().expect("sample");
    assert_eq!(day.flags[0].sample, Some(sample.id));
    let st = logs::daily_status(db.conn(), d(FRI)).expect("status");
    assert_eq!(st.flags, day.flags);
}

fn reading_on(db: &mut Db, date: &str, time: &str) {
    let r = FridgeReadingInput { date: d(date), ..reading(time, "4", "") };
    logs::add_reading(db, &r, t("2026-11-30 09:00")).expect("reading");
}

/// Fridge readings existed only on school days while the samples sat in
/// the fridge over the weekend. Readings are asked for (as many as the
/// setting says) on every day the fridge holds samples; missing ones are flagged.
#[test]
fn the_fridge_is_read_on_every_day_it_holds_samples() {
    let mut db = db();
    let ids = lunch_on(&mut db, FRI, "11:30");
    samples::discard(&mut db, &discard_input(&ids, "2026-11-23 13:30"), t("2026-11-23 14:00")).expect("Monday");
    for (date, time) in
        [(FRI, "08:00"), (FRI, "16:00"), (SAT, "09:00"), ("2026-11-23", "08:00"), ("2026-11-23", "16:00")]
    {
        reading_on(&mut db, date, time);
    }
    let now = t("2026-11-25 09:00");
    let fridge_flags = |db: &Db| -> Vec<NaiveDate> {
        checks::flags(db.conn(), d(FRI), d("2026-11-24"), now)
            .expect("flags")
            .into_iter()
            .filter(|f| f.kind == FlagKind::FridgeReadingsMissing)
            .map(|f| f.date)
            .collect()
    };
    // Saturday read once, Sunday never; Tuesday the kitchen cooked unread.
    assert_eq!(fridge_flags(&db), vec![d(SAT), d("2026-11-22"), d("2026-11-24")]);
    let sat = logs::daily_status(db.conn(), d(SAT)).expect("sat");
    assert_eq!(sat.missing, vec!["留样冰箱测温 1 次,应测 2 次(柜中有 2 份留样)"]);
    // The weekend before held nothing: nothing asked.
    assert!(logs::daily_status(db.conn(), d("2026-11-15")).expect("sun").missing.is_empty());

    // The count is a setting.
    let mut f = settings::get(db.conn()).expect("get").to_form();
    f.fridge_checks_per_day = "1".into();
    settings::save(&mut db, &f).expect("save");
    assert_eq!(fridge_flags(&db), vec![d("2026-11-22"), d("2026-11-24")]);
    f.fridge_checks_per_day = "3".into();
    settings::save(&mut db, &f).expect("save");
    assert_eq!(fridge_flags(&db), vec![d(FRI), d(SAT), d("2026-11-22"), d("2026-11-23"), d("2026-11-24")]);
}

#[test]
fn samples_past_their_time_and_not_discarded_are_flagged() {
    let mut db = db();
    lunch_on(&mut db, THU, "11:30");
    let overdue = |now: &str| {
        checks::flags(db.conn(), d(THU), d(THU), t(now))
            .expect("flags")
            .into_iter()
            .filter(|f| f.kind == FlagKind::SampleOverdue)
            .count()
    };
    assert_eq!(overdue("2026-11-21 11:29"), 0);
    assert_eq!(overdue("2026-11-21 11:30"), 2);
}

#[test]
fn daily_status_says_what_is_missing_on_a_school_day() {
    let mut db = db();
    houqin::school::staff::add(
        &mut db,
        &houqin::school::staff::StaffInput {
            name: "周师傅".into(), role: "食堂管理员".into(), phone: String::new()
        },
    )
    .expect("staff");
    let st = logs::daily_status(db.conn(), d(FRI)).expect("status");
    assert!(st.school_day);
    assert_eq!(st.missing.len(), 3, "{:?}", st.missing);
    assert!(st.missing[2].contains("周师傅"));
    assert!(logs::daily_status(db.conn(), d(SAT)).expect("sat").missing.is_empty());
}

#[test]
fn incomplete_days_of_a_range_say_what_each_day_says() {
    let mut db = db();
    houqin::school::staff::add(
        &mut db,
        &houqin::school::staff::StaffInput {
            name: "周师傅".into(), role: "食堂管理员".into(), phone: String::new()
        },
    )
    .expect("staff");
    let check = HealthCheckInput {
        date: d(FRI),
        time: "07:30".into(),
        staff: "周师傅".into(),
        temp: "36.5".into(),
        hands: Some(Hands::Normal),
        symptoms: vec![],
        note: String::new(),
        checker: "孙医生".into(),
    };
    logs::add_health_check(&mut db, &check, t("2026-11-20 08:00")).expect("check");
    let days = logs::incomplete_days(db.conn(), d(THU), d(SAT)).expect("range");
    let each: Vec<(NaiveDate, Vec<String>)> = [THU, FRI, SAT]
        .iter()
        .map(|x| (d(x), logs::daily_status(db.conn(), d(x)).expect("day").missing))
        .filter(|(_, missing)| !missing.is_empty())
        .collect();
    assert_eq!(days, each);
    assert_eq!(days.iter().map(|x| x.0).collect::<Vec<_>>(), vec![d(THU), d(FRI)], "Saturday asks for nothing");
    assert!(days[0].1.iter().any(|m| m.contains("周师傅")), "Friday's check is not Thursday's: {:?}", days[0].1);
    assert_eq!(days[1].1.len(), 2, "周师傅 was checked on Friday: {:?}", days[1].1);
}

// ------------------------------------------------------------ the command line

/// Runs the `houqin` binary on `db` as 周师傅: (exit code, stdout, stderr).
fn houqin(db: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_houqin"))
        .arg("--db")
        .arg(db)
        .arg("--operator")
        .arg("周师傅")
        .args(args)
        .output()
        .expect("run houqin");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `houqin`, which must succeed; its standard output.
fn houqin_ok(db: &std::path::Path, args: &[&str]) -> String {
    let (code, out, err) = houqin(db, args);
    assert_eq!(code, Some(0), "houqin {args:?} failed: {err}");
    out
}

/// A fresh directory named `prefix` + this process's id, with a school set up
/// in its database file: (the directory, the database).
fn new_school(prefix: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("{prefix}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("houqin.db");
    houqin_ok(&db, &["init", "--name", "阳光幼儿园"]);
    (dir, db)
}

/// The kitchen from the command line, on the real clock: a lunch sampled
/// three days ago (any day: an off day is given its reason), a short sample refused
/// with exit code 1 and nothing saved, an early discard refused, the due
/// samples discarded, today's unsampled breakfast reported by the check, and
/// `houqin samples --month M --out FILE.pdf` read back with pdftotext.
#[test]
fn the_command_line_samples_refuses_discards_checks_and_prints() {
    let (dir, db) = new_school("houqin-kitchen-cli-");
    let ok = |args: &[&str]| houqin_ok(&db, args);
    let sample_count = |date: &str| {
        let json = ok(&["--json", "kitchen", "list", "--date", date]);
        serde_json::from_str::<serde_json::Value>(&json).expect("json").as_array().expect("list").len()
    };
    let today = houqin::dates::today();
    let day = (today - chrono::Duration::days(3)).to_string();
    let lunch = |dish: &str, grams: &str| {
        houqin(
            &db,
            &[
                "kitchen",
                "add",
                "--date",
                &day,
                "--meal",
                "午餐",
                "--dish",
                dish,
                "--grams",
                grams,
                "--time",
                "11:30",
                "--reason",
                "教职工加班用餐",
            ],
        )
    };
    for (dish, grams) in [("米饭", "150"), ("番茄炒蛋", "130.5")] {
        let (code, out, err) = lunch(dish, grams);
        assert_eq!(code, Some(0), "{err}");
        assert!(out.contains(&format!("已登记 {day} 午餐 {dish}")), "{out}");
    }

    // 124 g: refused in Chinese, exit code 1, nothing saved.
    let (code, out, err) = lunch("紫菜蛋花汤", "124");
    assert_eq!(code, Some(1), "{out}");
    assert!(err.contains("“紫菜蛋花汤”的留样量 124 克不足 125 克,没有保存"), "{err}");
    assert_eq!(sample_count(&day), 2);

    // Discarding one before its 48 hours: refused; then every due sample at once.
    let json = ok(&["--json", "kitchen", "list", "--date", &day]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let id = v[0]["id"].as_i64().expect("id").to_string();
    let early = format!("{day} 23:59");
    let (code, _, err) = houqin(&db, &["kitchen", "discard", "--id", &id, "--at", &early]);
    assert_eq!(code, Some(1));
    assert!(err.contains("只留了 12 小时 29 分,须留满 48 小时"), "{err}");
    let out = ok(&["kitchen", "discard", "--all-due"]);
    assert!(out.contains("已登记处理 2 份留样"), "{out}");
    let (code, _, err) = houqin(&db, &["kitchen", "discard", "--all-due"]);
    assert!(code == Some(1) && err.contains("没有到期应处理的留样"), "{err}");

    // Today's breakfast on the menu, not sampled: the check names its dishes.
    ok(&["kitchen", "menu", "--meal", "早餐", "--dishes", "小米粥,鸡蛋饼", "--reason", "教职工加班用餐"]);
    let out = ok(&["kitchen", "missing", "--days", "7"]);
    let breakfast = out.lines().find(|l| l.contains("(今天)") && l.contains("早餐")).unwrap_or_default();
    assert!(breakfast.contains("小米粥、鸡蛋饼"), "{out}");
    assert!(!out.contains("米饭"), "the lunch was sampled: {out}");

    // The month's 食品留样记录表 of that lunch, as an inspector reads it.
    let month = &day[..7];
    let pdf = dir.join("留样记录表.pdf");
    let out = ok(&["samples", "--month", month, "--out", pdf.to_str().expect("path")]);
    assert!(out.contains("食品留样记录表"), "{out}");
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext is needed: apt-get install poppler-utils");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(text.contains("阳光幼儿园食品留样记录表"), "{text}");
    let stored = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").expect("day").format("%-m月%-d日 11:30");
    for (dish, grams) in [("米饭", "150"), ("番茄炒蛋", "130.5")] {
        let row = text.lines().find(|l| l.contains(dish) && !l.contains("未留样")).unwrap_or_default();
        assert!(row.contains(grams) && row.contains(&stored.to_string()), "{dish}: {row}");
        assert_eq!(row.matches("周师傅").count(), 2, "sampler and discarder: {row}");
    }
    // A month that has not started: refused.
    let next = houqin::dates::YearMonth::of(today).next().to_string();
    let (code, _, err) = houqin(&db, &["samples", "--month", &next, "--out", pdf.to_str().expect("path")]);
    assert!(code == Some(1) && err.contains("还没有开始"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The command line on the real clock: `kitchen health` asks for the hand
/// check (a wound is 不宜上岗 and needs what was done), someone sent home at
/// 晨检 cannot sample that day, the 非在园日供餐 reason of a day is given with
/// `kitchen off-day` (refused on a school day), and `kitchen flags --json`
/// lists what the records show wrong, each with its stable code.
#[test]
fn the_command_line_morning_check_off_day_reason_and_flags() {
    let (dir, db) = new_school("houqin-kitchen-cli-checks-");
    let ok = |args: &[&str]| houqin_ok(&db, args);
    let day = (houqin::dates::today() - chrono::Duration::days(1)).to_string();
    let health = |hands: &str, note: &str| {
        let mut args =
            vec!["kitchen", "health", "--date", &day, "--time", "07:30", "--staff", "吴师傅", "--temp", "36.6"];
        if !hands.is_empty() {
            args.extend(["--hands", hands]);
        }
        if !note.is_empty() {
            args.extend(["--note", note]);
        }
        houqin(&db, &args)
    };
    let (code, _, _) = health("", "");
    assert_eq!(code, Some(2), "--hands is required");
    let (code, _, err) = health("伤口", "");
    assert!(code == Some(1) && err.contains("手部伤口不宜上岗"), "{err}");
    let (code, _, err) = health("手心", "");
    assert!(code == Some(1) && err.contains("未知的手部检查结果"), "{err}");
    let (code, out, err) = health("伤口", "调离接触直接入口食品岗位");
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("已登记 吴师傅 的晨检"), "{out}");

    let breakfast = |sampler: &str| {
        houqin(
            &db,
            &[
                "kitchen",
                "add",
                "--date",
                &day,
                "--meal",
                "早餐",
                "--dish",
                "小米粥",
                "--grams",
                "150",
                "--time",
                "08:00",
                "--sampler",
                sampler,
                "--reason",
                "教职工加班用餐",
            ],
        )
    };
    let (code, _, err) = breakfast("吴师傅");
    assert!(code == Some(1) && err.contains("吴师傅") && err.contains("晨检不宜上岗(手部伤口),当天不能留样"), "{err}");
    let (code, _, err) = breakfast("周师傅");
    assert_eq!(code, Some(0), "{err}");

    let (code, _, err) = houqin(&db, &["kitchen", "off-day", "--date", "2026-11-20", "--reason", "加班"]);
    assert!(code == Some(1) && err.contains("是在园日"), "a Friday: {err}");
    let out = ok(&["kitchen", "off-day", "--date", "2026-11-21", "--reason", "教职工加班用餐"]);
    assert!(out.contains("教职工加班用餐"), "{out}");

    // Yesterday the fridge held the breakfast and was not read.
    let json = ok(&["--json", "kitchen", "flags", "--days", "3"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let codes: Vec<&str> = v.as_array().expect("list").iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(codes.contains(&"kitchen.fridge_readings_missing"), "{json}");
    let out = ok(&["kitchen", "flags", "--days", "3"]);
    assert!(out.contains("留样柜缺测温"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
