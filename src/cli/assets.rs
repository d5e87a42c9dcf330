//! `assets` and `stocktake`: the asset keeper's register, labels,
//! depreciation, transfers and disposal, and stocktakes from a script (a
//! scanner that writes numbers to a file works too: `stocktake scan` takes
//! many numbers). `assets bench` times the register, a stocktake and its
//! report on 5,000 assets.

use chrono::NaiveDate;
use clap::Subcommand;
use std::path::PathBuf;
use std::time::Instant;

use super::{output, Ctx};
use crate::say;
use houqin::assets::movements::{self, DisposalMethod, DisposalRequest, TransferInput};
use houqin::assets::register::{self, AssetFilter, AssetInput};
use houqin::assets::stocktake::{self, Adjustment, OtherRoomChoice, ScanResult, StocktakeInput};
use houqin::assets::{
    categories, depreciation, io, print, settings, Acquisition, AssetStatus, DisposalId, StocktakeId,
};
use houqin::dates::{parse_date, today, YearMonth};
use houqin::db::Db;
use houqin::output_file;
use houqin::{Error, Result};

#[derive(Subcommand)]
pub enum AssetsCmd {
    /// 从 Excel(.xlsx)或 CSV 导入资产卡片;有任何错误则不导入任何一行
    Import { file: PathBuf },
    /// 导出资产账到 Excel(.xlsx)
    Export { file: PathBuf },
    /// 列出资产
    List {
        /// 只列出该存放地点
        #[arg(long)]
        room: Option<String>,
        /// 只列出该使用状况(在用/闲置/维修/待报废/已报废/已核销)
        #[arg(long)]
        status: Option<String>,
        /// 按编号、名称、型号、责任人搜索
        #[arg(long)]
        search: Option<String>,
        /// 包括已报废、已核销的资产
        #[arg(long)]
        all: bool,
    },
    /// 登记一张资产卡片
    Add {
        #[arg(long)]
        name: String,
        /// 类别代码或名称,如 A02010100 或 计算机
        #[arg(long)]
        category: String,
        /// 存放地点
        #[arg(long)]
        room: String,
        /// 取得日期
        #[arg(long)]
        date: String,
        /// 原值(元)
        #[arg(long)]
        value: String,
        /// 资产编号(默认按编号规则生成)
        #[arg(long, default_value = "")]
        number: String,
        #[arg(long, default_value = "")]
        model: String,
        /// 数量(批量卡片)
        #[arg(long, default_value = "")]
        qty: String,
        #[arg(long, default_value = "")]
        unit: String,
        #[arg(long, default_value = "")]
        department: String,
        /// 责任人
        #[arg(long, default_value = "")]
        custodian: String,
        /// 使用年限,如 6 或 18个月(默认按类别)
        #[arg(long, default_value = "")]
        life: String,
        #[arg(long, default_value = "")]
        supplier: String,
    },
    /// 资产类别
    Categories,
    /// 打印资产标签(PDF)
    Labels {
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// 只打印该存放地点的资产
        #[arg(long)]
        room: Option<String>,
        /// 只打印这些编号
        numbers: Vec<String>,
    },
    /// 月度折旧表
    Depreciation {
        /// 月份,如 2025-10
        #[arg(long)]
        month: String,
        /// 同时输出 PDF
        #[arg(long, value_name = "FILE.pdf")]
        out: Option<PathBuf>,
        /// 同时输出 Excel
        #[arg(long, value_name = "FILE.xlsx")]
        xlsx: Option<PathBuf>,
    },
    /// 调拨:把资产调到新的存放地点/部门/责任人
    Transfer {
        numbers: Vec<String>,
        #[arg(long, default_value = "")]
        room: String,
        #[arg(long, default_value = "")]
        department: String,
        #[arg(long, default_value = "")]
        custodian: String,
        /// 调拨日期(默认今天)
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 申请报废
    Dispose {
        number: String,
        #[arg(long)]
        reason: String,
        /// 处置方式:报废/出售/对外捐赠/无偿调出
        #[arg(long, default_value = "报废")]
        method: String,
        #[arg(long)]
        date: Option<String>,
    },
    /// 审批报废申请(默认批准;--reject 驳回)
    Approve {
        id: i64,
        #[arg(long)]
        approver: String,
        #[arg(long)]
        reject: bool,
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 登记已批准的报废已处置(资产从账上减少)
    Complete {
        id: i64,
        #[arg(long)]
        date: Option<String>,
        /// 处置收入(元)
        #[arg(long, default_value = "")]
        proceeds: String,
    },
    /// 报废申请列表
    Disposals,
    /// 长期未盘点的资产
    Unchecked,
    /// 性能测试:5000 件资产的资产账、5000 次扫描的盘点和对账报告(请用 release 构建运行)
    Bench {
        #[arg(long, default_value_t = 5000)]
        count: usize,
        /// 每项测量的次数(取中位数)
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

#[derive(Subcommand)]
pub enum StocktakeCmd {
    /// 开始盘点(默认全部房间)
    Start {
        #[arg(long)]
        name: Option<String>,
        /// 盘点的房间(可多次给出;不给则全部房间)
        #[arg(long = "room")]
        rooms: Vec<String>,
        #[arg(long)]
        date: Option<String>,
    },
    /// 盘点列表
    List,
    /// 在某个房间扫描(或输入)资产编号
    Scan {
        id: i64,
        #[arg(long)]
        room: String,
        numbers: Vec<String>,
        /// 登记在其他房间的资产:记为已搬到本房间
        #[arg(long, conflicts_with = "back")]
        moved: bool,
        /// 登记在其他房间的资产:只是临时放在这里,记为在原房间找到
        #[arg(long)]
        back: bool,
        /// 账上没有的编号:记为盘盈,用这段文字作为物品名称
        #[arg(long)]
        surplus: Option<String>,
    },
    /// 结束盘点(未盘到的记为盘亏)
    Finish {
        id: i64,
        #[arg(long)]
        date: Option<String>,
    },
    /// 盘点对账报告
    Report {
        id: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: Option<PathBuf>,
        #[arg(long, value_name = "FILE.xlsx")]
        xlsx: Option<PathBuf>,
    },
    /// 核销盘亏资产
    WriteOff {
        id: i64,
        number: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        approver: String,
        #[arg(long)]
        date: Option<String>,
    },
    /// 把位置不符的资产调整到实际存放地点
    ApplyMoves { id: i64 },
}

fn date_arg(text: Option<&str>, what: &str) -> Result<NaiveDate> {
    match text {
        None => Ok(today()),
        Some(t) => parse_date(t).ok_or_else(|| Error::invalid(format!("{what}“{t}”无效,请写成 2025-09-01 这样的格式"))),
    }
}

fn asset_by_number(db: &Db, number: &str) -> Result<register::Asset> {
    register::find_by_number(db.conn(), number, today())?.ok_or_else(|| Error::not_found("资产编号", number))
}

pub fn assets(db: &mut Db, ctx: &Ctx, cmd: AssetsCmd) -> Result<()> {
    let day = today();
    match cmd {
        AssetsCmd::Import { file } => {
            let s = io::import_file(db, &file, day, &mut |_, _| {})?;
            if ctx.json {
                return output::json(&s);
            }
            say!(
                "已导入 {} 张资产卡片{}",
                s.imported,
                if s.skipped_blank > 0 { format!("(跳过 {} 个空行)", s.skipped_blank) } else { String::new() }
            );
            for a in &s.advice {
                say!("提示:{a}");
            }
            if s.advice_count > s.advice.len() {
                say!("……另有 {} 条提示", s.advice_count - s.advice.len());
            }
            Ok(())
        }
        AssetsCmd::Export { file } => {
            io::register_xlsx(db.conn(), &file, day)?;
            say!("已导出到 {}", file.display());
            Ok(())
        }
        AssetsCmd::List { room, status, search, all } => {
            let status = match status {
                Some(s) => Some(AssetStatus::parse(&s).ok_or_else(|| Error::invalid(format!("使用状况“{s}”无效")))?),
                None => None,
            };
            let list = register::list(
                db.conn(),
                &AssetFilter { room, status, search, include_off_books: all, ..Default::default() },
                day,
            )?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|a| {
                    vec![
                        a.number.clone(),
                        a.name.clone(),
                        a.category_name.clone(),
                        format!("{}{}", a.quantity, a.unit),
                        a.room.clone(),
                        a.custodian.clone(),
                        a.acquired_on.to_string(),
                        a.original.to_grouped_string(),
                        a.net.to_grouped_string(),
                        a.status.label().to_string(),
                    ]
                })
                .collect();
            output::table(
                &["资产编号", "名称", "类别", "数量", "存放地点", "责任人", "取得日期", "原值", "净值", "状况"],
                &rows,
            );
            let t = register::totals(&list);
            say!(
                "共 {} 张卡片,{} 件,原值 {} 元,净值 {} 元",
                t.cards,
                t.quantity,
                t.original.to_grouped_string(),
                t.net.to_grouped_string()
            );
            Ok(())
        }
        AssetsCmd::Add {
            name,
            category,
            room,
            date,
            value,
            number,
            model,
            qty,
            unit,
            department,
            custodian,
            life,
            supplier,
        } => {
            let cat = categories::find(db.conn(), &category)?
                .ok_or_else(|| Error::invalid(format!("没有代码或名称为“{category}”的资产类别")))?;
            let input = AssetInput {
                number,
                name,
                category_id: cat.id,
                model,
                quantity: qty,
                unit,
                room,
                department,
                custodian,
                acquired_on: date_arg(Some(&date), "取得日期")?,
                acquisition: Acquisition::Purchase,
                supplier,
                original_value: value,
                life,
                status: AssetStatus::InUse,
                note: String::new(),
            };
            let advice = register::advice(db.conn(), &input)?;
            let id = register::add(db, &input, day)?;
            let a = register::get(db.conn(), id, day)?;
            if ctx.json {
                return output::json(&serde_json::json!({ "asset": a, "advice": advice }));
            }
            say!("已登记:{} {}({})", a.number, a.name, a.room);
            for line in advice {
                say!("提示:{line}");
            }
            Ok(())
        }
        AssetsCmd::Categories => {
            let list = categories::list(db.conn())?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|c| {
                    vec![
                        c.code.clone(),
                        c.name.clone(),
                        categories::life_label(c.life_months),
                        if c.special { "专用设备".into() } else { String::new() },
                        c.asset_count.to_string(),
                    ]
                })
                .collect();
            output::table(&["类别代码", "名称", "使用年限", "", "卡片数"], &rows);
            Ok(())
        }
        AssetsCmd::Labels { out, room, numbers } => {
            let list = if numbers.is_empty() {
                register::list(db.conn(), &AssetFilter { room, ..Default::default() }, day)?
            } else {
                numbers.iter().map(|n| asset_by_number(db, n)).collect::<Result<Vec<_>>>()?
            };
            let pdf = print::labels_pdf(db.conn(), &list, &settings::load(db.conn())?)?;
            output_file::write_bytes_atomic(&out, &pdf)?;
            say!("已生成 {} 张标签:{}", list.len(), out.display());
            Ok(())
        }
        AssetsCmd::Depreciation { month, out, xlsx } => {
            let month: YearMonth = month.parse()?;
            let report = depreciation::monthly_report(db.conn(), month)?;
            // Both files or neither.
            let mut files = Vec::new();
            if let Some(path) = &out {
                files.push((path.as_path(), print::depreciation_pdf(db.conn(), &report)?));
            }
            if let Some(path) = &xlsx {
                files.push((path.as_path(), io::depreciation_xlsx_bytes(&report)?));
            }
            output_file::write_files_atomic(&files)?;
            if ctx.json {
                return output::json(&report);
            }
            say!("{} 固定资产折旧({})", month.label(), report.rule.label());
            let rows: Vec<Vec<String>> = report
                .categories
                .iter()
                .chain(std::iter::once(&report.total))
                .map(|c| {
                    vec![
                        c.code.clone(),
                        c.name.clone(),
                        c.count.to_string(),
                        c.original.to_grouped_string(),
                        c.this_month.to_grouped_string(),
                        c.accumulated.to_grouped_string(),
                        c.net.to_grouped_string(),
                    ]
                })
                .collect();
            output::table(&["类别代码", "类别", "资产数", "原值", "本月折旧", "累计折旧", "净值"], &rows);
            say!("{}", report.rule_text);
            say!("{}", report.method_text);
            for p in out.iter().chain(xlsx.iter()) {
                say!("已保存:{}", p.display());
            }
            Ok(())
        }
        AssetsCmd::Transfer { numbers, room, department, custodian, date, note } => {
            let ids = numbers.iter().map(|n| asset_by_number(db, n).map(|a| a.id)).collect::<Result<Vec<_>>>()?;
            let input = TransferInput {
                asset_ids: ids,
                moved_on: date_arg(date.as_deref(), "调拨日期")?,
                to_room: room,
                to_department: department,
                to_custodian: custodian,
                note,
            };
            let n = movements::transfer(db, &input, day)?;
            say!("已调拨 {n} 件资产");
            Ok(())
        }
        AssetsCmd::Dispose { number, reason, method, date } => {
            let a = asset_by_number(db, &number)?;
            let method = DisposalMethod::ALL
                .into_iter()
                .find(|m| m.label() == method.trim() || m.code() == method.trim())
                .ok_or_else(|| Error::invalid(format!("处置方式“{method}”无效,应为 报废/出售/对外捐赠/无偿调出")))?;
            let id = movements::request(
                db,
                &DisposalRequest {
                    asset_id: a.id,
                    method,
                    reason,
                    requested_on: date_arg(date.as_deref(), "申请日期")?,
                    note: String::new(),
                },
                day,
            )?;
            let d = movements::get(db.conn(), id)?;
            say!("已提交报废申请 {}:{} {},需{}", d.id, d.number, d.name, d.approval_level);
            Ok(())
        }
        AssetsCmd::Approve { id, approver, reject, date, note } => {
            movements::decide(
                db,
                DisposalId(id),
                !reject,
                &approver,
                date_arg(date.as_deref(), "审批日期")?,
                &note,
                day,
            )?;
            say!("报废申请 {id} 已{}", if reject { "驳回" } else { "批准" });
            Ok(())
        }
        AssetsCmd::Complete { id, date, proceeds } => {
            movements::complete(db, DisposalId(id), date_arg(date.as_deref(), "处置日期")?, &proceeds, day)?;
            say!("报废申请 {id} 已处置,资产已从账上减少");
            Ok(())
        }
        AssetsCmd::Disposals => {
            let list = movements::disposals(db.conn(), None)?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|d| {
                    vec![
                        d.id.to_string(),
                        d.number.clone(),
                        d.name.clone(),
                        d.method_label.clone(),
                        d.original.to_grouped_string(),
                        d.approval_level.clone(),
                        d.status_label.clone(),
                        d.reason.clone(),
                    ]
                })
                .collect();
            output::table(&["申请号", "资产编号", "名称", "方式", "原值", "审批层级", "状态", "原因"], &rows);
            Ok(())
        }
        AssetsCmd::Unchecked => {
            let list = stocktake::never_checked(db.conn(), day)?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|n| {
                    vec![
                        n.asset.number.clone(),
                        n.asset.name.clone(),
                        n.asset.room.clone(),
                        n.last_checked.map(|d| d.to_string()).unwrap_or_else(|| "从未盘点".into()),
                    ]
                })
                .collect();
            output::table(&["资产编号", "名称", "存放地点", "上次盘到"], &rows);
            say!("共 {} 件", list.len());
            Ok(())
        }
        AssetsCmd::Bench { .. } => Ok(()),
    }
}

pub fn stocktakes(db: &mut Db, ctx: &Ctx, cmd: StocktakeCmd) -> Result<()> {
    let day = today();
    match cmd {
        StocktakeCmd::Start { name, rooms, date } => {
            let started_on = date_arg(date.as_deref(), "盘点日期")?;
            let name = name.unwrap_or_else(|| format!("{}盘点", started_on.format("%Y年%m月")));
            let id = stocktake::start(db, &StocktakeInput { name, started_on, rooms, note: String::new() }, day)?;
            let s = stocktake::get(db.conn(), id)?;
            if ctx.json {
                return output::json(&s);
            }
            say!("已开始盘点 {}:{},{} 个房间,{} 张卡片", s.id, s.name, s.rooms.len(), s.expected);
            Ok(())
        }
        StocktakeCmd::List => {
            let list = stocktake::list(db.conn())?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|s| {
                    vec![
                        s.id.to_string(),
                        s.name.clone(),
                        s.started_on.to_string(),
                        s.finished_on.map(|d| d.to_string()).unwrap_or_default(),
                        s.status_label.clone(),
                        format!("{}/{}", s.checked, s.expected),
                        s.surplus.to_string(),
                    ]
                })
                .collect();
            output::table(&["编号", "名称", "开始", "结束", "状态", "已盘/应盘", "盘盈"], &rows);
            Ok(())
        }
        StocktakeCmd::Scan { id, room, numbers, moved, back, surplus } => {
            if numbers.is_empty() {
                return Err(Error::invalid("请给出要扫描的资产编号"));
            }
            let choice = if moved {
                Some(OtherRoomChoice::Move)
            } else if back {
                Some(OtherRoomChoice::Return)
            } else {
                None
            };
            let results = stocktake::scan_many(db, StocktakeId(id), &room, &numbers, choice, surplus.as_deref(), day)?;
            if ctx.json {
                return output::json(&results);
            }
            for r in &results {
                match r {
                    ScanResult::Found { message, .. } => say!("✓ {message}"),
                    ScanResult::Duplicate { message, .. } => say!("! 重复:{message}"),
                    ScanResult::OtherRoom { message, .. } => {
                        say!("? {message}(未记录:请加 --moved 或 --back 再扫描一次)")
                    }
                    ScanResult::Unknown { message, .. } => say!("? {message}(未记录:请加 --surplus 名称 再扫描一次)"),
                }
            }
            Ok(())
        }
        StocktakeCmd::Finish { id, date } => {
            let r = stocktake::finish(db, StocktakeId(id), date_arg(date.as_deref(), "结束日期")?, day)?;
            if ctx.json {
                return output::json(&r);
            }
            say!("盘点已结束。");
            for l in &r.lines {
                say!("{l}");
            }
            Ok(())
        }
        StocktakeCmd::Report { id, out, xlsx } => {
            let report = stocktake::report(db.conn(), StocktakeId(id))?;
            // Both files or neither.
            let mut files = Vec::new();
            if let Some(path) = &out {
                files.push((path.as_path(), print::stocktake_pdf(&report)?));
            }
            if let Some(path) = &xlsx {
                files.push((path.as_path(), io::stocktake_xlsx_bytes(&report)?));
            }
            output_file::write_files_atomic(&files)?;
            if ctx.json {
                return output::json(&report.reconciliation);
            }
            let r = &report.reconciliation;
            let rows: Vec<Vec<String>> = r
                .rooms
                .iter()
                .chain(std::iter::once(&r.total))
                .map(|x| {
                    vec![
                        x.room.clone(),
                        x.book.qty.to_string(),
                        x.found.qty.to_string(),
                        x.moved.qty.to_string(),
                        x.damaged.qty.to_string(),
                        x.missing.qty.to_string(),
                        x.surplus.qty.to_string(),
                        x.unchecked.qty.to_string(),
                        x.match_rate.text.clone(),
                    ]
                })
                .collect();
            output::table(&["存放地点", "账面", "相符", "位置不符", "损坏", "盘亏", "盘盈", "未盘", "相符率"], &rows);
            for l in &r.lines {
                say!("{l}");
            }
            for p in out.iter().chain(xlsx.iter()) {
                say!("已保存:{}", p.display());
            }
            Ok(())
        }
        StocktakeCmd::WriteOff { id, number, reason, approver, date } => {
            let lines = stocktake::lines(db.conn(), StocktakeId(id))?;
            let line = lines
                .iter()
                .find(|l| l.number.eq_ignore_ascii_case(number.trim()))
                .ok_or_else(|| Error::not_found("本次盘点中的资产编号", &number))?;
            let on = date_arg(date.as_deref(), "核销日期")?;
            stocktake::adjust(db, line.id, &Adjustment::WriteOff { reason, approver, on }, day)?;
            say!("已核销:{} {}", line.number, line.name);
            Ok(())
        }
        StocktakeCmd::ApplyMoves { id } => {
            let n = stocktake::apply_moves(db, StocktakeId(id), day)?;
            say!("已调整 {n} 件资产的存放地点");
            Ok(())
        }
    }
}

/// `assets bench`: a file database with `count` assets in 40 rooms. Times,
/// `runs` times each, the three targets (each under 200 ms): the
/// register list as the screen gets it, a stocktake of `count` scans
/// submitted the way the room screen and `stocktake scan` submit them, and
/// the reconciliation report (data + PDF). Prints medians and whether each
/// target is met, then a few other figures for information.
/// On a temporary SQLite file, or with `--db postgres://…` in a schema of its
/// own on that server (dropped at the end).
pub fn bench(target: Option<&houqin::db::Target>, count: usize, runs: usize) -> Result<()> {
    if let Some(houqin::db::Target::Server(url)) = target {
        say!("数据库:PostgreSQL {}", url.display());
        return run_bench(Db::scratch_on(url)?, count.max(400), runs.max(1));
    }
    let dir = std::env::temp_dir().join(format!("houqin-assets-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    say!("数据库:SQLite 临时文件");
    let result = Db::open(&dir.join("bench.db")).and_then(|db| run_bench(db, count.max(400), runs.max(1)));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The target for each of the three measurements.
const TARGET_MS: f64 = 200.0;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// Median, min and max of some timings in ms.
fn stats(times: &[f64]) -> (f64, f64, f64) {
    let mut t = times.to_vec();
    t.sort_by(|a, b| a.total_cmp(b));
    (t[t.len() / 2], t[0], t[t.len() - 1])
}

fn verdict(median: f64) -> &'static str {
    if median < TARGET_MS {
        "met"
    } else {
        "NOT met"
    }
}

/// How the scans of a bench stocktake reach the core.
#[derive(Clone, Copy, PartialEq)]
enum Submit {
    /// As the room screen sends scans that queue up while one is saved, and
    /// as `stocktake scan` sends a list: one transaction per batch.
    Batches,
    /// One transaction per scan: the screen when the scanner is slower than
    /// the save (the user waits for nothing either way).
    OneByOne,
}

/// The scans of one bench stocktake, room by room: 1 card in 250 is not
/// found (missing), 1 in 100 is found in the next room and moved, the rest
/// in their own room, plus unknown numbers (surplus) to make exactly `count`.
struct Plan {
    /// (room, numbers found in it, numbers moved into it)
    rooms: Vec<(String, Vec<String>, Vec<String>)>,
    surplus: Vec<String>,
}

impl Plan {
    fn new(list: &[register::Asset], rooms: &[String], count: usize) -> Plan {
        let mut plan: Vec<(String, Vec<String>, Vec<String>)> =
            rooms.iter().map(|r| (r.clone(), Vec::new(), Vec::new())).collect();
        let index = |room: &str| rooms.iter().position(|r| r == room).unwrap_or(0);
        let mut scans = 0;
        for (i, a) in list.iter().enumerate() {
            let own = index(&a.room);
            if i % 250 == 0 {
                continue;
            } else if i % 100 == 50 {
                plan[(own + 1) % rooms.len()].2.push(a.number.clone());
            } else {
                plan[own].1.push(a.number.clone());
            }
            scans += 1;
        }
        let surplus = (0..count.saturating_sub(scans)).map(|i| format!("X{:06}", i + 1)).collect();
        Plan { rooms: plan, surplus }
    }

    fn scans(&self) -> usize {
        self.rooms.iter().map(|(_, a, b)| a.len() + b.len()).sum::<usize>() + self.surplus.len()
    }
}

/// Runs the plan's scans; returns (ms, found, moved, surplus recorded).
fn scan_plan(
    db: &mut Db,
    id: StocktakeId,
    plan: &Plan,
    how: Submit,
    day: NaiveDate,
) -> Result<(f64, usize, usize, usize)> {
    let (mut found, mut moved, mut surplus) = (0, 0, 0);
    let mut tally = |results: &[ScanResult]| -> Result<()> {
        for r in results {
            match r {
                ScanResult::Found { line, .. } if line.asset_id.is_none() => surplus += 1,
                ScanResult::Found { line, .. } if line.found_room.is_some() => moved += 1,
                ScanResult::Found { .. } => found += 1,
                other => return Err(Error::invalid(format!("bench scan not counted: {other:?}"))),
            }
        }
        Ok(())
    };
    let t = Instant::now();
    for (room, own, from_next) in &plan.rooms {
        match how {
            Submit::Batches => {
                tally(&stocktake::scan_many(db, id, room, own, None, None, day)?)?;
                if !from_next.is_empty() {
                    let r = stocktake::scan_many(db, id, room, from_next, Some(OtherRoomChoice::Move), None, day)?;
                    tally(&r)?;
                }
            }
            Submit::OneByOne => {
                for n in own {
                    tally(&[stocktake::scan(db, id, room, n, None, day)?])?;
                }
                for n in from_next {
                    // The screen asks first (nothing recorded), then sends the answer.
                    let asked = stocktake::scan(db, id, room, n, None, day)?;
                    if !matches!(asked, ScanResult::OtherRoom { .. }) {
                        return Err(Error::invalid(format!("bench: {n} should be in another room: {asked:?}")));
                    }
                    tally(&[stocktake::scan(db, id, room, n, Some(OtherRoomChoice::Move), day)?])?;
                }
            }
        }
    }
    let first_room = &plan.rooms[0].0;
    match how {
        Submit::Batches => {
            tally(&stocktake::scan_many(db, id, first_room, &plan.surplus, None, Some("盘盈物品"), day)?)?;
        }
        Submit::OneByOne => {
            for n in &plan.surplus {
                // Unknown: the screen asks for a description, then records it.
                let asked = stocktake::scan(db, id, first_room, n, None, day)?;
                if !matches!(asked, ScanResult::Unknown { .. }) {
                    return Err(Error::invalid(format!("bench: {n} should be unknown: {asked:?}")));
                }
                let input = stocktake::SurplusInput {
                    room: first_room.clone(),
                    number: n.clone(),
                    name: "盘盈物品".into(),
                    model: String::new(),
                    quantity: String::new(),
                    value: String::new(),
                    note: String::new(),
                };
                stocktake::record_surplus(db, id, &input, day)?;
                surplus += 1;
            }
        }
    }
    Ok((ms(t), found, moved, surplus))
}

fn run_bench(mut db: Db, count: usize, runs: usize) -> Result<()> {
    db.set_operator("bench");
    let day = today();
    let cats = categories::list(db.conn())?;
    let rooms: Vec<String> = (1..=40).map(|i| format!("房间{i:02}")).collect();
    say!("固定资产 bench: {count} cards in {} rooms, {runs} runs each; targets < {TARGET_MS:.0} ms", rooms.len());
    if cfg!(debug_assertions) {
        say!("(a debug build: the targets are for a release build, `cargo build --release`)");
    }
    // The register: `count` cards written in one import-sized transaction.
    let t = Instant::now();
    let s = settings::load(db.conn())?;
    let mut numbers = register::NumberGen::new(&s)?;
    db.with_tx(|tx| {
        // As the import does: the numbers checked against the register in
        // one query, then the cards written a chunk per statement.
        let typed: Vec<String> = (0..count).map(|i| format!("B{:06}", i + 1)).collect();
        let taken = register::taken_numbers(tx, &typed.iter().map(String::as_str).collect::<Vec<_>>())?;
        let mut cards = Vec::with_capacity(count);
        for (i, number) in typed.into_iter().enumerate() {
            let cat = &cats[i % cats.len()];
            let input = AssetInput {
                number,
                name: format!("资产{i}"),
                category_id: cat.id,
                model: String::new(),
                quantity: String::new(),
                unit: String::new(),
                room: rooms[i % rooms.len()].clone(),
                department: String::new(),
                custodian: format!("老师{}", i % 40),
                acquired_on: day - chrono::Duration::days((i % 2000) as i64),
                acquisition: Acquisition::Purchase,
                supplier: String::new(),
                original_value: format!("{}.{:02}", 500 + i % 9000, i % 100),
                life: String::new(),
                status: AssetStatus::InUse,
                note: String::new(),
            };
            let checked =
                register::check_input(&input, Some(cat), day, 0, &mut |n| Ok(taken.contains(&n.to_ascii_uppercase())))?
                    .map_err(|p| Error::Rejected { problems: p })?;
            cards.push(checked);
        }
        register::insert_many_in_tx(tx, &cards, &mut numbers)?;
        Ok(())
    })?;
    let setup = ms(t);
    db.conn().refresh_statistics()?;

    // 1. The register as the screen gets it: every card with its depreciation,
    // the totals, and the JSON that crosses to the window.
    let mut list = Vec::new();
    let mut times = Vec::with_capacity(runs);
    let mut json_kb = 0;
    for _ in 0..runs {
        let t = Instant::now();
        list = register::list(db.conn(), &AssetFilter::default(), day)?;
        let totals = register::totals(&list);
        json_kb = serde_json::to_vec(&(&list, &totals)).map(|v| v.len() / 1024).unwrap_or(0);
        times.push(ms(t));
    }
    let (median, min, max) = stats(&times);
    say!(
        "register list of {} cards (depreciation, totals, {json_kb} KB JSON): median {median:.1} ms (min {min:.1}, max {max:.1})  target < {TARGET_MS:.0} ms: {}",
        list.len(),
        verdict(median)
    );

    // 2. Stocktakes of `count` scans, started and finished outside the timing.
    let plan = Plan::new(&list, &rooms, count);
    let mut report_times = Vec::new();
    let mut data_times = Vec::new();
    let mut pdf_kb = 0;
    let mut report_lines = 0;
    // Other figures, by name in the order first measured.
    let mut extra: Vec<(&str, Vec<f64>)> = Vec::new();
    let mut note = |name: &'static str, t: f64| match extra.iter_mut().find(|(n, _)| *n == name) {
        Some((_, times)) => times.push(t),
        None => extra.push((name, vec![t])),
    };
    let mut one_by_one = 0.0;
    for how in [Submit::Batches, Submit::OneByOne] {
        let mut times = Vec::with_capacity(runs);
        let mut counts = (0, 0, 0);
        for run in 0..runs {
            let t = Instant::now();
            let input =
                StocktakeInput { name: format!("bench {run}"), started_on: day, rooms: vec![], note: String::new() };
            let id = stocktake::start(&mut db, &input, day)?;
            note("start a stocktake of every room", ms(t));
            let (took, found, moved, surplus) = scan_plan(&mut db, id, &plan, how, day)?;
            times.push(took);
            counts = (found, moved, surplus);
            let t = Instant::now();
            stocktake::finish(&mut db, id, day, day)?;
            note("finish (unscanned → missing)", ms(t));
            if how == Submit::Batches {
                // 3. The reconciliation report of this finished stocktake.
                let t = Instant::now();
                let report = stocktake::report(db.conn(), id)?;
                let data = ms(t);
                let pdf = print::stocktake_pdf(&report)?;
                report_times.push(ms(t));
                data_times.push(data);
                pdf_kb = pdf.len() / 1024;
                report_lines = report.lines.len();
                if run == 0 {
                    let t = Instant::now();
                    let xlsx = std::env::temp_dir().join(format!("houqin-assets-bench-{}.xlsx", std::process::id()));
                    io::stocktake_xlsx(&report, &xlsx)?;
                    let _ = std::fs::remove_file(&xlsx);
                    note("reconciliation report .xlsx (every line)", ms(t));
                }
            }
        }
        let (median, min, max) = stats(&times);
        if how == Submit::OneByOne {
            one_by_one = median;
        }
        let (found, moved, surplus) = counts;
        let what = match how {
            Submit::Batches => {
                "stocktake scans in batches (room screen queue, `stocktake scan`; one transaction per batch)"
            }
            Submit::OneByOne => "stocktake scans one at a time (one transaction per scan; for comparison)",
        };
        // One at a time is what a person scanning slower than the app saves
        // sees: 5,000 single user actions, so it is shown without the target.
        let target = match how {
            Submit::Batches => format!("  target < {TARGET_MS:.0} ms: {}", verdict(median)),
            Submit::OneByOne => "  (for comparison, no target)".to_string(),
        };
        say!(
            "{what}: {} scans ({found} found, {moved} moved, {surplus} surplus): median {median:.1} ms in total, {:.1} µs per scan (min {min:.1}, max {max:.1}){target}",
            plan.scans(),
            median * 1e3 / plan.scans() as f64,
        );
    }
    let (median, min, max) = stats(&report_times);
    let (data, _, _) = stats(&data_times);
    say!(
        "reconciliation report, data + PDF ({report_lines} lines, {} rooms, {pdf_kb} KB): median {median:.1} ms (data {data:.1} ms; min {min:.1}, max {max:.1})  target < {TARGET_MS:.0} ms: {}",
        rooms.len(),
        verdict(median)
    );

    say!("for information:");
    if db.path().is_some() {
        // What synchronous=FULL costs: the same one-transaction-per-scan run on NORMAL.
        db.set_full_sync_for_benchmark(false)?;
        let input = StocktakeInput { name: "bench NORMAL".into(), started_on: day, rooms: vec![], note: String::new() };
        let id = stocktake::start(&mut db, &input, day)?;
        let (normal, ..) = scan_plan(&mut db, id, &plan, Submit::OneByOne, day)?;
        stocktake::finish(&mut db, id, day, day)?;
        db.set_full_sync_for_benchmark(true)?;
        let per = |t: f64| t * 1e3 / plan.scans() as f64;
        say!(
            "  synchronous=FULL vs NORMAL, one transaction per scan: {:.1} µs vs {:.1} µs per commit (FULL costs {:.1} µs each)",
            per(one_by_one),
            per(normal),
            per(one_by_one) - per(normal)
        );
    }
    say!("  write {count} cards in one transaction (the import's way): {setup:.1} ms");
    let t = Instant::now();
    let _ = depreciation::monthly_report(db.conn(), YearMonth::of(day))?;
    say!("  monthly depreciation report: {:.1} ms", ms(t));
    for (name, times) in &extra {
        say!("  {name}: median {:.1} ms", stats(times).0);
    }
    Ok(())
}
