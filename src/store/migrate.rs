//! Versioned schema migrations for both backends, embedded in the binary.
//!
//! Each runs in its own transaction and is recorded in `schema_migrations`
//! with its checksum. A released migration is never edited: [`RELEASED`] pins
//! each one's checksum (a test fails on an edit), and opening a database
//! refuses one whose recorded checksum differs from the program's.
//!
//! Versions are shared by the two backends. PostgreSQL starts at version 10
//! with the whole schema in one step (there were no server databases before
//! it); from 11 on, every migration has an SQLite and a PostgreSQL text. On
//! PostgreSQL the migrations run under an advisory lock, so two PCs starting
//! at once don't both migrate.

use super::{Conn, Dialect};
use crate::{args, Error, Result};

/// One schema step: its version, name, and its SQL per backend (`None`: the
/// step does not exist on that backend).
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: Option<&'static str>,
    pub postgres: Option<&'static str>,
}

impl Migration {
    /// The SQL of this step for `dialect`.
    pub fn sql(&self, dialect: Dialect) -> Option<&'static str> {
        match dialect {
            Dialect::Sqlite => self.sqlite,
            Dialect::Postgres => self.postgres,
        }
    }
}

const fn sqlite_only(version: i64, name: &'static str, sql: &'static str) -> Migration {
    Migration { version, name, sqlite: Some(sql), postgres: None }
}

/// Every step, in version order (consecutive from 1).
pub const MIGRATIONS: &[Migration] = &[
    sqlite_only(1, "foundation", include_str!("../../migrations/0001_foundation.sql")),
    sqlite_only(2, "absences", include_str!("../../migrations/0002_absences.sql")),
    sqlite_only(3, "settlements", include_str!("../../migrations/0003_settlements.sql")),
    sqlite_only(4, "notices", include_str!("../../migrations/0004_notices.sql")),
    sqlite_only(5, "kitchen", include_str!("../../migrations/0005_kitchen.sql")),
    sqlite_only(6, "supplies", include_str!("../../migrations/0006_supplies.sql")),
    sqlite_only(7, "assets", include_str!("../../migrations/0007_assets.sql")),
    sqlite_only(8, "meal_account", include_str!("../../migrations/0008_meal_account.sql")),
    sqlite_only(9, "settlement_inputs", include_str!("../../migrations/0009_settlement_inputs.sql")),
    Migration {
        version: 10,
        name: "payments",
        sqlite: Some(include_str!("../../migrations/0010_payments.sql")),
        postgres: Some(include_str!("../../migrations/postgres/0010_schema.sql")),
    },
    Migration {
        version: 11,
        name: "users",
        sqlite: Some(include_str!("../../migrations/0011_users.sql")),
        postgres: Some(include_str!("../../migrations/postgres/0011_users.sql")),
    },
    Migration {
        version: 12,
        name: "kitchen_checks",
        sqlite: Some(include_str!("../../migrations/0012_kitchen_checks.sql")),
        postgres: Some(include_str!("../../migrations/postgres/0012_kitchen_checks.sql")),
    },
    Migration {
        version: 13,
        name: "receipts",
        sqlite: Some(include_str!("../../migrations/0013_receipts.sql")),
        postgres: Some(include_str!("../../migrations/postgres/0013_receipts.sql")),
    },
    Migration {
        version: 14,
        name: "waivers",
        sqlite: Some(include_str!("../../migrations/0014_waivers.sql")),
        postgres: Some(include_str!("../../migrations/postgres/0014_waivers.sql")),
    },
    Migration {
        version: 15,
        name: "repairs",
        sqlite: Some(include_str!("../../migrations/0015_repairs.sql")),
        postgres: Some(include_str!("../../migrations/postgres/0015_repairs.sql")),
    },
    Migration {
        version: 16,
        name: "stocktake_fillfactor",
        sqlite: Some(include_str!("../../migrations/0016_stocktake_fillfactor.sql")),
        postgres: Some(include_str!("../../migrations/postgres/0016_stocktake_fillfactor.sql")),
    },
    Migration {
        version: 17,
        name: "surplus_number_index",
        sqlite: Some(include_str!("../../migrations/0017_surplus_number_index.sql")),
        postgres: Some(include_str!("../../migrations/postgres/0017_surplus_number_index.sql")),
    },
];

/// The newest schema this program knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

/// Checksums of the released migrations per backend, as [`checksum_hex`]
/// prints them. When a migration ships in a release, add its line here;
/// never change one.
pub const RELEASED: &[(i64, Dialect, &str)] = &[
    (1, Dialect::Sqlite, "40c23da25b1f335a"),
    (2, Dialect::Sqlite, "9e6a19ef5417659d"),
    (3, Dialect::Sqlite, "99ac1a89be09db34"),
    (4, Dialect::Sqlite, "eb9f31ca64f19948"),
    (5, Dialect::Sqlite, "e69fc3539cf00cec"),
    (6, Dialect::Sqlite, "ce967246f94e1f2f"),
    (7, Dialect::Sqlite, "948087d136febce6"),
    (8, Dialect::Sqlite, "8ce79b3797ef150e"),
    (9, Dialect::Sqlite, "e24b84b15323ab4a"),
    (10, Dialect::Sqlite, "c474a942f1344d53"),
];

/// FNV-1a of the SQL text: cheap, stable, enough to notice an edit. Carriage
/// returns are skipped, so a checkout with Windows line endings (which
/// `include_str!` embeds as they are) gives the same value.
pub fn checksum(sql: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in sql.bytes().filter(|b| *b != b'\r') {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The checksum as recorded in `schema_migrations`.
pub fn checksum_hex(sql: &str) -> String {
    format!("{:016x}", checksum(sql))
}

/// Any lock key will do as long as every Houqin uses the same one.
const MIGRATION_LOCK: i64 = 0x486f_7571_696e_0001;

fn create_table(conn: &Conn) -> Result<()> {
    conn.batch(match conn.dialect() {
        Dialect::Sqlite => {
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )"
        }
        Dialect::Postgres => {
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at TIMESTAMP NOT NULL
            )"
        }
    })
}

/// The version the database is at (0: empty), creating the record table if missing.
pub fn current_version(conn: &Conn) -> Result<i64> {
    create_table(conn)?;
    recorded_version(conn)
}

/// The version of a database that has been opened (and so migrated) before;
/// reads only.
pub fn recorded_version(conn: &Conn) -> Result<i64> {
    conn.value("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])
}

/// What [`run`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub from: i64,
    pub to: i64,
}

/// Brings the schema up to date. `before_upgrade` runs once, before the first
/// step, when a database that already holds data is about to change (the
/// caller copies it aside there).
pub fn run(conn: &Conn, before_upgrade: &mut dyn FnMut(i64) -> Result<()>) -> Result<Outcome> {
    let locked = conn.dialect() == Dialect::Postgres;
    if locked {
        conn.exec("SELECT pg_advisory_lock(?1)", &args![MIGRATION_LOCK])?;
    }
    let out = run_locked(conn, before_upgrade);
    if locked {
        let _ = conn.exec("SELECT pg_advisory_unlock(?1)", &args![MIGRATION_LOCK]);
        if let Conn::Postgres(pg) = conn {
            pg.clear_cache();
        }
    }
    out
}

fn run_locked(conn: &Conn, before_upgrade: &mut dyn FnMut(i64) -> Result<()>) -> Result<Outcome> {
    let dialect = conn.dialect();
    let current = current_version(conn)?;
    let latest = latest_version();
    if current > latest {
        return Err(Error::SchemaTooNew { found: current, supported: latest });
    }
    verify_recorded(conn)?;
    if current == latest {
        return Ok(Outcome { from: current, to: current });
    }
    if current > 0 {
        before_upgrade(current)?;
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        let Some(sql) = m.sql(dialect) else { continue };
        conn.begin_write(std::time::Duration::from_secs(60))?;
        let guard = super::TxGuard::new(conn);
        conn.batch(sql)?;
        conn.exec(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
            &args![m.version, m.name, checksum_hex(sql), crate::dates::now()],
        )?;
        guard.commit()?;
    }
    Ok(Outcome { from: current, to: latest })
}

/// Refuses a database whose recorded migrations differ from this program's:
/// its schema is not the one the program was written for, and upgrading it
/// further could damage it. (A handful of rows; checked on every open.)
fn verify_recorded(conn: &Conn) -> Result<()> {
    let dialect = conn.dialect();
    let recorded = conn.rows("SELECT version, name, checksum FROM schema_migrations ORDER BY version", &[], |r| {
        Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<String>(2)?))
    })?;
    for (version, name, checksum) in recorded {
        let Some(sql) = MIGRATIONS.iter().find(|m| m.version == version).and_then(|m| m.sql(dialect)) else {
            continue;
        };
        if !checksum.is_empty() && checksum != checksum_hex(sql) {
            return Err(Error::MigrationChanged { version, name });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An edited released migration would silently differ from the schema of
    /// every database already upgraded by it. This fails first.
    #[test]
    fn released_migrations_are_unchanged() {
        for (version, dialect, pinned) in RELEASED {
            let m = MIGRATIONS.iter().find(|m| m.version == *version).expect("released migration exists");
            let sql = m.sql(*dialect).expect("released for this backend");
            assert_eq!(
                checksum_hex(sql),
                *pinned,
                "released migration {version} ({}, {dialect:?}) was edited: restore it and add a new migration instead",
                m.name
            );
        }
    }

    #[test]
    fn line_endings_do_not_change_the_checksum() {
        let sql = MIGRATIONS[0].sqlite.expect("sqlite");
        assert_eq!(checksum(&sql.replace('\n', "\r\n")), checksum(sql));
        assert_ne!(checksum(&sql.replace("TEXT", "BLOB")), checksum(sql));
    }

    #[test]
    fn versions_are_consecutive_and_postgres_has_every_step_from_ten() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "migration {} out of order", m.name);
            assert!(m.sqlite.is_some(), "every step exists for SQLite");
            assert_eq!(m.postgres.is_some(), m.version >= 10, "PostgreSQL from version 10 on: {}", m.name);
        }
    }
}
