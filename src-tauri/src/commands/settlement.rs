//! The month settlement (月结) and the fee rules behind it (设置 → 收费项目):
//! preview, confirm, reopen, export; rule versions, presets, trial run, and the
//! shared rule file (the scenario JSON shape).

use std::path::Path;

use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::fee_list::{self, FeeListSettings};
use houqin::refund::{validate_fee_items, FeeItem, SettlementResult};
use houqin::settlement::presets::{self, Preset};
use houqin::settlement::rules::{self, RuleVersion};
use houqin::settlement::{self, SettlementView};
use houqin::Error;
use serde::Serialize;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub async fn settlement_preview(state: State<'_, AppState>, month: YearMonth) -> Result<SettlementView, AppError> {
    state.run(move |db| settlement::preview(db.conn(), month)).await
}

#[tauri::command]
pub async fn settlement_confirm(state: State<'_, AppState>, month: YearMonth) -> Result<SettlementView, AppError> {
    state.run(move |db| settlement::confirm(db, month)).await
}

#[tauri::command]
pub async fn settlement_reopen(state: State<'_, AppState>, month: YearMonth, reason: String) -> Result<(), AppError> {
    state.run(move |db| settlement::reopen(db, month, &reason)).await
}

/// Writes the month's settlement (as the screen shows it) to an .xlsx file.
#[tauri::command]
pub async fn settlement_export_xlsx(
    state: State<'_, AppState>,
    month: YearMonth,
    path: String,
) -> Result<(), AppError> {
    state.run(move |db| settlement::xlsx::write(&settlement::preview(db.conn(), month)?, Path::new(&path))).await
}

/// Every saved rule version, and the latest closed month (a new version must
/// start after it).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleVersions {
    pub versions: Vec<RuleVersion>,
    pub last_closed: Option<YearMonth>,
}

#[tauri::command]
pub async fn fee_rules_versions(state: State<'_, AppState>) -> Result<RuleVersions, AppError> {
    state
        .run(|db| {
            Ok(RuleVersions {
                versions: rules::versions(db.conn())?,
                last_closed: rules::last_closed_month(db.conn())?,
            })
        })
        .await
}

#[tauri::command]
pub async fn fee_rules_for(state: State<'_, AppState>, month: YearMonth) -> Result<Option<RuleVersion>, AppError> {
    state.run(move |db| rules::rules_for(db.conn(), month)).await
}

/// Reads the fee items the form sends. Each item is read on its own so that a
/// message names the item ("收费项目“伙食费”:…"), then the set is validated.
pub fn fee_items(value: serde_json::Value) -> houqin::Result<Vec<FeeItem>> {
    let serde_json::Value::Array(items) = value else {
        return Err(Error::invalid("收费项目应是一个列表"));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.into_iter().enumerate() {
        let name = v.get("name").and_then(|n| n.as_str()).map(str::trim).unwrap_or_default().to_string();
        let label = if name.is_empty() { format!("第 {} 项", i + 1) } else { format!("“{name}”") };
        let item: FeeItem =
            serde_json::from_value(v).map_err(|e| Error::invalid(format!("收费项目{label}填写有误:{e}")))?;
        out.push(item);
    }
    validate_fee_items(&out)?;
    Ok(out)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn fee_rules_save(
    state: State<'_, AppState>,
    effective_from: YearMonth,
    fees: serde_json::Value,
    note: String,
) -> Result<i64, AppError> {
    state.run(move |db| settlement::save_rules(db, effective_from, &fee_items(fees)?, &note)).await
}

#[tauri::command]
pub async fn fee_presets(state: State<'_, AppState>) -> Result<Vec<Preset>, AppError> {
    state.run(|_| presets::presets()).await
}

/// A trial run: what the edited rules give for a month, beside what the rules
/// in force for that month give (none if the month has no rules yet).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Trial {
    pub month: YearMonth,
    pub edited: SettlementResult,
    pub current: Option<SettlementResult>,
    pub current_from: Option<YearMonth>,
}

/// Runs both rule sets over `month`; saves nothing.
pub fn trial(db: &Db, month: YearMonth, fees: serde_json::Value) -> houqin::Result<Trial> {
    let edited = settlement::trial(db.conn(), month, &fee_items(fees)?)?;
    let in_force = rules::rules_for(db.conn(), month)?;
    let current = in_force.as_ref().map(|v| settlement::trial(db.conn(), month, &v.fees)).transpose()?;
    Ok(Trial { month, edited, current, current_from: in_force.map(|v| v.effective_from) })
}

#[tauri::command]
pub async fn fee_rules_trial(
    state: State<'_, AppState>,
    month: YearMonth,
    fees: serde_json::Value,
) -> Result<Trial, AppError> {
    state.run(move |db| trial(db, month, fees)).await
}

/// Writes the rules in force in `month` as a shareable JSON file.
#[tauri::command]
pub async fn fee_rules_export(state: State<'_, AppState>, month: YearMonth, path: String) -> Result<(), AppError> {
    state
        .run(move |db| {
            let school = houqin::school::profile::get(db.conn())?.map(|p| p.name).unwrap_or_default();
            let text = rules::export_document(db.conn(), month, &school)?;
            houqin::output_file::write_bytes_atomic(Path::new(&path), text.as_bytes())
        })
        .await
}

/// Reads the fee items of a shared rule file (or a scenario file). Nothing is
/// saved: the form shows them and the user saves.
#[tauri::command]
pub async fn fee_rules_import(state: State<'_, AppState>, path: String) -> Result<Vec<FeeItem>, AppError> {
    state
        .run(move |_| {
            let text = std::fs::read_to_string(&path).map_err(|e| file_error("无法读取文件", &path, &e))?;
            rules::parse_document(&text)
        })
        .await
}

/// A file that could not be read or written, in the user's words.
fn file_error(what: &str, path: &str, e: &std::io::Error) -> Error {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "文件或文件夹不存在".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有权限,文件可能正被其他程序打开".to_string(),
        std::io::ErrorKind::InvalidData => "文件不是 UTF-8 编码的文本,请选择导出的 .json 规则文件".to_string(),
        _ => e.to_string(),
    };
    Error::invalid(format!("{what}“{path}”:{why}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn demo() -> Db {
        let mut db = Db::open_scratch().expect("db");
        houqin::demo::load(&mut db, "2025-11-20".parse().expect("date")).expect("demo");
        db
    }

    #[test]
    fn the_form_shape_reads_as_fee_items() {
        let items = fee_items(json!([{
            "id": "meal", "name": "伙食费", "charge": {"per_day": "15"},
            "refund": {"per_day": {"min_run": 3, "unrefunded_per_run": 0, "kinds": ["sick", "personal"]}, "closures": true}
        }]))
        .expect("items");
        assert_eq!(items[0].name, "伙食费");
        assert_eq!(serde_json::to_value(&items[0]).expect("json")["charge"], json!({"per_day": "15.00"}));
    }

    #[test]
    fn a_bad_amount_names_the_item_in_chinese() {
        let err = fee_items(json!([{"id": "meal", "name": "伙食费", "charge": {"per_day": "十五"}}])).expect_err("bad");
        let msg = err.to_string();
        assert!(msg.starts_with("收费项目“伙食费”填写有误"), "{msg}");
        let err = fee_items(json!([
            {"id": "care", "name": "保教费", "charge": {"monthly": "800"},
             "refund": {"tiers": [{"attended_at_most": "none", "percent": 120}]}}
        ]))
        .expect_err("bad");
        assert!(err.to_string().contains("百分比必须在 0 到 100 之间"), "{err}");
    }

    #[test]
    fn a_missing_rule_file_says_so_in_chinese() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(
            file_error("无法读取文件", "/x/规则.json", &e).to_string(),
            "无法读取文件“/x/规则.json”:文件或文件夹不存在"
        );
    }

    #[test]
    fn trial_compares_with_the_rules_in_force_and_saves_nothing() {
        let db = demo();
        let month: YearMonth = "2025-10".parse().expect("month");
        let before = rules::versions(db.conn()).expect("versions");
        // Everything refunded from the first day: refunds can only grow.
        let t = trial(
            &db,
            month,
            json!([{"id": "meal", "name": "伙食费", "charge": {"per_day": "15.00"},
                    "refund": {"per_day": {"min_run": 1, "kinds": ["sick", "personal", "other"]}, "closures": true}}]),
        )
        .expect("trial");
        let current = t.current.expect("demo rules in force");
        let meal = |r: &SettlementResult| r.fees.iter().find(|f| f.fee_id == "meal").map(|f| f.refund).expect("meal");
        assert!(meal(&t.edited) >= meal(&current));
        assert_eq!(rules::versions(db.conn()).expect("versions"), before);
    }
}

/// The 收费公示 settings (basis per item, waivers, complaint phone).
#[tauri::command]
pub async fn fee_list_settings(state: State<'_, AppState>) -> Result<FeeListSettings, AppError> {
    state.run(move |db| fee_list::settings::get(db.conn())).await
}

/// Saves the 收费公示 settings; refused whole if any value is unusable.
#[tauri::command]
pub async fn fee_list_save(state: State<'_, AppState>, settings: FeeListSettings) -> Result<FeeListSettings, AppError> {
    state.run(move |db| fee_list::settings::save(db, &settings)).await
}

/// Writes the 收费公示 of the rules in force in `month` to `path`.
#[tauri::command]
pub async fn fee_list_pdf(state: State<'_, AppState>, month: YearMonth, path: String) -> Result<(), AppError> {
    state
        .run(move |db| {
            let list = fee_list::build(db.conn(), month, houqin::dates::today())?;
            fee_list::pdf::write(&list, Path::new(&path))
        })
        .await
}
