//! The reconciliation (盘点对账): what a stocktake's lines add up to, per room
//! and in total — quantities and values found, moved, damaged, missing and
//! surplus, the match rate (账实相符率) — with the sentences that explain it.
//!
//! Pure: [`reconcile`] takes plain line facts and returns the result; the
//! stocktake module loads the lines and the PDF/xlsx print the result.
//!
//! The readings taken:
//! - Quantities count items: a batch card of 30 chairs where 28 were counted is
//!   28 found and 2 missing; values are split in proportion (原值 × 数量 ÷ 账面数量,
//!   rounded half-up once, the found part taking the remainder so the parts
//!   add up to the card).
//! - A line belongs to the room on its card (where it should be), so a moved
//!   item counts as 位置不符 in the room it left; a surplus find belongs to the
//!   room it was found in.
//! - 相符 (matched) means found in the room on its card, undamaged. Moved,
//!   damaged and missing items are not matched; surplus items are not on the
//!   books, so they are outside the rate's denominator.
//! - While a stocktake is open, unchecked lines are "not yet checked"; once it
//!   is finished they are missing (the stocktake module records them so).

use std::borrow::Cow;

use serde::Serialize;

use crate::money::{div_round_half_up, mul_div};
use crate::Fen;

/// What became of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 未盘: not scanned or ticked yet (open stocktake only).
    Unchecked,
    /// 相符: found where the card says, undamaged.
    Found,
    /// 位置不符: found in another room, and the move was accepted.
    Moved,
    /// 损坏: found damaged.
    Damaged,
    /// 盘亏: not found.
    Missing,
    /// 盘盈: found but not on the register.
    Surplus,
}

impl Outcome {
    /// The word in lists and reports.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Unchecked => "未盘",
            Outcome::Found => "相符",
            Outcome::Moved => "位置不符",
            Outcome::Damaged => "损坏",
            Outcome::Missing => "盘亏",
            Outcome::Surplus => "盘盈",
        }
    }
}

/// The facts of one line the reconciliation needs. The texts are borrowed
/// from the line where they can be (a stocktake of thousands of lines
/// derives every line's outcome each time it is read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts<'a> {
    /// The room on the card when the stocktake started (for a surplus: where it was found).
    pub book_room: Cow<'a, str>,
    /// Where the stocktaker decided it is now, if not the card's room.
    pub found_room: Option<Cow<'a, str>>,
    pub custodian: Cow<'a, str>,
    /// 账面数量 (0 for a surplus find).
    pub book_qty: i64,
    /// 实盘数量.
    pub counted_qty: i64,
    /// Scanned, ticked or marked missing.
    pub checked: bool,
    pub damaged: bool,
    /// 原值 of the card (for a surplus: the estimated value of what was found).
    pub original: Fen,
    /// 净值 of the card when the stocktake started.
    pub net: Fen,
    /// A find not on the register.
    pub surplus: bool,
}

impl LineFacts<'_> {
    /// The line's outcome (its main one: a batch card may also be partly missing).
    pub fn outcome(&self, finished: bool) -> Outcome {
        if self.surplus {
            Outcome::Surplus
        } else if !self.checked {
            if finished {
                Outcome::Missing
            } else {
                Outcome::Unchecked
            }
        } else if self.counted_qty == 0 {
            Outcome::Missing
        } else if self.damaged {
            Outcome::Damaged
        } else if self.found_room.as_deref().is_some_and(|r| r != self.book_room) {
            Outcome::Moved
        } else {
            Outcome::Found
        }
    }

    /// Items counted beyond the book quantity, and short of it.
    pub fn extra_and_short(&self) -> (i64, i64) {
        if self.surplus || !self.checked {
            return (0, 0);
        }
        let seen = self.counted_qty.min(self.book_qty);
        (self.counted_qty - seen, self.book_qty - seen)
    }
}

/// Quantity and values of one kind of outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Tally {
    pub qty: i64,
    pub original: Fen,
    pub net: Fen,
}

impl Tally {
    fn add(&mut self, qty: i64, original: Fen, net: Fen) {
        self.qty += qty;
        self.original += original;
        self.net += net;
    }
    fn merge(&mut self, other: &Tally) {
        self.add(other.qty, other.original, other.net);
    }
}

/// A ratio as a percentage with two decimals, kept exact as basis points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rate {
    /// Hundredths of a percent (9750 = 97.50%); `None` when there is nothing on the books.
    pub basis_points: Option<i64>,
    /// `97.50%`, or `—`.
    pub text: String,
}

fn rate(part: i64, whole: i64) -> Rate {
    if whole <= 0 {
        return Rate { basis_points: None, text: "—".into() };
    }
    let bp = div_round_half_up(part as i128 * 10_000, whole as i128) as i64;
    Rate { basis_points: Some(bp), text: format!("{}.{:02}%", bp / 100, bp % 100) }
}

/// One room's (or the total's) figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoomResult {
    /// The room, or 合计 for the total.
    pub room: String,
    /// The custodians of the room's cards, most cards first.
    pub custodians: Vec<String>,
    /// 账面: what the cards say should be here.
    pub book: Tally,
    /// 相符.
    pub found: Tally,
    /// 位置不符 (moved out of this room).
    pub moved: Tally,
    /// 损坏.
    pub damaged: Tally,
    /// 盘亏.
    pub missing: Tally,
    /// 未盘 (open stocktake only).
    pub unchecked: Tally,
    /// 盘盈 (found here, not on the register).
    pub surplus: Tally,
    /// 账实相符率 by quantity and by original value.
    pub match_rate: Rate,
    pub value_rate: Rate,
}

impl RoomResult {
    fn new(room: &str) -> RoomResult {
        RoomResult {
            room: room.to_string(),
            custodians: Vec::new(),
            book: Tally::default(),
            found: Tally::default(),
            moved: Tally::default(),
            damaged: Tally::default(),
            missing: Tally::default(),
            unchecked: Tally::default(),
            surplus: Tally::default(),
            match_rate: rate(0, 0),
            value_rate: rate(0, 0),
        }
    }

    fn finish_rates(&mut self) {
        self.match_rate = rate(self.found.qty, self.book.qty);
        self.value_rate = rate(self.found.original.0, self.book.original.0);
    }
}

/// The whole reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reconciliation {
    /// Whether the stocktake is finished (unchecked lines count as missing).
    pub finished: bool,
    /// Rooms in scope first (in the given order), then any other room a line names.
    pub rooms: Vec<RoomResult>,
    pub total: RoomResult,
    /// How the figures were reached, one sentence per line.
    pub lines: Vec<String>,
}

/// Adds up `lines`. `rooms` lists the stocktake's rooms in display order (a
/// room with no lines still gets a row). Pure.
pub fn reconcile(lines: &[LineFacts], rooms: &[String], finished: bool) -> Reconciliation {
    let mut results: Vec<RoomResult> = rooms.iter().map(|r| RoomResult::new(r)).collect();
    let mut custodians: Vec<Vec<(String, usize)>> = vec![Vec::new(); results.len()];
    let index = |results: &mut Vec<RoomResult>, custodians: &mut Vec<Vec<(String, usize)>>, room: &str| match results
        .iter()
        .position(|r| r.room == room)
    {
        Some(i) => i,
        None => {
            results.push(RoomResult::new(room));
            custodians.push(Vec::new());
            results.len() - 1
        }
    };
    for l in lines {
        let i = index(&mut results, &mut custodians, &l.book_room);
        let r = &mut results[i];
        if l.surplus {
            r.surplus.add(l.counted_qty, l.original, l.net);
            continue;
        }
        if !l.custodian.is_empty() {
            match custodians[i].iter_mut().find(|(name, _)| *name == l.custodian) {
                Some((_, n)) => *n += 1,
                None => custodians[i].push((l.custodian.to_string(), 1)),
            }
        }
        r.book.add(l.book_qty, l.original, l.net);
        let outcome = l.outcome(finished);
        if matches!(outcome, Outcome::Unchecked | Outcome::Missing) && l.counted_qty == 0 {
            let t = if outcome == Outcome::Unchecked { &mut r.unchecked } else { &mut r.missing };
            t.add(l.book_qty, l.original, l.net);
            continue;
        }
        let (extra, short) = l.extra_and_short();
        let part = |q: i64, v: Fen| if l.book_qty > 0 { mul_div(v, q, l.book_qty) } else { Fen::ZERO };
        let (short_original, short_net) = (part(short, l.original), part(short, l.net));
        let seen = l.book_qty - short;
        let (seen_original, seen_net) = (l.original - short_original, l.net - short_net);
        match outcome {
            Outcome::Damaged => r.damaged.add(seen, seen_original, seen_net),
            Outcome::Moved => r.moved.add(seen, seen_original, seen_net),
            _ => r.found.add(seen, seen_original, seen_net),
        }
        if short > 0 {
            r.missing.add(short, short_original, short_net);
        }
        if extra > 0 {
            // Extra items of a batch card: surplus at the card's unit value.
            let room = l.found_room.clone().unwrap_or_else(|| l.book_room.clone());
            let j = index(&mut results, &mut custodians, &room);
            results[j].surplus.add(extra, part(extra, l.original), part(extra, l.net));
        }
    }
    let mut total = RoomResult::new("合计");
    for (r, mut names) in results.iter_mut().zip(custodians) {
        names.sort_by_key(|n| std::cmp::Reverse(n.1));
        r.custodians = names.into_iter().map(|(n, _)| n).collect();
        r.finish_rates();
        for (t, x) in [
            (&mut total.book, &r.book),
            (&mut total.found, &r.found),
            (&mut total.moved, &r.moved),
            (&mut total.damaged, &r.damaged),
            (&mut total.missing, &r.missing),
            (&mut total.unchecked, &r.unchecked),
            (&mut total.surplus, &r.surplus),
        ] {
            t.merge(x);
        }
    }
    total.finish_rates();
    let explanation = explain(&total, finished);
    Reconciliation { finished, rooms: results, total, lines: explanation }
}

fn explain(t: &RoomResult, finished: bool) -> Vec<String> {
    let money = |f: Fen| f.to_grouped_string();
    let mut lines = vec![format!(
        "账面:{} 件,原值 {} 元,净值 {} 元(按盘点开始时的资产卡片;批量卡片按数量计)。",
        t.book.qty,
        money(t.book.original),
        money(t.book.net)
    )];
    lines.push(format!(
        "相符 {} 件(在卡片登记的地点找到且完好),原值 {} 元;位置不符 {} 件,原值 {} 元;损坏 {} 件,原值 {} 元。",
        t.found.qty,
        money(t.found.original),
        t.moved.qty,
        money(t.moved.original),
        t.damaged.qty,
        money(t.damaged.original)
    ));
    lines.push(format!(
        "盘亏 {} 件,原值 {} 元,净值 {} 元;盘盈 {} 件,估计价值 {} 元。",
        t.missing.qty,
        money(t.missing.original),
        money(t.missing.net),
        t.surplus.qty,
        money(t.surplus.original)
    ));
    if !finished && t.unchecked.qty > 0 {
        lines.push(format!("尚未盘点 {} 件:盘点结束时仍未找到的,记为盘亏。", t.unchecked.qty));
    }
    lines.push(format!(
        "账实相符率(按数量)= 相符 {} ÷ 账面 {} = {};按原值 = {} ÷ {} = {}。位置不符、损坏、盘亏都不算相符;盘盈不在账上,不计入分母。",
        t.found.qty,
        t.book.qty,
        t.match_rate.text,
        money(t.found.original),
        money(t.book.original),
        t.value_rate.text
    ));
    lines.push("批量卡片少点的数量计入盘亏、多点的计入盘盈,金额按 原值 × 数量 ÷ 账面数量 四舍五入到分。".to_string());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(room: &str, qty: i64, original: i64) -> LineFacts<'_> {
        LineFacts {
            book_room: room.into(),
            found_room: None,
            custodian: format!("{room}老师").into(),
            book_qty: qty,
            counted_qty: 0,
            checked: false,
            damaged: false,
            original: Fen::yuan(original),
            net: Fen::yuan(original / 2),
            surplus: false,
        }
    }
    fn found(mut l: LineFacts<'_>) -> LineFacts<'_> {
        l.checked = true;
        l.counted_qty = l.book_qty;
        l
    }

    #[test]
    fn each_outcome_is_counted_with_its_value() {
        let rooms = vec!["大一班".to_string(), "办公室".to_string()];
        let lines = vec![
            found(line("大一班", 1, 4_000)),
            found(line("大一班", 1, 2_000)),
            // Moved: found in the office, move accepted.
            LineFacts { found_room: Some("办公室".into()), ..found(line("大一班", 1, 3_000)) },
            // Damaged.
            LineFacts { damaged: true, ..found(line("大一班", 1, 1_000)) },
            // Missing: marked as not found.
            LineFacts { checked: true, counted_qty: 0, ..line("办公室", 1, 5_000) },
            // Surplus: a printer not on the register, found in the office.
            LineFacts {
                surplus: true,
                book_qty: 0,
                counted_qty: 1,
                checked: true,
                custodian: "".into(),
                ..line("办公室", 0, 600)
            },
            found(line("办公室", 1, 6_000)),
        ];
        let r = reconcile(&lines, &rooms, true);
        let [class, office] = [&r.rooms[0], &r.rooms[1]];
        assert_eq!((class.book.qty, class.found.qty, class.moved.qty, class.damaged.qty), (4, 2, 1, 1));
        assert_eq!(class.moved.original, Fen::yuan(3_000));
        assert_eq!(class.damaged.original, Fen::yuan(1_000));
        assert_eq!(class.match_rate.text, "50.00%");
        assert_eq!(class.value_rate.text, "60.00%"); // 6,000 of 10,000
        assert_eq!((office.book.qty, office.found.qty, office.missing.qty, office.surplus.qty), (2, 1, 1, 1));
        assert_eq!((office.missing.original, office.missing.net), (Fen::yuan(5_000), Fen::yuan(2_500)));
        assert_eq!(office.surplus.original, Fen::yuan(600));
        assert_eq!(office.custodians, ["办公室老师"]);
        let t = &r.total;
        assert_eq!(
            (t.book.qty, t.found.qty, t.moved.qty, t.damaged.qty, t.missing.qty, t.surplus.qty),
            (6, 3, 1, 1, 1, 1)
        );
        assert_eq!(t.match_rate, Rate { basis_points: Some(5000), text: "50.00%".into() });
        assert!(r.lines.iter().any(|l| l.contains("账实相符率(按数量)= 相符 3 ÷ 账面 6 = 50.00%")), "{:?}", r.lines);
        assert!(r.lines.iter().any(|l| l.contains("盘亏 1 件,原值 5,000.00 元")), "{:?}", r.lines);
    }

    #[test]
    fn unchecked_lines_are_pending_while_open_and_missing_once_finished() {
        let lines = vec![found(line("小一班", 1, 100)), line("小一班", 1, 300)];
        let rooms = vec!["小一班".to_string()];
        let open = reconcile(&lines, &rooms, false);
        assert_eq!((open.total.unchecked.qty, open.total.missing.qty), (1, 0));
        assert!(open.lines.iter().any(|l| l.contains("尚未盘点 1 件")));
        let done = reconcile(&lines, &rooms, true);
        assert_eq!((done.total.unchecked.qty, done.total.missing.qty), (0, 1));
        assert_eq!(done.total.missing.original, Fen::yuan(300));
        assert_eq!(lines[1].outcome(false), Outcome::Unchecked);
        assert_eq!(lines[1].outcome(true), Outcome::Missing);
    }

    #[test]
    fn a_batch_card_splits_into_found_missing_and_surplus_parts() {
        // 30 chairs, 1,000.00 yuan: 28 counted → 2 missing (66.67), 28 found (933.33).
        let mut l = found(line("中一班", 30, 1_000));
        l.counted_qty = 28;
        let r = reconcile(std::slice::from_ref(&l), &["中一班".to_string()], true);
        assert_eq!((r.total.found.qty, r.total.missing.qty), (28, 2));
        assert_eq!((r.total.found.original, r.total.missing.original), (Fen(93_333), Fen(6_667)));
        assert_eq!(r.total.found.original + r.total.missing.original, Fen::yuan(1_000));
        assert_eq!(r.total.match_rate.text, "93.33%");
        // 32 counted → 30 found, 2 surplus at the unit value.
        l.counted_qty = 32;
        let r = reconcile(&[l], &["中一班".to_string()], true);
        assert_eq!((r.total.found.qty, r.total.missing.qty, r.total.surplus.qty), (30, 0, 2));
        assert_eq!(r.total.surplus.original, Fen(6_667));
        assert_eq!(r.total.match_rate.text, "100.00%");
    }

    #[test]
    fn an_empty_room_has_no_rate_and_unknown_rooms_are_added() {
        let lines = vec![LineFacts { found_room: Some("操场".into()), ..found(line("仓库", 1, 10)) }];
        let r = reconcile(&lines, &["操场".to_string()], true);
        assert_eq!(r.rooms[0].room, "操场");
        assert_eq!(r.rooms[0].match_rate.text, "—");
        assert_eq!(r.rooms[1].room, "仓库");
        assert_eq!(r.rooms[1].moved.qty, 1);
    }
}
