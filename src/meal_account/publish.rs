//! Publishing the month's 伙食费收支公示 (每月公布): the sheet is stored as it
//! was published and the month is locked — purchases, counts and staff meals
//! of a published month are refused until the publication is withdrawn with a
//! reason. Also the home screen's reminder to publish last month's sheet by the
//! set day of this month.
//!
//! Only a month whose settlement (月结) is closed can be published. Its income
//! and refund line are then the confirmed figures, and a later change of
//! attendance reaches the account as a correction (补退/补收) in a later
//! month's settlement, hence in that month's income. A sheet published from an
//! open month would hold preview figures that the month's confirmation could
//! change with nothing carrying the difference anywhere.
//!
//! If the settlement of a published month is reopened (the settlement screen
//! allows it; that rule is not the meal account's to change), the published
//! sheet is not rewritten: it is what was posted on the wall. It is marked
//! stale instead ([`MealSheet::stale`]) — on screen, in its PDF and in the
//! home screen's reminder — until the bursar withdraws it and publishes again
//! from the month as confirmed again. Publishing a later month of the term is
//! refused while an earlier one is stale, since its running balance would carry
//! the old figures.

use chrono::NaiveDate;
use serde::Serialize;

use super::load::{publish_by, sheet_input};
use super::sheet::{compute, MealSheet};
use super::{purchases, settings, store};
use crate::dates::YearMonth;
use crate::db::Db;
use crate::store::{fees::meal_publications, Conn};
use crate::{Error, Result};

pub use super::load::published_sheet;
pub use super::lock::is_published;

/// Publishes `month`'s sheet on `published_on`: stores it as it is now and
/// locks the month. The month's settlement must be closed (the sheet's income
/// is then the confirmed one), its month-end count done, and no earlier
/// published month of the term stale.
pub fn publish(db: &mut Db, month: YearMonth, published_on: NaiveDate) -> Result<MealSheet> {
    let today = crate::dates::today();
    if published_on > today {
        return Err(Error::invalid(format!("公示日期 {published_on} 晚于今天({today})")));
    }
    if published_on < month.first_day() {
        return Err(Error::invalid(format!("公示日期 {published_on} 早于 {} 本身", month.label())));
    }
    db.write(crate::auth::Job::Fees, |tx| {
        if is_published(tx, month)? {
            return Err(Error::conflict(format!("{} 的伙食费收支表已经公示过了", month.label())));
        }
        let input = sheet_input(tx, month)?;
        let sheet = compute(&input);
        if !sheet.counted {
            return Err(Error::invalid(format!(
                "{} 还没有月末盘点,伙食支出和盈亏率无法计算,请先在「月末盘点」中录入库存后再公示",
                month.label()
            )));
        }
        if !input.settlement_closed {
            return Err(Error::conflict(format!(
                "{m} 的月结还没有结账,不能公示伙食费收支表:公示的伙食费收入和幼儿退款必须是已确认的数字,\
                 否则结账时考勤再有变化,已公示的数字就对不上了。请先在“考勤与退费 → 月结”中确认 {m} 的结账(先结账),再公示",
                m = month.label()
            )));
        }
        for earlier in &input.term_before {
            if let Some(why) = published_sheet(tx, earlier.month)?.and_then(|s| s.stale) {
                return Err(Error::conflict(format!(
                    "{} 已公示的伙食费收支表与月结不一致,本月的学期累计会用到它:{why}",
                    earlier.month.label()
                )));
            }
        }
        let json = serde_json::to_string(&sheet).map_err(|e| Error::invalid(format!("公示表无法保存:{e}")))?;
        meal_publications::insert(tx, month, published_on, &json)?;
        tx.audit(
            "meal_publication",
            month,
            "publish",
            None,
            Some(&serde_json::json!({
                "published_on": published_on,
                "settlement_revision": sheet.settlement_revision,
                "income_fen": sheet.income,
                "cost_fen": sheet.cost,
                "balance_fen": sheet.balance,
                "month_ratio": sheet.month_ratio.text,
                "term_ratio": sheet.term.ratio.text,
            })),
        )?;
        published_sheet(tx, month)?.ok_or_else(|| Error::not_found("公示记录", month.label()))
    })
}

/// Withdraws the publication of `month` (a mistake found after posting), with
/// a reason; the month can then be corrected and published again. A later
/// published month must be withdrawn first: its running balance used this one.
pub fn withdraw(db: &mut Db, month: YearMonth, reason: &str) -> Result<()> {
    let reason = reason.trim();
    crate::text::Field::note("撤回原因").check(reason).map_err(Error::Invalid)?;
    if reason.is_empty() {
        return Err(Error::invalid("撤销公示必须填写原因"));
    }
    db.write(crate::auth::Job::Fees, |tx| {
        if !is_published(tx, month)? {
            return Err(Error::invalid(format!("{} 的伙食费收支表没有公示,无需撤销", month.label())));
        }
        if let Some(later) = meal_publications::first_published_after(tx, month)? {
            return Err(Error::conflict(format!(
                "{} 已公示,它的学期累计用到了 {} 的数字;请先撤销 {} 的公示",
                later.label(),
                month.label(),
                later.label()
            )));
        }
        meal_publications::withdraw(tx, month, reason)?;
        tx.audit(
            "meal_publication",
            month,
            "withdraw",
            Some(&serde_json::json!({ "status": "published" })),
            Some(&serde_json::json!({ "status": "withdrawn", "reason": reason })),
        )
    })
}

/// The home screen's reminder: last month's sheet is not yet published, or
/// was published and no longer matches the month's settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reminder {
    /// The month to publish (last month).
    pub month: YearMonth,
    /// Publish by this date.
    pub due: NaiveDate,
    /// Days from today to the due date (negative: overdue).
    pub days_left: i64,
    pub overdue: bool,
    /// The month has its month-end count (otherwise that comes first).
    pub counted: bool,
    /// The month's settlement is closed (otherwise 先结账: publishing is refused).
    pub closed: bool,
    /// The sheet is published but stale: withdraw it and publish again.
    pub stale: bool,
    /// The reminder in words.
    pub message: String,
}

/// The reminder for `today`, if the school keeps its meal account here and
/// last month's sheet is not published (or is published but stale).
pub fn reminder(conn: &Conn, today: NaiveDate) -> Result<Option<Reminder>> {
    if !purchases::in_use(conn)? {
        return Ok(None);
    }
    let month = YearMonth::of(today).prev();
    let s = settings::get(conn)?;
    let due = publish_by(&s, month);
    let days_left = (due - today).num_days();
    let counted = store::store_month(conn, month)?.counted();
    let closed = crate::settlement::month::is_closed(conn, month)?;
    if is_published(conn, month)? {
        let stale = published_sheet(conn, month)?.and_then(|s| s.stale);
        return Ok(stale.map(|why| Reminder {
            month,
            due,
            days_left,
            overdue: false,
            counted,
            closed,
            stale: true,
            message: format!("{}伙食费收支表需要重新公示:{why}", month.label()),
        }));
    }
    let due_text = format!("{}月{}日", chrono::Datelike::month(&due), chrono::Datelike::day(&due));
    let mut message = if days_left < 0 {
        format!("{}伙食费收支公示已过公示期限({due_text}),请尽快公示", month.label())
    } else if days_left == 0 {
        format!("今天是{}伙食费收支公示的最后一天({due_text})", month.label())
    } else {
        format!("请在 {due_text} 前公示 {}伙食费收支表(还有 {days_left} 天)", month.label())
    };
    // What has to happen first, in the order the bursar does it.
    let mut first = Vec::new();
    if !closed {
        first.push(format!("先结账(确认 {} 的月结)", month.label()));
    }
    if !counted {
        first.push(format!("完成 {} 的月末盘点", month.label()));
    }
    if !first.is_empty() {
        message.push_str(&format!(";公示前请{}", first.join(",再")));
    }
    Ok(Some(Reminder { month, due, days_left, overdue: days_left < 0, counted, closed, stale: false, message }))
}
