//! Copying a whole school from one database to another: a local SQLite file
//! onto a school's server (`houqin server push`), a server into a file
//! (`houqin server pull`, and a server's backup).
//!
//! Every table is copied row for row with its ids, in an order where a row's
//! references already exist. The source is read in one snapshot and the
//! target written in one transaction, which commits only after the row count
//! and the money totals of every table agree on both sides: the copy is whole
//! or not made.

use super::{Conn, Dialect, Tx, Value};
use crate::{args, Error, Result};

/// A table, and its columns that point forward at rows of the same table
/// (written as NULL first and set once every row is in).
struct Table {
    name: &'static str,
    forward_refs: &'static [&'static str],
}

const fn t(name: &'static str) -> Table {
    Table { name, forward_refs: &[] }
}

/// Every table of the schema, parents before children.
const TABLES: &[Table] = &[
    t("settings"),
    t("audit_log"),
    t("users"),
    t("school_profile"),
    t("staff"),
    t("classes"),
    t("children"),
    t("class_placements"),
    t("waivers"),
    t("calendar_overrides"),
    t("closures"),
    t("absences"),
    t("fee_rule_versions"),
    t("settlements"),
    t("settlement_items"),
    t("adjustments"),
    t("settlement_inputs"),
    Table { name: "notice_issues", forward_refs: &["replaced_by"] },
    t("payments"),
    t("receipts"),
    t("menu_dishes"),
    t("food_samples"),
    t("fridge_readings"),
    t("disinfections"),
    t("health_checks"),
    t("off_day_meals"),
    t("supply_items"),
    t("stock_docs"),
    t("stock_movements"),
    t("stocktake_lines"),
    t("supply_deposits"),
    t("asset_categories"),
    t("assets"),
    t("asset_transfers"),
    t("asset_disposals"),
    t("asset_stocktakes"),
    t("asset_stocktake_rooms"),
    t("asset_stocktake_lines"),
    t("repairs"),
    t("meal_purchases"),
    t("meal_purchase_lines"),
    t("meal_stock_counts"),
    t("meal_stock_count_lines"),
    t("meal_staff_months"),
    t("meal_publications"),
];

/// Columns that hold money besides those named `*_fen` (table.column).
const MONEY_COLUMNS: &[&str] = &[
    "stock_movements.value",
    "stock_movements.unit_price",
    "supply_items.deposit",
    "supply_deposits.deposit",
    "supply_deposits.refunded",
];

/// Rows per INSERT statement (well under both backends' parameter limits).
const BATCH: usize = 100;

/// What one table held, on both sides after the copy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableCount {
    pub table: String,
    pub rows: i64,
    /// The sum of its money columns, in fen.
    pub money_fen: i64,
}

/// The tables of the schema as a database has it (to check `TABLES` is complete).
pub fn schema_tables(conn: &Conn) -> Result<Vec<String>> {
    let sql = match conn.dialect() {
        Dialect::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
               AND name <> 'schema_migrations' ORDER BY name"
        }
        Dialect::Postgres => {
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
               AND table_name <> 'schema_migrations' ORDER BY table_name"
        }
    };
    conn.rows(sql, &[], |r| r.get(0))
}

fn columns(conn: &Conn, table: &str) -> Result<Vec<String>> {
    let sql = match conn.dialect() {
        Dialect::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
        Dialect::Postgres => {
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position"
        }
    };
    conn.rows(sql, &args![table], |r| r.get(0))
}

fn is_money(table: &str, column: &str) -> bool {
    column.ends_with("_fen") || MONEY_COLUMNS.contains(&format!("{table}.{column}").as_str())
}

/// Row count and money total of every table.
pub fn counts(conn: &Conn) -> Result<Vec<TableCount>> {
    let mut out = Vec::new();
    for table in TABLES {
        let money: Vec<String> = columns(conn, table.name)?.into_iter().filter(|c| is_money(table.name, c)).collect();
        let sum = if money.is_empty() {
            "0".to_string()
        } else {
            money.iter().map(|c| format!("COALESCE(SUM({c}), 0)")).collect::<Vec<_>>().join(" + ")
        };
        let (rows, money_fen) =
            conn.row(&format!("SELECT COUNT(*), {sum} FROM {}", table.name), &[], |r| Ok((r.get(0)?, r.get(1)?)))?;
        out.push(TableCount { table: table.name.to_string(), rows, money_fen });
    }
    Ok(out)
}

/// Whether a database holds no school yet: no rows anywhere but the seeded
/// asset categories (every new database starts with those).
pub fn is_empty(conn: &Conn) -> Result<bool> {
    Ok(counts(conn)?.iter().all(|c| c.rows == 0 || c.table == "asset_categories"))
}

/// Copies every table of `from` into the empty database behind `to`, then
/// checks every table's row count and money total against the source.
pub fn copy_all(from: &Conn, to: &Tx) -> Result<Vec<TableCount>> {
    let (have, want) = (super::migrate::recorded_version(from)?, super::migrate::recorded_version(to)?);
    if have != want {
        return Err(Error::invalid(format!(
            "两个数据库的结构版本不同(来源 {have},目标 {want}):请先用同一版本的后勤程序打开两者"
        )));
    }
    // The seeded categories are replaced by the source's own (it may have edited them).
    to.exec("DELETE FROM asset_categories", &[])?;
    for table in TABLES {
        copy_table(from, to, table)?;
    }
    if to.dialect() == Dialect::Postgres {
        // Identity columns continue after the copied ids.
        for table in TABLES {
            if columns(to, table.name)?.iter().any(|c| c == "id") {
                to.exec(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
                        table.name
                    ),
                    &[],
                )?;
            }
        }
    }
    let source = counts(from)?;
    let target = counts(to)?;
    if let Some((s, t)) = source.iter().zip(&target).find(|(s, t)| s != t) {
        return Err(Error::invalid(format!(
            "复制后核对不一致,没有保存:表 {} 来源 {} 行、金额 {} 分,目标 {} 行、金额 {} 分",
            s.table, s.rows, s.money_fen, t.rows, t.money_fen
        )));
    }
    Ok(target)
}

fn copy_table(from: &Conn, to: &Tx, table: &Table) -> Result<()> {
    let cols = columns(to, table.name)?;
    let have = columns(from, table.name)?;
    if let Some(missing) = cols.iter().find(|c| !have.contains(c)) {
        return Err(Error::invalid(format!("来源数据库的表 {} 缺少列 {missing}", table.name)));
    }
    let list = cols.join(", ");
    let forward: Vec<usize> =
        cols.iter().enumerate().filter(|(_, c)| table.forward_refs.contains(&c.as_str())).map(|(i, _)| i).collect();
    let order = if cols.iter().any(|c| c == "id") { "ORDER BY id" } else { "" };
    let rows = from.rows(&format!("SELECT {list} FROM {} {order}", table.name), &[], |r| {
        Ok((0..cols.len()).map(|i| r.value(i).clone()).collect::<Vec<Value>>())
    })?;
    let mut later = Vec::new();
    for chunk in rows.chunks(BATCH) {
        let mut params = Vec::with_capacity(chunk.len() * cols.len());
        let mut groups = Vec::with_capacity(chunk.len());
        for row in chunk {
            let start = params.len();
            for (i, v) in row.iter().enumerate() {
                if forward.contains(&i) && *v != Value::Null {
                    later.push((row[0].clone(), cols[i].clone(), v.clone()));
                    params.push(Value::Null);
                } else {
                    params.push(v.clone());
                }
            }
            groups.push(format!(
                "({})",
                (start + 1..=params.len()).map(|n| format!("?{n}")).collect::<Vec<_>>().join(", ")
            ));
        }
        to.exec(&format!("INSERT INTO {} ({list}) VALUES {}", table.name, groups.join(", ")), &params)?;
    }
    for (id, column, value) in later {
        to.exec(&format!("UPDATE {} SET {column} = ?1 WHERE id = ?2", table.name), &[value, id])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    /// A table added by a migration but not to [`TABLES`] would silently be
    /// left out of every push, pull and server backup.
    #[test]
    fn every_table_of_the_schema_is_copied() {
        let db = Db::open_scratch().expect("db");
        let mut listed: Vec<String> = TABLES.iter().map(|t| t.name.to_string()).collect();
        listed.sort();
        assert_eq!(schema_tables(db.conn()).expect("tables"), listed);
    }
}
