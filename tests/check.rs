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
