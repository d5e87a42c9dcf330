//! 体检 (`houqin::check`, `houqin check`): the demo school passes every
//! cross-module check but for what it plants on purpose, and a problem made
//! in one module is found with its code; fixing it makes the finding go.
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
    let f = r.findings.iter().find(|f| f.code == "notices.not_printed").expect("notices");
    assert!(f.message.starts_with("2026年9月 已结账,但 ") && f.message.contains("户的通知单从未打印"), "{}", f.message);
    assert_eq!((f.area_label, f.title), ("通知单", "已结账月份的通知单未打印"));

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
