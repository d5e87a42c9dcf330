//! Fee charges and absence refunds (请假退费): the rule types a school configures,
//! the pure month settlement that applies them, and the scenario document that
//! pins their meaning (`shared/scenarios/README.md` is the specification).
//!
//! Deliberately left out: storage, printing and the month's meal account. The
//! storage layer loads [`SettlementInput`]'s data, calls [`settle_month`] and saves
//! the [`SettlementResult`]; this module never touches a database or a clock.
//!
//! Glossary (code ↔ 中文):
//! - [`FeeItem`] 费用项目 (伙食费 meal fee, 保教费 care fee); [`Charge`] 收费方式;
//!   [`RefundRule`] 退费规则; [`Divisor`] 日费除数; [`Proration`] 不足月折算.
//! - [`Absence`] 请假; [`LeaveKind`] 请假类型 (病假 / 事假 / 其他).
//! - run 连续请假 (consecutive absent school days); `min_run` 满 N 天起退;
//!   `unrefunded_per_run` 每段不退天数; [`Tier`] 按出勤天数分档退费;
//!   [`Per30DaysRefund`] 满 30 天退一个月; closures 停课.
//! - [`SettlementResult`] 月结 / 退费明细; [`SettlementLine`] 一行说明.

mod de;
mod engine;
mod explain;
mod rules;
mod scenario;
mod waiver;
mod words;

pub use engine::{
    settle_month, Absence, ChildSettlement, ClassTotal, EnrolledChild, FeeSettlement, FeeTotal, LineKind,
    SettlementInput, SettlementLine, SettlementResult, ShortUnrefunded, Unrefunded,
};
pub use rules::{
    fee_items_from_json, validate_fee_items, Charge, DayBasis, Divisor, FeeItem, LeaveKind, Per30DaysRefund,
    PerDayRefund, Proration, RefundRule, Tier, TierThreshold,
};
pub use scenario::{compare_with_expected, run_scenario_file, ScenarioClosure, ScenarioDocument};
pub use waiver::{apply_waivers, WaiverInForce, WaiverShare};
pub use words::{describe as describe_fee_item, FeeItemWords};
