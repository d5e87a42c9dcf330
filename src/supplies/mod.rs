//! Supplies (物品领用, 低值易耗品): what the asset keeper stocks and hands out.
//! "入库有手续、发放有登记" — every unit that comes in or goes out is on a
//! numbered document, and the stock journal shows who entered it and when.
//!
//! What is in:
//! - [`items`]: the catalogue (物品目录: name, category, unit, specification,
//!   reorder level, location, usual deposit); [`item_import`]: its import
//!   from .xlsx/.csv (with opening stock); [`template`]: the import template
//!   as .xlsx (or .csv).
//! - [`stock`]: receipts (入库单) and issue slips (领用单) with several lines,
//!   reversals (冲销: a new document, never an edit), the journal, documents.
//!   The balance (结存) of an item never goes below zero on any day: an issue
//!   that would is refused with the balance in the message.
//! - [`deposits`]: items lent against a deposit (押金领用: keys, remote
//!   controls), their return with the deposit refunded, the outstanding list.
//! - [`stocktake`]: counted vs book quantity, the difference booked with a reason.
//! - [`reports`]: balance with value, items under their reorder level, monthly
//!   usage per class/department and per item, the month's stock report, and
//!   the .xlsx export. [`print`](mod@print): the numbered issue slip and the month's
//!   stock report as PDF.
//! - [`settings`]: the school's departments and the suggested categories and units.
//!
//! Valuation (结存金额) is the moving weighted average (移动加权平均), kept
//! exactly as a running value in fen; see [`cost`] for the one rounding.
//!
//! Deliberately out: fractional quantities (count in the smallest unit you
//! issue, e.g. 支 rather than 盒), purchase requests and quotes (请购单), several
//! stores or campuses, and barcode scanning (the item's 编号 can be typed).

pub mod cost;
pub mod deposits;
pub mod item_import;
pub mod items;
pub mod print;
pub mod reports;
pub mod settings;
pub mod stock;
pub mod stocktake;
pub mod template;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::FieldProblem;
use crate::school::{id_type, text_enum_sql};
use crate::Fen;

id_type!(
    /// An item of the catalogue (物品).
    SupplyItemId
);
id_type!(
    /// A stock document (入库单, 领用单, 冲销单, 盘点单, 借出单, 归还单).
    StockDocId
);
id_type!(
    /// One line of a stock document: one row of the stock journal.
    MovementId
);
id_type!(
    /// An item lent against a deposit (押金领用).
    DepositId
);

/// What a stock document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 入库单
    Receipt,
    /// 领用单 (出库)
    Issue,
    /// 冲销单: undoes lines of a receipt or an issue
    Reversal,
    /// 盘点单
    Stocktake,
    /// 押金借出
    Lend,
    /// 押金物品归还
    Return,
}
text_enum_sql!(DocKind {
    Receipt => "receipt",
    Issue => "issue",
    Reversal => "reversal",
    Stocktake => "stocktake",
    Lend => "lend",
    Return => "return",
});

impl DocKind {
    /// The document's name on screen and paper.
    pub fn label(self) -> &'static str {
        match self {
            DocKind::Receipt => "入库单",
            DocKind::Issue => "领用单",
            DocKind::Reversal => "冲销单",
            DocKind::Stocktake => "盘点单",
            DocKind::Lend => "押金借出",
            DocKind::Return => "押金归还",
        }
    }

    /// The number prefix (LY-2025-0001).
    pub fn prefix(self) -> &'static str {
        match self {
            DocKind::Receipt => "RK",
            DocKind::Issue => "LY",
            DocKind::Reversal => "CX",
            DocKind::Stocktake => "PD",
            DocKind::Lend => "JC",
            DocKind::Return => "GH",
        }
    }
}

/// What one line of the journal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MoveKind {
    /// 入库
    Receipt,
    /// 领用
    Issue,
    /// 冲销 (the sign says which way)
    Reversal,
    /// 盘点调整 (盘盈 +, 盘亏 −)
    Adjust,
    /// 押金借出
    Lend,
    /// 押金物品归还
    Return,
}
text_enum_sql!(MoveKind {
    Receipt => "receipt",
    Issue => "issue",
    Reversal => "reversal",
    Adjust => "adjust",
    Lend => "lend",
    Return => "return",
});

impl MoveKind {
    /// The journal's word for the line; `qty` tells 盘盈 from 盘亏 and which way a reversal went.
    pub fn label(self, qty: i64) -> &'static str {
        match (self, qty > 0) {
            (MoveKind::Receipt, _) => "入库",
            (MoveKind::Issue, _) => "领用",
            (MoveKind::Reversal, true) => "冲销领用",
            (MoveKind::Reversal, false) => "冲销入库",
            (MoveKind::Adjust, true) => "盘盈",
            (MoveKind::Adjust, false) => "盘亏",
            (MoveKind::Lend, _) => "押金借出",
            (MoveKind::Return, _) => "押金归还",
        }
    }
}

/// Accepts a JSON string or number as text, so forms can send what was typed
/// and the core gives the Chinese message for a bad quantity or amount.
pub(crate) fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum T {
        S(String),
        I(i64),
        F(f64),
        N(()),
    }
    Ok(match T::deserialize(d)? {
        T::S(s) => s,
        T::I(i) => i.to_string(),
        T::F(f) => f.to_string(),
        T::N(()) => String::new(),
    })
}

/// Full-width digits and signs as ASCII (Chinese input methods type ５ and －).
fn ascii_digits(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' => '-',
            '＋' => '+',
            '．' => '.',
            c => c,
        })
        .collect()
}

/// Parses a quantity that must be a whole number above zero.
pub(crate) fn parse_qty(text: &str) -> std::result::Result<i64, String> {
    let t = ascii_digits(text);
    if t.is_empty() {
        return Err("请填写数量".into());
    }
    match t.parse::<i64>() {
        Ok(n) if n > 0 && n <= 1_000_000_000 => Ok(n),
        Ok(n) if n > 0 => Err(format!("数量“{text}”过大")),
        Ok(_) => Err(format!("数量必须大于 0(填的是“{}”)", text.trim())),
        Err(_) if t.parse::<f64>().is_ok_and(|f| f <= 0.0) => Err(format!("数量必须大于 0(填的是“{}”)", text.trim())),
        Err(_) if t.parse::<f64>().is_ok() => Err(format!("数量“{}”必须是整数(按最小发放单位计数)", text.trim())),
        Err(_) => Err(format!("“{}”不是有效的数量", text.trim())),
    }
}

/// Parses a whole number that may be zero (a count, a reorder level); empty is `None`.
pub(crate) fn parse_count(text: &str) -> std::result::Result<Option<i64>, String> {
    let t = ascii_digits(text);
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (0..=1_000_000_000).contains(&n) => Ok(Some(n)),
        Ok(n) if n < 0 => Err(format!("不能为负数(填的是“{}”)", text.trim())),
        Ok(_) => Err(format!("“{}”过大", text.trim())),
        Err(_) => Err(format!("“{}”不是有效的整数", text.trim())),
    }
}

/// Parses an amount of money that may not be negative (a price, a deposit).
pub(crate) fn parse_price(text: &str, field: &str) -> std::result::Result<Fen, String> {
    let fen = Fen::parse(text).map_err(|e| e.to_string())?;
    if fen.is_negative() {
        return Err(format!("{field}不能为负数"));
    }
    Ok(fen)
}

/// Parses a document date: a real date, not after `today`.
pub(crate) fn parse_doc_date(text: &str, today: NaiveDate) -> std::result::Result<NaiveDate, String> {
    if text.trim().is_empty() {
        return Err("请填写日期".into());
    }
    let d =
        crate::dates::parse_date(text).ok_or_else(|| format!("“{}”不是有效的日期(例如 2025-09-01)", text.trim()))?;
    if d > today {
        return Err(format!("日期 {d} 晚于今天({today}),不能提前登记"));
    }
    Ok(d)
}

/// A problem with a field of a document's header (row 0).
pub(crate) fn header_problem(column: &str, reason: impl Into<String>) -> FieldProblem {
    FieldProblem { row: 0, column: column.into(), reason: reason.into() }
}

/// A problem with line `line` (1-based) of a document.
pub(crate) fn line_problem(line: usize, column: &str, reason: impl Into<String>) -> FieldProblem {
    FieldProblem { row: line, column: column.into(), reason: reason.into() }
}

/// `名称(规格)`, or the name alone when the item has no spec: how lists,
/// slips and messages name an item.
pub fn name_with_spec(name: String, spec: &str) -> String {
    if spec.is_empty() {
        name
    } else {
        format!("{name}({spec})")
    }
}

/// Trims a text field that may be empty.
pub(crate) fn clean(s: &str) -> String {
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_and_positive_with_chinese_messages() {
        assert_eq!(parse_qty(" 20 "), Ok(20));
        assert_eq!(parse_qty("２０"), Ok(20));
        assert_eq!(parse_qty("0").unwrap_err(), "数量必须大于 0(填的是“0”)");
        assert_eq!(parse_qty("-3").unwrap_err(), "数量必须大于 0(填的是“-3”)");
        assert_eq!(parse_qty("1.5").unwrap_err(), "数量“1.5”必须是整数(按最小发放单位计数)");
        assert_eq!(parse_qty("abc").unwrap_err(), "“abc”不是有效的数量");
        assert_eq!(parse_qty("").unwrap_err(), "请填写数量");
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count("0"), Ok(Some(0)));
        assert!(parse_count("-1").is_err());
    }

    #[test]
    fn prices_are_money() {
        assert_eq!(parse_price("3.5", "单价"), Ok(Fen(350)));
        assert_eq!(parse_price("¥1,200", "单价"), Ok(Fen(120_000)));
        assert_eq!(parse_price("三块五", "单价").unwrap_err(), "“三块五”不是有效的金额(例如 12.50)");
        assert_eq!(parse_price("-1", "单价").unwrap_err(), "单价不能为负数");
        assert_eq!(parse_price("1.234", "单价").unwrap_err(), "金额“1.234”最多只能有两位小数(精确到分)");
    }

    #[test]
    fn dates_are_real_and_not_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2025, 10, 8).expect("date");
        assert_eq!(parse_doc_date("2025/10/8", today), Ok(today));
        assert!(parse_doc_date("2025-10-09", today).unwrap_err().contains("晚于今天"));
        assert!(parse_doc_date("2025-13-01", today).unwrap_err().contains("不是有效的日期"));
    }
}
