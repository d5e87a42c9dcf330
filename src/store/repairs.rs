//! `repairs`: repair requests (报修单) from report to confirmation.

use chrono::{NaiveDate, NaiveDateTime};

use crate::assets::{AssetId, AssetStatus};
use crate::repairs::{Repair, RepairFilter, RepairId, RepairStatus, Trade};
use crate::store::{Conn, Row, Tx};
use crate::{args, Fen, Result};

/// The columns [`read`] reads (a macro so the statements below are `const`).
macro_rules! select {
    () => {
        "SELECT r.id, r.reported_on, r.room, r.asset_id, a.number, a.name, a.original_fen, r.trade,
            r.description, r.urgent, r.reporter, r.status, r.prior_status, r.assignee, r.assigned_on,
            r.visited_on, r.work, r.cost_fen, r.done_on, r.scrap_suggested, r.confirmed_on, r.cancel_reason,
            r.cancelled_on, r.created_by
         FROM repairs r LEFT JOIN assets a ON a.id = r.asset_id"
    };
}

/// A row as stored; the fields that depend on the day are left for
/// `repairs::annotate`.
fn read(r: &Row) -> Result<Repair> {
    let trade: Trade = r.get(7)?;
    let status: RepairStatus = r.get(11)?;
    let reported_on: NaiveDate = r.get(1)?;
    Ok(Repair {
        id: r.get(0)?,
        reported_on,
        room: r.get(2)?,
        asset_id: r.get(3)?,
        asset_number: r.get(4)?,
        asset_name: r.get(5)?,
        asset_original: r.get(6)?,
        trade,
        trade_label: trade.label().into(),
        description: r.get(8)?,
        urgent: r.get(9)?,
        reporter: r.get(10)?,
        status,
        status_label: status.label().into(),
        steps: status.steps(),
        prior_status: r.get(12)?,
        assignee: r.get(13)?,
        assigned_on: r.get(14)?,
        visited_on: r.get(15)?,
        work: r.get(16)?,
        cost: r.get(17)?,
        done_on: r.get(18)?,
        scrap_marked: r.get(19)?,
        confirmed_on: r.get(20)?,
        cancel_reason: r.get(21)?,
        cancelled_on: r.get(22)?,
        created_by: r.get(23)?,
        visit_due: reported_on,
        age_days: 0,
        overdue: false,
        scrap_suggested: false,
    })
}

pub fn get(conn: &Conn, id: RepairId) -> Result<Option<Repair>> {
    const SQL: &str = concat!(select!(), " WHERE r.id = ?1");
    conn.row_opt(SQL, &args![id], read)
}

/// Requests matching `f`, newest report first. A date range takes those
/// reported or finished in it.
pub fn list(conn: &Conn, f: &RepairFilter) -> Result<Vec<Repair>> {
    const SQL: &str = concat!(
        select!(),
        " WHERE (?1 = 0 OR r.status IN ('reported', 'assigned', 'visited'))
            AND (CAST(?2 AS BIGINT) IS NULL OR r.asset_id = ?2)
          ORDER BY r.reported_on DESC, r.id DESC"
    );
    let rows = conn.rows(SQL, &args![i64::from(f.open_only), f.asset_id], read)?;
    // A school has a few hundred requests a year: the date range (reported in
    // it, or finished in it) is applied here rather than in two dialects.
    Ok(rows
        .into_iter()
        .filter(|r| {
            let inside = |d: NaiveDate| f.from.is_none_or(|a| d >= a) && f.to.is_none_or(|b| d <= b);
            (f.from.is_none() && f.to.is_none()) || inside(r.reported_on) || r.done_on.is_some_and(inside)
        })
        .collect())
}

/// The open request on a card, if it has one.
pub fn open_on_asset(conn: &Conn, asset: AssetId) -> Result<Option<RepairId>> {
    conn.row_opt(
        "SELECT id FROM repairs WHERE asset_id = ?1 AND status IN ('reported', 'assigned', 'visited')",
        &args![asset],
        |r| r.get(0),
    )
}

/// Whether any card on the books is kept in `room` (the register's rooms).
pub fn room_on_register(conn: &Conn, room: &str) -> Result<bool> {
    conn.value(
        "SELECT COUNT(*) > 0 FROM assets WHERE room = ?1 AND status NOT IN ('disposed', 'written_off')",
        &args![room],
    )
}

/// A request as it is reported.
pub struct NewRepair<'a> {
    pub reported_on: NaiveDate,
    pub room: &'a str,
    /// The card and the status it had.
    pub asset: Option<(AssetId, AssetStatus)>,
    pub trade: Trade,
    pub description: &'a str,
    pub urgent: bool,
    pub reporter: &'a str,
}

/// Files a request, recorded by the transaction's operator; returns its id.
pub fn insert(tx: &Tx, n: &NewRepair, at: NaiveDateTime) -> Result<RepairId> {
    tx.insert(
        "INSERT INTO repairs (reported_on, room, asset_id, prior_status, trade, description, urgent, reporter,
            status, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'reported', ?9, ?10) RETURNING id",
        &args![
            n.reported_on,
            n.room,
            n.asset.map(|a| a.0),
            n.asset.map(|a| a.1),
            n.trade,
            n.description,
            n.urgent,
            n.reporter,
            tx.operator(),
            at
        ],
    )
    .map(RepairId)
}

pub fn assign(tx: &Tx, id: RepairId, to: &str, on: NaiveDate) -> Result<()> {
    tx.exec(
        "UPDATE repairs SET status = 'assigned', assignee = ?1, assigned_on = ?2 WHERE id = ?3",
        &args![to, on, id],
    )?;
    Ok(())
}

pub fn visit(tx: &Tx, id: RepairId, on: NaiveDate) -> Result<()> {
    tx.exec("UPDATE repairs SET status = 'visited', visited_on = ?1 WHERE id = ?2", &args![on, id])?;
    Ok(())
}

pub fn close(
    tx: &Tx,
    id: RepairId,
    visited_on: NaiveDate,
    work: &str,
    cost: Fen,
    done_on: NaiveDate,
    scrap: bool,
) -> Result<()> {
    tx.exec(
        "UPDATE repairs SET status = 'done', visited_on = ?1, work = ?2, cost_fen = ?3, done_on = ?4,
            scrap_suggested = ?5 WHERE id = ?6",
        &args![visited_on, work, cost, done_on, scrap, id],
    )?;
    Ok(())
}

pub fn confirm(tx: &Tx, id: RepairId, on: NaiveDate) -> Result<()> {
    tx.exec("UPDATE repairs SET status = 'confirmed', confirmed_on = ?1 WHERE id = ?2", &args![on, id])?;
    Ok(())
}

pub fn cancel(tx: &Tx, id: RepairId, reason: &str, on: NaiveDate) -> Result<()> {
    tx.exec(
        "UPDATE repairs SET status = 'cancelled', cancel_reason = ?1, cancelled_on = ?2 WHERE id = ?3",
        &args![reason, on, id],
    )?;
    Ok(())
}
