//! What went wrong underneath, in terms neither driver owns. Each backend maps
//! its own errors into a [`StoreError`]; the domain's [`crate::Error`] carries
//! this and never a driver type.

/// The kinds of storage failure that callers (and users) treat differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// Another writer held the database longer than the wait allows (SQLite
    /// busy/locked, PostgreSQL lock timeout). Nothing was changed; try again.
    Busy,
    /// On a server: another PC held the school's write lock longer than the
    /// wait allows. Nothing was changed; try again.
    LockTimeout,
    /// A UNIQUE or PRIMARY KEY constraint refused the row.
    Unique,
    /// A FOREIGN KEY constraint refused the change.
    ForeignKey,
    /// A CHECK or NOT NULL constraint refused the row.
    Check,
    /// The server could not be reached or the connection broke.
    Connection,
    /// The server refused the sign-in to the database itself.
    Auth,
    /// A query that must return a row returned none.
    NoRow,
    /// A stored value could not be read as the type asked for.
    Decode,
    /// The file or database is damaged, or is not a Houqin database.
    Corrupt,
    /// Anything else.
    Other,
}

/// A storage failure: its kind and the driver's message (kept for the log and
/// the detail line; the user-facing text comes from [`crate::Error`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    pub kind: StoreErrorKind,
    pub message: String,
}

impl StoreError {
    pub fn new(kind: StoreErrorKind, message: impl Into<String>) -> StoreError {
        StoreError { kind, message: message.into() }
    }

    pub fn decode(message: impl Into<String>) -> StoreError {
        StoreError::new(StoreErrorKind::Decode, message)
    }

    pub fn other(message: impl Into<String>) -> StoreError {
        StoreError::new(StoreErrorKind::Other, message)
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StoreError {}
