//! The month settlement from the database: preview, confirm, corrections to a
//! closed month carried as adjustments into the next month, reopen rules.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use chrono::NaiveDate;
use houqin::attendance::absences::{self, AbsenceChange};
use houqin::db::Db;
use houqin::refund::{FeeItem, LeaveKind, LineKind};
use houqin::school::children;
use houqin::school::ChildId;
use houqin::settlement::{self, SettlementStatus};
use houqin::{args, Error, Fen};

mod common;
use common::{d, enrol_on, m, one_class};

fn meal_rule() -> FeeItem {
    FeeItem::from_json(
        r#"{"id":"meal","name":"伙食费","charge":{"per_day":"10.50"},
            "refund":{"per_day":{"min_run":2,"unrefunded_per_run":1,"kinds":["sick","personal"]}}}"#,
    )
    .expect("rule")
}

fn school() -> (Db, ChildId, ChildId) {
    let mut db = Db::open_scratch().expect("db");
    let class = one_class(&mut db, "大一班");
    let mut add = |no: &str, name: &str| enrol_on(&mut db, class, no, name, "2024-09-01");
    let a = add("001", "王小明");
    let b = add("002", "李小红");
    // In force from November: months are closed in order from the first month
    // with rules, and the tests start their closing in November.
    settlement::save_rules(&mut db, m("2024-11"), &[meal_rule()], "").expect("rules");
    (db, a, b)
}

fn sick(db: &mut Db, child: ChildId, from: &str, to: &str) {
    absences::apply(
        db,
        &AbsenceChange { child_id: child, from: d(from), to: d(to), kind: Some(LeaveKind::Sick), note: "".into() },
    )
    .expect("absence");
}

#[test]
fn preview_matches_the_shenzhen_rule_from_the_database() {
    let (mut db, a, _) = school();
    // November 2024: 21 school days; 11–15 is a run of 5 → refund 4 days.
    sick(&mut db, a, "2024-11-11", "2024-11-15");
    let v = settlement::preview(db.conn(), m("2024-11")).expect("preview");
    assert_eq!(v.status, SettlementStatus::Open);
    assert_eq!(v.result.school_days, 21);
    // The screens show each item's rules in the core's words, one per item.
    assert_eq!(v.fee_rules_in_words.len(), v.fees.len());
    assert_eq!(v.fee_rules_in_words[0], houqin::refund::describe_fee_item(&v.fees[0]).one_line());
    assert!(v.fee_rules_in_words[0].contains("起退"), "{:?}", v.fee_rules_in_words);
    let child = v.result.children.iter().find(|c| c.child_id == a.to_string()).expect("child");
    assert_eq!(child.charged, Fen(22050));
    assert_eq!(child.refund, Fen(4200));
    assert_eq!(v.result.refund, Fen(4200));
    assert!(child.fees[0].lines.iter().any(|l| l.text.contains("11月")), "explained by dates");
}

#[test]
fn a_correction_to_a_closed_month_becomes_next_months_adjustment() {
    let (mut db, a, b) = school();
    sick(&mut db, a, "2024-11-11", "2024-11-15");
    let closed = settlement::confirm(&mut db, m("2024-11")).expect("confirm");
    assert_eq!(closed.status, SettlementStatus::Closed);
    assert_eq!(closed.result.refund, Fen(4200));

    // The bursar learns child b was also off sick 18–20 November (3 days → 2 refunded).
    sick(&mut db, b, "2024-11-18", "2024-11-20");
    let nov = settlement::preview(db.conn(), m("2024-11")).expect("closed view");
    assert_eq!(nov.result.refund, Fen(4200), "the confirmed month is not rewritten");

    let dec = settlement::preview(db.conn(), m("2024-12")).expect("december");
    assert_eq!(dec.adjustments.len(), 1);
    let adj = &dec.adjustments[0];
    assert_eq!((adj.child_id, adj.amount, adj.label.as_str()), (b, Fen(2100), "补退"));
    assert_eq!(adj.origin_month, m("2024-11"));
    assert!(adj.explanation.contains("2024年11月"));

    settlement::confirm(&mut db, m("2024-12")).expect("confirm december");
    let jan = settlement::preview(db.conn(), m("2025-01")).expect("january");
    assert!(jan.adjustments.is_empty(), "an adjustment is carried once");

    // Undoing the correction now owes the school the money back (补收).
    absences::apply(
        &mut db,
        &AbsenceChange { child_id: b, from: d("2024-11-18"), to: d("2024-11-20"), kind: None, note: "".into() },
    )
    .expect("clear");
    let jan = settlement::preview(db.conn(), m("2025-01")).expect("january");
    assert_eq!(jan.adjustments.len(), 1);
    assert_eq!((jan.adjustments[0].amount, jan.adjustments[0].label.as_str()), (Fen(-2100), "补收"));
}

#[test]
fn closing_rules_and_reopening_are_guarded() {
    let (mut db, _, _) = school();
    settlement::confirm(&mut db, m("2024-11")).expect("confirm");
    let again = settlement::confirm(&mut db, m("2024-11")).expect_err("twice");
    assert!(again.to_string().contains("已经结账"));
    let earlier = settlement::confirm(&mut db, m("2024-10")).expect_err("earlier");
    assert!(matches!(earlier, Error::Conflict(_)));
    let future = settlement::confirm(&mut db, m("2099-01")).expect_err("future");
    assert!(future.to_string().contains("不能结账"));

    let rules = settlement::save_rules(&mut db, m("2024-11"), &[meal_rule()], "").expect_err("closed month");
    assert!(rules.to_string().contains("新规则最早从 2024年12月 起生效"), "{rules}");
    settlement::save_rules(&mut db, m("2024-12"), &[meal_rule()], "涨价前").expect("next month is fine");

    settlement::confirm(&mut db, m("2024-12")).expect("december");
    let no_reason = settlement::reopen(&mut db, m("2024-12"), " ").expect_err("reason required");
    assert!(no_reason.to_string().contains("原因"));
    let not_latest = settlement::reopen(&mut db, m("2024-11"), "更正").expect_err("not the latest");
    assert!(not_latest.to_string().contains("最近结账"));
    settlement::reopen(&mut db, m("2024-12"), "漏记请假").expect("reopen");
    let v = settlement::preview(db.conn(), m("2024-12")).expect("open again");
    assert_eq!(v.status, SettlementStatus::Open);
    let audit = houqin::db::audit::recent(db.conn(), Some("settlement"), 1).expect("audit");
    assert_eq!(audit[0].action, "reopen");
    let again = settlement::confirm(&mut db, m("2024-12")).expect("confirm again");
    assert_eq!(again.revision, Some(2));
}

#[test]
fn no_rules_is_a_clear_message() {
    let mut db = Db::open_scratch().expect("db");
    let e = settlement::preview(db.conn(), m("2024-11")).expect_err("no rules");
    assert!(e.to_string().contains("没有生效的收费规则"));
    // 月结 and 伙食账 offer 去设置收费项目 on this code.
    assert_eq!(e.refusal(), Some(houqin::error::Code::NoFeeRules));
    let bad = FeeItem::from_json(r#"{"id":"meal","name":"伙食费","charge":{"per_day":"-1.00"}}"#);
    assert!(bad.is_err());
    let _ = &mut db;
}

/// A money cell of the workbook, back in fen (the cells hold yuan as numbers).
fn fen_cell(range: &calamine::Range<calamine::Data>, row: usize, col: usize) -> i64 {
    match range.get((row, col)) {
        Some(calamine::Data::Float(f)) => (f * 100.0).round() as i64,
        Some(calamine::Data::Int(i)) => i * 100,
        other => panic!("no amount at ({row}, {col}): {other:?}"),
    }
}

fn text_cell(range: &calamine::Range<calamine::Data>, row: usize, col: usize) -> String {
    range.get((row, col)).map(|c| c.to_string()).unwrap_or_default()
}

/// The workbook has 汇总 and one sheet per class; the summary's 合计 row and
/// every class sheet's refunds add up to the settlement.
#[test]
fn settlement_exports_to_xlsx() {
    use calamine::Reader;
    let mut db = Db::open_scratch().expect("db");
    houqin::demo::load(&mut db, d("2026-11-22")).expect("demo");
    let v = settlement::preview(db.conn(), m("2026-10")).expect("preview");
    let bytes = settlement::xlsx::to_bytes(&v).expect("xlsx");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a readable workbook");

    let mut expected = vec!["汇总".to_string()];
    expected.extend(v.result.classes.iter().map(|c| c.class.clone()));
    assert_eq!(expected.len(), 7, "the demo's six classes");
    assert_eq!(book.sheet_names(), expected);

    let summary = book.worksheet_range("汇总").expect("汇总");
    assert_eq!(text_cell(&summary, 0, 0), "2026年10月 月结汇总");
    let total = (0..summary.height()).find(|r| text_cell(&summary, *r, 0) == "合计").expect("a 合计 row");
    assert_eq!(fen_cell(&summary, total, 2), v.result.charged.as_i64(), "应收合计");
    assert_eq!(fen_cell(&summary, total, 3), v.result.refund.as_i64(), "退费合计");
    // The seeds' bill has a 困难补贴 column: the demo's subsidised children.
    assert!(v.result.waiver > Fen::ZERO, "the demo has waivers in October");
    assert_eq!(text_cell(&summary, 4, 4), "减免(元)");
    assert_eq!(fen_cell(&summary, total, 4), v.result.waiver.as_i64(), "减免合计");

    let mut refunds = 0;
    for class in &v.result.classes {
        let sheet = book.worksheet_range(&class.class).expect("class sheet");
        let headers: Vec<String> = (0..sheet.width()).map(|c| text_cell(&sheet, 0, c)).collect();
        assert_eq!(headers[..3], ["姓名", "出勤天数", "请假天数"]);
        assert!(headers.iter().any(|h| h == "伙食费退费") && headers.iter().any(|h| h == "保教费应收"), "{headers:?}");
        let col = headers.iter().position(|h| h == "退费合计").expect("退费合计");
        assert_eq!(sheet.height() - 1, class.children as usize, "one row per child of {}", class.class);
        let sum: i64 = (1..sheet.height()).map(|r| fen_cell(&sheet, r, col)).sum();
        assert_eq!(sum, class.refund.as_i64(), "{}", class.class);
        refunds += sum;
        let col = headers.iter().position(|h| h == "减免合计").expect("减免合计");
        let waived: i64 = (1..sheet.height()).map(|r| fen_cell(&sheet, r, col)).sum();
        assert_eq!(waived, class.waiver.as_i64(), "{}", class.class);
    }
    assert_eq!(refunds, v.result.refund.as_i64());
}

/// Regression: a child who left before the month still has leave on record
/// inside the look-back window; the month must settle without them.
#[test]
fn a_child_who_left_last_month_does_not_stop_this_months_settlement() {
    let (mut db, a, b) = school();
    sick(&mut db, b, "2024-10-14", "2024-10-18");
    children::set_left(&mut db, b, Some(d("2024-10-31"))).expect("leave");
    sick(&mut db, a, "2024-11-11", "2024-11-15");
    let v = settlement::preview(db.conn(), m("2024-11")).expect("settles");
    assert_eq!(v.result.children.len(), 1);
    assert_eq!(v.result.refund, Fen(4200));
    let trial = settlement::trial(db.conn(), m("2024-11"), &[meal_rule()]).expect("trial settles");
    assert_eq!(trial.refund, Fen(4200));
}

fn settlements_count(db: &Db) -> i64 {
    db.conn().value("SELECT COUNT(*) FROM settlements", &[]).expect("count")
}

/// Regression: on the demo (September and October closed, November open) the
/// current month could be confirmed, after which November could never be
/// confirmed and its refunds were lost. Months are now closed in order.
#[test]
fn a_month_cannot_be_confirmed_while_an_earlier_month_is_open() {
    let today = d("2026-12-01");
    let mut db = Db::open_scratch().expect("db");
    houqin::demo::load(&mut db, today).expect("demo");
    let before = settlements_count(&db);

    let skip = db.with_tx(|tx| settlement::confirm_in_tx(tx, m("2026-12"), today)).expect_err("november is open");
    assert!(matches!(skip, Error::Conflict(_)), "{skip:?}");
    let msg = skip.to_string();
    assert!(msg.contains("2026年11月 还没有结账"), "{msg}");
    assert!(msg.contains("请先结算并确认 2026年11月,再结 2026年12月"), "{msg}");
    assert_eq!(settlements_count(&db), before, "nothing stored");

    // November first — its refunds are settled — then December may follow.
    let nov_refund = settlement::preview(db.conn(), m("2026-11")).expect("preview").result.refund;
    assert!(nov_refund > Fen::ZERO, "the demo has refunds in November");
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m("2026-11"), today)).expect("november");
    let nov = settlement::preview(db.conn(), m("2026-11")).expect("closed");
    assert_eq!((nov.status, nov.result.refund), (SettlementStatus::Closed, nov_refund));
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m("2026-12"), today)).expect("december after november");
}

/// A month with no children enrolled, or without a single school day (a
/// summer break), has nothing to settle and does not hold up later months.
#[test]
fn months_with_nothing_to_settle_need_not_be_closed_first() {
    let mut db = Db::open_scratch().expect("db");
    let class = one_class(&mut db, "大一班");
    enrol_on(&mut db, class, "001", "王小明", "2024-07-01");
    // Rules from May (before anyone enrolled); summer break from 16 July to the end of August.
    settlement::save_rules(&mut db, m("2024-05"), &[meal_rule()], "").expect("rules");
    houqin::school::calendar::add_closure(
        &mut db,
        &houqin::calendar::Closure {
            from: d("2024-07-16"),
            to: d("2024-08-31"),
            reason: "暑假".into(),
            charged: false,
        },
    )
    .expect("break");
    let sep = settlement::confirm(&mut db, m("2024-09")).expect_err("july has school days and a child");
    assert!(sep.to_string().contains("2024年7月 还没有结账"), "{sep}");
    settlement::confirm(&mut db, m("2024-07")).expect("july: May and June had no children");
    settlement::confirm(&mut db, m("2024-09")).expect("september: August had no school day");
}

/// A file where the old bug already skipped a month: the message says how to
/// get back (reopen the later months, close the skipped one, then in order).
#[test]
fn a_month_skipped_before_the_fix_is_named_with_the_way_back() {
    let (mut db, a, _) = school();
    sick(&mut db, a, "2024-11-11", "2024-11-15");
    // What the old program allowed: December closed while November stayed open.
    db.conn()
        .exec(
            "INSERT INTO settlements (month, revision, status, rules_json, result_json, charged_fen, refund_fen,
               adjustment_fen, confirmed_at, confirmed_by) VALUES ('2024-12', 1, 'closed', '[]', '{}', 0, 0, 0, ?1, '')",
            &args![houqin::dates::now()],
        )
        .expect("old bug");
    let e = settlement::confirm(&mut db, m("2025-01")).expect_err("november was skipped");
    let msg = e.to_string();
    assert!(msg.contains("2024年11月 还没有结账就被跳过了(已结账到 2024年12月)"), "{msg}");
    assert!(msg.contains("重新打开"), "{msg}");
    settlement::reopen(&mut db, m("2024-12"), "补结 11 月").expect("reopen december");
    let nov = settlement::confirm(&mut db, m("2024-11")).expect("november now");
    assert_eq!(nov.result.refund, Fen(4200));
    settlement::confirm(&mut db, m("2024-12")).expect("december again");
    settlement::confirm(&mut db, m("2025-01")).expect("january");
}

#[test]
fn a_month_is_over_only_after_its_last_day() {
    assert!(settlement::not_over_yet(m("2026-12"), d("2026-12-01")));
    assert!(settlement::not_over_yet(m("2026-12"), d("2026-12-31")), "absences can still come in on the last day");
    assert!(!settlement::not_over_yet(m("2026-11"), d("2026-12-01")));
}

/// (charged, refunded) of one child's fee item, in fen.
fn money_of(v: &houqin::settlement::SettlementView, name: &str, fee: &str) -> (i64, i64) {
    let child = v.result.children.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("{name} not settled"));
    let f = child.fees.iter().find(|f| f.fee_id == fee).unwrap_or_else(|| panic!("{name} has no {fee}"));
    (f.charged.as_i64(), f.refund.as_i64())
}

/// Acceptance: the demo school's October 2026, settled as of 22 November
/// 2026 (September closed, October open), checked by hand for five children.
///
/// The calendar (built-in 2026 schedule + the demo's closures):
/// 1 Oct is a Thursday. National Day: 1–7 Oct off (weekdays 1, 2, 5, 6, 7),
/// Saturday 10 Oct a make-up working day. Legal working days: 22 weekdays
/// minus 5 plus 1 = 18: 8, 9, 10, 12–16, 19–23, 26–30. The demo's storm closure is the
/// month's 8th school day, Friday 16 Oct, charged: it stays a school day
/// (18 school days) but nobody attends it, so it is refunded, not an absence.
///
/// Rules (demo_fees): 伙食费 15.00/school day, refunded per day for runs of ≥ 3
/// absent school days of sick or personal leave (nothing unrefunded), charged
/// closures refunded per day. 保教费 800.00/month, per-day proration at
/// 800 ÷ 18 legal working days; tiers on 18 legal working days: attended
/// none → 100 %, attended ≤ ⌊18 ÷ 2⌋ = 9 → 50 %, only for a child enrolled on
/// every school day. Full month: meal 18 × 15.00 = 270.00, care 800.00.
#[test]
fn the_demo_month_matches_a_hand_check_of_five_children() {
    let mut db = Db::open_scratch().expect("db");
    houqin::demo::load(&mut db, d("2026-11-22")).expect("demo");
    let v = settlement::preview(db.conn(), m("2026-10")).expect("october");
    assert_eq!(v.status, SettlementStatus::Open);
    assert_eq!((v.result.legal_working_days, v.result.school_days, v.result.charged_closure_days), (18, 18, 1));
    let leave = |name: &str| -> Vec<(NaiveDate, NaiveDate, LeaveKind)> {
        let child = v.result.children.iter().find(|c| c.name == name).expect("child");
        let id: ChildId = ChildId(child.child_id.parse().expect("id"));
        absences::for_child(db.conn(), id, d("2026-09-01"), d("2026-10-31"))
            .expect("leave")
            .iter()
            .map(|a| (a.from, a.to, a.kind))
            .collect()
    };

    // 曹航昊 (小一班), the demo's "two weeks off sick": sick 7–20 Oct.
    // Absent school days 8, 9, 10, 12–15, 19, 20 = 9 (7 Oct is a holiday; the
    // closure on the 16th neither counts nor breaks the run): one run of 9 ≥ 3 →
    // 9 × 15.00 = 135.00, + closure 15.00 = 150.00.
    // Care: attended 18 − 9 − 1 (closure) = 8 ≤ 9 → 50 % of 800.00 = 400.00.
    assert_eq!(leave("曹航昊"), vec![(d("2026-10-07"), d("2026-10-20"), LeaveKind::Sick)]);
    assert_eq!(money_of(&v, "曹航昊", "meal"), (27000, 15000));
    assert_eq!(money_of(&v, "曹航昊", "care"), (80000, 40000));

    // 高婉涵 (小一班), "away the whole month": sick 1–31 Oct, attended 28–30 Sep.
    // Absent: all 17 school days but the closure, one run → 17 × 15.00 = 255.00,
    // + closure 15.00 = 270.00 (all of it). Care: attended 0 → 100 % = 800.00.
    assert!(leave("高婉涵").contains(&(d("2026-10-01"), d("2026-10-31"), LeaveKind::Sick)));
    assert_eq!(money_of(&v, "高婉涵", "meal"), (27000, 27000));
    assert_eq!(money_of(&v, "高婉涵", "care"), (80000, 80000));

    // 吴妍可 (小一班) joined on Thursday 15 Oct, no leave. Enrolled school days
    // 15, 16, 19–23, 26–30 = 12: meal 12 × 15.00 = 180.00, refund the closure
    // on the 16th = 15.00. Care per day: 800.00 × 12 ÷ 18 = 533.333… → 533.33;
    // no tier (not enrolled on every school day), so no care refund.
    assert!(leave("吴妍可").is_empty());
    assert_eq!(money_of(&v, "吴妍可", "meal"), (18000, 1500));
    assert_eq!(money_of(&v, "吴妍可", "care"), (53333, 0));

    // 邓嘉骏 (中二班) left on Thursday 15 Oct, no leave. Enrolled school days
    // 8, 9, 10, 12–15 = 7: meal 7 × 15.00 = 105.00; the closure (16th) is after
    // he left, so nothing back. Care: 800.00 × 7 ÷ 18 = 311.111… → 311.11.
    assert!(leave("邓嘉骏").is_empty());
    assert_eq!(money_of(&v, "邓嘉骏", "meal"), (10500, 0));
    assert_eq!(money_of(&v, "邓嘉骏", "care"), (31111, 0));

    // 蒋心涵 (小二班): sick 28 Sep – 9 Oct, sick 13–19 Oct, personal 21 Oct.
    // Run 1: 28, 29, 30 Sep + 8, 9 Oct (1–7 Oct are holidays) = 5 ≥ 3; the
    // make-up Saturday 10 Oct is attended and ends it. Only October's 2 days
    // are refunded: 2 × 15.00 = 30.00. Run 2: 13, 14, 15, 19 Oct (the closure
    // on the 16th doesn't break it) = 4 → 60.00. Run 3: 21 Oct, 1 day < 3 → 0.
    // Closure 15.00. Meal refund 30.00 + 60.00 + 15.00 = 105.00.
    // Care: absent 2 + 4 + 1 = 7, attended 18 − 7 − 1 = 10 > 9 → no tier, 0.
    assert_eq!(
        leave("蒋心涵"),
        vec![
            (d("2026-09-28"), d("2026-10-09"), LeaveKind::Sick),
            (d("2026-10-13"), d("2026-10-19"), LeaveKind::Sick),
            (d("2026-10-21"), d("2026-10-21"), LeaveKind::Personal),
        ]
    );
    assert_eq!(money_of(&v, "蒋心涵", "meal"), (27000, 10500));
    assert_eq!(money_of(&v, "蒋心涵", "care"), (80000, 0));
    let child = v.result.children.iter().find(|c| c.name == "蒋心涵").expect("child");
    let meal = child.fees.iter().find(|f| f.fee_id == "meal").expect("meal");
    let refunds: Vec<(u32, i64)> = meal
        .lines
        .iter()
        .filter(|l| l.kind != LineKind::Charge && l.amount > Fen::ZERO)
        .map(|l| (l.days, l.amount.as_i64()))
        .collect();
    assert_eq!(refunds, vec![(2, 3000), (4, 6000), (1, 1500)], "{:#?}", meal.lines);
}

/// A shared rule file with a tier of 150 % is refused in Chinese, naming the
/// rule file and the position, and nothing is saved.
#[test]
fn a_rule_file_with_percent_150_is_refused_in_chinese() {
    let (mut db, _, _) = school();
    let text = r#"{"source": "总园", "month": "2024-12", "fees": [{"id": "care", "name": "保教费", "charge": {"monthly": "800.00", "divisor": "legal_working_days", "proration": "per_day"}, "refund": {"tiers": [{"attended_at_most": "none", "percent": 150}]}}]}"#;
    let e = settlement::rules::parse_document(text).expect_err("150 %");
    assert_eq!(e.to_string(), "规则文件格式有误:百分比必须在 0 到 100 之间,而不是 150(第 1 行第 231 列)");
    let unknown = settlement::rules::parse_document(&text.replace("legal_working_days", "working_days"))
        .expect_err("unknown divisor")
        .to_string();
    assert!(unknown.starts_with("规则文件格式有误:") && unknown.ends_with("列)"), "{unknown}");
    assert!(!unknown.contains(" at line "), "{unknown}");
    let versions = settlement::rules::versions(db.conn()).expect("versions");
    assert_eq!(versions.len(), 1, "nothing saved");
    let _ = &mut db;
}

/// A run of leave is found across separate records joined only by days
/// nobody attends (a weekend; a planned break and New Year's Day): the whole
/// run counts for the minimum and the unrefunded day is its first, last month.
/// Leave before an attended school day is a run of its own.
#[test]
fn runs_join_separate_records_across_weekends_and_breaks() {
    let (mut db, a, _) = school();
    let personal = |db: &mut Db, from: &str, to: &str| {
        absences::apply(
            db,
            &AbsenceChange { child_id: a, from: d(from), to: d(to), kind: Some(LeaveKind::Personal), note: "".into() },
        )
        .expect("absence")
    };
    // Wed 27 Nov sick; Thu 28 attended; Fri 29 sick; Mon 2 – Tue 3 Dec personal.
    sick(&mut db, a, "2024-11-27", "2024-11-27");
    sick(&mut db, a, "2024-11-29", "2024-11-29");
    personal(&mut db, "2024-12-02", "2024-12-03");
    // Shenzhen rule (min 2, first day unrefunded): the run is 29 Nov, 2, 3 Dec
    // = 3 days; its unrefunded day is 29 Nov, so December gets 2 × 10.50.
    let dec = settlement::preview(db.conn(), m("2024-12")).expect("december");
    let child = dec.result.children.iter().find(|c| c.child_id == a.to_string()).expect("child");
    assert_eq!(child.refund, Fen(2100), "{:#?}", child.fees[0].lines);

    // A planned break 23–31 December, New Year's Day off: Fri 20 Dec and
    // Thu 2 – Fri 3 Jan are one run of 3 → January refunds 2 days.
    houqin::school::calendar::add_closure(
        &mut db,
        &houqin::calendar::Closure {
            from: d("2024-12-23"),
            to: d("2024-12-31"),
            reason: "寒假".into(),
            charged: false,
        },
    )
    .expect("break");
    sick(&mut db, a, "2024-12-20", "2024-12-20");
    sick(&mut db, a, "2025-01-02", "2025-01-03");
    let jan = settlement::preview(db.conn(), m("2025-01")).expect("january");
    let child = jan.result.children.iter().find(|c| c.child_id == a.to_string()).expect("child");
    assert_eq!(child.refund, Fen(2100), "{:#?}", child.fees[0].lines);
}

/// A closed month is settled again only for children whose inputs changed
/// since (kept as digests with the settlement), but a change to the calendar
/// or to a child's enrolment is such a change: it reaches every child it
/// affects.
#[test]
fn calendar_and_enrolment_changes_to_a_closed_month_become_adjustments() {
    let (mut db, a, b) = school();
    settlement::confirm(&mut db, m("2024-11")).expect("november");
    let stored: i64 = db.conn().value("SELECT COUNT(*) FROM settlement_inputs", &[]).expect("digests");
    assert_eq!(stored, 2, "one digest per child");
    assert!(settlement::preview(db.conn(), m("2024-12")).expect("december").adjustments.is_empty());

    // A planned closure on Friday 29 November: one school day less for both,
    // 10.50 back to each (补退).
    houqin::school::calendar::add_closure(
        &mut db,
        &houqin::calendar::Closure {
            from: d("2024-11-29"),
            to: d("2024-11-29"),
            reason: "停水".into(),
            charged: false,
        },
    )
    .expect("closure");
    let dec = settlement::preview(db.conn(), m("2024-12")).expect("december");
    let mut owed: Vec<(ChildId, Fen)> = dec.adjustments.iter().map(|x| (x.child_id, x.amount)).collect();
    owed.sort();
    assert_eq!(owed, vec![(a, Fen(1050)), (b, Fen(1050))]);

    // 李小红 had in fact left on Friday 22 November: 4 more school days
    // (25–28 Nov; the 29th is closed) back to her.
    children::set_left(&mut db, b, Some(d("2024-11-22"))).expect("left");
    let dec = settlement::preview(db.conn(), m("2024-12")).expect("december");
    let of_b: Fen = dec.adjustments.iter().filter(|x| x.child_id == b).map(|x| x.amount).sum();
    assert_eq!(of_b, Fen(1050 + 4 * 1050));
}
