//! The kinds of waiver (减免类别) a school grants, with each kind's usual
//! percent: a setting (`waivers.kinds`, a JSON list), never a literal in the
//! logic. The 收费公示 prints them as its 减免/资助 paragraph, so they are
//! typed once.

use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::store::Conn;
use crate::text::Field;
use crate::{Error, Result};

pub const KEY: &str = "waivers.kinds";

/// One kind of waiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WaiverKind {
    /// 学前教育资助/家庭经济困难, 孤儿/残疾儿童 …
    pub name: String,
    /// The percent a waiver of this kind takes when none is typed (1–100);
    /// `None`: the amount must be typed.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub percent: Option<u32>,
}

/// The kinds a new school starts with (issue 16): the bursar edits them and
/// their percents to the local policy.
pub fn defaults() -> Vec<WaiverKind> {
    [
        ("学前教育资助/家庭经济困难", Some(50)),
        ("孤儿/残疾儿童", Some(100)),
        ("烈士子女", Some(100)),
        ("二孩及以上", Some(20)),
        ("教职工子女", Some(50)),
        ("其他", None),
    ]
    .into_iter()
    .map(|(name, percent)| WaiverKind { name: name.into(), percent })
    .collect()
}

const NAME: Field = Field::name("减免类别");

/// The saved kinds, or the defaults.
pub fn get(conn: &Conn) -> Result<Vec<WaiverKind>> {
    match crate::settings::get(conn, KEY)? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|_| Error::invalid("设置中的减免类别无法读取,请在“收费项目 → 减免/资助 → 减免类别”中重新填写")),
        None => Ok(defaults()),
    }
}

/// Every problem at once: empty or repeated names, a percent outside 1–100.
pub fn check(kinds: &[WaiverKind]) -> Result<()> {
    let mut problems = Vec::new();
    if kinds.is_empty() {
        problems.push("至少要有一个减免类别".to_string());
    }
    for (i, k) in kinds.iter().enumerate() {
        if let Err(why) = NAME.check(&k.name) {
            problems.push(why);
        } else if k.name.trim().is_empty() {
            problems.push(format!("第 {} 个减免类别没有名称", i + 1));
        }
        if kinds[..i].iter().any(|o| o.name.trim() == k.name.trim()) {
            problems.push(format!("减免类别“{}”重复", k.name.trim()));
        }
        if let Some(p) = k.percent.filter(|p| !(1..=100).contains(p)) {
            problems.push(format!("减免类别“{}”的比例 {p}% 不在 1–100 之间", k.name.trim()));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(problems.join(";")))
    }
}

/// Saves the kinds (the bursar's setting), refused whole if any is unusable.
pub fn save(db: &mut Db, kinds: &[WaiverKind]) -> Result<Vec<WaiverKind>> {
    let kinds: Vec<WaiverKind> =
        kinds.iter().map(|k| WaiverKind { name: k.name.trim().to_string(), percent: k.percent }).collect();
    check(&kinds)?;
    let json = serde_json::to_string(&kinds).map_err(|e| Error::invalid(format!("减免类别无法保存:{e}")))?;
    crate::settings::save_all_for(db, crate::auth::Job::Fees, &[(KEY, Some(json))])?;
    get(db.conn())
}

/// The kinds in one line, for the 收费公示: `学前教育资助/家庭经济困难(减免 50%)、…、其他`.
pub fn in_words(kinds: &[WaiverKind]) -> String {
    kinds
        .iter()
        .map(|k| match k.percent {
            Some(p) => format!("{}(减免 {p}%)", k.name),
            None => k.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("、")
}
