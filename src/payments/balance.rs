//! A family's balance: Σ of the period amounts of the child's current (not
//! replaced) issued notices − Σ of the child's payments net of refunds and
//! reversals. > 0: the family still owes (上期欠费); < 0: credit (上期结余).
//!
//! A notice's period amount is what it billed for its own period (charges −
//! refunds ± corrections): its total without the previous balance it carried
//! (`total_fen - balance_fen`), so a balance is never counted twice.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::dates::YearMonth;
use crate::school::{children, ChildId};
use crate::store::{self, Conn};
use crate::{Fen, Result};

/// What a family owes (or has in credit), and how it adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Balance {
    pub child_id: ChildId,
    /// Σ of the period amounts of the notices counted.
    pub billed: Fen,
    /// How many notices were counted.
    pub notices: usize,
    /// Σ of the payments counted (收款 − 退款, net of 冲销).
    pub paid: Fen,
    /// `billed - paid`: > 0 上期欠费, < 0 上期结余.
    pub balance: Fen,
    /// Payments dated up to this day were counted (`None`: all of them).
    pub through: Option<NaiveDate>,
}

impl Balance {
    /// 上期欠费 / 上期结余, or `None` for a zero balance.
    pub fn label(&self) -> Option<&'static str> {
        match self.balance.as_i64() {
            0 => None,
            b if b > 0 => Some("上期欠费"),
            _ => Some("上期结余"),
        }
    }
}

/// The balance before the notice of settled month `before` (notices of
/// earlier months; payments dated up to its last day), or, with `None`, the
/// balance now (every notice issued and every payment recorded).
pub fn balance(conn: &Conn, child: ChildId, before: Option<YearMonth>) -> Result<Balance> {
    children::get(conn, child, None)?;
    let mut all = sums(conn, Some(child), before)?;
    Ok(all.remove(&child).unwrap_or_else(|| empty(child, before)))
}

/// The balance before the notices of settled month `month`, for every child
/// with a notice or a payment counted (a child not in the map has none).
pub fn balances_before(conn: &Conn, month: YearMonth) -> Result<HashMap<ChildId, Balance>> {
    sums(conn, None, Some(month))
}

fn empty(child_id: ChildId, before: Option<YearMonth>) -> Balance {
    Balance {
        child_id,
        billed: Fen::ZERO,
        notices: 0,
        paid: Fen::ZERO,
        balance: Fen::ZERO,
        through: before.map(YearMonth::last_day),
    }
}

fn sums(conn: &Conn, child: Option<ChildId>, before: Option<YearMonth>) -> Result<HashMap<ChildId, Balance>> {
    let mut out: HashMap<ChildId, Balance> = HashMap::new();
    // Summed here with checked arithmetic: amounts are bounded on entry, but a
    // file may hold one from before the bound, and no sum may wrap.
    for (id, fen) in store::fees::notices::period_amounts(conn, child, before)? {
        let b = out.entry(id).or_insert_with(|| empty(id, before));
        b.billed = b.billed.checked_add(fen)?;
        b.notices += 1;
    }
    for (id, fen) in store::fees::payments::amounts(conn, child, before.map(YearMonth::last_day))? {
        let b = out.entry(id).or_insert_with(|| empty(id, before));
        b.paid = b.paid.checked_add(fen)?;
    }
    for b in out.values_mut() {
        b.balance = b.billed.checked_sub(b.paid)?;
    }
    Ok(out)
}
