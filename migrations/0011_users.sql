-- People who sign in (登录): on a school's server everyone does; on one PC
-- with a local file, only when the school turns sign-in on. `role` decides
-- what a person may change (the core checks it in every write transaction).
-- The password is kept only as an argon2 hash. Nobody is deleted: a person
-- who left is disabled, and the audit trail keeps their name.
-- Released: never edit this file; add a new migration instead.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    role          TEXT NOT NULL CHECK (role IN ('bursar', 'kitchen', 'assets', 'head', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
);
