-- Fee notices (缴费/退费通知单): one row per child, settled month and
-- settlement revision, created the first time the notice is printed. Printing
-- the same notice again raises `print_count` (a reprint, 补打) and keeps the
-- number. A reopened and re-confirmed month has a new revision, so its notice is
-- a new one with a new number: money printed on a notice is never rewritten.
-- Released: never edit this file; add a new migration instead.

CREATE TABLE notice_issues (
    id              INTEGER PRIMARY KEY,
    child_id        INTEGER NOT NULL REFERENCES children (id),
    -- The settled month M (YYYY-MM); the notice bills month M+1.
    month           TEXT NOT NULL,
    settlement_id   INTEGER NOT NULL REFERENCES settlements (id),
    -- Shown on the notice, e.g. 202605-0012; unique for the school.
    number          TEXT NOT NULL UNIQUE,
    -- Total due as printed (negative: 应退), to notice a changed notice.
    total_fen       INTEGER NOT NULL,
    issued_at       TEXT NOT NULL,
    issued_by       TEXT NOT NULL,
    print_count     INTEGER NOT NULL DEFAULT 1 CHECK (print_count >= 1),
    last_printed_at TEXT NOT NULL,
    last_printed_by TEXT NOT NULL,
    UNIQUE (child_id, month, settlement_id)
);
CREATE INDEX notice_issues_month ON notice_issues (month);
