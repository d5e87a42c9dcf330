//! Stock documents and the journal: receipts (入库单), issue slips (领用单),
//! reversals (冲销单), and the rules every movement obeys.
//!
//! - A document has a date, a number (`LY-2025-0001`: kind, year of its date,
//!   sequence; never reused) and one or more lines. Saving one is one
//!   transaction with one audit entry holding the whole document.
//! - The balance (结存) of an item never goes below zero at the end of any day.
//!   An issue is checked against the balance on its date and against every
//!   outgoing line entered later, so a back-dated issue cannot take stock a
//!   later slip already took; the refusal says the balance.
//! - Nothing is edited or deleted: a wrong line is undone by a reversal, a new
//!   document dated on or after the original, that names it.
//! - After each write, the values of the item's lines from that date on are
//!   recomputed by [`super::cost`] (an earlier-dated receipt changes the
//!   average of later issues); quantities never change.
//!
//! Deliberately out: editing a saved document, deleting, approval workflows
//! (审批人 is recorded as written on the slip), and dates after today.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Timelike};
use serde::{Deserialize, Serialize};

use super::cost::{self, Stock};
use super::items::{self, SupplyItem};
use super::{
    clean, header_problem, line_problem, parse_doc_date, parse_price, parse_qty, text_or_number, DocKind, MoveKind,
    MovementId, StockDocId, SupplyItemId,
};
use crate::db::{Db, Tx};
use crate::error::FieldProblem;
use crate::school::{classes, ClassId};
use crate::store::{self, Conn};
use crate::text::{self, Field};
use crate::{Error, Fen, Result};

/// One line of a receipt as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ReceiptLineInput {
    /// The item picked from the catalogue, or
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub item_id: Option<SupplyItemId>,
    /// the item as typed: 编号, name, or 名称(规格).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub item: String,
    /// 数量 as typed.
    #[serde(deserialize_with = "text_or_number")]
    #[cfg_attr(feature = "ts", ts(type = "string | number | null"))]
    pub qty: String,
    /// 单价 (yuan) as typed.
    #[serde(deserialize_with = "text_or_number")]
    #[cfg_attr(feature = "ts", ts(type = "string | number | null"))]
    pub unit_price: String,
    /// 备注.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

/// A receipt (入库单) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ReceiptInput {
    /// 入库日期.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub date: String,
    /// 供应商.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub supplier: String,
    /// 发票号.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub invoice_no: String,
    /// 验收人 / 经手人.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub receiver: String,
    /// 备注.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub lines: Vec<ReceiptLineInput>,
}

/// One line of an issue slip as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct IssueLineInput {
    /// The item picked from the catalogue, or
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub item_id: Option<SupplyItemId>,
    /// the item as typed: 编号, name, or 名称(规格).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub item: String,
    /// 数量 as typed.
    #[serde(deserialize_with = "text_or_number")]
    #[cfg_attr(feature = "ts", ts(type = "string | number | null"))]
    pub qty: String,
    /// 以旧换新: how many old ones were handed back (empty: none).
    #[serde(deserialize_with = "text_or_number")]
    #[cfg_attr(feature = "ts", ts(type = "string | number | null"))]
    pub trade_in: String,
    /// 备注.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

/// An issue slip (领用单) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct IssueInput {
    /// 领用日期.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub date: String,
    /// 领用部门: a class's name (大一班) or a department (食堂).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub to: String,
    /// 领用人.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub requester: String,
    /// 审批人.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub approver: String,
    /// 用途.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub purpose: String,
    /// 发放人 (the keeper; defaults to the operator).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub handler: String,
    /// 备注.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub lines: Vec<IssueLineInput>,
}

/// A reversal (冲销) of lines of a receipt or an issue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ReversalInput {
    /// The document whose lines are reversed.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub doc_id: Option<StockDocId>,
    /// …or its number (LY-2025-0003).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub number: String,
    /// The lines to reverse; empty: every line not reversed yet.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub lines: Vec<MovementId>,
    /// 冲销日期 (empty: today).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub date: String,
    /// 冲销原因 (required).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub reason: String,
}

/// A saved document: its id and number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SavedDoc {
    pub id: StockDocId,
    pub number: String,
}

/// A document as lists, slips and the journal show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StockDoc {
    pub id: StockDocId,
    pub kind: DocKind,
    /// 入库单, 领用单 …
    pub kind_label: String,
    pub number: String,
    pub date: NaiveDate,
    pub supplier: String,
    pub invoice_no: String,
    /// 验收人 (receipt) / 发放人 (issue) / 经手人.
    pub handler: String,
    pub class_id: Option<ClassId>,
    /// 领用部门 as printed.
    pub department: String,
    pub requester: String,
    pub approver: String,
    pub purpose: String,
    pub note: String,
    /// The number of the document this one reverses.
    pub reverses: Option<String>,
    /// Numbers of reversals of this document's lines.
    pub reversed_by: Vec<String>,
    /// When and by whom it was entered.
    pub created_at: String,
    pub created_by: String,
    pub lines: Vec<DocLine>,
    /// Sum of the lines' values (always positive).
    pub total_value: Fen,
}

/// One line of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocLine {
    pub id: MovementId,
    pub line_no: i64,
    pub item_id: SupplyItemId,
    pub item_name: String,
    pub spec: String,
    pub unit: String,
    pub category: String,
    /// How many (always positive; `kind` and the document say which way).
    pub qty: i64,
    /// Signed as in the journal: + in, − out.
    pub signed_qty: i64,
    pub kind: MoveKind,
    /// A receipt's unit price.
    pub unit_price: Option<Fen>,
    /// Value of the line (always positive).
    pub value: Fen,
    /// 以旧换新: old ones handed back.
    pub trade_in: i64,
    pub note: String,
    /// A later reversal undid this line.
    pub reversed: bool,
}

// ------------------------------------------------------------ the engine

/// The balance picture of one item around a date, for checks and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Availability {
    /// Balance at the end of the date.
    pub on_date: i64,
    /// The most that can go out on the date without any day going negative.
    pub max_out: i64,
    /// The later day where the balance is lowest, when that is what limits `max_out`.
    pub limited_by: Option<NaiveDate>,
    /// The first day anything came in, if ever.
    pub first_in: Option<NaiveDate>,
    /// Whether anything is dated after `date` (the message then names the date).
    pub later_entries: bool,
}

/// How much of `item` can go out on `date`.
pub fn availability(conn: &Conn, item: SupplyItemId, date: NaiveDate) -> Result<Availability> {
    let (on_date, first_in) = store::supplies::movements::balance_and_first_in(conn, item, date)?;
    let later = store::supplies::movements::daily_after(conn, item, date)?;
    let (mut cum, mut max_out, mut limited_by) = (on_date, on_date, None);
    for (day, change) in &later {
        cum += change;
        if cum < max_out {
            max_out = cum;
            limited_by = Some(*day);
        }
    }
    Ok(Availability { on_date, max_out: max_out.max(0), limited_by, first_in, later_entries: !later.is_empty() })
}

/// The balance of `item` at the end of `date`.
pub fn balance_on(conn: &Conn, item: SupplyItemId, date: NaiveDate) -> Result<i64> {
    store::supplies::movements::balance_on(conn, item, date)
}

/// Why `want` units of `item` cannot go out on `date`, or `None` if they can.
/// `verb` is what is being done (领用, 借出, 冲销入库 …).
pub(crate) fn shortfall(
    conn: &Conn,
    item: &SupplyItem,
    date: NaiveDate,
    want: i64,
    verb: &str,
) -> Result<Option<String>> {
    let a = availability(conn, item.id, date)?;
    if want <= a.max_out {
        return Ok(None);
    }
    let (name, unit) = (item.display_name(), &item.unit);
    Ok(Some(match a.first_in {
        Some(first) if first > date && a.on_date <= 0 => format!(
            "“{name}”在 {date} 还没有入库(第一次入库是 {first}),不能{verb};{verb}日期不能早于入库日期"
        ),
        None => format!("“{name}”还没有入库,结存为 0 {unit},不能{verb} {want} {unit}"),
        _ if a.on_date < want && !a.later_entries => {
            format!("库存不足:“{name}”现有结存 {} {unit},不能{verb} {want} {unit}", a.on_date)
        }
        _ if a.on_date < want => {
            format!("库存不足:“{name}”在 {date} 的结存为 {} {unit},不能{verb} {want} {unit}", a.on_date)
        }
        _ => format!(
            "“{name}”在 {date} 的结存为 {} {unit},但 {} 及以后已登记的出库要用去其中 {} {unit},最多只能{verb} {} {unit}",
            a.on_date,
            a.limited_by.map(|d| d.to_string()).unwrap_or_default(),
            a.on_date - a.max_out,
            a.max_out
        ),
    }))
}

/// Resolves a line's item: by id, or by what was typed. Archived items are refused.
pub(crate) fn resolve_item(
    conn: &Conn,
    id: Option<SupplyItemId>,
    text: &str,
    line: usize,
) -> Result<std::result::Result<SupplyItem, FieldProblem>> {
    let found = match id {
        Some(id) => match items::get(conn, id) {
            Ok(i) => Some(i),
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(e),
        },
        None => match items::find(conn, text) {
            Ok(i) => i,
            Err(Error::Invalid(msg)) => return Ok(Err(line_problem(line, "物品", msg))),
            Err(e) => return Err(e),
        },
    };
    Ok(match found {
        Some(i) if i.archived => {
            Err(line_problem(line, "物品", format!("“{}”已停用,请先在物品目录中启用", i.display_name())))
        }
        Some(i) => Ok(i),
        None if id.is_none() && text.trim().is_empty() => Err(line_problem(line, "物品", "请选择物品")),
        None => Err(line_problem(
            line,
            "物品",
            match id {
                Some(id) if text.trim().is_empty() => format!("物品目录中没有编号为 {id} 的物品"),
                _ => format!("物品目录中没有“{}”,请先在物品目录中添加", text.trim()),
            },
        )),
    })
}

/// The header of a document to insert.
#[derive(Debug, Clone, Default)]
pub(crate) struct Header {
    pub supplier: String,
    pub invoice_no: String,
    pub handler: String,
    pub class_id: Option<ClassId>,
    pub department: String,
    pub requester: String,
    pub approver: String,
    pub purpose: String,
    pub note: String,
    pub reverses: Option<StockDocId>,
}

/// The next number for `kind` in `year`: `LY-2025-0001`.
fn next_number(tx: &Tx, kind: DocKind, year: i32) -> Result<String> {
    let prefix = format!("{}-{year}-", kind.prefix());
    let last = store::supplies::docs::last_sequence(tx, &prefix)?;
    Ok(format!("{prefix}{:04}", last.unwrap_or(0) + 1))
}

/// Inserts a document header; returns its id and number.
pub(crate) fn insert_doc(tx: &Tx, kind: DocKind, date: NaiveDate, h: &Header) -> Result<SavedDoc> {
    let number = next_number(tx, kind, date.year())?;
    // Entered when, to the second (as the journal shows it).
    let now = crate::db::now();
    let now = now.with_nanosecond(0).unwrap_or(now);
    let id = store::supplies::docs::insert(tx, kind, &number, date, h, now)?;
    Ok(SavedDoc { id, number })
}

/// A line to insert; its value is set by [`revalue`].
#[derive(Debug, Clone)]
pub(crate) struct NewLine {
    pub item: SupplyItemId,
    pub kind: MoveKind,
    pub qty: i64,
    pub unit_price: Option<Fen>,
    pub trade_in: i64,
    pub note: String,
    pub origin: Option<MovementId>,
}

/// Inserts the lines of a saved document and revalues every item they touch.
pub(crate) fn insert_lines(tx: &Tx, doc: &SavedDoc, date: NaiveDate, lines: &[NewLine]) -> Result<Vec<MovementId>> {
    let mut ids = Vec::with_capacity(lines.len());
    for (i, l) in (1..).zip(lines) {
        let value = match l.unit_price {
            Some(p) if l.kind == MoveKind::Receipt => l.qty * p.as_i64(),
            _ => 0,
        };
        ids.push(store::supplies::movements::insert(tx, doc.id, i, date, l, value)?);
    }
    let mut touched: Vec<SupplyItemId> = lines.iter().map(|l| l.item).collect();
    touched.sort();
    touched.dedup();
    for item in touched {
        revalue(tx, item, date)?;
    }
    Ok(ids)
}

/// Recomputes the values of `item`'s lines dated `from` or later (see [`super::cost`])
/// and refuses a day that ends below zero (the checks before should have caught it).
pub(crate) fn revalue(tx: &Tx, item: SupplyItemId, from: NaiveDate) -> Result<()> {
    let mut stock = store::supplies::movements::stock_before(tx, item, from)?;
    let lines = store::supplies::movements::valued_from(tx, item, from)?;
    let mut new_values: HashMap<MovementId, i64> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let origin_value = match l.origin {
            Some(o) => Some(match new_values.get(&o) {
                Some(v) => *v,
                None => store::supplies::movements::value_of(tx, o)?,
            }),
            None => None,
        };
        let last_price = if l.kind == MoveKind::Adjust && l.qty > 0 && stock.qty <= 0 {
            store::supplies::movements::last_receipt_price(tx, item, l.date)?
        } else {
            None
        };
        let m = cost::Movement { kind: l.kind, qty: l.qty, unit_price: l.unit_price, origin_value, last_price };
        let v = cost::value_of(stock, &m);
        stock = Stock { qty: stock.qty + l.qty, value: stock.value + v };
        new_values.insert(l.id, v);
        if v != l.value {
            store::supplies::movements::set_value(tx, l.id, v)?;
        }
        let end_of_day = lines.get(i + 1).is_none_or(|n| n.date != l.date);
        if end_of_day && stock.qty < 0 {
            let it = items::get(tx, item)?;
            return Err(Error::conflict(format!(
                "“{}”在 {} 的结存会变为 {} {},没有保存",
                it.display_name(),
                l.date,
                stock.qty,
                it.unit
            )));
        }
    }
    Ok(())
}

fn rejected(problems: Vec<FieldProblem>) -> Error {
    if problems.len() == 1 {
        let p = &problems[0];
        if p.row == 0 {
            return Error::invalid(format!("{},没有保存", p.reason));
        }
    }
    Error::Rejected { problems }
}

/// Checks that the outgoing quantities (per item, summed over the lines) fit.
fn check_outs(
    conn: &Conn,
    outs: &[(usize, SupplyItem, i64)],
    date: NaiveDate,
    verb: &str,
) -> Result<Vec<FieldProblem>> {
    let mut per_item: BTreeMap<SupplyItemId, (usize, &SupplyItem, i64, usize)> = BTreeMap::new();
    for (line, item, q) in outs {
        let e = per_item.entry(item.id).or_insert((*line, item, 0, 0));
        e.2 += q;
        e.3 += 1;
    }
    let mut problems = Vec::new();
    for (line, item, want, count) in per_item.values() {
        if let Some(mut msg) = shortfall(conn, item, date, *want, verb)? {
            if *count > 1 {
                msg.push_str(&format!("(本单共{} {want} {})", verb, item.unit));
            }
            problems.push(line_problem(*line, "数量", msg));
        }
    }
    Ok(problems)
}

// ------------------------------------------------------------ receipts

/// Saves a receipt (入库单). Bad lines: nothing saved, every problem listed.
pub fn receive(db: &mut Db, input: &ReceiptInput) -> Result<SavedDoc> {
    let today = crate::dates::today();
    db.write(crate::auth::Job::Supplies, |tx| receive_in_tx(tx, input, today))
}

/// [`receive`] inside an open transaction, with `today` given (imports, the demo).
pub fn receive_in_tx(tx: &Tx, input: &ReceiptInput, today: NaiveDate) -> Result<SavedDoc> {
    let mut problems = text::problems(
        0,
        &[
            (Field::name("供货单位"), &input.supplier),
            (Field::line("发票号").max(text::CODE_MAX), &input.invoice_no),
            (Field::name("验收人").max(text::PERSON_NAME_MAX), &input.receiver),
            (Field::note("备注").max(200), &input.note),
        ],
    );
    let date = parse_doc_date(&input.date, today).map_err(|e| problems.push(header_problem("入库日期", e))).ok();
    let mut lines = Vec::new();
    let filled: Vec<&ReceiptLineInput> = input.lines.iter().filter(|l| !is_blank_receipt_line(l)).collect();
    if filled.is_empty() {
        problems.push(header_problem("物品", "入库单至少要有一行物品"));
    }
    for (i, l) in filled.iter().enumerate() {
        let n = i + 1;
        problems.extend(text::problems(n, &[(Field::note("备注").max(200), &l.note)]));
        let item = match resolve_item(tx, l.item_id, &l.item, n)? {
            Ok(item) => Some(item),
            Err(p) => {
                problems.push(p);
                None
            }
        };
        let qty = parse_qty(&l.qty).map_err(|e| problems.push(line_problem(n, "数量", e))).ok();
        let price = if l.unit_price.trim().is_empty() {
            problems.push(line_problem(n, "单价", "请填写单价(赠送的物品填 0)"));
            None
        } else {
            parse_price(&l.unit_price, "单价").map_err(|e| problems.push(line_problem(n, "单价", e))).ok()
        };
        if let (Some(item), Some(qty), Some(price)) = (item, qty, price) {
            // A line's amount is bounded like a typed one, which keeps the stock's sums far from overflow.
            if qty.checked_mul(price.as_i64()).is_none_or(|v| v > Fen::MAX_INPUT.as_i64()) {
                problems.push(line_problem(n, "单价", "金额过大(数量 × 单价超过 99,999,999.99 元),请检查数量和单价"));
                continue;
            }
            lines.push((
                item,
                NewLine {
                    item: SupplyItemId(0),
                    kind: MoveKind::Receipt,
                    qty,
                    unit_price: Some(price),
                    trade_in: 0,
                    note: clean(&l.note),
                    origin: None,
                },
            ));
        }
    }
    let (Some(date), true) = (date, problems.is_empty()) else {
        return Err(rejected(problems));
    };
    let header = Header {
        supplier: clean(&input.supplier),
        invoice_no: clean(&input.invoice_no),
        handler: if input.receiver.trim().is_empty() { tx.operator().to_string() } else { clean(&input.receiver) },
        note: clean(&input.note),
        ..Default::default()
    };
    let doc = insert_doc(tx, DocKind::Receipt, date, &header)?;
    let new_lines: Vec<NewLine> = lines.iter().map(|(item, l)| NewLine { item: item.id, ..l.clone() }).collect();
    insert_lines(tx, &doc, date, &new_lines)?;
    tx.audit("stock_doc", doc.id, "receipt", None, Some(&audit_json(&doc, date, &header, &lines)))?;
    Ok(doc)
}

fn is_blank_receipt_line(l: &ReceiptLineInput) -> bool {
    l.item_id.is_none() && l.item.trim().is_empty() && l.qty.trim().is_empty() && l.unit_price.trim().is_empty()
}

fn audit_json(doc: &SavedDoc, date: NaiveDate, h: &Header, lines: &[(SupplyItem, NewLine)]) -> serde_json::Value {
    serde_json::json!({
        "number": doc.number,
        "date": date,
        "supplier": h.supplier,
        "invoice_no": h.invoice_no,
        "handler": h.handler,
        "department": h.department,
        "requester": h.requester,
        "approver": h.approver,
        "purpose": h.purpose,
        "note": h.note,
        "reverses": h.reverses,
        "lines": lines.iter().map(|(item, l)| serde_json::json!({
            "item_id": item.id,
            "item": item.display_name(),
            "qty": l.qty,
            "unit_price": l.unit_price,
            "trade_in": l.trade_in,
            "note": l.note,
            "origin": l.origin,
        })).collect::<Vec<_>>(),
    })
}

// ------------------------------------------------------------ issues

/// Where an issue (or a loan) goes: one of the school's classes, by its
/// name, or one of the departments of the settings (物品目录 › 领用部门).
/// Anything else is the reason it is refused, with what is allowed: a typo
/// must not become a department of its own in the month's usage.
pub(crate) fn resolve_to(conn: &Conn, to: &str) -> Result<std::result::Result<(Option<ClassId>, String), String>> {
    let t = to.trim();
    let options = super::settings::options(conn)?;
    if options.classes.iter().any(|c| c == t) {
        return Ok(Ok((classes::find_by_name(conn, t)?, t.to_string())));
    }
    if options.departments.iter().any(|d| d == t) {
        return Ok(Ok((None, t.to_string())));
    }
    let classes =
        if options.classes.is_empty() { "(还没有班级)".to_string() } else { options.classes.join("、") };
    Ok(Err(format!(
        "“{t}”不是本园的班级或领用部门。班级:{classes};部门:{}。其他部门请先在「物品领用 › 物品目录 › 领用部门」中添加",
        options.departments.join("、")
    )))
}

/// Saves an issue slip (领用单). Bad input or not enough stock: nothing saved.
pub fn issue(db: &mut Db, input: &IssueInput) -> Result<SavedDoc> {
    let today = crate::dates::today();
    db.write(crate::auth::Job::Supplies, |tx| issue_in_tx(tx, input, today))
}

/// [`issue`] inside an open transaction, with `today` given (the demo, the bench).
pub fn issue_in_tx(tx: &Tx, input: &IssueInput, today: NaiveDate) -> Result<SavedDoc> {
    let mut problems = text::problems(
        0,
        &[
            (Field::name("领用人").max(text::PERSON_NAME_MAX), &input.requester),
            (Field::name("审批人").max(text::PERSON_NAME_MAX), &input.approver),
            (Field::name("经办人").max(text::PERSON_NAME_MAX), &input.handler),
            (Field::line("用途").max(100), &input.purpose),
            (Field::note("备注").max(200), &input.note),
        ],
    );
    let date = parse_doc_date(&input.date, today).map_err(|e| problems.push(header_problem("领用日期", e))).ok();
    let to = if input.to.trim().is_empty() {
        problems.push(header_problem("领用部门", "请选择领用的班级或部门"));
        None
    } else {
        resolve_to(tx, &input.to)?.map_err(|e| problems.push(header_problem("领用部门", e))).ok()
    };
    if input.requester.trim().is_empty() {
        problems.push(header_problem("领用人", "请填写领用人"));
    }
    let filled: Vec<&IssueLineInput> = input
        .lines
        .iter()
        .filter(|l| !(l.item_id.is_none() && l.item.trim().is_empty() && l.qty.trim().is_empty()))
        .collect();
    if filled.is_empty() {
        problems.push(header_problem("物品", "领用单至少要有一行物品"));
    }
    let mut lines = Vec::new();
    for (i, l) in filled.iter().enumerate() {
        let n = i + 1;
        problems.extend(text::problems(n, &[(Field::note("备注").max(200), &l.note)]));
        let item = match resolve_item(tx, l.item_id, &l.item, n)? {
            Ok(item) => Some(item),
            Err(p) => {
                problems.push(p);
                None
            }
        };
        let qty = parse_qty(&l.qty).map_err(|e| problems.push(line_problem(n, "数量", e))).ok();
        let trade_in = match super::parse_count(&l.trade_in) {
            Ok(v) => v.unwrap_or(0),
            Err(e) => {
                problems.push(line_problem(n, "以旧换新", format!("交回旧品数量{e}")));
                0
            }
        };
        if let (Some(item), Some(qty)) = (item, qty) {
            // 以旧换新: one old item back for each new one; more back than
            // issued would be a return, which has no place on a slip.
            if trade_in > qty {
                problems.push(line_problem(
                    n,
                    "以旧换新",
                    format!(
                        "交回旧品 {trade_in} {unit} 多于本行领用的 {qty} {unit}:以旧换新交回的旧品不能多于领用数量",
                        unit = item.unit
                    ),
                ));
                continue;
            }
            lines.push((n, item, qty, trade_in, clean(&l.note)));
        }
    }
    if let (Some(date), true) = (date, problems.is_empty()) {
        let outs: Vec<(usize, SupplyItem, i64)> = lines.iter().map(|(n, i, q, _, _)| (*n, i.clone(), *q)).collect();
        problems.extend(check_outs(tx, &outs, date, "领用")?);
    }
    let (Some(date), Some((class_id, department)), true) = (date, to, problems.is_empty()) else {
        return Err(rejected(problems));
    };
    let header = Header {
        handler: if input.handler.trim().is_empty() { tx.operator().to_string() } else { clean(&input.handler) },
        class_id,
        department,
        requester: clean(&input.requester),
        approver: clean(&input.approver),
        purpose: clean(&input.purpose),
        note: clean(&input.note),
        ..Default::default()
    };
    let doc = insert_doc(tx, DocKind::Issue, date, &header)?;
    let new_lines: Vec<(SupplyItem, NewLine)> = lines
        .into_iter()
        .map(|(_, item, qty, trade_in, note)| {
            let l = NewLine {
                item: item.id,
                kind: MoveKind::Issue,
                qty: -qty,
                unit_price: None,
                trade_in,
                note,
                origin: None,
            };
            (item, l)
        })
        .collect();
    let plain: Vec<NewLine> = new_lines.iter().map(|(_, l)| l.clone()).collect();
    insert_lines(tx, &doc, date, &plain)?;
    tx.audit("stock_doc", doc.id, "issue", None, Some(&audit_json(&doc, date, &header, &new_lines)))?;
    Ok(doc)
}

// ------------------------------------------------------------ reversals

/// Saves a reversal (冲销单) of lines of a receipt or an issue.
pub fn reverse(db: &mut Db, input: &ReversalInput) -> Result<SavedDoc> {
    let today = crate::dates::today();
    db.write(crate::auth::Job::Supplies, |tx| reverse_in_tx(tx, input, today))
}

/// [`reverse`] inside an open transaction.
pub fn reverse_in_tx(tx: &Tx, input: &ReversalInput, today: NaiveDate) -> Result<SavedDoc> {
    let original = match (input.doc_id, input.number.trim()) {
        (Some(id), _) => doc(tx, id)?,
        (None, n) if !n.is_empty() => doc_by_number(tx, n)?,
        _ => return Err(Error::invalid("请指定要冲销的单据")),
    };
    if !matches!(original.kind, DocKind::Receipt | DocKind::Issue) {
        return Err(Error::invalid(format!(
            "{}“{}”不能冲销:只有入库单和领用单可以冲销(押金物品请办理归还,盘点差错请重新盘点)",
            original.kind_label, original.number
        )));
    }
    let reason = clean(&input.reason);
    if reason.is_empty() {
        return Err(Error::invalid("请填写冲销原因,没有保存"));
    }
    Field::note("冲销原因").max(200).check(&reason).map_err(|e| Error::invalid(format!("{e},没有保存")))?;
    let date = if input.date.trim().is_empty() {
        today
    } else {
        parse_doc_date(&input.date, today).map_err(|e| Error::invalid(format!("{e},没有保存")))?
    };
    if date < original.date {
        return Err(Error::invalid(format!("冲销日期 {date} 早于原单据日期 {},没有保存", original.date)));
    }
    let chosen: Vec<&DocLine> = if input.lines.is_empty() {
        original.lines.iter().filter(|l| !l.reversed).collect()
    } else {
        let mut v = Vec::new();
        for id in &input.lines {
            match original.lines.iter().find(|l| l.id == *id) {
                Some(l) if l.reversed => {
                    return Err(Error::conflict(format!(
                        "{}第 {} 行“{}”已经冲销过,没有保存",
                        original.number, l.line_no, l.item_name
                    )))
                }
                Some(l) => v.push(l),
                None => return Err(Error::not_found("单据行", format!("{} 中的 {id}", original.number))),
            }
        }
        v
    };
    if chosen.is_empty() {
        return Err(Error::conflict(format!("{}的每一行都已冲销,没有可冲销的内容", original.number)));
    }
    if original.kind == DocKind::Receipt {
        let outs: Vec<(usize, SupplyItem, i64)> = chosen
            .iter()
            .map(|l| Ok((l.line_no as usize, items::get(tx, l.item_id)?, l.qty)))
            .collect::<Result<_>>()?;
        let problems = check_outs(tx, &outs, date, "冲销入库")?;
        if !problems.is_empty() {
            return Err(Error::Rejected { problems });
        }
    }
    let header = Header {
        supplier: original.supplier.clone(),
        invoice_no: original.invoice_no.clone(),
        handler: tx.operator().to_string(),
        class_id: original.class_id,
        department: original.department.clone(),
        requester: original.requester.clone(),
        approver: original.approver.clone(),
        purpose: original.purpose.clone(),
        note: reason,
        reverses: Some(original.id),
    };
    let saved = insert_doc(tx, DocKind::Reversal, date, &header)?;
    let lines: Vec<(SupplyItem, NewLine)> = chosen
        .iter()
        .map(|l| {
            Ok((
                items::get(tx, l.item_id)?,
                NewLine {
                    item: l.item_id,
                    kind: MoveKind::Reversal,
                    qty: -l.signed_qty,
                    unit_price: None,
                    trade_in: 0,
                    note: format!("冲销 {} 第 {} 行", original.number, l.line_no),
                    origin: Some(l.id),
                },
            ))
        })
        .collect::<Result<_>>()?;
    let plain: Vec<NewLine> = lines.iter().map(|(_, l)| l.clone()).collect();
    insert_lines(tx, &saved, date, &plain)?;
    tx.audit("stock_doc", saved.id, "reversal", None, Some(&audit_json(&saved, date, &header, &lines)))?;
    Ok(saved)
}

// ------------------------------------------------------------ reading

/// A document with its lines.
pub fn doc(conn: &Conn, id: StockDocId) -> Result<StockDoc> {
    let mut d = store::supplies::docs::get(conn, id)?.ok_or_else(|| Error::not_found("单据", id))?;
    d.lines = store::supplies::docs::lines(conn, id)?;
    d.total_value = d.lines.iter().map(|l| l.value).sum();
    d.reversed_by = store::supplies::docs::reversed_by(conn, id)?;
    Ok(d)
}

/// A document by its number (LY-2025-0001; case and spaces ignored).
pub fn doc_by_number(conn: &Conn, number: &str) -> Result<StockDoc> {
    match store::supplies::docs::by_number(conn, &number.trim().to_ascii_uppercase())? {
        Some(id) => doc(conn, id),
        None => Err(Error::not_found("单据", number.trim())),
    }
}

/// Which documents a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct DocFilter {
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub kind: Option<DocKind>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub from: Option<NaiveDate>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub to: Option<NaiveDate>,
    /// At most this many, newest first (default 200).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub limit: Option<usize>,
}

/// A document in a list: header and totals, without lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocSummary {
    pub id: StockDocId,
    pub kind: DocKind,
    pub kind_label: String,
    pub number: String,
    pub date: NaiveDate,
    /// 领用部门 or 供应商, whichever the kind has.
    pub party: String,
    pub requester: String,
    pub lines: i64,
    pub total_value: Fen,
    pub reversed: bool,
    pub created_by: String,
    pub created_at: String,
}

/// Documents, newest first.
pub fn docs(conn: &Conn, f: &DocFilter) -> Result<Vec<DocSummary>> {
    store::supplies::docs::list(conn, f)
}

/// Which lines the journal shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct JournalFilter {
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub item_id: Option<SupplyItemId>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub from: Option<NaiveDate>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub to: Option<NaiveDate>,
    /// 领用部门 (class or department name).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub department: Option<String>,
    /// At most this many, newest first (default 500).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub limit: Option<usize>,
}

/// One line of the stock journal (出入库流水).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JournalLine {
    pub id: MovementId,
    pub date: NaiveDate,
    pub doc_id: StockDocId,
    pub number: String,
    pub kind: MoveKind,
    /// 入库, 领用, 冲销领用, 盘亏 …
    pub kind_label: String,
    pub item_id: SupplyItemId,
    /// 名称(规格).
    pub item: String,
    pub unit: String,
    /// Units in (0 if out).
    pub qty_in: i64,
    /// Units out (0 if in).
    pub qty_out: i64,
    pub unit_price: Option<Fen>,
    /// Signed value: + in, − out.
    pub value: Fen,
    /// 领用部门 / 供应商.
    pub party: String,
    pub requester: String,
    pub trade_in: i64,
    pub note: String,
    /// Entered by whom, when.
    pub created_by: String,
    pub created_at: String,
    /// A later reversal undid this line.
    pub reversed: bool,
    /// The item's balance after this line (only when the journal is for one item).
    pub balance_after: Option<i64>,
}

/// The journal, newest first; with `item_id` (and no department), each line carries the balance after it.
pub fn journal(conn: &Conn, f: &JournalFilter) -> Result<Vec<JournalLine>> {
    let mut lines = store::supplies::movements::journal(conn, f)?;
    if let (Some(item), Some(newest), None) = (f.item_id, lines.first(), &f.department) {
        // Walk back from the balance after the newest line shown. Lines of one day
        // are shown outs first (newest first), matching the order they count in.
        let mut bal =
            store::supplies::movements::balance_after_line(conn, item, newest.date, newest.qty_out > 0, newest.id)?;
        for l in lines.iter_mut() {
            l.balance_after = Some(bal);
            bal -= l.qty_in - l.qty_out;
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supplies::items::ItemInput;

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).expect("date")
    }

    fn setup() -> (Db, SupplyItemId) {
        let mut db = Db::open_scratch().expect("db");
        let id = items::add(
            &mut db,
            &ItemInput {
                name: "马克笔".into(),
                category: "办公用品".into(),
                unit: "支".into(),
                spec: "黑色".into(),
                ..Default::default()
            },
        )
        .expect("item");
        (db, id)
    }

    fn receipt(date: &str, qty: &str, price: &str) -> ReceiptInput {
        ReceiptInput {
            date: date.into(),
            supplier: "文具店".into(),
            lines: vec![ReceiptLineInput {
                item: "马克笔".into(),
                qty: qty.into(),
                unit_price: price.into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn slip(date: &str, qty: &str) -> IssueInput {
        IssueInput {
            date: date.into(),
            to: "办公室".into(),
            requester: "张老师".into(),
            lines: vec![IssueLineInput { item: "马克笔".into(), qty: qty.into(), ..Default::default() }],
            ..Default::default()
        }
    }

    fn count(db: &Db, table: &str) -> i64 {
        store::supplies::row_count(db.conn(), table).expect("count")
    }

    #[test]
    fn numbers_run_per_kind_and_year() {
        let (mut db, _) = setup();
        assert_eq!(receive(&mut db, &receipt("2024-12-30", "10", "1")).expect("r").number, "RK-2024-0001");
        assert_eq!(receive(&mut db, &receipt("2025-01-02", "10", "1")).expect("r").number, "RK-2025-0001");
        assert_eq!(receive(&mut db, &receipt("2025-01-03", "10", "1")).expect("r").number, "RK-2025-0002");
        assert_eq!(issue(&mut db, &slip("2025-01-03", "1")).expect("i").number, "LY-2025-0001");
    }

    #[test]
    fn an_issue_before_the_stock_arrived_is_refused_and_nothing_saved() {
        let (mut db, _) = setup();
        receive(&mut db, &receipt("2025-09-10", "20", "3.50")).expect("receipt");
        let before = (count(&db, "stock_docs"), count(&db, "stock_movements"), count(&db, "audit_log"));
        let err = issue(&mut db, &slip("2025-09-05", "5")).expect_err("too early").to_string();
        assert!(err.contains("在 2025-09-05 还没有入库(第一次入库是 2025-09-10)"), "{err}");
        assert_eq!(before, (count(&db, "stock_docs"), count(&db, "stock_movements"), count(&db, "audit_log")));
    }

    #[test]
    fn too_much_is_refused_with_the_balance() {
        let (mut db, _) = setup();
        receive(&mut db, &receipt("2025-09-10", "20", "3.50")).expect("receipt");
        issue(&mut db, &slip("2025-09-11", "5")).expect("issue");
        let err = issue(&mut db, &slip("2025-09-12", "30")).expect_err("too many").to_string();
        assert!(err.contains("库存不足:“马克笔(黑色)”现有结存 15 支,不能领用 30 支"), "{err}");
        // A back-dated slip may not take what a later slip already took.
        issue(&mut db, &slip("2025-09-20", "10")).expect("issue");
        let err = issue(&mut db, &slip("2025-09-15", "8")).expect_err("later dip").to_string();
        assert!(err.contains("最多只能领用 5 支"), "{err}");
        // Two lines of the same item count together.
        let mut two = slip("2025-09-21", "3");
        two.lines.push(IssueLineInput { item: "马克笔".into(), qty: "3".into(), ..Default::default() });
        let err = issue(&mut db, &two).expect_err("sum").to_string();
        assert!(err.contains("本单共领用 6 支"), "{err}");
    }

    #[test]
    fn same_day_receipt_and_issue_in_any_order() {
        let (mut db, id) = setup();
        receive(&mut db, &receipt("2025-09-10", "5", "2")).expect("receipt");
        issue(&mut db, &slip("2025-09-11", "5")).expect("issue all");
        receive(&mut db, &receipt("2025-09-11", "4", "3")).expect("receipt same day after");
        assert_eq!(balance_on(db.conn(), id, d("2025-09-11")).expect("bal"), 4);
        let j = journal(db.conn(), &JournalFilter { item_id: Some(id), ..Default::default() }).expect("journal");
        assert_eq!(j.iter().map(|l| l.balance_after.unwrap_or(-1)).collect::<Vec<_>>(), [4, 9, 5]);
        // The issue went out at the average of both days' receipts (10 + 12) ÷ 9 × 5 = 12.22.
        assert_eq!(j[0].value, Fen(-1222));
    }

    #[test]
    fn bad_lines_are_all_reported() {
        let (mut db, _) = setup();
        let mut r = receipt("2025-09-10", "0", "三块五");
        r.lines.push(ReceiptLineInput {
            item: "订书机".into(),
            qty: "-2".into(),
            unit_price: "1".into(),
            ..Default::default()
        });
        let Error::Rejected { problems } = receive(&mut db, &r).expect_err("bad") else { panic!("not rejected") };
        let texts: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            texts,
            [
                "第1行 [数量]:数量必须大于 0(填的是“0”)",
                "第1行 [单价]:“三块五”不是有效的金额(例如 12.50)",
                "第2行 [物品]:物品目录中没有“订书机”,请先在物品目录中添加",
                "第2行 [数量]:数量必须大于 0(填的是“-2”)",
            ]
        );
        assert_eq!(count(&db, "stock_docs"), 0);
    }

    #[test]
    fn reversal_is_a_new_document_and_only_once() {
        let (mut db, id) = setup();
        receive(&mut db, &receipt("2025-09-10", "20", "3.50")).expect("receipt");
        let slip_doc = issue(&mut db, &slip("2025-09-11", "5")).expect("issue");
        let rev = ReversalInput {
            number: slip_doc.number.clone(),
            date: "2025-09-12".into(),
            reason: "领错了".into(),
            ..Default::default()
        };
        let r = reverse(&mut db, &rev).expect("reverse");
        assert!(r.number.starts_with("CX-2025-"));
        assert_eq!(balance_on(db.conn(), id, d("2025-09-12")).expect("bal"), 20);
        let original = doc(db.conn(), slip_doc.id).expect("doc");
        assert!(original.lines[0].reversed);
        assert_eq!(original.reversed_by, std::slice::from_ref(&r.number));
        assert_eq!(original.lines[0].qty, 5, "the original is unchanged");
        let err = reverse(&mut db, &rev).expect_err("twice").to_string();
        assert!(err.contains("每一行都已冲销"), "{err}");
        let err = reverse(&mut db, &ReversalInput { reason: " ".into(), ..rev.clone() }).expect_err("reason");
        assert_eq!(err.to_string(), "请填写冲销原因,没有保存");
    }

    #[test]
    fn a_receipt_already_issued_cannot_be_reversed() {
        let (mut db, _) = setup();
        let r = receive(&mut db, &receipt("2025-09-10", "20", "3.50")).expect("receipt");
        issue(&mut db, &slip("2025-09-11", "15")).expect("issue");
        let err =
            reverse(&mut db, &ReversalInput { doc_id: Some(r.id), reason: "数量录错".into(), ..Default::default() })
                .expect_err("issued")
                .to_string();
        assert!(err.contains("不能冲销入库 20 支"), "{err}");
    }

    #[test]
    fn an_earlier_receipt_revalues_later_issues() {
        let (mut db, id) = setup();
        receive(&mut db, &receipt("2025-09-10", "10", "1")).expect("receipt");
        let s = issue(&mut db, &slip("2025-09-20", "10")).expect("issue");
        assert_eq!(doc(db.conn(), s.id).expect("doc").total_value, Fen(1000));
        // A forgotten receipt of 10 @ 3.00 dated before the issue: the issue now costs 20.00.
        receive(&mut db, &receipt("2025-09-15", "10", "3")).expect("late receipt");
        assert_eq!(doc(db.conn(), s.id).expect("doc").total_value, Fen(2000));
        // The stored values follow: the 10 left are worth the other 20.00.
        let bal = crate::supplies::reports::balance(db.conn(), &Default::default()).expect("balance");
        let row = bal.rows.iter().find(|r| r.item.id == id).expect("the item");
        assert_eq!((row.qty, row.value), (10, Fen(2000)));
    }
}
