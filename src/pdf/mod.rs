//! Printable documents (PDF) in Chinese: the foundation every printout uses —
//! fee notices, refund statements, food-sample logs, issue slips.
//!
//! What is here:
//! - [`Fonts`]: the embedded WenQuanYi Micro Hei, fallback fonts for rare
//!   characters, text measurement ([`Fonts::text_width`]) and line breaking for
//!   Chinese and mixed text ([`Fonts::wrap`]); [`missing_glyphs`] to warn about
//!   names that cannot print before printing.
//! - [`Document`] and [`Page`]: pages (A4/A5, portrait/landscape) drawn in
//!   millimetres from the top-left corner — text with size, bold and
//!   left/right/centre alignment, wrapped text boxes, lines (solid or dashed)
//!   and rectangles.
//! - [`Flow`]: a cursor that fills regions top to bottom — whole pages, or the
//!   two A5 halves of an A4 sheet with a cut line — and moves to the next region
//!   when content does not fit, so nothing is ever cut off.
//! - [`Table`]: ruled tables with wrapped cells, a shaded header repeated after
//!   every break, bold total rows and an optional 第 X 页 / 共 Y 页 footer.
//! - [`sample`]: a fee-notice-shaped sample document, used by tests and as the
//!   worked example of the API.
//!
//! Deliberately not here: what goes on a particular printout (that belongs to
//! the module owning the data: refunds, food samples, supplies), images and
//! logos, colour, real bold or italic faces (bold is drawn as fill+stroke), text
//! shaping (Chinese needs none; glyphs are placed one by one), vertical text.
//!
//! Every string is checked against the fonts before it is drawn; a character no
//! font has makes [`Document::render`] fail with the list of strings and
//! characters, never print an empty box.
//!
//! ```no_run
//! use houqin::pdf::{Align, Column, Document, Flow, Margins, Sheet, Table, TextStyle};
//! # fn main() -> houqin::Result<()> {
//! let mut doc = Document::new("缴费通知单")?;
//! let mut flow = Flow::new(&mut doc, Sheet::TwoA5OnA4, Margins::uniform(10.0));
//! let r = flow.start();
//! flow.page().text(r.x + r.width / 2.0, r.y, "阳光幼儿园缴费通知单", &TextStyle::new(16.0).bold().align(Align::Center));
//! flow.advance(10.0);
//! let mut table = Table::new(vec![Column::new("收费项目", 60.0), Column::new("金额(元)", 30.0).right()]);
//! table.row(["伙食费", "231.00"]);
//! flow.table(&table)?;
//! flow.paragraph("3月3日至3月7日因病缺勤5天,退伙食费57.50元。", &TextStyle::new(10.0));
//! drop(flow);
//! let pdf: Vec<u8> = doc.render()?;
//! # Ok(()) }
//! ```

mod document;
#[cfg(test)]
mod edge_tests;
mod flow;
mod font;
mod labels;
pub mod sample;
mod table;
mod text;

pub use document::{Document, Ink, Page, PageSize};
pub use flow::{Flow, Margins, Region, Sheet};
pub use font::{missing_glyphs, unprintable, Fonts, FALLBACK_FONT_ENV};
pub use labels::{Cell, LabelGrid};
pub use sample::sample_notice_pdf;
pub use table::{Column, Row, Table};

/// Nothing is drawn closer than this to the paper's edge (millimetres):
/// printers leave 3–5 mm blank, and a copier cuts off more.
pub const MIN_EDGE_MM: f32 = 5.0;

/// Millimetres per PostScript point (1 pt = 1/72 inch).
pub const PT_TO_MM: f32 = 25.4 / 72.0;

/// Horizontal alignment of text relative to its anchor or box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Text starts at the anchor / box's left edge.
    #[default]
    Left,
    /// Text is centred on the anchor / in the box.
    Center,
    /// Text ends at the anchor / box's right edge (amounts).
    Right,
}

/// How a piece of text looks: size in points, bold, alignment, grey level, line height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Font size in points (五号 10.5, 小四 12, 四号 14, 三号 16, 小二 18).
    pub size: f32,
    /// Drawn with fill + stroke: the embedded font has no bold face.
    pub bold: bool,
    /// Alignment relative to the anchor (single line) or the box (wrapped text).
    pub align: Align,
    /// PDF grey level: 0 is black, 1 is white.
    pub gray: f32,
    /// Distance between baselines as a multiple of the size.
    pub line_height: f32,
}

impl TextStyle {
    /// Black, regular, left-aligned text of `size` points with 1.4 line height.
    pub fn new(size: f32) -> Self {
        TextStyle { size, bold: false, align: Align::Left, gray: 0.0, line_height: 1.4 }
    }
    /// The same style, bold.
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    /// The same style with another alignment.
    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }
    /// The same style in grey (0 black … 1 white).
    pub fn gray(mut self, gray: f32) -> Self {
        self.gray = gray;
        self
    }
    /// The same style with another line height (multiple of the size).
    pub fn line_height(mut self, factor: f32) -> Self {
        self.line_height = factor;
        self
    }
    /// Height of one line in millimetres.
    pub fn line_mm(&self) -> f32 {
        self.size * self.line_height * PT_TO_MM
    }
}

/// How a line or border is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    /// Line width in points.
    pub width: f32,
    /// PDF grey level: 0 is black, 1 is white.
    pub gray: f32,
    /// Dash and gap lengths in millimetres; `None` is a solid line.
    pub dash: Option<(f32, f32)>,
}

impl Stroke {
    /// A solid black line `width` points wide.
    pub fn new(width: f32) -> Self {
        Stroke { width, gray: 0.0, dash: None }
    }
    /// A thin solid black line (0.5 pt), for table rules.
    pub fn thin() -> Self {
        Stroke::new(0.5)
    }
    /// The same line dashed: `on` mm drawn, `off` mm gap (cut lines).
    pub fn dashed(mut self, on: f32, off: f32) -> Self {
        self.dash = Some((on, off));
        self
    }
    /// The same line in grey (0 black … 1 white).
    pub fn gray(mut self, gray: f32) -> Self {
        self.gray = gray;
        self
    }
}
