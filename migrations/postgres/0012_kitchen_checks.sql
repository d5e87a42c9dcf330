-- What inspectors check across the kitchen's records (issue 14, part 1).
--
-- 晨检 records when it was done and the hand check (手部: 伤口、化脓). Checks
-- recorded before this step have neither: NULL means "not recorded", never
-- "normal".
ALTER TABLE health_checks ADD COLUMN time TEXT;
ALTER TABLE health_checks ADD COLUMN hands TEXT CHECK (hands IS NULL OR hands IN ('normal', 'wound', 'infected'));

-- 非在园日供餐: why the kitchen cooked (and kept samples) on a day the
-- children were not in school (weekend, holiday, a closure). One reason per
-- day, given with the day's first dish or sample.
CREATE TABLE off_day_meals (
    date   DATE PRIMARY KEY,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0)
);
