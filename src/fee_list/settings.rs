//! What the 收费公示 needs beyond the fee rules: each item's 收费依据 (the
//! price bureau's or education bureau's document that approves it), the
//! waivers a family can apply for, and the complaint phone. Settings keys:
//! - `fee_list.basis`: a JSON object from fee item id to its basis text;
//! - `fee_list.waivers`: how to apply for a waiver, printed after the kinds of
//!   waiver (those come from the `waivers.kinds` setting);
//! - `fee_list.complaint_phone`: the 监督电话 (when empty, the meal account's
//!   监督电话 is printed).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::error::Error;
use crate::store::Conn;
use crate::text::{Field, Kind};
use crate::Result;

pub const KEY_BASIS: &str = "fee_list.basis";
pub const KEY_WAIVERS: &str = "fee_list.waivers";
pub const KEY_PHONE: &str = "fee_list.complaint_phone";

/// Longest basis text per item: it sits in one table cell.
const MAX_BASIS: usize = 80;
/// Longest waivers paragraph: it must leave the page room for the table.
const MAX_WAIVERS: usize = 300;

/// The 收费公示 settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeeListSettings {
    /// Fee item id → 收费依据 (e.g. `杭发改价格〔2024〕35号`).
    #[serde(default)]
    pub basis: BTreeMap<String, String>,
    /// 减免申请办法, printed under the kinds of waiver; may be empty.
    #[serde(default)]
    pub waivers: String,
    /// 监督电话; empty means the meal account's.
    #[serde(default)]
    pub complaint_phone: String,
}

impl FeeListSettings {
    /// Every problem at once, in Chinese.
    pub fn check(&self) -> Result<()> {
        let mut problems = Vec::new();
        for (id, text) in &self.basis {
            if let Err(why) = crate::text::check(&format!("“{id}”的收费依据"), Kind::Line, MAX_BASIS, text) {
                problems.push(why);
            }
        }
        if let Err(why) = crate::text::check("减免政策", Kind::Note, MAX_WAIVERS, &self.waivers) {
            problems.push(why);
        }
        if let Err(why) = Field::phone("监督电话").check(&self.complaint_phone) {
            problems.push(why);
        }
        let mut texts: Vec<&str> = self.basis.values().map(String::as_str).collect();
        texts.push(&self.waivers);
        problems.extend(crate::pdf::unprintable(&texts));
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(problems.join(";")))
        }
    }
}

/// The saved settings (empty when never set).
pub fn get(conn: &Conn) -> Result<FeeListSettings> {
    let basis = match crate::settings::get(conn, KEY_BASIS)? {
        Some(v) => serde_json::from_str(&v)
            .map_err(|_| Error::invalid("设置中的收费依据无法读取,请在“收费项目 → 收费公示”中重新填写"))?,
        None => BTreeMap::new(),
    };
    let waivers = crate::settings::get(conn, KEY_WAIVERS)?.unwrap_or_default();
    let complaint_phone = crate::settings::get(conn, KEY_PHONE)?.unwrap_or_default();
    Ok(FeeListSettings { basis, waivers, complaint_phone })
}

/// Saves the settings as one action (the bursar's), refused whole if any value is unusable.
pub fn save(db: &mut Db, s: &FeeListSettings) -> Result<FeeListSettings> {
    let s = FeeListSettings {
        basis: s
            .basis
            .iter()
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .filter(|(k, v)| !k.is_empty() && !v.is_empty())
            .collect(),
        waivers: s.waivers.trim().to_string(),
        complaint_phone: s.complaint_phone.trim().to_string(),
    };
    s.check()?;
    let basis = serde_json::to_string(&s.basis).map_err(|e| Error::invalid(format!("收费依据无法保存:{e}")))?;
    let some = |v: &str| Some(v.to_string()).filter(|v| !v.is_empty());
    crate::settings::save_all_for(
        db,
        crate::auth::Job::Fees,
        &[
            (KEY_BASIS, Some(basis).filter(|_| !s.basis.is_empty())),
            (KEY_WAIVERS, some(&s.waivers)),
            (KEY_PHONE, some(&s.complaint_phone)),
        ],
    )?;
    get(db.conn())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_listed_at_once() {
        let s = FeeListSettings {
            basis: [("care".to_string(), "x".repeat(81))].into(),
            waivers: String::new(),
            complaint_phone: "电话abc".into(),
        };
        let msg = s.check().unwrap_err().to_string();
        assert!(msg.contains("“care”的收费依据"), "{msg}");
        assert!(msg.contains("监督电话"), "{msg}");
    }
}
