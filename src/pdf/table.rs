//! Ruled tables drawn into a [`Flow`]: wrapped cells that grow their row, a
//! shaded bold header repeated after every break, rows split across regions
//! only when a row is taller than a whole region, and an optional
//! 第 X 页 / 共 Y 页 footer under each part of the table.

use crate::error::{Error, Result};

use super::flow::{Flow, Region};
use super::{Align, Stroke, TextStyle, MIN_EDGE_MM};

/// One column: title, width in millimetres, alignment of its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text (wraps if narrower than the title).
    pub title: String,
    /// Width in mm, borders included.
    pub width: f32,
    /// How cell text is aligned (amounts: right).
    pub align: Align,
}

impl Column {
    /// A left-aligned column.
    pub fn new(title: impl Into<String>, width: f32) -> Self {
        Column { title: title.into(), width, align: Align::Left }
    }
    /// The same column, right-aligned (amounts, quantities).
    pub fn right(mut self) -> Self {
        self.align = Align::Right;
        self
    }
    /// The same column, centred (dates, short codes).
    pub fn center(mut self) -> Self {
        self.align = Align::Center;
        self
    }
}

/// One row of cells (fewer cells than columns leave the rest empty).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// Cell texts, one per column; `\n` forces a line break.
    pub cells: Vec<String>,
    /// Bold text (total rows, 合计).
    pub bold: bool,
    /// Background grey (0 black … 1 white), `None` for none.
    pub fill: Option<f32>,
}

/// A table: columns, rows and how they look. Drawn with [`Flow::table`].
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The columns, left to right. If they are wider than the region in total,
    /// all are narrowed in proportion so the table never runs off the page.
    pub columns: Vec<Column>,
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
    /// Cell text style (its alignment is replaced by each column's).
    pub style: TextStyle,
    /// Header background grey.
    pub header_fill: f32,
    /// Space between the rules and the text, left/right, in mm.
    pub padding_x: f32,
    /// Space between the rules and the text, top/bottom, in mm.
    pub padding_y: f32,
    /// Rows are at least this tall (mm), even with short text.
    pub min_row_height: f32,
    /// Draw the header again at the top of each region the table continues in.
    pub repeat_header: bool,
    /// Write 第 X 页 / 共 Y 页 below each part of the table (in the bottom margin).
    pub page_footer: bool,
    /// The rules.
    pub stroke: Stroke,
}

impl Table {
    /// An empty table with 10 pt text, a shaded header and thin rules.
    pub fn new(columns: Vec<Column>) -> Self {
        Table {
            columns,
            rows: Vec::new(),
            style: TextStyle::new(10.0).line_height(1.3),
            header_fill: 0.88,
            padding_x: 1.5,
            padding_y: 1.2,
            min_row_height: 7.0,
            repeat_header: true,
            page_footer: false,
            stroke: Stroke::thin(),
        }
    }

    /// Appends a row of plain cells.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        self.rows.push(Row { cells: cells.into_iter().map(Into::into).collect(), bold: false, fill: None });
        self
    }

    /// Appends a bold, lightly shaded row (合计).
    pub fn total_row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        self.rows.push(Row { cells: cells.into_iter().map(Into::into).collect(), bold: true, fill: Some(0.95) });
        self
    }

    /// Total width of the columns in mm.
    pub fn width(&self) -> f32 {
        self.columns.iter().map(|c| c.width).sum()
    }
}

/// A row measured for drawing: its cells' lines.
struct Laid {
    lines: Vec<Vec<String>>,
    count: usize,
    style: TextStyle,
    fill: Option<f32>,
}

impl Flow<'_> {
    /// Draws `table` at the cursor, breaking to the next region (and repeating
    /// the header) as needed; the cursor ends below the table. Fails if a row
    /// has more cells than there are columns, or a region cannot hold even the
    /// header and one line.
    pub fn table(&mut self, table: &Table) -> Result<()> {
        if table.columns.is_empty() {
            return Err(Error::invalid("表格没有列"));
        }
        if let Some((i, row)) = table.rows.iter().enumerate().find(|(_, r)| r.cells.len() > table.columns.len()) {
            return Err(Error::invalid(format!(
                "表格第 {} 行有 {} 格,但只有 {} 列",
                i + 1,
                row.cells.len(),
                table.columns.len()
            )));
        }
        let region = self.region();
        let total = table.width();
        let scale = if total > region.width && total > 0.0 { region.width / total } else { 1.0 };
        let widths: Vec<f32> = table.columns.iter().map(|c| c.width * scale).collect();
        let fonts = self.fonts().clone();
        let text_w = |i: usize| (widths[i] - 2.0 * table.padding_x).max(1.0);
        let lh = table.style.line_mm();
        let row_height = |lines: usize| (lines as f32 * lh + 2.0 * table.padding_y).max(table.min_row_height);

        let header_style = table.style.bold();
        let header = Laid {
            lines: table
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| fonts.wrap(&c.title, header_style.size, text_w(i)))
                .collect(),
            count: 0,
            style: header_style,
            fill: Some(table.header_fill),
        };
        let header_lines = header.lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let header_h = row_height(header_lines);
        let aligns_header = vec![Align::Center; widths.len()];
        let aligns: Vec<Align> = table.columns.iter().map(|c| c.align).collect();

        let rows: Vec<Laid> = table
            .rows
            .iter()
            .map(|row| {
                let style = if row.bold { table.style.bold() } else { table.style };
                let lines: Vec<Vec<String>> = (0..widths.len())
                    .map(|i| {
                        let text = row.cells.get(i).map(String::as_str).unwrap_or("");
                        fonts.wrap(text, style.size, text_w(i))
                    })
                    .collect();
                let count = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
                Laid { lines, count, style, fill: row.fill }
            })
            .collect();

        // Start where the header and the first row fit together (or, for a row
        // taller than a region, the header and the row's first line).
        let fresh_capacity = region.height - header_h - self.continuation_height();
        if fresh_capacity < row_height(1) {
            return Err(Flow::too_small("表头和一行"));
        }
        let first = rows.first().map_or(0.0, |r| {
            let whole = row_height(r.count);
            if whole <= fresh_capacity {
                whole
            } else {
                row_height(1)
            }
        });
        let mut regions: Vec<Region> = vec![self.ensure(header_h + first)];
        self.draw_row(&widths, &aligns_header, &header, 0..header_lines, header_h, table);
        let mut rows_here = 0usize;
        // Right after a break only the header is in the region: if not even one
        // line fits there, no amount of breaking will help.
        let mut just_broke = false;

        for laid in &rows {
            let mut start = 0usize;
            loop {
                let rest = laid.count - start;
                let avail = self.remaining();
                if row_height(rest) <= avail + 1e-3 {
                    self.draw_row(&widths, &aligns, laid, start..laid.count, row_height(rest), table);
                    rows_here += 1;
                    just_broke = false;
                    break;
                }
                if start == 0 && rows_here > 0 && row_height(laid.count) <= fresh_capacity {
                    // Keep the row whole: it fits a fresh region.
                    regions.push(self.table_break(table, &widths, &aligns_header, &header, header_lines, header_h));
                    rows_here = 0;
                    just_broke = true;
                    continue;
                }
                let fit = ((avail - 2.0 * table.padding_y + 1e-3) / lh).floor().max(0.0) as usize;
                let fit = fit.min(rest);
                if fit == 0 {
                    if just_broke {
                        return Err(Flow::too_small("表格的一行"));
                    }
                } else {
                    // Taller than a region: fill this one, go on in the next.
                    self.draw_row(&widths, &aligns, laid, start..start + fit, avail, table);
                    start += fit;
                    if start >= laid.count {
                        rows_here += 1;
                        break;
                    }
                }
                regions.push(self.table_break(table, &widths, &aligns_header, &header, header_lines, header_h));
                rows_here = 0;
                just_broke = true;
            }
        }

        if table.page_footer {
            let n = regions.len();
            let style = TextStyle::new(8.0).gray(0.3).align(Align::Center);
            for (i, r) in regions.iter().enumerate() {
                let x = r.x + r.width / 2.0;
                if let Some(page) = self.page_at(r.page) {
                    // Below the table, but never in the strip a printer cannot print.
                    let y = (r.bottom() + 1.5).min(page.height() - MIN_EDGE_MM - style.line_mm());
                    page.text(x, y, &format!("第 {} 页 / 共 {n} 页", i + 1), &style);
                }
            }
        }
        Ok(())
    }

    fn table_break(
        &mut self,
        table: &Table,
        widths: &[f32],
        aligns: &[Align],
        header: &Laid,
        header_lines: usize,
        header_h: f32,
    ) -> Region {
        let r = self.break_region();
        if table.repeat_header {
            self.draw_row(widths, aligns, header, 0..header_lines, header_h, table);
        }
        r
    }

    /// Draws lines `range` of a row as one band `height` mm tall at the cursor.
    fn draw_row(
        &mut self,
        widths: &[f32],
        aligns: &[Align],
        laid: &Laid,
        range: std::ops::Range<usize>,
        height: f32,
        table: &Table,
    ) {
        let r = self.region();
        let y = self.y();
        let total: f32 = widths.iter().sum();
        let lh = laid.style.line_mm();
        let page = self.page();
        if let Some(fill) = laid.fill {
            page.rect(r.x, y, total, height, None, Some(fill));
        }
        let mut x = r.x;
        for (i, w) in widths.iter().enumerate() {
            let cell = &laid.lines[i];
            let from = range.start.min(cell.len());
            let to = range.end.min(cell.len());
            let lines = &cell[from..to];
            // Centre the cell's lines vertically in the band.
            let top = y + (height - lines.len() as f32 * lh) / 2.0;
            let style = laid.style.align(aligns[i]);
            page.lines(x + table.padding_x, top, w - 2.0 * table.padding_x, lines, &style);
            page.rect(x, y, *w, height, Some(&table.stroke), None);
            x += w;
        }
        self.set_y(y + height);
    }
}
