//! `settlements` (月结) with their items, adjustments and input digests.

use super::super::Conn;
use crate::dates::YearMonth;
use crate::Result;

/// The latest closed month, if any.
pub fn last_closed_month(conn: &Conn) -> Result<Option<YearMonth>> {
    conn.value("SELECT MAX(month) FROM settlements WHERE status = 'closed'", &[])
}
