//! 食品留样: the day's menu and samples, one save per meal, copying last
//! week's menu, the discard list and discarding, the missing-sample check
//! (also on the home screen), the records' flags, a day's 非在园日供餐 reason,
//! the three daily logs, the kitchen settings and
//! the printouts (paths come from the UI's save dialog). "Now" is this PC's
//! clock, taken here so the core's rules can be tested with fixed clocks.

use std::path::Path;

use chrono::NaiveDate;
use houqin::dates::{self, YearMonth};
use houqin::db;
use houqin::kitchen::checks::{self, Flag};
use houqin::kitchen::logs::{self, DailyLogs, DisinfectionInput, FridgeReadingInput, HealthCheckInput, LogKind};
use houqin::kitchen::samples::{
    self, CopySummary, DiscardInput, FridgeContents, KitchenDay, MealEntry, MealSaved, MissingReport,
};
use houqin::kitchen::settings::{self, SettingsForm};
use houqin::kitchen::{print, Meal};
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// The day's meals with their dishes and samples.
#[tauri::command]
pub async fn kitchen_day(state: State<'_, AppState>, date: NaiveDate) -> Result<KitchenDay, AppError> {
    state.run(move |db| samples::day(db.conn(), date, db::now(), db.operator())).await
}

/// Saves one meal: its dishes and the weights typed.
#[tauri::command]
pub async fn kitchen_save_meal(state: State<'_, AppState>, entry: MealEntry) -> Result<MealSaved, AppError> {
    state.run(move |db| samples::save_meal(db, &entry, db::now())).await
}

/// Copies last week's menu onto this week's school days without a menu.
#[tauri::command]
pub async fn kitchen_copy_week(state: State<'_, AppState>, date: NaiveDate) -> Result<CopySummary, AppError> {
    state.run(move |db| samples::copy_last_week(db, date)).await
}

/// Dish names for autocomplete, most used first.
#[tauri::command]
pub async fn kitchen_dish_names(state: State<'_, AppState>) -> Result<Vec<String>, AppError> {
    state.run(|db| samples::dish_names(db.conn())).await
}

/// The samples in the fridge: due for discard, and still kept.
#[tauri::command]
pub async fn kitchen_fridge(state: State<'_, AppState>) -> Result<FridgeContents, AppError> {
    state.run(|db| samples::fridge_contents(db.conn(), db::now())).await
}

/// Records one discard of several samples.
#[tauri::command]
pub async fn kitchen_discard(state: State<'_, AppState>, input: DiscardInput) -> Result<usize, AppError> {
    state.run(move |db| samples::discard(db, &input, db::now())).await
}

/// What is missing today and in the `days` days before (the home screen asks for 7).
#[tauri::command]
pub async fn kitchen_missing(state: State<'_, AppState>, days: i64) -> Result<MissingReport, AppError> {
    state.run(move |db| samples::recent_missing(db.conn(), dates::today(), days.clamp(0, 62))).await
}

/// What the records show wrong over today and the `days` days before it (flags).
#[tauri::command]
pub async fn kitchen_flags(state: State<'_, AppState>, days: i64) -> Result<Vec<Flag>, AppError> {
    state.run(move |db| checks::recent_flags(db.conn(), db::now(), days.clamp(0, 62))).await
}

/// Records (or corrects) why the kitchen cooked on a day the children were away.
#[tauri::command]
pub async fn kitchen_set_off_day_reason(
    state: State<'_, AppState>,
    date: NaiveDate,
    reason: String,
) -> Result<(), AppError> {
    state.run(move |db| samples::set_off_day_reason(db, date, &reason)).await
}

/// One day's temperature, disinfection and health-check logs, and what they lack.
#[tauri::command]
pub async fn kitchen_daily(state: State<'_, AppState>, date: NaiveDate) -> Result<DailyLogs, AppError> {
    state.run(move |db| logs::daily_status(db.conn(), date)).await
}

#[tauri::command]
pub async fn kitchen_add_reading(state: State<'_, AppState>, input: FridgeReadingInput) -> Result<i64, AppError> {
    state.run(move |db| logs::add_reading(db, &input, db::now())).await
}

#[tauri::command]
pub async fn kitchen_add_disinfection(state: State<'_, AppState>, input: DisinfectionInput) -> Result<i64, AppError> {
    state.run(move |db| logs::add_disinfection(db, &input, db::now())).await
}

#[tauri::command]
pub async fn kitchen_add_health(state: State<'_, AppState>, input: HealthCheckInput) -> Result<i64, AppError> {
    state.run(move |db| logs::add_health_check(db, &input, db::now())).await
}

/// Deletes a log entry typed by mistake (audited).
#[tauri::command]
pub async fn kitchen_delete_log(state: State<'_, AppState>, kind: LogKind, id: i64) -> Result<(), AppError> {
    state.run(move |db| logs::delete_entry(db, kind, id)).await
}

/// The settings as the form shows them.
#[tauri::command]
pub async fn kitchen_settings_get(state: State<'_, AppState>) -> Result<SettingsForm, AppError> {
    state.run(|db| Ok(settings::get(db.conn())?.to_form())).await
}

#[tauri::command]
pub async fn kitchen_settings_save(state: State<'_, AppState>, form: SettingsForm) -> Result<SettingsForm, AppError> {
    state.run(move |db| Ok(settings::save(db, &form)?.to_form())).await
}

/// Writes the month's 食品留样记录表 to `path`; returns the page count.
#[tauri::command]
pub async fn kitchen_print_samples(
    state: State<'_, AppState>,
    month: YearMonth,
    path: String,
) -> Result<usize, AppError> {
    state.run(move |db| print::write_samples_pdf(db.conn(), month, db::now(), Path::new(&path))).await
}

/// Writes the label sheet of a day (or one meal) to `path`; returns the label count.
#[tauri::command]
pub async fn kitchen_print_labels(
    state: State<'_, AppState>,
    date: NaiveDate,
    meal: Option<Meal>,
    path: String,
) -> Result<usize, AppError> {
    state.run(move |db| print::write_labels_pdf(db.conn(), date, meal, Path::new(&path))).await
}

/// Writes the month's temperature, disinfection or health-check log to `path`.
#[tauri::command]
pub async fn kitchen_print_log(
    state: State<'_, AppState>,
    kind: LogKind,
    month: YearMonth,
    path: String,
) -> Result<usize, AppError> {
    state.run(move |db| print::write_log_pdf(db.conn(), kind, month, dates::today(), Path::new(&path))).await
}
