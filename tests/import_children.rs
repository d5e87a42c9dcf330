//! Children import and export through the public API, as the acceptance
//! criteria put it: a 300-row roster in UTF-8 CSV, GBK CSV (what Excel on
//! Chinese Windows writes) and .xlsx imports whole; the same roster with three
//! bad rows imports nothing and names exactly those rows; an export re-imports.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike, NaiveDate};
use houqin::db::Db;
use houqin::import::children::{import_bytes, import_file, ImportSummary};
use houqin::import::UNKNOWN_ENCODING;
use houqin::school::children::{self, Child, ChildFilter};
use houqin::school::classes::{self, ClassInput};
use houqin::school::{Gender, Grade};
use houqin::Error;

const CLASSES: &[(&str, Grade)] = &[
    ("托一班", Grade::Nursery),
    ("小一班", Grade::Junior),
    ("小二班", Grade::Junior),
    ("中一班", Grade::Middle),
    ("大一班", Grade::Senior),
    ("大二班", Grade::Senior),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋",
    "蔡", "欧阳", "司马", "诸葛",
];
const GIVEN: &[&str] = &[
    "子", "梓", "涵", "轩", "浩", "宇", "欣", "怡", "诗", "雨", "若", "汐", "思", "睿", "一", "诺", "沐", "辰", "佳",
    "琪", "晨", "曦", "可", "馨", "俊", "熙", "嘉", "懿", "铭", "泽", "昊", "然", "语", "桐", "彧", "喆", "婧", "瑾",
];
const HEADER: [&str; 8] = ["姓名", "性别", "出生日期", "班级", "学号", "家长姓名", "联系电话", "入园日期"];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn db_with_classes() -> Db {
    let mut db = Db::open_scratch().expect("db");
    for (name, grade) in CLASSES {
        classes::add(&mut db, &ClassInput { name: (*name).into(), grade: *grade, head_teacher: "".into() })
            .expect("class");
    }
    db
}

/// The roster's rows as text, dates written in the various ways people type them.
fn roster(n: usize) -> Vec<[String; 8]> {
    (0..n)
        .map(|i| {
            let surname = SURNAMES[i % SURNAMES.len()];
            let given = if i % 5 == 0 {
                GIVEN[(i * 7) % GIVEN.len()].to_string()
            } else {
                format!("{}{}", GIVEN[(i * 7) % GIVEN.len()], GIVEN[(i * 13 + 5) % GIVEN.len()])
            };
            let birth = d(2019, 9, 1) + chrono::Duration::days((i * 37 % 1200) as i64);
            let enrolled = [d(2023, 9, 1), d(2024, 9, 1), d(2025, 3, 1)][i % 3];
            let date = |x: NaiveDate| match i % 4 {
                0 => x.format("%Y-%m-%d").to_string(),
                1 => x.format("%Y/%-m/%-d").to_string(),
                2 => x.format("%Y年%-m月%-d日").to_string(),
                _ => x.format("%Y%m%d").to_string(),
            };
            [
                format!("{surname}{given}"),
                if i % 2 == 0 { "男" } else { "女" }.to_string(),
                date(birth),
                CLASSES[i % CLASSES.len()].0.to_string(),
                format!("{:06}", i + 1),
                format!("{surname}{}", GIVEN[(i * 11 + 3) % GIVEN.len()]),
                (13_800_000_000u64 + i as u64 * 7_919).to_string(),
                date(enrolled),
            ]
        })
        .collect()
}

/// The three bad rows of the acceptance test: data index → (spreadsheet row, column).
fn break_three(rows: &mut [[String; 8]]) {
    rows[49][3] = "大九班".into(); // row 51
    rows[149][2] = "2020-02-30".into(); // row 151
    rows[249][4] = rows[9][4].clone(); // row 251 repeats row 11's 学号
}

fn csv_text(rows: &[[String; 8]]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).expect("header");
    for r in rows {
        w.write_record(r).expect("row");
    }
    String::from_utf8(w.into_inner().expect("flush")).expect("utf8")
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(text);
    assert!(!had_errors, "test data must be encodable in GBK");
    bytes.into_owned()
}

/// An .xlsx as a person's Excel would hold it: birth dates as date cells, phone
/// numbers as numbers, every other 学号 as a number formatted `000000`, and every
/// third enrolment date as a bare serial number.
fn xlsx_bytes(rows: &[[String; 8]]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy/m/d");
    let no_fmt = Format::new().set_num_format("000000");
    let sheet = book.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let epoch = d(1899, 12, 30);
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, text) in r.iter().enumerate() {
            let col = c as u16;
            let date = houqin::dates::parse_date(text);
            match (c, date) {
                (2, Some(x)) => {
                    let x = ExcelDateTime::from_ymd(x.year() as u16, x.month() as u8, x.day() as u8).expect("date");
                    sheet.write_datetime_with_format(row, col, &x, &date_fmt).map(|_| ())
                }
                (4, _) if i % 2 == 1 => {
                    sheet.write_number_with_format(row, col, text.parse::<f64>().expect("no"), &no_fmt).map(|_| ())
                }
                (6, _) => sheet.write_number(row, col, text.parse::<f64>().expect("phone")).map(|_| ()),
                (7, Some(x)) if i % 3 == 0 => sheet.write_number(row, col, (x - epoch).num_days() as f64).map(|_| ()),
                _ => sheet.write_string(row, col, text).map(|_| ()),
            }
            .expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A file in the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str) -> TempFile {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        TempFile(std::env::temp_dir().join(format!("houqin-import-test-{}-{n}-{name}", std::process::id())))
    }
    fn with(name: &str, bytes: &[u8]) -> TempFile {
        let f = TempFile::new(name);
        std::fs::write(&f.0, bytes).expect("write temp file");
        f
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn all_children(db: &Db) -> Vec<Child> {
    let mut kids =
        children::list(db.conn(), &ChildFilter { include_left: true, ..Default::default() }).expect("list children");
    kids.sort_by(|a, b| a.student_no.cmp(&b.student_no));
    kids
}

/// Checks every imported child against the roster it came from.
fn assert_matches_roster(db: &Db, rows: &[[String; 8]]) {
    let kids = all_children(db);
    assert_eq!(kids.len(), rows.len());
    for (k, r) in kids.iter().zip(rows) {
        assert_eq!(k.name, r[0]);
        assert_eq!(k.gender, Gender::parse(&r[1]).expect("gender"));
        assert_eq!(k.birth_date, houqin::dates::parse_date(&r[2]), "birth date of {}", k.name);
        assert_eq!(k.class_name, r[3]);
        assert_eq!(k.student_no, r[4]);
        assert_eq!(k.guardian_name, r[5]);
        assert_eq!(k.guardian_phone, r[6]);
        assert_eq!(Some(k.enrolled_on), houqin::dates::parse_date(&r[7]), "enrolment of {}", k.name);
        assert_eq!(k.left_on, None);
    }
}

/// The three formats a roster arrives in: (file name, contents).
fn three_formats(rows: &[[String; 8]]) -> [(&'static str, Vec<u8>); 3] {
    let text = csv_text(rows);
    let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
    utf8_bom.extend_from_slice(text.as_bytes());
    [("幼儿名单.csv", utf8_bom), ("幼儿名单-gbk.csv", gbk(&text)), ("幼儿名单.xlsx", xlsx_bytes(rows))]
}

#[test]
fn three_hundred_children_import_from_utf8_csv_gbk_csv_and_xlsx() {
    let rows = roster(300);
    for (name, bytes) in three_formats(&rows) {
        let mut db = db_with_classes();
        let file = TempFile::with(name, &bytes);
        let mut calls = Vec::new();
        let summary = import_file(&mut db, &file.0, &mut |done, total| calls.push((done, total))).expect(name);
        assert_eq!(summary, ImportSummary { imported: 300, skipped_blank: 0 }, "{name}");
        assert_matches_roster(&db, &rows);
        assert_eq!(calls.first(), Some(&(0, 600)), "{name}");
        assert_eq!(calls.last(), Some(&(600, 600)), "{name}");
        assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0), "progress only moves forward");
    }
}

#[test]
fn three_bad_rows_are_named_and_nothing_is_written_then_the_corrected_file_imports() {
    let good = roster(300);
    let mut bad = good.clone();
    break_three(&mut bad);
    let expected = vec![
        (51, "班级".to_string(), "没有名为“大九班”的班级".to_string()),
        (151, "出生日期".to_string(), "“2020-02-30”不是有效的日期,请写成 2025-09-01 这样的格式".to_string()),
        (251, "学号".to_string(), "学号“000010”与第11行重复".to_string()),
    ];
    for ((name, bad_bytes), (_, good_bytes)) in three_formats(&bad).into_iter().zip(three_formats(&good)) {
        let mut db = db_with_classes();
        let err = import_bytes(&mut db, name, &bad_bytes, &mut |_, _| {}).expect_err(name);
        let Error::Rejected { problems } = &err else { panic!("{name}: expected Rejected, got {err}") };
        let got: Vec<(usize, String, String)> =
            problems.iter().map(|p| (p.row, p.column.clone(), p.reason.clone())).collect();
        assert_eq!(got, expected, "{name}");
        assert!(err.to_string().starts_with("有 3 处错误,没有保存任何数据:\n第51行 [班级]"), "{err}");
        assert!(all_children(&db).is_empty(), "{name}: a rejected file writes nothing");

        let summary = import_bytes(&mut db, name, &good_bytes, &mut |_, _| {}).expect(name);
        assert_eq!(summary.imported, 300, "{name}");
        assert_matches_roster(&db, &good);
    }
}

#[test]
fn gbk_header_and_names_round_trip() {
    let text = "姓名,性别,出生日期,班级,学号,家长姓名,联系电话,入园日期\r\n\
                欧阳彧,男,2021-03-04,大一班,A001,欧阳喆,13912345678,2024-09-01\r\n\
                ,,,,,,,\r\n\
                诸葛婧瑾,女,2021/7/8,小二班,A002,诸葛亮,,2024/9/1\r\n";
    let mut db = db_with_classes();
    let file = TempFile::with("gbk.csv", &gbk(text));
    let summary = import_file(&mut db, &file.0, &mut |_, _| {}).expect("GBK import");
    assert_eq!(summary, ImportSummary { imported: 2, skipped_blank: 1 });
    let kids = all_children(&db);
    let names: Vec<(&str, &str, &str)> =
        kids.iter().map(|k| (k.name.as_str(), k.guardian_name.as_str(), k.class_name.as_str())).collect();
    assert_eq!(names, [("欧阳彧", "欧阳喆", "大一班"), ("诸葛婧瑾", "诸葛亮", "小二班")]);
}

#[test]
fn an_undecodable_file_gives_the_encoding_message() {
    let mut db = db_with_classes();
    // Bytes that are neither UTF-8 nor GB18030 (0xFF never starts a GB18030 character).
    let mut bytes = gbk("姓名,性别,班级,学号,入园日期\n");
    bytes.extend_from_slice(b"\xff\xfe\xff,\x81\x20,x,1,2024-09-01\n");
    let err = import_bytes(&mut db, "乱码.csv", &bytes, &mut |_, _| {}).expect_err("undecodable");
    assert!(matches!(&err, Error::Invalid(m) if m == UNKNOWN_ENCODING), "{err}");
    assert_eq!(err.to_string(), "文件编码无法识别,请另存为 UTF-8 或 GBK 编码的 CSV");
    assert!(all_children(&db).is_empty());
}

#[test]
fn export_then_reimport_into_a_fresh_database_round_trips() {
    let rows = roster(300);
    let mut a = db_with_classes();
    import_bytes(&mut a, "a.csv", csv_text(&rows).as_bytes(), &mut |_, _| {}).expect("import");
    let leaver = all_children(&a)[7].id;
    children::set_left(&mut a, leaver, Some(d(2025, 1, 15))).expect("leave");

    let out = TempFile::new("幼儿与班级.xlsx");
    houqin::export::children_xlsx(a.conn(), &out.0).expect("export");

    // The workbook has both sheets, the class sheet with today's head counts.
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&out.0).expect("open export");
    assert_eq!(book.sheet_names(), ["幼儿", "班级"]);
    let class_sheet = book.worksheet_range("班级").expect("班级 sheet");
    let class_rows: Vec<Vec<String>> = class_sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(class_rows[0], ["班级", "年级", "班主任", "人数"]);
    assert_eq!(class_rows[1], ["托一班", "托班", "", "50"]);
    let head_count: i64 = class_rows[1..].iter().map(|r| r[3].parse::<i64>().expect("count")).sum();
    assert_eq!(head_count, 299, "the child who left is not counted");
    let kid_sheet = book.worksheet_range("幼儿").expect("幼儿 sheet");
    let header: Vec<String> = kid_sheet.rows().next().expect("header").iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        ["姓名", "性别", "出生日期", "班级", "学号", "家长姓名", "联系电话", "入园日期", "离园日期", "状态"]
    );

    let mut b = db_with_classes();
    let summary = import_file(&mut b, &out.0, &mut |_, _| {}).expect("re-import");
    assert_eq!(summary.imported, 300);
    let strip = |kids: Vec<Child>| -> Vec<Child> { kids.into_iter().map(|k| Child { id: leaver, ..k }).collect() };
    // Ids may differ between databases; everything else must match, 离园日期 included.
    let (before, after) = (strip(all_children(&a)), strip(all_children(&b)));
    assert_eq!(before, after);
    assert_eq!(after.iter().filter(|k| k.left_on == Some(d(2025, 1, 15))).count(), 1);
}
