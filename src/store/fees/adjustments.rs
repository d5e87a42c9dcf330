//! `adjustments`: the corrections (补退/补收) to closed months that a
//! settlement carries, written with it when it is confirmed.

use std::collections::HashMap;

use super::super::{Conn, Tx};
use crate::dates::YearMonth;
use crate::school::ChildId;
use crate::{args, Fen, Result};

/// One stored adjustment, with the child's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub origin_month: YearMonth,
    pub child_id: ChildId,
    pub child_name: String,
    pub fee_id: String,
    pub fee_name: String,
    pub amount: Fen,
    /// The part of `amount` due to waivers (减免) changed since.
    pub waiver: Fen,
    pub explanation: String,
}

/// The adjustments settlement `id` carries, as entered.
pub fn of_settlement(conn: &Conn, id: i64) -> Result<Vec<Stored>> {
    conn.rows(
        "SELECT a.origin_month, a.child_id, ch.name, a.fee_id, a.fee_name, a.amount_fen, a.explanation, a.waiver_fen
         FROM adjustments a JOIN children ch ON ch.id = a.child_id WHERE a.settlement_id = ?1 ORDER BY a.id",
        &args![id],
        |r| {
            Ok(Stored {
                origin_month: r.get(0)?,
                child_id: r.get(1)?,
                child_name: r.get(2)?,
                fee_id: r.get(3)?,
                fee_name: r.get(4)?,
                amount: r.get(5)?,
                waiver: r.get(7)?,
                explanation: r.get(6)?,
            })
        },
    )
}

/// What a new adjustment holds.
pub struct NewAdjustment<'a> {
    pub origin_month: YearMonth,
    pub child_id: ChildId,
    pub fee_id: &'a str,
    pub fee_name: &'a str,
    pub amount: Fen,
    /// The part of `amount` due to waivers.
    pub waiver: Fen,
    pub explanation: &'a str,
}

/// The adjustments carried by settlement `id`, in order.
pub fn insert_all(tx: &Tx, id: i64, all: &[NewAdjustment]) -> Result<()> {
    let mut values = Vec::with_capacity(all.len() * 8);
    for a in all {
        values.extend(args![id, a.origin_month, a.child_id, a.fee_id, a.fee_name, a.amount, a.explanation, a.waiver]);
    }
    super::insert_rows(
        tx,
        "INSERT INTO adjustments (settlement_id, origin_month, child_id, fee_id, fee_name, amount_fen, explanation,
           waiver_fen) VALUES",
        8,
        &values,
    )
}

/// (origin month, child, fee item id): what [`carried`] sums by.
pub type CarriedKey = (YearMonth, ChildId, String);

/// The adjustments already carried by closed settlements for the months
/// `from..=to`, summed per (origin month, child, fee item) with checked
/// arithmetic: (amount, of which due to waivers).
pub fn carried(conn: &Conn, from: YearMonth, to: YearMonth) -> Result<HashMap<CarriedKey, (Fen, Fen)>> {
    let mut out: HashMap<_, (Fen, Fen)> = HashMap::new();
    conn.each(
        "SELECT a.origin_month, a.child_id, a.fee_id, a.amount_fen, a.waiver_fen FROM adjustments a
         JOIN settlements s ON s.id = a.settlement_id
         WHERE a.origin_month >= ?1 AND a.origin_month <= ?2 AND s.status = 'closed'",
        &args![from, to],
        |r| {
            let sum = out.entry((r.get(0)?, r.get(1)?, r.get(2)?)).or_insert((Fen::ZERO, Fen::ZERO));
            *sum = (sum.0.checked_add(r.get(3)?)?, sum.1.checked_add(r.get(4)?)?);
            Ok(())
        },
    )?;
    Ok(out)
}
