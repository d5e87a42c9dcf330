//! Storage of absences. A child's ranges never overlap: every change goes
//! through [`apply_in_tx`], which cuts the changed days out of existing ranges
//! and merges the new range with touching ranges of the same kind. That keeps
//! "mark a day", "mark a range", "clear a day" and imports one code path.
//!
//! A person's edit (the grid, the leave dialog, the command line) goes through
//! [`edit`]: a change to a closed month is a correction (更正) and needs a
//! reason, kept in the change's audit entry; the answer says how to undo it.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dates::YearMonth;
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AbsenceChange {
    pub child_id: ChildId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `None` clears the days.
    pub kind: Option<LeaveKind>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
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
    apply_change(tx, c, None)
}

/// [`apply_in_tx`], with the reason for a correction kept in the audit entry.
fn apply_change(tx: &Tx, c: &AbsenceChange, reason: Option<&str>) -> Result<Vec<StoredAbsence>> {
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
    let mut audited = serde_json::json!({ "change": c, "ranges": after });
    if let Some(reason) = reason {
        audited["reason"] = serde_json::json!(reason);
    }
    tx.audit(
        "absence",
        c.child_id,
        if c.kind.is_some() { "mark" } else { "clear" },
        Some(&serde_json::json!(around)),
        Some(&audited),
    )?;
    Ok(after)
}

fn insert(tx: &Tx, child: ChildId, from: NaiveDate, to: NaiveDate, kind: LeaveKind, note: &str) -> Result<()> {
    store::absences::insert(tx, child, from, to, kind, note)
}

/// One change (a leave dialog, or one grid cell), one transaction.
pub fn apply(db: &mut Db, c: &AbsenceChange) -> Result<Vec<StoredAbsence>> {
    db.write(crate::auth::Job::Fees, |tx| apply_in_tx(tx, c))
}

/// Several changes as one user action (a range selected in the grid): all or none.
pub fn apply_all(db: &mut Db, changes: &[AbsenceChange]) -> Result<usize> {
    db.write(crate::auth::Job::Fees, |tx| {
        for c in changes {
            apply_in_tx(tx, c)?;
        }
        Ok(changes.len())
    })
}

/// The longest correction reason kept (characters).
const REASON_MAX_CHARS: usize = 200;

/// What a person's edit did, and the changes that take it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Changes applied.
    pub changed: usize,
    /// Applying these (as one edit, in order) restores the absences as they
    /// were before, notes included (Ctrl+Z in the grid).
    pub undo: Vec<AbsenceChange>,
}

/// The closed months among those `from..=to` reaches, oldest first.
fn closed_months_touched(tx: &Tx, from: NaiveDate, to: NaiveDate) -> Result<Vec<YearMonth>> {
    tx.rows(
        "SELECT month FROM settlements WHERE status = 'closed' AND month >= ?1 AND month <= ?2 ORDER BY month",
        &crate::args![YearMonth::of(from.min(to)), YearMonth::of(from.max(to))],
        |r| r.get(0),
    )
}

/// The changes that put back what `c` is about to change: clear the days it
/// marks, then mark again every stored range it overlaps, cut to its days,
/// with its kind and note (touching parts then merge back into one range).
fn inverse(tx: &Tx, c: &AbsenceChange) -> Result<Vec<AbsenceChange>> {
    let mut out = Vec::new();
    if c.kind.is_some() {
        out.push(AbsenceChange { kind: None, note: String::new(), ..c.clone() });
    }
    for a in for_child(tx, c.child_id, c.from, c.to)? {
        out.push(AbsenceChange {
            child_id: c.child_id,
            from: a.from.max(c.from),
            to: a.to.min(c.to),
            kind: Some(a.kind),
            note: a.note,
        });
    }
    Ok(out)
}

/// Several changes as one edit of a person (a grid selection, the leave
/// dialog, the command line): all or none, in one transaction.
///
/// A change that reaches a closed month is a correction (更正): it never
/// changes the closed month's figures — the difference is carried by the next
/// open month — but it is refused without a `reason`, so that a stray key on
/// a closed month's grid changes nothing. The reason is kept in each change's
/// audit entry (not in the absence's note, which is the leave's own remark).
pub fn edit(db: &mut Db, changes: &[AbsenceChange], reason: Option<&str>) -> Result<Edit> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > REASON_MAX_CHARS) {
        return Err(Error::invalid(format!("更正原因最多 {REASON_MAX_CHARS} 个字")));
    }
    db.write(crate::auth::Job::Fees, |tx| {
        let mut undo: Vec<Vec<AbsenceChange>> = Vec::with_capacity(changes.len());
        for c in changes {
            if reason.is_none() {
                let closed = closed_months_touched(tx, c.from, c.to)?;
                if !closed.is_empty() {
                    let months: Vec<String> = closed.iter().map(|m| m.label()).collect();
                    return Err(Error::conflict(format!(
                        "{} 已结账:修改已结账月份的考勤是更正,必须填写更正原因\
                         (考勤表中先点“更正”并填写原因;命令行加 --reason)。\
                         更正不会改动已结账的金额,差额作为补退/补收计入下一个未结账的月份",
                        months.join("、")
                    )));
                }
            }
            undo.push(inverse(tx, c)?);
            apply_change(tx, c, reason)?;
        }
        // Undo the last change first: each inverse was read just before its change.
        Ok(Edit { changed: changes.len(), undo: undo.into_iter().rev().flatten().collect() })
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

    fn notes(db: &Db) -> Vec<(String, String, LeaveKind, String)> {
        between(db.conn(), d("2000-01-01"), d("2100-01-01"))
            .expect("list")
            .into_iter()
            .map(|a| (a.from.to_string(), a.to.to_string(), a.kind, a.note))
            .collect()
    }

    /// October 2025 as closed (the row a confirmed settlement leaves).
    fn close_october(db: &Db) {
        db.conn()
            .exec(
                "INSERT INTO settlements (month, revision, status, rules_json, result_json, charged_fen, refund_fen,
                   adjustment_fen, confirmed_at, confirmed_by) VALUES ('2025-10', 1, 'closed', '[]', '{}', 0, 0, 0, CURRENT_TIMESTAMP, '')",
                &[],
            )
            .expect("closed month");
    }

    #[test]
    fn a_closed_month_is_corrected_only_with_a_reason_kept_in_the_audit_entry() {
        let (mut db, c) = setup();
        apply(&mut db, &mark(c, "2025-10-09", "2025-10-10", Some(LeaveKind::Sick))).expect("before closing");
        close_october(&db);
        let before = notes(&db);
        // A stray key (no 更正 mode) on the closed month, or a range reaching into it.
        for change in [
            mark(c, "2025-10-13", "2025-10-13", Some(LeaveKind::Personal)),
            mark(c, "2025-10-09", "2025-10-09", None),
            mark(c, "2025-10-30", "2025-11-04", Some(LeaveKind::Sick)),
        ] {
            for reason in [None, Some("  ")] {
                let e = edit(&mut db, std::slice::from_ref(&change), reason).expect_err("refused");
                assert!(matches!(e, Error::Conflict(_)), "{e:?}");
                assert!(e.to_string().contains("2025年10月 已结账") && e.to_string().contains("更正原因"), "{e}");
            }
        }
        assert_eq!(notes(&db), before, "nothing changed");
        let long = "因".repeat(201);
        assert!(edit(&mut db, &[mark(c, "2025-10-13", "2025-10-13", None)], Some(&long)).is_err());
        // November is open: no reason needed.
        edit(&mut db, &[mark(c, "2025-11-03", "2025-11-03", Some(LeaveKind::Sick))], None).expect("open month");

        let fixed =
            edit(&mut db, &[mark(c, "2025-10-13", "2025-10-13", Some(LeaveKind::Personal))], Some(" 家长补交请假条 "))
                .expect("correction");
        assert_eq!(fixed.changed, 1);
        let entry = &crate::db::audit::recent(db.conn(), Some("absence"), 1).expect("audit")[0];
        let after = entry.after.as_ref().expect("after");
        assert_eq!(after["reason"], "家长补交请假条");
        assert_eq!(after["change"]["from"], "2025-10-13");
    }

    #[test]
    fn undo_puts_back_the_ranges_with_their_notes() {
        let (mut db, c) = setup();
        let sick =
            AbsenceChange { note: "发烧".into(), ..mark(c, "2025-10-06", "2025-10-17", Some(LeaveKind::Sick)) };
        apply(&mut db, &sick).expect("a fortnight");
        apply(&mut db, &mark(c, "2025-10-20", "2025-10-20", Some(LeaveKind::Other))).expect("a day");
        let before = notes(&db);
        // One edit of two changes: a day in the middle becomes 事假, and a block
        // across both ranges (and an empty day) is cleared.
        let e = edit(
            &mut db,
            &[
                mark(c, "2025-10-09", "2025-10-09", Some(LeaveKind::Personal)),
                mark(c, "2025-10-16", "2025-10-21", None),
            ],
            None,
        )
        .expect("edit");
        assert_ne!(notes(&db), before);
        let undone = edit(&mut db, &e.undo, None).expect("undo");
        assert_eq!(notes(&db), before, "exactly as before");
        // Undoing the undo redoes the edit.
        edit(&mut db, &undone.undo, None).expect("redo");
        assert_eq!(
            notes(&db),
            vec![
                ("2025-10-06".into(), "2025-10-08".into(), LeaveKind::Sick, "发烧".into()),
                ("2025-10-09".into(), "2025-10-09".into(), LeaveKind::Personal, String::new()),
                ("2025-10-10".into(), "2025-10-15".into(), LeaveKind::Sick, "发烧".into()),
            ]
        );
        // Marking a day that was empty: undo clears it.
        let e = edit(&mut db, &[mark(c, "2025-10-27", "2025-10-27", Some(LeaveKind::Sick))], None).expect("mark");
        edit(&mut db, &e.undo, None).expect("undo");
        assert!(notes(&db).iter().all(|(from, ..)| from != "2025-10-27"));
    }
}
