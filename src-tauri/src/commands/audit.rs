//! 设置 → 操作日志: the audit trail, filtered and paged, and its export. Read-only.

use std::path::Path;

use houqin::audit_log::{self, LogChoices, LogPage};
use houqin::db::audit::AuditFilter;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub async fn audit_page(
    state: State<'_, AppState>,
    filter: AuditFilter,
    offset: usize,
    limit: usize,
) -> Result<LogPage, AppError> {
    state.run(move |db| audit_log::page(db.conn(), &filter, offset, limit)).await
}

#[tauri::command]
pub async fn audit_choices(state: State<'_, AppState>) -> Result<LogChoices, AppError> {
    state.run(|db| audit_log::choices(db.conn())).await
}

/// Writes the filtered list to an .xlsx file; returns how many rows it holds.
#[tauri::command]
pub async fn audit_export(state: State<'_, AppState>, filter: AuditFilter, path: String) -> Result<usize, AppError> {
    state.run(move |db| audit_log::export_xlsx(db.conn(), &filter, Path::new(&path))).await
}
