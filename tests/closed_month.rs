//! A closed month keeps its confirmed figures everywhere (issue 12, part 1).
//!
//! What broke: after November was confirmed, a correction to its attendance
//! (a week of sick leave entered afterwards) changed what the closed month
//! showed. The settlement kept the children's rows at the confirmed 6,700.00
//! but its per-item totals (and class totals) said 6,805.00, because a closed
//! month was settled again with today's data and only the children's amounts
//! were patched back; the meal account took the refund (3,900.00 → 4,005.00)
//! and the child-days (1,592 → 1,585) from that re-settlement while saying they
//! came from the confirmed settlement, and December's income carried the same
//! 105.00 as 补退 again: the money was counted twice.
//!
//! The test walks the bursar's whole path on the demo school — confirm
//! November, publish its 公示, correct its attendance, look at every view of
//! November again, carry the correction in December, close and publish
//! December — and checks every total against every other on the way.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

mod common;

use std::io::Cursor;

use common::{d, m, poppler};
use houqin::attendance::absences::{self, AbsenceChange};
use houqin::attendance::grid::school_child_days;
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::meal_account::store::{store_month, CountInput, CountKind, CountLineInput};
use houqin::meal_account::{self as meal, MealSheet};
use houqin::notices::{self, NoticeScope};
use houqin::refund::{LeaveKind, SettlementResult};
use houqin::school::children::{self, ChildFilter};
use houqin::settlement::{self, SettlementStatus, SettlementView};
use houqin::{Error, Fen};

/// The day the issue was reproduced: November 2026 is last month, the demo
/// leaves it open (counted, not closed).
const TODAY: &str = "2026-12-03";
/// The child of the reproduction (学号 20260101).
const STUDENT_NO: &str = "20260101";

/// Everything a closed month shows, prints and exports.
#[derive(Debug, PartialEq)]
struct Views {
    result: SettlementResult,
    adjustments: serde_json::Value,
    revision: Option<i64>,
    xlsx: Vec<(String, Vec<Vec<String>>)>,
    statement: String,
    statement_refund: Fen,
    statement_adjustments: Fen,
    notices: serde_json::Value,
    sheet: MealSheet,
}

fn views(db: &Db, month: YearMonth) -> Views {
    let view = settlement::preview(db.conn(), month).expect("settlement");
    assert_eq!(view.status, SettlementStatus::Closed, "{month} is closed");
    adds_up(&view);
    stored_totals_agree(db, &view);
    let xlsx = xlsx_cells(&settlement::xlsx::to_bytes(&view).expect("workbook"));
    xlsx_agrees(&xlsx, &view);
    let (pdf, summary) = notices::statement::render(db.conn(), month).expect("statement");
    assert_eq!(summary.refund, view.result.refund, "statement total = settlement total");
    assert_eq!(summary.adjustments, view.adjustment_total);
    let batch = notices::prepare(db.conn(), month, NoticeScope::School).expect("notices");
    // Every child's refund of the month is on their notice, once.
    let refunded: Fen = batch
        .notices
        .iter()
        .flat_map(|n| &n.rows)
        .filter(|r| r.item.starts_with('退') && r.item.ends_with(&format!("({}月)", month.month())))
        .map(|r| -r.amount)
        .sum();
    assert_eq!(refunded, view.result.refund, "notices' refund rows = settlement total");
    let carried: Fen = batch
        .notices
        .iter()
        .flat_map(|n| &n.rows)
        .filter(|r| r.item.starts_with("补退") || r.item.starts_with("补收"))
        .map(|r| -r.amount)
        .sum();
    assert_eq!(carried, view.adjustment_total, "notices' corrections = the corrections the month carries");
    let sheet = meal::sheet_for(db.conn(), month).expect("meal sheet");
    sheet_agrees(&sheet, &view);
    Views {
        result: view.result.clone(),
        adjustments: serde_json::to_value(&view.adjustments).expect("json"),
        revision: view.revision,
        xlsx,
        statement: pdf_text(&pdf, &format!("statement-{month}")),
        statement_refund: summary.refund,
        statement_adjustments: summary.adjustments,
        notices: serde_json::to_value(&batch.notices).expect("json"),
        sheet,
    }
}

/// Rows, classes, fee items and school totals of a settlement agree.
fn adds_up(view: &SettlementView) {
    let r = &view.result;
    for ch in &r.children {
        assert_eq!(ch.charged, ch.fees.iter().map(|f| f.charged).sum::<Fen>(), "{}", ch.name);
        assert_eq!(ch.refund, ch.fees.iter().map(|f| f.refund).sum::<Fen>(), "{}", ch.name);
    }
    assert_eq!(r.charged, r.children.iter().map(|c| c.charged).sum::<Fen>(), "school charged = Σ rows");
    assert_eq!(r.refund, r.children.iter().map(|c| c.refund).sum::<Fen>(), "school refund = Σ rows");
    assert_eq!(r.charged, r.classes.iter().map(|c| c.charged).sum::<Fen>(), "school charged = Σ classes");
    assert_eq!(r.refund, r.classes.iter().map(|c| c.refund).sum::<Fen>(), "school refund = Σ classes");
    assert_eq!(r.charged, r.fees.iter().map(|f| f.charged).sum::<Fen>(), "school charged = Σ items");
    assert_eq!(r.refund, r.fees.iter().map(|f| f.refund).sum::<Fen>(), "school refund = Σ items");
    for c in &r.classes {
        let kids: Vec<_> = r.children.iter().filter(|k| k.class == c.class).collect();
        assert_eq!(c.children as usize, kids.len(), "{}", c.class);
        assert_eq!(c.charged, kids.iter().map(|k| k.charged).sum::<Fen>(), "class header = its rows: {}", c.class);
        assert_eq!(c.refund, kids.iter().map(|k| k.refund).sum::<Fen>(), "class header = its rows: {}", c.class);
    }
    for f in &r.fees {
        let of = |pick: fn(&houqin::refund::FeeSettlement) -> Fen| -> Fen {
            r.children.iter().flat_map(|c| &c.fees).filter(|x| x.fee_id == f.fee_id).map(pick).sum()
        };
        assert_eq!(f.charged, of(|x| x.charged), "item total = Σ rows: {}", f.fee_name);
        assert_eq!(f.refund, of(|x| x.refund), "item total = Σ rows: {}", f.fee_name);
    }
    assert_eq!(view.adjustment_total, view.adjustments.iter().map(|a| a.amount).sum::<Fen>());
}

/// The stored record (the settlement's row and its items) says what the view says.
fn stored_totals_agree(db: &Db, view: &SettlementView) {
    let args = houqin::args![view.month, view.revision.expect("closed")];
    let (charged, refund, adjusted): (Fen, Fen, Fen) = db
        .conn()
        .row(
            "SELECT charged_fen, refund_fen, adjustment_fen FROM settlements WHERE month = ?1 AND revision = ?2",
            &args,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("settlement row");
    assert_eq!((charged, refund, adjusted), (view.result.charged, view.result.refund, view.adjustment_total));
    let items: Fen = db
        .conn()
        .value(
            "SELECT COALESCE(SUM(i.refund_fen), 0) FROM settlement_items i JOIN settlements s ON s.id = i.settlement_id
             WHERE s.month = ?1 AND s.revision = ?2",
            &args,
        )
        .expect("items");
    assert_eq!(items, view.result.refund, "stored items = the view");
}

/// Every sheet of a workbook, as text cells.
fn xlsx_cells(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).expect("open xlsx");
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("sheet");
            (name, range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect())
        })
        .collect()
}

fn yuan(f: Fen) -> String {
    // As calamine prints the number cells: no trailing zeros.
    (f.0 as f64 / 100.0).to_string()
}

/// The workbook's summary sheet: a row per class and the 合计, as the settlement has them.
fn xlsx_agrees(book: &[(String, Vec<Vec<String>>)], view: &SettlementView) {
    let (_, summary) = book.iter().find(|(n, _)| n == "汇总").expect("汇总 sheet");
    for c in &view.result.classes {
        let row = summary.iter().find(|r| r[0] == c.class).unwrap_or_else(|| panic!("{} in 汇总", c.class));
        assert_eq!((row[2].as_str(), row[3].as_str()), (yuan(c.charged).as_str(), yuan(c.refund).as_str()));
    }
    let total = summary.iter().find(|r| r[0] == "合计").expect("合计");
    assert_eq!(
        (total[2].as_str(), total[3].as_str()),
        (yuan(view.result.charged).as_str(), yuan(view.result.refund).as_str())
    );
}

/// The 公示 takes its meal figures from the settlement it names.
fn sheet_agrees(sheet: &MealSheet, view: &SettlementView) {
    let meal = view.result.fees.iter().find(|f| f.fee_id == "meal").expect("meal item");
    assert!(sheet.settlement_closed);
    assert_eq!(sheet.settlement_revision, view.revision);
    assert_eq!((sheet.charged, sheet.refund), (meal.charged, meal.refund), "{}", view.month);
    let adjustments: Fen = view.adjustments.iter().filter(|a| a.fee_id == "meal").map(|a| a.amount).sum();
    assert_eq!(sheet.adjustments, adjustments, "{}", view.month);
    assert_eq!(sheet.income, sheet.charged - sheet.refund - sheet.adjustments);
    let attended: u32 = view.result.children.iter().map(|c| c.attended_days).sum();
    assert_eq!(sheet.child_days, attended, "{}: 人天数 of the confirmed settlement", view.month);
}

fn pdf_text(bytes: &[u8], name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("closed_month");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).expect("write pdf");
    poppler("pdftotext", &["-layout", path.to_str().expect("path"), "-"])
}

/// The month-end count of `month`: half of every category's stock is left.
fn count(db: &mut Db, month: YearMonth) {
    let store = store_month(db.conn(), month).expect("store");
    let lines = store
        .lines
        .iter()
        .filter(|l| l.listed)
        .map(|l| CountLineInput {
            category: l.category.clone(),
            closing: Fen((l.opening + l.purchases).0 / 2).to_yuan_string(),
            staff: String::new(),
        })
        .collect();
    meal::save_count(
        db,
        month,
        &CountInput {
            kind: CountKind::Count,
            counted_on: d(TODAY),
            counted_by: "周师傅".into(),
            note: String::new(),
            lines,
            staff_meals: String::new(),
            staff_income: String::new(),
        },
    )
    .expect("count");
}

fn close(db: &mut Db, month: YearMonth, on: &str) {
    db.with_tx(|tx| settlement::confirm_in_tx(tx, month, d(on))).expect("close");
}

#[test]
fn a_corrected_closed_month_keeps_its_confirmed_figures_and_the_next_month_carries_the_difference_once() {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("李会计");
    houqin::demo::load(&mut db, d(TODAY)).expect("demo");
    let (nov, dec) = (m("2026-11"), m("2026-12"));

    // Confirm November and publish its 公示, as the bursar does.
    close(&mut db, nov, TODAY);
    let confirmed = views(&db, nov);
    // The figures of the reproduction, checked by hand there.
    assert_eq!(confirmed.result.refund, Fen(670_000));
    let meal_total = |r: &SettlementResult| r.fees.iter().find(|f| f.fee_id == "meal").map(|f| f.refund);
    assert_eq!(meal_total(&confirmed.result), Some(Fen(390_000)));
    assert_eq!(confirmed.sheet.child_days, 1_592);
    let published = meal::publish(&mut db, nov, d(TODAY)).expect("publish November");
    assert_eq!((published.income, published.child_days), (confirmed.sheet.income, confirmed.sheet.child_days));
    let confirmed = views(&db, nov);
    assert!(confirmed.sheet.publication.is_some());

    // The correction: 12–20 November sick, entered after the month closed.
    let child = children::list(db.conn(), &ChildFilter { include_left: true, ..Default::default() })
        .expect("children")
        .into_iter()
        .find(|c| c.student_no == STUDENT_NO)
        .expect("the child");
    let sick = AbsenceChange {
        child_id: child.id,
        from: d("2026-11-12"),
        to: d("2026-11-20"),
        kind: Some(LeaveKind::Sick),
        note: String::new(),
    };
    let leave_before = absences::between(db.conn(), nov.first_day(), nov.last_day()).expect("leave");
    let stray = absences::edit(&mut db, std::slice::from_ref(&sick), None).expect_err("a closed month needs 更正");
    assert!(matches!(stray, Error::Conflict(_)), "{stray:?}");
    assert_eq!(absences::between(db.conn(), nov.first_day(), nov.last_day()).expect("leave"), leave_before);
    absences::edit(&mut db, &[sick], Some("家长补交病假条")).expect("更正");
    let grid_days = school_child_days(db.conn(), nov).expect("grid");
    assert_eq!(grid_days, 1_592 - 7, "the attendance grid shows the corrected days (7 school days)");

    // Every view of November is exactly as confirmed.
    let after = views(&db, nov);
    assert_eq!(after, confirmed);
    assert!(after.sheet.stale.is_none(), "the published sheet still matches its settlement");
    // The sheet as it would be computed now (not the stored publication) too.
    let now = meal::compute(&meal::load::sheet_input(db.conn(), nov).expect("input"));
    let figures = |s: &MealSheet| (s.child_days, s.charged, s.refund, s.adjustments, s.income, s.settlement_revision);
    assert_eq!(figures(&now), figures(&published));
    assert_eq!(now.child_days, 1_592);

    // The difference, shown apart on November and counted nowhere in it.
    let nov_view = settlement::preview(db.conn(), nov).expect("november");
    let again = settlement::trial(db.conn(), nov, &nov_view.fees).expect("november with today's attendance");
    let owed = |r: &SettlementResult, fee: &str| -> Fen {
        r.children
            .iter()
            .filter(|c| c.child_id == child.id.to_string())
            .flat_map(|c| &c.fees)
            .filter(|f| f.fee_id == fee)
            .map(|f| f.charged - f.refund)
            .sum()
    };
    let meal_delta = owed(&confirmed.result, "meal") - owed(&again, "meal");
    assert_eq!(meal_delta, Fen(10_500), "7 school days × 15.00 元 more refunded");
    assert_eq!(owed(&confirmed.result, "care"), owed(&again, "care"), "no care-fee tier changes");
    let pending: Vec<_> =
        nov_view.pending_corrections.iter().map(|a| (a.child_id, a.fee_id.as_str(), a.amount)).collect();
    assert_eq!(pending, vec![(child.id, "meal", meal_delta)]);
    assert_eq!(nov_view.corrections_go_to, Some(dec));
    assert_eq!((nov_view.pending_total, nov_view.pending_from_waivers), (meal_delta, false), "the core's sum");

    // December, still open, carries it once: in its settlement, its 公示 income.
    let dec_open = settlement::preview(db.conn(), dec).expect("december");
    adds_up(&dec_open);
    let carried: Vec<_> =
        dec_open.adjustments.iter().map(|a| (a.origin_month, a.child_id, a.fee_id.as_str(), a.amount)).collect();
    assert_eq!(carried, vec![(nov, child.id, "meal", meal_delta)]);
    assert_eq!(dec_open.adjustments[0].label, "补退");
    let dec_sheet = meal::sheet_for(db.conn(), dec).expect("december sheet");
    assert!(!dec_sheet.settlement_closed);
    assert_eq!(dec_sheet.adjustments, meal_delta);
    assert_eq!(dec_sheet.income, dec_sheet.charged - dec_sheet.refund - meal_delta);

    // Close December (after its last day), count it and publish it.
    close(&mut db, dec, "2027-01-04");
    count(&mut db, dec);
    let dec_closed = views(&db, dec);
    assert_eq!(dec_closed.adjustments, serde_json::to_value(&dec_open.adjustments).expect("json"));
    assert!(
        settlement::preview(db.conn(), nov).expect("november").pending_corrections.is_empty(),
        "carried by December"
    );
    assert_eq!(views(&db, nov), confirmed, "November still as confirmed");
    let dec_published = meal::publish(&mut db, dec, d(TODAY)).expect("publish December");
    assert_eq!(dec_published.adjustments, meal_delta);

    // The correction's money is counted exactly once over the two months: the
    // two published incomes add up to what today's attendance says November
    // and December bring in.
    let nov_meal = again.fees.iter().find(|f| f.fee_id == "meal").expect("meal");
    let dec_meal = dec_closed.result.fees.iter().find(|f| f.fee_id == "meal").expect("meal");
    assert_eq!(
        published.income + dec_published.income,
        (nov_meal.charged - nov_meal.refund) + (dec_meal.charged - dec_meal.refund),
    );
    assert_eq!(published.income, confirmed.sheet.income, "November's 公示 as published");
    // The term's running balance adds the months as published.
    let term_nov = dec_published.term.months.iter().find(|f| f.month == nov).expect("november in the term");
    assert_eq!(term_nov.income, published.income);
    assert_eq!(dec_published.term.income, dec_published.term.months.iter().map(|f| f.income).sum::<Fen>());
    assert_eq!(dec_published.term.months.last().map(|f| f.income), Some(dec_published.income));

    // December's notices carry the 补退 for November once, on that child's notice only.
    let dec_notices = notices::prepare(db.conn(), dec, NoticeScope::School).expect("december notices");
    let corrections: Vec<_> = dec_notices
        .notices
        .iter()
        .flat_map(|n| n.rows.iter().map(move |r| (n.child_id, r)))
        .filter(|(_, r)| r.item.contains("(11月)") && (r.item.starts_with("补退") || r.item.starts_with("补收")))
        .map(|(id, r)| (id, r.item.clone(), r.amount))
        .collect();
    assert_eq!(corrections, vec![(child.id, "补退伙食费(11月)".to_string(), -meal_delta)]);
}
