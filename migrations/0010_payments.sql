-- Payments (收款登记): money a family paid to the school, or the school paid
-- back to a family, one row each. A row is never edited or deleted: a
-- mistaken entry is cancelled by a reversal (冲销), a new row with the
-- opposite amount that points at it through `reverses`.
-- `amount_fen` is signed as it moves a family's balance: > 0 received from the
-- family (收款), < 0 paid out to the family (退款); a reversal carries minus the
-- amount of the row it reverses and that row's date, so the pair cancels out
-- for every month.
-- Released: never edit this file; add a new migration instead.

CREATE TABLE payments (
    id          INTEGER PRIMARY KEY,
    child_id    INTEGER NOT NULL REFERENCES children (id),
    kind        TEXT NOT NULL CHECK (kind IN ('payment', 'refund', 'reversal')),
    -- The day the money moved (for a reversal: the day of the row it reverses).
    paid_on     TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen <> 0),
    -- cash, wechat, alipay, bank, other
    method      TEXT NOT NULL,
    -- The note, or for a reversal its reason.
    note        TEXT NOT NULL DEFAULT '',
    -- For a reversal: the row it cancels (at most one reversal per row).
    reverses    INTEGER UNIQUE REFERENCES payments (id),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK ((kind = 'payment' AND amount_fen > 0 AND reverses IS NULL)
        OR (kind = 'refund' AND amount_fen < 0 AND reverses IS NULL)
        OR (kind = 'reversal' AND reverses IS NOT NULL))
);
CREATE INDEX payments_child ON payments (child_id, paid_on);

-- The previous balance (上期欠费 > 0, 上期结余 < 0) a notice carried, included
-- in its `total_fen`: the notice's own period amount is total_fen - balance_fen.
-- Notices printed before payments were recorded carried none.
ALTER TABLE notice_issues ADD COLUMN balance_fen INTEGER NOT NULL DEFAULT 0;
