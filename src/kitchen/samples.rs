//! The menu and the food samples (食品留样).
//!
//! - The menu: the dishes of each meal of a day ([`day`] shows a day, the
//!   meal's dishes prefilled), [`copy_last_week`], [`dish_names`] for
//!   autocomplete.
//! - [`save_meal`]: one save per meal — the meal's dishes (the menu) and the
//!   weight typed for each, with the time stored, sampler and fridge. All
//!   rows are checked first; one bad row refuses the whole save.
//! - [`fridge_contents`] and [`discard`]: samples past the retention time,
//!   discarded together in one action; never before their time.
//! - [`missing`]: for each school day (and any other day the kitchen cooked),
//!   every dish of every meal has a sample.
//!
//! Every change is audited (`menu`, `food_sample`) inside its transaction.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

use super::checks::{names, Flag, Records};
use super::logs::HealthCheck;
use super::settings::{self, KitchenSettings};
use super::{in_session, parse_time, person, short_date, short_datetime, to_minute, weekday_label, Grams, Meal};
use crate::calendar::SchoolCalendar;
use crate::db::{Db, Tx};
use crate::error::{Code, FieldProblem};
use crate::school::id_type;
use crate::store::kitchen::samples::{SampleFields, StoredSample};
use crate::store::{self, Conn};
use crate::{Error, Result};

id_type!(
    /// A food sample (留样).
    SampleId
);

/// Longest dish name accepted (it has to fit a label and a table cell).
const MAX_DISH_CHARS: usize = 24;

/// One stored sample, with the times already formatted for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FoodSample {
    pub id: SampleId,
    pub date: NaiveDate,
    pub meal: Meal,
    pub meal_label: &'static str,
    pub dish: String,
    pub weight: Grams,
    pub stored_at: NaiveDateTime,
    pub sampler: String,
    pub fridge: String,
    pub discarded_at: Option<NaiveDateTime>,
    pub discarded_by: Option<String>,
    /// When it may be discarded: stored time + retention.
    pub due_at: NaiveDateTime,
    /// 11月20日 11:30
    pub stored_text: String,
    pub due_text: String,
    pub discarded_text: Option<String>,
}

impl FoodSample {
    /// A stored sample with its due time under `retention`.
    pub(crate) fn new(x: StoredSample, retention: Duration) -> FoodSample {
        let due_at = x.stored_at + retention;
        FoodSample {
            id: x.id,
            date: x.date,
            meal: x.meal,
            meal_label: x.meal.label(),
            dish: x.dish,
            weight: x.weight,
            stored_at: x.stored_at,
            sampler: x.sampler,
            fridge: x.fridge,
            discarded_at: x.discarded_at,
            discarded_by: x.discarded_by,
            due_at,
            stored_text: short_datetime(x.stored_at),
            due_text: short_datetime(due_at),
            discarded_text: x.discarded_at.map(short_datetime),
        }
    }
}

fn with_due(list: Vec<StoredSample>, retention: Duration) -> Vec<FoodSample> {
    list.into_iter().map(|x| FoodSample::new(x, retention)).collect()
}

/// The samples of the days `from..=to`.
pub fn samples_between(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<FoodSample>> {
    let retention = settings::get(conn)?.retention();
    Ok(with_due(store::kitchen::samples::between(conn, from, to)?, retention))
}

/// One sample by id.
pub fn get(conn: &Conn, id: SampleId) -> Result<FoodSample> {
    let retention = settings::get(conn)?.retention();
    let x = store::kitchen::samples::get(conn, id)?.ok_or_else(|| Error::not_found("留样记录", id))?;
    Ok(FoodSample::new(x, retention))
}

// ------------------------------------------------------------------ the menu

/// The dishes of one meal of one day, in order.
pub fn menu(conn: &Conn, date: NaiveDate, meal: Meal) -> Result<Vec<String>> {
    store::kitchen::menu::dishes(conn, date, meal)
}

/// The whole menu of the days `from..=to`: date → meal → dishes.
pub fn menus_between(
    conn: &Conn,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, BTreeMap<Meal, Vec<String>>>> {
    let mut out: BTreeMap<NaiveDate, BTreeMap<Meal, Vec<String>>> = BTreeMap::new();
    for (d, m, dish) in store::kitchen::menu::between(conn, from, to)? {
        out.entry(d).or_default().entry(m).or_default().push(dish);
    }
    Ok(out)
}

/// Dish names used before, most used first (for autocomplete).
pub fn dish_names(conn: &Conn) -> Result<Vec<String>> {
    store::kitchen::menu::dish_names(conn, DISH_NAMES_OFFERED)
}

/// More names than anyone scrolls through; the list stays quick to send.
const DISH_NAMES_OFFERED: usize = 500;

/// Why the children are not in school on a day (周末, 国庆节, 寒假, 暴雨红色预警停课…),
/// or `None` on a day they are ([`in_session`]).
pub fn off_day_reason(cal: &SchoolCalendar, date: NaiveDate) -> Option<String> {
    let info = cal.day(date);
    if info.school_day && !info.charged_closure {
        return None;
    }
    Some(info.closure_reason.or(info.holiday_name).unwrap_or_else(|| "周末".into()))
}

/// A day as the 食品留样 screen shows it: each meal's dishes with their samples.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KitchenDay {
    pub date: NaiveDate,
    /// 11月20日 周五
    pub label: String,
    pub is_today: bool,
    /// The children are in school (在园日): not a weekend, holiday or closure.
    pub school_day: bool,
    /// Why it is not a school day.
    pub off_reason: Option<String>,
    /// The 非在园日供餐 reason recorded for the day, if any.
    pub off_day_meal: Option<String>,
    pub meals: Vec<MealView>,
    /// What the day's records show wrong (a sampler excluded at 晨检, samples
    /// on an off day without the reason).
    pub flags: Vec<Flag>,
    /// Prefills for a new meal entry.
    pub default_sampler: String,
    pub fridges: Vec<String>,
    pub min_grams: u32,
    pub retention_hours: u32,
}

/// One meal of the day.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MealView {
    pub meal: Meal,
    pub label: &'static str,
    pub dishes: Vec<DishView>,
    pub sampled: usize,
    /// The time to prefill (HH:MM): the samples' time, now (today), else the usual time.
    pub time: String,
    /// The sampler and fridge of the stored samples, if any.
    pub sampler: Option<String>,
    pub fridge: Option<String>,
    /// Meals no longer in the settings are still shown when they have dishes.
    pub served: bool,
}

/// One dish and its sample, if taken.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DishView {
    pub dish: String,
    pub sample: Option<FoodSample>,
}

/// The day `date` with its menu and samples; `now` decides the prefilled time.
pub fn day(conn: &Conn, date: NaiveDate, now: NaiveDateTime, operator: &str) -> Result<KitchenDay> {
    let records = Records::load(conn, date, date)?;
    let (s, cal) = (&records.s, &records.cal);
    let off_reason = off_day_reason(cal, date);
    let menus = menus_between(conn, date, date)?.remove(&date).unwrap_or_default();
    let samples = samples_between(conn, date, date)?;
    let mut meals_shown: Vec<Meal> = s.meals.clone();
    for m in menus.keys() {
        if !meals_shown.contains(m) {
            meals_shown.push(*m);
        }
    }
    meals_shown.sort();
    let is_today = date == now.date();
    let meals = meals_shown
        .into_iter()
        .map(|meal| {
            let dishes: Vec<DishView> = menus
                .get(&meal)
                .map(|list| {
                    list.iter()
                        .map(|dish| DishView {
                            dish: dish.clone(),
                            sample: samples.iter().find(|x| x.meal == meal && &x.dish == dish).cloned(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let first = dishes.iter().find_map(|d| d.sample.as_ref());
            let time = match first {
                Some(x) => x.stored_at.time(),
                None if is_today => now.time(),
                None => meal.usual_time(),
            };
            MealView {
                meal,
                label: meal.label(),
                sampled: dishes.iter().filter(|d| d.sample.is_some()).count(),
                time: time.format("%H:%M").to_string(),
                sampler: first.map(|x| x.sampler.clone()),
                fridge: first.map(|x| x.fridge.clone()),
                served: s.meals.contains(&meal),
                dishes,
            }
        })
        .collect();
    Ok(KitchenDay {
        date,
        label: format!("{} {}", short_date(date), weekday_label(date)),
        is_today,
        school_day: off_reason.is_none(),
        off_reason,
        off_day_meal: records.off_days.get(&date).cloned(),
        meals,
        flags: records.record_flags(),
        default_sampler: operator.to_string(),
        fridges: s.fridges.clone(),
        min_grams: s.min_grams,
        retention_hours: s.retention_hours,
    })
}

// ------------------------------------------------------------------ one meal

/// One row of a meal's form: the dish and the weight as typed (empty: not sampled yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DishRow {
    pub dish: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub weight: String,
}

/// One save of one meal: its dishes (the menu, in order) and their samples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MealEntry {
    pub date: NaiveDate,
    pub meal: Meal,
    pub rows: Vec<DishRow>,
    /// 留样时间 on `date`, as typed (11:30).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub time: String,
    /// 留样人.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub sampler: String,
    /// 留样柜.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub fridge: String,
    /// 非在园日供餐: why the kitchen cooks on a day the children are not in
    /// school. Needed with the first dish or sample of such a day; ignored
    /// on a school day and once the day has its reason.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub off_day_reason: String,
}

/// What a meal save changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MealSaved {
    pub dishes: usize,
    /// Samples added.
    pub added: usize,
    /// Samples whose weight was corrected.
    pub updated: usize,
    /// Dishes on the menu still without a sample.
    pub unsampled: usize,
}

/// A checked sample to write.
struct NewSample {
    dish: String,
    weight: Grams,
}

/// Saves one meal: the menu becomes `entry.rows` (in order) and every row
/// with a weight gets its sample (added, or updated if it changed). Refused
/// as a whole, with every problem, when: a weight is not a number or under
/// the minimum; the time is not a time or later than `now`; a dish repeats
/// or is missing; the sampler is empty; a sampled dish would be removed or
/// cleared; a discarded sample would change; the sampler was found 不宜上岗
/// at the day's 晨检; or the day is not a school day, has no 非在园日供餐
/// reason yet and `off_day_reason` is empty (a [`Error::Conflict`]: the app
/// then asks for the reason).
pub fn save_meal(db: &mut Db, entry: &MealEntry, now: NaiveDateTime) -> Result<MealSaved> {
    db.write(crate::auth::Job::Kitchen, |tx| save_meal_in_tx(tx, entry, now))
}

/// [`save_meal`] inside an open transaction: every rule is checked against
/// what the transaction reads, so another PC's save in between cannot slip past.
fn save_meal_in_tx(tx: &Tx, entry: &MealEntry, now: NaiveDateTime) -> Result<MealSaved> {
    let conn: &Conn = tx;
    let s = settings::get(conn)?;
    let cal = crate::school::calendar::load(conn)?;
    let now = to_minute(now);
    let mut problems = Problems::default();
    let off_day = off_day_reason(&cal, entry.date);

    if !s.meals.contains(&entry.meal) && menu(conn, entry.date, entry.meal)?.is_empty() {
        return Err(Error::invalid(format!(
            "本园的餐次设置里没有“{}”。如果要登记{}的留样,请先在「食品留样 › 设置」中勾选这一餐",
            entry.meal.label(),
            entry.meal.label()
        )));
    }

    // The rows: dish names and weights.
    let mut dishes: Vec<String> = Vec::new();
    let mut to_store: Vec<NewSample> = Vec::new();
    for (i, row) in entry.rows.iter().enumerate() {
        let n = i + 1;
        let dish = row.dish.trim().to_string();
        let weight_text = row.weight.trim();
        if dish.is_empty() {
            if !weight_text.is_empty() {
                problems.add(n, "菜名", format!("填了留样量 {weight_text} 但没有菜名"));
            }
            continue;
        }
        if dish.chars().count() > MAX_DISH_CHARS {
            problems.add(n, "菜名", format!("菜名“{dish}”太长(最多 {MAX_DISH_CHARS} 个字)"));
        } else if let Err(why) = crate::text::check("菜名", crate::text::Kind::Name, MAX_DISH_CHARS, &dish) {
            problems.add(n, "菜名", why);
        }
        if dishes.contains(&dish) {
            problems.add(n, "菜名", format!("“{dish}”在这一餐里写了两次"));
            continue;
        }
        dishes.push(dish.clone());
        if weight_text.is_empty() {
            continue;
        }
        match Grams::parse(weight_text) {
            Ok(w) if w < s.min_weight() => problems.add(
                n,
                "留样量(克)",
                format!(
                    "“{dish}”的留样量 {w} 克不足 {} 克,没有保存。请补足到 {} 克以上后重新称重",
                    s.min_grams, s.min_grams
                ),
            ),
            Ok(weight) => to_store.push(NewSample { dish, weight }),
            Err(reason) => problems.add(n, "留样量(克)", format!("“{dish}”:{reason}")),
        }
    }
    let names: Vec<&str> = dishes.iter().map(String::as_str).collect();
    for (text, chars) in crate::pdf::missing_glyphs(&names) {
        let list: String = chars.iter().collect();
        problems.add(0, "菜名", format!("“{text}”中的“{list}”没有字体可以打印,请换一种写法"));
    }
    if dishes.is_empty() && problems.is_empty() {
        let existing = menu(conn, entry.date, entry.meal)?;
        if existing.is_empty() {
            return Err(Error::invalid(format!("请至少填写{}的一道菜", entry.meal.label())));
        }
    }

    // When, who, where — needed only if something is sampled.
    let mut stored_at = None;
    let mut sampler = String::new();
    let fridge = entry.fridge.trim().to_string();
    if !to_store.is_empty() {
        match parse_time(&entry.time) {
            Ok(t) => {
                let at = entry.date.and_time(t);
                if at > now {
                    problems.add(
                        0,
                        "留样时间",
                        format!(
                            "留样时间 {} 晚于现在({}),不能登记还没有发生的留样",
                            short_datetime(at),
                            short_datetime(now)
                        ),
                    );
                } else {
                    stored_at = Some(at);
                }
            }
            Err(reason) => problems.add(0, "留样时间", reason),
        }
        match person(&entry.sampler, "留样人") {
            Ok(p) => sampler = p,
            Err(reason) => problems.add(0, "留样人", reason),
        }
        if fridge.chars().count() > 20 {
            problems.add(0, "留样柜", format!("留样柜“{fridge}”名称太长(最多 20 个字)"));
        } else if let Err(why) = crate::text::check("留样柜", crate::text::Kind::Name, 20, &fridge) {
            problems.add(0, "留样柜", why);
        }
    }

    // What is stored already.
    let before_menu = menu(conn, entry.date, entry.meal)?;
    let before: HashMap<String, FoodSample> =
        with_due(store::kitchen::samples::of_meal(conn, entry.date, entry.meal)?, s.retention())
            .into_iter()
            .map(|x| (x.dish.clone(), x))
            .collect();
    for (dish, x) in &before {
        if !dishes.contains(dish) {
            problems.add(0, "菜名", format!("“{dish}”已经留样({} 克),不能从菜单中删去", x.weight));
        } else if !to_store.iter().any(|n| &n.dish == dish) && !row_has_weight(dish, entry) {
            problems.add(
                0,
                "留样量(克)",
                format!("“{dish}”已经留样 {} 克,留样量不能清空;登记错了请改成正确的克数", x.weight),
            );
        }
    }
    let mut changes: Vec<(&NewSample, Option<&FoodSample>)> = Vec::new();
    for n in &to_store {
        let old = before.get(&n.dish);
        if let Some(old) = old {
            // A stored sample keeps its time, sampler and fridge unless its
            // weight is corrected: re-saving a meal must not restamp the others.
            if old.weight == n.weight {
                continue;
            }
            if old.discarded_at.is_some() {
                let when = old.discarded_text.clone().unwrap_or_default();
                problems.add(0, "留样量(克)", format!("“{}”的留样已于 {when} 处理,不能再修改", n.dish));
                continue;
            }
        }
        changes.push((n, old));
    }

    // Nobody sent home at the morning check handles the day's samples.
    if !changes.is_empty() {
        let checks = store::kitchen::health_checks::between(conn, entry.date, entry.date)?;
        if let Some(c) = unfit_among(&checks, &sampler) {
            problems.add(0, "留样人", unfit_message(c, "留样"));
        }
    }

    // Cooking on a day the children are not in school needs its reason
    // (非在园日供餐), given once per day with its first dish or sample.
    let adds_dishes = dishes.iter().any(|d| !before_menu.contains(d));
    let mut new_reason = None;
    if let Some(why_off) = off_day.as_ref().filter(|_| adds_dishes || !changes.is_empty()) {
        if store::kitchen::off_day_meals::get(conn, entry.date)?.is_none() {
            let reason = entry.off_day_reason.trim();
            if reason.is_empty() {
                if problems.is_empty() {
                    return Err(Error::refused(
                        Code::OffDayMealReasonNeeded,
                        format!(
                            "{} {}不是在园日({why_off}),没有保存。如果这天食堂确实供餐,请填写非在园日供餐的原因",
                            short_date(entry.date),
                            weekday_label(entry.date)
                        ),
                    )
                    .with("date", entry.date)
                    .with("why", why_off));
                }
            } else {
                match check_off_day_reason(reason) {
                    Ok(r) => new_reason = Some(r),
                    Err(why) => problems.add(0, "非在园日供餐原因", why),
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_error());
    }
    let Some(at) = stored_at.or(if to_store.is_empty() { Some(now) } else { None }) else {
        return Err(Error::invalid("请填写留样时间"));
    };

    let unsampled =
        dishes.iter().filter(|d| !before.contains_key(*d) && !to_store.iter().any(|n| &n.dish == *d)).count();
    let menu_changed = before_menu != dishes;
    let (date, meal) = (entry.date, entry.meal);
    let mut added = 0;
    let mut updated = 0;
    if let Some(reason) = &new_reason {
        write_off_day_reason(tx, date, None, reason)?;
    }
    if menu_changed {
        write_menu(tx, date, meal, &before_menu, &dishes)?;
    }
    for (n, old) in &changes {
        match old {
            None => {
                insert_sample(tx, date, meal, &n.dish, n.weight, at, &sampler, &fridge)?;
                added += 1;
            }
            Some(old) => {
                let was = SampleFields {
                    dish: &old.dish,
                    weight: old.weight,
                    stored_at: old.stored_at,
                    sampler: &old.sampler,
                    fridge: &old.fridge,
                };
                let now_is =
                    SampleFields { dish: &n.dish, weight: n.weight, stored_at: at, sampler: &sampler, fridge: &fridge };
                store::kitchen::samples::correct(tx, old.id, &now_is)?;
                tx.audit("food_sample", old.id, "update", Some(&sample_json(&was)), Some(&sample_json(&now_is)))?;
                updated += 1;
            }
        }
    }
    Ok(MealSaved { dishes: dishes.len(), added, updated, unsampled })
}

/// Adds (or corrects) the sample of one dish, keeping the rest of the meal
/// as it is: the dish joins the meal's menu if it is not on it. For scripts
/// and the command line; the same rules as [`save_meal`].
pub fn save_one(db: &mut Db, entry: &MealEntry, now: NaiveDateTime) -> Result<MealSaved> {
    let Some(row) = entry.rows.first() else {
        return Err(Error::invalid("请填写菜名和留样量"));
    };
    db.write(crate::auth::Job::Kitchen, |tx| {
        let stored: HashMap<String, Grams> = store::kitchen::samples::of_meal(tx, entry.date, entry.meal)?
            .into_iter()
            .map(|x| (x.dish, x.weight))
            .collect();
        let mut rows: Vec<DishRow> = menu(tx, entry.date, entry.meal)?
            .into_iter()
            .map(|dish| DishRow { weight: stored.get(&dish).map(|w| w.to_string()).unwrap_or_default(), dish })
            .collect();
        match rows.iter_mut().find(|r| r.dish == row.dish.trim()) {
            Some(r) => r.weight = row.weight.clone(),
            None => rows.push(row.clone()),
        }
        save_meal_in_tx(tx, &MealEntry { rows, ..entry.clone() }, now)
    })
}

/// Problems found while checking a form, one per field or row.
#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn add(&mut self, row: usize, column: &str, reason: String) {
        self.0.push(FieldProblem { row, column: column.into(), reason });
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    fn into_error(self) -> Error {
        Error::Rejected { problems: self.0 }
    }
}

/// Whether the dish's row has a weight typed (a bad one is reported on its own row).
fn row_has_weight(dish: &str, entry: &MealEntry) -> bool {
    entry.rows.iter().any(|r| r.dish.trim() == dish && !r.weight.trim().is_empty())
}

fn sample_json(f: &SampleFields) -> serde_json::Value {
    serde_json::json!({
        "dish": f.dish, "grams": f.weight.to_string(), "stored_at": f.stored_at, "sampler": f.sampler, "fridge": f.fridge
    })
}

/// Inserts a checked sample inside an open transaction (audited).
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_sample(
    tx: &Tx,
    date: NaiveDate,
    meal: Meal,
    dish: &str,
    weight: Grams,
    at: NaiveDateTime,
    sampler: &str,
    fridge: &str,
) -> Result<SampleId> {
    let fields = SampleFields { dish, weight, stored_at: at, sampler, fridge };
    let id = store::kitchen::samples::insert(tx, date, meal, &fields)?;
    let mut after = sample_json(&fields);
    after["date"] = serde_json::json!(date);
    after["meal"] = serde_json::json!(meal.label());
    tx.audit("food_sample", id, "create", None, Some(&after))?;
    Ok(id)
}

/// Replaces the dishes of one meal inside an open transaction (audited).
pub(crate) fn write_menu(tx: &Tx, date: NaiveDate, meal: Meal, before: &[String], dishes: &[String]) -> Result<()> {
    store::kitchen::menu::replace(tx, date, meal, dishes)?;
    tx.audit(
        "menu",
        format!("{date} {}", meal.code()),
        if before.is_empty() { "create" } else { "update" },
        if before.is_empty() { None } else { Some(serde_json::json!(before)) }.as_ref(),
        Some(&serde_json::json!(dishes)),
    )
}

/// The first of `people` (one name, or several: 张三、李四) found not fit in `checks`.
fn unfit_among<'a>(checks: &'a [HealthCheck], people: &str) -> Option<&'a HealthCheck> {
    names(people).find_map(|n| checks.iter().find(|c| !c.fit && c.staff == n))
}

/// 吴师傅 11月20日晨检不宜上岗(发热 37.6 °C),当天不能留样。
fn unfit_message(c: &HealthCheck, what: &str) -> String {
    format!(
        "{} {}晨检不宜上岗({}),当天不能{what}。请由当天晨检合格的人员{what}",
        c.staff,
        short_date(c.date),
        c.why_unfit()
    )
}

/// A 非在园日供餐 reason as typed, or why it is unusable.
fn check_off_day_reason(text: &str) -> std::result::Result<String, String> {
    let t = crate::text::Field::line("非在园日供餐原因").max(40).check(text)?;
    if let Some((_, chars)) = crate::pdf::missing_glyphs(&[t.as_str()]).into_iter().next() {
        let list: String = chars.iter().collect();
        return Err(format!("非在园日供餐原因中的“{list}”没有字体可以打印,请换一种写法"));
    }
    Ok(t)
}

/// Records the day's 非在园日供餐 reason inside an open transaction (audited).
fn write_off_day_reason(tx: &Tx, date: NaiveDate, before: Option<&str>, reason: &str) -> Result<()> {
    store::kitchen::off_day_meals::set(tx, date, reason)?;
    tx.audit(
        "off_day_meal",
        date.to_string(),
        if before.is_some() { "update" } else { "create" },
        before.map(|b| serde_json::json!({ "reason": b })).as_ref(),
        Some(&serde_json::json!({ "reason": reason })),
    )
}

/// Records (or corrects) why the kitchen cooked on `date`, a day the children
/// were not in school: for samples kept before the day was closed, or before
/// the reason was asked. Refused on a school day, or for an empty reason.
pub fn set_off_day_reason(db: &mut Db, date: NaiveDate, reason: &str) -> Result<()> {
    let reason = check_off_day_reason(reason).map_err(Error::Invalid)?;
    if reason.is_empty() {
        return Err(Error::invalid("请填写非在园日供餐的原因(如:教职工加班用餐)"));
    }
    db.write(crate::auth::Job::Kitchen, |tx| {
        let cal = crate::school::calendar::load(tx)?;
        if off_day_reason(&cal, date).is_none() {
            return Err(Error::invalid(format!(
                "{} {}是在园日,不需要填写非在园日供餐的原因",
                short_date(date),
                weekday_label(date)
            )));
        }
        let before = store::kitchen::off_day_meals::get(tx, date)?;
        if before.as_deref() == Some(reason.as_str()) {
            return Ok(());
        }
        write_off_day_reason(tx, date, before.as_deref(), &reason)
    })
}

// ------------------------------------------------------------- copy the menu

/// What copying last week's menu did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CopySummary {
    /// Days of this week that got last week's menu.
    pub copied: Vec<NaiveDate>,
    pub dishes: usize,
    /// Days left alone because they already have a menu.
    pub kept: Vec<NaiveDate>,
    /// Days skipped because the school is closed that day.
    pub off_days: Vec<NaiveDate>,
}

/// Copies the menu of the week before the week of `date` (Monday–Sunday)
/// onto the same weekdays of that week: only onto school days without a menu
/// yet, so nothing typed is overwritten. Refused if nothing would be copied.
pub fn copy_last_week(db: &mut Db, date: NaiveDate) -> Result<CopySummary> {
    db.write(crate::auth::Job::Kitchen, |tx| copy_last_week_in_tx(tx, date))
}

fn copy_last_week_in_tx(tx: &Tx, date: NaiveDate) -> Result<CopySummary> {
    let conn: &Conn = tx;
    let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
    let last_monday = monday - Duration::days(7);
    let source = menus_between(conn, last_monday, last_monday + Duration::days(6))?;
    if source.is_empty() {
        return Err(Error::invalid(format!(
            "上一周({} 至 {})没有菜单,无法复制",
            short_date(last_monday),
            short_date(last_monday + Duration::days(6))
        )));
    }
    let target = menus_between(conn, monday, monday + Duration::days(6))?;
    let cal = crate::school::calendar::load(conn)?;
    let mut summary = CopySummary { copied: vec![], dishes: 0, kept: vec![], off_days: vec![] };
    let mut plan = Vec::new();
    for (from, meals) in &source {
        let to = *from + Duration::days(7);
        if target.contains_key(&to) {
            summary.kept.push(to);
        } else if !in_session(&cal, to) {
            summary.off_days.push(to);
        } else {
            summary.copied.push(to);
            summary.dishes += meals.values().map(Vec::len).sum::<usize>();
            plan.push((to, meals.clone()));
        }
    }
    if plan.is_empty() {
        let mut why = Vec::new();
        if !summary.kept.is_empty() {
            why.push(format!("{} 已有菜单", days_text(&summary.kept)));
        }
        if !summary.off_days.is_empty() {
            why.push(format!("{} 不是在园日", days_text(&summary.off_days)));
        }
        return Err(Error::invalid(format!("没有可以复制的日子:{}", why.join(";"))));
    }
    for (to, meals) in &plan {
        for (meal, dishes) in meals {
            write_menu(tx, *to, *meal, &[], dishes)?;
        }
    }
    Ok(summary)
}

fn days_text(days: &[NaiveDate]) -> String {
    days.iter().map(|d| format!("{}({})", short_date(*d), weekday_label(*d))).collect::<Vec<_>>().join("、")
}

// ------------------------------------------------------------------ discard

/// The samples still in the fridge: those due for discard and those still kept.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FridgeContents {
    /// Past the retention time: to be discarded.
    pub due: Vec<FoodSample>,
    /// Still within the retention time.
    pub keeping: Vec<FoodSample>,
    /// The time the split was made at (2026-11-22 12:30), to prefill 处理时间.
    pub now: String,
}

/// Every sample not yet discarded, split at `now` by the retention time.
pub fn fridge_contents(conn: &Conn, now: NaiveDateTime) -> Result<FridgeContents> {
    let retention = settings::get(conn)?.retention();
    let all = with_due(store::kitchen::samples::not_discarded(conn)?, retention);
    let (due, keeping) = all.into_iter().partition(|x| x.due_at <= now);
    Ok(FridgeContents { due, keeping, now: to_minute(now).format("%Y-%m-%d %H:%M").to_string() })
}

/// One discard action: which samples, when (as typed) and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiscardInput {
    pub ids: Vec<SampleId>,
    /// 处理时间, `2026-11-22 12:30` (date and time).
    pub at: String,
    /// 处理人.
    pub by: String,
}

/// Records that `input.ids` were discarded at `input.at` by `input.by`, all
/// in one transaction. Refused as a whole if the time is in the future, any
/// sample is already discarded, was stored after that time, or has not been
/// kept for the full retention time at that time (47:59 of 48 h is too soon).
pub fn discard(db: &mut Db, input: &DiscardInput, now: NaiveDateTime) -> Result<usize> {
    if input.ids.is_empty() {
        return Err(Error::invalid("请选择要处理的留样"));
    }
    let now = to_minute(now);
    let at = to_minute(super::parse_datetime(&input.at).map_err(Error::Invalid)?);
    if at > now {
        return Err(Error::invalid(format!(
            "处理时间 {} 晚于现在({}),不能登记还没有发生的处理",
            short_datetime(at),
            short_datetime(now)
        )));
    }
    let by = person(&input.by, "处理人").map_err(Error::Invalid)?;
    db.write(crate::auth::Job::Kitchen, |tx| discard_checked(tx, &input.ids, at, &by))
}

/// Checks the selection against what the transaction reads, then discards it.
fn discard_checked(tx: &Tx, ids: &[SampleId], at: NaiveDateTime, by: &str) -> Result<usize> {
    let s = settings::get(tx)?;
    let (Some(lo), Some(hi)) = (ids.iter().min(), ids.iter().max()) else {
        return Err(Error::invalid("请选择要处理的留样"));
    };
    let stored: HashMap<SampleId, FoodSample> =
        with_due(store::kitchen::samples::with_ids_from_to(tx, *lo, *hi)?, s.retention())
            .into_iter()
            .map(|x| (x.id, x))
            .collect();
    let mut problems = Vec::new();
    let mut samples = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let x = stored.get(id).cloned().ok_or_else(|| Error::not_found("留样记录", id))?;
        let name = format!("{} {} {}", short_date(x.date), x.meal_label, x.dish);
        let reason = if let Some(when) = &x.discarded_text {
            Some(format!("{name} 已于 {when} 由{}处理过", x.discarded_by.clone().unwrap_or_default()))
        } else if at < x.stored_at {
            Some(format!("{name}:处理时间 {} 早于留样时间 {}", short_datetime(at), x.stored_text))
        } else if at < x.due_at {
            let kept = at - x.stored_at;
            Some(format!(
                "{name} 到 {} 只留了 {} 小时 {} 分,须留满 {} 小时({} 以后)才能处理",
                short_datetime(at),
                kept.num_hours(),
                kept.num_minutes() % 60,
                s.retention_hours,
                x.due_text
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            problems.push(FieldProblem { row: i + 1, column: "处理时间".into(), reason });
        }
        samples.push(x);
    }
    let checks = store::kitchen::health_checks::between(tx, at.date(), at.date())?;
    if let Some(c) = unfit_among(&checks, by) {
        problems.push(FieldProblem { row: 0, column: "处理人".into(), reason: unfit_message(c, "处理留样") });
    }
    if !problems.is_empty() {
        return Err(Error::Rejected { problems });
    }
    for x in &samples {
        discard_in_tx(tx, x.id, at, by)?;
    }
    Ok(samples.len())
}

/// Marks one checked sample discarded inside an open transaction (audited).
pub(crate) fn discard_in_tx(tx: &Tx, id: SampleId, at: NaiveDateTime, by: &str) -> Result<()> {
    if !store::kitchen::samples::discard(tx, id, at, by)? {
        return Err(Error::conflict(format!("留样记录 {id} 已经处理过")));
    }
    tx.audit("food_sample", id, "discard", None, Some(&serde_json::json!({"discarded_at": at, "discarded_by": by})))
}

// ------------------------------------------------------------------ missing

/// A meal with dishes not sampled (or no menu at all on a school day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MissingMeal {
    pub meal: Meal,
    pub label: &'static str,
    /// No dish is on the menu for this meal on a school day.
    pub no_menu: bool,
    /// The dishes without a sample.
    pub dishes: Vec<String>,
}

/// One day with something missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MissingDay {
    pub date: NaiveDate,
    /// 11月20日 周五
    pub label: String,
    pub is_today: bool,
    pub meals: Vec<MissingMeal>,
}

/// The check over a range of days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MissingReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Days checked: school days (from the kitchen's first menu on) and any other day with a menu.
    pub days_checked: usize,
    /// Dishes on the menu without a sample, over all days.
    pub missing_samples: usize,
    /// Of which today.
    pub missing_today: usize,
    /// Meals of school days with no menu.
    pub meals_without_menu: usize,
    /// Only days with something missing, newest first.
    pub days: Vec<MissingDay>,
}

/// Per day of a range: how many samples the menu called for and how many were taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayTally {
    pub date: NaiveDate,
    pub school_day: bool,
    pub dishes: usize,
    pub sampled: usize,
    pub missing: Vec<(Meal, Vec<String>)>,
    pub meals_without_menu: Vec<Meal>,
}

/// The tally of every checked day of `from..=to` (school days, and other days with a menu).
pub fn tally(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<DayTally>> {
    let s = settings::get(conn)?;
    let cal = crate::school::calendar::load(conn)?;
    let menus = menus_between(conn, from, to)?;
    let samples = samples_between(conn, from, to)?;
    let mut out = Vec::new();
    // Days before the kitchen's first menu are not checked: a school that has
    // just started using the log is not told that every earlier day is missing.
    let Some(first) = store::kitchen::menu::first_day(conn)? else {
        return Ok(out);
    };
    let mut d = from.max(first);
    while d <= to {
        let school_day = in_session(&cal, d);
        let day_menu = menus.get(&d);
        if school_day || day_menu.is_some() {
            let mut t =
                DayTally { date: d, school_day, dishes: 0, sampled: 0, missing: vec![], meals_without_menu: vec![] };
            let mut meals: Vec<Meal> = s.meals.clone();
            if let Some(m) = day_menu {
                meals.extend(m.keys().filter(|k| !s.meals.contains(k)));
            }
            meals.sort();
            for meal in meals {
                let dishes = day_menu.and_then(|m| m.get(&meal)).cloned().unwrap_or_default();
                if dishes.is_empty() {
                    // On a school day every served meal needs a menu; on a day
                    // the school is closed only the meals actually cooked count.
                    if school_day {
                        t.meals_without_menu.push(meal);
                    }
                    continue;
                }
                let not: Vec<String> = dishes
                    .iter()
                    .filter(|dish| !samples.iter().any(|x| x.date == d && x.meal == meal && &&x.dish == dish))
                    .cloned()
                    .collect();
                t.dishes += dishes.len();
                t.sampled += dishes.len() - not.len();
                if !not.is_empty() {
                    t.missing.push((meal, not));
                }
            }
            out.push(t);
        }
        d = match d.succ_opt() {
            Some(n) => n,
            None => break,
        };
    }
    Ok(out)
}

/// The missing-sample check over `from..=to`; `today` marks today's entry
/// (its meals may simply not have been served yet).
pub fn missing(conn: &Conn, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<MissingReport> {
    let tallies = tally(conn, from, to)?;
    let mut report = MissingReport {
        from,
        to,
        days_checked: tallies.len(),
        missing_samples: 0,
        missing_today: 0,
        meals_without_menu: 0,
        days: vec![],
    };
    for t in tallies.into_iter().rev() {
        if t.missing.is_empty() && t.meals_without_menu.is_empty() {
            continue;
        }
        let mut meals: Vec<MissingMeal> = t
            .meals_without_menu
            .iter()
            .map(|m| MissingMeal { meal: *m, label: m.label(), no_menu: true, dishes: vec![] })
            .collect();
        for (m, dishes) in &t.missing {
            meals.push(MissingMeal { meal: *m, label: m.label(), no_menu: false, dishes: dishes.clone() });
        }
        meals.sort_by_key(|m| m.meal);
        let n: usize = t.missing.iter().map(|(_, d)| d.len()).sum();
        report.missing_samples += n;
        if t.date == today {
            report.missing_today += n;
        }
        report.meals_without_menu += t.meals_without_menu.len();
        report.days.push(MissingDay {
            date: t.date,
            label: format!("{} {}", short_date(t.date), weekday_label(t.date)),
            is_today: t.date == today,
            meals,
        });
    }
    Ok(report)
}

/// What the home screen shows: today and the `days` days before it.
pub fn recent_missing(conn: &Conn, today: NaiveDate, days: i64) -> Result<MissingReport> {
    missing(conn, today - Duration::days(days), today, today)
}

/// The first and last day a sample was recorded, if any (for the month pickers).
pub fn sample_span(conn: &Conn) -> Result<Option<(NaiveDate, NaiveDate)>> {
    store::kitchen::samples::span(conn)
}

/// The kitchen settings, for callers that already hold a connection.
pub fn rules(conn: &Conn) -> Result<KitchenSettings> {
    settings::get(conn)
}
