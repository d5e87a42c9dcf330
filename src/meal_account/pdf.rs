//! The printed 伙食费收支公示: A4 landscape, one page for a usual month —
//! income (child-days, daily rate, charges, refunds to children), spending per
//! category (opening stock, purchases, closing stock, issued, staff part,
//! children's cost), the month's and the term's balance and percentage with
//! their bases (red, bold and marked 【超出±2%】 when outside the limit), staff
//! meals apart, the numbered explanation, and signature lines for the bursar,
//! the head and the meal committee (膳食委员会).
//!
//! Printed Chinese takes full-width punctuation (`：，；（）`): the fixed
//! labels are written so, and the computed lines (explanations, rates, bases),
//! worded in ASCII punctuation for terminals and spreadsheets, go through
//! [`typeset`] as the notices' do.

use std::path::Path;

use super::sheet::{short_unrefunded_label, MealSheet, Ratio};
use super::store::StockLine;
use crate::notices::typeset;
use crate::pdf::{Align, Column, Document, Flow, Margins, Page, Sheet, Stroke, Table, TextStyle};
use crate::{Fen, Result};

/// The red of out-of-limit values.
const RED: [f32; 3] = [0.80, 0.0, 0.0];

fn money(f: Fen) -> String {
    f.to_grouped_string()
}

fn opt(f: Option<Fen>) -> String {
    f.map(money).unwrap_or_else(|| "未盘点".into())
}

/// The title printed on the sheet: 阳光幼儿园2026年10月伙食费收支公示.
pub fn title(sheet: &MealSheet) -> String {
    format!("{}{}伙食费收支公示", sheet.school, sheet.month.label())
}

/// The sheet as PDF bytes.
pub fn render(sheet: &MealSheet) -> Result<Vec<u8>> {
    let mut doc = Document::new(&title(sheet))?;
    {
        let mut flow =
            Flow::new(&mut doc, Sheet::A4Landscape, Margins { top: 11.0, right: 12.0, bottom: 11.0, left: 12.0 });
        draw(&mut flow, sheet)?;
    }
    doc.render()
}

/// Writes the sheet to `path` as PDF.
pub fn write(sheet: &MealSheet, path: &Path) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &render(sheet)?)
}

fn section(flow: &mut Flow<'_>, text: &str) {
    flow.ensure(12.0);
    flow.line(text, &TextStyle::new(10.5).bold().line_height(1.5));
}

fn draw(flow: &mut Flow<'_>, s: &MealSheet) -> Result<()> {
    let r = flow.start();
    flow.set_continuation(Some(format!("{}（续）", title(s))));
    flow.line(&title(s), &TextStyle::new(17.0).bold().align(Align::Center).line_height(1.35));
    // The sheet is posted for parents: the bursar's reminders (publish by,
    // the settlement's revision) stay on the screen. Only a preview says so,
    // since its income may still change.
    let small = TextStyle::new(8.5).gray(0.3);
    let preview = if s.settlement_closed { "" } else { "月结尚未确认，收入为按当前考勤的预览；" };
    let y = flow.y();
    flow.page().text(r.x, y, &format!("{preview}盈亏率上限 {}（超出以红色标出）", s.limit_text), &small);
    if let Some(p) = &s.publication {
        let published = format!("公示日期：{}", crate::dates::on_paper(p.published_on));
        flow.page().text(r.right(), y, &published, &small.align(Align::Right));
    }
    flow.advance(small.line_mm() + 1.0);
    if let Some(why) = &s.stale {
        // A published sheet whose settlement changed since: say so on paper too.
        let note = TextStyle::new(9.0).bold();
        let fonts = flow.fonts().clone();
        for line in fonts.wrap(&typeset(&format!("注意：{why}。")), note.size, r.width) {
            let y = flow.y();
            flow.page().text_rgb(r.x, y, &line, &note, RED);
            flow.advance(note.line_mm());
        }
        flow.advance(1.0);
    }

    // 一、收入, and on the title's line, right-aligned, 短期缺勤未退: its own
    // statement, not a column of the income (the amount is inside 应收 and
    // 收入 already). Beside the title rather than under the table, so a month
    // with a long explanation still fits one sheet.
    section(flow, "一、伙食费收入");
    if let Some(short) = &s.short_unrefunded {
        let note = typeset(&format!(
            "其中{}：{} 天，{} 元（照常收费、按规定不退，已含在应收{}和本月伙食费收入中）",
            short_unrefunded_label(short, &s.fee_name),
            short.days,
            money(short.amount),
            s.fee_name
        ));
        // On the title's baseline: the title's line box is 1.5 × 10.5 pt with the
        // leading split above and below; the note has no leading.
        let title_mm = 10.5 * crate::pdf::PT_TO_MM;
        let note_mm = 9.5 * crate::pdf::PT_TO_MM;
        let title_top = flow.y() - 1.5 * title_mm;
        let y = title_top + 0.25 * title_mm + 0.86 * (title_mm - note_mm);
        flow.page().text(r.right(), y, &note, &TextStyle::new(9.5).line_height(1.0).align(Align::Right));
    }
    let mut cols = vec![
        Column::new("儿童人日数", 30.0).right(),
        Column::new("用膳标准", 44.0).center(),
        Column::new("在园天数", 24.0).right(),
        Column::new(format!("应收{}（元）", s.fee_name), 40.0).right(),
        Column::new("幼儿退款（元）", 36.0).right(),
    ];
    let mut row = vec![
        s.child_days.to_string(),
        typeset(&s.rate_text),
        s.school_days.to_string(),
        money(s.charged),
        money(s.refund),
    ];
    if s.adjustments != Fen::ZERO {
        cols.push(Column::new("以前月份更正（元）", 40.0).right());
        let label = if s.adjustments.is_negative() { "补收" } else { "补退" };
        row.push(format!("{label} {}", money(s.adjustments.abs())));
    }
    cols.push(Column::new("本月伙食费收入（元）", 45.0).right());
    row.push(money(s.income));
    if s.subsidy != Fen::ZERO {
        // Its own income line: a subsidy pays part of the charge, it is not a refund.
        cols.push(Column::new("其中政府资助（元）", 40.0).right());
        row.push(money(s.subsidy));
    }
    let mut income = Table::new(cols);
    income.style = TextStyle::new(10.0).line_height(1.25);
    income.min_row_height = 7.0;
    income.total_row(row);
    flow.table(&income)?;
    flow.advance(2.0);

    // 二、支出 (left) beside 三、结余 and 四、教工伙食 (right).
    section(flow, "二、幼儿伙食支出（按出库计：上月底库存 + 本月购入 − 本月底库存）");
    let left_w = r.width * 0.63;
    let right_x = r.x + left_w + 5.0;
    let right_w = r.right() - right_x;
    let top = flow.y();
    let page_index = flow.region().page;
    let w = left_w / 7.0;
    let mut spend = Table::new(vec![
        Column::new("类别", w * 0.85),
        Column::new("上月底库存", w).right(),
        Column::new("本月购入", w).right(),
        Column::new("本月底库存", w).right(),
        Column::new("本月出库", w).right(),
        Column::new("其中教工伙食", w * 1.1).right(),
        Column::new("幼儿伙食支出", w * 1.05).right(),
    ]);
    spend.style = TextStyle::new(9.5).line_height(1.2);
    spend.min_row_height = 6.0;
    spend.padding_y = 0.9;
    let cells = |l: &StockLine| {
        vec![
            l.category.clone(),
            money(l.opening),
            money(l.purchases),
            opt(l.closing),
            opt(l.issued),
            money(l.staff),
            opt(l.children),
        ]
    };
    for l in &s.categories {
        spend.row(cells(l));
    }
    spend.total_row(cells(&StockLine { category: "合计".into(), ..s.total.clone() }));
    flow.table(&spend)?;
    let left_bottom = flow.y();

    let right_bottom = match flow.page_at(page_index) {
        Some(page) => draw_balances(page, s, right_x, top, right_w),
        None => top,
    };
    if flow.region().page == page_index && right_bottom > left_bottom {
        flow.advance(right_bottom - left_bottom);
    }
    flow.advance(3.0);

    // 说明
    let explain = TextStyle::new(9.0).line_height(1.4);
    flow.ensure(explain.line_mm() * 2.0 + 6.0);
    flow.line("说明：", &TextStyle::new(9.0).bold());
    let fonts = flow.fonts().clone();
    let indent = fonts.text_width("10. ", explain.size);
    for (i, text) in s.explanation.iter().enumerate() {
        let lines = fonts.wrap(&typeset(text), explain.size, r.width - indent);
        flow.ensure(lines.len() as f32 * explain.line_mm());
        for (j, line) in lines.iter().enumerate() {
            let rr = flow.ensure(explain.line_mm());
            let y = flow.y();
            let page = flow.page();
            if j == 0 {
                page.text(rr.x + indent - 1.0, y, &format!("{}.", i + 1), &explain.align(Align::Right));
            }
            page.text(rr.x + indent, y, line, &explain);
            flow.advance(explain.line_mm());
        }
    }
    flow.advance(5.0);

    // Signatures, kept together on one line.
    let sign = TextStyle::new(10.0);
    let rr = flow.ensure(sign.line_mm() + 2.0);
    let y = flow.y();
    let base = y + sign.line_mm();
    let page = flow.page();
    let underline = Stroke::new(0.4);
    let bursar = format!("会计：{}", s.bursar);
    let head = format!("园长：{}", s.head);
    let slots =
        [(bursar.as_str(), 0.22), (head.as_str(), 0.22), ("膳食委员会（家长代表）：", 0.32), ("公示日期：", 0.24)];
    let mut x = rr.x;
    for (label, share) in slots {
        let w = rr.width * share;
        let tw = page.text(x, y, label, &sign);
        page.line(x + tw + 1.0, base, (x + w - 6.0).max(x + tw + 8.0), base, &underline);
        x += w;
    }
    flow.advance(sign.line_mm() + 2.0);
    if !s.complaint_phone.trim().is_empty() {
        // At the foot of the last page, in the bottom margin (still 5 mm from
        // the edge), so a usual month stays on one page.
        let style = TextStyle::new(10.0).bold();
        let x = flow.region().x;
        let page = flow.page();
        let y = page.height() - crate::pdf::MIN_EDGE_MM - style.line_mm() - 0.5;
        page.text(x, y, &format!("监督电话：{}", s.complaint_phone.trim()), &style);
    }
    flow.set_continuation(None);
    Ok(())
}

/// 三、结余与盈亏率 (four boxes) and 四、教工伙食, drawn at (`x`, `top`) in a
/// column `width` mm wide. Returns the bottom edge.
fn draw_balances(page: &mut Page, s: &MealSheet, x: f32, top: f32, width: f32) -> f32 {
    let head = TextStyle::new(10.5).bold();
    page.text(x, top - head.line_mm() - 0.5, "三、结余与盈亏率", &head);
    let gap = 2.5;
    let bw = (width - gap) / 2.0;
    let bh = 25.0;
    let term_months = match (s.term.months.first(), s.term.months.last()) {
        (Some(a), Some(b)) if a.month != b.month => format!("{}月至{}月", a.month.month(), b.month.month()),
        (Some(a), _) => format!("{}月", a.month.month()),
        _ => "无".into(),
    };
    let plain = |v: Option<Fen>| v.map(|f| format!("{} 元", money(f))).unwrap_or_else(|| "—".into());
    box_value(page, x, top, bw, bh, "本月结余", &plain(s.balance), "本月收入 − 幼儿伙食支出", None, &s.limit_text);
    box_value(
        page,
        x + bw + gap,
        top,
        bw,
        bh,
        "本月盈亏率",
        &s.month_ratio.text,
        "本月结余 ÷ 本月伙食费收入",
        Some(&s.month_ratio),
        &s.limit_text,
    );
    let y2 = top + bh + gap;
    box_value(
        page,
        x,
        y2,
        bw,
        bh,
        "学期累计结余",
        &format!("{} 元", money(s.term.balance)),
        &format!("{} 起，计入 {}", s.term.from.label(), term_months),
        None,
        &s.limit_text,
    );
    box_value(
        page,
        x + bw + gap,
        y2,
        bw,
        bh,
        "学期累计盈亏率",
        &s.term.ratio.text,
        "累计结余 ÷ 学期伙食费收入",
        Some(&s.term.ratio),
        &s.limit_text,
    );

    // 四、教工伙食: a small ruled grid.
    let y3 = y2 + bh + 6.0;
    page.text(x, y3, "四、教工伙食（单独核算，不计入幼儿伙食）", &head);
    let grid_top = y3 + head.line_mm() + 1.0;
    let labels = ["用餐人次", "收入（元）", "支出（元）", "结余（元）"];
    let values = if s.staff.recorded {
        [s.staff.meals.to_string(), money(s.staff.income), money(s.staff.cost), money(s.staff.balance)]
    } else {
        ["—".to_string(), "—".into(), "—".into(), "—".into()]
    };
    let cw = width / 4.0;
    let rh = 6.5;
    let cell = TextStyle::new(9.0);
    for (i, (label, value)) in labels.iter().zip(values.iter()).enumerate() {
        let cx = x + cw * i as f32;
        page.rect(cx, grid_top, cw, rh, Some(&Stroke::thin()), Some(0.88));
        page.rect(cx, grid_top + rh, cw, rh, Some(&Stroke::thin()), None);
        page.text(cx + cw / 2.0, grid_top + 1.2, label, &cell.bold().align(Align::Center));
        page.text(cx + cw - 1.5, grid_top + rh + 1.2, value, &cell.align(Align::Right));
    }
    grid_top + 2.0 * rh
}

/// One key figure in a ruled box: label, value (red and marked when outside
/// the limit), and the base it was computed on.
#[allow(clippy::too_many_arguments)]
fn box_value(
    page: &mut Page,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    label: &str,
    value: &str,
    base: &str,
    ratio: Option<&Ratio>,
    limit_text: &str,
) {
    page.rect(x, y, w, h, Some(&Stroke::thin()), None);
    page.text(x + 2.0, y + 1.5, label, &TextStyle::new(8.5).gray(0.3));
    let outside = ratio.is_some_and(|r| r.outside);
    let big = TextStyle::new(14.0).bold();
    if outside {
        let vw = page.text_rgb(x + 2.0, y + 6.0, value, &big, RED);
        page.text_rgb(x + 3.5 + vw, y + 8.0, &format!("【超出{limit_text}】"), &TextStyle::new(9.0).bold(), RED);
    } else {
        page.text(x + 2.0, y + 6.0, value, &big);
    }
    let small = TextStyle::new(7.5).gray(0.3).line_height(1.25);
    page.text_box(x + 2.0, y + h - 2.0 - small.line_mm(), w - 4.0, &typeset(base), &small);
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_fixed_label_prints() {
        let labels = [
            "伙食费收支公示",
            "一、伙食费收入",
            "二、幼儿伙食支出（按出库计：上月底库存 + 本月购入 − 本月底库存）",
            "【超出±2%】",
            "本月结余 ÷ 本月伙食费收入",
            "膳食委员会（家长代表）：",
            "四、教工伙食（单独核算，不计入幼儿伙食）",
            "补退 补收 — 未盘点",
        ];
        assert!(crate::pdf::missing_glyphs(&labels).is_empty(), "{:?}", crate::pdf::missing_glyphs(&labels));
    }
}
