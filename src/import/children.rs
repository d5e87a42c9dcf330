//! Importing children (幼儿) from a CSV or Excel roster.
//!
//! Columns (Chinese or English headers, in any order; unknown columns are ignored):
//! 姓名 name, 性别 gender, 出生日期 birth_date, 班级 class, 学号 student_no,
//! 家长姓名 guardian_name, 联系电话 guardian_phone, 入园日期 enrolled_on, and
//! optionally 离园日期 left_on (so a file written by [`crate::export`] re-imports).
//! 姓名, 性别, 班级, 学号 and 入园日期 must be present.
//!
//! Every row is checked and every problem reported (row as Excel shows it,
//! column, reason in Chinese); a file with any problem writes nothing. A clean
//! file is written in one transaction, and the checks against the database (学号
//! already used, class names) run inside that same transaction, so nothing can
//! slip in between the check and the write.
//!
//! Deliberately out: creating classes on the fly (a typo like 大九班 must be an
//! error, not a new class), updating children already in the database (a 学号
//! that exists is a conflict, not an update), and class-move history (a child is
//! placed in the file's class from the enrolment date).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::{parse_date_cell, read_table, read_table_bytes, Columns, Field, Row, Table};
use crate::db::Db;
use crate::error::FieldProblem;
use crate::school::children::{check_details, insert_in_tx, student_no_taken, ChildDetails, NewChild};
use crate::school::{classes, ClassId, Gender};
use crate::{Error, Result};

const NAME: usize = 0;
const GENDER: usize = 1;
const BIRTH_DATE: usize = 2;
const CLASS: usize = 3;
const STUDENT_NO: usize = 4;
const GUARDIAN_NAME: usize = 5;
const GUARDIAN_PHONE: usize = 6;
const ENROLLED_ON: usize = 7;
const LEFT_ON: usize = 8;

/// The columns of a children file, in template order (indexes are the constants above).
pub const FIELDS: &[Field] = &[
    Field { label: "姓名", aliases: &["幼儿姓名", "学生姓名", "name", "child_name"], required: true },
    Field { label: "性别", aliases: &["gender", "sex"], required: true },
    Field {
        label: "出生日期",
        aliases: &["生日", "出生年月日", "birth_date", "birthday", "date_of_birth"],
        required: false,
    },
    Field { label: "班级", aliases: &["班级名称", "所在班级", "class", "class_name"], required: true },
    Field {
        label: "学号",
        aliases: &["幼儿编号", "学籍号", "student_no", "student_number", "student_id"],
        required: true,
    },
    Field {
        label: "家长姓名",
        aliases: &["家长", "监护人", "监护人姓名", "guardian_name", "guardian", "parent_name", "parent"],
        required: false,
    },
    Field {
        label: "联系电话",
        aliases: &["电话", "手机", "手机号", "手机号码", "家长电话", "联系方式", "guardian_phone", "phone", "mobile"],
        required: false,
    },
    Field {
        label: "入园日期",
        aliases: &["入学日期", "enrolled_on", "enrollment_date", "enrolment_date"],
        required: true,
    },
    Field { label: "离园日期", aliases: &["left_on", "leaving_date"], required: false },
];

/// How many template columns there are: 离园日期 is accepted but not offered in the template.
const TEMPLATE_COLUMNS: usize = 8;

/// How often progress is reported, in rows (often enough for a smooth bar,
/// rarely enough that a desktop event per call costs nothing).
const PROGRESS_EVERY: usize = 200;

/// What a successful import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportSummary {
    /// Children added.
    pub imported: usize,
    /// Rows below the header that were entirely empty.
    pub skipped_blank: usize,
}

/// The header line of an empty children file for the 「下载模板」 button, with a
/// UTF-8 byte-order mark so Excel on Chinese Windows opens it without garbling.
pub fn template_csv() -> String {
    let labels: Vec<&str> = FIELDS.iter().take(TEMPLATE_COLUMNS).map(|f| f.label).collect();
    format!("\u{feff}{}\r\n", labels.join(","))
}

/// Imports the children in the CSV or Excel file at `path`; see the module docs.
/// `progress(done, total)` is called now and then: each data row is checked and
/// then written, so `total` is twice the number of non-blank rows.
pub fn import_file(db: &mut Db, path: &Path, progress: &mut dyn FnMut(usize, usize)) -> Result<ImportSummary> {
    let table = read_table(path)?;
    import_table(db, &table, progress)
}

/// Like [`import_file`], for a file's contents; `file_name`'s extension says CSV or Excel.
pub fn import_bytes(
    db: &mut Db,
    file_name: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary> {
    let table = read_table_bytes(file_name, bytes)?;
    import_table(db, &table, progress)
}

/// Imports children from an already-read table (all or nothing).
pub fn import_table(db: &mut Db, table: &Table, progress: &mut dyn FnMut(usize, usize)) -> Result<ImportSummary> {
    // A copy of the file first, so the change can be undone (a local file only).
    crate::backup::before(db, crate::backup::Reason::Import)?;
    let cols = table.columns(FIELDS)?;
    let data: Vec<&Row> = table.rows.iter().filter(|r| !r.is_blank()).collect();
    let skipped_blank = table.rows.len() - data.len();
    if data.is_empty() {
        return Err(Error::invalid("文件中没有幼儿数据:表头下面没有内容"));
    }
    let total = data.len() * 2;
    progress(0, total);
    db.write(crate::auth::Job::School, |tx| {
        let mut checker = Checker { classes: HashMap::new(), student_nos: HashMap::new() };
        let mut problems = Vec::new();
        let mut good = Vec::with_capacity(data.len());
        for (i, row) in data.iter().enumerate() {
            match checker.check(tx, &cols, row)? {
                Ok(child) => good.push(child),
                Err(mut p) => problems.append(&mut p),
            }
            if (i + 1) % PROGRESS_EVERY == 0 {
                progress(i + 1, total);
            }
        }
        if !problems.is_empty() {
            // Returning Err rolls the (still empty) transaction back.
            return Err(Error::Rejected { problems });
        }
        progress(data.len(), total);
        for (i, c) in good.iter().enumerate() {
            let id = insert_in_tx(tx, &c.child)?;
            if let Some(left) = c.left_on {
                crate::school::children::set_left_in_tx(tx, id, Some(left))?;
            }
            if (i + 1) % PROGRESS_EVERY == 0 {
                progress(data.len() + i + 1, total);
            }
        }
        progress(total, total);
        Ok(ImportSummary { imported: good.len(), skipped_blank })
    })
}

/// A row that passed every check.
struct Checked {
    child: NewChild,
    left_on: Option<NaiveDate>,
}

/// Row checks that need memory of earlier rows and lookups in the database.
struct Checker {
    /// Class name → id (None: no such class), so each name is looked up once.
    classes: HashMap<String, Option<ClassId>>,
    /// 学号 → the row that first used it in this file.
    student_nos: HashMap<String, usize>,
}

fn date_reason(text: &str) -> String {
    format!("“{text}”不是有效的日期,请写成 2025-09-01 这样的格式")
}

impl Checker {
    /// Checks one row; the outer `Result` is a database failure, the inner one the row's problems.
    fn check(
        &mut self,
        conn: &crate::store::Conn,
        cols: &Columns,
        row: &Row,
    ) -> Result<std::result::Result<Checked, Vec<FieldProblem>>> {
        let n = row.number;
        let mut problems = Vec::new();
        let mut bad = |field: usize, reason: String| {
            problems.push(FieldProblem { row: n, column: FIELDS[field].label.to_string(), reason })
        };
        let get = |field: usize| cols.get(row, field);

        let gender_text = get(GENDER);
        let gender = Gender::parse(gender_text);
        if gender_text.is_empty() {
            bad(GENDER, "请填写性别(男或女)".into());
        } else if gender.is_none() {
            bad(GENDER, format!("“{gender_text}”不是有效的性别,请填写“男”或“女”"));
        }

        let mut date = |field: usize, required: bool| -> Option<NaiveDate> {
            let text = get(field);
            if text.is_empty() {
                if required {
                    bad(field, format!("请填写{}", FIELDS[field].label));
                }
                return None;
            }
            let parsed = parse_date_cell(text);
            if parsed.is_none() {
                bad(field, date_reason(text));
            }
            parsed
        };
        let birth_date = date(BIRTH_DATE, false);
        let enrolled_on = date(ENROLLED_ON, true);
        let left_on = date(LEFT_ON, false);
        if let (Some(left), Some(enrolled)) = (left_on, enrolled_on) {
            if left < enrolled {
                bad(LEFT_ON, format!("离园日期 {left} 早于入园日期 {enrolled}"));
            }
        }

        let class_name = get(CLASS);
        let class_id = if class_name.is_empty() {
            bad(CLASS, "请填写班级".into());
            None
        } else {
            let id = match self.classes.get(class_name) {
                Some(id) => *id,
                None => {
                    let id = classes::find_by_name(conn, class_name)?;
                    self.classes.insert(class_name.to_string(), id);
                    id
                }
            };
            if id.is_none() {
                bad(CLASS, format!("没有名为“{class_name}”的班级"));
            }
            id
        };

        let student_no = get(STUDENT_NO);
        if !student_no.is_empty() {
            if let Some(first) = self.student_nos.get(student_no) {
                bad(STUDENT_NO, format!("学号“{student_no}”与第{first}行重复"));
            } else {
                self.student_nos.insert(student_no.to_string(), n);
                if student_no_taken(conn, student_no, None)? {
                    bad(STUDENT_NO, format!("学号“{student_no}”已被其他幼儿使用"));
                }
            }
        }

        let details = ChildDetails {
            name: get(NAME).to_string(),
            // A stand-in when the gender is bad; the row is rejected anyway.
            gender: gender.unwrap_or(Gender::Male),
            birth_date,
            student_no: student_no.to_string(),
            guardian_name: get(GUARDIAN_NAME).to_string(),
            guardian_phone: get(GUARDIAN_PHONE).to_string(),
            // A missing enrolment date must not also make the birth date look late.
            enrolled_on: enrolled_on.unwrap_or(NaiveDate::MAX),
        };
        problems.extend(check_details(&details, n));

        match (gender, enrolled_on, class_id) {
            (Some(_), Some(_), Some(class_id)) if problems.is_empty() => {
                Ok(Ok(Checked { child: NewChild { details, class_id }, left_on }))
            }
            _ => {
                // Report a row's problems left to right, as the columns sit in the template.
                let order = |p: &FieldProblem| FIELDS.iter().position(|f| f.label == p.column).unwrap_or(FIELDS.len());
                problems.sort_by_key(order);
                Ok(Err(problems))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::school::classes::ClassInput;
    use crate::school::Grade;

    fn db() -> Db {
        let mut db = Db::open_scratch().expect("db");
        classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "".into() })
            .expect("class");
        db
    }

    fn import(db: &mut Db, csv: &str) -> Result<ImportSummary> {
        import_bytes(db, "幼儿.csv", csv.as_bytes(), &mut |_, _| {})
    }

    fn count(db: &Db) -> i64 {
        db.conn().value("SELECT COUNT(*) FROM children", &[]).expect("count")
    }

    const HEADER: &str = "姓名,性别,出生日期,班级,学号,家长姓名,联系电话,入园日期\n";

    #[test]
    fn template_is_the_header_excel_opens() {
        let t = template_csv();
        assert!(t.starts_with('\u{feff}'));
        assert_eq!(t.trim_start_matches('\u{feff}'), HEADER.replace('\n', "\r\n"));
    }

    #[test]
    fn one_row_with_many_problems_lists_them_in_column_order() {
        let mut db = db();
        let csv = format!("{HEADER}, 未知,2020-13-01,大九班,,,abc,\n");
        let Err(Error::Rejected { problems }) = import(&mut db, &csv) else { panic!("expected Rejected") };
        let got: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(
            got,
            [(2, "姓名"), (2, "性别"), (2, "出生日期"), (2, "班级"), (2, "学号"), (2, "联系电话"), (2, "入园日期")]
        );
        assert_eq!(problems[3].reason, "没有名为“大九班”的班级");
        assert_eq!(problems[6].reason, "请填写入园日期");
        assert_eq!(count(&db), 0);
    }

    #[test]
    fn duplicate_student_no_names_the_first_row_and_the_database() {
        let mut db = db();
        import(&mut db, &format!("{HEADER}王一,男,,大一班,001,,,2024-09-01\n")).expect("first");
        let csv = format!(
            "{HEADER}张三,男,,大一班,002,,,2024-09-01\n\n李四,女,,大一班,002,,,2024-09-01\n王五,男,,大一班,001,,,2024-09-01\n"
        );
        let Err(Error::Rejected { problems }) = import(&mut db, &csv) else { panic!("expected Rejected") };
        let got: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.reason.as_str())).collect();
        assert_eq!(got, [(4, "学号“002”与第2行重复"), (5, "学号“001”已被其他幼儿使用")]);
        assert_eq!(count(&db), 1);
    }

    #[test]
    fn missing_columns_are_one_message() {
        let mut db = db();
        let err = import(&mut db, "姓名,性别\n张三,男\n").expect_err("missing").to_string();
        assert!(err.starts_with("文件缺少必需的列:班级、学号、入园日期。"), "{err}");
    }

    #[test]
    fn left_on_is_kept_and_progress_reaches_the_end() {
        let mut db = db();
        let csv = "name,gender,class,student_no,enrolled_on,left_on\n\n张三,M,大一班,1,2024/9/1,2025年1月15日\n";
        let mut last = (0, 0);
        let s = import_bytes(&mut db, "a.csv", csv.as_bytes(), &mut |d, t| last = (d, t)).expect("import");
        assert_eq!(s, ImportSummary { imported: 1, skipped_blank: 1 });
        assert_eq!(last, (2, 2));
        let left: Option<NaiveDate> = db.conn().value("SELECT left_on FROM children", &[]).expect("left_on");
        assert_eq!(left, NaiveDate::from_ymd_opt(2025, 1, 15));
    }

    #[test]
    fn a_header_without_rows_is_refused() {
        let mut db = db();
        let err = import(&mut db, HEADER).expect_err("empty").to_string();
        assert!(err.contains("没有幼儿数据"), "{err}");
    }
}
