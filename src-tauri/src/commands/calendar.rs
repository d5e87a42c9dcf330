//! The school calendar: month view, custom days, closures.

use chrono::NaiveDate;
use houqin::calendar::{Closure, HolidayEntry, MonthCalendar};
use houqin::dates::YearMonth;
use houqin::school::calendar::{self, ImportedYear, StoredClosure};
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub async fn calendar_month(state: State<'_, AppState>, month: YearMonth) -> Result<MonthCalendar, AppError> {
    state.run(move |db| calendar::month(db.conn(), month)).await
}

#[tauri::command]
pub async fn calendar_overrides(state: State<'_, AppState>) -> Result<Vec<HolidayEntry>, AppError> {
    state.run(|db| calendar::overrides(db.conn())).await
}

#[tauri::command]
pub async fn calendar_set_override(state: State<'_, AppState>, entry: HolidayEntry) -> Result<(), AppError> {
    state.run(move |db| calendar::set_override(db, &entry)).await
}

#[tauri::command]
pub async fn calendar_remove_override(state: State<'_, AppState>, date: NaiveDate) -> Result<(), AppError> {
    state.run(move |db| calendar::remove_override(db, date)).await
}

#[tauri::command]
pub async fn closures_list(state: State<'_, AppState>) -> Result<Vec<StoredClosure>, AppError> {
    state.run(|db| calendar::closures(db.conn())).await
}

#[tauri::command]
pub async fn closure_add(state: State<'_, AppState>, closure: Closure) -> Result<i64, AppError> {
    state.run(move |db| calendar::add_closure(db, &closure)).await
}

#[tauri::command]
pub async fn closure_delete(state: State<'_, AppState>, id: i64) -> Result<(), AppError> {
    state.run(move |db| calendar::delete_closure(db, id)).await
}

/// Imports a year's State Council schedule from a JSON file the user chose.
#[tauri::command]
pub async fn calendar_import_year(state: State<'_, AppState>, path: String) -> Result<ImportedYear, AppError> {
    state
        .run(move |db| {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                houqin::Error::invalid(format!("无法读取文件 {path}:{}", houqin::import::io_reason(&e)))
            })?;
            calendar::import_year(db, &text)
        })
        .await
}
