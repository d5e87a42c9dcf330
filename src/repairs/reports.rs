//! What the keeper reads: open requests by trade and age, the week's
//! follow-up list, costs per month and per room, the monthly list. All as of
//! the `today` passed in; the screen shows these numbers, it computes none.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::{list, Repair, RepairFilter, RepairStatus, Trade};
use crate::dates::YearMonth;
use crate::store::Conn;
use crate::{Fen, Result};

/// The open requests of one trade, oldest first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TradeGroup {
    pub trade: Trade,
    pub trade_label: String,
    pub repairs: Vec<Repair>,
    pub overdue: usize,
}

/// Open requests grouped by trade (only trades that have some), each group
/// oldest first.
pub fn open_by_trade(conn: &Conn, today: NaiveDate) -> Result<Vec<TradeGroup>> {
    let open = list(conn, &RepairFilter { open_only: true, ..Default::default() }, today)?;
    Ok(Trade::ALL
        .into_iter()
        .filter_map(|trade| {
            let mut repairs: Vec<Repair> = open.iter().filter(|r| r.trade == trade).cloned().collect();
            if repairs.is_empty() {
                return None;
            }
            repairs.sort_by_key(|r| (std::cmp::Reverse(r.age_days), r.id));
            Some(TradeGroup {
                trade,
                trade_label: trade.label().into(),
                overdue: repairs.iter().filter(|r| r.overdue).count(),
                repairs,
            })
        })
        .collect())
}

/// One line of the week's follow-up list, with why it is on it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FollowUpItem {
    pub repair: Repair,
    pub reason: String,
}

/// The weekly check the seeds ask for (每周进行检查反馈,杜绝拖延不修,修而不好):
/// requests past their visit deadline, visited but not yet fixed, and fixed
/// but not yet confirmed by the reporter.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FollowUp {
    /// Monday and Sunday of the week of `today`.
    pub week_from: NaiveDate,
    pub week_to: NaiveDate,
    pub items: Vec<FollowUpItem>,
}

pub fn follow_up(conn: &Conn, today: NaiveDate) -> Result<FollowUp> {
    let week_from = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let mut items = Vec::new();
    for r in list(conn, &RepairFilter::default(), today)? {
        let reason = match r.status {
            _ if r.overdue => {
                format!("拖延未修:应于 {} 前上门,已报修 {} 天", crate::dates::on_paper(r.visit_due), r.age_days)
            }
            RepairStatus::Visited => format!("已上门,尚未修好(已报修 {} 天)", r.age_days),
            RepairStatus::Done => "已完工,请报修人确认是否修好".to_string(),
            _ => continue,
        };
        items.push(FollowUpItem { repair: r, reason });
    }
    items.sort_by_key(|i| (!i.repair.overdue, i.repair.reported_on, i.repair.id));
    Ok(FollowUp { week_from, week_to: week_from + Duration::days(6), items })
}

/// Finished repairs and their cost in one room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoomCost {
    pub room: String,
    pub count: usize,
    pub cost: Fen,
}

/// Repairs finished in a month, their cost, and per room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonthCost {
    /// 2026-11
    pub month: String,
    /// 2026年11月
    pub label: String,
    pub count: usize,
    pub cost: Fen,
    pub rooms: Vec<RoomCost>,
}

fn cost_of(month: YearMonth, finished: &[&Repair]) -> Result<MonthCost> {
    let mut rooms: Vec<RoomCost> = Vec::new();
    let mut total = Fen::ZERO;
    for r in finished {
        total = total.checked_add(r.cost)?;
        match rooms.iter_mut().find(|x| x.room == r.room) {
            Some(x) => {
                x.count += 1;
                x.cost = x.cost.checked_add(r.cost)?;
            }
            None => rooms.push(RoomCost { room: r.room.clone(), count: 1, cost: r.cost }),
        }
    }
    rooms.sort_by(|a, b| b.cost.cmp(&a.cost).then_with(|| a.room.cmp(&b.room)));
    Ok(MonthCost { month: month.to_string(), label: month.label(), count: finished.len(), cost: total, rooms })
}

/// Cost per month from `first` to `last` (by the day the work was done),
/// every month listed even when nothing was repaired.
pub fn costs(conn: &Conn, first: YearMonth, last: YearMonth, today: NaiveDate) -> Result<Vec<MonthCost>> {
    let done = list(
        conn,
        &RepairFilter { from: Some(first.first_day()), to: Some(last.last_day()), ..Default::default() },
        today,
    )?;
    let mut out = Vec::new();
    let mut m = first;
    while m <= last {
        let finished: Vec<&Repair> =
            done.iter().filter(|r| r.status.is_closed() && r.done_on.is_some_and(|d| m.contains(d))).collect();
        out.push(cost_of(m, &finished)?);
        m = m.next();
    }
    Ok(out)
}

/// The monthly list (维修登记表): every request reported or finished in the
/// month, then the month's costs per room.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonthList {
    pub school: String,
    pub month: String,
    pub label: String,
    pub repairs: Vec<Repair>,
    /// Of those, still open at the end of the month (or today, if earlier).
    pub open: usize,
    pub costs: MonthCost,
}

pub fn month_list(conn: &Conn, month: YearMonth, today: NaiveDate) -> Result<MonthList> {
    let mut repairs = list(
        conn,
        &RepairFilter { from: Some(month.first_day()), to: Some(month.last_day()), ..Default::default() },
        today,
    )?;
    repairs.sort_by_key(|r| (r.reported_on, r.id));
    let end = month.last_day().min(today);
    let open = repairs
        .iter()
        .filter(|r| r.reported_on <= end && r.done_on.is_none_or(|d| d > end) && r.cancelled_on.is_none_or(|d| d > end))
        .count();
    let finished: Vec<&Repair> =
        repairs.iter().filter(|r| r.status.is_closed() && r.done_on.is_some_and(|d| month.contains(d))).collect();
    let costs = cost_of(month, &finished)?;
    let school = crate::school::profile::get(conn)?.map(|p| p.name).unwrap_or_default();
    Ok(MonthList { school, month: month.to_string(), label: month.label(), repairs, open, costs })
}
