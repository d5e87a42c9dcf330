//! Versioned schema migrations, embedded in the binary. Each runs in its own
//! transaction and is recorded in `schema_migrations` with its checksum. A
//! released migration is never edited: [`RELEASED`] pins each one's checksum
//! (a test fails on an edit), and opening a file refuses one whose recorded
//! checksum differs from the program's. Add a new file instead.

/// (version, name, SQL). Versions are consecutive from 1.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../../migrations/0001_foundation.sql")),
    (2, "absences", include_str!("../../migrations/0002_absences.sql")),
    (3, "settlements", include_str!("../../migrations/0003_settlements.sql")),
    (4, "notices", include_str!("../../migrations/0004_notices.sql")),
    (5, "kitchen", include_str!("../../migrations/0005_kitchen.sql")),
    (6, "supplies", include_str!("../../migrations/0006_supplies.sql")),
    (7, "assets", include_str!("../../migrations/0007_assets.sql")),
    (8, "meal_account", include_str!("../../migrations/0008_meal_account.sql")),
    (9, "settlement_inputs", include_str!("../../migrations/0009_settlement_inputs.sql")),
    (10, "payments", include_str!("../../migrations/0010_payments.sql")),
];

/// The newest schema this program knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

/// Checksums of the released migrations, as [`checksum_hex`] prints them.
/// When a migration ships in a release, add its line here; never change one.
pub const RELEASED: &[(i64, &str)] = &[
    (1, "40c23da25b1f335a"),
    (2, "9e6a19ef5417659d"),
    (3, "99ac1a89be09db34"),
    (4, "eb9f31ca64f19948"),
    (5, "e69fc3539cf00cec"),
    (6, "ce967246f94e1f2f"),
    (7, "948087d136febce6"),
    (8, "8ce79b3797ef150e"),
    (9, "e24b84b15323ab4a"),
    (10, "c474a942f1344d53"),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An edited released migration would silently differ from the schema of
    /// every file already upgraded by it. This fails first.
    #[test]
    fn released_migrations_are_unchanged() {
        assert!(RELEASED.len() <= MIGRATIONS.len(), "a released migration was removed");
        for (version, pinned) in RELEASED {
            let (_, name, sql) = MIGRATIONS.iter().find(|m| m.0 == *version).expect("released migration exists");
            assert_eq!(
                checksum_hex(sql),
                *pinned,
                "released migration {version} ({name}) was edited: restore it and add a new migration instead"
            );
        }
        for (i, (version, _)) in RELEASED.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1, "pins are in version order without gaps");
        }
    }

    #[test]
    fn line_endings_do_not_change_the_checksum() {
        let sql = MIGRATIONS[0].2;
        assert_eq!(checksum(&sql.replace('\n', "\r\n")), checksum(sql));
        assert_ne!(checksum(&sql.replace("TEXT", "BLOB")), checksum(sql));
    }

    #[test]
    fn versions_are_consecutive() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.0, i as i64 + 1, "migration {} out of order", m.1);
        }
    }
}
