//! Asset categories (资产类别): code, name, default useful life, whether they
//! depreciate, whether they are special equipment (with its own
//! capitalisation threshold) and whether they are registered whatever the
//! price (books, children's desks and chairs).
//!
//! The common kindergarten categories ship with the schema (see
//! `migrations/0007_assets.sql`); the school edits them and adds its own.
//! Deliberately out: deleting a category that cards use, and a tree of
//! sub-categories (a code is a label here, not a hierarchy).

use serde::{Deserialize, Serialize};

use super::{limited, required, CategoryId};
use crate::db::Db;
use crate::store::{self, Conn};
use crate::{Error, Result};

/// A category as lists and forms show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Category {
    pub id: CategoryId,
    /// GB/T 14885-2022 style (A02010100) or a 7-digit 2010 code.
    pub code: String,
    pub name: String,
    /// Default useful life for new cards, in months (0 when it does not depreciate).
    pub life_months: u32,
    pub depreciates: bool,
    /// 专用设备: the special-equipment threshold applies.
    pub special: bool,
    /// Registered whatever the price (no 低值易耗品 suggestion).
    pub always_register: bool,
    /// Default unit (计量单位) for new cards.
    pub unit: String,
    /// Cards in this category (on the books or not).
    pub asset_count: i64,
}

/// What the category form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CategoryInput {
    pub code: String,
    pub name: String,
    /// 使用年限 as typed: `6` (years), `6年`, `18个月`; empty when it does not depreciate.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub life: String,
    pub depreciates: bool,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub special: bool,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub always_register: bool,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub unit: String,
}

/// A category that passed `check`: what is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedCategory {
    /// Upper case.
    pub code: String,
    pub name: String,
    /// 0 when it does not depreciate.
    pub life_months: u32,
    pub depreciates: bool,
    pub special: bool,
    pub always_register: bool,
    pub unit: String,
}

/// All categories by code.
pub fn list(conn: &Conn) -> Result<Vec<Category>> {
    store::assets::categories::list(conn)
}

/// One category.
pub fn get(conn: &Conn, id: CategoryId) -> Result<Category> {
    store::assets::categories::get(conn, id)?.ok_or_else(|| Error::not_found("资产类别", id))
}

/// A category by its code (any case) or its name (as an import file or the CLI gives it).
pub fn find(conn: &Conn, code_or_name: &str) -> Result<Option<Category>> {
    store::assets::categories::find(conn, code_or_name.trim())
}

/// Reads a useful life as people write it: `6` or `6年` (years), `18个月` /
/// `18月` (months). Empty gives `None` (use the category's default).
pub fn parse_life(text: &str) -> Result<Option<u32>> {
    let t = text.trim().replace(' ', "");
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || Error::invalid(format!("使用年限“{}”无效,请填写年数(如 6)或月数(如 18个月)", text.trim()));
    let months = if let Some(n) = t.strip_suffix("个月").or_else(|| t.strip_suffix('月')) {
        n.parse::<u32>().map_err(|_| bad())?
    } else {
        let n = t.strip_suffix('年').unwrap_or(&t);
        n.parse::<u32>().map_err(|_| bad())?.checked_mul(12).ok_or_else(bad)?
    };
    if months > 1200 {
        return Err(Error::invalid(format!("使用年限“{}”超过 100 年,请检查", text.trim())));
    }
    Ok(Some(months))
}

/// `6 年` or `18 个月`; `不折旧` for 0.
pub fn life_label(months: u32) -> String {
    match months {
        0 => "不折旧".into(),
        m if m % 12 == 0 => format!("{} 年", m / 12),
        m => format!("{m} 个月"),
    }
}

/// Whether `code` looks like a GB/T 14885 code: a capital letter and 8 digits
/// (2022), or 7 digits (2010).
pub fn code_ok(code: &str) -> bool {
    let b = code.as_bytes();
    (b.len() == 9 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit))
        || (b.len() == 7 && b.iter().all(u8::is_ascii_digit))
}

fn check(input: &CategoryInput) -> Result<CheckedCategory> {
    let code = required(&input.code, "类别代码")?.to_ascii_uppercase();
    if !code_ok(&code) {
        return Err(Error::invalid(format!(
            "类别代码“{code}”格式不对:应为 GB/T 14885-2022 的 9 位代码(一个大写字母加 8 位数字,如 A02010100),\
             或 2010 版的 7 位数字代码(如 2010104)"
        )));
    }
    let name = limited(&required(&input.name, "类别名称")?, "类别名称", 30)?;
    let life = parse_life(&input.life)?.unwrap_or(0);
    if input.depreciates && life == 0 {
        return Err(Error::invalid(format!("“{name}”计提折旧,请填写使用年限")));
    }
    let unit = limited(&input.unit, "计量单位", 6)?;
    Ok(CheckedCategory {
        code,
        name,
        life_months: if input.depreciates { life } else { 0 },
        depreciates: input.depreciates,
        special: input.special,
        always_register: input.always_register,
        unit: if unit.is_empty() { "台".into() } else { unit },
    })
}

/// Refuses a code or name another category (than `except`) already has.
fn clash(conn: &Conn, c: &CheckedCategory, except: Option<CategoryId>) -> Result<()> {
    match store::assets::categories::clash(conn, &c.code, &c.name, except)? {
        Some((code, name)) if code.eq_ignore_ascii_case(&c.code) => {
            Err(Error::conflict(format!("类别代码 {} 已被“{name}”使用", c.code)))
        }
        Some(_) => Err(Error::conflict(format!("已有名为“{}”的资产类别", c.name))),
        None => Ok(()),
    }
}

/// Adds a category.
pub fn add(db: &mut Db, input: &CategoryInput) -> Result<CategoryId> {
    let checked = check(input)?;
    db.write(crate::auth::Job::Assets, |tx| {
        clash(tx, &checked, None)?;
        let id = store::assets::categories::insert(tx, &checked)?;
        tx.audit("asset_category", id, "create", None, Some(&serde_json::json!(input)))?;
        Ok(id)
    })
}

/// Changes a category. Cards keep the useful life they were registered with;
/// the new life applies to new cards.
pub fn update(db: &mut Db, id: CategoryId, input: &CategoryInput) -> Result<()> {
    let checked = check(input)?;
    db.write(crate::auth::Job::Assets, |tx| {
        let before = get(tx, id)?;
        clash(tx, &checked, Some(id))?;
        store::assets::categories::update(tx, id, &checked)?;
        tx.audit("asset_category", id, "update", Some(&serde_json::json!(before)), Some(&serde_json::json!(input)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_categories_ship_with_lives_from_the_rules() {
        let db = Db::open_scratch().expect("db");
        let all = list(db.conn()).expect("list");
        let by = |name: &str| all.iter().find(|c| c.name == name).expect(name).clone();
        assert_eq!(by("计算机").life_months, 72);
        assert_eq!(by("空调").life_months, 120);
        assert_eq!(by("幼儿桌椅").life_months, 60);
        assert_eq!(by("户外游乐及体育器材").life_months, 60);
        assert_eq!(by("家具").life_months, 180);
        assert!(!by("图书").depreciates && !by("土地").depreciates);
        assert!(by("图书").always_register && by("幼儿桌椅").always_register);
        assert!(by("厨房设备").special);
        assert!(all.iter().all(|c| code_ok(&c.code)), "{all:?}");
    }

    #[test]
    fn lives_parse_as_typed() {
        assert_eq!(parse_life("6").expect("ok"), Some(72));
        assert_eq!(parse_life("6 年").expect("ok"), Some(72));
        assert_eq!(parse_life("18个月").expect("ok"), Some(18));
        assert_eq!(parse_life("").expect("ok"), None);
        assert!(parse_life("六年").expect_err("bad").to_string().contains("使用年限“六年”无效"));
        assert!(parse_life("200").is_err());
    }

    #[test]
    fn categories_are_checked_and_duplicates_refused() {
        let mut db = Db::open_scratch().expect("db");
        let input = CategoryInput {
            code: "a02010200".into(),
            name: "平板电脑".into(),
            life: "6".into(),
            depreciates: true,
            special: false,
            always_register: false,
            unit: String::new(),
        };
        let id = add(&mut db, &input).expect("add");
        let c = get(db.conn(), id).expect("get");
        assert_eq!((c.code.as_str(), c.life_months, c.unit.as_str()), ("A02010200", 72, "台"));
        let msg = add(&mut db, &CategoryInput { name: "别的".into(), ..input.clone() }).expect_err("dup").to_string();
        assert!(msg.contains("类别代码 A02010200 已被“平板电脑”使用"), "{msg}");
        let msg = add(&mut db, &CategoryInput { code: "XYZ".into(), ..input.clone() }).expect_err("code").to_string();
        assert!(msg.contains("格式不对"), "{msg}");
        let msg =
            add(&mut db, &CategoryInput { code: "A09000000".into(), life: "".into(), ..input }).expect_err("life");
        assert!(msg.to_string().contains("请填写使用年限"));
        assert_eq!(find(db.conn(), "平板电脑").expect("find").map(|c| c.id), Some(id));
    }
}
