//! Helpers shared by the integration tests (settlement, audit, notices,
//! payments): dates,
//! a small school (one class, 伙食费 and 保教费 from March 2026), children and
//! leave, and reading a written PDF back with poppler (`pdftotext`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use houqin::attendance::absences::{self, AbsenceChange};
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::notices::{self, NoticeScope};
use houqin::payments::{PayMethod, PaymentInput, PaymentKind};
use houqin::refund::{FeeItem, LeaveKind};
use houqin::school::children::{self, ChildDetails, NewChild};
use houqin::school::classes::{self, ClassInput};
use houqin::school::profile::{self, SchoolProfile};
use houqin::school::{ChildId, ClassId, Gender, Grade};
use houqin::settlement;

pub fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}
pub fn m(s: &str) -> YearMonth {
    s.parse().expect("month")
}

pub fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("notices");
    std::fs::create_dir_all(&dir).expect("create output dir");
    dir
}

pub fn poppler(tool: &str, args: &[&str]) -> String {
    let out = match Command::new(tool).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("`{tool}` not found: install poppler-utils (apt-get install poppler-utils) to run the notice tests")
        }
        Err(e) => panic!("running {tool}: {e}"),
    };
    assert!(out.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("poppler output is UTF-8")
}

/// The PDF's text, laid out as on the page.
pub fn text_of(path: &Path) -> String {
    poppler("pdftotext", &["-layout", path.to_str().expect("utf-8 path"), "-"])
}

/// The text without any whitespace (pdftotext spaces words by layout).
pub fn squashed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn meal() -> FeeItem {
    FeeItem::from_json(
        r#"{"id":"meal","name":"伙食费","charge":{"per_day":"15.00"},
            "refund":{"per_day":{"min_run":3,"unrefunded_per_run":0,"kinds":["sick","personal"]}}}"#,
    )
    .expect("rule")
}

pub fn care() -> FeeItem {
    FeeItem::from_json(
        r#"{"id":"care","name":"保教费","charge":{"monthly":"800.00","divisor":"legal_working_days","proration":"per_day"},
            "refund":{"tiers":[{"attended_at_most":"none","percent":100},{"attended_at_most":"half","percent":50}]}}"#,
    )
    .expect("rule")
}

/// One class, rules from March 2026, school profile.
pub fn small_school(class_name: &str) -> (Db, ClassId) {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("李会计");
    profile::save(
        &mut db,
        &SchoolProfile {
            name: "阳光幼儿园".into(),
            bursar_name: "李会计".into(),
            head_name: "王园长".into(),
            ..Default::default()
        },
    )
    .expect("profile");
    let class = one_class(&mut db, class_name);
    settlement::save_rules(&mut db, m("2026-03"), &[meal(), care()], "").expect("rules");
    (db, class)
}

/// A 大班 class without a head teacher.
pub fn one_class(db: &mut Db, name: &str) -> ClassId {
    classes::add(db, &ClassInput { name: name.into(), grade: Grade::Senior, head_teacher: "".into() }).expect("class")
}

/// A child enrolled on 1 September 2025.
pub fn enrol(db: &mut Db, class: ClassId, no: &str, name: &str) -> ChildId {
    enrol_on(db, class, no, name, "2025-09-01")
}

/// A child enrolled on `enrolled_on` (YYYY-MM-DD), with only the required details.
pub fn enrol_on(db: &mut Db, class: ClassId, no: &str, name: &str, enrolled_on: &str) -> ChildId {
    children::add(
        db,
        &NewChild {
            details: ChildDetails {
                name: name.into(),
                gender: Gender::Female,
                birth_date: None,
                student_no: no.into(),
                guardian_name: "".into(),
                guardian_phone: "".into(),
                enrolled_on: d(enrolled_on),
            },
            class_id: class,
        },
    )
    .expect("child")
}

pub fn leave(db: &mut Db, child: ChildId, from: &str, to: &str) {
    absences::apply(
        db,
        &AbsenceChange { child_id: child, from: d(from), to: d(to), kind: Some(LeaveKind::Sick), note: "".into() },
    )
    .expect("absence");
}

/// Prints `scope`'s notices of settled month `month` to `name` in the test output folder.
pub fn print(db: &mut Db, month: &str, scope: NoticeScope, name: &str) -> (PathBuf, notices::PrintSummary) {
    print_with(db, month, scope, notices::EarlierUnprinted::Refuse, name)
}

/// [`print`] after the bursar chose 仍然打印: an earlier closed month's
/// notices that were never printed do not stop it.
#[allow(dead_code)]
pub fn print_anyway(db: &mut Db, month: &str, scope: NoticeScope, name: &str) -> (PathBuf, notices::PrintSummary) {
    print_with(db, month, scope, notices::EarlierUnprinted::PrintAnyway, name)
}

fn print_with(
    db: &mut Db,
    month: &str,
    scope: NoticeScope,
    earlier: notices::EarlierUnprinted,
    name: &str,
) -> (PathBuf, notices::PrintSummary) {
    let path = out_dir().join(name);
    let _ = std::fs::remove_file(&path);
    let s = notices::print(db, m(month), scope, earlier, &path, &mut |_| {}).expect("print");
    (path, s)
}

/// A 收款 or 退款 of `amount` 元 on `on`, by WeChat, without a note.
pub fn payment_input(child: ChildId, on: &str, amount: &str, kind: PaymentKind) -> PaymentInput {
    PaymentInput {
        child_id: child,
        kind,
        paid_on: d(on),
        amount: amount.into(),
        method: PayMethod::Wechat,
        note: String::new(),
    }
}
