//! `asset_stocktake_lines`: one line per card a stocktake expects or sees (a
//! snapshot of the card when it started) and one per surplus find (盘盈:
//! no card). A line read here has no outcome yet: that is the reconciliation
//! rule's, applied by `assets::stocktake`.
//!
//! The scan path (every statement a scan runs) uses `const` texts only, so
//! each is prepared once per connection and found again by its text.

use chrono::{NaiveDate, NaiveDateTime};

use super::pick;
use crate::assets::reconcile::Outcome;
use crate::assets::register::Asset;
use crate::assets::stocktake::{AdjustmentKind, LineView, StocktakeStatus};
use crate::assets::{AssetId, LineId, StocktakeId};
use crate::store::audit::AuditRow;
use crate::store::batch::{Batched, Tail};
use crate::store::{Conn, Row, Tx, Value};
use crate::{args, Fen, Result};

/// The columns [`read`] reads, in its order.
macro_rules! columns {
    () => {
        "l.id, l.asset_id, l.number, l.name, l.category_code, l.category_name, l.model, l.unit,
        l.acquired_on, l.book_room, l.department, l.custodian, l.book_qty, l.original_fen, l.net_fen, l.found_room,
        l.counted_qty, l.damaged, l.scans, l.checked_at, l.checked_by, l.note, l.adjustment, l.adjusted_at,
        l.adjusted_by, l.adjustment_note"
    };
}

/// How many columns [`columns`] has: what a query selects after them starts here.
const WIDTH: usize = 26;

fn read(r: &Row) -> Result<LineView> {
    let adjustment: Option<AdjustmentKind> = r.get(22)?;
    Ok(LineView {
        id: r.get(0)?,
        asset_id: r.get(1)?,
        number: r.get(2)?,
        name: r.get(3)?,
        category_code: r.get(4)?,
        category_name: r.get(5)?,
        model: r.get(6)?,
        unit: r.get(7)?,
        acquired_on: r.get(8)?,
        book_room: r.get(9)?,
        department: r.get(10)?,
        custodian: r.get(11)?,
        book_qty: r.get(12)?,
        original: r.get(13)?,
        net: r.get(14)?,
        found_room: r.get(15)?,
        counted_qty: r.get(16)?,
        damaged: r.get(17)?,
        scans: r.get(18)?,
        checked_at: r.get(19)?,
        checked_by: r.get(20)?,
        note: r.get(21)?,
        outcome: Outcome::Unchecked,
        outcome_label: String::new(),
        extra_qty: 0,
        short_qty: 0,
        adjustment,
        adjustment_label: adjustment.map(|a| a.label().to_string()),
        adjusted_at: r.get(23)?,
        adjusted_by: r.get(24)?,
        adjustment_note: r.get(25)?,
    })
}

/// Every line of a stocktake, by room, cards before surplus finds, then number.
pub fn of_stocktake(conn: &Conn, id: StocktakeId) -> Result<Vec<LineView>> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM asset_stocktake_lines l WHERE l.stocktake_id = ?1
         ORDER BY l.book_room, l.asset_id IS NULL, l.number, l.id"
    );
    conn.rows(SQL, &args![id], read)
}

/// The lines of cards that name `room`, things found in it, and surplus finds made in it.
pub fn of_room(conn: &Conn, id: StocktakeId, room: &str) -> Result<Vec<LineView>> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM asset_stocktake_lines l WHERE l.stocktake_id = ?1 AND (l.book_room = ?2 OR l.found_room = ?2)
         ORDER BY l.asset_id IS NULL, l.number, l.id"
    );
    conn.rows(SQL, &args![id, room], read)
}

/// One line with its stocktake and the stocktake's status. Single-table with
/// the status in a subquery: every scan of a new line reads it back, and
/// SQLite re-prepares a cached join with a bound parameter on every use.
pub fn get(conn: &Conn, id: LineId) -> Result<Option<(StocktakeId, StocktakeStatus, LineView)>> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        ", l.stocktake_id, (SELECT status FROM asset_stocktakes WHERE id = l.stocktake_id)
         FROM asset_stocktake_lines l WHERE l.id = ?1"
    );
    conn.row_opt(SQL, &args![id], |r| Ok((r.get(WIDTH)?, r.get(WIDTH + 1)?, read(r)?)))
}

/// The line of the card on the books with this number (any case), if the
/// card has one in this stocktake: a scan's first (and usually only) read.
/// One statement where two (the card's id, then its line) would do, with
/// the card in a subquery rather than a join (see [`get`]).
pub fn of_number(conn: &Conn, id: StocktakeId, number: &str) -> Result<Option<LineView>> {
    const SQLITE: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM asset_stocktake_lines l WHERE l.stocktake_id = ?1 AND l.asset_id =
           (SELECT id FROM assets WHERE number = ?2 AND status NOT IN ('disposed', 'written_off'))"
    );
    const POSTGRES: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM asset_stocktake_lines l WHERE l.stocktake_id = ?1 AND l.asset_id =
           (SELECT id FROM assets WHERE lower(number) = lower(?2) AND status NOT IN ('disposed', 'written_off'))"
    );
    conn.row_opt(pick(conn, SQLITE, POSTGRES), &args![id, number], read)
}

/// The lines of the cards on the books with these numbers (any case) that
/// this stocktake has, each with the card's number as it is now: what a
/// batch of scans reads first, in one query per chunk of numbers.
pub fn of_numbers(conn: &Conn, id: StocktakeId, numbers: &[&str]) -> Result<Vec<(String, LineView)>> {
    // CROSS JOIN makes SQLite look each number up and then its line: planning
    // without statistics, it would rather walk every line of the stocktake
    // for every batch.
    const SQLITE: &str = concat!(
        "SELECT ",
        columns!(),
        ", a.number FROM assets a CROSS JOIN asset_stocktake_lines l
         WHERE a.number IN ({}) AND a.status NOT IN ('disposed', 'written_off')
           AND l.stocktake_id = ?1 AND l.asset_id = a.id"
    );
    // On PostgreSQL each number is looked up on its own (LATERAL, kept apart
    // by OFFSET 0): joined as a set, the planner — once the statistics know
    // a stocktake's lines are thousands — walks them all and probes each
    // card, for every batch. A number given twice gives its line twice.
    const POSTGRES: &str = concat!(
        "SELECT ",
        columns!(),
        ", l.card_number FROM unnest(CAST(?2 AS TEXT[])) AS n(number) CROSS JOIN LATERAL (
           SELECT l.*, a.number AS card_number FROM assets a
           JOIN asset_stocktake_lines l ON l.asset_id = a.id AND l.stocktake_id = ?1
           WHERE lower(a.number) = lower(n.number) AND a.status NOT IN ('disposed', 'written_off')
           OFFSET 0) AS l"
    );
    // A number given twice (or, on SQLite, repeated to pad the list): IN
    // matches its card once, LATERAL twice (the caller keeps a line once).
    const BATCH: Batched = Batched { sqlite: SQLITE, row: "?", tail: Tail::Repeat, postgres: POSTGRES };
    let values: Vec<Value> = numbers.iter().map(|n| Value::Text((*n).to_string())).collect();
    conn.rows_for(&BATCH, &args![id], &values, |r| Ok((r.get(WIDTH)?, read(r)?)))
}

/// The surplus line already recorded for `number` (any case) in a stocktake.
/// On SQLite through the asset_id index (`+` keeps it off the stocktake
/// index, which would walk every line of the stocktake): surplus lines are
/// few. PostgreSQL has an index on (stocktake_id, lower(number)) of the
/// surplus lines.
pub fn surplus_with_number(conn: &Conn, id: StocktakeId, number: &str) -> Result<Option<LineId>> {
    const SQLITE: &str = "SELECT id FROM asset_stocktake_lines
         WHERE asset_id IS NULL AND +stocktake_id = ?1 AND number = ?2 COLLATE NOCASE";
    const POSTGRES: &str = "SELECT id FROM asset_stocktake_lines
         WHERE stocktake_id = ?1 AND lower(number) = lower(?2) AND asset_id IS NULL";
    conn.row_opt(pick(conn, SQLITE, POSTGRES), &args![id, number], |r| r.get(0))
}

/// A line for a card as it stands (`net` as of the stocktake's start).
macro_rules! insert_snapshot {
    () => {
        "INSERT INTO asset_stocktake_lines (stocktake_id, asset_id, number, name, category_code, category_name,
            model, unit, acquired_on, book_room, department, custodian, book_qty, original_fen, net_fen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    };
}

fn snapshot_args(id: StocktakeId, a: &Asset) -> [Value; 15] {
    args![
        id,
        a.id,
        a.number,
        a.name,
        a.category_code,
        a.category_name,
        a.model,
        a.unit,
        a.acquired_on,
        a.room,
        a.department,
        a.custodian,
        a.quantity,
        a.original,
        a.net
    ]
}

/// A line for `a` as its card stands (`a.net` as of the stocktake's start); returns its id.
pub fn insert_snapshot(tx: &Tx, id: StocktakeId, a: &Asset) -> Result<LineId> {
    const SQL: &str = concat!(insert_snapshot!(), " RETURNING id");
    tx.insert(SQL, &snapshot_args(id, a)).map(LineId)
}

/// [`insert_snapshot`] for every card of a new stocktake (their ids are not
/// needed), a chunk of cards per statement.
pub fn insert_snapshots<'a>(tx: &Tx, id: StocktakeId, cards: impl IntoIterator<Item = &'a Asset>) -> Result<usize> {
    let mut values = Vec::new();
    let mut n = 0;
    for a in cards {
        values.extend(snapshot_args(id, a).into_iter().skip(1));
        n += 1;
    }
    const BATCH: Batched = Batched {
        sqlite: "INSERT INTO asset_stocktake_lines (stocktake_id, asset_id, number, name, category_code,
            category_name, model, unit, acquired_on, book_room, department, custodian, book_qty, original_fen,
            net_fen)
         VALUES {}",
        row: "(?1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tail: Tail::Split,
        postgres: "INSERT INTO asset_stocktake_lines (stocktake_id, asset_id, number, name, category_code,
            category_name, model, unit, acquired_on, book_room, department, custodian, book_qty, original_fen,
            net_fen)
         SELECT CAST(?1 AS BIGINT), v.* FROM unnest(CAST(?2 AS BIGINT[]), CAST(?3 AS TEXT[]),
           CAST(?4 AS TEXT[]), CAST(?5 AS TEXT[]), CAST(?6 AS TEXT[]), CAST(?7 AS TEXT[]), CAST(?8 AS TEXT[]),
           CAST(?9 AS DATE[]), CAST(?10 AS TEXT[]), CAST(?11 AS TEXT[]), CAST(?12 AS TEXT[]),
           CAST(?13 AS BIGINT[]), CAST(?14 AS BIGINT[]), CAST(?15 AS BIGINT[])) AS v",
    };
    tx.exec_rows(&BATCH, &args![id], &values)?;
    Ok(n)
}

/// A surplus find as recorded at `at` by the transaction's operator.
pub struct NewSurplus<'a> {
    pub number: &'a str,
    pub name: &'a str,
    pub model: &'a str,
    pub room: &'a str,
    pub value: Fen,
    pub quantity: i64,
    pub note: &'a str,
    pub at: NaiveDateTime,
}

pub fn insert_surplus(tx: &Tx, id: StocktakeId, s: &NewSurplus) -> Result<LineId> {
    tx.insert(
        "INSERT INTO asset_stocktake_lines (stocktake_id, asset_id, number, name, model, book_room, book_qty,
                original_fen, net_fen, found_room, counted_qty, scans, checked_at, checked_by, note)
         VALUES (?1, NULL, ?2, ?3, ?4, ?5, 0, ?6, ?6, ?5, ?7, 1, ?8, ?9, ?10) RETURNING id",
        &args![id, s.number, s.name, s.model, s.room, s.value, s.quantity, s.at, tx.operator(), s.note],
    )
    .map(LineId)
}

/// A scan of a line: counted `counted` items, found in `found_room` when
/// that is not its own room, with the line's note after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanWrite {
    pub line: LineId,
    pub found_room: Option<String>,
    pub counted: i64,
    pub note: String,
}

/// Scans recorded at `at`, the text form of the scan's time (one per batch),
/// by the transaction's operator, with the audit rows that record them (on a
/// server, one statement for both). Each line at most once (a line scanned
/// twice in a batch is a duplicate the second time, and counts once).
pub fn record_scans(tx: &Tx, at: &str, scans: &[ScanWrite], audits: &[AuditRow]) -> Result<()> {
    let mut values = Vec::with_capacity(scans.len() * 4);
    for s in scans {
        values.extend(args![s.line, s.found_room, s.counted, s.note]);
    }
    // SQLite names a VALUES list's columns column1, column2, ….
    const BATCH: Batched = Batched {
        sqlite: "UPDATE asset_stocktake_lines SET found_room = v.column2, counted_qty = v.column3,
                scans = scans + 1, checked_at = ?1, checked_by = ?2, note = v.column4
         FROM (VALUES {}) AS v WHERE asset_stocktake_lines.id = v.column1",
        row: "(?, ?, ?, ?)",
        tail: Tail::Repeat,
        postgres: "UPDATE asset_stocktake_lines SET found_room = v.found_room, counted_qty = v.counted,
                scans = scans + 1, checked_at = ?1, checked_by = ?2, note = v.note
         FROM unnest(CAST(?3 AS BIGINT[]), CAST(?4 AS TEXT[]), CAST(?5 AS BIGINT[]), CAST(?6 AS TEXT[]))
           AS v(id, found_room, counted, note)
         WHERE asset_stocktake_lines.id = v.id",
    };
    tx.write_and_audit(&BATCH, &args![at, tx.operator()], &values, audits)
}

/// The counted quantity, damaged flag and note; checked (keeping an earlier
/// check's time and person, else `at` by the operator) or not.
pub fn update_count(
    tx: &Tx,
    line: LineId,
    counted: i64,
    damaged: bool,
    note: &str,
    checked: bool,
    at: NaiveDateTime,
) -> Result<()> {
    tx.exec(
        "UPDATE asset_stocktake_lines SET counted_qty = ?1, damaged = ?2, note = ?3,
                checked_at = CASE WHEN ?4 THEN COALESCE(checked_at, ?5) ELSE NULL END,
                checked_by = CASE WHEN ?4 THEN COALESCE(checked_by, ?6) ELSE NULL END
             WHERE id = ?7",
        &args![counted, damaged, note, checked, at, tx.operator(), line],
    )?;
    Ok(())
}

/// Looked for and not found (盘亏), at `at` by the operator.
pub fn mark_missing(tx: &Tx, line: LineId, at: NaiveDateTime) -> Result<()> {
    tx.exec(
        "UPDATE asset_stocktake_lines SET counted_qty = 0, damaged = FALSE, found_room = NULL, checked_at = ?1,
                checked_by = ?2
         WHERE id = ?3",
        &args![at, tx.operator(), line],
    )?;
    Ok(())
}

/// Unchecked again, as when the stocktake started.
pub fn reset(tx: &Tx, line: LineId) -> Result<()> {
    tx.exec(
        "UPDATE asset_stocktake_lines SET counted_qty = 0, damaged = FALSE, found_room = NULL, scans = 0,
                checked_at = NULL, checked_by = NULL, note = '' WHERE id = ?1",
        &args![line],
    )?;
    Ok(())
}

pub fn delete(tx: &Tx, line: LineId) -> Result<()> {
    tx.exec("DELETE FROM asset_stocktake_lines WHERE id = ?1", &args![line])?;
    Ok(())
}

/// Every card line not yet checked recorded as missing at `at`, with a note
/// saying so; returns how many.
pub fn record_unchecked_missing(tx: &Tx, id: StocktakeId, at: NaiveDateTime) -> Result<u64> {
    tx.exec(
        "UPDATE asset_stocktake_lines SET counted_qty = 0, checked_at = ?1, checked_by = ?2,
                note = CASE WHEN note = '' THEN '盘点结束时未找到' ELSE note || ';盘点结束时未找到' END
             WHERE stocktake_id = ?3 AND checked_at IS NULL AND asset_id IS NOT NULL",
        &args![at, tx.operator(), id],
    )
}

/// The book adjustment made for a line, at `at` by the operator.
pub fn set_adjustment(tx: &Tx, line: LineId, kind: AdjustmentKind, at: NaiveDateTime, note: &str) -> Result<()> {
    tx.exec(
        "UPDATE asset_stocktake_lines SET adjustment = ?1, adjusted_at = ?2, adjusted_by = ?3, adjustment_note = ?4
         WHERE id = ?5",
        &args![kind, at, tx.operator(), note, line],
    )?;
    Ok(())
}

/// Every time a card was found (counted at a stocktake): (card, when, the
/// stocktake's name), oldest first.
pub fn found(conn: &Conn) -> Result<Vec<(AssetId, NaiveDateTime, String)>> {
    conn.rows(
        "SELECT l.asset_id, l.checked_at, s.name FROM asset_stocktake_lines l
         JOIN asset_stocktakes s ON s.id = l.stocktake_id
         WHERE l.asset_id IS NOT NULL AND l.counted_qty > 0 AND l.checked_at IS NOT NULL
         ORDER BY l.checked_at, l.id",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// A card's line in one stocktake, with the stocktake.
pub struct CardLine {
    pub stocktake_id: StocktakeId,
    pub stocktake: String,
    pub started_on: NaiveDate,
    pub status: StocktakeStatus,
    pub line: LineView,
}

/// A card's line in every stocktake that had one, newest stocktake first.
pub fn of_card(conn: &Conn, asset: AssetId) -> Result<Vec<CardLine>> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        ", s.id, s.name, s.started_on, s.status
         FROM asset_stocktake_lines l JOIN asset_stocktakes s ON s.id = l.stocktake_id
         WHERE l.asset_id = ?1 ORDER BY s.started_on DESC, s.id DESC"
    );
    conn.rows(SQL, &args![asset], |r| {
        Ok(CardLine {
            stocktake_id: r.get(WIDTH)?,
            stocktake: r.get(WIDTH + 1)?,
            started_on: r.get(WIDTH + 2)?,
            status: r.get(WIDTH + 3)?,
            line: read(r)?,
        })
    })
}
