//! `school_profile`: the one row that names the school on every document.

use super::{Conn, Row, Tx};
use crate::school::profile::SchoolProfile;
use crate::{args, Result};

fn read(r: &Row) -> Result<SchoolProfile> {
    Ok(SchoolProfile {
        name: r.get(0)?,
        campus: r.get(1)?,
        address: r.get(2)?,
        phone: r.get(3)?,
        bursar_name: r.get(4)?,
        head_name: r.get(5)?,
        ownership: r.get(6)?,
    })
}

/// The profile, or `None` before the first-run setup.
pub fn get(conn: &Conn) -> Result<Option<SchoolProfile>> {
    conn.row_opt(
        "SELECT name, campus, address, phone, bursar_name, head_name, ownership FROM school_profile WHERE id = 1",
        &[],
        read,
    )
}

/// Creates or replaces the profile (fields as given: the caller trims).
pub fn put(tx: &Tx, p: &SchoolProfile) -> Result<()> {
    tx.exec(
        "INSERT INTO school_profile (id, name, campus, address, phone, bursar_name, head_name, ownership)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, campus = excluded.campus,
           address = excluded.address, phone = excluded.phone, bursar_name = excluded.bursar_name,
           head_name = excluded.head_name, ownership = excluded.ownership",
        &args![p.name, p.campus, p.address, p.phone, p.bursar_name, p.head_name, p.ownership],
    )?;
    Ok(())
}
