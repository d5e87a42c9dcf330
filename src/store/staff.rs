//! `staff`: the people who appear as head teachers, samplers, receivers.

use super::{Conn, Tx};
use crate::school::staff::{Staff, StaffInput};
use crate::school::StaffId;
use crate::{args, Result};

pub fn insert(tx: &Tx, input: &StaffInput) -> Result<StaffId> {
    tx.insert(
        "INSERT INTO staff (name, role, phone) VALUES (?1, ?2, ?3) RETURNING id",
        &args![input.name, input.role, input.phone],
    )
    .map(StaffId)
}

/// Sets the active flag; false when there is no such person.
pub fn set_active(tx: &Tx, id: StaffId, active: bool) -> Result<bool> {
    Ok(tx.exec("UPDATE staff SET active = ?1 WHERE id = ?2", &args![active, id])? > 0)
}

/// Everyone, active first.
pub fn list(conn: &Conn) -> Result<Vec<Staff>> {
    conn.rows("SELECT id, name, role, phone, active FROM staff ORDER BY active DESC, id", &[], |r| {
        Ok(Staff { id: r.get(0)?, name: r.get(1)?, role: r.get(2)?, phone: r.get(3)?, active: r.get(4)? })
    })
}
