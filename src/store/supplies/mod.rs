//! The supplies (物品领用) tables: items, stock documents and movements, deposits, stocktakes. One module per table or aggregate; each owns its SQL.

pub mod deposits;
pub mod docs;
pub mod items;
pub mod movements;
pub mod reports;
pub mod stocktakes;

/// How many rows a supplies table (or the audit trail) holds: tests check
/// that a refused action saved nothing.
#[cfg(test)]
pub fn row_count(conn: &crate::store::Conn, table: &str) -> crate::Result<i64> {
    let sql = match table {
        "supply_items" => "SELECT COUNT(*) FROM supply_items",
        "stock_docs" => "SELECT COUNT(*) FROM stock_docs",
        "stock_movements" => "SELECT COUNT(*) FROM stock_movements",
        "stocktake_lines" => "SELECT COUNT(*) FROM stocktake_lines",
        "supply_deposits" => "SELECT COUNT(*) FROM supply_deposits",
        "audit_log" => "SELECT COUNT(*) FROM audit_log",
        other => return Err(crate::Error::invalid(format!("不是物品领用的表:{other}"))),
    };
    conn.value(sql, &[])
}
