//! `users`: the people who sign in, their role and password hash.

use super::{Conn, Row, Tx};
use crate::auth::{Role, User, UserId};
use crate::{args, Result};

const COLUMNS: &str = "id, name, role, disabled, created_at, created_by, password_hash";

fn read(r: &Row) -> Result<(User, String)> {
    let role: Role = r.get(2)?;
    Ok((
        User {
            id: r.get(0)?,
            name: r.get(1)?,
            role,
            role_label: role.label().to_string(),
            disabled: r.get(3)?,
            created_at: r.get(4)?,
            created_by: r.get(5)?,
        },
        r.get(6)?,
    ))
}

pub fn count(conn: &Conn) -> Result<i64> {
    conn.value("SELECT COUNT(*) FROM users", &[])
}

/// Administrators who are not disabled.
pub fn active_admins(conn: &Conn) -> Result<i64> {
    conn.value("SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled", &[])
}

/// A user and their password hash.
pub fn by_name(conn: &Conn, name: &str) -> Result<Option<(User, String)>> {
    conn.row_opt(&format!("SELECT {COLUMNS} FROM users WHERE name = ?1"), &args![name], read)
}

/// The role and disabled flag of a user as stored now (checked in every write).
pub fn role_of(conn: &Conn, id: UserId) -> Result<Option<(Role, bool)>> {
    conn.row_opt("SELECT role, disabled FROM users WHERE id = ?1", &args![id], |r| Ok((r.get(0)?, r.get(1)?)))
}

pub fn list(conn: &Conn) -> Result<Vec<User>> {
    conn.rows(&format!("SELECT {COLUMNS} FROM users ORDER BY id"), &[], |r| read(r).map(|(u, _)| u))
}

pub fn insert(tx: &Tx, name: &str, role: Role, password_hash: &str) -> Result<UserId> {
    tx.insert(
        "INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        &args![name, role, password_hash, crate::dates::now(), tx.operator()],
    )
    .map(UserId)
}

pub fn set_disabled(tx: &Tx, id: UserId, disabled: bool) -> Result<()> {
    tx.exec("UPDATE users SET disabled = ?1 WHERE id = ?2", &args![disabled, id])?;
    Ok(())
}

pub fn set_password(tx: &Tx, id: UserId, password_hash: &str) -> Result<()> {
    tx.exec("UPDATE users SET password_hash = ?1 WHERE id = ?2", &args![password_hash, id])?;
    Ok(())
}
