//! Importing the catalogue (物品目录) from .xlsx/.csv through
//! [`crate::import::read_table`]: items matched by 物品编号, then by name and
//! spec, are updated, the rest added; optional opening stock (期初数量 and 单价)
//! is booked as one receipt. It sits above both [`super::items`] and
//! [`super::stock`], which know nothing of it.
//!
//! Deliberately out: deleting items missing from the file (archive them by hand).

use std::path::Path;

use serde::Serialize;

use super::items::{self, ItemInput};
use super::stock::{self, ReceiptInput, ReceiptLineInput};
use super::{parse_count, parse_price};
use crate::db::Db;
use crate::error::FieldProblem;
use crate::import::{read_table, read_table_bytes, Field, Table};
use crate::store;
use crate::{Error, Result};

const CODE: usize = 0;
const NAME: usize = 1;
const CATEGORY: usize = 2;
const UNIT: usize = 3;
const SPEC: usize = 4;
const REORDER: usize = 5;
const LOCATION: usize = 6;
const DEPOSIT: usize = 7;
const NOTE: usize = 8;
const OPENING_QTY: usize = 9;
const OPENING_PRICE: usize = 10;

/// The columns of a catalogue file, in template order.
pub const FIELDS: &[Field] = &[
    Field { label: "物品编号", aliases: &["编号", "code", "item_code"], required: false },
    Field { label: "物品名称", aliases: &["名称", "品名", "物品", "name", "item"], required: true },
    Field { label: "类别", aliases: &["分类", "物品类别", "category"], required: true },
    Field { label: "单位", aliases: &["计量单位", "unit"], required: true },
    Field { label: "规格型号", aliases: &["规格", "型号", "spec", "specification"], required: false },
    Field {
        label: "库存下限", aliases: &["最低库存", "安全库存", "补货线", "reorder_level"], required: false
    },
    Field { label: "存放位置", aliases: &["存放地点", "位置", "location"], required: false },
    Field { label: "押金", aliases: &["押金(元)", "deposit"], required: false },
    Field { label: "备注", aliases: &["note", "remark"], required: false },
    Field { label: "期初数量", aliases: &["期初结存", "现有数量", "opening_qty"], required: false },
    Field { label: "单价", aliases: &["期初单价", "单价(元)", "unit_price"], required: false },
];

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemImportSummary {
    /// New items.
    pub added: usize,
    /// Items already in the catalogue (same name and spec) whose details were updated.
    pub updated: usize,
    /// Blank rows passed over.
    pub skipped_blank: usize,
    /// The opening-stock receipt, if the file had 期初数量.
    pub opening_receipt: Option<String>,
}

/// The empty template (UTF-8 with BOM so Excel opens it in Chinese).
pub fn template_csv() -> String {
    let header: Vec<&str> = FIELDS.iter().map(|f| f.label).collect();
    format!(
        "\u{feff}{}\nBJ001,白板笔,办公用品,支,黑色,20,库房A架,,,50,2.50\n,教室钥匙,其他,把,,2,保管室,10,借用须交押金,,\n",
        header.join(",")
    )
}

/// Imports a catalogue file. Any bad row: nothing is written, every problem listed.
pub fn import_file(db: &mut Db, path: &Path) -> Result<ItemImportSummary> {
    let table = read_table(path)?;
    import_table(db, &table)
}

/// [`import_file`] on a file's bytes.
pub fn import_bytes(db: &mut Db, file_name: &str, bytes: &[u8]) -> Result<ItemImportSummary> {
    let table = read_table_bytes(file_name, bytes)?;
    import_table(db, &table)
}

/// Imports a table already read. Items are matched by 物品编号, then by name + spec;
/// a match is updated, anything else added. 期初数量 (with 单价) becomes one receipt
/// dated today, supplier 期初结存.
pub fn import_table(db: &mut Db, table: &Table) -> Result<ItemImportSummary> {
    // A copy of the file first, so the change can be undone (a local file only).
    crate::backup::before(db, crate::backup::Reason::Import)?;
    let cols = table.columns(FIELDS)?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut summary = ItemImportSummary::default();
    let mut seen: Vec<(String, String, usize)> = Vec::new();
    for row in &table.rows {
        if row.is_blank() {
            summary.skipped_blank += 1;
            continue;
        }
        let input = ItemInput {
            code: cols.get(row, CODE).into(),
            name: cols.get(row, NAME).into(),
            category: cols.get(row, CATEGORY).into(),
            unit: cols.get(row, UNIT).into(),
            spec: cols.get(row, SPEC).into(),
            reorder_level: cols.get(row, REORDER).into(),
            location: cols.get(row, LOCATION).into(),
            deposit: cols.get(row, DEPOSIT).into(),
            note: cols.get(row, NOTE).into(),
        };
        let checked = match items::check(&input, row.number) {
            Ok(c) => c,
            Err(mut p) => {
                problems.append(&mut p);
                continue;
            }
        };
        if let Some((_, _, first)) = seen.iter().find(|(n, s, _)| *n == checked.name && *s == checked.spec) {
            problems.push(FieldProblem {
                row: row.number,
                column: "物品名称".into(),
                reason: format!("与第{first}行重复(名称和规格相同)"),
            });
            continue;
        }
        seen.push((checked.name.clone(), checked.spec.clone(), row.number));
        let qty_text = cols.get(row, OPENING_QTY);
        let opening = match parse_count(qty_text) {
            Ok(Some(q)) if q > 0 => {
                let price = cols.get(row, OPENING_PRICE);
                if price.trim().is_empty() {
                    problems.push(FieldProblem {
                        row: row.number,
                        column: "单价".into(),
                        reason: "填了期初数量,请同时填写单价".into(),
                    });
                    None
                } else {
                    match parse_price(price, "单价") {
                        Ok(p) => Some((q, p)),
                        Err(e) => {
                            problems.push(FieldProblem { row: row.number, column: "单价".into(), reason: e });
                            None
                        }
                    }
                }
            }
            Ok(_) => None,
            Err(e) => {
                problems.push(FieldProblem {
                    row: row.number,
                    column: "期初数量".into(),
                    reason: format!("期初数量{e}"),
                });
                None
            }
        };
        rows.push((row.number, checked, opening));
    }
    if !problems.is_empty() {
        return Err(Error::Rejected { problems });
    }
    if rows.is_empty() {
        return Err(Error::invalid("文件中没有物品(表头下面都是空行)"));
    }
    let today = crate::dates::today();
    db.write(crate::auth::Job::Supplies, |tx| {
        let mut problems = Vec::new();
        let mut opening_lines = Vec::new();
        for (number, c, opening) in &rows {
            let id = match store::supplies::items::import_match(tx, &c.code, &c.name, &c.spec)? {
                Some(id) => {
                    if let Some(msg) = items::name_taken(tx, c, Some(id))? {
                        problems.push(FieldProblem { row: *number, column: "物品名称".into(), reason: msg });
                        continue;
                    }
                    let before = items::get(tx, id)?;
                    if items::unit_locked(tx, &before, &c.unit)? {
                        problems.push(FieldProblem {
                            row: *number,
                            column: "单位".into(),
                            reason: format!("“{}”已有出入库记录,单位不能从“{}”改为“{}”", c.name, before.unit, c.unit),
                        });
                        continue;
                    }
                    // An item in the file is in use again.
                    store::supplies::items::update(tx, id, c)?;
                    store::supplies::items::set_archived(tx, id, false)?;
                    tx.audit(
                        "supply_item",
                        id,
                        "import",
                        Some(&serde_json::json!(before)),
                        Some(&serde_json::json!(c)),
                    )?;
                    summary.updated += 1;
                    id
                }
                None => {
                    summary.added += 1;
                    items::insert_checked(tx, c)?
                }
            };
            if let Some((q, p)) = opening {
                opening_lines.push(ReceiptLineInput {
                    item_id: Some(id),
                    item: String::new(),
                    qty: q.to_string(),
                    unit_price: p.to_yuan_string(),
                    note: String::new(),
                });
            }
        }
        if !problems.is_empty() {
            return Err(Error::Rejected { problems });
        }
        if !opening_lines.is_empty() {
            let receipt = ReceiptInput {
                date: today.to_string(),
                supplier: "期初结存".into(),
                invoice_no: String::new(),
                receiver: tx.operator().to_string(),
                note: "导入物品目录时登记的期初数量".into(),
                lines: opening_lines,
            };
            let doc = stock::receive_in_tx(tx, &receipt, today)?;
            summary.opening_receipt = Some(doc.number);
        }
        Ok(summary.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supplies::items::{find, list, ItemFilter};

    #[test]
    fn import_adds_updates_and_books_opening_stock() {
        let mut db = Db::open_scratch().expect("db");
        let file = "物品名称,类别,单位,规格型号,库存下限,期初数量,单价\n白板笔,办公用品,支,黑色,20,50,2.50\n\n抹布,清洁用品,块,,5,,\n";
        let s = import_bytes(&mut db, "目录.csv", file.as_bytes()).expect("import");
        assert_eq!((s.added, s.updated, s.skipped_blank), (2, 0, 1));
        assert!(s.opening_receipt.as_deref().is_some_and(|n| n.starts_with("RK-")));
        let again = "物品名称,类别,单位,规格型号,库存下限\n白板笔,办公用品,支,黑色,30\n";
        let s = import_bytes(&mut db, "目录.csv", again.as_bytes()).expect("re-import");
        assert_eq!((s.added, s.updated), (0, 1));
        let pen = find(db.conn(), "白板笔").expect("find").expect("there");
        assert_eq!(pen.reorder_level, 30);
        // An archived item in the file is in use again.
        let cloth = find(db.conn(), "抹布").expect("find").expect("there");
        items::set_archived(&mut db, cloth.id, true).expect("archive");
        let s = import_bytes(&mut db, "目录.csv", "物品名称,类别,单位\n抹布,清洁用品,块\n".as_bytes()).expect("again");
        assert_eq!((s.added, s.updated), (0, 1));
        assert!(!items::get(db.conn(), cloth.id).expect("get").archived);
    }

    #[test]
    fn a_bad_import_row_writes_nothing() {
        let mut db = Db::open_scratch().expect("db");
        let file =
            "物品名称,类别,单位,期初数量,单价\n白板笔,办公用品,支,10,两块\n,办公用品,支,,\n胶水,办公用品,瓶,0,\n";
        let err = import_bytes(&mut db, "目录.csv", file.as_bytes()).expect_err("bad");
        let Error::Rejected { problems } = err else { panic!("not rejected") };
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].to_string(), "第2行 [单价]:“两块”不是有效的金额(例如 12.50)");
        assert_eq!(problems[1].to_string(), "第3行 [物品名称]:请填写物品名称");
        assert!(list(db.conn(), &ItemFilter::default()).expect("list").is_empty());
    }
}
