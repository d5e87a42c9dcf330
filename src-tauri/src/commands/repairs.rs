//! Repair requests (报修): the screen's lists in one call, reporting, the
//! keeper's steps (assign, visit, close with cost, cancel), the reporter's
//! confirmation, the settings, and the slip and monthly list as PDF.

use std::path::Path;

use chrono::NaiveDate;
use houqin::dates::{today, YearMonth};
use houqin::repairs::reports::{self, FollowUp, MonthCost, TradeGroup};
use houqin::repairs::settings::{self, RepairSettings};
use houqin::repairs::{self as core, CloseInput, Repair, RepairFilter, RepairId, RepairInput, Trade};
use serde::Serialize;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// A trade as the form offers it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TradeChoice {
    pub value: Trade,
    pub label: String,
}

/// Everything the 报修 screen shows, as of today.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RepairsView {
    pub today: NaiveDate,
    pub open_by_trade: Vec<TradeGroup>,
    pub follow_up: FollowUp,
    /// The last twelve months, oldest first.
    pub costs: Vec<MonthCost>,
    /// Every request, newest first.
    pub all: Vec<Repair>,
    /// The register's rooms (where a fault can be reported).
    pub rooms: Vec<String>,
    pub trades: Vec<TradeChoice>,
    pub settings: RepairSettings,
}

fn view(db: &houqin::db::Db) -> houqin::Result<RepairsView> {
    let conn = db.conn();
    let day = today();
    let last = YearMonth::of(day);
    let first = (0..11).fold(last, |m, _| m.prev());
    Ok(RepairsView {
        today: day,
        open_by_trade: reports::open_by_trade(conn, day)?,
        follow_up: reports::follow_up(conn, day)?,
        costs: reports::costs(conn, first, last, day)?,
        all: core::list(conn, &RepairFilter::default(), day)?,
        rooms: houqin::assets::register::rooms(conn)?.into_iter().map(|r| r.room).collect(),
        trades: Trade::ALL.into_iter().map(|t| TradeChoice { value: t, label: t.label().into() }).collect(),
        settings: settings::load(conn)?,
    })
}

#[tauri::command]
pub async fn repairs_view(state: State<'_, AppState>) -> Result<RepairsView, AppError> {
    state.run(|db| view(db)).await
}

#[tauri::command]
pub async fn repair_add(state: State<'_, AppState>, input: RepairInput) -> Result<RepairId, AppError> {
    state.run(move |db| core::add(db, &input, today())).await
}

#[tauri::command]
pub async fn repair_assign(
    state: State<'_, AppState>,
    id: RepairId,
    to: String,
    on: NaiveDate,
) -> Result<(), AppError> {
    state.run(move |db| core::assign(db, id, &to, on, today())).await
}

#[tauri::command]
pub async fn repair_visit(state: State<'_, AppState>, id: RepairId, on: NaiveDate) -> Result<(), AppError> {
    state.run(move |db| core::visit(db, id, on, today())).await
}

#[tauri::command]
pub async fn repair_close(state: State<'_, AppState>, id: RepairId, input: CloseInput) -> Result<Repair, AppError> {
    state.run(move |db| core::close(db, id, &input, today())).await
}

#[tauri::command]
pub async fn repair_confirm(state: State<'_, AppState>, id: RepairId) -> Result<(), AppError> {
    state.run(move |db| core::confirm(db, id, today(), today())).await
}

#[tauri::command]
pub async fn repair_cancel(state: State<'_, AppState>, id: RepairId, reason: String) -> Result<(), AppError> {
    state.run(move |db| core::cancel(db, id, &reason, today(), today())).await
}

#[tauri::command]
pub async fn repairs_settings_save(state: State<'_, AppState>, settings: RepairSettings) -> Result<(), AppError> {
    state.run(move |db| self::settings::save(db, &settings)).await
}

#[tauri::command]
pub async fn repair_slip_pdf(state: State<'_, AppState>, id: RepairId, path: String) -> Result<(), AppError> {
    state
        .run(move |db| {
            let r = core::get(db.conn(), id, today())?;
            let school = houqin::school::profile::get(db.conn())?.map(|p| p.name).unwrap_or_default();
            core::pdf::write_slip(&r, &school, Path::new(&path))
        })
        .await
}

#[tauri::command]
pub async fn repairs_month_pdf(state: State<'_, AppState>, month: YearMonth, path: String) -> Result<(), AppError> {
    state
        .run(move |db| core::pdf::write_month(&reports::month_list(db.conn(), month, today())?, Path::new(&path)))
        .await
}
