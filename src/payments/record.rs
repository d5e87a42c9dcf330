//! Recording payments and refunds, reversing them, and listing them. Every
//! write is one transaction with its audit row; a refused input writes nothing.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{Payment, PaymentId, PaymentInput, PaymentKind, ReverseInput};
use crate::dates::YearMonth;
use crate::db::{Db, Tx};
use crate::school::{children, ChildId};
use crate::store::fees::payments::NewPayment;
use crate::store::{self, Conn};
use crate::text::{self, Field};
use crate::{Error, Fen, Result};

/// A payment's note: a receipt number, who paid; printed in lists, so short.
const NOTE: Field = Field::note("备注").max(200);

/// Which entries [`list`] returns.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PaymentFilter {
    /// One child only.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub child_id: Option<ChildId>,
    /// Entries dated in this month only.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub month: Option<YearMonth>,
}

/// Records a 收款 or 退款 dated today at the latest. Refused (nothing written)
/// for a zero, negative or unreadable amount, an unknown child, a date after
/// today, or a reversal (see [`reverse`]).
pub fn add(db: &mut Db, input: &PaymentInput) -> Result<Payment> {
    let today = crate::dates::today();
    db.write(crate::auth::Job::Fees, |tx| add_in_tx(tx, input, today))
}

/// [`add`] inside a transaction, with `today` given (the demo dates its history).
pub fn add_in_tx(tx: &Tx, input: &PaymentInput, today: NaiveDate) -> Result<Payment> {
    let fen = amount(&input.amount)?;
    text::check_all(&[(NOTE, &input.note)])?;
    let signed = match input.kind {
        PaymentKind::Payment => fen,
        PaymentKind::Refund => -fen,
        PaymentKind::Reversal => {
            return Err(Error::invalid("冲销请在收款记录中选择要冲销的那一条,并填写原因"));
        }
    };
    let child = children::get(tx, input.child_id, None)?;
    if input.paid_on > today {
        return Err(Error::invalid(format!(
            "{}日期 {} 晚于今天({}),不能登记还没有发生的{}",
            input.kind.label(),
            input.paid_on,
            today,
            input.kind.label()
        )));
    }
    let id = store::fees::payments::insert(
        tx,
        &NewPayment {
            child_id: child.id,
            kind: input.kind,
            paid_on: input.paid_on,
            amount: signed,
            method: input.method,
            note: input.note.trim(),
            reverses: None,
        },
    )?;
    super::receipt::allocate(tx, &get(tx, id)?)?;
    let saved = get(tx, id)?;
    tx.audit("payment", id, "create", None, Some(&audit_value(&saved)))?;
    Ok(saved)
}

/// The typed amount in fen: positive, at most two decimals.
fn amount(text: &str) -> Result<Fen> {
    let fen = Fen::parse(text)?;
    if fen == Fen::ZERO {
        return Err(Error::invalid("金额不能为 0"));
    }
    if fen.is_negative() {
        return Err(Error::invalid(format!(
            "金额“{}”不能是负数:收款和退款都填正数,退还给家长的钱请选择“退款”",
            text.trim()
        )));
    }
    Ok(fen)
}

/// Cancels entry `input.id` with a new entry of the opposite amount, dated as
/// the entry it cancels, with the reason. Refused (nothing written) for an
/// unknown entry, a reversal, an entry already reversed, or no reason.
pub fn reverse(db: &mut Db, input: &ReverseInput) -> Result<Payment> {
    db.write(crate::auth::Job::Fees, |tx| {
        let reason = input.reason.trim();
        let original = get(tx, input.id)?;
        if original.kind == PaymentKind::Reversal {
            return Err(Error::invalid(format!("第 {} 号是冲销记录,不能再冲销", original.id)));
        }
        if let Some(by) = original.reversed_by {
            return Err(Error::conflict(format!(
                "第 {} 号{}记录已经被第 {by} 号冲销过,不能重复冲销",
                original.id,
                original.kind.label()
            )));
        }
        if reason.is_empty() {
            return Err(Error::invalid("请填写冲销原因"));
        }
        text::check_all(&[(Field::note("冲销原因").max(NOTE.max), reason)])?;
        let id = store::fees::payments::insert(
            tx,
            &NewPayment {
                child_id: original.child_id,
                kind: PaymentKind::Reversal,
                paid_on: original.paid_on,
                amount: original.amount.checked_neg()?,
                method: original.method,
                note: reason,
                reverses: Some(original.id),
            },
        )?;
        let saved = get(tx, id)?;
        tx.audit("payment", original.id, "reverse", Some(&audit_value(&original)), Some(&audit_value(&saved)))?;
        Ok(saved)
    })
}

fn audit_value(p: &Payment) -> serde_json::Value {
    serde_json::json!({
        "id": p.id,
        "child_id": p.child_id,
        "kind": p.kind,
        "paid_on": p.paid_on,
        "amount_fen": p.amount,
        "method": p.method,
        "note": p.note,
        "reverses": p.reverses,
        "receipt": p.receipt,
    })
}

/// One entry.
pub fn get(conn: &Conn, id: PaymentId) -> Result<Payment> {
    store::fees::payments::get(conn, id)?.ok_or_else(|| Error::not_found("收款记录", id))
}

/// Entries by date (then as entered), for one child and/or one month.
pub fn list(conn: &Conn, filter: &PaymentFilter) -> Result<Vec<Payment>> {
    if let Some(child) = filter.child_id {
        children::get(conn, child, None)?;
    }
    let (from, to) = match filter.month {
        Some(m) => (Some(m.first_day()), Some(m.last_day())),
        None => (None, None),
    };
    store::fees::payments::list(conn, filter.child_id, from, to)
}
