//! The month settlement from the database: preview, confirm, corrections to a
//! closed month carried as adjustments into the next month, reopen rules.

use chrono::NaiveDate;
use houqin::attendance::absences::{self, AbsenceChange};
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::refund::{FeeItem, LeaveKind};
use houqin::school::children::{self, ChildDetails, NewChild};
use houqin::school::classes::{self, ClassInput};
use houqin::school::{ChildId, Gender, Grade};
use houqin::settlement::{self, SettlementStatus};
use houqin::{Error, Fen};

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}
fn m(s: &str) -> YearMonth {
    s.parse().expect("month")
}

fn meal_rule() -> FeeItem {
    FeeItem::from_json(
        r#"{"id":"meal","name":"伙食费","charge":{"per_day":"10.50"},
            "refund":{"per_day":{"min_run":2,"unrefunded_per_run":1,"kinds":["sick","personal"]}}}"#,
    )
    .expect("rule")
}

fn school() -> (Db, ChildId, ChildId) {
    let mut db = Db::open_in_memory().expect("db");
    let class =
        classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "".into() })
            .expect("class");
    let mut add = |no: &str, name: &str| {
        children::add(
            &mut db,
            &NewChild {
                details: ChildDetails {
                    name: name.into(),
                    gender: Gender::Female,
                    birth_date: None,
                    student_no: no.into(),
                    guardian_name: "".into(),
                    guardian_phone: "".into(),
                    enrolled_on: d("2024-09-01"),
                },
                class_id: class,
            },
        )
        .expect("child")
    };
    let a = add("001", "王小明");
    let b = add("002", "李小红");
    settlement::save_rules(&mut db, m("2024-09"), &[meal_rule()], "").expect("rules");
    (db, a, b)
}

fn sick(db: &mut Db, child: ChildId, from: &str, to: &str) {
    absences::apply(
        db,
        &AbsenceChange { child_id: child, from: d(from), to: d(to), kind: Some(LeaveKind::Sick), note: "".into() },
    )
    .expect("absence");
}

#[test]
fn preview_matches_the_shenzhen_rule_from_the_database() {
    let (mut db, a, _) = school();
    // November 2024: 21 school days; 11–15 is a run of 5 → refund 4 days.
    sick(&mut db, a, "2024-11-11", "2024-11-15");
    let v = settlement::preview(db.conn(), m("2024-11")).expect("preview");
    assert_eq!(v.status, SettlementStatus::Open);
    assert_eq!(v.result.school_days, 21);
    let child = v.result.children.iter().find(|c| c.child_id == a.to_string()).expect("child");
    assert_eq!(child.charged, Fen(22050));
    assert_eq!(child.refund, Fen(4200));
    assert_eq!(v.result.refund, Fen(4200));
    assert!(child.fees[0].lines.iter().any(|l| l.text.contains("11月")), "explained by dates");
}

#[test]
fn a_correction_to_a_closed_month_becomes_next_months_adjustment() {
    let (mut db, a, b) = school();
    sick(&mut db, a, "2024-11-11", "2024-11-15");
    let closed = settlement::confirm(&mut db, m("2024-11")).expect("confirm");
    assert_eq!(closed.status, SettlementStatus::Closed);
    assert_eq!(closed.result.refund, Fen(4200));

    // The bursar learns child b was also off sick 18–20 November (3 days → 2 refunded).
    sick(&mut db, b, "2024-11-18", "2024-11-20");
    let nov = settlement::preview(db.conn(), m("2024-11")).expect("closed view");
    assert_eq!(nov.result.refund, Fen(4200), "the confirmed month is not rewritten");

    let dec = settlement::preview(db.conn(), m("2024-12")).expect("december");
    assert_eq!(dec.adjustments.len(), 1);
    let adj = &dec.adjustments[0];
    assert_eq!((adj.child_id, adj.amount, adj.label.as_str()), (b, Fen(2100), "补退"));
    assert_eq!(adj.origin_month, m("2024-11"));
    assert!(adj.explanation.contains("2024年11月"));

    settlement::confirm(&mut db, m("2024-12")).expect("confirm december");
    let jan = settlement::preview(db.conn(), m("2025-01")).expect("january");
    assert!(jan.adjustments.is_empty(), "an adjustment is carried once");

    // Undoing the correction now owes the school the money back (补收).
    absences::apply(
        &mut db,
        &AbsenceChange { child_id: b, from: d("2024-11-18"), to: d("2024-11-20"), kind: None, note: "".into() },
    )
    .expect("clear");
    let jan = settlement::preview(db.conn(), m("2025-01")).expect("january");
    assert_eq!(jan.adjustments.len(), 1);
    assert_eq!((jan.adjustments[0].amount, jan.adjustments[0].label.as_str()), (Fen(-2100), "补收"));
}

#[test]
fn closing_rules_and_reopening_are_guarded() {
    let (mut db, _, _) = school();
    settlement::confirm(&mut db, m("2024-11")).expect("confirm");
    let again = settlement::confirm(&mut db, m("2024-11")).expect_err("twice");
    assert!(again.to_string().contains("已经结账"));
    let earlier = settlement::confirm(&mut db, m("2024-10")).expect_err("earlier");
    assert!(matches!(earlier, Error::Conflict(_)));
    let future = settlement::confirm(&mut db, m("2099-01")).expect_err("future");
    assert!(future.to_string().contains("不能结账"));

    let rules = settlement::save_rules(&mut db, m("2024-11"), &[meal_rule()], "").expect_err("closed month");
    assert!(rules.to_string().contains("新规则最早从 2024年12月 起生效"), "{rules}");
    settlement::save_rules(&mut db, m("2024-12"), &[meal_rule()], "涨价前").expect("next month is fine");

    settlement::confirm(&mut db, m("2024-12")).expect("december");
    let no_reason = settlement::reopen(&mut db, m("2024-12"), " ").expect_err("reason required");
    assert!(no_reason.to_string().contains("原因"));
    let not_latest = settlement::reopen(&mut db, m("2024-11"), "更正").expect_err("not the latest");
    assert!(not_latest.to_string().contains("最近结账"));
    settlement::reopen(&mut db, m("2024-12"), "漏记请假").expect("reopen");
    let v = settlement::preview(db.conn(), m("2024-12")).expect("open again");
    assert_eq!(v.status, SettlementStatus::Open);
    let audit = houqin::db::audit::recent(db.conn(), Some("settlement"), 1).expect("audit");
    assert_eq!(audit[0].action, "reopen");
    let again = settlement::confirm(&mut db, m("2024-12")).expect("confirm again");
    assert_eq!(again.revision, Some(2));
}

#[test]
fn no_rules_is_a_clear_message() {
    let mut db = Db::open_in_memory().expect("db");
    let e = settlement::preview(db.conn(), m("2024-11")).expect_err("no rules");
    assert!(e.to_string().contains("没有生效的收费规则"));
    let bad = FeeItem::from_json(r#"{"id":"meal","name":"伙食费","charge":{"per_day":"-1.00"}}"#);
    assert!(bad.is_err());
    let _ = &mut db;
}

#[test]
fn settlement_exports_to_xlsx() {
    let (mut db, a, _) = school();
    sick(&mut db, a, "2024-11-11", "2024-11-15");
    let v = settlement::preview(db.conn(), m("2024-11")).expect("preview");
    let bytes = settlement::xlsx::to_bytes(&v).expect("xlsx");
    let path = std::env::temp_dir().join(format!("houqin-settle-{}.xlsx", std::process::id()));
    std::fs::write(&path, &bytes).expect("write");
    let table = houqin::import::read_table(&path).expect("read back");
    assert!(table.headers.iter().any(|h| h == "班级"), "{:?}", table.headers);
    let _ = std::fs::remove_file(path);
}

/// Regression: a child who left before the month still has leave on record
/// inside the look-back window; the month must settle without them.
#[test]
fn a_child_who_left_last_month_does_not_stop_this_months_settlement() {
    let (mut db, a, b) = school();
    sick(&mut db, b, "2024-10-14", "2024-10-18");
    children::set_left(&mut db, b, Some(d("2024-10-31"))).expect("leave");
    sick(&mut db, a, "2024-11-11", "2024-11-15");
    let v = settlement::preview(db.conn(), m("2024-11")).expect("settles");
    assert_eq!(v.result.children.len(), 1);
    assert_eq!(v.result.refund, Fen(4200));
    let trial = settlement::trial(db.conn(), m("2024-11"), &[meal_rule()]).expect("trial settles");
    assert_eq!(trial.refund, Fen(4200));
}
