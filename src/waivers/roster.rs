//! The 资助名册 of a term, as the education bureau asks for it: every child
//! with a waiver in force on a month of the term — class, name, fee item,
//! kind, standard, months, 批准人 and 文号 — and what the waivers came to in
//! the term's closed months (from the settlements, never computed here).
//! A term is named by its first and last month (`--from 2026-09 --to 2027-01`).
//! Printed as an A4 landscape PDF or exported as .xlsx.

use std::collections::HashMap;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;

use crate::dates::YearMonth;
use crate::notices::typeset;
use crate::pdf::{Align, Column, Document, Flow, Margins, Sheet, Table, TextStyle};
use crate::school::ChildId;
use crate::store::{self, Conn};
use crate::{Error, Fen, Result};

/// One child and fee item of the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RosterRow {
    pub student_no: String,
    pub child: String,
    pub class: String,
    pub fee_name: String,
    /// The kinds of its waivers (usually one), joined with 、.
    pub kind: String,
    /// `50%` or `200.00 元/月`, joined with 、.
    pub standard: String,
    /// `2026-09 至 2027-01`, joined with 、.
    pub months: String,
    pub approved_by: String,
    pub doc_no: String,
    /// What the waivers came to in the term's closed months.
    pub amount: Fen,
}

/// The roster of a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Roster {
    pub school: String,
    pub from: YearMonth,
    pub to: YearMonth,
    pub rows: Vec<RosterRow>,
    pub total: Fen,
    /// The term's months that are closed: the amounts are theirs.
    pub closed_months: Vec<YearMonth>,
}

/// The roster of `from..=to`, by 学号 and fee item.
pub fn build(conn: &Conn, from: YearMonth, to: YearMonth) -> Result<Roster> {
    if to < from {
        return Err(Error::invalid(format!("学期的最后一个月 {} 早于第一个月 {}", to.label(), from.label())));
    }
    let waivers = store::fees::waivers::list(conn, None, from, to)?;
    let settled: HashMap<(ChildId, String), Fen> =
        store::fees::waivers::settled(conn, from, to)?.into_iter().map(|(c, f, a)| ((c, f), a)).collect();
    let fee_names: HashMap<String, String> = crate::settlement::rules_for(conn, to)?
        .into_iter()
        .chain(crate::settlement::rules_for(conn, from)?)
        .flat_map(|r| r.fees)
        .map(|f| (f.id, f.name))
        .collect();
    let mut rows: Vec<RosterRow> = Vec::new();
    let mut keys: Vec<(ChildId, String)> = Vec::new();
    for w in &waivers {
        let key = (w.child_id, w.fee_id.clone());
        let months = format!("{} 至 {}", w.from.max(from), w.to.min(to));
        let standard = match (w.percent, w.amount) {
            (Some(p), _) => format!("{p}%"),
            (None, Some(a)) => format!("{} 元/月", a.to_yuan_string()),
            (None, None) => String::new(),
        };
        let join = |a: &mut String, b: &str| {
            if !b.is_empty() && !a.split('、').any(|x| x == b) {
                if !a.is_empty() {
                    a.push('、');
                }
                a.push_str(b);
            }
        };
        if let Some(i) = keys.iter().position(|k| *k == key) {
            let row = &mut rows[i];
            join(&mut row.kind, &w.kind);
            join(&mut row.standard, &standard);
            join(&mut row.months, &months);
            join(&mut row.approved_by, &w.approved_by);
            join(&mut row.doc_no, &w.doc_no);
            continue;
        }
        let class =
            crate::school::children::get(conn, w.child_id, Some(to.last_day().min(crate::dates::today())))?.class_name;
        rows.push(RosterRow {
            student_no: w.student_no.clone(),
            child: w.child_name.clone(),
            class,
            fee_name: fee_names.get(&w.fee_id).cloned().unwrap_or_else(|| w.fee_id.clone()),
            kind: w.kind.clone(),
            standard,
            months,
            approved_by: w.approved_by.clone(),
            doc_no: w.doc_no.clone(),
            amount: settled.get(&key).copied().unwrap_or(Fen::ZERO),
        });
        keys.push(key);
    }
    let closed: Vec<YearMonth> =
        crate::settlement::month::closed_months(conn)?.into_iter().rev().filter(|m| (from..=to).contains(m)).collect();
    Ok(Roster {
        school: crate::school::profile::get(conn)?.map(|p| p.name).unwrap_or_default(),
        from,
        to,
        total: crate::money::try_sum(rows.iter().map(|r| r.amount))?,
        rows,
        closed_months: closed,
    })
}

/// `阳光幼儿园资助名册(2026年9月至2027年1月)`.
pub fn title(r: &Roster) -> String {
    format!("{}资助名册({}至{})", r.school, r.from.label(), r.to.label())
}

/// What the amounts cover, in words.
fn covers(r: &Roster) -> String {
    match (r.closed_months.first(), r.closed_months.last()) {
        (Some(a), Some(b)) if a == b => format!("已减免金额为已结账的 {} 的合计。", a.label()),
        (Some(a), Some(b)) => {
            format!("已减免金额为已结账月份({} 至 {},共 {} 个月)的合计。", a.label(), b.label(), r.closed_months.len())
        }
        _ => "本学期还没有已结账的月份,已减免金额为 0。".to_string(),
    }
}

/// Writes the roster to `path` (.pdf or .xlsx), whole or not at all.
pub fn write(r: &Roster, path: &Path) -> Result<()> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("pdf") => pdf(r)?,
        Some("xlsx") => xlsx(r)?,
        _ => return Err(Error::invalid("资助名册只能保存为 .pdf 或 .xlsx 文件")),
    };
    crate::output_file::write_bytes_atomic(path, &bytes)
}

/// The roster as PDF bytes: A4 landscape, the table with its total.
pub fn pdf(r: &Roster) -> Result<Vec<u8>> {
    let mut doc = Document::new(&title(r))?;
    {
        let mut flow =
            Flow::new(&mut doc, Sheet::A4Landscape, Margins { top: 12.0, right: 12.0, bottom: 12.0, left: 12.0 });
        flow.start();
        flow.set_continuation(Some(format!("{}（续）", title(r))));
        flow.line(&typeset(&title(r)), &TextStyle::new(16.0).bold().align(Align::Center).line_height(1.5));
        flow.advance(2.0);
        let mut table = Table::new(vec![
            Column::new("序号", 10.0).center(),
            Column::new("学号", 18.0),
            Column::new("班级", 18.0),
            Column::new("姓名", 20.0),
            Column::new("项目", 16.0),
            Column::new("资助类别", 48.0),
            Column::new("标准", 26.0).right(),
            Column::new("月份", 36.0),
            Column::new("批准人", 18.0),
            Column::new("文号", 36.0),
            Column::new("已减免(元)", 26.0).right(),
        ]);
        table.style = TextStyle::new(9.0).line_height(1.3);
        for (i, row) in r.rows.iter().enumerate() {
            table.row([
                (i + 1).to_string(),
                row.student_no.clone(),
                row.class.clone(),
                row.child.clone(),
                row.fee_name.clone(),
                typeset(&row.kind),
                row.standard.clone(),
                row.months.clone(),
                row.approved_by.clone(),
                typeset(&row.doc_no),
                row.amount.to_grouped_string(),
            ]);
        }
        table.row([
            String::new(),
            "合计".into(),
            String::new(),
            format!("{} 人次", r.rows.len()),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            r.total.to_grouped_string(),
        ]);
        flow.table(&table)?;
        flow.advance(3.0);
        let body = TextStyle::new(10.0).line_height(1.5);
        flow.paragraph(&typeset(&covers(r)), &body);
        flow.paragraph(&format!("合计金额（大写）：{}", r.total.to_capital()), &body);
        flow.advance(4.0);
        let sign = TextStyle::new(10.0).align(Align::Right).line_height(1.6);
        flow.line(&format!("制表日期：{}", crate::dates::on_paper(crate::dates::today())), &sign);
    }
    doc.render()
}

fn xerr(e: XlsxError) -> Error {
    Error::invalid(format!("无法写入 Excel 文件:{e}"))
}

/// The roster as an .xlsx workbook: one sheet, the same columns as the PDF.
pub fn xlsx(r: &Roster) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let ws = wb.add_worksheet().set_name("资助名册").map_err(xerr)?;
    ws.write_string_with_format(0, 0, title(r), &bold).map_err(xerr)?;
    let heads = ["序号", "学号", "班级", "姓名", "项目", "资助类别", "标准", "月份", "批准人", "文号", "已减免(元)"];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold).map_err(xerr)?;
    }
    let mut row = 3u32;
    for (i, x) in r.rows.iter().enumerate() {
        ws.write_number(row, 0, (i + 1) as f64).map_err(xerr)?;
        for (c, text) in
            [&x.student_no, &x.class, &x.child, &x.fee_name, &x.kind, &x.standard, &x.months, &x.approved_by, &x.doc_no]
                .iter()
                .enumerate()
        {
            ws.write_string(row, (c + 1) as u16, text.as_str()).map_err(xerr)?;
        }
        // Only the cell's value is a float; the text of every amount is exact.
        ws.write_number_with_format(row, 10, x.amount.0 as f64 / 100.0, &money).map_err(xerr)?;
        row += 1;
    }
    ws.write_string_with_format(row, 1, "合计", &bold).map_err(xerr)?;
    ws.write_number_with_format(row, 10, r.total.0 as f64 / 100.0, &money).map_err(xerr)?;
    ws.write_string(row + 2, 0, covers(r)).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}
