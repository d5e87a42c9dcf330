//! `init`, `classes`, `children`, `calendar`, `demo`.

use clap::Subcommand;
use std::path::PathBuf;

use super::{output, Ctx};
use crate::say;
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::school::children::{self, ChildFilter};
use houqin::school::classes::{self, ClassInput};
use houqin::school::{calendar as school_calendar, profile, Grade};
use houqin::{Error, Result};

#[derive(Subcommand)]
pub enum ClassesCmd {
    /// 新建班级
    Add {
        /// 班级名称,如 大一班
        name: String,
        /// 年级:托班/小班/中班/大班
        #[arg(long)]
        grade: String,
        /// 班主任
        #[arg(long, default_value = "")]
        teacher: String,
    },
    /// 列出班级
    List,
}

#[derive(Subcommand)]
pub enum ChildrenCmd {
    /// 从 CSV 或 Excel(.xlsx)导入幼儿;有任何错误则不导入任何一行
    Import { file: PathBuf },
    /// 导出幼儿与班级到 Excel(.xlsx)
    Export { file: PathBuf },
    /// 列出幼儿
    List {
        /// 只列出该班级
        #[arg(long)]
        class: Option<String>,
        /// 包括已离园的幼儿
        #[arg(long)]
        all: bool,
    },
}

pub fn init(db: &mut Db, ctx: &Ctx, name: Option<String>) -> Result<()> {
    if let Some(name) = name {
        let mut p = profile::get(db.conn())?.unwrap_or_default();
        p.name = name;
        profile::save(db, &p)?;
    }
    let path = db.location();
    if ctx.json {
        output::json(&serde_json::json!({ "db": path, "school": profile::get(db.conn())? }))
    } else {
        say!("数据库已就绪:{path}");
        if let Some(b) = db.backup_path() {
            say!("升级前的备份:{}", b.display());
        }
        Ok(())
    }
}

pub fn classes(db: &mut Db, ctx: &Ctx, cmd: ClassesCmd) -> Result<()> {
    match cmd {
        ClassesCmd::Add { name, grade, teacher } => {
            let grade = Grade::parse(&grade)
                .ok_or_else(|| Error::invalid(format!("年级“{grade}”无效,应为 托班/小班/中班/大班")))?;
            let id = classes::add(db, &ClassInput { name: name.clone(), grade, head_teacher: teacher })?;
            if ctx.json {
                output::json(&serde_json::json!({ "id": id, "name": name.trim() }))
            } else {
                say!("已新建班级:{}({})", name.trim(), grade.label());
                Ok(())
            }
        }
        ClassesCmd::List => {
            let list = classes::list(db.conn())?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|c| vec![c.name.clone(), c.grade_label.clone(), c.head_teacher.clone(), c.child_count.to_string()])
                .collect();
            output::table(&["班级", "年级", "班主任", "人数"], &rows);
            Ok(())
        }
    }
}

pub fn children(db: &mut Db, ctx: &Ctx, cmd: ChildrenCmd) -> Result<()> {
    match cmd {
        ChildrenCmd::Import { file } => {
            let summary = houqin::import::children::import_file(db, &file, &mut |_, _| {})?;
            if ctx.json {
                output::json(&summary)
            } else {
                say!("已导入 {} 名幼儿。", summary.imported);
                Ok(())
            }
        }
        ChildrenCmd::Export { file } => {
            houqin::export::children_xlsx(db.conn(), &file)?;
            if !ctx.json {
                say!("已导出到 {}", file.display());
            }
            Ok(())
        }
        ChildrenCmd::List { class, all } => {
            let class_id = match class {
                Some(name) => {
                    Some(classes::find_by_name(db.conn(), &name)?.ok_or_else(|| Error::not_found("班级", name))?)
                }
                None => None,
            };
            let list = children::list(db.conn(), &ChildFilter { class_id, include_left: all, ..Default::default() })?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|c| {
                    vec![
                        c.student_no.clone(),
                        c.name.clone(),
                        c.gender.label().to_string(),
                        c.class_name.clone(),
                        c.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                        c.guardian_name.clone(),
                        c.guardian_phone.clone(),
                        c.enrolled_on.to_string(),
                        c.left_on.map(|d| format!("{d} 离园")).unwrap_or_else(|| "在园".into()),
                    ]
                })
                .collect();
            output::table(&["学号", "姓名", "性别", "班级", "出生日期", "家长", "电话", "入园日期", "状态"], &rows);
            say!("共 {} 名", list.len());
            Ok(())
        }
    }
}

pub fn holidays_import(db: &mut Db, ctx: &Ctx, file: &std::path::Path) -> Result<()> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::invalid(format!("无法读取文件 {}:{}", file.display(), houqin::import::io_reason(&e))))?;
    let r = school_calendar::import_year(db, &text)?;
    if ctx.json {
        return output::json(&r);
    }
    say!("已导入 {} 年的放假安排:{} 天(其中替换了 {} 条原有的自定义日期)", r.year, r.days, r.replaced);
    Ok(())
}

pub fn calendar(db: &Db, ctx: &Ctx, month: &str) -> Result<()> {
    let month: YearMonth = month.parse()?;
    let m = school_calendar::month(db.conn(), month)?;
    if ctx.json {
        return output::json(&m);
    }
    say!("{} 法定工作日 {} 天,在园日 {} 天", month.label(), m.legal_working_days.len(), m.school_days.len());
    if !m.schedule_known {
        say!(
            "注意:{} 年的国家节假日安排未内置,仅按周末计算;请用 houqin holidays-import 文件 导入国务院的放假安排,或在“设置 → 校历”中导入。",
            month.year()
        );
    }
    const WEEK: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    let rows: Vec<Vec<String>> = m
        .days
        .iter()
        .map(|d| {
            let kind = match d.kind {
                houqin::calendar::DayKind::Workday => "工作日".to_string(),
                houqin::calendar::DayKind::Weekend => "周末".to_string(),
                houqin::calendar::DayKind::Holiday => format!("{}(休)", d.holiday_name.clone().unwrap_or_default()),
                houqin::calendar::DayKind::MakeUpWorkday => {
                    format!("{}(调休上班)", d.holiday_name.clone().unwrap_or_default())
                }
            };
            let closure = match (&d.closure_reason, d.charged_closure) {
                (Some(r), true) => format!("停课:{r}(计费)"),
                (Some(r), false) if d.legal_working_day => format!("停课:{r}"),
                _ => String::new(),
            };
            vec![
                d.date.to_string(),
                format!("周{}", WEEK[(d.weekday as usize).saturating_sub(1).min(6)]),
                kind,
                if d.school_day { "在园日".into() } else { String::new() },
                closure,
            ]
        })
        .collect();
    output::table(&["日期", "星期", "类别", "", "停课"], &rows);
    Ok(())
}

pub fn demo(db: &mut Db, ctx: &Ctx) -> Result<()> {
    let s = houqin::demo::load(db, houqin::dates::today())?;
    if ctx.json {
        return output::json(&s);
    }
    say!(
        "已载入演示幼儿园:{} 个班级,{} 名幼儿,{} 名教职工,{} 条停课记录(本学期 {} 至 {})。",
        s.classes,
        s.children,
        s.staff,
        s.closures,
        s.term_start,
        s.term_end
    );
    Ok(())
}
