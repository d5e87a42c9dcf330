//! Versioned schema migrations, embedded in the binary. Each runs in its own
//! transaction and is recorded in `schema_migrations`. A released migration is
//! never edited: a test pins each one's checksum. Add a new file instead.

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
];

/// The newest schema this program knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

/// FNV-1a of the SQL text: cheap, stable, enough to notice an edit.
pub fn checksum(sql: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in sql.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.0, i as i64 + 1, "migration {} out of order", m.1);
        }
    }
}
