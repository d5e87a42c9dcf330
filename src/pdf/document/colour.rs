//! Coloured text: the smallest colour option of the PDF foundation, for the few
//! marks that must stand out on a printout — a meal-account percentage outside
//! its limit is printed in red. A child of `document` so that it reuses the
//! text drawing (measuring, fallback fonts, bold) unchanged; lines, boxes and
//! fills stay in greys.

use printpdf::{Color, Op, Rgb};

use super::Page;
use crate::pdf::TextStyle;

impl Page {
    /// Like [`Page::text`], but in colour `rgb` (red, green, blue, each 0–1)
    /// instead of black or grey; bold text is outlined in the same colour.
    /// Returns the width drawn (mm).
    pub fn text_rgb(&mut self, x: f32, y: f32, text: &str, style: &TextStyle, rgb: [f32; 3]) -> f32 {
        let colour =
            || Color::Rgb(Rgb::new(rgb[0].clamp(0.0, 1.0), rgb[1].clamp(0.0, 1.0), rgb[2].clamp(0.0, 1.0), None));
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetFillColor { col: colour() });
        let start = self.ops.len();
        let width = self.text(x, y, text, &style.gray(0.0));
        // Bold sets its own outline colour (black): paint it in the colour too.
        for op in &mut self.ops[start..] {
            if let Op::SetFillColor { col } | Op::SetOutlineColor { col } = op {
                *col = colour();
            }
        }
        self.ops.push(Op::RestoreGraphicsState);
        width
    }
}

#[cfg(test)]
mod tests {
    use printpdf::{Color, Op};

    use crate::pdf::{Document, PageSize, TextStyle};

    #[test]
    fn coloured_bold_text_is_filled_and_outlined_in_the_colour_only() {
        let mut doc = Document::new("颜色").expect("doc");
        let page = doc.add_page(PageSize::A4Portrait);
        let w = page.text_rgb(20.0, 20.0, "超出±2%", &TextStyle::new(12.0).bold(), [0.8, 0.0, 0.0]);
        assert!(w > 0.0);
        let colours: Vec<&Color> = page
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::SetFillColor { col } | Op::SetOutlineColor { col } => Some(col),
                _ => None,
            })
            .collect();
        assert!(colours.len() >= 2, "fill and outline");
        assert!(colours.iter().all(|c| matches!(c, Color::Rgb(rgb) if rgb.r == 0.8 && rgb.g == 0.0)));
        page.text(20.0, 40.0, "黑色", &TextStyle::new(12.0));
        assert!(doc.render().is_ok());
    }
}
