//! Argument parsing and dispatch. Each subcommand module prints its own output;
//! only this module decides how an error is shown and which exit code it gets.

mod assets;
mod backup;
mod bench;
mod check;
mod files;
mod kitchen;
mod meal_account;
mod notices;
mod output;
mod payments;
mod repairs;
mod school;
mod server;
mod settle;
mod supplies;
mod users;
mod waivers;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

use houqin::auth;
use houqin::db::{self, Db};
use houqin::{Error, Result};

#[derive(Parser)]
#[command(name = "houqin", version, about = "后勤 Houqin:幼儿园后勤管理(命令行)")]
pub struct Cli {
    /// 数据库:文件路径,或服务器 postgres://用户:密码@主机:端口/数据库(默认:用户数据目录下的
    /// houqin/houqin.db;也可用环境变量 HOUQIN_DB)
    #[arg(long, global = true, value_name = "PATH|URL")]
    db: Option<String>,
    /// 登录用户名(连接服务器时必填;也可用环境变量 HOUQIN_USER;密码放在 HOUQIN_PASSWORD 中)
    #[arg(long, global = true, env = "HOUQIN_USER", value_name = "NAME")]
    user: Option<String>,
    /// 以 JSON 输出
    #[arg(long, global = true)]
    json: bool,
    /// 操作员(记入审计日志;默认为上次选择的操作员)
    #[arg(long, global = true)]
    operator: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 创建(或升级)数据库;可同时设置学校名称,并创建第一位管理员(密码在 HOUQIN_PASSWORD 中)
    Init {
        #[arg(long)]
        name: Option<String>,
        /// 第一位管理员的用户名(数据库中还没有用户时)
        #[arg(long, value_name = "NAME")]
        admin: Option<String>,
    },
    /// 用户与角色:添加、列出、停用、改密码
    #[command(subcommand)]
    Users(users::UsersCmd),
    /// 数据备份:立即备份、列出备份、从备份恢复
    #[command(subcommand)]
    Backup(backup::BackupCmd),
    /// 服务器模式:把本机文件上传到服务器(push),或把数据库复制到本机文件(pull)
    #[command(subcommand)]
    Server(server::ServerCmd),
    /// 班级
    #[command(subcommand)]
    Classes(school::ClassesCmd),
    /// 幼儿
    #[command(subcommand)]
    Children(school::ChildrenCmd),
    /// 显示某月校历:法定工作日、节假日、调休、停课
    Calendar {
        /// 月份,如 2025-10
        month: String,
    },
    /// 导入某一年的国务院放假安排(与内置数据同样格式的 JSON 文件,如 2027.json)
    HolidaysImport {
        /// 放假安排文件
        file: std::path::PathBuf,
    },
    /// 载入演示幼儿园(仅限空数据库)
    Demo,
    /// 月结:计算收费与退费
    Settle(settle::SettleArgs),
    /// 重新打开最近结账的月份(须填写原因,记入审计日志)
    Reopen {
        /// 月份,如 2025-10
        #[arg(long)]
        month: String,
        /// 原因
        #[arg(long)]
        reason: String,
    },
    /// 收费项目与退费规则
    #[command(subcommand)]
    Rules(settle::RulesCmd),
    /// 请假记录
    #[command(subcommand)]
    Absences(settle::AbsencesCmd),
    /// 缴费通知单:已结账月份的退费与下月收费,全园、一个班或一名幼儿,生成一个 PDF
    Notices(notices::NoticesArgs),
    /// 收款登记:登记收款或退款、列出、冲销、查看幼儿的欠费或结余、打印收据
    #[command(subcommand)]
    Payments(payments::PaymentsCmd),
    /// 减免、资助:添加、列出、结束,减免类别,资助名册
    #[command(subcommand)]
    Waivers(waivers::WaiversCmd),
    /// 退费明细表:每班一页,加全园汇总
    Statement(notices::StatementArgs),
    /// 食品留样记录表:某月的留样记录生成 PDF(--month M --out FILE.pdf)
    Samples(kitchen::SamplesArgs),
    /// 食堂:菜单、留样、到期处理、漏留样检查、标签、温度/消毒/晨检记录
    #[command(subcommand)]
    Kitchen(kitchen::KitchenCmd),
    /// 伙食账:伙食费收支公示(--month M --out FILE.pdf),进货登记、月末盘点、公示
    MealAccount(meal_account::MealArgs),
    /// 物品领用:目录、入库、领用单、冲销、结存、月度领用、押金、盘点
    #[command(subcommand)]
    Stock(supplies::StockCmd),
    /// 性能测试(请用 release 构建运行)
    #[command(subcommand)]
    Bench(bench::BenchCmd),
    /// 固定资产:资产账、标签、折旧、调拨、报废
    #[command(subcommand)]
    Assets(assets::AssetsCmd),
    /// 报修:登记、派工、上门、完工、确认、本周跟进、费用、维修单和月度登记表
    #[command(subcommand)]
    Repairs(repairs::RepairsCmd),
    /// 固定资产盘点:开始、扫描、结束、对账报告
    #[command(subcommand)]
    Stocktake(assets::StocktakeCmd),
    /// 体检:一次运行所有跨模块的核对(留样与校历和晨检、伙食费公示与月结、通知单、收据、库存、资产盘点)
    Check {
        /// 月份,如 2026-11(默认上个月)
        #[arg(long)]
        month: Option<String>,
    },
}

/// Where the output goes and in which form.
pub struct Ctx {
    pub json: bool,
}

/// Runs one command line, `args` as the OS gives them (the program's name
/// first). The desktop app runs it too, for the installed `/usr/bin/houqin`
/// (src-tauri/src/main.rs).
pub fn run_from(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = Cli::parse_from(args);
    let json = cli.json;
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误:{e}");
            if json {
                // Scripts branch on `code` (and `data`), as the app does.
                let view = houqin::error::ErrorView::from(&e);
                match serde_json::to_string(&serde_json::json!({ "error": view })) {
                    Ok(text) => println!("{text}"),
                    Err(_) => println!("{{\"error\":{{\"code\":\"{}\"}}}}", e.code()),
                }
            }
            ExitCode::FAILURE
        }
    }
}

fn open(cli: &Cli) -> Result<Db> {
    let target = db::resolve_target(cli.db.as_deref())?;
    let mut db = Db::open_target(&target)?;
    if let Command::Init { admin: Some(admin), .. } = &cli.command {
        // The first administrator is created before anyone can sign in.
        if auth::user_count(db.conn())? == 0 {
            let password = users::password_from("HOUQIN_PASSWORD", "第一位管理员的密码")?;
            db.set_operator(admin.trim());
            auth::create_first_admin(&mut db, admin, &password)?;
        }
    }
    if let Some(user) = cli.user.as_deref().filter(|u| !u.trim().is_empty()) {
        let password = users::password_from("HOUQIN_PASSWORD", "登录密码")?;
        auth::sign_in(&mut db, user, &password)?;
    } else if let Command::Init { admin: Some(admin), .. } = &cli.command {
        let password = users::password_from("HOUQIN_PASSWORD", "管理员的密码")?;
        auth::sign_in(&mut db, admin, &password)?;
    } else if auth::sign_in_required(&db)? {
        return Err(Error::invalid(format!(
            "{} 要求登录:请用 --user 指定用户名(或环境变量 HOUQIN_USER),并在环境变量 HOUQIN_PASSWORD 中提供密码",
            target.display()
        )));
    } else if let Some(op) = &cli.operator {
        db.set_operator(houqin::settings::OPERATOR_FIELD.check(op).map_err(Error::Invalid)?);
    } else if db.operator().is_empty() {
        db.set_operator("命令行");
    }
    // The first start of the day keeps a copy; failing to is said, not fatal.
    if let Err(e) = houqin::backup::daily(&mut db) {
        eprintln!("提醒:今天的自动备份没有成功:{e}");
    }
    Ok(db)
}

fn dispatch(cli: Cli) -> Result<()> {
    let ctx = Ctx { json: cli.json };
    // A scenario document is self-contained: no database is opened for it.
    if let Command::Settle(settle::SettleArgs { scenario: Some(file), .. }) = &cli.command {
        return settle::scenario(&ctx, file);
    }
    if let Command::Bench(cmd) = &cli.command {
        return bench::run(cmd, cli.db.as_deref());
    }
    if let Command::Assets(assets::AssetsCmd::Bench { count, runs }) = &cli.command {
        let target = cli.db.as_deref().map(db::Target::parse).transpose()?;
        return assets::bench(target.as_ref(), *count, *runs);
    }
    if let Command::Backup(backup::BackupCmd::Restore { file }) = &cli.command {
        return match db::resolve_target(cli.db.as_deref())? {
            db::Target::File(path) => backup::restore(&ctx, path, file.clone()),
            db::Target::Server(_) => Err(Error::invalid(
                "服务器数据库请用 PostgreSQL 的 pg_restore 恢复,或把备份文件用 houqin server push 上传到新的数据库",
            )),
        };
    }
    if let Command::Server(server::ServerCmd::Push { file, admin }) = cli.command {
        let target = db::resolve_target(cli.db.as_deref())?;
        let mut server_db = Db::open_target(&target)?;
        return server::push(&mut server_db, &ctx, file, admin);
    }
    let mut db = open(&cli)?;
    match cli.command {
        Command::Init { name, .. } => school::init(&mut db, &ctx, name),
        Command::Users(cmd) => users::run(&mut db, &ctx, cmd),
        Command::Backup(cmd) => backup::run(&mut db, &ctx, cmd),
        Command::Server(server::ServerCmd::Pull { file }) => server::pull(&db, &ctx, file),
        Command::Server(server::ServerCmd::Push { .. }) => Ok(()),
        Command::Classes(cmd) => school::classes(&mut db, &ctx, cmd),
        Command::Children(cmd) => school::children(&mut db, &ctx, cmd),
        Command::Calendar { month } => school::calendar(&db, &ctx, &month),
        Command::HolidaysImport { file } => school::holidays_import(&mut db, &ctx, &file),
        Command::Demo => school::demo(&mut db, &ctx),
        Command::Settle(args) => settle::month(&mut db, &ctx, args),
        Command::Reopen { month, reason } => settle::reopen(&mut db, &month, &reason),
        Command::Rules(cmd) => settle::rules(&mut db, &ctx, cmd),
        Command::Absences(cmd) => settle::absences(&mut db, &ctx, cmd),
        Command::Notices(args) => notices::notices(&mut db, &ctx, args),
        Command::Payments(cmd) => payments::run(&mut db, &ctx, cmd),
        Command::Waivers(cmd) => waivers::run(&mut db, &ctx, cmd),
        Command::Statement(args) => notices::statement(&db, &ctx, args),
        Command::Samples(args) => kitchen::samples_pdf(&db, args),
        Command::Kitchen(cmd) => kitchen::run(&mut db, &ctx, cmd),
        Command::MealAccount(args) => meal_account::run(&mut db, &ctx, args),
        Command::Assets(cmd) => assets::assets(&mut db, &ctx, cmd),
        Command::Stocktake(cmd) => assets::stocktakes(&mut db, &ctx, cmd),
        Command::Repairs(cmd) => repairs::run(&mut db, &ctx, cmd),
        Command::Stock(cmd) => supplies::run(&mut db, &ctx, cmd),
        Command::Check { month } => check::run(&db, &ctx, month.as_deref()),
        // Handled before the database is opened.
        Command::Bench(_) => Ok(()),
    }
}
