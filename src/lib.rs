//! Houqin (后勤): the back office of a kindergarten — children and classes, the
//! school calendar, meal-fee refunds, food samples, supplies and fixed assets.
//!
//! This crate holds all domain logic, storage and document rendering, and knows
//! nothing of the desktop shell: the Tauri app in `src-tauri/` and the `houqin`
//! command-line binary are both thin layers over it.
//!
//! Glossary (code ↔ 中文) is in the README.

pub mod assets;
pub mod attendance;
pub mod audit_log;
pub mod auth;
pub mod backup;
pub mod calendar;
pub mod check;
pub mod connection;
pub mod dates;
pub mod db;
pub mod demo;
pub mod error;
pub mod export;
pub mod fee_list;
pub mod import;
pub mod kitchen;
pub mod meal_account;
pub mod money;
pub mod notices;
pub mod output_file;
pub mod payments;
pub mod pdf;
pub mod refund;
pub mod repairs;
pub mod school;
pub mod server;
pub mod settings;
pub mod settlement;
pub mod store;
pub mod supplies;
pub mod text;
pub mod waivers;

pub use error::{Error, Result};
pub use money::Fen;
