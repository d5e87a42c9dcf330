//! Movements of assets: transfers between rooms, departments and custodians
//! (调拨), term handovers (期初交接 / 期末移交), and disposal (报废) with
//! approval levels chosen by value.
//!
//! Every movement is a dated record in `asset_transfers`; the card shows
//! where the thing is now. A disposal goes request → approval (the level
//! comes from the settings by original value, [`approval_level`]) →
//! disposal, and the asset leaves the books on the disposal date
//! (depreciation stops by the rule in force). A missing asset written off
//! after a stocktake is a disposal with method [`DisposalMethod::WriteOff`],
//! recorded in one step with its approver.
//!
//! Deliberately out: transfers to other schools as a two-sided procedure
//! (an outgoing transfer is a disposal with method 无偿调出), and multi-step
//! approval workflows: the approver's name and date are recorded, not routed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::placement::{record_transfer_in_tx, Placement, TransferKind};
use super::register::{self, Asset};
use super::settings::{self, ApprovalLevel};
use super::{limited, required, AssetId, AssetStatus, DisposalId};
use crate::db::{Db, Tx};
use crate::school::text_enum_sql;
use crate::store::{self, Conn};
use crate::{Error, Fen, Result};

/// One movement record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Transfer {
    pub id: i64,
    pub asset_id: AssetId,
    pub number: String,
    pub name: String,
    pub moved_on: NaiveDate,
    pub kind: TransferKind,
    pub kind_label: String,
    pub from: Placement,
    pub to: Placement,
    pub note: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A transfer of one or more assets, as the form sends it. Empty target
/// fields keep each asset's current value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TransferInput {
    pub asset_ids: Vec<AssetId>,
    pub moved_on: NaiveDate,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub to_room: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub to_department: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub to_custodian: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

/// A term handover of every asset on the books in one room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HandoverInput {
    pub room: String,
    /// [`TransferKind::HandoverStart`] or [`TransferKind::HandoverEnd`].
    pub kind: TransferKind,
    pub moved_on: NaiveDate,
    /// Who is responsible for the room's assets from now on.
    pub to_custodian: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

fn check_move_date(asset: &Asset, moved_on: NaiveDate, today: NaiveDate) -> Result<()> {
    if moved_on > today {
        return Err(Error::invalid(format!("调拨日期 {moved_on} 晚于今天,不能登记未来的调拨")));
    }
    if moved_on < asset.acquired_on {
        return Err(Error::invalid(format!(
            "调拨日期 {moved_on} 早于资产 {} 的取得日期 {}",
            asset.number, asset.acquired_on
        )));
    }
    if !asset.status.on_books() {
        return Err(Error::conflict(format!(
            "资产 {} 已{},不能调拨",
            asset.number,
            asset.status.label().trim_start_matches('已')
        )));
    }
    Ok(())
}

/// Moves the assets to a room / department / custodian on one date; one
/// record each, all in one transaction. Returns how many moved.
pub fn transfer(db: &mut Db, input: &TransferInput, today: NaiveDate) -> Result<usize> {
    if input.asset_ids.is_empty() {
        return Err(Error::invalid("请选择要调拨的资产"));
    }
    let to_room = limited(&input.to_room, "调入地点", 30)?;
    let to_department = limited(&input.to_department, "调入部门", 30)?;
    let to_custodian = limited(&input.to_custodian, "新责任人", 30)?;
    let note = limited(&input.note, "备注", 200)?;
    if to_room.is_empty() && to_department.is_empty() && to_custodian.is_empty() {
        return Err(Error::invalid("请填写调入地点、使用部门或新责任人中的至少一项"));
    }
    db.write(crate::auth::Job::Assets, |tx| {
        let mut moved = 0;
        for id in &input.asset_ids {
            let a = register::get(tx, *id, today)?;
            check_move_date(&a, input.moved_on, today)?;
            let from = a.placement();
            let pick = |new: &str, old: &str| if new.is_empty() { old.to_string() } else { new.to_string() };
            let to = Placement {
                room: pick(&to_room, &a.room),
                department: pick(&to_department, &a.department),
                custodian: pick(&to_custodian, &a.custodian),
            };
            if to == from {
                return Err(Error::invalid(format!("资产 {} 调拨前后的地点、部门和责任人都相同", a.number)));
            }
            record_transfer_in_tx(tx, *id, &from, &to, input.moved_on, TransferKind::Transfer, &note)?;
            moved += 1;
        }
        Ok(moved)
    })
}

/// Records a term handover: every asset on the books in the room gets a
/// record (the custodian's acknowledgement) and the new custodian. Returns
/// how many assets were handed over.
pub fn handover(db: &mut Db, input: &HandoverInput, today: NaiveDate) -> Result<usize> {
    if !matches!(input.kind, TransferKind::HandoverStart | TransferKind::HandoverEnd) {
        return Err(Error::invalid("交接类型应为 期初交接 或 期末移交"));
    }
    let room = required(&input.room, "交接的房间")?;
    let to_custodian = limited(&required(&input.to_custodian, "接收人(新责任人)")?, "接收人", 30)?;
    let note = limited(&input.note, "备注", 200)?;
    if input.moved_on > today {
        return Err(Error::invalid(format!("交接日期 {} 晚于今天", input.moved_on)));
    }
    db.write(crate::auth::Job::Assets, |tx| {
        let filter = register::AssetFilter { room: Some(room.clone()), ..Default::default() };
        let list = register::list(tx, &filter, today)?;
        if list.is_empty() {
            return Err(Error::invalid(format!("“{room}”没有在账的资产,无需交接")));
        }
        for a in &list {
            check_move_date(a, input.moved_on, today)?;
            let from = a.placement();
            let to = Placement { custodian: to_custodian.clone(), ..from.clone() };
            record_transfer_in_tx(tx, a.id, &from, &to, input.moved_on, input.kind, &note)?;
        }
        Ok(list.len())
    })
}

/// Movement records, newest first: of one asset, or all (up to `limit`).
pub fn transfers(conn: &Conn, asset: Option<AssetId>, limit: usize) -> Result<Vec<Transfer>> {
    store::assets::transfers::list(conn, asset, limit)
}

// ------------------------------------------------------------------ disposal

/// How an asset leaves the books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DisposalMethod {
    /// 报废
    Scrap,
    /// 出售
    Sale,
    /// 对外捐赠
    Donation,
    /// 无偿调出
    TransferOut,
    /// 盘亏核销: missing at a stocktake.
    WriteOff,
}
text_enum_sql!(DisposalMethod {
    Scrap => "scrap",
    Sale => "sale",
    Donation => "donation",
    TransferOut => "transfer_out",
    WriteOff => "write_off",
});

impl DisposalMethod {
    /// Every method, as forms offer them.
    pub const ALL: [DisposalMethod; 5] = [
        DisposalMethod::Scrap,
        DisposalMethod::Sale,
        DisposalMethod::Donation,
        DisposalMethod::TransferOut,
        DisposalMethod::WriteOff,
    ];

    /// The word in lists.
    pub fn label(self) -> &'static str {
        match self {
            DisposalMethod::Scrap => "报废",
            DisposalMethod::Sale => "出售",
            DisposalMethod::Donation => "对外捐赠",
            DisposalMethod::TransferOut => "无偿调出",
            DisposalMethod::WriteOff => "盘亏核销",
        }
    }
}

/// Where a disposal request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DisposalStatus {
    /// 待审批
    Requested,
    /// 已批准, waiting for the disposal itself.
    Approved,
    /// 已驳回: the asset went back to its earlier status.
    Rejected,
    /// 已处置: off the books.
    Disposed,
}
text_enum_sql!(DisposalStatus {
    Requested => "requested",
    Approved => "approved",
    Rejected => "rejected",
    Disposed => "disposed",
});

impl DisposalStatus {
    /// The word in lists.
    pub fn label(self) -> &'static str {
        match self {
            DisposalStatus::Requested => "待审批",
            DisposalStatus::Approved => "已批准",
            DisposalStatus::Rejected => "已驳回",
            DisposalStatus::Disposed => "已处置",
        }
    }
}

/// A disposal record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Disposal {
    pub id: DisposalId,
    pub asset_id: AssetId,
    pub number: String,
    pub name: String,
    pub room: String,
    pub method: DisposalMethod,
    pub method_label: String,
    pub reason: String,
    pub requested_on: NaiveDate,
    pub requested_by: String,
    /// 原值 and 净值 when requested.
    pub original: Fen,
    pub net: Fen,
    /// Who must approve, from the settings by original value.
    pub approval_level: String,
    pub status: DisposalStatus,
    pub status_label: String,
    pub approver: String,
    pub decided_on: Option<NaiveDate>,
    pub disposed_on: Option<NaiveDate>,
    /// Money received (sale, salvage).
    pub proceeds: Fen,
    pub note: String,
}

/// A disposal request as the form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DisposalRequest {
    pub asset_id: AssetId,
    pub method: DisposalMethod,
    pub reason: String,
    pub requested_on: NaiveDate,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

/// Who approves disposing of an asset of original value `value`: the highest
/// level whose lower bound it reaches; with the sentence that says why.
pub fn approval_level(levels: &[ApprovalLevel], value: Fen) -> (String, String) {
    let hit = levels.iter().rev().find(|l| value >= l.from).or(levels.first());
    match hit {
        Some(l) if l.from > Fen::ZERO => (
            l.level.clone(),
            format!("原值 {} 元,达到 {} 元,需{}", value.to_grouped_string(), l.from.to_grouped_string(), l.level),
        ),
        Some(l) => {
            let next = levels.iter().find(|n| n.from > Fen::ZERO);
            let below = next.map(|n| format!(",低于 {} 元", n.from.to_grouped_string())).unwrap_or_default();
            (l.level.clone(), format!("原值 {} 元{below},需{}", value.to_grouped_string(), l.level))
        }
        None => ("园长审批".into(), "未设置审批层级,按园长审批".into()),
    }
}

/// The asset's disposal state, refused with the reason if it cannot be disposed of.
fn check_disposable(tx: &Tx, a: &Asset) -> Result<()> {
    if !a.status.on_books() {
        let when = a.off_books_on.map(|d| format!("于 {d} ")).unwrap_or_default();
        return Err(Error::conflict(format!(
            "资产 {}({})已{when}{},不能再次报废或核销",
            a.number,
            a.name,
            a.status.label().trim_start_matches('已')
        )));
    }
    if let Some(open) = store::assets::disposals::open_status(tx, a.id)? {
        return Err(Error::conflict(format!("资产 {} 已有一份{}的报废申请,请先处理那一份", a.number, open.label())));
    }
    Ok(())
}

/// Files a disposal request; the asset becomes 待报废. Returns the request id.
pub fn request(db: &mut Db, req: &DisposalRequest, today: NaiveDate) -> Result<DisposalId> {
    db.write(crate::auth::Job::Assets, |tx| {
        let levels = settings::load(tx)?.approval_levels;
        request_in_tx(tx, req, today, &levels)
    })
}

/// [`request`] inside an open transaction, with the approval levels given.
pub fn request_in_tx(tx: &Tx, req: &DisposalRequest, today: NaiveDate, levels: &[ApprovalLevel]) -> Result<DisposalId> {
    let reason = limited(&required(&req.reason, "报废原因")?, "报废原因", 200)?;
    let note = limited(&req.note, "备注", 200)?;
    if req.method == DisposalMethod::WriteOff {
        return Err(Error::invalid("盘亏核销请在盘点结果中对盘亏资产办理"));
    }
    let a = register::get(tx, req.asset_id, today)?;
    check_disposable(tx, &a)?;
    if req.requested_on > today {
        return Err(Error::invalid(format!("申请日期 {} 晚于今天", req.requested_on)));
    }
    if req.requested_on < a.acquired_on {
        return Err(Error::invalid(format!("申请日期 {} 早于取得日期 {}", req.requested_on, a.acquired_on)));
    }
    let (level, _) = approval_level(levels, a.original);
    let id = store::assets::disposals::insert(
        tx,
        &store::assets::disposals::NewDisposal {
            asset_id: a.id,
            method: req.method,
            reason: &reason,
            requested_on: req.requested_on,
            prior_status: a.status,
            original: a.original,
            net: a.net,
            approval_level: &level,
            status: DisposalStatus::Requested,
            approver: "",
            decided_on: None,
            disposed_on: None,
            note: &note,
        },
    )?;
    store::assets::register::set_status(tx, a.id, AssetStatus::PendingDisposal)?;
    tx.audit("asset_disposal", id, "request", None, Some(&serde_json::json!(req)))?;
    tx.audit(
        "asset",
        a.id,
        "status",
        Some(&serde_json::json!(a.status)),
        Some(&serde_json::json!(AssetStatus::PendingDisposal)),
    )?;
    Ok(id)
}

/// Approves or rejects a request. A rejected request puts the asset back in
/// the status it had.
pub fn decide(
    db: &mut Db,
    id: DisposalId,
    approve: bool,
    approver: &str,
    decided_on: NaiveDate,
    note: &str,
    today: NaiveDate,
) -> Result<()> {
    db.write(crate::auth::Job::ApproveDisposal, |tx| decide_in_tx(tx, id, approve, approver, decided_on, note, today))
}

/// [`decide`] inside an open transaction.
pub fn decide_in_tx(
    tx: &Tx,
    id: DisposalId,
    approve: bool,
    approver: &str,
    decided_on: NaiveDate,
    note: &str,
    today: NaiveDate,
) -> Result<()> {
    let approver = limited(&required(approver, "审批人")?, "审批人", 30)?;
    let note = limited(note, "审批意见", 200)?;
    let d = get(tx, id)?;
    if d.status != DisposalStatus::Requested {
        return Err(Error::conflict(format!("这份报废申请{},不能再审批", d.status.label())));
    }
    if decided_on > today || decided_on < d.requested_on {
        return Err(Error::invalid(format!("审批日期应在申请日期 {} 与今天之间", d.requested_on)));
    }
    let status = if approve { DisposalStatus::Approved } else { DisposalStatus::Rejected };
    let merged =
        [d.note.as_str(), note.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(";");
    store::assets::disposals::decide(tx, id, status, &approver, decided_on, &merged)?;
    if !approve {
        let prior = store::assets::disposals::prior_status(tx, id)?;
        store::assets::register::set_status(tx, d.asset_id, prior)?;
        tx.audit(
            "asset",
            d.asset_id,
            "status",
            Some(&serde_json::json!(AssetStatus::PendingDisposal)),
            Some(&serde_json::json!(prior)),
        )?;
    }
    tx.audit(
        "asset_disposal",
        id,
        if approve { "approve" } else { "reject" },
        Some(&serde_json::json!(d.status)),
        Some(&serde_json::json!({ "approver": approver, "decided_on": decided_on, "note": note })),
    )
}

/// Records the disposal of an approved request: the asset leaves the books on
/// `disposed_on`. `proceeds` is the money received, as typed (may be empty).
pub fn complete(db: &mut Db, id: DisposalId, disposed_on: NaiveDate, proceeds: &str, today: NaiveDate) -> Result<()> {
    db.write(crate::auth::Job::Assets, |tx| complete_in_tx(tx, id, disposed_on, proceeds, today))
}

/// [`complete`] inside an open transaction.
pub fn complete_in_tx(tx: &Tx, id: DisposalId, disposed_on: NaiveDate, proceeds: &str, today: NaiveDate) -> Result<()> {
    let proceeds = if proceeds.trim().is_empty() { Fen::ZERO } else { Fen::parse(proceeds)? };
    if proceeds.is_negative() {
        return Err(Error::invalid("处置收入不能为负数"));
    }
    let d = get(tx, id)?;
    match d.status {
        DisposalStatus::Approved => {}
        DisposalStatus::Requested => return Err(Error::conflict("这份报废申请还没有审批,批准后才能处置")),
        other => return Err(Error::conflict(format!("这份报废申请{},不能再处置", other.label()))),
    }
    let decided = d.decided_on.unwrap_or(d.requested_on);
    if disposed_on > today || disposed_on < decided {
        return Err(Error::invalid(format!("处置日期应在审批日期 {decided} 与今天之间")));
    }
    store::assets::disposals::complete(tx, id, disposed_on, proceeds)?;
    take_off_books(tx, d.asset_id, AssetStatus::Disposed, disposed_on)?;
    tx.audit(
        "asset_disposal",
        id,
        "dispose",
        Some(&serde_json::json!(d.status)),
        Some(&serde_json::json!({ "disposed_on": disposed_on, "proceeds": proceeds })),
    )
}

fn take_off_books(tx: &Tx, asset: AssetId, status: AssetStatus, on: NaiveDate) -> Result<()> {
    let before = store::assets::register::status(tx, asset)?.ok_or_else(|| Error::not_found("资产", asset))?;
    store::assets::register::take_off_books(tx, asset, status, on)?;
    tx.audit(
        "asset",
        asset,
        "off_books",
        Some(&serde_json::json!({ "status": before })),
        Some(&serde_json::json!({ "status": status, "off_books_on": on })),
    )
}

/// Writes off a missing asset (盘亏核销) in one step, with its approver:
/// a disposal record with method write_off, the asset 已核销 from `on`.
pub fn write_off_in_tx(
    tx: &Tx,
    asset: AssetId,
    reason: &str,
    approver: &str,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<DisposalId> {
    let reason = limited(&required(reason, "核销原因")?, "核销原因", 200)?;
    let approver = limited(&required(approver, "审批人")?, "审批人", 30)?;
    let a = register::get(tx, asset, today)?;
    check_disposable(tx, &a)?;
    if on > today || on < a.acquired_on {
        return Err(Error::invalid(format!("核销日期应在取得日期 {} 与今天之间", a.acquired_on)));
    }
    let levels = settings::load(tx)?.approval_levels;
    let (level, _) = approval_level(&levels, a.original);
    let id = store::assets::disposals::insert(
        tx,
        &store::assets::disposals::NewDisposal {
            asset_id: a.id,
            method: DisposalMethod::WriteOff,
            reason: &reason,
            requested_on: on,
            prior_status: a.status,
            original: a.original,
            net: a.net,
            approval_level: &level,
            status: DisposalStatus::Disposed,
            approver: &approver,
            decided_on: Some(on),
            disposed_on: Some(on),
            note: "",
        },
    )?;
    tx.audit(
        "asset_disposal",
        id,
        "write_off",
        None,
        Some(&serde_json::json!({ "asset": a.number, "reason": reason, "approver": approver, "on": on })),
    )?;
    take_off_books(tx, a.id, AssetStatus::WrittenOff, on)?;
    Ok(id)
}

/// One disposal record.
pub fn get(conn: &Conn, id: DisposalId) -> Result<Disposal> {
    store::assets::disposals::get(conn, id)?.ok_or_else(|| Error::not_found("报废申请", id))
}

/// Disposal records, open ones first, then newest first; of one asset if given.
pub fn disposals(conn: &Conn, asset: Option<AssetId>) -> Result<Vec<Disposal>> {
    store::assets::disposals::list(conn, asset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::categories;
    use crate::assets::register::{add, AssetInput};
    use crate::assets::Acquisition;

    fn today() -> NaiveDate {
        "2025-10-15".parse().expect("date")
    }

    fn asset(db: &mut Db, number: &str, value: &str) -> AssetId {
        let cat = categories::find(db.conn(), "空调").expect("f").expect("c");
        let input = AssetInput {
            number: number.into(),
            name: "柜式空调".into(),
            category_id: cat.id,
            model: "格力 3P".into(),
            quantity: String::new(),
            unit: String::new(),
            room: "大一班".into(),
            department: "大班组".into(),
            custodian: "陈老师".into(),
            acquired_on: "2020-06-01".parse().expect("d"),
            acquisition: Acquisition::Purchase,
            supplier: String::new(),
            original_value: value.into(),
            life: String::new(),
            status: AssetStatus::InUse,
            note: String::new(),
        };
        add(db, &input, today()).expect("add")
    }

    #[test]
    fn approval_levels_are_chosen_by_value() {
        let levels = settings::default_levels();
        assert_eq!(approval_level(&levels, Fen::yuan(9_999)).0, "园长审批");
        assert!(approval_level(&levels, Fen::yuan(9_999)).1.contains("低于 10,000.00 元"));
        assert_eq!(approval_level(&levels, Fen::yuan(10_000)).0, "园务会议集体决定");
        assert_eq!(approval_level(&levels, Fen::yuan(80_000)).0, "报主管部门(教育局)审批");
        assert!(approval_level(&levels, Fen::yuan(80_000)).1.contains("达到 50,000.00 元"));
    }

    #[test]
    fn a_disposal_goes_request_approve_dispose_and_cannot_happen_twice() {
        let mut db = Db::open_scratch().expect("db");
        let id = asset(&mut db, "KT-1", "12000");
        let req = DisposalRequest {
            asset_id: id,
            method: DisposalMethod::Scrap,
            reason: "压缩机损坏,维修费用超过残值".into(),
            requested_on: "2025-10-01".parse().expect("d"),
            note: String::new(),
        };
        let d = request(&mut db, &req, today()).expect("request");
        assert_eq!(register::get(db.conn(), id, today()).expect("a").status, AssetStatus::PendingDisposal);
        assert_eq!(get(db.conn(), d).expect("d").approval_level, "园务会议集体决定");
        let msg = request(&mut db, &req, today()).expect_err("open").to_string();
        assert!(msg.contains("已有一份待审批的报废申请"), "{msg}");
        let msg = complete(&mut db, d, today(), "", today()).expect_err("not approved").to_string();
        assert!(msg.contains("还没有审批"), "{msg}");
        decide(&mut db, d, true, "园务会议", "2025-10-10".parse().expect("d"), "同意报废", today()).expect("approve");
        complete(&mut db, d, "2025-10-12".parse().expect("d"), "150", today()).expect("dispose");
        let a = register::get(db.conn(), id, today()).expect("a");
        assert_eq!((a.status, a.off_books_on), (AssetStatus::Disposed, Some("2025-10-12".parse().expect("d"))));
        // Disposing of it again: a clear message, nothing saved.
        let before = disposals(db.conn(), None).expect("disposals").len();
        let msg = request(&mut db, &req, today()).expect_err("again").to_string();
        assert!(msg.contains("已于 2025-10-12 报废,不能再次报废"), "{msg}");
        let after = disposals(db.conn(), None).expect("disposals").len();
        assert_eq!(before, after);
    }

    #[test]
    fn a_rejected_request_restores_the_status() {
        let mut db = Db::open_scratch().expect("db");
        let id = asset(&mut db, "KT-2", "5000");
        let d = request(
            &mut db,
            &DisposalRequest {
                asset_id: id,
                method: DisposalMethod::Sale,
                reason: "闲置".into(),
                requested_on: today(),
                note: String::new(),
            },
            today(),
        )
        .expect("request");
        decide(&mut db, d, false, "王园长", today(), "还能用", today()).expect("reject");
        assert_eq!(register::get(db.conn(), id, today()).expect("a").status, AssetStatus::InUse);
        assert_eq!(get(db.conn(), d).expect("d").status, DisposalStatus::Rejected);
    }

    #[test]
    fn transfers_and_handovers_are_dated_records() {
        let mut db = Db::open_scratch().expect("db");
        let a = asset(&mut db, "KT-3", "5000");
        let b = asset(&mut db, "KT-4", "5000");
        let n = transfer(
            &mut db,
            &TransferInput {
                asset_ids: vec![a],
                moved_on: "2025-09-01".parse().expect("d"),
                to_room: "多功能厅".into(),
                to_department: String::new(),
                to_custodian: String::new(),
                note: "调整布局".into(),
            },
            today(),
        )
        .expect("transfer");
        assert_eq!(n, 1);
        assert_eq!(register::get(db.conn(), a, today()).expect("a").room, "多功能厅");
        let n = handover(
            &mut db,
            &HandoverInput {
                room: "大一班".into(),
                kind: TransferKind::HandoverEnd,
                moved_on: today(),
                to_custodian: "刘老师".into(),
                note: String::new(),
            },
            today(),
        )
        .expect("handover");
        assert_eq!(n, 1);
        assert_eq!(register::get(db.conn(), b, today()).expect("b").custodian, "刘老师");
        let all = transfers(db.conn(), None, 10).expect("list");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].kind_label, "期末移交");
        let msg = transfer(
            &mut db,
            &TransferInput {
                asset_ids: vec![a],
                moved_on: "2026-01-01".parse().expect("d"),
                to_room: "办公室".into(),
                to_department: String::new(),
                to_custodian: String::new(),
                note: String::new(),
            },
            today(),
        )
        .expect_err("future")
        .to_string();
        assert!(msg.contains("晚于今天"), "{msg}");
    }
}
