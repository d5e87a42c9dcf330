//! Assembling the notices of a settled month from the database: the confirmed
//! settlement of M (refunds, explanations, corrections), next month's charges
//! settled by the same engine with the rules in force then, the children's
//! names, classes and 学号, and what was printed before.
//!
//! Every amount comes from the settlement engine; this file only chooses which
//! amounts go on the notice and words the short "计算方式" cells.

use std::collections::HashMap;

use crate::error::Code;
use crate::store::Conn;
use chrono::Datelike;

use super::{short_month, Notice, NoticeBatch, NoticeRow, NoticeScope};
use crate::dates::YearMonth;
use crate::payments::Balance;
use crate::refund::{
    settle_month, Charge, ChildSettlement, FeeItem, FeeSettlement, LineKind, SettlementInput, SettlementResult,
};
use crate::school::children::{self, ChildFilter};
use crate::school::ChildId;
use crate::settlement::{self, Adjustment, SettlementStatus};
use crate::{Error, Fen, Result};

/// Closed (confirmed) months, newest first: the months notices can be printed for.
pub fn settled_months(conn: &Conn) -> Result<Vec<YearMonth>> {
    settlement::month::closed_months(conn)
}

/// The notices for settled month `month` (billing the month after) for `scope`,
/// with what was printed before attached. Nothing is written.
///
/// Refused with a Chinese message when the month is not closed (notices print
/// confirmed money only), when the billing month has no fee rules, when the
/// school profile is missing, or when the scope has no notice.
pub fn prepare(conn: &Conn, month: YearMonth, scope: NoticeScope) -> Result<NoticeBatch> {
    let billing = month.next();
    if !settlement::month::is_closed(conn, month)? {
        return Err(Error::refused(
            Code::MonthNotClosed,
            format!(
                "{m} 还没有结账,不能打印通知单:通知单上的金额必须来自已确认的月结,打印后不能再被改动。\
                 请先在“考勤与退费 → 月结”中确认 {m} 的结账,再打印 {b} 的缴费通知单。",
                m = month.label(),
                b = billing.label()
            ),
        )
        .with("month", month));
    }
    let school = crate::school::profile::get(conn)?.ok_or_else(|| {
        Error::refused(
            Code::SchoolProfileMissing,
            "还没有填写学校信息(学校名称、会计、园长),请先在“设置 → 学校信息”中填写",
        )
    })?;
    let view = settlement::preview(conn, month)?;
    if view.status != SettlementStatus::Closed {
        return Err(Error::conflict(format!("{} 的结账状态刚刚发生了变化,请重新打开本页", month.label())));
    }
    let (settlement_id, revision) = settlement::month::confirmed_id(conn, month)?
        .ok_or_else(|| Error::conflict(format!("{} 的结账状态刚刚发生了变化,请重新打开本页", month.label())))?;
    let rules = settlement::rules_for(conn, billing)?.ok_or_else(|| {
        Error::refused(
            Code::NoFeeRules,
            format!("{} 没有生效的收费规则,无法计算下月应缴金额。请先在“设置 → 收费项目”中设置", billing.label()),
        )
        .with("month", billing)
    })?;
    let next = charges(conn, billing, &rules.fees)?;

    let settled: HashMap<&str, &ChildSettlement> =
        view.result.children.iter().map(|c| (c.child_id.as_str(), c)).collect();
    let charged: HashMap<&str, &ChildSettlement> = next.children.iter().map(|c| (c.child_id.as_str(), c)).collect();
    let mut adjustments: HashMap<ChildId, Vec<&Adjustment>> = HashMap::new();
    for a in &view.adjustments {
        adjustments.entry(a.child_id).or_default().push(a);
    }

    if let NoticeScope::Class { class_id } = scope {
        crate::school::classes::get(conn, class_id)?;
    }
    let balances = crate::payments::balances_before(conn, month)?;
    let kids =
        children::list(conn, &ChildFilter { include_left: true, on: Some(billing.first_day()), ..Default::default() })?;
    let mut notices = Vec::new();
    let mut scoped_child = None;
    for kid in &kids {
        let wanted = match scope {
            NoticeScope::School => true,
            NoticeScope::Class { class_id } => kid.class_id == Some(class_id),
            NoticeScope::Child { child_id } => kid.id == child_id,
        };
        if !wanted {
            continue;
        }
        scoped_child = Some(kid);
        let key = kid.id.to_string();
        let m = settled.get(key.as_str()).copied();
        let n = charged.get(key.as_str()).copied();
        let adj = adjustments.get(&kid.id).map(Vec::as_slice).unwrap_or(&[]);
        if m.is_none() && n.is_none() && adj.is_empty() {
            continue;
        }
        let mut notice = Notice {
            child_id: kid.id,
            child: kid.name.clone(),
            class: kid.class_name.clone(),
            student_no: kid.student_no.clone(),
            // Not enrolled next month (no charges): the notice settles the
            // month they left and bills no period.
            left_on: kid.left_on.filter(|l| *l < billing.first_day() && n.is_none()),
            rows: Vec::new(),
            explanations: Vec::new(),
            total: Fen::ZERO,
            balance: Fen::ZERO,
            issue: None,
            replaces: None,
            changed_since_printed: false,
        };
        fill(&mut notice, month, billing, &rules.fees, m, n, adj);
        if let Some(left) = kid.left_on.filter(|l| *l < billing.first_day()) {
            notice.explanations.push(format!("已于 {} 离园,{}不再收费。", left.format("%Y-%m-%d"), billing.label()));
        }
        if notice.rows.is_empty() {
            continue;
        }
        if let Some(b) = balances.get(&kid.id) {
            previous_balance(&mut notice, b);
        }
        // The previous balance is a sum of stored payments: checked, like the total.
        notice.total = crate::money::try_sum(notice.rows.iter().map(|r| r.amount))?;
        notices.push(notice);
    }
    if notices.is_empty() {
        return Err(match (scope, scoped_child) {
            (NoticeScope::Child { child_id }, None) => Error::not_found("幼儿", child_id),
            (NoticeScope::Child { .. }, Some(kid)) => {
                Error::invalid(format!("{} 在 {} 和 {} 都不在园,没有通知单", kid.name, month.label(), billing.label()))
            }
            (NoticeScope::Class { class_id }, _) => {
                let name = crate::school::classes::get(conn, class_id).map(|c| c.name).unwrap_or_default();
                Error::invalid(format!("{name} 在 {} 没有幼儿,没有通知单", billing.label()))
            }
            (NoticeScope::School, _) => {
                Error::invalid(format!("{} 和 {} 都没有在园幼儿,没有通知单", month.label(), billing.label()))
            }
        });
    }
    let mut batch = NoticeBatch {
        month,
        billing_month: billing,
        settlement_id,
        revision,
        school,
        settings: super::settings::get(conn)?,
        notices,
    };
    super::issue::attach(conn, &mut batch)?;
    Ok(batch)
}

/// Next month's charges: the engine run over the children enrolled in
/// `billing` with no leave at all — a charge depends only on enrolment and the
/// calendar, and leave taken next month is refunded on the notice after. (Not
/// `settlement::trial`, which would pass this month's leave, refunded only on
/// the notice after.)
fn charges(conn: &Conn, billing: YearMonth, fees: &[FeeItem]) -> Result<SettlementResult> {
    crate::refund::validate_fee_items(fees)?;
    let calendar = crate::school::calendar::load(conn)?;
    let kids = crate::settlement::enrolled_children(conn, billing)?;
    settle_month(&SettlementInput { month: billing, calendar: &calendar, fees, children: &kids, absences: &[] })
}

/// The rows and explanations of one child's notice: next month's charges,
/// this month's refunds (with their explanation lines), the corrections.
fn fill(
    notice: &mut Notice,
    month: YearMonth,
    billing: YearMonth,
    fees: &[FeeItem],
    m: Option<&ChildSettlement>,
    n: Option<&ChildSettlement>,
    adjustments: &[&Adjustment],
) {
    if let Some(n) = n {
        for f in &n.fees {
            let item = fees.iter().find(|i| i.id == f.fee_id);
            notice.rows.push(NoticeRow {
                item: format!("{}({})", f.fee_name, short_month(billing)),
                basis: charge_basis(item, f),
                amount: f.charged,
            });
        }
    }
    if let Some(m) = m {
        let explain = m.refund > Fen::ZERO || m.absent_school_days > 0 || m.closure_days > 0;
        for f in &m.fees {
            let first = notice.explanations.len() + 1;
            if explain {
                for line in f.lines.iter().filter(|l| !matches!(l.kind, LineKind::Charge | LineKind::Waiver)) {
                    notice.explanations.push(format!(
                        "{}{}:{}",
                        short_month(month),
                        f.fee_name,
                        in_month(&line.text, month)
                    ));
                }
            }
            let last = notice.explanations.len();
            if f.refund > Fen::ZERO {
                notice.rows.push(NoticeRow {
                    item: format!("退{}({})", f.fee_name, short_month(month)),
                    basis: see(first, last),
                    amount: -f.refund,
                });
            }
            // 困难补贴/减免: its own row, after the refunds it is applied after.
            let first = notice.explanations.len() + 1;
            for line in f.lines.iter().filter(|l| l.kind == LineKind::Waiver) {
                notice.explanations.push(format!("{}:{}", short_month(month), in_month(&line.text, month)));
            }
            if f.waiver > Fen::ZERO {
                notice.rows.push(NoticeRow {
                    item: format!("{}减免({})", f.fee_name, short_month(month)),
                    basis: see(first, notice.explanations.len()),
                    amount: -f.waiver,
                });
            }
        }
        if !explain {
            notice.explanations.push(format!("{}无请假,没有退费。", month.label()));
        }
    }
    for a in adjustments {
        notice.explanations.push(in_month(&a.explanation, month));
        let k = notice.explanations.len();
        notice.rows.push(NoticeRow {
            item: format!("{}{}({})", a.label, a.fee_name, short_month(a.origin_month)),
            basis: see(k, k),
            // 补退 (amount > 0) is owed to the family: it lowers what is due.
            amount: -a.amount,
        });
    }
}

/// The previous balance as the last row, with the explanation of how it adds
/// up; nothing for a zero balance.
fn previous_balance(notice: &mut Notice, b: &Balance) {
    let Some(label) = b.label() else { return };
    let through = b.through.map(|d| format!("截至 {}年{}月{}日,", d.year(), d.month(), d.day())).unwrap_or_default();
    let rest = if b.balance > Fen::ZERO {
        format!("尚欠 {} 元", b.balance.to_grouped_string())
    } else {
        format!("多缴 {} 元,本期抵扣", b.balance.abs().to_grouped_string())
    };
    notice.explanations.push(format!(
        "{label}:{through}此前开具的 {} 张通知单合计 {} 元,已收款 {} 元,{rest}。",
        b.notices,
        b.billed.to_grouped_string(),
        b.paid.to_grouped_string()
    ));
    let k = notice.explanations.len();
    notice.rows.push(NoticeRow { item: label.to_string(), basis: see(k, k), amount: b.balance });
    notice.balance = b.balance;
}

/// The engine writes 本月 for the month it settled; on a notice for the next
/// month that would read as the wrong month, so the month is named.
fn in_month(text: &str, month: YearMonth) -> String {
    text.replace("本月", &short_month(month))
}

/// `见说明 3` or `见说明 3–5`.
fn see(first: usize, last: usize) -> String {
    if last <= first {
        format!("见说明 {first}")
    } else {
        format!("见说明 {first}–{last}")
    }
}

/// 计算方式 of a charge: `20 天 × 15.00 元`, `按月收取(在校日 20 天)`, or the
/// engine's own wording for anything less plain (part months, proration).
fn charge_basis(item: Option<&FeeItem>, f: &FeeSettlement) -> String {
    let Some(line) = f.lines.iter().find(|l| l.kind == LineKind::Charge) else {
        return String::new();
    };
    match item.map(|i| &i.charge) {
        Some(Charge::PerDay { rate }) if line.days > 0 && Fen(rate.0 * i64::from(line.days)) == f.charged => {
            format!("{} 天 × {} 元", line.days, rate.to_yuan_string())
        }
        Some(Charge::Monthly { amount, .. }) if *amount == f.charged && line.days > 0 => {
            format!("按月收取(在校日 {} 天)", line.days)
        }
        _ => {
            // "伙食费收费:…" → "…": the item column already names the fee.
            let text = line.text.strip_prefix(&format!("{}收费", f.fee_name)).unwrap_or(&line.text);
            text.trim_start_matches([':', ':']).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanation_ranges_and_month_names() {
        assert_eq!(see(2, 2), "见说明 2");
        assert_eq!(see(2, 4), "见说明 2–4");
        let m: YearMonth = "2026-10".parse().expect("month");
        assert_eq!(in_month("本月退 3 天", m), "10月退 3 天");
    }
}
