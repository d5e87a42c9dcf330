//! The commands the UI invokes. Each one takes the state, calls one core
//! function on a blocking task ([`AppState::run`](crate::state::AppState::run))
//! and returns `Result<T, AppError>`. Argument names are snake_case in JSON,
//! like the core's structs.

pub mod app;
pub mod assets;
pub mod attendance;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod children;
pub mod demo;
pub mod kitchen;
pub mod meal_account;
pub mod notices;
pub mod payments;
pub mod school;
pub mod session;
pub mod settings;
pub mod settlement;
pub mod supplies;
