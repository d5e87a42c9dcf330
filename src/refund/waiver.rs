//! Waivers and subsidies (减免、资助) on a settled month: a pure step after the
//! engine's charges and refunds. Each waiver in force takes its share of what
//! the family still owes for the item (charged − refund − the waivers before
//! it), never more: a bill never goes below zero. Every amount is explained by
//! one line of the item, beside the refund lines.

use serde::{Deserialize, Serialize};

use crate::money::{mul_div, Fen};
use crate::Result;

use super::engine::{LineKind, SettlementLine, SettlementResult};
use super::explain;

/// How much a waiver takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WaiverShare {
    /// A whole percent (1–100) of what is owed for the item that month.
    Percent(u32),
    /// A fixed amount per month, at most what is owed.
    Amount(Fen),
}

impl WaiverShare {
    /// `50%` or `200.00 元/月`.
    pub fn label(self) -> String {
        match self {
            WaiverShare::Percent(p) => format!("{p}%"),
            WaiverShare::Amount(a) => format!("{} 元/月", a.to_yuan_string()),
        }
    }
}

/// A waiver in force in the month being settled, as the step needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverInForce {
    /// The child's id, as in [`super::EnrolledChild::id`].
    pub child: String,
    pub fee_id: String,
    /// 学前教育资助, 孤儿/残疾儿童 …
    pub kind: String,
    /// 文号 (may be empty).
    pub doc_no: String,
    pub share: WaiverShare,
}

/// Applies `waivers` (in the order given) to `result`: per item, a
/// [`LineKind::Waiver`] line and the `waiver` amounts, with the child, class,
/// item and school totals. Checked arithmetic; a waiver of a child or item not
/// in the result is ignored (the child was not enrolled that month).
pub fn apply_waivers(result: &mut SettlementResult, waivers: &[WaiverInForce]) -> Result<()> {
    if waivers.is_empty() {
        return Ok(());
    }
    for child in &mut result.children {
        for fee in &mut child.fees {
            for w in waivers.iter().filter(|w| w.child == child.child_id && w.fee_id == fee.fee_id) {
                if fee.charged == Fen::ZERO {
                    continue;
                }
                let owed = fee.charged.checked_sub(fee.refund)?.checked_sub(fee.waiver)?.max(Fen::ZERO);
                let (amount, how) = match w.share {
                    WaiverShare::Percent(p) => {
                        let a = mul_div(owed, i64::from(p), 100).min(owed);
                        (a, explain::percent_of(owed, p, a))
                    }
                    WaiverShare::Amount(a) if a <= owed => (a, format!("每月 {}", explain::yuan(a))),
                    WaiverShare::Amount(a) => {
                        (owed, format!("每月 {},本月应缴只有 {},减免以此为限", explain::yuan(a), explain::yuan(owed)))
                    }
                };
                let doc = if w.doc_no.is_empty() { String::new() } else { format!(",文号 {}", w.doc_no) };
                let text = if amount == Fen::ZERO {
                    format!("{}减免 {}({}{doc}):本月已无应缴金额,不再减免", fee.fee_name, w.share.label(), w.kind)
                } else {
                    format!(
                        "{}减免 {}({}{doc}):{how},减免 −{}",
                        fee.fee_name,
                        w.share.label(),
                        w.kind,
                        explain::yuan(amount)
                    )
                };
                fee.waiver = fee.waiver.checked_add(amount)?;
                fee.lines.push(SettlementLine {
                    kind: LineKind::Waiver,
                    from: None,
                    to: None,
                    days: 0,
                    amount,
                    text,
                    unrefunded: None,
                });
            }
        }
        child.waiver = crate::money::try_sum(child.fees.iter().map(|f| f.waiver))?;
    }
    for class in &mut result.classes {
        class.waiver =
            crate::money::try_sum(result.children.iter().filter(|c| c.class == class.class).map(|c| c.waiver))?;
    }
    for total in &mut result.fees {
        total.waiver = crate::money::try_sum(
            result.children.iter().flat_map(|c| &c.fees).filter(|f| f.fee_id == total.fee_id).map(|f| f.waiver),
        )?;
    }
    result.waiver = crate::money::try_sum(result.children.iter().map(|c| c.waiver))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refund::{ChildSettlement, FeeSettlement};

    fn result(charged: i64, refund: i64) -> SettlementResult {
        let fee = FeeSettlement {
            fee_id: "care".into(),
            fee_name: "保教费".into(),
            charged: Fen(charged),
            refund: Fen(refund),
            waiver: Fen::ZERO,
            lines: Vec::new(),
        };
        SettlementResult {
            month: "2026-10".parse().expect("month"),
            legal_working_days: 0,
            school_days: 0,
            charged_closure_days: 0,
            schedule_known: true,
            children: vec![ChildSettlement {
                child_id: "1".into(),
                name: "小明".into(),
                class: "大一班".into(),
                enrolled_school_days: 0,
                absent_school_days: 0,
                closure_days: 0,
                attended_days: 0,
                whole_month: true,
                fees: vec![fee],
                charged: Fen(charged),
                refund: Fen(refund),
                waiver: Fen::ZERO,
            }],
            classes: Vec::new(),
            fees: Vec::new(),
            charged: Fen(charged),
            refund: Fen(refund),
            waiver: Fen::ZERO,
        }
    }

    fn waiver(share: WaiverShare) -> WaiverInForce {
        WaiverInForce {
            child: "1".into(),
            fee_id: "care".into(),
            kind: "学前教育资助".into(),
            doc_no: "教助〔2026〕3号".into(),
            share,
        }
    }

    #[test]
    fn half_of_what_is_owed_after_refunds() {
        let mut r = result(80000, 20000);
        apply_waivers(&mut r, &[waiver(WaiverShare::Percent(50))]).expect("apply");
        assert_eq!(r.children[0].fees[0].waiver, Fen(30000));
        assert_eq!(r.waiver, Fen(30000));
        assert_eq!(
            r.children[0].fees[0].lines[0].text,
            "保教费减免 50%(学前教育资助,文号 教助〔2026〕3号):600.00 元 × 50% = 300.00 元,减免 −300.00 元"
        );
    }

    #[test]
    fn a_fixed_amount_never_takes_the_bill_below_zero() {
        let mut r = result(80000, 70000);
        apply_waivers(&mut r, &[waiver(WaiverShare::Amount(Fen(20000))), waiver(WaiverShare::Percent(100))])
            .expect("apply");
        let f = &r.children[0].fees[0];
        assert_eq!(f.waiver, Fen(10000));
        assert!(f.lines[0].text.contains("减免以此为限"), "{}", f.lines[0].text);
        assert_eq!(f.lines[1].amount, Fen::ZERO);
        assert!(f.lines[1].text.contains("不再减免"), "{}", f.lines[1].text);
    }
}
