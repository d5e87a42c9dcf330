//! 伙食账: food purchases with their inspection record, the month-end count
//! with staff meals, the 伙食费收支公示 sheet (on screen, PDF, Excel),
//! publishing and withdrawing, the settings, and the home screen's reminder.

use std::path::Path;

use houqin::dates::{self, YearMonth};
use houqin::meal_account::store::{delete_count, CountInput};
use houqin::meal_account::{self as meal, purchases, settings, MealSettings, MealSheet, Purchase, PurchaseId};
use houqin::meal_account::{PurchaseInput, Reminder, StoreMonth};
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub async fn meal_settings_get(state: State<'_, AppState>) -> Result<MealSettings, AppError> {
    state.run(|db| settings::get(db.conn())).await
}

#[tauri::command]
pub async fn meal_settings_save(state: State<'_, AppState>, settings: MealSettings) -> Result<MealSettings, AppError> {
    state.run(move |db| settings::save(db, &settings)).await
}

#[tauri::command]
pub async fn meal_purchases(state: State<'_, AppState>, month: YearMonth) -> Result<Vec<Purchase>, AppError> {
    state.run(move |db| meal::list_purchases(db.conn(), month)).await
}

#[tauri::command]
pub async fn meal_purchase_add(state: State<'_, AppState>, purchase: PurchaseInput) -> Result<Purchase, AppError> {
    state.run(move |db| meal::add_purchase(db, &purchase)).await
}

#[tauri::command]
pub async fn meal_purchase_update(
    state: State<'_, AppState>,
    id: PurchaseId,
    purchase: PurchaseInput,
) -> Result<Purchase, AppError> {
    state.run(move |db| purchases::update_purchase(db, id, &purchase)).await
}

#[tauri::command]
pub async fn meal_purchase_delete(state: State<'_, AppState>, id: PurchaseId) -> Result<(), AppError> {
    state.run(move |db| meal::delete_purchase(db, id)).await
}

/// The kitchen store of a month (opening, purchases, count, issues, staff).
#[tauri::command]
pub async fn meal_store(state: State<'_, AppState>, month: YearMonth) -> Result<StoreMonth, AppError> {
    state.run(move |db| meal::store_month(db.conn(), month)).await
}

#[tauri::command]
pub async fn meal_count_save(
    state: State<'_, AppState>,
    month: YearMonth,
    count: CountInput,
) -> Result<StoreMonth, AppError> {
    state.run(move |db| meal::save_count(db, month, &count)).await
}

#[tauri::command]
pub async fn meal_count_delete(state: State<'_, AppState>, month: YearMonth) -> Result<(), AppError> {
    state.run(move |db| delete_count(db, month)).await
}

/// The month's 伙食费收支公示 (as published, or computed from today's data).
#[tauri::command]
pub async fn meal_sheet(state: State<'_, AppState>, month: YearMonth) -> Result<MealSheet, AppError> {
    state.run(move |db| meal::sheet_for(db.conn(), month)).await
}

/// Writes the sheet as PDF (A4 landscape) to `path`.
#[tauri::command]
pub async fn meal_sheet_pdf(state: State<'_, AppState>, month: YearMonth, path: String) -> Result<(), AppError> {
    state.run(move |db| meal::pdf::write(&meal::sheet_for(db.conn(), month)?, Path::new(&path))).await
}

/// Writes the sheet and the month's purchases as .xlsx to `path`.
#[tauri::command]
pub async fn meal_sheet_xlsx(state: State<'_, AppState>, month: YearMonth, path: String) -> Result<(), AppError> {
    state
        .run(move |db| {
            let sheet = meal::sheet_for(db.conn(), month)?;
            meal::xlsx::write(&sheet, &meal::list_purchases(db.conn(), month)?, Path::new(&path))
        })
        .await
}

/// Publishes the month's sheet (locks the month); `date` defaults to today.
#[tauri::command]
pub async fn meal_publish(
    state: State<'_, AppState>,
    month: YearMonth,
    date: Option<chrono::NaiveDate>,
) -> Result<MealSheet, AppError> {
    state.run(move |db| meal::publish(db, month, date.unwrap_or_else(dates::today))).await
}

#[tauri::command]
pub async fn meal_withdraw(state: State<'_, AppState>, month: YearMonth, reason: String) -> Result<(), AppError> {
    state.run(move |db| meal::withdraw(db, month, &reason)).await
}

/// The home screen's reminder to publish last month's sheet, if due.
#[tauri::command]
pub async fn meal_reminder(state: State<'_, AppState>) -> Result<Option<Reminder>, AppError> {
    state.run(|db| meal::reminder(db.conn(), dates::today())).await
}
