//! The schema steps live with the storage layer ([`crate::store::migrate`]);
//! this path is kept for the code that names them here.

pub use crate::store::migrate::*;
