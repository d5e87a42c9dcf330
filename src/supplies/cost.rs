//! Valuation of stock: the moving weighted average (移动加权平均), as a pure
//! rule over one item's movements in date order.
//!
//! How the average price is computed, and the one rounding:
//! - The stock of an item is a quantity Q and a value V in fen. A receipt adds
//!   its quantity and its amount (quantity × unit price, exact in fen).
//! - The moving average price is V ÷ Q. It is never rounded for computing:
//!   a line going out at the average takes V × q ÷ Q, **rounded half-up to the
//!   fen once** for that line; a line that empties the stock takes all of V, so
//!   no fen is ever left on an empty shelf.
//! - So the balance value shown is quantity × moving average exactly (it is V);
//!   the average price shown next to it is V ÷ Q rounded half-up, for reading.
//! - A reversal of an issue, and an item returned from a loan, come back at the
//!   value they went out at. A reversal of a receipt goes out at the receipt's
//!   amount (or the whole stock value if that is less, or if it empties the stock).
//! - A 盘盈 (more counted than on the book) comes in at the average price, or at
//!   the last receipt's price when the book was empty.
//!
//! Within one day, everything that comes in is counted before anything that
//! goes out, then in the order entered: an issue on the day the goods arrived
//! is fine, whatever was typed first.
//!
//! Deliberately out: FIFO (先进先出) and the month-end weighted average
//! (月末一次加权平均); schools asked for one method and this is the usual one.

use crate::money::div_round_half_up;

use super::MoveKind;

/// Quantity and value (fen) on hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stock {
    /// Units on hand.
    pub qty: i64,
    /// Value in fen.
    pub value: i64,
}

/// What the rule needs to know about one movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Movement {
    /// What it is.
    pub kind: MoveKind,
    /// Signed quantity: + in, − out.
    pub qty: i64,
    /// A receipt's unit price in fen.
    pub unit_price: Option<i64>,
    /// For a reversal or a return: the value of the line it undoes (signed, as stored).
    pub origin_value: Option<i64>,
    /// For a 盘盈 on an empty book: the last receipt's unit price.
    pub last_price: Option<i64>,
}

/// The value (signed fen) of `m` given the stock just before it.
pub fn value_of(before: Stock, m: &Movement) -> i64 {
    match m.kind {
        MoveKind::Receipt => m.qty * m.unit_price.unwrap_or(0),
        // Back at the value it went out at.
        MoveKind::Reversal | MoveKind::Return if m.qty > 0 => -m.origin_value.unwrap_or(0),
        // A receipt reversed: its own amount, but never more than is there.
        MoveKind::Reversal => {
            if before.qty + m.qty == 0 {
                -before.value
            } else {
                -m.origin_value.unwrap_or(0).clamp(0, before.value.max(0))
            }
        }
        MoveKind::Adjust if m.qty > 0 => {
            if before.qty > 0 {
                out_value(before, m.qty)
            } else {
                m.qty * m.last_price.unwrap_or(0)
            }
        }
        MoveKind::Issue | MoveKind::Lend | MoveKind::Adjust | MoveKind::Return => -out_value(before, -m.qty),
    }
}

/// The value of `n` units out of `stock` at the moving average: V × n ÷ Q,
/// rounded half-up once; all of V when `n` empties the stock.
pub fn out_value(stock: Stock, n: i64) -> i64 {
    if stock.qty <= 0 {
        return 0;
    }
    if n >= stock.qty {
        return stock.value;
    }
    div_round_half_up(stock.value as i128 * n as i128, stock.qty as i128) as i64
}

/// The average price for display: V ÷ Q rounded half-up to the fen (0 when empty).
pub fn average_price(stock: Stock) -> i64 {
    if stock.qty <= 0 {
        0
    } else {
        div_round_half_up(stock.value as i128, stock.qty as i128) as i64
    }
}

/// Applies `moves` in order from `start`; returns each movement's value and the
/// stock after it.
pub fn replay(start: Stock, moves: &[Movement]) -> Vec<(i64, Stock)> {
    let mut s = start;
    moves
        .iter()
        .map(|m| {
            let v = value_of(s, m);
            s = Stock { qty: s.qty + m.qty, value: s.value + v };
            (v, s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(qty: i64, price: i64) -> Movement {
        Movement { kind: MoveKind::Receipt, qty, unit_price: Some(price), origin_value: None, last_price: None }
    }
    fn out(kind: MoveKind, qty: i64) -> Movement {
        Movement { kind, qty: -qty, unit_price: None, origin_value: None, last_price: None }
    }

    #[test]
    fn moving_average_rounds_each_issue_once_and_empties_exactly() {
        // 3 @ 1.00 + 4 @ 1.50 = 9.00 for 7 units; average 1.2857…
        let moves = [receipt(3, 100), receipt(4, 150), out(MoveKind::Issue, 2), out(MoveKind::Issue, 5)];
        let r = replay(Stock::default(), &moves);
        assert_eq!(r[1].1, Stock { qty: 7, value: 900 });
        assert_eq!(average_price(r[1].1), 129);
        // 900 × 2 ÷ 7 = 257.14 → 257 (not 2 × 1.29 = 258).
        assert_eq!(r[2].0, -257);
        // The last 5 take what is left: 643, so the shelf is at 0.00.
        assert_eq!(r[3], (-643, Stock { qty: 0, value: 0 }));
    }

    #[test]
    fn half_fen_rounds_up() {
        // 1 @ 0.01 + 1 @ 0.02: one unit out of two is 1.5 fen → 2.
        let r = replay(Stock::default(), &[receipt(1, 1), receipt(1, 2), out(MoveKind::Issue, 1)]);
        assert_eq!(r[2].0, -2);
    }

    #[test]
    fn reversals_and_returns_come_back_at_their_value() {
        let before = Stock { qty: 5, value: 500 };
        let back =
            Movement { kind: MoveKind::Reversal, qty: 3, unit_price: None, origin_value: Some(-390), last_price: None };
        assert_eq!(value_of(before, &back), 390);
        let ret = Movement { kind: MoveKind::Return, ..back };
        assert_eq!(value_of(before, &ret), 390);
        // A receipt reversed: its amount, capped at what is there; all of it when emptied.
        let undo = Movement { kind: MoveKind::Reversal, qty: -2, origin_value: Some(300), ..back };
        assert_eq!(value_of(before, &undo), -300);
        assert_eq!(value_of(Stock { qty: 5, value: 200 }, &undo), -200);
        assert_eq!(value_of(Stock { qty: 2, value: 250 }, &undo), -250);
    }

    #[test]
    fn stocktake_gain_uses_average_or_last_price() {
        let gain =
            Movement { kind: MoveKind::Adjust, qty: 2, unit_price: None, origin_value: None, last_price: Some(80) };
        assert_eq!(value_of(Stock { qty: 3, value: 300 }, &gain), 200);
        assert_eq!(value_of(Stock::default(), &gain), 160);
        let loss = Movement { qty: -1, ..gain };
        assert_eq!(value_of(Stock { qty: 3, value: 300 }, &loss), -100);
    }
}
