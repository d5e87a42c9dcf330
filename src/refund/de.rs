//! How the engine's input reads people's spelling of ids and dates in JSON
//! (scenario files, shared rule documents). Kept apart from the scenario
//! runner so the engine's types need nothing from it: the runner is built on
//! the engine, not the other way round.

use chrono::NaiveDate;
use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

use crate::dates::parse_date;

/// An id written as text or as a whole number.
pub(super) fn de_id<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
        other => Err(de::Error::custom(format!("编号应为文字或整数,而不是 {other}"))),
    }
}

/// A date as people write it (`2025-10-09`, `2025/10/9`, `2025年10月9日`).
pub(super) fn de_date<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<NaiveDate, D::Error> {
    let s = String::deserialize(d)?;
    parse_date(&s).ok_or_else(|| de::Error::custom(format!("“{s}”不是有效的日期(例如 2025-10-09)")))
}

/// An optional date; `null` or an empty string mean none.
pub(super) fn de_opt_date<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => {
            parse_date(&s).map(Some).ok_or_else(|| de::Error::custom(format!("“{s}”不是有效的日期(例如 2025-10-09)")))
        }
    }
}
