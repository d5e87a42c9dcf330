-- Fee rules (effective-dated rule sets) and month settlements (月结) with
-- adjustments (补退/补收). A confirmed settlement is never rewritten: a reopen
-- marks it 'reopened' (with a reason) and a new revision is confirmed later.
-- Released: never edit this file; add a new migration instead.

-- A school's whole set of fee items, in force from `effective_from` (YYYY-MM)
-- until the next version.
CREATE TABLE fee_rule_versions (
    id             INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL UNIQUE,
    rules_json     TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    saved_at       TEXT NOT NULL,
    saved_by       TEXT NOT NULL
);

CREATE TABLE settlements (
    id             INTEGER PRIMARY KEY,
    month          TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('closed', 'reopened')),
    rules_json     TEXT NOT NULL,
    result_json    TEXT NOT NULL,
    charged_fen    INTEGER NOT NULL,
    refund_fen     INTEGER NOT NULL,
    adjustment_fen INTEGER NOT NULL,
    confirmed_at   TEXT NOT NULL,
    confirmed_by   TEXT NOT NULL,
    reopened_at    TEXT,
    reopened_by    TEXT,
    reopen_reason  TEXT,
    UNIQUE (month, revision)
);

-- Per child and fee item: what the confirmed settlement charged and refunded.
CREATE TABLE settlement_items (
    settlement_id INTEGER NOT NULL REFERENCES settlements (id),
    child_id      INTEGER NOT NULL REFERENCES children (id),
    fee_id        TEXT NOT NULL,
    fee_name      TEXT NOT NULL,
    charged_fen   INTEGER NOT NULL,
    refund_fen    INTEGER NOT NULL,
    PRIMARY KEY (settlement_id, child_id, fee_id)
);
CREATE INDEX settlement_items_child ON settlement_items (child_id);

-- A correction to a closed month, carried by a later settlement.
-- amount_fen > 0: owed to the family (补退); < 0: owed to the school (补收).
CREATE TABLE adjustments (
    id            INTEGER PRIMARY KEY,
    settlement_id INTEGER NOT NULL REFERENCES settlements (id),
    origin_month  TEXT NOT NULL,
    child_id      INTEGER NOT NULL REFERENCES children (id),
    fee_id        TEXT NOT NULL,
    fee_name      TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL,
    explanation   TEXT NOT NULL
);
CREATE INDEX adjustments_origin ON adjustments (origin_month, child_id, fee_id);
