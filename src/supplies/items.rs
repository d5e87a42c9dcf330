//! The catalogue (物品目录): every item the keeper stocks, with its category,
//! unit, specification, reorder level (库存下限), location (存放位置) and the
//! usual deposit when it is lent. Items with history are archived (停用), never
//! deleted. The import from .xlsx/.csv is [`super::item_import`]; this module
//! knows nothing of stock documents (they depend on it, not the other way).
//!
//! Deliberately out: item photos, several units per item (箱 vs 支: catalogue
//! the unit you issue), and merging two items (archive one instead).

use serde::{Deserialize, Serialize};

use super::{clean, parse_count, parse_price, text_or_number, SupplyItemId};
use crate::db::{Db, Tx};
use crate::error::FieldProblem;
use crate::store::{self, Conn};
use crate::text;
use crate::{Error, Fen, Result};

/// An item of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
        super::name_with_spec(self.name.clone(), &self.spec)
    }
}

/// What the catalogue form or an import row provides. Numbers and money as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ItemInput {
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub code: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub name: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub category: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub unit: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub spec: String,
    #[serde(deserialize_with = "text_or_number")]
    #[cfg_attr(feature = "ts", ts(type = "string | number | null"))]
    pub reorder_level: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub location: String,
    #[serde(deserialize_with = "text_or_number")]
    #[cfg_attr(feature = "ts", ts(type = "string | number | null"))]
    pub deposit: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

/// An item's fields after checking (what the catalogue stores).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedItem {
    pub code: String,
    pub name: String,
    pub category: String,
    pub unit: String,
    pub spec: String,
    pub reorder_level: i64,
    pub location: String,
    pub deposit: Fen,
    pub note: String,
}

/// Checks a form or an import row (`row`, 0 for a form); every problem, not just the first.
pub(crate) fn check(input: &ItemInput, row: usize) -> std::result::Result<CheckedItem, Vec<FieldProblem>> {
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
    Ok(CheckedItem {
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

/// One item.
pub fn get(conn: &Conn, id: SupplyItemId) -> Result<SupplyItem> {
    store::supplies::items::get(conn, id)?.ok_or_else(|| Error::not_found("物品", id))
}

/// Which items a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ItemFilter {
    /// Only this category.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub category: Option<String>,
    /// Name, code, spec or location containing this text.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub search: Option<String>,
    /// Include archived (停用) items.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub include_archived: bool,
}

/// The catalogue, by category (in the school's list order) then name.
pub fn list(conn: &Conn, f: &ItemFilter) -> Result<Vec<SupplyItem>> {
    let mut items = store::supplies::items::list(conn, f.include_archived, f.category.as_deref())?;
    // A few hundred items: the search is a plain substring test here, the
    // same on every backend (SQL's LIKE folds ASCII case on SQLite only).
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        items.retain(|i| i.name.contains(s) || i.code.contains(s) || i.spec.contains(s) || i.location.contains(s));
    }
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
    if let Some(item) = store::supplies::items::by_code(conn, t)? {
        return Ok(Some(item));
    }
    let named = store::supplies::items::by_name(conn, t)?;
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
    store::supplies::items::by_name_and_spec(conn, name, spec)
}

/// Why `c` cannot be saved beside the other items (than `except`): the same
/// name and spec, or the same code, is already in the catalogue.
pub(crate) fn name_taken(conn: &Conn, c: &CheckedItem, except: Option<SupplyItemId>) -> Result<Option<String>> {
    if store::supplies::items::other_with_name_and_spec(conn, &c.name, &c.spec, except)?.is_some() {
        let what = super::name_with_spec(c.name.clone(), &c.spec);
        return Ok(Some(format!("目录中已有“{what}”")));
    }
    if !c.code.is_empty() {
        if let Some(other) = store::supplies::items::other_with_code(conn, &c.code, except)? {
            return Ok(Some(format!("编号“{}”已用于“{other}”", c.code)));
        }
    }
    Ok(None)
}

/// Why the unit of `before` cannot become `unit`: it has stock movements
/// (the journal's quantities are in the old unit).
pub(crate) fn unit_locked(conn: &Conn, before: &SupplyItem, unit: &str) -> Result<bool> {
    Ok(unit != before.unit && store::supplies::movements::exists_for(conn, before.id)?)
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
    db.write(crate::auth::Job::Supplies, |tx| insert_checked(tx, &c))
}

/// Checks and inserts an item inside an open transaction (imports, the demo, the bench).
pub fn insert_in_tx(tx: &Tx, input: &ItemInput) -> Result<SupplyItemId> {
    let c = check(input, 0).map_err(rejected)?;
    insert_checked(tx, &c)
}

/// Inserts a checked item unless its name and spec or its code is taken.
pub(crate) fn insert_checked(tx: &Tx, c: &CheckedItem) -> Result<SupplyItemId> {
    if let Some(msg) = name_taken(tx, c, None)? {
        return Err(Error::conflict(msg));
    }
    let id = store::supplies::items::insert(tx, c)?;
    tx.audit("supply_item", id, "create", None, Some(&serde_json::json!(c)))?;
    Ok(id)
}

/// Changes an item's details. The unit of an item with stock movements cannot
/// change (the journal's quantities are in it).
pub fn update(db: &mut Db, id: SupplyItemId, input: &ItemInput) -> Result<()> {
    let c = check(input, 0).map_err(rejected)?;
    db.write(crate::auth::Job::Supplies, |tx| {
        let before = get(tx, id)?;
        if let Some(msg) = name_taken(tx, &c, Some(id))? {
            return Err(Error::conflict(msg));
        }
        if unit_locked(tx, &before, &c.unit)? {
            return Err(Error::conflict(format!(
                "“{}”已有出入库记录,单位不能从“{}”改为“{}”;如需换单位,请停用此物品并新建一个",
                before.name, before.unit, c.unit
            )));
        }
        store::supplies::items::update(tx, id, &c)?;
        tx.audit("supply_item", id, "update", Some(&serde_json::json!(before)), Some(&serde_json::json!(c)))
    })
}

/// 停用 / 启用 an item. An item with stock on hand cannot be archived.
pub fn set_archived(db: &mut Db, id: SupplyItemId, archived: bool) -> Result<()> {
    db.write(crate::auth::Job::Supplies, |tx| {
        let item = get(tx, id)?;
        if archived {
            let qty = store::supplies::movements::balance(tx, id)?;
            if qty != 0 {
                return Err(Error::conflict(format!(
                    "“{}”还有结存 {qty} {},不能停用;请先领用完或盘点调整为 0",
                    item.display_name(),
                    item.unit
                )));
            }
        }
        store::supplies::items::set_archived(tx, id, archived)?;
        tx.audit(
            "supply_item",
            id,
            if archived { "archive" } else { "restore" },
            Some(&serde_json::json!({ "archived": item.archived })),
            Some(&serde_json::json!({ "archived": archived })),
        )
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
    fn the_unit_and_archiving_follow_the_journal() {
        use crate::supplies::stock::{issue, receive, IssueInput, IssueLineInput, ReceiptInput, ReceiptLineInput};
        let mut db = Db::open_scratch().expect("db");
        let pen = ItemInput { code: "BJ-01".into(), location: "库房A架".into(), ..input("白板笔", "黑色") };
        let id = add(&mut db, &pen).expect("add");
        // No movements yet: the unit may still change.
        update(&mut db, id, &ItemInput { unit: "盒".into(), ..pen.clone() }).expect("unit");
        update(&mut db, id, &pen).expect("unit back");
        receive(
            &mut db,
            &ReceiptInput {
                date: "2025-09-01".into(),
                lines: vec![ReceiptLineInput {
                    item_id: Some(id),
                    qty: "2".into(),
                    unit_price: "1".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        )
        .expect("receipt");
        let err = update(&mut db, id, &ItemInput { unit: "盒".into(), ..pen.clone() }).expect_err("unit");
        assert!(err.to_string().contains("已有出入库记录,单位不能从“支”改为“盒”"), "{err}");
        let err = set_archived(&mut db, id, true).expect_err("stock on hand");
        assert_eq!(err.to_string(), "“白板笔(黑色)”还有结存 2 支,不能停用;请先领用完或盘点调整为 0");
        issue(
            &mut db,
            &IssueInput {
                date: "2025-09-02".into(),
                to: "办公室".into(),
                requester: "张老师".into(),
                lines: vec![IssueLineInput { item_id: Some(id), qty: "2".into(), ..Default::default() }],
                ..Default::default()
            },
        )
        .expect("issue");
        set_archived(&mut db, id, true).expect("archive when empty");
        assert!(list(db.conn(), &ItemFilter::default()).expect("list").is_empty());
        let all = ItemFilter { include_archived: true, ..Default::default() };
        assert_eq!(list(db.conn(), &all).expect("list").len(), 1);
        // The search matches part of the code, name, spec or location, as typed.
        for (text, hits) in [("BJ", 1), ("bj", 0), ("板笔", 1), ("黑", 1), ("A架", 1), ("红", 0)] {
            let f = ItemFilter { search: Some(text.into()), ..all.clone() };
            assert_eq!(list(db.conn(), &f).expect("search").len(), hits, "{text}");
        }
    }
}
