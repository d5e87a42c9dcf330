-- Fee waivers and subsidies (减免、资助, issue 16 §1).
--
-- Per child and fee item, from one month to another: a whole percent of what
-- the family owes for the item that month after refunds (`percent`, 1–100),
-- or a fixed amount per month (`amount_fen`) — exactly one of the two. The
-- kind is one of the kinds setting's names, copied here as text so a renamed
-- kind does not change an approved waiver. A row is never deleted: ending a
-- waiver sets its last month (`to_month`), and a settlement that used it keeps
-- what it came to in `settlement_items.waiver_fen`.
CREATE TABLE waivers (
    id          INTEGER PRIMARY KEY,
    child_id    INTEGER NOT NULL REFERENCES children (id),
    fee_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    percent     INTEGER CHECK (percent BETWEEN 1 AND 100),
    amount_fen  INTEGER CHECK (amount_fen > 0),
    from_month  TEXT NOT NULL,
    to_month    TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    doc_no      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    CHECK ((percent IS NULL) <> (amount_fen IS NULL)),
    CHECK (from_month <= to_month)
);
CREATE INDEX waivers_child ON waivers (child_id, fee_id);

-- What each child's waivers of a fee item came to in a confirmed month
-- (0 for months confirmed before waivers existed).
ALTER TABLE settlement_items ADD COLUMN waiver_fen INTEGER NOT NULL DEFAULT 0;

-- Of an adjustment (补退/补收), the part due to waivers changed after its month
-- closed: paid by a subsidy, not by the family, so the meal account keeps it
-- out of the correction of its income.
ALTER TABLE adjustments ADD COLUMN waiver_fen INTEGER NOT NULL DEFAULT 0;
