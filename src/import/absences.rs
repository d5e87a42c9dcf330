//! Importing absences (请假) from CSV or Excel.
//!
//! Columns: 学号 (or 姓名 + 班级), 开始日期, 结束日期, 类型 (病假/事假/其他;
//! 结束日期 may be empty for a single day). Every row is checked against the
//! children and their enrolment; a file with any problem writes nothing, and a
//! clean file is applied in one transaction through the same code path as the
//! grid and the leave dialog (so ranges split and merge the same way).

use std::path::Path;

use serde::Serialize;

use super::{parse_date_cell, read_table, Columns, Field, Row, Table};
use crate::attendance::absences::{apply_in_tx, AbsenceChange};
use crate::db::{Db, Tx};
use crate::error::FieldProblem;
use crate::refund::LeaveKind;
use crate::school::children::{self, ChildFilter};
use crate::school::ChildId;
use crate::{Error, Result};

const STUDENT_NO: usize = 0;
const NAME: usize = 1;
const CLASS: usize = 2;
const FROM: usize = 3;
const TO: usize = 4;
const KIND: usize = 5;
const NOTE: usize = 6;

/// The columns of an absences file.
pub const FIELDS: &[Field] = &[
    Field { label: "学号", aliases: &["student_no", "幼儿编号"], required: false },
    Field { label: "姓名", aliases: &["幼儿姓名", "name"], required: false },
    Field { label: "班级", aliases: &["class"], required: false },
    Field { label: "开始日期", aliases: &["开始", "请假开始", "from", "start"], required: true },
    Field { label: "结束日期", aliases: &["结束", "请假结束", "to", "end"], required: false },
    Field { label: "类型", aliases: &["请假类型", "kind", "type"], required: true },
    Field { label: "备注", aliases: &["原因", "note"], required: false },
];

/// What an absences import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AbsenceImportSummary {
    /// Rows applied.
    pub imported: usize,
}

/// Imports the absences in the file at `path` (all or nothing).
pub fn import_file(db: &mut Db, path: &Path) -> Result<AbsenceImportSummary> {
    let table = read_table(path)?;
    import_table(db, &table)
}

/// Imports absences from an already-read table.
pub fn import_table(db: &mut Db, table: &Table) -> Result<AbsenceImportSummary> {
    // A copy of the file first, so the change can be undone (a local file only).
    crate::backup::before(db, crate::backup::Reason::Import)?;
    let cols = table.columns(FIELDS)?;
    let can_find_child = cols.has(STUDENT_NO) || (cols.has(NAME) && cols.has(CLASS));
    if !can_find_child {
        return Err(Error::invalid("文件需要“学号”列,或者“姓名”和“班级”两列,才能找到对应的幼儿"));
    }
    let rows: Vec<&Row> = table.rows.iter().filter(|r| !r.is_blank()).collect();
    if rows.is_empty() {
        return Err(Error::invalid("文件中没有请假数据:表头下面没有内容"));
    }
    db.write(crate::auth::Job::Fees, |tx| {
        let everyone = children::list(tx, &ChildFilter { include_left: true, ..Default::default() })?;
        let mut problems = Vec::new();
        let mut changes = Vec::new();
        for row in &rows {
            match parse_row(&cols, row, &everyone) {
                Ok(c) => changes.push((row.number, c)),
                Err(mut p) => problems.append(&mut p),
            }
        }
        if problems.is_empty() {
            for (number, change) in &changes {
                if let Err(e) = apply_row(tx, change) {
                    problems.push(FieldProblem { row: *number, column: "开始日期".into(), reason: e.to_string() });
                }
            }
        }
        if problems.is_empty() {
            Ok(AbsenceImportSummary { imported: changes.len() })
        } else {
            // Returning the error rolls the transaction back: nothing is written.
            Err(Error::Rejected { problems })
        }
    })
}

fn apply_row(tx: &Tx, change: &AbsenceChange) -> Result<()> {
    apply_in_tx(tx, change).map(|_| ())
}

fn parse_row(
    cols: &Columns,
    row: &Row,
    everyone: &[children::Child],
) -> std::result::Result<AbsenceChange, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut bad =
        |column: &str, reason: String| problems.push(FieldProblem { row: row.number, column: column.into(), reason });
    let no = cols.get(row, STUDENT_NO);
    let name = cols.get(row, NAME);
    let class = cols.get(row, CLASS);
    let child: Option<ChildId> = if !no.is_empty() {
        let found = everyone.iter().find(|c| c.student_no == no).map(|c| c.id);
        if found.is_none() {
            bad("学号", format!("没有学号为“{no}”的幼儿"));
        }
        found
    } else if !name.is_empty() && !class.is_empty() {
        let hits: Vec<ChildId> =
            everyone.iter().filter(|c| c.name == name && c.class_name == class).map(|c| c.id).collect();
        match hits.as_slice() {
            [one] => Some(*one),
            [] => {
                bad("姓名", format!("{class}没有名叫“{name}”的幼儿"));
                None
            }
            _ => {
                bad("姓名", format!("{class}有不止一个“{name}”,请填写学号"));
                None
            }
        }
    } else {
        bad("学号", "请填写学号,或者同时填写姓名和班级".into());
        None
    };
    let from_text = cols.get(row, FROM);
    let from = parse_date_cell(from_text);
    if from.is_none() {
        bad("开始日期", format!("“{from_text}”不是有效的日期,请写成 2025-10-09 这样的格式"));
    }
    let to_text = cols.get(row, TO);
    let to = if to_text.is_empty() { from } else { parse_date_cell(to_text) };
    if to.is_none() && !to_text.is_empty() {
        bad("结束日期", format!("“{to_text}”不是有效的日期,请写成 2025-10-09 这样的格式"));
    }
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            bad("结束日期", format!("结束日期 {t} 早于开始日期 {f}"));
        }
    }
    let kind = match LeaveKind::parse(cols.get(row, KIND)) {
        Ok(k) => Some(k),
        Err(e) => {
            bad("类型", e.to_string());
            None
        }
    };
    match (child, from, to, kind) {
        (Some(child_id), Some(from), Some(to), Some(kind)) if problems.is_empty() => {
            Ok(AbsenceChange { child_id, from, to, kind: Some(kind), note: cols.get(row, NOTE).to_string() })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read_table_bytes;

    fn demo() -> Db {
        let mut db = Db::open_scratch().expect("db");
        crate::demo::load(&mut db, "2026-11-22".parse().expect("date")).expect("demo");
        db
    }

    #[test]
    fn imports_by_student_no_or_name_and_class() {
        let mut db = demo();
        let kids = children::list(db.conn(), &ChildFilter::default()).expect("kids");
        let (a, b) = (&kids[5], &kids[20]);
        let csv = format!(
            "学号,姓名,班级,开始日期,结束日期,类型\n{},,,2026-11-02,2026-11-06,病假\n,{},{},2026/11/9,,事假\n",
            a.student_no, b.name, b.class_name
        );
        let before = crate::attendance::absences::between(
            db.conn(),
            "2026-11-02".parse().expect("d"),
            "2026-11-09".parse().expect("d"),
        )
        .expect("list")
        .len();
        let t = read_table_bytes("a.csv", csv.as_bytes()).expect("table");
        let s = import_table(&mut db, &t).expect("import");
        assert_eq!(s.imported, 2);
        let after = crate::attendance::absences::between(
            db.conn(),
            "2026-11-02".parse().expect("d"),
            "2026-11-09".parse().expect("d"),
        )
        .expect("list");
        assert!(after.iter().any(|x| x.child_id == a.id && x.kind == LeaveKind::Sick));
        assert!(after.iter().any(|x| x.child_id == b.id && x.kind == LeaveKind::Personal));
        assert!(after.len() >= before);
    }

    #[test]
    fn bad_rows_import_nothing_and_are_all_named() {
        let mut db = demo();
        let count = |db: &Db| {
            crate::attendance::absences::between(
                db.conn(),
                "2000-01-01".parse().expect("d"),
                "2100-01-01".parse().expect("d"),
            )
            .expect("list")
            .len()
        };
        let before = count(&db);
        let kids = children::list(db.conn(), &ChildFilter::default()).expect("kids");
        let csv = format!(
            "学号,开始日期,结束日期,类型\n{no},2026-11-02,2026-11-03,病假\nNOPE,2026-11-02,2026-11-03,病假\n{no},2026-11-05,2026-11-04,病假\n{no},2026-11-10,,旷课\n",
            no = kids[0].student_no
        );
        let t = read_table_bytes("a.csv", csv.as_bytes()).expect("table");
        let Err(Error::Rejected { problems }) = import_table(&mut db, &t) else { panic!("should be rejected") };
        let rows: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(rows, vec![(3, "学号"), (4, "结束日期"), (5, "类型")]);
        assert_eq!(count(&db), before);
    }
}
