//! `asset_categories`: code, name, default life, whether they depreciate.
//! Small (a dozen or two rows): lookups compare `lower(code)` on both
//! backends rather than keeping a text per dialect.

use crate::assets::categories::{Category, CheckedCategory};
use crate::assets::CategoryId;
use crate::store::{Conn, Row, Tx};
use crate::{args, Result};

/// The columns [`read`] reads (a macro so the statements below are `const`).
macro_rules! select {
    () => {
        "SELECT c.id, c.code, c.name, c.life_months, c.depreciates, c.special, c.always_register, c.unit,
           (SELECT COUNT(*) FROM assets a WHERE a.category_id = c.id)
         FROM asset_categories c"
    };
}

fn read(r: &Row) -> Result<Category> {
    Ok(Category {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        life_months: r.get(3)?,
        depreciates: r.get(4)?,
        special: r.get(5)?,
        always_register: r.get(6)?,
        unit: r.get(7)?,
        asset_count: r.get(8)?,
    })
}

/// All categories by code.
pub fn list(conn: &Conn) -> Result<Vec<Category>> {
    const SQL: &str = concat!(select!(), " ORDER BY lower(c.code)");
    conn.rows(SQL, &[], read)
}

/// One category.
pub fn get(conn: &Conn, id: CategoryId) -> Result<Option<Category>> {
    const SQL: &str = concat!(select!(), " WHERE c.id = ?1");
    conn.row_opt(SQL, &args![id], read)
}

/// A category whose code (any case) or name is `code_or_name`.
pub fn find(conn: &Conn, code_or_name: &str) -> Result<Option<Category>> {
    const SQL: &str = concat!(select!(), " WHERE lower(c.code) = lower(?1) OR c.name = ?1 ORDER BY c.id LIMIT 1");
    conn.row_opt(SQL, &args![code_or_name], read)
}

/// Another category (than `except`) with this code (any case) or name: its code and name.
pub fn clash(conn: &Conn, code: &str, name: &str, except: Option<CategoryId>) -> Result<Option<(String, String)>> {
    conn.row_opt(
        "SELECT code, name FROM asset_categories
         WHERE (lower(code) = lower(?1) OR name = ?2) AND (CAST(?3 AS BIGINT) IS NULL OR id <> ?3)
         ORDER BY id LIMIT 1",
        &args![code, name, except],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

pub fn insert(tx: &Tx, c: &CheckedCategory) -> Result<CategoryId> {
    tx.insert(
        "INSERT INTO asset_categories (code, name, life_months, depreciates, special, always_register, unit)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &args![c.code, c.name, c.life_months, c.depreciates, c.special, c.always_register, c.unit],
    )
    .map(CategoryId)
}

pub fn update(tx: &Tx, id: CategoryId, c: &CheckedCategory) -> Result<()> {
    tx.exec(
        "UPDATE asset_categories SET code = ?1, name = ?2, life_months = ?3, depreciates = ?4, special = ?5,
                always_register = ?6, unit = ?7 WHERE id = ?8",
        &args![c.code, c.name, c.life_months, c.depreciates, c.special, c.always_register, c.unit, id],
    )?;
    Ok(())
}
