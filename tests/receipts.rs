//! Receipts (收据) for payments, through the core API and on the printed PDF
//! (read back with pdftotext): numbers run per year without a gap and only
//! for 收款, a reprint keeps its number and says 补打, a reversed payment's
//! receipt says 作废, 收款事由 names the notice the family had in hand, a print
//! that cannot write its file records nothing, and a month prints in one PDF.
//! `HOUQIN_TEST_DB=postgres://…` runs the same on PostgreSQL.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

mod common;

use common::*;
use houqin::db::Db;
use houqin::notices::{typeset, NoticeScope};
use houqin::payments::receipt::{self, ReceiptNo, ReceiptRef};
use houqin::payments::{self, PayMethod, Payment, PaymentFilter, PaymentId, PaymentInput, PaymentKind, ReverseInput};
use houqin::school::ChildId;
use houqin::settlement;

fn record(db: &mut Db, child: ChildId, on: &str, amount: &str, kind: PaymentKind) -> Payment {
    let input = payment_input(child, on, amount, kind);
    payments::add(db, &input).expect("payment")
}

fn no(text: &str) -> ReceiptNo {
    text.parse().expect("receipt number")
}

fn by_payment(p: &Payment) -> ReceiptRef {
    ReceiptRef::Payment(p.id)
}

fn listed(db: &Db, id: PaymentId) -> Payment {
    payments::list(db.conn(), &PaymentFilter::default())
        .expect("list")
        .into_iter()
        .find(|p| p.id == id)
        .expect("listed")
}

#[test]
fn numbers_run_per_year_without_gaps_and_only_for_money_received() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    let a = record(&mut db, kid, "2026-03-05", "100", PaymentKind::Payment);
    let refund = record(&mut db, kid, "2026-03-06", "20", PaymentKind::Refund);
    let b = record(&mut db, kid, "2026-03-07", "200", PaymentKind::Payment);
    // Backdated into last year: that year's book.
    let old = record(&mut db, kid, "2025-12-30", "300", PaymentKind::Payment);
    let reversal = payments::reverse(&mut db, &ReverseInput { id: b.id, reason: "录错".into() }).expect("reverse");
    let c = record(&mut db, kid, "2026-04-01", "400", PaymentKind::Payment);
    let numbers: Vec<Option<ReceiptNo>> = [&a, &b, &old, &c].iter().map(|p| p.receipt).collect();
    assert_eq!(
        numbers,
        vec![Some(no("2026-000001")), Some(no("2026-000002")), Some(no("2025-000001")), Some(no("2026-000003"))],
        "a reversed payment keeps its number; the next one follows it"
    );
    assert_eq!((refund.receipt, reversal.receipt), (None, None), "refunds and reversals have no receipt");
    assert!([&a, &b, &old, &c].iter().all(|p| p.receipt_prints == 0));
    let refused = receipt::print(&mut db, by_payment(&refund), &out_dir().join("receipt-refund.pdf"));
    assert!(refused.expect_err("refund").to_string().contains("是退款记录,只有收款才开收据"));
    let unknown = receipt::get(db.conn(), ReceiptRef::Number(no("2026-000099")));
    assert!(unknown.is_err());
}

#[test]
fn a_receipt_prints_the_amount_in_capitals_and_a_reprint_keeps_its_number_and_says_so() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    let p = record(&mut db, kid, "2026-03-05", "1234.50", PaymentKind::Payment);
    let path = out_dir().join("receipt-first.pdf");
    let printed = receipt::print(&mut db, ReceiptRef::Number(no("2026-000001")), &path).expect("print");
    assert_eq!((printed.first_prints, printed.reprints, printed.voided), (1, 0, 0));
    assert_eq!(printed.total.as_i64(), 123_450);
    let text = squashed(&text_of(&path));
    for want in [
        "阳光幼儿园",
        "收据",
        "No.2026-000001",
        "日期:2026年3月5日",
        "交款人王小明家长",
        "幼儿王小明(学号001)",
        "班级大一班",
        "人民币壹仟贰佰叁拾肆元伍角",
        "¥1,234.50",
        "收款方式微信",
        "收款人:李会计",
    ] {
        // As printed: full-width punctuation (typeset), spaces squashed.
        let want = squashed(&typeset(want));
        assert!(text.contains(&want), "{want} not in {text}");
    }
    assert!(!text.contains("补打") && !text.contains("作废"), "{text}");
    assert_eq!(listed(&db, p.id).receipt_prints, 1);

    // By the payment's 编号 this time: the same number, marked 补打.
    let again = out_dir().join("receipt-again.pdf");
    let reprint = receipt::print(&mut db, by_payment(&p), &again).expect("reprint");
    assert_eq!((reprint.numbers.clone(), reprint.first_prints, reprint.reprints), (vec![no("2026-000001")], 0, 1));
    let text = squashed(&text_of(&again));
    assert!(text.contains(&squashed(&typeset("补打(第2次打印)"))) && text.contains("No.2026-000001"), "{text}");
    assert_eq!(listed(&db, p.id).receipt_prints, 2);
    assert_eq!(listed(&db, p.id).receipt, Some(no("2026-000001")));
}

#[test]
fn a_reversed_payments_receipt_says_void_and_a_month_prints_in_one_file() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    let other = enrol(&mut db, class, "002", "李小红");
    let a = record(&mut db, kid, "2026-03-05", "100", PaymentKind::Payment);
    record(&mut db, other, "2026-03-09", "250.5", PaymentKind::Payment);
    record(&mut db, kid, "2026-04-01", "999", PaymentKind::Payment);
    receipt::print(&mut db, by_payment(&a), &out_dir().join("receipt-a.pdf")).expect("print");
    payments::reverse(&mut db, &ReverseInput { id: a.id, reason: "重复登记".into() }).expect("reverse");

    let path = out_dir().join("receipts-march.pdf");
    let month = receipt::print_month(&mut db, m("2026-03"), &path).expect("month");
    assert_eq!(month.numbers, vec![no("2026-000001"), no("2026-000002")], "March's only, in the book's order");
    assert_eq!((month.first_prints, month.reprints, month.voided), (1, 1, 1));
    assert_eq!(month.total.as_i64(), 25_050, "the voided receipt is not counted");
    let pages = poppler("pdfinfo", &[path.to_str().expect("path")]);
    assert!(pages.lines().any(|l| l.starts_with("Pages:") && l.ends_with(" 2")), "{pages}");
    let text = squashed(&text_of(&path));
    assert!(
        text.contains("作废") && text.contains(&squashed(&typeset("本收据已作废(已被第4号冲销:重复登记)"))),
        "{text}"
    );
    assert!(text.contains("李小红") && text.contains("人民币贰佰伍拾元伍角"), "{text}");
    let empty = receipt::print_month(&mut db, m("2026-05"), &out_dir().join("receipts-may.pdf"));
    assert!(empty.expect_err("no payments").to_string().contains("没有收款记录"));
}

#[test]
fn a_print_that_cannot_write_its_file_records_nothing() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    let p = record(&mut db, kid, "2026-03-05", "100", PaymentKind::Payment);
    let missing = out_dir().join("no-such-folder").join("receipt.pdf");
    assert!(receipt::print(&mut db, by_payment(&p), &missing).is_err());
    // A folder where the file should go: refused before anything is saved.
    let folder = out_dir();
    assert!(receipt::print(&mut db, by_payment(&p), &folder).is_err());
    assert_eq!(listed(&db, p.id).receipt_prints, 0);
    assert_eq!(receipt::unprinted(db.conn(), d("2026-03-01"), d("2026-03-31")).expect("unprinted").len(), 1);
}

#[test]
fn the_reason_names_the_notice_the_family_had_in_hand() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m("2026-03"), d("2026-04-01"))).expect("confirm");
    let (_, notices) = print(&mut db, "2026-03", NoticeScope::School, "receipt-notice.pdf");
    let p = payments::add(
        &mut db,
        &PaymentInput {
            child_id: kid,
            kind: PaymentKind::Payment,
            paid_on: houqin::dates::today(),
            amount: "500".into(),
            method: PayMethod::Cash,
            note: "现金交财务室".into(),
        },
    )
    .expect("payment");
    let r = receipt::get(db.conn(), by_payment(&p)).expect("receipt");
    let number = notices.numbers.0;
    assert!(
        r.reason.starts_with("2026年4月") && r.reason.contains("伙食费") && r.reason.contains("保教费"),
        "{}",
        r.reason
    );
    assert!(r.reason.contains(&format!("(通知单 {number})")) && r.reason.ends_with(";现金交财务室"), "{}", r.reason);
    // A payment dated before the notice was handed out does not name it.
    let early = record(&mut db, kid, "2026-03-20", "10", PaymentKind::Payment);
    assert_eq!(receipt::get(db.conn(), by_payment(&early)).expect("receipt").reason, "缴费");
}

/// Migration 0013 on a file that already holds payments: each 收款 gets the
/// next number of its year's book in the order entered, none counts as printed.
#[test]
fn payments_recorded_before_receipts_existed_are_numbered_by_the_migration() {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    let a = record(&mut db, kid, "2026-03-05", "100", PaymentKind::Payment);
    record(&mut db, kid, "2026-03-06", "20", PaymentKind::Refund);
    let b = record(&mut db, kid, "2025-12-30", "300", PaymentKind::Payment);
    let c = record(&mut db, kid, "2026-01-02", "400", PaymentKind::Payment);
    receipt::print(&mut db, by_payment(&a), &out_dir().join("receipt-premigration.pdf")).expect("print");
    // The file as it was before the step: no receipts table.
    let step = houqin::store::migrate::MIGRATIONS.iter().find(|m| m.name == "receipts").expect("migration 13");
    let sql = step.sql(db.conn().dialect()).expect("sql of this backend");
    db.conn().batch("DROP TABLE receipts").expect("drop");
    db.conn().batch(sql).expect("migrate");
    let numbers: Vec<(Option<ReceiptNo>, u32)> =
        [&a, &b, &c].iter().map(|p| listed(&db, p.id)).map(|p| (p.receipt, p.receipt_prints)).collect();
    assert_eq!(numbers, vec![(Some(no("2026-000001")), 0), (Some(no("2025-000001")), 0), (Some(no("2026-000002")), 0)]);
    // The book goes on from there.
    let d2 = record(&mut db, kid, "2026-04-01", "5", PaymentKind::Payment);
    assert_eq!(d2.receipt, Some(no("2026-000003")));
}
