//! Waivers and subsidies (减免、资助) per child and fee item, from one month to
//! another: adding one, listing them, ending one, cancelling one entered by
//! mistake. The settlement applies them
//! (see `refund::apply_waivers`); a closed month keeps what it was settled
//! with, and a waiver added or ended later for a closed month becomes an
//! adjustment of the next open month, like an absence correction.
//!
//! Percents are whole percents (1–100); fixed amounts are fen per month.

pub mod kinds;
pub mod roster;

use serde::{Deserialize, Serialize};

use crate::dates::YearMonth;
use crate::db::{Db, Tx};
use crate::refund::{WaiverInForce, WaiverShare};
use crate::school::{children, ChildId};
use crate::store::fees::waivers::{NewWaiver, Stored};
use crate::store::{self, Conn};
use crate::text::{self, Field};
use crate::{Error, Fen, Result};

/// One waiver as the screens and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Waiver {
    pub id: i64,
    pub child_id: ChildId,
    pub child: String,
    pub student_no: String,
    pub fee_id: String,
    pub kind: String,
    pub share: WaiverShare,
    /// `50%` or `200.00 元/月`.
    pub share_label: String,
    pub from: YearMonth,
    pub to: YearMonth,
    pub approved_by: String,
    pub doc_no: String,
    pub created_at: String,
    pub created_by: String,
}

impl Waiver {
    fn from_stored(w: Stored) -> Result<Waiver> {
        let share = share_of(&w)?;
        Ok(Waiver {
            id: w.id,
            child_id: w.child_id,
            child: w.child_name,
            student_no: w.student_no,
            fee_id: w.fee_id,
            kind: w.kind,
            share_label: share.label(),
            share,
            from: w.from,
            to: w.to,
            approved_by: w.approved_by,
            doc_no: w.doc_no,
            created_at: w.created_at.format("%Y-%m-%d %H:%M").to_string(),
            created_by: w.created_by,
        })
    }
}

fn share_of(w: &Stored) -> Result<WaiverShare> {
    match (w.percent, w.amount) {
        (Some(p), None) => Ok(WaiverShare::Percent(p)),
        (None, Some(a)) => Ok(WaiverShare::Amount(a)),
        _ => Err(Error::invalid(format!("第 {} 号减免记录既没有比例也没有金额,数据可能已损坏", w.id))),
    }
}

/// A stored waiver as the settlement step takes it. The database's CHECK
/// keeps every row with exactly one share; a damaged row is an error.
pub(crate) fn in_force(w: &Stored) -> Result<WaiverInForce> {
    Ok(WaiverInForce {
        child: w.child_id.to_string(),
        fee_id: w.fee_id.clone(),
        kind: w.kind.clone(),
        doc_no: w.doc_no.clone(),
        share: share_of(w)?,
    })
}

/// A new waiver as typed.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WaiverInput {
    pub child_id: ChildId,
    /// The fee item's id or name (保教费).
    pub fee: String,
    /// One of the kinds setting's names.
    pub kind: String,
    /// Whole percent, 1–100. With neither `percent` nor `amount`, the kind's
    /// usual percent.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub percent: Option<u32>,
    /// A fixed amount per month in 元, as typed.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub amount: Option<String>,
    pub from: YearMonth,
    pub to: YearMonth,
    /// 批准人.
    pub approved_by: String,
    /// 文号.
    #[serde(default)]
    pub doc_no: String,
}

const APPROVED_BY: Field = Field::person("批准人");
const DOC_NO: Field = Field::line("文号").max(50);
const REASON: Field = Field::note("作废原因");

/// Adds a waiver (one action, audited). Refused, with nothing saved, for an
/// unknown child, fee item or kind, a percent outside 1–100, an amount ≤ 0 or
/// above the bound, a last month before the first, or a waiver of the same
/// child, item and kind in force on one of its months.
pub fn add(db: &mut Db, input: &WaiverInput) -> Result<Waiver> {
    db.write(crate::auth::Job::Fees, |tx| add_in_tx(tx, input))
}

/// [`add`] inside a transaction (the demo grants its waivers this way).
pub fn add_in_tx(tx: &Tx, input: &WaiverInput) -> Result<Waiver> {
    let child = children::get(tx, input.child_id, None)?;
    if input.to < input.from {
        return Err(Error::invalid(format!(
            "减免的最后一个月 {} 早于第一个月 {},没有保存",
            input.to.label(),
            input.from.label()
        )));
    }
    let approved_by = input.approved_by.trim();
    if approved_by.is_empty() {
        return Err(Error::invalid("请填写批准人,没有保存"));
    }
    text::check_all(&[(APPROVED_BY, approved_by), (DOC_NO, input.doc_no.trim())])?;
    let kinds = kinds::get(tx)?;
    let kind = kinds.iter().find(|k| k.name == input.kind.trim()).ok_or_else(|| {
        Error::invalid(format!(
            "没有“{}”这个减免类别(可选:{}),没有保存",
            input.kind.trim(),
            kinds.iter().map(|k| k.name.as_str()).collect::<Vec<_>>().join("、")
        ))
    })?;
    let rules = crate::settlement::rules_for(tx, input.from)?
        .ok_or_else(|| Error::invalid(format!("{} 没有生效的收费规则,无法减免,没有保存", input.from.label())))?;
    let fee = rules.fees.iter().find(|f| f.id == input.fee.trim() || f.name == input.fee.trim()).ok_or_else(|| {
        Error::invalid(format!(
            "没有“{}”这个收费项目(可选:{}),没有保存",
            input.fee.trim(),
            rules.fees.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join("、")
        ))
    })?;
    let amount = input.amount.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let (percent, amount) = match (input.percent, amount) {
        (Some(_), Some(_)) => return Err(Error::invalid("减免比例和减免金额只能填一个,没有保存")),
        (Some(p), None) => (Some(p), None),
        (None, Some(a)) => (None, Some(Fen::parse(a)?)),
        (None, None) => match kind.percent {
            Some(p) => (Some(p), None),
            None => {
                return Err(Error::invalid(format!(
                    "“{}”没有默认的减免比例,请填写减免比例或每月减免金额,没有保存",
                    kind.name
                )))
            }
        },
    };
    if let Some(p) = percent.filter(|p| !(1..=100).contains(p)) {
        return Err(Error::invalid(format!("减免比例 {p}% 不在 1–100 之间,没有保存")));
    }
    if let Some(a) = amount.filter(|a| *a <= Fen::ZERO) {
        return Err(Error::invalid(format!("每月减免金额 {} 元必须大于 0,没有保存", a.to_yuan_string())));
    }
    let new = NewWaiver {
        child_id: child.id,
        fee_id: &fee.id,
        kind: &kind.name,
        percent,
        amount,
        from: input.from,
        to: input.to,
        approved_by,
        doc_no: input.doc_no.trim(),
    };
    if let Some(other) = store::fees::waivers::overlapping(tx, &new, None)? {
        let o = get(tx, other)?;
        return Err(Error::conflict(format!(
            "{} 已有{}的“{}”减免(第 {} 号,{} 至 {}),月份重叠,没有保存",
            child.name,
            fee.name,
            kind.name,
            o.id,
            o.from.label(),
            o.to.label()
        )));
    }
    let id = store::fees::waivers::insert(tx, &new)?;
    let saved = get(tx, id)?;
    tx.audit("waiver", id, "create", None, Some(&audit_value(&saved)))?;
    Ok(saved)
}

/// Ends waiver `id` with `last` as its last month (audited). Refused for a
/// month before its first or after its current last (a longer waiver is a new
/// one). Months already closed keep what they were settled with; the
/// difference is carried by the next open month.
pub fn end(db: &mut Db, id: i64, last: YearMonth) -> Result<Waiver> {
    db.write(crate::auth::Job::Fees, |tx| {
        let before = get(tx, id)?;
        if last < before.from {
            return Err(Error::invalid(format!(
                "结束月份 {} 早于这条减免的第一个月 {},没有保存",
                last.label(),
                before.from.label()
            )));
        }
        if last > before.to {
            return Err(Error::invalid(format!(
                "这条减免本来到 {} 为止,不能延长到 {};请另外添加一条减免,没有保存",
                before.to.label(),
                last.label()
            )));
        }
        if last == before.to {
            return Ok(before);
        }
        store::fees::waivers::set_last(tx, id, last)?;
        let after = get(tx, id)?;
        tx.audit("waiver", id, "end", Some(&audit_value(&before)), Some(&audit_value(&after)))?;
        Ok(after)
    })
}

/// Cancels waiver `id`, entered by mistake (作废): it goes as if it had never
/// been granted, and the audit trail keeps it with the reason. Months
/// already closed keep what they were settled with; what they would owe
/// without it is carried by the next open month (补收), as for [`end`].
pub fn cancel(db: &mut Db, id: i64, reason: &str) -> Result<Waiver> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("请填写作废的原因,没有保存"));
    }
    text::check_all(&[(REASON, reason)])?;
    db.write(crate::auth::Job::Fees, |tx| {
        let before = get(tx, id)?;
        store::fees::waivers::delete(tx, id)?;
        let why = serde_json::json!({ "reason": reason });
        tx.audit("waiver", id, "cancel", Some(&audit_value(&before)), Some(&why))?;
        Ok(before)
    })
}

pub fn get(conn: &Conn, id: i64) -> Result<Waiver> {
    store::fees::waivers::get(conn, id)?.ok_or_else(|| Error::not_found("减免记录", id)).and_then(Waiver::from_stored)
}

/// Which waivers [`list`] returns.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WaiverFilter {
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub child_id: Option<ChildId>,
    /// Those in force in this month only.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub month: Option<YearMonth>,
}

/// The waivers of a child or a month (or all), by 学号, item and first month.
pub fn list(conn: &Conn, filter: &WaiverFilter) -> Result<Vec<Waiver>> {
    let (from, to) = match filter.month {
        Some(m) => (m, m),
        None => (YearMonth::new(1900, 1)?, YearMonth::new(2200, 12)?),
    };
    store::fees::waivers::list(conn, filter.child_id, from, to)?.into_iter().map(Waiver::from_stored).collect()
}

fn audit_value(w: &Waiver) -> serde_json::Value {
    serde_json::json!({
        "id": w.id,
        "child_id": w.child_id,
        "fee_id": w.fee_id,
        "kind": w.kind,
        "share": w.share,
        "from": w.from,
        "to": w.to,
        "approved_by": w.approved_by,
        "doc_no": w.doc_no,
    })
}
