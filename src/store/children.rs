//! `children` and `class_placements`: a child's details and the classes they
//! were in over time (a move is a new placement from a date; nothing is deleted).

use chrono::NaiveDate;

use super::{Conn, Row, Tx};
use crate::school::children::{Child, ChildDetails, Placement};
use crate::school::{ChildId, ClassId};
use crate::{args, Result};

// The class on day ?1: the latest placement starting on or before it, or the
// first placement for a day before enrolment.
const CLASS_ON: &str = "(SELECT p.class_id FROM class_placements p WHERE p.child_id = ch.id
      ORDER BY (p.from_date <= ?1) DESC, CASE WHEN p.from_date <= ?1 THEN p.from_date END DESC, p.from_date LIMIT 1)";

const CHILD_COLUMNS: &str = "ch.id, ch.name, ch.gender, ch.birth_date, ch.student_no, ch.guardian_name,
    ch.guardian_phone, ch.enrolled_on, ch.left_on, cl.id, COALESCE(cl.name, '')";

fn read(r: &Row) -> Result<Child> {
    Ok(Child {
        id: r.get(0)?,
        name: r.get(1)?,
        gender: r.get(2)?,
        birth_date: r.get(3)?,
        student_no: r.get(4)?,
        guardian_name: r.get(5)?,
        guardian_phone: r.get(6)?,
        enrolled_on: r.get(7)?,
        left_on: r.get(8)?,
        class_id: r.get(9)?,
        class_name: r.get(10)?,
    })
}

/// The child who has this 学号, if any.
pub fn by_student_no(conn: &Conn, student_no: &str) -> Result<Option<ChildId>> {
    conn.row_opt("SELECT id FROM children WHERE student_no = ?1", &args![student_no], |r| r.get(0))
}

/// A new child and their first placement (from the enrolment date).
pub fn insert(tx: &Tx, d: &ChildDetails, class_id: ClassId) -> Result<ChildId> {
    let id = ChildId(tx.insert(
        "INSERT INTO children (name, gender, birth_date, student_no, guardian_name, guardian_phone, enrolled_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &args![d.name, d.gender, d.birth_date, d.student_no, d.guardian_name, d.guardian_phone, d.enrolled_on],
    )?);
    tx.exec(
        "INSERT INTO class_placements (child_id, class_id, from_date) VALUES (?1, ?2, ?3)",
        &args![id, class_id, d.enrolled_on],
    )?;
    Ok(id)
}

/// New details. The first placement starts on the enrolment date, so a
/// corrected enrolment date moves it too (unless a later move is already past it).
pub fn update(tx: &Tx, id: ChildId, d: &ChildDetails, first_placement: Option<NaiveDate>) -> Result<()> {
    tx.exec(
        "UPDATE children SET name = ?1, gender = ?2, birth_date = ?3, student_no = ?4,
           guardian_name = ?5, guardian_phone = ?6, enrolled_on = ?7 WHERE id = ?8",
        &args![d.name, d.gender, d.birth_date, d.student_no, d.guardian_name, d.guardian_phone, d.enrolled_on, id],
    )?;
    if let Some(first) = first_placement {
        tx.exec(
            "UPDATE class_placements SET from_date = ?1 WHERE child_id = ?2 AND from_date = ?3
               AND NOT EXISTS (SELECT 1 FROM class_placements WHERE child_id = ?2 AND from_date > ?3 AND from_date <= ?1)",
            &args![d.enrolled_on, id, first],
        )?;
    }
    Ok(())
}

/// In `class_id` from `from` (replacing a placement that starts the same day).
pub fn place(tx: &Tx, id: ChildId, class_id: ClassId, from: NaiveDate) -> Result<()> {
    tx.exec(
        "INSERT INTO class_placements (child_id, class_id, from_date) VALUES (?1, ?2, ?3)
         ON CONFLICT (child_id, from_date) DO UPDATE SET class_id = excluded.class_id",
        &args![id, class_id, from],
    )?;
    Ok(())
}

pub fn set_left(tx: &Tx, id: ChildId, left_on: Option<NaiveDate>) -> Result<()> {
    tx.exec("UPDATE children SET left_on = ?1 WHERE id = ?2", &args![left_on, id])?;
    Ok(())
}

/// A child's placements, oldest first.
pub fn placements(conn: &Conn, id: ChildId) -> Result<Vec<Placement>> {
    conn.rows(
        "SELECT p.class_id, c.name, p.from_date FROM class_placements p JOIN classes c ON c.id = p.class_id
         WHERE p.child_id = ?1 ORDER BY p.from_date",
        &args![id],
        |r| Ok(Placement { class_id: r.get(0)?, class_name: r.get(1)?, from_date: r.get(2)? }),
    )
}

/// A child with the class they are in on `on`.
pub fn get(conn: &Conn, id: ChildId, on: NaiveDate) -> Result<Option<Child>> {
    let sql =
        format!("SELECT {CHILD_COLUMNS} FROM children ch LEFT JOIN classes cl ON cl.id = {CLASS_ON} WHERE ch.id = ?2");
    conn.row_opt(&sql, &args![on, id], read)
}

/// How many children there are (those who left too).
pub fn count(conn: &Conn) -> Result<i64> {
    conn.value("SELECT COUNT(*) FROM children", &[])
}

/// How many children are enrolled on `on` (入园日期 ≤ on ≤ 离园日期).
pub fn count_enrolled(conn: &Conn, on: NaiveDate) -> Result<i64> {
    conn.value(
        "SELECT COUNT(*) FROM children WHERE enrolled_on <= ?1 AND (left_on IS NULL OR left_on >= ?1)",
        &args![on],
    )
}

/// Which children [`list`] returns.
pub struct ListQuery<'a> {
    /// The day whose classes and enrolment count.
    pub on: NaiveDate,
    pub include_left: bool,
    pub class_id: Option<ClassId>,
    /// Part of the name, 学号 or guardian (ASCII letters in any case).
    pub search: Option<&'a str>,
}

/// Children by grade, class and 学号, with their class on `q.on`.
pub fn list(conn: &Conn, q: &ListQuery) -> Result<Vec<Child>> {
    let pattern = q.search.map(|s| format!("%{}%", s.to_lowercase()));
    let sql = format!(
        "SELECT {CHILD_COLUMNS} FROM children ch LEFT JOIN classes cl ON cl.id = {CLASS_ON}
         WHERE (?2 OR ch.left_on IS NULL OR ch.left_on >= ?1)
           AND (CAST(?3 AS BIGINT) IS NULL OR cl.id = ?3)
           AND (CAST(?4 AS TEXT) IS NULL OR lower(ch.name) LIKE ?4 OR lower(ch.student_no) LIKE ?4
                OR lower(ch.guardian_name) LIKE ?4)
         ORDER BY CASE cl.grade WHEN 'nursery' THEN 0 WHEN 'junior' THEN 1 WHEN 'middle' THEN 2 ELSE 3 END,
                  cl.name, ch.student_no"
    );
    conn.rows(&sql, &args![q.on, q.include_left, q.class_id, pattern], read)
}

/// Every child's enrolment: (id, enrolled, left), for the settlement.
pub fn enrolments(conn: &Conn) -> Result<Vec<(ChildId, NaiveDate, Option<NaiveDate>)>> {
    conn.rows("SELECT id, enrolled_on, left_on FROM children", &[], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
}

/// A child's name and the classes they were in, oldest placement first:
/// (from, class name).
pub type ClassHistory = (String, Vec<(NaiveDate, String)>);

/// Every child's [`ClassHistory`]. The settlement works out the class on the
/// last day of each of a year of months in memory from this one query, rather
/// than asking once per child and month.
pub fn class_histories(conn: &Conn) -> Result<std::collections::HashMap<ChildId, ClassHistory>> {
    let mut out: std::collections::HashMap<ChildId, ClassHistory> = std::collections::HashMap::new();
    conn.each(
        "SELECT ch.id, ch.name, p.from_date, cl.name FROM children ch
         LEFT JOIN class_placements p ON p.child_id = ch.id LEFT JOIN classes cl ON cl.id = p.class_id
         ORDER BY ch.id, p.from_date",
        &[],
        |r| {
            let entry = out.entry(r.get(0)?).or_insert_with(|| (String::new(), Vec::new()));
            entry.0 = r.get(1)?;
            if let Some(from) = r.get::<Option<NaiveDate>>(2)? {
                entry.1.push((from, r.get::<Option<String>>(3)?.unwrap_or_default()));
            }
            Ok(())
        },
    )?;
    Ok(out)
}
