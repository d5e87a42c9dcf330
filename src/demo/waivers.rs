//! The demo's subsidised children (减免、资助): a few waivers over the term,
//! granted before the past months are settled, so the closed months, their
//! notices, the refund statement and the 资助名册 all show them.

use crate::dates::YearMonth;
use crate::db::Tx;
use crate::school::ChildId;
use crate::waivers::{add_in_tx, kinds, WaiverInput};
use crate::Result;

/// Grants the demo's waivers to `children` (at least three wanted; fewer
/// get fewer) for `from..=to`; how many were granted.
pub fn fill(tx: &Tx, children: &[ChildId], from: YearMonth, to: YearMonth) -> Result<usize> {
    let kinds = kinds::get(tx)?;
    let kind = |i: usize| kinds.get(i).or(kinds.first()).map(|k| k.name.clone()).unwrap_or_default();
    // (child, fee, kind, percent, fixed 元, 文号): a half 保教费 subsidy, an
    // orphan's whole 保教费, and a government meal subsidy of 120 元 a month.
    let grants = [
        (0, "care", kind(0), None, None, "西教助〔2026〕12号"),
        (1, "care", kind(1), Some(100), None, "西民〔2026〕7号"),
        (2, "meal", kind(0), None, Some("120.00"), "西教助〔2026〕12号"),
    ];
    let mut n = 0;
    for (i, fee, kind, percent, amount, doc) in grants {
        let Some(child) = children.get(i) else { continue };
        add_in_tx(
            tx,
            &WaiverInput {
                child_id: *child,
                fee: fee.into(),
                kind,
                percent,
                amount: amount.map(Into::into),
                from,
                to,
                approved_by: "王园长".into(),
                doc_no: doc.into(),
            },
        )?;
        n += 1;
    }
    Ok(n)
}
