//! A fee-notice-shaped sample document: the worked example of the `pdf` API,
//! what the rendering tests check, and a load generator for timing.
//!
//! The data here is made up. Real notices are built from settlements by the
//! notices module; this shows the layout they can follow: title, child block,
//! fee table with right-aligned amounts, total in figures and in capital
//! numerals (金额大写), numbered explanation lines, signatures, date and number,
//! all in a [`Flow`] so a notice that is too long continues in the next region.

use crate::error::Result;
use crate::money::Fen;

use super::document::Document;
use super::flow::{Flow, Margins, Sheet};
use super::table::{Column, Table};
use super::{Align, Stroke, TextStyle};

/// One charge on a notice: item, how it was computed, amount (negative: refund).
#[derive(Debug, Clone, PartialEq)]
pub struct SampleItem {
    /// 收费项目, e.g. 伙食费.
    pub name: String,
    /// 计算方式, e.g. 22天 × 12.50元.
    pub basis: String,
    /// Amount; negative for a refund.
    pub amount: Fen,
}

/// Everything one sample notice shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleNotice {
    /// Printed as the title, with 缴费通知单.
    pub school: String,
    /// The month charged, e.g. 2025年4月.
    pub period: String,
    /// Child's name (may be long, may contain rare characters).
    pub child: String,
    /// Class name.
    pub class: String,
    /// 学号.
    pub student_no: String,
    /// The charges.
    pub items: Vec<SampleItem>,
    /// Explanation lines (refund days and rules), numbered when printed.
    pub explanations: Vec<String>,
    /// Payment instructions and deadline.
    pub payment: String,
    /// Date of issue as printed.
    pub date: String,
    /// Notice number.
    pub number: String,
}

impl SampleNotice {
    /// The sum of the items.
    pub fn total(&self) -> Fen {
        self.items.iter().map(|i| i.amount).sum()
    }

    /// A notice for 王小明 of 大一班 with a refund and ten explanation lines.
    pub fn demo() -> SampleNotice {
        let item = |name: &str, basis: &str, yuan_fen: i64| SampleItem {
            name: name.to_string(),
            basis: basis.to_string(),
            amount: Fen(yuan_fen),
        };
        SampleNotice {
            school: "阳光幼儿园".to_string(),
            period: "2025年4月".to_string(),
            child: "王小明".to_string(),
            class: "大一班".to_string(),
            student_no: "20230115".to_string(),
            items: vec![
                item("保教费", "按月收取", 120_000),
                item("伙食费", "21天 × 12.50元", 26_250),
                item("退伙食费（3月）", "缺勤5天 × 12.50元", -6_250),
                item("补收（2月）", "2月少收1天伙食费", 1_250),
            ],
            explanations: vec![
                "3月3日（周一）至3月7日（周五）因病缺勤5天，连续缺勤满3天，按实际缺勤天数退伙食费，每天12.50元，共62.50元。"
                    .to_string(),
                "3月10日请假1天，单次缺勤不足3天，按本园收费办法不退伙食费。".to_string(),
                "3月17日至3月18日园所停电停课2天，全园停课期间伙食费已在3月按天数扣除，本通知单不重复计算。".to_string(),
                "保教费按月收取，当月在园不足10天的按半月收取；本月在园天数满10天，按整月收取1,200.00元。".to_string(),
                "2月补收：2月伙食费按20天收取，实际在园21天，补收1天12.50元。".to_string(),
                "4月伙食费按4月应出勤天数21天预收（4月4日清明节放假，不计入）。".to_string(),
                "如对退费天数有疑问，请在收到本通知单后5个工作日内联系班主任或财务室核对考勤记录。".to_string(),
                "退费依据：《阳光幼儿园收费管理办法》第八条，经园务会议通过并在家长会上公示。".to_string(),
                "本通知单金额已扣除上月应退款项，请按“本期应缴金额”缴费，无需另行申请退款。".to_string(),
                "本园不收取任何赞助费、择校费；如发现乱收费，可拨打区教育局监督电话 12345 反映。".to_string(),
            ],
            payment: "请于2025年4月10日前通过微信、支付宝或到财务室现金缴费；转账请备注幼儿姓名和班级。".to_string(),
            date: "2025年3月28日".to_string(),
            number: "TZ-202504-0115".to_string(),
        }
    }

    /// The `i`-th of a batch of made-up notices: names, classes and amounts vary.
    pub fn numbered(i: usize) -> SampleNotice {
        const SURNAMES: [&str; 12] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "欧阳", "司马"];
        const GIVEN: [&str; 10] = ["小明", "子涵", "欣怡", "浩然", "梓萱", "宇轩", "诗涵", "一诺", "俊熙", "雨桐"];
        const CLASSES: [&str; 6] = ["大一班", "大二班", "中一班", "中二班", "小一班", "小二班"];
        let mut n = SampleNotice::demo();
        n.child = format!("{}{}", SURNAMES[i % SURNAMES.len()], GIVEN[(i / SURNAMES.len()) % GIVEN.len()]);
        n.class = CLASSES[i % CLASSES.len()].to_string();
        n.student_no = format!("2023{:04}", i + 1);
        n.number = format!("TZ-202504-{:04}", i + 1);
        let absent = (i % 6) as i64;
        n.items[2].basis = format!("缺勤{absent}天 × 12.50元");
        n.items[2].amount = Fen(-1_250 * absent);
        n.explanations.truncate(3 + i % 8);
        n
    }
}

/// Draws `notice` into `flow`, starting a fresh region; continues in the next
/// region (marked 续) if it does not fit. The layout adapts to the region width.
pub fn draw_notice(flow: &mut Flow<'_>, notice: &SampleNotice) -> Result<()> {
    let r = flow.start();
    // A5 halves get slightly smaller type than a full A4 page.
    let compact = r.height < 150.0;
    let body = TextStyle::new(if compact { 9.5 } else { 10.5 });
    let small = TextStyle::new(8.0).gray(0.25);
    flow.set_continuation(Some(format!("{} {} {}缴费通知单（续）", notice.child, notice.class, notice.period)));

    // Title, with the notice number in the top right corner.
    let title = TextStyle::new(if compact { 15.0 } else { 17.0 }).bold().align(Align::Center).line_height(1.3);
    let y = flow.y();
    flow.page().text(r.right(), y, &format!("编号：{}", notice.number), &small.align(Align::Right));
    flow.line(&format!("{}缴费通知单", notice.school), &title);
    flow.advance(2.0);

    // Child block: four labelled boxes; a long name wraps inside its box.
    let fields = [
        ("姓名", notice.child.as_str(), 0.34),
        ("班级", notice.class.as_str(), 0.22),
        ("学号", notice.student_no.as_str(), 0.22),
        ("缴费期", notice.period.as_str(), 0.22),
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
        page.lines(x + pad + label_w, y + pad, w - label_w - 2.0 * pad, lines, &body);
        x += w;
    }
    flow.advance(block_h + 2.5);

    // Fee table: item, basis, amount right-aligned; total row in bold.
    let total = notice.total();
    let mut table = Table::new(vec![
        Column::new("收费项目", r.width * 0.30),
        Column::new("计算方式", r.width * 0.45),
        Column::new("金额（元）", r.width * 0.25).right(),
    ]);
    table.style = TextStyle::new(body.size).line_height(1.3);
    table.min_row_height = if compact { 6.0 } else { 7.0 };
    for item in &notice.items {
        table.row([item.name.clone(), item.basis.clone(), item.amount.to_grouped_string()]);
    }
    let due_label = if total.is_negative() { "合计（应退）" } else { "合计（应缴）" };
    table.total_row([due_label.to_string(), String::new(), total.abs().to_grouped_string()]);
    flow.table(&table)?;
    flow.advance(2.0);

    // Total in figures and in capital numerals; a refund prints as 应退, never negative.
    let (verb, amount) =
        if total.is_negative() { ("本期应退金额", total.abs()) } else { ("本期应缴金额", total) };
    flow.paragraph(
        &format!("{verb}：¥{}    人民币（大写）：{}", amount.to_grouped_string(), amount.to_capital()),
        &TextStyle::new(body.size + 0.5).bold(),
    );
    flow.advance(1.5);

    // Explanations, numbered, with a hanging indent so numbers line up.
    if !notice.explanations.is_empty() {
        flow.line("说明：", &body.bold());
        let explain = TextStyle::new(body.size - 1.0).line_height(1.35);
        let indent = fonts.text_width("10. ", explain.size);
        for (i, text) in notice.explanations.iter().enumerate() {
            let lines = fonts.wrap(text, explain.size, r.width - indent);
            let number = format!("{}.", i + 1);
            // Keep an item's lines together (it moves to the next region whole)
            // unless it is taller than a region; then it is split line by line.
            flow.ensure(lines.len() as f32 * explain.line_mm());
            for (j, line) in lines.iter().enumerate() {
                let r = flow.ensure(explain.line_mm());
                let y = flow.y();
                let page = flow.page();
                if j == 0 {
                    page.text(r.x + indent - 1.0, y, &number, &explain.align(Align::Right));
                }
                page.text(r.x + indent, y, line, &explain);
                flow.advance(explain.line_mm());
            }
        }
        flow.advance(1.0);
    }
    flow.paragraph(&notice.payment, &TextStyle::new(body.size - 1.0));
    flow.advance(if compact { 3.0 } else { 8.0 });

    // Signature lines and date, kept together on one line.
    let sign = TextStyle::new(body.size);
    let r = flow.ensure(sign.line_mm() + 1.0);
    let y = flow.y();
    let page = flow.page();
    let underline = Stroke::new(0.4);
    let base = y + sign.line_mm();
    let third = r.width / 3.0;
    for (i, who) in ["会计：", "园长："].iter().enumerate() {
        let x = r.x + third * i as f32;
        let w = page.text(x, y, who, &sign);
        page.line(x + w + 1.0, base, x + third - 8.0, base, &underline);
    }
    page.text(r.right(), y, &format!("日期：{}", notice.date), &sign.align(Align::Right));
    flow.advance(sign.line_mm() + 1.0);
    flow.set_continuation(None);
    Ok(())
}

/// A PDF of `notices` on `sheet` (one per A4/A5 page, or two A5 per A4 with a cut line).
pub fn notices_pdf(notices: &[SampleNotice], sheet: Sheet) -> Result<Vec<u8>> {
    let mut doc = Document::new("缴费通知单（样张）")?;
    {
        let mut flow = Flow::new(&mut doc, sheet, notice_margins(sheet));
        for n in notices {
            draw_notice(&mut flow, n)?;
        }
    }
    doc.render()
}

/// Margins that suit a notice on `sheet`.
pub fn notice_margins(sheet: Sheet) -> Margins {
    match sheet {
        Sheet::TwoA5OnA4 | Sheet::A5Landscape | Sheet::A5Portrait => {
            Margins { top: 9.0, right: 12.0, bottom: 7.0, left: 12.0 }
        }
        _ => Margins { top: 15.0, right: 18.0, bottom: 15.0, left: 18.0 },
    }
}

/// `count` made-up notices ([`SampleNotice::numbered`]) on `sheet`: the load
/// for timing (500 notices on A4 portrait are 500 pages).
pub fn sample_notices_pdf(count: usize, sheet: Sheet) -> Result<Vec<u8>> {
    let notices: Vec<SampleNotice> = (0..count).map(SampleNotice::numbered).collect();
    notices_pdf(&notices, sheet)
}

/// The sample: page 1 is [`SampleNotice::demo`] on A4 portrait; page 2 holds
/// two shorter notices as two A5 halves with a dashed cut line.
pub fn sample_notice_pdf() -> Result<Vec<u8>> {
    let mut doc = Document::new("缴费通知单（样张）")?;
    {
        let mut flow = Flow::new(&mut doc, Sheet::A4Portrait, notice_margins(Sheet::A4Portrait));
        draw_notice(&mut flow, &SampleNotice::demo())?;
    }
    {
        let mut flow = Flow::new(&mut doc, Sheet::TwoA5OnA4, notice_margins(Sheet::TwoA5OnA4));
        let mut first = SampleNotice::demo();
        first.explanations.truncate(3);
        let mut second = SampleNotice::numbered(13);
        second.explanations.truncate(2);
        // A refund larger than the charges: prints as 应退.
        second.items = vec![SampleItem {
            name: "退伙食费（3月）".to_string(),
            basis: "缺勤18天 × 12.50元".to_string(),
            amount: Fen(-22_500),
        }];
        draw_notice(&mut flow, &first)?;
        draw_notice(&mut flow, &second)?;
    }
    doc.render()
}
