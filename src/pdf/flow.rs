//! Filling pages top to bottom: a cursor over a sequence of regions (whole
//! pages, or the two A5 halves of an A4 sheet) that moves on when content does
//! not fit, so a long notice continues in the next region instead of being cut.

use crate::error::Error;

use super::document::{Document, Page, PageSize};
use super::font::Fonts;
use super::{Align, TextStyle, MIN_EDGE_MM};

/// How regions are laid out on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    /// One region per A4 portrait page.
    A4Portrait,
    /// One region per A4 landscape page.
    A4Landscape,
    /// One region per A5 portrait page.
    A5Portrait,
    /// One region per A5 landscape page.
    A5Landscape,
    /// Two A5 landscape regions stacked on an A4 portrait page, with a dashed
    /// cut line between them (two notices per sheet).
    TwoA5OnA4,
}

impl Sheet {
    fn page_size(self) -> PageSize {
        match self {
            Sheet::A4Portrait | Sheet::TwoA5OnA4 => PageSize::A4Portrait,
            Sheet::A4Landscape => PageSize::A4Landscape,
            Sheet::A5Portrait => PageSize::A5Portrait,
            Sheet::A5Landscape => PageSize::A5Landscape,
        }
    }
    fn regions_per_page(self) -> usize {
        if self == Sheet::TwoA5OnA4 {
            2
        } else {
            1
        }
    }
}

/// Space kept free at the edges of each region, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Above the content.
    pub top: f32,
    /// Right of the content.
    pub right: f32,
    /// Below the content (page footers are drawn in it).
    pub bottom: f32,
    /// Left of the content.
    pub left: f32,
}

impl Margins {
    /// The same margin on all four sides.
    pub fn uniform(mm: f32) -> Self {
        Margins { top: mm, right: mm, bottom: mm, left: mm }
    }
}

/// A content box on one page, in millimetres from the page's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// Index of the page in the document (0-based).
    pub page: usize,
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Region {
    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.width
    }
    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }
}

/// A cursor that fills regions top to bottom, adding pages as needed.
///
/// [`Flow::start`] begins a new unit (a notice) in a fresh region;
/// [`Flow::ensure`] moves to the next region if what comes next does not fit,
/// writing the continuation note there (e.g. "王小明 缴费通知单(续)").
#[derive(Debug)]
pub struct Flow<'d> {
    doc: &'d mut Document,
    sheet: Sheet,
    margins: Margins,
    region: Option<Region>,
    /// Which region of the current page (0 or 1 for two A5 per A4).
    slot: usize,
    y: f32,
    continuation: Option<String>,
}

impl<'d> Flow<'d> {
    /// A flow that adds its pages to `doc`. No page is added until something
    /// is drawn. A margin under [`MIN_EDGE_MM`] is widened to it (and half a
    /// millimetre, for the width of a table's rules drawn on the region's edge).
    pub fn new(doc: &'d mut Document, sheet: Sheet, margins: Margins) -> Self {
        let m = |mm: f32| mm.max(MIN_EDGE_MM + 0.5);
        let margins =
            Margins { top: m(margins.top), right: m(margins.right), bottom: m(margins.bottom), left: m(margins.left) };
        Flow { doc, sheet, margins, region: None, slot: 0, y: 0.0, continuation: None }
    }

    /// The fonts, for measuring.
    pub fn fonts(&self) -> &Fonts {
        self.doc.fonts()
    }

    /// Moves to a fresh region (the next A5 half, or a new page) and returns it;
    /// stays put if the current region is still empty. Clears the continuation note.
    pub fn start(&mut self) -> Region {
        self.continuation = None;
        match self.region {
            Some(r) if self.y <= r.y => r,
            _ => self.next_region(),
        }
    }

    /// Moves to the top of a new page (e.g. each class's statement on its own
    /// sheet), even if the current page has a free A5 half. Clears the continuation note.
    pub fn new_page(&mut self) -> Region {
        self.continuation = None;
        match self.region {
            // Still on a blank page: stay.
            Some(r) if self.y <= r.y && self.slot == 0 => r,
            _ => {
                self.slot = self.sheet.regions_per_page();
                self.next_region()
            }
        }
    }

    /// The text written at the top of every region this flow spills into (`None`: nothing).
    pub fn set_continuation(&mut self, note: Option<String>) {
        self.continuation = note;
    }

    fn next_region(&mut self) -> Region {
        let per_page = self.sheet.regions_per_page();
        let new_page = self.region.is_none() || self.slot + 1 >= per_page;
        if new_page {
            let size = self.sheet.page_size();
            let page = self.doc.add_page(size);
            if self.sheet == Sheet::TwoA5OnA4 {
                page.cut_line(size.height() / 2.0);
            }
            self.slot = 0;
        } else {
            self.slot += 1;
        }
        let size = self.sheet.page_size();
        let slot_h = size.height() / per_page as f32;
        let m = self.margins;
        let r = Region {
            page: self.doc.page_count() - 1,
            x: m.left,
            y: slot_h * self.slot as f32 + m.top,
            width: size.width() - m.left - m.right,
            height: slot_h - m.top - m.bottom,
        };
        self.region = Some(r);
        self.y = r.y;
        r
    }

    /// The current region, starting the first one if needed.
    pub fn region(&mut self) -> Region {
        match self.region {
            Some(r) => r,
            None => self.next_region(),
        }
    }

    /// The page of the current region, for drawing at absolute positions.
    pub fn page(&mut self) -> &mut Page {
        let index = self.region().page;
        self.doc.page_or_last(index, self.sheet.page_size())
    }

    /// The cursor: where the next content goes, in mm from the page top.
    pub fn y(&mut self) -> f32 {
        self.region();
        self.y
    }

    /// Space left below the cursor in the current region, in mm.
    pub fn remaining(&mut self) -> f32 {
        let r = self.region();
        r.bottom() - self.y
    }

    /// Moves the cursor down by `dy` mm (not past the region's bottom).
    pub fn advance(&mut self, dy: f32) {
        let r = self.region();
        self.y = (self.y + dy).min(r.bottom());
    }

    /// Makes sure `height` mm fit below the cursor, moving to the next region
    /// (with the continuation note) if not. Returns the region to draw in. A
    /// block taller than a whole region is started in a fresh one; the caller
    /// must split it ([`Flow::paragraph`] and [`Flow::table`] do).
    pub fn ensure(&mut self, height: f32) -> Region {
        let r = self.region();
        let fresh = self.y <= r.y + self.continuation_height();
        if self.y + height > r.bottom() + 1e-3 && !fresh {
            self.spill()
        } else {
            r
        }
    }

    fn continuation_style() -> TextStyle {
        TextStyle::new(8.0).gray(0.35)
    }

    /// Height the continuation note takes at the top of a spilled-into region.
    pub(crate) fn continuation_height(&self) -> f32 {
        if self.continuation.is_some() {
            Self::continuation_style().line_mm() + 1.0
        } else {
            0.0
        }
    }

    /// Next region, headed by the continuation note if there is one.
    fn spill(&mut self) -> Region {
        let r = self.next_region();
        if let Some(note) = self.continuation.clone() {
            let style = Self::continuation_style();
            let h = self.continuation_height();
            self.page().text(r.x, r.y, &note, &style);
            self.y += h;
        }
        r
    }

    /// Draws one line of text at the cursor (left, centre or right of the
    /// region per `style.align`), moving to the next region if it does not fit.
    /// Longer text is wrapped with [`Flow::paragraph`] instead.
    pub fn line(&mut self, text: &str, style: &TextStyle) {
        let r = self.ensure(style.line_mm());
        let x = match style.align {
            Align::Left => r.x,
            Align::Center => r.x + r.width / 2.0,
            Align::Right => r.right(),
        };
        let y = self.y;
        self.page().text(x, y, text, style);
        self.y += style.line_mm();
    }

    /// Wraps `text` to the region width (less `indent` on the left) and draws it
    /// line by line, continuing in the next region when the current one is
    /// full. Returns the lines drawn.
    pub fn paragraph_indented(&mut self, text: &str, indent: f32, style: &TextStyle) -> Vec<String> {
        let r = self.region();
        let width = (r.width - indent).max(1.0);
        let lines = self.doc.fonts().wrap(text, style.size, width);
        let lh = style.line_mm();
        for line in &lines {
            let r = self.ensure(lh);
            let y = self.y;
            self.page().lines(r.x + indent, y, width, std::slice::from_ref(line), style);
            self.y += lh;
        }
        lines
    }

    /// [`Flow::paragraph_indented`] without an indent.
    pub fn paragraph(&mut self, text: &str, style: &TextStyle) -> Vec<String> {
        self.paragraph_indented(text, 0.0, style)
    }

    pub(crate) fn page_at(&mut self, index: usize) -> Option<&mut Page> {
        self.doc.page_mut(index)
    }

    pub(crate) fn set_y(&mut self, y: f32) {
        self.y = y;
    }

    pub(crate) fn break_region(&mut self) -> Region {
        self.spill()
    }

    pub(crate) fn too_small(what: &str) -> Error {
        Error::invalid(format!("页面放不下{what}:请减小字号或页边距"))
    }
}
