//! Stocktake of supplies (物品盘点): the count sheet with the book quantity
//! (账面数量) of every item on a date, the counted quantity (实盘数量) typed
//! back, and each difference booked on the same numbered 盘点单 as an
//! adjustment (盘盈 +, 盘亏 −) with its reason. Items left blank were not counted
//! and change nothing.
//!
//! Deliberately out: counting by location in several sessions (save one
//! 盘点单 per shelf instead), and blind counts (the sheet shows the book).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::stock::{self, Header, NewLine, SavedDoc};
use super::{
    clean, header_problem, line_problem, parse_count, parse_doc_date, DocKind, MoveKind, StockDocId, SupplyItemId,
};
use crate::db::{Db, Tx};
use crate::error::FieldProblem;
use crate::store::{self, Conn};
use crate::text::{self, Field};
use crate::{Error, Fen, Result};

/// One item on the count sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SheetLine {
    pub item_id: SupplyItemId,
    pub code: String,
    /// 名称(规格).
    pub item: String,
    pub category: String,
    pub unit: String,
    pub location: String,
    /// 账面数量 at the end of the date.
    pub book_qty: i64,
}

/// The count sheet for `date`: every active item (or one category), by location.
pub fn sheet(conn: &Conn, date: NaiveDate, category: Option<&str>) -> Result<Vec<SheetLine>> {
    store::supplies::stocktakes::sheet(conn, date, category)
}

/// One counted item as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SupplyCountInput"))]
#[serde(default)]
pub struct CountInput {
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub item_id: Option<SupplyItemId>,
    /// The item as typed, when no id.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub item: String,
    /// 实盘数量 (empty: not counted).
    #[serde(deserialize_with = "super::text_or_number")]
    #[cfg_attr(feature = "ts", ts(type = "string | number | null"))]
    pub counted: String,
    /// 差异原因 (required when counted ≠ book).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub reason: String,
}

/// A stocktake as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SupplyStocktakeInput"))]
#[serde(default)]
pub struct StocktakeInput {
    /// 盘点日期.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub date: String,
    /// 盘点人.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub counter: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub lines: Vec<CountInput>,
}

/// A counted item of a saved stocktake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CountLine {
    pub item_id: SupplyItemId,
    pub item: String,
    pub unit: String,
    pub book_qty: i64,
    pub counted: i64,
    /// counted − book: + 盘盈, − 盘亏.
    pub difference: i64,
    /// Value of the adjustment (signed).
    pub value: Fen,
    pub reason: String,
}

/// Saves a stocktake: every counted item, and an adjustment for each difference.
pub fn save(db: &mut Db, input: &StocktakeInput) -> Result<SavedDoc> {
    // A copy of the file first, so the change can be undone (a local file only).
    crate::backup::before(db, crate::backup::Reason::Stocktake)?;
    let today = crate::dates::today();
    db.write(crate::auth::Job::Supplies, |tx| save_in_tx(tx, input, today))
}

/// [`save`] inside an open transaction.
pub fn save_in_tx(tx: &Tx, input: &StocktakeInput, today: NaiveDate) -> Result<SavedDoc> {
    let mut problems: Vec<FieldProblem> = text::problems(
        0,
        &[
            (Field::name("盘点人").max(text::PERSON_NAME_MAX), &input.counter),
            (Field::note("备注").max(200), &input.note),
        ],
    );
    let date = parse_doc_date(&input.date, today).map_err(|e| problems.push(header_problem("盘点日期", e))).ok();
    let mut counted = Vec::new();
    let mut seen = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        let n = i + 1;
        if l.counted.trim().is_empty() {
            continue;
        }
        problems.extend(text::problems(n, &[(Field::note("差异原因").max(200), &l.reason)]));
        let item = match stock::resolve_item(tx, l.item_id, &l.item, n)? {
            Ok(item) => item,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        if seen.contains(&item.id) {
            problems.push(line_problem(n, "物品", format!("“{}”在本单中出现了两次", item.display_name())));
            continue;
        }
        seen.push(item.id);
        match parse_count(&l.counted) {
            Ok(Some(c)) => counted.push((n, item, c, clean(&l.reason))),
            Ok(None) => {}
            Err(e) => problems.push(line_problem(n, "实盘数量", format!("实盘数量{e}"))),
        }
    }
    if counted.is_empty() && problems.is_empty() {
        problems.push(header_problem("实盘数量", "没有填写任何实盘数量"));
    }
    let Some(date) = date else {
        return Err(reject(problems));
    };
    let mut lines = Vec::new();
    for (n, item, c, reason) in &counted {
        let book = stock::balance_on(tx, item.id, date)?;
        let diff = c - book;
        if diff != 0 && reason.is_empty() {
            problems.push(line_problem(
                *n,
                "差异原因",
                format!(
                    "“{}”账面 {book} {},实盘 {c} {},{} {} {},请填写原因",
                    item.display_name(),
                    item.unit,
                    item.unit,
                    if diff > 0 { "盘盈" } else { "盘亏" },
                    diff.abs(),
                    item.unit
                ),
            ));
        }
        if diff < 0 {
            if let Some(msg) = stock::shortfall(tx, item, date, -diff, "盘亏")? {
                problems.push(line_problem(*n, "实盘数量", msg));
            }
        }
        lines.push((item.clone(), book, *c, diff, reason.clone()));
    }
    if !problems.is_empty() {
        return Err(reject(problems));
    }
    let header = Header {
        handler: if input.counter.trim().is_empty() { tx.operator().to_string() } else { clean(&input.counter) },
        note: clean(&input.note),
        purpose: "物品盘点".into(),
        ..Default::default()
    };
    let doc = stock::insert_doc(tx, DocKind::Stocktake, date, &header)?;
    for (item, book, c, _, reason) in &lines {
        store::supplies::stocktakes::insert_line(tx, doc.id, item.id, *book, *c, reason)?;
    }
    let adjustments: Vec<NewLine> = lines
        .iter()
        .filter(|l| l.3 != 0)
        .map(|(item, _, _, diff, reason)| NewLine {
            item: item.id,
            kind: MoveKind::Adjust,
            qty: *diff,
            unit_price: None,
            trade_in: 0,
            note: reason.clone(),
            origin: None,
        })
        .collect();
    if !adjustments.is_empty() {
        stock::insert_lines(tx, &doc, date, &adjustments)?;
    }
    tx.audit(
        "stock_doc",
        doc.id,
        "stocktake",
        None,
        Some(&serde_json::json!({
            "number": doc.number,
            "date": date,
            "counter": header.handler,
            "note": header.note,
            "lines": lines.iter().map(|(item, book, c, diff, reason)| serde_json::json!({
                "item_id": item.id, "item": item.display_name(), "book": book, "counted": c,
                "difference": diff, "reason": reason,
            })).collect::<Vec<_>>(),
        })),
    )?;
    Ok(doc)
}

fn reject(problems: Vec<FieldProblem>) -> Error {
    if problems.len() == 1 && problems[0].row == 0 {
        Error::invalid(format!("{},没有保存", problems[0].reason))
    } else {
        Error::Rejected { problems }
    }
}

/// The counted items of a saved stocktake, with the value of each adjustment.
pub fn lines(conn: &Conn, doc: StockDocId) -> Result<Vec<CountLine>> {
    store::supplies::stocktakes::lines(conn, doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supplies::items::{self, ItemInput};
    use crate::supplies::stock::{receive, ReceiptInput, ReceiptLineInput};

    #[test]
    fn differences_are_booked_with_a_reason() {
        let mut db = Db::open_scratch().expect("db");
        let mut ids = Vec::new();
        for name in ["抹布", "洗手液"] {
            ids.push(
                items::add(
                    &mut db,
                    &ItemInput {
                        name: name.into(),
                        category: "清洁用品".into(),
                        unit: "个".into(),
                        ..Default::default()
                    },
                )
                .expect("item"),
            );
        }
        receive(
            &mut db,
            &ReceiptInput {
                date: "2025-09-01".into(),
                lines: ["抹布", "洗手液"]
                    .iter()
                    .map(|n| ReceiptLineInput {
                        item: (*n).into(),
                        qty: "10".into(),
                        unit_price: "2".into(),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            },
        )
        .expect("receipt");
        let s = sheet(db.conn(), NaiveDate::from_ymd_opt(2025, 9, 30).expect("d"), None).expect("sheet");
        assert_eq!(s.iter().map(|l| l.book_qty).collect::<Vec<_>>(), [10, 10]);
        let mut input = StocktakeInput {
            date: "2025-09-30".into(),
            lines: vec![
                CountInput { item_id: Some(ids[0]), counted: "8".into(), ..Default::default() },
                CountInput { item_id: Some(ids[1]), counted: "10".into(), ..Default::default() },
            ],
            ..Default::default()
        };
        let err = save(&mut db, &input).expect_err("no reason").to_string();
        assert!(err.contains("账面 10 个,实盘 8 个,盘亏 2 个,请填写原因"), "{err}");
        input.lines[0].reason = "损坏".into();
        let doc = save(&mut db, &input).expect("save");
        let l = lines(db.conn(), doc.id).expect("lines");
        assert_eq!((l[0].difference, l[0].value), (-2, Fen(-400)));
        assert_eq!(l[1].difference, 0);
        assert_eq!(
            stock::balance_on(db.conn(), ids[0], NaiveDate::from_ymd_opt(2099, 12, 31).expect("d")).expect("bal"),
            8
        );
        let err =
            save(&mut db, &StocktakeInput { date: "2025-09-30".into(), ..Default::default() }).expect_err("empty");
        assert_eq!(err.to_string(), "没有填写任何实盘数量,没有保存");
    }
}
