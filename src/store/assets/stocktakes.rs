//! `asset_stocktakes` and `asset_stocktake_rooms`: a stocktake, the rooms it
//! covers and how far each is. Its lines are [`super::stocktake_lines`].

use chrono::{NaiveDate, NaiveDateTime};

use crate::assets::stocktake::{RoomProgress, StocktakeStatus, StocktakeSummary};
use crate::assets::StocktakeId;
use crate::store::batch::{Batched, Tail};
use crate::store::{Conn, Row, Tx, Value};
use crate::{args, Result};

/// A stocktake without its rooms and counts (those are [`rooms`] and [`counts`]).
pub fn get(conn: &Conn, id: StocktakeId) -> Result<Option<StocktakeSummary>> {
    conn.row_opt(
        "SELECT id, name, started_on, finished_on, status, all_rooms, note, started_by
         FROM asset_stocktakes WHERE id = ?1",
        &args![id],
        |r| {
            let status: StocktakeStatus = r.get(4)?;
            Ok(StocktakeSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                started_on: r.get(2)?,
                finished_on: r.get(3)?,
                status,
                status_label: status.label().into(),
                all_rooms: r.get(5)?,
                note: r.get(6)?,
                started_by: r.get(7)?,
                rooms: Vec::new(),
                expected: 0,
                checked: 0,
                surplus: 0,
            })
        },
    )
}

/// The rooms of a stocktake by name, each with its cards (lines of cards that
/// name it), how many of those are checked, and surplus finds made in it.
pub fn rooms(conn: &Conn, id: StocktakeId) -> Result<Vec<RoomProgress>> {
    conn.rows(
        "SELECT r.room, r.done_at, r.done_by, COUNT(l.asset_id),
            COUNT(CASE WHEN l.asset_id IS NOT NULL AND l.checked_at IS NOT NULL THEN 1 END),
            COUNT(l.id) - COUNT(l.asset_id)
         FROM asset_stocktake_rooms r
         LEFT JOIN asset_stocktake_lines l ON l.stocktake_id = r.stocktake_id AND l.book_room = r.room
         WHERE r.stocktake_id = ?1 GROUP BY r.room, r.done_at, r.done_by ORDER BY r.room",
        &args![id],
        |r| {
            Ok(RoomProgress {
                room: r.get(0)?,
                done_at: r.get(1)?,
                done_by: r.get(2)?,
                expected: r.get(3)?,
                checked: r.get(4)?,
                surplus: r.get(5)?,
            })
        },
    )
}

/// (cards, of which checked, surplus finds) over every line of a stocktake,
/// also those of cards from outside its rooms.
pub fn counts(conn: &Conn, id: StocktakeId) -> Result<(i64, i64, i64)> {
    conn.row(
        "SELECT COUNT(asset_id), COUNT(CASE WHEN asset_id IS NOT NULL AND checked_at IS NOT NULL THEN 1 END),
                COUNT(*) - COUNT(asset_id)
         FROM asset_stocktake_lines WHERE stocktake_id = ?1",
        &args![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// Every stocktake, newest first.
pub fn ids(conn: &Conn) -> Result<Vec<StocktakeId>> {
    conn.rows("SELECT id FROM asset_stocktakes ORDER BY started_on DESC, id DESC", &[], |r| r.get(0))
}

pub fn status(conn: &Conn, id: StocktakeId) -> Result<Option<StocktakeStatus>> {
    conn.row_opt("SELECT status FROM asset_stocktakes WHERE id = ?1", &args![id], |r| r.get(0))
}

/// What a scan checks about its stocktake and room, in one small query:
/// (name, status, started on, whether the stocktake covers `room`).
pub fn scope(conn: &Conn, id: StocktakeId, room: &str) -> Result<Option<Scope>> {
    conn.row_opt(SCOPE, &args![id, room], read_scope)
}

/// [`scope`], read together with `main` (on a server, in one flight with
/// `main`'s first statement): for a check that guards what `main` reads.
pub fn scope_ahead_of<T>(
    conn: &Conn,
    id: StocktakeId,
    room: &str,
    main: impl FnOnce() -> Result<T>,
) -> Result<(Option<Scope>, T)> {
    let (rows, out) = conn.ahead_of(SCOPE, &args![id, room], read_scope, main)?;
    Ok((rows.into_iter().next(), out))
}

/// A stocktake's name, status and start, and whether `room` is one of its rooms.
pub type Scope = (String, StocktakeStatus, NaiveDate, bool);

const SCOPE: &str = "SELECT name, status, started_on,
        EXISTS (SELECT 1 FROM asset_stocktake_rooms WHERE stocktake_id = ?1 AND room = ?2)
     FROM asset_stocktakes WHERE id = ?1";

fn read_scope(r: &Row) -> Result<Scope> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

/// (room, stocktake name) for every room of an open stocktake.
pub fn rooms_being_counted(conn: &Conn) -> Result<Vec<(String, String)>> {
    conn.rows(
        "SELECT r.room, s.name FROM asset_stocktake_rooms r JOIN asset_stocktakes s ON s.id = r.stocktake_id
         WHERE s.status = 'open' ORDER BY s.id, r.room",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// A new open stocktake of these rooms, started by the transaction's operator.
pub fn insert(
    tx: &Tx,
    name: &str,
    started_on: NaiveDate,
    all_rooms: bool,
    note: &str,
    rooms: &[String],
) -> Result<StocktakeId> {
    let id = StocktakeId(tx.insert(
        "INSERT INTO asset_stocktakes (name, started_on, status, all_rooms, note, started_by)
         VALUES (?1, ?2, 'open', ?3, ?4, ?5) RETURNING id",
        &args![name, started_on, all_rooms, note, tx.operator()],
    )?);
    let rooms: Vec<Value> = rooms.iter().map(|r| Value::Text(r.clone())).collect();
    const BATCH: Batched = Batched {
        sqlite: "INSERT INTO asset_stocktake_rooms (stocktake_id, room) VALUES {}",
        row: "(?1, ?)",
        tail: Tail::Split,
        postgres: "INSERT INTO asset_stocktake_rooms (stocktake_id, room)
            SELECT CAST(?1 AS BIGINT), v.room FROM unnest(CAST(?2 AS TEXT[])) AS v(room)",
    };
    tx.exec_rows(&BATCH, &args![id], &rooms)?;
    Ok(id)
}

/// Deletes a stocktake with its rooms and lines.
pub fn delete(tx: &Tx, id: StocktakeId) -> Result<()> {
    tx.exec("DELETE FROM asset_stocktake_lines WHERE stocktake_id = ?1", &args![id])?;
    tx.exec("DELETE FROM asset_stocktake_rooms WHERE stocktake_id = ?1", &args![id])?;
    tx.exec("DELETE FROM asset_stocktakes WHERE id = ?1", &args![id])?;
    Ok(())
}

/// A room's count marked complete (`done` given: when and by whom) or reopened (`None`).
pub fn set_room_done(tx: &Tx, id: StocktakeId, room: &str, done: Option<(NaiveDateTime, &str)>) -> Result<()> {
    tx.exec(
        "UPDATE asset_stocktake_rooms SET done_at = ?1, done_by = ?2 WHERE stocktake_id = ?3 AND room = ?4",
        &args![done.map(|d| d.0), done.map(|d| d.1), id, room],
    )?;
    Ok(())
}

/// The stocktake finished on `on`.
pub fn finish(tx: &Tx, id: StocktakeId, on: NaiveDate) -> Result<()> {
    tx.exec("UPDATE asset_stocktakes SET status = 'finished', finished_on = ?1 WHERE id = ?2", &args![on, id])?;
    Ok(())
}
