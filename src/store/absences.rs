//! `absences`: one row per continuous range of one kind of leave. A child's
//! ranges never overlap (the attendance module keeps them so).

use chrono::NaiveDate;

use super::{Conn, Row, Tx};
use crate::attendance::absences::{AbsenceId, StoredAbsence};
use crate::refund::LeaveKind;
use crate::school::ChildId;
use crate::store::StoreError;
use crate::{args, Result};

fn read(r: &Row) -> Result<StoredAbsence> {
    let kind: String = r.get(4)?;
    Ok(StoredAbsence {
        id: r.get(0)?,
        child_id: r.get(1)?,
        from: r.get(2)?,
        to: r.get(3)?,
        kind: LeaveKind::parse(&kind).map_err(|e| StoreError::decode(e.to_string()))?,
        note: r.get(5)?,
    })
}

/// Every range that overlaps `from..=to`, for all children, by child then date.
pub fn between(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<StoredAbsence>> {
    conn.rows(
        "SELECT id, child_id, from_date, to_date, kind, note FROM absences
         WHERE from_date <= ?2 AND to_date >= ?1 ORDER BY child_id, from_date",
        &args![from, to],
        read,
    )
}

/// One child's ranges overlapping `from..=to`.
pub fn for_child(conn: &Conn, child: ChildId, from: NaiveDate, to: NaiveDate) -> Result<Vec<StoredAbsence>> {
    conn.rows(
        "SELECT id, child_id, from_date, to_date, kind, note FROM absences
         WHERE child_id = ?1 AND from_date <= ?3 AND to_date >= ?2 ORDER BY from_date",
        &args![child, from, to],
        read,
    )
}

pub fn insert(tx: &Tx, child: ChildId, from: NaiveDate, to: NaiveDate, kind: LeaveKind, note: &str) -> Result<()> {
    tx.exec(
        "INSERT INTO absences (child_id, from_date, to_date, kind, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        &args![child, from, to, kind.as_str(), note],
    )?;
    Ok(())
}

pub fn delete(tx: &Tx, id: AbsenceId) -> Result<()> {
    tx.exec("DELETE FROM absences WHERE id = ?1", &args![id])?;
    Ok(())
}
