//! The asset keeper's printouts (PDF): the label sheet, the stocktake
//! reconciliation report and the monthly depreciation report, drawn with the
//! PDF foundation ([`crate::pdf`]).
//!
//! - Labels: a grid of labels per A4 sheet (columns × rows from the settings,
//!   3 × 8 by default, the common 70 × 36 mm sticker sheet), each with the QR
//!   code of the asset number, the number in large type, name, room, and the
//!   school's name; a faint outline doubles as a cutting guide on plain paper.
//! - Reconciliation report (A4 landscape): per room and total, the
//!   explanation, every exception in the columns of the 固定资产盘点表, the
//!   book adjustments, and signature lines.
//! - Depreciation report (A4 portrait): the rule used, totals per category,
//!   every asset, signature lines.
//!
//! Deliberately out: barcodes other than QR, logos, and per-item labels for
//! batch cards (one label per card, which says how many items it covers).

use crate::store::Conn;

use super::depreciation::MonthlyReport;
use super::qr::QrMatrix;
use super::register::Asset;
use super::settings::AssetSettings;
use super::stocktake::StocktakeReport;
use crate::pdf::{Align, Column, Document, Flow, Fonts, LabelGrid, Margins, PageSize, Sheet, Stroke, Table, TextStyle};
use crate::{Error, Fen, Result};

fn school_name(conn: &Conn) -> Result<String> {
    Ok(crate::school::profile::get(conn)?.map(|p| p.name).unwrap_or_default())
}

/// A sheet of labels for `assets` (in the given order). Fails on an empty list.
pub fn labels_pdf(conn: &Conn, assets: &[Asset], settings: &AssetSettings) -> Result<Vec<u8>> {
    if assets.is_empty() {
        return Err(Error::invalid("没有要打印标签的资产"));
    }
    let school = school_name(conn)?;
    let cols = settings.label_columns.clamp(1, 6) as usize;
    let rows = settings.label_rows.clamp(1, 20) as usize;
    let mut doc = Document::new("固定资产标签")?;
    // Sticker sheets run edge to edge across; a 4.5 mm band top and bottom.
    let grid = LabelGrid::new(PageSize::A4Portrait, cols, rows, 0.0, 4.5);
    let (cell_w, cell_h) = (grid.cell_width(), grid.cell_height());
    let inset = (cell_h * 0.08).clamp(1.5, 3.0);
    let per_page = grid.per_page();
    let fonts = doc.fonts().clone();
    for (i, a) in assets.iter().enumerate() {
        if i % per_page == 0 {
            doc.add_page(PageSize::A4Portrait);
        }
        let slot = i % per_page;
        // The labels of the outer columns and rows keep their content off the
        // strip at the paper's edge that printers leave blank.
        let content = grid.content(slot, inset * 0.5, inset, inset, inset);
        let qr = QrMatrix::encode(&a.number)?;
        let page = doc.page_mut(doc.page_count() - 1).ok_or_else(|| Error::invalid("内部错误:标签页不存在"))?;
        grid.outline(page, slot, 0.6, &Stroke::new(0.3).gray(0.8));
        let qr_w = (cell_h - 2.0 * inset).min(cell_w * 0.45).min(content.height).min(content.width * 0.5);
        qr.draw(page, content.x, content.y + (content.height - qr_w) / 2.0, qr_w);
        // Text to the right of the code.
        let tx = content.x + qr_w + 0.5;
        let tw = content.right() - tx;
        let mut y = content.y;
        let small = TextStyle::new(6.5).gray(0.35).line_height(1.25);
        page.text(tx, y, &one_line(&fonts, &school, small.size, tw), &small);
        y += small.line_mm();
        // The number as large as fits the width.
        let mut size = 12.0;
        while size > 7.0 && fonts.text_width(&a.number, size) > tw {
            size -= 0.5;
        }
        let number_style = TextStyle::new(size).bold().line_height(1.25);
        page.text(tx, y, &a.number, &number_style);
        y += number_style.line_mm();
        let body = TextStyle::new(8.5).line_height(1.25);
        let name = if a.quantity > 1 { format!("{}(共 {} {})", a.name, a.quantity, a.unit) } else { a.name.clone() };
        let lines = lines_at_most(&fonts, &name, body.size, tw, 2);
        y += page.lines(tx, y, tw, &lines, &body);
        let detail = TextStyle::new(7.5).line_height(1.25);
        let bottom = content.bottom();
        // A long category name is cut, not the month after it.
        let month = format!(" · {}", a.acquired_on.format("%Y-%m"));
        let category = one_line(&fonts, &a.category_name, detail.size, tw - fonts.text_width(&month, detail.size));
        for text in [one_line(&fonts, &format!("存放:{}", a.room), detail.size, tw), category + &month] {
            if y + detail.line_mm() > bottom + 0.5 {
                break;
            }
            page.text(tx, y, &text, &detail);
            y += detail.line_mm();
        }
    }
    doc.render()
}

/// `text` on one line of `width` mm: as it is if it fits, else cut and ended
/// with "…" so that a reader sees it was cut (a long room or school name).
fn one_line(fonts: &Fonts, text: &str, size: f32, width: f32) -> String {
    if fonts.text_width(text, size) <= width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if fonts.text_width(&cut, size) <= width {
            return cut;
        }
    }
    "…".into()
}

/// `text` wrapped to at most `max` lines of `width` mm, the last one ended
/// with "…" if anything was left over.
fn lines_at_most(fonts: &Fonts, text: &str, size: f32, width: f32, max: usize) -> Vec<String> {
    let mut lines = fonts.wrap(text, size, width);
    if lines.len() > max {
        // The last line alone fills the width, so the cut falls inside it.
        let rest = lines.split_off(max - 1).concat();
        lines.push(one_line(fonts, &rest, size, width));
    }
    lines
}

fn money(f: Fen) -> String {
    f.to_grouped_string()
}

fn qty_value(qty: i64, value: Fen) -> String {
    if qty == 0 {
        "—".into()
    } else {
        format!("{qty}\n{}", money(value))
    }
}

fn sign_style() -> TextStyle {
    TextStyle::new(10.5)
}

/// The height [`signatures`] takes below the cursor.
fn signatures_height() -> f32 {
    6.0 + sign_style().line_mm() + 2.0
}

fn signatures(flow: &mut Flow<'_>, who: &[&str], date: &str) {
    let sign = sign_style();
    flow.advance(6.0);
    let r = flow.ensure(sign.line_mm() + 2.0);
    let y = flow.y();
    let fonts = flow.fonts().clone();
    let page = flow.page();
    let underline = Stroke::new(0.4);
    let base = y + sign.line_mm();
    // Each name gets the same room to sign in, whatever the length of its
    // title: 22 mm, less on a narrow (portrait) page so that the last line
    // never runs into the date.
    let gap = 7.0;
    let titles: f32 = who.iter().map(|w| fonts.text_width(&format!("{w}:"), sign.size) + 1.0).sum();
    let date_w = if date.is_empty() {
        fonts.text_width("日期:", sign.size) + 1.0 + 22.0
    } else {
        fonts.text_width(&format!("日期:{date}"), sign.size)
    };
    let room = r.width - date_w - gap - titles - gap * (who.len() as f32 - 1.0);
    let line_w = (room / who.len().max(1) as f32).clamp(12.0, 22.0);
    let mut x = r.x;
    for w in who {
        let width = page.text(x, y, &format!("{w}:"), &sign);
        page.line(x + width + 1.0, base, x + width + 1.0 + line_w, base, &underline);
        x += width + 1.0 + line_w + gap;
    }
    if date.is_empty() {
        page.line(r.right() - 22.0, base, r.right(), base, &underline);
        page.text(r.right() - 22.0 - 1.0, y, "日期:", &sign.align(Align::Right));
    } else {
        page.text(r.right(), y, &format!("日期:{date}"), &sign.align(Align::Right));
    }
    flow.advance(sign.line_mm() + 2.0);
}

/// The heights of a table's header and of each row as [`Flow::table`] lays
/// them out in a region `width` mm wide (rows taller than a page aside).
fn table_heights(fonts: &Fonts, table: &Table, width: f32) -> (f32, Vec<f32>) {
    let total = table.width();
    let scale = if total > width && total > 0.0 { width / total } else { 1.0 };
    let lines = |cells: &mut dyn Iterator<Item = &str>, style: &TextStyle| -> f32 {
        let n = cells
            .zip(&table.columns)
            .map(|(text, c)| fonts.wrap(text, style.size, (c.width * scale - 2.0 * table.padding_x).max(1.0)).len())
            .max()
            .unwrap_or(1)
            .max(1);
        (n as f32 * table.style.line_mm() + 2.0 * table.padding_y).max(table.min_row_height)
    };
    let header = lines(&mut table.columns.iter().map(|c| c.title.as_str()), &table.style.bold());
    let rows = table
        .rows
        .iter()
        .map(|r| lines(&mut r.cells.iter().map(String::as_str), &if r.bold { table.style.bold() } else { table.style }))
        .collect();
    (header, rows)
}

/// A section that ends the document: its heading, `table`, then the
/// signature lines, laid out so that neither the heading nor the signatures
/// stand alone on a page. The heading moves on with the table's first row;
/// if the signatures would not fit below the last row, that row moves to the
/// next page with them (under the repeated header).
fn last_table_then_signatures(
    flow: &mut Flow<'_>,
    heading: &str,
    table: &Table,
    who: &[&str],
    date: &str,
) -> crate::Result<()> {
    let heading_style = TextStyle::new(12.0).bold();
    let heading_h = heading_style.line_mm() + 1.0;
    let region = flow.region();
    let (header_h, rows) = table_heights(flow.fonts(), table, region.width);
    let sign_h = signatures_height();
    let first = rows.first().copied().unwrap_or(0.0);
    // A one-row table goes with its heading and the signatures as one block.
    let keep = if rows.len() <= 1 { heading_h + header_h + first + sign_h } else { heading_h + header_h + first };
    flow.ensure(keep);
    flow.line(heading, &heading_style);
    flow.advance(1.0);

    // Where the last row ends, following the table's own page breaks.
    let fresh = region.height - flow.continuation_height() - header_h;
    let mut left = flow.remaining() - header_h;
    for h in &rows {
        if *h > left {
            left = fresh;
        }
        left -= h;
    }
    if rows.len() <= 1 || left + 1e-3 >= sign_h {
        flow.table(table)?;
    } else {
        let mut head = table.clone();
        let last = head.rows.split_off(head.rows.len() - 1);
        flow.table(&head)?;
        // Next page (with the continuation note), the header again, the last row.
        let rest = flow.remaining();
        flow.ensure(rest + 1.0);
        let mut tail = table.clone();
        tail.rows = last;
        flow.table(&tail)?;
    }
    signatures(flow, who, date);
    Ok(())
}

/// The reconciliation report of a stocktake.
pub fn stocktake_pdf(report: &StocktakeReport) -> Result<Vec<u8>> {
    let s = &report.stocktake;
    let r = &report.reconciliation;
    let mut doc = Document::new(&format!("{}盘点报告", s.name))?;
    {
        let mut flow =
            Flow::new(&mut doc, Sheet::A4Landscape, Margins { top: 12.0, right: 12.0, bottom: 12.0, left: 12.0 });
        let region = flow.start();
        let w = region.width;
        flow.line(
            &format!("{}固定资产盘点报告", report.school),
            &TextStyle::new(17.0).bold().align(Align::Center).line_height(1.4),
        );
        let period = match s.finished_on {
            Some(end) => format!("{} · 盘点日期 {} 至 {} · {} 个房间", s.name, s.started_on, end, s.rooms.len()),
            None => format!("{} · {} 开始,尚未结束(本报告为中间结果)· {} 个房间", s.name, s.started_on, s.rooms.len()),
        };
        flow.line(&period, &TextStyle::new(10.0).align(Align::Center).gray(0.25));
        flow.advance(3.0);
        flow.set_continuation(Some(format!("{} 盘点报告(续)", s.name)));

        flow.line("一、盘点结果汇总", &TextStyle::new(12.0).bold());
        flow.advance(1.0);
        let shares = [0.11, 0.12, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.08, 0.07, 0.08];
        let titles = [
            "存放地点",
            "责任人",
            "账面\n数量/原值",
            "相符",
            "位置不符",
            "损坏",
            "盘亏\n数量/原值",
            "盘亏净值",
            "盘盈\n数量/估值",
            "未盘",
            "相符率\n(数量)",
        ];
        let mut columns: Vec<Column> =
            titles.iter().zip(shares).map(|(t, sh)| Column::new(*t, w * sh).right()).collect();
        columns[0] = Column::new(titles[0], w * shares[0]);
        columns[1] = Column::new(titles[1], w * shares[1]);
        let mut table = Table::new(columns);
        table.style = TextStyle::new(9.0).line_height(1.25);
        table.min_row_height = 6.0;
        for room in r.rooms.iter().chain(std::iter::once(&r.total)) {
            let cells = vec![
                room.room.clone(),
                room.custodians.iter().take(3).cloned().collect::<Vec<_>>().join("、"),
                qty_value(room.book.qty, room.book.original),
                qty_value(room.found.qty, room.found.original),
                qty_value(room.moved.qty, room.moved.original),
                qty_value(room.damaged.qty, room.damaged.original),
                qty_value(room.missing.qty, room.missing.original),
                if room.missing.qty == 0 { "—".into() } else { money(room.missing.net) },
                qty_value(room.surplus.qty, room.surplus.original),
                if room.unchecked.qty == 0 { "—".into() } else { room.unchecked.qty.to_string() },
                room.match_rate.text.clone(),
            ];
            if std::ptr::eq(room, &r.total) {
                table.total_row(cells);
            } else {
                table.row(cells);
            }
        }
        flow.table(&table)?;
        flow.advance(2.0);
        let explain = TextStyle::new(9.5).line_height(1.4);
        for line in &r.lines {
            flow.paragraph_indented(&format!("· {line}"), 0.0, &explain);
        }
        flow.advance(3.0);

        flow.line("二、盘点异常明细", &TextStyle::new(12.0).bold());
        flow.advance(1.0);
        if report.exceptions.is_empty() {
            flow.paragraph("没有异常:所有资产都在登记的地点找到且完好。", &explain);
        } else {
            let shares = [0.09, 0.065, 0.1, 0.07, 0.035, 0.07, 0.04, 0.065, 0.065, 0.04, 0.045, 0.065, 0.06, 0.06];
            let titles = [
                "资产编号",
                "类别代码",
                "资产名称",
                "规格型号",
                "单位",
                "取得日期",
                "账面\n数量",
                "原值",
                "净值",
                "实盘\n数量",
                "盘盈/\n盘亏",
                "盘点结果",
                "存放地点",
                "实际地点",
            ];
            let mut columns: Vec<Column> = titles.iter().zip(shares).map(|(t, sh)| Column::new(*t, w * sh)).collect();
            for i in [6, 7, 8, 9] {
                columns[i].align = Align::Right;
            }
            // The rest of the width: 使用人 and 备注.
            let used: f32 = shares.iter().sum();
            columns.push(Column::new("使用人", w * 0.05));
            columns.push(Column::new("备注", w * (1.0 - used - 0.05)));
            let mut table = Table::new(columns);
            table.style = TextStyle::new(8.0).line_height(1.25);
            table.min_row_height = 5.5;
            for l in &report.exceptions {
                let diff = l.counted_qty - l.book_qty;
                let found_at = match (&l.found_room, l.asset_id) {
                    (Some(room), Some(_)) if *room != l.book_room => room.clone(),
                    _ => String::new(),
                };
                let mut note = l.note.clone();
                if let Some(a) = &l.adjustment_label {
                    note = [note, format!("{a}:{}", l.adjustment_note)]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(";");
                }
                table.row([
                    if l.number.is_empty() { "(无编号)".to_string() } else { l.number.clone() },
                    l.category_code.clone(),
                    l.name.clone(),
                    l.model.clone(),
                    l.unit.clone(),
                    l.acquired_on.map(|d| d.to_string()).unwrap_or_default(),
                    l.book_qty.to_string(),
                    // A find with no card has no 原值 or 净值, only the
                    // counter's estimate: say so rather than pass it off as book value.
                    if l.asset_id.is_none() { format!("估值 {}", money(l.original)) } else { money(l.original) },
                    if l.asset_id.is_none() { "—".to_string() } else { money(l.net) },
                    l.counted_qty.to_string(),
                    match diff {
                        0 => String::new(),
                        d if d > 0 => format!("+{d}"),
                        d => d.to_string(),
                    },
                    l.outcome_label.clone(),
                    l.book_room.clone(),
                    found_at,
                    l.custodian.clone(),
                    note,
                ]);
            }
            flow.table(&table)?;
        }
        flow.advance(3.0);

        let heading = "三、账面调整";
        let who = ["盘点人", "资产管理员", "财务负责人", "园长"];
        let date = s.finished_on.map(crate::dates::on_paper).unwrap_or_default();
        if report.adjustments.is_empty() {
            let text = if s.finished_on.is_some() {
                "尚未做账面调整。位置不符的资产可调整存放地点,盘亏资产可核销或记为待查,盘盈物品可登记入账。"
            } else {
                "盘点结束后才能调整账面。"
            };
            // The heading, the sentence and the signatures stay together.
            let lines = flow.fonts().wrap(text, explain.size, w).len() as f32;
            flow.ensure(TextStyle::new(12.0).bold().line_mm() + 1.0 + lines * explain.line_mm() + signatures_height());
            flow.line(heading, &TextStyle::new(12.0).bold());
            flow.advance(1.0);
            flow.paragraph(text, &explain);
            signatures(&mut flow, &who, &date);
        } else {
            let mut table = Table::new(vec![
                Column::new("资产编号", w * 0.12),
                Column::new("资产名称", w * 0.16),
                Column::new("盘点结果", w * 0.1),
                Column::new("调整", w * 0.13),
                Column::new("说明", w * 0.29),
                Column::new("经办人", w * 0.08),
                Column::new("时间", w * 0.12),
            ]);
            table.style = TextStyle::new(9.0).line_height(1.25);
            table.min_row_height = 6.0;
            for l in &report.adjustments {
                table.row([
                    l.number.clone(),
                    l.name.clone(),
                    l.outcome_label.clone(),
                    l.adjustment_label.clone().unwrap_or_default(),
                    l.adjustment_note.clone(),
                    l.adjusted_by.clone().unwrap_or_default(),
                    l.adjusted_at
                        .clone()
                        .map(|t| t.chars().take(16).collect::<String>().replace('T', " "))
                        .unwrap_or_default(),
                ]);
            }
            last_table_then_signatures(&mut flow, heading, &table, &who, &date)?;
        }
    }
    doc.number_pages(5.0, &TextStyle::new(8.0).gray(0.35), |i, n| format!("第 {i} 页 / 共 {n} 页"));
    doc.render()
}

/// The monthly depreciation report.
pub fn depreciation_pdf(conn: &Conn, report: &MonthlyReport) -> Result<Vec<u8>> {
    let school = school_name(conn)?;
    let mut doc = Document::new(&format!("固定资产折旧表 {}", report.month.label()))?;
    {
        let mut flow =
            Flow::new(&mut doc, Sheet::A4Portrait, Margins { top: 14.0, right: 14.0, bottom: 14.0, left: 14.0 });
        let w = flow.start().width;
        flow.line(
            &format!("{school}固定资产折旧表"),
            &TextStyle::new(17.0).bold().align(Align::Center).line_height(1.4),
        );
        flow.line(
            &format!("{} · 单位:元", report.month.label()),
            &TextStyle::new(10.0).align(Align::Center).gray(0.25),
        );
        flow.advance(2.0);
        flow.set_continuation(Some(format!("固定资产折旧表 {}(续)", report.month.label())));
        let explain = TextStyle::new(9.5).line_height(1.4);
        flow.paragraph(&report.rule_text, &explain);
        flow.paragraph(&report.method_text, &explain);
        flow.advance(2.0);
        flow.line("一、按类别汇总", &TextStyle::new(12.0).bold());
        flow.advance(1.0);
        let mut table = Table::new(vec![
            Column::new("类别代码", w * 0.14),
            Column::new("类别名称", w * 0.2),
            Column::new("资产数", w * 0.09).right(),
            Column::new("原值", w * 0.15).right(),
            Column::new("本月折旧", w * 0.13).right(),
            Column::new("累计折旧", w * 0.15).right(),
            Column::new("净值", w * 0.14).right(),
        ]);
        table.style = TextStyle::new(9.5).line_height(1.25);
        table.min_row_height = 6.5;
        for c in &report.categories {
            table.row([
                c.code.clone(),
                c.name.clone(),
                c.count.to_string(),
                money(c.original),
                money(c.this_month),
                money(c.accumulated),
                money(c.net),
            ]);
        }
        let t = &report.total;
        table.total_row([
            String::new(),
            "合计".into(),
            t.count.to_string(),
            money(t.original),
            money(t.this_month),
            money(t.accumulated),
            money(t.net),
        ]);
        flow.table(&table)?;
        flow.advance(3.0);
        let heading = "二、资产明细";
        let who = ["制表", "资产管理员", "会计", "园长"];
        if report.lines.is_empty() {
            flow.line(heading, &TextStyle::new(12.0).bold());
            flow.advance(1.0);
            flow.paragraph("本月没有在账的资产。", &explain);
            signatures(&mut flow, &who, "");
        } else {
            let rows: Vec<[String; 9]> = report
                .lines
                .iter()
                .map(|l| {
                    [
                        l.number.clone(),
                        l.name.clone(),
                        l.category_name.clone(),
                        l.acquired_on.to_string(),
                        money(l.original),
                        super::categories::life_label(if l.depreciates { l.life_months } else { 0 }).replace(' ', ""),
                        money(l.this_month),
                        money(l.accumulated),
                        money(l.net),
                    ]
                })
                .collect();
            let titles = ["资产编号", "资产名称", "类别", "取得日期", "原值", "年限", "本月折旧", "累计折旧", "净值"];
            let size = 8.0;
            let fonts = flow.fonts().clone();
            // Numbers, dates and amounts get the width their longest entry
            // needs (an amount never breaks mid-number: 1,190,000.00); name
            // and category share what is left, and wrap.
            let fit = |i: usize| {
                let widest = rows.iter().map(|r| fonts.text_width(&r[i], size)).fold(0.0f32, f32::max);
                widest.max(fonts.text_width(titles[i], size)) + 2.0 * 1.5 + 1.0
            };
            let mut widths: Vec<f32> = (0..titles.len()).map(fit).collect();
            let fixed: f32 = widths.iter().enumerate().filter(|(i, _)| ![1, 2].contains(i)).map(|(_, w)| w).sum();
            let rest = (w - fixed).max(w * 0.2);
            widths[1] = rest * 0.6;
            widths[2] = rest * 0.4;
            let columns = titles
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (t, cw))| match i {
                    3 | 5 => Column::new(*t, *cw).center(),
                    4 | 6 | 7 | 8 => Column::new(*t, *cw).right(),
                    _ => Column::new(*t, *cw),
                })
                .collect();
            let mut table = Table::new(columns);
            table.style = TextStyle::new(size).line_height(1.25);
            table.min_row_height = 5.5;
            for r in rows {
                table.row(r);
            }
            last_table_then_signatures(&mut flow, heading, &table, &who, "")?;
        }
    }
    doc.number_pages(5.0, &TextStyle::new(8.0).gray(0.35), |i, n| format!("第 {i} 页 / 共 {n} 页"));
    doc.render()
}
