//! The audit trail: every change to absences, fee rules, the month's status
//! and the school calendar leaves a row with the operator, the entity, and the
//! values before and after — written in the same transaction as the change.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use houqin::attendance::absences::{self, AbsenceChange};
use houqin::calendar::HolidayEntry;
use houqin::db::audit::{self, AuditEntry};
use houqin::db::Db;
use houqin::refund::{FeeItem, LeaveKind};
use houqin::school::calendar;
use houqin::school::ChildId;
use houqin::settlement;
use serde_json::json;

mod common;
use common::{d, enrol_on, m, one_class};

fn meal(rate: &str) -> FeeItem {
    FeeItem::from_json(&format!(
        r#"{{"id":"meal","name":"伙食费","charge":{{"per_day":"{rate}"}},
            "refund":{{"per_day":{{"min_run":3,"unrefunded_per_run":0,"kinds":["sick"]}}}}}}"#
    ))
    .expect("rule")
}

fn school() -> (Db, ChildId) {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("李会计");
    let class = one_class(&mut db, "大一班");
    let child = enrol_on(&mut db, class, "001", "王小明", "2024-09-01");
    (db, child)
}

/// The newest row for `entity`, after checking how many rows it has.
fn latest(db: &Db, entity: &str, rows: usize) -> AuditEntry {
    let all = audit::recent(db.conn(), Some(entity), 100).expect("audit");
    assert_eq!(all.len(), rows, "{entity} rows: {all:#?}");
    all.into_iter().next().expect("a row")
}

fn absence(db: &mut Db, child: ChildId, from: &str, to: &str, kind: Option<LeaveKind>) {
    absences::apply(db, &AbsenceChange { child_id: child, from: d(from), to: d(to), kind, note: "".into() })
        .expect("absence");
}

#[test]
fn marking_and_clearing_absences_is_audited_with_the_ranges_before_and_after() {
    let (mut db, child) = school();
    absence(&mut db, child, "2024-11-11", "2024-11-15", Some(LeaveKind::Sick));
    let mark = latest(&db, "absence", 1);
    assert_eq!(
        (mark.operator.as_str(), mark.entity_id.clone(), mark.action.as_str()),
        ("李会计", child.to_string(), "mark")
    );
    assert_eq!(mark.before, Some(json!([])), "nothing was there before");
    let after = mark.after.expect("after");
    assert_eq!(after["change"]["kind"], json!("sick"));
    assert_eq!(after["ranges"][0]["from"], json!("2024-11-11"));
    assert_eq!(after["ranges"][0]["to"], json!("2024-11-15"));

    // Clearing the Wednesday splits the range; the row keeps the old range.
    db.set_operator("赵出纳");
    absence(&mut db, child, "2024-11-13", "2024-11-13", None);
    let clear = latest(&db, "absence", 2);
    assert_eq!((clear.operator.as_str(), clear.action.as_str()), ("赵出纳", "clear"));
    let before = clear.before.expect("before");
    assert_eq!((before[0]["from"].clone(), before[0]["to"].clone()), (json!("2024-11-11"), json!("2024-11-15")));
    let ranges = clear.after.expect("after")["ranges"].clone();
    let spans: Vec<(String, String)> = ranges
        .as_array()
        .expect("ranges")
        .iter()
        .map(|r| (r["from"].as_str().expect("from").into(), r["to"].as_str().expect("to").into()))
        .collect();
    assert_eq!(spans, vec![("2024-11-11".into(), "2024-11-12".into()), ("2024-11-14".into(), "2024-11-15".into())]);

    // A refused change (before enrolment) writes no audit row.
    let refused = absences::apply(
        &mut db,
        &AbsenceChange {
            child_id: child,
            from: d("2024-08-01"),
            to: d("2024-08-02"),
            kind: Some(LeaveKind::Sick),
            note: "".into(),
        },
    );
    assert!(refused.is_err());
    latest(&db, "absence", 2);
}

#[test]
fn saving_fee_rules_is_audited_with_the_old_rules() {
    let (mut db, _) = school();
    settlement::save_rules(&mut db, m("2024-11"), &[meal("12.00")], "").expect("first");
    let create = latest(&db, "fee_rules", 1);
    assert_eq!(
        (create.operator.as_str(), create.entity_id.as_str(), create.action.as_str()),
        ("李会计", "2024-11", "create")
    );
    assert_eq!(create.before, None);
    assert_eq!(create.after.expect("after")[0]["charge"]["per_day"], json!("12.00"));

    settlement::save_rules(&mut db, m("2024-11"), &[meal("15.00")], "涨价").expect("update");
    let update = latest(&db, "fee_rules", 2);
    assert_eq!(update.action, "update");
    assert_eq!(update.before.expect("before")[0]["charge"]["per_day"], json!("12.00"));
    assert_eq!(update.after.expect("after")[0]["charge"]["per_day"], json!("15.00"));
}

#[test]
fn closing_and_reopening_a_month_is_audited() {
    let (mut db, child) = school();
    settlement::save_rules(&mut db, m("2024-11"), &[meal("15.00")], "").expect("rules");
    absence(&mut db, child, "2024-11-11", "2024-11-15", Some(LeaveKind::Sick));
    settlement::confirm(&mut db, m("2024-11")).expect("close");
    let close = latest(&db, "settlement", 1);
    assert_eq!(
        (close.operator.as_str(), close.entity_id.as_str(), close.action.as_str()),
        ("李会计", "2024-11", "confirm")
    );
    assert_eq!(close.before, Some(json!({ "status": "open" })));
    let after = close.after.expect("after");
    assert_eq!((after["status"].clone(), after["revision"].clone()), (json!("closed"), json!(1)));
    assert_eq!(after["refund_fen"], json!(5 * 1500));

    db.set_operator("王园长");
    settlement::reopen(&mut db, m("2024-11"), "漏记请假").expect("reopen");
    let reopen = latest(&db, "settlement", 2);
    assert_eq!((reopen.operator.as_str(), reopen.action.as_str()), ("王园长", "reopen"));
    assert_eq!(reopen.before, Some(json!({ "revision": 1, "status": "closed" })));
    assert_eq!(reopen.after, Some(json!({ "status": "reopened", "reason": "漏记请假" })));

    settlement::confirm(&mut db, m("2024-11")).expect("close again");
    let again = latest(&db, "settlement", 3);
    assert_eq!(again.before, Some(json!({ "status": "reopened" })));
    assert_eq!(again.after.expect("after")["revision"], json!(2));

    // Refused (already closed): no row.
    settlement::confirm(&mut db, m("2024-11")).expect_err("twice");
    latest(&db, "settlement", 3);
}

/// Regression: replacing a holiday correction recorded `before: null`.
#[test]
fn replacing_a_calendar_correction_keeps_the_old_one_in_the_audit_trail() {
    let (mut db, _) = school();
    let day = d("2027-01-01");
    calendar::set_override(&mut db, &HolidayEntry { date: day, name: "元旦".into(), is_off_day: true }).expect("set");
    let set = latest(&db, "calendar_day", 1);
    assert_eq!((set.operator.as_str(), set.entity_id.as_str(), set.action.as_str()), ("李会计", "2027-01-01", "set"));
    assert_eq!(set.before, None);
    assert_eq!(set.after, Some(json!({ "date": "2027-01-01", "name": "元旦", "is_off_day": true })));

    calendar::set_override(&mut db, &HolidayEntry { date: day, name: " 元旦调休 ".into(), is_off_day: false })
        .expect("replace");
    let replace = latest(&db, "calendar_day", 2);
    assert_eq!(replace.action, "update");
    assert_eq!(replace.before, Some(json!({ "date": "2027-01-01", "name": "元旦", "is_off_day": true })));
    assert_eq!(replace.after, Some(json!({ "date": "2027-01-01", "name": "元旦调休", "is_off_day": false })));

    calendar::remove_override(&mut db, day).expect("remove");
    let remove = latest(&db, "calendar_day", 3);
    assert_eq!(remove.action, "remove");
    assert_eq!(remove.before, Some(json!({ "date": "2027-01-01", "name": "元旦调休", "is_off_day": false })));
    assert_eq!(remove.after, None);
    calendar::remove_override(&mut db, day).expect_err("nothing left to remove");
    latest(&db, "calendar_day", 3);
}
