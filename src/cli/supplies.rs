//! `houqin stock …`: supplies from the command line — the catalogue and its
//! import, receipts (`in`), issue slips (`issue`), reversals, the journal, the
//! balance, monthly usage, the month's report as PDF, the issue slip as PDF,
//! the .xlsx export, deposits (`lend`, `return`, `deposits`) and stocktakes
//! (`count`); and the benchmark `houqin bench stock` (500 items, 50,000
//! movements: the balance list and one month's usage report).
//!
//! Lines are given as `--line "物品,数量,单价"` (入库), `--line "物品,数量[,交回旧品数]"`
//! (领用) or `--line "物品,实盘数量[,原因]"` (盘点); the item is its 编号, its name,
//! or 名称(规格). Dates default to today.

use chrono::{Datelike, Duration, NaiveDate};
use clap::Subcommand;
use std::path::PathBuf;
use std::time::{Duration as Elapsed, Instant};

use super::files::{self, Written};
use super::{output, Ctx};
use crate::say;
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::demo::names::DemoRng;
use houqin::supplies::deposits::{self, CloseInput, DepositFilter, LendInput};
use houqin::supplies::items::{self, ItemFilter, ItemInput};
use houqin::supplies::reports::{self, BalanceFilter};
use houqin::supplies::stock::{
    self, IssueInput, IssueLineInput, JournalFilter, ReceiptInput, ReceiptLineInput, ReversalInput,
};
use houqin::supplies::stocktake::{self, CountInput, StocktakeInput};
use houqin::supplies::{item_import, print, template, MovementId};
use houqin::{Error, Result};

#[derive(Subcommand)]
pub enum StockCmd {
    /// 结存:每种物品的数量、平均单价和金额(--below 只列需补货的)
    Balance {
        /// 只列出结存不高于库存下限的物品
        #[arg(long)]
        below: bool,
        /// 只列出这个类别
        #[arg(long)]
        category: Option<String>,
    },
    /// 物品目录
    Items {
        /// 包括已停用的物品
        #[arg(long)]
        all: bool,
    },
    /// 在物品目录中添加物品
    ItemAdd {
        /// 物品名称
        name: String,
        /// 类别,如 办公用品
        #[arg(long)]
        category: String,
        /// 单位,如 支
        #[arg(long)]
        unit: String,
        /// 规格型号
        #[arg(long, default_value = "")]
        spec: String,
        /// 库存下限
        #[arg(long, default_value = "")]
        reorder: String,
        /// 存放位置
        #[arg(long, default_value = "")]
        location: String,
        /// 借用押金(元)
        #[arg(long, default_value = "")]
        deposit: String,
        /// 物品编号
        #[arg(long, default_value = "")]
        code: String,
    },
    /// 从 .xlsx 或 .csv 导入物品目录(可含期初数量和单价);有任何错误则不导入
    Import { file: PathBuf },
    /// 保存物品目录导入模板:.xlsx 为 Excel 工作簿,否则为 CSV
    Template {
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// 入库:--line "物品,数量,单价",可写多行
    In {
        /// 入库日期(默认今天)
        #[arg(long)]
        date: Option<String>,
        /// 供应商
        #[arg(long, default_value = "")]
        supplier: String,
        /// 发票号
        #[arg(long, default_value = "")]
        invoice: String,
        /// 验收人(默认操作员)
        #[arg(long, default_value = "")]
        receiver: String,
        /// 备注
        #[arg(long, default_value = "")]
        note: String,
        /// 一行物品:"物品,数量,单价"
        #[arg(long = "line", required = true, value_name = "物品,数量,单价")]
        lines: Vec<String>,
    },
    /// 领用出库:--to 大一班 --requester 张老师 --line "物品,数量[,交回旧品数]"
    Issue {
        /// 领用日期(默认今天)
        #[arg(long)]
        date: Option<String>,
        /// 领用的班级或部门
        #[arg(long)]
        to: String,
        /// 领用人
        #[arg(long)]
        requester: String,
        /// 审批人
        #[arg(long, default_value = "")]
        approver: String,
        /// 用途
        #[arg(long, default_value = "")]
        purpose: String,
        /// 备注
        #[arg(long, default_value = "")]
        note: String,
        /// 一行物品:"物品,数量" 或以旧换新 "物品,数量,交回旧品数"
        #[arg(long = "line", required = true, value_name = "物品,数量[,交旧数]")]
        lines: Vec<String>,
        /// 同时把领用单保存为 PDF
        #[arg(long, value_name = "FILE.pdf")]
        slip: Option<PathBuf>,
    },
    /// 冲销入库单或领用单(整单,或 --line 指定行号)
    Reverse {
        /// 单号,如 LY-2025-0003
        number: String,
        /// 冲销原因
        #[arg(long)]
        reason: String,
        /// 冲销日期(默认今天)
        #[arg(long)]
        date: Option<String>,
        /// 只冲销这些行(行号,从 1 开始)
        #[arg(long = "line")]
        lines: Vec<i64>,
    },
    /// 查看一张单据
    Show {
        /// 单号
        number: String,
    },
    /// 出入库流水(谁、何时录入)
    Journal {
        /// 只看这个物品(显示每行后的结存)
        #[arg(long)]
        item: Option<String>,
        /// 只看这个月,如 2025-10
        #[arg(long)]
        month: Option<String>,
        /// 最多显示多少行
        #[arg(long, default_value_t = 200)]
        limit: usize,
    },
    /// 某月的领用统计:按班级/部门、按物品
    Usage {
        /// 月份,如 2025-10
        #[arg(long)]
        month: String,
    },
    /// 某月的物品收发存月报,保存为 PDF
    Report {
        #[arg(long)]
        month: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// 打印领用单(两联)为 PDF
    Slip {
        /// 领用单号,如 LY-2025-0001
        number: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// 导出结存、需补货、月度领用、收发存月报、流水和未归还押金到 .xlsx
    Export {
        #[arg(long)]
        month: String,
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// 押金借出(钥匙、遥控器等)
    Lend {
        /// 物品
        #[arg(long)]
        item: String,
        /// 借用人
        #[arg(long)]
        borrower: String,
        /// 部门或班级
        #[arg(long, default_value = "")]
        to: String,
        /// 押金(元;默认为物品目录中的押金)
        #[arg(long, default_value = "")]
        deposit: String,
        /// 数量(默认 1)
        #[arg(long, default_value = "")]
        qty: String,
        /// 借出日期(默认今天)
        #[arg(long)]
        date: Option<String>,
    },
    /// 押金物品归还并退押金(--lost:物品丢失,押金不退)
    Return {
        /// 借出单号(如 JC-2025-0001)
        number: String,
        /// 物品丢失(不归还)
        #[arg(long)]
        lost: bool,
        /// 退还押金(元;默认归还时全退、丢失时不退)
        #[arg(long, default_value = "")]
        refund: String,
        /// 说明(少退或不退押金时必填)
        #[arg(long, default_value = "")]
        note: String,
        /// 归还日期(默认今天)
        #[arg(long)]
        date: Option<String>,
    },
    /// 押金借用清单(默认只列未归还的)
    Deposits {
        /// 也列出已办结的
        #[arg(long)]
        all: bool,
    },
    /// 盘点:--line "物品,实盘数量[,差异原因]";有差异的按盘盈/盘亏调整
    Count {
        /// 盘点日期(默认今天)
        #[arg(long)]
        date: Option<String>,
        /// 盘点人(默认操作员)
        #[arg(long, default_value = "")]
        counter: String,
        #[arg(long = "line", required = true, value_name = "物品,实盘数量[,原因]")]
        lines: Vec<String>,
    },
}

fn today_or(date: Option<String>) -> String {
    date.unwrap_or_else(|| houqin::dates::today().to_string())
}

/// Splits `"物品,数量,单价"` on ASCII or full-width commas.
fn fields(line: &str) -> Vec<String> {
    line.split([',', '，']).map(|s| s.trim().to_string()).collect()
}

fn month(text: &str) -> Result<YearMonth> {
    text.parse()
}

pub fn run(db: &mut Db, ctx: &Ctx, cmd: StockCmd) -> Result<()> {
    match cmd {
        StockCmd::Balance { below, category } => balance(db, ctx, below, category),
        StockCmd::Items { all } => {
            let list = items::list(db.conn(), &ItemFilter { include_archived: all, ..Default::default() })?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|i| {
                    vec![
                        i.code.clone(),
                        i.display_name(),
                        i.category.clone(),
                        i.unit.clone(),
                        i.reorder_level.to_string(),
                        i.location.clone(),
                        if i.deposit.as_i64() > 0 { i.deposit.to_yuan_string() } else { String::new() },
                        if i.archived { "停用".into() } else { String::new() },
                    ]
                })
                .collect();
            output::table(&["编号", "物品", "类别", "单位", "库存下限", "存放位置", "押金", ""], &rows);
            Ok(())
        }
        StockCmd::ItemAdd { name, category, unit, spec, reorder, location, deposit, code } => {
            let id = items::add(
                db,
                &ItemInput {
                    code,
                    name,
                    category,
                    unit,
                    spec,
                    reorder_level: reorder,
                    location,
                    deposit,
                    note: String::new(),
                },
            )?;
            let item = items::get(db.conn(), id)?;
            if ctx.json {
                output::json(&item)
            } else {
                say!("已添加:{}({},{})", item.display_name(), item.category, item.unit);
                Ok(())
            }
        }
        StockCmd::Template { out } => {
            template::write_template(&out, &houqin::supplies::settings::options(db.conn())?)?;
            say!("已保存物品目录导入模板:{}", out.display());
            Ok(())
        }
        StockCmd::Import { file } => {
            let s = item_import::import_file(db, &file)?;
            if ctx.json {
                return output::json(&s);
            }
            say!("已导入物品目录:新增 {} 种,更新 {} 种。", s.added, s.updated);
            if let Some(n) = s.opening_receipt {
                say!("期初数量已登记为入库单 {n}。");
            }
            Ok(())
        }
        StockCmd::In { date, supplier, invoice, receiver, note, lines } => {
            let input = ReceiptInput {
                date: today_or(date),
                supplier,
                invoice_no: invoice,
                receiver,
                note,
                lines: lines
                    .iter()
                    .map(|l| {
                        let f = fields(l);
                        ReceiptLineInput {
                            item: f.first().cloned().unwrap_or_default(),
                            qty: f.get(1).cloned().unwrap_or_default(),
                            unit_price: f.get(2).cloned().unwrap_or_default(),
                            ..Default::default()
                        }
                    })
                    .collect(),
            };
            let saved = stock::receive(db, &input)?;
            show_saved(db, ctx, &saved.number, "入库单")
        }
        StockCmd::Issue { date, to, requester, approver, purpose, note, lines, slip } => {
            let input = IssueInput {
                date: today_or(date),
                to,
                requester,
                approver,
                purpose,
                note,
                handler: String::new(),
                lines: lines
                    .iter()
                    .map(|l| {
                        let f = fields(l);
                        IssueLineInput {
                            item: f.first().cloned().unwrap_or_default(),
                            qty: f.get(1).cloned().unwrap_or_default(),
                            trade_in: f.get(2).cloned().unwrap_or_default(),
                            ..Default::default()
                        }
                    })
                    .collect(),
            };
            // A folder that takes no file refuses the issue before the stock moves.
            if let Some(path) = &slip {
                files::check_target(path, "领用单没有保存,库存没有变动。")?;
            }
            let saved = stock::issue(db, &input)?;
            let mut files = Written::default();
            if let Some(path) = &slip {
                files.after_commit(
                    path,
                    print::write_slip(db.conn(), &saved.number, path),
                    &format!("领用单 {} 已保存", saved.number),
                    &format!(
                        "请勿重新领用;可以用 houqin stock slip {} --out 文件.pdf 重新生成领用单 PDF。",
                        saved.number
                    ),
                );
            }
            let d = stock::doc_by_number(db.conn(), &saved.number)?;
            if ctx.json {
                return files.json(&d);
            }
            say!("已保存领用单 {}", d.number);
            show_doc(ctx, &d)?;
            if let Some(path) = slip.as_deref().filter(|p| files.saved(p)) {
                say!("领用单 PDF 已保存为 {}", path.display());
            }
            Ok(())
        }
        StockCmd::Reverse { number, reason, date, lines } => {
            let original = stock::doc_by_number(db.conn(), &number)?;
            let mut ids = Vec::new();
            for n in &lines {
                let line = original.lines.iter().find(|l| l.line_no == *n).ok_or_else(|| {
                    Error::invalid(format!("{}没有第 {n} 行(共 {} 行)", original.number, original.lines.len()))
                })?;
                ids.push(MovementId(line.id.0));
            }
            let saved = stock::reverse(
                db,
                &ReversalInput {
                    doc_id: Some(original.id),
                    number: String::new(),
                    lines: ids,
                    date: date.unwrap_or_default(),
                    reason,
                },
            )?;
            show_saved(db, ctx, &saved.number, "冲销单")
        }
        StockCmd::Show { number } => {
            let d = stock::doc_by_number(db.conn(), &number)?;
            show_doc(ctx, &d)
        }
        StockCmd::Journal { item, month: m, limit } => {
            let item_id = match item {
                Some(t) => Some(items::find(db.conn(), &t)?.ok_or_else(|| Error::not_found("物品", t))?.id),
                None => None,
            };
            let (from, to) = match m {
                Some(m) => {
                    let m = month(&m)?;
                    (Some(m.first_day()), Some(m.last_day()))
                }
                None => (None, None),
            };
            let lines =
                stock::journal(db.conn(), &JournalFilter { item_id, from, to, department: None, limit: Some(limit) })?;
            if ctx.json {
                return output::json(&lines);
            }
            let rows: Vec<Vec<String>> = lines
                .iter()
                .map(|l| {
                    vec![
                        l.date.to_string(),
                        l.number.clone(),
                        format!("{}{}", l.kind_label, if l.reversed { "(已冲销)" } else { "" }),
                        l.item.clone(),
                        if l.qty_in > 0 { l.qty_in.to_string() } else { String::new() },
                        if l.qty_out > 0 { l.qty_out.to_string() } else { String::new() },
                        l.balance_after.map(|b| b.to_string()).unwrap_or_default(),
                        l.value.to_yuan_string(),
                        l.party.clone(),
                        l.requester.clone(),
                        format!("{} {}", l.created_by, l.created_at),
                    ]
                })
                .collect();
            output::table(
                &["日期", "单号", "类型", "物品", "入库", "出库", "结存", "金额", "部门/供应商", "领用人", "录入"],
                &rows,
            );
            Ok(())
        }
        StockCmd::Usage { month: m } => usage(db, ctx, month(&m)?),
        StockCmd::Report { month: m, out } => {
            print::write_month_report(db.conn(), month(&m)?, &out)?;
            if !ctx.json {
                say!("已保存 {}", out.display());
            }
            Ok(())
        }
        StockCmd::Slip { number, out } => {
            print::write_slip(db.conn(), &number, &out)?;
            if !ctx.json {
                say!("已保存 {}", out.display());
            }
            Ok(())
        }
        StockCmd::Export { month: m, out } => {
            reports::export_xlsx(db.conn(), month(&m)?, &out)?;
            if !ctx.json {
                say!("已导出到 {}", out.display());
            }
            Ok(())
        }
        StockCmd::Lend { item, borrower, to, deposit, qty, date } => {
            let d = deposits::lend(
                db,
                &LendInput {
                    date: today_or(date),
                    item_id: None,
                    item,
                    qty,
                    borrower,
                    to,
                    deposit,
                    note: String::new(),
                },
            )?;
            if ctx.json {
                return output::json(&d);
            }
            say!(
                "已借出:{} {} {} 给 {},收押金 {} 元(借出单 {})",
                d.item,
                d.qty,
                d.unit,
                d.borrower,
                d.deposit.to_yuan_string(),
                d.lend_number
            );
            Ok(())
        }
        StockCmd::Return { number, lost, refund, note, date } => {
            let d = deposits::find(db.conn(), &number)?;
            let closed = deposits::close(
                db,
                d.id,
                &CloseInput { date: date.unwrap_or_default(), returned: !lost, refund, note },
            )?;
            if ctx.json {
                return output::json(&closed);
            }
            say!(
                "{}:{} {},退押金 {} 元{}",
                closed.status,
                closed.borrower,
                closed.item,
                closed.refunded.unwrap_or_default().to_yuan_string(),
                if closed.kept.as_i64() > 0 {
                    format!(",扣押金 {} 元", closed.kept.to_yuan_string())
                } else {
                    String::new()
                }
            );
            Ok(())
        }
        StockCmd::Deposits { all } => {
            let list = deposits::list(db.conn(), &DepositFilter { open_only: !all })?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .rows
                .iter()
                .map(|d| {
                    vec![
                        d.lend_number.clone(),
                        d.lent_on.to_string(),
                        format!("{} {}{}", d.item, d.qty, d.unit),
                        d.borrower.clone(),
                        d.department.clone(),
                        d.deposit.to_yuan_string(),
                        d.days.to_string(),
                        d.status.clone(),
                    ]
                })
                .collect();
            output::table(&["借出单号", "借出日期", "物品", "借用人", "部门", "押金", "天数", "状态"], &rows);
            say!("未归还 {} 件,押金合计 {} 元", list.outstanding, list.outstanding_deposit.to_yuan_string());
            Ok(())
        }
        StockCmd::Count { date, counter, lines } => {
            let input = StocktakeInput {
                date: today_or(date),
                counter,
                note: String::new(),
                lines: lines
                    .iter()
                    .map(|l| {
                        let f = fields(l);
                        CountInput {
                            item_id: None,
                            item: f.first().cloned().unwrap_or_default(),
                            counted: f.get(1).cloned().unwrap_or_default(),
                            reason: f.get(2).cloned().unwrap_or_default(),
                        }
                    })
                    .collect(),
            };
            let saved = stocktake::save(db, &input)?;
            let counted = stocktake::lines(db.conn(), saved.id)?;
            if ctx.json {
                return output::json(&serde_json::json!({ "number": saved.number, "lines": counted }));
            }
            say!("已保存盘点单 {}", saved.number);
            let rows: Vec<Vec<String>> = counted
                .iter()
                .map(|c| {
                    vec![
                        c.item.clone(),
                        c.book_qty.to_string(),
                        c.counted.to_string(),
                        if c.difference > 0 { format!("+{}", c.difference) } else { c.difference.to_string() },
                        c.value.to_yuan_string(),
                        c.reason.clone(),
                    ]
                })
                .collect();
            output::table(&["物品", "账面", "实盘", "差异", "调整金额", "原因"], &rows);
            Ok(())
        }
    }
}

fn show_saved(db: &Db, ctx: &Ctx, number: &str, what: &str) -> Result<()> {
    let d = stock::doc_by_number(db.conn(), number)?;
    if ctx.json {
        return output::json(&d);
    }
    say!("已保存{what} {}", d.number);
    show_doc(ctx, &d)
}

fn show_doc(ctx: &Ctx, d: &stock::StockDoc) -> Result<()> {
    if ctx.json {
        return output::json(d);
    }
    let party = match d.kind {
        houqin::supplies::DocKind::Receipt => format!("供应商 {} 发票 {} 验收 {}", d.supplier, d.invoice_no, d.handler),
        _ => format!("领用部门 {} 领用人 {} 审批人 {} 用途 {}", d.department, d.requester, d.approver, d.purpose),
    };
    say!("{} {} {}  {}", d.kind_label, d.number, d.date, party);
    if let Some(r) = &d.reverses {
        say!("冲销 {r}:{}", d.note);
    }
    let rows: Vec<Vec<String>> = d
        .lines
        .iter()
        .map(|l| {
            vec![
                l.line_no.to_string(),
                if l.spec.is_empty() { l.item_name.clone() } else { format!("{}({})", l.item_name, l.spec) },
                format!("{} {}", l.qty, l.unit),
                l.unit_price.map(|p| p.to_yuan_string()).unwrap_or_default(),
                l.value.to_yuan_string(),
                if l.trade_in > 0 { format!("交旧 {}", l.trade_in) } else { String::new() },
                if l.reversed { "已冲销".into() } else { String::new() },
            ]
        })
        .collect();
    output::table(&["行", "物品", "数量", "单价", "金额", "以旧换新", ""], &rows);
    say!("合计金额 {} 元;录入 {} {}", d.total_value.to_yuan_string(), d.created_by, d.created_at);
    if !d.reversed_by.is_empty() {
        say!("冲销单:{}", d.reversed_by.join("、"));
    }
    Ok(())
}

fn balance(db: &Db, ctx: &Ctx, below: bool, category: Option<String>) -> Result<()> {
    let report = reports::balance(db.conn(), &BalanceFilter { category, below_only: below, ..Default::default() })?;
    if ctx.json {
        return output::json(&report);
    }
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            vec![
                r.item.display_name(),
                r.item.category.clone(),
                format!("{} {}", r.qty, r.item.unit),
                r.avg_price.to_yuan_string(),
                r.value.to_yuan_string(),
                if r.item.reorder_level > 0 { r.item.reorder_level.to_string() } else { String::new() },
                if r.on_loan > 0 { r.on_loan.to_string() } else { String::new() },
                if r.below_reorder { "需补货".into() } else { String::new() },
            ]
        })
        .collect();
    output::table(&["物品", "类别", "结存", "平均单价", "结存金额", "库存下限", "借出", ""], &rows);
    say!("共 {} 种,结存金额合计 {} 元;{} 种需补货", report.items, report.total_value.to_grouped_string(), report.below);
    Ok(())
}

fn usage(db: &Db, ctx: &Ctx, m: YearMonth) -> Result<()> {
    let u = reports::usage(db.conn(), m)?;
    if ctx.json {
        return output::json(&u);
    }
    say!("{} 物品领用:{} 张领用单,金额 {} 元", m.label(), u.slips, u.total_value.to_grouped_string());
    let max = u.by_department.iter().map(|d| d.value.as_i64()).max().unwrap_or(0).max(1);
    let rows: Vec<Vec<String>> = u
        .by_department
        .iter()
        .map(|d| {
            let bar = "█".repeat(((d.value.as_i64() * 30 + max / 2) / max) as usize);
            vec![d.department.clone(), d.slips.to_string(), d.value.to_yuan_string(), bar]
        })
        .collect();
    output::table(&["班级/部门", "领用单", "金额", ""], &rows);
    say!("");
    let rows: Vec<Vec<String>> = u
        .by_item
        .iter()
        .map(|i| vec![i.item.clone(), i.category.clone(), format!("{} {}", i.qty, i.unit), i.value.to_yuan_string()])
        .collect();
    output::table(&["物品", "类别", "领用数量", "金额"], &rows);
    Ok(())
}

// ------------------------------------------------------------ benchmark

/// `houqin bench stock`: fills a database file with `items` items and about
/// `movements` journal lines over one year, then times the balance list and
/// one month's usage report (`runs` times each, median printed).
/// On a SQLite file in a temporary folder, or with `--db postgres://…` in a
/// scratch schema of its own on that server (dropped at the end).
pub fn bench(runs: usize, items_n: usize, movements: usize, db: Option<&str>) -> Result<()> {
    let place = super::bench::BenchPlace::new(db, "stock")?;
    say!("数据库:{}", place.describe());
    bench_in(place.open("bench")?, runs, items_n, movements)
}

fn median(times: &mut [Elapsed]) -> (Elapsed, Elapsed, Elapsed) {
    times.sort();
    let n = times.len();
    (times[n / 2], times[0], times[n - 1])
}

fn ms(d: Elapsed) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn bench_in(mut db: Db, runs: usize, items_n: usize, movements: usize) -> Result<()> {
    let t = Instant::now();
    let (lines, docs) = fill(&mut db, items_n.max(1), movements)?;
    db.conn().refresh_statistics()?;
    say!(
        "stock: {items_n} items, {lines} movements on {docs} documents over 2025 (filled in {:.1} s)",
        t.elapsed().as_secs_f64()
    );
    let m: YearMonth = "2025-06".parse()?;
    let runs = runs.max(1);
    let mut bal_times = Vec::with_capacity(runs);
    let mut usage_times = Vec::with_capacity(runs);
    let (mut shown, mut value, mut month_value, mut month_lines) = (0, houqin::Fen::ZERO, houqin::Fen::ZERO, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let b = reports::balance(db.conn(), &BalanceFilter::default())?;
        bal_times.push(t.elapsed());
        shown = b.items;
        value = b.total_value;
        let t = Instant::now();
        let u = reports::usage(db.conn(), m)?;
        usage_times.push(t.elapsed());
        month_value = u.total_value;
        month_lines = u.cells.len();
    }
    let (b_med, b_min, b_max) = median(&mut bal_times);
    let (u_med, u_min, u_max) = median(&mut usage_times);
    say!(
        "balance list ({shown} items, {} yuan): runs {runs}  median {}  min {}  max {}",
        value.to_grouped_string(),
        ms(b_med),
        ms(b_min),
        ms(b_max)
    );
    say!(
        "usage report {m} ({month_lines} class×item cells, {} yuan): runs {runs}  median {}  min {}  max {}",
        month_value.to_grouped_string(),
        ms(u_med),
        ms(u_min),
        ms(u_max)
    );
    let t = Instant::now();
    let pdf = print::month_report_pdf(db.conn(), m)?;
    say!("month report PDF {m}: {} ({:.0} KB)", ms(t.elapsed()), pdf.len() as f64 / 1024.0);
    for (what, median) in [("balance list", b_med), ("usage report", u_med)] {
        say!("target {what} < {} ms (median, release build): {}", TARGET.as_millis(), verdict(median));
    }
    if cfg!(debug_assertions) {
        say!("(a debug build: the target is judged on a release build, `cargo run --release -- bench stock`)");
    }
    Ok(())
}

/// The issue's target: with 500 items and 50,000 movements, the balance list
/// and one month's usage report each under 50 ms.
const TARGET: Elapsed = Elapsed::from_millis(50);

/// `met (11.02 ms)` or `NOT met (74.10 ms)`.
fn verdict(median: Elapsed) -> String {
    format!("{} ({})", if median < TARGET { "met" } else { "NOT met" }, ms(median))
}

/// A year of receipts and issue slips, in date order, through the same
/// functions the app uses (checks, numbering, valuation, audit).
fn fill(db: &mut Db, n_items: usize, target: usize) -> Result<(usize, usize)> {
    const CATEGORIES: [&str; 6] = ["办公用品", "清洁用品", "教玩具", "卫生用品", "食堂用品", "维修材料"];
    const UNITS: [&str; 6] = ["支", "瓶", "盒", "包", "个", "卷"];
    const TO: [&str; 13] = [
        "小一班",
        "小二班",
        "中一班",
        "中二班",
        "大一班",
        "大二班",
        "园长室",
        "办公室",
        "财务室",
        "保健室",
        "食堂",
        "保安室",
        "后勤组",
    ];
    let start = NaiveDate::from_ymd_opt(2025, 1, 2).ok_or_else(|| Error::invalid("date"))?;
    let last = NaiveDate::from_ymd_opt(2025, 12, 31).ok_or_else(|| Error::invalid("date"))?;
    let mut rng = DemoRng::new(42);
    let mut ids = Vec::with_capacity(n_items);
    db.with_tx(|tx| {
        for k in 0..6 {
            houqin::school::classes::insert_in_tx(
                tx,
                &houqin::school::classes::ClassInput {
                    name: TO[k].into(),
                    grade: [
                        houqin::school::Grade::Junior,
                        houqin::school::Grade::Middle,
                        houqin::school::Grade::Senior,
                    ][k / 2],
                    head_teacher: String::new(),
                },
            )?;
        }
        for i in 0..n_items {
            ids.push(items::insert_in_tx(
                tx,
                &ItemInput {
                    code: format!("W{i:04}"),
                    name: format!("物品{i:04}"),
                    category: CATEGORIES[i % 6].into(),
                    unit: UNITS[i % 6].into(),
                    reorder_level: "20".into(),
                    ..Default::default()
                },
            )?);
        }
        Ok(())
    })?;
    let mut stock_qty = vec![0i64; n_items];
    let price: Vec<i64> = (0..n_items).map(|_| 50 + rng.below(5000) as i64).collect();
    let (mut lines, mut docs) = (0usize, 0usize);
    let days = (last - start).num_days() + 1;
    let per_day = target.div_ceil(days as usize).max(1);
    let mut day = start;
    while day <= last && lines < target {
        let date = day.to_string();
        let (l, d) = db.with_tx(|tx| {
            let (mut l, mut d) = (0, 0);
            // Restock what ran low, twenty lines to a receipt.
            let low: Vec<usize> = (0..n_items).filter(|&i| stock_qty[i] < 30).collect();
            for chunk in low.chunks(20) {
                if l >= per_day {
                    break;
                }
                let input = ReceiptInput {
                    date: date.clone(),
                    supplier: "文具批发部".into(),
                    lines: chunk
                        .iter()
                        .map(|&i| {
                            let q = 100 + rng.below(200) as i64;
                            stock_qty[i] += q;
                            let p = price[i] + rng.below(40) as i64 - 20;
                            ReceiptLineInput {
                                item_id: Some(ids[i]),
                                qty: q.to_string(),
                                unit_price: houqin::Fen(p.max(1)).to_yuan_string(),
                                ..Default::default()
                            }
                        })
                        .collect(),
                    ..Default::default()
                };
                stock::receive_in_tx(tx, &input, last)?;
                l += chunk.len();
                d += 1;
            }
            while l < per_day {
                let n = 1 + rng.below(6);
                let mut slip_lines: Vec<IssueLineInput> = Vec::new();
                for _ in 0..n {
                    let i = rng.below(n_items);
                    if slip_lines.iter().any(|s| s.item_id == Some(ids[i])) {
                        continue;
                    }
                    let q = 1 + rng.below(10) as i64;
                    if stock_qty[i] >= q {
                        stock_qty[i] -= q;
                        slip_lines.push(IssueLineInput {
                            item_id: Some(ids[i]),
                            qty: q.to_string(),
                            ..Default::default()
                        });
                    }
                }
                if slip_lines.is_empty() {
                    continue;
                }
                l += slip_lines.len();
                d += 1;
                stock::issue_in_tx(
                    tx,
                    &IssueInput {
                        date: date.clone(),
                        to: (*rng.pick(&TO)).into(),
                        requester: "张老师".into(),
                        lines: slip_lines,
                        ..Default::default()
                    },
                    last,
                )?;
            }
            Ok((l, d))
        })?;
        lines += l;
        docs += d;
        day += Duration::days(1);
        // As a server's autovacuum would once the tables have grown: plans from
        // empty-table statistics would make the fill, not the reports, the measure.
        if day.day() == 1 {
            db.conn().refresh_statistics()?;
        }
    }
    Ok((lines, docs))
}
