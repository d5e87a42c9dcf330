//! Attendance (考勤): children's absences (请假) and what the month grid shows —
//! who was away on which school day, daily head counts (出勤人数) and child-days
//! (人天数). Refund rules live in [`crate::refund`]; this module only stores and
//! counts.

pub mod absences;
pub mod grid;

pub use absences::{AbsenceId, StoredAbsence};
