//! Houqin 后勤 desktop app: a thin Tauri shell over the `houqin` core.
//! It opens the database, hands the UI (plain files in `ui/`) a set of small
//! commands, and turns every core error into the one JSON shape the UI shows.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;
mod state;

use commands::{app, attendance, calendar, children, demo, notices, school, settings, settlement};
use commands::supplies;

fn main() {
    let path = state::db_path_from_args(std::env::args().skip(1));
    let app_state = state::AppState::open(&path);
    if let Some(e) = app_state.open_error() {
        eprintln!("无法打开数据库 {}:{}", path.display(), e.message);
    }
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(app_state)
        .invoke_handler(tauri::generate_handler![
            app::app_status,
            app::home_overview,
            school::profile_get,
            school::profile_save,
            school::classes_list,
            school::class_add,
            school::class_update,
            school::class_delete,
            children::children_list,
            children::child_add,
            children::child_update,
            children::child_move,
            children::child_set_left,
            children::child_placements,
            children::children_import,
            children::children_export,
            children::children_template,
            calendar::calendar_month,
            calendar::calendar_overrides,
            calendar::calendar_set_override,
            calendar::calendar_remove_override,
            calendar::closures_list,
            calendar::closure_add,
            calendar::closure_delete,
            settings::operator_get,
            settings::operator_set,
            settings::staff_list,
            settings::staff_add,
            settings::staff_set_active,
            demo::demo_load,
            attendance::attendance_grid,
            attendance::absence_apply,
            attendance::absence_apply_all,
            attendance::absences_import,
            settlement::settlement_preview,
            settlement::settlement_confirm,
            settlement::settlement_reopen,
            settlement::settlement_export_xlsx,
            settlement::fee_rules_versions,
            settlement::fee_rules_for,
            settlement::fee_rules_save,
            settlement::fee_presets,
            settlement::fee_rules_trial,
            settlement::fee_rules_export,
            settlement::fee_rules_import,
            notices::notice_months,
            notices::notices_plan,
            notices::notices_print,
            notices::notices_statement,
            notices::notice_settings_get,
            notices::notice_settings_save,
            notices::notices_open,
            supplies::supplies_options,
            supplies::supplies_options_save,
            supplies::supply_items,
            supplies::supply_item_add,
            supplies::supply_item_update,
            supplies::supply_item_archive,
            supplies::supply_items_import,
            supplies::supply_items_template,
            supplies::stock_receive,
            supplies::stock_issue,
            supplies::stock_reverse,
            supplies::stock_doc,
            supplies::stock_docs,
            supplies::stock_journal,
            supplies::stock_balance,
            supplies::stock_usage,
            supplies::stock_report_pdf,
            supplies::stock_slip_pdf,
            supplies::stock_export_xlsx,
            supplies::stock_open_pdf,
            supplies::deposits_list,
            supplies::deposit_lend,
            supplies::deposit_close,
            supplies::stocktake_sheet,
            supplies::stocktake_save,
            supplies::stocktake_lines,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("后勤 Houqin 无法启动:{e}");
        std::process::exit(1);
    }
}
