//! Receipts (收据) for money received (收款).
//!
//! Numbering: a receipt book's numbers run without a gap and are never used
//! twice, so the number is taken in the same transaction that records the
//! payment (`allocate`), not when it is first printed: the book then follows
//! the order the money was taken, as a paper book does, every payment in the
//! list and in the audit trail has its number from the start (the bursar can
//! name it to a parent before printing), and a batch printed later cannot
//! reorder the book. The book runs per calendar year of the payment's date (the date on
//! the paper): `2026-000123`. A payment is never deleted; one cancelled by a
//! 冲销 keeps its number and its receipt prints 作废, as a spoilt slip stays in
//! the book. Refunds (退款) and reversals get none.
//!
//! Printing records every print ([`print()`], [`print_month`]) in the
//! transaction that writes the file: the first print is kept (when, by whom),
//! every later one prints 补打 with its count. A receipt never printed is a
//! 体检 finding (`receipts.not_printed`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Serialize, Serializer};

use super::{PayMethod, Payment, PaymentId, PaymentKind};
use crate::dates::YearMonth;
use crate::db::{Db, Tx};
use crate::notices::NoticeRow;
use crate::school::{children, profile};
use crate::store::{self, Conn};
use crate::{Error, Fen, Result};

/// A receipt's number: the year of the book and the slip in it (`2026-000123`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct ReceiptNo {
    pub year: i32,
    pub seq: i64,
}

impl fmt::Display for ReceiptNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:06}", self.year, self.seq)
    }
}

impl Serialize for ReceiptNo {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for ReceiptNo {
    type Err = Error;
    fn from_str(text: &str) -> Result<ReceiptNo> {
        let bad = || Error::invalid(format!("收据编号“{}”不对,应为 年份-序号,如 2026-000123", text.trim()));
        let (year, seq) = text.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let seq: i64 = seq.parse().map_err(|_| bad())?;
        if !(1000..=9999).contains(&year) || seq < 1 {
            return Err(bad());
        }
        Ok(ReceiptNo { year, seq })
    }
}

/// A receipt as stored: its number and its prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptState {
    pub payment_id: PaymentId,
    pub number: ReceiptNo,
    /// 0: never printed.
    pub print_count: u32,
    pub first_printed_at: Option<NaiveDateTime>,
    pub first_printed_by: Option<String>,
}

/// Gives a new 收款 the next number of its year's book (inside the
/// transaction that records it). Other kinds get none.
pub(crate) fn allocate(tx: &Tx, payment: &Payment) -> Result<Option<ReceiptNo>> {
    if payment.kind != PaymentKind::Payment {
        return Ok(None);
    }
    let year = payment.paid_on.year();
    let number = ReceiptNo { year, seq: store::fees::receipts::next_seq(tx, year)? };
    store::fees::receipts::insert(tx, payment.id, number)?;
    Ok(Some(number))
}

/// Which receipt: a payment's 编号 (`42`) or a receipt number (`2026-000123`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptRef {
    Payment(PaymentId),
    Number(ReceiptNo),
}

impl FromStr for ReceiptRef {
    type Err = Error;
    fn from_str(text: &str) -> Result<ReceiptRef> {
        let t = text.trim();
        if t.contains('-') {
            return t.parse().map(ReceiptRef::Number);
        }
        t.parse::<i64>()
            .map(|id| ReceiptRef::Payment(PaymentId(id)))
            .map_err(|_| Error::invalid(format!("“{t}”既不是收款记录编号(如 42),也不是收据编号(如 2026-000123)")))
    }
}

/// What one receipt says, as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub number: ReceiptNo,
    pub payment_id: PaymentId,
    /// 日期: the day the money was received.
    pub paid_on: NaiveDate,
    /// 交款人: the child's guardian as registered (else 家长).
    pub payer: String,
    pub child: String,
    pub student_no: String,
    /// 班级 on the day of the payment.
    pub class: String,
    /// 收款事由: the fees of the notice the family had in hand, and the note.
    pub reason: String,
    pub amount: Fen,
    pub method: PayMethod,
    /// 收款人: who recorded the payment.
    pub received_by: String,
    /// For a payment cancelled by a 冲销: the reversal's number and reason (作废).
    pub voided: Option<String>,
    /// How many times printed, this print included (> 1: 补打).
    pub print_count: u32,
}

/// The receipt of `which`, as it would print next (nothing recorded).
pub fn get(conn: &Conn, which: ReceiptRef) -> Result<Receipt> {
    let state = state_of(conn, which)?;
    build(conn, &state, state.print_count + 1)
}

fn state_of(conn: &Conn, which: ReceiptRef) -> Result<ReceiptState> {
    match which {
        ReceiptRef::Number(n) => store::fees::receipts::by_number(conn, n)?.ok_or_else(|| Error::not_found("收据", n)),
        ReceiptRef::Payment(id) => {
            let p = super::record::get(conn, id)?;
            store::fees::receipts::of_payment(conn, id)?
                .ok_or_else(|| Error::invalid(format!("第 {id} 号是{}记录,只有收款才开收据", p.kind.label())))
        }
    }
}

fn build(conn: &Conn, state: &ReceiptState, print_count: u32) -> Result<Receipt> {
    let p = super::record::get(conn, state.payment_id)?;
    let child = children::get(conn, p.child_id, Some(p.paid_on))?;
    let payer = if child.guardian_name.trim().is_empty() {
        format!("{}家长", child.name)
    } else {
        child.guardian_name.trim().to_string()
    };
    let voided = match p.reversed_by {
        Some(by) => Some(format!("已被第 {by} 号冲销:{}", super::record::get(conn, by)?.note)),
        None => None,
    };
    Ok(Receipt {
        number: state.number,
        payment_id: p.id,
        paid_on: p.paid_on,
        payer,
        child: p.child.clone(),
        student_no: p.student_no.clone(),
        class: child.class_name,
        reason: reason(conn, &p)?,
        amount: p.amount,
        method: p.method,
        received_by: p.recorded_by.clone(),
        voided,
        print_count,
    })
}

/// 收款事由: `2026年11月保教费、伙食费(通知单 202610-0003)`, from the newest
/// notice handed out by the end of the day of the payment, then the note.
fn reason(conn: &Conn, p: &Payment) -> Result<String> {
    let end_of_day = p.paid_on.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
    let mut parts = Vec::new();
    if let Some((month, number, rows_json)) = store::fees::notices::latest_issued_up_to(conn, p.child_id, end_of_day)? {
        // A table that no longer reads still names its notice.
        let rows: Vec<NoticeRow> = serde_json::from_str(&rows_json).unwrap_or_default();
        let mut fees: Vec<&str> = Vec::new();
        for r in rows.iter().filter(|r| r.amount.as_i64() > 0) {
            let name = r.item.split(['(', '(']).next().unwrap_or_default().trim();
            if !name.is_empty() && !name.starts_with("上期") && !fees.contains(&name) {
                fees.push(name);
            }
        }
        let billing: YearMonth = month.next();
        // A notice with nothing charged (only refunds) still names its month.
        let fees = if fees.is_empty() { "费用".to_string() } else { fees.join("、") };
        parts.push(format!("{}{fees}(通知单 {number})", billing.label()));
    }
    if !p.note.trim().is_empty() {
        parts.push(p.note.trim().to_string());
    }
    Ok(if parts.is_empty() { "缴费".to_string() } else { parts.join(";") })
}

/// What a print wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReceiptPrint {
    pub path: PathBuf,
    /// The receipts in the file, in the book's order.
    pub numbers: Vec<ReceiptNo>,
    pub first_prints: usize,
    /// Printed before (marked 补打).
    pub reprints: usize,
    /// Cancelled by a 冲销 (marked 作废).
    pub voided: usize,
    /// Σ of the receipts not voided.
    pub total: Fen,
    pub bytes: usize,
}

/// Prints the receipt of `which` to `path` and records the print, in one
/// transaction: if the file cannot be written nothing is recorded.
pub fn print(db: &mut Db, which: ReceiptRef, path: &Path) -> Result<ReceiptPrint> {
    crate::output_file::check_target(path)?;
    db.write(crate::auth::Job::Fees, |tx| {
        let state = state_of(tx, which)?;
        print_in_tx(tx, &[state], path)
    })
}

/// Prints every receipt of the payments dated in `month` (one per page, in
/// the book's order) to `path` and records the prints.
pub fn print_month(db: &mut Db, month: YearMonth, path: &Path) -> Result<ReceiptPrint> {
    crate::output_file::check_target(path)?;
    db.write(crate::auth::Job::Fees, |tx| {
        let states = store::fees::receipts::dated(tx, month.first_day(), month.last_day())?;
        if states.is_empty() {
            return Err(Error::invalid(format!("{} 没有收款记录,没有收据可打印", month.label())));
        }
        print_in_tx(tx, &states, path)
    })
}

fn print_in_tx(tx: &Tx, states: &[ReceiptState], path: &Path) -> Result<ReceiptPrint> {
    let school = profile::get(tx)?.map(|p| p.name).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "幼儿园".into());
    let at = crate::db::now();
    let mut receipts = Vec::with_capacity(states.len());
    for s in states {
        store::fees::receipts::printed(tx, s.payment_id, at)?;
        receipts.push(build(tx, s, s.print_count + 1)?);
    }
    let bytes = super::receipt_pdf::render(&school, &receipts)?;
    crate::output_file::write_bytes_atomic(path, &bytes)?;
    let live: Vec<&Receipt> = receipts.iter().filter(|r| r.voided.is_none()).collect();
    Ok(ReceiptPrint {
        path: path.to_path_buf(),
        numbers: receipts.iter().map(|r| r.number).collect(),
        first_prints: receipts.iter().filter(|r| r.print_count == 1).count(),
        reprints: receipts.iter().filter(|r| r.print_count > 1).count(),
        voided: receipts.len() - live.len(),
        total: crate::money::try_sum(live.iter().map(|r| r.amount))?,
        bytes: bytes.len(),
    })
}

/// Records a print of the receipt of `payment` at `at` without writing a file
/// (the demo's receipts were handed out on paper long ago).
pub(crate) fn record_printed(tx: &Tx, payment: PaymentId, at: NaiveDateTime) -> Result<()> {
    store::fees::receipts::printed(tx, payment, at)
}

/// Receipts never printed of payments dated `from`..=`to` and not cancelled.
pub fn unprinted(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<ReceiptState>> {
    store::fees::receipts::unprinted(conn, from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_and_print_as_year_and_six_digits() {
        let n: ReceiptNo = "2026-000123".parse().expect("number");
        assert_eq!(n, ReceiptNo { year: 2026, seq: 123 });
        assert_eq!(n.to_string(), "2026-000123");
        assert_eq!(ReceiptNo { year: 2027, seq: 1_234_567 }.to_string(), "2027-1234567");
        for bad in ["2026", "2026-0", "26-1", "x-1", "2026-abc"] {
            assert!(bad.parse::<ReceiptNo>().is_err(), "{bad}");
        }
        assert_eq!(" 42 ".parse::<ReceiptRef>().expect("id"), ReceiptRef::Payment(PaymentId(42)));
        assert_eq!(
            "2026-000007".parse::<ReceiptRef>().expect("no"),
            ReceiptRef::Number(ReceiptNo { year: 2026, seq: 7 })
        );
        assert!("四十二".parse::<ReceiptRef>().is_err());
    }
}
