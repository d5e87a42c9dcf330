//! School setup: the profile, classes, staff, children (with class moves and
//! leaving, which keep history) and the school's own calendar entries.
//! Each submodule owns the SQL of its tables; writes take `&mut Db` and run in
//! one transaction with an audit entry, reads take a `&Conn`.

pub mod calendar;
pub mod children;
pub mod classes;
pub mod profile;
pub mod staff;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }


        impl $crate::store::ToValue for $name {
            fn to_value(&self) -> $crate::store::Value {
                $crate::store::Value::Int(self.0)
            }
        }

        impl $crate::store::FromValue for $name {
            fn from_value(v: &$crate::store::Value) -> std::result::Result<Self, $crate::store::StoreError> {
                i64::from_value(v).map($name)
            }
        }
    };
}
// Other domains (samples, stock, assets) declare their ids with the same macro.
#[allow(unused_imports)]
pub(crate) use id_type;

id_type!(
    /// A class (班级).
    ClassId
);
id_type!(
    /// A child (幼儿).
    ChildId
);
id_type!(
    /// A member of staff (教职工).
    StaffId
);

/// Stores a small enum as its snake_case serde name in a TEXT column.
macro_rules! text_enum_sql {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            /// The stored (and JSON) name.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// The inverse of [`Self::code`].
            pub fn from_code(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        impl $crate::store::ToValue for $name {
            fn to_value(&self) -> $crate::store::Value {
                $crate::store::Value::Text(self.code().to_string())
            }
        }
        impl $crate::store::FromValue for $name {
            fn from_value(v: &$crate::store::Value) -> std::result::Result<Self, $crate::store::StoreError> {
                let s = String::from_value(v)?;
                $name::from_code(&s).ok_or_else(|| $crate::store::StoreError::decode(format!("unknown {}: {s}", stringify!($name))))
            }
        }
    };
}
pub(crate) use text_enum_sql;

/// 年级: the four kindergarten grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 托班 (2–3 years)
    Nursery,
    /// 小班
    Junior,
    /// 中班
    Middle,
    /// 大班
    Senior,
}
text_enum_sql!(Grade { Nursery => "nursery", Junior => "junior", Middle => "middle", Senior => "senior" });

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Nursery, Grade::Junior, Grade::Middle, Grade::Senior];

    pub fn label(self) -> &'static str {
        match self {
            Grade::Nursery => "托班",
            Grade::Junior => "小班",
            Grade::Middle => "中班",
            Grade::Senior => "大班",
        }
    }

    /// Accepts 托班/小班/中班/大班, 托/小/中/大 and the code names.
    pub fn parse(s: &str) -> Option<Grade> {
        let t = s.trim();
        Grade::from_code(&t.to_ascii_lowercase()).or(match t {
            "托班" | "托" => Some(Grade::Nursery),
            "小班" | "小" => Some(Grade::Junior),
            "中班" | "中" => Some(Grade::Middle),
            "大班" | "大" => Some(Grade::Senior),
            _ => None,
        })
    }
}

/// 性别
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}
text_enum_sql!(Gender { Male => "male", Female => "female" });

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    /// Accepts 男/女, 男孩/女孩, M/F, male/female.
    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim().to_ascii_lowercase().as_str() {
            "男" | "男孩" | "m" | "male" => Some(Gender::Male),
            "女" | "女孩" | "f" | "female" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// Trims a required text field, or says which field is missing.
pub(crate) fn required(value: &str, field: &str) -> crate::Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(crate::Error::invalid(format!("请填写{field}")));
    }
    Ok(v.to_string())
}
