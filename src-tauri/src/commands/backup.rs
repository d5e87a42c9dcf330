//! 设置 → 数据备份: back up now, to a folder the user picks, the list, restore;
//! the daily copy of the first start; the home screen's backup line.

use std::path::PathBuf;

use houqin::backup::{self, BackupInfo, BackupStatus, Reason, Restored};
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub async fn backup_list(state: State<'_, AppState>) -> Result<Vec<BackupInfo>, AppError> {
    state.run(|db| backup::list(db)).await
}

#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Result<BackupStatus, AppError> {
    state.run(|db| backup::status(db, houqin::dates::now())).await
}

/// A backup now: into the backups folder, or into `to` (a folder the user chose).
#[tauri::command]
pub async fn backup_create(state: State<'_, AppState>, to: Option<String>) -> Result<BackupInfo, AppError> {
    let to = to.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).map(PathBuf::from);
    state.run(move |db| backup::create(db, Reason::Manual, to.as_deref())).await
}

/// The first start of the day keeps a copy (`None`: already made today, a
/// new empty school, or a server).
#[tauri::command]
pub async fn backup_daily(state: State<'_, AppState>) -> Result<Option<BackupInfo>, AppError> {
    state.run(backup::daily).await
}

/// Replaces the open database's content with `file`, keeping a copy of what it replaces.
#[tauri::command]
pub async fn backup_restore(state: State<'_, AppState>, file: String) -> Result<Restored, AppError> {
    state.run(move |db| db.restore(std::path::Path::new(&file))).await
}

/// The start screen's 恢复最近的备份, for a database file that did not open.
#[tauri::command]
pub async fn backup_restore_unopened(state: State<'_, AppState>, file: String) -> Result<Restored, AppError> {
    state.restore_unopened(PathBuf::from(file)).await
}
