//! Houqin 后勤 desktop app: a thin Tauri shell over the `houqin` core.
//! It opens the database, hands the UI (plain files in `ui/`) a set of small
//! commands, and turns every core error into the one JSON shape the UI shows.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The command line `houqin`, compiled into the app as well: the .deb's
// /usr/bin/houqin starts this program with `--cli` first, so the package
// carries the core once instead of twice (scripts/package.sh).
#[path = "../../src/cli/mod.rs"]
mod cli;
mod commands;
mod error;
mod state;
#[cfg(all(test, feature = "ts"))]
mod ts_types;

use commands::assets;
use commands::kitchen;
use commands::repairs;
use commands::supplies;
use commands::waivers;
use commands::{
    app, attendance, audit, backup, calendar, children, demo, meal_account, notices, payments, school, session,
    settings, settlement,
};

/// WebKitGTK's rendering defaults for a forms-and-tables app, unless the user
/// set them. Accelerated compositing and the DMA-BUF renderer bring up a GL
/// stack for effects this UI does not use: measured with
/// `scripts/measure-app.sh` (Xvfb, Mesa, a loaded 2-core machine), they took
/// the first start from 4.6 s to 1.1 s to interactive, the demo school's home
/// screen from 6.0 s to 2.2 s, and WebKit's processes from 382 MB to 249 MB
/// RSS (README, "Start-up and memory"). They also avoid the blank window
/// some GPU drivers give WebKitGTK.
/// Set before any thread starts: the environment is read by WebKit at start.
fn webkit_defaults() {
    for (key, value) in [("WEBKIT_DISABLE_COMPOSITING_MODE", "1"), ("WEBKIT_DISABLE_DMABUF_RENDERER", "1")] {
        if std::env::var_os(key).is_none() {
            std::env::set_var(key, value);
        }
    }
}

/// First argument that makes this program the command line `houqin`.
const CLI_FLAG: &str = "--cli";

fn main() -> std::process::ExitCode {
    if std::env::args_os().nth(1).is_some_and(|a| a == CLI_FLAG) {
        // What follows the flag is `houqin`'s own command line.
        return cli::run_from(std::iter::once("houqin".into()).chain(std::env::args_os().skip(2)));
    }
    webkit_defaults();
    // --db, then HOUQIN_DB, then the choice saved on this PC; none of them:
    // the first start asks (本机数据库 or 连接服务器).
    let flag = state::db_flag(std::env::args().skip(1));
    let app_state = match houqin::connection::resolve(flag.as_deref()) {
        Ok(choice) => state::AppState::start(choice),
        Err(e) => state::AppState::failed(flag.as_deref(), &e),
    };
    if let Some(e) = app_state.open_error() {
        eprintln!("无法打开数据库 {}:{}", app_state.location(), e.message);
    }
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(app_state)
        .invoke_handler(tauri::generate_handler![
            app::app_status,
            app::app_ready,
            app::home_overview,
            app::check_run,
            session::connection_get,
            session::connection_use_local,
            session::connection_use_server,
            session::connection_test,
            session::auth_sign_in,
            session::auth_sign_out,
            session::auth_first_admin,
            session::users_list,
            session::user_add,
            session::user_set_disabled,
            session::user_reset_password,
            session::sign_in_required_set,
            backup::backup_list,
            backup::backup_status,
            backup::backup_create,
            backup::backup_daily,
            backup::backup_restore,
            backup::backup_restore_unopened,
            audit::audit_page,
            audit::audit_choices,
            audit::audit_export,
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
            calendar::calendar_import_year,
            calendar::closures_list,
            calendar::closure_add,
            calendar::closure_delete,
            settings::operator_set,
            settings::staff_list,
            settings::staff_add,
            settings::staff_set_active,
            demo::demo_load,
            attendance::attendance_grid,
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
            settlement::fee_list_settings,
            settlement::fee_list_save,
            settlement::fee_list_pdf,
            settlement::fee_rules_import,
            notices::notice_months,
            notices::notices_plan,
            notices::notices_print,
            notices::notices_statement,
            notices::notice_settings_get,
            notices::notice_settings_save,
            notices::notices_open,
            payments::payments_list,
            payments::payment_balance,
            payments::payment_add,
            payments::payment_reverse,
            payments::payment_receipt_print,
            waivers::waivers_list,
            waivers::waiver_add,
            waivers::waiver_end,
            waivers::waiver_cancel,
            waivers::waiver_kinds,
            waivers::waiver_kinds_save,
            waivers::waiver_roster_save,
            meal_account::meal_settings_get,
            meal_account::meal_settings_save,
            meal_account::meal_purchases,
            meal_account::meal_purchase_add,
            meal_account::meal_purchase_update,
            meal_account::meal_purchase_delete,
            meal_account::meal_store,
            meal_account::meal_count_save,
            meal_account::meal_count_delete,
            meal_account::meal_sheet,
            meal_account::meal_sheet_pdf,
            meal_account::meal_sheet_xlsx,
            meal_account::meal_publish,
            meal_account::meal_withdraw,
            meal_account::meal_reminder,
            kitchen::kitchen_day,
            kitchen::kitchen_save_meal,
            kitchen::kitchen_copy_week,
            kitchen::kitchen_dish_names,
            kitchen::kitchen_fridge,
            kitchen::kitchen_discard,
            kitchen::kitchen_missing,
            kitchen::kitchen_flags,
            kitchen::kitchen_set_off_day_reason,
            kitchen::kitchen_daily,
            kitchen::kitchen_add_reading,
            kitchen::kitchen_add_disinfection,
            kitchen::kitchen_add_health,
            kitchen::kitchen_delete_log,
            kitchen::kitchen_settings_get,
            kitchen::kitchen_settings_save,
            kitchen::kitchen_print_samples,
            kitchen::kitchen_print_labels,
            kitchen::kitchen_print_log,
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
            assets::assets_overview,
            assets::assets_vocabulary,
            assets::assets_list,
            assets::asset_card,
            repairs::repairs_view,
            repairs::repair_add,
            repairs::repair_assign,
            repairs::repair_visit,
            repairs::repair_close,
            repairs::repair_confirm,
            repairs::repair_cancel,
            repairs::repairs_settings_save,
            repairs::repair_slip_pdf,
            repairs::repairs_month_pdf,
            assets::asset_add,
            assets::asset_update,
            assets::asset_advice,
            assets::asset_suggest_number,
            assets::asset_suggestions,
            assets::asset_rooms,
            assets::asset_categories,
            assets::asset_category_add,
            assets::asset_category_update,
            assets::assets_settings_get,
            assets::assets_settings_save,
            assets::assets_import,
            assets::assets_export,
            assets::assets_template,
            assets::assets_labels_pdf,
            assets::depreciation_report,
            assets::depreciation_pdf,
            assets::depreciation_xlsx,
            assets::asset_transfers,
            assets::asset_transfer,
            assets::asset_handover,
            assets::disposals_list,
            assets::disposal_request,
            assets::disposal_level,
            assets::disposal_decide,
            assets::disposal_complete,
            assets::stocktakes_list,
            assets::stocktake_get,
            assets::stocktake_start,
            assets::stocktake_cancel,
            assets::stocktake_room_lines,
            assets::stocktake_scan,
            assets::stocktake_scan_many,
            assets::stocktake_tick,
            assets::stocktake_surplus,
            assets::stocktake_update_line,
            assets::stocktake_mark_missing,
            assets::stocktake_reset_line,
            assets::stocktake_room_done,
            assets::stocktake_finish,
            assets::stocktake_report,
            assets::stocktake_report_pdf,
            assets::stocktake_report_xlsx,
            assets::stocktake_adjust,
            assets::stocktake_apply_moves,
            assets::assets_not_checked,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("后勤 Houqin 无法启动:{e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
