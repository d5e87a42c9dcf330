//! The values that cross the storage seam, independent of the driver: what a
//! query is given ([`ToValue`]) and what a row hands back ([`FromValue`]).
//!
//! Dates travel as dates. SQLite keeps them as ISO text (`2026-11-20`,
//! `2026-11-20 08:30:00`), PostgreSQL as `DATE` / `TIMESTAMP`; each backend
//! converts at its edge, so the domain sees `NaiveDate` either way. Reading is
//! lenient where the two disagree only in representation (a date read as text,
//! a boolean read as 0/1), strict everywhere else.

use chrono::{NaiveDate, NaiveDateTime};

use super::error::StoreError;
use crate::Fen;

/// One value bound to, or read from, a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Blob(Vec<u8>),
}

/// How dates and times are written as text (SQLite's storage, and reads of a
/// PostgreSQL date as a string): the same format rusqlite used, so files
/// written before the storage layer read back unchanged.
pub const DATE_FORMAT: &str = "%Y-%m-%d";
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S%.f";

impl Value {
    /// The kind of value in the users' words, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "整数",
            Value::Real(_) => "小数",
            Value::Text(_) => "文字",
            Value::Bool(_) => "是/否",
            Value::Date(_) => "日期",
            Value::DateTime(_) => "时间",
            Value::Blob(_) => "二进制",
        }
    }
}

/// Something that can be bound as a statement parameter.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

/// Something a column can be read as.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Result<Self, StoreError>;
}

fn mismatch<T>(v: &Value, wanted: &str) -> Result<T, StoreError> {
    Err(StoreError::decode(format!("列的值({}:{v:?})不能读作{wanted}", v.kind_name())))
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
int_to_value!(i64, i32, u32, i16, u16, u8);

impl ToValue for usize {
    fn to_value(&self) -> Value {
        // Row counts and limits: far below i64::MAX on any machine this runs on.
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToValue for u64 {
    fn to_value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for NaiveDate {
    fn to_value(&self) -> Value {
        Value::Date(*self)
    }
}

impl ToValue for NaiveDateTime {
    fn to_value(&self) -> Value {
        Value::DateTime(*self)
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}

impl ToValue for Fen {
    fn to_value(&self) -> Value {
        Value::Int(self.0)
    }
}

impl ToValue for crate::dates::YearMonth {
    /// Months are stored as `YYYY-MM` text on both backends (they are keys, not dates).
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        match v {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl FromValue for Value {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        Ok(v.clone())
    }
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        match v {
            Value::Int(i) => Ok(*i),
            Value::Bool(b) => Ok(i64::from(*b)),
            other => mismatch(other, "整数"),
        }
    }
}

macro_rules! narrow_int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: &Value) -> Result<Self, StoreError> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| StoreError::decode(format!("整数 {i} 超出范围")))
            }
        }
    )*};
}
narrow_int_from_value!(i32, u32, u16, u8, usize, u64);

impl FromValue for f64 {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        match v {
            Value::Real(f) => Ok(*f),
            // Exact for every count and amount this program stores.
            #[allow(clippy::cast_precision_loss)]
            Value::Int(i) => Ok(*i as f64),
            other => mismatch(other, "小数"),
        }
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::Int(i) => Ok(*i != 0),
            other => mismatch(other, "是/否"),
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            Value::Date(d) => Ok(d.format(DATE_FORMAT).to_string()),
            Value::DateTime(t) => Ok(t.format(DATETIME_FORMAT).to_string()),
            other => mismatch(other, "文字"),
        }
    }
}

impl FromValue for NaiveDate {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        match v {
            Value::Date(d) => Ok(*d),
            Value::DateTime(t) => Ok(t.date()),
            Value::Text(s) => parse_iso_date(s).ok_or_else(|| StoreError::decode(format!("“{s}”不是日期"))),
            other => mismatch(other, "日期"),
        }
    }
}

impl FromValue for NaiveDateTime {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        match v {
            Value::DateTime(t) => Ok(*t),
            Value::Date(d) => Ok(d.and_time(chrono::NaiveTime::MIN)),
            Value::Text(s) => parse_iso_datetime(s).ok_or_else(|| StoreError::decode(format!("“{s}”不是时间"))),
            other => mismatch(other, "时间"),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        match v {
            Value::Blob(b) => Ok(b.clone()),
            Value::Text(s) => Ok(s.as_bytes().to_vec()),
            other => mismatch(other, "二进制"),
        }
    }
}

impl FromValue for Fen {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        i64::from_value(v).map(Fen)
    }
}

impl FromValue for crate::dates::YearMonth {
    fn from_value(v: &Value) -> Result<Self, StoreError> {
        let s = String::from_value(v)?;
        s.parse().map_err(|_| StoreError::decode(format!("“{s}”不是月份")))
    }
}

/// `YYYY-MM-DD`, read without chrono's general format parser (a year of leave
/// is tens of thousands of dates per settlement preview).
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| {
        b.get(range)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .map(|d| d.iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0')))
    };
    match (b.len(), b.get(4), b.get(7)) {
        (10, Some(b'-'), Some(b'-')) => match (num(0..4), num(5..7), num(8..10)) {
            (Some(y), Some(m), Some(d)) => i32::try_from(y).ok().and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
            _ => None,
        },
        _ => NaiveDate::parse_from_str(text, DATE_FORMAT).ok(),
    }
}

/// `YYYY-MM-DD HH:MM:SS[.fff]` or with a `T` (what rusqlite accepted).
pub fn parse_iso_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    NaiveDateTime::parse_from_str(t, DATETIME_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f"))
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
        .ok()
}

/// Parameters for a statement: `args![a, b, c]` is a `[Value; 3]` (pass `&args![…]`).
#[macro_export]
macro_rules! args {
    () => { [] as [$crate::store::Value; 0] };
    ($($v:expr),+ $(,)?) => { [$($crate::store::ToValue::to_value(&$v)),+] };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_from_either_representation() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
        assert_eq!(NaiveDate::from_value(&Value::Text("2026-11-20".into())).expect("text"), d);
        assert_eq!(NaiveDate::from_value(&Value::Date(d)).expect("date"), d);
        assert_eq!(String::from_value(&Value::Date(d)).expect("as text"), "2026-11-20");
        let t = d.and_hms_opt(8, 30, 0).expect("time");
        assert_eq!(NaiveDateTime::from_value(&Value::Text("2026-11-20 08:30:00".into())).expect("text"), t);
        assert_eq!(NaiveDateTime::from_value(&Value::Text("2026-11-20T08:30:00".into())).expect("T"), t);
        assert!(NaiveDate::from_value(&Value::Text("2026-13-01".into())).is_err());
    }

    #[test]
    fn booleans_and_integers() {
        assert!(bool::from_value(&Value::Int(1)).expect("int"));
        assert!(!bool::from_value(&Value::Bool(false)).expect("bool"));
        assert_eq!(i64::from_value(&Value::Bool(true)).expect("bool"), 1);
        assert!(i64::from_value(&Value::Text("1".into())).is_err(), "text is not silently a number");
        assert_eq!(Option::<i64>::from_value(&Value::Null).expect("null"), None);
        assert!(u8::from_value(&Value::Int(300)).is_err());
    }

    #[test]
    fn args_macro_converts_each_value() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 2).expect("date");
        let a = args![1_i64, "x", d, Option::<i64>::None, Fen(5), true];
        assert_eq!(
            a,
            [Value::Int(1), Value::Text("x".into()), Value::Date(d), Value::Null, Value::Int(5), Value::Bool(true)]
        );
    }
}
