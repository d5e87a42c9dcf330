//! Moving a school between a file and a server (`server push` / `pull`):
//! every row and every fen arrives, a server with data is not overwritten,
//! and a copy is written whole or not at all. The server tests run when
//! `HOUQIN_TEST_DB` names a PostgreSQL server (CI starts one); the file to
//! file copy runs everywhere.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use houqin::db::Db;
use houqin::store::copy;
use houqin::{demo, server, settlement, Error};

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

fn today() -> NaiveDate {
    houqin::dates::today()
}

/// The demo school in a file of its own.
fn demo_file(dir: &Path) -> PathBuf {
    let path = dir.join("demo.db");
    let mut db = Db::open(&path).expect("open");
    db.set_operator("测试");
    demo::load(&mut db, today()).expect("demo");
    path
}

/// What a closed month shows, without the confirmation time (the one thing a
/// copy may round: PostgreSQL keeps microseconds).
fn closed_month_view(db: &Db) -> serde_json::Value {
    let month = settlement::last_closed_month(db.conn()).expect("read").expect("the demo closes months");
    let mut v = serde_json::to_value(settlement::preview(db.conn(), month).expect("preview")).expect("json");
    v["confirmed_at"] = serde_json::Value::Null;
    v
}

#[test]
fn a_copy_to_a_file_keeps_every_row_and_every_fen() {
    let dir = temp_dir("file");
    let original = Db::open(&demo_file(&dir)).expect("open");
    let copy_path = dir.join("copy.db");
    let counts = server::pull(&original, &copy_path).expect("pull");
    assert!(counts.iter().any(|c| c.table == "payments" && c.rows > 0), "the demo's payments came along");
    let copied = Db::open(&copy_path).expect("open the copy");
    assert_eq!(copy::counts(copied.conn()).expect("counts"), copy::counts(original.conn()).expect("counts"));
    assert_eq!(closed_month_view(&copied), closed_month_view(&original));

    // An existing file is never overwritten, and no temporary file is left.
    let err = server::pull(&original, &copy_path).expect_err("exists");
    assert!(err.to_string().contains("已存在"), "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_school_pushed_to_a_server_and_pulled_back_is_the_same_to_the_fen() {
    if houqin::db::test_server().expect("HOUQIN_TEST_DB").is_none() {
        eprintln!("skipped: HOUQIN_TEST_DB names no PostgreSQL server");
        return;
    }
    let dir = temp_dir("push");
    let file = demo_file(&dir);
    let mut server_db = Db::open_scratch().expect("a fresh server schema");
    let pushed = server::push(&file, &mut server_db, Some(("王管理", "admin-pass-1"))).expect("push");
    let original = Db::open(&file).expect("open");
    assert_eq!(pushed, copy::counts(original.conn()).expect("counts"), "checked before commit");
    assert_eq!(houqin::auth::list(server_db.conn()).expect("users").len(), 1, "the first administrator");

    // A server that holds a school already is refused, and keeps what it has.
    let err = server::push(&file, &mut server_db, Some(("王管理", "admin-pass-1"))).expect_err("not empty");
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");

    // Pulling needs an administrator's sign-in (on another connection: the
    // test's own scratch schema handle acts as an operator, as on a file).
    let back_path = dir.join("back.db");
    let other_pc = Db::connect(server_db.server().expect("a server")).expect("connect");
    assert!(matches!(server::pull(&other_pc, &back_path), Err(Error::SignInNeeded)), "not signed in");
    houqin::auth::sign_in(&mut server_db, "王管理", "admin-pass-1").expect("sign in");
    server::pull(&server_db, &back_path).expect("pull");
    let back = Db::open(&back_path).expect("open");
    let mut expected = copy::counts(original.conn()).expect("counts");
    let users = expected.iter_mut().find(|c| c.table == "users").expect("users");
    users.rows += 1;
    let audit = expected.iter_mut().find(|c| c.table == "audit_log").expect("audit");
    audit.rows += 1; // the administrator's creation
    assert_eq!(copy::counts(back.conn()).expect("counts"), expected);
    assert_eq!(closed_month_view(&back), closed_month_view(&original));
}
