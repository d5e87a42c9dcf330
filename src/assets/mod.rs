//! Fixed assets (固定资产): the asset keeper's register, labels, stocktakes,
//! transfers, disposals and depreciation — keeping 账、卡、物 in agreement.
//!
//! What is in:
//! - [`categories`]: categories with GB/T 14885-2022-style codes and default
//!   useful lives (the common kindergarten ones ship with the schema).
//! - [`register`]: asset cards (one per asset, or a batch card for identical
//!   cheap items), numbers generated from a pattern, the capitalisation advice
//!   (低值易耗品 below the threshold), list with filters.
//! - [`depreciation`]: the pure straight-line rule (government: from the month
//!   of acquisition; enterprise: from the next month) with its explanation,
//!   and the monthly depreciation report.
//! - [`stocktake`]: sessions per room — scan or tick, duplicate warnings, the
//!   other-room prompt, surplus finds — and the audited book adjustments after it;
//!   the never-checked list.
//! - [`reconcile`]: the pure reconciliation (counts, values, match rate, explanation).
//! - [`movements`]: transfers, term handovers, disposal with value-based approval;
//!   [`placement`]: where a card is and the audited record of each move.
//! - [`settings`]: every school-specific number of this job (pattern,
//!   thresholds, rule, approval levels, check interval, label sheet).
//! - [`io`]: import from and export to .xlsx; [`print`](mod@print): label sheet,
//!   reconciliation report and depreciation report PDFs; [`qr`]: QR codes.
//!
//! What is deliberately out: residual values, revaluation, impairment, partial
//! disposal of a batch card (split the card first by editing its quantity and
//! registering the rest), accounting vouchers (记账凭证), and a separate table
//! of rooms: a room (存放地点) is the text on the cards, and the rooms of a
//! stocktake are the rooms its assets were in when it started.
//!
//! Every change to the register, a stocktake or a disposal runs in one
//! transaction with an audit entry, and reads what it checks through that
//! transaction; reads take a `&Conn`. The SQL is in `store::assets`.

pub mod categories;
pub mod depreciation;
pub mod io;
pub mod movements;
pub mod placement;
pub mod print;
pub mod qr;
pub mod reconcile;
pub mod register;
pub mod settings;
pub mod stocktake;

use serde::{Deserialize, Serialize};

use crate::school::{id_type, text_enum_sql};

id_type!(
    /// An asset card (资产卡片).
    AssetId
);
id_type!(
    /// An asset category (资产类别).
    CategoryId
);
id_type!(
    /// A stocktake session (盘点).
    StocktakeId
);
id_type!(
    /// One line of a stocktake: an asset expected or seen, or a surplus find.
    LineId
);
id_type!(
    /// A disposal request (报废申请).
    DisposalId
);

/// 使用状况: where an asset stands on the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AssetStatus {
    /// 在用
    InUse,
    /// 闲置
    Idle,
    /// 维修
    Repair,
    /// 待报废: a disposal request is open.
    PendingDisposal,
    /// 已报废: off the books.
    Disposed,
    /// 已核销: missing at a stocktake and written off; off the books.
    WrittenOff,
}
text_enum_sql!(AssetStatus {
    InUse => "in_use",
    Idle => "idle",
    Repair => "repair",
    PendingDisposal => "pending_disposal",
    Disposed => "disposed",
    WrittenOff => "written_off",
});

impl AssetStatus {
    /// Every status, in the order lists show them.
    pub const ALL: [AssetStatus; 6] = [
        AssetStatus::InUse,
        AssetStatus::Idle,
        AssetStatus::Repair,
        AssetStatus::PendingDisposal,
        AssetStatus::Disposed,
        AssetStatus::WrittenOff,
    ];

    /// The word on the card.
    pub fn label(self) -> &'static str {
        match self {
            AssetStatus::InUse => "在用",
            AssetStatus::Idle => "闲置",
            AssetStatus::Repair => "维修",
            AssetStatus::PendingDisposal => "待报废",
            AssetStatus::Disposed => "已报废",
            AssetStatus::WrittenOff => "已核销",
        }
    }

    /// Whether the asset is still on the books (counted, depreciated, stocktaken).
    pub fn on_books(self) -> bool {
        !matches!(self, AssetStatus::Disposed | AssetStatus::WrittenOff)
    }

    /// The statuses a person may set by editing a card; the others come from
    /// the disposal and stocktake procedures.
    pub fn editable(self) -> bool {
        matches!(self, AssetStatus::InUse | AssetStatus::Idle | AssetStatus::Repair)
    }

    /// Accepts the label (在用…) or the code name (in_use…).
    pub fn parse(s: &str) -> Option<AssetStatus> {
        let t = s.trim();
        AssetStatus::from_code(&t.to_ascii_lowercase())
            .or_else(|| AssetStatus::ALL.into_iter().find(|st| st.label() == t))
    }
}

/// 取得方式: how the school came to have the asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Acquisition {
    /// 购置
    #[default]
    Purchase,
    /// 调入 (from another unit)
    TransferIn,
    /// 捐赠
    Donation,
    /// 自建 / 自制
    SelfBuilt,
    /// 盘盈: found at a stocktake and registered.
    Surplus,
    /// 其他
    Other,
}
text_enum_sql!(Acquisition {
    Purchase => "purchase",
    TransferIn => "transfer_in",
    Donation => "donation",
    SelfBuilt => "self_built",
    Surplus => "surplus",
    Other => "other",
});

impl Acquisition {
    /// Every method, in the order forms offer them.
    pub const ALL: [Acquisition; 6] = [
        Acquisition::Purchase,
        Acquisition::TransferIn,
        Acquisition::Donation,
        Acquisition::SelfBuilt,
        Acquisition::Surplus,
        Acquisition::Other,
    ];

    /// The word on the card.
    pub fn label(self) -> &'static str {
        match self {
            Acquisition::Purchase => "购置",
            Acquisition::TransferIn => "调入",
            Acquisition::Donation => "捐赠",
            Acquisition::SelfBuilt => "自建",
            Acquisition::Surplus => "盘盈",
            Acquisition::Other => "其他",
        }
    }

    /// Accepts the label (购置, also 购入/采购…) or the code name.
    pub fn parse(s: &str) -> Option<Acquisition> {
        let t = s.trim();
        if t.is_empty() {
            return Some(Acquisition::Purchase);
        }
        Acquisition::from_code(&t.to_ascii_lowercase()).or(match t {
            "购置" | "购入" | "采购" | "新购" | "购买" => Some(Acquisition::Purchase),
            "调入" | "划拨" | "调拨" => Some(Acquisition::TransferIn),
            "捐赠" | "受赠" | "接受捐赠" => Some(Acquisition::Donation),
            "自建" | "自制" => Some(Acquisition::SelfBuilt),
            "盘盈" => Some(Acquisition::Surplus),
            "其他" | "其它" => Some(Acquisition::Other),
            _ => None,
        })
    }
}

/// A label and its code, for the UI's drop-downs.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Choice {
    /// The code name sent back to the core.
    pub value: &'static str,
    /// What the person reads.
    pub label: &'static str,
}

/// A status for the UI, with the rules that go with it (so the screens do not
/// keep their own copy of which statuses are on the books or editable).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusChoice {
    pub value: &'static str,
    pub label: &'static str,
    /// Still on the books: listed, labelled, depreciated, stocktaken.
    pub on_books: bool,
    /// A person may set it by editing a card.
    pub editable: bool,
}

/// The statuses and acquisition methods with their labels (so the UI does
/// not keep its own copy of the words).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Vocabulary {
    pub statuses: Vec<StatusChoice>,
    pub acquisitions: Vec<Choice>,
    pub disposal_methods: Vec<Choice>,
}

/// The words of this job, for forms and filters.
pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        statuses: AssetStatus::ALL
            .iter()
            .map(|s| StatusChoice { value: s.code(), label: s.label(), on_books: s.on_books(), editable: s.editable() })
            .collect(),
        acquisitions: Acquisition::ALL.iter().map(|a| Choice { value: a.code(), label: a.label() }).collect(),
        disposal_methods: movements::DisposalMethod::ALL
            .iter()
            .map(|m| Choice { value: m.code(), label: m.label() })
            .collect(),
    }
}

/// Trims a required text field, or says which one is missing.
pub(crate) fn required(value: &str, field: &str) -> crate::Result<String> {
    crate::school::required(value, field)
}

/// `value` trimmed, refused if longer than `max` characters or if it holds
/// what no one-line field may (control characters, emoji).
pub(crate) fn limited(value: &str, field: &str, max: usize) -> crate::Result<String> {
    crate::text::check(field, crate::text::Kind::Line, max, value).map_err(crate::Error::Invalid)
}

/// Everything the card dialog shows about one asset.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssetCard {
    pub asset: register::Asset,
    /// As of the end of the current month, with its explanation.
    pub depreciation: depreciation::Depreciation,
    pub transfers: Vec<movements::Transfer>,
    pub disposals: Vec<movements::Disposal>,
    pub checks: Vec<stocktake::CheckRecord>,
    /// 维修记录, newest first.
    pub repairs: Vec<crate::repairs::Repair>,
}

/// The card of one asset with its depreciation, movements, disposals, stocktake and repair history.
pub fn card(conn: &crate::store::Conn, id: AssetId, today: chrono::NaiveDate) -> crate::Result<AssetCard> {
    let asset = register::get(conn, id, today)?;
    let rule = settings::load(conn)?.rule;
    let depreciation = register::depreciation_of(&asset, rule, crate::dates::YearMonth::of(today));
    Ok(AssetCard {
        transfers: movements::transfers(conn, Some(id), 200)?,
        disposals: movements::disposals(conn, Some(id))?,
        checks: stocktake::history(conn, id)?,
        repairs: crate::repairs::history(conn, id, today)?,
        asset,
        depreciation,
    })
}

/// The numbers at the top of the 固定资产 screen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AssetsOverview"))]
pub struct Overview {
    pub totals: register::Totals,
    pub rooms: usize,
    /// Cards not found at a stocktake within the check interval.
    pub not_checked: usize,
    pub check_interval_months: u32,
    /// Disposal requests waiting for approval or disposal.
    pub open_disposals: usize,
    pub open_stocktakes: Vec<stocktake::StocktakeSummary>,
    pub rule: depreciation::DepreciationRule,
    pub rule_label: String,
}

/// The register's totals and what needs attention.
pub fn overview(conn: &crate::store::Conn, today: chrono::NaiveDate) -> crate::Result<Overview> {
    let s = settings::load(conn)?;
    let list = register::list(conn, &register::AssetFilter::default(), today)?;
    Ok(Overview {
        totals: register::totals(&list),
        rooms: register::rooms(conn)?.len(),
        not_checked: stocktake::never_checked(conn, today)?.len(),
        check_interval_months: s.check_interval_months,
        open_disposals: movements::disposals(conn, None)?
            .iter()
            .filter(|d| matches!(d.status, movements::DisposalStatus::Requested | movements::DisposalStatus::Approved))
            .count(),
        open_stocktakes: stocktake::list(conn)?
            .into_iter()
            .filter(|s| s.status == stocktake::StocktakeStatus::Open)
            .collect(),
        rule: s.rule,
        rule_label: s.rule.label().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_carries_which_statuses_are_on_the_books_and_editable() {
        let v = vocabulary();
        let off: Vec<&str> = v.statuses.iter().filter(|s| !s.on_books).map(|s| s.label).collect();
        assert_eq!(off, ["已报废", "已核销"]);
        let editable: Vec<&str> = v.statuses.iter().filter(|s| s.editable).map(|s| s.value).collect();
        assert_eq!(editable, ["in_use", "idle", "repair"]);
        let json = serde_json::to_value(&v).expect("json");
        assert_eq!(
            json["statuses"][3],
            serde_json::json!({"value": "pending_disposal", "label": "待报废", "on_books": true, "editable": false})
        );
    }
}
