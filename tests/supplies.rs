//! Supplies (物品领用) through the public API and the `houqin stock` command
//! line: the acceptance story (a box of 20 markers, 5 to 大一班 on a printed
//! slip, 30 refused with the balance, a key lent against 10 yuan and returned,
//! the month's usage per class), every kind of bad input refused with a Chinese
//! message and nothing saved, the printouts read back with poppler
//! (`pdftotext`), and the .xlsx export read back.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{Datelike, Duration, NaiveDate};
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::school::classes::{self, ClassInput};
use houqin::school::Grade;
use houqin::supplies::deposits::{self, CloseInput, DepositFilter, LendInput};
use houqin::supplies::item_import;
use houqin::supplies::items::{self, ItemInput};
use houqin::supplies::print;
use houqin::supplies::reports::{self, BalanceFilter};
use houqin::supplies::stock::{self, IssueInput, IssueLineInput, ReceiptInput, ReceiptLineInput, ReversalInput};
use houqin::{Error, Fen};

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("houqin-supplies-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp dir");
    dir
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().expect("utf-8 path"), "-"])
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is needed (apt-get install poppler-utils): {e}"));
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Dates in the current month (the documents may not be dated after today).
fn this_month_day(n: u32) -> NaiveDate {
    let today = houqin::dates::today();
    let first = today.with_day(1).expect("first");
    (first + Duration::days(n as i64 - 1)).min(today)
}

fn school() -> Db {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("钱保管");
    classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "陈老师".into() })
        .expect("class");
    items::add(
        &mut db,
        &ItemInput {
            name: "马克笔".into(),
            category: "办公用品".into(),
            unit: "支".into(),
            spec: "黑色".into(),
            reorder_level: "10".into(),
            location: "库房A架".into(),
            ..Default::default()
        },
    )
    .expect("markers");
    items::add(
        &mut db,
        &ItemInput {
            name: "教室钥匙".into(),
            category: "其他".into(),
            unit: "把".into(),
            deposit: "10".into(),
            ..Default::default()
        },
    )
    .expect("key");
    db
}

fn receive(db: &mut Db, date: NaiveDate, item: &str, qty: &str, price: &str) -> Result<stock::SavedDoc, Error> {
    stock::receive(
        db,
        &ReceiptInput {
            date: date.to_string(),
            supplier: "晨光文具".into(),
            invoice_no: "00012345".into(),
            receiver: "钱保管".into(),
            note: String::new(),
            lines: vec![ReceiptLineInput {
                item: item.into(),
                qty: qty.into(),
                unit_price: price.into(),
                ..Default::default()
            }],
        },
    )
}

fn issue(db: &mut Db, date: NaiveDate, to: &str, item: &str, qty: &str) -> Result<stock::SavedDoc, Error> {
    stock::issue(
        db,
        &IssueInput {
            date: date.to_string(),
            to: to.into(),
            requester: "陈老师".into(),
            approver: "王园长".into(),
            purpose: "美术活动".into(),
            lines: vec![IssueLineInput { item: item.into(), qty: qty.into(), ..Default::default() }],
            ..Default::default()
        },
    )
}

/// An issue of `qty` markers to 大一班 with `back` old ones handed in (以旧换新).
fn trade_in(db: &mut Db, date: NaiveDate, qty: &str, back: &str) -> Result<stock::SavedDoc, Error> {
    stock::issue(
        db,
        &IssueInput {
            date: date.to_string(),
            to: "大一班".into(),
            requester: "陈老师".into(),
            lines: vec![IssueLineInput {
                item: "马克笔".into(),
                qty: qty.into(),
                trade_in: back.into(),
                ..Default::default()
            }],
            ..Default::default()
        },
    )
}

/// 以旧换新 at its edge: as many old items back as new ones issued is fine and
/// shows on the slip's line; one more is refused (the test above).
#[test]
fn trade_in_up_to_the_quantity_issued() {
    let mut db = school();
    let day = this_month_day(1);
    receive(&mut db, day, "马克笔", "20", "3.50").expect("receipt");
    let saved = trade_in(&mut db, day, "5", "5").expect("five for five");
    let slip = stock::doc(db.conn(), saved.id).expect("slip");
    assert_eq!((slip.lines[0].qty, slip.lines[0].trade_in), (5, 5));
}

/// Rows in every supplies table and the audit log: "nothing saved" means none of these moved.
fn footprint(db: &Db) -> Vec<i64> {
    ["supply_items", "stock_docs", "stock_movements", "stocktake_lines", "supply_deposits", "audit_log"]
        .iter()
        .map(|t| db.conn().value::<i64>(&format!("SELECT COUNT(*) FROM {t}"), &[]).expect("count"))
        .collect()
}

/// Regression: the issue slip had no 单价, 金额 or 合计 (the stock screen has
/// them), and repeated the date, department, requester, purpose and approver
/// on every line instead of saying them once in the header.
#[test]
fn issue_slip_has_prices_and_a_total_and_says_the_header_once() {
    let dir = tmp("slip-prices");
    let mut db = school();
    let day = this_month_day(1);
    receive(&mut db, day, "马克笔", "20", "3.50").expect("receipt");
    let slip = issue(&mut db, day, "大一班", "马克笔", "5").expect("issue");
    let pdf = dir.join("slip.pdf");
    print::write_slip(db.conn(), &slip.number, &pdf).expect("slip");
    let text = pdftotext(&pdf);
    for word in ["单价", "金额", "合计", "3.50", "17.50", "领用日期", "领用人:陈老师", "用途:美术活动", "审批人:王园长"]
    {
        assert!(text.contains(word), "slip lacks {word}:\n{text}");
    }
    // Two copies on the sheet, each naming them once: in the header, not per line.
    for word in ["陈老师", "美术活动", "王园长"] {
        assert_eq!(text.matches(word).count(), 2, "{word}:\n{text}");
    }
    let total_line = text.lines().find(|l| l.contains("合计")).expect("total row");
    assert!(total_line.contains("17.50"), "{total_line}");
}

#[test]
fn acceptance_markers_slip_refusal_key_deposit_and_usage_per_class() {
    let dir = tmp("story");
    let mut db = school();
    let day = this_month_day(1);

    // A box of 20 markers at 3.50.
    let r = receive(&mut db, day, "马克笔", "20", "3.50").expect("receipt");
    assert!(r.number.starts_with(&format!("RK-{}-", day.year())));

    // 5 to 大一班, on a printed slip.
    let slip = issue(&mut db, day, "大一班", "马克笔", "5").expect("issue");
    assert_eq!(slip.number, format!("LY-{}-0001", day.year()));
    let pdf = dir.join("slip.pdf");
    print::write_slip(db.conn(), &slip.number, &pdf).expect("slip");
    let text = pdftotext(&pdf);
    for word in [
        "物品领用单",
        &slip.number,
        "物品名称",
        "规格型号",
        "单位",
        "数量",
        "日期",
        "领用部门",
        "领用人",
        "用途",
        "审批人",
    ] {
        assert!(text.contains(word), "slip lacks {word}:\n{text}");
    }
    for word in
        ["马克笔", "黑色", "大一班", "陈老师", "美术活动", "王园长", "领用人(签字)", "审批人(签字)", "发放人(签字)"]
    {
        assert!(text.contains(word), "slip lacks {word}:\n{text}");
    }
    assert!(text.contains("第一联") && text.contains("第二联"), "two copies:\n{text}");

    // 30 more: refused with the balance, nothing saved.
    let before = footprint(&db);
    let err = issue(&mut db, day, "大一班", "马克笔", "30").expect_err("not enough");
    assert!(err.to_string().contains("库存不足:“马克笔(黑色)”现有结存 15 支,不能领用 30 支"), "{err}");
    assert_eq!(footprint(&db), before);

    // A key lent against a 10-yuan deposit, and taken back.
    receive(&mut db, day, "教室钥匙", "3", "5").expect("keys");
    let loan = deposits::lend(
        &mut db,
        &LendInput {
            date: day.to_string(),
            item: "教室钥匙".into(),
            borrower: "陈老师".into(),
            to: "大一班".into(),
            ..Default::default()
        },
    )
    .expect("lend");
    assert_eq!(loan.deposit, Fen(1000));
    assert_eq!(deposits::list(db.conn(), &DepositFilter { open_only: true }).expect("open").outstanding, 1);
    let back = deposits::close(&mut db, loan.id, &CloseInput { returned: true, ..Default::default() }).expect("return");
    assert_eq!((back.refunded, back.status.as_str()), (Some(Fen(1000)), "已归还"));
    assert_eq!(deposits::list(db.conn(), &DepositFilter { open_only: true }).expect("open").outstanding, 0);

    // The month's usage per class: 大一班 took 5 markers = 17.50; the loan is not usage.
    let usage = reports::usage(db.conn(), YearMonth::of(day)).expect("usage");
    let class = usage.by_department.iter().find(|d| d.department == "大一班").expect("大一班");
    assert_eq!((class.slips, class.value), (1, Fen(1750)));
    assert_eq!(usage.total_value, Fen(1750));
    assert_eq!(usage.by_item.len(), 1);
    assert_eq!((usage.by_item[0].qty, usage.by_item[0].value), (5, Fen(1750)));

    // The balance: 15 markers worth 52.50, 3 keys back on the shelf.
    let bal = reports::balance(db.conn(), &BalanceFilter::default()).expect("balance");
    let pens = bal.rows.iter().find(|r| r.item.name == "马克笔").expect("pens");
    assert_eq!((pens.qty, pens.value, pens.avg_price, pens.below_reorder), (15, Fen(5250), Fen(350), false));
    let keys = bal.rows.iter().find(|r| r.item.name == "教室钥匙").expect("keys");
    assert_eq!((keys.qty, keys.on_loan), (3, 0));

    // Every change is in the audit trail with the operator.
    let log = houqin::db::audit::recent(db.conn(), None, 50).expect("audit");
    for entity in ["stock_doc", "supply_deposit", "supply_item"] {
        assert!(log.iter().any(|e| e.entity == entity && e.operator == "钱保管"), "no audit for {entity}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The month's usage: every class in the classes' order (小班 first; one that
/// took nothing too),
/// then the departments in the school's list order (not by name); an issue
/// reversed in the month nets out of its class; the item × department cells
/// follow the same order. Guards the faster grouping of `reports::usage`.
#[test]
fn usage_lists_classes_then_departments_in_the_schools_order_net_of_reversals() {
    let mut db = school();
    classes::add(&mut db, &ClassInput { name: "小一班".into(), grade: Grade::Junior, head_teacher: String::new() })
        .expect("class");
    houqin::supplies::settings::save(&mut db, &["食堂、办公室".into()], &["办公用品".into()], &["支".into()])
        .expect("departments");
    let day = this_month_day(1);
    receive(&mut db, day, "马克笔", "100", "2").expect("markers in");
    receive(&mut db, day, "教室钥匙", "10", "5").expect("keys in");
    issue(&mut db, day, "办公室", "马克笔", "3").expect("office");
    issue(&mut db, day, "食堂", "教室钥匙", "1").expect("kitchen");
    let wrong = issue(&mut db, day, "大一班", "马克笔", "10").expect("wrong slip");
    stock::reverse(
        &mut db,
        &ReversalInput {
            doc_id: Some(wrong.id),
            date: day.to_string(),
            reason: "领错数量".into(),
            ..Default::default()
        },
    )
    .expect("reversal");
    issue(&mut db, day, "大一班", "马克笔", "4").expect("right slip");

    let u = reports::usage(db.conn(), YearMonth::of(day)).expect("usage");
    let depts: Vec<(&str, i64, Fen)> =
        u.by_department.iter().map(|d| (d.department.as_str(), d.slips, d.value)).collect();
    assert_eq!(
        depts,
        [("小一班", 0, Fen::ZERO), ("大一班", 2, Fen(800)), ("食堂", 1, Fen(500)), ("办公室", 1, Fen(600))]
    );
    assert_eq!((u.slips, u.total_value), (4, Fen(1900)));
    let items: Vec<(&str, i64, Fen)> = u.by_item.iter().map(|i| (i.item.as_str(), i.qty, i.value)).collect();
    assert_eq!(items, [("马克笔(黑色)", 7, Fen(1400)), ("教室钥匙", 1, Fen(500))]);
    let cells: Vec<(&str, i64)> = u.cells.iter().map(|c| (c.department.as_str(), c.qty)).collect();
    assert_eq!(cells, [("大一班", 4), ("食堂", 1), ("办公室", 3)]);
}

#[test]
fn bad_input_gets_a_chinese_message_and_saves_nothing() {
    let mut db = school();
    let day = this_month_day(1);
    receive(&mut db, day, "马克笔", "20", "3.50").expect("receipt");
    let before = footprint(&db);
    let cases: Vec<(Result<stock::SavedDoc, Error>, &str)> = vec![
        (receive(&mut db, day, "马克笔", "0", "3.50"), "第1行 [数量]:数量必须大于 0(填的是“0”)"),
        (receive(&mut db, day, "马克笔", "-5", "3.50"), "第1行 [数量]:数量必须大于 0(填的是“-5”)"),
        (issue(&mut db, day, "大一班", "马克笔", "-1"), "第1行 [数量]:数量必须大于 0(填的是“-1”)"),
        (issue(&mut db, day, "大一班", "马克笔", "0"), "第1行 [数量]:数量必须大于 0(填的是“0”)"),
        (receive(&mut db, day, "订书机", "1", "18"), "第1行 [物品]:物品目录中没有“订书机”,请先在物品目录中添加"),
        (issue(&mut db, day, "大一班", "订书机", "1"), "第1行 [物品]:物品目录中没有“订书机”,请先在物品目录中添加"),
        (receive(&mut db, day, "马克笔", "10", "三块五"), "第1行 [单价]:“三块五”不是有效的金额(例如 12.50)"),
        (receive(&mut db, day, "马克笔", "10", "3.555"), "第1行 [单价]:金额“3.555”最多只能有两位小数(精确到分)"),
        (receive(&mut db, day, "马克笔", "10", "-3"), "第1行 [单价]:单价不能为负数"),
        (issue(&mut db, day - Duration::days(40), "大一班", "马克笔", "1"), "还没有入库(第一次入库是"),
        (issue(&mut db, day + Duration::days(40), "大一班", "马克笔", "1"), "晚于今天"),
        (issue(&mut db, day, "", "马克笔", "1"), "请选择领用的班级或部门"),
        // A typo is not a new department: the message lists what is allowed.
        (
            issue(&mut db, day, "不存在班", "马克笔", "1"),
            "“不存在班”不是本园的班级或领用部门。班级:大一班;部门:园长室、办公室、财务室、保健室、食堂、保安室、后勤组。",
        ),
        (trade_in(&mut db, day, "5", "6"), "第1行 [以旧换新]:交回旧品 6 支 多于本行领用的 5 支"),
    ];
    for (result, expected) in cases {
        let err = result.expect_err(expected);
        let text = err.to_string();
        assert!(text.contains(expected), "expected “{expected}” in “{text}”");
        assert!(text.contains("没有保存"), "the message says nothing was saved: {text}");
    }
    assert_eq!(footprint(&db), before, "nothing was saved");

    // A bad deposit, an unknown loan item, a reversal without reason: nothing saved either.
    let err = deposits::lend(
        &mut db,
        &LendInput {
            date: day.to_string(),
            item: "教室钥匙".into(),
            borrower: "陈老师".into(),
            deposit: "十块".into(),
            ..Default::default()
        },
    )
    .expect_err("deposit");
    assert!(err.to_string().contains("“十块”不是有效的金额"), "{err}");
    let err = stock::reverse(
        &mut db,
        &ReversalInput { number: "LY-2099-0001".into(), reason: "x".into(), ..Default::default() },
    )
    .expect_err("unknown slip");
    assert_eq!(err.to_string(), "找不到单据:LY-2099-0001");
    assert_eq!(footprint(&db), before);
}

#[test]
fn month_report_pdf_and_xlsx_export_hold_the_month() {
    let dir = tmp("report");
    let mut db = school();
    let day = this_month_day(1);
    receive(&mut db, day, "马克笔", "20", "3.50").expect("receipt");
    issue(&mut db, day, "大一班", "马克笔", "12").expect("issue");
    issue(&mut db, day, "食堂", "马克笔", "1").expect("issue");
    let month = YearMonth::of(day);

    let pdf = dir.join("report.pdf");
    print::write_month_report(db.conn(), month, &pdf).expect("report");
    let text = pdftotext(&pdf);
    for word in [
        "物品收发存月报",
        &month.label(),
        "期初",
        "入库",
        "本月领用",
        "期末",
        "马克笔(黑色)",
        "70.00",
        "45.50",
        "24.50",
        "大一班",
        "42.00",
        "食堂",
        "需补货",
        "保管员",
    ] {
        assert!(text.contains(word), "report lacks {word}:\n{text}");
    }

    let xlsx = dir.join("supplies.xlsx");
    reports::export_xlsx(db.conn(), month, &xlsx).expect("export");
    let table = houqin::import::read_table(&xlsx).expect("read back");
    assert_eq!(&table.headers[..3], ["物品编号", "物品名称", "规格型号"]);
    assert!(table.rows.iter().any(
        |r| r.cells.get(1).map(String::as_str) == Some("马克笔") && r.cells.get(5).map(String::as_str) == Some("7")
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

fn houqin(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_houqin"))
        .arg("--db")
        .arg(db)
        .arg("--operator")
        .arg("钱保管")
        .args(args)
        .output()
        .expect("run houqin");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_receives_issues_refuses_and_prints() {
    let dir = tmp("cli");
    let db = dir.join("houqin.db");
    let ok = |args: &[&str]| {
        let (success, out, err) = houqin(&db, args);
        assert!(success, "houqin {args:?} failed: {err}");
        out
    };
    ok(&["init", "--name", "阳光幼儿园"]);
    ok(&["classes", "add", "大一班", "--grade", "大班"]);
    ok(&["stock", "item-add", "马克笔", "--category", "办公用品", "--unit", "支", "--spec", "黑色", "--reorder", "10"]);
    let day = this_month_day(1).to_string();
    let out = ok(&["stock", "in", "--date", &day, "--supplier", "晨光文具", "--line", "马克笔,20,3.50"]);
    assert!(out.contains("已保存入库单 RK-"), "{out}");
    let slip = dir.join("slip.pdf");
    let out = ok(&[
        "stock",
        "issue",
        "--date",
        &day,
        "--to",
        "大一班",
        "--requester",
        "陈老师",
        "--line",
        "马克笔,5",
        "--slip",
        slip.to_str().expect("path"),
    ]);
    assert!(out.contains("已保存领用单 LY-"), "{out}");
    assert!(pdftotext(&slip).contains("阳光幼儿园物品领用单"));

    let (success, _, err) = houqin(
        &db,
        &["stock", "issue", "--date", &day, "--to", "大一班", "--requester", "陈老师", "--line", "马克笔,30"],
    );
    assert!(!success);
    assert!(err.contains("现有结存 15 支,不能领用 30 支"), "{err}");
    let (success, _, err) = houqin(
        &db,
        &["stock", "issue", "--date", &day, "--to", "不存在班", "--requester", "陈老师", "--line", "马克笔,1"],
    );
    assert!(!success && err.contains("“不存在班”不是本园的班级或领用部门。班级:大一班;部门:园长室"), "{err}");
    let (success, _, err) = houqin(
        &db,
        &["stock", "issue", "--date", &day, "--to", "大一班", "--requester", "陈老师", "--line", "马克笔,2,3"],
    );
    assert!(!success && err.contains("交回旧品 3 支 多于本行领用的 2 支"), "{err}");
    let (success, _, err) = houqin(&db, &["stock", "in", "--date", &day, "--line", "马克笔,abc,3.50"]);
    assert!(!success && err.contains("“abc”不是有效的数量"), "{err}");

    let json = ok(&["--json", "stock", "balance"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["rows"][0]["qty"], 15);
    assert_eq!(v["rows"][0]["value"], 5250);
    let month = &day[..7];
    let out = ok(&["stock", "usage", "--month", month]);
    assert!(out.contains("大一班") && out.contains("17.50"), "{out}");
    let report = dir.join("report.pdf");
    ok(&["stock", "report", "--month", month, "--out", report.to_str().expect("path")]);
    assert!(pdftotext(&report).contains("物品收发存月报"));
    let number = format!("LY-{}-0001", &day[..4]);
    let again = dir.join("again.pdf");
    ok(&["stock", "slip", &number, "--out", again.to_str().expect("path")]);
    assert!(pdftotext(&again).contains(&number));
    let out = ok(&["stock", "reverse", &number, "--reason", "领错了"]);
    assert!(out.contains("已保存冲销单 CX-"), "{out}");
    let out = ok(&["stock", "journal", "--item", "马克笔"]);
    assert!(out.contains("冲销领用") && out.contains("钱保管"), "{out}");
    // The Excel template, filled in as saved, goes back in.
    let template = dir.join("模板.xlsx");
    ok(&["stock", "template", "--out", template.to_str().expect("path")]);
    let out = ok(&["stock", "import", template.to_str().expect("path")]);
    assert!(out.contains("新增 2 种") && out.contains("期初数量已登记为入库单 RK-"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The .xlsx template (what the 导入模板 button saves) and a catalogue typed in
/// Excel, imported from real .xlsx files: the template as saved imports its
/// two example items (with the opening stock), and a sheet with the columns
/// in another order, numbers stored as numbers and 001 as text imports as
/// typed; a bad row is refused with its Excel row number, nothing saved.
#[test]
fn catalogue_imports_from_real_xlsx_files() {
    let dir = tmp("xlsx-import");
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("钱保管");

    // The template, written by the core, read back as the importer reads it.
    let template = dir.join("物品目录导入模板.xlsx");
    houqin::supplies::template::write_template(&template, &houqin::supplies::settings::options(db.conn()).expect("o"))
        .expect("template");
    assert_eq!(&std::fs::read(&template).expect("read")[..2], b"PK", "an .xlsx (zip) file");
    let table = houqin::import::read_table(&template).expect("read template");
    assert_eq!(&table.headers[..4], ["物品编号", "物品名称*", "类别*", "单位*"]);
    let s = item_import::import_file(&mut db, &template).expect("the template imports as saved");
    assert_eq!((s.added, s.updated), (2, 0));
    assert!(s.opening_receipt.is_some(), "期初数量 50 becomes a receipt");
    let bal = reports::balance(db.conn(), &BalanceFilter::default()).expect("balance");
    let pens = bal.rows.iter().find(|r| r.item.name == "白板笔").expect("白板笔");
    assert_eq!((pens.item.code.as_str(), pens.qty, pens.value), ("BJ001", 50, Fen(12500)));
    let key = bal.rows.iter().find(|r| r.item.name == "教室钥匙").expect("key");
    assert_eq!(key.item.deposit, Fen(1000));

    // A catalogue as a person types it in Excel: other column order, numbers as numbers.
    let typed = dir.join("我的物品目录.xlsx");
    let write = |rows: &[[&str; 7]], path: &Path| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                // 编号 is text (as Excel keeps 001 in a text cell); other numbers are numbers.
                match v.parse::<f64>() {
                    Ok(n) if r > 0 && c != 0 => sheet.write_number(r as u32, c as u16, n),
                    _ => sheet.write_string(r as u32, c as u16, *v),
                }
                .expect("cell");
            }
        }
        book.save(path).expect("save xlsx");
    };
    write(
        &[
            ["编号", "单位", "名称", "规格", "分类", "最低库存", "期初数量"],
            ["001", "瓶", "洗手液", "500ml", "清洁用品", "6", "24"],
            ["002", "包", "抽纸", "", "卫生用品", "10", ""],
        ],
        &typed,
    );
    // 期初数量 without 单价 is a bad row: nothing is imported.
    let before = footprint(&db);
    let err = item_import::import_file(&mut db, &typed).expect_err("opening stock without a price");
    assert!(err.to_string().contains("第2行"), "{err}");
    assert_eq!(footprint(&db), before, "nothing saved");
    write(
        &[
            ["编号", "单位", "名称", "规格", "分类", "最低库存", "押金"],
            ["001", "瓶", "洗手液", "500ml", "清洁用品", "6", ""],
            ["002", "包", "抽纸", "", "卫生用品", "10", ""],
            ["003", "个", "空调遥控器", "", "其他", "", "20"],
        ],
        &typed,
    );
    let s = item_import::import_file(&mut db, &typed).expect("typed catalogue");
    assert_eq!((s.added, s.updated, s.opening_receipt), (3, 0, None));
    let all = items::list(db.conn(), &Default::default()).expect("items");
    let soap = all.iter().find(|i| i.name == "洗手液").expect("洗手液");
    assert_eq!(
        (soap.code.as_str(), soap.unit.as_str(), soap.spec.as_str(), soap.category.as_str(), soap.reorder_level),
        ("001", "瓶", "500ml", "清洁用品", 6)
    );
    assert_eq!(all.iter().find(|i| i.name == "空调遥控器").expect("remote").deposit, Fen(2000));
    let _ = std::fs::remove_dir_all(&dir);
}
