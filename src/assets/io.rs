//! Spreadsheets of the asset keeper: importing a register people already
//! keep in Excel, exporting the register, and the stocktake and depreciation
//! reports as .xlsx.
//!
//! Import columns (Chinese or English headers, any order, unknown columns
//! ignored; see [`FIELDS`]): 资产编号 (empty: generated), 资产名称*, 类别代码 or
//! 类别名称* (code or name of a category that exists), 规格型号, 数量, 计量单位,
//! 存放地点*, 使用部门, 责任人, 取得日期*, 取得方式, 供应商, 原值*, 使用年限,
//! 使用状况, 备注. Every row is checked with the same rules as the card form
//! and every problem reported; a file with any problem writes nothing. Rows
//! below the capitalisation threshold are imported, and listed as advice.
//!
//! Export writes the cards on the books in those same columns (so the file
//! re-imports into an empty register) plus 累计折旧 and 净值, then a sheet of
//! cards off the books and a sheet of categories. Amount cells are numbers
//! formatted with two decimals; every other cell is text.
//!
//! Deliberately out: updating existing cards from a file (a number already on
//! the register is a conflict, not an update), and creating categories on the
//! fly (a misspelt category must be an error).

use std::collections::HashMap;
use std::path::Path;

use crate::store::Conn;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use super::categories::{self, Category};
use super::depreciation::MonthlyReport;
use super::register::{self, Asset, AssetFilter, AssetInput, CheckedAsset, NumberGen};
use super::stocktake::StocktakeReport;
use super::{settings, Acquisition, AssetStatus, CategoryId};
use crate::db::Db;
use crate::error::FieldProblem;
use crate::import::{parse_date_cell, read_table, read_table_bytes, Field, Row, Table};
use crate::{Error, Fen, Result};

const NUMBER: usize = 0;
const NAME: usize = 1;
const CATEGORY_CODE: usize = 2;
const CATEGORY_NAME: usize = 3;
const MODEL: usize = 4;
const QUANTITY: usize = 5;
const UNIT: usize = 6;
const ROOM: usize = 7;
const DEPARTMENT: usize = 8;
const CUSTODIAN: usize = 9;
const ACQUIRED_ON: usize = 10;
const ACQUISITION: usize = 11;
const SUPPLIER: usize = 12;
const ORIGINAL: usize = 13;
const LIFE: usize = 14;
const STATUS: usize = 15;
const NOTE: usize = 16;

/// The columns of a register file, in template order (indexes are the constants above).
pub const FIELDS: &[Field] = &[
    Field {
        label: "资产编号", aliases: &["编号", "资产代码", "卡片编号", "asset_no", "number"], required: false
    },
    Field { label: "资产名称", aliases: &["名称", "name", "asset_name"], required: true },
    Field {
        label: "类别代码",
        aliases: &["分类代码", "资产分类代码", "资产类别", "category_code", "category"],
        required: false,
    },
    Field { label: "类别名称", aliases: &["分类名称", "类别", "category_name"], required: false },
    Field { label: "规格型号", aliases: &["规格", "型号", "model", "spec"], required: false },
    Field { label: "数量", aliases: &["quantity", "qty"], required: false },
    Field { label: "计量单位", aliases: &["单位", "unit"], required: false },
    Field {
        label: "存放地点", aliases: &["存放位置", "位置", "房间", "地点", "room", "location"], required: true
    },
    Field { label: "使用部门", aliases: &["部门", "department"], required: false },
    Field { label: "责任人", aliases: &["使用人", "保管人", "custodian"], required: false },
    Field {
        label: "取得日期",
        aliases: &["购置日期", "购入日期", "入账日期", "acquired_on", "acquisition_date"],
        required: true,
    },
    Field { label: "取得方式", aliases: &["acquisition"], required: false },
    Field { label: "供应商", aliases: &["supplier", "vendor"], required: false },
    Field {
        label: "原值",
        aliases: &["原值(元)", "原值(元)", "价值", "金额", "original_value", "value"],
        required: true,
    },
    Field { label: "使用年限", aliases: &["年限", "折旧年限", "life", "useful_life"], required: false },
    Field { label: "使用状况", aliases: &["状态", "使用状态", "status"], required: false },
    Field { label: "备注", aliases: &["note", "remark"], required: false },
];

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AssetImportSummary"))]
pub struct ImportSummary {
    /// Cards added.
    pub imported: usize,
    /// Rows below the header that were entirely empty.
    pub skipped_blank: usize,
    /// Capitalisation advice for imported rows (row and number first), at most 50.
    pub advice: Vec<String>,
    /// How many rows got advice in total.
    pub advice_count: usize,
}

/// How often import progress is reported, in rows.
const PROGRESS_EVERY: usize = 200;

/// The header line of an empty register file for 「下载模板」 (UTF-8 with a BOM for Excel).
pub fn template_csv() -> String {
    let labels: Vec<&str> = FIELDS.iter().map(|f| f.label).collect();
    format!(
        "\u{feff}{}\r\n,台式电脑,A02010100,计算机,联想 M720,1,台,办公室,行政,王园长,2024-09-01,购置,某某电脑城,4800.00,6,在用,\r\n",
        labels.join(",")
    )
}

/// Imports the register file at `path` (all or nothing).
pub fn import_file(
    db: &mut Db,
    path: &Path,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary> {
    import_table(db, &read_table(path)?, today, progress)
}

/// Like [`import_file`], for a file's contents.
pub fn import_bytes(
    db: &mut Db,
    file_name: &str,
    bytes: &[u8],
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary> {
    import_table(db, &read_table_bytes(file_name, bytes)?, today, progress)
}

fn problem(row: usize, field: usize, reason: String) -> FieldProblem {
    FieldProblem { row, column: FIELDS[field].label.to_string(), reason }
}

/// Imports an already-read table (all or nothing).
pub fn import_table(
    db: &mut Db,
    table: &Table,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportSummary> {
    // A copy of the file first, so the change can be undone (a local file only).
    crate::backup::before(db, crate::backup::Reason::Import)?;
    let cols = table.columns(FIELDS)?;
    if !cols.has(CATEGORY_CODE) && !cols.has(CATEGORY_NAME) {
        return Err(Error::invalid(format!(
            "文件缺少资产类别的列:请提供“类别代码”或“类别名称”(第{}行应为表头)",
            table.header_row
        )));
    }
    let data: Vec<&Row> = table.rows.iter().filter(|r| !r.is_blank()).collect();
    let skipped_blank = table.rows.len() - data.len();
    if data.is_empty() {
        return Err(Error::invalid("文件中没有资产数据:表头下面没有内容"));
    }
    let total = data.len() * 2;
    progress(0, total);
    db.write(crate::auth::Job::Assets, |tx| {
        let s = settings::load(tx)?;
        let mut numbers = NumberGen::new(&s)?;
        let all_categories = categories::list(tx)?;
        let mut problems = Vec::new();
        let mut good = Vec::with_capacity(data.len());
        let mut seen_numbers: HashMap<String, usize> = HashMap::new();
        // The numbers the file types that the register has: one query, not one per row.
        let typed: Vec<&str> = data.iter().map(|row| cols.get(row, NUMBER)).collect();
        let taken = register::taken_numbers(tx, &typed)?;
        for (i, row) in data.iter().enumerate() {
            let n = row.number;
            let get = |f: usize| cols.get(row, f);
            let mut row_problems = Vec::new();
            let category = find_category(&all_categories, get(CATEGORY_CODE), get(CATEGORY_NAME));
            let category = match category {
                Ok(c) => Some(c),
                Err(why) => {
                    row_problems.push(problem(
                        n,
                        // The column the person filled in (the code column if neither).
                        if get(CATEGORY_CODE).is_empty() && cols.has(CATEGORY_NAME) {
                            CATEGORY_NAME
                        } else {
                            CATEGORY_CODE
                        },
                        why,
                    ));
                    None
                }
            };
            let acquired_text = get(ACQUIRED_ON);
            let acquired_on = match parse_date_cell(acquired_text) {
                Some(d) => Some(d),
                None => {
                    let why = if acquired_text.is_empty() {
                        "请填写取得日期".to_string()
                    } else {
                        format!("“{acquired_text}”不是有效的日期,请写成 2025-09-01 这样的格式")
                    };
                    row_problems.push(problem(n, ACQUIRED_ON, why));
                    None
                }
            };
            let acquisition = Acquisition::parse(get(ACQUISITION)).unwrap_or_else(|| {
                row_problems.push(problem(
                    n,
                    ACQUISITION,
                    format!("“{}”不是取得方式,应为 购置、调入、捐赠、自建、盘盈 或 其他", get(ACQUISITION)),
                ));
                Acquisition::Purchase
            });
            let status = match get(STATUS) {
                "" => AssetStatus::InUse,
                t => AssetStatus::parse(t).unwrap_or_else(|| {
                    row_problems.push(problem(n, STATUS, format!("“{t}”不是使用状况,应为 在用、闲置 或 维修")));
                    AssetStatus::InUse
                }),
            };
            let number = get(NUMBER).to_string();
            if !number.is_empty() {
                let key = number.to_ascii_uppercase();
                if let Some(first) = seen_numbers.get(&key) {
                    row_problems.push(problem(n, NUMBER, format!("资产编号“{number}”与第{first}行重复")));
                } else {
                    seen_numbers.insert(key, n);
                    numbers.reserve(&number);
                }
            }
            let input = AssetInput {
                number,
                name: get(NAME).to_string(),
                category_id: category.as_ref().map(|c| c.id).unwrap_or(CategoryId(0)),
                model: get(MODEL).to_string(),
                quantity: get(QUANTITY).to_string(),
                unit: get(UNIT).to_string(),
                room: get(ROOM).to_string(),
                department: get(DEPARTMENT).to_string(),
                custodian: get(CUSTODIAN).to_string(),
                acquired_on: acquired_on.unwrap_or(today),
                acquisition,
                supplier: get(SUPPLIER).to_string(),
                original_value: get(ORIGINAL).to_string(),
                life: get(LIFE).to_string(),
                status,
                note: get(NOTE).to_string(),
            };
            let checked = register::check_input(&input, category.as_ref(), today, n, &mut |num| {
                Ok(taken.contains(&num.to_ascii_uppercase()))
            })?;
            match checked {
                Ok(c) if row_problems.is_empty() => good.push((n, c, category)),
                Ok(_) => {}
                Err(mut p) => {
                    // The category problem is already listed once.
                    p.retain(|x| !(x.column == "资产类别" && category.is_none()));
                    row_problems.append(&mut p);
                }
            }
            problems.append(&mut row_problems);
            if (i + 1) % PROGRESS_EVERY == 0 {
                progress(i + 1, total);
            }
        }
        if !problems.is_empty() {
            return Err(Error::Rejected { problems });
        }
        progress(data.len(), total);
        let cards: Vec<CheckedAsset> = good.iter().map(|(_, c, _)| c.clone()).collect();
        let made = register::insert_many_in_tx(tx, &cards, &mut numbers)?;
        let mut advice = Vec::new();
        let mut advice_count = 0;
        for (i, ((row, c, cat), (_, number))) in good.iter().zip(&made).enumerate() {
            if let Some(cat) = cat {
                for a in register::advice_for(&s, cat, c.original, c.quantity) {
                    advice_count += 1;
                    if advice.len() < 50 {
                        advice.push(format!("第{row}行 {number} {}:{a}", c.name));
                    }
                }
            }
            if (i + 1) % PROGRESS_EVERY == 0 {
                progress(data.len() + i + 1, total);
            }
        }
        progress(total, total);
        Ok(ImportSummary { imported: good.len(), skipped_blank, advice, advice_count })
    })
}

fn find_category(all: &[Category], code: &str, name: &str) -> std::result::Result<Category, String> {
    let (code, name) = (code.trim(), name.trim());
    if code.is_empty() && name.is_empty() {
        return Err("请填写类别代码或类别名称".into());
    }
    if !code.is_empty() {
        if let Some(c) = all.iter().find(|c| c.code.eq_ignore_ascii_case(code) || c.name == code) {
            return Ok(c.clone());
        }
        if name.is_empty() {
            return Err(format!("没有代码为“{code}”的资产类别,请先在 固定资产 → 设置 → 资产类别 中添加"));
        }
    }
    all.iter()
        .find(|c| c.name == name || c.code.eq_ignore_ascii_case(name))
        .cloned()
        .ok_or_else(|| format!("没有名为“{name}”的资产类别,请先在 固定资产 → 设置 → 资产类别 中添加"))
}

// ------------------------------------------------------------------ export

fn xerr(e: XlsxError) -> Error {
    Error::invalid(format!("生成 Excel 文件失败:{e}"))
}

/// The value of an amount cell (the text of every amount elsewhere is exact).
fn yuan(f: Fen) -> f64 {
    f.0 as f64 / 100.0
}

struct Formats {
    bold: Format,
    text: Format,
    money: Format,
    money_bold: Format,
}

fn formats() -> Formats {
    Formats {
        bold: Format::new().set_bold(),
        text: Format::new().set_num_format("@"),
        money: Format::new().set_num_format("#,##0.00"),
        money_bold: Format::new().set_num_format("#,##0.00").set_bold(),
    }
}

fn header(sheet: &mut Worksheet, row: u32, labels: &[&str], widths: &[f64], f: &Formats) -> Result<()> {
    for (col, label) in labels.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *label, &f.bold).map_err(xerr)?;
        if let Some(w) = widths.get(col) {
            sheet.set_column_width(col as u16, *w).map_err(xerr)?;
        }
    }
    sheet.set_freeze_panes(row + 1, 0).map_err(xerr)?;
    Ok(())
}

fn register_rows(sheet: &mut Worksheet, list: &[Asset], f: &Formats) -> Result<()> {
    let mut labels: Vec<&str> = FIELDS.iter().map(|x| x.label).collect();
    labels.extend(["累计折旧", "净值"]);
    let widths =
        [13.0, 16.0, 11.0, 12.0, 14.0, 6.0, 6.0, 10.0, 10.0, 8.0, 11.0, 8.0, 14.0, 11.0, 8.0, 8.0, 16.0, 11.0, 11.0];
    header(sheet, 0, &labels, &widths, f)?;
    for (i, a) in list.iter().enumerate() {
        let row = i as u32 + 1;
        let texts = [
            a.number.clone(),
            a.name.clone(),
            a.category_code.clone(),
            a.category_name.clone(),
            a.model.clone(),
            a.quantity.to_string(),
            a.unit.clone(),
            a.room.clone(),
            a.department.clone(),
            a.custodian.clone(),
            a.acquired_on.format("%Y-%m-%d").to_string(),
            a.acquisition.label().to_string(),
            a.supplier.clone(),
        ];
        for (col, t) in texts.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, t, &f.text).map_err(xerr)?;
        }
        sheet.write_number_with_format(row, ORIGINAL as u16, yuan(a.original), &f.money).map_err(xerr)?;
        let life = if a.life_months == 0 {
            String::new()
        } else if a.life_months % 12 == 0 {
            (a.life_months / 12).to_string()
        } else {
            format!("{}个月", a.life_months)
        };
        sheet.write_string_with_format(row, LIFE as u16, life, &f.text).map_err(xerr)?;
        sheet.write_string_with_format(row, STATUS as u16, a.status.label(), &f.text).map_err(xerr)?;
        sheet.write_string_with_format(row, NOTE as u16, &a.note, &f.text).map_err(xerr)?;
        sheet.write_number_with_format(row, NOTE as u16 + 1, yuan(a.accumulated), &f.money).map_err(xerr)?;
        sheet.write_number_with_format(row, NOTE as u16 + 2, yuan(a.net), &f.money).map_err(xerr)?;
    }
    Ok(())
}

/// The register as a workbook: 资产 (on the books, re-importable), 已报废 (off
/// the books), 资产类别. Depreciation as of `on`.
pub fn register_xlsx_bytes(conn: &Conn, on: NaiveDate) -> Result<Vec<u8>> {
    let f = formats();
    let all = register::list(conn, &AssetFilter { include_off_books: true, ..Default::default() }, on)?;
    let (on_books, off): (Vec<Asset>, Vec<Asset>) = all.into_iter().partition(|a| a.status.on_books());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("资产").map_err(xerr)?;
    register_rows(sheet, &on_books, &f)?;
    let sheet = book.add_worksheet().set_name("已报废").map_err(xerr)?;
    register_rows(sheet, &off, &f)?;
    let sheet = book.add_worksheet().set_name("资产类别").map_err(xerr)?;
    header(
        sheet,
        0,
        &["类别代码", "类别名称", "使用年限", "计提折旧", "专用设备", "不论价格都登记", "计量单位"],
        &[12.0, 18.0, 10.0, 9.0, 9.0, 14.0, 9.0],
        &f,
    )?;
    for (i, c) in categories::list(conn)?.iter().enumerate() {
        let row = i as u32 + 1;
        let yes = |b: bool| if b { "是" } else { "否" };
        let cells = [
            c.code.clone(),
            c.name.clone(),
            categories::life_label(c.life_months),
            yes(c.depreciates).into(),
            yes(c.special).into(),
            yes(c.always_register).into(),
            c.unit.clone(),
        ];
        for (col, t) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, t, &f.text).map_err(xerr)?;
        }
    }
    book.save_to_buffer().map_err(xerr)
}

/// Writes [`register_xlsx_bytes`] to `path`.
pub fn register_xlsx(conn: &Conn, path: &Path, on: NaiveDate) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &register_xlsx_bytes(conn, on)?)
}

/// The stocktake report as a workbook: 汇总 (per room and total, with the
/// explanation), 盘点表 (every line in the columns of the 固定资产盘点表),
/// 异常 (lines that are not simply matched).
pub fn stocktake_xlsx(report: &StocktakeReport, path: &Path) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &stocktake_xlsx_bytes(report)?)
}

/// The workbook of [`stocktake_xlsx`], as bytes.
pub fn stocktake_xlsx_bytes(report: &StocktakeReport) -> Result<Vec<u8>> {
    let f = formats();
    let mut book = Workbook::new();
    let r = &report.reconciliation;
    let s = &report.stocktake;
    {
        let sheet = book.add_worksheet().set_name("汇总").map_err(xerr)?;
        sheet
            .write_string_with_format(0, 0, format!("{}固定资产盘点汇总:{}", report.school, s.name), &f.bold)
            .map_err(xerr)?;
        let period = match s.finished_on {
            Some(end) => format!("盘点日期 {} 至 {}({})", s.started_on, end, s.status_label),
            None => format!("盘点开始于 {}(进行中)", s.started_on),
        };
        sheet.write_string(1, 0, period).map_err(xerr)?;
        let labels = [
            "存放地点",
            "责任人",
            "账面数量",
            "账面原值",
            "相符数量",
            "相符原值",
            "位置不符数量",
            "位置不符原值",
            "损坏数量",
            "损坏原值",
            "盘亏数量",
            "盘亏原值",
            "盘亏净值",
            "盘盈数量",
            "盘盈估值",
            "未盘数量",
            "相符率(数量)",
            "相符率(原值)",
        ];
        header(
            sheet,
            3,
            &labels,
            &[12.0, 14.0, 9.0, 12.0, 9.0, 12.0, 11.0, 12.0, 9.0, 12.0, 9.0, 12.0, 12.0, 9.0, 12.0, 9.0, 12.0, 12.0],
            &f,
        )?;
        let mut row = 4;
        for room in r.rooms.iter().chain(std::iter::once(&r.total)) {
            let total = std::ptr::eq(room, &r.total);
            let money = if total { &f.money_bold } else { &f.money };
            sheet.write_string(row, 0, &room.room).map_err(xerr)?;
            sheet.write_string(row, 1, room.custodians.join("、")).map_err(xerr)?;
            let mut col = 2;
            for t in [&room.book, &room.found, &room.moved, &room.damaged] {
                sheet.write_number(row, col, t.qty as f64).map_err(xerr)?;
                sheet.write_number_with_format(row, col + 1, yuan(t.original), money).map_err(xerr)?;
                col += 2;
            }
            sheet.write_number(row, col, room.missing.qty as f64).map_err(xerr)?;
            sheet.write_number_with_format(row, col + 1, yuan(room.missing.original), money).map_err(xerr)?;
            sheet.write_number_with_format(row, col + 2, yuan(room.missing.net), money).map_err(xerr)?;
            sheet.write_number(row, col + 3, room.surplus.qty as f64).map_err(xerr)?;
            sheet.write_number_with_format(row, col + 4, yuan(room.surplus.original), money).map_err(xerr)?;
            sheet.write_number(row, col + 5, room.unchecked.qty as f64).map_err(xerr)?;
            sheet.write_string(row, col + 6, &room.match_rate.text).map_err(xerr)?;
            sheet.write_string(row, col + 7, &room.value_rate.text).map_err(xerr)?;
            row += 1;
        }
        row += 1;
        sheet.write_string_with_format(row, 0, "说明", &f.bold).map_err(xerr)?;
        for l in &r.lines {
            row += 1;
            sheet.write_string(row, 0, l).map_err(xerr)?;
        }
    }
    for (title, lines) in
        [("盘点表", report.lines.iter().collect::<Vec<_>>()), ("异常", report.exceptions.iter().collect::<Vec<_>>())]
    {
        let sheet = book.add_worksheet().set_name(title).map_err(xerr)?;
        let labels = [
            "资产编号",
            "类别代码",
            "资产名称",
            "规格型号",
            "计量单位",
            "取得日期",
            "账面数量",
            "账面原值",
            "账面净值",
            "实盘数量",
            "盘盈/盘亏",
            "盘点结果",
            "使用状况",
            "存放地点",
            "实际地点",
            "使用部门",
            "使用人",
            "备注",
            "账面调整",
        ];
        header(
            sheet,
            0,
            &labels,
            &[
                13.0, 11.0, 16.0, 14.0, 6.0, 11.0, 6.0, 11.0, 11.0, 6.0, 9.0, 12.0, 8.0, 10.0, 10.0, 10.0, 8.0, 20.0,
                16.0,
            ],
            &f,
        )?;
        for (i, l) in lines.iter().enumerate() {
            let row = i as u32 + 1;
            let diff = l.counted_qty - l.book_qty;
            let diff = match diff {
                0 => String::new(),
                d if d > 0 => format!("盘盈 {d}"),
                d => format!("盘亏 {}", -d),
            };
            let texts = [
                l.number.clone(),
                l.category_code.clone(),
                l.name.clone(),
                l.model.clone(),
                l.unit.clone(),
                l.acquired_on.map(|d| d.to_string()).unwrap_or_default(),
            ];
            for (col, t) in texts.iter().enumerate() {
                sheet.write_string_with_format(row, col as u16, t, &f.text).map_err(xerr)?;
            }
            sheet.write_number(row, 6, l.book_qty as f64).map_err(xerr)?;
            // A find with no card has no book value: its estimate goes in 备注.
            if l.asset_id.is_some() {
                sheet.write_number_with_format(row, 7, yuan(l.original), &f.money).map_err(xerr)?;
                sheet.write_number_with_format(row, 8, yuan(l.net), &f.money).map_err(xerr)?;
            }
            sheet.write_number(row, 9, l.counted_qty as f64).map_err(xerr)?;
            let condition = if l.damaged {
                "损坏"
            } else if l.counted_qty > 0 {
                "在用"
            } else {
                ""
            };
            let texts = [
                diff,
                l.outcome_label.clone(),
                condition.to_string(),
                l.book_room.clone(),
                l.found_room.clone().unwrap_or_default(),
                l.department.clone(),
                l.custodian.clone(),
                if l.asset_id.is_none() {
                    [format!("估值 {} 元", l.original.to_grouped_string()), l.note.clone()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(";")
                } else {
                    l.note.clone()
                },
                l.adjustment_label.clone().map(|a| format!("{a} {}", l.adjustment_note)).unwrap_or_default(),
            ];
            for (k, t) in texts.iter().enumerate() {
                sheet.write_string_with_format(row, 10 + k as u16, t, &f.text).map_err(xerr)?;
            }
        }
    }
    book.save_to_buffer().map_err(xerr)
}

/// The monthly depreciation report as a workbook: 汇总 by category, 明细 per asset.
pub fn depreciation_xlsx(report: &MonthlyReport, path: &Path) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &depreciation_xlsx_bytes(report)?)
}

/// The workbook of [`depreciation_xlsx`], as bytes.
pub fn depreciation_xlsx_bytes(report: &MonthlyReport) -> Result<Vec<u8>> {
    let f = formats();
    let mut book = Workbook::new();
    {
        let sheet = book.add_worksheet().set_name("汇总").map_err(xerr)?;
        sheet
            .write_string_with_format(0, 0, format!("固定资产折旧汇总表 {}", report.month.label()), &f.bold)
            .map_err(xerr)?;
        sheet.write_string(1, 0, format!("{}{}", report.rule_text, report.method_text)).map_err(xerr)?;
        header(
            sheet,
            3,
            &["类别代码", "类别名称", "资产数", "原值", "本月折旧", "累计折旧", "净值"],
            &[12.0, 18.0, 8.0, 14.0, 12.0, 14.0, 14.0],
            &f,
        )?;
        for (row, c) in (4..).zip(report.categories.iter().chain(std::iter::once(&report.total))) {
            let money = if c.code.is_empty() { &f.money_bold } else { &f.money };
            sheet.write_string(row, 0, &c.code).map_err(xerr)?;
            sheet.write_string(row, 1, &c.name).map_err(xerr)?;
            sheet.write_number(row, 2, c.count as f64).map_err(xerr)?;
            for (k, v) in [c.original, c.this_month, c.accumulated, c.net].iter().enumerate() {
                sheet.write_number_with_format(row, 3 + k as u16, yuan(*v), money).map_err(xerr)?;
            }
        }
    }
    {
        let sheet = book.add_worksheet().set_name("明细").map_err(xerr)?;
        header(
            sheet,
            0,
            &[
                "资产编号",
                "资产名称",
                "类别代码",
                "类别名称",
                "取得日期",
                "原值",
                "使用年限",
                "本月折旧",
                "累计折旧",
                "净值",
            ],
            &[13.0, 16.0, 11.0, 14.0, 11.0, 12.0, 9.0, 11.0, 12.0, 12.0],
            &f,
        )?;
        for (i, l) in report.lines.iter().enumerate() {
            let row = i as u32 + 1;
            for (col, t) in [&l.number, &l.name, &l.category_code, &l.category_name].iter().enumerate() {
                sheet.write_string_with_format(row, col as u16, *t, &f.text).map_err(xerr)?;
            }
            sheet.write_string_with_format(row, 4, l.acquired_on.to_string(), &f.text).map_err(xerr)?;
            sheet.write_number_with_format(row, 5, yuan(l.original), &f.money).map_err(xerr)?;
            sheet
                .write_string(row, 6, categories::life_label(if l.depreciates { l.life_months } else { 0 }))
                .map_err(xerr)?;
            for (k, v) in [l.this_month, l.accumulated, l.net].iter().enumerate() {
                sheet.write_number_with_format(row, 7 + k as u16, yuan(*v), &f.money).map_err(xerr)?;
            }
        }
    }
    book.save_to_buffer().map_err(xerr)
}
