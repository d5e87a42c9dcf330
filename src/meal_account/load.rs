//! Gathers the sheet's input from the database: the meal item's charges,
//! refunds and corrections from the month settlement, child-days from the
//! attendance data, the kitchen store, and the term's earlier months. A
//! published month is shown as it was published (its stored sheet, marked
//! stale when its settlement has changed since), and the term's running
//! balance uses the published figures of earlier months.

use chrono::NaiveDate;

use super::settings::{self, MealSettings};
use super::sheet::{compute, MealSheet, MonthFigures, Publication, SheetInput};
use super::store::store_month;
use crate::dates::YearMonth;
use crate::error::Code;
use crate::refund::Charge;
use crate::store::{self, Conn};
use crate::{Error, Fen, Result};

/// The meal item's part of a month's settlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MealIncome {
    pub fee_name: String,
    pub rate_text: String,
    /// The fee per day, when it is charged per day.
    pub daily_rate: Option<Fen>,
    pub school_days: u32,
    pub closed: bool,
    /// The confirmed settlement's revision (第 N 版), when closed.
    pub revision: Option<i64>,
    pub charged: Fen,
    pub refund: Fen,
    pub adjustments: Fen,
    /// Waivers of the meal fee (减免、资助): paid by a subsidy, not by the
    /// family, so income of the meal fee like the rest of the charge.
    pub subsidy: Fen,
    /// 短期缺勤未退, from the settlement (stored, once closed).
    pub short_unrefunded: Option<crate::refund::ShortUnrefunded>,
    /// Child-days (人天数) of a closed month as confirmed: the sum of every
    /// settled child's attended school days. `None` while the month is open.
    pub confirmed_child_days: Option<u32>,
}

impl MealIncome {
    /// charges − refunds − corrections.
    pub fn income(&self) -> Fen {
        self.charged - self.refund - self.adjustments
    }
}

/// `15.00 元/天`, `每月 300.00 元(按法定工作日折算日费)`.
fn rate_text(charge: &Charge) -> String {
    match charge {
        Charge::PerDay { rate } => format!("{} 元/天", rate.to_grouped_string()),
        Charge::Monthly { amount, divisor, .. } => {
            format!("每月 {} 元(按{}折算日费)", amount.to_grouped_string(), divisor.label())
        }
    }
}

/// The meal item's charges, refunds and corrections in `month`'s settlement
/// (confirmed, or a preview from today's data).
///
/// How a correction to a closed month is counted, exactly once: a closed month
/// M keeps the income, refund and child-days it was confirmed with, whatever
/// its attendance says today (its sheet says they come from 第 N 版, and a
/// published sheet is what was posted). The difference a later correction
/// makes is an adjustment (补退/补收) of the month whose settlement carries it
/// — the first month still open when the correction was entered, as that
/// month's preview and then its confirmed settlement list it — and is counted
/// in that month's income only (`adjustments`, subtracted from its charges).
/// That month's child-days are its own attendance: the corrected days belong
/// to M and stay out of both sheets' 人天数, since M's sheet is the confirmed
/// one. The term's running balance adds the months' incomes, so it counts the
/// correction once too.
pub fn meal_income(conn: &Conn, s: &MealSettings, month: YearMonth) -> Result<MealIncome> {
    let view = crate::settlement::preview(conn, month)?;
    let fee_id = s.fee_id.as_str();
    let Some(total) = view.result.fees.iter().find(|f| f.fee_id == fee_id) else {
        let have: Vec<String> = view.fees.iter().map(|f| format!("{}({})", f.name, f.id)).collect();
        return Err(Error::refused(
            Code::MealAccountSettingsMissing,
            format!(
                "{} 的收费规则中没有编号为“{fee_id}”的收费项目,无法取得伙食费收入。请在伙食账设置中选择伙食费对应的收费项目(现有:{})",
                month.label(),
                have.join("、")
            ),
        )
        .with("month", month)
        .with("what", "fee_id"));
    };
    let charge = view.fees.iter().find(|f| f.id == fee_id).map(|f| &f.charge);
    let rate = charge.map(rate_text).unwrap_or_default();
    let daily_rate = match charge {
        Some(Charge::PerDay { rate }) => Some(*rate),
        _ => None,
    };
    // A correction due to a waiver is paid by the subsidy, not taken from the
    // income: only the rest corrects the income; the subsidy part adds to it.
    let meal_adjustments = || view.adjustments.iter().filter(|a| a.fee_id == fee_id);
    let adjustments = crate::money::try_sum(meal_adjustments().map(|a| a.amount - a.waiver))?;
    let subsidy = crate::money::try_sum(meal_adjustments().map(|a| a.waiver).chain([total.waiver]))?;
    let closed = view.status == crate::settlement::SettlementStatus::Closed;
    Ok(MealIncome {
        fee_name: total.fee_name.clone(),
        rate_text: rate,
        daily_rate,
        school_days: view.result.school_days,
        closed,
        revision: view.revision,
        charged: total.charged,
        refund: total.refund,
        adjustments,
        subsidy,
        short_unrefunded: total.short_unrefunded,
        confirmed_child_days: closed.then(|| view.result.children.iter().map(|c| c.attended_days).sum()),
    })
}

/// Income and children's cost of a month, if it is counted: as published if
/// published, otherwise from today's data.
pub fn month_figures(conn: &Conn, s: &MealSettings, month: YearMonth) -> Result<Option<MonthFigures>> {
    if let Some(published) = published_sheet(conn, month)? {
        return Ok(published.cost.map(|cost| MonthFigures { month, income: published.income, cost }));
    }
    let store = store_month(conn, month)?;
    if !store.counted() {
        return Ok(None);
    }
    let income = meal_income(conn, s, month)?.income();
    Ok(store.total.children.map(|cost| MonthFigures { month, income, cost }))
}

/// The day of `month`'s next month by which its sheet is published.
pub fn publish_by(s: &MealSettings, month: YearMonth) -> NaiveDate {
    let next = month.next();
    NaiveDate::from_ymd_opt(next.year(), next.month(), s.publish_day.clamp(1, 28)).unwrap_or(next.first_day())
}

/// Everything [`compute`] needs for `month`.
pub fn sheet_input(conn: &Conn, month: YearMonth) -> Result<SheetInput> {
    let s = settings::get(conn)?;
    let income = meal_income(conn, &s, month)?;
    let term_start = s.term_start(month);
    let mut term_before = Vec::new();
    let mut term_uncounted = Vec::new();
    let mut t = term_start;
    while t < month {
        match month_figures(conn, &s, t)? {
            Some(f) => term_before.push(f),
            None => term_uncounted.push(t),
        }
        t = t.next();
    }
    let profile = crate::school::profile::get(conn)?.unwrap_or_default();
    Ok(SheetInput {
        month,
        school: profile.name,
        bursar: profile.bursar_name,
        head: profile.head_name,
        complaint_phone: s.complaint_phone.clone(),
        daily_rate: income.daily_rate,
        limit_bp: s.limit_bp()?,
        fee_name: income.fee_name.clone(),
        rate_text: income.rate_text.clone(),
        school_days: income.school_days,
        child_days: match income.confirmed_child_days {
            Some(days) => days,
            None => crate::attendance::grid::school_child_days(conn, month)?,
        },
        settlement_closed: income.closed,
        settlement_revision: income.revision,
        charged: income.charged,
        refund: income.refund,
        adjustments: income.adjustments,
        subsidy: income.subsidy,
        short_unrefunded: income.short_unrefunded,
        store: store_month(conn, month)?,
        term_start,
        term_before,
        term_uncounted,
        publish_by: publish_by(&s, month),
    })
}

/// The month's 伙食费收支公示: as published if it was, otherwise computed from
/// today's data.
pub fn sheet_for(conn: &Conn, month: YearMonth) -> Result<MealSheet> {
    if let Some(published) = published_sheet(conn, month)? {
        return Ok(published);
    }
    Ok(compute(&sheet_input(conn, month)?))
}

/// The sheet as published, with its publication record, marked stale if its
/// settlement has changed since.
pub fn published_sheet(conn: &Conn, month: YearMonth) -> Result<Option<MealSheet>> {
    let Some(p) = store::fees::meal_publications::get(conn, month)? else { return Ok(None) };
    let mut sheet: MealSheet = serde_json::from_str(&p.sheet_json)
        .map_err(|e| Error::invalid(format!("{} 已公示的伙食费收支表无法读取:{e}", month.label())))?;
    sheet.publication =
        Some(Publication { published_on: p.published_on, published_at: p.published_at, published_by: p.published_by });
    sheet.stale = staleness(conn, &sheet)?;
    Ok(Some(sheet))
}

/// Why a published sheet no longer matches its month's settlement, if it does
/// not: the month was reopened, or confirmed again with other meal figures.
fn staleness(conn: &Conn, sheet: &MealSheet) -> Result<Option<String>> {
    let month = sheet.month;
    let version = sheet.settlement_revision.map(|r| format!("(第 {r} 版)")).unwrap_or_default();
    if !crate::settlement::month::is_closed(conn, month)? {
        return Ok(Some(format!(
            "公示后,{m} 的月结被重新打开,还没有重新结账:已公示的收入和幼儿退款是原来月结{version}的数字。\
             请重新结账后撤销这次公示(填写原因)并重新公示",
            m = month.label()
        )));
    }
    // A settings change (another fee item as the meal fee) is not a reason to
    // call a posted sheet wrong: only a settlement that reads differently is.
    let Ok(now) = meal_income(conn, &settings::get(conn)?, month) else { return Ok(None) };
    let same = (now.charged, now.refund, now.adjustments) == (sheet.charged, sheet.refund, sheet.adjustments);
    if same {
        return Ok(None);
    }
    let again = now.revision.map(|r| format!("第 {r} 版")).unwrap_or_else(|| "新的一版".into());
    Ok(Some(format!(
        "公示后,{m} 的月结重新确认为{again},伙食费收入由 {old} 元变为 {new} 元(幼儿退款 {r_old} 元 → {r_new} 元):\
         已公示的公示表和学期累计仍是公示时的数字。请撤销这次公示(填写原因)并重新公示",
        m = month.label(),
        old = sheet.income.to_grouped_string(),
        new = now.income().to_grouped_string(),
        r_old = sheet.refund.to_grouped_string(),
        r_new = now.refund.to_grouped_string(),
    )))
}
