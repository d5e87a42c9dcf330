//! The meal account (伙食账): the ring-fenced meal fee (专款专用) and what it
//! was spent on, published every month as the 伙食费收支公示.
//!
//! What is here:
//! - [`settings`]: the food categories (粮食, 肉禽蛋, 蔬菜…), the profit/loss
//!   limit (±2%), the day of the next month to publish by (15), which fee item
//!   is the meal fee (`meal`) and the months a term starts in.
//! - [`purchases`]: food deliveries (进货) with their inspection record
//!   (进货查验: batch or production date, shelf life, tickets kept, receiver).
//! - [`store`]: the kitchen store by category and month — opening stock (last
//!   month's count), purchases in, closing stock by the month-end count (月末盘点),
//!   food issued = opening + purchases − closing, of which the part issued to the
//!   staff kitchen is accounted apart; staff meal income. Every change is checked
//!   so that no category's issues become negative.
//! - [`sheet`]: the pure rule that turns one month's figures into the sheet:
//!   income (charges − refunds of the meal item, from the settlement), cost per
//!   category, the month's balance, the term's running balance, and the
//!   profit/loss percentages with their bases, flagged outside the limit — with
//!   the Chinese lines that explain every number. [`load`] gathers its input.
//! - [`publish`](mod@publish): marking a month's sheet as published (it is then locked), the
//!   withdrawal with a reason, and the home screen's reminder.
//! - [`pdf`] and [`xlsx`]: the printed sheet (A4 landscape, out-of-limit values
//!   in red) and the Excel workbook.
//!
//! Deliberately not here: quantities in the store (the account is kept in money,
//! as the published sheets are), recipes and menus, supplier management, the
//! previous term's balance carried into a new term (each term's running balance
//! starts at zero), and any money arithmetic in the UI.

pub mod load;
pub mod pdf;
pub mod publish;
pub mod purchases;
pub mod settings;
pub mod sheet;
pub mod store;
pub mod xlsx;

pub use load::sheet_for;
pub use publish::{publish, reminder, withdraw, Reminder};
pub use purchases::{add_purchase, delete_purchase, list_purchases, Purchase, PurchaseId, PurchaseInput};
pub use settings::MealSettings;
pub use sheet::{compute, MealSheet, Ratio, SheetInput};
pub use store::{save_count, store_month, CountInput, CountKind, StoreMonth};
