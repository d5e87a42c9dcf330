//! Loading the demo school (only into an empty school; the core refuses otherwise).

use houqin::demo::{self, DemoSummary};
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub async fn demo_load(state: State<'_, AppState>) -> Result<DemoSummary, AppError> {
    state.run(|db| demo::load(db, houqin::dates::today())).await
}
