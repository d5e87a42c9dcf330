//! The kitchen's printouts (PDF), drawn with the PDF foundation ([`crate::pdf`]):
//!
//! - [`samples_pdf`]: the month's 食品留样记录表 on A4 landscape, in the columns
//!   inspectors know — 日期 | 餐次 | 食品名称 | 留样量(克) | 留样时间(月日时) |
//!   留样人 | 处理时间 | 处理人 — with a row marked 未留样 for every dish on the
//!   menu without a sample, the per-day tally (应留 / 已留 / 未留), the month's
//!   totals and the reviewer's signature line. Closures are marked where they
//!   fall, a day the children were away says why the kitchen cooked, a sample
//!   not yet discarded says 留样中 or 逾期未处理 (never a blank), and the
//!   problems found ([`super::checks`]) are listed under the tally.
//! - [`labels_pdf`]: sticker labels, 3 × 8 per A4 sheet (70 × 37 mm, the
//!   common sheet), one per sample: dish, meal, date and time to the hour,
//!   sampler, and when it may be discarded.
//! - [`log_pdf`]: the month's fridge temperature, tableware disinfection or
//!   morning health-check log, with signature lines; closures marked, and on
//!   the temperature log a 缺测 row for every day the fridge held samples
//!   (or the kitchen cooked) with fewer readings than the settings ask.
//!
//! Deliberately out: logos, label sizes other than 70 × 37 mm, a blank form
//! for handwriting (print a month with no entries instead).

use crate::store::Conn;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use std::path::Path;

use super::checks::{closure_marks, ClosureMark, Flag, FlagKind, Records};
use super::logs::{HealthCheck, LogKind};
use super::samples::{self, FoodSample};
use super::{in_session, settings, short_date, weekday_label, Meal};
use crate::dates::YearMonth;
use crate::notices::typeset;
use crate::pdf::{Align, Column, Document, Flow, LabelGrid, Margins, PageSize, Row, Sheet, Stroke, Table, TextStyle};
use crate::{Error, Result};

/// A rendered PDF and how many pages it has.
#[derive(Debug, Clone)]
pub struct Printed {
    pub pdf: Vec<u8>,
    pub pages: usize,
}

/// Renders `doc`; `numbered` writes 第 i 页 / 共 n 页 at the foot of every page
/// of a document longer than one page (never on label sheets: labels fill the page).
fn finish(mut doc: Document, numbered: bool) -> Result<Printed> {
    let pages = doc.page_count();
    if numbered && pages > 1 {
        doc.number_pages(7.0, &TextStyle::new(8.0).gray(0.3), |i, n| format!("第 {i} 页 / 共 {n} 页"));
    }
    Ok(Printed { pdf: doc.render()?, pages })
}

fn school_name(conn: &Conn) -> Result<String> {
    Ok(crate::school::profile::get(conn)?.map(|p| p.name).unwrap_or_default())
}

/// 11月20日11时 — the form's 月日时.
fn month_day_hour(t: NaiveDateTime) -> String {
    format!("{}月{}日{}时", t.month(), t.day(), t.hour())
}

/// 11月20日 11:30 — to the minute, so a 47:59 discard is visible as such.
fn month_day_time(t: NaiveDateTime) -> String {
    format!("{}月{}日 {:02}:{:02}", t.month(), t.day(), t.hour(), t.minute())
}

/// The title block: school + title centred, then a line with the month on
/// the left and `right` on the right.
fn heading(flow: &mut Flow<'_>, school: &str, title: &str, month: YearMonth, right: &str) {
    let r = flow.start();
    flow.line(&typeset(&format!("{school}{title}")), &TextStyle::new(16.0).bold().align(Align::Center));
    flow.advance(1.5);
    let small = TextStyle::new(9.5);
    let y = flow.y();
    let page = flow.page();
    page.text(r.x, y, &month.label(), &small);
    page.text(r.right(), y, &typeset(right), &small.align(Align::Right));
    flow.advance(small.line_mm() + 1.0);
    // Pages after the first say which log and month they continue: an
    // inspector leafing through loose sheets must not have to guess.
    flow.set_continuation(Some(typeset(&format!("{school}{title} {}(续)", month.label()))));
}

/// Printed text takes full-width punctuation in Chinese, like every other
/// document ([`typeset`]); the cells and titles are built with ASCII, as the
/// messages the screens show are.
fn typeset_table(mut t: Table) -> Table {
    for c in &mut t.columns {
        c.title = typeset(&c.title);
    }
    for r in &mut t.rows {
        for cell in &mut r.cells {
            *cell = typeset(cell);
        }
    }
    t
}

/// Signature lines (name: ______) spread over one line, kept together.
fn signatures(flow: &mut Flow<'_>, who: &[&str]) {
    let sign = TextStyle::new(10.5);
    flow.advance(6.0);
    let r = flow.ensure(sign.line_mm() + 2.0);
    let y = flow.y();
    let base = y + sign.line_mm();
    let slot = r.width / who.len().max(1) as f32;
    let page = flow.page();
    for (i, label) in who.iter().enumerate() {
        let x = r.x + slot * i as f32;
        let w = page.text(x, y, &typeset(label), &sign);
        page.line(x + w + 1.0, base, x + slot - 10.0, base, &Stroke::new(0.4));
    }
    flow.advance(sign.line_mm() + 2.0);
}

fn log_margins() -> Margins {
    Margins { top: 12.0, right: 12.0, bottom: 14.0, left: 12.0 }
}

// ------------------------------------------------------------ the sample log

/// The month's sample log as it stands at `now`: every checked day (school
/// days and any day with a menu) up to today (later days are not printed).
pub fn samples_pdf(conn: &Conn, month: YearMonth, now: NaiveDateTime) -> Result<Printed> {
    let s = settings::get(conn)?;
    let school = school_name(conn)?;
    let from = month.first_day();
    let to = month.last_day().min(now.date());
    if to < from {
        return Err(Error::invalid(format!("{} 还没有开始,没有留样记录可以打印", month.label())));
    }
    let tallies = samples::tally(conn, from, to)?;
    let all = samples::samples_between(conn, from, to)?;
    let menus = samples::menus_between(conn, from, to)?;
    let records = Records::load(conn, from, to)?;
    let flags: Vec<Flag> =
        records.flags(now).into_iter().filter(|f| f.kind != FlagKind::FridgeReadingsMissing).collect();
    let marks = closure_marks(&records.cal, from, to);
    let looks = RowLooks { records: &records, now };

    let mut doc = Document::new(&format!("食品留样记录表 {}", month.label()))?;
    {
        let mut flow = Flow::new(&mut doc, Sheet::A4Landscape, log_margins());
        let rules = format!(
            "每餐每样菜品留样不少于 {} 克,密封冷藏于 {}–{} °C 的专用留样柜,保存 {} 小时以上",
            s.min_grams, s.fridge_min, s.fridge_max, s.retention_hours
        );
        heading(&mut flow, &school, "食品留样记录表", month, &rules);
        // The tables run from margin to margin like the heading's rule: the
        // dish names (and the missing dishes below) take what the others leave.
        let width = flow.region().width;
        let fixed = [30.0, 16.0, 24.0, 40.0, 28.0, 40.0, 28.0];
        let mut table = Table::new(vec![
            Column::new("日期", fixed[0]).center(),
            Column::new("餐次", fixed[1]).center(),
            Column::new("食品名称", width - fixed.iter().sum::<f32>()),
            Column::new("留样量(克)", fixed[2]).right(),
            Column::new("留样时间(月日时)", fixed[3]).center(),
            Column::new("留样人", fixed[4]).center(),
            Column::new("处理时间", fixed[5]).center(),
            Column::new("处理人", fixed[6]).center(),
        ]);
        table.min_row_height = 6.5;
        table.style = TextStyle::new(9.5).line_height(1.25);
        let mut rows = 0usize;
        let mut marks_left = marks.iter().peekable();
        for t in &tallies {
            while let Some(m) = marks_left.next_if(|m| m.from <= t.date) {
                table.rows.push(mark_row(m, SAMPLE_MARK));
            }
            let day_menu = menus.get(&t.date);
            let date_text = format!("{} {}", short_date(t.date), weekday_label(t.date));
            if !t.school_day {
                table.rows.push(off_day_row(&records, &date_text, t.date));
            }
            let mut meals: Vec<Meal> = day_menu.map(|m| m.keys().copied().collect()).unwrap_or_default();
            meals.sort();
            for meal in meals {
                for dish in day_menu.and_then(|m| m.get(&meal)).into_iter().flatten() {
                    let sample = all.iter().find(|x| x.date == t.date && x.meal == meal && &x.dish == dish);
                    table.rows.push(looks.sample_row(&date_text, meal, dish, sample));
                    rows += 1;
                }
            }
            for meal in &t.meals_without_menu {
                table.rows.push(Row {
                    cells: vec![date_text.clone(), meal.label().into(), "(未登记菜单)".into(), "未留样".into()],
                    bold: false,
                    fill: Some(0.9),
                });
                rows += 1;
            }
        }
        for m in marks_left {
            table.rows.push(mark_row(m, SAMPLE_MARK));
        }
        // Samples of dishes later taken off the menu still belong in the log.
        for x in
            all.iter().filter(|x| !menus.get(&x.date).and_then(|m| m.get(&x.meal)).is_some_and(|d| d.contains(&x.dish)))
        {
            let date_text = format!("{} {}", short_date(x.date), weekday_label(x.date));
            table.rows.push(looks.sample_row(&date_text, x.meal, &x.dish, Some(x)));
            rows += 1;
        }
        if rows == 0 {
            table.row(["", "", "本月没有菜单和留样记录"]);
        }
        flow.table(&typeset_table(table))?;

        // The per-day tally inspectors count, and the month's totals.
        let due: usize = tallies.iter().map(|t| t.dishes).sum();
        let taken: usize = tallies.iter().map(|t| t.sampled).sum();
        let discarded = all.iter().filter(|x| x.discarded_at.is_some()).count();
        flow.advance(4.0);
        flow.line("每日留样情况", &TextStyle::new(11.0).bold());
        flow.advance(1.0);
        let mut summary = Table::new(vec![
            Column::new("日期", 30.0).center(),
            Column::new("应留样(份)", 24.0).right(),
            Column::new("已留样(份)", 24.0).right(),
            Column::new("未留样(份)", 24.0).right(),
            Column::new("未留样的菜品", width - 30.0 - 3.0 * 24.0),
        ]);
        summary.style = TextStyle::new(9.5).line_height(1.25);
        summary.min_row_height = 6.0;
        for t in &tallies {
            let mut missing: Vec<String> =
                t.missing.iter().map(|(meal, dishes)| format!("{}:{}", meal.label(), dishes.join("、"))).collect();
            missing.extend(t.meals_without_menu.iter().map(|m| format!("{}:未登记菜单", m.label())));
            let row = Row {
                cells: vec![
                    format!("{} {}", short_date(t.date), weekday_label(t.date)),
                    t.dishes.to_string(),
                    t.sampled.to_string(),
                    (t.dishes - t.sampled).to_string(),
                    if missing.is_empty() { "—".into() } else { missing.join(";") },
                ],
                bold: false,
                fill: if missing.is_empty() { None } else { Some(0.9) },
            };
            summary.rows.push(row);
        }
        summary.total_row([
            "合计".to_string(),
            due.to_string(),
            taken.to_string(),
            (due - taken).to_string(),
            format!("已处理 {discarded} 份,未处理 {} 份", all.len() - discarded),
        ]);
        flow.table(&typeset_table(summary))?;
        flow.advance(2.0);
        flow.paragraph(
            &typeset(&format!(
                "本月应留样 {due} 份,已留样 {taken} 份,未留样 {} 份。留样量不足 {} 克的不予登记。",
                due - taken,
                s.min_grams
            )),
            &TextStyle::new(9.5),
        );
        flags_table(&mut flow, &flags, width)?;
        signatures(&mut flow, &["食堂管理员:", "审核人:", "审核日期:"]);
    }
    finish(doc, true)
}

/// The problems found in the month's records, each with what to do; a line
/// saying there are none otherwise (the reader should not wonder).
fn flags_table(flow: &mut Flow<'_>, flags: &[Flag], width: f32) -> Result<()> {
    flow.advance(4.0);
    flow.line("需要说明的问题", &TextStyle::new(11.0).bold());
    flow.advance(1.0);
    if flags.is_empty() {
        flow.paragraph("本月记录未发现需要说明的问题。", &TextStyle::new(9.5));
        return Ok(());
    }
    let fixed = [30.0, 44.0];
    let rest = width - fixed.iter().sum::<f32>();
    let mut t = Table::new(vec![
        Column::new("日期", fixed[0]).center(),
        Column::new("问题", fixed[1]),
        Column::new("说明", rest * 0.6),
        Column::new("处理办法", rest * 0.4),
    ]);
    t.style = TextStyle::new(9.0).line_height(1.25);
    t.min_row_height = 6.0;
    for f in flags {
        t.row([
            format!("{} {}", short_date(f.date), weekday_label(f.date)),
            f.kind.title().to_string(),
            f.message.clone(),
            f.fix.clone(),
        ]);
    }
    flow.table(&typeset_table(t))
}

/// Where a log puts a day's mark: 停课/放假 in a short column, the reason in a wide one.
#[derive(Clone, Copy)]
struct MarkAt {
    label: usize,
    reason: usize,
    columns: usize,
    /// Add 幼儿不在园 after the reason (where the column has room for it).
    away: bool,
}

/// A closure, in any of the logs: its days, 停课/放假 and the reason (the
/// other cells empty), shaded.
fn mark_row(m: &ClosureMark, at: MarkAt) -> Row {
    let mut cells = vec![String::new(); at.columns];
    cells[0] = if m.from == m.to { format!("{} {}", m.days(), weekday_label(m.from)) } else { m.days() };
    cells[at.label] = m.label.to_string();
    cells[at.reason] = if at.away { format!("{}(幼儿不在园)", m.reason) } else { m.reason.clone() };
    Row { cells, bold: false, fill: Some(0.95) }
}

/// The line that opens a day the children were away on which the kitchen
/// cooked: the 非在园日供餐 reason, or that it is missing (shaded: a flag).
fn off_day_row(records: &Records, date_text: &str, d: NaiveDate) -> Row {
    let why = samples::off_day_reason(&records.cal, d).unwrap_or_default();
    match records.off_days.get(&d) {
        Some(reason) => Row {
            cells: vec![date_text.to_string(), String::new(), format!("非在园日({why})供餐:{reason}")],
            bold: false,
            fill: Some(0.95),
        },
        None => Row {
            cells: vec![date_text.to_string(), String::new(), format!("非在园日({why})供餐,未写明原因")],
            bold: false,
            fill: Some(0.85),
        },
    }
}

/// The sample log's mark: 停课 under 餐次, the reason under 食品名称.
const SAMPLE_MARK: MarkAt = MarkAt { label: 1, reason: 2, columns: 8, away: true };

/// How a sample row reads against the other records at the time of printing.
struct RowLooks<'a> {
    records: &'a Records,
    now: NaiveDateTime,
}

impl RowLooks<'_> {
    fn sample_row(&self, date_text: &str, meal: Meal, dish: &str, sample: Option<&FoodSample>) -> Row {
        let Some(x) = sample else {
            return Row {
                cells: vec![date_text.to_string(), meal.label().into(), dish.to_string(), "未留样".into()],
                bold: false,
                fill: Some(0.9),
            };
        };
        let mut flagged = false;
        let mut person = |name: &str, d: NaiveDate| match self.records.unfit_among(name, d) {
            Some(_) => {
                flagged = true;
                // No brackets: full-width ones would not fit the cell's width.
                format!("{name}\n晨检不宜上岗")
            }
            None => name.to_string(),
        };
        let sampler = person(&x.sampler, x.stored_at.date());
        let (when, by) = match (x.discarded_at, &x.discarded_by) {
            (Some(at), Some(by)) => (month_day_time(at), person(by, at.date())),
            _ if x.due_at <= self.now => {
                flagged = true;
                ("逾期未处理".to_string(), String::new())
            }
            _ => ("留样中".to_string(), String::new()),
        };
        Row {
            cells: vec![
                date_text.to_string(),
                meal.label().into(),
                dish.to_string(),
                x.weight.to_string(),
                month_day_time(x.stored_at),
                sampler,
                when,
                by,
            ],
            bold: false,
            fill: flagged.then_some(0.9),
        }
    }
}

/// Writes [`samples_pdf`] to `path`; returns the number of pages.
pub fn write_samples_pdf(conn: &Conn, month: YearMonth, now: NaiveDateTime, path: &Path) -> Result<usize> {
    write(path, samples_pdf(conn, month, now)?)
}

fn write(path: &Path, printed: Printed) -> Result<usize> {
    crate::output_file::write_bytes_atomic(path, &printed.pdf)?;
    Ok(printed.pages)
}

// ------------------------------------------------------------ labels

/// Label sheet geometry: 3 × 8 labels of 70 × 37 mm on A4 portrait.
const LABEL_COLS: usize = 3;
const LABEL_ROWS: usize = 8;
const LABEL_W: f32 = 70.0;
const LABEL_H: f32 = 37.0;

/// One label per sample of `date` (only `meal`'s if given), in log order.
pub fn labels_pdf(conn: &Conn, date: NaiveDate, meal: Option<Meal>) -> Result<Printed> {
    let s = settings::get(conn)?;
    let school = school_name(conn)?;
    let list: Vec<FoodSample> =
        samples::samples_between(conn, date, date)?.into_iter().filter(|x| meal.is_none_or(|m| x.meal == m)).collect();
    if list.is_empty() {
        return Err(Error::invalid(format!(
            "{} {}还没有留样记录,保存留样后才能打印标签",
            short_date(date),
            meal.map(|m| m.label()).unwrap_or("")
        )));
    }
    let mut doc = Document::new(&format!("留样标签 {date}"))?;
    let fonts = doc.fonts().clone();
    // 3 × 8 stickers of 70 × 37 mm centred on A4; the grid keeps every
    // line of text and outline at least 5 mm from the paper's edge.
    let page_size = PageSize::A4Portrait;
    let grid = LabelGrid::new(
        page_size,
        LABEL_COLS,
        LABEL_ROWS,
        (page_size.width() - LABEL_COLS as f32 * LABEL_W) / 2.0,
        (page_size.height() - LABEL_ROWS as f32 * LABEL_H) / 2.0,
    );
    for (i, x) in list.iter().enumerate() {
        if i % grid.per_page() == 0 {
            doc.add_page(page_size);
        }
        let slot = i % grid.per_page();
        let page = doc.page_mut(doc.page_count() - 1).ok_or_else(|| Error::invalid("内部错误:标签页不存在"))?;
        // A faint outline doubles as a cutting guide on plain paper.
        grid.outline(page, slot, 0.6, &Stroke::new(0.3).gray(0.75));
        let area = grid.content(slot, 3.5, 2.5, 3.5, 1.5);
        let (tx, tw) = (area.x, area.width);
        let (y0, bottom) = (area.y, area.bottom());
        let mut y = y0;
        let small = TextStyle::new(7.0).gray(0.3).line_height(1.25);
        page.text(tx, y, "食品留样", &small.bold());
        page.text(
            tx + tw,
            y,
            &fonts.wrap(&school, small.size, tw - 15.0).into_iter().next().unwrap_or_default(),
            &small.align(Align::Right),
        );
        y += small.line_mm() + 0.3;
        // The dish as large as fits on one line (down to 10 pt, then wrapped to two).
        let mut size = 16.0;
        while size > 10.0 && fonts.text_width(&x.dish, size) > tw {
            size -= 0.5;
        }
        let dish_style = TextStyle::new(size).bold().line_height(1.2);
        let lines: Vec<String> = fonts.wrap(&x.dish, size, tw).into_iter().take(2).collect();
        y += page.lines(tx, y, tw, &lines, &dish_style) + 0.5;
        let body = TextStyle::new(9.0).line_height(1.3);
        for (left, right) in [
            (format!("餐次:{}", x.meal_label), format!("留样量:{} 克", x.weight)),
            (format!("留样:{}年{}", x.stored_at.year(), month_day_hour(x.stored_at)), String::new()),
            (format!("留样人:{}", x.sampler), String::new()),
            // To the minute: rounded down to the hour it would invite a discard too early.
            (format!("可处理:{} 以后", month_day_time(x.due_at)), format!("（{} 小时）", s.retention_hours)),
        ] {
            let (left, right) = (typeset(&left), typeset(&right));
            if y + body.line_mm() > bottom {
                break;
            }
            let w = if right.is_empty() { tw } else { tw - fonts.text_width(&right, body.size) - 1.0 };
            let line = fonts.wrap(&left, body.size, w).into_iter().next().unwrap_or_default();
            page.text(tx, y, &line, &body);
            if !right.is_empty() {
                page.text(tx + tw, y, &right, &body.align(Align::Right));
            }
            y += body.line_mm();
        }
    }
    finish(doc, false)
}

/// Writes [`labels_pdf`] to `path`; returns the number of labels.
pub fn write_labels_pdf(conn: &Conn, date: NaiveDate, meal: Option<Meal>, path: &Path) -> Result<usize> {
    let n = samples::samples_between(conn, date, date)?.iter().filter(|x| meal.is_none_or(|m| x.meal == m)).count();
    write(path, labels_pdf(conn, date, meal)?)?;
    Ok(n)
}

// ------------------------------------------------------------ the daily logs

/// The month's log of `kind` on A4 portrait as it stands on `today`, with
/// signature lines. Closures are marked where they fall; the temperature log
/// has a 缺测 row for each day before today a fridge was read fewer times
/// than the settings ask while it held samples (or the kitchen cooked).
pub fn log_pdf(conn: &Conn, kind: LogKind, month: YearMonth, today: NaiveDate) -> Result<Printed> {
    let school = school_name(conn)?;
    let (from, to) = (month.first_day(), month.last_day());
    let records = Records::load(conn, from, to)?;
    let s = &records.s;
    let marks = closure_marks(&records.cal, from, to);
    let day_text = |d: NaiveDate| format!("{} {}", short_date(d), weekday_label(d));
    // Rows in the order of the day: (date, order within the day, row); a
    // closure comes first on its day, a 缺测 row last.
    let mut dated: Vec<(NaiveDate, String, Row)> = Vec::new();
    let mut doc = Document::new(&format!("{} {}", kind.title(), month.label()))?;
    {
        let mut flow = Flow::new(&mut doc, Sheet::A4Portrait, log_margins());
        let (right, mut table, note) = match kind {
            LogKind::Temperature => {
                let list = &records.readings;
                let t = Table::new(vec![
                    Column::new("日期", 26.0).center(),
                    Column::new("时间", 15.0).center(),
                    Column::new("留样柜", 26.0),
                    // Wide enough for the full-width brackets of the printed header.
                    Column::new("温度(°C)", 22.0).right(),
                    Column::new("是否正常", 18.0).center(),
                    Column::new("处理措施", 52.0),
                    Column::new("记录人", 27.0).center(),
                ]);
                for r in list {
                    dated.push((
                        r.date,
                        r.time.clone(),
                        Row {
                            cells: vec![
                                day_text(r.date),
                                r.time.clone(),
                                r.fridge.clone(),
                                r.temp.reading(),
                                if r.out_of_range { "超出范围".into() } else { "正常".into() },
                                r.action.clone(),
                                r.person.clone(),
                            ],
                            bold: false,
                            fill: r.out_of_range.then_some(0.9),
                        },
                    ));
                }
                let per_day = s.fridge_checks_per_day as usize;
                let mut short = 0;
                let mut d = from;
                while d <= to && d < today {
                    for (fridge, n, _) in records.readings_due(d) {
                        if n < per_day {
                            short += 1;
                            dated.push((
                                d,
                                "~".into(),
                                Row {
                                    cells: vec![
                                        day_text(d),
                                        String::new(),
                                        fridge.to_string(),
                                        String::new(),
                                        "缺测".into(),
                                        format!("应测 {per_day} 次,实测 {n} 次"),
                                        String::new(),
                                    ],
                                    bold: false,
                                    fill: Some(0.85),
                                },
                            ));
                        }
                    }
                    d += Duration::days(1);
                }
                let out = list.iter().filter(|r| r.out_of_range).count();
                (
                    format!(
                        "留样柜温度应在 {}–{} °C,有留样的每一天测 {} 次",
                        s.fridge_min, s.fridge_max, s.fridge_checks_per_day
                    ),
                    t,
                    format!("本月共测温 {} 次,超出范围 {out} 次,缺测 {short} 天次。", list.len()),
                )
            }
            LogKind::Disinfection => {
                let list = &records.disinfections;
                let t = Table::new(vec![
                    Column::new("日期", 26.0).center(),
                    Column::new("时间", 15.0).center(),
                    Column::new("消毒方式", 22.0).center(),
                    Column::new("消毒物品", 45.0),
                    Column::new("温度/浓度", 24.0).right(),
                    Column::new("时间(分钟)", 24.0).right(),
                    Column::new("消毒人", 30.0).center(),
                ]);
                for d in list {
                    dated.push((
                        d.date,
                        d.time.clone(),
                        Row {
                            cells: vec![
                                day_text(d.date),
                                d.time.clone(),
                                d.method_label.to_string(),
                                d.items.clone(),
                                format!("{} {}", d.intensity, d.unit),
                                d.minutes.to_string(),
                                d.person.clone(),
                            ],
                            bold: false,
                            fill: None,
                        },
                    ));
                }
                (
                    format!(
                        "蒸汽 ≥{} °C {} 分钟;红外线 ≥{} °C {} 分钟;含氯 ≥{} mg/L {} 分钟",
                        s.steam_min_c,
                        s.steam_min_minutes,
                        s.infrared_min_c,
                        s.infrared_min_minutes,
                        s.chlorine_min_mg_l,
                        s.chlorine_min_minutes
                    ),
                    t,
                    format!("本月共消毒 {} 次。", list.len()),
                )
            }
            LogKind::Health => {
                let list: Vec<&HealthCheck> = records.health.iter().filter(|c| c.date <= to).collect();
                let t = Table::new(vec![
                    Column::new("日期", 26.0).center(),
                    Column::new("时间", 12.0).center(),
                    Column::new("姓名", 18.0).center(),
                    Column::new("体温(°C)", 22.0).right(),
                    Column::new("手部", 12.0).center(),
                    Column::new("症状", 24.0),
                    Column::new("可否上岗", 19.0).center(),
                    Column::new("处理", 34.0),
                    Column::new("检查人", 19.0).center(),
                ]);
                for c in &list {
                    let time = c.time.clone().unwrap_or_default();
                    dated.push((
                        c.date,
                        time.clone(),
                        Row {
                            cells: vec![
                                day_text(c.date),
                                if time.is_empty() { "—".into() } else { time },
                                c.staff.clone(),
                                c.temp.reading(),
                                if c.hands_label.is_empty() { "—".into() } else { c.hands_label.into() },
                                if c.symptoms.is_empty() { "无".into() } else { c.symptoms.join("、") },
                                if c.fit { "可".into() } else { "否".into() },
                                c.note.clone(),
                                c.checker.clone(),
                            ],
                            bold: false,
                            fill: (!c.fit).then_some(0.9),
                        },
                    ));
                }
                let unfit = list.iter().filter(|c| !c.fit).count();
                (
                    format!("体温 ≥{} °C、有症状或手部有伤口、化脓者不得从事接触直接入口食品的工作", s.fever),
                    t,
                    format!("本月共晨检 {} 人次,不宜上岗 {unfit} 人次。", list.len()),
                )
            }
        };
        let at = match kind {
            LogKind::Temperature => MarkAt { label: 4, reason: 5, columns: 7, away: true },
            LogKind::Disinfection => MarkAt { label: 2, reason: 3, columns: 7, away: true },
            // The 处理 column is narrow: the reason alone, on one line.
            LogKind::Health => MarkAt { label: 2, reason: 7, columns: 9, away: false },
        };
        for m in &marks {
            dated.push((m.from, String::new(), mark_row(m, at)));
        }
        // Days the children were away on which the kitchen cooked say why.
        for (d, reason) in &records.off_days {
            if kind != LogKind::Temperature && !in_session(&records.cal, *d) {
                let mut cells = vec![String::new(); at.columns];
                cells[0] = day_text(*d);
                cells[at.label] = "供餐".into();
                cells[at.reason] = format!("非在园日供餐:{reason}");
                dated.push((*d, String::new(), Row { cells, bold: false, fill: Some(0.95) }));
            }
        }
        dated.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        table.rows = dated.into_iter().map(|(_, _, row)| row).collect();
        heading(&mut flow, &school, kind.title(), month, &right);
        table.min_row_height = 6.5;
        table.style = TextStyle::new(9.5).line_height(1.25);
        if table.rows.is_empty() {
            table.row(["本月没有记录"]);
        }
        flow.table(&typeset_table(table))?;
        flow.advance(2.0);
        flow.paragraph(&typeset(&note), &TextStyle::new(9.5));
        signatures(&mut flow, &["食堂管理员:", "审核人:", "审核日期:"]);
    }
    finish(doc, true)
}

/// Writes [`log_pdf`] to `path`; returns the number of pages.
pub fn write_log_pdf(conn: &Conn, kind: LogKind, month: YearMonth, today: NaiveDate, path: &Path) -> Result<usize> {
    write(path, log_pdf(conn, kind, month, today)?)
}
