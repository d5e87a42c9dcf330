//! School profile and classes.

use houqin::school::classes::{self, ClassInfo, ClassInput};
use houqin::school::profile::{self, SchoolProfile};
use houqin::school::ClassId;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub async fn profile_get(state: State<'_, AppState>) -> Result<Option<SchoolProfile>, AppError> {
    state.run(|db| profile::get(db.conn())).await
}

#[tauri::command]
pub async fn profile_save(state: State<'_, AppState>, profile: SchoolProfile) -> Result<(), AppError> {
    state.run(move |db| profile::save(db, &profile)).await
}

#[tauri::command]
pub async fn classes_list(state: State<'_, AppState>) -> Result<Vec<ClassInfo>, AppError> {
    state.run(|db| classes::list(db.conn())).await
}

#[tauri::command]
pub async fn class_add(state: State<'_, AppState>, input: ClassInput) -> Result<ClassId, AppError> {
    state.run(move |db| classes::add(db, &input)).await
}

#[tauri::command]
pub async fn class_update(state: State<'_, AppState>, id: ClassId, input: ClassInput) -> Result<(), AppError> {
    state.run(move |db| classes::update(db, id, &input)).await
}

#[tauri::command]
pub async fn class_delete(state: State<'_, AppState>, id: ClassId) -> Result<(), AppError> {
    state.run(move |db| classes::delete(db, id)).await
}
