//! The month grid (考勤表): children × days for one class, with the daily head
//! count (出勤人数) and the month's child-days (人天数). Counting only: no money.

use crate::store::Conn;
use serde::Serialize;
use std::collections::HashMap;

use super::absences;
use crate::calendar::DayInfo;
use crate::dates::YearMonth;
use crate::refund::LeaveKind;
use crate::school::children::{self, ChildFilter};
use crate::school::{calendar, ChildId, ClassId};
use crate::Result;

/// One child's row.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GridRow {
    pub child_id: ChildId,
    pub name: String,
    pub student_no: String,
    /// Per day of the month: `None` = not absent; a kind = absent.
    pub cells: Vec<Option<LeaveKind>>,
    /// Per day: enrolled that day (cells outside enrolment are not editable).
    pub enrolled: Vec<bool>,
    pub absent_school_days: u32,
    pub attended_days: u32,
}

/// The grid of one class for one month.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonthGrid {
    pub month: YearMonth,
    pub class_id: ClassId,
    pub days: Vec<DayInfo>,
    pub rows: Vec<GridRow>,
    /// Per day: children present (enrolled, school day, not absent, no closure).
    pub present: Vec<u32>,
    /// Sum of `present`: 人天数.
    pub child_days: u32,
    pub school_days: u32,
}

/// Builds the grid for the children in `class_id` at any time in the month.
pub fn month_grid(conn: &Conn, month: YearMonth, class_id: ClassId) -> Result<MonthGrid> {
    let cal = calendar::load(conn)?.month(month);
    let first = month.first_day();
    let last = month.last_day();
    // A child who moved class mid-month appears in the class they were in on
    // the last day of the month they were enrolled in it; simple and stable.
    let mut kids = children::list(
        conn,
        &ChildFilter { class_id: Some(class_id), include_left: true, on: Some(last), search: None },
    )?;
    kids.retain(|c| c.enrolled_on <= last && c.left_on.is_none_or(|l| l >= first));
    let mut by_child: HashMap<ChildId, Vec<absences::StoredAbsence>> = HashMap::new();
    for a in absences::between(conn, first, last)? {
        by_child.entry(a.child_id).or_default().push(a);
    }
    let mut present = vec![0u32; cal.days.len()];
    let mut rows = Vec::with_capacity(kids.len());
    for k in kids {
        let ranges = by_child.remove(&k.id).unwrap_or_default();
        let mut cells = Vec::with_capacity(cal.days.len());
        let mut enrolled = Vec::with_capacity(cal.days.len());
        let (mut absent, mut attended) = (0, 0);
        for (i, day) in cal.days.iter().enumerate() {
            let on = k.enrolled_on <= day.date && k.left_on.is_none_or(|l| day.date <= l);
            let kind = ranges.iter().find(|a| a.from <= day.date && day.date <= a.to).map(|a| a.kind);
            if on && day.school_day && !day.charged_closure {
                if kind.is_some() {
                    absent += 1;
                } else {
                    attended += 1;
                    present[i] += 1;
                }
            }
            cells.push(kind);
            enrolled.push(on);
        }
        rows.push(GridRow {
            child_id: k.id,
            name: k.name,
            student_no: k.student_no,
            cells,
            enrolled,
            absent_school_days: absent,
            attended_days: attended,
        });
    }
    Ok(MonthGrid {
        month,
        class_id,
        child_days: present.iter().sum(),
        school_days: cal.school_days.len() as u32,
        days: cal.days,
        rows,
        present,
    })
}

/// Child-days (人天数) of the whole school in a month: what the meal account uses.
pub fn school_child_days(conn: &Conn, month: YearMonth) -> Result<u32> {
    let mut total = 0;
    for c in crate::school::classes::list(conn)? {
        total += month_grid(conn, month, c.id)?.child_days;
    }
    Ok(total)
}
