//! Children (幼儿): details, class placements over time, enrolment and leaving.
//! A move between classes is a new placement from a date, and leaving sets a
//! date: neither deletes history, so past months settle by the class of the day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ChildId, ClassId, Gender};
use crate::db::{Db, Tx};
use crate::error::FieldProblem;
use crate::store::{self, Conn};
use crate::text::{self, Field};
use crate::{Error, Result};

/// A child as lists and forms show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Child {
    pub id: ChildId,
    pub name: String,
    pub gender: Gender,
    pub birth_date: Option<NaiveDate>,
    pub student_no: String,
    pub guardian_name: String,
    pub guardian_phone: String,
    pub enrolled_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    /// The class on the day asked for (today for lists).
    pub class_id: Option<ClassId>,
    pub class_name: String,
}

/// Everything about a child except the class (which changes by [`move_class`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChildDetails {
    pub name: String,
    pub gender: Gender,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub birth_date: Option<NaiveDate>,
    pub student_no: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub guardian_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub guardian_phone: String,
    pub enrolled_on: NaiveDate,
}

/// A new child: details and the class they start in (from the enrolment date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewChild {
    #[serde(flatten)]
    pub details: ChildDetails,
    pub class_id: ClassId,
}

/// Which children a list shows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChildFilter {
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub class_id: Option<ClassId>,
    /// Include children who have left.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub include_left: bool,
    /// Matches name, 学号 or guardian.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub search: Option<String>,
    /// The day whose classes and enrolment count (default today).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub on: Option<NaiveDate>,
}

/// One placement: in `class_id` from `from_date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Placement {
    pub class_id: ClassId,
    pub class_name: String,
    pub from_date: NaiveDate,
}

/// Checks a child's details the same way for a form and for an import row.
/// `row` is the spreadsheet row (0 for a form). Returns every problem, not just the first.
pub fn check_details(d: &ChildDetails, row: usize) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let mut bad = |column: &str, reason: String| problems.push(FieldProblem { row, column: column.into(), reason });
    if d.name.trim().is_empty() {
        bad("姓名", "姓名不能为空".into());
    }
    if d.student_no.trim().is_empty() {
        bad("学号", "学号不能为空".into());
    }
    // A guardian is often written with the relation: 王芳(母亲).
    problems.extend(text::problems(
        row,
        &[
            (Field::person("姓名"), &d.name),
            (Field::code("学号"), &d.student_no),
            (Field::name("家长姓名").max(text::PERSON_NAME_MAX), &d.guardian_name),
        ],
    ));
    let mut bad = |column: &str, reason: String| problems.push(FieldProblem { row, column: column.into(), reason });
    if let Some(b) = d.birth_date {
        if b > d.enrolled_on {
            bad("出生日期", format!("出生日期 {b} 晚于入园日期 {}", d.enrolled_on));
        }
    }
    let phone = d.guardian_phone.trim();
    if !phone.is_empty() && !phone.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ' || c == '+') {
        bad("联系电话", format!("“{phone}”不是有效的电话号码"));
    } else if let Err(why) = Field::phone("联系电话").check(phone) {
        bad("联系电话", why);
    }
    problems
}

fn rejected(problems: Vec<FieldProblem>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else if problems.len() == 1 && problems[0].row == 0 {
        Err(Error::Invalid(problems[0].reason.clone()))
    } else {
        Err(Error::Rejected { problems })
    }
}

/// Whether a 学号 is taken (by another child than `except`).
pub fn student_no_taken(conn: &Conn, student_no: &str, except: Option<ChildId>) -> Result<bool> {
    let id = store::children::by_student_no(conn, student_no.trim())?;
    Ok(matches!(id, Some(found) if Some(found) != except))
}

fn trimmed(d: &ChildDetails) -> ChildDetails {
    ChildDetails {
        name: d.name.trim().to_string(),
        student_no: d.student_no.trim().to_string(),
        guardian_name: d.guardian_name.trim().to_string(),
        guardian_phone: d.guardian_phone.trim().to_string(),
        ..d.clone()
    }
}

/// Inserts a checked child inside an open transaction (used by forms and imports).
pub fn insert_in_tx(tx: &Tx, c: &NewChild) -> Result<ChildId> {
    let id = store::children::insert(tx, &trimmed(&c.details), c.class_id)?;
    tx.audit("child", id, "create", None, Some(&serde_json::json!(c)))?;
    Ok(id)
}

/// Enrols a new child.
pub fn add(db: &mut Db, c: &NewChild) -> Result<ChildId> {
    rejected(check_details(&c.details, 0))?;
    db.write(crate::auth::Job::School, |tx| {
        if !store::classes::exists(tx, c.class_id)? {
            return Err(Error::not_found("班级", c.class_id));
        }
        if student_no_taken(tx, &c.details.student_no, None)? {
            return Err(Error::conflict(format!("学号“{}”已被其他幼儿使用", c.details.student_no.trim())));
        }
        insert_in_tx(tx, c)
    })
}

/// Changes a child's details (not the class: see [`move_class`]).
pub fn update(db: &mut Db, id: ChildId, d: &ChildDetails) -> Result<()> {
    rejected(check_details(d, 0))?;
    db.write(crate::auth::Job::School, |tx| {
        let before = get(tx, id, None)?;
        if student_no_taken(tx, &d.student_no, Some(id))? {
            return Err(Error::conflict(format!("学号“{}”已被其他幼儿使用", d.student_no.trim())));
        }
        if let Some(left) = before.left_on {
            if d.enrolled_on > left {
                return Err(Error::invalid(format!("入园日期不能晚于离园日期 {left}")));
            }
        }
        let first_placement = store::children::placements(tx, id)?.first().map(|p| p.from_date);
        store::children::update(tx, id, &trimmed(d), first_placement)?;
        tx.audit("child", id, "update", Some(&serde_json::json!(before)), Some(&serde_json::json!(d)))
    })
}

/// Moves a child to another class from a date; earlier months keep the old class.
pub fn move_class(db: &mut Db, id: ChildId, class_id: ClassId, from: NaiveDate) -> Result<()> {
    db.write(crate::auth::Job::School, |tx| move_class_in_tx(tx, id, class_id, from))
}

/// [`move_class`] inside an open transaction (imports, the demo).
pub fn move_class_in_tx(tx: &Tx, id: ChildId, class_id: ClassId, from: NaiveDate) -> Result<()> {
    let child = get(tx, id, Some(from))?;
    if !store::classes::exists(tx, class_id)? {
        return Err(Error::not_found("班级", class_id));
    }
    if from < child.enrolled_on {
        return Err(Error::invalid(format!("调班日期 {from} 早于入园日期 {}", child.enrolled_on)));
    }
    if let Some(left) = child.left_on {
        if from > left {
            return Err(Error::invalid(format!("调班日期 {from} 晚于离园日期 {left}")));
        }
    }
    if child.class_id == Some(class_id) {
        return Err(Error::invalid(format!("{} 在 {from} 已经在该班级", child.name)));
    }
    store::children::place(tx, id, class_id, from)?;
    tx.audit(
        "child",
        id,
        "move_class",
        Some(&serde_json::json!({"class_id": child.class_id})),
        Some(&serde_json::json!({"class_id": class_id, "from": from})),
    )
}

/// Records that a child left (last day in the school), or clears it with `None`.
pub fn set_left(db: &mut Db, id: ChildId, left_on: Option<NaiveDate>) -> Result<()> {
    db.write(crate::auth::Job::School, |tx| set_left_in_tx(tx, id, left_on))
}

/// [`set_left`] inside an open transaction (imports, the demo).
pub fn set_left_in_tx(tx: &Tx, id: ChildId, left_on: Option<NaiveDate>) -> Result<()> {
    let child = get(tx, id, None)?;
    if let Some(left) = left_on {
        if left < child.enrolled_on {
            return Err(Error::invalid(format!("离园日期 {left} 早于入园日期 {}", child.enrolled_on)));
        }
    }
    store::children::set_left(tx, id, left_on)?;
    tx.audit(
        "child",
        id,
        if left_on.is_some() { "leave" } else { "undo_leave" },
        Some(&serde_json::json!({"left_on": child.left_on})),
        Some(&serde_json::json!({"left_on": left_on})),
    )
}

/// The class placements of a child, oldest first.
pub fn placements(conn: &Conn, id: ChildId) -> Result<Vec<Placement>> {
    store::children::placements(conn, id)
}

/// A child, with the class they are in on `on` (default today).
pub fn get(conn: &Conn, id: ChildId, on: Option<NaiveDate>) -> Result<Child> {
    let on = on.unwrap_or_else(crate::dates::today);
    store::children::get(conn, id, on)?.ok_or_else(|| Error::not_found("幼儿", id))
}

/// How many children are enrolled on `on` (入园日期 ≤ on ≤ 离园日期): the head count.
pub fn count_enrolled(conn: &Conn, on: NaiveDate) -> Result<usize> {
    Ok(usize::try_from(store::children::count_enrolled(conn, on)?).unwrap_or(0))
}

/// Children by class and 学号, as of a day. Children not yet enrolled on that
/// day are listed too (the list shows them as 待入园); see [`count_enrolled`]
/// for the head count.
pub fn list(conn: &Conn, f: &ChildFilter) -> Result<Vec<Child>> {
    let search = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    store::children::list(
        conn,
        &store::children::ListQuery {
            on: f.on.unwrap_or_else(crate::dates::today),
            include_left: f.include_left,
            class_id: f.class_id,
            search,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::school::classes::{self, ClassInput};
    use crate::school::Grade;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn setup() -> (Db, ClassId, ClassId) {
        let mut db = Db::open_scratch().expect("db");
        let a =
            classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "".into() })
                .expect("class");
        let b =
            classes::add(&mut db, &ClassInput { name: "中一班".into(), grade: Grade::Middle, head_teacher: "".into() })
                .expect("class");
        (db, a, b)
    }

    fn child(no: &str) -> ChildDetails {
        ChildDetails {
            name: "王小明".into(),
            gender: Gender::Male,
            birth_date: Some(d("2020-05-01")),
            student_no: no.into(),
            guardian_name: "王建国".into(),
            guardian_phone: "13800000000".into(),
            enrolled_on: d("2024-09-01"),
        }
    }

    #[test]
    fn duplicate_student_no_is_refused_and_changes_nothing() {
        let (mut db, a, _) = setup();
        add(&mut db, &NewChild { details: child("001"), class_id: a }).expect("first");
        let err = add(&mut db, &NewChild { details: child("001"), class_id: a }).expect_err("dup");
        assert!(err.to_string().contains("学号“001”已被其他幼儿使用"), "{err}");
        let all = list(db.conn(), &ChildFilter { include_left: true, ..Default::default() }).expect("list");
        assert_eq!(all.len(), 1);
    }

    #[test]
    fn move_keeps_history() {
        let (mut db, a, b) = setup();
        let id = add(&mut db, &NewChild { details: child("001"), class_id: a }).expect("add");
        move_class(&mut db, id, b, d("2025-03-01")).expect("move");
        assert_eq!(get(db.conn(), id, Some(d("2025-02-28"))).expect("get").class_id, Some(a));
        assert_eq!(get(db.conn(), id, Some(d("2025-03-01"))).expect("get").class_id, Some(b));
        assert_eq!(placements(db.conn(), id).expect("p").len(), 2);
        let err = move_class(&mut db, id, a, d("2024-01-01")).expect_err("before enrolment");
        assert!(err.to_string().contains("早于入园日期"));
    }

    #[test]
    fn leaving_hides_from_current_list_but_keeps_the_child() {
        let (mut db, a, _) = setup();
        let id = add(&mut db, &NewChild { details: child("001"), class_id: a }).expect("add");
        set_left(&mut db, id, Some(d("2025-01-15"))).expect("leave");
        let f = ChildFilter { on: Some(d("2025-02-01")), ..Default::default() };
        assert!(list(db.conn(), &f).expect("list").is_empty());
        let f = ChildFilter { on: Some(d("2025-02-01")), include_left: true, ..Default::default() };
        assert_eq!(list(db.conn(), &f).expect("list").len(), 1);
        assert_eq!(count_enrolled(db.conn(), d("2025-01-15")).expect("count"), 1);
        assert_eq!(count_enrolled(db.conn(), d("2025-01-16")).expect("count"), 0);
        assert_eq!(count_enrolled(db.conn(), d("2024-08-31")).expect("count"), 0, "not yet enrolled");
        assert!(set_left(&mut db, id, Some(d("2020-01-01"))).is_err());
    }

    #[test]
    fn every_change_is_audited_with_the_operator() {
        let (mut db, a, _) = setup();
        db.set_operator("李会计");
        let id = add(&mut db, &NewChild { details: child("001"), class_id: a }).expect("add");
        let log = crate::db::audit::recent(db.conn(), Some("child"), 10).expect("audit");
        assert_eq!(log[0].operator, "李会计");
        assert_eq!(log[0].entity_id, id.to_string());
        assert_eq!(log[0].action, "create");
    }

    #[test]
    fn bad_details_list_every_problem() {
        let mut c = child("");
        c.name = " ".into();
        c.birth_date = Some(d("2030-01-01"));
        let p = check_details(&c, 5);
        let cols: Vec<&str> = p.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(cols, ["姓名", "学号", "出生日期"]);
        assert!(p.iter().all(|p| p.row == 5));
    }
}
