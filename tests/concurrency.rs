//! Several PCs at once (issue 13 §4): two writers on one database never lose a
//! write, and two closes of one month end with exactly one closed month. Runs
//! on an SQLite file shared by two connections, and — when `HOUQIN_TEST_DB`
//! names a server — on one PostgreSQL schema shared by two connections.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::PathBuf;
use std::thread;

use chrono::NaiveDate;
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::school::children::{self, ChildDetails, ChildFilter, NewChild};
use houqin::school::classes::{self, ClassInput};
use houqin::school::{ClassId, Gender, Grade};
use houqin::{settlement, Error};

/// How to open one more connection to the database a test made.
#[derive(Clone)]
enum Place {
    File(PathBuf),
    Server(Box<houqin::store::ServerUrl>),
}

impl Place {
    /// Another PC: on a file the operator of today; on a server everyone
    /// signs in, here as the bursar (school set-up, absences, fees).
    fn open(&self) -> Db {
        match self {
            Place::File(p) => {
                let mut db = Db::open(p).expect("open the file");
                db.set_operator("测试");
                db
            }
            Place::Server(u) => {
                let mut db = Db::connect(u).expect("connect");
                houqin::auth::sign_in(&mut db, BURSAR, PASSWORD).expect("the bursar signs in");
                db
            }
        }
    }
}

const BURSAR: &str = "李会计";
const PASSWORD: &str = "pass-word-1";

/// A fresh database and the way to reach it again (the first connection is
/// kept open for the test: on a server, dropping it drops the schema).
fn fresh(name: &str) -> (Db, Place) {
    let mut db = Db::open_scratch().expect("scratch");
    if let Some(url) = db.server() {
        let place = Place::Server(Box::new(url.clone()));
        // The other PCs sign in; this first connection (the test's own
        // scratch schema) goes on as the operator.
        houqin::auth::create_first_admin(&mut db, "王管理", PASSWORD).expect("admin");
        houqin::auth::sign_in(&mut db, "王管理", PASSWORD).expect("admin signs in");
        houqin::auth::add_user(&mut db, BURSAR, houqin::auth::Role::Bursar, PASSWORD).expect("bursar");
        db.sign_out();
        db.set_operator("测试");
        return (db, place);
    }
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("conc-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("houqin.db");
    let mut db = Db::open(&path).expect("open");
    db.set_operator("测试");
    (db, Place::File(path))
}

fn child(no: String, class: ClassId) -> NewChild {
    NewChild {
        details: ChildDetails {
            name: "并发".into(),
            gender: Gender::Male,
            birth_date: None,
            student_no: no,
            guardian_name: "".into(),
            guardian_phone: "".into(),
            enrolled_on: NaiveDate::from_ymd_opt(2025, 9, 1).expect("date"),
        },
        class_id: class,
    }
}

#[test]
fn two_writers_at_once_lose_no_write() {
    let (mut db, place) = fresh("writers");
    let class =
        classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "".into() })
            .expect("class");
    const EACH: usize = 40;
    let writers: Vec<_> = ["A", "B"]
        .into_iter()
        .map(|who| {
            let place = place.clone();
            thread::spawn(move || {
                let mut db = place.open();
                for i in 0..EACH {
                    children::add(&mut db, &child(format!("{who}{i:03}"), class)).expect("every write succeeds");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    let all = children::list(db.conn(), &ChildFilter { include_left: true, ..Default::default() }).expect("list");
    assert_eq!(all.len(), 2 * EACH, "every child of both writers is there");
}

#[test]
fn a_check_read_inside_the_write_holds_when_two_writers_race() {
    // Both writers add the same 学号 at once: the uniqueness check is read
    // inside each write's transaction, so exactly one is saved and the other
    // is told why (not a database error, not two children).
    let (mut db, place) = fresh("race");
    let class =
        classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "".into() })
            .expect("class");
    for round in 0..10 {
        let racers: Vec<_> = (0..2)
            .map(|_| {
                let place = place.clone();
                thread::spawn(move || {
                    let mut db = place.open();
                    children::add(&mut db, &child(format!("R{round}"), class))
                })
            })
            .collect();
        let results: Vec<_> = racers.into_iter().map(|r| r.join().expect("racer")).collect();
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "round {round}: exactly one saved");
        let err = results.into_iter().find_map(Result::err).expect("one refused");
        assert!(matches!(err, Error::Conflict(_)), "round {round}: told clearly, got {err:?}");
    }
    let all = children::list(db.conn(), &ChildFilter { include_left: true, ..Default::default() }).expect("list");
    assert_eq!(all.len(), 10);
}

#[test]
fn two_pcs_closing_the_same_month_one_succeeds() {
    // Two PCs press 确认结账 for September at the same moment. The checks
    // (already closed? an earlier month open?) and the preview that is stored
    // are read inside the closing transaction, so the second waits for the
    // first, then sees September closed and is told so — never two closed
    // settlements of one month, never a database error.
    let (mut db, place) = fresh("close");
    let class =
        classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "".into() })
            .expect("class");
    for i in 0..5 {
        children::add(&mut db, &child(format!("C{i:03}"), class)).expect("child");
    }
    let meal = houqin::refund::FeeItem::from_json(
        r#"{"id":"meal","name":"伙食费","charge":{"per_day":"15.00"},
            "refund":{"per_day":{"min_run":3,"unrefunded_per_run":0,"kinds":["sick"]}}}"#,
    )
    .expect("rule");
    let september: YearMonth = "2026-09".parse().expect("month");
    settlement::save_rules(&mut db, september, &[meal], "").expect("rules");
    const ROUNDS: i64 = 4;
    for round in 1..=ROUNDS {
        let closers: Vec<_> = (0..2)
            .map(|_| {
                let place = place.clone();
                thread::spawn(move || settlement::confirm(&mut place.open(), september).map(|v| v.revision))
            })
            .collect();
        let results: Vec<_> = closers.into_iter().map(|c| c.join().expect("closer")).collect();
        let closed: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(closed, [&Some(round)], "round {round}: exactly one closed September, as 第 {round} 版");
        let err = results.into_iter().find_map(Result::err).expect("one refused");
        assert!(matches!(&err, Error::Conflict(m) if m.contains("2026年9月 已经结账")), "round {round}: {err:?}");
        let view = settlement::preview(db.conn(), september).expect("view");
        assert_eq!(view.revision, Some(round));
        if round < ROUNDS {
            settlement::reopen(&mut db, september, "并发测试").expect("reopen for the next round");
        }
    }
    let stored: i64 = db.conn().value("SELECT COUNT(*) FROM settlements", &[]).expect("count");
    assert_eq!(stored, ROUNDS, "one settlement per round, none twice");
}

#[test]
fn two_pcs_recording_payments_at_once_fill_the_receipt_book_without_a_gap() {
    // The next receipt number is read inside each payment's transaction, so
    // two desks taking money at the same time never get the same number and
    // never skip one.
    use houqin::payments::{self, PayMethod, PaymentInput, PaymentKind};
    let (mut db, place) = fresh("receipts");
    let class =
        classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "".into() })
            .expect("class");
    let kid = children::add(&mut db, &child("P001".into(), class)).expect("child");
    const EACH: usize = 15;
    let desks: Vec<_> = (0..2)
        .map(|_| {
            let place = place.clone();
            thread::spawn(move || {
                let mut db = place.open();
                let input = PaymentInput {
                    child_id: kid,
                    kind: PaymentKind::Payment,
                    paid_on: NaiveDate::from_ymd_opt(2026, 3, 5).expect("date"),
                    amount: "10".into(),
                    method: PayMethod::Cash,
                    note: String::new(),
                };
                (0..EACH).map(|_| payments::add(&mut db, &input).expect("every payment saved")).count()
            })
        })
        .collect();
    for d in desks {
        assert_eq!(d.join().expect("desk"), EACH);
    }
    let mut seqs: Vec<i64> = payments::list(db.conn(), &Default::default())
        .expect("list")
        .iter()
        .map(|p| p.receipt.expect("a number").seq)
        .collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=2 * EACH as i64).collect::<Vec<_>>(), "1 to {} once each", 2 * EACH);
}
