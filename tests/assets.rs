//! Fixed assets end to end through the core: the issue's acceptance story
//! (20 assets in two rooms, labels, a stocktake with one missing, one in the
//! wrong room and one unknown number, the report, the write-off), bad input
//! that changes nothing, every reconciliation outcome from the database, and
//! the printed documents read back with poppler (`pdftotext`) — and the label
//! QR codes read back with `zbarimg` when it is installed.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{Datelike, NaiveDate};
use houqin::assets::reconcile::Outcome;
use houqin::assets::register::{self, AssetFilter, AssetInput};
use houqin::assets::stocktake::{
    self, Adjustment, LineUpdate, OtherRoomChoice, ScanResult, StocktakeInput, SurplusInput,
};
use houqin::assets::{categories, depreciation, io, movements, print, settings, Acquisition, AssetId, AssetStatus};
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::school::profile::{self, SchoolProfile};
use houqin::{Error, Fen};

fn today() -> NaiveDate {
    "2025-10-20".parse().expect("date")
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("assets");
    std::fs::create_dir_all(&dir).expect("create output dir");
    dir
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = match Command::new(tool).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("`{tool}` not found: install poppler-utils (apt-get install poppler-utils) to run the PDF tests")
        }
        Err(e) => panic!("running {tool}: {e}"),
    };
    assert!(out.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The PDF's text with whitespace removed (columns and wrapping are layout, not content).
fn pdf_text(name: &str, bytes: &[u8]) -> String {
    let path = out_dir().join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    poppler("pdftotext", &["-layout", path.to_str().expect("path"), "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn school(db: &mut Db) {
    profile::save(db, &SchoolProfile { name: "向日葵幼儿园".into(), ..Default::default() }).expect("profile");
}

fn input(db: &Db, category: &str, name: &str, room: &str, value: &str) -> AssetInput {
    let cat = categories::find(db.conn(), category).expect("find").expect(category);
    AssetInput {
        number: String::new(),
        name: name.into(),
        category_id: cat.id,
        model: String::new(),
        quantity: String::new(),
        unit: String::new(),
        room: room.into(),
        department: String::new(),
        custodian: if room == "大一班" { "陈老师".into() } else { "钱保管".into() },
        acquired_on: "2024-03-15".parse().expect("date"),
        acquisition: Acquisition::Purchase,
        supplier: String::new(),
        original_value: value.into(),
        life: String::new(),
        status: AssetStatus::InUse,
        note: String::new(),
    }
}

fn add(db: &mut Db, i: AssetInput) -> AssetId {
    register::add(db, &i, today()).expect("add")
}

fn count(db: &Db, table: &str) -> i64 {
    db.conn().value(&format!("SELECT COUNT(*) FROM {table}"), &[]).expect("count")
}

/// Twenty assets: ten in 大一班, ten in 办公室.
fn twenty(db: &mut Db) -> Vec<register::Asset> {
    let things = [
        ("空调", "柜式空调", "6899"),
        ("计算机", "教学电脑", "4650"),
        ("电气设备", "教学一体机", "12800"),
        ("电气设备", "电子琴", "1580"),
        ("家具", "玩具柜", "980"),
        ("幼儿桌椅", "幼儿桌", "3360"),
        ("家具", "幼儿床", "14700"),
        ("图书", "绘本", "3360"),
        ("电气设备", "饮水机", "1380"),
        ("电气设备", "消毒柜", "1260"),
    ];
    for room in ["大一班", "办公室"] {
        for (cat, name, value) in things {
            let i = input(db, cat, name, room, value);
            add(db, i);
        }
    }
    register::list(db.conn(), &AssetFilter::default(), today()).expect("list")
}

#[test]
fn acceptance_twenty_assets_labels_stocktake_report_and_write_off() {
    let mut db = Db::open_scratch().expect("db");
    school(&mut db);
    let all = twenty(&mut db);
    assert_eq!(all.len(), 20);
    assert_eq!(all.iter().filter(|a| a.room == "大一班").count(), 10);

    // Labels: every number and name is printed, and the QR codes scan.
    let pdf = print::labels_pdf(db.conn(), &all, &settings::load(db.conn()).expect("settings")).expect("labels");
    let text = pdf_text("acceptance-labels.pdf", &pdf);
    for a in &all {
        assert!(text.contains(&a.number), "label for {} missing", a.number);
    }
    assert!(text.contains("向日葵幼儿园") && text.contains("存放:大一班"), "{text}");
    let decoded = decode_qr(&out_dir().join("acceptance-labels.pdf"));
    if let Some(decoded) = decoded {
        for a in &all {
            assert!(decoded.contains(&format!("QR-Code:{}", a.number)), "QR of {} not read back: {decoded}", a.number);
        }
    }

    // The stocktake: 大一班 and 办公室.
    let id = stocktake::start(
        &mut db,
        &StocktakeInput { name: "期末盘点".into(), started_on: today(), rooms: vec![], note: String::new() },
        today(),
    )
    .expect("start");
    let class: Vec<&register::Asset> = all.iter().filter(|a| a.room == "大一班").collect();
    let office: Vec<&register::Asset> = all.iter().filter(|a| a.room == "办公室").collect();
    let missing = class[3]; // 电子琴: not found anywhere
    let wrong_room = class[4]; // 玩具柜: found in the office
    for a in class.iter().filter(|a| a.id != missing.id && a.id != wrong_room.id) {
        let r = stocktake::scan(&mut db, id, "大一班", &a.number, None, today()).expect("scan");
        assert!(matches!(r, ScanResult::Found { .. }), "{r:?}");
    }
    for a in &office {
        stocktake::scan(&mut db, id, "办公室", &a.number, None, today()).expect("scan");
    }
    // Scanning the same label twice warns and counts nothing.
    let audits = count(&db, "audit_log");
    let again = stocktake::scan(&mut db, id, "办公室", &office[0].number.to_lowercase(), None, today()).expect("again");
    match &again {
        ScanResult::Duplicate { message, .. } => assert!(message.contains("已经扫描过了"), "{message}"),
        other => panic!("expected a duplicate warning, got {other:?}"),
    }
    assert_eq!(count(&db, "audit_log"), audits, "a duplicate scan changes nothing");
    // An asset of 大一班 scanned in the office: asked, then moved.
    let asked = stocktake::scan(&mut db, id, "办公室", &wrong_room.number, None, today()).expect("other room");
    match &asked {
        ScanResult::OtherRoom { book_room, room, message, .. } => {
            assert_eq!((book_room.as_str(), room.as_str()), ("大一班", "办公室"));
            assert!(message.contains("登记在“大一班”"), "{message}");
        }
        other => panic!("expected the other-room prompt, got {other:?}"),
    }
    let moved =
        stocktake::scan(&mut db, id, "办公室", &wrong_room.number, Some(OtherRoomChoice::Move), today()).expect("move");
    assert!(matches!(&moved, ScanResult::Found { line, .. } if line.outcome == Outcome::Moved), "{moved:?}");
    // A number that is not on the register: asked for a description, recorded as surplus.
    let unknown = stocktake::scan(&mut db, id, "办公室", "ZC20159999", None, today()).expect("unknown");
    assert!(matches!(&unknown, ScanResult::Unknown { message, .. } if message.contains("不在资产账上")), "{unknown:?}");
    let surplus = stocktake::record_surplus(
        &mut db,
        id,
        &SurplusInput {
            room: "办公室".into(),
            number: "ZC20159999".into(),
            name: "旧打印机".into(),
            model: String::new(),
            quantity: String::new(),
            value: "300".into(),
            note: String::new(),
        },
        today(),
    )
    .expect("surplus");
    assert_eq!(surplus.outcome, Outcome::Surplus);
    let progress = stocktake::get(db.conn(), id).expect("get");
    assert_eq!((progress.expected, progress.checked, progress.surplus), (20, 19, 1));

    let r = stocktake::finish(&mut db, id, today(), today()).expect("finish");
    let t = &r.total;
    assert_eq!((t.book.qty, t.found.qty, t.moved.qty, t.missing.qty, t.surplus.qty), (20, 18, 1, 1, 1));
    assert_eq!(t.missing.original, Fen::yuan(1_580));
    assert_eq!(t.match_rate.text, "90.00%");
    let class_row = r.rooms.iter().find(|x| x.room == "大一班").expect("room");
    assert_eq!((class_row.found.qty, class_row.moved.qty, class_row.missing.qty), (8, 1, 1));
    assert_eq!(class_row.custodians, ["陈老师"]);

    // The report, as printed.
    let report = stocktake::report(db.conn(), id).expect("report");
    assert_eq!(report.exceptions.len(), 3);
    let text = pdf_text("acceptance-report.pdf", &print::stocktake_pdf(&report).expect("pdf"));
    for needle in [
        "向日葵幼儿园固定资产盘点报告",
        "期末盘点",
        "90.00%",
        &missing.number,
        "电子琴",
        "盘亏",
        "位置不符",
        "盘盈",
        "旧打印机",
        "陈老师",
        "资产管理员:",
        "园长:",
    ] {
        assert!(text.contains(needle), "“{needle}” not in the report:\n{text}");
    }
    let xlsx = out_dir().join("acceptance-report.xlsx");
    io::stocktake_xlsx(&report, &xlsx).expect("xlsx");
    let book = xlsx_sheets(&xlsx);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["汇总", "盘点表", "异常"]);
    let summary = &book[0].1;
    assert!(summary[0][0].contains("向日葵幼儿园") && summary[0][0].contains("期末盘点"), "{:?}", summary[0]);
    let head = &summary[3];
    let col = |name: &str| head.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} not in {head:?}"));
    let row = |room: &str| summary.iter().find(|r| r[0] == room).unwrap_or_else(|| panic!("{room} not in {summary:?}"));
    let class = row("大一班");
    assert_eq!(
        (&*class[col("账面数量")], &*class[col("相符数量")], &*class[col("位置不符数量")], &*class[col("盘亏数量")]),
        ("10", "8", "1", "1")
    );
    assert_eq!((&*class[col("盘亏原值")], &*class[col("责任人")]), ("1580", "陈老师"));
    assert_eq!(r.total.room, "合计");
    let total = last_row(summary, "合计");
    assert_eq!(
        (&*total[col("账面数量")], &*total[col("相符数量")], &*total[col("盘盈数量")], &*total[col("相符率(数量)")]),
        ("20", "18", "1", "90.00%")
    );
    let sheet = &book[1].1;
    assert_eq!(sheet.len(), 1 + 21, "a header and every line: 20 cards and the surplus find");
    assert_eq!(&sheet[0][..3], ["资产编号", "类别代码", "资产名称"]);
    let exceptions = &book[2].1;
    let outcome = exceptions[0].iter().position(|h| h == "盘点结果").expect("盘点结果");
    // A find with no card: no 账面原值 or 账面净值, its estimate said in 备注.
    let head = &exceptions[0];
    let at = |name: &str| head.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} not in {head:?}"));
    let surplus = exceptions[1..].iter().find(|r| r[outcome] == "盘盈").expect("the surplus find");
    assert_eq!((&*surplus[at("账面原值")], &*surplus[at("账面净值")]), ("", ""), "{surplus:?}");
    assert!(surplus[at("备注")].starts_with("估值 "), "{surplus:?}");
    let mut found: Vec<(String, String)> = exceptions[1..].iter().map(|r| (r[0].clone(), r[outcome].clone())).collect();
    found.sort();
    let mut want = vec![
        (missing.number.clone(), "盘亏".to_string()),
        (wrong_room.number.clone(), "位置不符".to_string()),
        ("ZC20159999".to_string(), "盘盈".to_string()),
    ];
    want.sort();
    assert_eq!(found, want);

    // Book adjustments: write off the missing one, apply the move.
    let line = report.lines.iter().find(|l| l.asset_id == Some(missing.id)).expect("line");
    stocktake::adjust(
        &mut db,
        line.id,
        &Adjustment::WriteOff { reason: "多方查找未果".into(), approver: "王园长".into(), on: today() },
        today(),
    )
    .expect("write off");
    let after = register::get(db.conn(), missing.id, today()).expect("card");
    assert_eq!((after.status, after.off_books_on), (AssetStatus::WrittenOff, Some(today())));
    let on_books = register::list(db.conn(), &AssetFilter::default(), today()).expect("list");
    assert_eq!(on_books.len(), 19, "the written-off card left the register");
    assert!(!on_books.iter().any(|a| a.id == missing.id));
    assert_eq!(stocktake::apply_moves(&mut db, id, today()).expect("moves"), 1);
    assert_eq!(register::get(db.conn(), wrong_room.id, today()).expect("card").room, "办公室");
    let transfers = movements::transfers(db.conn(), Some(wrong_room.id), 10).expect("transfers");
    assert_eq!(transfers[0].kind_label, "盘点调整");
    // The report now lists the adjustments.
    let report = stocktake::report(db.conn(), id).expect("report");
    assert_eq!(report.adjustments.len(), 2);
    let pages = pdf_pages("acceptance-report-adjusted.pdf", &print::stocktake_pdf(&report).expect("pdf"));
    let text = pages.concat();
    assert!(text.contains("已核销") && text.contains("已调整存放地点"), "{text}");
    // Regression: the adjustments filled page 1 and the signature lines stood
    // alone on page 2; now the last adjustment goes along with them.
    let signed = pages.iter().find(|p| p.contains("园长:")).expect("signatures");
    let last = report.adjustments.last().expect("adjustment");
    assert!(signed.contains(&last.number) && signed.contains("资产编号"), "signatures without the table: {signed}");
    // Both adjustments are in the audit trail.
    let log = houqin::db::audit::recent(db.conn(), None, 50).expect("audit");
    assert!(log.iter().any(|e| e.entity == "asset_disposal" && e.action == "write_off"));
    assert!(log.iter().any(|e| e.entity == "asset" && e.action == "stocktake"));
}

/// Every sheet of a workbook, as text cells (numbers as calamine prints them).
fn xlsx_sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).expect("open xlsx");
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("sheet");
            let rows = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
            (name, rows)
        })
        .collect()
}

/// The last row whose first cell is `first` (the 合计 row of a summary).
fn last_row<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter().rev().find(|r| r[0] == first).unwrap_or_else(|| panic!("no row “{first}” in {rows:?}"))
}

/// The QR codes on page 1 of a label PDF, as `zbarimg` reads them from
/// renderings at a few resolutions (zbar may miss a code or two on a page
/// full of them at any one scale; a phone reads one label at a time); `None`
/// (and a note) when zbar-tools is not installed.
fn decode_qr(pdf: &Path) -> Option<String> {
    if Command::new("zbarimg").arg("--version").output().is_err() {
        eprintln!("zbarimg not installed (apt-get install zbar-tools): QR codes not read back");
        return None;
    }
    let mut found = std::collections::BTreeSet::new();
    for dpi in ["150", "200", "300"] {
        let png = pdf.with_file_name(format!("qr-{dpi}"));
        poppler("pdftoppm", &["-r", dpi, "-f", "1", "-l", "1", "-png", "-singlefile", pdf.to_str()?, png.to_str()?]);
        let out = Command::new("zbarimg")
            .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
            .arg(png.with_extension("png"))
            .output()
            .ok()?;
        found.extend(String::from_utf8_lossy(&out.stdout).lines().map(|l| format!("QR-Code:{l}")));
    }
    Some(found.into_iter().collect::<Vec<_>>().join("\n"))
}

/// Regression: a room of a stocktake with no lines (its only card was
/// acquired after the stocktake's date) showed one surplus find, because the
/// room's progress counted the empty row of its outer join as a line without
/// a card.
#[test]
fn a_room_with_nothing_to_count_shows_no_surplus() {
    let mut db = Db::open_scratch().expect("db");
    school(&mut db);
    let mut i = input(&db, "计算机", "新电脑", "仓库", "4800");
    i.acquired_on = "2025-10-01".parse().expect("date");
    add(&mut db, i);
    let started_on = "2025-09-30".parse().expect("date");
    let input =
        StocktakeInput { name: "九月盘点".into(), started_on, rooms: vec!["仓库".into()], note: String::new() };
    let id = stocktake::start(&mut db, &input, today()).expect("start");
    let s = stocktake::get(db.conn(), id).expect("get");
    let rooms: Vec<(&str, i64, i64, i64)> =
        s.rooms.iter().map(|r| (r.room.as_str(), r.expected, r.checked, r.surplus)).collect();
    assert_eq!(rooms, [("仓库", 0, 0, 0)]);
    assert_eq!((s.expected, s.checked, s.surplus), (0, 0, 0));
}

#[test]
fn bad_stocktake_input_gets_a_chinese_message_and_changes_nothing() {
    let mut db = Db::open_scratch().expect("db");
    school(&mut db);
    let all = twenty(&mut db);
    let start = |db: &mut Db, rooms: Vec<String>| {
        stocktake::start(
            db,
            &StocktakeInput { name: "抽盘".into(), started_on: today(), rooms, note: String::new() },
            today(),
        )
    };
    let err = start(&mut db, vec!["大九班".into()]).expect_err("unknown room").to_string();
    assert!(err.contains("没有存放在“大九班”的在账资产"), "{err}");
    let id = start(&mut db, vec!["大一班".into()]).expect("start");
    let err = start(&mut db, vec!["大一班".into()]).expect_err("busy").to_string();
    assert!(err.contains("正在盘点“抽盘”中"), "{err}");

    let snapshot = |db: &Db| (count(db, "asset_stocktake_lines"), count(db, "audit_log"), count(db, "assets"));
    let before = snapshot(&db);
    let cases: Vec<(houqin::Result<ScanResult>, &str)> = vec![
        (stocktake::scan(&mut db, id, "大一班", "  ", None, today()), "请扫描或输入资产编号"),
        (stocktake::scan(&mut db, id, "大一班", "ＺＣ２０２４", None, today()), "中文输入法"),
        (stocktake::scan(&mut db, id, "办公室", &all[0].number, None, today()), "不在盘点“抽盘”的范围内"),
    ];
    for (result, needle) in cases {
        let err = result.expect_err(needle).to_string();
        assert!(err.contains(needle), "expected “{needle}” in “{err}”");
    }
    let class_asset = all.iter().find(|a| a.room == "大一班").expect("asset");
    let err = stocktake::record_surplus(
        &mut db,
        id,
        &SurplusInput {
            room: "大一班".into(),
            number: class_asset.number.clone(),
            name: "某物".into(),
            model: String::new(),
            quantity: String::new(),
            value: String::new(),
            note: String::new(),
        },
        today(),
    )
    .expect_err("on the register")
    .to_string();
    assert!(err.contains("在资产账上") && err.contains("请直接扫描"), "{err}");
    let err = stocktake::record_surplus(
        &mut db,
        id,
        &SurplusInput {
            room: "大一班".into(),
            number: String::new(),
            name: "三轮车".into(),
            model: String::new(),
            quantity: "-2".into(),
            value: String::new(),
            note: String::new(),
        },
        today(),
    )
    .expect_err("quantity")
    .to_string();
    assert!(err.contains("数量“-2”无效"), "{err}");
    let line = stocktake::room_lines(db.conn(), id, "大一班").expect("lines")[0].clone();
    let err = stocktake::update_line(
        &mut db,
        line.id,
        &LineUpdate { counted_qty: Some("两个".into()), ..Default::default() },
    )
    .expect_err("qty")
    .to_string();
    assert!(err.contains("实盘数量“两个”无效"), "{err}");
    // Adjusting before the stocktake is finished is refused.
    let err = stocktake::adjust(&mut db, line.id, &Adjustment::ApplyMove, today()).expect_err("open").to_string();
    assert!(err.contains("请先结束盘点"), "{err}");
    assert_eq!(snapshot(&db), before, "nothing changed");

    // After finishing: scanning is refused; a found asset cannot be written off; nor twice.
    stocktake::scan(&mut db, id, "大一班", &line.number, None, today()).expect("scan");
    stocktake::finish(&mut db, id, today(), today()).expect("finish");
    let before = snapshot(&db);
    let err = stocktake::scan(&mut db, id, "大一班", &line.number, None, today()).expect_err("finished").to_string();
    assert!(err.contains("已结束"), "{err}");
    let write_off = Adjustment::WriteOff { reason: "丢失".into(), approver: "王园长".into(), on: today() };
    let err = stocktake::adjust(&mut db, line.id, &write_off, today()).expect_err("found").to_string();
    assert!(err.contains("只有盘亏的资产才能核销"), "{err}");
    let missing = stocktake::room_lines(db.conn(), id, "大一班")
        .expect("lines")
        .into_iter()
        .find(|l| l.outcome == Outcome::Missing)
        .expect("missing");
    let err = stocktake::adjust(
        &mut db,
        missing.id,
        &Adjustment::WriteOff { reason: " ".into(), approver: "王园长".into(), on: today() },
        today(),
    )
    .expect_err("reason")
    .to_string();
    assert!(err.contains("请填写核销原因"), "{err}");
    assert_eq!(snapshot(&db), before, "nothing changed");
    stocktake::adjust(&mut db, missing.id, &write_off, today()).expect("write off");
    let before = snapshot(&db);
    let err = stocktake::adjust(&mut db, missing.id, &write_off, today()).expect_err("twice").to_string();
    assert!(err.contains("已经调整过了"), "{err}");
    // Disposing of the written-off asset through the disposal form is refused too.
    let err = movements::request(
        &mut db,
        &movements::DisposalRequest {
            asset_id: missing.asset_id.expect("asset"),
            method: movements::DisposalMethod::Scrap,
            reason: "报废".into(),
            requested_on: today(),
            note: String::new(),
        },
        today(),
    )
    .expect_err("already off the books")
    .to_string();
    assert!(err.contains("不能再次报废或核销"), "{err}");
    assert_eq!(snapshot(&db), before, "nothing changed");
}

#[test]
fn every_outcome_kind_reconciles_from_the_database() {
    let mut db = Db::open_scratch().expect("db");
    school(&mut db);
    let chairs = {
        let mut i = input(&db, "幼儿桌椅", "幼儿椅", "中一班", "3000");
        i.quantity = "30".into();
        add(&mut db, i)
    };
    let found = {
        let i = input(&db, "空调", "空调", "中一班", "5000");
        add(&mut db, i)
    };
    let damaged = {
        let i = input(&db, "电气设备", "饮水机", "中一班", "1200");
        add(&mut db, i)
    };
    let moved = {
        let i = input(&db, "电气设备", "电子琴", "中一班", "1600");
        add(&mut db, i)
    };
    let missing = {
        let i = input(&db, "计算机", "电脑", "中一班", "4800");
        add(&mut db, i)
    };
    let hall = {
        let i = input(&db, "电气设备", "音响", "多功能厅", "6800");
        add(&mut db, i)
    };
    let number = |db: &Db, id: AssetId| register::get(db.conn(), id, today()).expect("card").number;
    let id = stocktake::start(
        &mut db,
        &StocktakeInput { name: "全面盘点".into(), started_on: today(), rooms: vec![], note: String::new() },
        today(),
    )
    .expect("start");
    for a in [chairs, found, damaged] {
        let n = number(&db, a);
        stocktake::scan(&mut db, id, "中一班", &n, None, today()).expect("scan");
    }
    let n = number(&db, hall);
    stocktake::scan(&mut db, id, "多功能厅", &n, None, today()).expect("scan");
    let n = number(&db, moved);
    stocktake::scan(&mut db, id, "多功能厅", &n, Some(OtherRoomChoice::Move), today()).expect("moved");
    let lines = stocktake::room_lines(db.conn(), id, "中一班").expect("lines");
    let line_of = |a: AssetId| lines.iter().find(|l| l.asset_id == Some(a)).expect("line").id;
    stocktake::update_line(
        &mut db,
        line_of(chairs),
        &LineUpdate { counted_qty: Some("28".into()), ..Default::default() },
    )
    .expect("count");
    stocktake::update_line(
        &mut db,
        line_of(damaged),
        &LineUpdate { damaged: Some(true), note: Some("漏水".into()), ..Default::default() },
    )
    .expect("damaged");
    stocktake::mark_missing(&mut db, line_of(missing)).expect("missing");
    stocktake::record_surplus(
        &mut db,
        id,
        &SurplusInput {
            room: "多功能厅".into(),
            number: String::new(),
            name: "儿童三轮车".into(),
            model: String::new(),
            quantity: "5".into(),
            value: "1900".into(),
            note: "无标签".into(),
        },
        today(),
    )
    .expect("surplus");

    let open = stocktake::reconciliation(db.conn(), id).expect("open");
    assert!(!open.finished);
    let r = stocktake::finish(&mut db, id, today(), today()).expect("finish");
    let class = r.rooms.iter().find(|x| x.room == "中一班").expect("room");
    // Book: 30 chairs + 4 single items = 34.
    assert_eq!(class.book.qty, 34);
    assert_eq!((class.found.qty, class.damaged.qty, class.moved.qty), (29, 1, 1));
    // Missing: 2 chairs (3,000 × 2 ÷ 30 = 200.00) and the computer.
    assert_eq!(class.missing.qty, 3);
    assert_eq!(class.missing.original, Fen::yuan(200 + 4_800));
    let hall_row = r.rooms.iter().find(|x| x.room == "多功能厅").expect("hall");
    assert_eq!((hall_row.book.qty, hall_row.found.qty, hall_row.surplus.qty), (1, 1, 5));
    assert_eq!(hall_row.surplus.original, Fen::yuan(1_900));
    assert_eq!(hall_row.match_rate.text, "100.00%");
    // 30 of 35 matched overall.
    assert_eq!((r.total.book.qty, r.total.found.qty), (35, 30));
    assert_eq!(r.total.match_rate.text, "85.71%");
    let labels: Vec<String> =
        stocktake::lines(db.conn(), id).expect("lines").iter().map(|l| l.outcome_label.clone()).collect();
    for want in ["部分盘亏(少 2)", "相符", "损坏", "位置不符", "盘亏", "盘盈"] {
        assert!(labels.iter().any(|l| l == want), "{want} not in {labels:?}");
    }

    // Adjustments of each kind: damaged → 维修, surplus registered, missing kept for investigation.
    let all = stocktake::lines(db.conn(), id).expect("lines");
    let of = |outcome: Outcome| all.iter().find(|l| l.outcome == outcome).expect("line").id;
    stocktake::adjust(&mut db, of(Outcome::Damaged), &Adjustment::SetStatus { status: AssetStatus::Repair }, today())
        .expect("status");
    assert_eq!(register::get(db.conn(), damaged, today()).expect("card").status, AssetStatus::Repair);
    stocktake::adjust(&mut db, of(Outcome::Missing), &Adjustment::Investigate { note: "问问保育员".into() }, today())
        .expect("investigate");
    let mut trikes = input(&db, "户外游乐及体育器材", "儿童三轮车", "多功能厅", "1900");
    trikes.quantity = "5".into();
    stocktake::adjust(&mut db, of(Outcome::Surplus), &Adjustment::RegisterSurplus { input: Box::new(trikes) }, today())
        .expect("register");
    let registered =
        register::list(db.conn(), &AssetFilter { search: Some("三轮车".into()), ..Default::default() }, today())
            .expect("list");
    assert_eq!(registered.len(), 1);
    assert_eq!((registered[0].acquisition, registered[0].quantity), (Acquisition::Surplus, 5));
    // The chairs' partial shortage cannot be written off as a whole card.
    let err = stocktake::adjust(
        &mut db,
        line_of(chairs),
        &Adjustment::WriteOff { reason: "丢失".into(), approver: "王园长".into(), on: today() },
        today(),
    )
    .expect_err("partial")
    .to_string();
    assert!(err.contains("批量卡片部分盘亏不能整张核销"), "{err}");

    // Never-checked: only the surplus card registered just now (found by no stocktake).
    let unchecked = stocktake::never_checked(db.conn(), today()).expect("unchecked");
    let names: Vec<&str> = unchecked.iter().map(|n| n.asset.name.as_str()).collect();
    assert!(names.contains(&"儿童三轮车") && names.contains(&"电脑"), "{names:?}");
    assert!(!names.contains(&"空调"), "{names:?}");
}

#[test]
fn register_import_and_export_round_trip_and_bad_rows_import_nothing() {
    let mut db = Db::open_scratch().expect("db");
    school(&mut db);
    let header = "资产编号,资产名称,类别代码,类别名称,规格型号,数量,计量单位,存放地点,使用部门,责任人,取得日期,取得方式,供应商,原值,使用年限,使用状况,备注\n";
    let bad = format!(
        "{header}ZC-1,台式电脑,A02010100,,联想,1,台,办公室,行政,王园长,2024-09-01,购置,,4800,,在用,\n\
         zc-1,笔记本,,计算机,,1,台,办公室,,,2024-09-01,,,5990,,,\n\
         ,空调,A02061804,,,1,台,大一班,,,2030-01-01,,,3000,,,\n\
         ,打印机,,复印设备,,1,台,办公室,,,2024-09-01,,,-100,,,\n\
         ,电子琴,A02060000,,,0,台,大一班,,,2024-13-01,送的,,1580,六年,已报废,\n"
    );
    let err = io::import_bytes(&mut db, "bad.csv", bad.as_bytes(), today(), &mut |_, _| {}).expect_err("bad");
    let Error::Rejected { problems } = &err else { panic!("{err:?}") };
    let found: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.column.as_str())).collect();
    for want in [
        (3, "资产编号"),
        (4, "取得日期"),
        (5, "类别名称"),
        (5, "原值"),
        (6, "取得日期"),
        (6, "取得方式"),
        (6, "使用状况"),
        (6, "数量"),
        (6, "使用年限"),
    ] {
        assert!(found.contains(&want), "{want:?} not in {found:?}");
    }
    assert!(err.to_string().contains("资产编号“zc-1”与第2行重复"), "{err}");
    assert!(err.to_string().contains("晚于今天"), "{err}");
    assert_eq!(count(&db, "assets"), 0, "a file with bad rows imports nothing");

    let good = format!(
        "{header}ZC-1,台式电脑,A02010100,,联想,1,台,办公室,行政,王园长,2024-09-01,购置,,4800,,在用,\n\
         ,幼儿椅,,幼儿桌椅,,30,把,大一班,,陈老师,45000,,,2850,,,\n\
         \n\
         ,碎纸机,,办公设备,,1,台,办公室,,,2025/3/1,,,600,,,\n"
    );
    let s = io::import_bytes(&mut db, "good.csv", good.as_bytes(), today(), &mut |_, _| {}).expect("import");
    assert_eq!((s.imported, s.skipped_blank), (3, 1));
    assert_eq!(s.advice_count, 1);
    assert!(s.advice[0].contains("碎纸机") && s.advice[0].contains("低值易耗品"), "{:?}", s.advice);
    let list = register::list(db.conn(), &AssetFilter::default(), today()).expect("list");
    let chairs = list.iter().find(|a| a.name == "幼儿椅").expect("chairs");
    assert_eq!(
        (chairs.quantity, chairs.unit.as_str(), chairs.acquired_on.to_string().as_str()),
        (30, "把", "2023-03-15")
    );
    assert!(chairs.number.starts_with("ZC2023"), "{}", chairs.number);

    // Export, then import the file into an empty register: the same cards.
    let path = out_dir().join("register.xlsx");
    io::register_xlsx(db.conn(), &path, today()).expect("export");
    let mut fresh = Db::open_scratch().expect("db");
    let s = io::import_file(&mut fresh, &path, today(), &mut |_, _| {}).expect("re-import");
    assert_eq!(s.imported, 3);
    let again = register::list(fresh.conn(), &AssetFilter::default(), today()).expect("list");
    let key = |l: &[register::Asset]| {
        let mut v: Vec<(String, String, i64, Fen, u32, String)> = l
            .iter()
            .map(|a| (a.number.clone(), a.name.clone(), a.quantity, a.original, a.life_months, a.room.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(key(&again), key(&list));
}

#[test]
fn depreciation_report_names_its_rule_and_the_pdf_and_xlsx_are_written() {
    let mut db = Db::open_scratch().expect("db");
    school(&mut db);
    let mut pc = input(&db, "计算机", "台式电脑", "办公室", "6000");
    pc.acquired_on = "2025-03-31".parse().expect("date");
    add(&mut db, pc);
    let mut books = input(&db, "图书", "绘本", "图书室", "3000");
    books.quantity = "100".into();
    add(&mut db, books);
    let month: YearMonth = "2025-03".parse().expect("month");

    let g = depreciation::monthly_report(db.conn(), month).expect("report");
    assert_eq!(g.total.this_month, Fen(8_333), "government: from the month of acquisition");
    assert_eq!(g.total.original, Fen::yuan(9_000));
    let book_row = g.categories.iter().find(|c| c.name == "图书").expect("books");
    assert_eq!((book_row.this_month, book_row.net), (Fen::ZERO, Fen::yuan(3_000)));
    let text = pdf_text("depreciation-gov.pdf", &print::depreciation_pdf(db.conn(), &g).expect("pdf"));
    for needle in
        ["向日葵幼儿园固定资产折旧表", "2025年3月", "当月增加的资产当月计提折旧", "83.33", "图书", "合计", "制表:"]
    {
        assert!(text.contains(needle), "“{needle}” not in:\n{text}");
    }
    io::depreciation_xlsx(&g, &out_dir().join("depreciation.xlsx")).expect("xlsx");

    // The enterprise rule, chosen in the settings: nothing in March, the first charge in April.
    let mut form = settings::load(db.conn()).expect("settings").to_form();
    form.depreciation_rule = Some(depreciation::DepreciationRule::Enterprise);
    settings::save(&mut db, &form).expect("save");
    let e = depreciation::monthly_report(db.conn(), month).expect("report");
    assert_eq!(e.total.this_month, Fen::ZERO);
    assert!(e.rule_text.contains("从下月起计提"), "{}", e.rule_text);
    assert_eq!(depreciation::monthly_report(db.conn(), month.next()).expect("april").total.this_month, Fen(8_333));
    let text = pdf_text("depreciation-ent.pdf", &print::depreciation_pdf(db.conn(), &e).expect("pdf"));
    assert!(text.contains("当月增加的资产从下月起计提折旧"), "{text}");
}

/// Regression: the stocktake report wrote its dates 2026年09月10日, and the
/// estimate of a find with no card sat under 原值 and 净值 as if it were book value.
#[test]
fn stocktake_report_writes_dates_unpadded_and_labels_a_surplus_estimate() {
    // A file, so SQLite: the demo fills every area, not all of which run on PostgreSQL yet.
    let file = out_dir().join("stocktake-dates.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let mut db = Db::open(&file).expect("db");
    houqin::demo::load(&mut db, today()).expect("demo");
    let all = stocktake::list(db.conn()).expect("stocktakes");
    let finished = all.iter().find(|s| s.status == stocktake::StocktakeStatus::Finished).expect("finished");
    let report = stocktake::report(db.conn(), finished.id).expect("report");
    let end = report.stocktake.finished_on.expect("finished on");
    let surplus = report.exceptions.iter().find(|l| l.asset_id.is_none()).expect("a surplus find");
    let text = pdf_text("stocktake-dates.pdf", &print::stocktake_pdf(&report).expect("pdf"));
    let unpadded = format!("{}年{}月{}日", end.year(), end.month(), end.day());
    assert!(text.contains(&unpadded), "{unpadded}:\n{text}");
    if end.month() < 10 || end.day() < 10 {
        assert!(!text.contains(&end.format("%Y年%m月%d日").to_string()), "{text}");
    }
    let estimate = surplus.original.to_grouped_string();
    let raw = poppler("pdftotext", &["-layout", out_dir().join("stocktake-dates.pdf").to_str().expect("path"), "-"]);
    let lines: Vec<&str> = raw.lines().collect();
    let at = lines.iter().position(|l| l.contains("估值") && !l.contains("数量/估值")).expect("the estimate, labelled");
    // The cell may wrap: the amount follows the label, in its line or the few below.
    assert!(
        lines[at..(at + 4).min(lines.len())].iter().any(|l| l.contains(&estimate)),
        "{}",
        lines[at..(at + 4).min(lines.len())].join("\n")
    );
    // Not repeated as a 净值 either.
    assert!(lines.iter().all(|l| l.matches(&estimate).count() < 2), "{raw}");
}

#[test]
fn the_demo_school_has_a_register_a_finished_and_an_open_stocktake() {
    let mut db = Db::open_scratch().expect("db");
    houqin::demo::load(&mut db, today()).expect("demo");
    let list = register::list(db.conn(), &AssetFilter::default(), today()).expect("list");
    assert!((150..=400).contains(&list.len()), "{} cards", list.len());
    let rooms: Vec<String> = register::rooms(db.conn()).expect("rooms").into_iter().map(|r| r.room).collect();
    for room in ["大一班", "小一班", "厨房", "办公室", "操场"] {
        assert!(rooms.iter().any(|r| r == room), "{room} not in {rooms:?}");
    }
    let all = stocktake::list(db.conn()).expect("stocktakes");
    let finished = all.iter().find(|s| s.status == stocktake::StocktakeStatus::Finished).expect("finished");
    let r = stocktake::reconciliation(db.conn(), finished.id).expect("reconciliation");
    assert_eq!((r.total.missing.qty, r.total.moved.qty, r.total.surplus.qty, r.total.damaged.qty), (1, 1, 1, 1));
    assert!(all
        .iter()
        .any(|s| s.status == stocktake::StocktakeStatus::Open && s.checked > 0 && s.checked < s.expected));
    let open_disposals = movements::disposals(db.conn(), None).expect("disposals");
    assert!(open_disposals.iter().any(|d| d.status == movements::DisposalStatus::Requested));
    assert!(open_disposals.iter().any(|d| d.status == movements::DisposalStatus::Disposed));
    // Its reports print.
    let report = stocktake::report(db.conn(), finished.id).expect("report");
    let text = pdf_text("demo-stocktake.pdf", &print::stocktake_pdf(&report).expect("pdf"));
    assert!(text.contains("投影仪") && text.contains("旧喷墨打印机"), "{text}");
    let dep = depreciation::monthly_report(db.conn(), YearMonth::of(today())).expect("dep");
    assert!(dep.total.this_month > Fen::ZERO);
    pdf_text("demo-depreciation.pdf", &print::depreciation_pdf(db.conn(), &dep).expect("pdf"));
    // Regression: the detail's 累计折旧 and 净值 columns were too narrow and a
    // 7-digit amount broke across two lines ("1,190,000.0" / "0").
    let raw = poppler("pdftotext", &["-layout", out_dir().join("demo-depreciation.pdf").to_str().expect("path"), "-"]);
    let biggest = dep.lines.iter().max_by_key(|l| l.accumulated).expect("lines");
    for amount in [biggest.original, biggest.accumulated, biggest.net] {
        let amount = amount.to_grouped_string();
        assert!(amount.len() >= 12, "a 7-digit amount: {amount}");
        assert!(raw.contains(&amount), "{amount} broken in the depreciation PDF:\n{raw}");
    }
    let labels = print::labels_pdf(db.conn(), &list, &settings::load(db.conn()).expect("s")).expect("labels");
    pdf_text("demo-labels.pdf", &labels);
}

fn houqin(db: &Path, args: &[&str]) -> (bool, Option<i32>, String, String) {
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
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh folder for one command-line test.
fn cli_dir(name: &str) -> PathBuf {
    let dir = out_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

const CLI_REGISTER: &str = "资产编号,资产名称,类别名称,规格型号,数量,存放地点,责任人,取得日期,原值
ZC-0001,柜式空调,空调,格力 3匹,1,大一班,陈老师,2023-09-01,6899
ZC-0002,教学电脑,计算机,联想 M437,1,大一班,陈老师,2024-03-01,4650
ZC-0003,钢琴,电气设备,珠江,1,大一班,陈老师,2022-09-01,14700
ZC-0004,复印机,办公设备,理光 MP2555,1,办公室,钱保管,2023-03-01,12800
ZC-0005,文件柜,家具,钢制 四门,1,办公室,钱保管,2023-03-01,1150
";

#[test]
fn the_command_line_imports_lists_prints_labels_and_reports_a_stocktake() {
    let dir = cli_dir("cli-story");
    let db = dir.join("houqin.db");
    let ok = |args: &[&str]| {
        let (success, _, out, err) = houqin(&db, args);
        assert!(success, "houqin {args:?} failed: {err}");
        out
    };
    ok(&["init", "--name", "向日葵幼儿园"]);
    let csv = dir.join("资产.csv");
    std::fs::write(&csv, CLI_REGISTER).expect("csv");
    let out = ok(&["assets", "import", csv.to_str().expect("path")]);
    assert!(out.contains("已导入 5 张资产卡片"), "{out}");

    // The register as JSON: every card, with its room and value.
    let list: serde_json::Value = serde_json::from_str(&ok(&["--json", "assets", "list"])).expect("json");
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 5);
    let piano = list.iter().find(|a| a["number"] == "ZC-0003").expect("piano");
    assert_eq!((piano["name"].as_str(), piano["room"].as_str()), (Some("钢琴"), Some("大一班")));
    assert_eq!(piano["original"], serde_json::json!(1_470_000), "original value in fen");

    // Labels: the numbers and names are on the sheet.
    let labels = dir.join("标签.pdf");
    let out = ok(&["assets", "labels", "--out", labels.to_str().expect("path")]);
    assert!(out.contains("已生成 5 张标签"), "{out}");
    let text: String =
        poppler("pdftotext", &[labels.to_str().expect("path"), "-"]).chars().filter(|c| !c.is_whitespace()).collect();
    for (number, name) in [("ZC-0001", "柜式空调"), ("ZC-0003", "钢琴"), ("ZC-0005", "文件柜")] {
        assert!(text.contains(number) && text.contains(name), "{number} {name} not on the labels:\n{text}");
    }

    // A stocktake: the office's cabinet is not found, the computer turns up in
    // the office (moved), an unknown label is recorded as surplus.
    let started: serde_json::Value =
        serde_json::from_str(&ok(&["--json", "stocktake", "start", "--name", "期末盘点"])).expect("json");
    let id = started["id"].as_i64().expect("id").to_string();
    let out = ok(&["stocktake", "scan", &id, "--room", "大一班", "ZC-0001", "zc-0003"]);
    assert_eq!(out.matches("✓").count(), 2, "{out}");
    let out = ok(&["stocktake", "scan", &id, "--room", "办公室", "ZC-0004", "ZC-0002", "ZC-0004"]);
    assert!(out.contains("已经扫描过了"), "a duplicate in the list warns: {out}");
    assert!(out.contains("登记在“大一班”"), "the computer is asked about: {out}");
    ok(&["stocktake", "scan", &id, "--room", "办公室", "--moved", "ZC-0002"]);
    ok(&["stocktake", "scan", &id, "--room", "办公室", "--surplus", "旧打印机", "ZC-9999"]);
    ok(&["stocktake", "finish", &id]);
    let pdf = dir.join("盘点报告.pdf");
    ok(&["stocktake", "report", &id, "--out", pdf.to_str().expect("path")]);
    let text: String =
        poppler("pdftotext", &[pdf.to_str().expect("path"), "-"]).chars().filter(|c| !c.is_whitespace()).collect();
    for needle in
        ["向日葵幼儿园固定资产盘点报告", "期末盘点", "ZC-0005", "文件柜", "盘亏", "位置不符", "旧打印机", "60.00%"]
    {
        assert!(text.contains(needle), "“{needle}” not in the report:\n{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_on_the_command_line_exits_1_in_chinese_and_saves_nothing() {
    let dir = cli_dir("cli-bad");
    let db = dir.join("houqin.db");
    let (success, _, _, err) = houqin(&db, &["init", "--name", "向日葵幼儿园"]);
    assert!(success, "{err}");
    let csv = dir.join("资产.csv");
    std::fs::write(&csv, CLI_REGISTER).expect("csv");
    assert!(houqin(&db, &["assets", "import", csv.to_str().expect("path")]).0);
    let cards = |db: &Path| {
        let (_, _, out, _) = houqin(db, &["--json", "assets", "list", "--all"]);
        serde_json::from_str::<serde_json::Value>(&out).expect("json").as_array().expect("array").len()
    };
    assert_eq!(cards(&db), 5);

    // A second file repeating a number already on the register (in another case).
    let again = dir.join("补登.csv");
    std::fs::write(
        &again,
        "资产编号,资产名称,类别名称,数量,存放地点,取得日期,原值\n\
         ZC-0100,投影仪,办公设备,1,办公室,2024-05-01,3699\n\
         zc-0001,空调,空调,1,大二班,2024-05-01,2999\n",
    )
    .expect("csv");
    let (success, code, out, err) = houqin(&db, &["assets", "import", again.to_str().expect("path")]);
    assert!(!success && code == Some(1), "exit {code:?}: {out}");
    assert!(err.contains("错误:") && err.contains("zc-0001") && err.contains("已被"), "{err}");
    assert_eq!(cards(&db), 5, "no row of the file was saved");

    // A card acquired in the future.
    let (success, code, _, err) = houqin(
        &db,
        &[
            "assets",
            "add",
            "--name",
            "台式电脑",
            "--category",
            "计算机",
            "--room",
            "办公室",
            "--date",
            "2099-01-01",
            "--value",
            "4800",
        ],
    );
    assert!(!success && code == Some(1), "exit {code:?}");
    assert!(err.contains("不能登记未来取得的资产"), "{err}");
    assert_eq!(cards(&db), 5, "nothing saved");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cards_not_found_within_the_check_interval_are_listed_with_their_last_stocktake() {
    let mut db = Db::open_scratch().expect("db");
    school(&mut db);
    let old = {
        let i = input(&db, "计算机", "旧电脑", "办公室", "4800");
        add(&mut db, i)
    };
    let recent = {
        let i = input(&db, "办公设备", "打印机", "办公室", "1680");
        add(&mut db, i)
    };
    let never = {
        let i = input(&db, "家具", "文件柜", "办公室", "1150");
        add(&mut db, i)
    };
    let number = |db: &Db, id: AssetId| register::get(db.conn(), id, today()).expect("card").number;
    let at = |day: &str| NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("day").and_hms_opt(10, 0, 0).expect("time");
    // A stocktake in September 2024 finds both; one in March 2025 finds only
    // the printer (the computer is missing then, which is not "checked").
    let stocktakes =
        [("2024年秋季盘点", "2024-09-30", vec![old, recent]), ("2025年春季盘点", "2025-03-01", vec![recent])];
    for (name, day, found) in stocktakes {
        let numbers: Vec<String> = found.iter().map(|a| number(&db, *a)).collect();
        db.with_tx(|tx| {
            let started_on = day.parse().expect("date");
            let input = StocktakeInput { name: name.into(), started_on, rooms: vec![], note: String::new() };
            let id = stocktake::start_in_tx(tx, &input, today())?;
            for n in &numbers {
                let r = stocktake::scan_in_tx(tx, id, "办公室", n, None, today(), at(day))?;
                assert!(matches!(r, ScanResult::Found { .. }), "{r:?}");
            }
            stocktake::finish_in_tx(tx, id, started_on, today(), at(day))?;
            Ok(())
        })
        .expect("stocktake");
    }
    let listed = |db: &Db, today: NaiveDate| -> Vec<(AssetId, Option<NaiveDate>, Option<String>)> {
        stocktake::never_checked(db.conn(), today)
            .expect("not checked")
            .into_iter()
            .map(|n| (n.asset.id, n.last_checked, n.last_stocktake))
            .collect()
    };
    let day = |d: &str| -> NaiveDate { d.parse().expect("date") };

    // 12 months (the default) before 2025-10-20: cut off at 2024-10-20.
    assert_eq!(settings::load(db.conn()).expect("settings").check_interval_months, 12);
    assert_eq!(
        listed(&db, today()),
        vec![(never, None, None), (old, Some(day("2024-09-30")), Some("2024年秋季盘点".into()))],
        "never checked first, then the computer last found in September 2024; the printer is recent"
    );

    // Every 6 months: the printer (last found 2025-03-01) is now overdue too…
    let mut form = settings::load(db.conn()).expect("settings").to_form();
    form.check_interval_months = 6;
    settings::save(&mut db, &form).expect("save");
    let ids: Vec<AssetId> = listed(&db, today()).into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(ids, [never, old, recent]);
    // …but not on the day the six months are up (found exactly at the cutoff).
    let ids: Vec<AssetId> = listed(&db, day("2025-09-01")).into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(ids, [never, old]);
    let ids: Vec<AssetId> = listed(&db, day("2025-09-02")).into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(ids, [never, old, recent]);
}

#[test]
fn a_batch_of_scans_answers_each_number_as_a_single_scan_does() {
    let mut db = Db::open_scratch().expect("db");
    school(&mut db);
    let all = twenty(&mut db);
    let id = stocktake::start(
        &mut db,
        &StocktakeInput { name: "全面盘点".into(), started_on: today(), rooms: vec![], note: String::new() },
        today(),
    )
    .expect("start");
    let class: Vec<&register::Asset> = all.iter().filter(|a| a.room == "大一班").collect();
    let office = all.iter().find(|a| a.room == "办公室").expect("office");
    let numbers: Vec<String> = vec![
        class[0].number.clone(),
        class[1].number.clone(),
        class[0].number.to_lowercase(), // the same label again
        office.number.clone(),          // belongs to the office
        "ZC20159999".into(),            // not on the register
    ];
    let audits = count(&db, "audit_log");
    let r = stocktake::scan_many(&mut db, id, "大一班", &numbers, None, None, today()).expect("batch");
    assert_eq!(r.len(), 5);
    assert!(matches!(&r[0], ScanResult::Found { line, .. } if line.asset_id == Some(class[0].id)), "{:?}", r[0]);
    assert!(matches!(&r[1], ScanResult::Found { .. }), "{:?}", r[1]);
    assert!(matches!(&r[2], ScanResult::Duplicate { message, .. } if message.contains("已经扫描过了")), "{:?}", r[2]);
    assert!(
        matches!(&r[3], ScanResult::OtherRoom { book_room, room, .. } if book_room == "办公室" && room == "大一班"),
        "{:?}",
        r[3]
    );
    assert!(matches!(&r[4], ScanResult::Unknown { message, .. } if message.contains("不在资产账上")), "{:?}", r[4]);
    assert_eq!(count(&db, "audit_log"), audits + 2, "two scans recorded, the rest only answered");
    // The line a scan answers with is the line as stored.
    let stored = stocktake::room_lines(db.conn(), id, "大一班").expect("lines");
    for answer in &r[..2] {
        let ScanResult::Found { line, .. } = answer else { unreachable!() };
        assert_eq!(Some(&**line), stored.iter().find(|l| l.id == line.id), "answer differs from the database");
    }
    let progress = stocktake::get(db.conn(), id).expect("get");
    assert_eq!((progress.checked, progress.surplus), (2, 0));

    // One number a label cannot hold refuses the whole batch: nothing recorded.
    let bad = vec![class[2].number.clone(), "ＺＣ２０２４".to_string()];
    let err = stocktake::scan_many(&mut db, id, "大一班", &bad, None, None, today()).expect_err("typo").to_string();
    assert!(err.contains("中文输入法"), "{err}");
    assert_eq!(stocktake::get(db.conn(), id).expect("get").checked, 2, "nothing recorded");
}

/// The text of each page of a PDF (pdftotext ends every page with a form feed).
fn pdf_pages(name: &str, bytes: &[u8]) -> Vec<String> {
    let path = out_dir().join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    poppler("pdftotext", &["-layout", path.to_str().expect("path"), "-"])
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect())
        .collect()
}

#[test]
fn labels_cut_long_names_and_rooms_with_an_ellipsis() {
    let mut db = Db::open_scratch().expect("db");
    school(&mut db);
    let long_name = "多功能儿童户外大型组合滑梯攀爬架含安全地垫防护网及遮阳棚配件全套";
    let long_room = "综合楼三楼东侧多功能活动室旁边的储藏间";
    let i = input(&db, "户外游乐及体育器材", long_name, long_room, "38000");
    add(&mut db, i);
    let i = input(&db, "计算机", "教学电脑", "大一班", "4650");
    add(&mut db, i);
    let all = register::list(db.conn(), &AssetFilter::default(), today()).expect("list");
    let pdf = print::labels_pdf(db.conn(), &all, &settings::load(db.conn()).expect("settings")).expect("labels");
    let text = pdf_text("labels-long.pdf", &pdf);
    // The beginning of the name and room are there, the end is cut and says so.
    assert!(text.contains("多功能儿童户外") && !text.contains("遮阳棚配件全套"), "{text}");
    assert!(text.contains("存放:综合楼") && !text.contains("旁边的储藏间"), "{text}");
    // One ellipsis each for the name, the room and the long category name
    // (户外游乐及体育器材), whose month is kept.
    assert_eq!(text.matches('…').count(), 3, "{text}");
    assert!(text.contains("…·2024-03"), "{text}");
    // Short texts are printed whole, without one.
    assert!(text.contains("教学电脑") && text.contains("存放:大一班"), "{text}");
}

/// What the screens read and the small edits of a count, which no other test
/// reaches: the overview, the form's suggestions, a category edited, a room
/// marked done and reopened, a scan undone, a stocktake started by mistake
/// and deleted, and the card with its history. On either backend.
#[test]
fn the_screens_reads_and_small_stocktake_edits_work() {
    use houqin::assets::categories::CategoryInput;
    use houqin::school::staff::{self, StaffInput};
    let mut db = Db::open_scratch().expect("db");
    school(&mut db);
    let all = twenty(&mut db);
    staff::add(&mut db, &StaffInput { name: "周师傅".into(), role: String::new(), phone: String::new() })
        .expect("staff");

    let o = houqin::assets::overview(db.conn(), today()).expect("overview");
    assert_eq!((o.totals.cards, o.rooms, o.not_checked, o.open_disposals), (20, 2, 20, 0));
    let s = register::suggestions(db.conn()).expect("suggestions");
    assert_eq!(s.rooms, ["办公室", "大一班"]);
    assert_eq!(s.custodians, ["周师傅", "钱保管", "陈老师"]);
    assert!(s.units.iter().any(|u| u == "台"), "{:?}", s.units);

    // A category's life edited; another category's code is refused (any case).
    let books = categories::find(db.conn(), "图书").expect("find").expect("books");
    let furniture = categories::find(db.conn(), "a05010000").expect("find by code in lower case").expect("家具");
    assert_eq!(furniture.name, "家具");
    let edit = CategoryInput {
        code: furniture.code.clone(),
        name: "家具".into(),
        life: "10".into(),
        depreciates: true,
        special: false,
        always_register: true,
        unit: "件".into(),
    };
    categories::update(&mut db, furniture.id, &edit).expect("update");
    assert_eq!(categories::get(db.conn(), furniture.id).expect("get").life_months, 120);
    let taken = CategoryInput { code: books.code.to_lowercase(), ..edit };
    let msg = categories::update(&mut db, furniture.id, &taken).expect_err("taken").to_string();
    assert!(msg.contains(&format!("类别代码 {} 已被“图书”使用", books.code)), "{msg}");

    // A room marked done and reopened; a scan undone.
    let input = StocktakeInput { name: "期末盘点".into(), started_on: today(), rooms: vec![], note: String::new() };
    let id = stocktake::start(&mut db, &input, today()).expect("start");
    stocktake::set_room_done(&mut db, id, "大一班", true).expect("done");
    let room = |db: &Db| stocktake::get(db.conn(), id).expect("get").rooms.into_iter().find(|r| r.room == "大一班");
    assert_eq!(room(&db).expect("room").done_by.as_deref(), Some("测试"));
    stocktake::set_room_done(&mut db, id, "大一班", false).expect("reopen");
    assert_eq!(room(&db).expect("room").done_at, None);
    let pc = all.iter().find(|a| a.room == "大一班").expect("card");
    stocktake::scan(&mut db, id, "大一班", &pc.number, None, today()).expect("scan");
    assert_eq!(room(&db).expect("room").checked, 1);
    let line = stocktake::room_lines(db.conn(), id, "大一班").expect("lines");
    let line = line.iter().find(|l| l.asset_id == Some(pc.id)).expect("line");
    stocktake::reset_line(&mut db, line.id).expect("reset");
    assert_eq!(room(&db).expect("room").checked, 0);

    // Counted again and finished: the card shows it; a stocktake started by
    // mistake is deleted.
    stocktake::scan(&mut db, id, "大一班", &pc.number, None, today()).expect("scan");
    stocktake::finish(&mut db, id, today(), today()).expect("finish");
    let card = houqin::assets::card(db.conn(), pc.id, today()).expect("card");
    let checks: Vec<(&str, Outcome)> = card.checks.iter().map(|c| (c.stocktake.as_str(), c.outcome)).collect();
    assert_eq!(checks, [("期末盘点", Outcome::Found)]);
    let other = all.iter().find(|a| a.room == "办公室").expect("office card");
    let checks = houqin::assets::card(db.conn(), other.id, today()).expect("card").checks;
    assert_eq!(checks.iter().map(|c| c.outcome).collect::<Vec<_>>(), [Outcome::Missing]);
    let again = stocktake::start(&mut db, &StocktakeInput { name: "误建".into(), ..input }, today()).expect("start");
    stocktake::cancel(&mut db, again).expect("cancel");
    let names: Vec<String> = stocktake::list(db.conn()).expect("list").into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["期末盘点"]);
}
