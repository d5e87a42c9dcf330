//! Two PCs writing at once, as two real programs (issue 13 §6: "two
//! processes × many writes"): two workers each run the `houqin` command line
//! many times in a row against the same database, so two processes write
//! side by side the whole time, each goods receipt (入库单) its own
//! transaction that takes the next document number. Afterwards every receipt
//! is there exactly once, with a number of its own, the balance is their sum,
//! and no command reported a failure.
//!
//! On an SQLite file always; on the PostgreSQL server too when
//! `HOUQIN_TEST_DB` names one (a scratch schema, signed in as the asset
//! keeper, whose role writes supplies).
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::thread;

use houqin::db::{test_server, Db};
use serde_json::Value;

/// Receipts each of the two processes writes: fewer on a server, where each
/// run of the program also connects and signs in (a password hash).
const FILE_WRITES: usize = 25;
const SERVER_WRITES: usize = 15;

const ADMIN: (&str, &str) = ("王园长", "admin-pass-1");
const KEEPER: (&str, &str) = ("赵资产", "keeper-pass-1");

/// Where the two programs write: a file, or a server schema.
enum Place {
    File(PathBuf),
    Server(String),
}

impl Place {
    /// `houqin --db … [--user …] args`, as the person at the PC types it.
    fn houqin(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_houqin"));
        cmd.env_remove("HOUQIN_DB").env_remove("HOUQIN_USER").env_remove("HOUQIN_PASSWORD");
        match self {
            Place::File(path) => {
                cmd.arg("--db").arg(path).args(["--operator", "库管"]);
            }
            Place::Server(url) => {
                cmd.arg("--db").arg(url).args(["--user", KEEPER.0]).env("HOUQIN_PASSWORD", KEEPER.1);
            }
        }
        cmd.args(args).output().expect("run houqin")
    }
}

fn ok(out: Output, what: &str) -> String {
    assert!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn file() -> Place {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("concurrency-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("houqin.db");
    let out = Command::new(env!("CARGO_BIN_EXE_houqin"))
        .env_remove("HOUQIN_DB")
        .arg("--db")
        .arg(&path)
        .args(["init", "--name", "阳光幼儿园"])
        .output()
        .expect("run houqin");
    ok(out, "init");
    Place::File(path)
}

/// A scratch schema with an administrator and the asset keeper, made as the
/// IT person makes them (`init --admin`, `users add`), and the connection
/// that keeps it (dropping it drops the schema).
fn server() -> Option<(Place, Db)> {
    let base = std::env::var("HOUQIN_TEST_DB").ok()?;
    test_server().expect("HOUQIN_TEST_DB parses")?;
    let db = Db::open_scratch().expect("scratch schema");
    let schema = db.server().and_then(|s| s.schema()).expect("a scratch schema has a name").to_string();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}schema={schema}");
    let admin = |args: &[&str], new_password: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_houqin"));
        cmd.env_remove("HOUQIN_DB").env_remove("HOUQIN_USER").env("HOUQIN_PASSWORD", ADMIN.1);
        if let Some(p) = new_password {
            cmd.env("HOUQIN_NEW_PASSWORD", p);
        }
        cmd.arg("--db").arg(&url).args(args).output().expect("run houqin")
    };
    ok(admin(&["init", "--admin", ADMIN.0, "--name", "阳光幼儿园"], None), "init --admin");
    ok(admin(&["--user", ADMIN.0, "users", "add", KEEPER.0, "--role", "assets"], Some(KEEPER.1)), "users add");
    Some((Place::Server(url), db))
}

/// What worker `w` receives in its `i`-th receipt: a quantity no other
/// receipt has, so each write can be found again.
fn qty(w: usize, i: usize) -> i64 {
    (w * 1000 + i + 1) as i64
}

fn two_processes_write_many_receipts(place: &Place, writes: usize) {
    ok(place.houqin(&["stock", "item-add", "马克笔", "--category", "办公用品", "--unit", "支"]), "item-add");
    let numbers: Vec<Vec<String>> = thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                s.spawn(move || {
                    (0..writes)
                        .map(|i| {
                            let line = format!("马克笔,{},1.00", qty(w, i));
                            let supplier = format!("供应商{w}");
                            let out =
                                place.houqin(&["--json", "stock", "in", "--supplier", &supplier, "--line", &line]);
                            let saved: Value =
                                serde_json::from_str(&ok(out, &format!("worker {w}, receipt {i}"))).expect("json");
                            saved["number"].as_str().expect("a document number").to_string()
                        })
                        .collect()
                })
            })
            .collect();
        workers.into_iter().map(|h| h.join().expect("worker")).collect()
    });

    // Every receipt reported saved got a number of its own.
    let all: Vec<&String> = numbers.iter().flatten().collect();
    let distinct: HashSet<&String> = all.iter().copied().collect();
    assert_eq!((all.len(), distinct.len()), (2 * writes, 2 * writes), "{numbers:?}");

    // Each write is in the journal exactly once, under the number it was given.
    let journal: Value = serde_json::from_str(&ok(
        place.houqin(&["--json", "stock", "journal", "--item", "马克笔", "--limit", "1000"]),
        "journal",
    ))
    .expect("json");
    let lines = journal.as_array().expect("journal lines");
    let mut found: Vec<(i64, String)> = lines
        .iter()
        .map(|l| (l["qty_in"].as_i64().expect("qty_in"), l["number"].as_str().expect("number").to_string()))
        .collect();
    found.sort();
    let mut expected: Vec<(i64, String)> = (0..2)
        .flat_map(|w| (0..writes).map(move |i| (w, i)))
        .map(|(w, i)| (qty(w, i), numbers[w][i].clone()))
        .collect();
    expected.sort();
    assert_eq!(found, expected, "the journal holds each receipt once");
    // The numbers run on without a gap: each process took the next one in turn.
    let seq: BTreeSet<u32> =
        all.iter().map(|n| n.rsplit('-').next().and_then(|s| s.parse().ok()).expect("RK-YYYY-NNNN")).collect();
    assert_eq!(seq, (1..=(2 * writes) as u32).collect::<BTreeSet<_>>(), "{numbers:?}");

    let balance: Value =
        serde_json::from_str(&ok(place.houqin(&["--json", "stock", "balance"]), "balance")).expect("json");
    let total: i64 = expected.iter().map(|(q, _)| q).sum();
    assert_eq!(balance["rows"][0]["qty"].as_i64(), Some(total), "{balance}");
}

#[test]
fn two_processes_on_one_file_lose_no_write() {
    let place = file();
    two_processes_write_many_receipts(&place, FILE_WRITES);
    if let Place::File(path) = &place {
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }
}

#[test]
fn two_processes_on_one_server_lose_no_write() {
    let Some((place, _schema)) = server() else {
        eprintln!("skipped: HOUQIN_TEST_DB is not a postgres:// URL (scripts/pg-test-server.sh starts one)");
        return;
    };
    two_processes_write_many_receipts(&place, SERVER_WRITES);
}
