//! All or nothing under `kill -9`, for every kind of write that changes many
//! rows at once (issue 12 §7): closing a month, a stock receipt and an issue
//! slip, finishing a stocktake, loading the demo, restoring a backup. (The
//! roster import has its own test, `import_crash.rs`.)
//!
//! Each write is run by the real `houqin` binary on a copy of the demo school
//! and killed with SIGKILL after a range of delays (fractions of a full run's
//! measured time). Afterwards the file must open — which runs SQLite's
//! integrity check — and hold the write completely or not at all.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use houqin::dates::YearMonth;
use houqin::db::Db;

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("crash-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("dir");
    d
}

fn houqin(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_houqin"));
    cmd.arg("--db").arg(db).args(args).env_remove("HOUQIN_DB").stdin(Stdio::null()).stdout(Stdio::null());
    cmd
}

/// The demo school in `dir/template.db`, closed (its WAL folded in), with
/// today's backup already made so the runs below do only their own write.
fn template(dir: &Path) -> PathBuf {
    let path = dir.join("template.db");
    let mut db = Db::open(&path).expect("open");
    db.set_operator("测试");
    houqin::demo::load(&mut db, houqin::dates::today()).expect("demo");
    drop(db);
    path
}

fn fresh_copy(template: &Path, target: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    if template.exists() {
        std::fs::copy(template, target).expect("copy");
    }
}

/// Runs `args` once to completion (it must succeed), then again from a fresh
/// copy for each delay, killed; `check` says what a run left (and panics on
/// a partial write). Returns how many runs were killed while still working.
fn kill_runs(name: &str, template: Option<&Path>, args: &[&str], check: impl Fn(&Path) -> State) -> usize {
    let d = dir(name);
    let db = d.join("houqin.db");
    let empty = d.join("none.db");
    let from = template.unwrap_or(&empty);
    fresh_copy(from, &db);
    let before = check(&db);
    fresh_copy(from, &db);
    let started = Instant::now();
    let out = houqin(&db, args).stderr(Stdio::piped()).output().expect("run houqin");
    let full = started.elapsed();
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    let after = check(&db);
    assert_ne!(before, after, "{args:?} changed something");

    let mut killed_working = 0;
    // Every 5 % of a full run, up to just after its end: most kills land
    // while the program opens and checks the file, some inside the write.
    let fractions: Vec<f64> = (4..=21).map(|i| f64::from(i) * 0.05).collect();
    for &f in &fractions {
        fresh_copy(from, &db);
        let mut child = houqin(&db, args).stderr(Stdio::null()).spawn().expect("spawn");
        std::thread::sleep(full.mul_f64(f));
        let done = child.try_wait().expect("try_wait").is_some();
        child.kill().ok();
        child.wait().expect("reap");
        let state = check(&db);
        assert!(
            state == before || state == after,
            "{args:?} killed at {f}×: {state:?}, neither {before:?} nor {after:?}"
        );
        killed_working += usize::from(!done && state == before);
    }
    eprintln!(
        "{name}: full run {} ms; of {} kills, {killed_working} left nothing, the rest the whole write",
        full.as_millis(),
        fractions.len()
    );
    let _ = std::fs::remove_dir_all(d);
    killed_working
}

/// What a run left, as numbers that a partial write would make inconsistent.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State(Vec<i64>);

fn open(db: &Path) -> Db {
    Db::open(db).expect("the database opens after the kill (integrity checked on open)")
}

fn count(db: &Db, sql: &str) -> i64 {
    db.conn().value(sql, &[]).expect(sql)
}

fn last_month() -> String {
    YearMonth::of(houqin::dates::today()).prev().to_string()
}

#[test]
fn a_month_close_killed_is_closed_whole_or_not_at_all() {
    let d = dir("close-template");
    let t = template(&d);
    let month = last_month();
    kill_runs("close", Some(&t), &["settle", "--month", &month, "--confirm"], |db| {
        let db = open(db);
        let closed = count(&db, &format!("SELECT COUNT(*) FROM settlements WHERE month = '{month}'"));
        let items = count(
            &db,
            &format!(
                "SELECT COUNT(*) FROM settlement_items i JOIN settlements s ON s.id = i.settlement_id WHERE s.month = '{month}'"
            ),
        );
        let inputs = count(
            &db,
            &format!(
                "SELECT COUNT(*) FROM settlement_inputs i JOIN settlements s ON s.id = i.settlement_id WHERE s.month = '{month}'"
            ),
        );
        let audited = count(
            &db,
            &format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'settlement' AND entity_id = '{month}'"),
        );
        assert_eq!(closed > 0, items > 0, "a settlement and its items commit together");
        assert_eq!(closed > 0, inputs > 0);
        State(vec![closed, items, inputs, audited])
    });
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn stock_documents_killed_are_saved_whole_or_not_at_all() {
    let d = dir("stock-template");
    let t = template(&d);
    let state = |db: &Path| {
        let db = open(db);
        State(vec![
            count(&db, "SELECT COUNT(*) FROM stock_docs"),
            count(&db, "SELECT COUNT(*) FROM stock_movements"),
            count(&db, "SELECT COALESCE(SUM(qty), 0) FROM stock_movements"),
            count(&db, "SELECT COUNT(*) FROM audit_log"),
        ])
    };
    let receipt: Vec<String> = (0..120).map(|i| format!("中性笔(0.5mm 黑色),{},1.50", i % 5 + 1)).collect();
    let mut args = vec!["stock", "in", "--supplier", "文具店"];
    for l in &receipt {
        args.extend(["--line", l.as_str()]);
    }
    kill_runs("stock-in", Some(&t), &args, state);
    kill_runs(
        "stock-issue",
        Some(&t),
        &[
            "stock",
            "issue",
            "--to",
            "大一班",
            "--requester",
            "张老师",
            "--line",
            "中性笔(0.5mm 黑色),3",
            "--line",
            "双面胶(12mm),2",
            "--line",
            "儿童安全剪刀,1",
        ],
        state,
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_stocktake_finish_killed_finishes_whole_or_not_at_all() {
    let d = dir("stocktake-template");
    let t = template(&d);
    let open_id = {
        let db = open(&t);
        count(&db, "SELECT MAX(id) FROM asset_stocktakes WHERE status = 'open'")
    };
    let id = open_id.to_string();
    kill_runs("stocktake", Some(&t), &["stocktake", "finish", &id], |db| {
        let db = open(db);
        let finished =
            count(&db, &format!("SELECT COUNT(*) FROM asset_stocktakes WHERE id = {open_id} AND status = 'finished'"));
        let unchecked = count(
            &db,
            &format!(
                "SELECT COUNT(*) FROM asset_stocktake_lines WHERE stocktake_id = {open_id} AND checked_at IS NULL"
            ),
        );
        State(vec![finished, unchecked, count(&db, "SELECT COUNT(*) FROM audit_log")])
    });
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn the_demo_killed_loads_whole_or_not_at_all() {
    kill_runs("demo", None, &["demo"], |db| {
        if !db.exists() {
            return State(vec![0; 5]);
        }
        let db = open(db);
        State(vec![
            count(&db, "SELECT COUNT(*) FROM classes"),
            count(&db, "SELECT COUNT(*) FROM children"),
            count(&db, "SELECT COUNT(*) FROM settlements"),
            count(&db, "SELECT COUNT(*) FROM stock_movements"),
            count(&db, "SELECT COUNT(*) FROM assets"),
        ])
    });
}

#[test]
fn a_restore_killed_leaves_the_old_data_or_the_backup_whole() {
    let d = dir("restore-template");
    let t = template(&d);
    // The backup holds the demo; the database gains classes after it.
    let mut db = open(&t);
    let b = houqin::backup::create(&mut db, houqin::backup::Reason::Manual, None).expect("backup");
    for i in 0..20 {
        houqin::school::classes::add(
            &mut db,
            &houqin::school::classes::ClassInput {
                name: format!("后加的班{i}"),
                grade: houqin::school::Grade::Junior,
                head_teacher: "".into(),
            },
        )
        .expect("class");
    }
    drop(db);
    let file = Path::new(&b.path).to_path_buf();
    let copy = d.join("backup.db");
    std::fs::copy(&file, &copy).expect("keep the backup apart from the runs' folders");
    kill_runs("restore", Some(&t), &["backup", "restore", copy.to_str().expect("utf-8")], |db| {
        let db = open(db);
        State(vec![count(&db, "SELECT COUNT(*) FROM classes"), count(&db, "SELECT COUNT(*) FROM children")])
    });
    let _ = std::fs::remove_dir_all(d);
}
