//! The demo school's notices and payments: the notices of every closed month
//! but the newest were printed and handed out (recorded through the same core
//! function printing uses, without writing a PDF), and the families paid them —
//! most in full a few days after the notice, by WeChat, Alipay, bank or cash;
//! a 应退 notice was refunded. On the newest of those notices two families paid
//! only part and one paid more, so the notices of the newest closed month (the
//! first the user prints) show 上期欠费 twice and 上期结余 once. Every
//! payment's receipt (收据) was printed the day it was paid, so 体检 finds none
//! missing.

use chrono::{Duration, NaiveDate, NaiveTime};

use super::names::DemoRng;
use crate::dates::YearMonth;
use crate::db::Tx;
use crate::notices::{issue, NoticeScope};
use crate::payments::{self, PayMethod, PaymentInput, PaymentKind};
use crate::school::ChildId;
use crate::{Fen, Result};

/// Who pays what on the newest issued notices (by position in the notice list).
const PART_PAYERS: [usize; 2] = [4, 20];
const OVERPAYER: usize = 11;

/// Issues the notices of `closed` months (oldest first) except the newest,
/// and records the families' payments. Returns (notices, payments) recorded.
pub fn fill(tx: &Tx, today: NaiveDate, closed: &[YearMonth]) -> Result<(usize, usize)> {
    let mut rng = DemoRng::new(0x5041_5953); // "PAYS"
    let issued = match closed.split_last() {
        Some((_, earlier)) => earlier,
        None => return Ok((0, 0)),
    };
    let (mut notices, mut paid) = (0, 0);
    for (i, month) in issued.iter().enumerate() {
        let billing = month.next();
        // Handed out on the third day of the month it bills, in the morning.
        let issued_on = billing.first_day() + Duration::days(2);
        let at = issued_on.and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default());
        notices += issue::record_issued(tx, *month, NoticeScope::School, at)?;
        let newest = i + 1 == issued.len();
        for (k, (child, total)) in totals(tx, *month)?.into_iter().enumerate() {
            let amount = if !newest {
                total
            } else if PART_PAYERS.contains(&k) && total > Fen::yuan(300) {
                total - Fen::yuan(300)
            } else if k == OVERPAYER && total > Fen::ZERO {
                // A round sum, more than was due.
                Fen::yuan(total.as_i64() / 10_000 * 100 + 200)
            } else {
                total
            };
            if amount == Fen::ZERO {
                continue;
            }
            let day = (issued_on + Duration::days(1 + rng.below(6) as i64))
                .min(billing.last_day())
                .min(today - Duration::days(1));
            let method =
                *rng.pick(&[PayMethod::Wechat, PayMethod::Wechat, PayMethod::Alipay, PayMethod::Bank, PayMethod::Cash]);
            let (kind, method, note) = if amount.is_negative() {
                (PaymentKind::Refund, PayMethod::Bank, "按原缴费方式退还".to_string())
            } else {
                (PaymentKind::Payment, method, String::new())
            };
            let saved = payments::add_in_tx(
                tx,
                &PaymentInput {
                    child_id: child,
                    kind,
                    paid_on: day,
                    amount: amount.abs().to_yuan_string(),
                    method,
                    note,
                },
                today,
            )?;
            if saved.receipt.is_some() {
                // The receipt was written out at the desk when the family paid.
                let at = day.and_time(NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default());
                payments::receipt::record_printed(tx, saved.id, at)?;
            }
            paid += 1;
        }
    }
    Ok((notices, paid))
}

/// (child, total due) of the current notices of `month`, by child.
fn totals(tx: &Tx, month: YearMonth) -> Result<Vec<(ChildId, Fen)>> {
    crate::store::fees::notices::totals(tx, month)
}

#[cfg(test)]
mod tests {
    use crate::db::Db;
    use crate::notices::{self, NoticeScope};
    use crate::payments;

    #[test]
    fn the_newest_closed_months_notices_show_two_debts_and_one_credit() {
        let mut db = Db::open_scratch().expect("db");
        // September and October closed, November left to settle: September's
        // notices were handed out and paid; October's are the first to print.
        let today = "2026-12-15".parse().expect("date");
        let s = super::super::load(&mut db, today).expect("demo");
        assert_eq!(s.settled_months, 2);
        assert!(s.notices_issued > 80 && s.payments >= s.notices_issued - 5, "{s:?}");
        let batch =
            notices::prepare(db.conn(), "2026-10".parse().expect("month"), NoticeScope::School).expect("prepare");
        assert!(batch.notices.iter().all(|n| n.issue.is_none()), "October's notices are not printed yet");
        let owed: Vec<_> = batch.notices.iter().filter(|n| n.balance.as_i64() > 0).collect();
        let credit: Vec<_> = batch.notices.iter().filter(|n| n.balance.is_negative()).collect();
        assert_eq!(
            (owed.len(), credit.len()),
            (2, 1),
            "{:?}",
            batch.notices.iter().map(|n| n.balance).collect::<Vec<_>>()
        );
        assert!(owed.iter().all(|n| n.balance == crate::Fen::yuan(300)));
        assert!(owed.iter().all(|n| n.rows.last().is_some_and(|r| r.item == "上期欠费")));
        assert_eq!(credit[0].rows.last().map(|r| r.item.as_str()), Some("上期结余"));
        // Every payment is dated in the month its notice billed (September's notices billed October).
        let paid_in_october = payments::list(
            db.conn(),
            &payments::PaymentFilter { child_id: None, month: Some("2026-10".parse().expect("m")) },
        )
        .expect("list");
        assert_eq!(paid_in_october.len(), s.payments);
    }
}
