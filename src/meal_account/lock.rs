//! A published month is locked: its purchases, count and staff meals are
//! refused until the publication is withdrawn. The check every write of the
//! meal account makes inside its transaction, kept apart from publishing
//! itself so that the store and the purchases need nothing above them.

use crate::dates::YearMonth;
use crate::store::{self, Conn};
use crate::{Error, Result};

/// Whether `month`'s sheet is published.
pub fn is_published(conn: &Conn, month: YearMonth) -> Result<bool> {
    Ok(store::fees::meal_publications::published_on(conn, month)?.is_some())
}

/// Refuses a change to a published month.
pub(crate) fn ensure_unlocked(conn: &Conn, month: YearMonth) -> Result<()> {
    match store::fees::meal_publications::published_on(conn, month)? {
        None => Ok(()),
        Some((on, by)) => Err(Error::conflict(format!(
            "{} 的伙食费收支表已于 {on} 公示({by}),不能再修改这个月的进货和盘点。如确需更正,请先撤销公示(须填写原因)",
            month.label()
        ))),
    }
}
