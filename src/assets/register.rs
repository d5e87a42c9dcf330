//! The register (资产登记): asset cards, their numbers, the capitalisation
//! advice, and lists.
//!
//! A card is one asset, or a batch card (批量卡片) for many identical cheap
//! items (quantity > 1, e.g. 30 幼儿椅 in one classroom). Numbers come from the
//! pattern in the settings when the form leaves them empty, and may be typed;
//! they are unique regardless of letter case, and limited to what a barcode
//! scanner can type (ASCII letters, digits, `-_./`).
//!
//! The same checks run for the form and for each import row
//! ([`check_input`]), and report every problem at once. Changing a card's
//! room, department or custodian through the form also writes a transfer
//! record, so the history of where a thing was is always complete.
//!
//! Deliberately out: deleting a card (an asset leaves the books by disposal or
//! write-off, and its card stays), and editing a card that is off the books.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::categories::{self, Category};
use super::depreciation::{depreciate, figures, Depreciation, DepreciationInput, DepreciationRule};
use super::placement::{record_transfer_in_tx, Placement, TransferKind};
use super::settings::{self, number_char_ok, AssetSettings, NumberPattern};
use super::{limited, Acquisition, AssetId, AssetStatus, CategoryId};
use crate::dates::YearMonth;
use crate::db::{now, Db, Tx};
use crate::error::FieldProblem;
use crate::money::mul_div;
use crate::store::audit::AuditRow;
use crate::store::{self, Conn};
use crate::text::Field;
use crate::{Error, Fen, Result};

/// An asset card as lists show it, with its depreciation as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Asset {
    pub id: AssetId,
    /// 资产编号.
    pub number: String,
    pub name: String,
    pub category_id: CategoryId,
    pub category_code: String,
    pub category_name: String,
    /// 规格型号.
    pub model: String,
    /// More than 1 on a batch card.
    pub quantity: i64,
    /// 计量单位.
    pub unit: String,
    /// 存放地点.
    pub room: String,
    /// 使用部门.
    pub department: String,
    /// 责任人 / 使用人.
    pub custodian: String,
    pub acquired_on: NaiveDate,
    pub acquisition: Acquisition,
    pub acquisition_label: String,
    pub supplier: String,
    /// 原值 (of the whole card).
    pub original: Fen,
    /// Useful life in months (0: does not depreciate).
    pub life_months: u32,
    pub status: AssetStatus,
    pub status_label: String,
    /// The day it left the books, if it did.
    pub off_books_on: Option<NaiveDate>,
    pub note: String,
    /// Whether the category depreciates.
    pub depreciates: bool,
    /// 累计折旧 and 净值 as of the list's date.
    pub accumulated: Fen,
    pub net: Fen,
}

/// What the card form sends. Amounts, quantities and lives are the text the
/// person typed, so the message for a typo can quote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssetInput {
    /// Empty: generate from the pattern in the settings.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub number: String,
    pub name: String,
    pub category_id: CategoryId,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub model: String,
    /// Empty means 1.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub quantity: String,
    /// Empty: the category's unit.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub unit: String,
    pub room: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub department: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub custodian: String,
    pub acquired_on: NaiveDate,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub acquisition: Acquisition,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub supplier: String,
    /// 原值 of the whole card, as typed (e.g. 4,500.00).
    pub original_value: String,
    /// Empty: the category's default life.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub life: String,
    /// 在用 unless said otherwise; only 在用/闲置/维修 can be set here.
    #[serde(default = "in_use")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub status: AssetStatus,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

impl Asset {
    /// Where the card says it is.
    pub fn placement(&self) -> Placement {
        Placement { room: self.room.clone(), department: self.department.clone(), custodian: self.custodian.clone() }
    }
}

fn in_use() -> AssetStatus {
    AssetStatus::InUse
}

/// A card that passed every check, ready to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedAsset {
    /// `None`: to be generated.
    pub number: Option<String>,
    pub name: String,
    pub category_id: CategoryId,
    pub category_code: String,
    pub model: String,
    pub quantity: i64,
    pub unit: String,
    pub room: String,
    pub department: String,
    pub custodian: String,
    pub acquired_on: NaiveDate,
    pub acquisition: Acquisition,
    pub supplier: String,
    pub original: Fen,
    pub life_months: u32,
    pub status: AssetStatus,
    pub note: String,
}

/// Filters for the register list; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssetFilter {
    /// Part of the number, name, model, custodian or supplier.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub search: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub room: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub category_id: Option<CategoryId>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub status: Option<AssetStatus>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub department: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub custodian: Option<String>,
    /// Include cards off the books (已报废, 已核销).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub include_off_books: bool,
}

/// Checks an asset number as typed: trimmed, not too long, scanner-safe.
pub fn check_number(number: &str) -> std::result::Result<String, String> {
    let n = number.trim();
    if n.chars().count() > 32 {
        return Err("资产编号不能超过 32 个字符".into());
    }
    if let Some(c) = n.chars().find(|c| !number_char_ok(*c)) {
        return Err(format!("资产编号“{n}”不能包含“{c}”:只能用字母、数字和 - _ . /,以便扫码枪录入"));
    }
    Ok(n.to_string())
}

/// Checks one card, for a form (`row` 0) or an import row. Returns every
/// problem. `number_taken` says whether a number is already used (by another
/// card than the one being edited, or by an earlier row of the same file).
pub fn check_input(
    input: &AssetInput,
    category: Option<&Category>,
    today: NaiveDate,
    row: usize,
    number_taken: &mut dyn FnMut(&str) -> Result<bool>,
) -> Result<std::result::Result<CheckedAsset, Vec<FieldProblem>>> {
    let mut problems = Vec::new();
    let mut bad = |column: &str, reason: String| problems.push(FieldProblem { row, column: column.into(), reason });

    let number = match check_number(&input.number) {
        Ok(n) if n.is_empty() => None,
        Ok(n) => {
            if number_taken(&n)? {
                bad("资产编号", format!("资产编号“{n}”已被其他资产使用"));
            }
            Some(n)
        }
        Err(why) => {
            bad("资产编号", why);
            None
        }
    };
    let name = input.name.trim().to_string();
    if name.is_empty() {
        bad("资产名称", "请填写资产名称".into());
    } else if let Err(why) = Field::name("资产名称").check(&name) {
        bad("资产名称", why);
    }
    if category.is_none() {
        bad("资产类别", "请选择资产类别".into());
    }
    let quantity = match input.quantity.trim() {
        "" => 1,
        q => match q.parse::<i64>() {
            Ok(n) if (1..=100_000).contains(&n) => n,
            Ok(n) if n < 1 => {
                bad("数量", format!("数量必须至少为 1(填写的是 {n})"));
                1
            }
            _ => {
                bad("数量", format!("数量“{q}”无效,请填写正整数"));
                1
            }
        },
    };
    let room = input.room.trim().to_string();
    if room.is_empty() {
        bad("存放地点", "请填写存放地点".into());
    } else if let Err(why) = Field::name("存放地点").max(30).check(&room) {
        bad("存放地点", why);
    }
    if input.acquired_on > today {
        bad("取得日期", format!("取得日期 {} 晚于今天({today}),不能登记未来取得的资产", input.acquired_on));
    }
    let original = match Fen::parse(&input.original_value) {
        Ok(f) if f.is_negative() => {
            bad("原值", format!("原值不能为负数(填写的是 {})", input.original_value.trim()));
            Fen::ZERO
        }
        Ok(f) => f,
        Err(e) => {
            bad("原值", if input.original_value.trim().is_empty() { "请填写原值".into() } else { e.to_string() });
            Fen::ZERO
        }
    };
    let life = match categories::parse_life(&input.life) {
        Ok(l) => l,
        Err(e) => {
            bad("使用年限", e.to_string());
            None
        }
    };
    if !input.status.editable() {
        bad(
            "使用状况",
            format!("“{}”只能通过报废或盘点核销产生,登记时请选择 在用、闲置 或 维修", input.status.label()),
        );
    }
    let mut text = |value: &str, column: &str, max: usize| match limited(value, column, max) {
        Ok(v) => v,
        Err(e) => {
            bad(column, e.to_string());
            String::new()
        }
    };
    let model = text(&input.model, "规格型号", 60);
    let unit = text(&input.unit, "计量单位", 6);
    let department = text(&input.department, "使用部门", 30);
    let custodian = text(&input.custodian, "责任人", 30);
    let supplier = text(&input.supplier, "供应商", 60);
    let note = text(&input.note, "备注", 200);
    let Some(cat) = category else {
        return Ok(Err(problems));
    };
    let life_months = if cat.depreciates { life.unwrap_or(cat.life_months) } else { 0 };
    if cat.depreciates && life_months == 0 {
        problems.push(FieldProblem {
            row,
            column: "使用年限".into(),
            reason: format!("“{}”类资产计提折旧,使用年限必须大于 0", cat.name),
        });
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    Ok(Ok(CheckedAsset {
        number,
        name,
        category_id: cat.id,
        category_code: cat.code.clone(),
        model,
        quantity,
        unit: if unit.is_empty() { cat.unit.clone() } else { unit },
        room,
        department,
        custodian,
        acquired_on: input.acquired_on,
        acquisition: input.acquisition,
        supplier,
        original,
        life_months,
        status: input.status,
        note,
    }))
}

/// The single-form error: one problem as a plain message, several as a list.
pub(crate) fn rejected<T>(problems: Vec<FieldProblem>) -> Result<T> {
    if problems.len() == 1 && problems[0].row == 0 {
        Err(Error::Invalid(problems[0].reason.clone()))
    } else {
        Err(Error::Rejected { problems })
    }
}

/// Whether `number` is used by another card than `except` (ignoring case).
pub fn number_taken(conn: &Conn, number: &str, except: Option<AssetId>) -> Result<bool> {
    let found = store::assets::register::id_by_number(conn, number.trim())?;
    Ok(matches!(found, Some(id) if Some(id) != except))
}

/// Which of `numbers` are used by a card already (ignoring case), each as
/// upper case: one query per chunk of numbers, for an import or a batch.
pub fn taken_numbers(conn: &Conn, numbers: &[&str]) -> Result<HashSet<String>> {
    let trimmed: Vec<&str> = numbers.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
    Ok(store::assets::register::numbers_in(conn, &trimmed)?.into_iter().map(|n| n.to_ascii_uppercase()).collect())
}

/// Makes asset numbers from the pattern, remembering the last number of each
/// prefix so an import of thousands of rows asks the database once per prefix.
/// It lives inside one transaction: the numbers with a prefix, read once,
/// plus the numbers it made or was told of ([`NumberGen::reserve`]), are
/// every number that prefix has in the register.
pub struct NumberGen {
    pattern: NumberPattern,
    next: HashMap<(String, usize, String), u64>,
    /// Upper case: numbers typed in the same batch, and those made.
    reserved: HashSet<String>,
    /// Upper case: the register's numbers of each prefix read so far.
    taken: HashSet<String>,
}

impl NumberGen {
    /// A generator for the pattern in the settings.
    pub fn new(settings: &AssetSettings) -> Result<NumberGen> {
        Ok(NumberGen {
            pattern: NumberPattern::parse(&settings.number_pattern)?,
            next: HashMap::new(),
            reserved: HashSet::new(),
            taken: HashSet::new(),
        })
    }

    /// Keeps `number` (typed in the same file) from being generated.
    pub fn reserve(&mut self, number: &str) {
        self.reserved.insert(number.to_ascii_uppercase());
    }

    /// The next free number for an asset acquired on `acquired` in category `code`.
    pub fn next(&mut self, conn: &Conn, acquired: NaiveDate, code: &str) -> Result<String> {
        let frame = self.pattern.frame(acquired, code);
        let start = match self.next.get(&frame) {
            Some(n) => *n,
            None => highest_seq(conn, &frame, &mut self.taken)? + 1,
        };
        let (before, width, after) = &frame;
        let mut seq = start;
        loop {
            let candidate = format!("{before}{seq:0width$}{after}");
            let key = candidate.to_ascii_uppercase();
            // Every number with this prefix is in `taken` or `reserved`.
            if !self.reserved.contains(&key) && !self.taken.contains(&key) {
                self.next.insert(frame.clone(), seq + 1);
                self.reserved.insert(key);
                return Ok(candidate);
            }
            seq += 1;
        }
    }
}

/// The highest running number among existing numbers with this prefix and
/// suffix; every number with the prefix is added to `taken` (upper case).
fn highest_seq(conn: &Conn, (before, _, after): &(String, usize, String), taken: &mut HashSet<String>) -> Result<u64> {
    let like = format!("{}%", before.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let mut best = 0;
    for n in store::assets::register::numbers_like(conn, &like)? {
        taken.insert(n.to_ascii_uppercase());
        if n.len() < before.len() + after.len() || !n.is_char_boundary(before.len()) {
            continue;
        }
        let (head, rest) = n.split_at(before.len());
        if !head.eq_ignore_ascii_case(before) || !rest.to_ascii_uppercase().ends_with(&after.to_ascii_uppercase()) {
            continue;
        }
        let digits = &rest[..rest.len() - after.len()];
        if !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()) {
            best = best.max(digits.parse::<u64>().unwrap_or(0));
        }
    }
    Ok(best)
}

/// The number the form would get if left empty (shown as a placeholder).
pub fn suggest_number(conn: &Conn, category_id: CategoryId, acquired_on: NaiveDate) -> Result<String> {
    let cat = categories::get(conn, category_id)?;
    NumberGen::new(&settings::load(conn)?)?.next(conn, acquired_on, &cat.code)
}

/// Capitalisation advice for a card being entered: below the threshold it
/// suggests a low-value consumable (低值易耗品); a batch card of items that
/// each reach the threshold is suggested to become separate cards. Advice
/// only: the person may register it anyway.
pub fn advice(conn: &Conn, input: &AssetInput) -> Result<Vec<String>> {
    let Ok(cat) = categories::get(conn, input.category_id) else {
        return Ok(Vec::new());
    };
    let Ok(original) = Fen::parse(&input.original_value) else {
        return Ok(Vec::new());
    };
    let quantity = input.quantity.trim().parse::<i64>().ok().filter(|q| *q >= 1).unwrap_or(1);
    Ok(advice_for(&settings::load(conn)?, &cat, original, quantity))
}

/// [`advice`] on plain values (also used by the import summary).
pub fn advice_for(s: &AssetSettings, cat: &Category, original: Fen, quantity: i64) -> Vec<String> {
    let mut out = Vec::new();
    if original.is_negative() {
        return out;
    }
    let unit_value = mul_div(original, 1, quantity.max(1));
    let (threshold, kind) =
        if cat.special { (s.threshold_special, "专用设备") } else { (s.threshold_general, "通用设备") };
    let each = if quantity > 1 {
        format!("单价约 {} 元", unit_value.to_grouped_string())
    } else {
        format!("单价 {} 元", unit_value.to_grouped_string())
    };
    if !cat.always_register && unit_value < threshold {
        out.push(format!(
            "{each},低于{kind}的固定资产起点 {} 元,建议作为低值易耗品在「物品领用」中管理;确需登记为固定资产的,可以继续保存。",
            threshold.to_grouped_string()
        ));
    } else if quantity > 1 && unit_value >= threshold {
        out.push(format!(
            "{each},已达到固定资产起点 {} 元,建议每件单独建卡(批量卡片适合价格较低的同类物品)。",
            threshold.to_grouped_string()
        ));
    }
    out
}

/// Writes a checked card inside an open transaction, generating its number if
/// needed; audited. Returns the id and the number used.
pub fn insert_in_tx(tx: &Tx, a: &CheckedAsset, numbers: &mut NumberGen) -> Result<(AssetId, String)> {
    let number = match &a.number {
        Some(n) => {
            numbers.reserve(n);
            n.clone()
        }
        None => numbers.next(tx, a.acquired_on, &a.category_code)?,
    };
    let id = store::assets::register::insert(tx, a, &number, now())?;
    tx.audit("asset", id, "create", None, Some(&created(a, &number)))?;
    Ok((id, number))
}

/// What the audit trail keeps of a new card.
fn created(a: &CheckedAsset, number: &str) -> serde_json::Value {
    let mut after = serde_json::json!(a);
    after["number"] = serde_json::Value::String(number.to_string());
    after
}

/// [`insert_in_tx`] for many cards at once (an import), in order: the same
/// cards, numbers, ids and audit rows, written a chunk of cards per
/// statement. A number typed twice in the batch, or already on the
/// register, is refused as the form refuses it, and nothing is written.
pub fn insert_many_in_tx(tx: &Tx, cards: &[CheckedAsset], numbers: &mut NumberGen) -> Result<Vec<(AssetId, String)>> {
    let typed: Vec<&str> = cards.iter().filter_map(|a| a.number.as_deref()).collect();
    let mut seen = HashSet::new();
    if let Some(twice) = typed.iter().find(|n| !seen.insert(n.to_ascii_uppercase())) {
        return Err(Error::Invalid(format!("资产编号“{twice}”已被其他资产使用")));
    }
    let taken = taken_numbers(tx, &typed)?;
    if let Some(used) = typed.iter().find(|n| taken.contains(&n.to_ascii_uppercase())) {
        return Err(Error::Invalid(format!("资产编号“{used}”已被其他资产使用")));
    }
    for n in &typed {
        numbers.reserve(n);
    }
    let mut made = Vec::with_capacity(cards.len());
    for a in cards {
        made.push(match &a.number {
            Some(n) => n.clone(),
            None => numbers.next(tx, a.acquired_on, &a.category_code)?,
        });
    }
    let rows: Vec<(&CheckedAsset, &str)> = cards.iter().zip(made.iter().map(String::as_str)).collect();
    let ids = store::assets::register::insert_many(tx, &rows, now())?;
    let audits: Vec<AuditRow> = rows
        .iter()
        .zip(&ids)
        .map(|((a, number), id)| AuditRow {
            entity: "asset",
            entity_id: id.to_string(),
            action: "create",
            before: None,
            after: Some(created(a, number)),
        })
        .collect();
    tx.audit_many(&audits)?;
    Ok(ids.into_iter().zip(made).collect())
}

/// Registers a new card; returns its id.
pub fn add(db: &mut Db, input: &AssetInput, today: NaiveDate) -> Result<AssetId> {
    db.write(crate::auth::Job::Assets, |tx| {
        let mut numbers = NumberGen::new(&settings::load(tx)?)?;
        let cat = categories::get(tx, input.category_id).ok();
        let checked = match check_input(input, cat.as_ref(), today, 0, &mut |n| number_taken(tx, n, None))? {
            Ok(c) => c,
            Err(problems) => return rejected(problems),
        };
        Ok(insert_in_tx(tx, &checked, &mut numbers)?.0)
    })
}

/// Changes a card. Off-the-books cards cannot be changed; the status can only
/// be set to 在用/闲置/维修 (and not while a disposal request or a repair
/// request is open). A
/// change of room, department or custodian is also recorded as a transfer.
pub fn update(db: &mut Db, id: AssetId, input: &AssetInput, today: NaiveDate) -> Result<()> {
    db.write(crate::auth::Job::Assets, |tx| {
        let before = get(tx, id, today)?;
        if !before.status.on_books() {
            return Err(Error::conflict(format!(
                "资产 {} 已{},卡片不能再修改",
                before.number,
                before.status.label().trim_start_matches('已')
            )));
        }
        if before.status == AssetStatus::PendingDisposal && input.status != AssetStatus::PendingDisposal {
            return Err(Error::conflict(format!(
                "资产 {} 有未完成的报废申请,请先在「报废」中批准或驳回,再修改使用状况",
                before.number
            )));
        }
        // An open 报修 keeps the card at 维修 until it is closed or cancelled
        // (closing puts back the status it had).
        if before.status == AssetStatus::Repair && input.status != AssetStatus::Repair {
            if let Some(r) = store::repairs::open_on_asset(tx, id)? {
                return Err(Error::conflict(format!(
                    "资产 {} 有未完成的报修单 {r},完工或撤销报修后会自动恢复使用状况;不能在卡片上修改",
                    before.number
                )));
            }
        }
        let mut input = input.clone();
        if before.status == AssetStatus::PendingDisposal {
            // The form shows the status it was given; the check below only
            // accepts editable statuses, so keep 待报废 out of its way.
            input.status = AssetStatus::InUse;
        }
        let cat = categories::get(tx, input.category_id).ok();
        let mut checked = match check_input(&input, cat.as_ref(), today, 0, &mut |n| number_taken(tx, n, Some(id)))? {
            Ok(c) => c,
            Err(problems) => return rejected(problems),
        };
        if before.status == AssetStatus::PendingDisposal {
            checked.status = AssetStatus::PendingDisposal;
        }
        let number = checked.number.clone().unwrap_or_else(|| before.number.clone());
        store::assets::register::update(tx, id, &checked, &number)?;
        let to = Placement {
            room: checked.room.clone(),
            department: checked.department.clone(),
            custodian: checked.custodian.clone(),
        };
        let from = before.placement();
        if from != to {
            record_transfer_in_tx(tx, id, &from, &to, today, TransferKind::Transfer, "修改资产卡片")?;
        }
        tx.audit("asset", id, "update", Some(&serde_json::json!(before)), Some(&serde_json::json!(checked)))
    })
}

/// What the depreciation rule needs of a card; `category` only for the explanation.
fn depreciation_input(a: &Asset, category: String) -> DepreciationInput {
    DepreciationInput {
        original: a.original,
        life_months: a.life_months,
        acquired_on: a.acquired_on,
        off_books_on: a.off_books_on,
        depreciates: a.depreciates,
        category,
    }
}

/// A card read from the store, with its depreciation as of the end of `month`
/// (the figures only: a list of thousands of cards shows no explanation).
fn with_depreciation(mut a: Asset, rule: DepreciationRule, month: YearMonth) -> Asset {
    let f = figures(&depreciation_input(&a, String::new()), rule, month);
    a.accumulated = f.accumulated;
    a.net = f.net;
    a
}

/// The rule applied to a card as of the end of `month`, with its explanation.
pub fn depreciation_of(a: &Asset, rule: DepreciationRule, month: YearMonth) -> Depreciation {
    depreciate(&depreciation_input(a, a.category_name.clone()), rule, month)
}

/// One card, with accumulated depreciation and net value as of `on`.
pub fn get(conn: &Conn, id: AssetId, on: NaiveDate) -> Result<Asset> {
    let rule = settings::load(conn)?.rule;
    let a = store::assets::register::get(conn, id)?.ok_or_else(|| Error::not_found("资产", id))?;
    Ok(with_depreciation(a, rule, YearMonth::of(on)))
}

/// A card by its number (ignoring case).
pub fn find_by_number(conn: &Conn, number: &str, on: NaiveDate) -> Result<Option<Asset>> {
    find_by_number_with(conn, number, on, settings::rule(conn)?)
}

/// The id of the card on the books with this number (ignoring case), if
/// any: all a scan of a counted room needs (its line has the rest).
pub fn on_books_id(conn: &Conn, number: &str) -> Result<Option<AssetId>> {
    store::assets::register::on_books_id(conn, number.trim())
}

/// [`find_by_number`] with the depreciation rule already loaded (a scan loop).
pub fn find_by_number_with(conn: &Conn, number: &str, on: NaiveDate, rule: DepreciationRule) -> Result<Option<Asset>> {
    let a = store::assets::register::by_number(conn, number.trim())?;
    Ok(a.map(|a| with_depreciation(a, rule, YearMonth::of(on))))
}

/// The register, filtered, by room then number, with depreciation as of `on`.
pub fn list(conn: &Conn, filter: &AssetFilter, on: NaiveDate) -> Result<Vec<Asset>> {
    let rule = settings::load(conn)?.rule;
    let month = YearMonth::of(on);
    let pattern = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    fn text(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let query = store::assets::register::ListQuery {
        pattern: pattern.as_deref(),
        room: text(&filter.room),
        category_id: filter.category_id,
        status: filter.status,
        department: text(&filter.department),
        custodian: text(&filter.custodian),
        include_off_books: filter.include_off_books || matches!(filter.status, Some(s) if !s.on_books()),
    };
    Ok(store::assets::register::list(conn, &query)?.into_iter().map(|a| with_depreciation(a, rule, month)).collect())
}

/// A room (存放地点) with what is on the books there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoomInfo {
    pub room: String,
    /// Cards on the books in the room.
    pub cards: i64,
    /// Items (a batch card counts its quantity).
    pub quantity: i64,
    pub original: Fen,
    /// The custodians of the room's cards, most cards first.
    pub custodians: Vec<String>,
}

/// Every room that has cards on the books, by name.
pub fn rooms(conn: &Conn) -> Result<Vec<RoomInfo>> {
    store::assets::register::rooms(conn)
}

/// Distinct values people typed, for the form's suggestions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Suggestions {
    pub rooms: Vec<String>,
    pub departments: Vec<String>,
    pub custodians: Vec<String>,
    pub suppliers: Vec<String>,
    pub units: Vec<String>,
}

/// Rooms, departments, custodians (and staff names), suppliers and units in use.
pub fn suggestions(conn: &Conn) -> Result<Suggestions> {
    store::assets::register::suggestions(conn)
}

/// The register's totals for the screen's header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Totals {
    pub cards: usize,
    pub quantity: i64,
    pub original: Fen,
    pub accumulated: Fen,
    pub net: Fen,
}

/// Sums a list of cards.
pub fn totals(list: &[Asset]) -> Totals {
    list.iter().fold(Totals::default(), |mut t, a| {
        t.cards += 1;
        t.quantity += a.quantity;
        t.original += a.original;
        t.accumulated += a.accumulated;
        t.net += a.net;
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn computer_input(db: &Db, number: &str) -> AssetInput {
        let cat = categories::find(db.conn(), "计算机").expect("find").expect("category");
        AssetInput {
            number: number.into(),
            name: "台式电脑".into(),
            category_id: cat.id,
            model: "联想 M720".into(),
            quantity: String::new(),
            unit: String::new(),
            room: "办公室".into(),
            department: "行政".into(),
            custodian: "王园长".into(),
            acquired_on: "2024-09-01".parse().expect("date"),
            acquisition: Acquisition::Purchase,
            supplier: "某某电脑城".into(),
            original_value: "4,800.00".into(),
            life: String::new(),
            status: AssetStatus::InUse,
            note: String::new(),
        }
    }

    fn today() -> NaiveDate {
        "2025-10-15".parse().expect("date")
    }

    fn count(db: &Db) -> usize {
        list(db.conn(), &AssetFilter { include_off_books: true, ..Default::default() }, today()).expect("list").len()
    }

    #[test]
    fn numbers_are_generated_from_the_pattern_and_typed_ones_kept() {
        let mut db = Db::open_scratch().expect("db");
        let a = {
            let i = computer_input(&db, "");
            add(&mut db, &i, today())
        }
        .expect("add");
        let b = {
            let i = computer_input(&db, "");
            add(&mut db, &i, today())
        }
        .expect("add");
        assert_eq!(get(db.conn(), a, today()).expect("get").number, "ZC20240001");
        assert_eq!(get(db.conn(), b, today()).expect("get").number, "ZC20240002");
        {
            let i = computer_input(&db, "zc20240009");
            add(&mut db, &i, today())
        }
        .expect("typed");
        let c = {
            let i = computer_input(&db, "");
            add(&mut db, &i, today())
        }
        .expect("add");
        assert_eq!(get(db.conn(), c, today()).expect("get").number, "ZC20240010");
        let cat = categories::find(db.conn(), "计算机").expect("find").expect("cat");
        assert_eq!(suggest_number(db.conn(), cat.id, today()).expect("suggest"), "ZC20250001");
        let a = get(db.conn(), a, today()).expect("get");
        // 4,800 over 72 months from September 2024: 14 months of 66.67 to October 2025.
        assert_eq!((a.life_months, a.accumulated, a.net), (72, Fen(93_338), Fen(386_662)));
    }

    #[test]
    fn bad_input_gets_a_chinese_message_and_saves_nothing() {
        let mut db = Db::open_scratch().expect("db");
        {
            let i = computer_input(&db, "ZC-001");
            add(&mut db, &i, today())
        }
        .expect("first");
        let cases: Vec<(AssetInput, &str)> = vec![
            (computer_input(&db, "zc-001"), "资产编号“zc-001”已被其他资产使用"),
            (AssetInput { original_value: "-100".into(), ..computer_input(&db, "") }, "原值不能为负数"),
            (AssetInput { original_value: "一千".into(), ..computer_input(&db, "") }, "不是有效的金额"),
            (
                AssetInput { acquired_on: "2025-10-16".parse().expect("d"), ..computer_input(&db, "") },
                "取得日期 2025-10-16 晚于今天",
            ),
            (AssetInput { quantity: "0".into(), ..computer_input(&db, "") }, "数量必须至少为 1"),
            (AssetInput { number: "资产1".into(), ..computer_input(&db, "") }, "只能用字母、数字"),
            (AssetInput { room: " ".into(), ..computer_input(&db, "") }, "请填写存放地点"),
            (AssetInput { status: AssetStatus::Disposed, ..computer_input(&db, "") }, "只能通过报废"),
            (AssetInput { category_id: CategoryId(9999), ..computer_input(&db, "") }, "请选择资产类别"),
        ];
        for (input, message) in cases {
            let err = add(&mut db, &input, today()).expect_err(message).to_string();
            assert!(err.contains(message), "expected “{message}” in “{err}”");
            assert_eq!(count(&db), 1, "{message}: nothing saved");
        }
        // Several problems at once are all listed.
        let input = AssetInput { name: String::new(), original_value: "-1".into(), ..computer_input(&db, "") };
        match add(&mut db, &input, today()) {
            Err(Error::Rejected { problems }) => assert_eq!(problems.len(), 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn advice_suggests_consumables_below_the_threshold() {
        let db = Db::open_scratch().expect("db");
        let mut input = computer_input(&db, "");
        input.original_value = "800".into();
        let a = advice(db.conn(), &input).expect("advice");
        assert!(a[0].contains("低于通用设备的固定资产起点 1,000.00 元,建议作为低值易耗品"), "{a:?}");
        input.original_value = "1000".into();
        assert!(advice(db.conn(), &input).expect("advice").is_empty());
        // Special equipment has its own threshold.
        input.category_id = categories::find(db.conn(), "厨房设备").expect("f").expect("c").id;
        input.original_value = "1200".into();
        assert!(advice(db.conn(), &input).expect("advice")[0].contains("专用设备的固定资产起点 1,500.00 元"));
        // Children's chairs are registered whatever the price: a batch card is fine.
        input.category_id = categories::find(db.conn(), "幼儿桌椅").expect("f").expect("c").id;
        input.original_value = "3000".into();
        input.quantity = "30".into();
        assert!(advice(db.conn(), &input).expect("advice").is_empty());
        input.category_id = categories::find(db.conn(), "计算机").expect("f").expect("c").id;
        input.quantity = "2".into();
        assert!(advice(db.conn(), &input).expect("advice")[0].contains("建议每件单独建卡"));
    }

    #[test]
    fn moving_a_card_through_the_form_writes_a_transfer_and_disposed_cards_are_frozen() {
        let mut db = Db::open_scratch().expect("db");
        let id = {
            let i = computer_input(&db, "PC-1");
            add(&mut db, &i, today())
        }
        .expect("add");
        let mut input = computer_input(&db, "PC-1");
        input.room = "大一班".into();
        update(&mut db, id, &input, today()).expect("update");
        let moves = store::assets::transfers::list(db.conn(), Some(id), 10).expect("transfers");
        assert_eq!(moves.iter().filter(|t| t.to.room == "大一班").count(), 1, "{moves:?}");
        let off = "2025-10-01".parse().expect("date");
        db.with_tx(|tx| store::assets::register::take_off_books(tx, id, AssetStatus::Disposed, off)).expect("dispose");
        let msg = update(&mut db, id, &input, today()).expect_err("frozen").to_string();
        assert!(msg.contains("已报废") || msg.contains("报废"), "{msg}");
        let rooms = rooms(db.conn()).expect("rooms");
        assert!(rooms.is_empty(), "{rooms:?}");
    }
}
