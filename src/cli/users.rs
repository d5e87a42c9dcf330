//! `users`: the people who sign in (on a server, everyone), and their roles.
//! Passwords come from the environment, never from the command line (where
//! other users of the PC could read them in the process list).

use clap::Subcommand;

use super::{output, Ctx};
use crate::say;
use houqin::auth::{self, Role};
use houqin::db::Db;
use houqin::{Error, Result};

#[derive(Subcommand)]
pub enum UsersCmd {
    /// 添加用户(新密码放在环境变量 HOUQIN_NEW_PASSWORD 中)
    Add {
        /// 用户名
        name: String,
        /// 角色:bursar(会计) | kitchen(食堂) | assets(资产) | head(园长) | admin(管理员)
        #[arg(long)]
        role: String,
    },
    /// 列出用户
    List,
    /// 停用用户(不能再登录;历史记录保留其姓名)
    Disable { name: String },
    /// 重新启用用户
    Enable { name: String },
    /// 修改密码(新密码在 HOUQIN_NEW_PASSWORD 中;改自己的密码时,原密码在 HOUQIN_PASSWORD 中)
    Password { name: String },
}

/// An environment variable that must hold a password.
pub fn password_from(var: &str, what: &str) -> Result<String> {
    match std::env::var(var) {
        Ok(p) if !p.is_empty() => Ok(p),
        _ => Err(Error::invalid(format!("请在环境变量 {var} 中提供{what}"))),
    }
}

pub fn run(db: &mut Db, ctx: &Ctx, cmd: UsersCmd) -> Result<()> {
    match cmd {
        UsersCmd::Add { name, role } => {
            let role = Role::parse(&role).ok_or_else(|| {
                Error::invalid(format!("角色“{role}”无效,应为 bursar、kitchen、assets、head 或 admin"))
            })?;
            let password = password_from("HOUQIN_NEW_PASSWORD", "新用户的密码")?;
            let id = auth::add_user(db, &name, role, &password)?;
            if ctx.json {
                output::json(&serde_json::json!({ "id": id, "name": name.trim(), "role": role }))
            } else {
                say!("已添加用户:{}({})", name.trim(), role.label());
                Ok(())
            }
        }
        UsersCmd::List => {
            let users = auth::list(db.conn())?;
            if ctx.json {
                return output::json(&users);
            }
            let rows = users
                .iter()
                .map(|u| {
                    vec![
                        u.name.clone(),
                        u.role_label.clone(),
                        if u.disabled { "已停用" } else { "正常" }.to_string(),
                        u.created_at.chars().take(16).collect(),
                        u.created_by.clone(),
                    ]
                })
                .collect::<Vec<_>>();
            output::table(&["用户名", "角色", "状态", "添加时间", "添加人"], &rows);
            Ok(())
        }
        UsersCmd::Disable { name } => {
            auth::set_disabled(db, &name, true)?;
            say!("已停用用户:{}", name.trim());
            Ok(())
        }
        UsersCmd::Enable { name } => {
            auth::set_disabled(db, &name, false)?;
            say!("已重新启用用户:{}", name.trim());
            Ok(())
        }
        UsersCmd::Password { name } => {
            let new = password_from("HOUQIN_NEW_PASSWORD", "新密码")?;
            let own = db.operator() == name.trim();
            let old = if own { Some(password_from("HOUQIN_PASSWORD", "原密码")?) } else { None };
            auth::change_password(db, &name, old.as_deref(), &new)?;
            say!("已修改 {} 的密码", name.trim());
            Ok(())
        }
    }
}
