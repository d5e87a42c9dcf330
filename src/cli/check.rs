//! `check` (体检): every cross-module check for a month, as a list of findings
//! with their codes. Findings are not an error: the command succeeds and says
//! what it found.

use super::{output, Ctx};
use crate::say;
use houqin::dates::{now, today, YearMonth};
use houqin::db::Db;
use houqin::Result;

pub fn run(db: &Db, ctx: &Ctx, month: Option<&str>) -> Result<()> {
    let month: YearMonth = match month {
        Some(m) => m.parse()?,
        None => YearMonth::of(today()).prev(),
    };
    let report = houqin::check::run(db.conn(), month, now())?;
    if ctx.json {
        return output::json(&report);
    }
    say!("体检 {}(留样等按日检查 {} 至 {})", month.label(), report.from, report.to);
    for c in &report.checked {
        say!("  已检查:{c}");
    }
    for s in &report.skipped {
        say!("  未能检查:{}。原因:{}", s.check, s.reason);
    }
    if report.findings.is_empty() {
        say!("没有发现问题。");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = report
        .findings
        .iter()
        .map(|f| {
            vec![
                f.area_label.to_string(),
                f.title.to_string(),
                f.date.map(|d| d.to_string()).unwrap_or_default(),
                f.message.clone(),
                f.code.to_string(),
            ]
        })
        .collect();
    output::table(&["方面", "问题", "日期", "说明", "代码"], &rows);
    say!("共发现 {} 个问题。处理办法:", report.findings.len());
    let mut fixes: Vec<(&str, &str)> = report.findings.iter().map(|f| (f.title, f.fix.as_str())).collect();
    fixes.dedup();
    for (title, fix) in fixes {
        say!("  {title}:{fix}");
    }
    Ok(())
}
