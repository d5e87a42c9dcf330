//! Drawing receipts (收据): one per A5 landscape page, laid out like the
//! receipt books schools buy — number top right, the school and 收据 centred,
//! the date, then a ruled box: 交款人 / 幼儿 / 班级, 收款事由, 金额 in capital
//! numerals and in figures, 收款方式 and 收款单位, and under it the lines for
//! 会计, 经办人, 收款人 and 交款人. A reprint says 补打 with its count; a receipt
//! whose payment was cancelled by a 冲销 says 作废 across the box.

use super::receipt::Receipt;
use crate::notices::typeset;
use crate::pdf::{Align, Document, Page, PageSize, Stroke, TextStyle};
use crate::Result;

/// Page margins (mm): well inside the 5 mm printers leave blank.
const MARGIN: f32 = 10.0;
/// Body type (五号).
const BODY: f32 = 10.5;

/// The receipts as one PDF, a page each.
pub(crate) fn render(school: &str, receipts: &[Receipt]) -> Result<Vec<u8>> {
    let title = match receipts {
        [one] => format!("{school}收据 {}", one.number),
        _ => format!("{school}收据"),
    };
    let mut doc = Document::new(&title)?;
    for r in receipts {
        draw(doc.add_page(PageSize::A5Landscape), school, r);
    }
    doc.render()
}

/// A row of the ruled box: (label, value, width of the value cell) pairs.
type Cells<'a> = &'a [(&'a str, String, f32)];

fn draw(page: &mut Page, school: &str, r: &Receipt) {
    let left = MARGIN;
    let width = page.width() - 2.0 * MARGIN;
    let right = left + width;
    let body = TextStyle::new(BODY);
    let small = TextStyle::new(8.0).gray(0.3);

    // Marks left, number right, on the first line.
    let mut y = MARGIN;
    if r.print_count > 1 {
        page.text(left, y, &typeset(&format!("补打(第 {} 次打印)", r.print_count)), &TextStyle::new(9.0).bold());
    }
    page.text(right, y, &format!("No. {}", r.number), &TextStyle::new(12.0).bold().align(Align::Right));
    y += 7.0;
    page.text(left + width / 2.0, y, school, &TextStyle::new(12.0).align(Align::Center));
    y += 6.5;
    let title = TextStyle::new(20.0).bold().align(Align::Center);
    page.text(left + width / 2.0, y, "收  据", &title);
    // The double rule under the title, as on printed receipt books.
    let rule_y = y + title.line_mm() + 0.5;
    for dy in [0.0, 1.0] {
        page.line(left + width / 2.0 - 22.0, rule_y + dy, left + width / 2.0 + 22.0, rule_y + dy, &Stroke::new(0.6));
    }
    y = rule_y + 3.0;
    let date = typeset(&format!("日期:{}", crate::dates::on_paper(r.paid_on)));
    page.text(right, y, &date, &body.align(Align::Right));
    page.text(left, y, &typeset(&format!("收据编号:{}", r.number)), &body);
    y += body.line_mm() + 2.0;

    // The ruled box.
    let top = y;
    let label_w = 22.0;
    let who = format!("{}(学号 {})", r.child, r.student_no);
    y = row(
        page,
        y,
        left,
        &[("交款人", r.payer.clone(), 40.0), ("幼儿", who, 62.0), ("班级", r.class.clone(), 0.0)],
        width,
        label_w,
    );
    y = row(page, y, left, &[("收款事由", r.reason.clone(), 0.0)], width, label_w);
    let capital = format!("人民币 {}", r.amount.to_capital());
    let figures = format!("¥{}", r.amount.to_grouped_string());
    y = row(page, y, left, &[("金额(大写)", capital, 102.0), ("小写", figures, 0.0)], width, label_w);
    let unit = format!("{school}(盖章)");
    y = row(
        page,
        y,
        left,
        &[("收款方式", r.method.label().to_string(), 40.0), ("收款单位", unit, 0.0)],
        width,
        label_w,
    );
    page.rect(left, top, width, y - top, Some(&Stroke::new(0.8)), None);

    if let Some(why) = &r.voided {
        // Across the box, like a 作废 stamp; the reason under it.
        let stamp = TextStyle::new(40.0).bold().gray(0.6).align(Align::Center);
        page.text(left + width / 2.0, top + (y - top - stamp.line_mm()) / 2.0, "作  废", &stamp);
        y += 1.5;
        y += page.text_box(left, y, width, &typeset(&format!("本收据已作废({why}),不能作为缴费凭证。")), &body.bold());
    }

    // Signatures: the person who recorded the payment is the 收款人.
    y += 6.0;
    let sign = TextStyle::new(BODY);
    let slots: [(&str, &str); 4] = [("会计", ""), ("经办人", ""), ("收款人", r.received_by.as_str()), ("交款人", "")];
    let slot_w = width / 4.0;
    let line = Stroke::new(0.4);
    for (i, (label, name)) in slots.iter().enumerate() {
        let x = left + slot_w * i as f32;
        let lw = page.text(x, y, &typeset(&format!("{label}:")), &sign);
        if !name.is_empty() {
            page.text(x + lw + 1.0, y, name, &sign);
        }
        let base = y + sign.line_mm();
        page.line(x + lw + 0.5, base, x + slot_w - 4.0, base, &line);
    }
    y += sign.line_mm() + 4.0;
    page.text(left, y, &typeset(&format!("第 {} 号收款记录。请妥善保管本收据;金额以大写为准。", r.payment_id)), &small);
}

/// One row of the box at `y`: label cells shaded, values wrapped; the last
/// value takes what is left of `width`. Returns the row's bottom.
fn row(page: &mut Page, y: f32, left: f32, cells: Cells<'_>, width: f32, label_w: f32) -> f32 {
    let style = TextStyle::new(BODY).line_height(1.3);
    let pad = 2.0;
    // Lay out first: the row is as tall as its tallest cell.
    let mut x = left;
    let mut laid = Vec::new();
    for (i, (label, value, w)) in cells.iter().enumerate() {
        let lw = if i == 0 { label_w } else { page.fonts().text_width(label, BODY) + 2.0 * pad + 1.0 };
        let vw = if *w > 0.0 && i + 1 < cells.len() { *w } else { left + width - x - lw };
        let lines = page.fonts().wrap(&typeset(value), BODY, vw - 2.0 * pad);
        laid.push((x, lw, vw, *label, lines));
        x += lw + vw;
    }
    let most = laid.iter().map(|(.., lines)| lines.len().max(1)).max().unwrap_or(1);
    let height = (most as f32 * style.line_mm() + 2.0 * pad).max(10.0);
    let stroke = Stroke::new(0.4);
    for (x, lw, vw, label, lines) in &laid {
        page.rect(*x, y, *lw, height, Some(&stroke), Some(0.93));
        let ly = y + (height - style.line_mm()) / 2.0;
        page.text(x + lw / 2.0, ly, &typeset(label), &style.align(Align::Center));
        page.rect(x + lw, y, *vw, height, Some(&stroke), None);
        let vy = y + (height - lines.len() as f32 * style.line_mm()) / 2.0;
        page.lines(x + lw + pad, vy, vw - 2.0 * pad, lines, &style);
    }
    y + height
}
