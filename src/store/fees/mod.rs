//! The bursar's tables: fee rules, settlements, notices, payments and the meal account. One module per table or aggregate; each owns its SQL.

pub mod notices;
pub mod payments;
pub mod rules;
pub mod settlements;
