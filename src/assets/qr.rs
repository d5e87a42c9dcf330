//! QR codes for asset labels, drawn as filled rectangles with the PDF
//! foundation (no images).
//!
//! The encoding is Nayuki's reference encoder (`qrcodegen`); this module only
//! chooses the error-correction level (M: a label that is a quarter scratched
//! still scans, and a 10-character number stays at version 1, 21 × 21
//! modules) and turns the module matrix into as few rectangles as it can
//! (one per horizontal run of dark modules), with the 4-module quiet zone
//! the standard asks for left white around it.

use qrcodegen::{QrCode, QrCodeEcc};

use crate::pdf::Page;
use crate::{Error, Result};

/// The modules of one QR code: `size` × `size`, true for dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    pub size: usize,
    dark: Vec<bool>,
}

/// Modules of white margin the standard requires around the symbol.
pub const QUIET_ZONE: usize = 4;

impl QrMatrix {
    /// Encodes `text` (an asset number: ASCII, so byte or alphanumeric mode).
    pub fn encode(text: &str) -> Result<QrMatrix> {
        let code = QrCode::encode_text(text, QrCodeEcc::Medium)
            .map_err(|_| Error::invalid(format!("编号“{text}”太长,无法生成二维码")))?;
        let size = code.size().max(0) as usize;
        let mut dark = Vec::with_capacity(size * size);
        for y in 0..size {
            for x in 0..size {
                dark.push(code.get_module(x as i32, y as i32));
            }
        }
        Ok(QrMatrix { size, dark })
    }

    /// Whether the module at column `x`, row `y` is dark (false outside the symbol).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }

    /// Horizontal runs of dark modules: (row, first column, length).
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.size && self.is_dark(x, y) {
                        x += 1;
                    }
                    out.push((y, start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        out
    }

    /// Draws the symbol with its top-left corner (quiet zone included) at
    /// (`x`, `y`) mm, `width` mm wide including the quiet zone on both sides.
    pub fn draw(&self, page: &mut Page, x: f32, y: f32, width: f32) {
        let module = width / (self.size + 2 * QUIET_ZONE) as f32;
        let origin = (x + QUIET_ZONE as f32 * module, y + QUIET_ZONE as f32 * module);
        // A hair of overlap keeps viewers from showing seams between runs.
        let overlap = module * 0.02;
        for (row, col, len) in self.runs() {
            page.rect(
                origin.0 + col as f32 * module,
                origin.1 + row as f32 * module,
                len as f32 * module + overlap,
                module + overlap,
                None,
                Some(0.0),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_number_is_a_version_1_symbol_with_finder_patterns() {
        let q = QrMatrix::encode("ZC20250001").expect("encode");
        assert_eq!(q.size, 21);
        // The three finder patterns: dark 7×7 outlines in three corners.
        for (cx, cy) in [(0, 0), (14, 0), (0, 14)] {
            for i in 0..7 {
                assert!(q.is_dark(cx + i, cy) && q.is_dark(cx, cy + i), "finder at {cx},{cy}");
            }
            assert!(!q.is_dark(cx + 1, cy + 1), "finder ring at {cx},{cy}");
            assert!(q.is_dark(cx + 3, cy + 3), "finder centre at {cx},{cy}");
        }
        let dark_modules: usize = q.runs().iter().map(|r| r.2).sum();
        assert_eq!(
            dark_modules,
            (0..21).flat_map(|y| (0..21).map(move |x| (x, y))).filter(|(x, y)| q.is_dark(*x, *y)).count()
        );
    }

    #[test]
    fn longer_numbers_grow_the_symbol() {
        let q = QrMatrix::encode("A02010100-2025-09-000123").expect("encode");
        assert!(q.size > 21);
    }
}
