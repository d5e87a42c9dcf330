//! `houqin waivers …`: 减免、资助 per child and fee item — add, list, end, the
//! kinds setting, and the 资助名册 of a term (PDF or .xlsx).

use std::path::PathBuf;

use clap::Subcommand;

use super::settle::child_by_no;
use super::{output, Ctx};
use crate::say;
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::waivers::{self, kinds, Waiver, WaiverFilter, WaiverInput};
use houqin::{Error, Result};

#[derive(Subcommand)]
pub enum WaiversCmd {
    /// 添加一条减免或资助(--percent 与 --amount 二选一;都不填时用类别的默认比例)
    Add {
        /// 幼儿学号
        #[arg(long, value_name = "学号")]
        child: String,
        /// 收费项目(名称或编号),如 保教费
        #[arg(long)]
        fee: String,
        /// 减免比例(整数 1–100)
        #[arg(long, allow_negative_numbers = true)]
        percent: Option<i64>,
        /// 每月减免金额(元)
        #[arg(long, allow_negative_numbers = true)]
        amount: Option<String>,
        /// 第一个月,如 2026-09
        #[arg(long)]
        from: String,
        /// 最后一个月,如 2027-01
        #[arg(long)]
        to: String,
        /// 减免类别(见 waivers kinds)
        #[arg(long)]
        kind: String,
        /// 批准人
        #[arg(long)]
        approved_by: String,
        /// 文号
        #[arg(long, default_value = "")]
        doc: String,
    },
    /// 减免记录(可按幼儿或月份筛选)
    List {
        #[arg(long, value_name = "学号")]
        child: Option<String>,
        /// 只看这个月生效的,如 2026-10
        #[arg(long)]
        month: Option<String>,
    },
    /// 结束一条减免:设定它的最后一个月(已结账的月份不变,差额在下一个未结账月份补收)
    End {
        /// 减免记录编号(见 waivers list)
        id: i64,
        /// 最后一个月,如 2026-12
        #[arg(long)]
        last: String,
    },
    /// 作废一条录错的减免(当作从未批准;已结账的月份不变,差额在下一个未结账月份补收)
    Cancel {
        /// 减免记录编号(见 waivers list)
        id: i64,
        /// 作废原因
        #[arg(long)]
        reason: String,
    },
    /// 减免类别及默认比例;--set 用 JSON 替换,如 '[{"name":"孤儿/残疾儿童","percent":100}]'
    Kinds {
        #[arg(long, value_name = "JSON")]
        set: Option<String>,
    },
    /// 资助名册:一个学期(--from 第一个月 --to 最后一个月)内的受资助幼儿,生成 PDF 或 .xlsx
    Roster {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// 保存的文件(.pdf 或 .xlsx)
        #[arg(long, value_name = "FILE.pdf|FILE.xlsx")]
        out: PathBuf,
    },
}

fn month(s: &str) -> Result<YearMonth> {
    s.parse()
}

pub fn run(db: &mut Db, ctx: &Ctx, cmd: WaiversCmd) -> Result<()> {
    match cmd {
        WaiversCmd::Add { child, fee, percent, amount, from, to, kind, approved_by, doc } => {
            let percent = percent
                .map(|p| {
                    u32::try_from(p).map_err(|_| Error::invalid(format!("减免比例 {p}% 不在 1–100 之间,没有保存")))
                })
                .transpose()?;
            let input = WaiverInput {
                child_id: child_by_no(db, &child)?,
                fee,
                kind,
                percent,
                amount,
                from: month(&from)?,
                to: month(&to)?,
                approved_by,
                doc_no: doc,
            };
            let w = waivers::add(db, &input)?;
            if ctx.json {
                return output::json(&w);
            }
            say!("已添加第 {} 号减免:{}", w.id, describe(db, &w));
            Ok(())
        }
        WaiversCmd::List { child, month: m } => {
            let filter = WaiverFilter {
                child_id: child.map(|c| child_by_no(db, &c)).transpose()?,
                month: m.as_deref().map(month).transpose()?,
            };
            let list = waivers::list(db.conn(), &filter)?;
            if ctx.json {
                return output::json(&list);
            }
            if list.is_empty() {
                say!("没有减免记录。");
                return Ok(());
            }
            // The item's name as the rules in force in its first month call it
            // (one lookup per distinct month, not per waiver).
            let mut names: std::collections::HashMap<YearMonth, Vec<(String, String)>> = Default::default();
            for w in &list {
                if let std::collections::hash_map::Entry::Vacant(e) = names.entry(w.from) {
                    let fees = houqin::settlement::rules_for(db.conn(), w.from)?
                        .map(|r| r.fees.into_iter().map(|f| (f.id, f.name)).collect())
                        .unwrap_or_default();
                    e.insert(fees);
                }
            }
            let fee_name = |w: &Waiver| {
                names
                    .get(&w.from)
                    .and_then(|fees| fees.iter().find(|(id, _)| *id == w.fee_id))
                    .map_or_else(|| w.fee_id.clone(), |(_, name)| name.clone())
            };
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|w| {
                    vec![
                        w.id.to_string(),
                        w.student_no.clone(),
                        w.child.clone(),
                        fee_name(w),
                        w.share_label.clone(),
                        w.kind.clone(),
                        format!("{} 至 {}", w.from, w.to),
                        w.approved_by.clone(),
                        w.doc_no.clone(),
                    ]
                })
                .collect();
            output::table(&["编号", "学号", "姓名", "项目", "减免", "类别", "月份", "批准人", "文号"], &rows);
            Ok(())
        }
        WaiversCmd::End { id, last } => {
            let w = waivers::end(db, id, month(&last)?)?;
            if ctx.json {
                return output::json(&w);
            }
            say!("第 {} 号减免到 {} 为止:{}", w.id, w.to.label(), describe(db, &w));
            Ok(())
        }
        WaiversCmd::Cancel { id, reason } => {
            let w = waivers::cancel(db, id, &reason)?;
            if ctx.json {
                return output::json(&w);
            }
            say!("第 {} 号减免已作废:{}", w.id, describe(db, &w));
            Ok(())
        }
        WaiversCmd::Kinds { set } => {
            let list = match set {
                Some(json) => {
                    let parsed: Vec<kinds::WaiverKind> = serde_json::from_str(&json)
                        .map_err(|e| Error::invalid(format!("减免类别不是有效的 JSON 列表:{e}")))?;
                    kinds::save(db, &parsed)?
                }
                None => kinds::get(db.conn())?,
            };
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|k| vec![k.name.clone(), k.percent.map(|p| format!("{p}%")).unwrap_or_else(|| "须填写".into())])
                .collect();
            output::table(&["减免类别", "默认比例"], &rows);
            Ok(())
        }
        WaiversCmd::Roster { from, to, out } => {
            let roster = waivers::roster::build(db.conn(), month(&from)?, month(&to)?)?;
            waivers::roster::write(&roster, &out)?;
            if ctx.json {
                return output::json(&roster);
            }
            say!(
                "资助名册 {} 至 {}:{} 名幼儿,减免合计 {} 元,已保存到 {}",
                roster.from.label(),
                roster.to.label(),
                roster.rows.len(),
                roster.total.to_grouped_string(),
                out.display()
            );
            Ok(())
        }
    }
}

/// One waiver in a line, its fee item by name (its id if the name cannot be
/// read: the line follows a committed change, which must not turn into an error).
fn describe(db: &Db, w: &Waiver) -> String {
    let doc = if w.doc_no.is_empty() { String::new() } else { format!(",文号 {}", w.doc_no) };
    let fee = houqin::settlement::rules_for(db.conn(), w.from)
        .ok()
        .flatten()
        .and_then(|r| r.fees.into_iter().find(|f| f.id == w.fee_id).map(|f| f.name))
        .unwrap_or_else(|| w.fee_id.clone());
    format!(
        "{}({}){} 减免 {},{},{} 至 {},批准人 {}{doc}",
        w.child,
        w.student_no,
        fee,
        w.share_label,
        w.kind,
        w.from.label(),
        w.to.label(),
        w.approved_by
    )
}
