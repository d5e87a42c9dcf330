-- Supplies (物品领用): the item catalogue, stock documents (入库单, 领用单,
-- 冲销, 盘点, 押金借出/归还) and their lines, the stock journal. Quantities
-- are whole units of the item's unit; money is integer fen.
-- Released: never edit this file; add a new migration instead.

-- 物品目录. `deposit` is the usual 押金 when the item is lent (0: not lent).
CREATE TABLE supply_items (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    category      TEXT NOT NULL CHECK (length(trim(category)) > 0),
    unit          TEXT NOT NULL CHECK (length(trim(unit)) > 0),
    spec          TEXT NOT NULL DEFAULT '',
    reorder_level INTEGER NOT NULL DEFAULT 0 CHECK (reorder_level >= 0),
    location      TEXT NOT NULL DEFAULT '',
    deposit       INTEGER NOT NULL DEFAULT 0 CHECK (deposit >= 0),
    note          TEXT NOT NULL DEFAULT '',
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    UNIQUE (name, spec)
);
CREATE UNIQUE INDEX supply_items_code ON supply_items (code) WHERE code <> '';

-- One document as the keeper fills it in: a receipt, an issue slip, a
-- reversal, a stocktake, a loan against a deposit or its return. Numbered per
-- kind and calendar year (LY-2025-0001); numbers are never reused.
CREATE TABLE stock_docs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'issue', 'reversal', 'stocktake', 'lend', 'return')),
    number      TEXT NOT NULL UNIQUE,
    date        TEXT NOT NULL,
    supplier    TEXT NOT NULL DEFAULT '',
    invoice_no  TEXT NOT NULL DEFAULT '',
    -- 验收人/经手人 of a receipt, 发放人 of an issue.
    handler     TEXT NOT NULL DEFAULT '',
    -- The class an issue went to, if any; `department` is the name as printed
    -- (the class's name then, or a department such as 食堂).
    class_id    INTEGER REFERENCES classes (id),
    department  TEXT NOT NULL DEFAULT '',
    requester   TEXT NOT NULL DEFAULT '',
    approver    TEXT NOT NULL DEFAULT '',
    purpose     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    -- A reversal names the document it reverses.
    reverses    INTEGER REFERENCES stock_docs (id),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX stock_docs_kind_date ON stock_docs (kind, date);

-- The stock journal: one line of one document. `qty` is signed (+ in, − out);
-- `value` is the signed value in fen: a receipt's qty × unit_price, anything
-- else at the moving average (recomputed when an earlier-dated entry arrives).
-- `origin` is the line a reversal undoes or a return brings back (once each).
CREATE TABLE stock_movements (
    id         INTEGER PRIMARY KEY,
    doc_id     INTEGER NOT NULL REFERENCES stock_docs (id),
    line_no    INTEGER NOT NULL,
    item_id    INTEGER NOT NULL REFERENCES supply_items (id),
    date       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('receipt', 'issue', 'reversal', 'adjust', 'lend', 'return')),
    qty        INTEGER NOT NULL CHECK (qty <> 0),
    unit_price INTEGER CHECK (unit_price IS NULL OR unit_price >= 0),
    value      INTEGER NOT NULL,
    trade_in   INTEGER NOT NULL DEFAULT 0 CHECK (trade_in >= 0),
    note       TEXT NOT NULL DEFAULT '',
    origin     INTEGER UNIQUE REFERENCES stock_movements (id),
    UNIQUE (doc_id, line_no)
);
CREATE INDEX stock_movements_item ON stock_movements (item_id, date, qty, value);
CREATE INDEX stock_movements_date ON stock_movements (date, kind);

-- 盘点: every counted item with its book and counted quantity; a difference
-- is booked as an 'adjust' movement of the same document.
CREATE TABLE stocktake_lines (
    id       INTEGER PRIMARY KEY,
    doc_id   INTEGER NOT NULL REFERENCES stock_docs (id),
    item_id  INTEGER NOT NULL REFERENCES supply_items (id),
    book_qty INTEGER NOT NULL,
    counted  INTEGER NOT NULL CHECK (counted >= 0),
    reason   TEXT NOT NULL DEFAULT '',
    UNIQUE (doc_id, item_id)
);

-- 押金领用: an item lent against a deposit, until it is returned (deposit
-- refunded, possibly in part) or written off as lost (deposit kept).
CREATE TABLE supply_deposits (
    id            INTEGER PRIMARY KEY,
    lend_doc      INTEGER NOT NULL UNIQUE REFERENCES stock_docs (id),
    item_id       INTEGER NOT NULL REFERENCES supply_items (id),
    qty           INTEGER NOT NULL CHECK (qty > 0),
    borrower      TEXT NOT NULL CHECK (length(trim(borrower)) > 0),
    lent_on       TEXT NOT NULL,
    deposit       INTEGER NOT NULL CHECK (deposit >= 0),
    closed_on     TEXT,
    item_returned INTEGER CHECK (item_returned IN (0, 1)),
    refunded      INTEGER CHECK (refunded >= 0 AND refunded <= deposit),
    return_doc    INTEGER REFERENCES stock_docs (id),
    close_note    TEXT NOT NULL DEFAULT '',
    CHECK ((closed_on IS NULL) = (refunded IS NULL)),
    CHECK (closed_on IS NULL OR closed_on >= lent_on)
);
CREATE INDEX supply_deposits_open ON supply_deposits (closed_on);
