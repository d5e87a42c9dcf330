//! Exporting to Excel (.xlsx) for people who keep their own sheets or hand
//! lists to the education bureau.
//!
//! What is in: [`children_xlsx`] writes sheet 幼儿 (every child, including those
//! who left, in the import columns plus 离园日期 and 状态, so the file re-imports)
//! and sheet 班级 (class, grade, head teacher, children today). Every cell of sheet
//! 幼儿 is text — dates as `YYYY-MM-DD`, 学号 and phone numbers as typed — so Excel
//! neither drops leading zeros nor reformats dates by locale.
//!
//! What is deliberately out: class-move history (one row per child, with today's
//! class), staff, and any formatting beyond a bold, frozen header and readable widths.

use std::path::Path;

use crate::store::Conn;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::import::children::FIELDS;
use crate::school::children::{self, Child, ChildFilter};
use crate::school::classes;
use crate::{Error, Result};

/// Writes children and classes to a new .xlsx file at `path` (replacing it).
pub fn children_xlsx(conn: &Conn, path: &Path) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &children_xlsx_bytes(conn)?)
}

/// The same workbook as [`children_xlsx`], as bytes (for a download from the UI).
pub fn children_xlsx_bytes(conn: &Conn) -> Result<Vec<u8>> {
    let mut book = children_workbook(conn)?;
    book.save_to_buffer().map_err(|e| Error::invalid(format!("生成 Excel 文件失败:{e}")))
}

/// 状态 as a person reads it, on `today`.
fn status(c: &Child, today: chrono::NaiveDate) -> &'static str {
    match c.left_on {
        Some(left) if left < today => "已离园",
        _ if c.enrolled_on > today => "待入园",
        _ => "在园",
    }
}

fn children_workbook(conn: &Conn) -> Result<Workbook> {
    let today = crate::dates::today();
    let kids = children::list(conn, &ChildFilter { include_left: true, on: Some(today), ..Default::default() })?;
    let classes = classes::list(conn)?;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();

    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let xlsx = |e: XlsxError| Error::invalid(format!("生成 Excel 文件失败:{e}"));

    let sheet = book.add_worksheet();
    sheet.set_name("幼儿").map_err(xlsx)?;
    // The import's columns in template order (离园日期 is the import's optional
    // ninth), then 状态, which the import ignores.
    let mut headers: Vec<&str> = FIELDS.iter().map(|f| f.label).collect();
    headers.push("状态");
    let widths = [10.0, 6.0, 12.0, 10.0, 12.0, 10.0, 14.0, 12.0, 12.0, 8.0];
    header(sheet, &headers, &widths, &bold).map_err(xlsx)?;
    for (i, c) in kids.iter().enumerate() {
        let cells = [
            c.name.clone(),
            c.gender.label().to_string(),
            date(c.birth_date),
            c.class_name.clone(),
            c.student_no.clone(),
            c.guardian_name.clone(),
            c.guardian_phone.clone(),
            date(Some(c.enrolled_on)),
            date(c.left_on),
            status(c, today).to_string(),
        ];
        let row = i as u32 + 1;
        for (col, value) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, value, &text).map_err(xlsx)?;
        }
    }

    let sheet = book.add_worksheet();
    sheet.set_name("班级").map_err(xlsx)?;
    header(sheet, &["班级", "年级", "班主任", "人数"], &[12.0, 8.0, 12.0, 8.0], &bold).map_err(xlsx)?;
    for (i, c) in classes.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &c.name).map_err(xlsx)?;
        sheet.write_string(row, 1, c.grade.label()).map_err(xlsx)?;
        sheet.write_string(row, 2, &c.head_teacher).map_err(xlsx)?;
        sheet.write_number(row, 3, c.child_count as f64).map_err(xlsx)?;
    }
    Ok(book)
}

/// A bold header row, frozen so it stays visible while scrolling, and column widths.
fn header(sheet: &mut Worksheet, labels: &[&str], widths: &[f64], bold: &Format) -> Result<(), XlsxError> {
    for (col, (label, width)) in labels.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, col as u16, *label, bold)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}
