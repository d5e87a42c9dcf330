//! Nothing the shared layout draws comes within [`MIN_EDGE_MM`] of the
//! paper's edge, whatever margins a printout asks for.

use super::{Column, Document, Flow, Margins, Sheet, Table, TextStyle, MIN_EDGE_MM};

fn assert_clear(doc: &Document) {
    let clearance = doc.edge_clearance().expect("something drawn");
    assert!(clearance >= MIN_EDGE_MM - 1e-3, "ink {clearance:.2} mm from the edge");
}

/// Regression: page numbers drawn 5 mm (centre) above the edge sat 3 mm from it.
#[test]
fn page_numbers_keep_clear_of_the_edge() {
    let mut doc = Document::new("页码").expect("doc");
    {
        let mut flow = Flow::new(&mut doc, Sheet::A4Landscape, Margins::uniform(12.0));
        flow.line("正文", &TextStyle::new(10.0));
    }
    doc.number_pages(3.0, &TextStyle::new(8.0), |i, n| format!("第 {i} 页 / 共 {n} 页"));
    assert_clear(&doc);
}

#[test]
fn narrow_margins_are_widened_and_the_cut_line_stops_short_of_the_edge() {
    let mut doc = Document::new("边距").expect("doc");
    {
        let mut flow = Flow::new(&mut doc, Sheet::TwoA5OnA4, Margins::uniform(1.0));
        for _ in 0..2 {
            let r = flow.start();
            assert!(r.x >= MIN_EDGE_MM && r.y >= MIN_EDGE_MM, "{r:?}");
            flow.line("一二三四五六七八九十", &TextStyle::new(10.0));
        }
        let mut table = Table::new(vec![Column::new("项目", 80.0), Column::new("金额", 300.0).right()]);
        table.page_footer = true;
        for i in 0..40 {
            table.row([format!("第 {i} 行"), "1.00".into()]);
        }
        flow.table(&table).expect("table");
    }
    assert_clear(&doc);
}
