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
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::load::{meal_income, publish_by, sheet_input};
use super::sheet::{compute, MealSheet, Publication};
use super::{purchases, settings};
use crate::dates::YearMonth;
use crate::db::{now, Db};
use crate::store::Conn;
use crate::{Error, Result};

/// Whether `month`'s sheet is published.
pub fn is_published(conn: &Connection, month: YearMonth) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM meal_publications WHERE month = ?1 AND status = 'published')",
        [month.to_string()],
        |r| r.get(0),
    )?)
}

/// Refuses a change to a published month.
pub(crate) fn ensure_unlocked(conn: &Connection, month: YearMonth) -> Result<()> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT published_on, published_by FROM meal_publications WHERE month = ?1 AND status = 'published'",
            [month.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        None => Ok(()),
        Some((on, by)) => Err(Error::conflict(format!(
            "{} 的伙食费收支表已于 {on} 公示({by}),不能再修改这个月的进货和盘点。如确需更正,请先撤销公示(须填写原因)",
            month.label()
        ))),
    }
}

/// The sheet as published, with its publication record, marked stale if its
/// settlement has changed since.
pub fn published_sheet(conn: &Conn, month: YearMonth) -> Result<Option<MealSheet>> {
    let row: Option<(String, NaiveDate, String, String)> = conn
        .query_row(
            "SELECT sheet_json, published_on, published_at, published_by FROM meal_publications
             WHERE month = ?1 AND status = 'published'",
            [month.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((json, published_on, published_at, published_by)) = row else { return Ok(None) };
    let mut sheet: MealSheet = serde_json::from_str(&json)
        .map_err(|e| Error::invalid(format!("{} 已公示的伙食费收支表无法读取:{e}", month.label())))?;
    sheet.publication = Some(Publication { published_on, published_at, published_by });
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
    db.with_tx(|tx| {
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
        tx.execute(
            "INSERT INTO meal_publications (month, status, published_on, published_at, published_by, sheet_json)
             VALUES (?1, 'published', ?2, ?3, ?4, ?5)",
            rusqlite::params![month.to_string(), published_on, now(), tx.operator(), json],
        )?;
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
        )
    })?;
    published_sheet(db.conn(), month)?.ok_or_else(|| Error::not_found("公示记录", month.label()))
}

/// Withdraws the publication of `month` (a mistake found after posting), with
/// a reason; the month can then be corrected and published again. A later
/// published month must be withdrawn first: its running balance used this one.
pub fn withdraw(db: &mut Db, month: YearMonth, reason: &str) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("撤销公示必须填写原因"));
    }
    db.with_tx(|tx| {
        if !is_published(tx, month)? {
            return Err(Error::invalid(format!("{} 的伙食费收支表没有公示,无需撤销", month.label())));
        }
        let later: Option<String> = tx
            .query_row(
                "SELECT MIN(month) FROM meal_publications WHERE month > ?1 AND status = 'published'",
                [month.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if let Some(later) = later {
            let later: YearMonth = later.parse()?;
            return Err(Error::conflict(format!(
                "{} 已公示,它的学期累计用到了 {} 的数字;请先撤销 {} 的公示",
                later.label(),
                month.label(),
                later.label()
            )));
        }
        tx.execute(
            "UPDATE meal_publications SET status = 'withdrawn', withdrawn_at = ?1, withdrawn_by = ?2, withdraw_reason = ?3
             WHERE month = ?4 AND status = 'published'",
            rusqlite::params![now(), tx.operator(), reason, month.to_string()],
        )?;
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
    let counted = super::store::store_month(conn, month)?.counted();
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
