//! The audit trail is kept by the storage layer ([`crate::store::audit`]);
//! this path is kept for the code that names it here.

pub use crate::store::audit::*;
