//! Repair requests (报修, issue 16 §3): anyone reports a fault in a room of
//! the asset register (on a card if there is one, which shows 维修 while the
//! request is open); the asset keeper assigns it, records the visit, the work
//! and its cost, and closes it; the reporter confirms.
//!
//! 待派工 → 已派工 → 已上门 → 已完成 → 已确认, or 撤销 with a reason from
//! any open state. The seeds' rule is that the repairer is on site the same
//! day; how many days a visit may take (urgent and not) is a setting, and
//! whether a request is overdue is worked out here from the report date
//! relative to the `today` passed in — never stored.
//!
//! - [`settings`]: the visit deadlines and the share of 原值 above which a
//!   repair suggests 报废.
//! - [`reports`]: the open list by trade and age, the week's follow-up list,
//!   costs per month and per room, the monthly list.
//! - [`pdf`]: the repair slip (维修单) and the monthly list.
//!
//! Every change runs in one transaction with an audit entry and reads what it
//! checks through that transaction. The SQL is in `store::repairs`.

pub mod pdf;
pub mod reports;
pub mod settings;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::assets::{AssetId, AssetStatus};
use crate::auth::Job;
use crate::db::{now, Db, Tx};
use crate::school::{id_type, text_enum_sql};
use crate::store::{self, Conn};
use crate::text::{Field, Kind};
use crate::{Error, Fen, Result};
use settings::RepairSettings;

id_type!(
    /// A repair request (报修单).
    RepairId
);

/// 工种: how the keeper sorts requests to send the right hands (the seeds:
/// 按水、电、木、其他设施维修分类派单).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "RepairTrade"))]
#[serde(rename_all = "snake_case")]
pub enum Trade {
    Water,
    Electric,
    Carpentry,
    DoorsWindows,
    Appliance,
    Other,
}
text_enum_sql!(Trade {
    Water => "water",
    Electric => "electric",
    Carpentry => "carpentry",
    DoorsWindows => "doors_windows",
    Appliance => "appliance",
    Other => "other",
});

impl Trade {
    pub const ALL: [Trade; 6] =
        [Trade::Water, Trade::Electric, Trade::Carpentry, Trade::DoorsWindows, Trade::Appliance, Trade::Other];

    pub fn label(self) -> &'static str {
        match self {
            Trade::Water => "水",
            Trade::Electric => "电",
            Trade::Carpentry => "木",
            Trade::DoorsWindows => "门窗",
            Trade::Appliance => "电器",
            Trade::Other => "其他",
        }
    }

    /// Accepts the label (水…) or the code name (water…).
    pub fn parse(s: &str) -> Result<Trade> {
        let t = s.trim();
        Trade::from_code(&t.to_ascii_lowercase())
            .or_else(|| Trade::ALL.into_iter().find(|x| x.label() == t))
            .ok_or_else(|| Error::invalid(format!("工种“{t}”无效,应为 水/电/木/门窗/电器/其他")))
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RepairStatus {
    /// 待派工
    Reported,
    /// 已派工
    Assigned,
    /// 已上门: the repairer has seen it; the work is not finished.
    Visited,
    /// 已完成: work and cost recorded; the card is back in use.
    Done,
    /// 已确认: the reporter says it is fixed.
    Confirmed,
    /// 已撤销
    Cancelled,
}
text_enum_sql!(RepairStatus {
    Reported => "reported",
    Assigned => "assigned",
    Visited => "visited",
    Done => "done",
    Confirmed => "confirmed",
    Cancelled => "cancelled",
});

impl RepairStatus {
    pub fn label(self) -> &'static str {
        match self {
            RepairStatus::Reported => "待派工",
            RepairStatus::Assigned => "已派工",
            RepairStatus::Visited => "已上门",
            RepairStatus::Done => "已完成",
            RepairStatus::Confirmed => "已确认",
            RepairStatus::Cancelled => "已撤销",
        }
    }

    /// Still waiting for the work to be done.
    pub fn is_open(self) -> bool {
        matches!(self, RepairStatus::Reported | RepairStatus::Assigned | RepairStatus::Visited)
    }

    /// The work is done (whether or not the reporter confirmed it).
    pub fn is_closed(self) -> bool {
        matches!(self, RepairStatus::Done | RepairStatus::Confirmed)
    }

    /// The steps a request in this status can take next: what the screens
    /// offer, and what [`assign`], [`visit`], [`close`], [`confirm`] and
    /// [`cancel`] allow (they refuse the rest), so the two never differ.
    pub fn steps(self) -> RepairSteps {
        use RepairStatus::*;
        RepairSteps {
            open: self.is_open(),
            closed: self.is_closed(),
            assign: matches!(self, Reported | Assigned),
            visit: self == Assigned,
            close: matches!(self, Assigned | Visited),
            confirm: self == Done,
            cancel: self.is_open(),
        }
    }
}

/// What can happen next to a request (see [`RepairStatus::steps`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RepairSteps {
    /// Waiting for the work (the card shows 维修; no second request for it).
    pub open: bool,
    /// The work is done: its cost is final.
    pub closed: bool,
    /// 派工 (or 改派).
    pub assign: bool,
    /// 登记上门.
    pub visit: bool,
    /// 完工.
    pub close: bool,
    /// 确认修好 (the reporter).
    pub confirm: bool,
    /// 撤销.
    pub cancel: bool,
}

/// One request as lists, the card dialog and the slip show it. The fields
/// after `created_by` are worked out as of the day asked for (see [`annotate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Repair {
    pub id: RepairId,
    pub reported_on: NaiveDate,
    pub room: String,
    pub asset_id: Option<AssetId>,
    /// 资产编号 and name of the card, if the fault is on one.
    pub asset_number: Option<String>,
    pub asset_name: Option<String>,
    /// 原值 of the card.
    pub asset_original: Option<Fen>,
    pub trade: Trade,
    pub trade_label: String,
    pub description: String,
    pub urgent: bool,
    pub reporter: String,
    pub status: RepairStatus,
    pub status_label: String,
    /// What can happen to it next.
    pub steps: RepairSteps,
    /// The card's status before the request (what closing puts back).
    pub prior_status: Option<AssetStatus>,
    pub assignee: String,
    pub assigned_on: Option<NaiveDate>,
    pub visited_on: Option<NaiveDate>,
    pub work: String,
    pub cost: Fen,
    pub done_on: Option<NaiveDate>,
    /// The keeper marked it 建议报废 when closing (the card stays 维修).
    pub scrap_marked: bool,
    pub confirmed_on: Option<NaiveDate>,
    pub cancel_reason: String,
    pub cancelled_on: Option<NaiveDate>,
    pub created_by: String,
    /// The last day the repairer should be on site.
    pub visit_due: NaiveDate,
    /// Days from the report to today (open) or to the day it ended.
    pub age_days: i64,
    /// Not visited by `visit_due`, as of today.
    pub overdue: bool,
    /// The cost is above the set share of 原值, or the keeper marked it: 建议报废.
    pub scrap_suggested: bool,
}

/// Works out the fields that depend on the day and the settings.
pub fn annotate(r: &mut Repair, today: NaiveDate, s: &RepairSettings) {
    let days = if r.urgent { s.urgent_visit_days } else { s.normal_visit_days };
    r.visit_due = r.reported_on + chrono::Duration::days(i64::from(days));
    let end = match r.status {
        RepairStatus::Done | RepairStatus::Confirmed => r.done_on.unwrap_or(today),
        RepairStatus::Cancelled => r.cancelled_on.unwrap_or(today),
        _ => today,
    };
    r.age_days = (end - r.reported_on).num_days().max(0);
    r.overdue = matches!(r.status, RepairStatus::Reported | RepairStatus::Assigned) && today > r.visit_due;
    r.scrap_suggested = r.scrap_marked || r.asset_original.is_some_and(|o| s.suggests_scrap(r.cost, o));
}

/// What the 报修 form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RepairInput {
    pub reported_on: NaiveDate,
    /// A room of the register; may be empty when an asset is given (its room).
    pub room: String,
    /// 资产编号, empty when the fault is not on a card (a tap, a door).
    #[serde(default)]
    pub asset_number: String,
    pub trade: Trade,
    pub description: String,
    #[serde(default)]
    pub urgent: bool,
    pub reporter: String,
}

/// What closing a request records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "RepairCloseInput"))]
pub struct CloseInput {
    pub done_on: NaiveDate,
    pub work: String,
    /// 元, as typed.
    pub cost: String,
    /// 建议报废: the card stays 维修 for the disposal request.
    #[serde(default)]
    pub suggest_scrap: bool,
}

const DESCRIPTION: Field = Field::new("故障描述", Kind::Note).max(200);
const REPORTER: Field = Field::person("报修人");
const ASSIGNEE: Field = Field::person("维修人");
const WORK: Field = Field::new("维修内容", Kind::Note).max(200);
const REASON: Field = Field::line("撤销原因");

fn checked(field: Field, value: &str, required: bool) -> Result<String> {
    let v = field.check(value).map_err(Error::Invalid)?;
    if required && v.is_empty() {
        return Err(Error::invalid(format!("请填写{}", field.label)));
    }
    Ok(v)
}

fn not_future(on: NaiveDate, what: &str, today: NaiveDate) -> Result<()> {
    if on > today {
        return Err(Error::invalid(format!("{what} {on} 晚于今天")));
    }
    Ok(())
}

/// One request as of `today`.
pub fn get(conn: &Conn, id: RepairId, today: NaiveDate) -> Result<Repair> {
    let s = settings::load(conn)?;
    let mut r = store::repairs::get(conn, id)?.ok_or_else(|| Error::not_found("报修单", id))?;
    annotate(&mut r, today, &s);
    Ok(r)
}

/// Which requests a list holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RepairFilter {
    /// Only those still waiting for the work.
    #[serde(default)]
    pub open_only: bool,
    /// Only those on this card.
    #[serde(default)]
    pub asset_id: Option<AssetId>,
    /// Only those reported or finished between these days (inclusive).
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

/// Requests, newest first, as of `today`.
pub fn list(conn: &Conn, filter: &RepairFilter, today: NaiveDate) -> Result<Vec<Repair>> {
    let s = settings::load(conn)?;
    let mut rows = store::repairs::list(conn, filter)?;
    for r in &mut rows {
        annotate(r, today, &s);
    }
    Ok(rows)
}

/// The card's repair history (for the card dialog), newest first.
pub fn history(conn: &Conn, asset: AssetId, today: NaiveDate) -> Result<Vec<Repair>> {
    list(conn, &RepairFilter { asset_id: Some(asset), ..Default::default() }, today)
}

/// Records a request; a card it is on becomes 维修. Anyone may report.
pub fn add(db: &mut Db, input: &RepairInput, today: NaiveDate) -> Result<RepairId> {
    db.write(Job::ReportRepair, |tx| add_in_tx(tx, input, today))
}

/// [`add`] inside an open transaction.
pub fn add_in_tx(tx: &Tx, input: &RepairInput, today: NaiveDate) -> Result<RepairId> {
    let description = checked(DESCRIPTION, &input.description, true)?;
    let reporter = checked(REPORTER, &input.reporter, true)?;
    let room_typed = crate::assets::limited(&input.room, "报修地点", 50)?;
    not_future(input.reported_on, "报修日期", today)?;
    let number = input.asset_number.trim();
    let (room, asset) = if number.is_empty() {
        if room_typed.is_empty() {
            return Err(Error::invalid("请填写报修地点(资产账上的房间)"));
        }
        if !store::repairs::room_on_register(tx, &room_typed)? {
            return Err(Error::invalid(format!("资产账上没有“{room_typed}”这个地点,请选择资产账上的房间")));
        }
        (room_typed, None)
    } else {
        let a = store::assets::register::by_number(tx, number)?
            .ok_or_else(|| Error::invalid(format!("没有编号为“{number}”的资产")))?;
        if !a.status.on_books() || a.status == AssetStatus::PendingDisposal {
            return Err(Error::conflict(format!("资产 {}({}){},不能报修", a.number, a.name, a.status.label())));
        }
        if !room_typed.is_empty() && room_typed != a.room {
            return Err(Error::invalid(format!(
                "资产 {}({})在“{}”,不在“{room_typed}”:请核对地点或资产编号",
                a.number, a.name, a.room
            )));
        }
        if let Some(open) = store::repairs::open_on_asset(tx, a.id)? {
            return Err(Error::conflict(format!(
                "资产 {}({})已有未完成的报修单 {open},请在那一份上跟进",
                a.number, a.name
            )));
        }
        (a.room.clone(), Some(a))
    };
    let id = store::repairs::insert(
        tx,
        &store::repairs::NewRepair {
            reported_on: input.reported_on,
            room: &room,
            asset: asset.as_ref().map(|a| (a.id, a.status)),
            trade: input.trade,
            description: &description,
            urgent: input.urgent,
            reporter: &reporter,
        },
        now(),
    )?;
    tx.audit("repair", id, "report", None, Some(&serde_json::json!(input)))?;
    if let Some(a) = asset {
        if a.status != AssetStatus::Repair {
            store::assets::register::set_status(tx, a.id, AssetStatus::Repair)?;
            tx.audit(
                "asset",
                a.id,
                "status",
                Some(&serde_json::json!(a.status)),
                Some(&serde_json::json!(AssetStatus::Repair)),
            )?;
        }
    }
    Ok(id)
}

/// The request, refused if it was cancelled (nothing more happens to it).
fn open_for(tx: &Tx, id: RepairId, doing: &str) -> Result<Repair> {
    let r = store::repairs::get(tx, id)?.ok_or_else(|| Error::not_found("报修单", id))?;
    if r.status == RepairStatus::Cancelled {
        return Err(Error::conflict(format!("报修单 {id} 已撤销,不能再{doing}")));
    }
    Ok(r)
}

/// Sends a repairer (again, if the first could not come).
pub fn assign(db: &mut Db, id: RepairId, to: &str, on: NaiveDate, today: NaiveDate) -> Result<()> {
    db.write(Job::Assets, |tx| assign_in_tx(tx, id, to, on, today))
}

/// [`assign`] inside an open transaction.
pub fn assign_in_tx(tx: &Tx, id: RepairId, to: &str, on: NaiveDate, today: NaiveDate) -> Result<()> {
    let to = checked(ASSIGNEE, to, true)?;
    let r = open_for(tx, id, "派工")?;
    if !r.status.steps().assign {
        return Err(Error::conflict(format!("报修单 {id} {},不能再派工", r.status.label())));
    }
    not_future(on, "派工日期", today)?;
    if on < r.reported_on {
        return Err(Error::invalid(format!("派工日期 {on} 早于报修日期 {}", r.reported_on)));
    }
    store::repairs::assign(tx, id, &to, on)?;
    tx.audit(
        "repair",
        id,
        "assign",
        Some(&serde_json::json!({ "status": r.status, "assignee": r.assignee })),
        Some(&serde_json::json!({ "assignee": to, "assigned_on": on })),
    )
}

/// Records the repairer's visit.
pub fn visit(db: &mut Db, id: RepairId, on: NaiveDate, today: NaiveDate) -> Result<()> {
    db.write(Job::Assets, |tx| visit_in_tx(tx, id, on, today))
}

/// [`visit`] inside an open transaction.
pub fn visit_in_tx(tx: &Tx, id: RepairId, on: NaiveDate, today: NaiveDate) -> Result<()> {
    let r = open_for(tx, id, "登记上门")?;
    match r.status {
        s if s.steps().visit => {}
        RepairStatus::Reported => return Err(Error::conflict(format!("报修单 {id} 还没有派工,请先派工"))),
        other => return Err(Error::conflict(format!("报修单 {id} {},不能再登记上门", other.label()))),
    }
    not_future(on, "上门日期", today)?;
    let assigned = r.assigned_on.unwrap_or(r.reported_on);
    if on < assigned {
        return Err(Error::invalid(format!("上门日期 {on} 早于派工日期 {assigned}")));
    }
    store::repairs::visit(tx, id, on)?;
    tx.audit("repair", id, "visit", Some(&serde_json::json!(r.status)), Some(&serde_json::json!({ "visited_on": on })))
}

/// Records the work and its cost; the card goes back to the status it had
/// (unless the keeper suggests 报废: then it stays 维修 for the disposal
/// request, which is the register's own procedure). Returns the request as
/// of `today` (whether the cost suggests 报废).
pub fn close(db: &mut Db, id: RepairId, input: &CloseInput, today: NaiveDate) -> Result<Repair> {
    db.write(Job::Assets, |tx| close_in_tx(tx, id, input, today))
}

/// [`close`] inside an open transaction.
pub fn close_in_tx(tx: &Tx, id: RepairId, input: &CloseInput, today: NaiveDate) -> Result<Repair> {
    let work = checked(WORK, &input.work, true)?;
    let cost = if input.cost.trim().is_empty() { Fen::ZERO } else { Fen::parse(&input.cost)? };
    if cost.is_negative() {
        return Err(Error::invalid("维修费用不能为负数"));
    }
    let r = open_for(tx, id, "完工")?;
    match r.status {
        s if s.steps().close => {}
        RepairStatus::Reported => return Err(Error::conflict(format!("报修单 {id} 还没有派工,不能完工"))),
        other => return Err(Error::conflict(format!("报修单 {id} {},不能再完工", other.label()))),
    }
    not_future(input.done_on, "完工日期", today)?;
    let since = r.visited_on.or(r.assigned_on).unwrap_or(r.reported_on);
    if input.done_on < since {
        return Err(Error::invalid(format!("完工日期 {} 早于 {since}", input.done_on)));
    }
    // Fixed on the first visit: that visit is the day it was done.
    let visited = r.visited_on.unwrap_or(input.done_on);
    store::repairs::close(tx, id, visited, &work, cost, input.done_on, input.suggest_scrap)?;
    tx.audit("repair", id, "close", Some(&serde_json::json!(r.status)), Some(&serde_json::json!(input)))?;
    if !input.suggest_scrap {
        restore_asset(tx, &r)?;
    }
    let s = settings::load(tx)?;
    let mut done = store::repairs::get(tx, id)?.ok_or_else(|| Error::not_found("报修单", id))?;
    annotate(&mut done, today, &s);
    Ok(done)
}

/// The card goes back to the status it had, if it still shows 维修 (a
/// disposal request filed meanwhile has moved it on; that stays).
fn restore_asset(tx: &Tx, r: &Repair) -> Result<()> {
    let (Some(asset), Some(prior)) = (r.asset_id, r.prior_status) else { return Ok(()) };
    if store::assets::register::status(tx, asset)? == Some(AssetStatus::Repair) && prior != AssetStatus::Repair {
        store::assets::register::set_status(tx, asset, prior)?;
        tx.audit(
            "asset",
            asset,
            "status",
            Some(&serde_json::json!(AssetStatus::Repair)),
            Some(&serde_json::json!(prior)),
        )?;
    }
    Ok(())
}

/// The reporter says it is fixed.
pub fn confirm(db: &mut Db, id: RepairId, on: NaiveDate, today: NaiveDate) -> Result<()> {
    db.write(Job::ReportRepair, |tx| confirm_in_tx(tx, id, on, today))
}

/// [`confirm`] inside an open transaction.
pub fn confirm_in_tx(tx: &Tx, id: RepairId, on: NaiveDate, today: NaiveDate) -> Result<()> {
    let r = open_for(tx, id, "确认")?;
    if !r.status.steps().confirm {
        return Err(Error::conflict(format!("报修单 {id} {},完工后才能确认", r.status.label())));
    }
    not_future(on, "确认日期", today)?;
    if r.done_on.is_some_and(|d| on < d) {
        return Err(Error::invalid(format!("确认日期 {on} 早于完工日期")));
    }
    store::repairs::confirm(tx, id, on)?;
    tx.audit(
        "repair",
        id,
        "confirm",
        Some(&serde_json::json!(r.status)),
        Some(&serde_json::json!({ "confirmed_on": on })),
    )
}

/// Cancels an open request (reported twice, fixed by itself); the card goes
/// back to the status it had.
pub fn cancel(db: &mut Db, id: RepairId, reason: &str, on: NaiveDate, today: NaiveDate) -> Result<()> {
    db.write(Job::Assets, |tx| cancel_in_tx(tx, id, reason, on, today))
}

/// [`cancel`] inside an open transaction.
pub fn cancel_in_tx(tx: &Tx, id: RepairId, reason: &str, on: NaiveDate, today: NaiveDate) -> Result<()> {
    let reason = checked(REASON, reason, true)?;
    let r = open_for(tx, id, "撤销")?;
    if !r.status.steps().cancel {
        return Err(Error::conflict(format!("报修单 {id} {},不能撤销", r.status.label())));
    }
    not_future(on, "撤销日期", today)?;
    store::repairs::cancel(tx, id, &reason, on.max(r.reported_on))?;
    tx.audit(
        "repair",
        id,
        "cancel",
        Some(&serde_json::json!(r.status)),
        Some(&serde_json::json!({ "reason": reason })),
    )?;
    restore_asset(tx, &r)
}
