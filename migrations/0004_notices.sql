-- Fee notices (缴费/退费通知单): one row per notice issued to a child for a
-- settled month, created the first time it is printed. Printing the same
-- notice again raises `print_count` (a reprint, 补打) and keeps the number.
-- Money printed on a notice is never rewritten: if what the notice would say
-- changes (the month was reopened and confirmed again, or next month's charge
-- changed), the next print is a new notice with a new number, and the old row
-- points at it through `replaced_by`.
-- Released: never edit this file; add a new migration instead.

CREATE TABLE notice_issues (
    id              INTEGER PRIMARY KEY,
    child_id        INTEGER NOT NULL REFERENCES children (id),
    -- The settled month M (YYYY-MM); the notice bills month M+1.
    month           TEXT NOT NULL,
    -- The confirmed settlement (revision) the refunds came from.
    settlement_id   INTEGER NOT NULL REFERENCES settlements (id),
    -- Shown on the notice, e.g. 202611-0012; unique for the school.
    number          TEXT NOT NULL UNIQUE,
    -- Total due as printed (negative: 应退).
    total_fen       INTEGER NOT NULL,
    -- The printed lines (item, basis, amount) as JSON: what the parent saw.
    rows_json       TEXT NOT NULL,
    issued_at       TEXT NOT NULL,
    issued_by       TEXT NOT NULL,
    print_count     INTEGER NOT NULL DEFAULT 1 CHECK (print_count >= 1),
    last_printed_at TEXT NOT NULL,
    last_printed_by TEXT NOT NULL,
    replaced_by     INTEGER REFERENCES notice_issues (id)
);
-- At most one current (not replaced) notice per child and month.
CREATE UNIQUE INDEX notice_issues_current ON notice_issues (child_id, month) WHERE replaced_by IS NULL;
CREATE INDEX notice_issues_month ON notice_issues (month);
