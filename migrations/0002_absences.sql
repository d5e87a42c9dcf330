-- Absences (请假): one row per continuous range of one kind. Ranges of one child
-- never overlap: the storage layer splits and merges them on every change.
-- Released: never edit this file; add a new migration instead.

CREATE TABLE absences (
    id        INTEGER PRIMARY KEY,
    child_id  INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('sick', 'personal', 'other')),
    note      TEXT NOT NULL DEFAULT '',
    CHECK (to_date >= from_date)
);
CREATE INDEX absences_child ON absences (child_id, from_date);
CREATE INDEX absences_dates ON absences (from_date, to_date);
