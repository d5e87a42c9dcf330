//! The printed repair slip (维修单, one A4 portrait page: the request, the
//! work, the cost, and lines for the repairer's and the reporter's
//! signatures) and the monthly list (维修登记表: every request of the month,
//! then the month's cost per room).

use std::path::Path;

use super::reports::MonthList;
use super::Repair;
use crate::dates::on_paper;
use crate::notices::typeset;
use crate::pdf::{Align, Column, Document, Flow, Margins, Sheet, Table, TextStyle};
use crate::Result;

const MARGINS: Margins = Margins { top: 14.0, right: 15.0, bottom: 14.0, left: 15.0 };

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(on_paper).unwrap_or_default()
}

fn asset_text(r: &Repair) -> String {
    match (&r.asset_number, &r.asset_name) {
        (Some(no), Some(name)) => format!("{name}（{no}）"),
        _ => "—".into(),
    }
}

/// The slip as PDF bytes. `school` heads it.
pub fn slip(r: &Repair, school: &str) -> Result<Vec<u8>> {
    let title = format!("{school}维修单");
    let mut doc = Document::new(&title)?;
    {
        let mut flow = Flow::new(&mut doc, Sheet::A4Portrait, MARGINS);
        flow.start();
        flow.line(&title, &TextStyle::new(18.0).bold().align(Align::Center).line_height(1.5));
        let no = format!("编号：{}　状态：{}", r.id, r.status_label);
        flow.line(&no, &TextStyle::new(10.0).gray(0.25).align(Align::Right).line_height(1.6));
        flow.advance(2.0);
        let mut t = Table::new(vec![Column::new("项目", 30.0), Column::new("内容", 150.0)]);
        t.style = TextStyle::new(10.5).line_height(1.4);
        t.min_row_height = 10.0;
        t.padding_y = 1.6;
        let urgency = if r.urgent { "紧急" } else { "一般" };
        let cost = if r.status.is_closed() { format!("{} 元", r.cost.to_grouped_string()) } else { String::new() };
        let rows: Vec<(&str, String)> = vec![
            ("报修日期", on_paper(r.reported_on)),
            ("报修地点", r.room.clone()),
            ("资产", asset_text(r)),
            ("工种", r.trade_label.clone()),
            ("紧急程度", format!("{urgency}（应于{}前上门）", on_paper(r.visit_due))),
            ("报修人", r.reporter.clone()),
            ("故障描述", typeset(&r.description)),
            ("维修人", r.assignee.clone()),
            ("派工日期", day(r.assigned_on)),
            ("上门日期", day(r.visited_on)),
            ("维修内容", typeset(&r.work)),
            ("维修费用", cost),
            ("完工日期", day(r.done_on)),
            ("报修人确认", day(r.confirmed_on)),
        ];
        for (k, v) in rows {
            t.row([k.to_string(), v]);
        }
        if !r.cancel_reason.is_empty() {
            t.row(["撤销原因".to_string(), typeset(&r.cancel_reason)]);
        }
        flow.table(&t)?;
        if r.scrap_suggested {
            flow.advance(3.0);
            let body = TextStyle::new(10.5).line_height(1.55);
            flow.paragraph(&typeset("维修费用超过原值的规定比例，建议办理报废（报废须另行申请、审批）。"), &body);
        }
        flow.advance(12.0);
        let sign = TextStyle::new(10.5).line_height(2.0);
        flow.line(
            "维修人签字：＿＿＿＿＿＿＿＿　　报修人签字：＿＿＿＿＿＿＿＿　　资产管理员：＿＿＿＿＿＿＿＿",
            &sign,
        );
    }
    doc.render()
}

/// Writes the slip to `path`, whole or not at all.
pub fn write_slip(r: &Repair, school: &str, path: &Path) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &slip(r, school)?)
}

/// The monthly list as PDF bytes (A4 landscape).
pub fn month(list: &MonthList) -> Result<Vec<u8>> {
    let title = format!("{}{}维修登记表", list.school, list.label);
    let mut doc = Document::new(&title)?;
    {
        let mut flow = Flow::new(&mut doc, Sheet::A4Landscape, MARGINS);
        flow.start();
        flow.set_continuation(Some(format!("{title}（续）")));
        flow.line(&title, &TextStyle::new(16.0).bold().align(Align::Center).line_height(1.5));
        flow.advance(2.0);
        let mut t = Table::new(vec![
            Column::new("编号", 12.0).center(),
            Column::new("报修日期", 22.0).center(),
            Column::new("地点", 24.0),
            Column::new("资产", 40.0),
            Column::new("工种", 12.0).center(),
            Column::new("故障描述", 62.0),
            Column::new("维修人", 18.0),
            Column::new("完工日期", 22.0).center(),
            Column::new("费用（元）", 24.0).right(),
            Column::new("状态", 16.0).center(),
        ]);
        t.style = TextStyle::new(9.0).line_height(1.3);
        t.min_row_height = 8.0;
        t.padding_y = 1.2;
        for r in &list.repairs {
            let urgent = if r.urgent { "【急】" } else { "" };
            let cost = if r.status.is_closed() { r.cost.to_grouped_string() } else { String::new() };
            let status = if r.overdue { format!("{}（超期）", r.status_label) } else { r.status_label.clone() };
            t.row([
                r.id.to_string(),
                r.reported_on.to_string(),
                r.room.clone(),
                asset_text(r),
                r.trade_label.clone(),
                typeset(&format!("{urgent}{}", r.description)),
                r.assignee.clone(),
                r.done_on.map(|d| d.to_string()).unwrap_or_default(),
                cost,
                status,
            ]);
        }
        if list.repairs.is_empty() {
            t.row(["", "", "", "", "", "本月没有报修", "", "", "", ""]);
        }
        flow.table(&t)?;
        flow.advance(5.0);
        flow.line("本月维修费用按地点汇总", &TextStyle::new(11.0).bold().line_height(1.6));
        let mut rooms = Table::new(vec![
            Column::new("地点", 40.0),
            Column::new("完工件数", 24.0).right(),
            Column::new("费用（元）", 32.0).right(),
        ]);
        rooms.style = TextStyle::new(9.5).line_height(1.3);
        rooms.min_row_height = 8.0;
        for r in &list.costs.rooms {
            rooms.row([r.room.clone(), r.count.to_string(), r.cost.to_grouped_string()]);
        }
        rooms.total_row(["合计".to_string(), list.costs.count.to_string(), list.costs.cost.to_grouped_string()]);
        flow.table(&rooms)?;
        flow.advance(3.0);
        flow.line(&format!("月末未完成：{} 件", list.open), &TextStyle::new(10.0).line_height(1.6));
    }
    doc.render()
}

/// Writes the monthly list to `path`, whole or not at all.
pub fn write_month(list: &MonthList, path: &Path) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &month(list)?)
}
