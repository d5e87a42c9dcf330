//! Several PCs at once (issue 13 §4): two writers on one database never lose a
//! write, and two closes of one month end with exactly one closed month. Runs
//! on an SQLite file shared by two connections, and — when `HOUQIN_TEST_DB`
//! names a server — on one PostgreSQL schema shared by two connections.

use std::path::PathBuf;
use std::thread;

use chrono::NaiveDate;
use houqin::db::Db;
use houqin::school::children::{self, ChildDetails, ChildFilter, NewChild};
use houqin::school::classes::{self, ClassInput};
use houqin::school::{ClassId, Gender, Grade};
use houqin::Error;

/// How to open one more connection to the database a test made.
#[derive(Clone)]
enum Place {
    File(PathBuf),
    Server(Box<houqin::store::ServerUrl>),
}

impl Place {
    fn open(&self) -> Db {
        let mut db = match self {
            Place::File(p) => Db::open(p).expect("open the file"),
            Place::Server(u) => Db::connect(u).expect("connect"),
        };
        db.set_operator("测试");
        db
    }
}

/// A fresh database and the way to reach it again (the first connection is
/// kept open for the test: on a server, dropping it drops the schema).
fn fresh(name: &str) -> (Db, Place) {
    let db = Db::open_scratch().expect("scratch");
    if let Some(url) = db.server() {
        let place = Place::Server(Box::new(url.clone()));
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
