//! `backup create | list | restore`.

use clap::Subcommand;
use std::path::PathBuf;

use super::{output, Ctx};
use crate::say;
use houqin::backup::{self, Reason};
use houqin::db::Db;
use houqin::Result;

#[derive(Subcommand)]
pub enum BackupCmd {
    /// 立即备份(默认放在数据库旁的 backups 文件夹;--to 指定其他文件夹,如 U 盘)
    Create {
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
    /// 列出备份(新的在前)
    List,
    /// 用备份文件恢复数据库(先检查文件;被替换的数据库另存一份)
    Restore { file: PathBuf },
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

pub fn run(db: &mut Db, ctx: &Ctx, cmd: BackupCmd) -> Result<()> {
    match cmd {
        BackupCmd::Create { to } => {
            let b = backup::create(db, Reason::Manual, to.as_deref())?;
            if ctx.json {
                output::json(&serde_json::json!({ "path": b.path, "size_bytes": b.size_bytes }))
            } else {
                say!("已备份到:{}({})", b.path, size(b.size_bytes));
                Ok(())
            }
        }
        BackupCmd::List => {
            let list = backup::list(db)?;
            if ctx.json {
                return output::json(&list);
            }
            if list.is_empty() {
                say!("还没有备份({})", backup::dir_for(db).display());
                return Ok(());
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|b| vec![b.created_at.clone(), b.reason_label.clone(), size(b.size_bytes), b.path.clone()])
                .collect();
            output::table(&["时间", "原因", "大小", "文件"], &rows);
            Ok(())
        }
        // Handled before the database is opened: a damaged file must be restorable.
        BackupCmd::Restore { .. } => Ok(()),
    }
}

/// Restores a local database file from `file` without opening it first (it
/// may be the damaged one).
pub fn restore(ctx: &Ctx, db_path: PathBuf, file: PathBuf) -> Result<()> {
    let r = backup::restore(&db_path, &file)?;
    if ctx.json {
        return output::json(&r);
    }
    say!("已用 {} 恢复数据库 {}", r.restored_from, db_path.display());
    if let Some(kept) = &r.kept {
        say!("被替换的数据库另存为:{kept}");
    }
    Ok(())
}
