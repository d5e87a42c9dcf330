//! A family's balance: Σ of the period amounts of the child's current (not
//! replaced) issued notices − Σ of the child's payments net of refunds and
//! reversals. > 0: the family still owes (上期欠费); < 0: credit (上期结余).
//!
//! A notice's period amount is what it billed for its own period (charges −
//! refunds ± corrections): its total without the previous balance it carried
//! (`total_fen - balance_fen`), so a balance is never counted twice.

use std::collections::HashMap;

use crate::store::Conn;
use chrono::NaiveDate;
use serde::Serialize;

use crate::dates::YearMonth;
use crate::school::{children, ChildId};
use crate::{Fen, Result};

/// What a family owes (or has in credit), and how it adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    let mut stmt = conn.prepare_cached(
        "SELECT child_id, SUM(total_fen - balance_fen), COUNT(*) FROM notice_issues
         WHERE replaced_by IS NULL AND (?1 IS NULL OR child_id = ?1) AND (?2 IS NULL OR month < ?2)
         GROUP BY child_id",
    )?;
    let billed = stmt.query_map(rusqlite::params![child, before.map(|m| m.to_string())], |r| {
        Ok((r.get::<_, ChildId>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
    })?;
    for row in billed {
        let (id, fen, count) = row?;
        let b = out.entry(id).or_insert_with(|| empty(id, before));
        b.billed = Fen(fen);
        b.notices = usize::try_from(count).unwrap_or(0);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT child_id, SUM(amount_fen) FROM payments
         WHERE (?1 IS NULL OR child_id = ?1) AND (?2 IS NULL OR paid_on <= ?2)
         GROUP BY child_id",
    )?;
    let paid = stmt.query_map(rusqlite::params![child, before.map(YearMonth::last_day)], |r| {
        Ok((r.get::<_, ChildId>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in paid {
        let (id, fen) = row?;
        out.entry(id).or_insert_with(|| empty(id, before)).paid = Fen(fen);
    }
    // SQLite's SUM refuses an overflow rather than wrapping; amounts are
    // bounded on entry, but a file may hold one from before the bound.
    for b in out.values_mut() {
        b.balance = b.billed.checked_sub(b.paid)?;
    }
    Ok(out)
}
