//! Backups and restores, and damaged files (issue 12, parts 4 and 5): a
//! backup restores exactly what it held and keeps what it replaced; a bad
//! backup file is refused with nothing changed; a damaged database is not
//! opened, and its message names a backup that exists.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::Command;

use houqin::backup::{self, Reason};
use houqin::db::Db;
use houqin::school::classes::{self, ClassInput};
use houqin::school::Grade;
use houqin::store::copy;
use houqin::Error;

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("backup-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

fn demo_db(dir: &Path) -> PathBuf {
    let path = dir.join("houqin.db");
    let mut db = Db::open(&path).expect("open");
    db.set_operator("测试");
    houqin::demo::load(&mut db, houqin::dates::today()).expect("demo");
    path
}

fn class_names(db: &Db) -> Vec<String> {
    classes::list(db.conn()).expect("classes").into_iter().map(|c| c.name).collect()
}

fn add_class(db: &mut Db, name: &str) {
    classes::add(db, &ClassInput { name: name.into(), grade: Grade::Junior, head_teacher: "".into() }).expect("class");
}

#[test]
fn a_restore_brings_back_exactly_the_backup_and_keeps_what_it_replaced() {
    let dir = temp_dir("restore");
    let path = demo_db(&dir);
    let mut db = Db::open(&path).expect("open");
    let saved = backup::create(&mut db, Reason::Manual, None).expect("backup");
    assert!(Path::new(&saved.path).starts_with(dir.join("backups")));
    let counts_then = copy::counts(db.conn()).expect("counts");
    let classes_then = class_names(&db);

    add_class(&mut db, "新加的班");
    assert_ne!(class_names(&db), classes_then);
    let listed = backup::list(&db).expect("list");
    assert_eq!(listed[0].path, saved.path);
    assert_eq!(listed[0].reason, Reason::Manual);

    // The app's way: restore into the open database.
    let r = db.restore(Path::new(&saved.path)).expect("restore");
    assert_eq!(class_names(&db), classes_then, "the class added after the backup is gone");
    assert_eq!(copy::counts(db.conn()).expect("counts"), counts_then);
    let kept = Db::open(Path::new(&r.kept.expect("kept"))).expect("the replaced database was kept");
    assert!(class_names(&kept).contains(&"新加的班".to_string()));
    drop(db);

    // The command line's way: the file, not an open database.
    let mut db = Db::open(&path).expect("open");
    add_class(&mut db, "又一个班");
    drop(db);
    let out = Command::new(env!("CARGO_BIN_EXE_houqin"))
        .args(["--db", path.to_str().expect("utf-8"), "backup", "restore", &saved.path])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("被替换的数据库另存为"));
    assert_eq!(class_names(&Db::open(&path).expect("open")), classes_then);
    let _ = std::fs::remove_dir_all(dir);
}

/// The bytes of a file, to show a refusal changed nothing.
fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read")
}

#[test]
fn a_bad_backup_file_is_refused_and_nothing_changes() {
    let dir = temp_dir("refuse");
    let path = demo_db(&dir);
    let mut db = Db::open(&path).expect("open");
    let good = backup::create(&mut db, Reason::Manual, None).expect("backup");
    drop(db);
    let before = bytes(&path);

    // Not a database at all.
    let text = dir.join("notes.db");
    std::fs::write(&text, "这不是数据库".repeat(500)).expect("write");
    // An SQLite file of another program.
    let other = dir.join("other.db");
    houqin::store::Conn::open_file(&other, false).expect("open").batch("CREATE TABLE t (x)").expect("table");
    // A backup with its pages damaged.
    let damaged = dir.join("damaged.db");
    let mut b = bytes(Path::new(&good.path));
    let page = 4096;
    for i in (page * 3..b.len()).step_by(page) {
        b[i] = 0xff; // the b-tree page type byte
    }
    std::fs::write(&damaged, b).expect("write");
    // A backup from a newer program.
    let newer = dir.join("newer.db");
    std::fs::copy(&good.path, &newer).expect("copy");
    houqin::store::Conn::open_file(&newer, false)
        .expect("open")
        .batch("INSERT INTO schema_migrations VALUES (999, 'future', '', '2030-01-01 00:00:00')")
        .expect("future");

    for (file, why) in
        [(&text, "不是数据库文件"), (&other, "不是后勤程序的数据库"), (&damaged, "已损坏"), (&newer, "新")]
    {
        let err = backup::restore(&path, file).expect_err("refused");
        let msg = err.to_string();
        assert!(msg.contains(why) && msg.contains("没有做任何更改"), "{}: {msg}", file.display());
        assert_eq!(bytes(&path), before, "{} changed nothing", file.display());
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_damaged_database_is_not_opened_and_the_message_names_a_real_backup() {
    let dir = temp_dir("damaged");
    let path = demo_db(&dir);

    // Without any backup, no backup is named.
    let copy_path = dir.join("copy.db");
    std::fs::copy(&path, &copy_path).expect("copy");
    let lonely = temp_dir("damaged-lonely").join("houqin.db");
    std::fs::copy(&path, &lonely).expect("copy");
    damage(&lonely);
    let msg = Db::open(&lonely).err().expect("refused").to_string();
    assert!(msg.contains("已损坏") && msg.contains("没有找到这个文件的备份"), "{msg}");
    assert!(!msg.contains(".bak"), "{msg}");

    let mut db = Db::open(&path).expect("open");
    let good = backup::create(&mut db, Reason::Manual, None).expect("backup");
    drop(db);
    damage(&path);
    let before = bytes(&path);
    let err = Db::open(&path).err().expect("refused");
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&good.path), "names the newest backup: {msg}");
    assert_eq!(bytes(&path), before, "nothing written into the damaged file");

    let r = backup::restore(&path, Path::new(&good.path)).expect("restore");
    assert!(r.kept.is_some(), "the damaged file is kept too");
    let db = Db::open(&path).expect("opens again");
    assert!(!class_names(&db).is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

/// Breaks the page type byte of every page after the first few: a page SQLite
/// reads as garbage, as a disk error or a bad copy leaves it.
fn damage(path: &Path) {
    let mut b = bytes(path);
    let page = 4096;
    for i in (page * 3..b.len()).step_by(page) {
        b[i] = 0x55;
    }
    std::fs::write(path, b).expect("write");
}

#[test]
fn an_index_that_no_longer_matches_its_table_is_not_opened_even_after_todays_backup() {
    // Found by flipping bytes at random: a broken index passes SQLite's quick
    // check, and a write through it closed a month in the damaged file.
    let dir = temp_dir("index");
    let path = demo_db(&dir);
    let mut db = Db::open(&path).expect("open");
    backup::create(&mut db, Reason::Manual, None).expect("today's backup");
    drop(db);
    houqin::store::Conn::open_file(&path, false)
        .expect("open")
        .batch(
            "PRAGMA writable_schema=ON;
             UPDATE sqlite_master SET sql = replace(sql, '(date, kind)', '(kind, date)')
             WHERE name = 'stock_movements_date';
             PRAGMA writable_schema=OFF;",
        )
        .expect("break the index");
    let before = bytes(&path);
    let err = Db::open(&path).err().expect("refused");
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("stock_movements_date"), "{err}");
    assert_eq!(bytes(&path), before, "nothing written into the damaged file");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_database_missing_a_table_is_not_opened() {
    let dir = temp_dir("dropped");
    let path = demo_db(&dir);
    houqin::store::Conn::open_file(&path, false)
        .expect("open")
        .batch("PRAGMA foreign_keys=OFF; DROP TABLE payments;")
        .expect("drop");
    let err = Db::open(&path).err().expect("refused");
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("缺少表 payments"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn automatic_backups_are_kept_fourteen_days_then_one_a_month() {
    let dir = temp_dir("prune");
    let path = demo_db(&dir);
    let backups = backup::dir_beside(&path);
    std::fs::create_dir_all(&backups).expect("dir");
    let today = houqin::dates::today();
    let mut made = Vec::new();
    for days_ago in [1_i64, 13, 14, 40, 41, 70, 400] {
        for reason in ["daily", "before-month-close"] {
            let day = today - chrono::Duration::days(days_ago);
            let name = format!("houqin-{}-090000-{reason}.db", day.format("%Y%m%d"));
            std::fs::write(backups.join(&name), b"x").expect("write");
            made.push((days_ago, reason, name));
        }
    }
    std::fs::write(backups.join("houqin-20200101-090000-manual.db"), b"x").expect("manual");
    let mut db = Db::open(&path).expect("open");
    backup::create(&mut db, Reason::Daily, None).expect("today's");
    let left: Vec<String> = backup::list(&db).expect("list").into_iter().map(|b| b.file_name).collect();
    assert!(left.contains(&"houqin-20200101-090000-manual.db".to_string()), "copies made by hand stay");
    for (days_ago, reason, name) in &made {
        let kept = left.contains(name);
        if *days_ago < 14 {
            assert!(kept, "{name}: the last 14 days stay whole");
        } else if *days_ago >= 400 {
            assert!(!kept, "{name}: older than 12 months goes");
        } else {
            let _ = reason;
        }
    }
    // Of each older month, exactly the newest copy stays.
    let older: Vec<&String> =
        left.iter().filter(|n| made.iter().any(|(d, _, m)| m == *n && *d >= 14 && *d < 400)).collect();
    let mut months: Vec<&str> = older.iter().map(|n| &n[7..13]).collect();
    let count = months.len();
    months.dedup();
    assert_eq!(months.len(), count, "one per month: {older:?}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Before an import (and a month close, a reopen, a stocktake finish) the
/// file is copied, so the change can be undone with 恢复备份.
#[test]
fn an_import_is_preceded_by_an_automatic_backup() {
    let dir = temp_dir("before-import");
    let path = demo_db(&dir);
    let mut db = Db::open(&path).expect("open");
    db.set_operator("测试");
    let count = |db: &Db, reason: Reason| backup::list(db).expect("list").iter().filter(|b| b.reason == reason).count();
    assert_eq!(count(&db, Reason::Import), 0);
    let year = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/holiday-cn/2026.json"))
        .expect("2026 schedule");
    houqin::school::calendar::import_year(&mut db, &year).expect("import");
    assert_eq!(count(&db, Reason::Import), 1);
    let copy = backup::list(&db).expect("list").into_iter().find(|b| b.reason == Reason::Import).expect("copy");
    assert!(backup::check_file(Path::new(&copy.path)).is_ok(), "the copy is a whole database: {}", copy.path);
}
