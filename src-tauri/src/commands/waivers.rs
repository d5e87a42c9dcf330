//! 减免、资助: a child's (or a month's) waivers, adding and ending one, the
//! kinds setting, and the 资助名册 of a term written to a file the UI chose.
//! Amounts are typed in 元 and parsed by the core; the UI computes nothing.

use std::path::Path;

use houqin::dates::YearMonth;
use houqin::waivers::kinds::{self, WaiverKind};
use houqin::waivers::roster::{self, Roster};
use houqin::waivers::{self, Waiver, WaiverFilter, WaiverInput};
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub async fn waivers_list(state: State<'_, AppState>, filter: WaiverFilter) -> Result<Vec<Waiver>, AppError> {
    state.run(move |db| waivers::list(db.conn(), &filter)).await
}

#[tauri::command]
pub async fn waiver_add(state: State<'_, AppState>, waiver: WaiverInput) -> Result<Waiver, AppError> {
    state.run(move |db| waivers::add(db, &waiver)).await
}

/// Ends waiver `id` with `last` as its last month.
#[tauri::command]
pub async fn waiver_end(state: State<'_, AppState>, id: i64, last: YearMonth) -> Result<Waiver, AppError> {
    state.run(move |db| waivers::end(db, id, last)).await
}

/// Cancels waiver `id`, entered by mistake, with the reason.
#[tauri::command]
pub async fn waiver_cancel(state: State<'_, AppState>, id: i64, reason: String) -> Result<Waiver, AppError> {
    state.run(move |db| waivers::cancel(db, id, &reason)).await
}

#[tauri::command]
pub async fn waiver_kinds(state: State<'_, AppState>) -> Result<Vec<WaiverKind>, AppError> {
    state.run(move |db| kinds::get(db.conn())).await
}

#[tauri::command]
pub async fn waiver_kinds_save(
    state: State<'_, AppState>,
    kinds: Vec<WaiverKind>,
) -> Result<Vec<WaiverKind>, AppError> {
    state.run(move |db| kinds::save(db, &kinds)).await
}

/// Writes the 资助名册 of `from..=to` to `path` (.pdf or .xlsx).
#[tauri::command]
pub async fn waiver_roster_save(
    state: State<'_, AppState>,
    from: YearMonth,
    to: YearMonth,
    path: String,
) -> Result<Roster, AppError> {
    state
        .run(move |db| {
            let r = roster::build(db.conn(), from, to)?;
            roster::write(&r, Path::new(&path))?;
            Ok(r)
        })
        .await
}
