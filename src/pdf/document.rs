//! A document of pages, each drawn with a handful of primitives in millimetres
//! from the top-left corner, turned into PDF by printpdf at the end.
//!
//! Drawing never fails: a character no font has is noted on the page and the
//! whole document is refused at [`Document::render`], with every offending
//! string listed at once.

use std::collections::BTreeSet;
use std::path::Path;

use printpdf::{
    Color, FontId, Greyscale, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle,
    PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, Rect, TextItem, TextRenderingMode,
};

use crate::error::{Error, Result};

use super::font::{needs_glyph, FaceIndex, Fonts};
use super::{Align, Stroke, TextStyle, MIN_EDGE_MM, PT_TO_MM};

mod colour;

/// Where the baseline sits below the top of a line box, as a fraction of the
/// size: CJK glyphs fill roughly the em box from -0.12 to 0.88 em.
const BASELINE: f32 = 0.86;

/// Paper sizes in the orientations printouts use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSize {
    /// 210 × 297 mm.
    A4Portrait,
    /// 297 × 210 mm (wide tables: food-sample log, stocktake).
    A4Landscape,
    /// 148 × 210 mm.
    A5Portrait,
    /// 210 × 148 mm.
    A5Landscape,
}

impl PageSize {
    /// Width in millimetres.
    pub fn width(self) -> f32 {
        match self {
            PageSize::A4Portrait | PageSize::A5Landscape => 210.0,
            PageSize::A4Landscape => 297.0,
            PageSize::A5Portrait => 148.0,
        }
    }
    /// Height in millimetres.
    pub fn height(self) -> f32 {
        match self {
            PageSize::A4Portrait => 297.0,
            PageSize::A4Landscape | PageSize::A5Portrait => 210.0,
            PageSize::A5Landscape => 148.0,
        }
    }
}

fn pt(mm: f32) -> Pt {
    Pt(mm / PT_TO_MM)
}

fn gray(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level.clamp(0.0, 1.0), None))
}

/// The PDF resource name of a face; fixed so pages can refer to fonts before
/// the printpdf document exists. printpdf also uses its first six characters as
/// the subset tag, which must be six capital letters (ISO 32000-1, 9.6.4):
/// face 0 is `HQFAAA`, face 1 `HQFAAB`, …
fn font_id(face: FaceIndex) -> FontId {
    let letter = |n: usize| char::from(b'A' + (n % 26) as u8);
    FontId(format!("HQF{}{}{}", letter(face / 676), letter(face / 26), letter(face)))
}

/// The box around everything drawn on a page (glyph em boxes, lines with
/// their width, rectangles), in millimetres from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ink {
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

impl Ink {
    fn around(&mut self, other: Ink) {
        self.left = self.left.min(other.left);
        self.top = self.top.min(other.top);
        self.right = self.right.max(other.right);
        self.bottom = self.bottom.max(other.bottom);
    }

    /// The smallest distance from the ink to an edge of a `size` page.
    pub fn clearance(&self, size: PageSize) -> f32 {
        self.left.min(self.top).min(size.width() - self.right).min(size.height() - self.bottom)
    }
}

/// One page being drawn. Coordinates are millimetres from the top-left corner.
#[derive(Debug)]
pub struct Page {
    size: PageSize,
    fonts: Fonts,
    ops: Vec<Op>,
    faces: BTreeSet<FaceIndex>,
    missing: Vec<(String, Vec<char>)>,
    ink: Option<Ink>,
}

impl Page {
    fn new(size: PageSize, fonts: Fonts) -> Page {
        Page { size, fonts, ops: Vec::new(), faces: BTreeSet::new(), missing: Vec::new(), ink: None }
    }

    /// The box around everything drawn so far (`None`: a blank page). What
    /// the margin checks read: nothing may come within [`MIN_EDGE_MM`] of the paper's edge.
    pub fn ink(&self) -> Option<Ink> {
        self.ink
    }

    fn mark(&mut self, left: f32, top: f32, right: f32, bottom: f32) {
        let new = Ink { left: left.min(right), top: top.min(bottom), right: left.max(right), bottom: top.max(bottom) };
        match self.ink.as_mut() {
            Some(ink) => ink.around(new),
            None => self.ink = Some(new),
        }
    }

    /// The paper size.
    pub fn size(&self) -> PageSize {
        self.size
    }
    /// Page width in millimetres.
    pub fn width(&self) -> f32 {
        self.size.width()
    }
    /// Page height in millimetres.
    pub fn height(&self) -> f32 {
        self.size.height()
    }
    /// The fonts this page is set in, for measuring.
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Draws one line of text whose line box starts at `y` (top); `x` is the
    /// left end, centre or right end depending on `style.align`. Line breaks in
    /// `text` are ignored (use [`Page::text_box`]). Returns the width drawn (mm).
    pub fn text(&mut self, x: f32, y: f32, text: &str, style: &TextStyle) -> f32 {
        let size_mm = style.size * PT_TO_MM;
        // Half the leading above the glyphs, so a line centred in its box looks centred.
        let top = y + (style.line_height - 1.0).max(0.0) * size_mm / 2.0;
        self.draw_line_at_top(x, top, text, style)
    }

    /// `text` without the line box's leading: `top` is the top of the glyphs' em box.
    fn draw_line_at_top(&mut self, x: f32, top: f32, text: &str, style: &TextStyle) -> f32 {
        let width = self.fonts.text_width(text, style.size);
        let left = match style.align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        let baseline = top + BASELINE * style.size * PT_TO_MM;
        self.show(left, baseline, text, style);
        if !text.trim().is_empty() {
            let size_mm = style.size * PT_TO_MM;
            self.mark(left, top, left + width, top + size_mm);
        }
        width
    }

    /// Wraps `text` into a box `width` mm wide starting at (`x`, `y`), aligning
    /// each line in the box per `style.align`. Returns the height used: lines ×
    /// [`TextStyle::line_mm`]. Nothing is clipped: a caller that must stay in a
    /// fixed height measures first with [`Fonts::wrap`] (or uses a [`super::Flow`]).
    pub fn text_box(&mut self, x: f32, y: f32, width: f32, text: &str, style: &TextStyle) -> f32 {
        let lines = self.fonts.wrap(text, style.size, width);
        self.lines(x, y, width, &lines, style)
    }

    /// Draws already wrapped lines in a box `width` mm wide; returns the height used.
    pub fn lines(&mut self, x: f32, y: f32, width: f32, lines: &[String], style: &TextStyle) -> f32 {
        let anchor = match style.align {
            Align::Left => x,
            Align::Center => x + width / 2.0,
            Align::Right => x + width,
        };
        let lh = style.line_mm();
        for (i, line) in lines.iter().enumerate() {
            self.text(anchor, y + i as f32 * lh, line, style);
        }
        lines.len() as f32 * lh
    }

    /// Splits `text` into runs by font and emits one text section per run:
    /// inside a section printpdf positions the cursor relatively, so separate
    /// sections keep every run exactly where it was measured to be.
    fn show(&mut self, left: f32, baseline: f32, text: &str, style: &TextStyle) {
        let mut missing: Vec<char> = Vec::new();
        let mut runs: Vec<(FaceIndex, f32, String)> = Vec::new();
        let mut x_em = 0.0f32;
        for c in text.chars() {
            let advance = self.fonts.advance_em(c);
            if needs_glyph(c) {
                match self.fonts.resolve(c) {
                    Some((face, _)) => match runs.last_mut() {
                        Some((f, _, s)) if *f == face && !s.is_empty() => s.push(c),
                        _ => runs.push((face, x_em, c.to_string())),
                    },
                    None => {
                        if !missing.contains(&c) {
                            missing.push(c);
                        }
                        // Break the run: the next glyph starts after the gap.
                        runs.push((0, x_em + advance, String::new()));
                    }
                }
            } else if c == ' ' {
                // A space inside a run of the embedded font is drawn by it (same
                // advance as measured); anywhere else it just moves the next run.
                match runs.last_mut() {
                    Some((0, _, s)) if !s.is_empty() => s.push(c),
                    _ => runs.push((0, x_em + advance, String::new())),
                }
            } else {
                // Other whitespace/control characters: skip, keeping the measured advance.
                runs.push((0, x_em + advance, String::new()));
            }
            x_em += advance;
        }
        if !missing.is_empty() && !self.missing.iter().any(|(t, _)| t == text) {
            self.missing.push((text.to_string(), missing));
        }
        let needs_state = style.bold || style.gray > 0.0;
        if needs_state {
            self.ops.push(Op::SaveGraphicsState);
            if style.gray > 0.0 {
                self.ops.push(Op::SetFillColor { col: gray(style.gray) });
            }
            if style.bold {
                self.ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::FillStroke });
                // A stroke of ~3% of the size thickens strokes without filling in
                // the counters of dense characters like 餐 or 缴.
                self.ops.push(Op::SetOutlineThickness { pt: Pt(style.size * 0.03) });
                self.ops.push(Op::SetOutlineColor { col: gray(style.gray) });
            }
        }
        let size_mm = style.size * PT_TO_MM;
        let page_h = self.height();
        for (face, start_em, run) in runs {
            let run = run.trim_end();
            if run.is_empty() {
                continue;
            }
            self.faces.insert(face);
            let x = left + start_em * size_mm;
            self.ops.extend([
                Op::StartTextSection,
                Op::SetFont { font: PdfFontHandle::External(font_id(face)), size: Pt(style.size) },
                Op::SetTextCursor { pos: Point { x: pt(x), y: pt(page_h - baseline) } },
                Op::ShowText { items: vec![TextItem::Text(run.to_string())] },
                Op::EndTextSection,
            ]);
        }
        if needs_state {
            self.ops.push(Op::RestoreGraphicsState);
        }
    }

    fn begin_stroke(&mut self, stroke: &Stroke) {
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetOutlineThickness { pt: Pt(stroke.width) });
        if stroke.gray > 0.0 {
            self.ops.push(Op::SetOutlineColor { col: gray(stroke.gray) });
        }
        if let Some((on, off)) = stroke.dash {
            self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[on / PT_TO_MM, off / PT_TO_MM]) });
        }
    }

    fn point(&self, x: f32, y: f32) -> LinePoint {
        LinePoint { p: Point { x: pt(x), y: pt(self.height() - y) }, bezier: false }
    }

    /// A straight line from (`x1`, `y1`) to (`x2`, `y2`).
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, stroke: &Stroke) {
        let half = stroke.width * PT_TO_MM / 2.0;
        self.mark(x1.min(x2) - half, y1.min(y2) - half, x1.max(x2) + half, y1.max(y2) + half);
        self.begin_stroke(stroke);
        let points = vec![self.point(x1, y1), self.point(x2, y2)];
        self.ops.push(Op::DrawLine { line: printpdf::Line { points, is_closed: false } });
        self.ops.push(Op::RestoreGraphicsState);
    }

    /// Straight segments through `points` (mm), closed back to the first if `closed`.
    fn polyline(&mut self, points: &[(f32, f32)], closed: bool, stroke: &Stroke) {
        let half = stroke.width * PT_TO_MM / 2.0;
        for &(x, y) in points {
            self.mark(x - half, y - half, x + half, y + half);
        }
        self.begin_stroke(stroke);
        let points = points.iter().map(|&(x, y)| self.point(x, y)).collect();
        self.ops.push(Op::DrawLine { line: printpdf::Line { points, is_closed: closed } });
        self.ops.push(Op::RestoreGraphicsState);
    }

    /// A small pair of scissors (✂) drawn with lines, `size` mm long, its
    /// blades pointing right and centred on `y`: the fonts have no ✂ glyph
    /// (see [`Page::cut_line`]), and a tear-off strip should show where to cut.
    pub fn scissors(&mut self, x: f32, y: f32, size: f32, stroke: &Stroke) {
        let r = size * 0.16;
        // Two finger rings on the left, one above and one below the line.
        for dy in [-1.0f32, 1.0] {
            let (cx, cy) = (x + r, y + dy * size * 0.24);
            let ring: Vec<(f32, f32)> = (0..10)
                .map(|i| {
                    let a = i as f32 * std::f32::consts::TAU / 10.0;
                    (cx + r * a.cos(), cy + r * a.sin())
                })
                .collect();
            self.polyline(&ring, true, stroke);
        }
        // Two blades from the rings, crossing at the pivot and meeting the tip side.
        let pivot = (x + size * 0.5, y);
        let tip = x + size;
        for dy in [-1.0f32, 1.0] {
            let from = (x + 2.0 * r * 0.9, y + dy * size * 0.2);
            self.polyline(&[from, pivot, (tip, y - dy * size * 0.2)], false, stroke);
        }
    }

    /// A rectangle with its top-left corner at (`x`, `y`): filled with grey
    /// `fill` (0 black … 1 white) if given, then outlined with `stroke` if given.
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, stroke: Option<&Stroke>, fill: Option<f32>) {
        let half = stroke.map_or(0.0, |s| s.width * PT_TO_MM / 2.0);
        if stroke.is_some() || fill.is_some() {
            self.mark(x - half, y - half, x + width + half, y + height + half);
        }
        let bottom = self.height() - y - height;
        let r = |mode| Rect {
            x: pt(x),
            y: pt(bottom),
            width: pt(width),
            height: pt(height),
            mode: Some(mode),
            winding_order: None,
        };
        if let Some(level) = fill {
            let rect = r(PaintMode::Fill);
            self.ops.push(Op::SaveGraphicsState);
            self.ops.push(Op::SetFillColor { col: gray(level) });
            self.ops.push(Op::DrawRectangle { rectangle: rect });
            self.ops.push(Op::RestoreGraphicsState);
        }
        if let Some(s) = stroke {
            let rect = r(PaintMode::Stroke);
            self.begin_stroke(s);
            self.ops.push(Op::DrawRectangle { rectangle: rect });
            self.ops.push(Op::RestoreGraphicsState);
        }
    }

    /// A dashed horizontal cut line across the page at `y`, with a small
    /// 沿此线剪开 label in a gap in the middle.
    pub fn cut_line(&mut self, y: f32) {
        let style = TextStyle::new(7.0).gray(0.45).align(Align::Center);
        // No ✂: the embedded font lacks it, and a decoration is not worth reading
        // a 19 MB fallback font for, or printing differently from machine to machine.
        let label = "沿此线剪开";
        let half_gap = self.fonts.text_width(label, style.size) / 2.0 + 2.0;
        let mid = self.width() / 2.0;
        let stroke = Stroke::new(0.5).gray(0.45).dashed(2.0, 1.5);
        // Dashes to a hair inside the printable area (line width included).
        let end = MIN_EDGE_MM + 0.5;
        self.line(end, y, mid - half_gap, y, &stroke);
        self.line(mid + half_gap, y, self.width() - end, y, &stroke);
        let size_mm = style.size * PT_TO_MM;
        self.draw_line_at_top(mid, y - size_mm / 2.0, label, &style);
    }
}

/// A document being built: pages in order, all set in the same [`Fonts`].
#[derive(Debug)]
pub struct Document {
    title: String,
    fonts: Fonts,
    pages: Vec<Page>,
}

impl Document {
    /// An empty document with the default fonts ([`Fonts::system`]); `title`
    /// is the PDF title viewers show.
    pub fn new(title: &str) -> Result<Document> {
        Ok(Document::with_fonts(title, Fonts::system()?))
    }

    /// An empty document set in `fonts`.
    pub fn with_fonts(title: &str, fonts: Fonts) -> Document {
        Document { title: title.to_string(), fonts, pages: Vec::new() }
    }

    /// The fonts, for measuring and wrapping before drawing.
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Appends a blank page and returns it for drawing.
    pub fn add_page(&mut self, size: PageSize) -> &mut Page {
        self.pages.push(Page::new(size, self.fonts.clone()));
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// The page at `index` (0-based), to draw on it again.
    pub fn page_mut(&mut self, index: usize) -> Option<&mut Page> {
        self.pages.get_mut(index)
    }

    /// The page at `index`, or the last one if there is no such page (adding
    /// one of `size` to an empty document): for [`super::Flow`], whose regions
    /// always refer to pages it added.
    pub(crate) fn page_or_last(&mut self, index: usize, size: PageSize) -> &mut Page {
        if self.pages.is_empty() {
            return self.add_page(size);
        }
        let i = index.min(self.pages.len() - 1);
        &mut self.pages[i]
    }

    /// Number of pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The smallest distance from anything drawn to the paper's edge, over
    /// all pages (`None`: nothing drawn).
    pub fn edge_clearance(&self) -> Option<f32> {
        self.pages.iter().filter_map(|p| p.ink.map(|i| i.clearance(p.size))).reduce(f32::min)
    }

    /// Writes a footer on every page, centred `from_bottom` mm above the bottom
    /// edge (or higher: its line never comes within [`MIN_EDGE_MM`] of the
    /// edge): `label(page, pages)` with 1-based page numbers, e.g.
    /// `|i, n| format!("第 {i} 页 / 共 {n} 页")`. Call once all pages exist.
    pub fn number_pages(&mut self, from_bottom: f32, style: &TextStyle, label: impl Fn(usize, usize) -> String) {
        let n = self.pages.len();
        let centre = from_bottom.max(MIN_EDGE_MM + style.line_mm() / 2.0);
        for (i, page) in self.pages.iter_mut().enumerate() {
            let (x, y) = (page.width() / 2.0, page.height() - centre - style.line_mm() / 2.0);
            page.text(x, y, &label(i + 1, n), &style.align(Align::Center));
        }
    }

    /// Every string drawn so far that contains characters no font has.
    pub fn missing_glyphs(&self) -> Vec<(String, Vec<char>)> {
        let mut all: Vec<(String, Vec<char>)> = Vec::new();
        for (text, chars) in self.pages.iter().flat_map(|p| p.missing.iter()) {
            if !all.iter().any(|(t, _)| t == text) {
                all.push((text.clone(), chars.clone()));
            }
        }
        all
    }

    /// The finished PDF: fonts subset to the glyphs used, streams compressed.
    /// Fails, listing them, if any string has characters no font can draw, and
    /// if the document has no pages.
    pub fn render(self) -> Result<Vec<u8>> {
        let missing = self.missing_glyphs();
        if !missing.is_empty() {
            return Err(self.fonts.missing_error(&missing));
        }
        if self.pages.is_empty() {
            return Err(Error::invalid("没有可打印的内容(文档没有页)"));
        }
        let mut pdf = PdfDocument::new(&self.title);
        pdf.metadata.info.producer = "Houqin 后勤".to_string();
        pdf.metadata.info.creator = "Houqin 后勤".to_string();
        let faces: BTreeSet<FaceIndex> = self.pages.iter().flat_map(|p| p.faces.iter().copied()).collect();
        for face in faces {
            let parsed = self
                .fonts
                .face(face)
                .ok_or_else(|| Error::invalid(format!("内部错误:页面引用了不存在的字体 {face}")))?
                .parsed
                .clone();
            pdf.resources.fonts.map.insert(font_id(face), PdfFont::new(parsed));
        }
        let pages = self.pages.into_iter().map(|p| PdfPage::new(Mm(p.width()), Mm(p.height()), p.ops)).collect();
        let mut warnings = Vec::new();
        let bytes = pdf.with_pages(pages).save(&PdfSaveOptions::default(), &mut warnings);
        // printpdf reports problems (a font it could not subset or embed) as
        // warnings next to a PDF that may show blanks: refuse rather than print that.
        let errors: Vec<String> =
            warnings.into_iter().filter(|w| w.severity == PdfParseErrorSeverity::Error).map(|w| w.msg).collect();
        if !errors.is_empty() {
            return Err(Error::invalid(format!("生成 PDF 失败:{}", errors.join(";"))));
        }
        Ok(bytes)
    }

    /// Renders and writes the PDF to `path`.
    pub fn save(self, path: &Path) -> Result<()> {
        crate::output_file::write_bytes_atomic(path, &self.render()?)
    }
}
