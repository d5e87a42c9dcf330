//! The school's own lists for supplies, kept as settings (audited like every
//! setting): the departments that take supplies besides the classes, and the
//! categories and units offered as suggestions in the catalogue. Other
//! categories and units can be typed; these only fill the pick lists.

use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::store::Conn;
use crate::{Error, Result};

/// Setting key: departments (领用部门) other than classes, separated by `,` or `、`.
pub const DEPARTMENTS: &str = "supplies.departments";
/// Setting key: suggested categories.
pub const CATEGORIES: &str = "supplies.categories";
/// Setting key: suggested units.
pub const UNITS: &str = "supplies.units";

const DEFAULT_DEPARTMENTS: &str = "园长室、办公室、财务室、保健室、食堂、保安室、后勤组";
const DEFAULT_CATEGORIES: &str = "办公用品、清洁用品、教玩具、卫生用品、食堂用品、维修材料、其他";
const DEFAULT_UNITS: &str = "个、支、盒、包、箱、瓶、桶、卷、本、张、把、双、套、块、袋";

/// What the supplies forms offer to pick from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SuppliesOptions {
    /// Departments that take supplies, besides the classes.
    pub departments: Vec<String>,
    /// Class names (active classes), offered first as 领用部门.
    pub classes: Vec<String>,
    /// Suggested categories.
    pub categories: Vec<String>,
    /// Suggested units.
    pub units: Vec<String>,
}

/// Splits a stored list on `,`, `，`, `、` or new lines, dropping blanks and repeats.
pub fn split_list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in s.split([',', '，', '、', '\n', ';', '；']) {
        let p = part.trim();
        if !p.is_empty() && !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    out
}

fn list(conn: &Conn, key: &str, default: &str) -> Result<Vec<String>> {
    Ok(split_list(&crate::settings::get(conn, key)?.unwrap_or_else(|| default.to_string())))
}

/// The lists, with the defaults where the school has not set its own.
pub fn options(conn: &Conn) -> Result<SuppliesOptions> {
    Ok(SuppliesOptions {
        departments: list(conn, DEPARTMENTS, DEFAULT_DEPARTMENTS)?,
        // Names only: every issue slip checks its 领用部门 against these, and
        // the head counts of the class list cost a query per child.
        classes: crate::store::classes::names(conn)?,
        categories: list(conn, CATEGORIES, DEFAULT_CATEGORIES)?,
        units: list(conn, UNITS, DEFAULT_UNITS)?,
    })
}

/// Sorts `rows` by category in the school's list order (categories not in the
/// list last, by name), keeping the order within a category.
pub fn sort_by_category<T>(conn: &Conn, rows: &mut [T], category: impl Fn(&T) -> &str) -> Result<()> {
    let order = list(conn, CATEGORIES, DEFAULT_CATEGORIES)?;
    rows.sort_by_cached_key(|r| {
        let c = category(r);
        (order.iter().position(|o| o == c).unwrap_or(usize::MAX), c.to_string())
    });
    Ok(())
}

/// Saves the three lists (class names are not stored here: they come from the classes).
pub fn save(db: &mut Db, departments: &[String], categories: &[String], units: &[String]) -> Result<SuppliesOptions> {
    let join = |v: &[String]| split_list(&v.join("、")).join("、");
    let deps = join(departments);
    if deps.is_empty() {
        return Err(Error::invalid("请至少填写一个领用部门(例如 办公室)"));
    }
    for (what, list) in [("领用部门", departments), ("物品类别", categories), ("单位", units)] {
        for entry in split_list(&list.join("、")) {
            crate::text::check(what, crate::text::Kind::Name, 20, &entry).map_err(Error::Invalid)?;
        }
    }
    db.write(crate::auth::Job::Supplies, |tx| {
        // The class names are read in the transaction that saves: a class
        // added on another PC meanwhile is checked too.
        let class_names = crate::store::classes::names(tx)?;
        if let Some(clash) = split_list(&deps).into_iter().find(|d| class_names.contains(d)) {
            return Err(Error::invalid(format!("“{clash}”是班级名称,班级会自动列出,不必再作为部门填写")));
        }
        for (key, value) in [(DEPARTMENTS, deps.clone()), (CATEGORIES, join(categories)), (UNITS, join(units))] {
            crate::settings::set_in_tx(tx, key, Some(&value))?;
        }
        options(tx)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::school::classes;

    #[test]
    fn defaults_then_the_schools_own_lists() {
        let mut db = Db::open_scratch().expect("db");
        let o = options(db.conn()).expect("options");
        assert!(o.departments.contains(&"食堂".to_string()));
        assert!(o.units.contains(&"支".to_string()));
        let o =
            save(&mut db, &["食堂, 门卫".into(), "食堂".into()], &["办公用品".into()], &["个".into()]).expect("save");
        assert_eq!(o.departments, ["食堂", "门卫"]);
        assert!(save(&mut db, &[" ".into()], &[], &[]).is_err());
        classes::add(
            &mut db,
            &classes::ClassInput {
                name: "大一班".into(),
                grade: crate::school::Grade::Senior,
                head_teacher: String::new(),
            },
        )
        .expect("class");
        let err = save(&mut db, &["大一班".into()], &[], &[]).expect_err("a class is not a department");
        assert_eq!(err.to_string(), "“大一班”是班级名称,班级会自动列出,不必再作为部门填写");
        assert_eq!(options(db.conn()).expect("options").departments, ["食堂", "门卫"], "nothing saved");
    }
}
