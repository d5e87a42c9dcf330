//! 体检: every check that reads one module's records against another's, as an
//! inspector or an auditor does, run at once for a month. Each finding has a
//! stable `code` (scripts and the screen act on it), a Chinese message and
//! what to do about it.
//!
//! The checks:
//! - the kitchen against the calendar and the morning check
//!   ([`crate::kitchen::checks`]: off-day samples without a reason, a sampler or
//!   discarder sent home at 晨检, fridge readings, samples past their time);
//! - every dish of every meal on a school day has a sample;
//! - the 伙食费收支公示 against the month's settlement: its child-days are the
//!   attended days, its refund line is the meal item's refunds;
//! - notices in order: a closed month with families whose notice was never
//!   printed (as printing refuses them, family by family);
//! - receipts: a 收款 of the month whose receipt (收据) was never printed;
//! - stock never below zero;
//! - the fixed-asset register against the last finished stocktake: differences
//!   found (盘亏, 盘盈, damaged, short counts) and never booked.
//!
//! A check that cannot run (no fee rules, no meal-account settings) is listed
//! in `skipped` with the reason, never silently passed.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::dates::YearMonth;
use crate::store::Conn;
use crate::Result;

/// Which part of the school a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Kitchen,
    MealAccount,
    Notices,
    Payments,
    Supplies,
    Assets,
}

impl Area {
    /// The area's name on screen.
    pub fn label(self) -> &'static str {
        match self {
            Area::Kitchen => "食品留样",
            Area::MealAccount => "伙食账",
            Area::Notices => "通知单",
            Area::Payments => "收款收据",
            Area::Supplies => "物品领用",
            Area::Assets => "固定资产",
        }
    }
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    /// Stable: `kitchen.sample_missing`, `notices.not_printed`, ….
    pub code: &'static str,
    pub area: Area,
    pub area_label: &'static str,
    /// The kind in a few words.
    pub title: &'static str,
    /// The day it concerns, when it is one day.
    pub date: Option<NaiveDate>,
    /// What is wrong, naming the day, the dish, the month or the item.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl Finding {
    fn new(code: &'static str, area: Area, title: &'static str, message: String, fix: impl Into<String>) -> Finding {
        Finding { code, area, area_label: area.label(), title, date: None, message, fix: fix.into() }
    }

    fn on(mut self, date: NaiveDate) -> Finding {
        self.date = Some(date);
        self
    }
}

/// A check that could not run, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Skipped {
    pub check: &'static str,
    pub reason: String,
}

/// The result of a check of one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckReport {
    pub month: YearMonth,
    /// The days the kitchen checks covered (the month, up to today).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The checks that ran, in words.
    pub checked: Vec<&'static str>,
    pub skipped: Vec<Skipped>,
    /// In order of area, then date.
    pub findings: Vec<Finding>,
}

/// Runs every check for `month` as of `now`.
pub fn run(conn: &Conn, month: YearMonth, now: NaiveDateTime) -> Result<CheckReport> {
    let today = now.date();
    let from = month.first_day();
    let to = month.last_day().min(today);
    let mut report = CheckReport { month, from, to, checked: Vec::new(), skipped: Vec::new(), findings: Vec::new() };
    if from <= to {
        kitchen(conn, from, to, now, &mut report)?;
    }
    meal_account(conn, month, &mut report)?;
    notices(conn, month, &mut report)?;
    receipts(conn, month, &mut report)?;
    supplies(conn, &mut report)?;
    assets(conn, &mut report)?;
    report.findings.sort_by_key(|f| (f.area, f.date));
    Ok(report)
}

fn kitchen(conn: &Conn, from: NaiveDate, to: NaiveDate, now: NaiveDateTime, r: &mut CheckReport) -> Result<()> {
    r.checked.push("留样、晨检、留样柜测温与校历对照");
    for f in crate::kitchen::checks::flags(conn, from, to, now)? {
        r.findings.push(Finding::new(f.code, Area::Kitchen, f.title, f.message, f.fix).on(f.date));
    }
    r.checked.push("在园日每餐每道菜都有留样");
    let missing = crate::kitchen::samples::missing(conn, from, to, now.date())?;
    for day in missing.days.iter().filter(|d| !d.is_today) {
        for meal in &day.meals {
            let f = if meal.no_menu {
                Finding::new(
                    "kitchen.menu_missing",
                    Area::Kitchen,
                    "在园日没有菜单",
                    format!("{} {}没有登记菜单,无法核对留样", day.label, meal.label),
                    "在“食品留样 → 菜单”中补登这一餐的菜单;这一餐没有供应时,在校历中说明",
                )
            } else {
                Finding::new(
                    "kitchen.sample_missing",
                    Area::Kitchen,
                    "菜品缺留样",
                    format!("{} {}:{} 没有留样记录", day.label, meal.label, meal.dishes.join("、")),
                    "补登留样记录;菜单上有而实际没有供应的菜,请从菜单中删去",
                )
            };
            r.findings.push(f.on(day.date));
        }
    }
    Ok(())
}

fn meal_account(conn: &Conn, month: YearMonth, r: &mut CheckReport) -> Result<()> {
    const CHECK: &str = "伙食费公示的人日数和退款与月结一致";
    let sheet = match crate::meal_account::sheet_for(conn, month) {
        Ok(s) => s,
        Err(e) if e.refusal().is_some() || matches!(e, crate::Error::Invalid(_)) => {
            r.skipped.push(Skipped { check: CHECK, reason: e.to_string() });
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let view = crate::settlement::preview(conn, month)?;
    r.checked.push(CHECK);
    let settings = crate::meal_account::settings::get(conn)?;
    let attended: u32 = view.result.children.iter().map(|c| c.attended_days).sum();
    let refund = view.result.fees.iter().find(|f| f.fee_id == settings.fee_id).map(|f| f.refund).unwrap_or_default();
    let published = if sheet.publication.is_some() { "已公示的" } else { "" };
    let redo = if sheet.publication.is_some() {
        "撤销这次公示(填写原因),确认月结后重新公示"
    } else {
        "先在“考勤与退费 → 月结”中确认结账,再打开伙食账核对"
    };
    if sheet.child_days != attended {
        r.findings.push(Finding::new(
            "meal.child_days_mismatch",
            Area::MealAccount,
            "公示人日数与考勤不符",
            format!(
                "{}{}伙食费公示的儿童人日数是 {},而月结的出勤天数之和是 {}",
                month.label(),
                published,
                sheet.child_days,
                attended
            ),
            redo,
        ));
    }
    if sheet.refund != refund {
        r.findings.push(Finding::new(
            "meal.refund_mismatch",
            Area::MealAccount,
            "公示退款与月结不符",
            format!(
                "{}{}伙食费公示的幼儿退款是 {} 元,而月结的伙食费退费是 {} 元",
                month.label(),
                published,
                sheet.refund.to_grouped_string(),
                refund.to_grouped_string()
            ),
            redo,
        ));
    }
    Ok(())
}

fn notices(conn: &Conn, month: YearMonth, r: &mut CheckReport) -> Result<()> {
    r.checked.push("已结账月份的通知单都已打印");
    // The families printing itself would refuse for: those of a closed month
    // whose notice of it was never printed (a month printed past with 仍然打印
    // is not raised again).
    for u in crate::notices::unprinted_up_to(conn, month)? {
        let (m, n) = (u.month, u.unprinted.len());
        // By class, as the notices are printed: 大二班 12 户; a few families by name.
        let mut classes: Vec<(&str, Vec<&str>)> = Vec::new();
        for f in &u.unprinted {
            let class = if f.class.is_empty() { "未分班" } else { f.class.as_str() };
            match classes.iter_mut().find(|(c, _)| *c == class) {
                Some((_, kids)) => kids.push(&f.child),
                None => classes.push((class, vec![&f.child])),
            }
        }
        let class_names: Vec<&str> = classes.iter().map(|(c, _)| *c).collect();
        let by_class: Vec<String> = classes
            .iter()
            .map(|(class, kids)| {
                if n <= 10 {
                    format!("{class} {} 户({})", kids.len(), kids.join("、"))
                } else {
                    format!("{class} {} 户", kids.len())
                }
            })
            .collect();
        let (message, fix) = if n == u.families {
            (
                format!("{} 已结账,全园 {n} 个家庭的通知单都没有打印:这些家庭还没有收到那个月的账单", m.label()),
                format!("在“通知单”中选择 {} 打印全园的通知单", m.label()),
            )
        } else {
            (
                format!(
                    "{} 已结账,有 {n} 个家庭的通知单没有打印(共 {} 个家庭):{};这些家庭还没有收到那个月的账单",
                    m.label(),
                    u.families,
                    by_class.join("、")
                ),
                format!(
                    "在“通知单”中选择 {},按班级打印 {} 的通知单(已打印过的家庭再打印是补打)",
                    m.label(),
                    class_names.join("、")
                ),
            )
        };
        r.findings.push(Finding::new("notices.not_printed", Area::Notices, "已结账月份的通知单未打印", message, fix));
    }
    Ok(())
}

fn receipts(conn: &Conn, month: YearMonth, r: &mut CheckReport) -> Result<()> {
    r.checked.push("收款都已打印收据");
    let unprinted = crate::payments::receipt::unprinted(conn, month.first_day(), month.last_day())?;
    if unprinted.is_empty() {
        return Ok(());
    }
    let mut named = Vec::new();
    for s in unprinted.iter().take(10) {
        let p = crate::payments::record::get(conn, s.payment_id)?;
        named.push(format!("{} {} {} 元", s.number, p.child, p.amount.to_grouped_string()));
    }
    let more = if unprinted.len() > 10 { format!(" 等 {} 张", unprinted.len()) } else { String::new() };
    r.findings.push(Finding::new(
        "receipts.not_printed",
        Area::Payments,
        "收款未打印收据",
        format!(
            "{} 有 {} 笔收款的收据从未打印,家长手里没有缴费凭证:{}{more}",
            month.label(),
            unprinted.len(),
            named.join("、")
        ),
        format!(
            "在“通知单”中打开这名幼儿的“收款记录”,点该笔收款的“打印收据”;\
             或用命令 houqin payments receipts --month {month} 一次打印这个月的全部收据"
        ),
    ));
    Ok(())
}

fn supplies(conn: &Conn, r: &mut CheckReport) -> Result<()> {
    r.checked.push("物品库存没有负数");
    let balance = crate::supplies::reports::balance(conn, &Default::default())?;
    for row in balance.rows.iter().filter(|row| row.qty < 0 || row.value.is_negative()) {
        r.findings.push(Finding::new(
            "supplies.negative_stock",
            Area::Supplies,
            "库存为负数",
            format!(
                "{}({})结存 {} {},金额 {} 元",
                row.item.name,
                row.item.code,
                row.qty,
                row.item.unit,
                row.value.to_grouped_string()
            ),
            "核对入库单和领用单,用冲销单更正录错的单据,或做一次库存盘点",
        ));
    }
    Ok(())
}

fn assets(conn: &Conn, r: &mut CheckReport) -> Result<()> {
    use crate::assets::reconcile::Outcome;
    use crate::assets::stocktake::{self, StocktakeStatus};
    r.checked.push("固定资产账与最近一次盘点相符");
    let Some(last) = stocktake::list(conn)?.into_iter().find(|s| s.status == StocktakeStatus::Finished) else {
        return Ok(());
    };
    let open: Vec<_> = stocktake::lines(conn, last.id)?
        .into_iter()
        .filter(|l| {
            let differs = matches!(l.outcome, Outcome::Missing | Outcome::Surplus | Outcome::Damaged)
                || l.short_qty > 0
                || l.extra_qty > 0;
            differs && l.adjustment.is_none()
        })
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    let list: Vec<String> =
        open.iter().take(10).map(|l| format!("{} {}({})", l.number, l.name, l.outcome_label)).collect();
    let more = if open.len() > 10 { format!(" 等 {} 项", open.len()) } else { String::new() };
    let date = last.finished_on;
    let mut f = Finding::new(
        "assets.stocktake_unresolved",
        Area::Assets,
        "盘点差异未处理",
        format!("盘点“{}”发现的差异还没有入账:{}{more}", last.name, list.join("、")),
        "在“固定资产 → 盘点”中打开这次盘点的报告,逐项处理(盘亏报损、盘盈入账、损坏报修或报废)",
    );
    if let Some(d) = date {
        f = f.on(d);
    }
    r.findings.push(f);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_have_chinese_labels_and_findings_carry_theirs() {
        let f = Finding::new("notices.not_printed", Area::Notices, "t", "m".into(), "f");
        assert_eq!((f.area_label, f.date), ("通知单", None));
        let json = serde_json::to_value(&f).expect("json");
        assert_eq!(json["area"], "notices");
        assert_eq!(json["code"], "notices.not_printed");
    }
}
