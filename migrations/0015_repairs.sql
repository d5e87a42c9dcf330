-- Repair requests (报修, issue 16 §3): anyone reports a fault in a room of
-- the asset register, on a card if there is one; the asset keeper assigns
-- it, records the visit, the work and its cost, and closes it; the reporter
-- confirms. A request can be cancelled (撤销) with a reason.
--
-- `prior_status` is the card's status when the request was opened (the card
-- shows 维修 while it is open); closing or cancelling puts it back unless the
-- card has moved on since (a disposal request). Money is integer fen; dates
-- are YYYY-MM-DD text. Whether a request is overdue is worked out from the
-- report date, the urgency and the settings, never stored.
CREATE TABLE repairs (
    id             INTEGER PRIMARY KEY,
    reported_on    TEXT NOT NULL,
    room           TEXT NOT NULL CHECK (length(trim(room)) > 0),
    asset_id       INTEGER REFERENCES assets (id),
    trade          TEXT NOT NULL CHECK (trade IN ('water', 'electric', 'carpentry', 'doors_windows', 'appliance', 'other')),
    description    TEXT NOT NULL CHECK (length(trim(description)) > 0),
    urgent         INTEGER NOT NULL CHECK (urgent IN (0, 1)),
    reporter       TEXT NOT NULL CHECK (length(trim(reporter)) > 0),
    status         TEXT NOT NULL
                   CHECK (status IN ('reported', 'assigned', 'visited', 'done', 'confirmed', 'cancelled')),
    prior_status   TEXT,
    assignee       TEXT NOT NULL DEFAULT '',
    assigned_on    TEXT,
    visited_on     TEXT,
    work           TEXT NOT NULL DEFAULT '',
    cost_fen       INTEGER NOT NULL DEFAULT 0 CHECK (cost_fen >= 0),
    done_on        TEXT,
    scrap_suggested INTEGER NOT NULL DEFAULT 0 CHECK (scrap_suggested IN (0, 1)),
    confirmed_on   TEXT,
    cancel_reason  TEXT NOT NULL DEFAULT '',
    cancelled_on   TEXT,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    CHECK ((asset_id IS NULL) = (prior_status IS NULL))
);
CREATE INDEX repairs_asset ON repairs (asset_id);
CREATE INDEX repairs_reported ON repairs (reported_on);
-- One open request per card: a second report of the same fault joins the first.
CREATE UNIQUE INDEX repairs_open_asset ON repairs (asset_id) WHERE status IN ('reported', 'assigned', 'visited');
