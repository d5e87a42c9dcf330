//! `classes`: name, grade, head teacher.

use chrono::NaiveDate;

use super::{Conn, Tx};
use crate::school::classes::{ClassInfo, ClassInput};
use crate::school::{ClassId, Grade};
use crate::{args, Result};

pub fn insert(tx: &Tx, input: &ClassInput) -> Result<ClassId> {
    tx.insert(
        "INSERT INTO classes (name, grade, head_teacher) VALUES (?1, ?2, ?3) RETURNING id",
        &args![input.name, input.grade, input.head_teacher],
    )
    .map(ClassId)
}

pub fn update(tx: &Tx, id: ClassId, input: &ClassInput) -> Result<()> {
    tx.exec(
        "UPDATE classes SET name = ?1, grade = ?2, head_teacher = ?3 WHERE id = ?4",
        &args![input.name, input.grade, input.head_teacher, id],
    )?;
    Ok(())
}

pub fn delete(tx: &Tx, id: ClassId) -> Result<()> {
    tx.exec("DELETE FROM classes WHERE id = ?1", &args![id])?;
    Ok(())
}

/// The class of that exact name.
pub fn find_by_name(conn: &Conn, name: &str) -> Result<Option<ClassId>> {
    conn.row_opt("SELECT id FROM classes WHERE name = ?1", &args![name], |r| r.get(0))
}

/// How many classes there are (archived ones too).
pub fn count(conn: &Conn) -> Result<i64> {
    conn.value("SELECT COUNT(*) FROM classes", &[])
}

pub fn exists(conn: &Conn, id: ClassId) -> Result<bool> {
    Ok(conn.value::<i64>("SELECT COUNT(*) FROM classes WHERE id = ?1", &args![id])? > 0)
}

/// How many placements (past or present) name the class: a class with any
/// history cannot be deleted.
pub fn placement_count(conn: &Conn, id: ClassId) -> Result<i64> {
    conn.value("SELECT COUNT(*) FROM class_placements WHERE class_id = ?1", &args![id])
}

/// The names of the classes not archived, in [`list`]'s order, without its
/// head counts (what checking a name needs: an issue slip's 领用部门).
pub fn names(conn: &Conn) -> Result<Vec<String>> {
    conn.rows(
        "SELECT name FROM classes WHERE NOT archived
         ORDER BY CASE grade WHEN 'nursery' THEN 0 WHEN 'junior' THEN 1 WHEN 'middle' THEN 2 ELSE 3 END, name",
        &[],
        |r| r.get(0),
    )
}

/// Every class not archived, by grade then name, with the head count on `on`.
pub fn list(conn: &Conn, on: NaiveDate) -> Result<Vec<ClassInfo>> {
    conn.rows(
        "SELECT c.id, c.name, c.grade, c.head_teacher,
           (SELECT COUNT(*) FROM children ch
             WHERE ch.enrolled_on <= ?1 AND (ch.left_on IS NULL OR ch.left_on >= ?1)
               AND (SELECT p.class_id FROM class_placements p WHERE p.child_id = ch.id
                     ORDER BY (p.from_date <= ?1) DESC, p.from_date DESC LIMIT 1) = c.id)
         FROM classes c WHERE NOT c.archived
         ORDER BY CASE c.grade WHEN 'nursery' THEN 0 WHEN 'junior' THEN 1 WHEN 'middle' THEN 2 ELSE 3 END, c.name",
        &args![on],
        |r| {
            let grade: Grade = r.get(2)?;
            Ok(ClassInfo {
                id: r.get(0)?,
                name: r.get(1)?,
                grade,
                grade_label: grade.label().to_string(),
                head_teacher: r.get(3)?,
                child_count: r.get(4)?,
            })
        },
    )
}
