//! `supply_items`: the catalogue (物品目录). Items with history are archived,
//! never deleted.

use crate::store::{Conn, Row, Tx};
use crate::supplies::items::{CheckedItem, SupplyItem};
use crate::supplies::SupplyItemId;
use crate::{args, Result};

// A macro rather than a `const` so that `concat!` builds each statement at
// compile time (no SQL assembled per call).
macro_rules! columns {
    () => {
        "id, code, name, category, unit, spec, reorder_level, location, deposit, note, archived"
    };
}

fn read(r: &Row) -> Result<SupplyItem> {
    Ok(SupplyItem {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        category: r.get(3)?,
        unit: r.get(4)?,
        spec: r.get(5)?,
        reorder_level: r.get(6)?,
        location: r.get(7)?,
        deposit: r.get(8)?,
        note: r.get(9)?,
        archived: r.get(10)?,
    })
}

pub fn get(conn: &Conn, id: SupplyItemId) -> Result<Option<SupplyItem>> {
    conn.row_opt(concat!("SELECT ", columns!(), " FROM supply_items WHERE id = ?1"), &args![id], read)
}

/// Items by category, name and spec; archived ones only when asked for.
pub fn list(conn: &Conn, include_archived: bool, category: Option<&str>) -> Result<Vec<SupplyItem>> {
    conn.rows(
        concat!(
            "SELECT ",
            columns!(),
            " FROM supply_items WHERE (?1 OR NOT archived) AND (CAST(?2 AS TEXT) IS NULL OR category = ?2)
             ORDER BY category, name, spec"
        ),
        &args![include_archived, category],
        read,
    )
}

/// The item with this 物品编号 (an empty code names nothing).
pub fn by_code(conn: &Conn, code: &str) -> Result<Option<SupplyItem>> {
    conn.row_opt(
        concat!("SELECT ", columns!(), " FROM supply_items WHERE code = ?1 AND code <> ''"),
        &args![code],
        read,
    )
}

/// Every item of this name (several specs), active ones first.
pub fn by_name(conn: &Conn, name: &str) -> Result<Vec<SupplyItem>> {
    conn.rows(
        concat!("SELECT ", columns!(), " FROM supply_items WHERE name = ?1 ORDER BY archived, id"),
        &args![name],
        read,
    )
}

pub fn by_name_and_spec(conn: &Conn, name: &str, spec: &str) -> Result<Option<SupplyItem>> {
    conn.row_opt(
        concat!("SELECT ", columns!(), " FROM supply_items WHERE name = ?1 AND spec = ?2"),
        &args![name, spec],
        read,
    )
}

/// Another item (than `except`) with this name and spec, if any.
pub fn other_with_name_and_spec(
    conn: &Conn,
    name: &str,
    spec: &str,
    except: Option<SupplyItemId>,
) -> Result<Option<SupplyItemId>> {
    conn.row_opt(
        "SELECT id FROM supply_items WHERE name = ?1 AND spec = ?2 AND (CAST(?3 AS BIGINT) IS NULL OR id <> ?3)",
        &args![name, spec, except],
        |r| r.get(0),
    )
}

/// The name of another item (than `except`) that has this code, if any.
pub fn other_with_code(conn: &Conn, code: &str, except: Option<SupplyItemId>) -> Result<Option<String>> {
    conn.row_opt(
        "SELECT name FROM supply_items WHERE code = ?1 AND (CAST(?2 AS BIGINT) IS NULL OR id <> ?2)",
        &args![code, except],
        |r| r.get(0),
    )
}

/// The item an import row means: the same code if it has one, else the same name and spec.
pub fn import_match(conn: &Conn, code: &str, name: &str, spec: &str) -> Result<Option<SupplyItemId>> {
    conn.row_opt(
        "SELECT id FROM supply_items WHERE (code = ?1 AND code <> '') OR (name = ?2 AND spec = ?3)
         ORDER BY (code = ?1) DESC LIMIT 1",
        &args![code, name, spec],
        |r| r.get(0),
    )
}

pub fn insert(tx: &Tx, c: &CheckedItem) -> Result<SupplyItemId> {
    tx.insert(
        "INSERT INTO supply_items (code, name, category, unit, spec, reorder_level, location, deposit, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        &args![c.code, c.name, c.category, c.unit, c.spec, c.reorder_level, c.location, c.deposit, c.note],
    )
    .map(SupplyItemId)
}

/// New details (the archived flag is left as it is).
pub fn update(tx: &Tx, id: SupplyItemId, c: &CheckedItem) -> Result<()> {
    tx.exec(
        "UPDATE supply_items SET code = ?1, name = ?2, category = ?3, unit = ?4, spec = ?5, reorder_level = ?6,
           location = ?7, deposit = ?8, note = ?9 WHERE id = ?10",
        &args![c.code, c.name, c.category, c.unit, c.spec, c.reorder_level, c.location, c.deposit, c.note, id],
    )?;
    Ok(())
}

pub fn set_archived(tx: &Tx, id: SupplyItemId, archived: bool) -> Result<()> {
    tx.exec("UPDATE supply_items SET archived = ?1 WHERE id = ?2", &args![archived, id])?;
    Ok(())
}
