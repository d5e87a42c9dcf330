//! The settlement as an Excel workbook: a summary sheet, then one sheet per class.
//! Every amount column the bill has is here: 应收, 退费 and 减免 (困难补贴,
//! the seeds' bill column), so what a family owes is 应收 − 退费 − 减免.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

use super::month::SettlementView;
use crate::{Error, Fen, Result};

fn xerr(e: XlsxError) -> Error {
    Error::invalid(format!("无法写入 Excel 文件:{e}"))
}

fn yuan(f: Fen) -> f64 {
    // Only for the spreadsheet cell value; the text of every amount is exact.
    f.0 as f64 / 100.0
}

/// Writes the workbook to `path`.
pub fn write(view: &SettlementView, path: &Path) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &to_bytes(view)?)
}

/// The workbook as bytes.
pub fn to_bytes(view: &SettlementView) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let r = &view.result;
    {
        let ws = wb.add_worksheet().set_name("汇总").map_err(xerr)?;
        ws.write_string_with_format(0, 0, format!("{} 月结汇总", view.month.label()), &bold).map_err(xerr)?;
        ws.write_string(1, 0, format!("法定工作日 {} 天,在园日 {} 天", r.legal_working_days, r.school_days))
            .map_err(xerr)?;
        let status = match view.status {
            super::SettlementStatus::Closed => "已结账",
            super::SettlementStatus::Open => "预览(未结账)",
        };
        ws.write_string(2, 0, status).map_err(xerr)?;
        for (c, h) in ["班级", "人数", "应收(元)", "退费(元)", "减免(元)"].iter().enumerate() {
            ws.write_string_with_format(4, c as u16, *h, &bold).map_err(xerr)?;
        }
        let mut row = 5;
        for c in &r.classes {
            ws.write_string(row, 0, &c.class).map_err(xerr)?;
            ws.write_number(row, 1, c.children as f64).map_err(xerr)?;
            ws.write_number_with_format(row, 2, yuan(c.charged), &money).map_err(xerr)?;
            ws.write_number_with_format(row, 3, yuan(c.refund), &money).map_err(xerr)?;
            ws.write_number_with_format(row, 4, yuan(c.waiver), &money).map_err(xerr)?;
            row += 1;
        }
        ws.write_string_with_format(row, 0, "合计", &bold).map_err(xerr)?;
        ws.write_number_with_format(row, 2, yuan(r.charged), &money).map_err(xerr)?;
        ws.write_number_with_format(row, 3, yuan(r.refund), &money).map_err(xerr)?;
        ws.write_number_with_format(row, 4, yuan(r.waiver), &money).map_err(xerr)?;
        row += 2;
        if !view.adjustments.is_empty() {
            ws.write_string_with_format(row, 0, "以前月份更正(补退为正,补收为负)", &bold).map_err(xerr)?;
            row += 1;
            for a in &view.adjustments {
                ws.write_string(row, 0, &a.class).map_err(xerr)?;
                ws.write_string(row, 1, &a.child_name).map_err(xerr)?;
                ws.write_number_with_format(row, 2, yuan(a.amount), &money).map_err(xerr)?;
                ws.write_string(row, 3, &a.explanation).map_err(xerr)?;
                row += 1;
            }
        }
        ws.set_column_width(0, 14).map_err(xerr)?;
        ws.set_column_width(3, 14).map_err(xerr)?;
        ws.set_column_width(4, 14).map_err(xerr)?;
    }
    for class in &r.classes {
        let ws: &mut Worksheet = wb.add_worksheet().set_name(sheet_name(&class.class)).map_err(xerr)?;
        let mut headers = vec!["姓名".to_string(), "出勤天数".into(), "请假天数".into()];
        for f in &view.fees {
            headers.push(format!("{}应收", f.name));
            headers.push(format!("{}退费", f.name));
            headers.push(format!("{}减免", f.name));
        }
        headers.push("退费合计".into());
        headers.push("减免合计".into());
        headers.push("说明".into());
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold).map_err(xerr)?;
        }
        for (row, ch) in (1u32..).zip(r.children.iter().filter(|c| c.class == class.class)) {
            ws.write_string(row, 0, &ch.name).map_err(xerr)?;
            ws.write_number(row, 1, ch.attended_days as f64).map_err(xerr)?;
            ws.write_number(row, 2, ch.absent_school_days as f64).map_err(xerr)?;
            let mut col = 3;
            for f in &ch.fees {
                ws.write_number_with_format(row, col, yuan(f.charged), &money).map_err(xerr)?;
                ws.write_number_with_format(row, col + 1, yuan(f.refund), &money).map_err(xerr)?;
                ws.write_number_with_format(row, col + 2, yuan(f.waiver), &money).map_err(xerr)?;
                col += 3;
            }
            ws.write_number_with_format(row, col, yuan(ch.refund), &money).map_err(xerr)?;
            ws.write_number_with_format(row, col + 1, yuan(ch.waiver), &money).map_err(xerr)?;
            col += 1;
            let why: Vec<String> =
                ch.fees.iter().flat_map(|f| f.lines.iter().skip(1).map(|l| l.text.clone())).collect();
            ws.write_string(row, col + 1, why.join(";")).map_err(xerr)?;
        }
        ws.set_column_width(0, 10).map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if clean.is_empty() {
        "未分班".into()
    } else {
        clean
    }
}
