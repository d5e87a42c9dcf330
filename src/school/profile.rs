//! The school profile (学校信息): one row, shown on every printed document.

use serde::{Deserialize, Serialize};

use super::required;
use crate::db::{Db, Tx};
use crate::store::{self, Conn};
use crate::text::{self, Field};
use crate::Result;

/// 公办 or 民办: several rules (tier percentages, depreciation) differ by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SchoolProfile {
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub campus: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub address: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub phone: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub bursar_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub head_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub ownership: Ownership,
}

/// The profile, or `None` before the first-run setup.
pub fn get(conn: &Conn) -> Result<Option<SchoolProfile>> {
    store::profile::get(conn)
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
    db.write(crate::auth::Job::School, |tx| {
        let before = get(tx)?;
        save_in_tx(tx, &SchoolProfile { name: name.clone(), ..p.clone() }, before)
    })
}

/// Writes the profile inside an open transaction; `before` is the audited old value.
pub fn save_in_tx(tx: &Tx, p: &SchoolProfile, before: Option<SchoolProfile>) -> Result<()> {
    let clean = SchoolProfile {
        name: p.name.trim().to_string(),
        campus: p.campus.trim().to_string(),
        address: p.address.trim().to_string(),
        phone: p.phone.trim().to_string(),
        bursar_name: p.bursar_name.trim().to_string(),
        head_name: p.head_name.trim().to_string(),
        ownership: p.ownership,
    };
    store::profile::put(tx, &clean)?;
    tx.audit(
        "school_profile",
        1,
        if before.is_some() { "update" } else { "create" },
        before.map(|b| serde_json::json!(b)).as_ref(),
        Some(&serde_json::json!(p)),
    )
}
