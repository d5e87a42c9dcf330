//! 物品领用: the catalogue and its import, receipts, issue slips, reversals,
//! documents and the journal, balance and usage reports, the printouts and the
//! .xlsx export, deposits and stocktakes. Each command calls one core function.

use std::path::Path;

use chrono::NaiveDate;
use houqin::dates::YearMonth;
use houqin::supplies::deposits::{self, CloseInput, Deposit, DepositFilter, DepositList, LendInput};
use houqin::supplies::item_import::{self, ItemImportSummary};
use houqin::supplies::items::{self, ItemFilter, ItemInput, SupplyItem};
use houqin::supplies::reports::{self, BalanceFilter, BalanceReport, UsageReport};
use houqin::supplies::settings::{self as supplies_settings, SuppliesOptions};
use houqin::supplies::stock::{
    self, DocFilter, DocSummary, IssueInput, JournalFilter, JournalLine, ReceiptInput, ReversalInput, SavedDoc,
    StockDoc,
};
use houqin::supplies::stocktake::{self, SheetLine, StocktakeInput};
use houqin::supplies::{print, template, DepositId, StockDocId, SupplyItemId};
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// Departments, classes, suggested categories and units.
#[tauri::command]
pub async fn supplies_options(state: State<'_, AppState>) -> Result<SuppliesOptions, AppError> {
    state.run(|db| supplies_settings::options(db.conn())).await
}

#[tauri::command]
pub async fn supplies_options_save(
    state: State<'_, AppState>,
    departments: Vec<String>,
    categories: Vec<String>,
    units: Vec<String>,
) -> Result<SuppliesOptions, AppError> {
    state.run(move |db| supplies_settings::save(db, &departments, &categories, &units)).await
}

#[tauri::command]
pub async fn supply_items(state: State<'_, AppState>, filter: ItemFilter) -> Result<Vec<SupplyItem>, AppError> {
    state.run(move |db| items::list(db.conn(), &filter)).await
}

#[tauri::command]
pub async fn supply_item_add(state: State<'_, AppState>, item: ItemInput) -> Result<SupplyItemId, AppError> {
    state.run(move |db| items::add(db, &item)).await
}

#[tauri::command]
pub async fn supply_item_update(state: State<'_, AppState>, id: SupplyItemId, item: ItemInput) -> Result<(), AppError> {
    state.run(move |db| items::update(db, id, &item)).await
}

#[tauri::command]
pub async fn supply_item_archive(state: State<'_, AppState>, id: SupplyItemId, archived: bool) -> Result<(), AppError> {
    state.run(move |db| items::set_archived(db, id, archived)).await
}

/// Imports a catalogue file (.xlsx/.csv); any bad row: nothing imported.
#[tauri::command]
pub async fn supply_items_import(state: State<'_, AppState>, path: String) -> Result<ItemImportSummary, AppError> {
    state.run(move |db| item_import::import_file(db, Path::new(&path))).await
}

/// Writes the catalogue's import template: an Excel workbook for a `.xlsx`
/// path, else CSV (UTF-8 with BOM).
#[tauri::command]
pub async fn supply_items_template(state: State<'_, AppState>, path: String) -> Result<(), AppError> {
    state.run(move |db| template::write_template(Path::new(&path), &supplies_settings::options(db.conn())?)).await
}

#[tauri::command]
pub async fn stock_receive(state: State<'_, AppState>, receipt: ReceiptInput) -> Result<SavedDoc, AppError> {
    state.run(move |db| stock::receive(db, &receipt)).await
}

#[tauri::command]
pub async fn stock_issue(state: State<'_, AppState>, issue: IssueInput) -> Result<SavedDoc, AppError> {
    state.run(move |db| stock::issue(db, &issue)).await
}

#[tauri::command]
pub async fn stock_reverse(state: State<'_, AppState>, reversal: ReversalInput) -> Result<SavedDoc, AppError> {
    state.run(move |db| stock::reverse(db, &reversal)).await
}

#[tauri::command]
pub async fn stock_doc(state: State<'_, AppState>, id: StockDocId) -> Result<StockDoc, AppError> {
    state.run(move |db| stock::doc(db.conn(), id)).await
}

#[tauri::command]
pub async fn stock_docs(state: State<'_, AppState>, filter: DocFilter) -> Result<Vec<DocSummary>, AppError> {
    state.run(move |db| stock::docs(db.conn(), &filter)).await
}

#[tauri::command]
pub async fn stock_journal(state: State<'_, AppState>, filter: JournalFilter) -> Result<Vec<JournalLine>, AppError> {
    state.run(move |db| stock::journal(db.conn(), &filter)).await
}

#[tauri::command]
pub async fn stock_balance(state: State<'_, AppState>, filter: BalanceFilter) -> Result<BalanceReport, AppError> {
    state.run(move |db| reports::balance(db.conn(), &filter)).await
}

#[tauri::command]
pub async fn stock_usage(state: State<'_, AppState>, month: YearMonth) -> Result<UsageReport, AppError> {
    state.run(move |db| reports::usage(db.conn(), month)).await
}

/// Writes the month's stock report (PDF) to `path`.
#[tauri::command]
pub async fn stock_report_pdf(state: State<'_, AppState>, month: YearMonth, path: String) -> Result<String, AppError> {
    state.run(move |db| print::write_month_report(db.conn(), month, Path::new(&path)).map(|()| path)).await
}

/// Writes the issue slip `number` (two copies on one A4 sheet) to `path`.
#[tauri::command]
pub async fn stock_slip_pdf(state: State<'_, AppState>, number: String, path: String) -> Result<String, AppError> {
    state.run(move |db| print::write_slip(db.conn(), &number, Path::new(&path)).map(|()| path)).await
}

/// Writes the supplies workbook for `month` to `path`.
#[tauri::command]
pub async fn stock_export_xlsx(state: State<'_, AppState>, month: YearMonth, path: String) -> Result<String, AppError> {
    state.run(move |db| reports::export_xlsx(db.conn(), month, Path::new(&path)).map(|()| path)).await
}

/// Opens a PDF the app wrote in the system viewer (only existing `.pdf` files).
#[tauri::command]
pub async fn stock_open_pdf(app: tauri::AppHandle, path: String) -> Result<(), AppError> {
    super::open_pdf(&app, &path)
}

#[tauri::command]
pub async fn deposits_list(state: State<'_, AppState>, filter: DepositFilter) -> Result<DepositList, AppError> {
    state.run(move |db| deposits::list(db.conn(), &filter)).await
}

#[tauri::command]
pub async fn deposit_lend(state: State<'_, AppState>, loan: LendInput) -> Result<Deposit, AppError> {
    state.run(move |db| deposits::lend(db, &loan)).await
}

#[tauri::command]
pub async fn deposit_close(state: State<'_, AppState>, id: DepositId, close: CloseInput) -> Result<Deposit, AppError> {
    state.run(move |db| deposits::close(db, id, &close)).await
}

/// The count sheet: every active item with its book quantity on `date`.
#[tauri::command]
pub async fn stocktake_sheet(
    state: State<'_, AppState>,
    date: NaiveDate,
    category: Option<String>,
) -> Result<Vec<SheetLine>, AppError> {
    state.run(move |db| stocktake::sheet(db.conn(), date, category.as_deref())).await
}

#[tauri::command]
pub async fn stocktake_save(state: State<'_, AppState>, stocktake: StocktakeInput) -> Result<SavedDoc, AppError> {
    state.run(move |db| stocktake::save(db, &stocktake)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The JSON the UI sends reads as the core's inputs: quantities and prices
    /// as typed (text or number), so a bad one gets the core's Chinese message.
    #[test]
    fn form_json_reads_as_core_inputs() {
        let issue: IssueInput = serde_json::from_value(json!({
            "date": "2025-10-08", "to": "大一班", "requester": "张老师",
            "lines": [{"item_id": 3, "qty": 5}, {"item": "马克笔", "qty": "abc", "trade_in": ""}]
        }))
        .expect("issue");
        assert_eq!(issue.lines[0].qty, "5");
        assert_eq!(issue.lines[1].qty, "abc");
        let receipt: ReceiptInput = serde_json::from_value(
            json!({"date": "2025-10-08", "lines": [{"item_id": 1, "qty": "20", "unit_price": 3.5}]}),
        )
        .expect("receipt");
        assert_eq!(receipt.lines[0].unit_price, "3.5");
        let close: CloseInput = serde_json::from_value(json!({"returned": true, "refund": null})).expect("close");
        assert_eq!(close.refund, "");
    }

    #[test]
    fn a_refused_issue_reaches_the_ui_with_the_balance() {
        let mut db = houqin::db::Db::open_scratch().expect("db");
        items::add(
            &mut db,
            &ItemInput {
                name: "马克笔".into(), category: "办公用品".into(), unit: "支".into(), ..Default::default()
            },
        )
        .expect("item");
        let err = stock::issue(
            &mut db,
            &serde_json::from_value(json!({
                "date": "2025-10-08", "to": "办公室", "requester": "张老师", "lines": [{"item": "马克笔", "qty": 30}]
            }))
            .expect("issue"),
        )
        .expect_err("no stock");
        let v = serde_json::to_value(AppError::from(err)).expect("json");
        assert_eq!(v["type"], "Rejected");
        assert_eq!(v["problems"][0]["reason"], "“马克笔”还没有入库,结存为 0 支,不能领用 30 支");
    }
}
