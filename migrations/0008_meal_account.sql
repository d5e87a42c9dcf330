-- The meal account (伙食账): food purchases with their inspection record
-- (进货查验), the kitchen store's month-end counts (with the food issued to the
-- staff kitchen), staff meal income, and the months whose 伙食费收支公示 has
-- been published (which locks them).
-- Money is integer fen. Dates are YYYY-MM-DD text, months YYYY-MM.
-- Released: never edit this file; add a new migration instead.

-- One delivery (进货): date, supplier, who received and inspected it, and the
-- tickets kept (索证索票: delivery note, invoice, quarantine certificate…).
CREATE TABLE meal_purchases (
    id          INTEGER PRIMARY KEY,
    date        TEXT NOT NULL,
    supplier    TEXT NOT NULL CHECK (length(trim(supplier)) > 0),
    receiver    TEXT NOT NULL CHECK (length(trim(receiver)) > 0),
    certificate TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    saved_at    TEXT NOT NULL,
    saved_by    TEXT NOT NULL
);
CREATE INDEX meal_purchases_date ON meal_purchases (date);

-- The items of a delivery. `category` is one of the school's food categories
-- (a setting) at the time of entry; `quantity_milli` is the quantity × 1000
-- (25.5 kg → 25500), for the record only: the store is kept in money.
CREATE TABLE meal_purchase_lines (
    id             INTEGER PRIMARY KEY,
    purchase_id    INTEGER NOT NULL REFERENCES meal_purchases (id) ON DELETE CASCADE,
    line_no        INTEGER NOT NULL,
    item           TEXT NOT NULL CHECK (length(trim(item)) > 0),
    category       TEXT NOT NULL CHECK (length(trim(category)) > 0),
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    unit           TEXT NOT NULL,
    amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
    batch          TEXT NOT NULL DEFAULT '',
    shelf_life     TEXT NOT NULL DEFAULT '',
    UNIQUE (purchase_id, line_no)
);
CREATE INDEX meal_purchase_lines_category ON meal_purchase_lines (category);

-- A month-end count of the kitchen store (月末盘点). kind 'count': the month is
-- accounted (food issued = opening + purchases − closing); kind 'opening': only
-- the closing stock is recorded, as the next month's opening stock (期初库存)
-- when a school starts keeping the account in the app.
CREATE TABLE meal_stock_counts (
    month      TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('count', 'opening')),
    counted_on TEXT NOT NULL,
    counted_by TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    saved_at   TEXT NOT NULL,
    saved_by   TEXT NOT NULL
);

-- Per category: the stock counted at month end (valued at cost) and how much
-- of the month's issues went to the staff kitchen (教工伙食, accounted apart).
CREATE TABLE meal_stock_count_lines (
    month       TEXT NOT NULL REFERENCES meal_stock_counts (month) ON DELETE CASCADE,
    category    TEXT NOT NULL,
    closing_fen INTEGER NOT NULL CHECK (closing_fen >= 0),
    staff_fen   INTEGER NOT NULL DEFAULT 0 CHECK (staff_fen >= 0),
    PRIMARY KEY (month, category)
);

-- Staff meals of a month: meals served (人次) and what the staff paid.
CREATE TABLE meal_staff_months (
    month      TEXT PRIMARY KEY,
    meals      INTEGER NOT NULL CHECK (meals >= 0),
    income_fen INTEGER NOT NULL CHECK (income_fen >= 0),
    note       TEXT NOT NULL DEFAULT ''
);

-- A published 伙食费收支公示: the sheet as published (JSON) and who/when. A
-- published month is locked until the publication is withdrawn with a reason
-- (status 'withdrawn'; the row stays as history).
CREATE TABLE meal_publications (
    id             INTEGER PRIMARY KEY,
    month          TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('published', 'withdrawn')),
    published_on   TEXT NOT NULL,
    published_at   TEXT NOT NULL,
    published_by   TEXT NOT NULL,
    sheet_json     TEXT NOT NULL,
    withdrawn_at   TEXT,
    withdrawn_by   TEXT,
    withdraw_reason TEXT
);
CREATE UNIQUE INDEX meal_publications_current ON meal_publications (month) WHERE status = 'published';
