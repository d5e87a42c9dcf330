//! Children: list, enrol, edit, move between classes, leave; import and export.

use std::path::Path;

use chrono::NaiveDate;
use houqin::import::children::{self as import_children, ImportSummary};
use houqin::school::children::{self, Child, ChildDetails, ChildFilter, NewChild, Placement};
use houqin::school::{ChildId, ClassId};
use tauri::{Emitter, State};

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

/// Import progress as the UI's bar shows it (`import-progress` event).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
}

/// Imports a CSV/xlsx roster on a blocking task, emitting `import-progress`.
/// A file with any bad row writes nothing; the error lists every row.
#[tauri::command]
pub async fn children_import(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> Result<ImportSummary, AppError> {
    state
        .run(move |db| {
            import_children::import_file(db, Path::new(&path), &mut |done, total| {
                // A lost progress event only leaves the bar behind; not an error.
                let _ = app.emit("import-progress", ImportProgress { done, total });
            })
        })
        .await
}

/// Writes children and classes to an .xlsx file.
#[tauri::command]
pub async fn children_export(state: State<'_, AppState>, path: String) -> Result<(), AppError> {
    state.run(move |db| houqin::export::children_xlsx(db.conn(), Path::new(&path))).await
}

/// Writes an empty import template (the header row, UTF-8 with BOM for Excel).
#[tauri::command]
pub async fn children_template(state: State<'_, AppState>, path: String) -> Result<(), AppError> {
    state
        .run(move |_| {
            houqin::output_file::write_bytes_atomic(Path::new(&path), import_children::template_csv().as_bytes())
        })
        .await
}
