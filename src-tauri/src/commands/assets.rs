//! Fixed assets (固定资产): the register and its cards, categories and
//! settings, import/export, labels, stocktakes room by room (scan, tick,
//! surplus, finish, report, book adjustments), transfers and handovers,
//! disposals, and the monthly depreciation report.

use std::path::Path;

use chrono::NaiveDate;
use houqin::assets::categories::{self, Category, CategoryInput};
use houqin::assets::depreciation::{self, MonthlyReport};
use houqin::assets::movements::{self, Disposal, DisposalRequest, HandoverInput, Transfer, TransferInput};
use houqin::assets::reconcile::Reconciliation;
use houqin::assets::register::{self, AssetFilter, AssetInput, RoomInfo, Suggestions, Totals};
use houqin::assets::settings::{self, SettingsForm};
use houqin::assets::stocktake::{
    self, Adjustment, LineUpdate, LineView, NotChecked, OtherRoomChoice, ScanResult, StocktakeInput, StocktakeReport,
    StocktakeSummary, SurplusInput,
};
use houqin::assets::{
    self as core, io, print, AssetCard, AssetId, CategoryId, DisposalId, LineId, Overview, StocktakeId, Vocabulary,
};
use houqin::dates::{today, YearMonth};
use houqin::db::Db;
use houqin::output_file::write_bytes_atomic;
use serde::Serialize;
use tauri::{Emitter, State};

use crate::commands::children::ImportProgress;
use crate::error::AppError;
use crate::state::AppState;

/// The register list with its totals.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssetList {
    pub assets: Vec<register::Asset>,
    pub totals: Totals,
}

/// The settings form, and what "by ownership" currently means.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SettingsView {
    pub form: SettingsForm,
    pub rule_label: String,
    pub rule_text: String,
}

#[tauri::command]
pub async fn assets_overview(state: State<'_, AppState>) -> Result<Overview, AppError> {
    state.run(|db| core::overview(db.conn(), today())).await
}

#[tauri::command]
pub async fn assets_vocabulary() -> Result<Vocabulary, AppError> {
    Ok(core::vocabulary())
}

#[tauri::command]
pub async fn assets_list(state: State<'_, AppState>, filter: AssetFilter) -> Result<AssetList, AppError> {
    state
        .run(move |db| {
            let assets = register::list(db.conn(), &filter, today())?;
            Ok(AssetList { totals: register::totals(&assets), assets })
        })
        .await
}

#[tauri::command]
pub async fn asset_card(state: State<'_, AppState>, id: AssetId) -> Result<AssetCard, AppError> {
    state.run(move |db| core::card(db.conn(), id, today())).await
}

#[tauri::command]
pub async fn asset_add(state: State<'_, AppState>, input: AssetInput) -> Result<AssetId, AppError> {
    state.run(move |db| register::add(db, &input, today())).await
}

#[tauri::command]
pub async fn asset_update(state: State<'_, AppState>, id: AssetId, input: AssetInput) -> Result<(), AppError> {
    state.run(move |db| register::update(db, id, &input, today())).await
}

/// The capitalisation advice for the form being filled in (nothing saved).
#[tauri::command]
pub async fn asset_advice(state: State<'_, AppState>, input: AssetInput) -> Result<Vec<String>, AppError> {
    state.run(move |db| register::advice(db.conn(), &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn asset_suggest_number(
    state: State<'_, AppState>,
    category_id: CategoryId,
    acquired_on: NaiveDate,
) -> Result<String, AppError> {
    state.run(move |db| register::suggest_number(db.conn(), category_id, acquired_on)).await
}

#[tauri::command]
pub async fn asset_suggestions(state: State<'_, AppState>) -> Result<Suggestions, AppError> {
    state.run(|db| register::suggestions(db.conn())).await
}

#[tauri::command]
pub async fn asset_rooms(state: State<'_, AppState>) -> Result<Vec<RoomInfo>, AppError> {
    state.run(|db| register::rooms(db.conn())).await
}

#[tauri::command]
pub async fn asset_categories(state: State<'_, AppState>) -> Result<Vec<Category>, AppError> {
    state.run(|db| categories::list(db.conn())).await
}

#[tauri::command]
pub async fn asset_category_add(state: State<'_, AppState>, input: CategoryInput) -> Result<CategoryId, AppError> {
    state.run(move |db| categories::add(db, &input)).await
}

#[tauri::command]
pub async fn asset_category_update(
    state: State<'_, AppState>,
    id: CategoryId,
    input: CategoryInput,
) -> Result<(), AppError> {
    state.run(move |db| categories::update(db, id, &input)).await
}

fn settings_view(db: &Db) -> houqin::Result<SettingsView> {
    let s = settings::load(db.conn())?;
    Ok(SettingsView { form: s.to_form(), rule_label: s.rule.label().into(), rule_text: s.rule.description().into() })
}

#[tauri::command]
pub async fn assets_settings_get(state: State<'_, AppState>) -> Result<SettingsView, AppError> {
    state.run(|db| settings_view(db)).await
}

#[tauri::command]
pub async fn assets_settings_save(state: State<'_, AppState>, form: SettingsForm) -> Result<SettingsView, AppError> {
    state
        .run(move |db| {
            settings::save(db, &form)?;
            settings_view(db)
        })
        .await
}

/// Imports a register file, emitting `import-progress` (all rows or none).
#[tauri::command]
pub async fn assets_import(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> Result<io::ImportSummary, AppError> {
    state
        .run(move |db| {
            io::import_file(db, Path::new(&path), today(), &mut |done, total| {
                // A lost progress event only leaves the bar behind.
                let _ = app.emit("import-progress", ImportProgress { done, total });
            })
        })
        .await
}

#[tauri::command]
pub async fn assets_export(state: State<'_, AppState>, path: String) -> Result<(), AppError> {
    state.run(move |db| io::register_xlsx(db.conn(), Path::new(&path), today())).await
}

/// Writes the import template (header and one example row, UTF-8 with BOM).
#[tauri::command]
pub async fn assets_template(state: State<'_, AppState>, path: String) -> Result<(), AppError> {
    state.run(move |_| write_bytes_atomic(Path::new(&path), io::template_csv().as_bytes())).await
}

/// Writes a label sheet for the given cards (in that order); returns how many labels.
pub fn write_labels(db: &Db, ids: &[AssetId], path: &Path) -> houqin::Result<usize> {
    let day = today();
    let list = ids.iter().map(|id| register::get(db.conn(), *id, day)).collect::<houqin::Result<Vec<_>>>()?;
    let pdf = print::labels_pdf(db.conn(), &list, &settings::load(db.conn())?)?;
    write_bytes_atomic(path, &pdf)?;
    Ok(list.len())
}

#[tauri::command]
pub async fn assets_labels_pdf(state: State<'_, AppState>, ids: Vec<AssetId>, path: String) -> Result<usize, AppError> {
    state.run(move |db| write_labels(db, &ids, Path::new(&path))).await
}

#[tauri::command]
pub async fn depreciation_report(state: State<'_, AppState>, month: YearMonth) -> Result<MonthlyReport, AppError> {
    state.run(move |db| depreciation::monthly_report(db.conn(), month)).await
}

#[tauri::command]
pub async fn depreciation_pdf(state: State<'_, AppState>, month: YearMonth, path: String) -> Result<(), AppError> {
    state
        .run(move |db| {
            let report = depreciation::monthly_report(db.conn(), month)?;
            write_bytes_atomic(Path::new(&path), &print::depreciation_pdf(db.conn(), &report)?)
        })
        .await
}

#[tauri::command]
pub async fn depreciation_xlsx(state: State<'_, AppState>, month: YearMonth, path: String) -> Result<(), AppError> {
    state.run(move |db| io::depreciation_xlsx(&depreciation::monthly_report(db.conn(), month)?, Path::new(&path))).await
}

// ------------------------------------------------------------------ movements

#[tauri::command(rename_all = "snake_case")]
pub async fn asset_transfers(state: State<'_, AppState>, asset_id: Option<AssetId>) -> Result<Vec<Transfer>, AppError> {
    state.run(move |db| movements::transfers(db.conn(), asset_id, 500)).await
}

#[tauri::command]
pub async fn asset_transfer(state: State<'_, AppState>, input: TransferInput) -> Result<usize, AppError> {
    state.run(move |db| movements::transfer(db, &input, today())).await
}

#[tauri::command]
pub async fn asset_handover(state: State<'_, AppState>, input: HandoverInput) -> Result<usize, AppError> {
    state.run(move |db| movements::handover(db, &input, today())).await
}

#[tauri::command]
pub async fn disposals_list(state: State<'_, AppState>) -> Result<Vec<Disposal>, AppError> {
    state.run(|db| movements::disposals(db.conn(), None)).await
}

#[tauri::command]
pub async fn disposal_request(state: State<'_, AppState>, request: DisposalRequest) -> Result<DisposalId, AppError> {
    state.run(move |db| movements::request(db, &request, today())).await
}

/// Who must approve disposing of this card (from the settings, by original value).
#[tauri::command(rename_all = "snake_case")]
pub async fn disposal_level(state: State<'_, AppState>, asset_id: AssetId) -> Result<String, AppError> {
    state
        .run(move |db| {
            let a = register::get(db.conn(), asset_id, today())?;
            Ok(movements::approval_level(&settings::load(db.conn())?.approval_levels, a.original).1)
        })
        .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn disposal_decide(
    state: State<'_, AppState>,
    id: DisposalId,
    approve: bool,
    approver: String,
    decided_on: NaiveDate,
    note: String,
) -> Result<(), AppError> {
    state.run(move |db| movements::decide(db, id, approve, &approver, decided_on, &note, today())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn disposal_complete(
    state: State<'_, AppState>,
    id: DisposalId,
    disposed_on: NaiveDate,
    proceeds: String,
) -> Result<(), AppError> {
    state.run(move |db| movements::complete(db, id, disposed_on, &proceeds, today())).await
}

// ------------------------------------------------------------------ stocktakes

#[tauri::command]
pub async fn stocktakes_list(state: State<'_, AppState>) -> Result<Vec<StocktakeSummary>, AppError> {
    state.run(|db| stocktake::list(db.conn())).await
}

#[tauri::command]
pub async fn stocktake_get(state: State<'_, AppState>, id: StocktakeId) -> Result<StocktakeSummary, AppError> {
    state.run(move |db| stocktake::get(db.conn(), id)).await
}

#[tauri::command]
pub async fn stocktake_start(state: State<'_, AppState>, input: StocktakeInput) -> Result<StocktakeId, AppError> {
    state.run(move |db| stocktake::start(db, &input, today())).await
}

#[tauri::command]
pub async fn stocktake_cancel(state: State<'_, AppState>, id: StocktakeId) -> Result<(), AppError> {
    state.run(move |db| stocktake::cancel(db, id)).await
}

#[tauri::command]
pub async fn stocktake_room_lines(
    state: State<'_, AppState>,
    id: StocktakeId,
    room: String,
) -> Result<Vec<LineView>, AppError> {
    state.run(move |db| stocktake::room_lines(db.conn(), id, &room)).await
}

#[tauri::command]
pub async fn stocktake_scan(
    state: State<'_, AppState>,
    id: StocktakeId,
    room: String,
    number: String,
    choice: Option<OtherRoomChoice>,
) -> Result<ScanResult, AppError> {
    state.run(move |db| stocktake::scan(db, id, &room, &number, choice, today())).await
}

/// Scans that queued up on the room screen while the previous one was being
/// saved: one transaction, one answer per number (all or nothing if a number
/// is refused; the screen then sends them one by one).
#[tauri::command]
pub async fn stocktake_scan_many(
    state: State<'_, AppState>,
    id: StocktakeId,
    room: String,
    numbers: Vec<String>,
) -> Result<Vec<ScanResult>, AppError> {
    state.run(move |db| stocktake::scan_many(db, id, &room, &numbers, None, None, today())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn stocktake_tick(
    state: State<'_, AppState>,
    line_id: LineId,
    room: String,
    choice: Option<OtherRoomChoice>,
) -> Result<ScanResult, AppError> {
    state.run(move |db| stocktake::tick(db, line_id, &room, choice, today())).await
}

#[tauri::command]
pub async fn stocktake_surplus(
    state: State<'_, AppState>,
    id: StocktakeId,
    input: SurplusInput,
) -> Result<LineView, AppError> {
    state.run(move |db| stocktake::record_surplus(db, id, &input, today())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn stocktake_update_line(
    state: State<'_, AppState>,
    line_id: LineId,
    change: LineUpdate,
) -> Result<LineView, AppError> {
    state.run(move |db| stocktake::update_line(db, line_id, &change)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn stocktake_mark_missing(state: State<'_, AppState>, line_id: LineId) -> Result<LineView, AppError> {
    state.run(move |db| stocktake::mark_missing(db, line_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn stocktake_reset_line(state: State<'_, AppState>, line_id: LineId) -> Result<(), AppError> {
    state.run(move |db| stocktake::reset_line(db, line_id)).await
}

#[tauri::command]
pub async fn stocktake_room_done(
    state: State<'_, AppState>,
    id: StocktakeId,
    room: String,
    done: bool,
) -> Result<(), AppError> {
    state.run(move |db| stocktake::set_room_done(db, id, &room, done)).await
}

#[tauri::command]
pub async fn stocktake_finish(
    state: State<'_, AppState>,
    id: StocktakeId,
    on: NaiveDate,
) -> Result<Reconciliation, AppError> {
    state.run(move |db| stocktake::finish(db, id, on, today())).await
}

#[tauri::command]
pub async fn stocktake_report(state: State<'_, AppState>, id: StocktakeId) -> Result<StocktakeReport, AppError> {
    state.run(move |db| stocktake::report(db.conn(), id)).await
}

#[tauri::command]
pub async fn stocktake_report_pdf(state: State<'_, AppState>, id: StocktakeId, path: String) -> Result<(), AppError> {
    state
        .run(move |db| write_bytes_atomic(Path::new(&path), &print::stocktake_pdf(&stocktake::report(db.conn(), id)?)?))
        .await
}

#[tauri::command]
pub async fn stocktake_report_xlsx(state: State<'_, AppState>, id: StocktakeId, path: String) -> Result<(), AppError> {
    state.run(move |db| io::stocktake_xlsx(&stocktake::report(db.conn(), id)?, Path::new(&path))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn stocktake_adjust(
    state: State<'_, AppState>,
    line_id: LineId,
    adjustment: Adjustment,
) -> Result<(), AppError> {
    state.run(move |db| stocktake::adjust(db, line_id, &adjustment, today())).await
}

#[tauri::command]
pub async fn stocktake_apply_moves(state: State<'_, AppState>, id: StocktakeId) -> Result<usize, AppError> {
    state.run(move |db| stocktake::apply_moves(db, id, today())).await
}

#[tauri::command]
pub async fn assets_not_checked(state: State<'_, AppState>) -> Result<Vec<NotChecked>, AppError> {
    state.run(|db| stocktake::never_checked(db.conn(), today())).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_ui_shapes_read_as_core_types() {
        // What ui/screens/assets*.js sends.
        let a: Adjustment = serde_json::from_value(
            json!({"kind": "write_off", "reason": "丢失", "approver": "王园长", "on": "2025-10-20"}),
        )
        .expect("write_off");
        assert!(matches!(a, Adjustment::WriteOff { .. }));
        let c: Option<OtherRoomChoice> = serde_json::from_value(json!("move")).expect("choice");
        assert_eq!(c, Some(OtherRoomChoice::Move));
        let f: AssetFilter = serde_json::from_value(json!({"room": "大一班", "status": "in_use"})).expect("filter");
        assert_eq!(f.room.as_deref(), Some("大一班"));
    }

    #[test]
    fn labels_are_written_for_the_chosen_cards() {
        let mut db = Db::open_scratch().expect("db");
        houqin::demo::load(&mut db, today()).expect("demo");
        let ids: Vec<AssetId> = register::list(db.conn(), &AssetFilter::default(), today())
            .expect("list")
            .iter()
            .take(5)
            .map(|a| a.id)
            .collect();
        let dir = std::env::temp_dir().join(format!("houqin-app-labels-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("labels.pdf");
        assert_eq!(write_labels(&db, &ids, &path).expect("labels"), 5);
        assert!(std::fs::read(&path).expect("read").starts_with(b"%PDF"));
        let err = write_labels(&db, &[], &path).expect_err("empty");
        assert!(err.to_string().contains("没有要打印标签的资产"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
