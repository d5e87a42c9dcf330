//! The printed 收费公示: A4 portrait, one page — title with the term, the
//! table of fee items (standard, how it is charged, basis, refunds), the
//! waivers paragraph, the complaint phone and the school's address, and the
//! head's name with the 公示日期.

use std::path::Path;

use super::FeeList;
use crate::notices::typeset;
use crate::pdf::{Align, Column, Document, Flow, Margins, Sheet, Table, TextStyle};
use crate::Result;

/// `阳光幼儿园2026年秋季学期收费公示`.
pub fn title(list: &FeeList) -> String {
    format!("{}{}收费公示", list.school, list.term)
}

/// The list as PDF bytes.
pub fn render(list: &FeeList) -> Result<Vec<u8>> {
    let mut doc = Document::new(&title(list))?;
    {
        let mut flow =
            Flow::new(&mut doc, Sheet::A4Portrait, Margins { top: 14.0, right: 15.0, bottom: 14.0, left: 15.0 });
        draw(&mut flow, list)?;
    }
    doc.render()
}

/// Writes the list to `path`, whole or not at all.
pub fn write(list: &FeeList, path: &Path) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &render(list)?)
}

fn draw(flow: &mut Flow<'_>, list: &FeeList) -> Result<()> {
    flow.start();
    flow.set_continuation(Some(format!("{}（续）", title(list))));
    flow.line(&title(list), &TextStyle::new(18.0).bold().align(Align::Center).line_height(1.5));
    let since = format!("以下收费标准自{}起执行", list.effective_from.label());
    flow.line(&since, &TextStyle::new(10.0).gray(0.25).align(Align::Center).line_height(1.6));
    flow.advance(2.0);

    let mut table = Table::new(vec![
        Column::new("序号", 10.0).center(),
        Column::new("收费项目", 22.0),
        Column::new("收费标准", 27.0).right(),
        Column::new("计费方式", 42.0),
        Column::new("收费依据", 27.0),
        Column::new("退费办法", 52.0),
    ]);
    table.style = TextStyle::new(9.5).line_height(1.3);
    table.min_row_height = 9.0;
    table.padding_y = 1.4;
    for (i, item) in list.items.iter().enumerate() {
        let charging = if item.charge_rule.is_empty() {
            format!("{}收取", item.unit)
        } else {
            format!("{}收取。{}", item.unit, item.charge_rule)
        };
        let refunds = if item.refunds.len() == 1 {
            item.refunds[0].clone()
        } else {
            item.refunds.iter().enumerate().map(|(n, r)| format!("{}. {r}", n + 1)).collect::<Vec<_>>().join("\n")
        };
        let basis = if item.basis.is_empty() { "—".to_string() } else { item.basis.clone() };
        table.row([
            (i + 1).to_string(),
            item.name.clone(),
            item.standard.clone(),
            typeset(&charging),
            typeset(&basis),
            typeset(&refunds),
        ]);
    }
    flow.table(&table)?;
    flow.advance(4.0);

    let body = TextStyle::new(10.5).line_height(1.55);
    if !list.waivers.is_empty() {
        flow.ensure(body.line_mm() * 2.0);
        flow.line("减免政策：", &body.bold());
        for para in list.waivers.lines().filter(|l| !l.trim().is_empty()) {
            flow.paragraph_indented(&typeset(para.trim()), 7.0, &body);
        }
        flow.advance(2.0);
    }
    flow.paragraph(
        &typeset("以上收费项目以外，本园不收取任何其他费用。退费按月结算，明细见每月的缴费/退费通知单和退费明细表。"),
        &body,
    );
    if !list.complaint_phone.is_empty() {
        flow.line(&format!("监督电话：{}", list.complaint_phone), &body);
    }
    let mut contact = Vec::new();
    if !list.address.is_empty() {
        contact.push(format!("学校地址：{}", list.address));
    }
    if !list.phone.is_empty() {
        contact.push(format!("联系电话：{}", list.phone));
    }
    if !contact.is_empty() {
        flow.paragraph(&typeset(&contact.join("　")), &body);
    }
    flow.advance(8.0);

    let sign = TextStyle::new(10.5).align(Align::Right).line_height(1.7);
    flow.ensure(sign.line_mm() * 3.0);
    flow.line(&list.school, &sign);
    if !list.head.is_empty() {
        flow.line(&format!("园长：{}", list.head), &sign);
    }
    flow.line(&format!("公示日期：{}", crate::dates::on_paper(list.printed_on)), &sign);
    Ok(())
}
