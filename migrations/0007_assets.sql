-- Fixed assets (固定资产): categories, the register (one card per asset or
-- per batch of identical cheap items), transfers and handovers, disposals,
-- and asset_stocktakes (盘点) with one line per asset seen or expected.
-- Money is integer fen. Dates are YYYY-MM-DD text.
-- Released: never edit this file; add a new migration instead.

-- Categories with codes in the style of GB/T 14885-2022 (older registers use
-- the 7-digit 2010 codes; both are accepted). `life_months` is the default
-- useful life of a new card; `special` marks special equipment (专用设备),
-- which has its own capitalisation threshold; `always_register` marks
-- categories registered whatever the price (books, children's desks and chairs).
CREATE TABLE asset_categories (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(code)) > 0),
    name            TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    life_months     INTEGER NOT NULL CHECK (life_months >= 0),
    depreciates     INTEGER NOT NULL CHECK (depreciates IN (0, 1)),
    special         INTEGER NOT NULL DEFAULT 0 CHECK (special IN (0, 1)),
    always_register INTEGER NOT NULL DEFAULT 0 CHECK (always_register IN (0, 1)),
    unit            TEXT NOT NULL DEFAULT '台',
    CHECK (depreciates = 0 OR life_months > 0)
);

-- The common kindergarten categories. Lives: 财会〔2017〕4号 minimums and the
-- school table of 财会〔2018〕20号 (children's desks and chairs 5, air
-- conditioners 10, playground and sports equipment 5, kitchen electricals 5).
-- The school edits these in 固定资产 → 设置.
INSERT INTO asset_categories (code, name, life_months, depreciates, special, always_register, unit) VALUES
    ('A01000000', '房屋及构筑物',       600, 1, 0, 0, '栋'),
    ('A02010100', '计算机',              72, 1, 0, 0, '台'),
    ('A02020000', '办公设备',            72, 1, 0, 0, '台'),
    ('A02030000', '车辆',                96, 1, 0, 0, '辆'),
    ('A02060000', '电气设备',            60, 1, 0, 0, '台'),
    ('A02061804', '空调',               120, 1, 0, 0, '台'),
    ('A02100000', '仪器仪表',            60, 1, 0, 0, '台'),
    ('A02140000', '厨房设备',           120, 1, 1, 0, '台'),
    ('A02140100', '厨房电器',            60, 1, 1, 0, '台'),
    ('A02330000', '户外游乐及体育器材',  60, 1, 1, 0, '套'),
    ('A05010000', '家具',               180, 1, 0, 1, '件'),
    ('A05010500', '幼儿桌椅',            60, 1, 0, 1, '套'),
    ('A04010000', '图书',                 0, 0, 0, 1, '册'),
    ('A08010000', '土地',                 0, 0, 0, 0, '宗');

CREATE TABLE assets (
    id           INTEGER PRIMARY KEY,
    -- 资产编号: what the label's QR code holds and a scanner types.
    number       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(number)) > 0),
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    category_id  INTEGER NOT NULL REFERENCES asset_categories (id),
    model        TEXT NOT NULL DEFAULT '',
    -- More than 1: a batch card (批量卡片) for identical cheap items.
    quantity     INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 1),
    unit         TEXT NOT NULL DEFAULT '',
    room         TEXT NOT NULL CHECK (length(trim(room)) > 0),
    department   TEXT NOT NULL DEFAULT '',
    custodian    TEXT NOT NULL DEFAULT '',
    acquired_on  TEXT NOT NULL,
    acquisition  TEXT NOT NULL DEFAULT 'purchase'
                 CHECK (acquisition IN ('purchase', 'transfer_in', 'donation', 'self_built', 'surplus', 'other')),
    supplier     TEXT NOT NULL DEFAULT '',
    original_fen INTEGER NOT NULL CHECK (original_fen >= 0),
    life_months  INTEGER NOT NULL CHECK (life_months >= 0),
    status       TEXT NOT NULL DEFAULT 'in_use'
                 CHECK (status IN ('in_use', 'idle', 'repair', 'pending_disposal', 'disposed', 'written_off')),
    -- The day the asset left the books (disposed or written off): depreciation stops.
    off_books_on TEXT,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    CHECK ((status IN ('disposed', 'written_off')) = (off_books_on IS NOT NULL))
);
CREATE INDEX assets_room ON assets (room);
CREATE INDEX assets_category ON assets (category_id);

-- 调拨 / 期初交接 / 期末移交 / moves applied after a stocktake: each a dated record.
CREATE TABLE asset_transfers (
    id              INTEGER PRIMARY KEY,
    asset_id        INTEGER NOT NULL REFERENCES assets (id),
    moved_on        TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('transfer', 'handover_start', 'handover_end', 'stocktake')),
    from_room       TEXT NOT NULL,
    to_room         TEXT NOT NULL,
    from_department TEXT NOT NULL,
    to_department   TEXT NOT NULL,
    from_custodian  TEXT NOT NULL,
    to_custodian    TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL
);
CREATE INDEX asset_transfers_asset ON asset_transfers (asset_id);
CREATE INDEX asset_transfers_date ON asset_transfers (moved_on);

-- 报废 and other disposals: request → approval (level chosen by value) → disposal.
-- A missing asset written off after a stocktake is a disposal with method write_off.
CREATE TABLE asset_disposals (
    id             INTEGER PRIMARY KEY,
    asset_id       INTEGER NOT NULL REFERENCES assets (id),
    method         TEXT NOT NULL CHECK (method IN ('scrap', 'sale', 'donation', 'transfer_out', 'write_off')),
    reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    requested_on   TEXT NOT NULL,
    requested_by   TEXT NOT NULL,
    -- The status to return to if the request is rejected.
    prior_status   TEXT NOT NULL,
    original_fen   INTEGER NOT NULL,
    net_fen        INTEGER NOT NULL,
    approval_level TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'disposed')),
    approver       TEXT NOT NULL DEFAULT '',
    decided_on     TEXT,
    disposed_on    TEXT,
    proceeds_fen   INTEGER NOT NULL DEFAULT 0 CHECK (proceeds_fen >= 0),
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX asset_disposals_asset ON asset_disposals (asset_id);
-- One open request per asset.
CREATE UNIQUE INDEX asset_disposals_open ON asset_disposals (asset_id) WHERE status IN ('requested', 'approved');

CREATE TABLE asset_stocktakes (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    started_on  TEXT NOT NULL,
    finished_on TEXT,
    status      TEXT NOT NULL CHECK (status IN ('open', 'finished')),
    all_rooms   INTEGER NOT NULL CHECK (all_rooms IN (0, 1)),
    note        TEXT NOT NULL DEFAULT '',
    started_by  TEXT NOT NULL,
    CHECK ((status = 'finished') = (finished_on IS NOT NULL))
);

-- The rooms a stocktake covers, each marked done when its count is complete.
CREATE TABLE asset_stocktake_rooms (
    stocktake_id INTEGER NOT NULL REFERENCES asset_stocktakes (id),
    room         TEXT NOT NULL,
    done_at      TEXT,
    done_by      TEXT,
    PRIMARY KEY (stocktake_id, room)
);

-- One line per asset expected (a snapshot of its card when the stocktake
-- started, so the report does not change when the register does) or seen, and
-- one per surplus find (盘盈: asset_id NULL, number as scanned, may be empty).
CREATE TABLE asset_stocktake_lines (
    id              INTEGER PRIMARY KEY,
    stocktake_id    INTEGER NOT NULL REFERENCES asset_stocktakes (id),
    asset_id        INTEGER REFERENCES assets (id),
    number          TEXT NOT NULL,
    name            TEXT NOT NULL,
    category_code   TEXT NOT NULL DEFAULT '',
    category_name   TEXT NOT NULL DEFAULT '',
    model           TEXT NOT NULL DEFAULT '',
    unit            TEXT NOT NULL DEFAULT '',
    acquired_on     TEXT,
    book_room       TEXT NOT NULL,
    department      TEXT NOT NULL DEFAULT '',
    custodian       TEXT NOT NULL DEFAULT '',
    book_qty        INTEGER NOT NULL CHECK (book_qty >= 0),
    original_fen    INTEGER NOT NULL CHECK (original_fen >= 0),
    net_fen         INTEGER NOT NULL,
    -- Where the thing is now, as the stocktaker decided (a move accepted), else NULL.
    found_room      TEXT,
    counted_qty     INTEGER NOT NULL DEFAULT 0 CHECK (counted_qty >= 0),
    damaged         INTEGER NOT NULL DEFAULT 0 CHECK (damaged IN (0, 1)),
    scans           INTEGER NOT NULL DEFAULT 0,
    checked_at      TEXT,
    checked_by      TEXT,
    note            TEXT NOT NULL DEFAULT '',
    -- The book adjustment made after the stocktake, if any.
    adjustment      TEXT CHECK (adjustment IN ('moved', 'written_off', 'investigating', 'status', 'registered')),
    adjusted_at     TEXT,
    adjusted_by     TEXT,
    adjustment_note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX asset_stocktake_lines_asset ON asset_stocktake_lines (stocktake_id, asset_id) WHERE asset_id IS NOT NULL;
CREATE INDEX asset_stocktake_lines_room ON asset_stocktake_lines (stocktake_id, book_room);
CREATE INDEX asset_stocktake_lines_by_asset ON asset_stocktake_lines (asset_id);
