//! The month settlement (月结) from the database: the school's effective-dated
//! fee rules, preview, confirm (close), reopen, and the adjustments (补退/补收)
//! that corrections to closed months carry into the next settlement.
//!
//! The rules themselves are applied by the pure engine in [`crate::refund`]; this
//! module loads its input, and stores what was confirmed, in one transaction.

pub mod month;
pub mod presets;
pub mod rules;
pub mod xlsx;

pub use month::{
    check_can_confirm, confirm, confirm_in_tx, enrolled_children, first_open_month_before, not_over_yet, preview,
    reopen, trial, Adjustment, SettlementStatus, SettlementView,
};
pub use rules::{last_closed_month, rules_for, save_rules, RuleVersion};
