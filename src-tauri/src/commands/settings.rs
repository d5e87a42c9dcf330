//! The operator and the staff list.

use houqin::school::staff::{self, Staff, StaffInput};
use houqin::school::StaffId;
use houqin::settings;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// Sets the operator for this session and remembers them for the next start.
#[tauri::command]
pub async fn operator_set(state: State<'_, AppState>, name: String) -> Result<(), AppError> {
    state.run(move |db| settings::set_operator(db, &name)).await
}

#[tauri::command]
pub async fn staff_list(state: State<'_, AppState>) -> Result<Vec<Staff>, AppError> {
    state.run(|db| staff::list(db.conn())).await
}

#[tauri::command]
pub async fn staff_add(state: State<'_, AppState>, input: StaffInput) -> Result<StaffId, AppError> {
    state.run(move |db| staff::add(db, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn staff_set_active(state: State<'_, AppState>, id: StaffId, active: bool) -> Result<(), AppError> {
    state.run(move |db| staff::set_active(db, id, active)).await
}
