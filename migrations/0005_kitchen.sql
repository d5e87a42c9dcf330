-- Kitchen (食堂): the daily menu, food samples (食品留样) and the kitchen's
-- daily logs — fridge temperatures, tableware disinfection (消毒记录) and the
-- staff morning health check (晨检).
-- Times are local wall-clock text 'YYYY-MM-DD HH:MM:SS'; weights are integer
-- tenths of a gram, temperatures integer tenths of a degree Celsius.
-- Released: never edit this file; add a new migration instead.

-- One dish of one meal on one day. `position` keeps the kitchen's order.
CREATE TABLE menu_dishes (
    id       INTEGER PRIMARY KEY,
    date     TEXT NOT NULL,
    meal     TEXT NOT NULL CHECK (meal IN ('breakfast', 'morning_snack', 'lunch', 'afternoon_snack', 'dinner')),
    position INTEGER NOT NULL,
    dish     TEXT NOT NULL CHECK (length(trim(dish)) > 0),
    UNIQUE (date, meal, dish)
);
CREATE INDEX menu_dishes_date ON menu_dishes (date, meal, position);

-- A food sample (留样) of one dish of one meal: at most one per dish.
CREATE TABLE food_samples (
    id           INTEGER PRIMARY KEY,
    date         TEXT NOT NULL,
    meal         TEXT NOT NULL CHECK (meal IN ('breakfast', 'morning_snack', 'lunch', 'afternoon_snack', 'dinner')),
    dish         TEXT NOT NULL CHECK (length(trim(dish)) > 0),
    weight_dg    INTEGER NOT NULL CHECK (weight_dg > 0),
    stored_at    TEXT NOT NULL,
    sampler      TEXT NOT NULL CHECK (length(trim(sampler)) > 0),
    fridge       TEXT NOT NULL DEFAULT '',
    discarded_at TEXT,
    discarded_by TEXT,
    UNIQUE (date, meal, dish),
    CHECK ((discarded_at IS NULL) = (discarded_by IS NULL)),
    CHECK (discarded_at IS NULL OR discarded_at >= stored_at)
);
CREATE INDEX food_samples_open ON food_samples (discarded_at, stored_at);

-- 留样柜温度记录: a reading of one fridge.
CREATE TABLE fridge_readings (
    id           INTEGER PRIMARY KEY,
    date         TEXT NOT NULL,
    time         TEXT NOT NULL,
    fridge       TEXT NOT NULL CHECK (length(trim(fridge)) > 0),
    temp_dc      INTEGER NOT NULL,
    out_of_range INTEGER NOT NULL CHECK (out_of_range IN (0, 1)),
    action       TEXT NOT NULL DEFAULT '',
    person       TEXT NOT NULL CHECK (length(trim(person)) > 0)
);
CREATE INDEX fridge_readings_date ON fridge_readings (date, time);

-- 餐具消毒记录: `intensity` is °C for steam and infrared, mg/L of available
-- chlorine for chlorine.
CREATE TABLE disinfections (
    id        INTEGER PRIMARY KEY,
    date      TEXT NOT NULL,
    time      TEXT NOT NULL,
    method    TEXT NOT NULL CHECK (method IN ('steam', 'infrared', 'chlorine')),
    items     TEXT NOT NULL CHECK (length(trim(items)) > 0),
    intensity INTEGER NOT NULL CHECK (intensity > 0),
    minutes   INTEGER NOT NULL CHECK (minutes > 0),
    person    TEXT NOT NULL CHECK (length(trim(person)) > 0)
);
CREATE INDEX disinfections_date ON disinfections (date, time);

-- 晨检: one check of one member of the kitchen staff per day.
CREATE TABLE health_checks (
    id       INTEGER PRIMARY KEY,
    date     TEXT NOT NULL,
    staff    TEXT NOT NULL CHECK (length(trim(staff)) > 0),
    temp_dc  INTEGER NOT NULL,
    symptoms TEXT NOT NULL DEFAULT '',
    fit      INTEGER NOT NULL CHECK (fit IN (0, 1)),
    note     TEXT NOT NULL DEFAULT '',
    checker  TEXT NOT NULL CHECK (length(trim(checker)) > 0),
    UNIQUE (date, staff)
);
