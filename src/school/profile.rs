//! The school profile (学校信息): one row, shown on every printed document.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::required;
use crate::db::{Db, Tx};
use crate::text::{self, Field};
use crate::Result;

/// 公办 or 民办: several rules (tier percentages, depreciation) differ by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    /// 公办
    #[default]
    Public,
    /// 民办
    Private,
}
super::text_enum_sql!(Ownership { Public => "public", Private => "private" });

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SchoolProfile {
    pub name: String,
    #[serde(default)]
    pub campus: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub bursar_name: String,
    #[serde(default)]
    pub head_name: String,
    #[serde(default)]
    pub ownership: Ownership,
}

/// The profile, or `None` before the first-run setup.
pub fn get(conn: &Connection) -> Result<Option<SchoolProfile>> {
    Ok(conn
        .query_row(
            "SELECT name, campus, address, phone, bursar_name, head_name, ownership FROM school_profile WHERE id = 1",
            [],
            |r| {
                Ok(SchoolProfile {
                    name: r.get(0)?,
                    campus: r.get(1)?,
                    address: r.get(2)?,
                    phone: r.get(3)?,
                    bursar_name: r.get(4)?,
                    head_name: r.get(5)?,
                    ownership: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// Creates or replaces the profile.
pub fn save(db: &mut Db, p: &SchoolProfile) -> Result<()> {
    let name = required(&p.name, "学校名称")?;
    // The name heads every notice and the home banner: one line, a sane length.
    text::check_all(&[
        (Field::name("学校名称").max(40), &name),
        (Field::name("园区").max(30), &p.campus),
        (Field::line("地址").max(100), &p.address),
        (Field::phone("电话"), &p.phone),
        (Field::person("会计"), &p.bursar_name),
        (Field::person("园长"), &p.head_name),
    ])?;
    let before = get(db.conn())?;
    db.with_tx(|tx| save_in_tx(tx, &SchoolProfile { name, ..p.clone() }, before))
}

/// Writes the profile inside an open transaction; `before` is the audited old value.
pub fn save_in_tx(tx: &Tx, p: &SchoolProfile, before: Option<SchoolProfile>) -> Result<()> {
    tx.execute(
        "INSERT INTO school_profile (id, name, campus, address, phone, bursar_name, head_name, ownership)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, campus = excluded.campus,
           address = excluded.address, phone = excluded.phone, bursar_name = excluded.bursar_name,
           head_name = excluded.head_name, ownership = excluded.ownership",
        rusqlite::params![
            p.name.trim(),
            p.campus.trim(),
            p.address.trim(),
            p.phone.trim(),
            p.bursar_name.trim(),
            p.head_name.trim(),
            p.ownership
        ],
    )?;
    tx.audit(
        "school_profile",
        1,
        if before.is_some() { "update" } else { "create" },
        before.map(|b| serde_json::json!(b)).as_ref(),
        Some(&serde_json::json!(p)),
    )
}
