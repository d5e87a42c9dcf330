//! Where an asset is (room, department, custodian) and the one way a card
//! moves: a dated, audited movement record. The register (a card edited to
//! another room), `movements` (transfers and handovers) and the
//! stocktake (a move found and applied) all record moves here, so this
//! module sits below them and depends on none of them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::AssetId;
use crate::db::{now, Tx};
use crate::school::text_enum_sql;
use crate::store;
use crate::Result;

/// Where an asset is: room, department, custodian.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AssetPlacement"))]
pub struct Placement {
    pub room: String,
    pub department: String,
    pub custodian: String,
}

/// Why an asset moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    /// 调拨: between rooms, departments or custodians.
    Transfer,
    /// 期初交接: the new custodian takes the room's assets over at term start.
    HandoverStart,
    /// 期末移交: the custodian hands the room's assets over at term end.
    HandoverEnd,
    /// 盘点调整: a move found at a stocktake, applied to the books.
    Stocktake,
}
text_enum_sql!(TransferKind {
    Transfer => "transfer",
    HandoverStart => "handover_start",
    HandoverEnd => "handover_end",
    Stocktake => "stocktake",
});

impl TransferKind {
    /// The word in lists.
    pub fn label(self) -> &'static str {
        match self {
            TransferKind::Transfer => "调拨",
            TransferKind::HandoverStart => "期初交接",
            TransferKind::HandoverEnd => "期末移交",
            TransferKind::Stocktake => "盘点调整",
        }
    }
}

/// Writes one movement record and moves the card, inside an open
/// transaction; audited. Returns the record's id.
pub fn record_transfer_in_tx(
    tx: &Tx,
    asset: AssetId,
    from: &Placement,
    to: &Placement,
    moved_on: NaiveDate,
    kind: TransferKind,
    note: &str,
) -> Result<i64> {
    let id = store::assets::transfers::insert(tx, asset, from, to, moved_on, kind, note, now())?;
    store::assets::register::set_placement(tx, asset, to)?;
    tx.audit(
        "asset",
        asset,
        kind.code(),
        Some(&serde_json::json!(from)),
        Some(&serde_json::json!({ "to": to, "moved_on": moved_on, "note": note, "transfer_id": id })),
    )?;
    Ok(id)
}
