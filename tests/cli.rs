//! The `houqin` command line, run as a user runs it: the real binary on a
//! database file. Output is read as a user (or a script with `--json`) would;
//! errors must be Chinese on stderr, exit code 1, and change nothing.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Local;
use houqin::dates::YearMonth;
use houqin::db::Db;
use serde_json::Value;

/// A fresh folder for one test's database and files.
fn workdir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "houqin-cli-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("work dir");
    dir
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_houqin"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("HOUQIN_DB")
        .output()
        .expect("the houqin binary runs")
}

/// Runs a command that must succeed; returns its stdout.
fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "houqin {args:?} failed: {stderr}");
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn ok_json(db: &Path, args: &[&str]) -> Value {
    let text = ok(db, args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("houqin {args:?} printed no JSON ({e}): {text}"))
}

/// Runs a command that must fail: exit code 1, nothing on stdout, a Chinese
/// message on stderr starting with 错误:. Returns the message.
fn fails(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert_eq!(out.status.code(), Some(1), "houqin {args:?} should fail with exit code 1");
    assert!(out.stdout.is_empty(), "houqin {args:?} printed to stdout: {}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8(out.stderr).expect("utf-8 stderr");
    assert!(err.starts_with("错误:"), "{err}");
    assert!(err.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "not Chinese: {err}");
    err
}

/// Row counts of the tables a user action writes to (the audit trail counts
/// every change), to show that a failed command changed nothing.
fn snapshot(db: &Path) -> Vec<(String, i64)> {
    let db = Db::open(db).expect("open");
    [
        "classes",
        "children",
        "absences",
        "fee_rule_versions",
        "settlements",
        "settlement_items",
        "audit_log",
        "school_profile",
    ]
    .iter()
    .map(|t| (t.to_string(), db.conn().value(&format!("SELECT COUNT(*) FROM {t}"), &[]).expect("count")))
    .collect()
}

const HEADER: &str = "姓名,性别,出生日期,班级,学号,家长姓名,联系电话,入园日期\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path
}

/// 伙食费 15.00 per school day, refunded per day from the third day of a run.
const MEAL_RULES: &str = r#"{"source": "阳光幼儿园", "month": "2026-10", "fees": [
  {"id": "meal", "name": "伙食费", "charge": {"per_day": "15.00"},
   "refund": {"per_day": {"min_run": 3, "unrefunded_per_run": 0, "kinds": ["sick", "personal"]}}}]}"#;

/// A school of one class and two children enrolled in September 2026, with
/// the meal rule in force from `rules_from`.
fn school(dir: &Path, rules_from: &str, enrolled: &str) -> PathBuf {
    let db = dir.join("houqin.db");
    ok(&db, &["init", "--name", "阳光幼儿园"]);
    ok(&db, &["classes", "add", "大一班", "--grade", "大班", "--teacher", "王老师"]);
    let roster = write(
        dir,
        "children.csv",
        &format!(
            "{HEADER}王小明,男,2021-03-05,大一班,20240101,王大明,13800000001,{enrolled}\n\
             李小红,女,2021-06-18,大一班,20240102,李大红,13800000002,{enrolled}\n"
        ),
    );
    ok(&db, &["children", "import", roster.to_str().expect("path")]);
    let rules = write(dir, "rules.json", MEAL_RULES);
    ok(&db, &["rules", "import", rules.to_str().expect("path"), "--from", rules_from]);
    db
}

/// With `--json` a refusal is also a JSON object on stdout whose `code` a
/// script branches on; the Chinese message still goes to stderr.
#[test]
fn json_errors_carry_a_stable_code() {
    let dir = workdir("json-errors");
    let db = dir.join("houqin.db");
    ok(&db, &["init", "--name", "阳光幼儿园"]);
    let out = run(&db, &["--json", "classes", "add", "大一班", "--grade", "特大班"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("错误:"));
    let v: Value = serde_json::from_slice(&out.stdout).expect("a JSON error on stdout");
    assert_eq!((v["error"]["type"].as_str(), v["error"]["code"].as_str()), (Some("Invalid"), Some("invalid")), "{v}");
    assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    let out = run(&db, &["--json", "children", "list", "--class", "火星班"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("a JSON error on stdout");
    assert_eq!(v["error"]["code"], "not_found", "{v}");
}

#[test]
fn school_setup_classes_children_and_the_calendar() {
    let dir = workdir("setup");
    let db = dir.join("sub").join("houqin.db");
    let init = ok(&db, &["init", "--name", "阳光幼儿园"]);
    assert!(init.contains("数据库已就绪") && db.exists(), "{init}");
    let json = ok_json(&db, &["init", "--json"]);
    assert_eq!(json["school"]["name"], "阳光幼儿园");

    let added = ok_json(&db, &["classes", "add", "大一班", "--grade", "大班", "--teacher", "王老师", "--json"]);
    assert_eq!(added["name"], "大一班");
    assert!(added["id"].as_i64().is_some(), "{added}");
    let text = ok(&db, &["classes", "add", "小一班", "--grade", "小班"]);
    assert!(text.contains("已新建班级:小一班(小班)"), "{text}");

    let list = ok_json(&db, &["classes", "list", "--json"]);
    let classes: Vec<(String, String, String)> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().expect("name").into(),
                c["grade_label"].as_str().expect("grade").into(),
                c["head_teacher"].as_str().expect("teacher").into(),
            )
        })
        .collect();
    assert!(classes.contains(&("大一班".into(), "大班".into(), "王老师".into())), "{classes:?}");
    assert!(classes.contains(&("小一班".into(), "小班".into(), "".into())), "{classes:?}");
    let table = ok(&db, &["classes", "list"]);
    assert!(table.starts_with("班级") && table.contains("大一班") && table.contains("王老师"), "{table}");

    let roster = write(
        &dir,
        "children.csv",
        &format!(
            "{HEADER}王小明,男,2021-03-05,大一班,20240101,王大明,13800000001,2024-09-01\n\
             李小红,女,2022-06-18,小一班,20250101,李大红,13800000002,2025-09-01\n"
        ),
    );
    let imported = ok(&db, &["children", "import", roster.to_str().expect("path")]);
    assert!(imported.contains("已导入 2 名幼儿"), "{imported}");
    let children = ok_json(&db, &["children", "list", "--json"]);
    let mut rows: Vec<(String, String, String, String)> = children
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            (
                c["student_no"].as_str().expect("no").into(),
                c["name"].as_str().expect("name").into(),
                c["class_name"].as_str().expect("class").into(),
                c["enrolled_on"].as_str().expect("enrolled").into(),
            )
        })
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        vec![
            ("20240101".into(), "王小明".into(), "大一班".into(), "2024-09-01".into()),
            ("20250101".into(), "李小红".into(), "小一班".into(), "2025-09-01".into()),
        ]
    );
    let one_class = ok_json(&db, &["children", "list", "--class", "小一班", "--json"]);
    assert_eq!(one_class.as_array().expect("array").len(), 1);

    // October 2026: National Day 1–7 off, Saturday the 10th worked: 18 days.
    let cal = ok_json(&db, &["calendar", "2026-10", "--json"]);
    assert_eq!(cal["legal_working_days"].as_array().expect("days").len(), 18);
    assert_eq!(cal["school_days"].as_array().expect("days").len(), 18);
    let days = cal["days"].as_array().expect("days");
    assert_eq!(days.len(), 31);
    let day = |date: &str| days.iter().find(|d| d["date"] == date).expect("day").clone();
    assert_eq!(day("2026-10-01")["kind"], "holiday");
    assert_eq!(day("2026-10-10")["kind"], "make_up_workday");
    assert_eq!(day("2026-10-10")["school_day"], true);
    let text = ok(&db, &["calendar", "2026-10"]);
    assert!(text.starts_with("2026年10月 法定工作日 18 天,在园日 18 天"), "{text}");
    assert!(text.contains("国庆节(调休上班)"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}

/// October 2026 (18 school days, no closures): 王小明 off sick Monday 12 to
/// Friday 16 October, a run of 5 → 5 × 15.00 = 75.00 back; 李小红 off 19–20
/// October, a run of 2 < 3 → nothing. Each is charged 18 × 15.00 = 270.00.
#[test]
fn settle_a_month_preview_json_and_confirm() {
    let dir = workdir("settle");
    let db = school(&dir, "2026-10", "2026-09-01");
    ok(&db, &["absences", "add", "20240101", "2026-10-12", "2026-10-16", "病假"]);
    ok(&db, &["absences", "add", "20240102", "2026-10-19", "2026-10-20", "事假"]);

    let preview = ok(&db, &["settle", "--month", "2026-10"]);
    assert!(preview.starts_with("2026年10月 月结 — 预览,未结账"), "{preview}");
    assert!(preview.contains("法定工作日 18 天,在园日 18 天"), "{preview}");
    assert!(preview.contains("大一班 王小明 应收 270.00 元,退 75.00 元"), "{preview}");
    assert!(!preview.contains("李小红 应收"), "no refund, no line: {preview}");
    assert!(preview.contains("全园应收 540.00 元,退费 75.00 元"), "{preview}");

    let json = ok_json(&db, &["settle", "--month", "2026-10", "--json"]);
    assert_eq!(json["status"], "open");
    assert_eq!((json["result"]["charged"].as_i64(), json["result"]["refund"].as_i64()), (Some(54000), Some(7500)));
    let child = json["result"]["children"]
        .as_array()
        .expect("children")
        .iter()
        .find(|c| c["name"] == "王小明")
        .expect("王小明")
        .clone();
    assert_eq!(child["fees"][0]["refund"], 7500);
    let lines: Vec<&str> =
        child["fees"][0]["lines"].as_array().expect("lines").iter().filter_map(|l| l["text"].as_str()).collect();
    assert!(lines.iter().any(|l| l.contains("5") && l.contains("15.00")), "explained: {lines:?}");

    // Closing October (over on any day this test runs, from November 2026 on).
    let closed = ok(&db, &["settle", "--month", "2026-10", "--confirm"]);
    assert!(closed.starts_with("2026年10月 月结 — 已结账(第 1 版"), "{closed}");
    let json = ok_json(&db, &["settle", "--month", "2026-10", "--json"]);
    assert_eq!(json["status"], "closed");
    assert_eq!(json["result"]["refund"], 7500);
    let again = fails(&db, &["settle", "--month", "2026-10", "--confirm"]);
    assert!(again.contains("2026年10月 已经结账"), "{again}");

    // A correction to the closed month needs a reason (更正), and October keeps
    // its confirmed figures; the difference is shown apart, for November.
    let sick = ["absences", "add", "20240102", "2026-10-26", "2026-10-28", "病假"];
    let before = snapshot(&db);
    let refused = fails(&db, &sick);
    assert!(refused.contains("2026年10月 已结账") && refused.contains("--reason"), "{refused}");
    assert_eq!(snapshot(&db), before);
    ok(&db, &[&sick[..], &["--reason", "家长补交病假条"]].concat());
    let json = ok_json(&db, &["settle", "--month", "2026-10", "--json"]);
    assert_eq!(
        (json["result"]["refund"].as_i64(), json["result"]["fees"][0]["refund"].as_i64()),
        (Some(7500), Some(7500))
    );
    assert_eq!(json["pending_corrections"][0]["amount"], 4500, "{}", json["pending_corrections"]);
    assert_eq!(json["corrections_go_to"], "2026-11");
    let text = ok(&db, &["settle", "--month", "2026-10"]);
    assert!(text.contains("全园应收 540.00 元,退费 75.00 元"), "{text}");
    assert!(text.contains("结账后的考勤更正(仅供对照,不计入本月结账金额,将在 2026年11月 补退/补收)"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}

/// The month running today is refused without --force, with the reason; a
/// month with last month still open is refused whatever the flag.
#[test]
fn confirming_the_current_month_needs_force_and_last_month_closed() {
    let month = YearMonth::of(Local::now().date_naive());
    let last = month.prev();
    let dir = workdir("current");
    let db = school(&dir, &last.to_string(), &last.first_day().to_string());
    let before = snapshot(&db);
    for args in [vec!["--confirm"], vec!["--confirm", "--force"]] {
        let skip = fails(&db, &[&["settle", "--month", &month.to_string()][..], &args[..]].concat());
        assert!(skip.contains(&format!("{} 还没有结账", last.label())), "{skip}");
    }
    ok(&db, &["settle", "--month", &last.to_string(), "--confirm"]);
    let before_current = snapshot(&db);
    assert_ne!(before_current, before);

    let refused = fails(&db, &["settle", "--month", &month.to_string(), "--confirm"]);
    assert!(refused.contains(&format!("{} 还没有过完(到 {} 为止)", month.label(), month.last_day())), "{refused}");
    assert!(refused.contains("--force"), "{refused}");
    assert_eq!(snapshot(&db), before_current, "nothing stored");
    // (Unless the month ended while this test ran.)
    if YearMonth::of(Local::now().date_naive()) == month {
        let forced = ok(&db, &["settle", "--month", &month.to_string(), "--confirm", "--force"]);
        assert!(forced.contains("已结账(第 1 版"), "{forced}");
    }
    let next = month.next();
    let future = fails(&db, &["settle", "--month", &next.to_string(), "--confirm", "--force"]);
    assert!(future.contains(&format!("{} 还没有到,不能结账", next.label())), "{future}");
    let _ = std::fs::remove_dir_all(dir);
}

/// The repository's own scenario files, and the shared ones when that folder
/// is beside the repository (or `HOUQIN_SCENARIOS_DIR` names another).
fn scenario_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/refunds")];
    match std::env::var_os("HOUQIN_SCENARIOS_DIR") {
        Some(dir) => dirs.push(PathBuf::from(dir)),
        None => dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/scenarios/refunds")),
    }
    dirs.retain(|d| d.is_dir());
    dirs
}

/// `settle --scenario FILE` prints the result in the shape of the file's
/// "expected", equal to it to the fen, for every scenario file.
#[test]
fn settle_a_scenario_file_prints_its_expected_result() {
    let mut files: Vec<PathBuf> = scenario_dirs()
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).expect("scenarios folder"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "the repository's own scenario files at least: {files:?}");
    let nowhere = workdir("scenario").join("never-created.db");
    for file in &files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).expect("read")).expect("json");
        let actual = ok_json(&nowhere, &["settle", "--scenario", file.to_str().expect("path")]);
        let diffs = houqin::refund::compare_with_expected(&doc["expected"], &actual);
        assert!(diffs.is_empty(), "{}: {diffs:#?}", file.display());
    }
    assert!(!nowhere.exists(), "a scenario opens no database");
}

#[test]
fn errors_are_chinese_on_stderr_with_exit_code_1_and_change_nothing() {
    let dir = workdir("errors");
    let db = school(&dir, "2026-10", "2026-09-01");
    ok(&db, &["absences", "add", "20240101", "2026-10-12", "2026-10-16", "病假"]);
    let before = snapshot(&db);

    let grade = fails(&db, &["classes", "add", "大二班", "--grade", "巨班"]);
    assert!(grade.contains("年级“巨班”无效,应为 托班/小班/中班/大班"), "{grade}");
    let dup = fails(&db, &["classes", "add", "大一班", "--grade", "大班"]);
    assert!(dup.contains("大一班"), "{dup}");

    let bad = write(
        &dir,
        "bad.csv",
        &format!(
            "{HEADER}张小华,男,2021-01-01,大一班,20240103,张大华,13800000003,2024-09-01\n\
             赵小天,男,2021-02-30,大九班,20240104,赵大天,13800000004,2024-09-01\n"
        ),
    );
    let import = fails(&db, &["children", "import", bad.to_str().expect("path")]);
    assert!(import.contains("没有保存任何数据") && import.contains("第3行"), "{import}");
    assert!(import.contains("大九班"), "{import}");

    let month = fails(&db, &["settle", "--month", "2026-13"]);
    assert!(month.contains("2026-13"), "{month}");
    let backwards = fails(&db, &["absences", "add", "20240102", "2026-10-20", "2026-10-19", "病假"]);
    assert!(backwards.contains("早于"), "{backwards}");
    let kind = fails(&db, &["absences", "add", "20240102", "2026-10-19", "2026-10-19", "发烧"]);
    assert!(kind.contains("发烧"), "{kind}");
    let nobody = fails(&db, &["absences", "add", "99999999", "2026-10-19", "2026-10-19", "病假"]);
    assert!(nobody.contains("找不到学号:99999999"), "{nobody}");

    let rules = write(&dir, "bad-rules.json", &MEAL_RULES.replace("\"min_run\": 3", "\"min_run\": 3, \"colour\": 1"));
    let unknown = fails(&db, &["rules", "import", rules.to_str().expect("path"), "--from", "2026-11"]);
    assert!(unknown.contains("规则文件格式有误:") && unknown.contains("行第"), "{unknown}");
    assert!(!unknown.contains(" at line "), "{unknown}");
    let percent = write(
        &dir,
        "percent.json",
        r#"{"fees": [{"id": "care", "name": "保教费", "charge": {"monthly": "800.00", "divisor": 22},
            "refund": {"tiers": [{"attended_at_most": "none", "percent": 150}]}}]}"#,
    );
    let p = fails(&db, &["rules", "import", percent.to_str().expect("path"), "--from", "2026-11"]);
    assert_eq!(p.trim_end(), "错误:规则文件格式有误:百分比必须在 0 到 100 之间,而不是 150(第 2 行第 77 列)");

    // Skipping a month: November cannot be closed while October is open.
    let skip = fails(&db, &["settle", "--month", "2026-11", "--confirm"]);
    assert!(skip.contains("2026年10月 还没有结账"), "{skip}");

    assert_eq!(snapshot(&db), before, "no failed command changed anything");
    let _ = std::fs::remove_dir_all(dir);
}

/// Another program holding the file: the message says so in Chinese (after
/// the 5-second busy wait), and the write is not made.
#[test]
fn a_database_in_use_by_another_program_is_a_clear_message() {
    let dir = workdir("busy");
    let db = dir.join("houqin.db");
    ok(&db, &["init"]);
    let holder = Db::open(&db).expect("open");
    holder.conn().batch("BEGIN IMMEDIATE; INSERT INTO settings (key, value) VALUES ('held', '1');").expect("lock");
    let busy = fails(&db, &["classes", "add", "大一班", "--grade", "大班"]);
    assert!(busy.contains("数据库文件正被另一个程序使用,暂时无法读写,本次修改未保存。"), "{busy}");
    assert!(!busy.contains("locked"), "{busy}");
    holder.conn().batch("ROLLBACK").expect("release");
    assert_eq!(snapshot(&db).iter().find(|(t, _)| t == "classes").map(|c| c.1), Some(0));
    ok(&db, &["classes", "add", "大一班", "--grade", "大班"]);
    let _ = std::fs::remove_dir_all(dir);
}

/// 收款登记 round trip: a notice printed for October, a payment against it,
/// the list, the balance, a reversal that brings the balance back, and
/// refusals in Chinese that change nothing.
#[test]
fn payments_add_list_balance_and_reverse() {
    let dir = workdir("payments");
    let db = school(&dir, "2026-10", "2026-09-01");
    ok(&db, &["settle", "--month", "2026-10", "--confirm"]);
    let pdf = dir.join("notices.pdf");
    ok(&db, &["notices", "--month", "2026-10", "--out", pdf.to_str().expect("path")]);
    let owed = ok_json(&db, &["payments", "balance", "--child", "20240101", "--json"]);
    let billed = owed["billed"].as_i64().expect("billed");
    assert!(billed > 0, "{owed}");
    assert_eq!(
        (owed["balance"].as_i64(), owed["paid"].as_i64(), owed["notices"].as_i64()),
        (Some(billed), Some(0), Some(1))
    );

    let added = ok(
        &db,
        &[
            "payments",
            "add",
            "--child",
            "20240101",
            "--amount",
            "1,234.50",
            "--date",
            "2026-11-05",
            "--method",
            "微信",
            "--note",
            "家长转账",
        ],
    );
    assert!(added.starts_with("已登记第 1 号收款:王小明(20240101)2026-11-05 微信 1,234.50 元。"), "{added}");
    let list = ok_json(&db, &["payments", "list", "--child", "20240101", "--json"]);
    let list = list.as_array().expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0]["amount"].as_i64(), list[0]["method"].as_str(), list[0]["kind"].as_str()),
        (Some(123_450), Some("wechat"), Some("payment"))
    );
    assert_eq!(list[0]["note"], "家长转账");
    let text = ok(&db, &["payments", "list", "--month", "2026-11"]);
    assert!(
        text.contains("王小明") && text.contains("1,234.50") && text.contains("共 1 条,净收款 1,234.50 元。"),
        "{text}"
    );
    assert!(ok(&db, &["payments", "list", "--month", "2026-10"]).contains("共 0 条"));

    let b = ok_json(&db, &["payments", "balance", "--child", "20240101", "--json"]);
    assert_eq!(b["balance"].as_i64(), Some(billed - 123_450));
    let shown = ok(&db, &["payments", "balance", "--child", "20240101"]);
    assert!(shown.contains("已收款 1,234.50 元"), "{shown}");

    let reversed = ok(&db, &["payments", "reverse", "1", "--reason", "金额录错"]);
    assert_eq!(reversed.trim(), "已冲销第 1 号记录(1,234.50 元),冲销记录为第 2 号。");
    let b = ok_json(&db, &["payments", "balance", "--child", "20240101", "--json"]);
    assert_eq!(b["balance"].as_i64(), Some(billed));
    assert!(ok(&db, &["payments", "list"]).contains("已被第 2 号冲销"));

    let before = snapshot(&db);
    let payments_count =
        || -> i64 { Db::open(&db).expect("open").conn().value("SELECT COUNT(*) FROM payments", &[]).expect("count") };
    let n = payments_count();
    let again = fails(&db, &["payments", "reverse", "1", "--reason", "再冲一次"]);
    assert!(again.contains("已经被第 2 号冲销过,不能重复冲销"), "{again}");
    let zero = fails(&db, &["payments", "add", "--child", "20240101", "--amount", "0", "--date", "2026-11-05"]);
    assert!(zero.contains("金额不能为 0"), "{zero}");
    // A minus sign reaches the core's message instead of clap's English one.
    let negative = fails(&db, &["payments", "add", "--child", "20240101", "--amount", "-5", "--date", "2026-11-05"]);
    assert!(negative.contains("不能是负数"), "{negative}");
    let unknown = fails(&db, &["payments", "add", "--child", "20249999", "--amount", "10", "--date", "2026-11-05"]);
    assert!(unknown.contains("找不到学号:20249999"), "{unknown}");
    let method = fails(
        &db,
        &["payments", "add", "--child", "20240101", "--amount", "10", "--date", "2026-11-05", "--method", "刷卡"],
    );
    assert!(method.contains("收款方式“刷卡”不对"), "{method}");
    assert_eq!(snapshot(&db), before);
    assert_eq!(payments_count(), n);
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 12: `--amount 92233720368547758.07` (i64::MAX fen) was accepted,
/// wrapped 净收款 negative, and from then on `payments balance` and `notices`
/// failed with integer overflow; 20000000000000000 made `notices` panic in
/// 金额大写. Every amount is now at most 99,999,999.99 元, and the books stay
/// readable with the largest amounts allowed.
#[test]
fn payments_beyond_99_999_999_99_are_refused_and_the_books_stay_readable() {
    let dir = workdir("huge-payment");
    let db = school(&dir, "2026-10", "2026-09-01");
    ok(&db, &["settle", "--month", "2026-10", "--confirm"]);
    let before = snapshot(&db);
    for amount in ["92233720368547758.07", "20000000000000000", "100000000", "100,000,000.00"] {
        let err = fails(&db, &["payments", "add", "--child", "20240101", "--amount", amount, "--date", "2026-10-20"]);
        assert!(err.contains(&format!("金额“{amount}”过大:每笔金额最多 99,999,999.99 元")), "{err}");
    }
    assert_eq!(snapshot(&db), before);

    // The largest amount allowed, twice for each child: every sum still adds up.
    for child in ["20240101", "20240102"] {
        for _ in 0..2 {
            ok(&db, &["payments", "add", "--child", child, "--amount", "99999999.99", "--date", "2026-10-20"]);
        }
    }
    let list = ok(&db, &["payments", "list"]);
    assert!(list.contains("共 4 条,净收款 399,999,999.96 元。"), "{list}");
    let b = ok_json(&db, &["payments", "balance", "--child", "20240101", "--json"]);
    assert_eq!(b["paid"].as_i64(), Some(2 * 9_999_999_999));
    assert!(b["balance"].as_i64().expect("balance") < -19_000_000_000, "{b}");
    // The notices carry the credit (上期结余) and print its 金额大写.
    let pdf = dir.join("notices.pdf");
    ok(&db, &["notices", "--month", "2026-10", "--out", pdf.to_str().expect("path")]);
    let plan = ok_json(&db, &["notices", "--month", "2026-10", "--list", "--json"]);
    let first = &plan["batch"]["notices"][0];
    assert_eq!(first["balance"].as_i64(), Some(-19_999_999_998), "{plan}");
    assert_eq!(first["total"].as_i64(), Some(31_500 - 19_999_999_998), "{plan}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 12: a rule `per_day` of 92233720368547758.07 was accepted and closed
/// a month with a negative refund.
#[test]
fn rule_amounts_beyond_99_999_999_99_are_refused() {
    let dir = workdir("huge-rule");
    let db = school(&dir, "2026-10", "2026-09-01");
    let before = snapshot(&db);
    for amount in [r#""92233720368547758.07""#, "92233720368547758", r#""100000000""#] {
        let rules = write(&dir, "huge.json", &MEAL_RULES.replace(r#""15.00""#, amount));
        let err = fails(&db, &["rules", "import", rules.to_str().expect("path"), "--from", "2026-11"]);
        assert!(err.contains("过大:每笔金额最多 99,999,999.99 元"), "{amount}: {err}");
    }
    assert_eq!(snapshot(&db), before);
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 12: an asset 原值 of 92233720368547758.07 was accepted.
#[test]
fn asset_values_beyond_99_999_999_99_are_refused() {
    let dir = workdir("huge-asset");
    let db = dir.join("houqin.db");
    ok(&db, &["init", "--name", "阳光幼儿园"]);
    let add = |value: &str| {
        run(
            &db,
            &[
                "assets",
                "add",
                "--name",
                "电脑",
                "--category",
                "计算机",
                "--room",
                "办公室",
                "--date",
                "2026-10-01",
                "--value",
                value,
            ],
        )
    };
    let out = add("92233720368547758.07");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("过大:每笔金额最多 99,999,999.99 元"), "{err}");
    assert!(add("99999999.99").status.success());
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 12: control characters (NUL, ESC sequences, CR/LF) and emoji were
/// accepted in child and asset names, a 120 KB payment note and a
/// 5,000-character 学校名称 too. Each is refused with the field and the rule
/// named, and nothing is written.
#[test]
fn text_that_does_not_belong_is_refused() {
    let dir = workdir("bad-text");
    let db = school(&dir, "2026-10", "2026-09-01");
    let before = snapshot(&db);

    let long_name = "园".repeat(5000);
    let err = fails(&db, &["init", "--name", &long_name]);
    assert!(err.contains("学校名称最多 40 个字,现在有 5000 个字"), "{err}");

    for (name, why) in
        [("王\u{1b}[31m明", "U+001B"), ("王\u{0}明", "U+0000"), ("\"王\r\n明\"", "U+000D"), ("王明😀", "表情符号")]
    {
        let csv = write(&dir, "bad.csv", &format!("{HEADER}{name},男,2021-03-05,大一班,20240199,,,2026-09-01\n"));
        let err = fails(&db, &["children", "import", csv.to_str().expect("path")]);
        assert!(err.contains("[姓名]:姓名") && err.contains(why), "{name:?}: {err}");
    }
    // Rare characters are names, not errors.
    let csv = write(&dir, "rare.csv", &format!("{HEADER}王䶮𠮷,男,2021-03-05,大一班,20240103,,,2026-09-01\n"));
    ok(&db, &["children", "import", csv.to_str().expect("path")]);
    let after_rare = snapshot(&db);
    assert_ne!(after_rare, before);

    let note = "x".repeat(120_000);
    let err = fails(
        &db,
        &["payments", "add", "--child", "20240101", "--amount", "10", "--date", "2026-10-20", "--note", &note],
    );
    assert!(err.contains("备注最多 200 个字,现在有 120000 个字"), "{err}");

    let asset = |name: &str| {
        run(
            &db,
            &[
                "assets",
                "add",
                "--name",
                name,
                "--category",
                "计算机",
                "--room",
                "办公室",
                "--date",
                "2026-10-01",
                "--value",
                "100",
            ],
        )
    };
    for name in ["电脑\u{1b}[2J", "电\n脑", "电脑🖥"] {
        let out = asset(name);
        assert_eq!(out.status.code(), Some(1), "{name:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("资产名称不能包含"), "{name:?}: {err}");
    }
    let err = fails(&db, &["--operator", "李\u{1b}会计", "classes", "add", "大二班", "--grade", "大班"]);
    assert!(err.contains("操作员姓名不能包含"), "{err}");
    assert_eq!(snapshot(&db), after_rare);
    let _ = std::fs::remove_dir_all(dir);
}

/// Notices in order (issue 14 §2): on the demo school, once last month is
/// closed, printing its notices is refused while the newest earlier closed
/// month's were never printed (the demo leaves them so): the month and the
/// families are named, nothing is written; `--force` prints anyway.
#[test]
fn notices_of_a_month_wait_for_the_earlier_months_notices_unless_forced() {
    let dir = workdir("notices-order");
    let db = dir.join("houqin.db");
    ok(&db, &["demo"]);
    let last = YearMonth::of(Local::now().date_naive()).prev();
    let earlier: Vec<YearMonth> = {
        let open = Db::open(&db).expect("open");
        houqin::settlement::month::closed_months(open.conn()).expect("closed months")
    };
    ok(&db, &["settle", "--month", &last.to_string(), "--confirm"]);
    let pdf = dir.join("通知单.pdf");
    let args = ["notices", "--month", &last.to_string(), "--out", pdf.to_str().expect("path")];
    match earlier.iter().max() {
        Some(newest) => {
            let before = snapshot(&db);
            let refused = fails(&db, &args);
            assert!(
                refused.contains(&format!("{}(", newest.label())) && refused.contains("户) 的缴费通知单从未打印"),
                "{refused}"
            );
            assert!(refused.contains("--force"), "{refused}");
            assert!(!pdf.exists(), "no file for a refused print");
            assert_eq!(snapshot(&db), before, "nothing recorded");
            let out = run(&db, &[&["--json"][..], &args[..]].concat());
            let json: Value = serde_json::from_slice(&out.stdout).expect("--json error");
            assert_eq!(json["error"]["code"], "earlier_notices_unprinted", "{json}");
            assert_eq!(json["error"]["data"]["month"], newest.to_string(), "{json}");
            let printed = ok(&db, &[&args[..], &["--force"][..]].concat());
            assert!(printed.contains("已生成"), "{printed}");
        }
        // A month of the year whose demo has no closed month before last month: nothing to wait for.
        None => {
            ok(&db, &args);
        }
    }
    assert!(pdf.is_file(), "the notices are written");
    // Printed once, a reprint of the same month asks nothing.
    ok(&db, &["notices", "--month", &last.to_string(), "--out", dir.join("again.pdf").to_str().expect("path")]);
    let _ = std::fs::remove_dir_all(dir);
}

/// `houqin check` (体检): the demo's findings as a list with codes (`--json`),
/// and in words with what to do.
#[test]
fn check_lists_the_findings_with_their_codes() {
    let dir = workdir("check");
    let db = dir.join("houqin.db");
    ok(&db, &["demo"]);
    let json = ok_json(&db, &["--json", "check"]);
    let last = YearMonth::of(Local::now().date_naive()).prev();
    assert_eq!(json["month"], last.to_string(), "last month by default");
    let findings = json["findings"].as_array().expect("findings");
    assert!(findings.iter().all(|f| f["code"].as_str().is_some_and(|c| c.contains('.'))), "{json}");
    assert!(json["checked"].as_array().is_some_and(|c| c.len() >= 6), "{json}");
    let text = ok(&db, &["check", "--month", &last.to_string()]);
    assert!(text.contains(&format!("体检 {}", last.label())), "{text}");
    if findings.is_empty() {
        assert!(text.contains("没有发现问题"), "{text}");
    } else {
        assert!(text.contains(&format!("共发现 {} 个问题", findings.len())), "{text}");
    }
    let bad = fails(&db, &["check", "--month", "2026-13"]);
    assert!(bad.contains("2026-13"), "{bad}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_fee_list_is_printed_from_the_rules_in_force_and_its_settings_are_checked() {
    let dir = workdir("fee-list");
    let db = school(&dir, "2026-09", "2026-09-01");
    let out = dir.join("收费公示.pdf");
    let err = fails(&db, &["rules", "fee-list", "--month", "2026-08", "--out", out.to_str().expect("path")]);
    assert!(err.contains("没有生效的收费规则"), "{err}");
    assert!(!out.exists(), "nothing written for a refused list");

    let before = snapshot(&db);
    let err = fails(&db, &["rules", "fee-list-settings", "--basis", "meal=按成本收取", "--phone", "打给园长"]);
    assert!(err.contains("监督电话"), "{err}");
    assert_eq!(snapshot(&db), before, "a refused form saves none of its values");
    let err = fails(&db, &["rules", "fee-list-settings", "--basis", "按成本收取"]);
    assert!(err.contains("项目编号=文号"), "{err}");

    ok(&db, &["rules", "fee-list-settings", "--basis", "meal=按成本收取", "--phone", "0571-12345678"]);
    let saved = ok_json(&db, &["--json", "rules", "fee-list-settings"]);
    assert_eq!(saved["basis"]["meal"], "按成本收取");
    assert_eq!(saved["complaint_phone"], "0571-12345678");

    let list =
        ok_json(&db, &["--json", "rules", "fee-list", "--month", "2026-10", "--out", out.to_str().expect("path")]);
    assert_eq!(list["items"][0]["name"], "伙食费");
    assert_eq!(list["items"][0]["standard"], "每天 15.00 元");
    assert_eq!(list["items"][0]["refunds"][0], "连续请假(病假、事假)满 3 个在校日起退,退还天数 × 日费");
    let text = String::from_utf8(Command::new("pdftotext").arg(&out).arg("-").output().expect("pdftotext").stdout)
        .expect("utf-8");
    assert!(text.contains("收费公示") && text.contains("按成本收取") && text.contains("0571-12345678"), "{text}");
}

/// `payments receipt` by payment 编号 or 收据编号 (a reprint says 补打),
/// `payments receipts --month` in one file, `--json` like the other commands,
/// and `check` naming the receipt never printed.
#[test]
fn payments_receipt_prints_one_or_a_month_and_check_finds_the_unprinted() {
    let dir = workdir("receipts");
    let db = school(&dir, "2026-10", "2026-09-01");
    for (child, amount) in [("20240101", "1,234.50"), ("20240102", "80")] {
        ok(
            &db,
            &["payments", "add", "--child", child, "--amount", amount, "--date", "2026-11-05", "--method", "支付宝"],
        );
    }
    let listed = ok_json(&db, &["payments", "list", "--json"]);
    assert_eq!(listed[0]["receipt"], "2026-000001");
    assert_eq!((listed[1]["receipt"].as_str(), listed[1]["receipt_prints"].as_i64()), (Some("2026-000002"), Some(0)));
    let check = ok_json(&db, &["--json", "check", "--month", "2026-11"]);
    let unprinted: Vec<&Value> = check["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "receipts.not_printed")
        .collect();
    assert_eq!(unprinted.len(), 1, "{check}");
    assert!(unprinted[0]["message"].as_str().is_some_and(|m| m.contains("有 2 笔") && m.contains("2026-000002")));

    let one = dir.join("one.pdf");
    let said = ok(&db, &["payments", "receipt", "1", "--out", one.to_str().expect("path")]);
    assert!(said.starts_with("已打印收据 1 张:编号 2026-000001,合计 1,234.50 元"), "{said}");
    let text = squash(&text_of(&one));
    assert!(text.contains("王大明") && text.contains("壹仟贰佰叁拾肆元伍角") && text.contains("支付宝"), "{text}");
    let again = ok_json(&db, &["--json", "payments", "receipt", "2026-000001", "--out", one.to_str().expect("path")]);
    assert_eq!((again["reprints"].as_i64(), again["numbers"][0].as_str()), (Some(1), Some("2026-000001")));
    assert!(squash(&text_of(&one)).contains("补打（第2次打印）"));

    let month = dir.join("month.pdf");
    let all =
        ok_json(&db, &["--json", "payments", "receipts", "--month", "2026-11", "--out", month.to_str().expect("p")]);
    assert_eq!(all["numbers"], serde_json::json!(["2026-000001", "2026-000002"]));
    assert_eq!(all["total"].as_i64(), Some(131_450));
    let check = ok_json(&db, &["--json", "check", "--month", "2026-11"]);
    assert!(check["findings"].as_array().expect("f").iter().all(|f| f["code"] != "receipts.not_printed"), "{check}");

    let bad = fails(&db, &["payments", "receipt", "2026-000009"]);
    assert!(bad.contains("2026-000009"), "{bad}");
    let bad = fails(&db, &["payments", "receipt", "第一张"]);
    assert!(bad.contains("收据编号"), "{bad}");
    let _ = std::fs::remove_dir_all(dir);
}

fn text_of(pdf: &Path) -> String {
    let out = Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output().expect("pdftotext runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
