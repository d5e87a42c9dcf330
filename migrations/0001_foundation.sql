-- Foundation: settings, audit trail, school profile, staff, classes, children,
-- class placements (moves keep history), school calendar.
-- Released: never edit this file; add a new migration instead.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    operator  TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- One row: the school this database belongs to.
CREATE TABLE school_profile (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    campus      TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    bursar_name TEXT NOT NULL DEFAULT '',
    head_name   TEXT NOT NULL DEFAULT '',
    ownership   TEXT NOT NULL DEFAULT 'public' CHECK (ownership IN ('public', 'private'))
);

CREATE TABLE staff (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role     TEXT NOT NULL DEFAULT '',
    phone    TEXT NOT NULL DEFAULT '',
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE classes (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    grade        TEXT NOT NULL CHECK (grade IN ('nursery', 'junior', 'middle', 'senior')),
    head_teacher TEXT NOT NULL DEFAULT '',
    archived     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE children (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    gender         TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date     TEXT,
    student_no     TEXT NOT NULL UNIQUE CHECK (length(trim(student_no)) > 0),
    guardian_name  TEXT NOT NULL DEFAULT '',
    guardian_phone TEXT NOT NULL DEFAULT '',
    enrolled_on    TEXT NOT NULL,
    left_on        TEXT,
    CHECK (left_on IS NULL OR left_on >= enrolled_on)
);

-- A child is in class `class_id` from `from_date` until the next placement.
CREATE TABLE class_placements (
    id        INTEGER PRIMARY KEY,
    child_id  INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    class_id  INTEGER NOT NULL REFERENCES classes (id),
    from_date TEXT NOT NULL,
    UNIQUE (child_id, from_date)
);
CREATE INDEX class_placements_class ON class_placements (class_id);

-- The school's additions and corrections to the national holiday schedule.
CREATE TABLE calendar_overrides (
    date       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    is_off_day INTEGER NOT NULL CHECK (is_off_day IN (0, 1))
);

CREATE TABLE closures (
    id        INTEGER PRIMARY KEY,
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL,
    reason    TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    charged   INTEGER NOT NULL CHECK (charged IN (0, 1)),
    CHECK (to_date >= from_date)
);
