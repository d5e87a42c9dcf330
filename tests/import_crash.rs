//! All-or-nothing under `kill -9`: the acceptance criterion "killing the process
//! in the middle of an import leaves the database with either none or all of
//! the rows, and it opens cleanly afterwards".
//!
//! A large roster is imported by the real `houqin` binary (`houqin --db PATH
//! children import FILE`), which is killed with SIGKILL (`Child::kill` on Unix)
//! after a range of delays: a few fixed ones that land while the file is read
//! and checked, and fractions of a full run's measured duration that land while
//! rows are being written. Each run starts from a fresh database file; afterwards
//! the file must open, pass `PRAGMA integrity_check`, and hold 0 or all children.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use houqin::db::Db;
use houqin::school::classes::{self, ClassInput};
use houqin::school::Grade;

/// Enough rows that a debug build spends a second or more writing them.
const ROWS: usize = 20_000;

const CLASSES: &[(&str, Grade)] =
    &[("托一班", Grade::Nursery), ("小一班", Grade::Junior), ("中一班", Grade::Middle), ("大一班", Grade::Senior)];

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("houqin-crash-test-{}-{name}", std::process::id()))
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// A fresh database file with the classes the roster uses, closed again.
fn fresh_db(path: &Path) {
    remove_db(path);
    let mut db = Db::open(path).expect("create database");
    for (name, grade) in CLASSES {
        classes::add(&mut db, &ClassInput { name: (*name).into(), grade: *grade, head_teacher: "".into() })
            .expect("class");
    }
}

fn roster_csv(path: &Path) {
    const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "欧阳"];
    const GIVEN: &[&str] = &["子", "涵", "浩", "宇", "欣", "怡", "诗", "雨", "睿", "诺", "辰", "琪", "熙", "泽"];
    let mut text = String::from("姓名,性别,出生日期,班级,学号,家长姓名,联系电话,入园日期\n");
    for i in 0..ROWS {
        let s = SURNAMES[i % SURNAMES.len()];
        text.push_str(&format!(
            "{s}{}{},{},2021-{:02}-{:02},{},{:06},{s}{},{},2024-09-01\n",
            GIVEN[i % GIVEN.len()],
            GIVEN[(i / GIVEN.len()) % GIVEN.len()],
            if i % 2 == 0 { "男" } else { "女" },
            i % 12 + 1,
            i % 28 + 1,
            CLASSES[i % CLASSES.len()].0,
            i + 1,
            GIVEN[(i * 5) % GIVEN.len()],
            13_800_000_000u64 + i as u64,
        ));
    }
    std::fs::write(path, text).expect("write roster");
}

fn import_command(db: &Path, file: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_houqin"));
    cmd.arg("--db").arg(db).args(["children", "import"]).arg(file).stdin(Stdio::null()).stdout(Stdio::null());
    cmd
}

/// What the database holds after a run, checked for consistency on the way.
fn children_after(db_path: &Path) -> usize {
    let db = Db::open(db_path).expect("the database opens after the kill");
    let conn = db.conn();
    let integrity: String = conn.value("PRAGMA integrity_check", &[]).expect("integrity_check");
    assert_eq!(integrity, "ok");
    let count = |sql: &str| -> usize { conn.value::<i64>(sql, &[]).expect(sql) as usize };
    let children = count("SELECT COUNT(*) FROM children");
    assert_eq!(count("SELECT COUNT(*) FROM class_placements"), children, "every child has its class, no more");
    assert_eq!(
        count("SELECT COUNT(*) FROM audit_log WHERE entity = 'child'"),
        children,
        "the audit trail and the rows commit together"
    );
    children
}

fn wal_len(db_path: &Path) -> u64 {
    let mut p = db_path.as_os_str().to_owned();
    p.push("-wal");
    std::fs::metadata(PathBuf::from(p)).map(|m| m.len()).unwrap_or(0)
}

#[test]
fn kill_9_during_import_leaves_none_or_all_rows() {
    let file = temp("roster.csv");
    let db_path = temp("houqin.db");
    roster_csv(&file);

    // A full run: it must succeed, and its duration places the kills below.
    fresh_db(&db_path);
    let started = Instant::now();
    let out = import_command(&db_path, &file).stderr(Stdio::piped()).output().expect("run houqin");
    let full = started.elapsed();
    assert!(
        out.status.success(),
        "`houqin --db DB children import FILE` failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(children_after(&db_path), ROWS);

    let mut delays: Vec<Duration> = [5, 20, 80].into_iter().map(Duration::from_millis).collect();
    delays.extend([0.3, 0.5, 0.7, 0.85, 0.95].into_iter().map(|f| full.mul_f64(f)));
    let mut report = Vec::new();
    let mut killed_while_running = 0;
    for delay in delays {
        fresh_db(&db_path);
        let mut child = import_command(&db_path, &file).stderr(Stdio::null()).spawn().expect("spawn houqin");
        std::thread::sleep(delay);
        let finished_first = child.try_wait().expect("try_wait").is_some();
        child.kill().ok(); // SIGKILL; an error only means it had already exited.
        killed_while_running += usize::from(!finished_first);
        child.wait().expect("reap houqin");
        let wal = wal_len(&db_path);
        let n = children_after(&db_path);
        assert!(n == 0 || n == ROWS, "after a kill at {delay:?} the database holds {n} of {ROWS} children");
        report.push(format!(
            "{:>5} ms: {} children, WAL {} KiB{}",
            delay.as_millis(),
            n,
            wal / 1024,
            if finished_first { " (had already finished)" } else { "" }
        ));
    }
    assert!(killed_while_running > 0, "no run was killed before it finished");
    eprintln!("full import of {ROWS} rows took {} ms; kills:\n{}", full.as_millis(), report.join("\n"));
    remove_db(&db_path);
    let _ = std::fs::remove_file(&file);
}
