//! 押金领用: small items lent against a deposit (keys, remote controls, a
//! camera), who has what since when, and the deposit's way back.
//!
//! Lending takes the item out of stock (a 押金借出 document, checked like an
//! issue) and records the deposit received. Closing a loan either brings the
//! item back (a 押金归还 document at the value it went out at) with the deposit
//! refunded — in full, or in part with a reason — or writes it off as lost with
//! the deposit kept. The outstanding list is what is still out, e.g. at term end.
//!
//! Deliberately out: receipts for the deposit money (the bursar's cash book
//! records it), and lending to children's families.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::stock::{self, Header, NewLine};
use super::{
    clean, header_problem, parse_doc_date, parse_price, parse_qty, DepositId, DocKind, MoveKind, SupplyItemId,
};
use crate::db::{Db, Tx};
use crate::error::Code;
use crate::store::supplies::deposits::Closing;
use crate::store::{self, Conn};
use crate::text::{self, Field};
use crate::{Error, Fen, Result};

/// A loan as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct LendInput {
    /// 借出日期.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub date: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub item_id: Option<SupplyItemId>,
    /// The item as typed, when no id.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub item: String,
    /// 数量 (empty: 1).
    #[serde(deserialize_with = "super::text_or_number")]
    #[cfg_attr(feature = "ts", ts(type = "string | number | null"))]
    pub qty: String,
    /// 借用人.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub borrower: String,
    /// 部门 or class (optional).
    pub to: String,
    /// 押金 (empty: the item's usual deposit).
    #[serde(deserialize_with = "super::text_or_number")]
    #[cfg_attr(feature = "ts", ts(type = "string | number | null"))]
    pub deposit: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

/// How a loan ends, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct CloseInput {
    /// 归还日期 (empty: today).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub date: String,
    /// The item came back (false: lost, written off).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub returned: bool,
    /// 退还押金 (empty: all of it if returned, nothing if lost).
    #[serde(deserialize_with = "super::text_or_number")]
    #[cfg_attr(feature = "ts", ts(type = "string | number | null"))]
    pub refund: String,
    /// Why part or all of the deposit is kept.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

/// A loan against a deposit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Deposit {
    pub id: DepositId,
    pub item_id: SupplyItemId,
    /// 名称(规格).
    pub item: String,
    pub unit: String,
    pub qty: i64,
    pub borrower: String,
    pub department: String,
    pub lent_on: NaiveDate,
    pub deposit: Fen,
    /// The 押金借出 document.
    pub lend_number: String,
    pub closed_on: Option<NaiveDate>,
    /// Whether the item came back (None while out).
    pub item_returned: Option<bool>,
    pub refunded: Option<Fen>,
    /// Deposit kept (deposit − refunded) once closed.
    pub kept: Fen,
    /// The 押金归还 document, if the item came back.
    pub return_number: Option<String>,
    pub close_note: String,
    pub note: String,
    /// Days out, to today or to the day it was closed.
    pub days: i64,
    /// 借出中 / 已归还 / 已归还(扣押金) / 未归还(押金不退).
    pub status: String,
}

/// Lends an item against a deposit. Not in stock on that date: refused, nothing saved.
pub fn lend(db: &mut Db, input: &LendInput) -> Result<Deposit> {
    let today = crate::dates::today();
    // Read back inside the transaction: once it commits, the loan is saved
    // and the command must not report a failure.
    db.write(crate::auth::Job::Supplies, |tx| {
        let id = lend_in_tx(tx, input, today)?;
        get(tx, id)
    })
}

/// [`lend`] inside an open transaction (the demo).
pub fn lend_in_tx(tx: &Tx, input: &LendInput, today: NaiveDate) -> Result<DepositId> {
    let mut problems = text::problems(
        0,
        &[
            (Field::name("借用人").max(text::PERSON_NAME_MAX), &input.borrower),
            (Field::note("备注").max(200), &input.note),
        ],
    );
    let date = parse_doc_date(&input.date, today).map_err(|e| problems.push(header_problem("借出日期", e))).ok();
    let item = match stock::resolve_item(tx, input.item_id, &input.item, 0)? {
        Ok(i) => Some(i),
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let qty = if input.qty.trim().is_empty() {
        Some(1)
    } else {
        parse_qty(&input.qty).map_err(|e| problems.push(header_problem("数量", e))).ok()
    };
    let borrower = clean(&input.borrower);
    if borrower.is_empty() {
        problems.push(header_problem("借用人", "请填写借用人"));
    }
    let deposit = match (&item, input.deposit.trim()) {
        (Some(i), "") => Some(i.deposit),
        (_, text) => parse_price(text, "押金").map_err(|e| problems.push(header_problem("押金", e))).ok(),
    };
    let (Some(date), Some(item), Some(qty), Some(deposit), true) = (date, item, qty, deposit, problems.is_empty())
    else {
        return Err(reject(problems));
    };
    if let Some(msg) = stock::shortfall(tx, &item, date, qty, "借出")? {
        return Err(Error::refused(Code::StockInsufficient, format!("{msg},没有保存"))
            .with("item", item.display_name())
            .with("on_hand", stock::balance_on(tx, item.id, date)?)
            .with("wanted", qty)
            .with("unit", &item.unit));
    }
    // The department is optional on a loan (a key lent to a person).
    let (class_id, department) = if input.to.trim().is_empty() {
        (None, String::new())
    } else {
        stock::resolve_to(tx, &input.to)?.map_err(|e| Error::invalid(format!("{e},没有保存")))?
    };
    let header = Header {
        handler: tx.operator().to_string(),
        class_id,
        department: department.clone(),
        requester: borrower.clone(),
        purpose: "押金借用".into(),
        note: clean(&input.note),
        ..Default::default()
    };
    let doc = stock::insert_doc(tx, DocKind::Lend, date, &header)?;
    stock::insert_lines(
        tx,
        &doc,
        date,
        &[NewLine {
            item: item.id,
            kind: MoveKind::Lend,
            qty: -qty,
            unit_price: None,
            trade_in: 0,
            note: format!("押金 {} 元", deposit.to_yuan_string()),
            origin: None,
        }],
    )?;
    let id = store::supplies::deposits::insert(tx, doc.id, item.id, qty, &borrower, date, deposit)?;
    tx.audit(
        "supply_deposit",
        id,
        "lend",
        None,
        Some(&serde_json::json!({
            "number": doc.number, "date": date, "item_id": item.id, "item": item.display_name(), "qty": qty,
            "borrower": borrower, "department": department, "deposit": deposit, "note": header.note,
        })),
    )?;
    Ok(id)
}

fn reject(problems: Vec<crate::error::FieldProblem>) -> Error {
    if problems.len() == 1 {
        Error::invalid(format!("{},没有保存", problems[0].reason))
    } else {
        Error::Rejected { problems }
    }
}

/// Ends a loan: the item back with the deposit refunded, or lost with it kept.
pub fn close(db: &mut Db, id: DepositId, input: &CloseInput) -> Result<Deposit> {
    let today = crate::dates::today();
    db.write(crate::auth::Job::Supplies, |tx| {
        close_in_tx(tx, id, input, today)?;
        get(tx, id)
    })
}

/// [`close`] inside an open transaction (the demo).
pub fn close_in_tx(tx: &Tx, id: DepositId, input: &CloseInput, today: NaiveDate) -> Result<()> {
    let before = get(tx, id)?;
    if before.closed_on.is_some() {
        return Err(Error::conflict(format!(
            "{} 借出的“{}”已于 {} 办结,不能重复办理",
            before.borrower,
            before.item,
            before.closed_on.map(|d| d.to_string()).unwrap_or_default()
        )));
    }
    Field::note("说明").max(200).check(&input.note).map_err(|e| Error::invalid(format!("{e},没有保存")))?;
    let date = if input.date.trim().is_empty() {
        today
    } else {
        parse_doc_date(&input.date, today).map_err(|e| Error::invalid(format!("{e},没有保存")))?
    };
    if date < before.lent_on {
        return Err(Error::invalid(format!("归还日期 {date} 早于借出日期 {},没有保存", before.lent_on)));
    }
    let refund = if input.refund.trim().is_empty() {
        if input.returned {
            before.deposit
        } else {
            Fen::ZERO
        }
    } else {
        parse_price(&input.refund, "退还押金").map_err(|e| Error::invalid(format!("{e},没有保存")))?
    };
    if refund > before.deposit {
        return Err(Error::invalid(format!(
            "退还押金 {} 元多于收取的押金 {} 元,没有保存",
            refund.to_yuan_string(),
            before.deposit.to_yuan_string()
        )));
    }
    let note = clean(&input.note);
    if refund < before.deposit && note.is_empty() {
        return Err(Error::invalid(if input.returned {
            "押金没有全额退还,请在说明中写明原因(例如 遥控器损坏),没有保存".to_string()
        } else {
            "物品未归还,请在说明中写明情况(例如 钥匙丢失,押金不退),没有保存".to_string()
        }));
    }
    let mut return_doc = None;
    if input.returned {
        let (lend_doc, lend_line) = store::supplies::deposits::lend_line(tx, id)?;
        let lend = stock::doc(tx, lend_doc)?;
        let header = Header {
            handler: tx.operator().to_string(),
            class_id: lend.class_id,
            department: lend.department.clone(),
            requester: before.borrower.clone(),
            purpose: "押金物品归还".into(),
            note: note.clone(),
            reverses: None,
            ..Default::default()
        };
        let doc = stock::insert_doc(tx, DocKind::Return, date, &header)?;
        stock::insert_lines(
            tx,
            &doc,
            date,
            &[NewLine {
                item: before.item_id,
                kind: MoveKind::Return,
                qty: before.qty,
                unit_price: None,
                trade_in: 0,
                note: format!("归还 {}", lend.number),
                origin: Some(lend_line),
            }],
        )?;
        return_doc = Some(doc.id);
    }
    store::supplies::deposits::close(
        tx,
        id,
        &Closing { on: date, item_returned: input.returned, refunded: refund, return_doc, note: &note },
    )?;
    tx.audit(
        "supply_deposit",
        id,
        if input.returned { "return" } else { "write_off" },
        Some(&serde_json::json!({ "closed_on": null, "deposit": before.deposit })),
        Some(&serde_json::json!({
            "closed_on": date, "item_returned": input.returned, "refunded": refund, "note": note,
        })),
    )?;
    Ok(())
}

/// What follows from a stored loan and today: the deposit kept, the days
/// out and the status in words.
fn with_status(mut d: Deposit, today: NaiveDate) -> Deposit {
    d.kept = d.refunded.map(|f| d.deposit - f).unwrap_or(Fen::ZERO);
    d.status = match (d.item_returned, d.kept > Fen::ZERO) {
        (None, _) => "借出中",
        (Some(true), false) => "已归还",
        (Some(true), true) => "已归还(扣押金)",
        (Some(false), _) => "未归还(押金不退)",
    }
    .into();
    d.days = (d.closed_on.unwrap_or(today) - d.lent_on).num_days().max(0);
    d
}

/// One loan.
pub fn get(conn: &Conn, id: DepositId) -> Result<Deposit> {
    let d = store::supplies::deposits::get(conn, id)?.ok_or_else(|| Error::not_found("押金借用记录", id))?;
    Ok(with_status(d, crate::dates::today()))
}

/// The loan a person means: its 借出单号 (JC-2025-0001) or its id.
pub fn find(conn: &Conn, text: &str) -> Result<Deposit> {
    let t = text.trim();
    if let Ok(id) = t.parse::<i64>() {
        return get(conn, DepositId(id));
    }
    match store::supplies::deposits::by_lend_number(conn, &t.to_ascii_uppercase())? {
        Some(id) => get(conn, id),
        None => Err(Error::not_found("押金借用记录", t)),
    }
}

/// Which loans a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct DepositFilter {
    /// Only loans still out (the outstanding list).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub open_only: bool,
}

/// Loans and the totals still outstanding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DepositList {
    /// Open loans first (oldest first), then closed ones (newest first).
    pub rows: Vec<Deposit>,
    /// Loans still out.
    pub outstanding: usize,
    /// Deposits held for them.
    pub outstanding_deposit: Fen,
    /// Deposits kept on closed loans (lost or damaged items).
    pub kept: Fen,
}

/// The loans, with the outstanding totals.
pub fn list(conn: &Conn, f: &DepositFilter) -> Result<DepositList> {
    let today = crate::dates::today();
    let rows: Vec<Deposit> =
        store::supplies::deposits::list(conn, f.open_only)?.into_iter().map(|d| with_status(d, today)).collect();
    let open: Vec<&Deposit> = rows.iter().filter(|d| d.closed_on.is_none()).collect();
    Ok(DepositList {
        outstanding: open.len(),
        outstanding_deposit: open.iter().map(|d| d.deposit).sum(),
        kept: rows.iter().map(|d| d.kept).sum(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supplies::items::{self, ItemInput};
    use crate::supplies::stock::{receive, ReceiptInput, ReceiptLineInput};

    fn setup() -> Db {
        let mut db = Db::open_scratch().expect("db");
        items::add(
            &mut db,
            &ItemInput {
                name: "教室钥匙".into(),
                category: "其他".into(),
                unit: "把".into(),
                deposit: "10".into(),
                ..Default::default()
            },
        )
        .expect("item");
        receive(
            &mut db,
            &ReceiptInput {
                date: "2025-09-01".into(),
                lines: vec![ReceiptLineInput {
                    item: "教室钥匙".into(),
                    qty: "2".into(),
                    unit_price: "5".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        )
        .expect("receipt");
        db
    }

    fn key(date: &str) -> LendInput {
        LendInput {
            date: date.into(),
            item: "教室钥匙".into(),
            borrower: "刘老师".into(),
            to: "办公室".into(),
            ..Default::default()
        }
    }

    #[test]
    fn lend_and_return_with_full_refund() {
        let mut db = setup();
        let d = lend(&mut db, &key("2025-09-02")).expect("lend");
        assert_eq!((d.deposit, d.status.as_str(), d.lend_number.as_str()), (Fen(1000), "借出中", "JC-2025-0001"));
        let l = list(db.conn(), &DepositFilter { open_only: true }).expect("list");
        assert_eq!((l.outstanding, l.outstanding_deposit), (1, Fen(1000)));
        let item = d.item_id;
        assert_eq!(
            stock::balance_on(db.conn(), item, NaiveDate::from_ymd_opt(2099, 12, 31).expect("d")).expect("bal"),
            1
        );
        let closed =
            close(&mut db, d.id, &CloseInput { date: "2025-09-05".into(), returned: true, ..Default::default() })
                .expect("return");
        assert_eq!((closed.refunded, closed.status.as_str()), (Some(Fen(1000)), "已归还"));
        assert_eq!(
            stock::balance_on(db.conn(), item, NaiveDate::from_ymd_opt(2099, 12, 31).expect("d")).expect("bal"),
            2
        );
        assert_eq!(list(db.conn(), &DepositFilter { open_only: true }).expect("list").outstanding, 0);
        let again = close(&mut db, d.id, &CloseInput { returned: true, ..Default::default() }).expect_err("twice");
        assert!(again.to_string().contains("不能重复办理"));
    }

    #[test]
    fn lost_keeps_the_deposit_and_needs_a_note() {
        let mut db = setup();
        let d = lend(&mut db, &key("2025-09-02")).expect("lend");
        let err = close(&mut db, d.id, &CloseInput { returned: false, ..Default::default() }).expect_err("no note");
        assert!(err.to_string().contains("请在说明中写明情况"));
        let c = close(&mut db, d.id, &CloseInput { returned: false, note: "钥匙丢失".into(), ..Default::default() })
            .expect("lost");
        assert_eq!((c.kept, c.status.as_str()), (Fen(1000), "未归还(押金不退)"));
        let err = close(&mut db, d.id, &CloseInput { returned: true, ..Default::default() }).expect_err("closed");
        assert!(err.to_string().contains("已于"));
    }

    #[test]
    fn bad_loans_save_nothing() {
        let mut db = setup();
        let err = lend(&mut db, &LendInput { deposit: "十元".into(), ..key("2025-09-02") }).expect_err("money");
        assert_eq!(err.to_string(), "“十元”不是有效的金额(例如 12.50),没有保存");
        let err = lend(&mut db, &LendInput { qty: "3".into(), ..key("2025-09-02") }).expect_err("stock");
        assert!(err.to_string().contains("现有结存 2 把,不能借出 3 把"), "{err}");
        // The app and scripts act on the code and its facts, not on the message.
        let view = crate::error::ErrorView::from(&err);
        assert_eq!(
            (view.code, view.data["on_hand"].as_str(), view.data["wanted"].as_str()),
            ("stock_insufficient", Some("2"), Some("3"))
        );
        let err = lend(&mut db, &key("2025-08-20")).expect_err("before receipt");
        assert!(err.to_string().contains("还没有入库"), "{err}");
        assert_eq!(list(db.conn(), &DepositFilter::default()).expect("list").rows.len(), 0);
        let d = lend(&mut db, &key("2025-09-02")).expect("lend");
        let err = close(&mut db, d.id, &CloseInput { returned: true, refund: "12".into(), ..Default::default() })
            .expect_err("too much");
        assert!(err.to_string().contains("多于收取的押金"));
    }
}
