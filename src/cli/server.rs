//! `server push` / `server pull`: moving a school between a local file and a
//! school's PostgreSQL server.

use clap::Subcommand;
use std::path::PathBuf;

use super::{output, users, Ctx};
use crate::say;
use houqin::db::Db;
use houqin::store::copy::TableCount;
use houqin::{server, Result};

#[derive(Subcommand)]
pub enum ServerCmd {
    /// 把本机的数据库文件上传到空的服务器数据库(--db postgres://…),核对每张表的行数和金额
    Push {
        /// 本机的数据库文件(houqin.db)
        file: PathBuf,
        /// 文件里没有用户时,在服务器上创建的第一位管理员(密码在 HOUQIN_PASSWORD 中)
        #[arg(long, value_name = "NAME")]
        admin: Option<String>,
    },
    /// 把数据库(--db)完整复制到一个新的本机文件,核对每张表的行数和金额
    Pull {
        /// 新文件的路径(不能已存在)
        file: PathBuf,
    },
}

fn report(ctx: &Ctx, what: &str, counts: &[TableCount]) -> Result<()> {
    if ctx.json {
        return output::json(&serde_json::json!({ "tables": counts }));
    }
    let rows: Vec<Vec<String>> = counts
        .iter()
        .filter(|c| c.rows > 0)
        .map(|c| vec![c.table.clone(), c.rows.to_string(), houqin::Fen(c.money_fen).to_string()])
        .collect();
    output::table(&["表", "行数", "金额合计"], &rows);
    say!("{what}:{} 张表的行数和金额两边一致", counts.len());
    Ok(())
}

/// `push` runs before anyone can sign in: the server is still empty.
pub fn push(server: &mut Db, ctx: &Ctx, file: PathBuf, admin: Option<String>) -> Result<()> {
    let password = match &admin {
        Some(_) => Some(users::password_from("HOUQIN_PASSWORD", "第一位管理员的密码")?),
        None => None,
    };
    let admin = admin.as_deref().zip(password.as_deref());
    let counts = server::push(&file, server, admin)?;
    report(ctx, &format!("已上传到 {}", server.location()), &counts)
}

pub fn pull(db: &Db, ctx: &Ctx, file: PathBuf) -> Result<()> {
    let counts = server::pull(db, &file)?;
    report(ctx, &format!("已复制到 {}", file.display()), &counts)
}
