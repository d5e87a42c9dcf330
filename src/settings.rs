//! School settings as key/value pairs: the operator, and later every
//! school-specific number (rates, minimum weights, thresholds). Values are
//! stored as text; typed accessors live next to the rules that use them.

use rusqlite::Connection;

use crate::db::Db;
use crate::Result;

/// The operator remembered from the last start-up (who changes are audited as).
pub const OPERATOR: &str = "operator";

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// Stores a setting, audited with its old and new value.
pub fn set(db: &mut Db, key: &str, value: &str) -> Result<()> {
    let before = get(db.conn(), key)?;
    db.with_tx(|tx| {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        tx.audit(
            "setting",
            key,
            "set",
            before.map(serde_json::Value::String).as_ref(),
            Some(&serde_json::Value::String(value.to_string())),
        )
    })
}

/// Chooses the operator for this session and remembers them for the next start.
pub fn set_operator(db: &mut Db, name: &str) -> Result<()> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::Error::invalid("请填写操作员姓名"));
    }
    db.set_operator(name);
    set(db, OPERATOR, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_is_remembered_and_used_for_audit() {
        let mut db = Db::open_in_memory().expect("db");
        set_operator(&mut db, " 张老师 ").expect("set");
        assert_eq!(get(db.conn(), OPERATOR).expect("get").as_deref(), Some("张老师"));
        let log = crate::db::audit::recent(db.conn(), Some("setting"), 1).expect("audit");
        assert_eq!(log[0].operator, "张老师");
        assert!(set_operator(&mut db, "  ").is_err());
    }
}
