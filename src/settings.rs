//! School settings as key/value pairs: the operator, and later every
//! school-specific number (rates, minimum weights, thresholds). Values are
//! stored as text; typed accessors live next to the rules that use them.

use crate::db::{Db, Tx};
use crate::store::{self, Conn};
use crate::Result;

/// The operator remembered from the last start-up (who changes are audited as).
pub const OPERATOR: &str = "operator";

pub fn get(conn: &Conn, key: &str) -> Result<Option<String>> {
    store::settings::get(conn, key)
}

/// Stores a setting, audited with its old and new value.
pub fn set(db: &mut Db, key: &str, value: &str) -> Result<()> {
    save_all(db, &[(key, Some(value.to_string()))])
}

/// Saves a settings form: every key in one transaction (one user action), each
/// key that changes audited with its old and new value; `None` removes a key
/// (back to its default). Unchanged keys write nothing.
pub fn save_all(db: &mut Db, values: &[(&str, Option<String>)]) -> Result<()> {
    save_all_for(db, crate::auth::Job::Settings, values)
}

/// [`save_all`] for the settings of one area, which the people of that area
/// may change (the kitchen's fridge readings per day, the bursar's notice
/// texts); the school-wide ones stay the administrator's.
pub fn save_all_for(db: &mut Db, job: crate::auth::Job, values: &[(&str, Option<String>)]) -> Result<()> {
    db.write(job, |tx| {
        for (key, value) in values {
            set_in_tx(tx, key, value.as_deref())?;
        }
        Ok(())
    })
}

/// Sets (or, with `None`, removes) one key inside a transaction, auditing the
/// change if there is one.
pub fn set_in_tx(tx: &Tx, key: &str, value: Option<&str>) -> Result<()> {
    let before = get(tx, key)?;
    if before.as_deref() == value {
        return Ok(());
    }
    match value {
        Some(v) => store::settings::put(tx, key, v)?,
        None => store::settings::remove(tx, key)?,
    }
    let json = |v: Option<&str>| v.map(|s| serde_json::Value::String(s.to_string()));
    tx.audit("setting", key, "set", json(before.as_deref()).as_ref(), json(value).as_ref())
}

/// Who is working, as the audit trail records them: a person, or a post
/// shared by several (财务室), on one line.
pub const OPERATOR_FIELD: crate::text::Field = crate::text::Field::name("操作员姓名").max(crate::text::PERSON_NAME_MAX);

/// Chooses the operator for this session and remembers them for the next start.
pub fn set_operator(db: &mut Db, name: &str) -> Result<()> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::Error::invalid("请填写操作员姓名"));
    }
    OPERATOR_FIELD.check(name).map_err(crate::Error::Invalid)?;
    db.set_operator(name);
    set(db, OPERATOR, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_is_remembered_and_used_for_audit() {
        let mut db = Db::open_scratch().expect("db");
        set_operator(&mut db, " 张老师 ").expect("set");
        assert_eq!(get(db.conn(), OPERATOR).expect("get").as_deref(), Some("张老师"));
        let log = crate::db::audit::recent(db.conn(), Some("setting"), 1).expect("audit");
        assert_eq!(log[0].operator, "张老师");
        assert!(set_operator(&mut db, "  ").is_err());
    }
}
