//! `settle`, `reopen`, `rules`, `absences`: the bursar's month.
//! `settle --scenario FILE` runs a scenario document (the shared acceptance
//! format) through the same engine the database path uses and prints the
//! result in the shape of its `expected`.

use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

use super::files::{self, Written};
use super::{output, Ctx};
use crate::say;
use houqin::attendance::absences::{self, AbsenceChange};
use houqin::dates::{parse_date, YearMonth};
use houqin::db::Db;
use houqin::fee_list;
use houqin::output_file;
use houqin::refund::LeaveKind;
use houqin::school::children::{self, ChildFilter};
use houqin::settlement::{self, presets, rules as rule_store, SettlementStatus};
use houqin::{Error, Result};

#[derive(Args)]
pub struct SettleArgs {
    /// 运行一个退费场景文件(JSON),按其 "expected" 的格式输出结果(不使用数据库)
    #[arg(long, value_name = "FILE", conflicts_with = "month")]
    pub scenario: Option<PathBuf>,
    /// 结算的月份,如 2025-10(默认只预览)
    #[arg(long)]
    pub month: Option<String>,
    /// 确认结账(锁定该月)
    #[arg(long, requires = "month")]
    pub confirm: bool,
    /// 本月还没有过完时也确认结账(之后登记的本月请假会作为更正计入下个月)
    #[arg(long, requires = "confirm")]
    pub force: bool,
    /// 同时导出 Excel
    #[arg(long, value_name = "FILE", requires = "month")]
    pub xlsx: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum RulesCmd {
    /// 列出各版本的收费规则
    List,
    /// 常用规则预设
    Presets,
    /// 把某月生效的规则导出为共享文件(场景 JSON 格式)
    Export {
        #[arg(long)]
        month: String,
        file: PathBuf,
    },
    /// 从共享文件(或场景文件)导入规则,自某月起生效
    Import {
        file: PathBuf,
        /// 生效月份
        #[arg(long)]
        from: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 收费公示:某月生效的收费项目、标准、依据、退费办法,生成一页 PDF
    FeeList {
        /// 月份,如 2026-09(默认本月)
        #[arg(long)]
        month: Option<String>,
        /// 输出的 PDF 文件
        #[arg(long)]
        out: PathBuf,
    },
    /// 收费公示的设置:收费依据(--basis 项目编号=文号,可多次)、减免政策、监督电话;不带参数时显示当前设置
    FeeListSettings {
        /// 某个收费项目的收费依据,如 care=杭发改价格〔2024〕35号(文号留空则删除)
        #[arg(long, value_name = "项目编号=文号")]
        basis: Vec<String>,
        /// 减免政策(印在表格下方)
        #[arg(long)]
        waivers: Option<String>,
        /// 监督电话(留空则印伙食账设置中的监督电话)
        #[arg(long)]
        phone: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum AbsencesCmd {
    /// 登记请假:学号 开始日期 结束日期 类型(病假/事假/其他)
    Add {
        student_no: String,
        from: String,
        to: String,
        kind: String,
        /// 更正原因:修改已结账月份的考勤时必须填写(记入操作记录)
        #[arg(long)]
        reason: Option<String>,
    },
    /// 清除某段日期的请假
    Clear {
        student_no: String,
        from: String,
        to: String,
        /// 更正原因:修改已结账月份的考勤时必须填写(记入操作记录)
        #[arg(long)]
        reason: Option<String>,
    },
    /// 从 CSV 或 Excel 导入请假(学号 或 姓名+班级, 开始日期, 结束日期, 类型);有错误则不导入
    Import { file: PathBuf },
    /// 列出某月的请假
    List {
        #[arg(long)]
        month: String,
    },
}

pub fn scenario(ctx: &Ctx, file: &Path) -> Result<()> {
    let result = houqin::refund::run_scenario_file(file)?;
    // The scenario result is JSON by definition; `--json` is accepted for symmetry.
    let _ = ctx.json;
    output::json(&result)
}

pub fn month(db: &mut Db, ctx: &Ctx, args: SettleArgs) -> Result<()> {
    let Some(month) = args.month else {
        return Err(Error::invalid("请指定 --month 月份(如 2025-10)或 --scenario 场景文件"));
    };
    let month: YearMonth = month.parse()?;
    let today = houqin::dates::today();
    if args.confirm && !args.force && settlement::not_over_yet(month, today) {
        // A month that can't be closed at all says why first; --force would not help.
        settlement::check_can_confirm(db.conn(), month, today)?;
        return Err(Error::invalid(format!(
            "{label} 还没有过完(到 {last} 为止),现在结账的话,之后登记的本月请假只能作为更正计入下个月。\
             请在月底考勤录完后再结账;确需现在结账,请加 --force",
            label = month.label(),
            last = month.last_day()
        )));
    }
    let mut files = Written::default();
    let view = if args.confirm {
        // A folder that takes no file refuses the close before anything is saved.
        if let Some(path) = &args.xlsx {
            files::check_target(path, &format!("{} 没有结账。", month.label()))?;
        }
        let view = settlement::confirm(db, month)?;
        if let Some(path) = &args.xlsx {
            files.after_commit(
                path,
                settlement::xlsx::write(&view, path),
                &format!("{} 已结账", month.label()),
                &format!("可以用 houqin settle --month {month} --xlsx 文件.xlsx 重新导出。"),
            );
        }
        view
    } else {
        let view = settlement::preview(db.conn(), month)?;
        if let Some(path) = &args.xlsx {
            settlement::xlsx::write(&view, path)?;
            files.files_saved.push(path.display().to_string());
        }
        view
    };
    if ctx.json {
        return files.json(&view);
    }
    let r = &view.result;
    let status = match view.status {
        SettlementStatus::Closed => format!(
            "已结账(第 {} 版,{} {})",
            view.revision.unwrap_or(1),
            view.confirmed_by.clone().unwrap_or_default(),
            // To the second, as people read a time.
            view.confirmed_at.as_deref().map(|t| t.chars().take(19).collect::<String>()).unwrap_or_default()
        ),
        SettlementStatus::Open => "预览,未结账".into(),
    };
    say!("{} 月结 — {status}", month.label());
    say!("法定工作日 {} 天,在园日 {} 天,计费停课 {} 天", r.legal_working_days, r.school_days, r.charged_closure_days);
    for ch in &r.children {
        if ch.refund.as_i64() == 0 && ch.waiver.as_i64() == 0 {
            continue;
        }
        let waived = if ch.waiver.as_i64() == 0 { String::new() } else { format!(",减免 {} 元", ch.waiver) };
        say!("{} {} 应收 {} 元,退 {} 元{waived}", ch.class, ch.name, ch.charged, ch.refund);
        for f in &ch.fees {
            for l in f.lines.iter().skip(1) {
                say!("    {}", l.text);
            }
        }
    }
    let rows: Vec<Vec<String>> = r
        .classes
        .iter()
        .map(|c| vec![c.class.clone(), c.children.to_string(), c.charged.to_string(), c.refund.to_string()])
        .collect();
    output::table(&["班级", "人数", "应收", "退费"], &rows);
    for a in &view.adjustments {
        say!("{} {} {} {} 元:{}", a.label, a.class, a.child_name, a.amount.abs(), a.explanation);
    }
    say!("全园应收 {} 元,退费 {} 元,以前月份更正 {} 元", r.charged, r.refund, view.adjustment_total);
    if r.waiver > houqin::Fen::ZERO {
        say!("全园减免、资助 {} 元(见 houqin waivers list)", r.waiver);
    }
    if !view.pending_corrections.is_empty() {
        // Apart from the confirmed figures above, which they never change.
        let to = view.corrections_go_to.map(|m| m.label()).unwrap_or_else(|| "下一个未结账月份".into());
        say!("结账后的考勤更正(仅供对照,不计入本月结账金额,将在 {to} 补退/补收):");
        for a in &view.pending_corrections {
            say!("  {} {} {} {} 元:{}", a.label, a.class, a.child_name, a.amount.abs(), a.explanation);
        }
    }
    if let Some(p) = args.xlsx.as_deref().filter(|p| files.saved(p)) {
        say!("已导出到 {}", p.display());
    }
    Ok(())
}

pub fn reopen(db: &mut Db, month: &str, reason: &str) -> Result<()> {
    let month: YearMonth = month.parse()?;
    settlement::reopen(db, month, reason)?;
    say!("已重新打开 {}。", month.label());
    Ok(())
}

pub fn rules(db: &mut Db, ctx: &Ctx, cmd: RulesCmd) -> Result<()> {
    match cmd {
        RulesCmd::List => {
            let versions = rule_store::versions(db.conn())?;
            if ctx.json {
                return output::json(&versions);
            }
            for v in versions {
                let names: Vec<&str> = v.fees.iter().map(|f| f.name.as_str()).collect();
                say!("{} 起:{}  {}", v.effective_from.label(), names.join("、"), v.note);
            }
            Ok(())
        }
        RulesCmd::Presets => {
            let all = presets::presets()?;
            if ctx.json {
                return output::json(&all);
            }
            for p in all {
                say!("{}  {}\n    {}", p.key, p.name, p.description);
            }
            Ok(())
        }
        RulesCmd::Export { month, file } => {
            let month: YearMonth = month.parse()?;
            let school = houqin::school::profile::get(db.conn())?.map(|p| p.name).unwrap_or_default();
            output_file::write_bytes_atomic(&file, rule_store::export_document(db.conn(), month, &school)?.as_bytes())?;
            say!("已导出到 {}", file.display());
            Ok(())
        }
        RulesCmd::Import { file, from, note } => {
            let from: YearMonth = from.parse()?;
            let text = String::from_utf8(std::fs::read(&file)?)
                .map_err(|_| Error::invalid(format!("规则文件 {} 不是 UTF-8 编码的 JSON", file.display())))?;
            let fees = rule_store::parse_document(&text)?;
            settlement::save_rules(db, from, &fees, &note)?;
            say!("已导入 {} 个收费项目,自 {} 起生效。", fees.len(), from.label());
            Ok(())
        }
        RulesCmd::FeeList { month, out } => {
            let today = houqin::dates::today();
            let month = match month {
                Some(m) => m.parse()?,
                None => YearMonth::of(today),
            };
            let list = fee_list::build(db.conn(), month, today)?;
            fee_list::pdf::write(&list, &out)?;
            if ctx.json {
                return output::json(&list);
            }
            say!("已生成 {}:{}(共 {} 个收费项目)", fee_list::pdf::title(&list), out.display(), list.items.len());
            Ok(())
        }
        RulesCmd::FeeListSettings { basis, waivers, phone } => {
            let mut s = fee_list::settings::get(db.conn())?;
            let changing = !basis.is_empty() || waivers.is_some() || phone.is_some();
            for pair in basis {
                let (id, text) = pair.split_once('=').ok_or_else(|| {
                    Error::invalid(format!("收费依据“{pair}”应写成 项目编号=文号,如 care=杭发改价格〔2024〕35号"))
                })?;
                s.basis.insert(id.trim().to_string(), text.trim().to_string());
            }
            if let Some(w) = waivers {
                s.waivers = w;
            }
            if let Some(p) = phone {
                s.complaint_phone = p;
            }
            if changing {
                s = fee_list::settings::save(db, &s)?;
            }
            if ctx.json {
                return output::json(&s);
            }
            if changing {
                say!("已保存收费公示设置。");
            }
            for (id, text) in &s.basis {
                say!("收费依据  {id}:{text}");
            }
            say!("减免政策  {}", if s.waivers.is_empty() { "(未填写)" } else { &s.waivers });
            say!(
                "监督电话  {}",
                if s.complaint_phone.is_empty() {
                    "(用伙食账设置中的监督电话)"
                } else {
                    &s.complaint_phone
                }
            );
            Ok(())
        }
    }
}

pub(super) fn child_by_no(db: &Db, student_no: &str) -> Result<houqin::school::ChildId> {
    children::list(
        db.conn(),
        &ChildFilter { include_left: true, search: Some(student_no.to_string()), ..Default::default() },
    )?
    .into_iter()
    .find(|c| c.student_no == student_no.trim())
    .map(|c| c.id)
    .ok_or_else(|| Error::not_found("学号", student_no))
}

pub(super) fn date(s: &str) -> Result<chrono::NaiveDate> {
    parse_date(s).ok_or_else(|| Error::invalid(format!("“{s}”不是有效的日期(例如 2025-10-09)")))
}

pub fn absences(db: &mut Db, ctx: &Ctx, cmd: AbsencesCmd) -> Result<()> {
    match cmd {
        AbsencesCmd::Add { student_no, from, to, kind, reason } => {
            let change = AbsenceChange {
                child_id: child_by_no(db, &student_no)?,
                from: date(&from)?,
                to: date(&to)?,
                kind: Some(LeaveKind::parse(&kind)?),
                note: String::new(),
            };
            absences::edit(db, &[change], reason.as_deref())?;
            say!("已登记。");
            Ok(())
        }
        AbsencesCmd::Clear { student_no, from, to, reason } => {
            let change = AbsenceChange {
                child_id: child_by_no(db, &student_no)?,
                from: date(&from)?,
                to: date(&to)?,
                kind: None,
                note: String::new(),
            };
            absences::edit(db, &[change], reason.as_deref())?;
            say!("已清除。");
            Ok(())
        }
        AbsencesCmd::Import { file } => {
            let s = houqin::import::absences::import_file(db, &file)?;
            say!("已导入 {} 条请假记录。", s.imported);
            Ok(())
        }
        AbsencesCmd::List { month } => {
            let month: YearMonth = month.parse()?;
            let list = absences::between(db.conn(), month.first_day(), month.last_day())?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|a| {
                    let name = children::get(db.conn(), a.child_id, None).map(|c| c.name).unwrap_or_default();
                    vec![name, a.from.to_string(), a.to.to_string(), a.kind.label().to_string()]
                })
                .collect();
            output::table(&["姓名", "开始", "结束", "类型"], &rows);
            Ok(())
        }
    }
}
