//! The catalogue's import template (物品目录导入模板) as an Excel workbook —
//! what most asset keepers fill in — besides the CSV of
//! [`super::item_import::template_csv`]. Sheet 物品目录 has the import's header
//! (bold, frozen, required columns marked *) and two example rows; sheet
//! 填写说明 says what each column takes. The import reads the first sheet, so
//! the filled-in template goes back unchanged.
//!
//! Deliberately out: drop-down lists in the cells (categories and units may
//! be typed freely; the suggestions are listed on 填写说明 instead).

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::item_import::FIELDS;
use super::settings::SuppliesOptions;
use crate::{Error, Result};

/// What each column takes, in [`FIELDS`] order.
const NOTES: [&str; 11] = [
    "可不填;填了则按编号匹配已有物品(以文本保存,001 不会变成 1)",
    "必填,如 白板笔",
    "必填,如 办公用品;可填候选以外的类别",
    "必填,按发放的最小单位,如 支(不要填 盒)",
    "可不填,如 黑色、500ml;同名不同规格是不同的物品",
    "可不填,整数;结存不高于它时提示补货",
    "可不填,如 库房A架",
    "可不填,借用时收取的押金(元),如 10",
    "可不填",
    "可不填,整数;填了则登记为一张期初入库单",
    "填了期初数量时必填,元,如 2.50",
];

/// The two example rows (the same as the CSV template's): a stocked item with
/// opening stock, and a key lent against a deposit.
const EXAMPLES: [[&str; 11]; 2] = [
    ["BJ001", "白板笔", "办公用品", "支", "黑色", "20", "库房A架", "", "", "50", "2.50"],
    ["", "教室钥匙", "其他", "把", "", "2", "保管室", "10", "借用须交押金", "", ""],
];

/// The template workbook as bytes; `options` lists the school's categories and units on 填写说明.
pub fn template_xlsx(options: &SuppliesOptions) -> Result<Vec<u8>> {
    build(options)
        .and_then(|mut book| book.save_to_buffer())
        .map_err(|e| Error::invalid(format!("生成 Excel 模板失败:{e}")))
}

fn build(options: &SuppliesOptions) -> std::result::Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet().set_name("物品目录")?;
    for (c, field) in FIELDS.iter().enumerate() {
        let col = c as u16;
        let title = if field.required { format!("{}*", field.label) } else { field.label.to_string() };
        sheet.write_string_with_format(0, col, title, &bold)?;
        sheet.set_column_width(col, if c == 1 || c == 8 { 16 } else { 11 })?;
        // Whatever is typed under 物品编号 stays text (leading zeros kept).
        if c == 0 {
            sheet.set_column_format(col, &text)?;
        }
    }
    for (r, row) in EXAMPLES.iter().enumerate() {
        for (c, value) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            let (r, col) = (r as u32 + 1, c as u16);
            // Numbers as numbers, as Excel keeps what a person types.
            match value.parse::<f64>() {
                Ok(n) if c != 0 => sheet.write_number(r, col, n)?,
                _ => sheet.write_string(r, col, *value)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;

    let help = book.add_worksheet().set_name("填写说明")?;
    help.write_string_with_format(0, 0, "列", &bold)?;
    help.write_string_with_format(0, 1, "填写说明", &bold)?;
    help.set_column_width(0, 12)?;
    help.set_column_width(1, 60)?;
    for (i, (field, note)) in FIELDS.iter().zip(NOTES).enumerate() {
        help.write_string(i as u32 + 1, 0, field.label)?;
        help.write_string(i as u32 + 1, 1, note)?;
    }
    let below = FIELDS.len() as u32 + 2;
    for (r, line) in [
        "第一行是表头,列的顺序可以调整;带 * 的列必须有。示例的两行请删去或改成自己的物品。".to_string(),
        "导入时按 物品编号,或 物品名称+规格型号 匹配:已有的物品更新,其余新增。有任何错误则整个文件不导入。".to_string(),
        format!("类别候选:{}", options.categories.join("、")),
        format!("单位候选:{}", options.units.join("、")),
    ]
    .into_iter()
    .enumerate()
    {
        help.write_string(below + r as u32, 0, line)?;
    }
    Ok(book)
}

/// Writes the template to `path`: an Excel workbook for `.xlsx`, else the CSV.
pub fn write_template(path: &Path, options: &SuppliesOptions) -> Result<()> {
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bytes = if is_xlsx { template_xlsx(options)? } else { super::item_import::template_csv().into_bytes() };
    crate::output_file::write_bytes_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_and_examples_match_the_columns() {
        assert_eq!(NOTES.len(), FIELDS.len());
        assert_eq!(EXAMPLES[0].len(), FIELDS.len());
    }
}
