//! `repairs`: 报修 from the command line — report, list (open by trade and
//! age, a month, a card's history), assign, visit, close with cost,
//! confirm, cancel, the week's follow-up list, costs, the slip and the
//! monthly list as PDF, and the settings.

use chrono::NaiveDate;
use clap::Subcommand;
use std::path::PathBuf;

use super::{output, Ctx};
use crate::say;
use houqin::dates::{parse_date, today, YearMonth};
use houqin::db::Db;
use houqin::repairs::{self, reports, settings, CloseInput, Repair, RepairFilter, RepairId, RepairInput, Trade};
use houqin::{Error, Result};

#[derive(Subcommand)]
pub enum RepairsCmd {
    /// 报修:地点(资产账上的房间)或资产编号、工种、故障描述、报修人
    Add {
        /// 报修地点(资产账上的房间);给了 --asset 时可省略
        #[arg(long, default_value = "")]
        room: String,
        /// 资产编号(故障在某件资产上时)
        #[arg(long, default_value = "")]
        asset: String,
        /// 工种:水/电/木/门窗/电器/其他
        #[arg(long)]
        trade: String,
        /// 紧急
        #[arg(long)]
        urgent: bool,
        /// 故障描述
        #[arg(long)]
        desc: String,
        /// 报修人
        #[arg(long)]
        reporter: String,
        /// 报修日期(默认今天)
        #[arg(long)]
        date: Option<String>,
    },
    /// 报修单列表:默认全部;--open 未完成的按工种和天数;--month 某月;--asset 某件资产的维修记录
    List {
        #[arg(long)]
        open: bool,
        /// 月份,如 2026-11
        #[arg(long)]
        month: Option<String>,
        /// 资产编号
        #[arg(long)]
        asset: Option<String>,
    },
    /// 派工
    Assign {
        id: i64,
        /// 维修人
        #[arg(long)]
        to: String,
        /// 派工日期(默认今天)
        #[arg(long)]
        date: Option<String>,
    },
    /// 登记上门
    Visit {
        id: i64,
        /// 上门日期(默认今天)
        #[arg(long)]
        date: Option<String>,
    },
    /// 完工:维修内容和费用(元)
    Close {
        id: i64,
        /// 维修内容
        #[arg(long)]
        work: String,
        /// 维修费用(元)
        #[arg(long, default_value = "0", allow_hyphen_values = true)]
        cost: String,
        /// 建议报废(资产保持“维修”,另行申请报废)
        #[arg(long)]
        suggest_scrap: bool,
        /// 完工日期(默认今天)
        #[arg(long)]
        date: Option<String>,
    },
    /// 报修人确认已修好
    Confirm {
        id: i64,
        #[arg(long)]
        date: Option<String>,
    },
    /// 撤销报修单
    Cancel {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// 本周跟进清单:超期未修、已上门未修好、已完工待确认
    Week,
    /// 维修费用:按月、按地点(默认最近 12 个月)
    Costs {
        /// 起始月份
        #[arg(long)]
        from: Option<String>,
        /// 截止月份
        #[arg(long)]
        to: Option<String>,
    },
    /// 打印维修单(PDF)
    Slip {
        id: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// 月度维修登记表(PDF):当月的报修单和按地点汇总的费用
    Month {
        /// 月份,如 2026-11
        month: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// 报修设置:上门期限(天)和建议报废的费用比例(%)
    Settings {
        #[arg(long)]
        urgent_days: Option<u32>,
        #[arg(long)]
        normal_days: Option<u32>,
        #[arg(long)]
        scrap_percent: Option<u32>,
    },
}

fn date_arg(text: Option<&str>, what: &str) -> Result<NaiveDate> {
    match text {
        None => Ok(today()),
        Some(t) => parse_date(t).ok_or_else(|| Error::invalid(format!("{what}“{t}”无效,请写成 2026-09-01 这样的格式"))),
    }
}

fn rows(list: &[Repair]) -> Vec<Vec<String>> {
    list.iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.reported_on.to_string(),
                r.room.clone(),
                r.asset_number.clone().unwrap_or_default(),
                r.trade_label.clone(),
                if r.urgent { "急".into() } else { String::new() },
                r.description.clone(),
                r.reporter.clone(),
                r.assignee.clone(),
                if r.overdue { format!("{}(超期)", r.status_label) } else { r.status_label.clone() },
                format!("{} 天", r.age_days),
                if r.status.is_closed() { r.cost.to_grouped_string() } else { String::new() },
                if r.scrap_suggested { "建议报废".into() } else { String::new() },
            ]
        })
        .collect()
}

const HEADERS: [&str; 13] =
    ["编号", "报修日期", "地点", "资产", "工种", "紧急", "故障", "报修人", "维修人", "状态", "天数", "费用", ""];

fn school(db: &Db) -> Result<String> {
    Ok(houqin::school::profile::get(db.conn())?.map(|p| p.name).unwrap_or_default())
}

pub fn run(db: &mut Db, ctx: &Ctx, cmd: RepairsCmd) -> Result<()> {
    let day = today();
    match cmd {
        RepairsCmd::Add { room, asset, trade, urgent, desc, reporter, date } => {
            let input = RepairInput {
                reported_on: date_arg(date.as_deref(), "报修日期")?,
                room,
                asset_number: asset,
                trade: Trade::parse(&trade)?,
                description: desc,
                urgent,
                reporter,
            };
            let id = repairs::add(db, &input, day)?;
            let r = repairs::get(db.conn(), id, day)?;
            if ctx.json {
                return output::json(&r);
            }
            say!("已登记报修单 {id}:{} {},应于 {} 前上门", r.room, r.description, r.visit_due);
            if let Some(no) = &r.asset_number {
                say!("资产 {no} 的使用状况已改为“维修”");
            }
            Ok(())
        }
        RepairsCmd::List { open, month, asset } => {
            let mut filter = RepairFilter { open_only: open, ..Default::default() };
            if let Some(m) = month {
                let m: YearMonth = m.parse()?;
                filter.from = Some(m.first_day());
                filter.to = Some(m.last_day());
            }
            if let Some(no) = asset {
                let a = houqin::store::assets::register::by_number(db.conn(), no.trim())?
                    .ok_or_else(|| Error::invalid(format!("没有编号为“{no}”的资产")))?;
                filter.asset_id = Some(a.id);
            }
            if open && filter.asset_id.is_none() && filter.from.is_none() {
                let groups = reports::open_by_trade(db.conn(), day)?;
                if ctx.json {
                    return output::json(&groups);
                }
                for g in &groups {
                    say!("【{}】{} 件,超期 {} 件", g.trade_label, g.repairs.len(), g.overdue);
                    output::table(&HEADERS, &rows(&g.repairs));
                }
                if groups.is_empty() {
                    say!("没有未完成的报修单");
                }
                return Ok(());
            }
            let list = repairs::list(db.conn(), &filter, day)?;
            if ctx.json {
                return output::json(&list);
            }
            output::table(&HEADERS, &rows(&list));
            Ok(())
        }
        RepairsCmd::Assign { id, to, date } => {
            repairs::assign(db, RepairId(id), &to, date_arg(date.as_deref(), "派工日期")?, day)?;
            say!("报修单 {id} 已派工给 {}", to.trim());
            Ok(())
        }
        RepairsCmd::Visit { id, date } => {
            repairs::visit(db, RepairId(id), date_arg(date.as_deref(), "上门日期")?, day)?;
            say!("报修单 {id} 已登记上门");
            Ok(())
        }
        RepairsCmd::Close { id, work, cost, suggest_scrap, date } => {
            let input = CloseInput { done_on: date_arg(date.as_deref(), "完工日期")?, work, cost, suggest_scrap };
            let r = repairs::close(db, RepairId(id), &input, day)?;
            if ctx.json {
                return output::json(&r);
            }
            say!("报修单 {id} 已完工,费用 {} 元", r.cost.to_grouped_string());
            if r.scrap_suggested {
                let s = settings::load(db.conn())?;
                say!(
                    "提醒:维修费用超过原值的 {}%,建议办理报废(houqin assets dispose {})",
                    s.scrap_share_percent,
                    r.asset_number.as_deref().unwrap_or("")
                );
            }
            Ok(())
        }
        RepairsCmd::Confirm { id, date } => {
            repairs::confirm(db, RepairId(id), date_arg(date.as_deref(), "确认日期")?, day)?;
            say!("报修单 {id} 已确认修好");
            Ok(())
        }
        RepairsCmd::Cancel { id, reason } => {
            repairs::cancel(db, RepairId(id), &reason, day, day)?;
            say!("报修单 {id} 已撤销");
            Ok(())
        }
        RepairsCmd::Week => {
            let f = reports::follow_up(db.conn(), day)?;
            if ctx.json {
                return output::json(&f);
            }
            say!("本周跟进清单({} 至 {}):{} 件", f.week_from, f.week_to, f.items.len());
            for i in &f.items {
                let r = &i.repair;
                say!("{} {} {} {}:{}", r.id, r.room, r.trade_label, r.description, i.reason);
            }
            Ok(())
        }
        RepairsCmd::Costs { from, to } => {
            let last: YearMonth = match to {
                Some(t) => t.parse()?,
                None => YearMonth::of(day),
            };
            let first: YearMonth = match from {
                Some(f) => f.parse()?,
                None => (0..11).fold(last, |m, _| m.prev()),
            };
            if first > last {
                return Err(Error::invalid("起始月份晚于截止月份"));
            }
            let costs = reports::costs(db.conn(), first, last, day)?;
            if ctx.json {
                return output::json(&costs);
            }
            let table: Vec<Vec<String>> = costs
                .iter()
                .map(|m| {
                    let rooms = m
                        .rooms
                        .iter()
                        .map(|r| format!("{} {}", r.room, r.cost.to_grouped_string()))
                        .collect::<Vec<_>>();
                    vec![m.label.clone(), m.count.to_string(), m.cost.to_grouped_string(), rooms.join(",")]
                })
                .collect();
            output::table(&["月份", "完工件数", "费用(元)", "按地点"], &table);
            Ok(())
        }
        RepairsCmd::Slip { id, out } => {
            let r = repairs::get(db.conn(), RepairId(id), day)?;
            repairs::pdf::write_slip(&r, &school(db)?, &out)?;
            say!("已保存:{}", out.display());
            Ok(())
        }
        RepairsCmd::Month { month, out } => {
            let list = reports::month_list(db.conn(), month.parse()?, day)?;
            repairs::pdf::write_month(&list, &out)?;
            say!(
                "{}:报修单 {} 件,完工 {} 件,费用 {} 元。已保存:{}",
                list.label,
                list.repairs.len(),
                list.costs.count,
                list.costs.cost.to_grouped_string(),
                out.display()
            );
            Ok(())
        }
        RepairsCmd::Settings { urgent_days, normal_days, scrap_percent } => {
            let mut s = settings::load(db.conn())?;
            if urgent_days.is_some() || normal_days.is_some() || scrap_percent.is_some() {
                s.urgent_visit_days = urgent_days.unwrap_or(s.urgent_visit_days);
                s.normal_visit_days = normal_days.unwrap_or(s.normal_visit_days);
                s.scrap_share_percent = scrap_percent.unwrap_or(s.scrap_share_percent);
                settings::save(db, &s)?;
            }
            if ctx.json {
                return output::json(&s);
            }
            say!(
                "紧急报修 {} 天内上门(0 为当天),一般报修 {} 天内上门;维修费用超过原值的 {}% 时建议报废",
                s.urgent_visit_days,
                s.normal_visit_days,
                s.scrap_share_percent
            );
            Ok(())
        }
    }
}
