//! Backups (数据备份) and restores.
//!
//! A local database is copied with SQLite's online backup API into a
//! `backups/` folder beside it: automatically on the first start of each day
//! and before every migration, restore, month close, reopen, import and
//! stocktake finish; by hand at any time, also to a folder of the user's
//! choice (a USB stick). Automatic copies are kept for
//! [`KEEP_DAILY_DEFAULT`] days and then one a month for
//! [`KEEP_MONTHLY_DEFAULT`] months (settings); copies made by hand are never
//! deleted. A server's backup is a whole copy into a local file (the same copy
//! as `server pull`); its regular backups are the server's own `pg_dump`
//! schedule (README), so PCs on a server make no automatic copies.
//!
//! A restore checks the file first (SQLite's integrity check, a Houqin
//! database, a schema not newer than this program) and changes nothing when
//! it refuses; it keeps a copy of the database it replaces.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDateTime};
use serde::Serialize;

use crate::auth::Job;
use crate::db::Db;
use crate::store::sqlite::Sqlite;
use crate::store::{migrate, schema, Conn};
use crate::{Error, Result};

/// How many days of automatic backups are kept whole (setting `backup.keep_daily`).
pub const KEEP_DAILY_DEFAULT: u32 = 14;
/// How many months keep their newest automatic backup (setting `backup.keep_monthly`).
pub const KEEP_MONTHLY_DEFAULT: u32 = 12;
const KEEP_DAILY: &str = "backup.keep_daily";
const KEEP_MONTHLY: &str = "backup.keep_monthly";
/// When a copy last went to a folder the user chose (off this PC, we hope).
const LAST_OFFSITE: &str = "backup.last_offsite";

/// Why a copy was made; part of its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Daily,
    Manual,
    Migration,
    Restore,
    MonthClose,
    Reopen,
    Import,
    Stocktake,
}

impl Reason {
    const ALL: [Reason; 8] = [
        Reason::Daily,
        Reason::Manual,
        Reason::Migration,
        Reason::Restore,
        Reason::MonthClose,
        Reason::Reopen,
        Reason::Import,
        Reason::Stocktake,
    ];

    fn code(self) -> &'static str {
        match self {
            Reason::Daily => "daily",
            Reason::Manual => "manual",
            Reason::Migration => "before-upgrade",
            Reason::Restore => "before-restore",
            Reason::MonthClose => "before-month-close",
            Reason::Reopen => "before-reopen",
            Reason::Import => "before-import",
            Reason::Stocktake => "before-stocktake-finish",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Reason::Daily => "每日自动备份",
            Reason::Manual => "手动备份",
            Reason::Migration => "升级前",
            Reason::Restore => "恢复前",
            Reason::MonthClose => "结账前",
            Reason::Reopen => "重新打开月份前",
            Reason::Import => "导入前",
            Reason::Stocktake => "盘点结束前",
        }
    }
}

/// One backup file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    pub created_at: String,
    pub reason: Reason,
    pub reason_label: String,
    pub size_bytes: u64,
    #[serde(skip)]
    at: NaiveDateTime,
}

const STAMP: &str = "%Y%m%d-%H%M%S";

/// The `backups/` folder beside a database file.
pub fn dir_beside(db_path: &Path) -> PathBuf {
    db_path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(".")).join("backups")
}

/// Where this database's backups go: beside the file, or for a server a
/// folder of its own in the user's data folder.
pub fn dir_for(db: &Db) -> PathBuf {
    match (db.path(), db.server()) {
        (Some(p), _) => dir_beside(p),
        (None, Some(server)) => {
            let slug: String = server
                .display()
                .trim_start_matches("postgres://")
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            crate::db::default_path().with_file_name("backups").join(slug)
        }
        (None, None) => std::env::temp_dir().join("houqin-backups"),
    }
}

fn stem(db: &Db) -> String {
    db.path().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "houqin".into())
}

fn parse_name(name: &str) -> Option<(NaiveDateTime, Reason)> {
    let base = name.strip_suffix(".db")?;
    Reason::ALL.into_iter().find_map(|r| {
        let rest = base.strip_suffix(&format!("-{}", r.code()))?;
        let stamp = rest.get(rest.len().checked_sub(15)?..)?;
        NaiveDateTime::parse_from_str(stamp, STAMP).ok().map(|t| (t, r))
    })
}

/// The backups in `dir`, newest first (files that are not ours are ignored).
pub fn list_dir(dir: &Path) -> Result<Vec<BackupInfo>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((at, reason)) = parse_name(&name) else { continue };
        out.push(BackupInfo {
            path: e.path().display().to_string(),
            file_name: name,
            created_at: at.format("%Y-%m-%d %H:%M:%S").to_string(),
            reason,
            reason_label: reason.label().to_string(),
            size_bytes: e.metadata().map(|m| m.len()).unwrap_or(0),
            at,
        });
    }
    out.sort_by(|a, b| b.at.cmp(&a.at).then(b.file_name.cmp(&a.file_name)));
    Ok(out)
}

/// This database's backups, newest first.
pub fn list(db: &Db) -> Result<Vec<BackupInfo>> {
    list_dir(&dir_for(db))
}

/// Makes a backup now, into `to` (a folder the user chose) or the backups folder.
pub fn create(db: &mut Db, reason: Reason, to: Option<&Path>) -> Result<BackupInfo> {
    let dir = to.map(Path::to_path_buf).unwrap_or_else(|| dir_for(db));
    std::fs::create_dir_all(&dir).map_err(|e| Error::invalid(format!("无法创建备份文件夹 {}:{e}", dir.display())))?;
    let now = crate::dates::now();
    let name = format!("{}-{}-{}.db", stem(db), now.format(STAMP), reason.code());
    let path = match db.conn() {
        Conn::Sqlite(sqlite) => {
            // Two PCs (or two windows) backing up one file in the same second
            // each write their own temporary file, then take the first free
            // name without replacing the other's copy.
            let tmp = dir.join(format!(".{name}.{}-{}.tmp", std::process::id(), next_tmp()));
            let written = sqlite.backup_to(&tmp).map_err(Error::from).and_then(|()| claim_name(&tmp, &dir.join(&name)));
            let _ = std::fs::remove_file(&tmp);
            written?
        }
        Conn::Postgres(_) => {
            let path = unique(&dir.join(name));
            db.require(Job::Maintenance)?;
            crate::server::pull(db, &path)?;
            path
        }
    };
    if to.is_some() {
        crate::settings::set(db, LAST_OFFSITE, &now.format("%Y-%m-%d %H:%M:%S").to_string())?;
    } else {
        prune(db, &dir)?;
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(BackupInfo {
        path: path.display().to_string(),
        file_name,
        created_at: now.format("%Y-%m-%d %H:%M:%S").to_string(),
        reason,
        reason_label: reason.label().to_string(),
        size_bytes: size,
        at: now,
    })
}

/// A number no other backup of this process is using for its temporary file.
fn next_tmp() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Links the finished `tmp` under `wanted`, or `-2`, `-3`… when taken: a hard
/// link fails rather than replace a file, so two writers never take one name.
fn claim_name(tmp: &Path, wanted: &Path) -> Result<PathBuf> {
    let stem = wanted.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    for n in 1..1000 {
        let candidate = if n == 1 { wanted.to_path_buf() } else { wanted.with_file_name(format!("{stem}-{n}.db")) };
        match std::fs::hard_link(tmp, &candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::invalid(format!("备份文件夹 {} 中同名的备份太多", wanted.display())))
}

/// A name not taken yet (two backups in the same second get -2, -3…).
fn unique(path: &Path) -> PathBuf {
    if !path.exists() {
        return path.to_path_buf();
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    (2..).map(|n| path.with_file_name(format!("{stem}-{n}.db"))).find(|p| !p.exists()).unwrap_or_else(|| path.into())
}

/// Writes `path` through a temporary file beside it, renamed into place only
/// when complete: a failed copy leaves nothing behind.
fn write_whole(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let tmp = path.with_extension("db.tmp");
    let _ = std::fs::remove_file(&tmp);
    let result = write(&tmp).and_then(|()| Ok(std::fs::rename(&tmp, path)?));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The automatic copy before a risky change (month close, import…). Only for
/// a local file; a failure stops the change (the caller refuses it), since a
/// change we could not back up is a change we could not undo.
pub fn before(db: &mut Db, reason: Reason) -> Result<()> {
    if db.path().is_none() {
        return Ok(());
    }
    create(db, reason, None).map(|_| ()).map_err(|e| Error::invalid(format!("自动备份失败,本次操作没有进行:{e}")))
}

/// The first start of a day makes the day's copy (a local file only).
pub fn daily(db: &mut Db) -> Result<Option<BackupInfo>> {
    if db.path().is_none() {
        return Ok(None);
    }
    // A new, empty school has nothing to keep yet.
    if crate::store::children::count(db.conn())? == 0 && crate::store::profile::get(db.conn())?.is_none() {
        return Ok(None);
    }
    let today = crate::dates::today();
    if list(db)?.iter().any(|b| b.at.date() == today) {
        return Ok(None);
    }
    create(db, Reason::Daily, None).map(Some)
}

fn setting_u32(db: &Db, key: &str, default: u32) -> Result<u32> {
    Ok(crate::settings::get(db.conn(), key)?.and_then(|v| v.trim().parse().ok()).unwrap_or(default))
}

/// Deletes automatic copies past their keeping time: every copy of the last
/// `keep_daily` days stays, then the newest of each of the last
/// `keep_monthly` months. Copies made by hand stay.
fn prune(db: &Db, dir: &Path) -> Result<()> {
    let keep_daily = setting_u32(db, KEEP_DAILY, KEEP_DAILY_DEFAULT)?;
    let keep_monthly = setting_u32(db, KEEP_MONTHLY, KEEP_MONTHLY_DEFAULT)?;
    let today = crate::dates::today();
    let mut months_kept: Vec<(i32, u32)> = Vec::new();
    for b in list_dir(dir)? {
        if b.reason == Reason::Manual {
            continue;
        }
        let age_days = (today - b.at.date()).num_days();
        if age_days < i64::from(keep_daily) {
            continue;
        }
        let month = (b.at.year(), b.at.month());
        let months_ago = (today.year() - month.0) * 12 + today.month() as i32 - month.1 as i32;
        if months_ago < keep_monthly as i32 && !months_kept.contains(&month) {
            months_kept.push(month);
            continue;
        }
        let _ = std::fs::remove_file(&b.path);
    }
    Ok(())
}

/// When a copy last went to a folder the user chose, if ever.
pub fn last_offsite(conn: &Conn) -> Result<Option<String>> {
    crate::settings::get(conn, LAST_OFFSITE)
}

/// How long this PC's data may go without a copy leaving it (备份到… a USB
/// stick or another folder) before the home screen warns. A month: the
/// backups beside the database die with the PC's disk, and a month of work is
/// about what a school can still re-enter from its paper records. A constant,
/// not a setting: a school that would set it longer is the one that needs it.
pub const OFFSITE_WARN_DAYS: i64 = 30;

/// The home screen's line about backups.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupStatus {
    /// The newest backup of this database, if any.
    pub last: Option<BackupInfo>,
    /// Its age as a person says it: 今天 09:12, 昨天 18:05, 3 天前, 2026-10-01.
    pub last_age: Option<String>,
    /// When a copy last went to a folder the user chose.
    pub last_offsite: Option<String>,
    /// No copy has left this PC in [`OFFSITE_WARN_DAYS`] days (never, or too long ago).
    pub offsite_due: bool,
    /// On a server the server's own schedule keeps the backups (no warning here).
    pub server: bool,
    /// Where the automatic backups go.
    pub dir: String,
}

/// The state of this database's backups at `now`.
pub fn status(db: &Db, now: NaiveDateTime) -> Result<BackupStatus> {
    let last = list(db)?.into_iter().next();
    let last_offsite = last_offsite(db.conn())?;
    let server = db.server().is_some();
    let offsite_at = last_offsite.as_deref().and_then(crate::store::value::parse_iso_datetime);
    let offsite_due = !server && offsite_at.is_none_or(|t| (now - t).num_days() >= OFFSITE_WARN_DAYS);
    Ok(BackupStatus {
        last_age: last.as_ref().map(|b| age_label(b.at, now)),
        last,
        last_offsite,
        offsite_due,
        server,
        dir: dir_for(db).display().to_string(),
    })
}

/// `at` as a person says it, seen from `now`.
pub fn age_label(at: NaiveDateTime, now: NaiveDateTime) -> String {
    let days = (now.date() - at.date()).num_days();
    match days {
        0 => format!("今天 {}", at.format("%H:%M")),
        1 => format!("昨天 {}", at.format("%H:%M")),
        2..=30 => format!("{days} 天前({})", at.format("%m-%d %H:%M")),
        _ => at.format("%Y-%m-%d").to_string(),
    }
}

/// What a file checked for restoring holds.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedFile {
    pub path: String,
    pub schema_version: i64,
}

/// Whether `file` can be restored: SQLite's full integrity check passes, it
/// is a Houqin database with every table, at a schema this program knows.
pub fn check_file(file: &Path) -> Result<CheckedFile> {
    let refuse = |why: String| Error::invalid(format!("不能用 {} 恢复:{why}。没有做任何更改", file.display()));
    if !file.is_file() {
        return Err(refuse("文件不存在".into()));
    }
    let sqlite = Sqlite::open(file, true).map_err(|e| refuse(format!("不是数据库文件({e})")))?;
    let problems = sqlite.check(true, 10).map_err(|e| match e.kind {
        crate::store::StoreErrorKind::Corrupt => refuse(format!("文件已损坏({e})")),
        // SQLite's "not a database" already reads 不是数据库文件(…).
        _ if e.to_string().starts_with("不是数据库文件") => refuse(e.to_string()),
        _ => refuse(format!("不是数据库文件({e})")),
    })?;
    if !problems.is_empty() {
        return Err(refuse(format!("文件已损坏({})", problems.join(";"))));
    }
    let conn = Conn::Sqlite(sqlite);
    let version = migrate::recorded_version(&conn).map_err(|_| refuse("不是后勤程序的数据库".into()))?;
    if version > migrate::latest_version() {
        return Err(refuse(format!(
            "它的结构版本({version})比本程序支持的({})新,请先升级程序",
            migrate::latest_version()
        )));
    }
    if version == migrate::latest_version() {
        let missing = schema::problems(&conn)?;
        if !missing.is_empty() {
            return Err(refuse(format!("不是完整的后勤数据库({})", missing.join(";"))));
        }
    }
    Ok(CheckedFile { path: file.display().to_string(), schema_version: version })
}

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Restored {
    pub restored_from: String,
    /// The copy of the database that was replaced, if there was one to keep.
    pub kept: Option<String>,
}

/// Restores the database file `db_path` from `file` (for the command line and
/// for a damaged file that does not open). Another window that has the
/// database open sees the restored content: the pages are replaced under
/// SQLite's write lock, not the file under its feet.
pub fn restore(db_path: &Path, file: &Path) -> Result<Restored> {
    check_file(file)?;
    let dir = dir_beside(db_path);
    std::fs::create_dir_all(&dir)?;
    let kept = keep_current(db_path, &dir)?;
    let replaced = Sqlite::open(db_path, false).and_then(|mut s| s.restore_from(file));
    if replaced.is_err() {
        // Not even a database any more: put the backup in its place.
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(db_path, suffix));
        }
        write_whole(db_path, |tmp| Ok(std::fs::copy(file, tmp).map(|_| ())?))?;
    }
    // Brings an older backup up to this program's schema (copied aside first).
    drop(Db::open(db_path)?);
    Ok(Restored { restored_from: file.display().to_string(), kept: kept.map(|p| p.display().to_string()) })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// A copy of the database about to be replaced: through the backup API when
/// it still reads, else its raw files.
fn keep_current(db_path: &Path, dir: &Path) -> Result<Option<PathBuf>> {
    if !db_path.exists() {
        return Ok(None);
    }
    let stem = db_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "houqin".into());
    let now = crate::dates::now();
    let path = unique(&dir.join(format!("{stem}-{}-{}.db", now.format(STAMP), Reason::Restore.code())));
    let online = Sqlite::open(db_path, true).and_then(|s| s.backup_to(&path));
    if online.is_err() {
        let _ = std::fs::remove_file(&path);
        std::fs::copy(db_path, &path)?;
        for suffix in ["-wal", "-shm"] {
            let from = with_suffix(db_path, suffix);
            if from.exists() {
                std::fs::copy(&from, with_suffix(&path, suffix))?;
            }
        }
    }
    Ok(Some(path))
}

/// Whether the database file at `db_path` has a backup made today.
pub fn made_today(db_path: &Path) -> bool {
    let today = crate::dates::today();
    list_dir(&dir_beside(db_path)).is_ok_and(|l| l.iter().any(|b| b.at.date() == today))
}

/// The newest backup of a database file, if any (offered when it won't open).
pub fn latest_beside(db_path: &Path) -> Option<BackupInfo> {
    list_dir(&dir_beside(db_path)).ok().and_then(|l| l.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_time_and_the_reason() {
        let (at, r) = parse_name("houqin-20261203-124000-before-month-close.db").expect("ours");
        assert_eq!(r, Reason::MonthClose);
        assert_eq!(at.format("%Y-%m-%d %H:%M").to_string(), "2026-12-03 12:40");
        assert!(parse_name("houqin.db").is_none());
        assert!(parse_name("notes-manual.db").is_none());
        assert_eq!(parse_name("x-y-20261203-124000-manual.db").map(|p| p.1), Some(Reason::Manual));
    }

    #[test]
    fn the_age_of_a_backup_reads_as_a_person_says_it() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time");
        let now = t("2026-12-03 15:00");
        assert_eq!(age_label(t("2026-12-03 09:12"), now), "今天 09:12");
        assert_eq!(age_label(t("2026-12-02 23:59"), now), "昨天 23:59");
        assert_eq!(age_label(t("2026-11-30 08:00"), now), "3 天前(11-30 08:00)");
        assert_eq!(age_label(t("2026-10-01 08:00"), now), "2026-10-01");
    }

    #[test]
    fn the_home_screen_warns_when_no_copy_left_the_pc_for_a_month() {
        let dir = std::env::temp_dir().join(format!("houqin-backup-status-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut db = Db::open(&dir.join("houqin.db")).expect("open");
        let now = crate::dates::now();
        let s = status(&db, now).expect("status");
        assert!(s.last.is_none() && s.offsite_due, "never copied off the PC");
        create(&mut db, Reason::Manual, None).expect("local copy");
        let s = status(&db, now).expect("status");
        assert!(s.last_age.as_deref().is_some_and(|a| a.starts_with("今天")), "{:?}", s.last_age);
        assert!(s.offsite_due, "a copy beside the database does not leave the PC");
        create(&mut db, Reason::Manual, Some(&dir.join("usb"))).expect("to a folder");
        assert!(!status(&db, now).expect("status").offsite_due);
        // Count from the time the copy recorded (to the second, and possibly
        // a second after `now`), not from the test's clock.
        let copied = last_offsite(db.conn()).expect("read").expect("recorded");
        let copied = crate::store::value::parse_iso_datetime(&copied).expect("a time");
        let almost = copied + chrono::Duration::days(OFFSITE_WARN_DAYS) - chrono::Duration::seconds(1);
        assert!(!status(&db, almost).expect("status").offsite_due, "not yet a month");
        let later = copied + chrono::Duration::days(OFFSITE_WARN_DAYS);
        assert!(status(&db, later).expect("status").offsite_due, "a month later it warns again");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
