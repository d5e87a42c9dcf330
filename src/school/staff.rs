//! Staff (教职工): the people who appear as head teachers, samplers, receivers,
//! custodians and operators.

use serde::{Deserialize, Serialize};

use super::{required, StaffId};
use crate::db::{Db, Tx};
use crate::store::{self, Conn};
use crate::text::{self, Field};
use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Staff {
    pub id: StaffId,
    pub name: String,
    pub role: String,
    pub phone: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaffInput {
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub role: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub phone: String,
}

pub fn add(db: &mut Db, input: &StaffInput) -> Result<StaffId> {
    let name = required(&input.name, "姓名")?;
    text::check_all(&[
        (Field::person("姓名"), &name),
        (Field::name("岗位").max(20), &input.role),
        (Field::phone("电话"), &input.phone),
    ])?;
    db.write(crate::auth::Job::School, |tx| insert_in_tx(tx, &StaffInput { name, ..input.clone() }))
}

/// Inserts a checked staff member inside an open transaction.
pub fn insert_in_tx(tx: &Tx, input: &StaffInput) -> Result<StaffId> {
    let clean = StaffInput {
        name: input.name.trim().to_string(),
        role: input.role.trim().to_string(),
        phone: input.phone.trim().to_string(),
    };
    let id = store::staff::insert(tx, &clean)?;
    tx.audit("staff", id, "create", None, Some(&serde_json::json!(input)))?;
    Ok(id)
}

/// Marks a person as no longer working here; history keeps their name.
pub fn set_active(db: &mut Db, id: StaffId, active: bool) -> Result<()> {
    db.write(crate::auth::Job::School, |tx| {
        if !store::staff::set_active(tx, id, active)? {
            return Err(crate::Error::not_found("教职工", id));
        }
        tx.audit("staff", id, if active { "activate" } else { "deactivate" }, None, None)
    })
}

pub fn list(conn: &Conn) -> Result<Vec<Staff>> {
    store::staff::list(conn)
}
