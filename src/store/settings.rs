//! `settings`: the school's key/value settings.

use super::{Conn, Tx};
use crate::{args, Result};

pub fn get(conn: &Conn, key: &str) -> Result<Option<String>> {
    conn.row_opt("SELECT value FROM settings WHERE key = ?1", &args![key], |r| r.get(0))
}

pub fn put(tx: &Tx, key: &str, value: &str) -> Result<()> {
    tx.exec(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &args![key, value],
    )?;
    Ok(())
}

pub fn remove(tx: &Tx, key: &str) -> Result<()> {
    tx.exec("DELETE FROM settings WHERE key = ?1", &args![key])?;
    Ok(())
}
