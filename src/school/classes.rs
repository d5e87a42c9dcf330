//! Classes (班级): name, grade, head teacher.

use serde::{Deserialize, Serialize};

use super::{required, ClassId, Grade};
use crate::db::{Db, Tx};
use crate::store::{self, Conn};
use crate::text::{self, Field};
use crate::{Error, Result};

/// A class as the lists show it, with how many children are in it today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClassInfo {
    pub id: ClassId,
    pub name: String,
    pub grade: Grade,
    pub grade_label: String,
    pub head_teacher: String,
    pub child_count: i64,
}

/// What a form or import provides for a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClassInput {
    pub name: String,
    pub grade: Grade,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub head_teacher: String,
}

fn check(input: &ClassInput) -> Result<String> {
    let name = required(&input.name, "班级名称")?;
    text::check_all(&[(Field::name("班级名称").max(30), &name), (Field::person("班主任"), &input.head_teacher)])?;
    Ok(name)
}

pub fn add(db: &mut Db, input: &ClassInput) -> Result<ClassId> {
    let name = check(input)?;
    db.write(crate::auth::Job::School, |tx| {
        if store::classes::find_by_name(tx, &name)?.is_some() {
            return Err(Error::conflict(format!("已有名为“{name}”的班级")));
        }
        insert_in_tx(tx, &ClassInput { name: name.clone(), ..input.clone() })
    })
}

/// Inserts a checked class inside an open transaction (forms, imports, the demo).
pub fn insert_in_tx(tx: &Tx, input: &ClassInput) -> Result<ClassId> {
    let clean = ClassInput {
        name: input.name.trim().to_string(),
        head_teacher: input.head_teacher.trim().to_string(),
        ..input.clone()
    };
    let id = store::classes::insert(tx, &clean)?;
    tx.audit("class", id, "create", None, Some(&serde_json::json!(input)))?;
    Ok(id)
}

pub fn update(db: &mut Db, id: ClassId, input: &ClassInput) -> Result<()> {
    let name = check(input)?;
    db.write(crate::auth::Job::School, |tx| {
        let before = get(tx, id)?;
        if let Some(other) = store::classes::find_by_name(tx, &name)? {
            if other != id {
                return Err(Error::conflict(format!("已有名为“{name}”的班级")));
            }
        }
        let clean =
            ClassInput { name: name.clone(), head_teacher: input.head_teacher.trim().to_string(), ..input.clone() };
        store::classes::update(tx, id, &clean)?;
        tx.audit("class", id, "update", Some(&serde_json::json!(before)), Some(&serde_json::json!(input)))
    })
}

/// Deletes a class that never had a child; one with history can't be deleted.
pub fn delete(db: &mut Db, id: ClassId) -> Result<()> {
    db.write(crate::auth::Job::School, |tx| {
        let before = get(tx, id)?;
        if store::classes::placement_count(tx, id)? > 0 {
            return Err(Error::conflict(format!("“{}”有幼儿记录,不能删除", before.name)));
        }
        store::classes::delete(tx, id)?;
        tx.audit("class", id, "delete", Some(&serde_json::json!(before)), None)
    })
}

pub fn find_by_name(conn: &Conn, name: &str) -> Result<Option<ClassId>> {
    store::classes::find_by_name(conn, name.trim())
}

pub fn get(conn: &Conn, id: ClassId) -> Result<ClassInfo> {
    list(conn)?.into_iter().find(|c| c.id == id).ok_or_else(|| Error::not_found("班级", id))
}

/// All classes, by grade then name, with today's head count.
pub fn list(conn: &Conn) -> Result<Vec<ClassInfo>> {
    store::classes::list(conn, crate::dates::today())
}
