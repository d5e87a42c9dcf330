//! The kitchen's rules, kept in the settings table under `kitchen.*` and
//! changed with an audit entry per key. Defaults follow GB 31654-2021 (食品
//! 安全国家标准 餐饮服务通用卫生规范), the 2019 school food-safety rules and
//! the 2018 餐饮服务食品安全操作规范:
//!
//! | key | default | meaning |
//! |---|---|---|
//! | `kitchen.meals` | breakfast,lunch,afternoon_snack | the meals the school serves (两餐一点) |
//! | `kitchen.min_grams` | 125 | the least a sample may weigh |
//! | `kitchen.retention_hours` | 48 | how long a sample is kept before it may be discarded |
//! | `kitchen.fridge_min_c` / `kitchen.fridge_max_c` | 0 / 8 | the fridge range (many schools: 0–4) |
//! | `kitchen.fridges` | 留样冰箱 | the sample fridges (留样柜), comma-separated |
//! | `kitchen.fridge_checks_per_day` | 2 | temperature readings per fridge per day |
//! | `kitchen.disinfections_per_day` | 1 | tableware disinfections expected per day |
//! | `kitchen.steam_min_c` / `kitchen.steam_min_minutes` | 100 / 10 | steam (and boiling) |
//! | `kitchen.infrared_min_c` / `kitchen.infrared_min_minutes` | 120 / 10 | infrared cabinet |
//! | `kitchen.chlorine_min_mg_l` / `kitchen.chlorine_min_minutes` | 250 / 5 | chlorine soak |
//! | `kitchen.fever_c` | 37.3 | a staff temperature at or above this is a fever |
//! | `kitchen.staff_roles` | 食堂管理员,厨师,帮厨 | roles whose people get the 晨检 |

use crate::store::Conn;
use serde::{Deserialize, Serialize};

use super::{parse_count, Celsius, Grams, Meal};
use crate::db::Db;
use crate::error::FieldProblem;
use crate::text::Kind;
use crate::{Error, Result};

const MEALS: &str = "kitchen.meals";
const MIN_GRAMS: &str = "kitchen.min_grams";
const RETENTION: &str = "kitchen.retention_hours";
const FRIDGE_MIN: &str = "kitchen.fridge_min_c";
const FRIDGE_MAX: &str = "kitchen.fridge_max_c";
const FRIDGES: &str = "kitchen.fridges";
const FRIDGE_CHECKS: &str = "kitchen.fridge_checks_per_day";
const DISINFECTIONS: &str = "kitchen.disinfections_per_day";
const STEAM_C: &str = "kitchen.steam_min_c";
const STEAM_MIN: &str = "kitchen.steam_min_minutes";
const INFRARED_C: &str = "kitchen.infrared_min_c";
const INFRARED_MIN: &str = "kitchen.infrared_min_minutes";
const CHLORINE_MG: &str = "kitchen.chlorine_min_mg_l";
const CHLORINE_MIN: &str = "kitchen.chlorine_min_minutes";
const FEVER: &str = "kitchen.fever_c";
const ROLES: &str = "kitchen.staff_roles";

/// The kitchen rules as the code uses them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KitchenSettings {
    /// The meals served, in the order of the day.
    pub meals: Vec<Meal>,
    /// 留样量下限 (whole grams).
    pub min_grams: u32,
    /// 留样时间 in hours (whole hours).
    pub retention_hours: u32,
    /// Lowest acceptable fridge temperature.
    pub fridge_min: Celsius,
    /// Highest acceptable fridge temperature.
    pub fridge_max: Celsius,
    /// Names of the sample fridges (at least one).
    pub fridges: Vec<String>,
    /// Readings per fridge per day.
    pub fridge_checks_per_day: u32,
    /// Disinfections expected per day.
    pub disinfections_per_day: u32,
    /// Steam: least temperature (°C) and minutes.
    pub steam_min_c: u32,
    pub steam_min_minutes: u32,
    /// Infrared cabinet: least temperature (°C) and minutes.
    pub infrared_min_c: u32,
    pub infrared_min_minutes: u32,
    /// Chlorine soak: least available chlorine (mg/L) and minutes.
    pub chlorine_min_mg_l: u32,
    pub chlorine_min_minutes: u32,
    /// A staff temperature at or above this is a fever.
    pub fever: Celsius,
    /// Staff roles checked every morning (晨检).
    pub staff_roles: Vec<String>,
}

impl Default for KitchenSettings {
    fn default() -> Self {
        KitchenSettings {
            meals: vec![Meal::Breakfast, Meal::Lunch, Meal::AfternoonSnack],
            min_grams: 125,
            retention_hours: 48,
            fridge_min: Celsius::whole(0),
            fridge_max: Celsius::whole(8),
            fridges: vec!["留样冰箱".into()],
            fridge_checks_per_day: 2,
            disinfections_per_day: 1,
            steam_min_c: 100,
            steam_min_minutes: 10,
            infrared_min_c: 120,
            infrared_min_minutes: 10,
            chlorine_min_mg_l: 250,
            chlorine_min_minutes: 5,
            fever: Celsius(373),
            staff_roles: vec!["食堂管理员".into(), "厨师".into(), "帮厨".into()],
        }
    }
}

impl KitchenSettings {
    /// The minimum weight as [`Grams`].
    pub fn min_weight(&self) -> Grams {
        Grams::whole(self.min_grams)
    }

    /// The retention time.
    pub fn retention(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.retention_hours))
    }

    /// The settings as the form shows them (and sends them back).
    pub fn to_form(&self) -> SettingsForm {
        SettingsForm {
            meals: self.meals.clone(),
            min_grams: self.min_grams.to_string(),
            retention_hours: self.retention_hours.to_string(),
            fridge_min_c: self.fridge_min.to_string(),
            fridge_max_c: self.fridge_max.to_string(),
            fridges: self.fridges.join(","),
            fridge_checks_per_day: self.fridge_checks_per_day.to_string(),
            disinfections_per_day: self.disinfections_per_day.to_string(),
            steam_min_c: self.steam_min_c.to_string(),
            steam_min_minutes: self.steam_min_minutes.to_string(),
            infrared_min_c: self.infrared_min_c.to_string(),
            infrared_min_minutes: self.infrared_min_minutes.to_string(),
            chlorine_min_mg_l: self.chlorine_min_mg_l.to_string(),
            chlorine_min_minutes: self.chlorine_min_minutes.to_string(),
            fever_c: self.fever.to_string(),
            staff_roles: self.staff_roles.join(","),
        }
    }

    fn to_values(&self) -> Vec<(&'static str, String)> {
        let f = self.to_form();
        vec![
            (MEALS, self.meals.iter().map(|m| m.code()).collect::<Vec<_>>().join(",")),
            (MIN_GRAMS, f.min_grams),
            (RETENTION, f.retention_hours),
            (FRIDGE_MIN, f.fridge_min_c),
            (FRIDGE_MAX, f.fridge_max_c),
            (FRIDGES, f.fridges),
            (FRIDGE_CHECKS, f.fridge_checks_per_day),
            (DISINFECTIONS, f.disinfections_per_day),
            (STEAM_C, f.steam_min_c),
            (STEAM_MIN, f.steam_min_minutes),
            (INFRARED_C, f.infrared_min_c),
            (INFRARED_MIN, f.infrared_min_minutes),
            (CHLORINE_MG, f.chlorine_min_mg_l),
            (CHLORINE_MIN, f.chlorine_min_minutes),
            (FEVER, f.fever_c),
            (ROLES, f.staff_roles),
        ]
    }
}

/// The settings form: numbers as typed text, lists comma-separated, so every
/// problem comes back as a Chinese message for its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "KitchenSettingsForm"))]
pub struct SettingsForm {
    pub meals: Vec<Meal>,
    pub min_grams: String,
    pub retention_hours: String,
    pub fridge_min_c: String,
    pub fridge_max_c: String,
    pub fridges: String,
    pub fridge_checks_per_day: String,
    pub disinfections_per_day: String,
    pub steam_min_c: String,
    pub steam_min_minutes: String,
    pub infrared_min_c: String,
    pub infrared_min_minutes: String,
    pub chlorine_min_mg_l: String,
    pub chlorine_min_minutes: String,
    pub fever_c: String,
    pub staff_roles: String,
}

/// Splits a list typed with commas of either width, 、 or semicolons.
fn split_list(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；', '\n']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

impl SettingsForm {
    /// The typed settings, or every problem (column = the field's label).
    pub fn parse(&self) -> Result<KitchenSettings> {
        let mut problems = Vec::new();
        let mut bad = |column: &str, reason: String| {
            problems.push(FieldProblem { row: 0, column: column.into(), reason });
        };
        let count = |text: &str, label: &str, unit: &[&str], lo: i64, hi: i64, bad: &mut dyn FnMut(&str, String)| {
            match parse_count(text, label, unit) {
                Ok(v) if (lo..=hi).contains(&v) => v as u32,
                Ok(v) => {
                    bad(label, format!("{label}应在 {lo} 到 {hi} 之间,而不是 {v}"));
                    0
                }
                Err(e) => {
                    bad(label, e);
                    0
                }
            }
        };
        let min_grams = count(&self.min_grams, "留样量下限(克)", &["克", "g"], 125, 500, &mut bad);
        let retention_hours = count(&self.retention_hours, "留样时间(小时)", &["小时", "h"], 48, 240, &mut bad);
        let fridge_checks_per_day = count(&self.fridge_checks_per_day, "每天测温次数", &["次"], 1, 6, &mut bad);
        let disinfections_per_day = count(&self.disinfections_per_day, "每天消毒次数", &["次"], 0, 6, &mut bad);
        let steam_min_c = count(&self.steam_min_c, "蒸汽消毒温度(°C)", &["°C", "℃"], 80, 150, &mut bad);
        let steam_min_minutes = count(&self.steam_min_minutes, "蒸汽消毒时间(分钟)", &["分钟"], 1, 120, &mut bad);
        let infrared_min_c = count(&self.infrared_min_c, "红外线消毒温度(°C)", &["°C", "℃"], 80, 200, &mut bad);
        let infrared_min_minutes =
            count(&self.infrared_min_minutes, "红外线消毒时间(分钟)", &["分钟"], 1, 120, &mut bad);
        let chlorine_min_mg_l = count(&self.chlorine_min_mg_l, "有效氯浓度(mg/L)", &["mg/L"], 50, 2000, &mut bad);
        let chlorine_min_minutes = count(&self.chlorine_min_minutes, "含氯消毒时间(分钟)", &["分钟"], 1, 120, &mut bad);
        let temp = |text: &str, label: &str, lo: i64, hi: i64, bad: &mut dyn FnMut(&str, String)| match Celsius::parse(
            text, label,
        ) {
            Ok(c) if (lo..=hi).contains(&c.0) => Some(c),
            Ok(c) => {
                bad(label, format!("{label} {c} °C 不合理"));
                None
            }
            Err(e) => {
                bad(label, e);
                None
            }
        };
        let fridge_min = temp(&self.fridge_min_c, "留样柜最低温度(°C)", -200, 100, &mut bad);
        let fridge_max = temp(&self.fridge_max_c, "留样柜最高温度(°C)", -200, 150, &mut bad);
        let fever = temp(&self.fever_c, "发热体温(°C)", 365, 385, &mut bad);
        if let (Some(lo), Some(hi)) = (fridge_min, fridge_max) {
            if hi <= lo {
                bad("留样柜最高温度(°C)", format!("最高温度 {hi} °C 应高于最低温度 {lo} °C"));
            }
        }
        let fridges = split_list(&self.fridges);
        if fridges.is_empty() {
            bad("留样柜", "请至少填写一个留样柜的名称".into());
        } else if let Some(f) = fridges.iter().find(|f| f.chars().count() > 20) {
            bad("留样柜", format!("留样柜名称“{f}”太长(最多 20 个字)"));
        } else if let Some(why) = fridges.iter().find_map(|f| crate::text::check("留样柜名称", Kind::Name, 20, f).err())
        {
            bad("留样柜", why);
        }
        let staff_roles = split_list(&self.staff_roles);
        if let Some(why) = staff_roles.iter().find_map(|r| crate::text::check("岗位", Kind::Name, 20, r).err()) {
            bad("岗位", why);
        }
        let mut meals: Vec<Meal> = Meal::ALL.iter().copied().filter(|m| self.meals.contains(m)).collect();
        meals.dedup();
        if meals.is_empty() {
            bad("餐次", "请至少选择一个餐次".into());
        }
        let texts: Vec<&str> = fridges.iter().chain(staff_roles.iter()).map(String::as_str).collect();
        for (text, chars) in crate::pdf::missing_glyphs(&texts) {
            let list: String = chars.iter().collect();
            bad("留样柜", format!("“{text}”中的“{list}”没有字体可以打印,请换一种写法"));
        }
        if !problems.is_empty() {
            return Err(Error::Rejected { problems });
        }
        let (Some(fridge_min), Some(fridge_max), Some(fever)) = (fridge_min, fridge_max, fever) else {
            return Err(Error::invalid("温度设置有误"));
        };
        Ok(KitchenSettings {
            meals,
            min_grams,
            retention_hours,
            fridge_min,
            fridge_max,
            fridges,
            fridge_checks_per_day,
            disinfections_per_day,
            steam_min_c,
            steam_min_minutes,
            infrared_min_c,
            infrared_min_minutes,
            chlorine_min_mg_l,
            chlorine_min_minutes,
            fever,
            staff_roles,
        })
    }
}

/// The saved settings, with the defaults for anything never set. A stored
/// value that no longer reads (edited by hand) is an error naming the key.
pub fn get(conn: &Conn) -> Result<KitchenSettings> {
    let mut form = KitchenSettings::default().to_form();
    let read = |key: &str| crate::settings::get(conn, key);
    if let Some(v) = read(MEALS)? {
        let mut meals = Vec::new();
        for code in split_list(&v) {
            meals.push(
                Meal::parse(&code).ok_or_else(|| Error::invalid(format!("设置 {MEALS} 中的餐次“{code}”无法识别")))?,
            );
        }
        form.meals = meals;
    }
    let fields: [(&str, &mut String); 15] = [
        (MIN_GRAMS, &mut form.min_grams),
        (RETENTION, &mut form.retention_hours),
        (FRIDGE_MIN, &mut form.fridge_min_c),
        (FRIDGE_MAX, &mut form.fridge_max_c),
        (FRIDGES, &mut form.fridges),
        (FRIDGE_CHECKS, &mut form.fridge_checks_per_day),
        (DISINFECTIONS, &mut form.disinfections_per_day),
        (STEAM_C, &mut form.steam_min_c),
        (STEAM_MIN, &mut form.steam_min_minutes),
        (INFRARED_C, &mut form.infrared_min_c),
        (INFRARED_MIN, &mut form.infrared_min_minutes),
        (CHLORINE_MG, &mut form.chlorine_min_mg_l),
        (CHLORINE_MIN, &mut form.chlorine_min_minutes),
        (FEVER, &mut form.fever_c),
        (ROLES, &mut form.staff_roles),
    ];
    for (key, slot) in fields {
        if let Some(v) = read(key)? {
            *slot = v;
        }
    }
    form.parse().map_err(|e| Error::invalid(format!("食堂设置有误,请在「食品留样 › 设置」中重新保存:{e}")))
}

/// Saves the settings in one transaction, each changed key audited with its
/// old and new value. Refused (nothing saved) if any field is unusable.
pub fn save(db: &mut Db, form: &SettingsForm) -> Result<KitchenSettings> {
    let s = form.parse()?;
    let values: Vec<(&str, Option<String>)> = s.to_values().into_iter().map(|(k, v)| (k, Some(v))).collect();
    crate::settings::save_all_for(db, crate::auth::Job::Kitchen, &values)?;
    get(db.conn())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_national_rules() {
        let db = Db::open_scratch().expect("db");
        let s = get(db.conn()).expect("get");
        assert_eq!(s, KitchenSettings::default());
        assert_eq!(s.min_weight(), Grams(1250));
        assert_eq!(s.retention(), chrono::Duration::hours(48));
        assert_eq!((s.fridge_min, s.fridge_max), (Celsius(0), Celsius(80)));
    }

    #[test]
    fn saving_changes_only_what_changed_with_audit() {
        let mut db = Db::open_scratch().expect("db");
        let mut f = KitchenSettings::default().to_form();
        f.min_grams = "150".into();
        f.fridge_max_c = "4".into();
        f.fridges = "1号留样柜，2号留样柜".into();
        f.meals = vec![Meal::Dinner, Meal::Breakfast, Meal::Lunch];
        let s = save(&mut db, &f).expect("save");
        assert_eq!(s.min_grams, 150);
        assert_eq!(s.fridge_max, Celsius(40));
        assert_eq!(s.fridges, vec!["1号留样柜", "2号留样柜"]);
        assert_eq!(s.meals, vec![Meal::Breakfast, Meal::Lunch, Meal::Dinner]);
        let n = crate::db::audit::recent(db.conn(), Some("setting"), 100).expect("audit").len();
        save(&mut db, &s.to_form()).expect("same again");
        assert_eq!(crate::db::audit::recent(db.conn(), Some("setting"), 100).expect("audit").len(), n);
    }

    #[test]
    fn bad_settings_are_refused_in_chinese_and_change_nothing() {
        let mut db = Db::open_scratch().expect("db");
        let mut f = KitchenSettings::default().to_form();
        f.min_grams = "很多".into();
        f.retention_hours = "24".into();
        f.fridge_min_c = "9".into();
        f.fridges = " ".into();
        f.meals = vec![];
        let e = save(&mut db, &f).expect_err("refused");
        let msg = e.to_string();
        for part in ["不是整数", "48 到 240", "应高于最低温度", "留样柜", "餐次"] {
            assert!(msg.contains(part), "{part} in {msg}");
        }
        assert_eq!(get(db.conn()).expect("get"), KitchenSettings::default());
    }
}
