//! The sheet as an Excel workbook, for bursars who keep their own files or
//! post the sheet electronically: sheet 伙食费收支公示 (the same blocks as the
//! PDF, amounts as numbers with two decimals, out-of-limit percentages in red
//! bold), sheet 进货明细 (every purchase item of the month with its inspection
//! record) and the explanation lines.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

use super::purchases::Purchase;
use super::sheet::{MealSheet, Ratio};
use super::store::StockLine;
use crate::{Error, Fen, Result};

fn xerr(e: XlsxError) -> Error {
    Error::invalid(format!("无法生成 Excel 文件:{e}"))
}

fn yuan(f: Fen) -> f64 {
    // Only the spreadsheet's cell value; every amount's text is exact.
    f.0 as f64 / 100.0
}

struct Formats {
    bold: Format,
    title: Format,
    money: Format,
    money_bold: Format,
    red: Format,
    text: Format,
}

fn money_cell(ws: &mut Worksheet, row: u32, col: u16, v: Option<Fen>, f: &Format) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number_with_format(row, col, yuan(v), f).map(|_| ()),
        None => ws.write_string(row, col, "未盘点").map(|_| ()),
    }
}

fn ratio_cell(ws: &mut Worksheet, row: u32, col: u16, r: &Ratio, limit: &str, f: &Formats) -> Result<(), XlsxError> {
    if r.outside {
        ws.write_string_with_format(row, col, format!("{} 【超出{limit}】", r.text), &f.red)?;
    } else {
        ws.write_string(row, col, &r.text)?;
    }
    ws.write_string(row, col + 1, &r.base)?;
    Ok(())
}

/// The workbook as bytes.
pub fn to_bytes(sheet: &MealSheet, purchases: &[Purchase]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let f = Formats {
        bold: Format::new().set_bold(),
        title: Format::new().set_bold().set_font_size(14),
        money: Format::new().set_num_format("#,##0.00"),
        money_bold: Format::new().set_num_format("#,##0.00").set_bold(),
        red: Format::new().set_bold().set_font_color(Color::RGB(0xCC0000)),
        text: Format::new().set_num_format("@"),
    };
    summary(wb.add_worksheet(), sheet, &f).map_err(xerr)?;
    purchase_sheet(wb.add_worksheet(), purchases, &f).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}

/// Writes the workbook to `path`.
pub fn write(sheet: &MealSheet, purchases: &[Purchase], path: &Path) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &to_bytes(sheet, purchases)?)
}

fn summary(ws: &mut Worksheet, s: &MealSheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("伙食费收支公示")?;
    ws.write_string_with_format(0, 0, super::pdf::title(s), &f.title)?;
    let status = if s.settlement_closed { "月结已确认" } else { "月结尚未确认(收入为预览)" };
    ws.write_string(1, 0, format!("{status};盈亏率上限 {}", s.limit_text))?;

    ws.write_string_with_format(3, 0, "一、伙食费收入", &f.bold)?;
    let heads = [
        "儿童人日数",
        "用膳标准",
        "在园天数",
        "应收伙食费(元)",
        "幼儿退款(元)",
        "以前月份更正(元)",
        "本月伙食费收入(元)",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(4, c as u16, *h, &f.bold)?;
    }
    ws.write_number(5, 0, s.child_days as f64)?;
    ws.write_string(5, 1, &s.rate_text)?;
    ws.write_number(5, 2, s.school_days as f64)?;
    ws.write_number_with_format(5, 3, yuan(s.charged), &f.money)?;
    ws.write_number_with_format(5, 4, yuan(s.refund), &f.money)?;
    ws.write_number_with_format(5, 5, yuan(s.adjustments), &f.money)?;
    ws.write_number_with_format(5, 6, yuan(s.income), &f.money_bold)?;
    if s.subsidy != Fen::ZERO {
        // Income paid by a subsidy instead of the family: a column of the
        // income, as on the posted sheet, never a refund.
        ws.write_string_with_format(4, 7, "其中政府资助(元)", &f.bold)?;
        ws.write_number_with_format(5, 7, yuan(s.subsidy), &f.money)?;
    }
    if let Some(short) = &s.short_unrefunded {
        // Inside 应收 and 收入, so under them and not a column of its own.
        let label = super::sheet::short_unrefunded_label(short, &s.fee_name);
        ws.write_string(6, 0, format!("其中{label}:{} 天(已含在应收和收入中)", short.days))?;
        ws.write_number_with_format(6, 3, yuan(short.amount), &f.money)?;
    }

    ws.write_string_with_format(7, 0, "二、幼儿伙食支出(按出库计)", &f.bold)?;
    let heads = ["类别", "上月底库存", "本月购入", "本月底库存", "本月出库", "其中教工伙食", "幼儿伙食支出"];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(8, c as u16, *h, &f.bold)?;
    }
    let mut row = 9;
    let mut line = |ws: &mut Worksheet, l: &StockLine, bold: bool| -> Result<(), XlsxError> {
        let m = if bold { &f.money_bold } else { &f.money };
        ws.write_string_with_format(row, 0, &l.category, if bold { &f.bold } else { &f.text })?;
        ws.write_number_with_format(row, 1, yuan(l.opening), m)?;
        ws.write_number_with_format(row, 2, yuan(l.purchases), m)?;
        money_cell(ws, row, 3, l.closing, m)?;
        money_cell(ws, row, 4, l.issued, m)?;
        ws.write_number_with_format(row, 5, yuan(l.staff), m)?;
        money_cell(ws, row, 6, l.children, m)?;
        row += 1;
        Ok(())
    };
    for l in &s.categories {
        line(ws, l, false)?;
    }
    line(ws, &StockLine { category: "合计".into(), ..s.total.clone() }, true)?;
    let mut row = row + 1;

    ws.write_string_with_format(row, 0, "三、结余与盈亏率", &f.bold)?;
    row += 1;
    ws.write_string(row, 0, "本月结余(元)")?;
    money_cell(ws, row, 1, s.balance, &f.money_bold)?;
    row += 1;
    ws.write_string(row, 0, "本月盈亏率")?;
    ratio_cell(ws, row, 1, &s.month_ratio, &s.limit_text, f)?;
    row += 1;
    ws.write_string(row, 0, format!("学期累计结余(元,{} 起)", s.term.from.label()))?;
    ws.write_number_with_format(row, 1, yuan(s.term.balance), &f.money_bold)?;
    row += 1;
    ws.write_string(row, 0, "学期累计盈亏率")?;
    ratio_cell(ws, row, 1, &s.term.ratio, &s.limit_text, f)?;
    row += 2;

    ws.write_string_with_format(row, 0, "四、教工伙食(单独核算)", &f.bold)?;
    row += 1;
    for (c, h) in ["用餐人次", "收入(元)", "支出(元)", "结余(元)"].iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &f.bold)?;
    }
    row += 1;
    ws.write_number(row, 0, s.staff.meals as f64)?;
    ws.write_number_with_format(row, 1, yuan(s.staff.income), &f.money)?;
    ws.write_number_with_format(row, 2, yuan(s.staff.cost), &f.money)?;
    ws.write_number_with_format(row, 3, yuan(s.staff.balance), &f.money)?;
    row += 2;

    ws.write_string_with_format(row, 0, "说明", &f.bold)?;
    for (i, text) in s.explanation.iter().enumerate() {
        row += 1;
        ws.write_string(row, 0, format!("{}. {text}", i + 1))?;
    }
    row += 2;
    ws.write_string(row, 0, "会计:")?;
    ws.write_string(row, 2, "园长:")?;
    ws.write_string(row, 4, "膳食委员会(家长代表):")?;
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 16)?;
    for c in 2..7 {
        ws.set_column_width(c, 14)?;
    }
    Ok(())
}

fn purchase_sheet(ws: &mut Worksheet, purchases: &[Purchase], f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("进货明细")?;
    let heads = [
        "进货日期",
        "供货单位",
        "品名",
        "类别",
        "数量",
        "单位",
        "金额(元)",
        "生产日期/批号",
        "保质期",
        "索证索票",
        "验收人",
    ];
    let widths = [12.0, 18.0, 12.0, 8.0, 8.0, 6.0, 11.0, 14.0, 10.0, 16.0, 8.0];
    for (c, (h, w)) in heads.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.bold)?;
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let mut row = 1;
    for p in purchases {
        for l in &p.lines {
            ws.write_string_with_format(row, 0, p.date.format("%Y-%m-%d").to_string(), &f.text)?;
            ws.write_string(row, 1, &p.supplier)?;
            ws.write_string(row, 2, &l.item)?;
            ws.write_string(row, 3, &l.category)?;
            ws.write_number(row, 4, l.quantity_milli as f64 / 1000.0)?;
            ws.write_string(row, 5, &l.unit)?;
            ws.write_number_with_format(row, 6, yuan(l.amount), &f.money)?;
            ws.write_string_with_format(row, 7, &l.batch, &f.text)?;
            ws.write_string(row, 8, &l.shelf_life)?;
            ws.write_string(row, 9, if p.certificate.is_empty() { "未索取" } else { &p.certificate })?;
            ws.write_string(row, 10, &p.receiver)?;
            row += 1;
        }
    }
    let total: Fen = purchases.iter().map(|p| p.total).sum();
    ws.write_string_with_format(row, 0, "合计", &f.bold)?;
    ws.write_number_with_format(row, 6, yuan(total), &f.money_bold)?;
    Ok(())
}
