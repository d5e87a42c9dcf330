//! The kitchen store (食堂库存) by food category and month, kept in money:
//!
//! - opening stock (上月底库存) = the closing stock of last month's count;
//! - purchases in (本月购入) = the month's deliveries;
//! - closing stock (本月底库存) = what the month-end count (月末盘点) found;
//! - issued (本月出库) = opening + purchases − closing: the food the kitchen
//!   used, which is the month's cost — food bought and still on the shelf is not;
//! - of the issues, what went to the staff kitchen (教工伙食) is accounted apart;
//!   the rest is the children's cost.
//!
//! A count of kind [`CountKind::Opening`] only records a closing stock to be
//! the next month's opening stock, for the month a school starts keeping the
//! account here. Every write re-checks the months it affects: no category may
//! issue a negative amount, or give the staff more than it issued.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::lock::{ensure_unlocked, is_published};
use super::settings;
use crate::dates::YearMonth;
use crate::db::{Db, Tx};
use crate::error::FieldProblem;
use crate::school::text_enum_sql;
use crate::store::fees::meal_counts::{self, NewCount};
use crate::store::{self, Conn};
use crate::{Error, Fen, Result};

/// What a stored month-end count is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CountKind {
    /// 月末盘点: the month is accounted.
    Count,
    /// 期初库存: only the stock carried into the next month.
    Opening,
}

text_enum_sql!(CountKind { Count => "count", Opening => "opening" });

/// One category of one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StockLine {
    /// 类别 (or 合计 for the total line).
    pub category: String,
    /// In the settings' list (false: a category removed from the list that still has figures).
    pub listed: bool,
    /// 上月底库存.
    pub opening: Fen,
    /// 本月购入.
    pub purchases: Fen,
    /// 本月底库存; `None` until the month is counted.
    pub closing: Option<Fen>,
    /// 本月出库 = opening + purchases − closing.
    pub issued: Option<Fen>,
    /// 其中教工伙食.
    pub staff: Fen,
    /// 幼儿伙食支出 = issued − staff.
    pub children: Option<Fen>,
}

/// Who counted, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CountInfo {
    pub kind: CountKind,
    pub counted_on: NaiveDate,
    pub counted_by: String,
    pub note: String,
    pub saved_at: String,
    pub saved_by: String,
}

/// Staff meals of a month (教工伙食): meals served and what the staff paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaffMonth {
    /// 用餐人次.
    pub meals: u32,
    /// 教工伙食收入.
    pub income: Fen,
    pub note: String,
}

/// The store of one month, as the count screen and the sheet use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoreMonth {
    pub month: YearMonth,
    /// This month's count, if any.
    pub count: Option<CountInfo>,
    /// The count the opening stock comes from (last month's), if any.
    pub opening_from: Option<CountKind>,
    /// Per category, settings order first.
    pub lines: Vec<StockLine>,
    /// 合计.
    pub total: StockLine,
    pub staff: Option<StaffMonth>,
    /// The month's sheet is published (locked).
    pub published: bool,
}

impl StoreMonth {
    /// Counted as an accounted month (not just an opening stock).
    pub fn counted(&self) -> bool {
        self.count.as_ref().is_some_and(|c| c.kind == CountKind::Count)
    }

    /// What the staff kitchen was issued.
    pub fn staff_cost(&self) -> Fen {
        self.total.staff
    }

    /// Every category that issues a negative amount, or gives the staff more
    /// than it issued (an accounted month only).
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        if !self.counted() {
            return out;
        }
        let label = self.month.label();
        for l in &self.lines {
            let (Some(closing), Some(issued)) = (l.closing, l.issued) else { continue };
            if issued.is_negative() {
                out.push(FieldProblem {
                    row: 0,
                    column: l.category.clone(),
                    reason: format!(
                        "{label}{}:月末库存 {} 元大于上月底库存 {} 元加本月购入 {} 元(共 {} 元),库存会成为负数(出库 {} 元)。请检查盘点数,或是否漏记了进货",
                        l.category,
                        closing,
                        l.opening,
                        l.purchases,
                        l.opening + l.purchases,
                        issued
                    ),
                });
            } else if l.staff > issued {
                out.push(FieldProblem {
                    row: 0,
                    column: l.category.clone(),
                    reason: format!("{label}{}:教工伙食领用 {} 元大于本月出库 {} 元", l.category, l.staff, issued),
                });
            }
        }
        out
    }
}

/// The store of `month`, from what is saved.
pub fn store_month(conn: &Conn, month: YearMonth) -> Result<StoreMonth> {
    let s = settings::get(conn)?;
    let count = meal_counts::info(conn, month)?;
    let prev = meal_counts::info(conn, month.prev())?;
    let opening: BTreeMap<String, Fen> =
        meal_counts::lines(conn, month.prev())?.into_iter().map(|(c, closing, _)| (c, closing)).collect();
    let this: BTreeMap<String, (Fen, Fen)> =
        meal_counts::lines(conn, month)?.into_iter().map(|(c, closing, staff)| (c, (closing, staff))).collect();
    let bought: BTreeMap<String, Fen> =
        store::fees::meal_purchases::totals_by_category(conn, month)?.into_iter().collect();

    let mut names: Vec<(String, bool)> = s.categories.iter().map(|c| (c.clone(), true)).collect();
    for c in opening.keys().chain(this.keys()).chain(bought.keys()) {
        if !names.iter().any(|(n, _)| n == c) {
            names.push((c.clone(), false));
        }
    }
    let counted = count.is_some();
    let mut lines = Vec::with_capacity(names.len());
    for (category, listed) in names {
        let o = opening.get(&category).copied().unwrap_or(Fen::ZERO);
        let p = bought.get(&category).copied().unwrap_or(Fen::ZERO);
        let (closing, staff) = match this.get(&category) {
            Some((c, s)) => (Some(*c), *s),
            // A counted month lists only what was counted: a category it does
            // not name had nothing left.
            None if counted => (Some(Fen::ZERO), Fen::ZERO),
            None => (None, Fen::ZERO),
        };
        let accounted = count.as_ref().is_some_and(|c| c.kind == CountKind::Count);
        let issued = if accounted { closing.map(|c| o + p - c) } else { None };
        lines.push(StockLine {
            category,
            listed,
            opening: o,
            purchases: p,
            closing,
            issued,
            staff,
            children: issued.map(|i| i - staff),
        });
    }
    let sum = |f: &dyn Fn(&StockLine) -> Fen| lines.iter().map(f).sum::<Fen>();
    let sum_opt = |f: &dyn Fn(&StockLine) -> Option<Fen>| -> Option<Fen> { lines.iter().map(f).sum() };
    let total = StockLine {
        category: "合计".into(),
        listed: true,
        opening: sum(&|l| l.opening),
        purchases: sum(&|l| l.purchases),
        closing: if counted { sum_opt(&|l| l.closing) } else { None },
        issued: sum_opt(&|l| l.issued),
        staff: sum(&|l| l.staff),
        children: sum_opt(&|l| l.children),
    };
    Ok(StoreMonth {
        month,
        opening_from: prev.map(|p| p.kind),
        count,
        lines,
        total,
        staff: meal_counts::staff(conn, month)?,
        published: is_published(conn, month)?,
    })
}

/// Refuses (with every problem) if any of `months` issues a negative amount or
/// gives the staff more than it issued. Called inside the writing transaction,
/// so a refusal rolls the change back.
pub(crate) fn check_months(conn: &Conn, months: &[YearMonth]) -> Result<()> {
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for m in months {
        if seen.contains(m) {
            continue;
        }
        seen.push(*m);
        problems.extend(store_month(conn, *m)?.problems());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Rejected { problems })
    }
}

/// One category of a count as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CountLineInput {
    pub category: String,
    /// 月末库存 as typed (`0` when nothing is left).
    pub closing: String,
    /// 其中教工伙食 as typed (empty = 0).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub staff: String,
}

/// A month-end count as typed, with the staff meals of the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CountInput {
    pub kind: CountKind,
    /// 盘点日期.
    pub counted_on: NaiveDate,
    /// 盘点人.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub counted_by: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
    pub lines: Vec<CountLineInput>,
    /// 教工用餐人次 (empty: no staff meals recorded).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub staff_meals: String,
    /// 教工伙食收入 (empty: none).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub staff_income: String,
}

/// A non-negative amount; empty is zero. The error completes "粮食的月末库存…".
fn amount_or_zero(text: &str) -> std::result::Result<Fen, String> {
    if text.trim().is_empty() {
        return Ok(Fen::ZERO);
    }
    let a = Fen::parse(text).map_err(|e| e.to_string())?;
    if a.is_negative() {
        return Err(format!("不能为负数({a} 元)"));
    }
    Ok(a)
}

struct CleanCount {
    lines: Vec<(String, Fen, Fen)>,
    staff: Option<(u32, Fen)>,
}

fn clean_count(current: &StoreMonth, input: &CountInput, today: NaiveDate) -> Result<CleanCount> {
    let month = current.month;
    let mut problems = crate::text::problems(
        0,
        &[
            (crate::text::Field::name("盘点人").max(crate::text::PERSON_NAME_MAX), &input.counted_by),
            (crate::text::Field::note("备注").max(200), &input.note),
        ],
    );
    let mut bad = |column: &str, reason: String| problems.push(FieldProblem { row: 0, column: column.into(), reason });
    if month > YearMonth::of(today) {
        bad("月份", format!("{} 还没有到,不能盘点", month.label()));
    }
    if input.counted_on > today {
        bad("盘点日期", format!("盘点日期 {} 晚于今天({today})", input.counted_on));
    }
    if input.kind == CountKind::Count && input.counted_on < month.first_day() {
        bad("盘点日期", format!("{} 的月末盘点日期不能早于 {}", month.label(), month.first_day()));
    }
    let mut lines: Vec<(String, Fen, Fen)> = Vec::new();
    for l in &input.lines {
        let category = l.category.trim().to_string();
        if !current.lines.iter().any(|x| x.category == category) {
            let list: Vec<&str> = current.lines.iter().map(|x| x.category.as_str()).collect();
            bad("类别", format!("类别“{category}”不在食品类别列表中(可用:{})", list.join("、")));
            continue;
        }
        if lines.iter().any(|(c, _, _)| *c == category) {
            bad(&category, format!("类别“{category}”填了两次"));
            continue;
        }
        let closing = if l.closing.trim().is_empty() {
            bad(&category, format!("请填写{category}的月末库存(没有剩余请填 0)"));
            Fen::ZERO
        } else {
            amount_or_zero(&l.closing).unwrap_or_else(|e| {
                bad(&category, format!("{category}的月末库存{e}"));
                Fen::ZERO
            })
        };
        let staff = amount_or_zero(&l.staff).unwrap_or_else(|e| {
            bad(&category, format!("{category}的教工伙食领用{e}"));
            Fen::ZERO
        });
        if input.kind == CountKind::Opening && staff != Fen::ZERO {
            bad(&category, "期初库存不填教工伙食领用".into());
        }
        lines.push((category, closing, staff));
    }
    // Every category that had stock or deliveries must be counted: leaving one
    // out would silently count it as used up.
    for l in &current.lines {
        let active = l.opening != Fen::ZERO || l.purchases != Fen::ZERO;
        if input.kind == CountKind::Count && active && !lines.iter().any(|(c, _, _)| *c == l.category) {
            bad(&l.category, format!("请填写{}的月末库存(没有剩余请填 0)", l.category));
        }
    }
    let meals = input.staff_meals.trim();
    let income = input.staff_income.trim();
    let staff = if meals.is_empty() && income.is_empty() {
        None
    } else if input.kind == CountKind::Opening {
        bad("教工伙食", "期初库存不填教工伙食".into());
        None
    } else {
        let n = if meals.is_empty() {
            0
        } else {
            meals.parse::<u32>().unwrap_or_else(|_| {
                bad("教工用餐人次", format!("“{meals}”不是有效的人次(填一个不小于 0 的整数)"));
                0
            })
        };
        let m = amount_or_zero(income).unwrap_or_else(|e| {
            bad("教工伙食收入", format!("教工伙食收入{e}"));
            Fen::ZERO
        });
        Some((n, m))
    };
    if problems.is_empty() {
        Ok(CleanCount { lines, staff })
    } else {
        Err(Error::Rejected { problems })
    }
}

fn store_json(s: &StoreMonth) -> serde_json::Value {
    serde_json::json!({
        "count": s.count,
        "lines": s.lines.iter().map(|l| serde_json::json!({
            "category": l.category, "closing_fen": l.closing, "staff_fen": l.staff
        })).collect::<Vec<_>>(),
        "staff": s.staff,
    })
}

/// Saves (or replaces) the month-end count of `month` with the month's staff
/// meals, in one transaction. Refused, with nothing saved, if a category would
/// issue a negative amount — this month, or next month whose opening stock
/// this count is.
pub fn save_count(db: &mut Db, month: YearMonth, input: &CountInput) -> Result<StoreMonth> {
    let today = crate::dates::today();
    db.write(crate::auth::Job::MealPurchases, |tx| save_count_in_tx(tx, month, input, today))
}

/// [`save_count`] inside an open transaction (the demo counts a term this way).
pub(crate) fn save_count_in_tx(tx: &Tx, month: YearMonth, input: &CountInput, today: NaiveDate) -> Result<StoreMonth> {
    let current = store_month(tx, month)?;
    let clean = clean_count(&current, input, today)?;
    ensure_unlocked(tx, month)?;
    ensure_unlocked(tx, month.next())?;
    let before = store_json(&current);
    meal_counts::put(
        tx,
        month,
        &NewCount {
            kind: input.kind,
            counted_on: input.counted_on,
            counted_by: input.counted_by.trim(),
            note: input.note.trim(),
            lines: &clean.lines,
            staff: clean.staff,
        },
    )?;
    check_months(tx, &[month, month.next()])?;
    let after = store_month(tx, month)?;
    tx.audit("meal_stock_count", month, "save", Some(&before), Some(&store_json(&after)))?;
    Ok(after)
}

/// Deletes the count of `month` (and its staff meals). Refused if next month's
/// issues would become negative without this opening stock.
pub fn delete_count(db: &mut Db, month: YearMonth) -> Result<()> {
    db.write(crate::auth::Job::MealPurchases, |tx| {
        ensure_unlocked(tx, month)?;
        ensure_unlocked(tx, month.next())?;
        let before = store_month(tx, month)?;
        if before.count.is_none() {
            return Err(Error::not_found("月末盘点", month.label()));
        }
        meal_counts::delete(tx, month)?;
        check_months(tx, &[month.next()])?;
        tx.audit("meal_stock_count", month, "delete", Some(&store_json(&before)), None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::fees::meal_purchases::{NewLine, NewPurchase};

    fn m(s: &str) -> YearMonth {
        s.parse().expect("month")
    }
    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    /// A delivery written straight to the table: the store's rules are
    /// tested here, the purchase form's in `purchases`.
    fn buy(db: &mut Db, date: &str, category: &str, amount: &str) {
        let line = NewLine {
            item: "货".into(),
            category: category.into(),
            quantity_milli: 1000,
            unit: "kg".into(),
            amount: Fen::parse(amount).expect("amount"),
            batch: String::new(),
            shelf_life: String::new(),
        };
        let p =
            NewPurchase { date: d(date), supplier: "绿源配送", receiver: "周师傅", certificate: "", note: "" };
        db.with_tx(|tx| crate::store::fees::meal_purchases::insert(tx, &p, &[line])).expect("buy");
    }

    fn count(kind: CountKind, on: &str, lines: &[(&str, &str, &str)]) -> CountInput {
        CountInput {
            kind,
            counted_on: d(on),
            counted_by: "周师傅".into(),
            note: String::new(),
            lines: lines
                .iter()
                .map(|(c, closing, staff)| CountLineInput {
                    category: c.to_string(),
                    closing: closing.to_string(),
                    staff: staff.to_string(),
                })
                .collect(),
            staff_meals: String::new(),
            staff_income: String::new(),
        }
    }

    #[test]
    fn issues_are_opening_plus_purchases_minus_the_count() {
        let mut db = Db::open_scratch().expect("db");
        save_count(&mut db, m("2025-09"), &count(CountKind::Opening, "2025-09-30", &[("粮食", "100", "")]))
            .expect("opening");
        buy(&mut db, "2025-10-09", "粮食", "300");
        buy(&mut db, "2025-10-10", "蔬菜", "200");
        let before = store_month(db.conn(), m("2025-10")).expect("store");
        assert_eq!(before.lines[0].opening, Fen::yuan(100));
        assert_eq!(before.lines[0].closing, None);
        assert!(!before.counted());
        let s = save_count(
            &mut db,
            m("2025-10"),
            &count(CountKind::Count, "2025-10-31", &[("粮食", "150", "20"), ("蔬菜", "0", "")]),
        )
        .expect("count");
        let grain = &s.lines[0];
        assert_eq!(
            (grain.issued, grain.staff, grain.children),
            (Some(Fen::yuan(250)), Fen::yuan(20), Some(Fen::yuan(230)))
        );
        assert_eq!(s.total.issued, Some(Fen::yuan(450)));
        assert_eq!(s.total.children, Some(Fen::yuan(430)));
        assert_eq!(store_month(db.conn(), m("2025-11")).expect("next").lines[0].opening, Fen::yuan(150));
    }

    #[test]
    fn a_count_that_makes_stock_negative_is_refused_and_nothing_is_saved() {
        let mut db = Db::open_scratch().expect("db");
        buy(&mut db, "2025-10-09", "粮食", "300");
        let err = save_count(&mut db, m("2025-10"), &count(CountKind::Count, "2025-10-31", &[("粮食", "350", "")]))
            .expect_err("refused");
        let msg = err.to_string();
        assert!(msg.contains("月末库存 350.00 元大于上月底库存 0.00 元加本月购入 300.00 元"), "{msg}");
        assert!(msg.contains("库存会成为负数"), "{msg}");
        assert!(store_month(db.conn(), m("2025-10")).expect("store").count.is_none());
        let neg = save_count(&mut db, m("2025-10"), &count(CountKind::Count, "2025-10-31", &[("粮食", "-5", "")]))
            .expect_err("negative");
        assert!(neg.to_string().contains("粮食的月末库存不能为负数"), "{neg}");
        let unknown = save_count(
            &mut db,
            m("2025-10"),
            &count(CountKind::Count, "2025-10-31", &[("粮食", "5", ""), ("海鲜", "1", "")]),
        )
        .expect_err("unknown");
        assert!(unknown.to_string().contains("类别“海鲜”不在食品类别列表中"), "{unknown}");
        let missing =
            save_count(&mut db, m("2025-10"), &count(CountKind::Count, "2025-10-31", &[])).expect_err("missing");
        assert!(missing.to_string().contains("请填写粮食的月末库存"), "{missing}");
        let staff =
            save_count(&mut db, m("2025-10"), &count(CountKind::Count, "2025-10-31", &[("粮食", "100", "250")]))
                .expect_err("staff > issued");
        assert!(staff.to_string().contains("教工伙食领用 250.00 元大于本月出库 200.00 元"), "{staff}");
        assert!(meal_counts::lines(db.conn(), m("2025-10")).expect("lines").is_empty());
    }

    #[test]
    fn changing_last_months_count_is_refused_if_this_month_would_go_negative() {
        let mut db = Db::open_scratch().expect("db");
        buy(&mut db, "2025-09-09", "粮食", "300");
        save_count(&mut db, m("2025-09"), &count(CountKind::Count, "2025-09-30", &[("粮食", "100", "")])).expect("sep");
        save_count(&mut db, m("2025-10"), &count(CountKind::Count, "2025-10-31", &[("粮食", "80", "")])).expect("oct");
        // September's closing 50 would leave October issuing 50 − 80 = −30.
        let err = save_count(&mut db, m("2025-09"), &count(CountKind::Count, "2025-09-30", &[("粮食", "50", "")]))
            .expect_err("refused");
        assert!(err.to_string().contains("2025年10月粮食"), "{err}");
        assert_eq!(store_month(db.conn(), m("2025-10")).expect("oct").lines[0].opening, Fen::yuan(100));
        let del = delete_count(&mut db, m("2025-09")).expect_err("delete refused");
        assert!(del.to_string().contains("2025年10月粮食"), "{del}");
    }
}
