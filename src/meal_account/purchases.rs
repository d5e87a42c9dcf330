//! Food purchases (食材采购/进货) with their inspection record (进货查验): date,
//! supplier, receiver (验收人), tickets kept (索证索票) and, per item, the
//! category, quantity, unit, amount, batch or production date and shelf life.
//!
//! Every write is one transaction that also re-checks the kitchen store of the
//! month it touches (a deleted purchase must not leave a counted month issuing
//! more than it had) and refuses months whose sheet has been published.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::lock::ensure_unlocked;
use super::settings::{self, MealSettings};
use super::store;
use crate::dates::YearMonth;
use crate::db::{Db, Tx};
use crate::error::FieldProblem;
use crate::school::id_type;
use crate::store::fees::meal_purchases::{self, NewLine, NewPurchase};
use crate::store::Conn;
use crate::text::{self, Field};
use crate::{Error, Fen, Result};

id_type!(
    /// A food purchase (one delivery).
    PurchaseId
);

/// One item of a delivery as typed in the form or on the command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PurchaseLineInput {
    /// 品名, e.g. 大米.
    pub item: String,
    /// One of the school's food categories.
    pub category: String,
    /// 数量 as typed: `25`, `25.5` (at most three decimals).
    pub quantity: String,
    /// 单位: kg, 斤, 箱, 袋….
    pub unit: String,
    /// 金额 as typed: `130.50`.
    pub amount: String,
    /// 生产日期或批号.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub batch: String,
    /// 保质期, e.g. 12个月.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub shelf_life: String,
}

/// A delivery as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PurchaseInput {
    /// 进货日期.
    pub date: NaiveDate,
    /// 供货单位.
    pub supplier: String,
    /// 验收人.
    pub receiver: String,
    /// 索证索票: the tickets kept (送货单、发票、检疫合格证…); empty when none.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub certificate: String,
    /// 备注.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
    /// The items, at least one.
    pub lines: Vec<PurchaseLineInput>,
}

/// One stored item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PurchaseLine {
    pub line_no: u32,
    pub item: String,
    pub category: String,
    /// Quantity as people write it: `25.5`.
    pub quantity: String,
    pub quantity_milli: i64,
    pub unit: String,
    pub amount: Fen,
    pub batch: String,
    pub shelf_life: String,
}

/// A stored delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Purchase {
    pub id: PurchaseId,
    pub date: NaiveDate,
    pub supplier: String,
    pub receiver: String,
    pub certificate: String,
    pub note: String,
    pub saved_at: String,
    pub saved_by: String,
    pub lines: Vec<PurchaseLine>,
    /// Sum of the items.
    pub total: Fen,
}

/// `25.5` → 25500 thousandths. Positive, at most three decimals.
pub fn parse_quantity(text: &str) -> std::result::Result<i64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("请填写数量".into());
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(if t.starts_with('-') {
            format!("数量不能为负数({t})")
        } else {
            format!("“{t}”不是有效的数量(例如 25 或 12.5)")
        });
    }
    if frac.len() > 3 {
        return Err(format!("数量“{t}”最多三位小数"));
    }
    let int: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| format!("数量“{t}”过大"))? };
    let mut f = frac.to_string();
    while f.len() < 3 {
        f.push('0');
    }
    let frac: i64 = f.parse().map_err(|_| format!("“{t}”不是有效的数量"))?;
    let milli = int.checked_mul(1000).and_then(|v| v.checked_add(frac)).ok_or_else(|| format!("数量“{t}”过大"))?;
    if milli == 0 {
        return Err("数量必须大于 0".into());
    }
    Ok(milli)
}

/// 25500 → `25.5`, 3000 → `3`.
pub fn quantity_text(milli: i64) -> String {
    let (int, frac) = (milli / 1000, milli % 1000);
    if frac == 0 {
        return int.to_string();
    }
    let f = format!("{frac:03}");
    format!("{int}.{}", f.trim_end_matches('0'))
}

/// An amount that must be above zero: the message says what is wrong in Chinese.
pub(crate) fn positive_amount(text: &str) -> std::result::Result<Fen, String> {
    let a = Fen::parse(text).map_err(|e| e.to_string())?;
    if a.is_negative() {
        return Err(format!("金额不能为负数({a} 元);退货请删除或修改原进货记录"));
    }
    if a == Fen::ZERO {
        return Err("金额必须大于 0".into());
    }
    Ok(a)
}

/// Checks every field; lists every problem (nothing is saved when there is one).
fn clean(input: &PurchaseInput, s: &MealSettings, today: NaiveDate) -> Result<Vec<NewLine>> {
    let mut problems = Vec::new();
    let mut texts = text::problems(
        0,
        &[
            (Field::name("供货单位"), &input.supplier),
            (Field::name("验收人").max(text::PERSON_NAME_MAX), &input.receiver),
            (Field::line("索证索票").max(100), &input.certificate),
            (Field::note("备注").max(200), &input.note),
        ],
    );
    let mut bad = |row: usize, column: &str, reason: String| {
        problems.push(FieldProblem { row, column: column.into(), reason });
    };
    if input.supplier.trim().is_empty() {
        bad(0, "供货单位", "请填写供货单位".into());
    }
    if input.receiver.trim().is_empty() {
        bad(0, "验收人", "请填写验收人".into());
    }
    if input.date > today {
        bad(0, "进货日期", format!("进货日期 {} 晚于今天({today}),请检查", input.date));
    }
    if input.lines.is_empty() {
        bad(0, "食品", "请至少填写一种食品".into());
    }
    let mut out = Vec::with_capacity(input.lines.len());
    for (i, l) in input.lines.iter().enumerate() {
        let row = i + 1;
        texts.extend(text::problems(
            row,
            &[
                (Field::name("品名").max(30), &l.item),
                (Field::name("单位").max(10), &l.unit),
                (Field::line("生产日期或批号").max(40), &l.batch),
                (Field::line("保质期").max(20), &l.shelf_life),
            ],
        ));
        let item = l.item.trim();
        if item.is_empty() {
            bad(row, "品名", "请填写品名".into());
        }
        let category = l.category.trim();
        if category.is_empty() {
            bad(row, "类别", "请选择类别".into());
        } else if !s.has_category(category) {
            bad(
                row,
                "类别",
                format!("类别“{category}”不在食品类别列表中(可用:{});可在伙食账设置中增加类别", s.category_list()),
            );
        }
        let quantity = parse_quantity(&l.quantity).map_err(|r| bad(row, "数量", r)).ok();
        if l.unit.trim().is_empty() {
            bad(row, "单位", "请填写单位(如 kg、斤、箱)".into());
        }
        let amount = positive_amount(&l.amount).map_err(|r| bad(row, "金额", r)).ok();
        if let (Some(quantity_milli), Some(amount)) = (quantity, amount) {
            out.push(NewLine {
                item: item.to_string(),
                category: category.to_string(),
                quantity_milli,
                unit: l.unit.trim().to_string(),
                amount,
                batch: l.batch.trim().to_string(),
                shelf_life: l.shelf_life.trim().to_string(),
            });
        }
    }
    problems.extend(texts);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Rejected { problems })
    }
}

/// The delivery's own fields as stored (trimmed).
fn header(input: &PurchaseInput) -> NewPurchase<'_> {
    NewPurchase {
        date: input.date,
        supplier: input.supplier.trim(),
        receiver: input.receiver.trim(),
        certificate: input.certificate.trim(),
        note: input.note.trim(),
    }
}

/// Records a delivery; returns it as stored.
pub fn add_purchase(db: &mut Db, input: &PurchaseInput) -> Result<Purchase> {
    let today = crate::dates::today();
    db.write(crate::auth::Job::MealPurchases, |tx| {
        let id = add_in_tx(tx, input, today)?;
        get(tx, id)
    })
}

/// [`add_purchase`] inside an open transaction (the demo fills a term this way).
pub(crate) fn add_in_tx(tx: &Tx, input: &PurchaseInput, today: NaiveDate) -> Result<PurchaseId> {
    let s = settings::get(tx)?;
    let lines = clean(input, &s, today)?;
    let month = YearMonth::of(input.date);
    ensure_unlocked(tx, month)?;
    let id = meal_purchases::insert(tx, &header(input), &lines)?;
    let stored = get(tx, id)?;
    tx.audit("meal_purchase", id, "create", None, Some(&json(&stored)))?;
    Ok(id)
}

/// Replaces a delivery's fields and items (both its old and new month must be unpublished).
pub fn update_purchase(db: &mut Db, id: PurchaseId, input: &PurchaseInput) -> Result<Purchase> {
    let today = crate::dates::today();
    db.write(crate::auth::Job::MealPurchases, |tx| {
        // The categories are read inside the write, like the lock and the store.
        let lines = clean(input, &settings::get(tx)?, today)?;
        let before = get(tx, id)?;
        let (old, new) = (YearMonth::of(before.date), YearMonth::of(input.date));
        ensure_unlocked(tx, old)?;
        ensure_unlocked(tx, new)?;
        meal_purchases::update(tx, id, &header(input), &lines)?;
        store::check_months(tx, &[old, new])?;
        let after = get(tx, id)?;
        tx.audit("meal_purchase", id, "update", Some(&json(&before)), Some(&json(&after)))?;
        Ok(after)
    })
}

/// Deletes a delivery (a purchase entered twice, a return of the whole delivery).
pub fn delete_purchase(db: &mut Db, id: PurchaseId) -> Result<()> {
    db.write(crate::auth::Job::MealPurchases, |tx| {
        let before = get(tx, id)?;
        let month = YearMonth::of(before.date);
        ensure_unlocked(tx, month)?;
        meal_purchases::delete(tx, id)?;
        store::check_months(tx, &[month])?;
        tx.audit("meal_purchase", id, "delete", Some(&json(&before)), None)
    })
}

fn json(p: &Purchase) -> serde_json::Value {
    serde_json::to_value(p).unwrap_or(serde_json::Value::Null)
}

/// One delivery.
pub fn get(conn: &Conn, id: PurchaseId) -> Result<Purchase> {
    meal_purchases::get(conn, id)?.ok_or_else(|| Error::not_found("进货记录", id))
}

/// The deliveries of a month, by date.
pub fn list_purchases(conn: &Conn, month: YearMonth) -> Result<Vec<Purchase>> {
    meal_purchases::in_month(conn, month)
}

/// Whether the school has ever entered a purchase or a count (the reminder
/// stays quiet for schools that do not keep the meal account here).
pub(crate) fn in_use(conn: &Conn) -> Result<bool> {
    Ok(meal_purchases::any(conn)? || crate::store::fees::meal_counts::any(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    pub(crate) fn line(item: &str, category: &str, amount: &str) -> PurchaseLineInput {
        PurchaseLineInput {
            item: item.into(),
            category: category.into(),
            quantity: "10".into(),
            unit: "kg".into(),
            amount: amount.into(),
            batch: "20251001".into(),
            shelf_life: "12个月".into(),
        }
    }

    fn input(lines: Vec<PurchaseLineInput>) -> PurchaseInput {
        PurchaseInput {
            date: d("2025-10-09"),
            supplier: "绿源配送".into(),
            receiver: "周师傅".into(),
            certificate: "送货单".into(),
            note: String::new(),
            lines,
        }
    }

    #[test]
    fn quantities_parse_exactly() {
        assert_eq!(parse_quantity("25.5"), Ok(25_500));
        assert_eq!(parse_quantity("3"), Ok(3_000));
        assert_eq!(parse_quantity(".25"), Ok(250));
        assert!(parse_quantity("0").is_err());
        assert!(parse_quantity("-1").expect_err("neg").contains("不能为负数"));
        assert!(parse_quantity("1.2345").is_err());
        assert!(parse_quantity("十").is_err());
        assert_eq!(quantity_text(25_500), "25.5");
        assert_eq!(quantity_text(3_000), "3");
        assert_eq!(quantity_text(1_250), "1.25");
    }

    #[test]
    fn a_purchase_is_stored_with_its_inspection_record_and_audited() {
        let mut db = Db::open_scratch().expect("db");
        let p = add_purchase(&mut db, &input(vec![line("大米", "粮食", "130.50"), line("猪肉", "肉禽蛋", "260")]))
            .expect("add");
        assert_eq!(p.total, Fen(39_050));
        assert_eq!(p.lines[0].batch, "20251001");
        assert_eq!(p.lines[1].amount, Fen(26_000));
        assert_eq!(list_purchases(db.conn(), "2025-10".parse().expect("m")).expect("list").len(), 1);
        let log = crate::db::audit::recent(db.conn(), Some("meal_purchase"), 5).expect("audit");
        assert_eq!(log[0].action, "create");
        delete_purchase(&mut db, p.id).expect("delete");
        assert!(list_purchases(db.conn(), "2025-10".parse().expect("m")).expect("list").is_empty());
    }

    #[test]
    fn bad_lines_are_refused_in_chinese_and_nothing_is_saved() {
        let mut db = Db::open_scratch().expect("db");
        let err = add_purchase(
            &mut db,
            &input(vec![line("大米", "粮食", "130.50"), line("虾", "海鲜", "80"), line("猪肉", "肉禽蛋", "-26")]),
        )
        .expect_err("refused");
        let msg = err.to_string();
        assert!(msg.contains("第2行 [类别]:类别“海鲜”不在食品类别列表中"), "{msg}");
        assert!(msg.contains("第3行 [金额]:金额不能为负数"), "{msg}");
        assert!(list_purchases(db.conn(), "2025-10".parse().expect("m")).expect("list").is_empty());
        let empty = add_purchase(&mut db, &input(vec![])).expect_err("no lines").to_string();
        assert!(empty.contains("请至少填写一种食品"), "{empty}");
    }

    #[test]
    fn deleting_a_purchase_of_a_counted_month_is_refused_if_issues_go_negative() {
        use crate::meal_account::store::{save_count, store_month, CountInput, CountKind, CountLineInput};
        let mut db = Db::open_scratch().expect("db");
        add_purchase(&mut db, &input(vec![line("大米", "粮食", "300")])).expect("first");
        add_purchase(&mut db, &input(vec![line("面粉", "粮食", "100")])).expect("second");
        let count = CountInput {
            kind: CountKind::Count,
            counted_on: d("2025-10-31"),
            counted_by: "周师傅".into(),
            note: String::new(),
            lines: vec![CountLineInput { category: "粮食".into(), closing: "350".into(), staff: String::new() }],
            staff_meals: String::new(),
            staff_income: String::new(),
        };
        let oct = "2025-10".parse().expect("m");
        save_count(&mut db, oct, &count).expect("count");
        let list = list_purchases(db.conn(), oct).expect("list");
        let err = delete_purchase(&mut db, list[0].id).expect_err("refused");
        assert!(err.to_string().contains("库存会成为负数"), "{err}");
        assert_eq!(list_purchases(db.conn(), oct).expect("list").len(), 2);
        assert_eq!(store_month(db.conn(), oct).expect("store").total.purchases, Fen::yuan(400));
    }
}
