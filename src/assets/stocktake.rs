//! Stocktakes (盘点): a session over all rooms or some, checked room by room.
//!
//! Starting a stocktake takes a snapshot of every card on the books in its
//! rooms (one line each: number, name, room, custodian, quantity, original and
//! net value as of the start date), so the report stays what it was even after
//! the register changes. Then, per room:
//! - [`scan`]: a USB scanner types the asset number and Enter. A number already
//!   counted in this stocktake warns and changes nothing; an asset whose card
//!   names another room returns [`ScanResult::OtherRoom`] (nothing recorded)
//!   and the UI asks whether it moved ([`OtherRoomChoice::Move`]) or is only
//!   passing through ([`OtherRoomChoice::Return`]); a number not on the
//!   register returns [`ScanResult::Unknown`] and the UI asks for a
//!   description to record it as surplus ([`record_surplus`]).
//! - [`tick`]: the same for an asset without a label, from the room's list.
//! - [`update_line`]: counted quantity (batch cards), damaged, note;
//!   [`mark_missing`], [`reset_line`].
//!
//! [`finish`] records every line still unchecked as missing. After that, the
//! book adjustments ([`adjust`], [`apply_moves`]) change the register, each as
//! one audited transaction: moves applied, missing items written off (with
//! approver) or kept for investigation, damaged items set to 维修/闲置,
//! surplus finds registered as new cards.
//!
//! [`never_checked`] lists the cards not found at any stocktake for the
//! number of months in the settings.
//!
//! Deliberately out: several people scanning the same room at once on
//! different PCs (the database serialises writes, so it works, but the screens
//! do not refresh each other), and partial write-offs of batch cards.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

use super::categories;
use super::movements;
use super::placement::{record_transfer_in_tx, Placement, TransferKind};
use super::reconcile::{reconcile, LineFacts, Outcome, Reconciliation};
use super::register::{self, AssetInput, NumberGen};
use super::{limited, required, settings, Acquisition, AssetId, AssetStatus, LineId, StocktakeId};
use crate::db::{now, Db, Tx};
use crate::school::text_enum_sql;
use crate::store::audit::AuditRow;
use crate::store::{self, Conn};
use crate::{Error, Fen, Result};

/// Open while counting; finished once the result is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum StocktakeStatus {
    /// 进行中
    Open,
    /// 已结束
    Finished,
}
text_enum_sql!(StocktakeStatus { Open => "open", Finished => "finished" });

impl StocktakeStatus {
    /// The word in lists.
    pub fn label(self) -> &'static str {
        match self {
            StocktakeStatus::Open => "进行中",
            StocktakeStatus::Finished => "已结束",
        }
    }
}

/// The book adjustment made for a line after the stocktake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    /// The card's room was changed to where it was found.
    Moved,
    /// Missing, written off (已核销).
    WrittenOff,
    /// Missing, kept on the books while someone looks for it.
    Investigating,
    /// Damaged: the card's status was changed (维修, 闲置).
    Status,
    /// Surplus: registered as a new card.
    Registered,
}
text_enum_sql!(AdjustmentKind {
    Moved => "moved",
    WrittenOff => "written_off",
    Investigating => "investigating",
    Status => "status",
    Registered => "registered",
});

impl AdjustmentKind {
    /// The word in lists.
    pub fn label(self) -> &'static str {
        match self {
            AdjustmentKind::Moved => "已调整存放地点",
            AdjustmentKind::WrittenOff => "已核销",
            AdjustmentKind::Investigating => "待查",
            AdjustmentKind::Status => "已修改使用状况",
            AdjustmentKind::Registered => "已登记入账",
        }
    }
}

/// One room of a stocktake and how far its count is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoomProgress {
    pub room: String,
    /// Cards whose card names this room.
    pub expected: i64,
    /// Of those, scanned, ticked or marked missing.
    pub checked: i64,
    /// Surplus finds recorded here.
    pub surplus: i64,
    /// When the room was marked done, and by whom.
    pub done_at: Option<String>,
    pub done_by: Option<String>,
}

/// A stocktake as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StocktakeSummary {
    pub id: StocktakeId,
    pub name: String,
    pub started_on: NaiveDate,
    pub finished_on: Option<NaiveDate>,
    pub status: StocktakeStatus,
    pub status_label: String,
    pub all_rooms: bool,
    pub note: String,
    pub started_by: String,
    pub rooms: Vec<RoomProgress>,
    pub expected: i64,
    pub checked: i64,
    pub surplus: i64,
}

/// One line as the room screen and the report show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LineView {
    pub id: LineId,
    /// `None` for a surplus find.
    pub asset_id: Option<AssetId>,
    pub number: String,
    pub name: String,
    pub category_code: String,
    pub category_name: String,
    pub model: String,
    pub unit: String,
    pub acquired_on: Option<NaiveDate>,
    pub book_room: String,
    pub department: String,
    pub custodian: String,
    pub book_qty: i64,
    pub original: Fen,
    pub net: Fen,
    pub found_room: Option<String>,
    pub counted_qty: i64,
    pub damaged: bool,
    pub scans: i64,
    pub checked_at: Option<String>,
    pub checked_by: Option<String>,
    pub note: String,
    pub outcome: Outcome,
    pub outcome_label: String,
    /// Batch cards: items counted beyond / short of the book quantity.
    pub extra_qty: i64,
    pub short_qty: i64,
    pub adjustment: Option<AdjustmentKind>,
    pub adjustment_label: Option<String>,
    pub adjusted_at: Option<String>,
    pub adjusted_by: Option<String>,
    pub adjustment_note: String,
}

impl LineView {
    fn facts(&self) -> LineFacts<'_> {
        LineFacts {
            book_room: Cow::Borrowed(&self.book_room),
            found_room: self.found_room.as_deref().map(Cow::Borrowed),
            custodian: Cow::Borrowed(&self.custodian),
            book_qty: self.book_qty,
            counted_qty: self.counted_qty,
            checked: self.checked_at.is_some(),
            damaged: self.damaged,
            original: self.original,
            net: self.net,
            surplus: self.asset_id.is_none(),
        }
    }
}

/// What starting a stocktake needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AssetStocktakeInput"))]
pub struct StocktakeInput {
    pub name: String,
    pub started_on: NaiveDate,
    /// Empty: every room with cards on the books.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub rooms: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

/// What the stocktaker decided about an asset found in another room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OtherRoomChoice {
    /// It lives here now: 位置不符, the card's room is changed when the moves are applied.
    Move,
    /// It is only passing through and goes back: counted as found in its own room.
    Return,
}

/// The answer to a scan, for the screen to show (and, for `OtherRoom` and
/// `Unknown`, to ask about).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScanResult {
    /// Counted (found here, or accepted as moved here, or returned).
    Found { line: Box<LineView>, message: String },
    /// Already counted in this stocktake: nothing changed.
    Duplicate { line: Box<LineView>, message: String },
    /// The card names another room: nothing recorded yet; ask move or return.
    OtherRoom {
        asset_id: AssetId,
        number: String,
        name: String,
        book_room: String,
        custodian: String,
        room: String,
        message: String,
    },
    /// Not on the register (or already off the books): nothing recorded;
    /// ask for a description to record it as surplus.
    Unknown { number: String, message: String },
}

/// A surplus find (盘盈) as the form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurplusInput {
    pub room: String,
    /// As scanned; may be empty for a thing without a label.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub number: String,
    /// What it is (名称/描述).
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub model: String,
    /// Empty means 1.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub quantity: String,
    /// Estimated value, as typed; empty means unknown (0).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub value: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

/// Changes to one line (only the fields given).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LineUpdate {
    /// 实盘数量 as typed.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub counted_qty: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub damaged: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: Option<String>,
}

/// A book adjustment after a finished stocktake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "StocktakeAdjustment"))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Adjustment {
    /// Move the card to where the thing was found.
    ApplyMove,
    /// Write the missing asset off, approved by `approver`, on `on`.
    WriteOff { reason: String, approver: String, on: NaiveDate },
    /// Keep the missing asset on the books for now.
    Investigate { note: String },
    /// Set a damaged asset's status (维修, 闲置 or 在用).
    SetStatus { status: AssetStatus },
    /// Register a surplus find as a new card.
    RegisterSurplus { input: Box<AssetInput> },
}

// ------------------------------------------------------------------ reading

/// Fills in a line's outcome and its label from its facts.
fn derive_outcome(v: &mut LineView, finished: bool) {
    let (outcome, (extra, short)) = {
        let facts = v.facts();
        (facts.outcome(finished), facts.extra_and_short())
    };
    v.outcome = outcome;
    v.extra_qty = extra;
    v.short_qty = short;
    v.outcome_label = if v.outcome == Outcome::Found && short > 0 {
        format!("部分盘亏(少 {short})")
    } else if extra > 0 {
        format!("{}(多 {extra})", v.outcome.label())
    } else {
        v.outcome.label().to_string()
    };
}

/// A line read from the store, with its outcome as the stocktake stands.
fn with_outcome(mut v: LineView, finished: bool) -> LineView {
    derive_outcome(&mut v, finished);
    v
}

fn status_of(conn: &Conn, id: StocktakeId) -> Result<StocktakeStatus> {
    store::assets::stocktakes::status(conn, id)?.ok_or_else(|| Error::not_found("盘点", id))
}

/// One stocktake with its rooms' progress.
pub fn get(conn: &Conn, id: StocktakeId) -> Result<StocktakeSummary> {
    let mut s = store::assets::stocktakes::get(conn, id)?.ok_or_else(|| Error::not_found("盘点", id))?;
    s.rooms = store::assets::stocktakes::rooms(conn, id)?;
    // Lines of cards outside the stocktake's rooms (found here from elsewhere) count too.
    (s.expected, s.checked, s.surplus) = store::assets::stocktakes::counts(conn, id)?;
    Ok(s)
}

/// Every stocktake, newest first.
pub fn list(conn: &Conn) -> Result<Vec<StocktakeSummary>> {
    store::assets::stocktakes::ids(conn)?.into_iter().map(|id| get(conn, id)).collect()
}

/// Every line of a stocktake, by room then number.
pub fn lines(conn: &Conn, id: StocktakeId) -> Result<Vec<LineView>> {
    let finished = status_of(conn, id)? == StocktakeStatus::Finished;
    let lines = store::assets::stocktake_lines::of_stocktake(conn, id)?;
    Ok(lines.into_iter().map(|l| with_outcome(l, finished)).collect())
}

/// The lines a room's screen shows: cards that name the room, things moved
/// into it, and surplus finds made in it.
pub fn room_lines(conn: &Conn, id: StocktakeId, room: &str) -> Result<Vec<LineView>> {
    let finished = status_of(conn, id)? == StocktakeStatus::Finished;
    let lines = store::assets::stocktake_lines::of_room(conn, id, room)?;
    Ok(lines.into_iter().map(|l| with_outcome(l, finished)).collect())
}

/// One line with its stocktake (every scan of a new line reads it back).
fn line(conn: &Conn, id: LineId) -> Result<(StocktakeId, LineView)> {
    let (stocktake, status, l) =
        store::assets::stocktake_lines::get(conn, id)?.ok_or_else(|| Error::not_found("盘点记录", id))?;
    Ok((stocktake, with_outcome(l, status == StocktakeStatus::Finished)))
}

/// The reconciliation of a stocktake (pure rule over its lines).
pub fn reconciliation(conn: &Conn, id: StocktakeId) -> Result<Reconciliation> {
    let s = get(conn, id)?;
    let all = lines(conn, id)?;
    let facts: Vec<LineFacts> = all.iter().map(LineView::facts).collect();
    let rooms: Vec<String> = s.rooms.iter().map(|r| r.room.clone()).collect();
    Ok(reconcile(&facts, &rooms, s.status == StocktakeStatus::Finished))
}

/// Everything the reconciliation report prints.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StocktakeReport {
    pub school: String,
    pub stocktake: StocktakeSummary,
    pub reconciliation: Reconciliation,
    /// Lines that are not simply 相符 (moved, damaged, missing, partly missing, surplus, unchecked).
    pub exceptions: Vec<LineView>,
    /// Lines with a book adjustment.
    pub adjustments: Vec<LineView>,
    /// Every line (the spreadsheet has them all).
    pub lines: Vec<LineView>,
}

/// The report's data.
pub fn report(conn: &Conn, id: StocktakeId) -> Result<StocktakeReport> {
    let stocktake = get(conn, id)?;
    let all = lines(conn, id)?;
    let facts: Vec<LineFacts> = all.iter().map(LineView::facts).collect();
    let rooms: Vec<String> = stocktake.rooms.iter().map(|r| r.room.clone()).collect();
    let reconciliation = reconcile(&facts, &rooms, stocktake.status == StocktakeStatus::Finished);
    let exceptions =
        all.iter().filter(|l| l.outcome != Outcome::Found || l.short_qty > 0 || l.extra_qty > 0).cloned().collect();
    let adjustments = all.iter().filter(|l| l.adjustment.is_some()).cloned().collect();
    let school = crate::school::profile::get(conn)?.map(|p| p.name).unwrap_or_default();
    Ok(StocktakeReport { school, stocktake, reconciliation, exceptions, adjustments, lines: all })
}

// ------------------------------------------------------------------ starting

/// Starts a stocktake over the given rooms (or all), taking a snapshot of the
/// cards on the books there. A room can be in only one open stocktake.
pub fn start(db: &mut Db, input: &StocktakeInput, today: NaiveDate) -> Result<StocktakeId> {
    db.write(crate::auth::Job::Assets, |tx| start_in_tx(tx, input, today))
}

/// [`start`] inside an open transaction (the demo uses it).
pub fn start_in_tx(tx: &Tx, input: &StocktakeInput, today: NaiveDate) -> Result<StocktakeId> {
    let name = limited(&required(&input.name, "盘点名称")?, "盘点名称", 40)?;
    let note = limited(&input.note, "备注", 200)?;
    if input.started_on > today {
        return Err(Error::invalid(format!("盘点日期 {} 晚于今天", input.started_on)));
    }
    let known: Vec<String> = register::rooms(tx)?.into_iter().map(|r| r.room).collect();
    if known.is_empty() {
        return Err(Error::invalid("资产账上还没有在账的资产,无需盘点"));
    }
    let all_rooms = input.rooms.iter().all(|r| r.trim().is_empty());
    let mut rooms: Vec<String> = if all_rooms {
        known.clone()
    } else {
        input.rooms.iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect()
    };
    rooms.sort();
    rooms.dedup();
    if let Some(unknown) = rooms.iter().find(|r| !known.contains(r)) {
        return Err(Error::invalid(format!("没有存放在“{unknown}”的在账资产,请检查房间名称")));
    }
    let busy = store::assets::stocktakes::rooms_being_counted(tx)?.into_iter().find(|(room, _)| rooms.contains(room));
    if let Some((room, other)) = busy {
        return Err(Error::conflict(format!("“{room}”正在盘点“{other}”中,请先结束那次盘点再开始新的")));
    }
    let id = store::assets::stocktakes::insert(tx, &name, input.started_on, all_rooms, &note, &rooms)?;
    let cards = register::list(tx, &register::AssetFilter::default(), input.started_on)?;
    // Cards acquired after the start date were not there to be counted.
    let counted = cards.iter().filter(|a| rooms.contains(&a.room) && a.acquired_on <= input.started_on);
    let lines = store::assets::stocktake_lines::insert_snapshots(tx, id, counted)?;
    tx.audit(
        "asset_stocktake",
        id,
        "start",
        None,
        Some(&serde_json::json!({ "name": name, "started_on": input.started_on, "rooms": rooms, "lines": lines })),
    )?;
    Ok(id)
}

/// Deletes an open stocktake in which nothing has been counted yet (started by mistake).
pub fn cancel(db: &mut Db, id: StocktakeId) -> Result<()> {
    db.write(crate::auth::Job::Assets, |tx| {
        let s = get(tx, id)?;
        if s.status != StocktakeStatus::Open {
            return Err(Error::conflict("已结束的盘点不能删除"));
        }
        if s.checked > 0 || s.surplus > 0 {
            return Err(Error::conflict("这次盘点已有扫描记录,不能删除;如不再继续,请结束盘点"));
        }
        store::assets::stocktakes::delete(tx, id)?;
        tx.audit("asset_stocktake", id, "delete", Some(&serde_json::json!({ "name": s.name })), None)
    })
}

// ------------------------------------------------------------------ counting

/// What a scan needs to know about its stocktake.
struct OpenRoom {
    started_on: NaiveDate,
}

/// Checks that the stocktake is open and covers `room`. Kept to one small
/// query: it runs on every single scan (once per batch in [`scan_many`]).
fn open_room(tx: &Tx, id: StocktakeId, room: &str) -> Result<OpenRoom> {
    open_in(store::assets::stocktakes::scope(tx, id, room)?, id, room)
}

/// What [`open_room`] checks, on a scope read already.
fn open_in(scope: Option<store::assets::stocktakes::Scope>, id: StocktakeId, room: &str) -> Result<OpenRoom> {
    let (name, status, started_on, in_scope) = scope.ok_or_else(|| Error::not_found("盘点", id))?;
    if status != StocktakeStatus::Open {
        return Err(Error::conflict(format!("盘点“{name}”已结束,不能再扫描或修改")));
    }
    if !in_scope {
        return Err(Error::invalid(format!("“{room}”不在盘点“{name}”的范围内")));
    }
    Ok(OpenRoom { started_on })
}

/// What the audit trail keeps of a line.
fn brief(l: &LineView) -> serde_json::Value {
    serde_json::json!({
        "number": l.number, "found_room": l.found_room, "counted_qty": l.counted_qty,
        "damaged": l.damaged, "checked": l.checked_at.is_some(), "note": l.note
    })
}

fn audit_line(tx: &Tx, before: Option<&LineView>, after: &LineView, action: &str) -> Result<()> {
    tx.audit("asset_stocktake_line", after.id, action, before.map(brief).as_ref(), Some(&brief(after)))
}

fn hhmm(at: &Option<String>) -> String {
    at.as_deref().and_then(|s| s.get(11..16)).unwrap_or("").to_string()
}

/// Records a scanned (or typed) asset number in `room`. See the module docs.
pub fn scan(
    db: &mut Db,
    id: StocktakeId,
    room: &str,
    number: &str,
    choice: Option<OtherRoomChoice>,
    today: NaiveDate,
) -> Result<ScanResult> {
    db.write(crate::auth::Job::Assets, |tx| scan_in_tx(tx, id, room, number, choice, today, now()))
}

/// [`scan`] inside an open transaction, recorded as checked at `at`.
pub fn scan_in_tx(
    tx: &Tx,
    id: StocktakeId,
    room: &str,
    number: &str,
    choice: Option<OtherRoomChoice>,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<ScanResult> {
    let number = scanned_number(number)?;
    let room = room.trim().to_string();
    let st = open_room(tx, id, &room)?;
    let at = checked_at(at);
    // Nearly every scan is of a card the stocktake has a line for: one read.
    let before = store::assets::stocktake_lines::of_number(tx, id, number)?;
    let mut pending = PendingScans::default();
    let result = scan_checked(tx, &st, id, &room, number, before, choice, today, &at, &mut pending)?;
    pending.flush(tx, &at)?;
    Ok(result)
}

/// The writes of scans of existing lines not sent yet: the lines' new counts
/// and their audit rows, sent together (one statement each per chunk) by
/// [`PendingScans::flush`]. Anything that reads or writes the stocktake
/// otherwise flushes them first, so every read sees the batch so far and
/// the audit rows stay in the order of the scans.
#[derive(Default)]
struct PendingScans {
    scans: Vec<store::assets::stocktake_lines::ScanWrite>,
    audits: Vec<AuditRow>,
    lines: HashSet<LineId>,
}

impl PendingScans {
    /// Queues a line's scan (a line already queued is sent first: a
    /// statement updates a line once).
    fn push(
        &mut self,
        tx: &Tx,
        at: &str,
        write: store::assets::stocktake_lines::ScanWrite,
        audit: AuditRow,
    ) -> Result<()> {
        if self.lines.contains(&write.line) {
            self.flush(tx, at)?;
        }
        self.lines.insert(write.line);
        self.scans.push(write);
        self.audits.push(audit);
        Ok(())
    }

    fn flush(&mut self, tx: &Tx, at: &str) -> Result<()> {
        if self.scans.is_empty() {
            return Ok(());
        }
        store::assets::stocktake_lines::record_scans(tx, at, &self.scans, &self.audits)?;
        self.scans.clear();
        self.audits.clear();
        self.lines.clear();
        Ok(())
    }
}

/// A scan's time as stored, formatted once per batch: to the microsecond,
/// what PostgreSQL keeps, so that the line a scan answers with is the line
/// as stored on either backend.
fn checked_at(at: NaiveDateTime) -> String {
    let at = at.with_nanosecond(at.nanosecond() / 1_000 * 1_000).unwrap_or(at);
    at.format("%F %T%.f").to_string()
}

/// A scanned number, trimmed, or why a label cannot hold it.
fn scanned_number(number: &str) -> Result<&str> {
    let number = number.trim();
    if number.is_empty() {
        return Err(Error::invalid("请扫描或输入资产编号"));
    }
    if let Err(why) = register::check_number(number) {
        return Err(Error::invalid(format!("{why}。如果用的是扫码枪,请检查是否开着中文输入法(扫码前切换到英文输入)")));
    }
    Ok(number)
}

/// One scan once the stocktake and room are known to be open ([`open_room`])
/// and the card's line, if the stocktake has one, was read (`before`, as it
/// stands with the scans of `pending`). The scan of an existing line is
/// queued in `pending`; anything else reads and writes at once (after
/// sending what is queued). Its outcome is derived only if it is answered
/// with as it is.
#[allow(clippy::too_many_arguments)]
fn scan_checked(
    tx: &Tx,
    st: &OpenRoom,
    id: StocktakeId,
    room: &str,
    number: &str,
    before: Option<LineView>,
    choice: Option<OtherRoomChoice>,
    today: NaiveDate,
    at: &str,
    pending: &mut PendingScans,
) -> Result<ScanResult> {
    let room = room.to_string();
    let asset_id = match before.as_ref().and_then(|b| b.asset_id) {
        Some(a) => a,
        None => {
            // The rare scan (a card without a line, an unknown number) reads
            // more: it must see the batch so far.
            pending.flush(tx, at)?;
            match register::on_books_id(tx, number)? {
                Some(a) => a,
                None => return unknown_number(tx, id, number, today),
            }
        }
    };
    // A card with no line yet (acquired after the start, or from a room
    // outside the stocktake) is read in full: its line is made from it.
    let card = match &before {
        Some(_) => None,
        None => Some(
            // The depreciation rule is read here, not with the stocktake: on a
            // server every read is a round trip, and most batches need none.
            register::find_by_number_with(tx, number, st.started_on, settings::rule(tx)?)?
                .ok_or_else(|| Error::not_found("资产编号", number))?,
        ),
    };
    let existing = before.as_ref().map(|b| b.id);
    if let Some(b) = &before {
        if b.scans > 0 && b.counted_qty > 0 {
            let where_ = b.found_room.clone().unwrap_or_else(|| b.book_room.clone());
            let message = format!(
                "{} {} 已经扫描过了({} 在“{}”计数),这次不重复计数",
                b.number,
                b.name,
                hhmm(&b.checked_at),
                where_
            );
            return Ok(ScanResult::Duplicate { line: Box::new(with_outcome(b.clone(), false)), message });
        }
    }
    // What the books say: the line's snapshot, else the card.
    let (number, name, custodian, book_room, book_qty) = match (&before, &card) {
        (Some(b), _) => (&b.number, &b.name, &b.custodian, b.book_room.clone(), b.book_qty),
        (None, Some(a)) => (&a.number, &a.name, &a.custodian, a.room.clone(), a.quantity),
        (None, None) => return Err(Error::not_found("资产编号", number)),
    };
    // Where it was found (when not its own room) and the line's new note (`None`: as it was).
    let (found_room, new_note) = if book_room == room {
        (None, None)
    } else {
        match choice {
            None => {
                let message = format!(
                    "{number} {name} 登记在“{book_room}”{},却在“{room}”扫到。是搬到这里了,还是临时放在这里?",
                    if custodian.is_empty() { String::new() } else { format!("(责任人 {custodian})") }
                );
                return Ok(ScanResult::OtherRoom {
                    asset_id,
                    number: number.clone(),
                    name: name.clone(),
                    book_room,
                    custodian: custodian.clone(),
                    room,
                    message,
                });
            }
            Some(OtherRoomChoice::Move) => (Some(room.clone()), Some(String::new())),
            Some(OtherRoomChoice::Return) => (None, Some(format!("在“{room}”发现,已送回“{book_room}”"))),
        }
    };
    let line_id = match (existing, &card) {
        (Some(l), _) => l,
        (None, Some(a)) => store::assets::stocktake_lines::insert_snapshot(tx, id, a)?,
        (None, None) => return Err(Error::not_found("资产编号", number)),
    };
    let note = new_note.as_deref().or(before.as_ref().map(|b| b.note.as_str())).unwrap_or("");
    let write = store::assets::stocktake_lines::ScanWrite {
        line: line_id,
        found_room: found_room.clone(),
        counted: book_qty,
        note: note.to_string(),
    };
    let audit_before = before.as_ref().map(brief);
    // The line as written: the line read before, changed (a scan must stay
    // cheap), or re-read when it is new.
    let after = match before {
        Some(mut l) => {
            l.found_room = found_room;
            l.counted_qty = book_qty;
            l.scans += 1;
            l.checked_at = Some(at.to_string());
            l.checked_by = Some(tx.operator().to_string());
            if let Some(n) = new_note {
                l.note = n;
            }
            derive_outcome(&mut l, false);
            let audit = AuditRow {
                entity: "asset_stocktake_line",
                entity_id: l.id.to_string(),
                action: "scan",
                before: audit_before,
                after: Some(brief(&l)),
            };
            pending.push(tx, at, write, audit)?;
            l
        }
        None => {
            store::assets::stocktake_lines::record_scans(tx, at, &[write], &[])?;
            let after = line(tx, line_id)?.1;
            tx.audit("asset_stocktake_line", after.id, "scan", audit_before.as_ref(), Some(&brief(&after)))?;
            after
        }
    };
    let message = match (&after.found_room, choice) {
        (Some(_), _) => format!(
            "已记为位置不符:{} {} 登记在“{book_room}”,现在在“{room}”;盘点结束后可调整存放地点",
            after.number, after.name
        ),
        (None, Some(OtherRoomChoice::Return)) => {
            format!("已记为在“{book_room}”找到:{} {}(请送回原处)", after.number, after.name)
        }
        _ if after.book_qty > 1 => format!(
            "已找到:{} {},账面 {} {};如数量不符,请修改实盘数量",
            after.number, after.name, after.book_qty, after.unit
        ),
        _ => format!("已找到:{} {}", after.number, after.name),
    };
    Ok(ScanResult::Found { line: Box::new(after), message })
}

/// Many scans in one transaction: scans queued on the room screen while the
/// previous one was saved (a fast scanner), a scanner's offline memory
/// uploaded as a list, or the command line. Each number is handled as
/// [`scan`] handles it and gets its own answer (duplicate, other room,
/// unknown); the stocktake and room are checked once and the statements are
/// reused, which is what makes 5,000 scans cheap. With `surplus` given,
/// numbers not on the register are recorded as surplus finds under that
/// description. If any number is refused (a typo with characters a label
/// cannot have), nothing is recorded.
pub fn scan_many(
    db: &mut Db,
    id: StocktakeId,
    room: &str,
    numbers: &[String],
    choice: Option<OtherRoomChoice>,
    surplus: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<ScanResult>> {
    db.write(crate::auth::Job::Assets, |tx| {
        let at = now();
        let at_text = checked_at(at);
        let room = room.trim();
        let numbers = numbers.iter().map(|n| scanned_number(n)).collect::<Result<Vec<&str>>>();
        // The lines of the batch's cards, read at once (with the check that
        // the stocktake is open in this room: on a server, in one flight)
        // and kept as the scans change them (numbers ignore ASCII case, as
        // the register does). Nothing is read for a batch with a typo in it.
        let (scope, lines) = store::assets::stocktakes::scope_ahead_of(tx, id, room, || match &numbers {
            Ok(numbers) => store::assets::stocktake_lines::of_numbers(tx, id, numbers),
            Err(_) => Ok(Vec::new()),
        })?;
        let st = open_in(scope, id, room)?;
        let numbers = numbers?;
        let mut lines: HashMap<String, LineView> =
            lines.into_iter().map(|(number, line)| (number.to_ascii_uppercase(), line)).collect();
        let mut pending = PendingScans::default();
        let mut out = Vec::with_capacity(numbers.len());
        for n in numbers {
            let key = n.to_ascii_uppercase();
            let before = lines.get(&key).cloned();
            let mut r = scan_checked(tx, &st, id, room, n, before, choice, today, &at_text, &mut pending)?;
            if let (ScanResult::Found { line, .. } | ScanResult::Duplicate { line, .. }, Some(known)) =
                (&r, lines.get_mut(&key))
            {
                if known.id == line.id {
                    *known = (**line).clone();
                }
            }
            if let (ScanResult::Unknown { number, .. }, Some(name)) = (&r, surplus) {
                pending.flush(tx, &at_text)?;
                let input = SurplusInput {
                    room: room.to_string(),
                    number: number.clone(),
                    name: name.to_string(),
                    model: String::new(),
                    quantity: String::new(),
                    value: String::new(),
                    note: String::new(),
                };
                let line = add_surplus(tx, id, &input, today, at, Known::UnknownNumberInOpenRoom)?;
                let message = format!("已记为盘盈:{} {}", line.number, line.name);
                r = ScanResult::Found { line: Box::new(line), message };
            }
            out.push(r);
        }
        pending.flush(tx, &at_text)?;
        Ok(out)
    })
}

/// The surplus line already recorded for `number` (any case) in this stocktake.
fn surplus_line(tx: &Tx, id: StocktakeId, number: &str) -> Result<Option<LineId>> {
    store::assets::stocktake_lines::surplus_with_number(tx, id, number)
}

fn unknown_number(tx: &Tx, id: StocktakeId, number: &str, today: NaiveDate) -> Result<ScanResult> {
    let surplus = surplus_line(tx, id, number)?;
    if let Some(l) = surplus {
        let l = line(tx, l)?.1;
        let message =
            format!("编号 {} 已记为盘盈({} 在“{}”登记),这次不重复计数", l.number, hhmm(&l.checked_at), l.book_room);
        return Ok(ScanResult::Duplicate { line: Box::new(l), message });
    }
    let off = register::find_by_number(tx, number, today)?;
    let message = match off {
        Some(a) => format!(
            "编号 {} 的资产“{}”已于 {} {},不在账上。如果它仍在使用,请记为盘盈并说明情况。",
            a.number,
            a.name,
            a.off_books_on.map(|d| d.to_string()).unwrap_or_default(),
            a.status.label().trim_start_matches('已')
        ),
        None => format!("编号 {number} 不在资产账上。如果这是本园的物品,请填写名称,记为盘盈。"),
    };
    Ok(ScanResult::Unknown { number: number.to_string(), message })
}

/// Ticks an asset from the room's list (no label to scan): the same as
/// scanning its number in `room`.
pub fn tick(
    db: &mut Db,
    line_id: LineId,
    room: &str,
    choice: Option<OtherRoomChoice>,
    today: NaiveDate,
) -> Result<ScanResult> {
    db.write(crate::auth::Job::Assets, |tx| {
        let (id, l) = line(tx, line_id)?;
        if l.asset_id.is_none() {
            return Err(Error::invalid("盘盈记录不需要勾选"));
        }
        scan_in_tx(tx, id, room, &l.number, choice, today, now())
    })
}

/// Records a surplus find (盘盈) in `input.room`.
pub fn record_surplus(db: &mut Db, id: StocktakeId, input: &SurplusInput, today: NaiveDate) -> Result<LineView> {
    db.write(crate::auth::Job::Assets, |tx| record_surplus_in_tx(tx, id, input, today, now()))
}

/// [`record_surplus`] inside an open transaction, recorded at `at`.
pub fn record_surplus_in_tx(
    tx: &Tx,
    id: StocktakeId,
    input: &SurplusInput,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<LineView> {
    add_surplus(tx, id, input, today, at, Known::Nothing)
}

/// What the caller of [`add_surplus`] has read in its transaction already.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    Nothing,
    /// The room is open in the stocktake, and the number is neither on the
    /// books nor recorded as surplus (a batch's scan answered `Unknown`).
    UnknownNumberInOpenRoom,
}

fn add_surplus(
    tx: &Tx,
    id: StocktakeId,
    input: &SurplusInput,
    today: NaiveDate,
    at: NaiveDateTime,
    known: Known,
) -> Result<LineView> {
    let room = input.room.trim().to_string();
    let name = limited(&required(&input.name, "物品名称(描述)")?, "物品名称", 50)?;
    let model = limited(&input.model, "规格型号", 60)?;
    let note = limited(&input.note, "备注", 200)?;
    let number = register::check_number(&input.number).map_err(Error::Invalid)?;
    let quantity = match input.quantity.trim() {
        "" => 1,
        q => q
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| Error::invalid(format!("数量“{q}”无效,请填写正整数")))?,
    };
    let value = if input.value.trim().is_empty() { Fen::ZERO } else { Fen::parse(&input.value)? };
    if value.is_negative() {
        return Err(Error::invalid("估计价值不能为负数"));
    }
    if known == Known::Nothing {
        open_room(tx, id, &room)?;
    }
    if !number.is_empty() && known == Known::Nothing {
        if let Some(a) = register::find_by_number(tx, &number, today)? {
            if a.status.on_books() {
                return Err(Error::conflict(format!(
                    "编号 {} 在资产账上(“{}”),请直接扫描,不要记为盘盈",
                    a.number, a.name
                )));
            }
        }
        if surplus_line(tx, id, &number)?.is_some() {
            return Err(Error::conflict(format!("编号 {number} 已记为盘盈,不要重复登记")));
        }
    }
    let new = store::assets::stocktake_lines::NewSurplus {
        number: &number,
        name: &name,
        model: &model,
        room: &room,
        value,
        quantity,
        note: &note,
        at,
    };
    let line_id = store::assets::stocktake_lines::insert_surplus(tx, id, &new)?;
    let after = line(tx, line_id)?.1;
    audit_line(tx, None, &after, "surplus")?;
    Ok(after)
}

fn open_line(tx: &Tx, line_id: LineId) -> Result<LineView> {
    let (id, l) = line(tx, line_id)?;
    let s = get(tx, id)?;
    if s.status != StocktakeStatus::Open {
        return Err(Error::conflict(format!("盘点“{}”已结束,不能再修改盘点结果", s.name)));
    }
    Ok(l)
}

/// Changes a line's counted quantity, damaged flag or note. Setting a
/// quantity also counts the line as checked.
pub fn update_line(db: &mut Db, line_id: LineId, change: &LineUpdate) -> Result<LineView> {
    db.write(crate::auth::Job::Assets, |tx| update_line_in_tx(tx, line_id, change, now()))
}

/// [`update_line`] inside an open transaction.
pub fn update_line_in_tx(tx: &Tx, line_id: LineId, change: &LineUpdate, at: NaiveDateTime) -> Result<LineView> {
    let before = open_line(tx, line_id)?;
    let mut counted = before.counted_qty;
    let mut checked = before.checked_at.is_some();
    if let Some(q) = &change.counted_qty {
        let t = q.trim();
        counted = t
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=100_000).contains(n))
            .ok_or_else(|| Error::invalid(format!("实盘数量“{t}”无效,请填写 0 或正整数")))?;
        if before.asset_id.is_none() && counted == 0 {
            return Err(Error::invalid("盘盈物品的数量至少为 1;登记错了请删除这条盘盈记录"));
        }
        checked = true;
    }
    let damaged = change.damaged.unwrap_or(before.damaged);
    if damaged && before.asset_id.is_none() {
        return Err(Error::invalid("盘盈物品不能标记为损坏,请在备注中说明"));
    }
    if damaged && !checked {
        // Marking damaged means someone saw it.
        counted = before.book_qty;
        checked = true;
    }
    let note = match &change.note {
        Some(n) => limited(n, "备注", 200)?,
        None => before.note.clone(),
    };
    store::assets::stocktake_lines::update_count(tx, line_id, counted, damaged, &note, checked, at)?;
    let after = line(tx, line_id)?.1;
    audit_line(tx, Some(&before), &after, "update")?;
    Ok(after)
}

/// Records that the asset was looked for and not found (盘亏).
pub fn mark_missing(db: &mut Db, line_id: LineId) -> Result<LineView> {
    db.write(crate::auth::Job::Assets, |tx| {
        let before = open_line(tx, line_id)?;
        if before.asset_id.is_none() {
            return Err(Error::invalid("盘盈记录不能标记为盘亏;登记错了请删除这条盘盈记录"));
        }
        store::assets::stocktake_lines::mark_missing(tx, line_id, now())?;
        let after = line(tx, line_id)?.1;
        audit_line(tx, Some(&before), &after, "missing")?;
        Ok(after)
    })
}

/// Undoes a scan, tick or mark (the line is unchecked again); a surplus
/// record is deleted.
pub fn reset_line(db: &mut Db, line_id: LineId) -> Result<()> {
    db.write(crate::auth::Job::Assets, |tx| {
        let before = open_line(tx, line_id)?;
        if before.asset_id.is_none() {
            store::assets::stocktake_lines::delete(tx, line_id)?;
            return tx.audit("asset_stocktake_line", line_id, "delete_surplus", Some(&serde_json::json!(before)), None);
        }
        store::assets::stocktake_lines::reset(tx, line_id)?;
        let after = line(tx, line_id)?.1;
        audit_line(tx, Some(&before), &after, "reset")
    })
}

/// Marks a room's count complete (or reopens it).
pub fn set_room_done(db: &mut Db, id: StocktakeId, room: &str, done: bool) -> Result<()> {
    db.write(crate::auth::Job::Assets, |tx| {
        open_room(tx, id, room)?;
        store::assets::stocktakes::set_room_done(tx, id, room, done.then(|| (now(), tx.operator())))?;
        tx.audit(
            "asset_stocktake",
            id,
            if done { "room_done" } else { "room_reopen" },
            None,
            Some(&serde_json::json!(room)),
        )
    })
}

/// Ends the count: every unchecked line is recorded as missing, and the
/// stocktake is finished on `on`. Returns the reconciliation.
pub fn finish(db: &mut Db, id: StocktakeId, on: NaiveDate, today: NaiveDate) -> Result<Reconciliation> {
    // A copy of the file first, so the change can be undone (a local file only).
    crate::backup::before(db, crate::backup::Reason::Stocktake)?;
    db.write(crate::auth::Job::Assets, |tx| finish_in_tx(tx, id, on, today, now()))
}

/// [`finish`] inside an open transaction; unchecked lines are recorded missing at `at`.
pub fn finish_in_tx(
    tx: &Tx,
    id: StocktakeId,
    on: NaiveDate,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<Reconciliation> {
    let s = get(tx, id)?;
    if s.status != StocktakeStatus::Open {
        return Err(Error::conflict(format!("盘点“{}”已经结束了", s.name)));
    }
    if on > today || on < s.started_on {
        return Err(Error::invalid(format!("结束日期应在开始日期 {} 与今天之间", s.started_on)));
    }
    let missing = store::assets::stocktake_lines::record_unchecked_missing(tx, id, at)?;
    store::assets::stocktakes::finish(tx, id, on)?;
    tx.audit(
        "asset_stocktake",
        id,
        "finish",
        Some(&serde_json::json!({ "status": "open" })),
        Some(&serde_json::json!({ "status": "finished", "finished_on": on, "unchecked_recorded_missing": missing })),
    )?;
    reconciliation(tx, id)
}

// ------------------------------------------------------------------ adjustments

fn finished_line(tx: &Tx, line_id: LineId) -> Result<LineView> {
    let (id, l) = line(tx, line_id)?;
    if status_of(tx, id)? != StocktakeStatus::Finished {
        return Err(Error::conflict("盘点还没有结束:请先结束盘点,再调整账面"));
    }
    if let Some(done) = l.adjustment {
        if done != AdjustmentKind::Investigating {
            return Err(Error::conflict(format!("{} {} 已经调整过了({})", l.number, l.name, done.label())));
        }
    }
    Ok(l)
}

fn mark_adjusted(tx: &Tx, l: &LineView, kind: AdjustmentKind, note: &str) -> Result<()> {
    store::assets::stocktake_lines::set_adjustment(tx, l.id, kind, now(), note)?;
    tx.audit(
        "asset_stocktake_line",
        l.id,
        "adjust",
        l.adjustment.map(|a| serde_json::json!(a)).as_ref(),
        Some(&serde_json::json!({ "adjustment": kind, "note": note, "number": l.number })),
    )
}

/// Makes one book adjustment for a line of a finished stocktake, in one
/// audited transaction.
pub fn adjust(db: &mut Db, line_id: LineId, adjustment: &Adjustment, today: NaiveDate) -> Result<()> {
    db.write(crate::auth::Job::Assets, |tx| adjust_in_tx(tx, line_id, adjustment, today))
}

fn adjust_in_tx(tx: &Tx, line_id: LineId, adjustment: &Adjustment, today: NaiveDate) -> Result<()> {
    let l = finished_line(tx, line_id)?;
    let asset = match l.asset_id {
        Some(a) => Some(register::get(tx, a, today)?),
        None => None,
    };
    let on_books = |what: &str| -> Result<&register::Asset> {
        match &asset {
            Some(a) if a.status.on_books() => Ok(a),
            Some(a) => Err(Error::conflict(format!(
                "资产 {} 已{},不能再{what}",
                a.number,
                a.status.label().trim_start_matches('已')
            ))),
            None => Err(Error::invalid(format!("盘盈记录不能{what}"))),
        }
    };
    match adjustment {
        Adjustment::ApplyMove => {
            let a = on_books("调整存放地点")?;
            let (Outcome::Moved, Some(to_room)) = (l.outcome, l.found_room.clone()) else {
                return Err(Error::invalid(format!("{} 不是位置不符的资产", l.number)));
            };
            let from = a.placement();
            let to = Placement { room: to_room.clone(), ..from.clone() };
            let note = format!("盘点发现在“{to_room}”");
            if from != to {
                record_transfer_in_tx(tx, a.id, &from, &to, today, TransferKind::Stocktake, &note)?;
            }
            mark_adjusted(tx, &l, AdjustmentKind::Moved, &format!("{} → {}", from.room, to_room))
        }
        Adjustment::WriteOff { reason, approver, on } => {
            let a = on_books("核销")?;
            if l.outcome != Outcome::Missing {
                let why = if l.short_qty > 0 {
                    "批量卡片部分盘亏不能整张核销:请修改卡片数量和原值,或对少的部分办理报废"
                } else {
                    "只有盘亏的资产才能核销"
                };
                return Err(Error::invalid(format!("{}:{why}", l.number)));
            }
            let d = movements::write_off_in_tx(tx, a.id, reason, approver, *on, today)?;
            mark_adjusted(
                tx,
                &l,
                AdjustmentKind::WrittenOff,
                &format!("{};审批人 {};核销单 {d}", reason.trim(), approver.trim()),
            )
        }
        Adjustment::Investigate { note } => {
            on_books("记为待查")?;
            if l.outcome != Outcome::Missing && l.short_qty == 0 {
                return Err(Error::invalid(format!("{} 没有盘亏,无需待查", l.number)));
            }
            let note = limited(&required(note, "待查说明")?, "待查说明", 200)?;
            mark_adjusted(tx, &l, AdjustmentKind::Investigating, &note)
        }
        Adjustment::SetStatus { status } => {
            let a = on_books("修改使用状况")?;
            if !status.editable() {
                return Err(Error::invalid("使用状况只能改为 在用、闲置 或 维修;报废请在「报废」中申请"));
            }
            if a.status == AssetStatus::PendingDisposal {
                return Err(Error::conflict(format!("资产 {} 有未完成的报废申请", a.number)));
            }
            store::assets::register::set_status(tx, a.id, *status)?;
            tx.audit("asset", a.id, "status", Some(&serde_json::json!(a.status)), Some(&serde_json::json!(status)))?;
            mark_adjusted(tx, &l, AdjustmentKind::Status, &format!("{} → {}", a.status.label(), status.label()))
        }
        Adjustment::RegisterSurplus { input } => {
            if l.asset_id.is_some() {
                return Err(Error::invalid(format!("{} 已在账上,不是盘盈", l.number)));
            }
            let mut input = (**input).clone();
            if input.number.trim().is_empty() {
                input.number = l.number.clone();
            }
            input.acquisition = Acquisition::Surplus;
            let cat = categories::get(tx, input.category_id).ok();
            let checked = match register::check_input(&input, cat.as_ref(), today, 0, &mut |n| {
                register::number_taken(tx, n, None)
            })? {
                Ok(c) => c,
                Err(problems) => return register::rejected(problems),
            };
            let mut numbers = NumberGen::new(&settings::load(tx)?)?;
            let (_, number) = register::insert_in_tx(tx, &checked, &mut numbers)?;
            mark_adjusted(tx, &l, AdjustmentKind::Registered, &format!("登记为 {number}"))
        }
    }
}

/// Applies every accepted move of a finished stocktake not yet applied.
/// Returns how many cards moved.
pub fn apply_moves(db: &mut Db, id: StocktakeId, today: NaiveDate) -> Result<usize> {
    db.write(crate::auth::Job::Assets, |tx| {
        if status_of(tx, id)? != StocktakeStatus::Finished {
            return Err(Error::conflict("盘点还没有结束:请先结束盘点,再调整账面"));
        }
        let moved: Vec<LineId> = lines(tx, id)?
            .into_iter()
            .filter(|l| l.outcome == Outcome::Moved && l.adjustment.is_none())
            .map(|l| l.id)
            .collect();
        for l in &moved {
            adjust_in_tx(tx, *l, &Adjustment::ApplyMove, today)?;
        }
        Ok(moved.len())
    })
}

// ------------------------------------------------------------------ history

/// A card not found at a stocktake recently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NotChecked {
    pub asset: register::Asset,
    /// The last day it was found (scanned, ticked), if ever.
    pub last_checked: Option<NaiveDate>,
    /// The stocktake that last found it.
    pub last_stocktake: Option<String>,
}

/// Cards on the books never found at a stocktake, or not for
/// `assets.check_interval_months` months, never-checked first.
pub fn never_checked(conn: &Conn, today: NaiveDate) -> Result<Vec<NotChecked>> {
    let months = settings::load(conn)?.check_interval_months;
    let cutoff = today.checked_sub_months(chrono::Months::new(months)).unwrap_or(today);
    // Oldest first: the last time each card was found stays.
    let last: std::collections::HashMap<AssetId, (NaiveDate, String)> = store::assets::stocktake_lines::found(conn)?
        .into_iter()
        .map(|(asset, at, name)| (asset, (at.date(), name)))
        .collect();
    let mut out: Vec<NotChecked> = register::list(conn, &register::AssetFilter::default(), today)?
        .into_iter()
        .filter_map(|asset| {
            let seen = last.get(&asset.id).cloned();
            match seen {
                Some((day, _)) if day >= cutoff => None,
                Some((day, name)) => Some(NotChecked { asset, last_checked: Some(day), last_stocktake: Some(name) }),
                None => Some(NotChecked { asset, last_checked: None, last_stocktake: None }),
            }
        })
        .collect();
    out.sort_by(|a, b| a.last_checked.cmp(&b.last_checked).then_with(|| a.asset.room.cmp(&b.asset.room)));
    Ok(out)
}

/// One stocktake's verdict on one card, for the card's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckRecord {
    pub stocktake_id: StocktakeId,
    pub stocktake: String,
    pub started_on: NaiveDate,
    pub outcome: Outcome,
    pub outcome_label: String,
    pub room: String,
    pub checked_at: Option<String>,
    pub adjustment_label: Option<String>,
}

/// What every stocktake said about a card, newest first.
pub fn history(conn: &Conn, asset: AssetId) -> Result<Vec<CheckRecord>> {
    Ok(store::assets::stocktake_lines::of_card(conn, asset)?
        .into_iter()
        .map(|c| {
            let mut v = with_outcome(c.line, false);
            if c.status == StocktakeStatus::Finished && v.outcome == Outcome::Unchecked {
                v.outcome = Outcome::Missing;
                v.outcome_label = Outcome::Missing.label().into();
            }
            CheckRecord {
                stocktake_id: c.stocktake_id,
                stocktake: c.stocktake,
                started_on: c.started_on,
                outcome: v.outcome,
                outcome_label: v.outcome_label,
                room: v.found_room.unwrap_or(v.book_room),
                checked_at: v.checked_at,
                adjustment_label: v.adjustment_label,
            }
        })
        .collect())
}
