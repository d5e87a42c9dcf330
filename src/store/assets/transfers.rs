//! `asset_transfers`: every move of a card (调拨, 期初交接, 期末移交, a move
//! found at a stocktake), dated, with where it was before and after.

use chrono::{NaiveDate, NaiveDateTime};

use crate::assets::movements::Transfer;
use crate::assets::placement::{Placement, TransferKind};
use crate::assets::AssetId;
use crate::store::{Conn, Tx};
use crate::{args, Result};

/// One movement record; returns its id. Recorded by the transaction's operator.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    tx: &Tx,
    asset: AssetId,
    from: &Placement,
    to: &Placement,
    moved_on: NaiveDate,
    kind: TransferKind,
    note: &str,
    recorded_at: NaiveDateTime,
) -> Result<i64> {
    tx.insert(
        "INSERT INTO asset_transfers (asset_id, moved_on, kind, from_room, to_room, from_department, to_department,
            from_custodian, to_custodian, note, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
        &args![
            asset,
            moved_on,
            kind,
            from.room,
            to.room,
            from.department,
            to.department,
            from.custodian,
            to.custodian,
            note,
            recorded_at,
            tx.operator()
        ],
    )
}

/// Movement records, newest first: of one asset, or all; at most `limit`.
pub fn list(conn: &Conn, asset: Option<AssetId>, limit: usize) -> Result<Vec<Transfer>> {
    conn.rows(
        "SELECT t.id, t.asset_id, a.number, a.name, t.moved_on, t.kind, t.from_room, t.from_department,
                t.from_custodian, t.to_room, t.to_department, t.to_custodian, t.note, t.recorded_at, t.recorded_by
         FROM asset_transfers t JOIN assets a ON a.id = t.asset_id
         WHERE CAST(?1 AS BIGINT) IS NULL OR t.asset_id = ?1
         ORDER BY t.moved_on DESC, t.id DESC LIMIT ?2",
        &args![asset, limit],
        |r| {
            let kind: TransferKind = r.get(5)?;
            Ok(Transfer {
                id: r.get(0)?,
                asset_id: r.get(1)?,
                number: r.get(2)?,
                name: r.get(3)?,
                moved_on: r.get(4)?,
                kind,
                kind_label: kind.label().into(),
                from: Placement { room: r.get(6)?, department: r.get(7)?, custodian: r.get(8)? },
                to: Placement { room: r.get(9)?, department: r.get(10)?, custodian: r.get(11)? },
                note: r.get(12)?,
                recorded_at: r.get(13)?,
                recorded_by: r.get(14)?,
            })
        },
    )
}
