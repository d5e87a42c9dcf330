//! Drawing notices with the PDF foundation: one notice per A4 page, or two A5
//! per A4 sheet with a cut line.
//!
//! A notice is first laid out in a scratch document to see whether it fits its
//! page. If it does not, the money part (table, total in capital numerals,
//! payment, signatures) stays together on the first page and the explanation
//! moves to a continuation page headed with the child, the month and the
//! notice number — nothing is ever cut off or shrunk below the body size.

use super::{typeset, Notice, NoticeBatch};
use crate::pdf::{Align, Column, Document, Flow, Fonts, Margins, Region, Sheet, Stroke, Table, TextStyle};
use crate::Result;

/// Where the explanation goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Explain {
    /// Under the total, on the notice's own page.
    Inline,
    /// On a continuation page after the signatures.
    Deferred,
}

/// Margins that suit a notice on `sheet`.
fn margins(sheet: Sheet) -> Margins {
    match sheet {
        Sheet::TwoA5OnA4 | Sheet::A5Landscape | Sheet::A5Portrait => {
            Margins { top: 9.0, right: 12.0, bottom: 7.0, left: 12.0 }
        }
        _ => Margins { top: 16.0, right: 18.0, bottom: 16.0, left: 18.0 },
    }
}

/// The batch as a PDF, in the layout of its settings.
pub fn render_pdf(batch: &NoticeBatch) -> Result<Vec<u8>> {
    render(batch, &mut |_| {}).map(|(bytes, _)| bytes)
}

/// The PDF and its page count; `progress(done)` after each notice.
pub(crate) fn render(batch: &NoticeBatch, progress: &mut dyn FnMut(usize)) -> Result<(Vec<u8>, usize)> {
    let sheet = batch.settings.layout.sheet();
    let title = format!("{} {}缴费通知单", batch.school.name, batch.billing_month.label());
    let mut doc = Document::new(&title)?;
    let fonts = doc.fonts().clone();
    {
        let mut flow = Flow::new(&mut doc, sheet, margins(sheet));
        for (i, notice) in batch.notices.iter().enumerate() {
            let mode = if fits(batch, notice, sheet, &fonts) { Explain::Inline } else { Explain::Deferred };
            draw(&mut flow, batch, notice, mode)?;
            if i % 10 == 9 || i + 1 == batch.notices.len() {
                progress(i + 1);
            }
        }
    }
    let pages = doc.page_count();
    Ok((doc.render()?, pages))
}

/// Whether the notice with its explanation inline fits one region of `sheet`.
fn fits(batch: &NoticeBatch, notice: &Notice, sheet: Sheet, fonts: &Fonts) -> bool {
    let mut scratch = Document::with_fonts("", fonts.clone());
    let mut flow = Flow::new(&mut scratch, sheet, margins(sheet));
    let start = flow.start();
    if draw(&mut flow, batch, notice, Explain::Inline).is_err() {
        return false;
    }
    flow.region() == start
}

fn draw(flow: &mut Flow<'_>, batch: &NoticeBatch, n: &Notice, mode: Explain) -> Result<()> {
    let r = flow.start();
    // A5 halves get slightly smaller type than a full A4 page.
    let compact = r.height < 150.0;
    let body = TextStyle::new(if compact { 9.5 } else { 10.5 });
    let small = TextStyle::new(8.0).gray(0.3);
    let fonts = flow.fonts().clone();
    let refund = n.total.is_negative();
    let kind = if refund { "退费通知单" } else { "缴费通知单" };
    let number = n.issue.as_ref().map(|i| i.number.clone());
    // A page break inside a notice repeats who it is for and, on a reprint, 补打.
    let reprint = n
        .issue
        .as_ref()
        .filter(|i| i.print_count > 1)
        .map(|i| format!("补打（第 {} 次打印）  ", i.print_count))
        .unwrap_or_default();
    // Who and which notice, for the head of a continuation (the number is
    // added where no marks line above already shows it).
    let heading = format!("{} {} {}{}（续）", n.child, n.class, batch.billing_month.label(), kind);
    let full_heading = format!("{heading}{}", number.as_ref().map(|x| format!("  编号：{x}")).unwrap_or_default());
    // The foundation writes the continuation note on one line: keep it within the width.
    let continuation = one_line(&fonts, &format!("{reprint}{full_heading}"), r.width, 8.0, || {
        // Without the class, and the name cut to what room is left.
        let rest = format!(
            " {}{}（续）{}",
            batch.billing_month.label(),
            kind,
            number.as_ref().map(|x| format!("  编号：{x}")).unwrap_or_default()
        );
        let room = r.width - fonts.text_width(&reprint, 8.0) - fonts.text_width(&rest, 8.0) - 1.0;
        format!("{reprint}{}{rest}", ellipsis(&fonts, &n.child, room.max(8.0), 8.0))
    });
    flow.set_continuation(Some(continuation.clone()));

    // Marks and number above the title, so a long school name never collides with them.
    let mut marks = Vec::new();
    if let Some(issue) = n.issue.as_ref().filter(|i| i.print_count > 1) {
        marks.push(format!("补打（第 {} 次打印）", issue.print_count));
    }
    if let Some(old) = &n.replaces {
        marks.push(format!("更正：本单替代编号 {old}"));
    }
    marks_line(flow, &marks, number.as_deref(), &small);

    if !batch.settings.header_text.is_empty() {
        // The school's own line (motto, group name) above its name.
        let header = TextStyle::new(if compact { 9.0 } else { 10.0 }).gray(0.25).align(Align::Center);
        flow.paragraph(&typeset(&batch.settings.header_text), &header);
    }
    let title = TextStyle::new(if compact { 15.0 } else { 17.0 }).bold().align(Align::Center).line_height(1.3);
    flow.paragraph(&typeset(&format!("{}{}", batch.school.name, kind)), &title);
    flow.advance(if compact { 1.5 } else { 3.0 });

    // A child who has left is billed for no period: the box says so instead.
    let period = match n.left_on {
        Some(left) => ("已离园", left.format("%Y-%m-%d").to_string()),
        None => ("缴费期", batch.billing_month.label()),
    };
    child_block(flow, &r, n, &period, &body);

    // Money table: item, basis, amount right-aligned; total row in bold.
    let mut table = Table::new(vec![
        Column::new("项目", r.width * 0.27),
        Column::new("计算方式", r.width * 0.53),
        Column::new("金额（元）", r.width * 0.20).right(),
    ]);
    table.style = TextStyle::new(body.size).line_height(1.3);
    table.min_row_height = if compact { 5.6 } else { 7.0 };
    for row in &n.rows {
        table.row([typeset(&row.item), typeset(&row.basis), row.amount.to_grouped_string()]);
    }
    let due = if refund { "合计（应退）" } else { "合计（应缴）" };
    table.total_row([due.to_string(), String::new(), n.total.abs().to_grouped_string()]);
    flow.table(&table)?;
    flow.advance(1.5);

    // The total in figures and capital numerals: a refund prints as 应退, never negative.
    let verb = if refund { "本期应退金额" } else { "本期应缴金额" };
    let amount = n.total.abs();
    flow.paragraph(
        &format!("{verb}：¥{}    人民币（大写）：{}", amount.to_grouped_string(), amount.to_capital()),
        &TextStyle::new(body.size + 0.5).bold(),
    );
    flow.advance(1.0);

    let explain = TextStyle::new(body.size - 1.0).line_height(1.35);
    match mode {
        Explain::Inline => explanations(flow, n, &explain, &fonts),
        Explain::Deferred => {
            flow.paragraph(&format!("说明共 {} 条，见续页。", n.explanations.len()), &explain.bold());
        }
    }
    flow.advance(1.0);

    let payment = if refund {
        batch.settings.refund_text.clone()
    } else if n.total.as_i64() == 0 {
        "本期无需缴费。".to_string()
    } else {
        let deadline = batch
            .settings
            .deadline_day
            .and_then(|d| chrono::NaiveDate::from_ymd_opt(batch.billing_month.year(), batch.billing_month.month(), d));
        match deadline {
            Some(d) => format!("请于 {} 前缴清。{}", crate::dates::on_paper(d), batch.settings.payment_text),
            None => batch.settings.payment_text.clone(),
        }
    };
    let label = if refund { "退费：" } else { "缴费：" };
    flow.paragraph(&typeset(&format!("{label}{payment}")), &TextStyle::new(body.size - 0.5));
    flow.advance(if compact { 2.5 } else { 7.0 });

    signatures(flow, batch, n, &body, &fonts);
    if let Some(contact) = contact_line(&batch.school) {
        flow.paragraph(&typeset(&contact), &small);
    }
    flow.paragraph(
        &format!("本通知单依据 {} 已结账的月结（第 {} 版）开具。", batch.month.label(), batch.revision),
        &small,
    );
    if batch.settings.receipt_stub {
        receipt(flow, n, &period, number.as_deref(), &body);
    }

    if mode == Explain::Deferred {
        // The explanation on its own page (or A5 half), headed like every
        // continuation and with the same 补打/更正 marks: the half is cut off
        // and handed out, so it must say on its own that it is a reprint.
        flow.start();
        marks_line(flow, &marks, number.as_deref(), &small);
        flow.paragraph(&heading, &TextStyle::new(8.5).gray(0.3));
        flow.advance(1.0);
        flow.set_continuation(Some(continuation));
        explanations(flow, n, &explain, &fonts);
    }
    flow.set_continuation(None);
    Ok(())
}

/// The boxed marks (补打, 更正) on the left and the notice number on the
/// right, on one line at the top of a notice or of its continuation.
fn marks_line(flow: &mut Flow<'_>, marks: &[String], number: Option<&str>, small: &TextStyle) {
    let r = flow.region();
    let y = flow.y();
    let fonts = flow.fonts().clone();
    let page = flow.page();
    let mut x = r.x;
    for m in marks {
        let style = TextStyle::new(8.5).bold();
        let w = fonts.text_width(m, style.size);
        page.rect(x, y - 0.4, w + 3.0, style.line_mm() + 0.4, Some(&Stroke::new(0.6)), None);
        page.text(x + 1.5, y, m, &style);
        x += w + 6.0;
    }
    page.text(r.right(), y, &format!("编号：{}", number.unwrap_or("（打印时编号）")), &small.align(Align::Right));
    flow.advance(TextStyle::new(8.5).line_mm() + 0.5);
}

/// `text` if it fits one line of `width` mm at `size` pt, else `shorter()`.
fn one_line(fonts: &Fonts, text: &str, width: f32, size: f32, shorter: impl Fn() -> String) -> String {
    if fonts.text_width(text, size) <= width {
        text.to_string()
    } else {
        shorter()
    }
}

/// `text`, cut with `…` to at most `width` mm at `size` pt.
fn ellipsis(fonts: &Fonts, text: &str, width: f32, size: f32) -> String {
    if fonts.text_width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let next = format!("{out}{c}…");
        if fonts.text_width(&next, size) > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// 姓名 | 班级 | 学号 | 缴费期 (or 已离园 and the day): four labelled boxes;
/// a long name wraps inside its box.
fn child_block(flow: &mut Flow<'_>, r: &Region, n: &Notice, period: &(&str, String), body: &TextStyle) {
    let fields = [
        ("姓名", n.child.as_str(), 0.34),
        ("班级", n.class.as_str(), 0.20),
        ("学号", n.student_no.as_str(), 0.22),
        (period.0, period.1.as_str(), 0.24),
    ];
    let label = body.bold();
    let pad = 1.5;
    let fonts = flow.fonts().clone();
    let mut layout = Vec::new();
    for (name, value, share) in fields {
        let w = r.width * share;
        let label_w = fonts.text_width(&format!("{name}："), label.size);
        let lines = fonts.wrap(value, body.size, w - label_w - 2.0 * pad);
        layout.push((name, w, label_w, lines));
    }
    let max_lines = layout.iter().map(|l| l.3.len()).max().unwrap_or(1);
    let block_h = max_lines as f32 * body.line_mm() + 2.0 * pad;
    flow.ensure(block_h);
    let y = flow.y();
    let mut x = r.x;
    let page = flow.page();
    for (name, w, label_w, lines) in &layout {
        page.rect(x, y, *w, block_h, Some(&Stroke::thin()), None);
        page.text(x + pad, y + pad, &format!("{name}："), &label);
        page.lines(x + pad + label_w, y + pad, w - label_w - 2.0 * pad, lines, body);
        x += w;
    }
    flow.advance(block_h + 2.5);
}

/// 说明: numbered lines with a hanging indent; an item moves to the next page
/// whole unless it alone is taller than a page.
fn explanations(flow: &mut Flow<'_>, n: &Notice, style: &TextStyle, fonts: &Fonts) {
    if n.explanations.is_empty() {
        return;
    }
    flow.line("说明：", &style.bold());
    let indent = fonts.text_width(&format!("{}. ", n.explanations.len().max(10)), style.size);
    for (i, text) in n.explanations.iter().enumerate() {
        let r = flow.region();
        let lines = fonts.wrap(&typeset(text), style.size, r.width - indent);
        flow.ensure(lines.len() as f32 * style.line_mm());
        for (j, line) in lines.iter().enumerate() {
            let r = flow.ensure(style.line_mm());
            let y = flow.y();
            let page = flow.page();
            if j == 0 {
                page.text(r.x + indent - 1.0, y, &format!("{}.", i + 1), &style.align(Align::Right));
            }
            page.text(r.x + indent, y, line, style);
            flow.advance(style.line_mm());
        }
    }
}

/// 会计 and 园长 with their names and a line to sign on, and the date of issue;
/// side by side when they fit the width, else one under the other.
fn signatures(flow: &mut Flow<'_>, batch: &NoticeBatch, n: &Notice, body: &TextStyle, fonts: &Fonts) {
    let sign = TextStyle::new(body.size);
    let issued = n.issue.as_ref().map(|i| crate::dates::on_paper(i.issued_on)).unwrap_or_else(|| "（打印日期）".into());
    let people = [("会计", batch.school.bursar_name.as_str()), ("园长", batch.school.head_name.as_str())];
    let labels: Vec<String> = people.iter().map(|(role, name)| format!("{role}：{name}")).collect();
    let date = format!("开具日期：{issued}");
    let line_w = 22.0;
    let widths: Vec<f32> = labels.iter().map(|l| fonts.text_width(l, sign.size) + 1.0 + line_w + 6.0).collect();
    let date_w = fonts.text_width(&date, sign.size);
    let r = flow.region();
    let side_by_side = widths.iter().sum::<f32>() + date_w <= r.width;
    let underline = Stroke::new(0.4);
    let rows = if side_by_side { 1 } else { labels.len() + 1 };
    let row_h = sign.line_mm() + 2.0;
    let r = flow.ensure(rows as f32 * row_h);
    let mut y = flow.y();
    let page = flow.page();
    let mut x = r.x;
    for label in &labels {
        let w = page.text(x, y, label, &sign);
        let base = y + sign.line_mm();
        let end = if side_by_side { x + w + 1.0 + line_w } else { (x + w + 1.0 + line_w * 2.0).min(r.right()) };
        page.line(x + w + 1.0, base, end, base, &underline);
        if side_by_side {
            x = end + 6.0;
        } else {
            y += row_h;
        }
    }
    page.text(r.right(), y, &date, &sign.align(Align::Right));
    flow.advance(rows as f32 * row_h);
}

/// 学校地址 and 联系电话 from 学校信息, for the family's questions; `None`
/// when neither is filled in.
fn contact_line(school: &crate::school::profile::SchoolProfile) -> Option<String> {
    let parts: Vec<String> = [("学校地址", school.address.trim()), ("联系电话", school.phone.trim())]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}：{v}"))
        .collect();
    (!parts.is_empty()).then(|| parts.join("    "))
}

/// 回执: a strip the family cuts off, signs and hands back, pinned to the
/// foot of the notice below a dashed cut line with ✂ and the title 回执 in
/// it. It repeats who and what it is for (the strip travels on its own) and
/// the notice number, so the office can match it to the notice. On an A5
/// half it is kept to three lines (the amount without capital numerals), so
/// that adding it sends as few notices as possible to a continuation half.
fn receipt(flow: &mut Flow<'_>, n: &Notice, period: &(&str, String), number: Option<&str>, body: &TextStyle) {
    let fonts = flow.fonts().clone();
    let r = flow.region();
    let compact = r.height < 150.0;
    let style = TextStyle::new(body.size - 0.5);
    let title = TextStyle::new(body.size + 0.5).bold();
    let row_gap = if compact { 1.0 } else { 2.5 };
    let above = if compact { 2.0 } else { 5.0 };
    let refund = n.total.is_negative();
    let amount = n.total.abs();
    let due = format!("{}：¥{}", if refund { "应退金额" } else { "应缴金额" }, amount.to_grouped_string());
    let who = format!("幼儿姓名：{}    班级：{}    {}：{}", n.child, n.class, period.0, period.1);
    let texts = if compact {
        vec![format!("{who}    {due}")]
    } else {
        vec![who, format!("{due}（人民币大写：{}）", amount.to_capital())]
    };
    let rows: Vec<Vec<String>> = texts.iter().map(|t| fonts.wrap(&typeset(t), style.size, r.width)).collect();
    let cut_h = title.line_mm() + row_gap;
    let text_h: f32 = rows.iter().map(|l| l.len() as f32 * style.line_mm() + row_gap).sum();
    let sign_h = style.line_mm() + 0.5;
    let need = above + cut_h + text_h + sign_h;
    // At the foot when there is room below; else whole in the next region.
    let r = if flow.remaining() >= need {
        flow.set_y(r.bottom() - need);
        r
    } else {
        flow.ensure(need)
    };
    flow.advance(above);

    // ✂ - - - - 回执 - - - -: the title sits in a gap of the cut line.
    let y = flow.y();
    let mid_y = y + title.line_mm() / 2.0;
    let half_gap = fonts.text_width("回执", title.size) / 2.0 + 2.5;
    let centre = r.x + r.width / 2.0;
    let ink = Stroke::new(0.5).gray(0.4);
    let dashes = ink.dashed(2.0, 1.5);
    let page = flow.page();
    page.scissors(r.x, mid_y, 4.5, &ink);
    page.line(r.x + 6.0, mid_y, centre - half_gap, mid_y, &dashes);
    page.line(centre + half_gap, mid_y, r.right(), mid_y, &dashes);
    page.text(centre, y, "回执", &title.align(Align::Center));
    flow.advance(cut_h);

    for lines in &rows {
        let y = flow.y();
        let h = flow.page().lines(r.x, y, r.width, lines, &style);
        flow.advance(h + row_gap);
    }
    // Blanks for the parent's signature and the date, underlined as on the
    // notice; the number on the right.
    let y = flow.y();
    let base = y + style.line_mm();
    let underline = Stroke::new(0.4);
    let blank = if compact { 30.0 } else { 40.0 };
    let page = flow.page();
    let w = page.text(r.x, y, "家长签字：", &style);
    page.line(r.x + w + 1.0, base, r.x + w + 1.0 + blank, base, &underline);
    let date_x = r.x + w + blank + 8.0;
    let w = page.text(date_x, y, "日期：", &style);
    page.line(date_x + w + 1.0, base, date_x + w + 1.0 + blank * 0.8, base, &underline);
    let small = TextStyle::new(8.0).gray(0.3).align(Align::Right);
    page.text(
        r.right(),
        y + style.line_mm() - small.line_mm(),
        &format!("编号：{}", number.unwrap_or("（打印时编号）")),
        &small,
    );
    flow.advance(sign_h);
}
