//! 体检 (`houqin::check`, `houqin check`): the demo school passes every
//! cross-module check but for what it plants on purpose, and a problem made
//! in one module is found with its code; fixing it makes the finding go.
//! Every check is made to fire at least once, from records a school could
//! really come to have (the one the core makes impossible is said so).
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

mod common;

use std::collections::BTreeSet;

use chrono::NaiveTime;
use houqin::check::{self, CheckReport};
use houqin::db::Db;
use houqin::notices::NoticeScope;

use common::*;

const TODAY: &str = "2026-11-22";

fn demo() -> Db {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("李会计");
    houqin::demo::load(&mut db, d(TODAY)).expect("demo");
    db
}

fn run(db: &Db, month: &str) -> CheckReport {
    let now = d(TODAY).and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("time"));
    check::run(db.conn(), m(month), now).expect("check")
}

fn codes(r: &CheckReport) -> BTreeSet<&'static str> {
    r.findings.iter().map(|f| f.code).collect()
}

#[test]
fn the_demo_passes_every_check_but_what_it_plants() {
    let db = demo();
    // Last month (October) is open; September is the newest closed month and
    // the demo leaves its notices unprinted on purpose (the first thing to print).
    let r = run(&db, "2026-10");
    assert!(r.checked.len() >= 6, "{:?}", r.checked);
    assert!(r.skipped.is_empty(), "every check ran: {:?}", r.skipped);
    // What the demo plants, so each check has something to show: a dish
    // without a sample (the 漏留样 check and the log's 未留样 row), the
    // stocktake's differences left for the user to book, and September's notices.
    let planted: BTreeSet<&str> =
        ["kitchen.sample_missing", "assets.stocktake_unresolved", "notices.not_printed"].into_iter().collect();
    assert_eq!(codes(&r), planted, "{:#?}", r.findings);
    // One finding for September, every family of it (the earlier months were printed).
    let f: Vec<_> = r.findings.iter().filter(|f| f.code == "notices.not_printed").collect();
    assert_eq!(f.len(), 1, "{f:#?}");
    let families = houqin::notices::plan(db.conn(), m("2026-09"), NoticeScope::School).expect("plan").rows.len();
    let says = format!("2026年9月 已结账,全园 {families} 个家庭的通知单都没有打印:这些家庭还没有收到那个月的账单");
    assert_eq!(f[0].message, says);
    assert_eq!((f[0].area_label, f[0].title), ("通知单", "已结账月份的通知单未打印"));
    assert_eq!(f[0].fix, "在“通知单”中选择 2026年9月 打印全园的通知单");

    // The current month holds the samples the demo leaves past their time.
    let now = run(&db, "2026-11");
    assert!(codes(&now).contains("kitchen.sample_overdue"), "{:#?}", now.findings);
}

#[test]
fn a_problem_made_in_one_module_is_found_and_goes_once_fixed() {
    let mut db = demo();
    // Printing September's notices answers the planted finding.
    let before = codes(&run(&db, "2026-10"));
    print(&mut db, "2026-09", NoticeScope::School, "check-sept.pdf");
    let after = codes(&run(&db, "2026-10"));
    assert!(before.contains("notices.not_printed") && !after.contains("notices.not_printed"), "{after:?}");
    assert_eq!(after.len(), before.len() - 1, "only that finding went: {after:?}");

    // A closure recorded after a day's samples were logged: the kitchen cooked
    // on a day the children were sent home, without saying why.
    let day = "2026-10-21";
    let c = houqin::calendar::Closure { from: d(day), to: d(day), reason: "停电停课".into(), charged: true };
    houqin::school::calendar::add_closure(&mut db, &c).expect("closure");
    let r = run(&db, "2026-10");
    let off_day: Vec<_> = r.findings.iter().filter(|f| f.code == "kitchen.off_day_without_reason").collect();
    assert!(!off_day.is_empty(), "{:#?}", r.findings);
    assert!(off_day.iter().all(|f| f.date == Some(d(day)) && f.area_label == "食品留样"), "{off_day:#?}");

    // JSON for scripts: a list of findings, each with its code.
    let json = serde_json::to_value(&r).expect("json");
    assert!(json["findings"].as_array().expect("findings").iter().all(|f| f["code"].is_string()));
}

#[test]
fn a_payment_whose_receipt_was_never_printed_is_found_until_it_is_printed() {
    use houqin::payments::receipt::{self, ReceiptRef};
    use houqin::payments::{self, PayMethod, PaymentInput, PaymentKind, ReverseInput};
    let mut db = demo();
    let before = codes(&run(&db, "2026-10"));
    assert!(!before.contains("receipts.not_printed"), "the demo's receipts were all printed: {before:?}");
    let child = houqin::school::children::list(db.conn(), &Default::default()).expect("children")[0].id;
    let pay = |db: &mut Db, on: &str| {
        let input = PaymentInput {
            child_id: child,
            kind: PaymentKind::Payment,
            paid_on: d(on),
            amount: "321.00".into(),
            method: PayMethod::Cash,
            note: String::new(),
        };
        payments::add(db, &input).expect("payment")
    };
    let p = pay(&mut db, "2026-10-15");
    let number = p.receipt.expect("a number").to_string();
    let r = run(&db, "2026-10");
    let f = r.findings.iter().find(|f| f.code == "receipts.not_printed").expect("the finding");
    assert_eq!((f.area_label, f.title), ("收款收据", "收款未打印收据"));
    assert!(f.message.contains("2026年10月 有 1 笔收款的收据从未打印") && f.message.contains(&number), "{}", f.message);
    assert!(f.fix.contains("打印收据") && f.fix.contains("houqin payments receipts --month 2026-10"), "{}", f.fix);
    // Scoped by month: November knows nothing of it.
    assert!(!codes(&run(&db, "2026-11")).contains("receipts.not_printed"));

    // A payment cancelled by a 冲销 needs no receipt handed out.
    let wrong = pay(&mut db, "2026-10-16");
    payments::reverse(&mut db, &ReverseInput { id: wrong.id, reason: "录错".into() }).expect("reverse");
    let f = run(&db, "2026-10").findings.into_iter().find(|f| f.code == "receipts.not_printed").expect("still");
    assert!(f.message.contains("有 1 笔"), "{}", f.message);

    receipt::print(&mut db, ReceiptRef::Payment(p.id), &out_dir().join("check-receipt.pdf")).expect("print");
    assert_eq!(codes(&run(&db, "2026-10")), before, "printing it answers the finding");
}

fn found<'a>(r: &'a CheckReport, code: &str) -> Vec<&'a check::Finding> {
    r.findings.iter().filter(|f| f.code == code).collect()
}

/// October closed and its 伙食费收支公示 posted; then a week of sick leave
/// turns up (the doctor's note came late), the month is reopened for it and
/// confirmed again. The posted sheet keeps what was posted, so its 儿童人日数
/// and refund line no longer match the settlement — both before and after the
/// month is confirmed again — until it is withdrawn and published again.
#[test]
fn a_posted_meal_sheet_whose_month_is_settled_again_differs_from_the_settlement() {
    use houqin::meal_account as meal;
    let mut db = demo();
    let oct = m("2026-10");
    db.with_tx(|tx| houqin::settlement::confirm_in_tx(tx, oct, d(TODAY))).expect("close October");
    let posted = meal::publish(&mut db, oct, d("2026-11-10")).expect("publish");
    let before = codes(&run(&db, "2026-10"));
    assert!(!before.contains("meal.child_days_mismatch") && !before.contains("meal.refund_mismatch"), "{before:?}");

    // A child with no leave in the last week of October: Monday 26 to Friday 30, five school days.
    let (week_from, week_to) = ("2026-10-26", "2026-10-30");
    let kids = houqin::school::children::list(
        db.conn(),
        &houqin::school::children::ChildFilter { on: Some(d(week_from)), ..Default::default() },
    )
    .expect("children");
    let child = kids
        .iter()
        .find(|k| {
            houqin::attendance::absences::for_child(db.conn(), k.id, d("2026-10-01"), d("2026-10-31"))
                .expect("absences")
                .is_empty()
        })
        .expect("a child without leave in October")
        .id;
    houqin::settlement::reopen(&mut db, oct, "补记病假").expect("reopen");
    leave(&mut db, child, week_from, week_to);
    let settled = |db: &Db| {
        let view = houqin::settlement::preview(db.conn(), oct).expect("preview");
        let days: u32 = view.result.children.iter().map(|c| c.attended_days).sum();
        let refund = view.result.fees.iter().find(|f| f.fee_id == "meal").expect("meal").refund;
        (days, refund)
    };
    let (days, refund) = settled(&db);
    assert_eq!(days, posted.child_days - 5, "five school days fewer attended");
    assert!(refund > posted.refund, "the week is refunded: {refund:?} vs {:?}", posted.refund);

    let expect = |r: &CheckReport| {
        let f = found(r, "meal.child_days_mismatch");
        assert_eq!(f.len(), 1, "{:#?}", r.findings);
        assert_eq!((f[0].area_label, f[0].title, f[0].date), ("伙食账", "公示人日数与考勤不符", None));
        let says =
            format!("2026年10月已公示的伙食费公示的儿童人日数是 {},而月结的出勤天数之和是 {days}", posted.child_days);
        assert_eq!(f[0].message, says);
        assert!(f[0].fix.contains("撤销这次公示"), "{}", f[0].fix);
        let f = found(r, "meal.refund_mismatch");
        assert_eq!(f.len(), 1, "{:#?}", r.findings);
        assert_eq!((f[0].area_label, f[0].title, f[0].date), ("伙食账", "公示退款与月结不符", None));
        let says = format!(
            "2026年10月已公示的伙食费公示的幼儿退款是 {} 元,而月结的伙食费退费是 {} 元",
            posted.refund.to_grouped_string(),
            refund.to_grouped_string()
        );
        assert_eq!(f[0].message, says);
    };
    // Reopened, with the leave entered: the settlement reads the new figures already.
    expect(&run(&db, "2026-10"));
    // Confirmed again (第 2 版): the posted sheet still holds the old ones.
    db.with_tx(|tx| houqin::settlement::confirm_in_tx(tx, oct, d(TODAY))).expect("close again");
    let r = run(&db, "2026-10");
    expect(&r);
    // The month scoped: September's sheet is not touched.
    let sept = codes(&run(&db, "2026-09"));
    assert!(!sept.contains("meal.child_days_mismatch") && !sept.contains("meal.refund_mismatch"), "{sept:?}");

    // Withdrawn and published again from the settlement as confirmed now: both go.
    meal::withdraw(&mut db, oct, "10 月底一周病假补记,月结重新确认").expect("withdraw");
    let again = meal::publish(&mut db, oct, d("2026-11-12")).expect("publish again");
    assert_eq!((again.child_days, again.refund), (days, refund));
    let after = codes(&run(&db, "2026-10"));
    assert!(!after.contains("meal.child_days_mismatch") && !after.contains("meal.refund_mismatch"), "{after:?}");
}

/// A 停课 entered for a storm day is taken out again (the warning was lifted
/// the evening before and the children came): the day is a school day, and
/// the kitchen, which had gone by the calendar, has no menu for its meals.
#[test]
fn a_school_day_without_a_menu_is_found_for_each_meal() {
    use houqin::kitchen::Meal;
    let mut db = demo();
    let before = codes(&run(&db, "2026-10"));
    let storm = houqin::school::calendar::closures(db.conn())
        .expect("closures")
        .into_iter()
        .find(|c| c.closure.reason == "暴雨红色预警停课")
        .expect("the demo's storm closure");
    let day = storm.closure.from;
    assert_eq!((day.format("%Y-%m").to_string(), storm.closure.to), ("2026-10".to_string(), day));
    houqin::school::calendar::delete_closure(&mut db, storm.id).expect("delete the closure");

    let r = run(&db, "2026-10");
    let mut expected = before.clone();
    expected.insert("kitchen.menu_missing");
    assert_eq!(codes(&r), expected, "{:#?}", r.findings);
    let f = found(&r, "kitchen.menu_missing");
    let meals = [Meal::Breakfast, Meal::Lunch, Meal::AfternoonSnack];
    assert_eq!(f.len(), meals.len(), "one per meal the kitchen serves: {f:#?}");
    let date = format!("{}月{}日", chrono::Datelike::month(&day), chrono::Datelike::day(&day));
    for (f, meal) in f.iter().zip(meals) {
        assert_eq!((f.date, f.area_label, f.title), (Some(day), "食品留样", "在园日没有菜单"));
        assert!(f.message.starts_with(&date), "{}", f.message);
        assert!(f.message.ends_with(&format!("{}没有登记菜单,无法核对留样", meal.label())), "{}", f.message);
    }
    // November knows nothing of it.
    assert!(!codes(&run(&db, "2026-11")).contains("kitchen.menu_missing"));
}

/// 吴师傅's 晨检 of an October morning was typed as 正常; the paper sheet
/// says 37.6 °C and sent home. The entry is corrected (deleted and entered
/// again) after that morning's samples: they were taken by someone the 晨检
/// excluded, which the sample form could not refuse at the time.
#[test]
fn samples_taken_by_a_cook_sent_home_at_the_morning_check_are_found() {
    use houqin::kitchen::logs::{self, Hands, HealthCheckInput, LogKind};
    let mut db = demo();
    let before = codes(&run(&db, "2026-10"));
    let october = houqin::kitchen::samples::samples_between(db.conn(), d("2026-10-01"), d("2026-10-31")).expect("s");
    let day = october.iter().find(|x| x.sampler == "吴师傅").expect("吴师傅 sampled in October").date;
    let his: Vec<_> = october.iter().filter(|x| x.date == day && x.sampler == "吴师傅").collect();
    let typed = logs::health_checks(db.conn(), day, day)
        .expect("checks")
        .into_iter()
        .find(|c| c.staff == "吴师傅")
        .expect("吴师傅's 晨检 that day");
    assert!(typed.fit);
    logs::delete_entry(&mut db, LogKind::Health, typed.id).expect("delete the wrong entry");
    let corrected = HealthCheckInput {
        date: day,
        time: typed.time.clone().unwrap_or_else(|| "07:23".into()),
        staff: "吴师傅".into(),
        temp: "37.6".into(),
        hands: Some(Hands::Normal),
        symptoms: vec![],
        note: "离岗休息".into(),
        checker: "孙医生".into(),
    };
    let now = d(TODAY).and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("time"));
    logs::add_health_check(&mut db, &corrected, now).expect("entered again");

    let r = run(&db, "2026-10");
    let mut expected = before.clone();
    expected.insert("kitchen.unfit_sampler");
    assert_eq!(codes(&r), expected, "{:#?}", r.findings);
    let f = found(&r, "kitchen.unfit_sampler");
    assert_eq!(f.len(), his.len(), "one per sample he took that day: {f:#?}");
    let date = format!("{}月{}日", chrono::Datelike::month(&day), chrono::Datelike::day(&day));
    for (f, x) in f.iter().zip(&his) {
        assert_eq!((f.date, f.area_label, f.title), (Some(day), "食品留样", "留样人晨检不宜上岗"));
        assert!(f.message.starts_with(&date), "{}", f.message);
        assert!(f.message.contains(&format!("{}由吴师傅留样", x.dish)), "{}", f.message);
        assert!(f.message.contains("吴师傅当天晨检不宜上岗(发热 37.6 °C)"), "{}", f.message);
    }
}

/// The stock journal never lets a day end below zero: a receipt reversed
/// after issues, or an issue back-dated before them, is refused with the
/// balance (checked again for every later day inside the writer's lock). So a
/// negative balance can only come from rows changed outside the program — a
/// database edited by hand or with another tool — and that is what this test
/// does, through SQL, after the core refused both ways in.
#[test]
fn a_negative_stock_balance_is_found() {
    use houqin::supplies::items::{self, ItemInput};
    use houqin::supplies::stock::{self, IssueInput, IssueLineInput, ReceiptInput, ReceiptLineInput, ReversalInput};
    let mut db = demo();
    let before = codes(&run(&db, "2026-10"));
    let item = items::add(
        &mut db,
        &ItemInput {
            name: "一次性口罩".into(), category: "卫生用品".into(), unit: "盒".into(), ..Default::default()
        },
    )
    .expect("item");
    let code = items::get(db.conn(), item).expect("item").code;
    let class = houqin::school::classes::list(db.conn()).expect("classes")[0].name.clone();
    let line =
        || ReceiptLineInput { item_id: Some(item), qty: "10".into(), unit_price: "12.50".into(), ..Default::default() };
    let receipt = stock::receive(
        &mut db,
        &ReceiptInput {
            date: "2026-11-02".into(),
            supplier: "康宁医疗".into(),
            lines: vec![line()],
            ..Default::default()
        },
    )
    .expect("receipt");
    let issue = |db: &mut Db, date: &str, qty: &str| {
        stock::issue(
            db,
            &IssueInput {
                date: date.into(),
                to: class.clone(),
                requester: "陈老师".into(),
                lines: vec![IssueLineInput { item_id: Some(item), qty: qty.into(), ..Default::default() }],
                ..Default::default()
            },
        )
    };
    let slip = issue(&mut db, "2026-11-05", "4").expect("issue");
    // The core's ways in are closed: the receipt cannot be reversed once 4
    // are out, nor can 8 go out before the slip that took them.
    let reverse = ReversalInput { doc_id: Some(receipt.id), reason: "供应商送错".into(), ..Default::default() };
    assert!(stock::reverse(&mut db, &reverse).is_err(), "reversing the receipt would leave -4");
    assert!(issue(&mut db, "2026-11-03", "8").is_err(), "a back-dated issue of 8 would leave -2 on the 5th");
    assert_eq!(codes(&run(&db, "2026-10")), before);

    // The slip's line changed outside the program: 12 out instead of 4.
    let moved = stock::doc(db.conn(), slip.id).expect("slip").lines[0].id;
    db.conn().exec("UPDATE stock_movements SET qty = -12 WHERE id = ?1", &houqin::args![moved]).expect("edit by hand");
    let r = run(&db, "2026-10");
    let mut expected = before.clone();
    expected.insert("supplies.negative_stock");
    assert_eq!(codes(&r), expected, "{:#?}", r.findings);
    let f = found(&r, "supplies.negative_stock");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].area_label, f[0].title, f[0].date), ("物品领用", "库存为负数", None));
    assert!(f[0].message.starts_with(&format!("一次性口罩({code})结存 -2 盒")), "{}", f[0].message);
}

/// September's notices printed for one class only: the rest of the school's
/// families never got theirs, which printing refuses family by family — and
/// the check finds them, by class, with how many; a few by name.
#[test]
fn a_month_printed_for_some_classes_only_names_the_families_left() {
    let mut db = demo();
    let sept = m("2026-09");
    let plan = houqin::notices::plan(db.conn(), sept, NoticeScope::School).expect("plan");
    let families = plan.rows.len();
    let classes = houqin::school::classes::list(db.conn()).expect("classes");
    let (first, rest) = classes.split_first().expect("classes");
    print(&mut db, "2026-09", NoticeScope::Class { class_id: first.id }, "check-sept-first-class.pdf");
    let printed =
        houqin::notices::plan(db.conn(), sept, NoticeScope::Class { class_id: first.id }).expect("plan").rows.len();
    assert!(printed > 0 && printed < families);

    let r = run(&db, "2026-10");
    let f = found(&r, "notices.not_printed");
    assert_eq!(f.len(), 1, "{f:#?}");
    let left = families - printed;
    let head = format!("2026年9月 已结账,有 {left} 个家庭的通知单没有打印(共 {families} 个家庭):");
    assert!(f[0].message.starts_with(&head), "{}", f[0].message);
    assert_eq!((f[0].area_label, f[0].title, f[0].date), ("通知单", "已结账月份的通知单未打印", None));
    let per_class = |db: &Db, c: &houqin::school::classes::ClassInfo| {
        houqin::notices::plan(db.conn(), sept, NoticeScope::Class { class_id: c.id }).map_or(0, |p| p.rows.len())
    };
    for c in rest.iter().filter(|c| per_class(&db, c) > 0) {
        let n = per_class(&db, c);
        assert!(f[0].message.contains(&format!("{} {n} 户", c.name)), "{}: {}", c.name, f[0].message);
        assert!(f[0].fix.contains(&c.name), "{}", f[0].fix);
    }
    assert!(!f[0].message.contains(&first.name) && !f[0].fix.contains(&first.name), "{}", f[0].message);

    // Every class but the last, and the last one's children but two: those two, by name.
    let (last, middle) = rest.split_last().expect("more classes");
    for c in middle {
        if per_class(&db, c) > 0 {
            print(&mut db, "2026-09", NoticeScope::Class { class_id: c.id }, "check-sept-class.pdf");
        }
    }
    let last_rows =
        houqin::notices::plan(db.conn(), sept, NoticeScope::Class { class_id: last.id }).expect("plan").rows;
    let (two, others) = last_rows.split_at(2);
    for kid in others {
        print(&mut db, "2026-09", NoticeScope::Child { child_id: kid.child_id }, "check-sept-child.pdf");
    }
    let r = run(&db, "2026-10");
    let f = found(&r, "notices.not_printed");
    assert_eq!(f.len(), 1, "{f:#?}");
    let names = format!("{} 2 户({}、{})", last.name, two[0].child, two[1].child);
    assert!(
        f[0].message.contains(&format!("有 2 个家庭的通知单没有打印(共 {families} 个家庭):{names}")),
        "{}",
        f[0].message
    );

    // October closed and printed past September (the bursar said September's
    // bills went out some other way): printing no longer asks, nor does the check.
    db.with_tx(|tx| houqin::settlement::confirm_in_tx(tx, m("2026-10"), d(TODAY))).expect("close October");
    let err = houqin::notices::print(
        &mut db,
        m("2026-10"),
        NoticeScope::School,
        houqin::notices::EarlierUnprinted::Refuse,
        &out_dir().join("check-oct-refused.pdf"),
        &mut |_| {},
    )
    .expect_err("September's two come first");
    assert!(err.to_string().contains("2026年9月(2 户)"), "{err}");
    print_anyway(&mut db, "2026-10", NoticeScope::School, "check-oct.pdf");
    assert!(!codes(&run(&db, "2026-10")).contains("notices.not_printed"));
}
