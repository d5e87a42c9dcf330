//! Supplies printouts (PDF):
//! - the issue slip (物品领用单): numbered, in two copies on one A4 sheet cut
//!   in half (第一联 保管员存根, 第二联 领用部门留存); 领用部门, 领用人, 领用日期,
//!   用途 and 审批人 once in the header (they are the same for every line), then
//!   序号 | 物品名称 | 规格型号 | 单位 | 数量 | 单价 | 金额 | 备注 (以旧换新, 冲销)
//!   with a 合计 row, and signature lines for 领用人, 审批人 and 发放人;
//! - the month's stock report (物品收发存月报) on A4 landscape: opening, in,
//!   out, other and closing per item with values, usage per class/department
//!   with a bar chart, items to reorder, deposits still out, signatures.
//!
//! Deliberately out: printing receipts (入库单; the supplier's delivery note is
//! the paper).

use std::path::Path;

use crate::store::Conn;

use super::deposits::{self, DepositFilter};
use super::reports::{self, MonthRow};
use super::stock::{self, StockDoc};
use super::DocKind;
use crate::dates::YearMonth;
use crate::pdf::{Align, Column, Document, Flow, Margins, Sheet, Stroke, Table, TextStyle};
use crate::school::profile;
use crate::{Error, Result};

fn school_name(conn: &Conn) -> Result<String> {
    Ok(profile::get(conn)?.map(|p| p.name).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "幼儿园".into()))
}

/// The issue slip of document `number` (LY-2025-0001) as PDF bytes.
pub fn slip_pdf(conn: &Conn, number: &str) -> Result<Vec<u8>> {
    let doc = stock::doc_by_number(conn, number)?;
    if doc.kind != DocKind::Issue {
        return Err(Error::invalid(format!("{}是{},只有领用单可以打印领用单", doc.number, doc.kind_label)));
    }
    let school = school_name(conn)?;
    let mut pdf = Document::new(&format!("物品领用单 {}", doc.number))?;
    {
        let mut flow =
            Flow::new(&mut pdf, Sheet::TwoA5OnA4, Margins { top: 9.0, right: 12.0, bottom: 7.0, left: 12.0 });
        for copy in ["第一联 保管员存根", "第二联 领用部门留存"] {
            draw_slip(&mut flow, &school, &doc, copy)?;
        }
    }
    pdf.render()
}

/// Writes the issue slip to `path`.
pub fn write_slip(conn: &Conn, number: &str, path: &Path) -> Result<()> {
    let bytes = slip_pdf(conn, number)?;
    write(path, &bytes)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, bytes)
}

fn draw_slip(flow: &mut Flow<'_>, school: &str, doc: &StockDoc, copy: &str) -> Result<()> {
    let r = flow.start();
    flow.set_continuation(Some(format!("物品领用单 {}(续)", doc.number)));
    let small = TextStyle::new(8.0).gray(0.25);
    let y = flow.y();
    flow.page().text(r.right(), y, &format!("编号:{}", doc.number), &TextStyle::new(9.5).align(Align::Right));
    flow.page().text(r.x, y, copy, &small);
    flow.line(&format!("{school}物品领用单"), &TextStyle::new(15.0).bold().align(Align::Center).line_height(1.3));
    flow.advance(1.0);
    slip_header(flow, doc);

    let mut table = Table::new(vec![
        Column::new("序号", 10.0).center(),
        Column::new("物品名称", 40.0),
        Column::new("规格型号", 28.0),
        Column::new("单位", 10.0).center(),
        Column::new("数量", 14.0).right(),
        Column::new("单价(元)", 20.0).right(),
        Column::new("金额(元)", 24.0).right(),
        Column::new("备注", 40.0),
    ]);
    table.style = TextStyle::new(8.5).line_height(1.25);
    table.min_row_height = 6.5;
    for l in &doc.lines {
        let mut note = Vec::new();
        if l.trade_in > 0 {
            note.push(format!("以旧换新,交回旧品{}{}", l.trade_in, l.unit));
        }
        if !l.note.is_empty() {
            note.push(l.note.clone());
        }
        if l.reversed {
            note.push("已冲销".into());
        }
        table.row([
            l.line_no.to_string(),
            l.item_name.clone(),
            l.spec.clone(),
            l.unit.clone(),
            l.qty.to_string(),
            issue_unit_price(l.value, l.qty).map(|p| p.to_grouped_string()).unwrap_or_default(),
            l.value.to_grouped_string(),
            note.join(";"),
        ]);
    }
    // A paper slip has room to spare: at least six rows, as on the printed forms.
    for _ in doc.lines.len()..6 {
        table.row(["", "", "", "", "", "", "", ""]);
    }
    let total = crate::money::try_sum(doc.lines.iter().map(|l| l.value))?;
    let total = total.to_grouped_string();
    table.total_row(["", "合计", "", "", "", "", total.as_str(), ""]);
    flow.table(&table)?;
    flow.advance(1.5);
    let note_style = TextStyle::new(8.5);
    if !doc.note.is_empty() {
        flow.paragraph(&format!("备注:{}", doc.note), &note_style);
    }
    flow.paragraph("单价 = 金额 ÷ 数量,四舍五入到分;金额按移动加权平均计价。", &TextStyle::new(7.5).gray(0.3));
    if !doc.reversed_by.is_empty() {
        flow.paragraph(
            &format!("本单有冲销:{}(冲销单另行登记,本单内容不作修改)。", doc.reversed_by.join("、")),
            &note_style,
        );
    }
    flow.advance(5.0);
    let sign = TextStyle::new(10.0);
    let r = flow.ensure(sign.line_mm() + 6.0);
    let y = flow.y();
    let page = flow.page();
    let underline = Stroke::new(0.4);
    let base = y + sign.line_mm();
    let third = r.width / 3.0;
    for (i, who) in ["领用人(签字):", "审批人(签字):", "发放人(签字):"].iter().enumerate() {
        let x = r.x + third * i as f32;
        let w = page.text(x, y, who, &sign);
        page.line(x + w + 1.0, base, x + third - 6.0, base, &underline);
    }
    flow.advance(sign.line_mm() + 2.5);
    let y = flow.y();
    let r = flow.region();
    flow.page().text(
        r.right(),
        y,
        &format!("发放:{}    录入:{} {}", doc.handler, doc.created_by, doc.created_at),
        &small.align(Align::Right),
    );
    flow.advance(small.line_mm());
    flow.set_continuation(None);
    Ok(())
}

/// The unit price printed on an issue line: its value (moving weighted
/// average, the amount in the books) ÷ quantity, rounded half-up to the fen.
fn issue_unit_price(value: crate::Fen, qty: i64) -> Option<crate::Fen> {
    (qty > 0).then(|| crate::Fen(crate::money::div_round_half_up(value.0 as i128, qty as i128) as i64))
}

/// 领用部门, 领用人, 领用日期 on one line; 用途 (wrapped) and 审批人 below:
/// what is the same for every line of the slip, said once.
fn slip_header(flow: &mut Flow<'_>, doc: &StockDoc) {
    let info = TextStyle::new(9.5);
    let r = flow.region();
    let third = r.width / 3.0;
    let dash = |s: &str| if s.trim().is_empty() { "—".to_string() } else { s.to_string() };
    flow.ensure(2.0 * info.line_mm());
    let y = flow.y();
    let page = flow.page();
    page.text(r.x, y, &format!("领用部门:{}", dash(&doc.department)), &info);
    page.text(r.x + third, y, &format!("领用人:{}", dash(&doc.requester)), &info);
    page.text(r.right(), y, &format!("领用日期:{}", crate::dates::on_paper(doc.date)), &info.align(Align::Right));
    flow.advance(info.line_mm());
    let y = flow.y();
    let purpose = flow.fonts().wrap(&format!("用途:{}", dash(&doc.purpose)), info.size, 2.0 * third - 4.0);
    let page = flow.page();
    let h = page.lines(r.x, y, 2.0 * third - 4.0, &purpose, &info);
    page.text(r.right(), y, &format!("审批人:{}", dash(&doc.approver)), &info.align(Align::Right));
    flow.advance(h + 1.0);
}

/// The month's stock report as PDF bytes.
pub fn month_report_pdf(conn: &Conn, month: YearMonth) -> Result<Vec<u8>> {
    let report = reports::month_report(conn, month)?;
    let school = school_name(conn)?;
    let open = deposits::list(conn, &DepositFilter { open_only: true })?;
    let mut pdf = Document::new(&format!("{}物品收发存月报 {}", school, month.label()))?;
    {
        let mut flow =
            Flow::new(&mut pdf, Sheet::A4Landscape, Margins { top: 12.0, right: 14.0, bottom: 14.0, left: 14.0 });
        let r = flow.start();
        let title = format!("{school}物品收发存月报");
        flow.line(&title, &TextStyle::new(16.0).bold().align(Align::Center));
        flow.line(
            &format!("{}({} 至 {})    金额单位:元", month.label(), month.first_day(), month.last_day()),
            &TextStyle::new(10.0).align(Align::Center),
        );
        flow.advance(2.0);
        flow.set_continuation(Some(format!("{title} {}(续)", month.label())));

        // 269 mm across: the name takes what the ten number columns leave.
        let (qty_w, val_w) = (15.0, 23.0);
        let mut cols =
            vec![Column::new("类别", 20.0), Column::new("物品名称(规格)", 59.0), Column::new("单位", 10.0).center()];
        for part in ["期初", "入库", "领用", "其他", "期末"] {
            cols.push(Column::new(format!("{part}\n数量"), qty_w).right());
            cols.push(Column::new(format!("{part}\n金额"), val_w).right());
        }
        let mut table = Table::new(cols);
        table.style = TextStyle::new(8.5).line_height(1.25);
        table.min_row_height = 6.0;
        table.page_footer = false;
        let cells = |r: &MonthRow, total: bool| -> Vec<String> {
            let mut v = vec![r.category.clone(), r.item.clone(), r.unit.clone()];
            for (q, f) in [r.opening, r.received, r.issued, r.other, r.closing] {
                v.push(if total { String::new() } else { q.to_string() });
                v.push(f.to_grouped_string());
            }
            v
        };
        if report.rows.is_empty() {
            table.row(["", "本月没有物品结存或收发", ""]);
        }
        for row in &report.rows {
            table.row(cells(row, false));
        }
        table.total_row(cells(&report.totals, true));
        flow.table(&table)?;
        flow.advance(1.5);
        flow.paragraph(
            "说明:金额按移动加权平均计价:每次入库后,平均单价 = 结存金额 ÷ 结存数量;每行领用的金额 = 结存金额 × 领用数量 ÷ 结存数量,四舍五入到分(只取整一次),领完时取全部结存金额。“其他”为盘点盘盈(+)盘亏(−)与押金借出(−)归还(+)。",
            &TextStyle::new(8.0).gray(0.2),
        );
        flow.advance(4.0);

        // Usage per class/department: table on the left, bars on the right.
        let u = &report.usage;
        let heading = TextStyle::new(11.5).bold();
        let rows_h = (u.by_department.len() as f32 + 2.0) * 6.0 + heading.line_mm() + 4.0;
        flow.ensure(rows_h.min(r.height - 10.0));
        flow.line(
            &format!("本月领用(按班级/部门):共 {} 张领用单,金额 {} 元", u.slips, u.total_value.to_grouped_string()),
            &heading,
        );
        flow.advance(1.0);
        let top = flow.y();
        let mut dt = Table::new(vec![
            Column::new("班级/部门", 30.0),
            Column::new("领用单数", 18.0).right(),
            Column::new("领用金额(元)", 26.0).right(),
        ]);
        dt.style = TextStyle::new(8.5).line_height(1.25);
        // Rows of a fixed height, so the bars beside them line up.
        dt.min_row_height = 6.5;
        for d in &u.by_department {
            dt.row([d.department.clone(), d.slips.to_string(), d.value.to_grouped_string()]);
        }
        dt.total_row(["合计".to_string(), u.slips.to_string(), u.total_value.to_grouped_string()]);
        let region = flow.region();
        let fits = top + (dt.rows.len() as f32 + 1.0) * 6.5 < region.bottom();
        flow.table(&dt)?;
        if fits {
            // Bars beside the table, one per row, the longest 120 mm.
            let max = u.by_department.iter().map(|d| d.value.as_i64()).max().unwrap_or(0);
            let x0 = r.x + 84.0 + 26.0;
            let label = TextStyle::new(8.0);
            let page = flow.page();
            let mut y = top + 6.5;
            page.text(x0 - 2.0, top + 1.0, "领用金额", &TextStyle::new(8.0).gray(0.3));
            for d in &u.by_department {
                page.text(x0 - 2.0, y + 0.8, &d.department, &label.align(Align::Right));
                let w = if max > 0 { 120.0 * d.value.as_i64() as f32 / max as f32 } else { 0.0 };
                if w > 0.0 {
                    page.rect(x0, y + 1.0, w.max(0.6), 4.0, None, Some(0.45));
                }
                page.text(x0 + w + 1.5, y + 0.8, &d.value.to_grouped_string(), &label);
                y += 6.5;
            }
        }
        flow.advance(4.0);

        if !report.below.is_empty() {
            flow.ensure(heading.line_mm() + 14.0);
            flow.line(&format!("需补货(月末结存不高于库存下限):{} 种", report.below.len()), &heading);
            let mut bt = Table::new(vec![
                Column::new("物品名称(规格)", 60.0),
                Column::new("单位", 14.0).center(),
                Column::new("月末结存", 22.0).right(),
                Column::new("库存下限", 22.0).right(),
            ]);
            bt.style = TextStyle::new(8.5).line_height(1.25);
            bt.min_row_height = 6.0;
            for (item, unit, qty, level) in &report.below {
                bt.row([item.clone(), unit.clone(), qty.to_string(), level.to_string()]);
            }
            flow.table(&bt)?;
            flow.advance(4.0);
        }

        if !open.rows.is_empty() {
            flow.ensure(heading.line_mm() + 14.0);
            flow.line(
                &format!(
                    "押金借用未归还:{} 件,押金合计 {} 元",
                    open.outstanding,
                    open.outstanding_deposit.to_grouped_string()
                ),
                &heading,
            );
            let mut ot = Table::new(vec![
                Column::new("借出单号", 28.0),
                Column::new("借出日期", 24.0).center(),
                Column::new("物品", 44.0),
                Column::new("数量", 14.0).right(),
                Column::new("借用人", 24.0),
                Column::new("部门", 24.0),
                Column::new("押金(元)", 22.0).right(),
                Column::new("已借天数", 18.0).right(),
            ]);
            ot.style = TextStyle::new(8.5).line_height(1.25);
            ot.min_row_height = 6.0;
            for d in &open.rows {
                ot.row([
                    d.lend_number.clone(),
                    d.lent_on.to_string(),
                    d.item.clone(),
                    d.qty.to_string(),
                    d.borrower.clone(),
                    d.department.clone(),
                    d.deposit.to_grouped_string(),
                    d.days.to_string(),
                ]);
            }
            flow.table(&ot)?;
            flow.advance(4.0);
        }

        flow.advance(6.0);
        let sign = TextStyle::new(10.5);
        let r = flow.ensure(sign.line_mm() + 2.0);
        let y = flow.y();
        let page = flow.page();
        let quarter = r.width / 4.0;
        let underline = Stroke::new(0.4);
        for (i, who) in ["保管员:", "会计:", "园长:"].iter().enumerate() {
            let x = r.x + quarter * i as f32;
            let w = page.text(x, y, who, &sign);
            page.line(x + w + 1.0, y + sign.line_mm(), x + quarter - 10.0, y + sign.line_mm(), &underline);
        }
        page.text(r.right(), y, "日期:      年    月    日", &sign.align(Align::Right));
        flow.advance(sign.line_mm());
        flow.set_continuation(None);
    }
    pdf.number_pages(6.0, &TextStyle::new(8.0).gray(0.3), |i, n| format!("第 {i} 页 / 共 {n} 页"));
    pdf.render()
}

/// Writes the month's stock report to `path`.
pub fn write_month_report(conn: &Conn, month: YearMonth, path: &Path) -> Result<()> {
    let bytes = month_report_pdf(conn, month)?;
    write(path, &bytes)
}

/// Suggested file name for a slip: `领用单-LY-2025-0001.pdf`.
pub fn slip_file_name(number: &str) -> String {
    format!("领用单-{}.pdf", number.trim())
}

/// Suggested file name for the month's report: `物品收发存月报-2025-10.pdf`.
pub fn report_file_name(month: YearMonth) -> String {
    format!("物品收发存月报-{month}.pdf")
}
