//! 收款登记: a child's payments and balance, recording a payment or refund
//! (the amount as typed in 元, parsed by the core), reversing one (冲销), and
//! printing a 收款's receipt (收据) to a file the UI chose.

use std::path::Path;

use houqin::payments::receipt::{self, ReceiptPrint};
use houqin::payments::{self, Balance, Payment, PaymentFilter, PaymentInput, ReverseInput};
use houqin::school::ChildId;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// Entries by date, for one child and/or month.
#[tauri::command]
pub async fn payments_list(state: State<'_, AppState>, filter: PaymentFilter) -> Result<Vec<Payment>, AppError> {
    state.run(move |db| payments::list(db.conn(), &filter)).await
}

/// A child's balance now: every issued notice, every payment.
#[tauri::command(rename_all = "snake_case")]
pub async fn payment_balance(state: State<'_, AppState>, child_id: ChildId) -> Result<Balance, AppError> {
    state.run(move |db| payments::balance(db.conn(), child_id, None)).await
}

#[tauri::command]
pub async fn payment_add(state: State<'_, AppState>, payment: PaymentInput) -> Result<Payment, AppError> {
    state.run(move |db| payments::add(db, &payment)).await
}

#[tauri::command]
pub async fn payment_reverse(state: State<'_, AppState>, reversal: ReverseInput) -> Result<Payment, AppError> {
    state.run(move |db| payments::reverse(db, &reversal)).await
}

/// Prints the receipt of `which` (a payment's 编号 or a 收据编号) to `path`
/// and records the print (a reprint says 补打).
#[tauri::command]
pub async fn payment_receipt_print(
    state: State<'_, AppState>,
    which: String,
    path: String,
) -> Result<ReceiptPrint, AppError> {
    state.run(move |db| receipt::print(db, which.parse()?, Path::new(&path))).await
}
