//! The fixed-asset (固定资产) tables: categories, the register, transfers, disposals, stocktakes. One module per table or aggregate; each owns its SQL.
//!
//! Asset numbers and category codes compare without regard to letter case.
//! SQLite declares those columns `COLLATE NOCASE`, so a plain `number = ?1`
//! uses its unique index; PostgreSQL has unique indexes on `lower(number)` and
//! `lower(code)`, so its statements say `lower(number) = lower(?1)`. Where the
//! index matters (every scan of a stocktake looks a number up) each statement
//! has one text per dialect, picked by `pick`; both are `const`, because the
//! statement caches are keyed by the text.

pub mod categories;
pub mod disposals;
pub mod register;
pub mod stocktake_lines;
pub mod stocktakes;
pub mod transfers;

use super::{Conn, Dialect};

/// The statement text for this connection's dialect.
fn pick(conn: &Conn, sqlite: &'static str, postgres: &'static str) -> &'static str {
    match conn.dialect() {
        Dialect::Sqlite => sqlite,
        Dialect::Postgres => postgres,
    }
}
