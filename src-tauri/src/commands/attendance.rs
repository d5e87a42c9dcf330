//! Attendance (考勤): the month grid of a class, absence changes (one cell, a
//! leave range, or a whole grid selection as one transaction) and the import
//! of absences from CSV/xlsx.

use std::path::Path;

use houqin::attendance::absences::{self, AbsenceChange};
use houqin::attendance::grid::{self, MonthGrid};
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::import::absences::{self as import_absences, AbsenceImportSummary};
use houqin::school::ClassId;
use houqin::settlement::month::is_closed;
use serde::Serialize;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// The month grid plus whether the month is already settled (the screen then
/// says that changes become corrections carried into the next open month).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AttendanceGrid {
    #[serde(flatten)]
    pub grid: MonthGrid,
    pub closed: bool,
}

/// Builds the grid of `class_id` for `month` (a plain function, tested below).
pub fn grid_view(db: &Db, month: YearMonth, class_id: ClassId) -> houqin::Result<AttendanceGrid> {
    Ok(AttendanceGrid { grid: grid::month_grid(db.conn(), month, class_id)?, closed: is_closed(db.conn(), month)? })
}

/// A grid edit as stored: the grid afterwards, and the changes that undo it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GridEdit {
    #[serde(flatten)]
    pub grid: AttendanceGrid,
    pub undo: Vec<AbsenceChange>,
}

/// Applies a grid edit (all cells or none; a closed month only with a
/// correction reason) and answers with the grid as stored.
pub fn apply_and_regrid(
    db: &mut Db,
    changes: &[AbsenceChange],
    reason: Option<&str>,
    month: YearMonth,
    class_id: ClassId,
) -> houqin::Result<GridEdit> {
    let edit = absences::edit(db, changes, reason)?;
    Ok(GridEdit { grid: grid_view(db, month, class_id)?, undo: edit.undo })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn attendance_grid(
    state: State<'_, AppState>,
    month: YearMonth,
    class_id: ClassId,
) -> Result<AttendanceGrid, AppError> {
    state.run(move |db| grid_view(db, month, class_id)).await
}

/// A grid selection, an undo (Ctrl+Z) or the leave dialog: every change in
/// one transaction; `reason` is the 更正 mode's reason (needed on a closed month).
#[tauri::command(rename_all = "snake_case")]
pub async fn absence_apply_all(
    state: State<'_, AppState>,
    changes: Vec<AbsenceChange>,
    reason: Option<String>,
    month: YearMonth,
    class_id: ClassId,
) -> Result<GridEdit, AppError> {
    state.run(move |db| apply_and_regrid(db, &changes, reason.as_deref(), month, class_id)).await
}

/// Imports a CSV/xlsx of absences; a file with any bad row writes nothing.
#[tauri::command]
pub async fn absences_import(state: State<'_, AppState>, path: String) -> Result<AbsenceImportSummary, AppError> {
    state.run(move |db| import_absences::import_file(db, Path::new(&path))).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use houqin::refund::LeaveKind;
    use houqin::school::classes;

    fn d(s: &str) -> chrono::NaiveDate {
        s.parse().expect("date")
    }

    fn demo() -> Db {
        let mut db = Db::open_scratch().expect("db");
        houqin::demo::load(&mut db, d("2025-11-20")).expect("demo");
        db
    }

    #[test]
    fn a_selection_is_saved_in_one_go_and_the_grid_shows_it() {
        let mut db = demo();
        let month: YearMonth = "2025-10".parse().expect("month");
        let class = classes::list(db.conn()).expect("classes")[0].id;
        let before = grid_view(&db, month, class).expect("grid");
        // Two children enrolled all month (the demo has a joiner and a leaver).
        let whole: Vec<usize> =
            (0..before.grid.rows.len()).filter(|&i| before.grid.rows[i].enrolled.iter().all(|e| *e)).take(2).collect();
        assert_eq!(whole.len(), 2);
        // 2025-10-20..24 is Monday to Friday.
        let changes: Vec<AbsenceChange> = whole
            .iter()
            .map(|&i| AbsenceChange {
                child_id: before.grid.rows[i].child_id,
                from: d("2025-10-20"),
                to: d("2025-10-24"),
                kind: Some(LeaveKind::Sick),
                note: String::new(),
            })
            .collect();
        let after = apply_and_regrid(&mut db, &changes, None, month, class).expect("applied").grid;
        for &i in &whole {
            let row = &after.grid.rows[i];
            assert!(row.cells[19..24].iter().all(|c| *c == Some(LeaveKind::Sick)), "{:?}", row.cells);
        }
        // October 2025 was left open by the demo (settled up to September).
        assert!(!after.closed);
        assert!(grid_view(&db, "2025-09".parse().expect("month"), class).expect("grid").closed);
    }

    #[test]
    fn one_bad_cell_refuses_the_whole_selection() {
        let mut db = demo();
        let month: YearMonth = "2025-10".parse().expect("month");
        let class = classes::list(db.conn()).expect("classes")[0].id;
        let before = grid_view(&db, month, class).expect("grid");
        let i = before.grid.rows.iter().position(|r| r.enrolled.iter().all(|e| *e)).expect("a child");
        let good = AbsenceChange {
            child_id: before.grid.rows[i].child_id,
            from: d("2025-10-27"),
            to: d("2025-10-27"),
            kind: Some(LeaveKind::Personal),
            note: String::new(),
        };
        // Ends before it starts: the core refuses, and the good change is rolled back.
        let bad = AbsenceChange { from: d("2025-10-28"), to: d("2025-10-27"), ..good.clone() };
        let err = apply_and_regrid(&mut db, &[good, bad], None, month, class).expect_err("refused");
        assert!(err.to_string().contains("早于开始日期"), "{err}");
        let after = grid_view(&db, month, class).expect("grid");
        assert_eq!(after.grid.rows[i].cells, before.grid.rows[i].cells);
    }

    /// The 更正 mode and Ctrl+Z as the screen uses them: a closed month's cell
    /// changes only with a reason, and the answer's `undo` restores the grid.
    #[test]
    fn a_closed_month_needs_a_reason_and_an_edit_can_be_undone() {
        let mut db = demo();
        let month: YearMonth = "2025-09".parse().expect("month");
        let class = classes::list(db.conn()).expect("classes")[0].id;
        let before = grid_view(&db, month, class).expect("grid");
        assert!(before.closed);
        let i = before.grid.rows.iter().position(|r| r.enrolled.iter().all(|e| *e)).expect("a child");
        // 2025-09-15..17, Monday to Wednesday.
        let change = AbsenceChange {
            child_id: before.grid.rows[i].child_id,
            from: d("2025-09-15"),
            to: d("2025-09-17"),
            kind: Some(LeaveKind::Other),
            note: String::new(),
        };
        let err = apply_and_regrid(&mut db, std::slice::from_ref(&change), None, month, class).expect_err("stray key");
        assert!(matches!(err, houqin::Error::Conflict(_)), "{err:?}");
        assert_eq!(grid_view(&db, month, class).expect("grid").grid.rows[i].cells, before.grid.rows[i].cells);

        let edited = apply_and_regrid(&mut db, &[change], Some("家长补交请假条"), month, class).expect("更正");
        assert!(edited.grid.grid.rows[i].cells[14..17].iter().all(|c| *c == Some(LeaveKind::Other)));
        let undone = apply_and_regrid(&mut db, &edited.undo, Some("撤销:家长补交请假条"), month, class).expect("undo");
        assert_eq!(undone.grid.grid.rows[i].cells, before.grid.rows[i].cells);
    }
}
