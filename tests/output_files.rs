//! Output files are written whole or not at all, and a command never hides
//! work it has committed behind an error. The real `houqin` binary on the demo
//! school, as a user (or a script with `--json`) runs it; a second command
//! checks that the stock and the month are as the first one reported.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Local;
use houqin::dates::YearMonth;
use serde_json::Value;

/// A fresh folder with the demo school in `houqin.db`.
fn demo(name: &str) -> (PathBuf, PathBuf) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "houqin-files-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("work dir");
    let db = dir.join("houqin.db");
    let out = houqin(&db, &["demo"]);
    assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
    (dir, db)
}

/// Runs in the database's folder, so a relative file name lands there.
fn houqin(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_houqin"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("HOUQIN_DB")
        .current_dir(db.parent().expect("folder"))
        .output()
        .expect("the houqin binary runs")
}

fn json(db: &Path, args: &[&str]) -> Value {
    let out = houqin(db, &[&["--json"], args].concat());
    assert!(out.status.success(), "houqin {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// Exit code 1, nothing on stdout; the message on stderr.
fn refused(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "should fail: {}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty(), "printed: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr.clone()).expect("utf-8")
}

/// The balance of the demo's A4 paper.
fn paper(db: &Path) -> i64 {
    json(db, &["stock", "balance"])["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["item"]["name"] == "A4复印纸")
        .and_then(|r| r["qty"].as_i64())
        .expect("A4复印纸 in the demo")
}

fn issue_paper<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    [&["stock", "issue", "--to", "小一班", "--requester", "刘洋", "--line", "A4复印纸,2"][..], extra].concat()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Regression: `stock issue … --slip /nonexistent/dir/x.pdf` saved the issue
/// and printed only an error, so a retry issued the goods twice. Now the
/// folder is checked first and nothing is issued.
#[test]
fn an_issue_with_its_slip_in_a_missing_folder_issues_nothing() {
    let (dir, db) = demo("slip-folder");
    let before = paper(&db);
    let err = refused(&houqin(&db, &issue_paper(&["--slip", "/nonexistent-houqin/dir/x.pdf"])));
    assert!(err.contains("文件夹“/nonexistent-houqin/dir”不存在"), "{err}");
    assert!(err.contains("领用单没有保存,库存没有变动"), "{err}");
    assert_eq!(paper(&db), before, "nothing issued");

    // The same with a folder that exists: issued once, the slip saved, and --json says so.
    let slip = dir.join("领用单.pdf");
    let done = json(&db, &issue_paper(&["--slip", slip.to_str().expect("path")]));
    assert_eq!(done["files_saved"], serde_json::json!([slip.display().to_string()]));
    assert_eq!(done["files_not_saved"], serde_json::json!([]));
    assert!(std::fs::read(&slip).expect("slip").starts_with(b"%PDF"));
    assert_eq!(paper(&db), before - 2);
    let _ = std::fs::remove_dir_all(dir);
}

/// Regression: `settle --confirm --xlsx /nonexistent/x.xlsx` closed the month
/// and printed only an error. Now the folder is checked first and the month
/// stays open.
#[test]
fn closing_a_month_with_its_workbook_in_a_missing_folder_closes_nothing() {
    let (dir, db) = demo("settle-folder");
    // The demo leaves last month to settle.
    let month = YearMonth::of(Local::now().date_naive()).prev().to_string();
    let err =
        refused(&houqin(&db, &["settle", "--month", &month, "--confirm", "--xlsx", "/nonexistent-houqin/x.xlsx"]));
    assert!(err.contains("文件夹“/nonexistent-houqin”不存在"), "{err}");
    assert!(err.contains("没有结账"), "{err}");
    assert_eq!(json(&db, &["settle", "--month", &month])["status"], "open", "the month is still open");

    let xlsx = dir.join("月结.xlsx");
    let closed = json(&db, &["settle", "--month", &month, "--confirm", "--xlsx", xlsx.to_str().expect("path")]);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["files_saved"], serde_json::json!([xlsx.display().to_string()]));
    assert!(std::fs::read(&xlsx).expect("xlsx").starts_with(b"PK"), "a zip: an .xlsx");
    let _ = std::fs::remove_dir_all(dir);
}

/// A slip that cannot be made once the issue is saved (here a character no
/// font has, in the purpose) is a warning with exit code 0: the goods are
/// issued, and a failure code would have a script issue them again.
#[test]
fn a_slip_that_fails_after_the_issue_is_saved_is_a_warning_not_an_error() {
    let (dir, db) = demo("slip-warning");
    let before = paper(&db);
    let slip = dir.join("slip.pdf");
    std::fs::write(&slip, b"an earlier slip").expect("earlier");
    // U+E000 (private use): no font has it, so the PDF is refused.
    let args = issue_paper(&["--purpose", "美术\u{e000}", "--slip", slip.to_str().expect("path")]);
    let out = houqin(&db, &[&["--json"], &args[..]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let done: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let number = done["number"].as_str().expect("number").to_string();
    assert_eq!(done["files_saved"], serde_json::json!([]));
    assert_eq!(done["files_not_saved"][0]["path"], slip.display().to_string());
    assert!(done["files_not_saved"][0]["error"].as_str().expect("error").contains("无法打印"), "{done}");
    let warning = String::from_utf8(out.stderr).expect("utf-8");
    assert!(warning.starts_with(&format!("警告:领用单 {number} 已保存,但 {} 没有保存。", slip.display())), "{warning}");
    assert!(warning.contains("请勿重新领用") && warning.contains(&format!("houqin stock slip {number}")), "{warning}");
    // As reported: issued once, the earlier file untouched.
    assert_eq!(paper(&db), before - 2);
    assert_eq!(json(&db, &["stock", "show", &number])["number"], number.as_str());
    assert_eq!(std::fs::read(&slip).expect("slip"), b"an earlier slip");

    // The plain output says the same on stdout and stderr.
    let out = houqin(&db, &args);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("已保存领用单 LY-") && !stdout.contains("PDF 已保存"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("警告:领用单 LY-"));
    assert_eq!(paper(&db), before - 4);
    let _ = std::fs::remove_dir_all(dir);
}

/// Two files asked for: both or neither.
#[test]
fn the_meal_sheet_writes_its_pdf_and_workbook_both_or_neither() {
    let (dir, db) = demo("both");
    let month = YearMonth::of(Local::now().date_naive()).prev().prev().to_string();
    // (Run in the database's folder: the names are relative to it.)
    let sheet = |xlsx: &str| houqin(&db, &["meal-account", "--month", &month, "--out", "公示.pdf", "--xlsx", xlsx]);
    let err = refused(&sheet("/nonexistent-houqin/x.xlsx"));
    assert!(err.contains("/nonexistent-houqin"), "{err}");
    let (pdf, xlsx) = (dir.join("公示.pdf"), dir.join("公示.xlsx"));
    assert!(!pdf.exists(), "the PDF was not put in place alone");
    let out = sheet("公示.xlsx");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(pdf.is_file() && xlsx.is_file());
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs `houqin` as on a full disk: no file may grow past 4 KB (the kernel
/// answers EFBIG, as it answers ENOSPC when the disk is full). The caller
/// keeps the database open, so SQLite's shared-memory file is already full
/// size and reading the database needs no write.
#[cfg(target_os = "linux")]
fn on_a_full_disk(db: &Path, args: &[&str]) -> Output {
    Command::new("bash")
        .arg("-c")
        // SIGXFSZ ignored: the write fails instead of the process being killed.
        .arg("trap '' XFSZ; ulimit -f 4; exec \"$@\"")
        .arg("houqin")
        .arg(env!("CARGO_BIN_EXE_houqin"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("HOUQIN_DB")
        .current_dir(db.parent().expect("folder"))
        .output()
        .expect("bash runs")
}

/// Regression: on a full disk, `samples`, `children export`, the stock month
/// report, `meal-account --out` and `assets labels` replaced a good earlier
/// file with a broken one. Now the earlier file stays, no temporary file is
/// left, and the message says so.
#[cfg(target_os = "linux")]
#[test]
fn on_a_full_disk_an_earlier_file_is_kept_whole() {
    let (dir, db) = demo("full-disk");
    // The day's automatic backup is made while the disk has room.
    assert!(houqin(&db, &["classes", "list"]).status.success());
    let today = Local::now().date_naive();
    let last = YearMonth::of(today).prev().to_string();
    let before_last = YearMonth::of(today).prev().prev().to_string();
    let reader = rusqlite::Connection::open(&db).expect("open");
    let _: i64 = reader.query_row("SELECT COUNT(*) FROM children", [], |r| r.get(0)).expect("read");
    let earlier = b"a good earlier file".to_vec();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("留样.pdf", vec!["samples", "--month", &last, "--out", "留样.pdf"]),
        ("幼儿.xlsx", vec!["children", "export", "幼儿.xlsx"]),
        ("月报.pdf", vec!["stock", "report", "--month", &last, "--out", "月报.pdf"]),
        ("公示.pdf", vec!["meal-account", "--month", &before_last, "--out", "公示.pdf"]),
        ("标签.pdf", vec!["assets", "labels", "--out", "标签.pdf"]),
    ];
    for (file, args) in &cases {
        let path = dir.join(file);
        std::fs::write(&path, &earlier).expect("earlier");
        let err = refused(&on_a_full_disk(&db, args));
        assert!(err.starts_with(&format!("错误:无法保存文件“{file}”:")), "{args:?}: {err}");
        assert!(err.contains("原有的同名文件没有改动"), "{args:?}: {err}");
        assert_eq!(std::fs::read(&path).expect("read"), earlier, "{args:?} kept the earlier file");
        // With room on the disk, the same command writes the file.
        assert!(houqin(&db, args).status.success(), "{args:?}");
        assert_ne!(std::fs::read(&path).expect("read"), earlier, "{args:?}");
    }

    // An issue on a full disk: the database cannot take it either, so nothing
    // is issued, and the earlier slip stays.
    let before = paper(&db);
    std::fs::write(dir.join("slip.pdf"), &earlier).expect("earlier");
    refused(&on_a_full_disk(&db, &issue_paper(&["--slip", "slip.pdf"])));
    drop(reader);
    assert_eq!(paper(&db), before, "nothing issued");
    assert_eq!(std::fs::read(dir.join("slip.pdf")).expect("read"), earlier);

    let mut expected: Vec<String> = cases.iter().map(|(f, _)| f.to_string()).collect();
    expected.extend(["backups", "houqin.db", "slip.pdf"].map(String::from));
    expected.sort();
    let left: Vec<String> = files_in(&dir).into_iter().filter(|f| !f.starts_with("houqin.db-")).collect();
    assert_eq!(left, expected, "no temporary file left behind");
    let _ = std::fs::remove_dir_all(dir);
}
