//! Storage of absences. A child's ranges never overlap: every change goes
//! through [`apply_in_tx`], which cuts the changed days out of existing ranges
//! and merges the new range with touching ranges of the same kind. That keeps
//! "mark a day", "mark a range", "clear a day" and imports one code path.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::db::{Db, Tx};
use crate::refund::{Absence, LeaveKind};
use crate::school::children;
use crate::school::{id_type, ChildId};
use crate::store::{self, Conn};
use crate::text::{self, Field};
use crate::{Error, Result};

id_type!(
    /// One stored absence range.
    AbsenceId
);

/// A stored absence range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAbsence {
    pub id: AbsenceId,
    pub child_id: ChildId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: LeaveKind,
    pub note: String,
}

impl StoredAbsence {
    /// The engine's view of this range.
    pub fn to_absence(&self) -> Absence {
        Absence { child: self.child_id.to_string(), from: self.from, to: self.to, kind: self.kind }
    }
}

/// A change a person asks for: mark `from..=to` as `kind`, or clear it (`None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceChange {
    pub child_id: ChildId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `None` clears the days.
    pub kind: Option<LeaveKind>,
    #[serde(default)]
    pub note: String,
}

/// Every range that overlaps `from..=to`, for all children, by child then date.
pub fn between(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<StoredAbsence>> {
    store::absences::between(conn, from, to)
}

/// One child's ranges overlapping `from..=to`.
pub fn for_child(conn: &Conn, child: ChildId, from: NaiveDate, to: NaiveDate) -> Result<Vec<StoredAbsence>> {
    store::absences::for_child(conn, child, from, to)
}

/// Checks a change against the child's enrolment; the message names the child.
fn check(conn: &Conn, c: &AbsenceChange) -> Result<()> {
    if c.to < c.from {
        return Err(Error::invalid(format!("结束日期 {} 早于开始日期 {}", c.to, c.from)));
    }
    if (c.to - c.from).num_days() > 366 {
        return Err(Error::invalid("一次请假不能超过一年,请分段录入"));
    }
    text::check_all(&[(Field::note("请假备注").max(200), &c.note)])?;
    let child = children::get(conn, c.child_id, Some(c.from))?;
    if c.kind.is_some() {
        if c.from < child.enrolled_on {
            return Err(Error::invalid(format!(
                "{} 的入园日期是 {},不能在此之前({})请假",
                child.name, child.enrolled_on, c.from
            )));
        }
        if let Some(left) = child.left_on {
            if c.to > left {
                return Err(Error::invalid(format!("{} 已于 {left} 离园,不能在此之后({})请假", child.name, c.to)));
            }
        }
    }
    Ok(())
}

/// Applies one change inside an open transaction, audited. Returns the child's
/// ranges around the change as they are afterwards.
pub fn apply_in_tx(tx: &Tx, c: &AbsenceChange) -> Result<Vec<StoredAbsence>> {
    check(tx, c)?;
    let day = Duration::days(1);
    // Touching ranges (ending the day before / starting the day after) may merge.
    let around = for_child(tx, c.child_id, c.from - day, c.to + day)?;
    let mut from = c.from;
    let mut to = c.to;
    for a in &around {
        store::absences::delete(tx, a.id)?;
        let mergeable = Some(a.kind) == c.kind && a.note == c.note.trim();
        if mergeable {
            from = from.min(a.from);
            to = to.max(a.to);
            continue;
        }
        // Keep the parts of an existing range outside the changed days.
        if a.from < c.from {
            insert(tx, c.child_id, a.from, (c.from - day).min(a.to), a.kind, &a.note)?;
        }
        if a.to > c.to {
            insert(tx, c.child_id, (c.to + day).max(a.from), a.to, a.kind, &a.note)?;
        }
    }
    if let Some(kind) = c.kind {
        insert(tx, c.child_id, from, to, kind, c.note.trim())?;
    }
    let after = for_child(tx, c.child_id, from - day, to + day)?;
    tx.audit(
        "absence",
        c.child_id,
        if c.kind.is_some() { "mark" } else { "clear" },
        Some(&serde_json::json!(around)),
        Some(&serde_json::json!({ "change": c, "ranges": after })),
    )?;
    Ok(after)
}

fn insert(tx: &Tx, child: ChildId, from: NaiveDate, to: NaiveDate, kind: LeaveKind, note: &str) -> Result<()> {
    store::absences::insert(tx, child, from, to, kind, note)
}

/// One change (a leave dialog, or one grid cell), one transaction.
pub fn apply(db: &mut Db, c: &AbsenceChange) -> Result<Vec<StoredAbsence>> {
    db.with_tx(|tx| apply_in_tx(tx, c))
}

/// Several changes as one user action (a range selected in the grid): all or none.
pub fn apply_all(db: &mut Db, changes: &[AbsenceChange]) -> Result<usize> {
    db.with_tx(|tx| {
        for c in changes {
            apply_in_tx(tx, c)?;
        }
        Ok(changes.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::school::children::{ChildDetails, NewChild};
    use crate::school::classes::{self, ClassInput};
    use crate::school::{Gender, Grade};

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn setup() -> (Db, ChildId) {
        let mut db = Db::open_scratch().expect("db");
        let class =
            classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "".into() })
                .expect("class");
        let child = children::add(
            &mut db,
            &NewChild {
                details: ChildDetails {
                    name: "王小明".into(),
                    gender: Gender::Male,
                    birth_date: None,
                    student_no: "001".into(),
                    guardian_name: "".into(),
                    guardian_phone: "".into(),
                    enrolled_on: d("2025-09-01"),
                },
                class_id: class,
            },
        )
        .expect("child");
        (db, child)
    }

    fn mark(child: ChildId, from: &str, to: &str, kind: Option<LeaveKind>) -> AbsenceChange {
        AbsenceChange { child_id: child, from: d(from), to: d(to), kind, note: String::new() }
    }

    fn ranges(db: &Db) -> Vec<(String, String, LeaveKind)> {
        between(db.conn(), d("2000-01-01"), d("2100-01-01"))
            .expect("list")
            .into_iter()
            .map(|a| (a.from.to_string(), a.to.to_string(), a.kind))
            .collect()
    }

    #[test]
    fn touching_days_of_one_kind_merge() {
        let (mut db, c) = setup();
        apply(&mut db, &mark(c, "2025-10-09", "2025-10-09", Some(LeaveKind::Sick))).expect("a");
        apply(&mut db, &mark(c, "2025-10-10", "2025-10-10", Some(LeaveKind::Sick))).expect("b");
        assert_eq!(ranges(&db), vec![("2025-10-09".into(), "2025-10-10".into(), LeaveKind::Sick)]);
    }

    #[test]
    fn marking_inside_a_range_splits_it() {
        let (mut db, c) = setup();
        apply(&mut db, &mark(c, "2025-10-09", "2025-10-17", Some(LeaveKind::Sick))).expect("range");
        apply(&mut db, &mark(c, "2025-10-13", "2025-10-13", Some(LeaveKind::Personal))).expect("day");
        assert_eq!(
            ranges(&db),
            vec![
                ("2025-10-09".into(), "2025-10-12".into(), LeaveKind::Sick),
                ("2025-10-13".into(), "2025-10-13".into(), LeaveKind::Personal),
                ("2025-10-14".into(), "2025-10-17".into(), LeaveKind::Sick),
            ]
        );
        apply(&mut db, &mark(c, "2025-10-12", "2025-10-14", None)).expect("clear");
        assert_eq!(
            ranges(&db),
            vec![
                ("2025-10-09".into(), "2025-10-11".into(), LeaveKind::Sick),
                ("2025-10-15".into(), "2025-10-17".into(), LeaveKind::Sick),
            ]
        );
    }

    #[test]
    fn bad_ranges_are_refused_and_change_nothing() {
        let (mut db, c) = setup();
        let backwards = apply(&mut db, &mark(c, "2025-10-10", "2025-10-09", Some(LeaveKind::Sick)));
        assert!(backwards.expect_err("refused").to_string().contains("早于开始日期"));
        let early = apply(&mut db, &mark(c, "2025-08-25", "2025-09-02", Some(LeaveKind::Sick)));
        assert!(early.expect_err("refused").to_string().contains("入园日期"));
        let unknown = apply(&mut db, &mark(ChildId(999), "2025-10-01", "2025-10-02", Some(LeaveKind::Sick)));
        assert!(matches!(unknown, Err(Error::NotFound { .. })));
        assert!(ranges(&db).is_empty());
    }

    #[test]
    fn a_failed_batch_writes_nothing() {
        let (mut db, c) = setup();
        let r = apply_all(
            &mut db,
            &[
                mark(c, "2025-10-09", "2025-10-09", Some(LeaveKind::Sick)),
                mark(c, "2025-10-10", "2025-10-01", Some(LeaveKind::Sick)),
            ],
        );
        assert!(r.is_err());
        assert!(ranges(&db).is_empty());
    }
}
