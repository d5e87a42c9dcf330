//! The kitchen's daily logs, each a simple table per day:
//!
//! - 留样柜温度记录 ([`FridgeReading`]): a reading of each fridge, twice a day
//!   by default. A reading outside the range is kept and flagged, with the
//!   action taken (处理措施) required.
//! - 餐具消毒记录 ([`Disinfection`]): method (steam, infrared, chlorine),
//!   temperature or concentration, minutes, items, person. Below the
//!   method's minimum it is refused: the tableware has to be disinfected again.
//! - 晨检 ([`HealthCheck`]): each member of the kitchen staff every morning —
//!   time, temperature, hands ([`Hands`]) and symptoms; fever, any symptom or
//!   a wound means not fit to work today (and not to sample or discard).
//!
//! [`daily_status`] says what a day still lacks (readings — on every day the
//! fridge holds samples —, disinfections, staff not checked) and what its
//! records show wrong. Entries can be deleted (a typo), audited.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::checks::{Flag, Records};
use super::settings::{self, KitchenSettings};
use super::{in_session, parse_count, parse_time, person, short_datetime, to_minute, Celsius};
use crate::db::{Db, Tx};
use crate::error::FieldProblem;
use crate::school::text_enum_sql;
use crate::store::{self, Conn};
use crate::text::Field;
use crate::{Error, Result};

/// Which log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LogKind {
    /// 留样柜温度记录
    Temperature,
    /// 餐具消毒记录
    Disinfection,
    /// 晨检记录
    Health,
}

impl LogKind {
    /// The log's title.
    pub fn title(self) -> &'static str {
        match self {
            LogKind::Temperature => "留样柜温度记录表",
            LogKind::Disinfection => "餐具消毒记录表",
            LogKind::Health => "从业人员晨检记录表",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            LogKind::Temperature => "fridge_reading",
            LogKind::Disinfection => "disinfection",
            LogKind::Health => "health_check",
        }
    }

    /// Reads `temperature`/`温度`, `disinfection`/`消毒`, `health`/`晨检`.
    pub fn parse(s: &str) -> Result<LogKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "temperature" | "temp" | "温度" | "测温" | "留样柜温度" => Ok(LogKind::Temperature),
            "disinfection" | "消毒" => Ok(LogKind::Disinfection),
            "health" | "晨检" => Ok(LogKind::Health),
            other => Err(Error::invalid(format!(
                "未知的记录“{other}”,可用:temperature(温度)、disinfection(消毒)、health(晨检)"
            ))),
        }
    }
}

/// A reading must be taken by now, on the day it is for.
fn when(date: NaiveDate, time: &str, now: NaiveDateTime, bad: &mut impl FnMut(&str, String)) -> Option<NaiveTime> {
    match parse_time(time) {
        Ok(t) if date.and_time(t) > to_minute(now) => {
            bad(
                "时间",
                format!(
                    "时间 {} 晚于现在({}),不能登记还没有发生的记录",
                    short_datetime(date.and_time(t)),
                    short_datetime(now)
                ),
            );
            None
        }
        Ok(t) => Some(t),
        Err(e) => {
            bad("时间", e);
            None
        }
    }
}

fn problems_or<T>(problems: Vec<FieldProblem>, value: Option<T>) -> Result<T> {
    match value {
        Some(v) if problems.is_empty() => Ok(v),
        _ if !problems.is_empty() => Err(Error::Rejected { problems }),
        _ => Err(Error::invalid("记录不完整")),
    }
}

// ------------------------------------------------------------ temperatures

/// One fridge reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FridgeReading {
    pub id: i64,
    pub date: NaiveDate,
    /// HH:MM
    pub time: String,
    pub fridge: String,
    pub temp: Celsius,
    pub out_of_range: bool,
    /// 处理措施 (required when out of range).
    pub action: String,
    pub person: String,
}

/// A reading as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FridgeReadingInput {
    pub date: NaiveDate,
    pub time: String,
    pub fridge: String,
    pub temp: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub action: String,
    pub person: String,
}

/// Records a fridge reading. Out of the range it is saved flagged, but only
/// with the action taken. Refused: a time in the future, a fridge not in the
/// settings, a temperature that is not a number or not plausible (−30…30 °C).
pub fn add_reading(db: &mut Db, input: &FridgeReadingInput, now: NaiveDateTime) -> Result<i64> {
    db.write(crate::auth::Job::Kitchen, |tx| {
        let r = check_reading(&settings::get(tx)?, input, now)?;
        insert_reading(tx, &r)
    })
}

/// The reading to store, or every problem with the input.
fn check_reading(s: &KitchenSettings, input: &FridgeReadingInput, now: NaiveDateTime) -> Result<FridgeReading> {
    let mut problems = Vec::new();
    let mut bad = |column: &str, reason: String| problems.push(FieldProblem { row: 0, column: column.into(), reason });
    let time = when(input.date, &input.time, now, &mut bad);
    let fridge = input.fridge.trim().to_string();
    if !s.fridges.contains(&fridge) {
        bad("留样柜", format!("没有名为“{fridge}”的留样柜(设置中的有:{})", s.fridges.join("、")));
    }
    let temp = match Celsius::parse(&input.temp, "温度") {
        Ok(t) if (-300..=300).contains(&t.0) => Some(t),
        Ok(t) => {
            bad("温度(°C)", format!("{t} °C 不像冰箱温度,请检查"));
            None
        }
        Err(e) => {
            bad("温度(°C)", e);
            None
        }
    };
    let out_of_range = temp.is_some_and(|t| t < s.fridge_min || t > s.fridge_max);
    let action = input.action.trim().to_string();
    if let Err(why) = Field::line("处理措施").max(100).check(&action) {
        bad("处理措施", why);
    }
    if out_of_range && action.is_empty() {
        bad(
            "处理措施",
            format!(
                "{} °C 超出 {}–{} °C,请填写处理措施(如:调低温控,1 小时后复测)",
                temp.map(|t| t.to_string()).unwrap_or_default(),
                s.fridge_min,
                s.fridge_max
            ),
        );
    }
    let who = person(&input.person, "记录人").map_err(|e| bad("记录人", e)).ok();
    let (time, temp, who) = problems_or(problems, time.zip(temp).zip(who).map(|((a, b), c)| (a, b, c)))?;
    Ok(FridgeReading {
        id: 0,
        date: input.date,
        time: time.format("%H:%M").to_string(),
        fridge,
        temp,
        out_of_range,
        action,
        person: who,
    })
}

/// Inserts a checked reading inside an open transaction (audited).
pub(crate) fn insert_reading(tx: &Tx, r: &FridgeReading) -> Result<i64> {
    let id = store::kitchen::fridge_readings::insert(tx, r)?;
    tx.audit("fridge_reading", id, "create", None, Some(&serde_json::json!(r)))?;
    Ok(id)
}

/// The readings of `from..=to`, in time order.
pub fn readings(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<FridgeReading>> {
    store::kitchen::fridge_readings::between(conn, from, to)
}

// ------------------------------------------------------------ disinfection

/// 消毒方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 蒸汽(煮沸)
    Steam,
    /// 红外线消毒柜
    Infrared,
    /// 含氯消毒剂浸泡
    Chlorine,
}
text_enum_sql!(Method { Steam => "steam", Infrared => "infrared", Chlorine => "chlorine" });

impl Method {
    /// All methods.
    pub const ALL: [Method; 3] = [Method::Steam, Method::Infrared, Method::Chlorine];

    /// The name on forms and logs.
    pub fn label(self) -> &'static str {
        match self {
            Method::Steam => "蒸汽",
            Method::Infrared => "红外线",
            Method::Chlorine => "含氯消毒剂",
        }
    }

    /// What `intensity` measures, with its unit.
    pub fn measure(self) -> &'static str {
        match self {
            Method::Steam | Method::Infrared => "温度(°C)",
            Method::Chlorine => "有效氯浓度(mg/L)",
        }
    }

    /// The unit alone.
    pub fn unit(self) -> &'static str {
        match self {
            Method::Steam | Method::Infrared => "°C",
            Method::Chlorine => "mg/L",
        }
    }

    /// The least intensity and minutes the settings ask of this method.
    pub fn minimums(self, s: &KitchenSettings) -> (u32, u32) {
        match self {
            Method::Steam => (s.steam_min_c, s.steam_min_minutes),
            Method::Infrared => (s.infrared_min_c, s.infrared_min_minutes),
            Method::Chlorine => (s.chlorine_min_mg_l, s.chlorine_min_minutes),
        }
    }

    /// Reads 蒸汽/煮沸, 红外/红外线, 含氯/消毒液/84, or the code names.
    pub fn parse(s: &str) -> Option<Method> {
        let t = s.trim();
        Method::from_code(&t.to_ascii_lowercase()).or(match t {
            "蒸汽" | "蒸汽消毒" | "煮沸" | "高温" => Some(Method::Steam),
            "红外" | "红外线" | "红外线消毒" | "消毒柜" => Some(Method::Infrared),
            "含氯" | "含氯消毒剂" | "消毒液" | "84" | "84消毒液" | "化学" => Some(Method::Chlorine),
            _ => None,
        })
    }
}

/// One disinfection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Disinfection {
    pub id: i64,
    pub date: NaiveDate,
    pub time: String,
    pub method: Method,
    pub method_label: &'static str,
    pub items: String,
    /// °C (steam, infrared) or mg/L (chlorine).
    pub intensity: u32,
    pub unit: &'static str,
    pub minutes: u32,
    pub person: String,
}

/// A disinfection as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DisinfectionInput {
    pub date: NaiveDate,
    pub time: String,
    pub method: Method,
    pub items: String,
    pub intensity: String,
    pub minutes: String,
    pub person: String,
}

/// Records a disinfection. Refused: a time in the future, numbers that are
/// not whole numbers, and a temperature/concentration or time below the
/// method's minimum (disinfect again, then record it).
pub fn add_disinfection(db: &mut Db, input: &DisinfectionInput, now: NaiveDateTime) -> Result<i64> {
    db.write(crate::auth::Job::Kitchen, |tx| {
        let d = check_disinfection(&settings::get(tx)?, input, now)?;
        insert_disinfection(tx, &d)
    })
}

/// The disinfection to store, or every problem with the input.
fn check_disinfection(s: &KitchenSettings, input: &DisinfectionInput, now: NaiveDateTime) -> Result<Disinfection> {
    let mut problems = Vec::new();
    let mut bad = |column: &str, reason: String| problems.push(FieldProblem { row: 0, column: column.into(), reason });
    let time = when(input.date, &input.time, now, &mut bad);
    let m = input.method;
    let (min_v, min_minutes) = m.minimums(s);
    let items = input.items.trim().to_string();
    if items.is_empty() {
        bad("消毒物品", "请填写消毒的物品(如:碗、勺、餐盘)".into());
    } else if let Err(why) = Field::line("消毒物品").max(40).check(&items) {
        bad("消毒物品", why);
    }
    let intensity = match parse_count(&input.intensity, m.measure(), &["°C", "℃", "度", "mg/L", "mg/l", "ppm"]) {
        Ok(v) if v < i64::from(min_v) => {
            bad(
                m.measure(),
                format!(
                    "{}消毒须达到 {min_v} {},这次只有 {v} {},没有保存。请重新消毒后再登记",
                    m.label(),
                    m.unit(),
                    m.unit()
                ),
            );
            None
        }
        Ok(v) => Some(v as u32),
        Err(e) => {
            bad(m.measure(), e);
            None
        }
    };
    let minutes = match parse_count(&input.minutes, "消毒时间(分钟)", &["分钟", "分", "min"]) {
        Ok(v) if v < i64::from(min_minutes) => {
            bad(
                "消毒时间(分钟)",
                format!(
                    "{}消毒须保持 {min_minutes} 分钟以上,这次只有 {v} 分钟,没有保存。请重新消毒后再登记",
                    m.label()
                ),
            );
            None
        }
        Ok(v) if v > 600 => {
            bad("消毒时间(分钟)", format!("{v} 分钟太长,请检查"));
            None
        }
        Ok(v) => Some(v as u32),
        Err(e) => {
            bad("消毒时间(分钟)", e);
            None
        }
    };
    let who = person(&input.person, "消毒人").map_err(|e| bad("消毒人", e)).ok();
    let (((time, intensity), minutes), who) = problems_or(problems, time.zip(intensity).zip(minutes).zip(who))?;
    Ok(Disinfection {
        id: 0,
        date: input.date,
        time: time.format("%H:%M").to_string(),
        method: m,
        method_label: m.label(),
        items,
        intensity,
        unit: m.unit(),
        minutes,
        person: who,
    })
}

/// Inserts a checked disinfection inside an open transaction (audited).
pub(crate) fn insert_disinfection(tx: &Tx, d: &Disinfection) -> Result<i64> {
    let id = store::kitchen::disinfections::insert(tx, d)?;
    tx.audit("disinfection", id, "create", None, Some(&serde_json::json!(d)))?;
    Ok(id)
}

/// The disinfections of `from..=to`, in time order.
pub fn disinfections(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<Disinfection>> {
    store::kitchen::disinfections::between(conn, from, to)
}

// ------------------------------------------------------------ health check

/// Symptoms that keep a food handler away from food (GB 31654-2021 6.1 and
/// the 2018 操作规范: fever, diarrhoea, vomiting, jaundice, sore throat with
/// fever). The hands are checked apart ([`Hands`]): every check records them.
pub const SYMPTOMS: [&str; 5] = ["发热", "腹泻", "呕吐", "黄疸", "咽部炎症"];

/// 手部检查 at the morning check. A wound or an infection keeps the person
/// away from ready-to-eat food (GB 31654-2021 6.1.2: 皮肤有伤口或感染的从业人员
/// 应暂停从事接触直接入口食品的工作), so both mean 不宜上岗.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Hands {
    /// 正常
    Normal,
    /// 有伤口
    Wound,
    /// 化脓 (an infected wound)
    Infected,
}
text_enum_sql!(Hands { Normal => "normal", Wound => "wound", Infected => "infected" });

impl Hands {
    /// All results, in the order the form offers them.
    pub const ALL: [Hands; 3] = [Hands::Normal, Hands::Wound, Hands::Infected];

    /// The word on the form and the log.
    pub fn label(self) -> &'static str {
        match self {
            Hands::Normal => "正常",
            Hands::Wound => "伤口",
            Hands::Infected => "化脓",
        }
    }

    /// Reads 正常/无/好, 伤口/有伤口, 化脓/感染, or the code names.
    pub fn parse(s: &str) -> Option<Hands> {
        let t = s.trim();
        Hands::from_code(&t.to_ascii_lowercase()).or(match t {
            "正常" | "无" | "无异常" | "好" => Some(Hands::Normal),
            "伤口" | "有伤口" | "手部伤口" => Some(Hands::Wound),
            "化脓" | "感染" | "伤口化脓" | "手部化脓" => Some(Hands::Infected),
            _ => None,
        })
    }
}

/// One morning health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HealthCheck {
    pub id: i64,
    pub date: NaiveDate,
    /// HH:MM (`None`: recorded before the time was asked).
    pub time: Option<String>,
    pub staff: String,
    pub temp: Celsius,
    /// The hand check (`None`: recorded before the hands were asked).
    pub hands: Option<Hands>,
    /// 正常 / 伤口 / 化脓, empty when not recorded.
    pub hands_label: &'static str,
    pub symptoms: Vec<String>,
    /// Fit to handle food today (no fever, no symptom, hands normal).
    pub fit: bool,
    /// What was done (required when not fit: 离岗休息, 调离接触食品岗位…).
    pub note: String,
    pub checker: String,
}

impl HealthCheck {
    /// Why the person is not fit today (发热 37.6 °C、手部伤口), empty when fit.
    pub fn why_unfit(&self) -> String {
        let mut why: Vec<String> = self
            .symptoms
            .iter()
            .map(|x| if x == "发热" { format!("发热 {} °C", self.temp) } else { x.clone() })
            .collect();
        if let Some(h) = self.hands.filter(|h| *h != Hands::Normal) {
            why.push(format!("手部{}", h.label()));
        }
        if why.is_empty() && !self.fit {
            why.push("不宜上岗".into());
        }
        why.join("、")
    }
}

/// A health check as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HealthCheckInput {
    pub date: NaiveDate,
    /// 晨检时间 on `date`, as typed (07:30).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub time: String,
    pub staff: String,
    pub temp: String,
    /// 手部检查 (required: `None` is refused with a message).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub hands: Option<Hands>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub symptoms: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
    pub checker: String,
}

/// Records a morning check. A fever (at or above the setting), any symptom
/// or hands not normal make the person not fit today, and then what was done
/// must be noted. Refused: a date or time in the future, no hand check, a
/// second check of the same person on the same day, an unknown symptom, a
/// temperature that is not a body temperature.
pub fn add_health_check(db: &mut Db, input: &HealthCheckInput, now: NaiveDateTime) -> Result<i64> {
    db.write(crate::auth::Job::Kitchen, |tx| {
        let c = check_health(tx, input, now)?;
        insert_health_check(tx, &c)
    })
}

/// The check to store, or every problem with the input (a second check of
/// the same person that day is read through the transaction).
fn check_health(tx: &Tx, input: &HealthCheckInput, now: NaiveDateTime) -> Result<HealthCheck> {
    let s = settings::get(tx)?;
    let mut problems = Vec::new();
    let mut bad = |column: &str, reason: String| problems.push(FieldProblem { row: 0, column: column.into(), reason });
    let time = if input.date > now.date() {
        bad("日期", format!("{} 还没有到,不能登记晨检", input.date));
        None
    } else {
        when(input.date, &input.time, now, &mut bad)
    };
    let hands = input.hands;
    if hands.is_none() {
        bad("手部", "请填写手部检查:正常、伤口或化脓".into());
    }
    let staff = person(&input.staff, "受检人").map_err(|e| bad("受检人", e)).ok();
    let temp = match Celsius::parse(&input.temp, "体温") {
        Ok(t) if (340..=430).contains(&t.0) => Some(t),
        Ok(t) => {
            bad("体温(°C)", format!("体温 {t} °C 不合理,请检查"));
            None
        }
        Err(e) => {
            bad("体温(°C)", e);
            None
        }
    };
    let mut symptoms: Vec<String> = Vec::new();
    for x in &input.symptoms {
        let x = x.trim();
        if x.is_empty() {
            continue;
        }
        if !SYMPTOMS.contains(&x) {
            bad("症状", format!("未知的症状“{x}”,可选:{}", SYMPTOMS.join("、")));
        } else if !symptoms.iter().any(|y| y == x) {
            symptoms.push(x.to_string());
        }
    }
    let fever = temp.is_some_and(|t| t >= s.fever);
    if fever && !symptoms.iter().any(|x| x == "发热") {
        symptoms.insert(0, "发热".into());
    }
    let bad_hands = hands.filter(|h| *h != Hands::Normal);
    let fit = !fever && symptoms.is_empty() && bad_hands.is_none();
    let note = input.note.trim().to_string();
    if let Err(why) = Field::note("备注").max(200).check(&note) {
        bad("备注", why);
    }
    if !fit && note.is_empty() {
        let mut why = symptoms.clone();
        why.extend(bad_hands.map(|h| format!("手部{}", h.label())));
        bad("处理", format!("{}不宜上岗,请填写处理(如:离岗休息,痊愈后上岗)", why.join("、")));
    }
    let checker = person(&input.checker, "检查人").map_err(|e| bad("检查人", e)).ok();
    if let Some(name) = &staff {
        if store::kitchen::health_checks::exists(tx, input.date, name)? {
            bad("受检人", format!("{} 已登记过 {name} 的晨检", input.date));
        }
    }
    let ((((staff, temp), checker), time), hands) =
        problems_or(problems, staff.zip(temp).zip(checker).zip(time).zip(hands))?;
    Ok(HealthCheck {
        id: 0,
        date: input.date,
        time: Some(time.format("%H:%M").to_string()),
        staff,
        temp,
        hands: Some(hands),
        hands_label: hands.label(),
        symptoms,
        fit,
        note,
        checker,
    })
}

/// Inserts a checked health check inside an open transaction (audited).
pub(crate) fn insert_health_check(tx: &Tx, c: &HealthCheck) -> Result<i64> {
    let id = store::kitchen::health_checks::insert(tx, c)?;
    tx.audit("health_check", id, "create", None, Some(&serde_json::json!(c)))?;
    Ok(id)
}

/// The checks of `from..=to`, by date and name.
pub fn health_checks(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<HealthCheck>> {
    store::kitchen::health_checks::between(conn, from, to)
}

/// The active staff whose role is one of the kitchen roles in the settings.
pub fn kitchen_staff(conn: &Conn) -> Result<Vec<String>> {
    let s = settings::get(conn)?;
    Ok(crate::school::staff::list(conn)?
        .into_iter()
        .filter(|p| p.active && s.staff_roles.iter().any(|r| p.role.trim() == r))
        .map(|p| p.name)
        .collect())
}

// ------------------------------------------------------------ deleting, the day

/// Deletes one log entry entered by mistake; the audit keeps what it said.
pub fn delete_entry(db: &mut Db, kind: LogKind, id: i64) -> Result<()> {
    db.write(crate::auth::Job::Kitchen, |tx| {
        let before = match kind {
            LogKind::Temperature => store::kitchen::fridge_readings::get(tx, id)?.map(|x| serde_json::json!(x)),
            LogKind::Disinfection => store::kitchen::disinfections::get(tx, id)?.map(|x| serde_json::json!(x)),
            LogKind::Health => store::kitchen::health_checks::get(tx, id)?.map(|x| serde_json::json!(x)),
        };
        let Some(before) = before else {
            return Err(Error::not_found("记录", id));
        };
        match kind {
            LogKind::Temperature => store::kitchen::fridge_readings::delete(tx, id)?,
            LogKind::Disinfection => store::kitchen::disinfections::delete(tx, id)?,
            LogKind::Health => store::kitchen::health_checks::delete(tx, id)?,
        }
        tx.audit(kind.entity(), id, "delete", Some(&before), None)
    })
}

/// One day's logs and what they still lack.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DailyLogs {
    pub date: NaiveDate,
    pub readings: Vec<FridgeReading>,
    pub disinfections: Vec<Disinfection>,
    pub health_checks: Vec<HealthCheck>,
    /// The kitchen staff to check (active staff with a kitchen role).
    pub kitchen_staff: Vec<String>,
    pub fridges: Vec<String>,
    pub fridge_range: String,
    /// What is still missing, in Chinese (empty when complete). On a day the
    /// children are not in school only the fridge readings are asked for, and
    /// only of a fridge holding samples.
    pub missing: Vec<String>,
    /// The children are in school (在园日) and the kitchen cooks.
    pub school_day: bool,
    /// Why they are not (周末, 国庆节, 停课:暴雨红色预警停课…).
    pub off_reason: Option<String>,
    /// The 非在园日供餐 reason recorded for the day, if any.
    pub off_day_meal: Option<String>,
    /// The day's records read against each other (a sampler or discarder
    /// excluded at this day's 晨检, samples without the off-day reason).
    pub flags: Vec<Flag>,
}

/// The logs of `date` and what the settings still ask of it.
pub fn daily_status(conn: &Conn, date: NaiveDate) -> Result<DailyLogs> {
    let staff = kitchen_staff(conn)?;
    Ok(day_of(&Records::load(conn, date, date)?, &staff, date))
}

/// The days of `from..=to` whose logs are incomplete, with what is missing.
pub fn incomplete_days(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, Vec<String>)>> {
    let records = Records::load(conn, from, to)?;
    let staff = kitchen_staff(conn)?;
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let st = day_of(&records, &staff, d);
        if !st.missing.is_empty() {
            out.push((d, st.missing));
        }
        d += Duration::days(1);
    }
    Ok(out)
}

/// One day of `records`: its entries and what it lacks.
fn day_of(records: &Records, staff: &[String], date: NaiveDate) -> DailyLogs {
    let s = &records.s;
    let school_day = in_session(&records.cal, date);
    let readings: Vec<FridgeReading> = records.readings.iter().filter(|x| x.date == date).cloned().collect();
    let disinfections: Vec<Disinfection> = records.disinfections.iter().filter(|x| x.date == date).cloned().collect();
    let health_checks: Vec<HealthCheck> = records.health.iter().filter(|x| x.date == date).cloned().collect();
    let mut missing = Vec::new();
    for (f, n, held) in records.readings_due(date) {
        if n < s.fridge_checks_per_day as usize {
            let why = if school_day { String::new() } else { format!("(柜中有 {held} 份留样)") };
            missing.push(format!("{f}测温 {n} 次,应测 {} 次{why}", s.fridge_checks_per_day));
        }
    }
    if school_day {
        if disinfections.len() < s.disinfections_per_day as usize {
            missing.push(format!("餐具消毒 {} 次,应 {} 次", disinfections.len(), s.disinfections_per_day));
        }
        let unchecked: Vec<&str> =
            staff.iter().filter(|p| !health_checks.iter().any(|c| &&c.staff == p)).map(String::as_str).collect();
        if !unchecked.is_empty() {
            missing.push(format!("未晨检:{}", unchecked.join("、")));
        }
    }
    let flags = records.record_flags().into_iter().filter(|f| f.date == date).collect();
    DailyLogs {
        date,
        readings,
        disinfections,
        health_checks,
        kitchen_staff: staff.to_vec(),
        fridges: s.fridges.clone(),
        fridge_range: format!("{}–{} °C", s.fridge_min, s.fridge_max),
        missing,
        school_day,
        off_reason: super::samples::off_day_reason(&records.cal, date),
        off_day_meal: records.off_days.get(&date).cloned(),
        flags,
    }
}
