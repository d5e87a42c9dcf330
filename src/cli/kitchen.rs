//! `houqin samples --month M --out FILE.pdf` (the month's 食品留样记录表) and
//! `houqin kitchen …`: the kitchen's small commands for scripting — the day's
//! menu and samples, adding a sample, the discard list and discarding, the
//! missing-sample check, copying last week's menu, labels, the daily logs
//! and their PDFs, the 非在园日供餐 reason of a day, the records' flags
//! (`kitchen flags`), and the kitchen settings.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use std::path::PathBuf;

use super::{output, Ctx};
use crate::say;
use houqin::dates::{self, YearMonth};
use houqin::db::{self, Db};
use houqin::kitchen::checks;
use houqin::kitchen::logs::{self, DisinfectionInput, FridgeReadingInput, Hands, HealthCheckInput, LogKind, Method};
use houqin::kitchen::samples::{self, DiscardInput, DishRow, MealEntry};
use houqin::kitchen::{print, settings, FoodSample, Meal};
use houqin::{Error, Result};

#[derive(Args)]
pub struct SamplesArgs {
    /// 月份,如 2026-11
    #[arg(long)]
    pub month: String,
    /// 保存的 PDF 文件
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
}

#[derive(Subcommand)]
pub enum KitchenCmd {
    /// 某天的菜单和留样;加 --meal 和 --dishes 则设置这一餐的菜单
    Menu {
        /// 日期,默认今天
        #[arg(long)]
        date: Option<String>,
        /// 餐次:早餐、早点、午餐、午点、晚餐
        #[arg(long, requires = "dishes")]
        meal: Option<String>,
        /// 这一餐的菜,用逗号分隔,如 "米饭,红烧肉,紫菜蛋花汤"
        #[arg(long, requires = "meal")]
        dishes: Option<String>,
        /// 非在园日(周末、节假日、停课日)供餐的原因,如 "教职工加班用餐"
        #[arg(long)]
        reason: Option<String>,
    },
    /// 登记一道菜的留样(不在菜单上的菜会加入菜单)
    Add {
        /// 日期,默认今天
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        meal: String,
        #[arg(long)]
        dish: String,
        /// 留样量(克)
        #[arg(long)]
        grams: String,
        /// 留样时间,如 11:30;默认现在
        #[arg(long)]
        time: Option<String>,
        /// 留样人,默认操作员
        #[arg(long)]
        sampler: Option<String>,
        /// 留样柜,默认设置中的第一个
        #[arg(long)]
        fridge: Option<String>,
        /// 非在园日(周末、节假日、停课日)供餐的原因,如 "教职工加班用餐"
        #[arg(long)]
        reason: Option<String>,
    },
    /// 填写或更正某个非在园日(周末、节假日、停课日)供餐的原因
    OffDay {
        #[arg(long)]
        date: String,
        #[arg(long)]
        reason: String,
    },
    /// 留样记录需要说明的问题:非在园日留样未写原因、晨检不宜上岗者留样或处理、缺测温、逾期未处理
    Flags {
        /// 往前查几天(含今天)
        #[arg(long, default_value_t = 31, conflicts_with = "month")]
        days: i64,
        /// 查某个月,如 2026-11
        #[arg(long)]
        month: Option<String>,
    },
    /// 列出留样记录(某天或某月)
    List {
        #[arg(long, conflicts_with = "month")]
        date: Option<String>,
        #[arg(long)]
        month: Option<String>,
    },
    /// 到期应处理的留样,以及仍在留样柜中未到期的
    Due,
    /// 登记留样已处理(满留样时间后)
    Discard {
        /// 处理全部到期的留样
        #[arg(long, conflicts_with = "id")]
        all_due: bool,
        /// 留样记录编号(可多次给出)
        #[arg(long)]
        id: Vec<i64>,
        /// 处理时间,如 "2026-11-22 12:30";默认现在
        #[arg(long)]
        at: Option<String>,
        /// 处理人,默认操作员
        #[arg(long)]
        by: Option<String>,
    },
    /// 漏留样检查:今天和前几天每餐每道菜是否都留样
    Missing {
        /// 往前查几天
        #[arg(long, default_value_t = 7)]
        days: i64,
    },
    /// 把上一周的菜单复制到本周(只填还没有菜单的在园日)
    CopyWeek {
        /// 本周的任意一天,默认今天
        #[arg(long)]
        date: Option<String>,
    },
    /// 打印某天(或某一餐)的留样标签
    Labels {
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        meal: Option<String>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// 打印某月的记录表:temperature(留样柜温度)、disinfection(餐具消毒)、health(晨检)
    Log {
        #[arg(long)]
        kind: String,
        #[arg(long)]
        month: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// 登记留样柜温度
    Temp {
        #[arg(long)]
        temp: String,
        #[arg(long)]
        fridge: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        time: Option<String>,
        /// 超出范围时的处理措施
        #[arg(long, default_value = "")]
        action: String,
        #[arg(long)]
        by: Option<String>,
    },
    /// 登记餐具消毒:方式 蒸汽/红外线/含氯
    Disinfect {
        #[arg(long)]
        method: String,
        #[arg(long)]
        items: String,
        /// 温度(°C)或有效氯浓度(mg/L)
        #[arg(long)]
        value: String,
        #[arg(long)]
        minutes: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        time: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 登记晨检
    Health {
        #[arg(long)]
        staff: String,
        #[arg(long)]
        temp: String,
        /// 手部检查:正常、伤口、化脓
        #[arg(long)]
        hands: String,
        /// 晨检时间,如 07:30;默认现在
        #[arg(long)]
        time: Option<String>,
        /// 症状,用逗号分隔:发热、腹泻、呕吐、黄疸、咽部炎症
        #[arg(long, default_value = "")]
        symptoms: String,
        /// 处理(不宜上岗时必填)
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 查看或修改食堂设置
    Settings {
        /// 留样量下限(克)
        #[arg(long)]
        min_grams: Option<String>,
        /// 留样时间(小时)
        #[arg(long)]
        retention_hours: Option<String>,
        /// 餐次,用逗号分隔,如 "早餐,午餐,午点"
        #[arg(long)]
        meals: Option<String>,
        /// 留样柜,用逗号分隔
        #[arg(long)]
        fridges: Option<String>,
        /// 留样柜温度范围,如 0-4
        #[arg(long)]
        fridge_range: Option<String>,
    },
}

fn date_or_today(s: Option<&str>) -> Result<NaiveDate> {
    match s {
        None => Ok(dates::today()),
        Some(t) => dates::parse_date(t).ok_or_else(|| Error::invalid(format!("“{t}”不是有效的日期(例如 2026-11-20)"))),
    }
}

fn meal(s: &str) -> Result<Meal> {
    Meal::parse(s).ok_or_else(|| Error::invalid(format!("未知的餐次“{s}”,可用:早餐、早点、午餐、午点、晚餐")))
}

fn now_hm() -> String {
    db::now().format("%H:%M").to_string()
}

fn first_fridge(db: &Db) -> Result<String> {
    Ok(settings::get(db.conn())?.fridges.first().cloned().unwrap_or_default())
}

/// `houqin samples --month M --out FILE.pdf`.
pub fn samples_pdf(db: &Db, args: SamplesArgs) -> Result<()> {
    let month: YearMonth = args.month.parse()?;
    let pages = print::write_samples_pdf(db.conn(), month, db::now(), &args.out)?;
    say!("已生成 {} 食品留样记录表:{}(共 {pages} 页)", month.label(), args.out.display());
    Ok(())
}

/// The samples as table rows; one not discarded says whether it is still
/// kept or overdue at `now` (never a blank 处理时间).
fn sample_rows(list: &[FoodSample], now: chrono::NaiveDateTime) -> Vec<Vec<String>> {
    list.iter()
        .map(|x| {
            vec![
                x.id.to_string(),
                x.date.to_string(),
                x.meal_label.to_string(),
                x.dish.clone(),
                x.weight.to_string(),
                x.stored_text.clone(),
                x.sampler.clone(),
                x.discarded_text.clone().unwrap_or_else(|| {
                    if x.due_at <= now {
                        format!("逾期未处理(到期 {})", x.due_text)
                    } else {
                        format!("留样中(到期 {})", x.due_text)
                    }
                }),
                x.discarded_by.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

const SAMPLE_HEADERS: [&str; 9] =
    ["编号", "日期", "餐次", "食品名称", "留样量(克)", "留样时间", "留样人", "处理时间", "处理人"];

pub fn run(db: &mut Db, ctx: &Ctx, cmd: KitchenCmd) -> Result<()> {
    let operator = db.operator().to_string();
    match cmd {
        KitchenCmd::Menu { date, meal: Some(m), dishes: Some(list), reason } => {
            let date = date_or_today(date.as_deref())?;
            let rows: Vec<DishRow> = list
                .split([',', '，', '、'])
                .map(|d| DishRow { dish: d.trim().to_string(), weight: String::new() })
                .filter(|r| !r.dish.is_empty())
                .collect();
            // Dishes already sampled keep their weights.
            let day = samples::day(db.conn(), date, db::now(), &operator)?;
            let m = meal(&m)?;
            let rows = rows
                .into_iter()
                .map(|mut r| {
                    if let Some(x) = day
                        .meals
                        .iter()
                        .filter(|v| v.meal == m)
                        .flat_map(|v| &v.dishes)
                        .find(|d| d.dish == r.dish)
                        .and_then(|d| d.sample.as_ref())
                    {
                        r.weight = x.weight.to_string();
                    }
                    r
                })
                .collect();
            let entry = MealEntry {
                date,
                meal: m,
                rows,
                time: String::new(),
                sampler: operator.clone(),
                fridge: String::new(),
                off_day_reason: reason.unwrap_or_default(),
            };
            let saved = samples::save_meal(db, &entry, db::now()).map_err(confirm_hint)?;
            say!("已保存 {date} {} 的菜单:{} 道菜", m.label(), saved.dishes);
            Ok(())
        }
        KitchenCmd::Menu { date, .. } => {
            let date = date_or_today(date.as_deref())?;
            let day = samples::day(db.conn(), date, db::now(), &operator)?;
            if ctx.json {
                return output::json(&day);
            }
            say!("{}{}", day.label, day.off_reason.as_ref().map(|r| format!("(非在园日:{r})")).unwrap_or_default());
            if let Some(r) = &day.off_day_meal {
                say!("非在园日供餐:{r}");
            }
            let mut rows = Vec::new();
            for m in &day.meals {
                if m.dishes.is_empty() {
                    rows.push(vec![m.label.to_string(), "(没有菜单)".into(), String::new(), String::new()]);
                }
                for d in &m.dishes {
                    let (w, t) = match &d.sample {
                        Some(x) => (x.weight.to_string(), format!("{} {}", x.stored_text, x.sampler)),
                        None => ("未留样".into(), String::new()),
                    };
                    rows.push(vec![m.label.to_string(), d.dish.clone(), w, t]);
                }
            }
            output::table(&["餐次", "食品名称", "留样量(克)", "留样时间 留样人"], &rows);
            for f in &day.flags {
                say!("注意:{}", f.message);
            }
            Ok(())
        }
        KitchenCmd::OffDay { date, reason } => {
            let date = date_or_today(Some(&date))?;
            samples::set_off_day_reason(db, date, &reason)?;
            say!("已记录 {date} 非在园日供餐的原因:{}", reason.trim());
            Ok(())
        }
        KitchenCmd::Flags { days, month } => {
            let now = db::now();
            let list = match month {
                Some(m) => {
                    let m: YearMonth = m.parse()?;
                    checks::flags(db.conn(), m.first_day(), m.last_day().min(now.date()), now)?
                }
                None => checks::recent_flags(db.conn(), now, days.max(0))?,
            };
            if ctx.json {
                return output::json(&list);
            }
            if list.is_empty() {
                say!("没有发现需要说明的问题");
                return Ok(());
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|f| vec![f.date.to_string(), f.kind.title().to_string(), f.message.clone(), f.fix.clone()])
                .collect();
            output::table(&["日期", "问题", "说明", "处理办法"], &rows);
            Ok(())
        }
        KitchenCmd::Add { date, meal: m, dish, grams, time, sampler, fridge, reason } => {
            let date = date_or_today(date.as_deref())?;
            let m = meal(&m)?;
            let entry = MealEntry {
                date,
                meal: m,
                rows: vec![DishRow { dish: dish.clone(), weight: grams }],
                time: time.unwrap_or_else(now_hm),
                sampler: sampler.unwrap_or(operator),
                fridge: match fridge {
                    Some(f) => f,
                    None => first_fridge(db)?,
                },
                off_day_reason: reason.unwrap_or_default(),
            };
            let saved = samples::save_one(db, &entry, db::now()).map_err(confirm_hint)?;
            let what = if saved.updated > 0 {
                "已更正"
            } else if saved.added > 0 {
                "已登记"
            } else {
                "没有变化:"
            };
            say!("{what} {date} {} {}", m.label(), dish.trim());
            Ok(())
        }
        KitchenCmd::List { date, month } => {
            let (from, to) = match (date, month) {
                (_, Some(m)) => {
                    let m: YearMonth = m.parse()?;
                    (m.first_day(), m.last_day())
                }
                (d, None) => {
                    let d = date_or_today(d.as_deref())?;
                    (d, d)
                }
            };
            let list = samples::samples_between(db.conn(), from, to)?;
            if ctx.json {
                return output::json(&list);
            }
            output::table(&SAMPLE_HEADERS, &sample_rows(&list, db::now()));
            Ok(())
        }
        KitchenCmd::Due => {
            let c = samples::fridge_contents(db.conn(), db::now())?;
            if ctx.json {
                return output::json(&c);
            }
            say!("到期应处理 {} 份:", c.due.len());
            output::table(&SAMPLE_HEADERS, &sample_rows(&c.due, db::now()));
            say!("");
            say!("留样柜中未到期 {} 份:", c.keeping.len());
            output::table(&SAMPLE_HEADERS, &sample_rows(&c.keeping, db::now()));
            Ok(())
        }
        KitchenCmd::Discard { all_due, id, at, by } => {
            let now = db::now();
            let ids = if all_due {
                samples::fridge_contents(db.conn(), now)?.due.into_iter().map(|x| x.id).collect()
            } else {
                id.into_iter().map(houqin::kitchen::SampleId).collect::<Vec<_>>()
            };
            if ids.is_empty() {
                return Err(Error::invalid(if all_due {
                    "没有到期应处理的留样"
                } else {
                    "请用 --id 指定留样记录编号,或用 --all-due 处理全部到期的留样"
                }));
            }
            let input = DiscardInput {
                ids,
                at: at.unwrap_or_else(|| now.format("%Y-%m-%d %H:%M").to_string()),
                by: by.unwrap_or(operator),
            };
            let n = samples::discard(db, &input, now)?;
            say!("已登记处理 {n} 份留样");
            Ok(())
        }
        KitchenCmd::Missing { days } => {
            let today = dates::today();
            let r = samples::recent_missing(db.conn(), today, days)?;
            if ctx.json {
                return output::json(&r);
            }
            if r.days.is_empty() {
                say!("{} 至 {}:每餐每道菜都已留样", r.from, r.to);
                return Ok(());
            }
            let mut rows = Vec::new();
            for d in &r.days {
                for m in &d.meals {
                    let what = if m.no_menu { "未登记菜单".to_string() } else { m.dishes.join("、") };
                    let day = if d.is_today { format!("{}(今天)", d.label) } else { d.label.clone() };
                    rows.push(vec![day, m.label.to_string(), what]);
                }
            }
            output::table(&["日期", "餐次", "未留样"], &rows);
            Ok(())
        }
        KitchenCmd::CopyWeek { date } => {
            let date = date_or_today(date.as_deref())?;
            let s = samples::copy_last_week(db, date)?;
            if ctx.json {
                return output::json(&s);
            }
            say!("已复制上周菜单到 {} 天,共 {} 道菜", s.copied.len(), s.dishes);
            if !s.kept.is_empty() {
                say!("已有菜单、未改动:{}", join_dates(&s.kept));
            }
            if !s.off_days.is_empty() {
                say!("非在园日、未复制:{}", join_dates(&s.off_days));
            }
            Ok(())
        }
        KitchenCmd::Labels { date, meal: m, out } => {
            let date = date_or_today(date.as_deref())?;
            let m = m.as_deref().map(meal).transpose()?;
            let n = print::write_labels_pdf(db.conn(), date, m, &out)?;
            say!("已生成 {n} 张留样标签:{}", out.display());
            Ok(())
        }
        KitchenCmd::Log { kind, month, out } => {
            let kind = LogKind::parse(&kind)?;
            let month: YearMonth = month.parse()?;
            let pages = print::write_log_pdf(db.conn(), kind, month, dates::today(), &out)?;
            say!("已生成 {} {}:{}(共 {pages} 页)", month.label(), kind.title(), out.display());
            Ok(())
        }
        KitchenCmd::Temp { temp, fridge, date, time, action, by } => {
            let input = FridgeReadingInput {
                date: date_or_today(date.as_deref())?,
                time: time.unwrap_or_else(now_hm),
                fridge: match fridge {
                    Some(f) => f,
                    None => first_fridge(db)?,
                },
                temp,
                action,
                person: by.unwrap_or(operator),
            };
            logs::add_reading(db, &input, db::now())?;
            say!("已登记 {} {} {} °C", input.fridge, input.time, input.temp.trim());
            Ok(())
        }
        KitchenCmd::Disinfect { method, items, value, minutes, date, time, by } => {
            let m = Method::parse(&method)
                .ok_or_else(|| Error::invalid(format!("未知的消毒方式“{method}”,可用:蒸汽、红外线、含氯")))?;
            let input = DisinfectionInput {
                date: date_or_today(date.as_deref())?,
                time: time.unwrap_or_else(now_hm),
                method: m,
                items,
                intensity: value,
                minutes,
                person: by.unwrap_or(operator),
            };
            logs::add_disinfection(db, &input, db::now())?;
            say!("已登记 {} {}消毒", input.time, m.label());
            Ok(())
        }
        KitchenCmd::Health { staff, temp, hands, time, symptoms, note, date, by } => {
            let hands = Hands::parse(&hands)
                .ok_or_else(|| Error::invalid(format!("未知的手部检查结果“{hands}”,可用:正常、伤口、化脓")))?;
            let input = HealthCheckInput {
                date: date_or_today(date.as_deref())?,
                time: time.unwrap_or_else(now_hm),
                staff: staff.clone(),
                temp,
                hands: Some(hands),
                symptoms: symptoms
                    .split([',', '，', '、'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                note,
                checker: by.unwrap_or(operator),
            };
            logs::add_health_check(db, &input, db::now())?;
            say!("已登记 {} 的晨检", staff.trim());
            Ok(())
        }
        KitchenCmd::Settings { min_grams, retention_hours, meals, fridges, fridge_range } => {
            let mut f = settings::get(db.conn())?.to_form();
            let changing = min_grams.is_some()
                || retention_hours.is_some()
                || meals.is_some()
                || fridges.is_some()
                || fridge_range.is_some();
            if let Some(v) = min_grams {
                f.min_grams = v;
            }
            if let Some(v) = retention_hours {
                f.retention_hours = v;
            }
            if let Some(v) = meals {
                f.meals =
                    v.split([',', '，', '、']).filter(|s| !s.trim().is_empty()).map(meal).collect::<Result<_>>()?;
            }
            if let Some(v) = fridges {
                f.fridges = v;
            }
            if let Some(v) = fridge_range {
                let (lo, hi) = v
                    .split_once(['-', '~', '–', '至'])
                    .ok_or_else(|| Error::invalid(format!("“{v}”不是温度范围,例如 0-4")))?;
                f.fridge_min_c = lo.trim().into();
                f.fridge_max_c = hi.trim().into();
            }
            let s = if changing { settings::save(db, &f)? } else { settings::get(db.conn())? };
            if ctx.json {
                return output::json(&s);
            }
            say!("餐次:{}", s.meals.iter().map(|m| m.label()).collect::<Vec<_>>().join("、"));
            say!("留样量不少于 {} 克,保存 {} 小时以上", s.min_grams, s.retention_hours);
            say!(
                "留样柜:{}({}–{} °C,每天测温 {} 次)",
                s.fridges.join("、"),
                s.fridge_min,
                s.fridge_max,
                s.fridge_checks_per_day
            );
            say!("晨检:{};体温 ≥{} °C 不宜上岗", s.staff_roles.join("、"), s.fever);
            Ok(())
        }
    }
}

/// A non-school day's refusal, with how to give the reason on the command line.
fn confirm_hint(e: Error) -> Error {
    match e {
        Error::Conflict(msg) => Error::Conflict(format!("{msg}(命令行加 --reason 供餐原因)")),
        other => other,
    }
}

fn join_dates(days: &[NaiveDate]) -> String {
    days.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("、")
}
