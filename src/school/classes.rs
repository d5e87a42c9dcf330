//! Classes (班级): name, grade, head teacher.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{required, ClassId, Grade};
use crate::db::{Db, Tx};
use crate::text::{self, Field};
use crate::{Error, Result};

/// A class as the lists show it, with how many children are in it today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct ClassInput {
    pub name: String,
    pub grade: Grade,
    #[serde(default)]
    pub head_teacher: String,
}

fn check(input: &ClassInput) -> Result<String> {
    let name = required(&input.name, "班级名称")?;
    text::check_all(&[(Field::name("班级名称").max(30), &name), (Field::person("班主任"), &input.head_teacher)])?;
    Ok(name)
}

pub fn add(db: &mut Db, input: &ClassInput) -> Result<ClassId> {
    let name = check(input)?;
    if find_by_name(db.conn(), &name)?.is_some() {
        return Err(Error::conflict(format!("已有名为“{name}”的班级")));
    }
    db.with_tx(|tx| insert_in_tx(tx, &ClassInput { name, ..input.clone() }))
}

/// Inserts a checked class inside an open transaction (forms, imports, the demo).
pub fn insert_in_tx(tx: &Tx, input: &ClassInput) -> Result<ClassId> {
    tx.execute(
        "INSERT INTO classes (name, grade, head_teacher) VALUES (?1, ?2, ?3)",
        rusqlite::params![input.name.trim(), input.grade, input.head_teacher.trim()],
    )?;
    let id = ClassId(tx.last_insert_rowid());
    tx.audit("class", id, "create", None, Some(&serde_json::json!(input)))?;
    Ok(id)
}

pub fn update(db: &mut Db, id: ClassId, input: &ClassInput) -> Result<()> {
    let name = check(input)?;
    let before = get(db.conn(), id)?;
    if let Some(other) = find_by_name(db.conn(), &name)? {
        if other != id {
            return Err(Error::conflict(format!("已有名为“{name}”的班级")));
        }
    }
    db.with_tx(|tx| {
        tx.execute(
            "UPDATE classes SET name = ?1, grade = ?2, head_teacher = ?3 WHERE id = ?4",
            rusqlite::params![name, input.grade, input.head_teacher.trim(), id],
        )?;
        tx.audit("class", id, "update", Some(&serde_json::json!(before)), Some(&serde_json::json!(input)))
    })
}

/// Deletes a class that never had a child; one with history can't be deleted.
pub fn delete(db: &mut Db, id: ClassId) -> Result<()> {
    let before = get(db.conn(), id)?;
    let used: i64 =
        db.conn().query_row("SELECT COUNT(*) FROM class_placements WHERE class_id = ?1", [id], |r| r.get(0))?;
    if used > 0 {
        return Err(Error::conflict(format!("“{}”有幼儿记录,不能删除", before.name)));
    }
    db.with_tx(|tx| {
        tx.execute("DELETE FROM classes WHERE id = ?1", [id])?;
        tx.audit("class", id, "delete", Some(&serde_json::json!(before)), None)
    })
}

pub fn find_by_name(conn: &Connection, name: &str) -> Result<Option<ClassId>> {
    Ok(conn.query_row("SELECT id FROM classes WHERE name = ?1", [name.trim()], |r| r.get(0)).optional()?)
}

pub fn get(conn: &Connection, id: ClassId) -> Result<ClassInfo> {
    list(conn)?.into_iter().find(|c| c.id == id).ok_or_else(|| Error::not_found("班级", id))
}

/// All classes, by grade then name, with today's head count.
pub fn list(conn: &Connection) -> Result<Vec<ClassInfo>> {
    let today = crate::dates::today();
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, c.grade, c.head_teacher,
           (SELECT COUNT(*) FROM children ch
             WHERE ch.enrolled_on <= ?1 AND (ch.left_on IS NULL OR ch.left_on >= ?1)
               AND (SELECT p.class_id FROM class_placements p WHERE p.child_id = ch.id
                     ORDER BY (p.from_date <= ?1) DESC, p.from_date DESC LIMIT 1) = c.id)
         FROM classes c WHERE c.archived = 0
         ORDER BY CASE c.grade WHEN 'nursery' THEN 0 WHEN 'junior' THEN 1 WHEN 'middle' THEN 2 ELSE 3 END, c.name",
    )?;
    let rows = stmt.query_map([today], |r| {
        let grade: Grade = r.get(2)?;
        Ok(ClassInfo {
            id: r.get(0)?,
            name: r.get(1)?,
            grade,
            grade_label: grade.label().to_string(),
            head_teacher: r.get(3)?,
            child_count: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
