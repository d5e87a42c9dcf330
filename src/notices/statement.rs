//! The refund statement (退费明细表) of a month for the bursar and the head:
//! one A4 landscape page (or more) per class — per child the school days,
//! days absent, closure days, days attended, each fee item's charge and refund,
//! the corrections carried (补退/补收) and the total refunded — with class
//! totals and signature lines; then the school summary (全园退费汇总表).
//!
//! A closed month prints as confirmed (第 N 版); an open month can be printed
//! to check before closing, and every page then says 未结账,仅供核对.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::Code;
use crate::store::Conn;
use serde::Serialize;

use crate::dates::YearMonth;
use crate::pdf::{Align, Column, Document, Flow, Margins, Sheet, Table, TextStyle};
use crate::school::ChildId;
use crate::settlement::{self, SettlementStatus, SettlementView};
use crate::{Error, Fen, Result};

/// What a statement print wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatementSummary {
    /// The PDF written.
    pub path: PathBuf,
    /// The month.
    pub month: YearMonth,
    /// Whether the month was closed (confirmed) when printed.
    pub closed: bool,
    /// Classes printed.
    pub classes: usize,
    /// Children listed.
    pub children: usize,
    /// Pages in the PDF.
    pub pages: usize,
    /// School total refunded in the month (fee refunds).
    pub refund: Fen,
    /// Net corrections carried (> 0: owed to families).
    pub adjustments: Fen,
    /// School total of waivers and subsidies (减免、资助).
    pub waiver: Fen,
}

/// One class's figures on the summary page.
struct ClassSum {
    class: String,
    children: usize,
    /// Child-days: in school (在校日), absent, closed, attended (出勤人天).
    school_days: u32,
    absent_days: u32,
    closure_days: u32,
    attended_days: u32,
    charged: Vec<Fen>,
    refund: Vec<Fen>,
    /// 减免、资助 (shown only in a month that has any).
    waiver: Fen,
    adjust: Fen,
}

/// Writes the statement of `month` to `path`.
pub fn write(conn: &Conn, month: YearMonth, path: &Path) -> Result<StatementSummary> {
    let (bytes, mut summary) = render(conn, month)?;
    crate::output_file::write_bytes_atomic(path, &bytes)?;
    summary.path = path.to_path_buf();
    Ok(summary)
}

/// The statement as PDF bytes, with what it holds.
pub fn render(conn: &Conn, month: YearMonth) -> Result<(Vec<u8>, StatementSummary)> {
    let view = settlement::preview(conn, month)?;
    let school = crate::school::profile::get(conn)?.ok_or_else(|| {
        Error::refused(
            Code::SchoolProfileMissing,
            "还没有填写学校信息(学校名称、会计、园长),请先在“设置 → 学校信息”中填写",
        )
    })?;
    if view.result.children.is_empty() {
        return Err(Error::invalid(format!("{} 没有在园幼儿,没有退费明细", month.label())));
    }
    let teachers: HashMap<String, String> =
        crate::school::classes::list(conn)?.into_iter().map(|c| (c.name, c.head_teacher)).collect();
    let closed = view.status == SettlementStatus::Closed;
    let printed_on = format!("打印日期：{}", crate::dates::on_paper(crate::dates::today()));
    let status = if closed {
        format!("已结账（第 {} 版）", view.revision.unwrap_or(1))
    } else {
        "未结账，仅供核对".to_string()
    };
    let mut adjust: HashMap<ChildId, Fen> = HashMap::new();
    for a in &view.adjustments {
        *adjust.entry(a.child_id).or_default() += a.amount;
    }
    // Every child's 学号 at once, not one query per child.
    let student_nos: HashMap<ChildId, String> = crate::school::children::list(
        conn,
        &crate::school::children::ChildFilter { include_left: true, on: Some(month.last_day()), ..Default::default() },
    )?
    .into_iter()
    .map(|c| (c.id, c.student_no))
    .collect();

    let mut doc = Document::new(&format!("{} {}退费明细表", school.name, month.label()))?;
    let margins = Margins { top: 12.0, right: 12.0, bottom: 14.0, left: 12.0 };
    let mut sums = Vec::new();
    let waivers = has_waivers(&view);
    {
        let mut flow = Flow::new(&mut doc, Sheet::A4Landscape, margins);
        for class in &view.result.classes {
            let kids: Vec<_> = view.result.children.iter().filter(|c| c.class == class.class).collect();
            flow.new_page();
            heading(&mut flow, &school.name, &format!("{}退费明细表", month.label()), &status, &printed_on);
            let info = format!(
                "班级：{}    当月法定工作日 {} 天，在校日 {} 天{}    人数：{}",
                class.class,
                view.result.legal_working_days,
                view.result.school_days,
                if view.result.charged_closure_days > 0 {
                    format!("（其中停课 {} 天）", view.result.charged_closure_days)
                } else {
                    String::new()
                },
                kids.len()
            );
            flow.paragraph(&info, &TextStyle::new(10.0));
            flow.advance(1.5);
            flow.set_continuation(Some(format!("{} {} {}退费明细表（续）", school.name, class.class, month.label())));
            let mut table = Table::new(columns(&view, true));
            table.style = TextStyle::new(9.0).line_height(1.25);
            table.min_row_height = 6.0;
            let mut sum = ClassSum {
                class: class.class.clone(),
                children: kids.len(),
                school_days: 0,
                absent_days: 0,
                closure_days: 0,
                attended_days: 0,
                charged: vec![Fen::ZERO; view.fees.len()],
                refund: vec![Fen::ZERO; view.fees.len()],
                waiver: Fen::ZERO,
                adjust: Fen::ZERO,
            };
            for (i, ch) in kids.iter().enumerate() {
                let id = ch.child_id.parse::<i64>().map(ChildId).unwrap_or(ChildId(-1));
                let student_no = student_nos.get(&id).cloned().unwrap_or_default();
                let adj = adjust.get(&id).copied().unwrap_or_default();
                let mut cells = vec![
                    (i + 1).to_string(),
                    student_no,
                    ch.name.clone(),
                    ch.enrolled_school_days.to_string(),
                    ch.absent_school_days.to_string(),
                    ch.closure_days.to_string(),
                    ch.attended_days.to_string(),
                ];
                for (k, fee) in view.fees.iter().enumerate() {
                    let f = ch.fees.iter().find(|f| f.fee_id == fee.id);
                    let (c, r) = f.map(|f| (f.charged, f.refund)).unwrap_or_default();
                    sum.charged[k] += c;
                    sum.refund[k] += r;
                    cells.push(c.to_grouped_string());
                    cells.push(money_or_dash(r));
                }
                sum.school_days += ch.enrolled_school_days;
                sum.absent_days += ch.absent_school_days;
                sum.closure_days += ch.closure_days;
                sum.attended_days += ch.attended_days;
                sum.adjust += adj;
                sum.waiver += ch.waiver;
                if waivers {
                    cells.push(money_or_dash(ch.waiver));
                }
                cells.push(signed_or_dash(adj));
                cells.push(money_or_dash(ch.refund + adj));
                table.row(cells);
            }
            let mut total = vec![String::new(), String::new(), "合计".into()];
            total.extend(day_totals(&sum));
            for k in 0..view.fees.len() {
                total.push(sum.charged[k].to_grouped_string());
                total.push(money_or_dash(sum.refund[k]));
            }
            if waivers {
                total.push(money_or_dash(sum.waiver));
            }
            total.push(signed_or_dash(sum.adjust));
            total.push(money_or_dash(sum.refund.iter().copied().sum::<Fen>() + sum.adjust));
            table.total_row(total);
            flow.table(&table)?;
            flow.set_continuation(None);
            notes(&mut flow, waivers);
            let teacher = teachers.get(&class.class).cloned().unwrap_or_default();
            signature_row(
                &mut flow,
                &[
                    ("制表（会计）", school.bursar_name.as_str()),
                    ("班主任", teacher.as_str()),
                    ("园长", school.head_name.as_str()),
                ],
            );
            sums.push(sum);
        }
        let names = (school.bursar_name.as_str(), school.head_name.as_str());
        summary_page(&mut flow, &view, (&school.name, &status, &printed_on), &sums, names)?;
    }
    doc.number_pages(6.0, &TextStyle::new(8.0).gray(0.35), |i, n| format!("第 {i} 页 / 共 {n} 页"));
    let pages = doc.page_count();
    let bytes = doc.render()?;
    Ok((
        bytes,
        StatementSummary {
            path: PathBuf::new(),
            month,
            closed,
            classes: sums.len(),
            children: view.result.children.len(),
            pages,
            refund: view.result.refund,
            adjustments: view.adjustment_total,
            waiver: view.result.waiver,
        },
    ))
}

/// The title, with the settlement's status at the right and the print date at the left.
fn heading(flow: &mut Flow<'_>, school: &str, title: &str, status: &str, printed_on: &str) {
    let r = flow.region();
    let y = flow.y();
    flow.page().text(r.right(), y, status, &TextStyle::new(9.0).bold().align(Align::Right));
    flow.page().text(r.x, y, printed_on, &TextStyle::new(9.0));
    flow.paragraph(&format!("{school}{title}"), &TextStyle::new(16.0).bold().align(Align::Center));
    flow.advance(2.0);
}

/// The columns: who, days, then charge and refund per fee item, corrections and total.
///
/// Headers that do not fit one line are given as two lines broken between
/// words (`缺勤` / `天数`, `伙食费` / `退费`, `补退（+）` / `补收（-）`), so the
/// table never breaks a word off a single character, whatever a fee is called.
fn columns(view: &SettlementView, per_child: bool) -> Vec<Column> {
    let mut cols = if per_child {
        vec![
            Column::new("序号", 10.0).center(),
            Column::new("学号", 20.0).center(),
            Column::new("姓名", 24.0),
            Column::new("在校日", 13.0).right(),
            Column::new("缺勤\n天数", 12.0).right(),
            Column::new("停课\n天数", 12.0).right(),
            Column::new("出勤\n天数", 12.0).right(),
        ]
    } else {
        vec![
            Column::new("班级", 28.0),
            Column::new("人数", 12.0).right(),
            Column::new("在校\n人天", 14.0).right(),
            Column::new("缺勤\n人天", 14.0).right(),
            Column::new("停课\n人天", 14.0).right(),
            Column::new("出勤\n人天", 14.0).right(),
        ]
    };
    for fee in &view.fees {
        cols.push(Column::new(format!("{}\n应收", fee.name), 22.0).right());
        cols.push(Column::new(format!("{}\n退费", fee.name), 22.0).right());
    }
    if has_waivers(view) {
        cols.push(Column::new("减免", 20.0).right());
    }
    cols.push(Column::new("补退（+）\n补收（-）", 24.0).right());
    cols.push(Column::new("退费合计", 20.0).right());
    cols
}

/// Whether the month has waivers (减免、资助): only then the 减免 column.
fn has_waivers(view: &SettlementView) -> bool {
    view.result.waiver > Fen::ZERO
}

/// An amount, or `—` for nothing (refund columns and totals, on class pages
/// and the summary alike, so a zero reads the same everywhere).
fn money_or_dash(f: Fen) -> String {
    if f == Fen::ZERO {
        "—".into()
    } else {
        f.to_grouped_string()
    }
}

fn signed_or_dash(f: Fen) -> String {
    if f == Fen::ZERO {
        "—".into()
    } else if f.is_negative() {
        format!("-{}", f.abs().to_grouped_string())
    } else {
        format!("+{}", f.to_grouped_string())
    }
}

fn notes(flow: &mut Flow<'_>, waivers: bool) {
    flow.advance(1.5);
    let waiver_note = if waivers {
        "减免为减免、资助金额，不计入退费合计，在通知单上另列抵扣；"
    } else {
        ""
    };
    flow.paragraph(
        &format!("注：缺勤天数为请假的在校日；停课天数为计费停课日；出勤天数之和（出勤人天）即伙食费公示的儿童人日数；补退（+）为更正以前月份应退给家长的金额，\
         补收（-）为应向家长补收的金额；退费合计 = 各项退费 + 补退 - 补收；{waiver_note}每名幼儿的计算过程见缴费通知单的说明。"),
        &TextStyle::new(8.0).gray(0.25),
    );
    flow.advance(4.0);
}

/// Role: name ______ for each signer, spread over the width.
fn signature_row(flow: &mut Flow<'_>, who: &[(&str, &str)]) {
    let style = TextStyle::new(10.5);
    let r = flow.ensure(style.line_mm() + 2.0);
    let y = flow.y();
    let slot = r.width / who.len().max(1) as f32;
    let page = flow.page();
    for (i, (role, name)) in who.iter().enumerate() {
        let x = r.x + slot * i as f32;
        let w = page.text(x, y, &format!("{role}：{name}"), &style);
        let base = y + style.line_mm();
        page.line(x + w + 1.0, base, (x + slot - 8.0).max(x + w + 10.0), base, &crate::pdf::Stroke::new(0.4));
    }
    flow.advance(style.line_mm() + 2.0);
}

/// The day columns of a total row: 在校日, 缺勤, 停课 and 出勤, in child-days.
fn day_totals(s: &ClassSum) -> [String; 4] {
    [s.school_days, s.absent_days, s.closure_days, s.attended_days].map(|d| d.to_string())
}

/// The school summary: one row per class, the school's totals, the corrections.
/// `title` is (school, status, print date); `names` (bursar, head).
fn summary_page(
    flow: &mut Flow<'_>,
    view: &SettlementView,
    (school, status, printed_on): (&str, &str, &str),
    sums: &[ClassSum],
    (bursar, head): (&str, &str),
) -> Result<()> {
    flow.new_page();
    heading(flow, school, &format!("{}全园退费汇总表", view.month.label()), status, printed_on);
    let r = &view.result;
    flow.paragraph(
        &format!(
            "当月法定工作日 {} 天，在校日 {} 天；全园 {} 个班，{} 名幼儿。",
            r.legal_working_days,
            r.school_days,
            sums.len(),
            r.children.len()
        ),
        &TextStyle::new(10.0),
    );
    flow.advance(1.5);
    let mut table = Table::new(columns(view, false));
    table.style = TextStyle::new(10.0).line_height(1.25);
    for s in sums {
        let mut cells = vec![s.class.clone(), s.children.to_string()];
        cells.extend(day_totals(s));
        for k in 0..view.fees.len() {
            cells.push(s.charged[k].to_grouped_string());
            cells.push(money_or_dash(s.refund[k]));
        }
        if has_waivers(view) {
            cells.push(money_or_dash(s.waiver));
        }
        cells.push(signed_or_dash(s.adjust));
        cells.push(money_or_dash(s.refund.iter().copied().sum::<Fen>() + s.adjust));
        table.row(cells);
    }
    let days = |f: fn(&ClassSum) -> u32| sums.iter().map(f).sum::<u32>().to_string();
    let mut total = vec![
        "全园合计".to_string(),
        sums.iter().map(|s| s.children).sum::<usize>().to_string(),
        days(|s| s.school_days),
        days(|s| s.absent_days),
        days(|s| s.closure_days),
        days(|s| s.attended_days),
    ];
    for k in 0..view.fees.len() {
        total.push(sums.iter().map(|s| s.charged[k]).sum::<Fen>().to_grouped_string());
        total.push(money_or_dash(sums.iter().map(|s| s.refund[k]).sum::<Fen>()));
    }
    let adjust: Fen = sums.iter().map(|s| s.adjust).sum();
    if has_waivers(view) {
        total.push(money_or_dash(r.waiver));
    }
    total.push(signed_or_dash(adjust));
    total.push(money_or_dash(r.refund + adjust));
    table.total_row(total);
    flow.table(&table)?;
    flow.advance(2.0);
    let all = r.refund + adjust;
    flow.paragraph(
        &format!(
            "全园本月退费合计：¥{}    人民币（大写）：{}{}",
            all.abs().to_grouped_string(),
            if all.is_negative() { "应补收 " } else { "" },
            all.abs().to_capital()
        ),
        &TextStyle::new(11.0).bold(),
    );
    if has_waivers(view) {
        flow.paragraph(
            &format!(
                "全园本月减免、资助合计：¥{}    人民币（大写）：{}",
                r.waiver.to_grouped_string(),
                r.waiver.to_capital()
            ),
            &TextStyle::new(11.0).bold(),
        );
    }
    if !view.adjustments.is_empty() {
        flow.advance(1.5);
        flow.line("以前月份更正（补退/补收）：", &TextStyle::new(9.5).bold());
        for a in &view.adjustments {
            flow.paragraph_indented(
                &super::typeset(&format!(
                    "{} {} {} {} 元:{}",
                    a.class,
                    a.child_name,
                    a.label,
                    a.amount.abs().to_grouped_string(),
                    a.explanation
                )),
                4.0,
                &TextStyle::new(9.0),
            );
        }
    }
    notes(flow, has_waivers(view));
    signature_row(flow, &[("制表（会计）", bursar), ("审核", ""), ("园长", head)]);
    Ok(())
}
