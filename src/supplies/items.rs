//! The catalogue (物品目录): every item the keeper stocks, with its category,
//! unit, specification, reorder level (库存下限), location (存放位置) and the
//! usual deposit when it is lent. Items with history are archived (停用), never
//! deleted. Import from .xlsx/.csv through [`crate::import::read_table`], with
//! optional opening stock (期初数量 and 单价) booked as one receipt.
//!
//! Deliberately out: item photos, several units per item (箱 vs 支: catalogue
//! the unit you issue), and merging two items (archive one instead).

use std::path::Path;

use crate::store::Conn;
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{clean, parse_count, parse_price, text_or_number, SupplyItemId};
use crate::db::{Db, Tx};
use crate::error::FieldProblem;
use crate::import::{read_table, read_table_bytes, Field, Table};
use crate::text;
use crate::{Error, Fen, Result};

/// An item of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplyItem {
    pub id: SupplyItemId,
    /// 物品编号 (optional, unique when given).
    pub code: String,
    /// 物品名称.
    pub name: String,
    /// 类别, e.g. 办公用品.
    pub category: String,
    /// 单位, e.g. 支.
    pub unit: String,
    /// 规格型号.
    pub spec: String,
    /// 库存下限: the balance at or below which the item shows as 需补货.
    pub reorder_level: i64,
    /// 存放位置.
    pub location: String,
    /// Usual deposit when lent (押金); zero for items that are not lent.
    pub deposit: Fen,
    /// 备注.
    pub note: String,
    /// 停用: kept for history, not offered in forms.
    pub archived: bool,
}

impl SupplyItem {
    /// `名称(规格)` as lists and messages show it.
    pub fn display_name(&self) -> String {
        if self.spec.is_empty() {
            self.name.clone()
        } else {
            format!("{}({})", self.name, self.spec)
        }
    }
}

/// What the catalogue form or an import row provides. Numbers and money as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemInput {
    pub code: String,
    pub name: String,
    pub category: String,
    pub unit: String,
    pub spec: String,
    #[serde(deserialize_with = "text_or_number")]
    pub reorder_level: String,
    pub location: String,
    #[serde(deserialize_with = "text_or_number")]
    pub deposit: String,
    pub note: String,
}

/// An item's fields after checking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Checked {
    code: String,
    name: String,
    category: String,
    unit: String,
    spec: String,
    reorder_level: i64,
    location: String,
    deposit: Fen,
    note: String,
}

fn check(input: &ItemInput, row: usize) -> std::result::Result<Checked, Vec<FieldProblem>> {
    let mut problems = text::problems(
        row,
        &[
            (text::Field::name("物品名称").max(40), &input.name),
            (text::Field::line("编码").max(text::CODE_MAX), &input.code),
            (text::Field::name("类别").max(20), &input.category),
            (text::Field::name("单位"), &input.unit),
            (text::Field::line("规格型号").max(60), &input.spec),
            (text::Field::name("存放位置").max(30), &input.location),
            (text::Field::note("备注").max(200), &input.note),
        ],
    );
    let mut p = |column: &str, reason: String| problems.push(FieldProblem { row, column: column.into(), reason });
    let name = clean(&input.name);
    if name.is_empty() {
        p("物品名称", "请填写物品名称".into());
    }
    let category = clean(&input.category);
    if category.is_empty() {
        p("类别", "请填写类别(例如 办公用品)".into());
    }
    let unit = clean(&input.unit);
    if unit.is_empty() {
        p("单位", "请填写单位(例如 个、支、包)".into());
    } else if unit.chars().count() > 4 {
        p("单位", format!("单位“{unit}”太长,请填写计量单位(例如 支),规格写在规格型号里"));
    }
    let reorder_level = match parse_count(&input.reorder_level) {
        Ok(v) => v.unwrap_or(0),
        Err(e) => {
            p("库存下限", format!("库存下限{e}"));
            0
        }
    };
    let deposit = if input.deposit.trim().is_empty() {
        Fen::ZERO
    } else {
        match parse_price(&input.deposit, "押金") {
            Ok(f) => f,
            Err(e) => {
                p("押金", e);
                Fen::ZERO
            }
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Checked {
        code: clean(&input.code),
        name,
        category,
        unit,
        spec: clean(&input.spec),
        reorder_level,
        location: clean(&input.location),
        deposit,
        note: clean(&input.note),
    })
}

const COLUMNS: &str = "id, code, name, category, unit, spec, reorder_level, location, deposit, note, archived";

fn from_row(r: &Row) -> rusqlite::Result<SupplyItem> {
    Ok(SupplyItem {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        category: r.get(3)?,
        unit: r.get(4)?,
        spec: r.get(5)?,
        reorder_level: r.get(6)?,
        location: r.get(7)?,
        deposit: Fen(r.get(8)?),
        note: r.get(9)?,
        archived: r.get::<_, i64>(10)? != 0,
    })
}

/// One item.
pub fn get(conn: &Conn, id: SupplyItemId) -> Result<SupplyItem> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM supply_items WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("物品", id))
}

/// Which items a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemFilter {
    /// Only this category.
    pub category: Option<String>,
    /// Name, code, spec or location containing this text.
    pub search: Option<String>,
    /// Include archived (停用) items.
    pub include_archived: bool,
}

/// The catalogue, by category (in the school's list order) then name.
pub fn list(conn: &Conn, f: &ItemFilter) -> Result<Vec<SupplyItem>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM supply_items
         WHERE (?1 OR archived = 0) AND (?2 IS NULL OR category = ?2)
           AND (?3 IS NULL OR instr(name, ?3) > 0 OR instr(code, ?3) > 0 OR instr(spec, ?3) > 0 OR instr(location, ?3) > 0)
         ORDER BY category, name, spec"
    ))?;
    let search = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let rows = stmt.query_map(rusqlite::params![f.include_archived, f.category, search], from_row)?;
    let mut items: Vec<SupplyItem> = rows.collect::<rusqlite::Result<_>>()?;
    super::settings::sort_by_category(conn, &mut items, |i| &i.category)?;
    Ok(items)
}

/// Finds the item a person means by `text`: its 编号, its name, or `名称(规格)` /
/// `名称 规格`. An archived item is found too (the caller decides).
pub fn find(conn: &Conn, text: &str) -> Result<Option<SupplyItem>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let by_code = conn
        .query_row(&format!("SELECT {COLUMNS} FROM supply_items WHERE code = ?1 AND code <> ''"), [t], from_row)
        .optional()?;
    if by_code.is_some() {
        return Ok(by_code);
    }
    let mut stmt =
        conn.prepare(&format!("SELECT {COLUMNS} FROM supply_items WHERE name = ?1 ORDER BY archived, id"))?;
    let named: Vec<SupplyItem> = stmt.query_map([t], from_row)?.collect::<rusqlite::Result<_>>()?;
    let active: Vec<&SupplyItem> = named.iter().filter(|i| !i.archived).collect();
    match (active.as_slice(), named.as_slice()) {
        ([one], _) => return Ok(Some((*one).clone())),
        ([], [one]) => return Ok(Some(one.clone())),
        ([], []) => {}
        (many, _) => {
            let specs: Vec<String> = many.iter().map(|i| i.display_name()).collect();
            return Err(Error::invalid(format!("有多个名为“{t}”的物品:{},请写明规格", specs.join("、"))));
        }
    }
    // 名称(规格), 名称（规格） or 名称 规格.
    let (name, spec) = if let Some(open) = t.find(['(', '（']) {
        let spec = t[open..].trim_start_matches(['(', '（']).trim_end_matches([')', '）']);
        (t[..open].trim(), spec.trim())
    } else if let Some((n, s)) = t.split_once(char::is_whitespace) {
        (n.trim(), s.trim())
    } else {
        return Ok(None);
    };
    Ok(conn
        .query_row(&format!("SELECT {COLUMNS} FROM supply_items WHERE name = ?1 AND spec = ?2"), [name, spec], from_row)
        .optional()?)
}

fn name_taken(conn: &Conn, c: &Checked, except: Option<SupplyItemId>) -> Result<Option<String>> {
    let same: Option<i64> = conn
        .query_row(
            "SELECT id FROM supply_items WHERE name = ?1 AND spec = ?2 AND (?3 IS NULL OR id <> ?3)",
            rusqlite::params![c.name, c.spec, except],
            |r| r.get(0),
        )
        .optional()?;
    if same.is_some() {
        let what = if c.spec.is_empty() { c.name.clone() } else { format!("{}({})", c.name, c.spec) };
        return Ok(Some(format!("目录中已有“{what}”")));
    }
    if !c.code.is_empty() {
        let code: Option<String> = conn
            .query_row(
                "SELECT name FROM supply_items WHERE code = ?1 AND (?2 IS NULL OR id <> ?2)",
                rusqlite::params![c.code, except],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = code {
            return Ok(Some(format!("编号“{}”已用于“{other}”", c.code)));
        }
    }
    Ok(None)
}

fn rejected(problems: Vec<FieldProblem>) -> Error {
    if problems.len() == 1 && problems[0].row == 0 {
        Error::invalid(problems[0].reason.clone())
    } else {
        Error::Rejected { problems }
    }
}

/// Adds an item to the catalogue.
pub fn add(db: &mut Db, input: &ItemInput) -> Result<SupplyItemId> {
    let c = check(input, 0).map_err(rejected)?;
    if let Some(msg) = name_taken(db.conn(), &c, None)? {
        return Err(Error::conflict(msg));
    }
    db.with_tx(|tx| insert_checked(tx, &c))
}

/// Checks and inserts an item inside an open transaction (imports, the demo, the bench).
pub fn insert_in_tx(tx: &Tx, input: &ItemInput) -> Result<SupplyItemId> {
    let c = check(input, 0).map_err(rejected)?;
    if let Some(msg) = name_taken(tx, &c, None)? {
        return Err(Error::conflict(msg));
    }
    insert_checked(tx, &c)
}

fn insert_checked(tx: &Tx, c: &Checked) -> Result<SupplyItemId> {
    tx.execute(
        "INSERT INTO supply_items (code, name, category, unit, spec, reorder_level, location, deposit, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            c.code,
            c.name,
            c.category,
            c.unit,
            c.spec,
            c.reorder_level,
            c.location,
            c.deposit.as_i64(),
            c.note
        ],
    )?;
    let id = SupplyItemId(tx.last_insert_rowid());
    tx.audit("supply_item", id, "create", None, Some(&serde_json::json!(c)))?;
    Ok(id)
}

/// Changes an item's details. The unit of an item with stock movements cannot
/// change (the journal's quantities are in it).
pub fn update(db: &mut Db, id: SupplyItemId, input: &ItemInput) -> Result<()> {
    let before = get(db.conn(), id)?;
    let c = check(input, 0).map_err(rejected)?;
    if let Some(msg) = name_taken(db.conn(), &c, Some(id))? {
        return Err(Error::conflict(msg));
    }
    if c.unit != before.unit && has_movements(db.conn(), id)? {
        return Err(Error::conflict(format!(
            "“{}”已有出入库记录,单位不能从“{}”改为“{}”;如需换单位,请停用此物品并新建一个",
            before.name, before.unit, c.unit
        )));
    }
    db.with_tx(|tx| {
        tx.execute(
            "UPDATE supply_items SET code = ?1, name = ?2, category = ?3, unit = ?4, spec = ?5, reorder_level = ?6,
               location = ?7, deposit = ?8, note = ?9 WHERE id = ?10",
            rusqlite::params![
                c.code,
                c.name,
                c.category,
                c.unit,
                c.spec,
                c.reorder_level,
                c.location,
                c.deposit.as_i64(),
                c.note,
                id
            ],
        )?;
        tx.audit("supply_item", id, "update", Some(&serde_json::json!(before)), Some(&serde_json::json!(c)))
    })
}

fn has_movements(conn: &Conn, id: SupplyItemId) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM stock_movements WHERE item_id = ?1)", [id], |r| r.get(0))?)
}

/// 停用 / 启用 an item. An item with stock on hand cannot be archived.
pub fn set_archived(db: &mut Db, id: SupplyItemId, archived: bool) -> Result<()> {
    let item = get(db.conn(), id)?;
    if archived {
        let qty: i64 =
            db.conn().query_row("SELECT COALESCE(SUM(qty), 0) FROM stock_movements WHERE item_id = ?1", [id], |r| {
                r.get(0)
            })?;
        if qty != 0 {
            return Err(Error::conflict(format!(
                "“{}”还有结存 {qty} {},不能停用;请先领用完或盘点调整为 0",
                item.display_name(),
                item.unit
            )));
        }
    }
    db.with_tx(|tx| {
        tx.execute("UPDATE supply_items SET archived = ?1 WHERE id = ?2", rusqlite::params![archived, id])?;
        tx.audit(
            "supply_item",
            id,
            if archived { "archive" } else { "restore" },
            Some(&serde_json::json!({ "archived": item.archived })),
            Some(&serde_json::json!({ "archived": archived })),
        )
    })
}

// ---------------------------------------------------------------- import

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
        let checked = match check(&input, row.number) {
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
    db.with_tx(|tx| {
        let mut problems = Vec::new();
        let mut opening_lines = Vec::new();
        for (number, c, opening) in &rows {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM supply_items WHERE (code = ?1 AND code <> '') OR (name = ?2 AND spec = ?3)
                     ORDER BY (code = ?1) DESC LIMIT 1",
                    rusqlite::params![c.code, c.name, c.spec],
                    |r| r.get(0),
                )
                .optional()?;
            let id = match existing {
                Some(id) => {
                    let id = SupplyItemId(id);
                    if let Some(msg) = name_taken(tx, c, Some(id))? {
                        problems.push(FieldProblem { row: *number, column: "物品名称".into(), reason: msg });
                        continue;
                    }
                    let before = get(tx, id)?;
                    if before.unit != c.unit && has_movements(tx, id)? {
                        problems.push(FieldProblem {
                            row: *number,
                            column: "单位".into(),
                            reason: format!("“{}”已有出入库记录,单位不能从“{}”改为“{}”", c.name, before.unit, c.unit),
                        });
                        continue;
                    }
                    tx.execute(
                        "UPDATE supply_items SET code = ?1, name = ?2, category = ?3, unit = ?4, spec = ?5,
                           reorder_level = ?6, location = ?7, deposit = ?8, note = ?9, archived = 0 WHERE id = ?10",
                        rusqlite::params![
                            c.code,
                            c.name,
                            c.category,
                            c.unit,
                            c.spec,
                            c.reorder_level,
                            c.location,
                            c.deposit.as_i64(),
                            c.note,
                            id
                        ],
                    )?;
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
                    insert_checked(tx, c)?
                }
            };
            if let Some((q, p)) = opening {
                opening_lines.push(super::stock::ReceiptLineInput {
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
            let receipt = super::stock::ReceiptInput {
                date: today.to_string(),
                supplier: "期初结存".into(),
                invoice_no: String::new(),
                receiver: tx.operator().to_string(),
                note: "导入物品目录时登记的期初数量".into(),
                lines: opening_lines,
            };
            let doc = super::stock::receive_in_tx(tx, &receipt, today)?;
            summary.opening_receipt = Some(doc.number);
        }
        Ok(summary.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, spec: &str) -> ItemInput {
        ItemInput {
            name: name.into(),
            category: "办公用品".into(),
            unit: "支".into(),
            spec: spec.into(),
            reorder_level: "10".into(),
            ..Default::default()
        }
    }

    #[test]
    fn items_are_checked_found_and_unique() {
        let mut db = Db::open_scratch().expect("db");
        let a = add(&mut db, &input("马克笔", "红色")).expect("add");
        add(&mut db, &input("马克笔", "蓝色")).expect("add");
        let err = add(&mut db, &input("马克笔", "红色")).expect_err("dup").to_string();
        assert_eq!(err, "目录中已有“马克笔(红色)”");
        let err = add(&mut db, &ItemInput { reorder_level: "-2".into(), ..input("胶水", "") }).expect_err("neg");
        assert_eq!(err.to_string(), "库存下限不能为负数(填的是“-2”)");
        let err = add(&mut db, &ItemInput { unit: String::new(), name: String::new(), ..input("x", "") })
            .expect_err("two problems");
        assert!(matches!(err, Error::Rejected { ref problems } if problems.len() == 2), "{err}");

        assert!(find(db.conn(), "马克笔").expect_err("ambiguous").to_string().contains("请写明规格"));
        assert_eq!(find(db.conn(), "马克笔(红色)").expect("find").map(|i| i.id), Some(a));
        assert_eq!(find(db.conn(), "马克笔 红色").expect("find").map(|i| i.id), Some(a));
        assert_eq!(find(db.conn(), "订书机").expect("none"), None);
    }

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
