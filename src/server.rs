//! Moving a school between a local file and a server (服务器模式): `push`
//! copies an SQLite file onto an empty PostgreSQL database, `pull` copies a
//! database into a new SQLite file. Both check every table's row count and
//! money total before they commit, and write whole or not at all.

use std::path::{Path, PathBuf};

use crate::auth::{self, Job};
use crate::db::Db;
use crate::store::copy::{self, TableCount};
use crate::{Error, Result};

/// Copies the school in the SQLite file `file` onto `server`, which must hold
/// no school yet. If the file has no users (it was used without sign-in),
/// `admin` (name, password) becomes the server's first administrator.
pub fn push(file: &Path, server: &mut Db, admin: Option<(&str, &str)>) -> Result<Vec<TableCount>> {
    if !file.is_file() {
        return Err(Error::not_found("数据库文件", file.display()));
    }
    if !copy::is_empty(server.conn())? {
        return Err(Error::conflict(format!(
            "服务器数据库 {} 里已经有数据:只能上传到空的数据库。请新建一个数据库,或换一个 schema",
            server.location()
        )));
    }
    let source = Db::open(file)?;
    // Checked before anything is copied: a push that then failed for want of
    // an administrator would report failure for a copy it had made.
    if admin.is_none() && auth::user_count(source.conn())? == 0 {
        return Err(Error::invalid(
            "这个学校文件里还没有用户,上传后没有人能登录服务器:请加 --admin 姓名(密码在 HOUQIN_PASSWORD 中),\
             上传时创建第一位管理员。什么都没有上传。",
        ));
    }
    let report = source.read(|from| server.with_tx_unchecked(|tx| copy::copy_all(from, tx)))?;
    // The tables arrived all at once: let the server plan with their sizes.
    server.conn().refresh_statistics()?;
    if auth::user_count(server.conn())? == 0 {
        if let Some((name, password)) = admin {
            server.set_operator(name);
            auth::create_first_admin(server, name, password)?;
        }
    }
    Ok(report)
}

/// Copies the whole of `source` into a new SQLite file `file` (which must not
/// exist), written to a temporary file beside it and renamed into place.
pub fn pull(source: &Db, file: &Path) -> Result<Vec<TableCount>> {
    source.require(Job::Maintenance)?;
    if file.exists() {
        return Err(Error::conflict(format!("文件 {} 已存在:请换一个文件名", file.display())));
    }
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::not_found("文件夹", dir.display()));
    }
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "houqin.db".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut target = Db::open(&tmp)?;
        target.set_operator(source.operator());
        let report = source.read(|from| target.with_tx_unchecked(|tx| copy::copy_all(from, tx)))?;
        drop(target);
        std::fs::rename(&tmp, file)?;
        Ok(report)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!(".{name}.{}.tmp{suffix}", std::process::id())));
    }
    result
}
