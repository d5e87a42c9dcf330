//! The audit-trail viewer (设置 → 操作日志): the trail filtered by date, person
//! and kind of record, newest first, a page at a time, in the users' words;
//! and the same filtered list as an .xlsx file.
//!
//! Read-only by design: nothing here changes or deletes an entry. The trail
//! itself is written by [`crate::store::audit`] inside each change's transaction.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;

use crate::store::audit::{self, AuditEntry, AuditFilter};
use crate::store::Conn;
use crate::{Error, Result};

/// The most rows one page may ask for.
pub const MAX_PAGE: usize = 500;
/// The most rows an export writes (far beyond a school's year; a bound so a
/// mistaken filter cannot build a workbook that exhausts memory).
pub const MAX_EXPORT: usize = 200_000;

/// One entry as the screen and the export show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LogRow {
    pub id: i64,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    pub operator: String,
    pub entity: String,
    pub entity_label: String,
    pub entity_id: String,
    pub action: String,
    pub action_label: String,
    /// The values before and after, as stored (JSON text), for the detail view.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One page of the filtered trail.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LogPage {
    pub rows: Vec<LogRow>,
    /// How many entries the filter selects in all.
    pub total: i64,
    pub offset: usize,
    pub limit: usize,
}

/// A choice in a filter list: the stored code and what the screen shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AuditChoice"))]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// What the filter lists offer: the people and the kinds of record in the trail.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LogChoices {
    pub operators: Vec<String>,
    pub entities: Vec<Choice>,
}

/// A kind of record in the users' words (the stored code when unknown).
pub fn entity_label(entity: &str) -> &str {
    match entity {
        "absence" => "请假",
        "asset" => "固定资产",
        "asset_category" => "资产类别",
        "asset_disposal" => "资产报废",
        "asset_stocktake" => "资产盘点",
        "asset_stocktake_line" => "资产盘点明细",
        "calendar_day" => "校历",
        "child" => "幼儿",
        "class" => "班级",
        "closure" => "停课",
        "disinfection" => "餐具消毒",
        "fee_rules" => "收费项目与退费规则",
        "food_sample" => "食品留样",
        "fridge_reading" => "留样柜温度",
        "health_check" => "晨检",
        "meal_publication" => "伙食费公示",
        "meal_purchase" => "伙食账进货",
        "meal_stock_count" => "伙食账盘点",
        "menu" => "菜单",
        "notice" => "通知单",
        "payment" => "收款",
        "repair" => "报修",
        "school_profile" => "学校信息",
        "setting" => "设置",
        "settlement" => "月结",
        "staff" => "教职工",
        "stock_doc" => "出入库单",
        "supply_deposit" => "押金",
        "supply_item" => "物品",
        "supply_stocktake" => "物品盘点",
        "user" => "用户",
        other => other,
    }
}

/// What was done to a record of kind `entity`, in the users' words (the
/// stored code when unknown). A few codes mean different things per kind
/// (`issue`: a notice is 开具, a stock document is 领用出库).
pub fn action_label<'a>(entity: &str, action: &'a str) -> &'a str {
    match (entity, action) {
        ("stock_doc", "issue") => return "领用出库",
        ("notice", "issue") => return "开具",
        ("asset", "status") => return "改状态",
        ("asset_stocktake", "start") => return "开始盘点",
        ("repair", "report") => return "报修",
        ("repair", "assign") => return "派工",
        ("repair", "visit") => return "上门",
        ("repair", "close") => return "完工",
        ("repair", "confirm") => return "确认修好",
        ("repair", "cancel") => return "撤销",
        _ => {}
    }
    match action {
        "create" | "add" | "insert" => "新增",
        "update" | "edit" => "修改",
        "delete" | "remove" => "删除",
        "set" => "设置",
        "save" => "保存",
        "clear" => "清除",
        "confirm" => "结账",
        "reopen" => "重新打开",
        "disable" | "deactivate" => "停用",
        "enable" | "activate" => "启用",
        "archive" => "归档",
        "password" | "reset" => "修改密码",
        "publish" => "公示",
        "withdraw" => "撤销公示",
        "print" | "issue" => "打印",
        "reprint" => "重打",
        "reverse" | "reversal" => "冲销",
        "discard" => "到期处理",
        "move" | "move_class" => "调班",
        "leave" => "离园",
        "undo_leave" => "撤销离园",
        "import" => "导入",
        "start" | "open" => "开始",
        "finish" => "结束",
        "cancel" => "取消",
        "request" => "申请",
        "approve" => "批准",
        "reject" => "驳回",
        "dispose" => "报废",
        "off_books" | "write_off" => "核销",
        "transfer" => "调拨",
        "handover_start" => "开始交接",
        "handover_finish" | "handover_end" => "完成交接",
        "scan" => "扫码盘点",
        "surplus" => "盘盈",
        "delete_surplus" => "删除盘盈",
        "adjust" => "盘点调整",
        "room_done" => "房间盘完",
        "room_reopen" => "房间重新盘点",
        "mark" => "登记",
        "receipt" => "入库",
        "stocktake" => "盘点",
        "lend" => "借出",
        "return" => "归还",
        "deposit" => "收押金",
        "restore" => "恢复备份",
        "status" => "改状态",
        other => other,
    }
}

fn row(e: AuditEntry) -> LogRow {
    // Stored to the microsecond; a person reads seconds.
    let at = e.at.get(..19).unwrap_or(&e.at).replace('T', " ");
    LogRow {
        id: e.id,
        at,
        entity_label: entity_label(&e.entity).to_string(),
        action_label: action_label(&e.entity, &e.action).to_string(),
        operator: e.operator,
        entity: e.entity,
        entity_id: e.entity_id,
        action: e.action,
        before: e.before.map(|v| v.to_string()),
        after: e.after.map(|v| v.to_string()),
    }
}

fn check(filter: &AuditFilter) -> Result<()> {
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if from > to {
            return Err(Error::invalid(format!("开始日期 {from} 晚于结束日期 {to},请重新选择日期范围")));
        }
    }
    Ok(())
}

/// One page of the entries `filter` selects, newest first (`limit` at most [`MAX_PAGE`]).
pub fn page(conn: &Conn, filter: &AuditFilter, offset: usize, limit: usize) -> Result<LogPage> {
    check(filter)?;
    let limit = limit.clamp(1, MAX_PAGE);
    let total = audit::count(conn, filter)?;
    let rows = audit::search(conn, filter, limit, offset)?.into_iter().map(row).collect();
    Ok(LogPage { rows, total, offset, limit })
}

/// The people and kinds of record the filter can pick.
pub fn choices(conn: &Conn) -> Result<LogChoices> {
    let mut entities: Vec<Choice> =
        audit::entities(conn)?.into_iter().map(|e| Choice { label: entity_label(&e).to_string(), value: e }).collect();
    entities.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(LogChoices { operators: audit::operators(conn)?, entities })
}

/// Writes every entry `filter` selects (newest first) to an .xlsx file at
/// `path`, whole or not at all. Returns how many rows were written.
pub fn export_xlsx(conn: &Conn, filter: &AuditFilter, path: &Path) -> Result<usize> {
    check(filter)?;
    crate::output_file::check_target(path)?;
    let rows: Vec<LogRow> = audit::search(conn, filter, MAX_EXPORT, 0)?.into_iter().map(row).collect();
    let bytes = workbook(&rows, filter)?;
    crate::output_file::write_bytes_atomic(path, &bytes)?;
    Ok(rows.len())
}

fn workbook(rows: &[LogRow], filter: &AuditFilter) -> Result<Vec<u8>> {
    let xlsx = |e: XlsxError| Error::invalid(format!("生成 Excel 文件失败:{e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name("操作日志").map_err(xlsx)?;
    let range = match (filter.from, filter.to) {
        (None, None) => "全部日期".to_string(),
        (from, to) => format!(
            "{} 至 {}",
            from.map(|d| d.to_string()).unwrap_or_else(|| "最早".into()),
            to.map(|d| d.to_string()).unwrap_or_else(|| "今天".into())
        ),
    };
    let who = filter.operator.as_deref().filter(|s| !s.trim().is_empty()).unwrap_or("全部人员");
    let kind = filter.entity.as_deref().filter(|s| !s.trim().is_empty()).map(entity_label).unwrap_or("全部类型");
    sheet
        .write_string_with_format(0, 0, format!("操作日志:{range};{who};{kind};共 {} 条", rows.len()), &bold)
        .map_err(xlsx)?;
    let headers = ["时间", "操作人", "记录类型", "记录编号", "操作", "修改前", "修改后"];
    let widths = [20.0, 12.0, 14.0, 12.0, 10.0, 50.0, 50.0];
    for (c, (h, w)) in headers.iter().zip(widths).enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(1, c, *h, &bold).map_err(xlsx)?;
        sheet.set_column_width(c, w).map_err(xlsx)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let y = i as u32 + 2;
        let cells = [
            r.at.as_str(),
            r.operator.as_str(),
            r.entity_label.as_str(),
            r.entity_id.as_str(),
            r.action_label.as_str(),
            r.before.as_deref().unwrap_or(""),
            r.after.as_deref().unwrap_or(""),
        ];
        for (c, v) in cells.iter().enumerate() {
            // Excel holds at most 32,767 characters in a cell.
            let v: String = v.chars().take(32_000).collect();
            sheet.write_string_with_format(y, c as u16, v, &text).map_err(xlsx)?;
        }
    }
    sheet.set_freeze_panes(2, 0).map_err(xlsx)?;
    book.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args;
    use crate::db::Db;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    /// Entries at fixed times (the trail stamps "now" when written by a change).
    fn seed(db: &Db) {
        let rows = [
            ("2026-03-01 08:00:00", "李会计", "absence", "create"),
            ("2026-03-01 23:59:59.5", "张厨师", "food_sample", "create"),
            ("2026-03-02 00:00:00", "李会计", "settlement", "confirm"),
            ("2026-03-05 10:00:00", "王园长", "settlement", "reopen"),
            ("2026-03-06 09:00:00", "李会计", "absence", "delete"),
        ];
        for (at, who, entity, action) in rows {
            let at = crate::store::value::parse_iso_datetime(at).expect("time");
            db.conn()
                .exec(
                    "INSERT INTO audit_log (at, operator, entity, entity_id, action, before, after)
                     VALUES (?1, ?2, ?3, '7', ?4, NULL, ?5)",
                    &args![at, who, entity, action, "{\"days\":2}"],
                )
                .expect("insert");
        }
    }

    // Regression: the viewer showed stored codes (receipt, stocktake, scan,
    // mark, …) for most of the demo's changes, and 打印 for a stock issue.
    #[test]
    fn every_change_the_demo_makes_reads_in_chinese() {
        // The demo touches areas still on SQLite only: an in-memory file.
        let mut db = Db::open_in_memory().expect("db");
        crate::demo::load(&mut db, d("2026-03-18")).expect("demo");
        let all = page(db.conn(), &AuditFilter::default(), 0, 100_000).expect("all");
        assert!(all.total > 100, "{}", all.total);
        for r in &all.rows {
            for label in [&r.entity_label, &r.action_label] {
                assert!(!label.chars().any(|c| c.is_ascii_alphabetic()), "{} {} shows as {label}", r.entity, r.action);
            }
        }
        assert_eq!(action_label("stock_doc", "issue"), "领用出库");
        assert_eq!(action_label("notice", "issue"), "开具");
    }

    fn ids(p: &LogPage) -> Vec<(String, String)> {
        p.rows.iter().map(|r| (r.at.clone(), r.operator.clone())).collect()
    }

    #[test]
    fn the_trail_filters_by_date_person_and_kind_newest_first_and_pages() {
        let db = Db::open_scratch().expect("db");
        seed(&db);
        let all = page(db.conn(), &AuditFilter::default(), 0, 50).expect("all");
        assert_eq!(all.total, 5);
        assert_eq!(all.rows[0].at, "2026-03-06 09:00:00", "newest first");
        assert_eq!(all.rows[4].at, "2026-03-01 08:00:00");

        // One day, to its last instant (23:59:59.5 is in; the next midnight is not).
        let day = AuditFilter { from: Some(d("2026-03-01")), to: Some(d("2026-03-01")), ..Default::default() };
        let p = page(db.conn(), &day, 0, 50).expect("day");
        assert_eq!(
            ids(&p),
            vec![("2026-03-01 23:59:59".into(), "张厨师".into()), ("2026-03-01 08:00:00".into(), "李会计".into())]
        );

        let bursar = AuditFilter { operator: Some("李会计".into()), ..Default::default() };
        assert_eq!(page(db.conn(), &bursar, 0, 50).expect("who").total, 3);
        let settled =
            AuditFilter { entity: Some("settlement".into()), from: Some(d("2026-03-02")), ..Default::default() };
        let p = page(db.conn(), &settled, 0, 50).expect("kind");
        assert_eq!(p.total, 2);
        assert_eq!(p.rows[0].entity_label, "月结");
        assert_eq!(p.rows[0].action_label, "重新打开");
        assert_eq!(p.rows[0].after.as_deref(), Some("{\"days\":2}"));
        // An empty person is no filter (the screen's 全部人员).
        let blank = AuditFilter { operator: Some(" ".into()), ..Default::default() };
        assert_eq!(page(db.conn(), &blank, 0, 50).expect("blank").total, 5);

        // Pages of two: 2 + 2 + 1, no entry twice.
        let pages: Vec<LogPage> =
            [0, 2, 4].iter().map(|&o| page(db.conn(), &AuditFilter::default(), o, 2).expect("page")).collect();
        assert_eq!(pages.iter().map(|p| p.rows.len()).collect::<Vec<_>>(), vec![2, 2, 1]);
        let mut seen: Vec<i64> = pages.iter().flat_map(|p| p.rows.iter().map(|r| r.id)).collect();
        seen.dedup();
        assert_eq!(seen.len(), 5);

        let backwards = AuditFilter { from: Some(d("2026-03-05")), to: Some(d("2026-03-01")), ..Default::default() };
        assert!(page(db.conn(), &backwards, 0, 50).expect_err("refused").to_string().contains("晚于"));

        let c = choices(db.conn()).expect("choices");
        assert_eq!(c.operators, vec!["张厨师", "李会计", "王园长"].into_iter().map(String::from).collect::<Vec<_>>());
        assert!(c.entities.iter().any(|e| e.value == "food_sample" && e.label == "食品留样"));
    }

    #[test]
    fn the_export_writes_the_filtered_rows_whole() {
        let db = Db::open_scratch().expect("db");
        seed(&db);
        let dir = std::env::temp_dir().join(format!("houqin-audit-xlsx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("操作日志.xlsx");
        let filter = AuditFilter { operator: Some("李会计".into()), ..Default::default() };
        assert_eq!(export_xlsx(db.conn(), &filter, &path).expect("export"), 3);
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(&bytes[..2], b"PK");
        // A folder that does not exist: refused, nothing written.
        let err = export_xlsx(db.conn(), &filter, &dir.join("无此文件夹").join("x.xlsx")).expect_err("no folder");
        assert!(err.to_string().contains("不存在"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
