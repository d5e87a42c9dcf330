//! Staff (教职工): the people who appear as head teachers, samplers, receivers,
//! custodians and operators.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::{required, StaffId};
use crate::db::{Db, Tx};
use crate::text::{self, Field};
use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: StaffId,
    pub name: String,
    pub role: String,
    pub phone: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInput {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub phone: String,
}

pub fn add(db: &mut Db, input: &StaffInput) -> Result<StaffId> {
    let name = required(&input.name, "姓名")?;
    text::check_all(&[
        (Field::person("姓名"), &name),
        (Field::name("岗位").max(20), &input.role),
        (Field::phone("电话"), &input.phone),
    ])?;
    db.with_tx(|tx| insert_in_tx(tx, &StaffInput { name, ..input.clone() }))
}

/// Inserts a checked staff member inside an open transaction.
pub fn insert_in_tx(tx: &Tx, input: &StaffInput) -> Result<StaffId> {
    tx.execute(
        "INSERT INTO staff (name, role, phone) VALUES (?1, ?2, ?3)",
        rusqlite::params![input.name.trim(), input.role.trim(), input.phone.trim()],
    )?;
    let id = StaffId(tx.last_insert_rowid());
    tx.audit("staff", id, "create", None, Some(&serde_json::json!(input)))?;
    Ok(id)
}

/// Marks a person as no longer working here; history keeps their name.
pub fn set_active(db: &mut Db, id: StaffId, active: bool) -> Result<()> {
    db.with_tx(|tx| {
        let n = tx.execute("UPDATE staff SET active = ?1 WHERE id = ?2", rusqlite::params![active, id])?;
        if n == 0 {
            return Err(crate::Error::not_found("教职工", id));
        }
        tx.audit("staff", id, if active { "activate" } else { "deactivate" }, None, None)
    })
}

pub fn list(conn: &Connection) -> Result<Vec<Staff>> {
    let mut stmt = conn.prepare("SELECT id, name, role, phone, active FROM staff ORDER BY active DESC, id")?;
    let rows = stmt.query_map([], |r| {
        Ok(Staff { id: r.get(0)?, name: r.get(1)?, role: r.get(2)?, phone: r.get(3)?, active: r.get(4)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
