//! `asset_disposals`: requests to take a card off the books (报废, 出售, 捐赠,
//! 调出) through approval to disposal, and stocktake write-offs (盘亏核销).

use chrono::NaiveDate;

use crate::assets::movements::{Disposal, DisposalMethod, DisposalStatus};
use crate::assets::{AssetId, AssetStatus, DisposalId};
use crate::store::{Conn, Row, Tx};
use crate::{args, Fen, Result};

/// The columns [`read`] reads (a macro so the statements below are `const`).
macro_rules! select {
    () => {
        "SELECT d.id, d.asset_id, a.number, a.name, a.room, d.method, d.reason, d.requested_on,
            d.requested_by, d.original_fen, d.net_fen, d.approval_level, d.status, d.approver, d.decided_on,
            d.disposed_on, d.proceeds_fen, d.note
         FROM asset_disposals d JOIN assets a ON a.id = d.asset_id"
    };
}

fn read(r: &Row) -> Result<Disposal> {
    let method: DisposalMethod = r.get(5)?;
    let status: DisposalStatus = r.get(12)?;
    Ok(Disposal {
        id: r.get(0)?,
        asset_id: r.get(1)?,
        number: r.get(2)?,
        name: r.get(3)?,
        room: r.get(4)?,
        method,
        method_label: method.label().into(),
        reason: r.get(6)?,
        requested_on: r.get(7)?,
        requested_by: r.get(8)?,
        original: r.get(9)?,
        net: r.get(10)?,
        approval_level: r.get(11)?,
        status,
        status_label: status.label().into(),
        approver: r.get(13)?,
        decided_on: r.get(14)?,
        disposed_on: r.get(15)?,
        proceeds: r.get(16)?,
        note: r.get(17)?,
    })
}

/// One disposal record.
pub fn get(conn: &Conn, id: DisposalId) -> Result<Option<Disposal>> {
    const SQL: &str = concat!(select!(), " WHERE d.id = ?1");
    conn.row_opt(SQL, &args![id], read)
}

/// Disposal records, open ones first, then newest first; of one asset if given.
pub fn list(conn: &Conn, asset: Option<AssetId>) -> Result<Vec<Disposal>> {
    const SQL: &str = concat!(
        select!(),
        " WHERE CAST(?1 AS BIGINT) IS NULL OR d.asset_id = ?1
         ORDER BY d.status IN ('requested', 'approved') DESC, d.requested_on DESC, d.id DESC"
    );
    conn.rows(SQL, &args![asset], read)
}

/// The status of the asset's open request (待审批 or 已批准), if it has one.
pub fn open_status(conn: &Conn, asset: AssetId) -> Result<Option<DisposalStatus>> {
    conn.row_opt(
        "SELECT status FROM asset_disposals WHERE asset_id = ?1 AND status IN ('requested', 'approved')",
        &args![asset],
        |r| r.get(0),
    )
}

/// A new disposal record, as it is filed.
pub struct NewDisposal<'a> {
    pub asset_id: AssetId,
    pub method: DisposalMethod,
    pub reason: &'a str,
    pub requested_on: NaiveDate,
    /// The status to go back to if the request is rejected.
    pub prior_status: AssetStatus,
    pub original: Fen,
    pub net: Fen,
    pub approval_level: &'a str,
    pub status: DisposalStatus,
    pub approver: &'a str,
    pub decided_on: Option<NaiveDate>,
    pub disposed_on: Option<NaiveDate>,
    pub note: &'a str,
}

/// Files a record, requested by the transaction's operator; returns its id.
pub fn insert(tx: &Tx, d: &NewDisposal) -> Result<DisposalId> {
    tx.insert(
        "INSERT INTO asset_disposals (asset_id, method, reason, requested_on, requested_by, prior_status,
            original_fen, net_fen, approval_level, status, approver, decided_on, disposed_on, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
        &args![
            d.asset_id,
            d.method,
            d.reason,
            d.requested_on,
            tx.operator(),
            d.prior_status,
            d.original,
            d.net,
            d.approval_level,
            d.status,
            d.approver,
            d.decided_on,
            d.disposed_on,
            d.note
        ],
    )
    .map(DisposalId)
}

/// The decision on a request (approved or rejected).
pub fn decide(
    tx: &Tx,
    id: DisposalId,
    status: DisposalStatus,
    approver: &str,
    decided_on: NaiveDate,
    note: &str,
) -> Result<()> {
    tx.exec(
        "UPDATE asset_disposals SET status = ?1, approver = ?2, decided_on = ?3, note = ?4 WHERE id = ?5",
        &args![status, approver, decided_on, note, id],
    )?;
    Ok(())
}

/// The status the asset had when the request was filed.
pub fn prior_status(conn: &Conn, id: DisposalId) -> Result<AssetStatus> {
    conn.value("SELECT prior_status FROM asset_disposals WHERE id = ?1", &args![id])
}

/// The disposal done on `on`, with the money received.
pub fn complete(tx: &Tx, id: DisposalId, on: NaiveDate, proceeds: Fen) -> Result<()> {
    tx.exec(
        "UPDATE asset_disposals SET status = 'disposed', disposed_on = ?1, proceeds_fen = ?2 WHERE id = ?3",
        &args![on, proceeds, id],
    )?;
    Ok(())
}
