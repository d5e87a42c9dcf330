//! Fee notices and refund statements, checked as printed: each PDF is written
//! to disk and read back with poppler (`pdftotext`, `pdfinfo`), so what is
//! checked is what a parent gets. poppler-utils is required (a missing tool
//! fails the test with a message saying how to install it).
//!
//! Golden content: the demo school (dated 2026-11-22), every notice of a
//! class checked for name, class, 学号, every row's amount, the total in
//! figures and capital numerals and every explanation line; totals cross-checked
//! against the settlement and next month's trial run. Then: refusal for an open
//! month, 补打 marking, a corrected notice getting a new number, 应退 for a
//! negative total, a long name with ten explanation lines (fits A4, spills its
//! explanation to the continuation half on A5), unprintable names, statements.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

mod common;

use common::*;

use std::path::Path;
use std::process::Command;

use houqin::calendar::Closure;
use houqin::db::Db;
use houqin::notices::{self, settings as notice_settings, typeset, EarlierUnprinted, Layout, NoticeScope};
use houqin::school::children;
use houqin::school::classes;
use houqin::school::{ChildId, ClassId};
use houqin::{args, settlement, Fen};

/// Text inside a rectangle of page 1, in millimetres from the top-left corner.
fn text_in(path: &Path, page: usize, y_mm: f32, h_mm: f32) -> String {
    let pt = |mm: f32| ((mm / 25.4) * 72.0).round().to_string();
    let p = page.to_string();
    poppler(
        "pdftotext",
        &[
            "-f",
            &p,
            "-l",
            &p,
            "-x",
            "0",
            "-y",
            &pt(y_mm),
            "-W",
            &pt(210.0),
            "-H",
            &pt(h_mm),
            path.to_str().expect("utf-8 path"),
            "-",
        ],
    )
}

/// Every word pdftotext finds (a word: text without spaces on one line).
fn words_of(path: &Path) -> Vec<String> {
    let html = poppler("pdftotext", &["-bbox", path.to_str().expect("utf-8 path"), "-"]);
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .filter_map(|l| l.split('>').nth(1).and_then(|w| w.split('<').next()))
        .map(|w| w.replace("&amp;", "&"))
        .collect()
}

fn page_count(path: &Path) -> usize {
    let info = poppler("pdfinfo", &[path.to_str().expect("utf-8 path")]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in pdfinfo output:\n{info}"))
}

fn count_issues(db: &Db) -> i64 {
    db.conn().value("SELECT COUNT(*) FROM notice_issues", &[]).expect("count")
}

/// The demo school as of 2026-11-22: September closed, October open.
fn demo() -> Db {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("李会计");
    houqin::demo::load(&mut db, d("2026-11-22")).expect("demo");
    db
}

fn confirm(db: &mut Db, month: &str) {
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m(month), d("2026-11-22"))).expect("confirm");
}

fn class_id(db: &Db, name: &str) -> ClassId {
    classes::find_by_name(db.conn(), name).expect("find").expect("class exists")
}

/// Every notice of the batch is in the PDF: name, class, 学号, number, every
/// row (item and amount), the total in figures and capital numerals, every
/// explanation line; and the total is what the settlement says.
fn check_batch_in_pdf(db: &Db, month: &str, batch: &notices::NoticeBatch, text: &str) {
    let flat = squashed(text);
    let view = settlement::preview(db.conn(), m(month)).expect("settlement");
    let next = m(month).next();
    let rules = settlement::rules_for(db.conn(), next).expect("rules").expect("rules exist");
    let trial = settlement::trial(db.conn(), next, &rules.fees).expect("trial");
    for n in &batch.notices {
        let number = &n.issue.as_ref().expect("printed notices have numbers").number;
        for needle in [n.child.as_str(), n.class.as_str(), n.student_no.as_str(), number.as_str()] {
            assert!(flat.contains(&squashed(needle)), "{needle:?} missing for {}", n.child);
        }
        for row in &n.rows {
            let needle = format!("{}{}", typeset(&row.item), typeset(&row.basis));
            assert!(flat.contains(&squashed(&needle)), "row {needle:?} of {} missing", n.child);
            assert!(flat.contains(&row.amount.to_grouped_string()), "amount {} of {} missing", row.amount, n.child);
        }
        let (verb, amount) =
            if n.total.is_negative() { ("本期应退金额", n.total.abs()) } else { ("本期应缴金额", n.total) };
        let total = format!("{verb}：¥{}人民币（大写）：{}", amount.to_grouped_string(), amount.to_capital());
        assert!(flat.contains(&total), "{total:?} missing for {}", n.child);
        for e in &n.explanations {
            assert!(flat.contains(&squashed(&typeset(e))), "explanation {e:?} of {} missing", n.child);
        }
        // The total, independently: next month's charges − this month's
        // refunds and waivers (减免) − 补退 + 补收.
        let id = n.child_id.to_string();
        let charged: Fen = trial.children.iter().filter(|c| c.child_id == id).map(|c| c.charged).sum();
        let refund: Fen = view.result.children.iter().filter(|c| c.child_id == id).map(|c| c.refund).sum();
        let waiver: Fen = view.result.children.iter().filter(|c| c.child_id == id).map(|c| c.waiver).sum();
        let adjust: Fen = view.adjustments.iter().filter(|a| a.child_id == n.child_id).map(|a| a.amount).sum();
        assert_eq!(n.total, charged - refund - waiver - adjust, "total of {}", n.child);
    }
}

#[test]
fn demo_class_notices_show_every_amount_name_and_explanation() {
    let mut db = demo();
    let class = class_id(&db, "大一班");
    let (path, summary) = print(&mut db, "2026-09", NoticeScope::Class { class_id: class }, "demo-class-2026-09.pdf");
    assert_eq!(summary.notices, 15);
    assert_eq!(summary.first_prints, 15);
    assert_eq!(page_count(&path), 15, "A4: one notice per page");
    let text = text_of(&path);
    let batch = notices::prepare(db.conn(), m("2026-09"), NoticeScope::Class { class_id: class }).expect("prepare");
    check_batch_in_pdf(&db, "2026-09", &batch, &text);
    assert!(squashed(&text).contains("阳光幼儿园缴费通知单"));
    assert!(squashed(&text).contains("会计：李会计"));
    assert!(squashed(&text).contains("园长：王园长"));
    assert!(squashed(&text).contains("请于2026年10月10日前缴清。"));

    // Pinned from the demo (seeded, dated 2026-11-22): 张曦诗 was off sick
    // 20–23 Sep (4 school days, 20 Sep being a make-up working Sunday) → 60.00
    // back; October is 18 school days × 15.00 + 800.00 care fee.
    let n = batch.notices.iter().find(|n| n.child == "张曦诗").expect("张曦诗 in 大一班");
    assert_eq!(n.student_no, "20240503");
    let amounts: Vec<i64> = n.rows.iter().map(|r| r.amount.as_i64()).collect();
    assert_eq!(amounts, [27_000, 80_000, -6_000]);
    assert_eq!(n.total, Fen(101_000));
    assert!(squashed(&text).contains("本期应缴金额：¥1,010.00人民币（大写）：壹仟零壹拾元整"));
    assert!(n.explanations[0].contains("2026-09-20 至 2026-09-23,共 4 个在校日"), "{:?}", n.explanations);
    assert!(n.explanations[0].contains("9月退 4 天"), "本月 is named as the month: {:?}", n.explanations);
}

#[test]
fn the_bursars_month_close_october_print_the_class_then_the_school() {
    // Acceptance: settle the demo month, print 大一班, every refund explained
    // and totals right; print the whole school; reprint one child, marked.
    let mut db = demo();
    confirm(&mut db, "2026-10");
    let class = class_id(&db, "大一班");
    // The demo never printed September's notices (its newest closed month):
    // printing October's is refused first, naming September and the families.
    let path = out_dir().join("accept-refused.pdf");
    let _ = std::fs::remove_file(&path);
    let issued_before = count_issues(&db);
    let scope = NoticeScope::Class { class_id: class };
    let err = notices::print(&mut db, m("2026-10"), scope, EarlierUnprinted::Refuse, &path, &mut |_| {})
        .expect_err("September's notices were never printed");
    let view = houqin::error::ErrorView::from(&err);
    assert_eq!(view.code, "earlier_notices_unprinted");
    assert_eq!((view.data["month"].as_str(), view.data["families"].as_str()), (Some("2026-09"), Some("15")), "{err}");
    assert!(err.to_string().contains("2026年9月(15 户) 的缴费通知单从未打印"), "{err}");
    assert!(!path.exists(), "no file for a refused print");
    assert_eq!(count_issues(&db), issued_before, "nothing recorded");
    // 仍然打印 (--force): printed, and these families are not asked again.
    let (path, _) = print_anyway(&mut db, "2026-10", scope, "accept-class.pdf");
    let batch = notices::prepare(db.conn(), m("2026-10"), NoticeScope::Class { class_id: class }).expect("prepare");
    let text = text_of(&path);
    check_batch_in_pdf(&db, "2026-10", &batch, &text);
    // The storm closure of October is refunded per day and explained on every notice.
    for n in &batch.notices {
        assert!(n.explanations.iter().any(|e| e.contains("暴雨红色预警停课")), "closure explained for {}", n.child);
        assert!(n.rows.iter().any(|r| r.item == "退伙食费(10月)"), "meal refund row for {}", n.child);
    }

    // The other classes' families still have September unprinted.
    let err = notices::print(&mut db, m("2026-10"), NoticeScope::School, EarlierUnprinted::Refuse, &path, &mut |_| {})
        .expect_err("the other families' September");
    assert!(err.to_string().contains("2026年9月("), "{err}");
    assert!(!err.to_string().contains("(15 户)"), "大一班 is not counted again: {err}");
    let (school, s) = print_anyway(&mut db, "2026-10", NoticeScope::School, "accept-school.pdf");
    assert_eq!(s.reprints, 15, "大一班 was printed already");
    assert_eq!(s.first_prints, s.notices - 15);
    let all = notices::prepare(db.conn(), m("2026-10"), NoticeScope::School).expect("prepare");
    assert_eq!(all.notices.len(), s.notices);
    check_batch_in_pdf(&db, "2026-10", &all, &text_of(&school));
    let numbers: std::collections::BTreeSet<&str> =
        all.notices.iter().filter_map(|n| n.issue.as_ref()).map(|i| i.number.as_str()).collect();
    assert_eq!(numbers.len(), all.notices.len(), "every notice has its own number");

    // Reprint one child: same number, marked 补打 with the count.
    let child = all.notices[0].child_id;
    let before = all.notices[0].issue.clone().expect("issued");
    let (one, s) = print(&mut db, "2026-10", NoticeScope::Child { child_id: child }, "accept-reprint.pdf");
    assert_eq!((s.notices, s.reprints), (1, 1));
    let flat = squashed(&text_of(&one));
    assert!(flat.contains("补打（第2次打印）"), "{flat}");
    assert!(flat.contains(&format!("编号：{}", before.number)), "{flat}");
}

#[test]
fn a_child_who_left_gets_a_refund_notice_with_no_billing_period() {
    // The demo as of 2026-12-01 (the day this was found): one child left on
    // 15 November, after the storm closure of the 8th school day, which is
    // refunded. Closing November and printing the school gives them a 退费通知单
    // that says 已离园 and the day, with no December charges and no 缴费期.
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("李会计");
    houqin::demo::load(&mut db, d("2026-12-01")).expect("demo");
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m("2026-11"), d("2026-12-01"))).expect("close November");
    let (school, s) = print_anyway(&mut db, "2026-11", NoticeScope::School, "leaver-school.pdf");
    let all = notices::prepare(db.conn(), m("2026-11"), NoticeScope::School).expect("prepare");
    let leavers: Vec<_> = all.notices.iter().filter(|n| n.left_on.is_some()).collect();
    assert_eq!(leavers.len(), 1, "the demo's one leaver");
    let leaver = leavers[0];
    assert_eq!(leaver.left_on, Some(d("2026-11-15")));
    assert!(leaver.total.is_negative() && leaver.rows.iter().all(|r| r.amount.is_negative()), "{:?}", leaver.rows);
    // Every other notice bills December; each child one notice, by its kind.
    let flat = squashed(&text_of(&school));
    let refunds = all.notices.iter().filter(|n| n.total.is_negative()).count();
    assert_eq!(flat.matches("阳光幼儿园退费通知单").count(), refunds);
    assert_eq!(flat.matches("阳光幼儿园缴费通知单").count(), s.notices - refunds);
    assert_eq!(flat.matches("缴费期：2026年12月").count(), s.notices - 1);
    assert_eq!(flat.matches("已离园：2026-11-15").count(), 1);

    let (one, _) = print(&mut db, "2026-11", NoticeScope::Child { child_id: leaver.child_id }, "leaver-one.pdf");
    let flat = squashed(&text_of(&one));
    assert!(flat.contains(&format!("阳光幼儿园退费通知单姓名：{}", squashed(&leaver.child))), "{flat}");
    assert!(flat.contains("已离园：2026-11-15"), "{flat}");
    assert!(!flat.contains("缴费期") && !flat.contains("12月）"), "no billing period, no December line: {flat}");
    assert!(flat.contains("已于2026-11-15离园，2026年12月不再收费。"), "{flat}");
}

#[test]
fn an_open_month_is_refused_and_nothing_is_recorded_or_written() {
    let mut db = demo();
    let path = out_dir().join("open-month.pdf");
    let _ = std::fs::remove_file(&path);
    let err = notices::print(&mut db, m("2026-10"), NoticeScope::School, EarlierUnprinted::Refuse, &path, &mut |_| {})
        .expect_err("refused");
    // The screen offers 去月结 on this code, opened on the month in `data`.
    let view = houqin::error::ErrorView::from(&err);
    assert_eq!((view.code, view.data["month"].as_str()), ("month_not_closed", Some("2026-10")), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("2026年10月 还没有结账,不能打印通知单"), "{msg}");
    assert!(msg.contains("确认 2026年10月 的结账"), "{msg}");
    assert!(!path.exists(), "no file for a refused print");
    assert_eq!(count_issues(&db), 0);
    assert!(notices::prepare(db.conn(), m("2026-10"), NoticeScope::School).is_err());
}

#[test]
fn a_reprint_keeps_the_number_and_counts_and_a_changed_notice_gets_a_new_number() {
    let mut db = demo();
    let child = children::list(db.conn(), &Default::default()).expect("children")[5].id;
    let scope = NoticeScope::Child { child_id: child };
    let (first, s1) = print(&mut db, "2026-09", scope, "reprint-1.pdf");
    assert_eq!((s1.first_prints, s1.reprints), (1, 0));
    assert!(!squashed(&text_of(&first)).contains("补打"));
    let (_, s2) = print(&mut db, "2026-09", scope, "reprint-2.pdf");
    let (third, s3) = print(&mut db, "2026-09", scope, "reprint-3.pdf");
    assert_eq!((s2.reprints, s3.reprints), (1, 1));
    assert_eq!(s1.numbers, s3.numbers, "a reprint keeps its number");
    assert!(squashed(&text_of(&third)).contains("补打（第3次打印）"));
    let (count, by): (i64, String) = db
        .conn()
        .row("SELECT print_count, last_printed_by FROM notice_issues WHERE child_id = ?1", &args![child], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("record");
    assert_eq!((count, by.as_str()), (3, "李会计"));

    // October's charge changes (a closure added after printing): the money on
    // the notice would differ, so the next print is a new notice that names the old one.
    houqin::school::calendar::add_closure(
        &mut db,
        &Closure { from: d("2026-10-26"), to: d("2026-10-27"), reason: "校舍检修".into(), charged: false },
    )
    .expect("closure");
    let batch = notices::prepare(db.conn(), m("2026-09"), scope).expect("prepare");
    assert!(batch.notices[0].changed_since_printed);
    assert_eq!(batch.notices[0].replaces.as_deref(), Some(s1.numbers.0.as_str()));
    let (fixed, s4) = print(&mut db, "2026-09", scope, "reprint-corrected.pdf");
    assert_eq!((s4.corrected, s4.reprints), (1, 0));
    assert_ne!(s4.numbers.0, s1.numbers.0);
    let flat = squashed(&text_of(&fixed));
    assert!(flat.contains(&format!("更正：本单替代编号{}", s1.numbers.0)), "{flat}");
    assert!(flat.contains("16天×15.00元"), "two fewer October school days: {flat}");
    let current: i64 = db
        .conn()
        .value("SELECT COUNT(*) FROM notice_issues WHERE child_id = ?1 AND replaced_by IS NULL", &args![child])
        .expect("current");
    assert_eq!(current, 1);
    let audit = houqin::db::audit::recent(db.conn(), Some("notice"), 10).expect("audit");
    // Newest first: the corrected notice, two reprints, the first issue.
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["issue", "reprint", "reprint", "issue"]);
}

// ---------------------------------------------------------------- a small school

#[test]
fn a_refund_larger_than_the_charge_prints_as_ying_tui() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    // Away the whole of March (22 school days), leaves at the end of March:
    // March is refunded (meal 22 × 15.00 + care 100%), April charges nothing.
    leave(&mut db, kid, "2026-03-02", "2026-03-31");
    children::set_left(&mut db, kid, Some(d("2026-03-31"))).expect("leave school");
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m("2026-03"), d("2026-04-15"))).expect("confirm");
    let (path, s) = print(&mut db, "2026-03", NoticeScope::School, "ying-tui.pdf");
    assert_eq!(s.notices, 1);
    let batch = notices::prepare(db.conn(), m("2026-03"), NoticeScope::School).expect("prepare");
    let n = &batch.notices[0];
    assert!(n.total.is_negative(), "{:?}", n.rows);
    assert_eq!(n.total, Fen(-(22 * 1500 + 80_000)));
    let flat = squashed(&text_of(&path));
    assert!(flat.contains("阳光幼儿园退费通知单"), "{flat}");
    assert!(flat.contains("合计（应退）1,130.00"), "{flat}");
    assert!(flat.contains("本期应退金额：¥1,130.00人民币（大写）：壹仟壹佰叁拾元整"), "{flat}");
    assert!(!flat.contains("-1,130.00") && !flat.contains("负"), "never a negative total: {flat}");
    assert!(flat.contains("应退金额由财务室按原缴费方式退还"), "refund text, not a payment request: {flat}");
    assert!(flat.contains("已于2026-03-31离园，2026年4月不再收费。"), "{flat}");
    assert!(flat.contains("已离园：2026-03-31") && !flat.contains("缴费期"), "no empty billing period: {flat}");
}

#[test]
fn the_header_text_prints_above_the_school_name_and_the_command_line_sets_it() {
    let (mut db, class) = small_school("大一班");
    enrol(&mut db, class, "001", "李小红");
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m("2026-03"), d("2026-04-15"))).expect("confirm");
    let (plain, _) = print(&mut db, "2026-03", NoticeScope::School, "header-none.pdf");
    assert!(!squashed(&text_of(&plain)).contains("阳光教育集团"), "empty by default");

    let header = "阳光教育集团 · 快乐成长每一天";
    let s = notice_settings::save(
        &mut db,
        &notices::NoticeSettings { header_text: format!("  {header} "), ..Default::default() },
    )
    .expect("settings");
    assert_eq!(s.header_text, header);
    for layout in [Layout::A4, Layout::A5x2] {
        notice_settings::save(&mut db, &notices::NoticeSettings { layout, ..s.clone() }).expect("layout");
        let (path, _) = print(&mut db, "2026-03", NoticeScope::School, &format!("header-{}.pdf", layout.as_str()));
        let flat = squashed(&text_of(&path));
        assert!(flat.contains(&format!("{}阳光幼儿园缴费通知单", squashed(header))), "above the title: {flat}");
    }

    // From the command line, on a school file.
    let run = cli_on_new_school("cli-header");
    let (ok, out, err) = run(&["notices", "settings", "--header", "红黄蓝幼教集团"]);
    assert!(ok, "{err}");
    assert!(out.contains("标题上方文字:红黄蓝幼教集团") && out.contains("已保存"), "{out}");
    let (ok, _, err) = run(&["notices", "settings", "--header", &"长".repeat(31)]);
    assert!(!ok && err.contains("标题上方文字不能超过 30 个字"), "{err}");
    let (ok, out, _) = run(&["notices", "settings", "--header", ""]);
    assert!(ok && out.contains("标题上方文字:(不印)"), "{out}");
}

/// Runs the `houqin` binary on a fresh school file in the test output folder
/// `dir`: (success, stdout, stderr).
fn cli_on_new_school(dir: &str) -> impl Fn(&[&str]) -> (bool, String, String) {
    let dir = out_dir().join(dir);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db_path = dir.join("school.db");
    Db::open(&db_path).expect("db");
    move |args: &[&str]| {
        let out =
            Command::new(env!("CARGO_BIN_EXE_houqin")).arg("--db").arg(&db_path).args(args).output().expect("run");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// The text of one page of a PDF, without whitespace.
fn page_text(path: &Path, page: usize) -> String {
    let p = page.to_string();
    squashed(&poppler("pdftotext", &["-f", &p, "-l", &p, path.to_str().expect("utf-8 path"), "-"]))
}

#[test]
fn notices_print_the_school_address_and_phone_and_the_receipt_stub_when_set() {
    let (mut db, class) = small_school("大一班");
    let mut school = houqin::school::profile::get(db.conn()).expect("profile").expect("set up");
    school.address = "杭州市西湖区文三路 118 号".into();
    school.phone = "0571-88886666".into();
    houqin::school::profile::save(&mut db, &school).expect("profile");
    let kids = ["李小红", "王大明", "赵子涵"];
    for (i, name) in kids.iter().enumerate() {
        let kid = enrol(&mut db, class, &format!("00{}", i + 1), name);
        if i == 1 {
            // A refund, so one notice has an amount other than the others'.
            leave(&mut db, kid, "2026-03-09", "2026-03-13");
        }
    }
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m("2026-03"), d("2026-04-15"))).expect("confirm");
    let batch = notices::prepare(db.conn(), m("2026-03"), NoticeScope::School).expect("prepare");

    // Off (the default): the address and phone on every notice, no 回执.
    assert!(!notice_settings::get(db.conn()).expect("settings").receipt_stub, "off by default");
    let (off, _) = print(&mut db, "2026-03", NoticeScope::School, "receipt-off.pdf");
    assert_eq!(page_count(&off), kids.len());
    for page in 1..=kids.len() {
        let text = page_text(&off, page);
        assert!(text.contains("学校地址：杭州市西湖区文三路118号"), "page {page}: {text}");
        assert!(text.contains("联系电话：0571-88886666"), "page {page}: {text}");
        assert!(!text.contains("回执") && !text.contains("家长签字"), "page {page}: {text}");
    }

    // On, A4: one notice a page, still one page each, the strip repeating the
    // child, class, period and amount with blanks to sign.
    let current = notice_settings::get(db.conn()).expect("settings");
    let on =
        notice_settings::save(&mut db, &notices::NoticeSettings { receipt_stub: true, ..current }).expect("settings");
    assert!(on.receipt_stub);
    let (a4, _) = print(&mut db, "2026-03", NoticeScope::School, "receipt-a4.pdf");
    assert_eq!(page_count(&a4), kids.len(), "the strip fits each notice's page");
    for (page, n) in (1..).zip(&batch.notices) {
        let text = page_text(&a4, page);
        assert_eq!(text.matches("回执").count(), 1, "page {page}: {text}");
        assert_eq!(text.matches(n.child.as_str()).count(), 2, "{} on the notice and on its 回执: {text}", n.child);
        let (verb, amount) =
            if n.total.is_negative() { ("应退金额", n.total.abs()) } else { ("应缴金额", n.total) };
        let stub = text.split("回执").nth(1).expect("the strip after its title");
        for needle in [
            format!("幼儿姓名：{}", n.child),
            format!("班级：{}", n.class),
            "缴费期：2026年4月".to_string(),
            format!("{verb}：¥{}", amount.to_grouped_string()),
            "家长签字：".to_string(),
            "日期：".to_string(),
        ] {
            assert!(stub.contains(&needle), "{needle:?} missing from the 回执 of {}: {stub}", n.child);
        }
        assert!(text.contains("学校地址：杭州市西湖区文三路118号"), "page {page}: {text}");
    }

    // On, A5 两联: each half is one notice with its own strip at its foot.
    notice_settings::save(&mut db, &notices::NoticeSettings { layout: Layout::A5x2, ..on }).expect("layout");
    let (a5, _) = print(&mut db, "2026-03", NoticeScope::School, "receipt-a5.pdf");
    assert_eq!(page_count(&a5), kids.len().div_ceil(2), "two notices a sheet, strips and all");
    for (i, n) in batch.notices.iter().enumerate() {
        let half = squashed(&text_in(&a5, i / 2 + 1, 148.5 * (i % 2) as f32, 148.5));
        assert_eq!(half.matches("回执").count(), 1, "{half}");
        assert_eq!(half.matches(n.child.as_str()).count(), 2, "{}: {half}", n.child);
        // The strip is the last thing on the half: nothing of the notice below it.
        let stub = half.split("回执").nth(1).expect("strip");
        assert!(!stub.contains("开具日期") && !stub.contains("学校地址"), "{stub}");
    }

    // From the command line, on a school file.
    let run = cli_on_new_school("cli-receipt");
    let (ok, out, err) = run(&["notices", "settings"]);
    assert!(ok && out.contains("回执:不印"), "{out}{err}");
    let (ok, out, err) = run(&["notices", "settings", "--receipt", "on"]);
    assert!(ok && out.contains("回执:印在每张通知单底部") && out.contains("已保存"), "{out}{err}");
    let (ok, _, err) = run(&["notices", "settings", "--receipt", "maybe"]);
    assert!(!ok && err.contains("--receipt 只能是 on"), "{err}");
    let (ok, out, _) = run(&["notices", "settings", "--receipt", "off"]);
    assert!(ok && out.contains("回执:不印"), "{out}");
}

/// A child with a 30-character name in a class with a 30-character name and
/// ten explanation lines (ten separate one-day absences in March).
fn long_notice_school() -> (Db, ChildId) {
    let long_class = "向日葵国际双语实验幼儿园大班第一教学组蒲公英特色课程实验一班";
    assert_eq!(long_class.chars().count(), 30);
    let (mut db, class) = small_school(long_class);
    let name = "爱新觉罗司马欧阳诸葛上官皇甫慕容端木长孙宇文令狐小明明明明明";
    assert_eq!(name.chars().count(), 30);
    let kid = enrol(&mut db, class, "20250901001", name);
    for day in ["02", "04", "06", "10", "12", "16", "18", "20", "24", "26"] {
        leave(&mut db, kid, &format!("2026-03-{day}"), &format!("2026-03-{day}"));
    }
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m("2026-03"), d("2026-04-15"))).expect("confirm");
    (db, kid)
}

#[test]
fn a_long_name_and_ten_explanation_lines_fit_a4_and_spill_to_the_second_half_on_a5() {
    let (mut db, _) = long_notice_school();
    let batch = notices::prepare(db.conn(), m("2026-03"), NoticeScope::School).expect("prepare");
    assert!(batch.notices[0].explanations.len() >= 10, "{:?}", batch.notices[0].explanations);
    let explanations = batch.notices[0].explanations.clone();
    let name = batch.notices[0].child.clone();

    // A4: one page, everything on it.
    let (a4, _) = print(&mut db, "2026-03", NoticeScope::School, "long-a4.pdf");
    assert_eq!(page_count(&a4), 1);
    let flat = squashed(&text_of(&a4));
    assert!(!flat.contains("见续页"), "fits A4 without a continuation");
    for e in &explanations {
        assert!(flat.contains(&squashed(&typeset(e))), "{e:?} missing on A4");
    }
    assert!(name.chars().all(|c| flat.contains(c)), "name printed");

    // Two A5 per A4: the money part with signatures in the top half, the
    // explanation in the bottom half, headed as a continuation.
    notice_settings::save(&mut db, &notices::NoticeSettings { layout: Layout::A5x2, ..Default::default() })
        .expect("settings");
    let (a5, _) = print(&mut db, "2026-03", NoticeScope::School, "long-a5.pdf");
    assert_eq!(page_count(&a5), 1, "both halves on one sheet");
    let top = squashed(&text_in(&a5, 1, 0.0, 148.5));
    let bottom = squashed(&text_in(&a5, 1, 148.5, 148.5));
    assert!(top.contains("本期应缴金额"), "{top}");
    // The second print of this notice: both halves say 补打, as each is handed out on its own.
    assert!(top.contains("补打（第2次打印）"), "{top}");
    assert!(bottom.contains("补打（第2次打印）"), "the continuation half repeats 补打: {bottom}");
    assert!(top.contains(&format!("说明共{}条，见续页。", explanations.len())), "{top}");
    assert!(top.contains("会计：李会计") && top.contains("开具日期"), "signatures stay with the money: {top}");
    assert!(bottom.contains("缴费通知单（续）"), "{bottom}");
    for e in &explanations {
        assert!(bottom.contains(&squashed(&typeset(e))), "{e:?} not on the continuation:\n{bottom}");
        assert!(!top.contains(&squashed(&typeset(e))), "{e:?} also on the first half");
    }

    // No word leaves the content box (12 mm side margins on A5, 18 mm on A4).
    for (path, margin) in [(&a4, 18.0f32), (&a5, 12.0)] {
        let html = poppler("pdftotext", &["-bbox", path.to_str().expect("path"), "-"]);
        for line in html.lines().filter(|l| l.trim_start().starts_with("<word ")) {
            let num = |attr: &str| -> f32 {
                let start = line.find(&format!("{attr}=\"")).expect("attr") + attr.len() + 2;
                let end = start + line[start..].find('"').expect("quote");
                line[start..end].parse::<f32>().expect("number") * 25.4 / 72.0
            };
            if line.contains("剪开") {
                continue;
            }
            assert!(num("xMin") >= margin - 0.5, "{line} left of the margin");
            assert!(num("xMax") <= 210.0 - margin + 0.5, "{line} right of the margin");
        }
    }
}

#[test]
fn names_no_font_can_print_are_listed_before_printing_and_refused() {
    let (mut db, class) = small_school("大一班");
    // A private-use character: no font has it, whatever is installed.
    enrol(&mut db, class, "001", "王\u{F0001}明");
    enrol(&mut db, class, "002", "李小红");
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m("2026-03"), d("2026-04-15"))).expect("confirm");
    let batch = notices::prepare(db.conn(), m("2026-03"), NoticeScope::School).expect("prepare");
    let bad = batch.unprintable();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].text, "王\u{F0001}明");
    assert_eq!(bad[0].whose, "大一班 学号 001");
    let path = out_dir().join("unprintable.pdf");
    let _ = std::fs::remove_file(&path);
    let err = notices::print(&mut db, m("2026-03"), NoticeScope::School, EarlierUnprinted::Refuse, &path, &mut |_| {})
        .expect_err("refused");
    let msg = err.to_string();
    assert!(msg.contains("“王\u{F0001}明”(大一班 学号 001)缺"), "{msg}");
    assert!(!path.exists());
    assert_eq!(count_issues(&db), 0, "nothing recorded");
    // The other child still prints on their own.
    let other = children::list(db.conn(), &Default::default()).expect("list")[1].id;
    print(&mut db, "2026-03", NoticeScope::Child { child_id: other }, "printable-one.pdf");
}

#[test]
fn statements_list_every_child_and_class_with_totals_and_mark_an_open_month() {
    let mut db = demo();
    let path = out_dir().join("statement-2026-09.pdf");
    let s = notices::statement::write(db.conn(), m("2026-09"), &path).expect("statement");
    assert!(s.closed);
    assert_eq!(s.classes, 6);
    assert_eq!(page_count(&path), 7, "one page per class and the summary");
    let text = text_of(&path);
    let flat = squashed(&text);
    let view = settlement::preview(db.conn(), m("2026-09")).expect("view");
    for c in &view.result.children {
        assert!(flat.contains(&squashed(&c.name)), "{} missing", c.name);
    }
    for class in &view.result.classes {
        assert!(flat.contains(&squashed(&format!("班级：{}", class.class))));
    }
    assert!(flat.contains("全园退费汇总表"));
    assert!(flat.contains("已结账（第1版）"));
    let printed_on = format!("打印日期：{}", houqin::dates::on_paper(houqin::dates::today()));
    assert_eq!(flat.matches(&squashed(&printed_on)).count(), 7, "a print date on every page");
    // Every class page totals its days (在校日, 缺勤, 停课, 出勤) under the children.
    let days = |kids: &[&houqin::refund::ChildSettlement]| {
        let sum = |f: fn(&houqin::refund::ChildSettlement) -> u32| kids.iter().map(|c| f(c)).sum::<u32>();
        format!(
            "{}{}{}{}",
            sum(|c| c.enrolled_school_days),
            sum(|c| c.absent_school_days),
            sum(|c| c.closure_days),
            sum(|c| c.attended_days)
        )
    };
    for class in &view.result.classes {
        let kids: Vec<_> = view.result.children.iter().filter(|c| c.class == class.class).collect();
        assert!(flat.contains(&format!("合计{}", days(&kids))), "{}: day totals {} missing", class.class, days(&kids));
    }
    // The summary's 出勤人天 is the 公示's 儿童人日数.
    let all: Vec<_> = view.result.children.iter().collect();
    let attended: u32 = all.iter().map(|c| c.attended_days).sum();
    assert_eq!(houqin::meal_account::sheet_for(db.conn(), m("2026-09")).expect("公示").child_days, attended);
    assert!(flat.contains(&format!("全园合计{}{}", all.len(), days(&all))), "school day totals missing: {text}");
    assert!(flat.contains(&format!("全园本月退费合计：¥{}", view.result.refund.to_grouped_string())), "{text}");
    assert!(flat.contains(&view.result.refund.to_capital()));
    assert!(flat.contains("制表（会计）：李会计") && flat.contains("园长：王园长"));
    // Two-line headers break between words, never a single character off a word;
    // nothing reads 0.00 where a child's line would read —.
    let words = words_of(&path);
    for w in ["缺勤", "天数", "人天", "伙食费", "退费", "应收", "补退（+）", "补收（-）"] {
        assert!(words.iter().any(|x| x == w), "header word {w} missing: {words:?}");
    }
    for w in ["费", "补", "收（-）", "缺勤人", "伙食费退", "0.00"] {
        assert!(!words.iter().any(|x| x == w), "{w:?} printed on its own: {words:?}");
    }

    let open = out_dir().join("statement-2026-10.pdf");
    let s = notices::statement::write(db.conn(), m("2026-10"), &open).expect("statement");
    assert!(!s.closed);
    assert!(squashed(&text_of(&open)).contains("未结账，仅供核对"));
    confirm(&mut db, "2026-10");
}

#[test]
fn the_command_line_prints_lists_and_refuses_an_open_month() {
    let dir = out_dir().join("cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db_path = dir.join("school.db");
    {
        let mut db = Db::open(&db_path).expect("db");
        db.set_operator("李会计");
        houqin::demo::load(&mut db, d("2026-11-22")).expect("demo");
    }
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_houqin"))
            .arg("--db")
            .arg(&db_path)
            .args(args)
            .output()
            .expect("run houqin");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let pdf = dir.join("大一班.pdf");
    let (ok, out, err) =
        run(&["notices", "--month", "2026-09", "--class", "大一班", "--out", pdf.to_str().expect("path")]);
    assert!(ok, "{err}");
    assert!(out.contains("已生成 15 张 2026年10月 缴费通知单"), "{out}");
    assert!(squashed(&text_of(&pdf)).contains("阳光幼儿园缴费通知单"));

    let one = dir.join("one.pdf");
    let (ok, out, err) =
        run(&["notices", "--month", "2026-09", "--child", "20240503", "--out", one.to_str().expect("path")]);
    assert!(ok, "{err}");
    assert!(out.contains("补打 1 张"), "{out}");
    assert!(squashed(&text_of(&one)).contains("补打（第2次打印）"));

    let (ok, out, _) = run(&["notices", "--month", "2026-09", "--class", "大一班", "--list"]);
    assert!(ok);
    assert!(out.contains("张曦诗") && out.contains("应缴 1010.00") && out.contains("已打印 2 次"), "{out}");

    let (ok, _, err) = run(&["notices", "--month", "2026-10", "--out", dir.join("open.pdf").to_str().expect("path")]);
    assert!(!ok);
    assert!(err.contains("2026年10月 还没有结账"), "{err}");
    assert!(!dir.join("open.pdf").exists());

    let (ok, _, err) = run(&["notices", "settings", "--deadline-day", "30"]);
    assert!(!ok && err.contains("1 到 28 日"), "{err}");

    let st = dir.join("statement.pdf");
    let (ok, out, err) = run(&["statement", "--month", "2026-09", "--out", st.to_str().expect("path")]);
    assert!(ok, "{err}");
    assert!(out.contains("6 个班"), "{out}");
    assert_eq!(page_count(&st), 7);
}

#[test]
fn five_hundred_notices_make_one_pdf_under_3_mb() {
    // The size half of the benchmark's target, checked on every test run (the
    // time half is measured by `houqin bench notices` on a release build, not
    // here: a timed test would fail on a busy machine, not on slow code).
    let dir = out_dir().join("bench-500");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let pdf = dir.join("500.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_houqin"))
        .args(["bench", "notices", "--runs", "1", "--count", "500", "--office-runs", "0", "--keep"])
        .arg(&pdf)
        .output()
        .expect("run houqin bench notices");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::metadata(&pdf).expect("the kept PDF").len();
    assert!(bytes < 3_000_000, "500 notices are {bytes} bytes");
    assert_eq!(page_count(&pdf), 500, "one A4 page per notice");
    let flat = squashed(&text_of(&pdf));
    let notices = flat.matches("阳光幼儿园缴费通知单").count() + flat.matches("阳光幼儿园退费通知单").count();
    assert_eq!(notices, 500, "every notice is in the file, as text");
    let size_line = stdout.lines().find(|l| l.contains("under 3 MB")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(size_line.contains("— met"), "the bench reports the size target: {size_line}");
}

/// 收费公示 of the demo school: every item in force with its standard, the
/// basis set for it, the refund sentences of its rules, the waivers and the
/// complaint phone (the meal account's when the list has none of its own).
#[test]
fn the_fee_list_prints_every_item_in_force_with_its_basis_and_refund_rules() {
    use houqin::fee_list;
    let db = demo();
    let month = m("2026-11");
    let list = fee_list::build(db.conn(), month, d("2026-11-22")).expect("fee list");
    let rules = settlement::rules_for(db.conn(), month).expect("rules").expect("in force");
    assert_eq!(list.items.len(), rules.fees.len());
    assert_eq!(list.term, "2026年秋季学期");
    assert_eq!(list.complaint_phone, "0571-87654321", "falls back to the meal account's 监督电话");
    for (item, fee) in list.items.iter().zip(&rules.fees) {
        assert_eq!(item.name, fee.name);
        assert_eq!(item.refunds, houqin::refund::describe_fee_item(fee).refunds);
        assert!(!item.basis.is_empty(), "the demo sets a basis for {}", fee.id);
    }
    let path = out_dir().join("fee-list-demo.pdf");
    fee_list::pdf::write(&list, &path).expect("pdf");
    let text = squashed(&text_of(&path));
    assert_eq!(
        poppler("pdfinfo", &[path.to_str().expect("path")])
            .lines()
            .find(|l| l.starts_with("Pages:"))
            .map(|l| l.split_whitespace().last() == Some("1")),
        Some(true),
        "one page"
    );
    assert!(text.contains(&squashed(&fee_list::pdf::title(&list))), "{text}");
    for item in &list.items {
        assert!(text.contains(&squashed(&item.name)), "{}", item.name);
        assert!(text.contains(&squashed(&item.standard)), "{}", item.standard);
        // A cell wraps, and pdftotext interleaves the columns' lines: the start of each.
        let basis: String = typeset(&item.basis).chars().take(4).collect();
        assert!(text.contains(&squashed(&basis)), "{basis} not in {text}");
        // The first refund sentence, as typeset on paper.
        let first = typeset(&item.refunds[0]);
        let head: String = first.chars().take(8).collect();
        assert!(text.contains(&squashed(&head)), "{head} not in {text}");
    }
    assert!(text.contains("监督电话：0571-87654321"), "{text}");
    assert!(text.contains("减免政策"), "{text}");
}

/// The list's settings are checked whole: one bad value saves nothing, and a
/// month without rules is refused with the code the UI acts on.
#[test]
fn fee_list_settings_refuse_bad_input_whole_and_a_month_without_rules_is_refused() {
    use houqin::fee_list::{self, settings, FeeListSettings};
    let (mut db, _) = small_school("大一班");
    let good = FeeListSettings {
        basis: [("care".to_string(), "杭发改价格〔2024〕35号".to_string())].into(),
        waivers: "困难家庭可申请资助。".into(),
        complaint_phone: "0571-12345678".into(),
    };
    settings::save(&mut db, &good).expect("saved");
    let bad =
        FeeListSettings { waivers: "改了".into(), complaint_phone: "打电话给园长".into(), ..good.clone() };
    let err = settings::save(&mut db, &bad).expect_err("a phone with letters is refused");
    assert!(err.to_string().contains("监督电话"), "{err}");
    assert_eq!(settings::get(db.conn()).expect("get"), good, "nothing of the bad form was saved");

    let err = fee_list::build(db.conn(), m("2026-01"), d("2026-01-05")).expect_err("no rules in January");
    assert_eq!(err.code(), "no_fee_rules");
    let list = fee_list::build(db.conn(), m("2026-03"), d("2026-03-02")).expect("March has rules");
    assert_eq!(list.complaint_phone, "0571-12345678");
    assert_eq!(list.term, "2026年春季学期");
}
