//! Payments (收款登记) and the previous balance on notices (上期欠费/上期结余),
//! checked through the core API and on the printed PDF (read back with
//! pdftotext): the balance over several months with a reversal, a part payment
//! and an overpayment on the next notice, a payment recorded after printing
//! giving a new notice that replaces the old, the cut-off of the balance at
//! the end of the settled month, refusals that change nothing, the audit rows.
//!
//! The school: one class, 伙食费 15.00 per school day and 保教费 800.00 a month
//! from March 2026 (tests/common); a child enrolled since September 2025.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

mod common;

use common::*;
use houqin::db::Db;
use houqin::notices::{self, NoticeScope};
use houqin::payments::{self, Payment, PaymentFilter, PaymentId, PaymentInput, PaymentKind, ReverseInput};
use houqin::school::ChildId;
use houqin::{settlement, Fen};

fn confirm(db: &mut Db, month: &str, on: &str) {
    db.with_tx(|tx| settlement::confirm_in_tx(tx, m(month), d(on))).expect("confirm");
}

fn pay(db: &mut Db, child: ChildId, on: &str, amount: Fen) -> Payment {
    payments::add(db, &payment_input(child, on, &amount.to_yuan_string(), PaymentKind::Payment)).expect("payment")
}

/// The one notice of `month` for the school, as it would print now.
fn notice(db: &Db, month: &str) -> notices::Notice {
    let mut batch = notices::prepare(db.conn(), m(month), NoticeScope::School).expect("prepare");
    assert_eq!(batch.notices.len(), 1);
    batch.notices.remove(0)
}

/// One child, March closed and its notice printed (to `<tag>-march.pdf`: tests
/// run in parallel, each writes its own files): (db, child, March's total).
fn march_printed(tag: &str) -> (Db, ChildId, Fen) {
    let (mut db, class) = small_school("大一班");
    let kid = enrol(&mut db, class, "001", "王小明");
    confirm(&mut db, "2026-03", "2026-04-15");
    let first = notice(&db, "2026-03");
    assert_eq!(first.balance, Fen::ZERO, "nothing issued before March: no balance");
    assert!(!first.rows.iter().any(|r| r.item.starts_with("上期")), "{:?}", first.rows);
    print(&mut db, "2026-03", NoticeScope::School, &format!("{tag}-march.pdf"));
    (db, kid, first.total)
}

fn count(db: &Db, table: &str) -> i64 {
    db.conn().value(&format!("SELECT COUNT(*) FROM {table}"), &[]).expect("count")
}

#[test]
fn balance_over_three_months_with_a_part_payment_and_a_reversal() {
    let (mut db, kid, t1) = march_printed("pay-balance");
    assert!(t1 > Fen::yuan(1000), "April's charges: {t1}");
    // Paid 100.00 short, and a payment typed twice by mistake, reversed.
    pay(&mut db, kid, "2026-04-05", t1 - Fen::yuan(100));
    let wrong = pay(&mut db, kid, "2026-04-06", Fen::yuan(500));
    let reversal =
        payments::reverse(&mut db, &ReverseInput { id: wrong.id, reason: "重复登记".into() }).expect("reverse");
    assert_eq!(
        (reversal.amount, reversal.paid_on, reversal.reverses),
        (Fen::yuan(-500), wrong.paid_on, Some(wrong.id))
    );
    let b = payments::balance(db.conn(), kid, Some(m("2026-04"))).expect("balance");
    assert_eq!((b.billed, b.paid, b.balance, b.notices), (t1, t1 - Fen::yuan(100), Fen::yuan(100), 1));

    // April's notice carries 上期欠费 100.00, and its total includes it.
    confirm(&mut db, "2026-04", "2026-05-15");
    let april = notice(&db, "2026-04");
    assert_eq!(april.balance, Fen::yuan(100));
    let row = april.rows.last().expect("rows");
    assert_eq!((row.item.as_str(), row.amount), ("上期欠费", Fen::yuan(100)));
    assert_eq!(april.total, april.rows.iter().map(|r| r.amount).sum::<Fen>());
    let p2 = april.total - Fen::yuan(100);
    assert!(
        april.explanations.iter().any(|e| e.contains("2026年4月30日") && e.contains("尚欠 100.00 元")),
        "{:?}",
        april.explanations
    );
    let (path, _) = print(&mut db, "2026-04", NoticeScope::School, "pay-april-owed.pdf");
    let flat = squashed(&text_of(&path));
    assert!(flat.contains("上期欠费见说明"), "{flat}");
    assert!(flat.contains(&format!("合计（应缴）{}", april.total.to_grouped_string())), "{flat}");
    assert!(
        flat.contains(&format!(
            "本期应缴金额：¥{}人民币（大写）：{}",
            april.total.to_grouped_string(),
            april.total.to_capital()
        )),
        "{flat}"
    );
    assert!(flat.contains("上期欠费：截至2026年4月30日"), "{flat}");
    let (total, carried): (i64, i64) = db
        .conn()
        .row("SELECT total_fen, balance_fen FROM notice_issues WHERE month = '2026-04'", &[], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("issued");
    assert_eq!((Fen(total), Fen(carried)), (april.total, Fen::yuan(100)));

    // April's notice paid in full: May's notice has no previous-balance line.
    pay(&mut db, kid, "2026-05-08", april.total);
    confirm(&mut db, "2026-05", "2026-06-15");
    let may = notice(&db, "2026-05");
    assert_eq!(may.balance, Fen::ZERO);
    let (path, _) = print(&mut db, "2026-05", NoticeScope::School, "pay-may-settled.pdf");
    let flat = squashed(&text_of(&path));
    assert!(!flat.contains("上期欠费") && !flat.contains("上期结余"), "{flat}");

    // Now: the three notices' own amounts (April's without its balance) less what was paid.
    let now = payments::balance(db.conn(), kid, None).expect("balance now");
    assert_eq!(now.notices, 3);
    assert_eq!(now.billed, t1 + p2 + may.total);
    assert_eq!(now.paid, t1 - Fen::yuan(100) + april.total);
    assert_eq!(now.balance, may.total);
    assert_eq!(now.through, None);
}

#[test]
fn an_overpayment_shows_shang_qi_jie_yu_and_can_make_the_notice_ying_tui() {
    let (mut db, kid, t1) = march_printed("pay-credit");
    pay(&mut db, kid, "2026-04-03", t1 + Fen::yuan(2000));
    confirm(&mut db, "2026-04", "2026-05-15");
    let april = notice(&db, "2026-04");
    assert_eq!(april.balance, Fen::yuan(-2000));
    assert!(april.total.is_negative(), "2,000.00 in credit is more than April's charges: {:?}", april.rows);
    let (path, _) = print(&mut db, "2026-04", NoticeScope::School, "pay-april-credit.pdf");
    let flat = squashed(&text_of(&path));
    assert!(flat.contains("阳光幼儿园退费通知单"), "{flat}");
    assert!(flat.contains("上期结余见说明") && flat.contains("-2,000.00"), "{flat}");
    assert!(flat.contains("多缴2,000.00元，本期抵扣"), "{flat}");
    let due = april.total.abs();
    assert!(flat.contains(&format!("合计（应退）{}", due.to_grouped_string())), "{flat}");
    assert!(
        flat.contains(&format!("本期应退金额：¥{}人民币（大写）：{}", due.to_grouped_string(), due.to_capital())),
        "{flat}"
    );
}

#[test]
fn a_payment_dated_in_the_settled_month_after_printing_makes_the_next_print_a_new_notice() {
    let (mut db, kid, t1) = march_printed("pay-correct");
    pay(&mut db, kid, "2026-04-05", t1 - Fen::yuan(100));
    confirm(&mut db, "2026-04", "2026-05-15");
    let (_, first) = print(&mut db, "2026-04", NoticeScope::School, "pay-april-first.pdf");

    // Paid in May: that pays April's notice, it does not change what it says.
    pay(&mut db, kid, "2026-05-06", Fen::yuan(50));
    let same = notice(&db, "2026-04");
    assert!(!same.changed_since_printed && same.issue.is_some(), "{same:?}");

    // The rest of March's notice, paid on 28 April but recorded after printing.
    pay(&mut db, kid, "2026-04-28", Fen::yuan(100));
    let changed = notice(&db, "2026-04");
    assert!(changed.changed_since_printed);
    assert_eq!(changed.replaces.as_deref(), Some(first.numbers.0.as_str()));
    assert_eq!(changed.balance, Fen::ZERO);
    let (path, again) = print(&mut db, "2026-04", NoticeScope::School, "pay-april-corrected.pdf");
    assert_eq!((again.corrected, again.reprints), (1, 0));
    assert_ne!(again.numbers.0, first.numbers.0);
    let flat = squashed(&text_of(&path));
    assert!(flat.contains(&format!("更正：本单替代编号{}", first.numbers.0)), "{flat}");
    assert!(!flat.contains("上期欠费"), "{flat}");
    let current: i64 = db
        .conn()
        .value("SELECT COUNT(*) FROM notice_issues WHERE month = '2026-04' AND replaced_by IS NULL", &[])
        .expect("current");
    assert_eq!(current, 1, "the old notice is replaced, not counted twice");
    let now = payments::balance(db.conn(), kid, None).expect("balance");
    assert_eq!(now.billed, t1 + changed.total);
    assert_eq!(now.balance, changed.total - Fen::yuan(50));
}

#[test]
fn refused_input_changes_nothing_and_says_why_in_chinese() {
    let (mut db, kid, _) = march_printed("pay-refused");
    let first = pay(&mut db, kid, "2026-04-05", Fen::yuan(100));
    payments::reverse(&mut db, &ReverseInput { id: first.id, reason: "录错".into() }).expect("reverse");
    let before = (count(&db, "payments"), count(&db, "audit_log"));
    let tomorrow = (houqin::dates::today() + chrono::Duration::days(1)).to_string();
    let cases: Vec<(PaymentInput, &str)> = vec![
        (payment_input(kid, "2026-04-05", "0", PaymentKind::Payment), "金额不能为 0"),
        (payment_input(kid, "2026-04-05", "-5", PaymentKind::Payment), "不能是负数"),
        (payment_input(kid, "2026-04-05", "一百", PaymentKind::Payment), "“一百”不是有效的金额"),
        (payment_input(kid, "2026-04-05", "1.005", PaymentKind::Payment), "最多只能有两位小数"),
        (payment_input(kid, &tomorrow, "100", PaymentKind::Payment), "晚于今天"),
        (payment_input(ChildId(999), "2026-04-05", "100", PaymentKind::Payment), "找不到幼儿:999"),
        (payment_input(kid, "2026-04-05", "100", PaymentKind::Reversal), "冲销请在收款记录中选择"),
    ];
    for (bad, expected) in cases {
        let err = payments::add(&mut db, &bad).expect_err(expected).to_string();
        assert!(err.contains(expected), "{expected}: {err}");
    }
    let reversal_id = PaymentId(first.id.0 + 1);
    for (id, reason, expected) in [
        (first.id, "再冲一次", "已经被第 2 号冲销过,不能重复冲销"),
        (reversal_id, "冲销冲销", "第 2 号是冲销记录,不能再冲销"),
        (PaymentId(77), "无", "找不到收款记录:77"),
    ] {
        let err =
            payments::reverse(&mut db, &ReverseInput { id, reason: reason.into() }).expect_err(expected).to_string();
        assert!(err.contains(expected), "{expected}: {err}");
    }
    let other = pay(&mut db, kid, "2026-04-06", Fen::yuan(1));
    let before = (before.0 + 1, before.1 + 1);
    let err = payments::reverse(&mut db, &ReverseInput { id: other.id, reason: "  ".into() }).expect_err("no reason");
    assert_eq!(err.to_string(), "请填写冲销原因");
    assert_eq!((count(&db, "payments"), count(&db, "audit_log")), before, "nothing written by a refusal");
}

#[test]
fn payments_and_reversals_are_audited_and_listed_by_child_and_month() {
    let (mut db, kid, _) = march_printed("pay-audit");
    let refund = payments::add(
        &mut db,
        &PaymentInput {
            note: "多收退回".into(), ..payment_input(kid, "2026-04-09", "¥1,234.50", PaymentKind::Refund)
        },
    )
    .expect("refund");
    assert_eq!((refund.amount, refund.kind, refund.note.as_str()), (Fen(-123_450), PaymentKind::Refund, "多收退回"));
    let paid = pay(&mut db, kid, "2026-05-02", Fen::yuan(300));
    payments::reverse(&mut db, &ReverseInput { id: paid.id, reason: "金额录错".into() }).expect("reverse");

    let audit = houqin::db::audit::recent(db.conn(), Some("payment"), 10).expect("audit");
    let actions: Vec<(&str, &str)> = audit.iter().map(|a| (a.action.as_str(), a.entity_id.as_str())).collect();
    assert_eq!(actions, [("reverse", "2"), ("create", "2"), ("create", "1")]);
    assert_eq!(audit[0].operator, "李会计");
    assert_eq!(audit[0].after.as_ref().expect("after")["amount_fen"], -30_000);
    assert_eq!(audit[0].after.as_ref().expect("after")["note"], "金额录错");
    assert_eq!(audit[2].after.as_ref().expect("after")["amount_fen"], -123_450);

    let all = payments::list(db.conn(), &PaymentFilter { child_id: Some(kid), month: None }).expect("list");
    assert_eq!(all.len(), 3);
    assert_eq!(all[1].reversed_by, Some(all[2].id));
    assert_eq!(all[2].reverses, Some(all[1].id));
    let may = payments::list(db.conn(), &PaymentFilter { child_id: None, month: Some(m("2026-05")) }).expect("list");
    assert_eq!(may.iter().map(|p| p.amount).collect::<Vec<_>>(), [Fen::yuan(300), Fen::yuan(-300)]);
    let now = payments::balance(db.conn(), kid, None).expect("balance");
    assert_eq!(now.paid, Fen(-123_450), "the reversed payment nets out; the refund was paid out");
}
