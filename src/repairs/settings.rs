//! The repair settings, stored in the `settings` table under `repairs.*`:
//!
//! - `repairs.urgent_visit_days`: days an urgent request may wait for the
//!   repairer (0: the same day, the seeds' rule);
//! - `repairs.normal_visit_days`: the same for the others;
//! - `repairs.scrap_share_percent`: a repair costing more than this share of
//!   the card's 原值 suggests 报废 instead.

use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::store::Conn;
use crate::{settings as kv, Error, Fen, Result};

const URGENT_DAYS: &str = "repairs.urgent_visit_days";
const NORMAL_DAYS: &str = "repairs.normal_visit_days";
const SCRAP_PERCENT: &str = "repairs.scrap_share_percent";

/// The settings as the rules use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RepairSettings {
    pub urgent_visit_days: u32,
    pub normal_visit_days: u32,
    /// Percent of 原值, 1–100.
    pub scrap_share_percent: u32,
}

impl Default for RepairSettings {
    /// Same day for urgent (the seeds: 维修人员当天必须到达维修现场), three
    /// days otherwise, 报废 suggested above half the 原值.
    fn default() -> Self {
        RepairSettings { urgent_visit_days: 0, normal_visit_days: 3, scrap_share_percent: 50 }
    }
}

impl RepairSettings {
    /// Whether `cost` is more than the set share of `original` (a card of
    /// 原值 0 suggests nothing).
    pub fn suggests_scrap(&self, cost: Fen, original: Fen) -> bool {
        original.0 > 0 && i128::from(cost.0) * 100 > i128::from(original.0) * i128::from(self.scrap_share_percent)
    }

    fn check(&self) -> Result<()> {
        if self.urgent_visit_days > 30 || self.normal_visit_days > 90 {
            return Err(Error::invalid("上门期限过长:紧急报修最多 30 天,一般报修最多 90 天"));
        }
        if self.urgent_visit_days > self.normal_visit_days {
            return Err(Error::invalid("紧急报修的上门期限不能长于一般报修"));
        }
        if !(1..=100).contains(&self.scrap_share_percent) {
            return Err(Error::invalid("建议报废的维修费用比例应在 1% 到 100% 之间"));
        }
        Ok(())
    }
}

fn number(conn: &Conn, key: &str, label: &str, default: u32) -> Result<u32> {
    match kv::get(conn, key)?.filter(|v| !v.trim().is_empty()) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| Error::invalid(format!("报修设置“{label}”的值“{v}”无效,请在 报修 → 设置 中重新填写"))),
    }
}

/// Reads the settings, with defaults for what was never set.
pub fn load(conn: &Conn) -> Result<RepairSettings> {
    let d = RepairSettings::default();
    Ok(RepairSettings {
        urgent_visit_days: number(conn, URGENT_DAYS, "紧急报修上门天数", d.urgent_visit_days)?,
        normal_visit_days: number(conn, NORMAL_DAYS, "一般报修上门天数", d.normal_visit_days)?,
        scrap_share_percent: number(conn, SCRAP_PERCENT, "建议报废的维修费比例", d.scrap_share_percent)?,
    })
}

/// Saves them (the asset keeper's), audited.
pub fn save(db: &mut Db, s: &RepairSettings) -> Result<()> {
    s.check()?;
    kv::save_all_for(
        db,
        crate::auth::Job::Assets,
        &[
            (URGENT_DAYS, Some(s.urgent_visit_days.to_string())),
            (NORMAL_DAYS, Some(s.normal_visit_days.to_string())),
            (SCRAP_PERCENT, Some(s.scrap_share_percent.to_string())),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrap_is_suggested_strictly_above_the_share() {
        let s = RepairSettings::default();
        assert!(!s.suggests_scrap(Fen::yuan(1_500), Fen::yuan(3_000)), "exactly half is not above it");
        assert!(s.suggests_scrap(Fen(150_001), Fen::yuan(3_000)));
        assert!(!s.suggests_scrap(Fen::yuan(10), Fen::ZERO), "a card of no value suggests nothing");
        assert!(s.suggests_scrap(Fen::MAX_INPUT, Fen::MAX_INPUT.checked_sub(Fen(1)).expect("sub")));
    }
}
