//! Children: list, enrol, edit, move between classes, leave.

use chrono::NaiveDate;
use houqin::school::children::{self, Child, ChildDetails, ChildFilter, NewChild, Placement};
use houqin::school::{ChildId, ClassId};
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub async fn children_list(state: State<'_, AppState>, filter: ChildFilter) -> Result<Vec<Child>, AppError> {
    state.run(move |db| children::list(db.conn(), &filter)).await
}

#[tauri::command]
pub async fn child_add(state: State<'_, AppState>, child: NewChild) -> Result<ChildId, AppError> {
    state.run(move |db| children::add(db, &child)).await
}

#[tauri::command]
pub async fn child_update(state: State<'_, AppState>, id: ChildId, details: ChildDetails) -> Result<(), AppError> {
    state.run(move |db| children::update(db, id, &details)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn child_move(
    state: State<'_, AppState>,
    id: ChildId,
    class_id: ClassId,
    from: NaiveDate,
) -> Result<(), AppError> {
    state.run(move |db| children::move_class(db, id, class_id, from)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn child_set_left(
    state: State<'_, AppState>,
    id: ChildId,
    left_on: Option<NaiveDate>,
) -> Result<(), AppError> {
    state.run(move |db| children::set_left(db, id, left_on)).await
}

#[tauri::command]
pub async fn child_placements(state: State<'_, AppState>, id: ChildId) -> Result<Vec<Placement>, AppError> {
    state.run(move |db| children::placements(db.conn(), id)).await
}
