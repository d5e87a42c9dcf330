//! Sheets of labels: a grid of equal cells that matches a sticker sheet
//! (3 × 8 labels of 70 × 36 mm run edge to edge across an A4 page), with
//! each cell's content kept [`MIN_EDGE_MM`] from the paper's edge. The cells
//! must stay where the stickers are, so it is the content of the outer
//! cells that moves in, not the grid.

use super::document::{Page, PageSize};
use super::{Stroke, MIN_EDGE_MM};

/// A rectangle on a page, in millimetres from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Cell {
    pub fn right(&self) -> f32 {
        self.x + self.width
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }
}

/// `cols` × `rows` equal cells filling `page` but for `margin_x` left and
/// right and `margin_y` top and bottom (the sticker sheet's own borders).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelGrid {
    pub page: PageSize,
    pub cols: usize,
    pub rows: usize,
    pub margin_x: f32,
    pub margin_y: f32,
}

impl LabelGrid {
    pub fn new(page: PageSize, cols: usize, rows: usize, margin_x: f32, margin_y: f32) -> Self {
        LabelGrid { page, cols: cols.max(1), rows: rows.max(1), margin_x, margin_y }
    }

    /// Labels per sheet.
    pub fn per_page(&self) -> usize {
        self.cols * self.rows
    }

    pub fn cell_width(&self) -> f32 {
        (self.page.width() - 2.0 * self.margin_x) / self.cols as f32
    }

    pub fn cell_height(&self) -> f32 {
        (self.page.height() - 2.0 * self.margin_y) / self.rows as f32
    }

    /// The cell of label `slot` (0-based, row by row) on its sheet.
    pub fn cell(&self, slot: usize) -> Cell {
        let slot = slot % self.per_page();
        let (w, h) = (self.cell_width(), self.cell_height());
        Cell {
            x: self.margin_x + (slot % self.cols) as f32 * w,
            y: self.margin_y + (slot / self.cols) as f32 * h,
            width: w,
            height: h,
        }
    }

    /// Where the content of label `slot` goes: its cell less `left`, `top`,
    /// `right` and `bottom` mm, and no nearer than [`MIN_EDGE_MM`] to the paper's edge.
    pub fn content(&self, slot: usize, left: f32, top: f32, right: f32, bottom: f32) -> Cell {
        let c = self.cell(slot);
        let x = (c.x + left).max(MIN_EDGE_MM);
        let y = (c.y + top).max(MIN_EDGE_MM);
        let r = (c.right() - right).min(self.page.width() - MIN_EDGE_MM);
        let b = (c.bottom() - bottom).min(self.page.height() - MIN_EDGE_MM);
        Cell { x, y, width: (r - x).max(0.0), height: (b - y).max(0.0) }
    }

    /// A faint outline of label `slot`, `inset` mm inside its cell, as a
    /// cutting guide on plain paper. A side within [`MIN_EDGE_MM`] of the
    /// paper's edge is left out (the paper's edge is the cut there) and the
    /// others stop short of that strip.
    pub fn outline(&self, page: &mut Page, slot: usize, inset: f32, stroke: &Stroke) {
        let c = self.cell(slot);
        let (x1, y1, x2, y2) = (c.x + inset, c.y + inset, c.right() - inset, c.bottom() - inset);
        let (w, h) = (self.page.width(), self.page.height());
        let half = stroke.width * super::PT_TO_MM / 2.0;
        let inside_x = |x: f32| x - half >= MIN_EDGE_MM && x + half <= w - MIN_EDGE_MM;
        let inside_y = |y: f32| y - half >= MIN_EDGE_MM && y + half <= h - MIN_EDGE_MM;
        let clip_x = |x: f32| x.clamp(MIN_EDGE_MM + half, w - MIN_EDGE_MM - half);
        let clip_y = |y: f32| y.clamp(MIN_EDGE_MM + half, h - MIN_EDGE_MM - half);
        for y in [y1, y2] {
            if inside_y(y) {
                page.line(clip_x(x1), y, clip_x(x2), y, stroke);
            }
        }
        for x in [x1, x2] {
            if inside_x(x) {
                page.line(x, clip_y(y1), x, clip_y(y2), stroke);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{Document, MIN_EDGE_MM};

    /// Regression: label sheets drew their outline 0.6 mm and their text
    /// 1.4–3.4 mm from the paper's edge, where printers leave paper blank.
    #[test]
    fn label_content_and_outlines_keep_clear_of_the_paper_edge() {
        let grid = LabelGrid::new(PageSize::A4Portrait, 3, 8, 0.0, 4.5);
        let mut doc = Document::new("标签").expect("doc");
        let page = doc.add_page(PageSize::A4Portrait);
        for slot in 0..grid.per_page() {
            grid.outline(page, slot, 0.6, &Stroke::new(0.3));
            let c = grid.content(slot, 1.5, 2.0, 3.0, 2.0);
            page.rect(c.x, c.y, c.width, c.height, None, Some(0.5));
        }
        let clearance = doc.edge_clearance().expect("something drawn");
        assert!(clearance >= MIN_EDGE_MM - 1e-3, "{clearance}");
        // The grid itself stays on the stickers: the middle column is untouched.
        let middle = grid.content(1, 1.5, 2.0, 3.0, 2.0);
        assert!((middle.x - (70.0 + 1.5)).abs() < 1e-3 && (middle.width - (70.0 - 4.5)).abs() < 1e-3, "{middle:?}");
        // An outer cell's content moves in.
        let first = grid.content(0, 1.5, 2.0, 3.0, 2.0);
        assert_eq!((first.x, first.y), (MIN_EDGE_MM, 6.5));
    }
}
