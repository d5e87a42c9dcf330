//! Importing spreadsheets people already have: a generic table reader and the
//! importers built on it (children today; absences, supply items and assets later).
//!
//! What is in:
//! - [`read_table`] / [`read_table_bytes`]: a `.csv` (UTF-8 with or without BOM,
//!   GBK/GB18030 as Excel writes it on Chinese Windows, UTF-16 with a BOM; comma or
//!   tab separated) or an Excel workbook (first sheet of `.xlsx`, also `.xlsm`/`.xls`
//!   through calamine) becomes a [`Table`]: header cells and text rows, each row
//!   carrying the row number the user sees in Excel.
//! - Cells become the text the user sees: date cells become `YYYY-MM-DD`, whole
//!   numbers lose the `.0` and never turn into `1.38e10`, and a number shown with a
//!   zero-padded format (`000`) keeps its zeros (学号 `001`).
//! - [`Field`] and [`Table::columns`]: find each field's column by a list of header
//!   aliases (Chinese and English, ignoring spaces, case, `_`/`-` and a `*` marking a
//!   required column).
//! - [`parse_date_cell`]: a date as typed, or an Excel serial day number.
//!
//! What is deliberately out: guessing encodings beyond UTF-8/UTF-16/GB18030 (a
//! file that is neither is refused with a message saying how to re-save it),
//! formulas (their cached value is read, never re-computed), other sheets than
//! the first, and any writing: each importer validates every row and writes
//! all-or-nothing in one transaction.

pub mod absences;
pub mod children;

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;

use crate::{Error, Result};

/// The message for a text file that is neither UTF-8 nor GBK/GB18030.
pub const UNKNOWN_ENCODING: &str = "文件编码无法识别,请另存为 UTF-8 或 GBK 编码的 CSV";

/// A sheet read from a file: the header row and the rows below it, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Header cells, trimmed, in file order.
    pub headers: Vec<String>,
    /// The spreadsheet row number of the header (1 unless title rows sit above it).
    pub header_row: usize,
    /// Every row below the header, blank ones included (importers count them as skipped).
    pub rows: Vec<Row>,
}

/// One row of a [`Table`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based row number as shown in Excel (the header is usually row 1).
    pub number: usize,
    /// Trimmed cell texts; may be shorter or longer than the header.
    pub cells: Vec<String>,
}

impl Row {
    /// The cell in column `index`, or `""` past the end of a short row.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map(String::as_str).unwrap_or("")
    }

    /// True when every cell is empty (such rows are skipped, not rejected).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }
}

/// A column an importer looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The name used in messages and templates (e.g. 出生日期).
    pub label: &'static str,
    /// Header texts that mean this field, besides `label` (e.g. 生日, birth_date).
    pub aliases: &'static [&'static str],
    /// Whether a file without this column is refused.
    pub required: bool,
}

/// Where each of an importer's fields sits in a [`Table`] (same order as the fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns(Vec<Option<usize>>);

impl Columns {
    /// The text of field number `field` (its index in the importer's field list) in `row`;
    /// `""` when the file has no such column.
    pub fn get<'r>(&self, row: &'r Row, field: usize) -> &'r str {
        match self.0.get(field).copied().flatten() {
            Some(col) => row.cell(col),
            None => "",
        }
    }

    /// Whether the file has a column for field number `field`.
    pub fn has(&self, field: usize) -> bool {
        matches!(self.0.get(field), Some(Some(_)))
    }
}

/// Header text reduced to what matters: no spaces (ASCII or full-width), no `_`/`-`,
/// no `*`/`＊` required-markers, ASCII lower case.
fn normalize_header(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*' | '＊'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Table {
    /// Finds the column of every field by its label or aliases. A file missing
    /// required columns, or naming one field twice, is refused with one message
    /// that lists them all and the expected header.
    pub fn columns(&self, fields: &[Field]) -> Result<Columns> {
        let normalized: Vec<String> = self.headers.iter().map(|h| normalize_header(h)).collect();
        let mut found = Vec::with_capacity(fields.len());
        let mut missing = Vec::new();
        let mut twice = Vec::new();
        for field in fields {
            let names: Vec<String> =
                std::iter::once(field.label).chain(field.aliases.iter().copied()).map(normalize_header).collect();
            let hits: Vec<usize> = (0..normalized.len()).filter(|&i| names.contains(&normalized[i])).collect();
            match hits.as_slice() {
                [] => {
                    if field.required {
                        missing.push(field.label);
                    }
                    found.push(None);
                }
                [one] => found.push(Some(*one)),
                [first, ..] => {
                    twice.push(field.label);
                    found.push(Some(*first));
                }
            }
        }
        if missing.is_empty() && twice.is_empty() {
            return Ok(Columns(found));
        }
        let expected: Vec<&str> = fields.iter().map(|f| f.label).collect();
        let mut msg = String::new();
        if !missing.is_empty() {
            msg.push_str(&format!("文件缺少必需的列:{}。", missing.join("、")));
        }
        if !twice.is_empty() {
            msg.push_str(&format!("表头中这些列出现了不止一次:{}。", twice.join("、")));
        }
        msg.push_str(&format!(
            "第{}行应为表头,例如:{}(找到的表头是:{})",
            self.header_row,
            expected.join(", "),
            if self.headers.iter().all(|h| h.is_empty()) { "空".to_string() } else { self.headers.join(", ") }
        ));
        Err(Error::invalid(msg))
    }
}

/// Reads the file at `path`; the kind is chosen by its extension.
pub fn read_table(path: &Path) -> Result<Table> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::invalid(format!("无法打开文件“{}”:{}", path.display(), io_reason(&e))))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    read_table_bytes(&name, &bytes)
}

/// Why a file could not be read, in the user's words.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有权限读取,文件可能正被其他程序打开".into(),
        _ => e.to_string(),
    }
}

/// Reads a file's contents; `file_name` (only its extension matters) says whether
/// it is CSV or Excel.
pub fn read_table_bytes(file_name: &str, bytes: &[u8]) -> Result<Table> {
    let ext = Path::new(file_name).extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let grid = match ext.as_str() {
        "csv" | "txt" | "tsv" => read_delimited(bytes)?,
        "xlsx" | "xlsm" | "xls" => read_workbook(bytes)?,
        "" => return Err(Error::invalid("无法识别文件类型(文件名没有扩展名),请使用 .csv 或 .xlsx 文件")),
        other => return Err(Error::invalid(format!("不支持“.{other}”文件,请使用 .csv 或 .xlsx 文件"))),
    };
    Ok(into_table(grid))
}

/// Rows with their spreadsheet numbers, before the header is picked.
type Grid = Vec<Row>;

/// The header is the first row with at least two filled cells, so a title row
/// merged across the top ("2025年秋季幼儿名单") is passed over; a one-column
/// file falls back to its first non-blank row.
fn into_table(grid: Grid) -> Table {
    let header_at = grid
        .iter()
        .position(|r| r.cells.iter().filter(|c| !c.is_empty()).count() >= 2)
        .or_else(|| grid.iter().position(|r| !r.is_blank()));
    match header_at {
        Some(i) => {
            let mut rows = grid;
            let rest = rows.split_off(i + 1);
            let header = rows.pop().unwrap_or(Row { number: 1, cells: Vec::new() });
            Table { headers: header.cells, header_row: header.number, rows: rest }
        }
        None => Table { headers: Vec::new(), header_row: 1, rows: Vec::new() },
    }
}

/// Decodes a text file: BOM first (UTF-8, UTF-16), then UTF-8, then GB18030
/// (a superset of GBK, which is what "CSV" means in Excel on Chinese Windows).
pub fn decode_text(bytes: &[u8]) -> Result<String> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return encoding
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|s| s.into_owned())
            .ok_or_else(|| Error::invalid(UNKNOWN_ENCODING));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| s.into_owned())
            .ok_or_else(|| Error::invalid(UNKNOWN_ENCODING)),
    }
}

fn read_delimited(bytes: &[u8]) -> Result<Grid> {
    let text = decode_text(bytes)?;
    // Excel's "Unicode 文本" and some school systems write tabs; Chinese Excel's CSV uses commas.
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') { b'\t' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut grid = Vec::new();
    // Excel shows one row per record and an empty line as an empty row, but the
    // csv crate skips empty lines and its line numbers are not Excel's. So the row
    // number is counted here: line breaks before the record's first byte, minus
    // the breaks that sat inside quoted cells of earlier records.
    let bytes = text.as_bytes();
    let (mut scanned, mut breaks, mut quoted_breaks) = (0usize, 0usize, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| Error::invalid(format!("CSV 文件无法读取:{e}")))?;
        // A record's position is where the reader stopped after the previous one,
        // before any skipped empty lines: step over those to the record's content.
        let mut start = record.position().map(|p| p.byte() as usize).unwrap_or(scanned).clamp(scanned, bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        breaks += count_breaks(&bytes[scanned..start]);
        scanned = start;
        let number = (1 + breaks).saturating_sub(quoted_breaks);
        // Empty lines become blank rows, as in Excel (and as calamine reports them).
        let next = grid.last().map(|r: &Row| r.number + 1).unwrap_or(1);
        grid.extend((next..number).map(|n| Row { number: n, cells: Vec::new() }));
        grid.push(Row { number, cells: record.iter().map(|c| c.trim().to_string()).collect() });
        quoted_breaks += record.iter().map(|f| count_breaks(f.as_bytes())).sum::<usize>();
    }
    Ok(grid)
}

/// Line breaks as Excel counts them: `\r\n`, `\n` or a lone `\r`.
fn count_breaks(bytes: &[u8]) -> usize {
    bytes.iter().enumerate().filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).count()
}

fn read_workbook(bytes: &[u8]) -> Result<Grid> {
    let unreadable =
        |e: &dyn std::fmt::Display| Error::invalid(format!("无法读取 Excel 文件,请确认它是 .xlsx 格式且没有加密({e})"));
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err(Error::invalid("Excel 文件中没有工作表"));
    };
    let range = book.worksheet_range(&first).map_err(|e| unreadable(&e))?;
    // Styles only matter for zero-padded number formats; a workbook whose
    // styles can't be read is still imported with plain numbers.
    let styles = book.worksheet_style(&first).ok();
    let Some((top, left)) = range.start() else {
        return Ok(Vec::new());
    };
    let mut grid = Vec::with_capacity(range.height());
    for (i, cells) in range.rows().enumerate() {
        let row = top + i as u32;
        let texts = cells
            .iter()
            .enumerate()
            .map(|(j, cell)| {
                let pos = (row, left + j as u32);
                let format = styles
                    .as_ref()
                    .and_then(|s| s.get(pos))
                    .and_then(|s| s.number_format.as_ref())
                    .map(|f| f.format_code.as_str());
                cell_text(cell, format)
            })
            .collect();
        grid.push(Row { number: row as usize + 1, cells: texts });
    }
    Ok(grid)
}

/// The text a cell shows, as far as an import cares.
fn cell_text(cell: &Data, number_format: Option<&str>) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => pad_zeros(i.to_string(), number_format),
        Data::Float(f) => match whole_number(*f) {
            Some(i) => pad_zeros(i.to_string(), number_format),
            None => float_text(*f),
        },
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if dt.as_f64() < 1.0 {
                // A time of day without a date.
                format!("{h:02}:{mi:02}:{s:02}")
            } else if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(dt) => float_text(dt.as_f64()),
        // "2025-09-01T00:00:00" → "2025-09-01 00:00:00", which date parsing accepts.
        Data::DateTimeIso(s) => s.trim().replacen('T', " ", 1),
        Data::DurationIso(s) => s.trim().to_string(),
        Data::Error(e) => e.to_string(),
    }
}

/// `f` as an integer when it is one and small enough to be exact (phone numbers,
/// 学号, counts), so 13800000000.0 reads as 13800000000.
fn whole_number(f: f64) -> Option<i64> {
    // 2^53: beyond it a float no longer holds every integer.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < EXACT).then_some(f as i64)
}

/// A fraction as Excel shows it by default: at most 15 significant digits, so
/// 0.1 + 0.2 reads as 0.3, and never in exponent form.
fn float_text(f: f64) -> String {
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    format!("{rounded}")
}

/// Applies a zero-padded number format such as `000` or `"000000"` (how 学号
/// `001` is usually kept in a numeric cell).
fn pad_zeros(digits: String, number_format: Option<&str>) -> String {
    let Some(code) = number_format else {
        return digits;
    };
    let code = code.trim_matches('"');
    if code.len() > 1 && code.chars().all(|c| c == '0') && !digits.starts_with('-') && digits.len() < code.len() {
        format!("{digits:0>width$}", width = code.len())
    } else {
        digits
    }
}

/// A date cell's text: anything [`crate::dates::parse_date`] accepts, or an Excel
/// serial day number (e.g. `45901` = 2025-09-01), which is what a date becomes
/// when its cell is formatted as a number or copied as values.
pub fn parse_date_cell(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    if let Some(d) = crate::dates::parse_date(t) {
        return Some(d);
    }
    let whole = t.strip_suffix(".0").unwrap_or(t);
    // Five digits: 10000 = 1927-05-18 … 99999 = 2173-10-14; no other reading of
    // a five-digit number in a date column is plausible.
    if whole.len() == 5 && whole.chars().all(|c| c.is_ascii_digit()) {
        let serial: i64 = whole.parse().ok()?;
        // Excel's day 0 is 1899-12-30 once its phantom 1900-02-29 is accounted for.
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
        return epoch.checked_add_signed(chrono::Duration::days(serial));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(t: &Table) -> Vec<(usize, Vec<&str>)> {
        t.rows.iter().map(|r| (r.number, r.cells.iter().map(String::as_str).collect())).collect()
    }

    #[test]
    fn csv_row_numbers_match_excel_with_blank_lines_and_quoted_newlines() {
        let text = "姓名,备注\n张三,\"第一行\n第二行\"\n\n李四,x\r\n,\n王五,y";
        let t = read_table_bytes("a.csv", text.as_bytes()).expect("read");
        assert_eq!(t.headers, ["姓名", "备注"]);
        assert_eq!(t.header_row, 1);
        assert_eq!(
            rows(&t),
            [
                (2, vec!["张三", "第一行\n第二行"]),
                (3, vec![]),
                (4, vec!["李四", "x"]),
                (5, vec!["", ""]),
                (6, vec!["王五", "y"])
            ]
        );
        assert!(t.rows[1].is_blank() && t.rows[3].is_blank());
    }

    #[test]
    fn utf8_bom_and_gbk_and_tabs_decode() {
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("姓名,性别\n张三,男\n".as_bytes());
        let t = read_table_bytes("x.CSV", &bom).expect("bom");
        assert_eq!(t.headers, ["姓名", "性别"]);

        let (gbk, _, bad) = encoding_rs::GBK.encode("姓名\t性别\n欧阳娜娜\t女\n");
        assert!(!bad);
        let t = read_table_bytes("x.txt", &gbk).expect("gbk");
        assert_eq!(rows(&t), [(2, vec!["欧阳娜娜", "女"])]);

        let err = read_table_bytes("x.csv", b"a,b\n\xff\xff,\x81\x20\n").expect_err("garbage");
        assert_eq!(err.to_string(), UNKNOWN_ENCODING);
    }

    #[test]
    fn title_row_above_the_header_is_skipped() {
        let t =
            read_table_bytes("a.csv", "2025年秋季名单,,\n姓名,班级,学号\n张三,大一班,1\n".as_bytes()).expect("read");
        assert_eq!(t.header_row, 2);
        assert_eq!(rows(&t), [(3, vec!["张三", "大一班", "1"])]);
    }

    #[test]
    fn headers_match_by_alias_ignoring_case_space_and_marks() {
        const FIELDS: &[Field] = &[
            Field { label: "姓名", aliases: &["name"], required: true },
            Field { label: "出生日期", aliases: &["birth_date"], required: true },
            Field { label: "备注", aliases: &[], required: false },
        ];
        let t = read_table_bytes("a.csv", " Birth Date ,* 姓 名\n2020-1-1,张三\n".as_bytes()).expect("read");
        let cols = t.columns(FIELDS).expect("columns");
        assert_eq!(cols.get(&t.rows[0], 0), "张三");
        assert_eq!(cols.get(&t.rows[0], 1), "2020-1-1");
        assert!(!cols.has(2));
        assert_eq!(cols.get(&t.rows[0], 2), "");

        let t = read_table_bytes("a.csv", "姓名,备注,name\n".as_bytes()).expect("read");
        let err = t.columns(FIELDS).expect_err("missing and twice").to_string();
        assert!(err.contains("文件缺少必需的列:出生日期。"), "{err}");
        assert!(err.contains("出现了不止一次:姓名"), "{err}");
    }

    #[test]
    fn numbers_read_as_people_see_them() {
        assert_eq!(cell_text(&Data::Float(13800000000.0), None), "13800000000");
        assert_eq!(cell_text(&Data::Float(1.0), Some("000")), "001");
        assert_eq!(cell_text(&Data::Int(12), Some("\"0000\"")), "0012");
        assert_eq!(cell_text(&Data::Float(12.0), Some("General")), "12");
        assert_eq!(cell_text(&Data::Float(0.1 + 0.2), None), "0.3");
        assert_eq!(cell_text(&Data::Float(12.5), None), "12.5");
        assert_eq!(cell_text(&Data::DateTimeIso("2025-09-01T00:00:00".into()), None), "2025-09-01 00:00:00");
    }

    #[test]
    fn excel_serial_days_are_dates() {
        let d = |s: &str| parse_date_cell(s).map(|d| d.to_string());
        assert_eq!(d("45901").as_deref(), Some("2025-09-01"));
        assert_eq!(d("45901.0").as_deref(), Some("2025-09-01"));
        assert_eq!(d("2025年9月1日").as_deref(), Some("2025-09-01"));
        assert_eq!(d("459"), None);
        assert_eq!(d("abc"), None);
    }

    #[test]
    fn unsupported_files_are_named() {
        let err = read_table_bytes("名单.doc", b"x").expect_err("doc").to_string();
        assert!(err.contains("不支持“.doc”文件"), "{err}");
        let err = read_table_bytes("名单.xlsx", b"not a zip").expect_err("fake").to_string();
        assert!(err.contains("无法读取 Excel 文件"), "{err}");
    }
}
