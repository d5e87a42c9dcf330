#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report
//! Waivers and subsidies (减免、资助, issue 16 §1), as a new user tries them:
//! a 50% 保教费 subsidy for the term, the month settled, the child's notice
//! printed (the line, the total in figures and 大写, read back from the PDF),
//! a fixed amount that never takes a bill below zero, a waiver added or ended
//! after a month closed (the closed month unchanged, the next one carrying
//! the difference), the 资助名册 as PDF and .xlsx, and bad input refused with
//! nothing saved. Runs on PostgreSQL too with `HOUQIN_TEST_DB`.

mod common;

use common::*;

use std::io::Cursor;
use std::process::Command;

use houqin::db::Db;
use houqin::notices::{self, NoticeScope};
use houqin::refund::{LineKind, WaiverShare};
use houqin::school::ChildId;
use houqin::waivers::{self, roster, WaiverFilter, WaiverInput};
use houqin::{settlement, Error, Fen};

const SUBSIDY: &str = "学前教育资助/家庭经济困难";

fn input(child: ChildId, fee: &str, percent: Option<u32>, amount: Option<&str>, from: &str, to: &str) -> WaiverInput {
    WaiverInput {
        child_id: child,
        fee: fee.into(),
        kind: SUBSIDY.into(),
        percent,
        amount: amount.map(Into::into),
        from: m(from),
        to: m(to),
        approved_by: "王园长".into(),
        doc_no: "西教助〔2026〕3号".into(),
    }
}

fn close(db: &mut Db, month: &str, on: &str) {
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m(month), d(on))).expect("close");
}

fn count(db: &Db, sql: &str) -> i64 {
    db.conn().value(sql, &[]).expect("count")
}

/// (charged, refund, waiver) of one child's fee item in a month's settlement.
fn item(view: &settlement::SettlementView, child: ChildId, fee: &str) -> (Fen, Fen, Fen) {
    let c = view.result.children.iter().find(|c| c.child_id == child.to_string()).expect("child settled");
    let f = c.fees.iter().find(|f| f.fee_id == fee).expect("fee item");
    (f.charged, f.refund, f.waiver)
}

#[test]
fn a_half_subsidy_is_settled_explained_and_printed_with_its_capital_total() {
    let (mut db, class) = small_school("大一班");
    let helped = enrol(&mut db, class, "001", "王小明");
    let other = enrol(&mut db, class, "002", "李小红");
    let w = waivers::add(&mut db, &input(helped, "保教费", Some(50), None, "2026-03", "2026-07")).expect("add");
    assert_eq!((w.fee_id.as_str(), w.share, w.kind.as_str()), ("care", WaiverShare::Percent(50), SUBSIDY));

    close(&mut db, "2026-03", "2026-04-15");
    let march = settlement::preview(db.conn(), m("2026-03")).expect("march");
    assert_eq!(item(&march, helped, "care"), (Fen(80_000), Fen::ZERO, Fen(40_000)));
    assert_eq!(item(&march, other, "care"), (Fen(80_000), Fen::ZERO, Fen::ZERO));
    assert_eq!(item(&march, helped, "meal").2, Fen::ZERO, "only the item named is waived");
    assert_eq!(march.result.waiver, Fen(40_000));
    let care_total = march.result.fees.iter().find(|f| f.fee_id == "care").expect("care");
    assert_eq!(care_total.waiver, Fen(40_000));
    assert_eq!(march.result.classes[0].waiver, Fen(40_000));
    let line = march.result.children[0].fees[1].lines.iter().find(|l| l.kind == LineKind::Waiver).expect("line");
    assert_eq!(
        line.text,
        "保教费减免 50%(学前教育资助/家庭经济困难,文号 西教助〔2026〕3号):800.00 元 × 50% = 400.00 元,减免 −400.00 元"
    );
    // What the settlement stored for the closed month.
    assert_eq!(count(&db, "SELECT SUM(waiver_fen) FROM settlement_items"), 40_000);

    // The notices: the subsidised child's is 400.00 元 less than the other's.
    let batch = notices::prepare(db.conn(), m("2026-03"), NoticeScope::School).expect("prepare");
    let total_of = |id: ChildId| batch.notices.iter().find(|n| n.child_id == id).expect("notice").total;
    assert_eq!(total_of(other) - total_of(helped), Fen(40_000));
    let n = batch.notices.iter().find(|n| n.child_id == helped).expect("notice");
    let row = n.rows.iter().find(|r| r.item.contains("减免")).expect("the waiver row");
    assert_eq!((row.item.as_str(), row.amount), ("保教费减免(3月)", Fen(-40_000)));

    let (path, _) = print(&mut db, "2026-03", NoticeScope::Child { child_id: helped }, "waiver-notice.pdf");
    let flat = squashed(&text_of(&path));
    assert!(flat.contains("保教费减免（3月）"), "{flat}");
    assert!(flat.contains("-400.00"), "{flat}");
    assert!(flat.contains("文号西教助〔2026〕3号"), "the explanation line: {flat}");
    let total = n.total;
    assert!(total > Fen::ZERO);
    let capital = format!("本期应缴金额：¥{}人民币（大写）：{}", total.to_grouped_string(), total.to_capital());
    assert!(flat.contains(&capital), "{capital} in {flat}");

    // The 收费公示 lists the kinds from the setting: typed once, renamed once.
    waivers::kinds::save(
        &mut db,
        &[
            waivers::kinds::WaiverKind { name: SUBSIDY.into(), percent: Some(50) },
            waivers::kinds::WaiverKind { name: "烈士子女".into(), percent: Some(100) },
        ],
    )
    .expect("kinds");
    let list = houqin::fee_list::build(db.conn(), m("2026-04"), d("2026-04-01")).expect("fee list");
    let path = out_dir().join("waiver-fee-list.pdf");
    houqin::fee_list::pdf::write(&list, &path).expect("fee list pdf");
    let flat = squashed(&text_of(&path));
    assert!(
        flat.contains("可申请的减免、资助：学前教育资助/家庭经济困难（减免50%）、烈士子女（减免100%）。"),
        "{flat}"
    );
    assert!(!flat.contains("教职工子女"), "only the kinds in the setting: {flat}");
}

#[test]
fn a_fixed_amount_is_capped_at_what_is_left_after_refunds_and_never_goes_below_zero() {
    let (mut db, class) = small_school("大一班");
    let away = enrol(&mut db, class, "001", "王小明");
    let present = enrol(&mut db, class, "002", "李小红");
    // Away all March: 保教费 refunded in full, 伙食费 22 days refunded.
    leave(&mut db, away, "2026-03-02", "2026-03-31");
    waivers::add(&mut db, &input(away, "保教费", None, Some("200"), "2026-03", "2026-03")).expect("add");
    waivers::add(&mut db, &input(present, "保教费", None, Some("1,000.00"), "2026-03", "2026-03")).expect("add");
    waivers::add(&mut db, &input(present, "伙食费", None, Some("50"), "2026-03", "2026-03")).expect("add");
    close(&mut db, "2026-03", "2026-04-15");
    let march = settlement::preview(db.conn(), m("2026-03")).expect("march");
    let (charged, refund, waiver) = item(&march, away, "care");
    assert_eq!((charged, refund, waiver), (Fen(80_000), Fen(80_000), Fen::ZERO));
    let lines = &march.result.children[0].fees[1].lines;
    assert!(lines.iter().any(|l| l.kind == LineKind::Waiver && l.text.contains("不再减免")), "{lines:?}");
    // 1,000.00 元 a month against an 800.00 元 charge: 800.00, not more.
    assert_eq!(item(&march, present, "care"), (Fen(80_000), Fen::ZERO, Fen(80_000)));
    assert_eq!(item(&march, present, "meal").2, Fen(5_000));
    for c in &march.result.children {
        for f in &c.fees {
            assert!(f.charged - f.refund - f.waiver >= Fen::ZERO, "{f:?}");
        }
    }
    let batch = notices::prepare(db.conn(), m("2026-03"), NoticeScope::Child { child_id: present }).expect("prepare");
    let rows = &batch.notices[0].rows;
    assert!(rows.iter().any(|r| r.item == "保教费减免(3月)" && r.amount == Fen(-80_000)), "{rows:?}");
    assert!(rows.iter().any(|r| r.item == "伙食费减免(3月)" && r.amount == Fen(-5_000)), "{rows:?}");
}

#[test]
fn a_waiver_added_or_ended_after_a_month_closed_is_carried_by_the_next_open_month() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    close(&mut db, "2026-03", "2026-04-15");
    let closed = settlement::preview(db.conn(), m("2026-03")).expect("march");

    // Approved late, for March too.
    let w = waivers::add(&mut db, &input(kid, "保教费", Some(50), None, "2026-03", "2026-06")).expect("add");
    let march = settlement::preview(db.conn(), m("2026-03")).expect("march again");
    assert_eq!(march.result, closed.result, "a closed month is never rewritten");
    assert_eq!(item(&march, kid, "care").2, Fen::ZERO);
    assert_eq!(march.pending_corrections.len(), 1, "{:?}", march.pending_corrections);
    // The screen shows the core's sum and says the change came from a waiver.
    assert_eq!((march.pending_total, march.pending_from_waivers), (Fen(40_000), true));

    let april = settlement::preview(db.conn(), m("2026-04")).expect("april");
    assert_eq!(item(&april, kid, "care").2, Fen(40_000), "April's own waiver");
    assert_eq!(april.adjustments.len(), 1, "{:?}", april.adjustments);
    let a = &april.adjustments[0];
    assert_eq!(
        (a.origin_month, a.fee_id.as_str(), a.amount, a.label.as_str()),
        (m("2026-03"), "care", Fen(40_000), "补退")
    );
    assert!(
        a.explanation.contains("按现在的考勤与减免应收 800.00 元、退 0.00 元、减免 400.00 元"),
        "{}",
        a.explanation
    );
    close(&mut db, "2026-04", "2026-05-15");
    let stored = settlement::preview(db.conn(), m("2026-04")).expect("april closed");
    assert_eq!(stored.adjustments, april.adjustments);
    assert_eq!(settlement::preview(db.conn(), m("2026-03")).expect("march").result, closed.result);
    // Carried once: May owes nothing more for March.
    assert!(settlement::preview(db.conn(), m("2026-05")).expect("may").adjustments.is_empty());

    // Ended after the fact with March as its last month: April's waiver is taken back in May.
    let ended = waivers::end(&mut db, w.id, m("2026-03")).expect("end");
    assert_eq!(ended.to, m("2026-03"));
    let may = settlement::preview(db.conn(), m("2026-05")).expect("may");
    assert_eq!(item(&may, kid, "care").2, Fen::ZERO);
    let back: Vec<_> = may.adjustments.iter().map(|a| (a.origin_month, a.amount, a.label.as_str())).collect();
    assert_eq!(back, vec![(m("2026-04"), Fen(-40_000), "补收")]);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM waivers"), 1, "ending never deletes");
    let audit = count(&db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'waiver'");
    assert_eq!(audit, 2, "add and end are audited");
}

#[test]
fn a_waiver_entered_by_mistake_is_cancelled_and_a_closed_month_it_covered_is_taken_back_in_the_next() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    let wrong = waivers::add(&mut db, &input(kid, "保教费", Some(50), None, "2026-03", "2026-06")).expect("add");
    close(&mut db, "2026-03", "2026-04-15");
    let closed = settlement::preview(db.conn(), m("2026-03")).expect("march");
    assert_eq!(item(&closed, kid, "care").2, Fen(40_000), "March was settled with the waiver");

    // Refused with nothing changed: no reason, an unknown waiver.
    let audit_before = count(&db, "SELECT COUNT(*) FROM audit_log");
    let err = waivers::cancel(&mut db, wrong.id, "  ").expect_err("no reason");
    assert!(matches!(&err, Error::Invalid(m) if m.contains("请填写作废的原因")), "{err}");
    let err = waivers::cancel(&mut db, 9_999, "录错了").expect_err("unknown");
    assert!(err.to_string().contains("减免记录"), "{err}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM waivers"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log"), audit_before);

    let gone = waivers::cancel(&mut db, wrong.id, "录错了幼儿").expect("cancel");
    assert_eq!(gone.id, wrong.id);
    assert!(waivers::list(db.conn(), &WaiverFilter::default()).expect("list").is_empty());
    assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'waiver' AND action = 'cancel'"), 1);

    // The closed month keeps what it was settled with; April has no waiver
    // and takes March's back (补收), once.
    assert_eq!(settlement::preview(db.conn(), m("2026-03")).expect("march").result, closed.result);
    let april = settlement::preview(db.conn(), m("2026-04")).expect("april");
    assert_eq!(item(&april, kid, "care").2, Fen::ZERO);
    let back: Vec<_> =
        april.adjustments.iter().map(|a| (a.origin_month, a.fee_id.as_str(), a.amount, a.label.as_str())).collect();
    assert_eq!(back, vec![(m("2026-03"), "care", Fen(-40_000), "补收")]);
}

#[test]
fn bad_input_is_refused_in_chinese_and_nothing_is_saved() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    waivers::add(&mut db, &input(kid, "保教费", Some(50), None, "2026-09", "2027-01")).expect("the first one");
    let before = (count(&db, "SELECT COUNT(*) FROM waivers"), count(&db, "SELECT COUNT(*) FROM audit_log"));
    let cases: Vec<(WaiverInput, &str)> = vec![
        (input(ChildId(9_999), "保教费", Some(50), None, "2026-09", "2027-01"), "幼儿"),
        (input(kid, "校车费", Some(50), None, "2026-09", "2027-01"), "没有“校车费”这个收费项目"),
        (input(kid, "伙食费", Some(0), None, "2026-09", "2027-01"), "不在 1–100 之间"),
        (input(kid, "伙食费", Some(101), None, "2026-09", "2027-01"), "不在 1–100 之间"),
        (input(kid, "伙食费", None, Some("0"), "2026-09", "2027-01"), "必须大于 0"),
        (input(kid, "伙食费", None, Some("-5"), "2026-09", "2027-01"), "必须大于 0"),
        (input(kid, "伙食费", None, Some("100000000.00"), "2026-09", "2027-01"), "过大"),
        (input(kid, "伙食费", Some(50), Some("10"), "2026-09", "2027-01"), "只能填一个"),
        (input(kid, "伙食费", Some(50), None, "2027-01", "2026-09"), "早于第一个月"),
        (input(kid, "保教费", Some(30), None, "2026-12", "2027-06"), "月份重叠"),
        (
            WaiverInput { kind: "特困".into(), ..input(kid, "伙食费", Some(50), None, "2026-09", "2027-01") },
            "没有“特困”这个减免类别",
        ),
        (
            WaiverInput { approved_by: " ".into(), ..input(kid, "伙食费", Some(50), None, "2026-09", "2027-01") },
            "批准人",
        ),
    ];
    for (bad, why) in cases {
        let e = waivers::add(&mut db, &bad).expect_err(why);
        assert!(e.to_string().contains(why), "{why}: {e}");
    }
    let e = waivers::end(&mut db, 1, m("2026-08")).expect_err("before its first month");
    assert!(e.to_string().contains("早于这条减免的第一个月"), "{e}");
    let e = waivers::end(&mut db, 1, m("2027-03")).expect_err("longer");
    assert!(e.to_string().contains("不能延长"), "{e}");
    assert!(matches!(waivers::end(&mut db, 42, m("2026-10")), Err(Error::NotFound { .. })));
    let after = (count(&db, "SELECT COUNT(*) FROM waivers"), count(&db, "SELECT COUNT(*) FROM audit_log"));
    assert_eq!(after, before, "nothing saved, nothing audited");
    // Another kind for the same months is not an overlap; the kinds come from the setting.
    let other = WaiverInput {
        kind: "二孩及以上".into(),
        percent: None,
        ..input(kid, "保教费", None, None, "2026-09", "2027-01")
    };
    let w = waivers::add(&mut db, &other).expect("another kind");
    assert_eq!(w.share, WaiverShare::Percent(20), "the kind's default percent");
    let listed =
        waivers::list(db.conn(), &WaiverFilter { child_id: Some(kid), month: Some(m("2026-10")) }).expect("list");
    assert_eq!(listed.len(), 2);
    assert!(waivers::list(db.conn(), &WaiverFilter { child_id: None, month: Some(m("2026-08")) })
        .expect("list")
        .is_empty());
}

#[test]
fn the_roster_of_a_term_lists_each_subsidised_child_with_the_settled_amounts() {
    let (mut db, class) = small_school("大一班");
    let a = enrol(&mut db, class, "001", "王小明");
    let b = enrol(&mut db, class, "002", "李小红");
    enrol(&mut db, class, "003", "赵子涵");
    waivers::add(&mut db, &input(a, "保教费", Some(50), None, "2026-03", "2026-07")).expect("a");
    let fixed = WaiverInput {
        kind: "孤儿/残疾儿童".into(),
        ..input(b, "伙食费", None, Some("100"), "2026-04", "2026-04")
    };
    waivers::add(&mut db, &fixed).expect("b");
    close(&mut db, "2026-03", "2026-04-15");
    close(&mut db, "2026-04", "2026-05-15");

    let r = roster::build(db.conn(), m("2026-03"), m("2026-07")).expect("roster");
    let rows: Vec<_> =
        r.rows.iter().map(|x| (x.child.as_str(), x.fee_name.as_str(), x.standard.as_str(), x.amount)).collect();
    assert_eq!(rows, vec![("王小明", "保教费", "50%", Fen(80_000)), ("李小红", "伙食费", "100.00 元/月", Fen(10_000))]);
    assert_eq!(r.total, Fen(90_000));
    assert_eq!(r.rows[0].class, "大一班");
    assert_eq!(r.rows[1].kind, "孤儿/残疾儿童");
    assert_eq!(r.closed_months, vec![m("2026-03"), m("2026-04")]);

    let dir = out_dir();
    let pdf = dir.join("waiver-roster.pdf");
    roster::write(&r, &pdf).expect("pdf");
    let flat = squashed(&text_of(&pdf));
    for want in
        ["阳光幼儿园资助名册", "王小明", "李小红", "孤儿/残疾儿童", "西教助〔2026〕3号", "800.00", "900.00", "玖佰元整"]
    {
        assert!(flat.contains(want), "{want} in {flat}");
    }
    let xlsx = dir.join("waiver-roster.xlsx");
    roster::write(&r, &xlsx).expect("xlsx");
    use calamine::Reader;
    let bytes = std::fs::read(&xlsx).expect("read");
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).expect("open xlsx");
    let range = book.worksheet_range("资助名册").expect("sheet");
    let cells: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let body: Vec<&Vec<String>> =
        cells.iter().filter(|r| r.get(3).is_some_and(|c| c == "王小明" || c == "李小红")).collect();
    assert_eq!(body.len(), 2, "{cells:?}");
    assert_eq!(body[0][10], "800");
    assert!(
        cells.iter().any(|r| r.get(1).is_some_and(|c| c == "合计") && r.get(10).is_some_and(|c| c == "900")),
        "{cells:?}"
    );
    assert!(roster::write(&r, &dir.join("roster.doc")).is_err());
}

#[test]
fn the_command_line_adds_lists_and_ends_waivers() {
    let dir = out_dir().join("cli-waivers");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db_path = dir.join("school.db");
    {
        // The small school, on a file the command line opens.
        let mut file = Db::open(&db_path).expect("db");
        file.set_operator("李会计");
        let school = houqin::school::profile::SchoolProfile {
            name: "阳光幼儿园".into(),
            bursar_name: "李会计".into(),
            head_name: "王园长".into(),
            ..Default::default()
        };
        houqin::school::profile::save(&mut file, &school).expect("profile");
        let class = one_class(&mut file, "大一班");
        settlement::save_rules(&mut file, m("2026-03"), &[meal(), care()], "").expect("rules");
        enrol(&mut file, class, "001", "王小明");
    }
    let run = |args: &[&str]| {
        let out =
            Command::new(env!("CARGO_BIN_EXE_houqin")).arg("--db").arg(&db_path).args(args).output().expect("run");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let add = [
        "waivers",
        "add",
        "--child",
        "001",
        "--fee",
        "保教费",
        "--percent",
        "50",
        "--from",
        "2026-09",
        "--to",
        "2027-01",
        "--kind",
        SUBSIDY,
        "--approved-by",
        "王园长",
        "--doc",
        "西教助〔2026〕3号",
    ];
    let (ok, out, err) = run(&add);
    assert!(ok, "{err}");
    assert!(out.contains("已添加第 1 号减免") && out.contains("减免 50%"), "{out}");
    let (ok, _, err) = run(&add);
    assert!(!ok && err.contains("月份重叠"), "{err}");
    let mut too_much = add.to_vec();
    too_much[5] = "伙食费";
    too_much[7] = "150";
    let (ok, _, err) = run(&too_much);
    assert!(!ok && err.contains("不在 1–100 之间"), "{err}");
    let (ok, out, err) = run(&["waivers", "list", "--month", "2026-10"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("王小明") && out.contains("保教费") && out.contains("50%") && out.contains("2026-09 至 2027-01"),
        "{out}"
    );
    let (ok, out, err) = run(&["waivers", "end", "1", "--last", "2026-12"]);
    assert!(ok && out.contains("到 2026年12月 为止"), "{out}{err}");
    let (ok, out, _) = run(&["waivers", "list", "--month", "2027-01"]);
    assert!(ok && out.contains("没有减免记录"), "{out}");
    let (ok, out, err) = run(&["waivers", "kinds"]);
    assert!(ok && out.contains("烈士子女"), "{out}{err}");
    let (ok, _, err) = run(&["waivers", "cancel", "1", "--reason", " "]);
    assert!(!ok && err.contains("请填写作废的原因"), "{err}");
    let (ok, out, err) = run(&["waivers", "cancel", "1", "--reason", "录错了幼儿"]);
    assert!(ok && out.contains("第 1 号减免已作废"), "{out}{err}");
    let (ok, out, _) = run(&["waivers", "list"]);
    assert!(ok && out.contains("没有减免记录"), "{out}");
    let (ok, _, err) = run(&["waivers", "cancel", "1", "--reason", "再作废一次"]);
    assert!(!ok && err.contains("减免记录"), "{err}");
}

#[test]
fn the_refund_statement_has_a_waiver_column_and_total_only_when_the_month_has_waivers() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    enrol(&mut db, class, "002", "李小红");
    close(&mut db, "2026-03", "2026-04-15");
    let plain =
        squashed(&pdf_of(notices::statement::render(db.conn(), m("2026-03")).expect("march").0, "stmt-plain.pdf"));
    assert!(!plain.contains("减免"), "no column without waivers: {plain}");

    waivers::add(&mut db, &input(kid, "保教费", Some(50), None, "2026-04", "2026-04")).expect("add");
    close(&mut db, "2026-04", "2026-05-15");
    let (bytes, summary) = notices::statement::render(db.conn(), m("2026-04")).expect("april");
    assert_eq!(summary.waiver, Fen(40_000));
    let flat = squashed(&pdf_of(bytes, "stmt-waiver.pdf"));
    assert!(flat.contains("减免"), "{flat}");
    assert!(flat.contains("全园本月减免、资助合计：¥400.00人民币（大写）：肆佰元整"), "{flat}");
}

fn pdf_of(bytes: Vec<u8>, name: &str) -> String {
    let path = out_dir().join(name);
    std::fs::write(&path, bytes).expect("write");
    text_of(&path)
}

#[test]
fn a_meal_subsidy_is_income_of_the_meal_fee_on_its_own_line_not_a_refund() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    enrol(&mut db, class, "002", "李小红");
    close(&mut db, "2026-03", "2026-04-15");
    let before = houqin::meal_account::load::sheet_for(db.conn(), m("2026-03")).expect("march");
    waivers::add(&mut db, &input(kid, "伙食费", None, Some("120"), "2026-04", "2026-04")).expect("add");
    close(&mut db, "2026-04", "2026-05-15");
    let sheet = houqin::meal_account::load::sheet_for(db.conn(), m("2026-04")).expect("april");
    assert_eq!(sheet.subsidy, Fen(12_000));
    assert_eq!(sheet.refund, Fen::ZERO, "a subsidy is not a refund");
    assert_eq!(sheet.income, sheet.charged, "the subsidy stays in the income");
    assert_eq!(before.subsidy, Fen::ZERO);
    let path = out_dir().join("waiver-meal.pdf");
    houqin::meal_account::pdf::write(&sheet, &path).expect("pdf");
    let flat = squashed(&text_of(&path));
    assert!(flat.contains("其中政府资助（元）") && flat.contains("120.00"), "{flat}");
    // The workbook has it as a column of the income too.
    use calamine::Reader;
    let bytes = houqin::meal_account::xlsx::to_bytes(&sheet, &[]).expect("xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("workbook");
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).expect("sheet");
    let cell = |r: usize, c: usize| range.get((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!((cell(4, 7).as_str(), cell(5, 7).as_str()), ("其中政府资助(元)", "120"));
}

#[test]
fn a_meal_subsidy_granted_late_for_a_closed_month_is_not_taken_from_the_meal_income() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    close(&mut db, "2026-03", "2026-04-15");
    waivers::add(&mut db, &input(kid, "伙食费", None, Some("100"), "2026-03", "2026-04")).expect("add");
    close(&mut db, "2026-04", "2026-05-15");
    let april = settlement::preview(db.conn(), m("2026-04")).expect("april");
    let a = april.adjustments.iter().find(|a| a.fee_id == "meal").expect("March's subsidy carried");
    assert_eq!((a.amount, a.waiver, a.label.as_str()), (Fen(10_000), Fen(10_000), "补退"));
    assert_eq!(count(&db, "SELECT SUM(waiver_fen) FROM adjustments"), 10_000, "stored with the adjustment");
    let sheet = houqin::meal_account::load::sheet_for(db.conn(), m("2026-04")).expect("april sheet");
    assert_eq!(sheet.adjustments, Fen::ZERO, "the family is owed it back, the subsidy pays it");
    assert_eq!(sheet.income, sheet.charged - sheet.refund);
    assert_eq!(sheet.subsidy, Fen(20_000), "April's own and March's");
}
