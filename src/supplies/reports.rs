//! Supplies reports: the balance (结存) with value, items at or under their
//! reorder level (需补货), the month's usage per class/department and per item
//! (领用统计), the month's stock report (物品收发存月报: opening, in, out,
//! other, closing per item), and all of them as one .xlsx workbook.
//!
//! Usage is what was issued in the month net of reversals of issues dated in
//! the month; loans against a deposit and stocktake differences are not usage
//! (the month report shows them under 其他). Values are the stored line values
//! of [`super::cost`]; nothing is re-rounded here.
//!
//! Deliberately out: budgets per class, and comparisons across years.

use std::collections::HashMap;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};

use super::cost::{self, Stock};
use super::deposits::{self, DepositFilter};
use super::items::SupplyItem;
use super::stock::{self, JournalFilter};
use super::{settings, SupplyItemId};
use crate::dates::YearMonth;
use crate::school::{classes, ClassId};
use crate::store::{self, Conn};
use crate::{Error, Fen, Result};

/// One item's balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BalanceRow {
    pub item: SupplyItem,
    /// 结存数量.
    pub qty: i64,
    /// 结存金额: quantity × moving average, exactly (see [`super::cost`]).
    pub value: Fen,
    /// 平均单价 for reading: value ÷ quantity, rounded half-up to the fen.
    pub avg_price: Fen,
    /// Units out on loan against a deposit (not in the balance).
    pub on_loan: i64,
    /// At or under the reorder level (and the level is set).
    pub below_reorder: bool,
}

/// The balance list and its totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BalanceReport {
    pub rows: Vec<BalanceRow>,
    /// Sum of the values.
    pub total_value: Fen,
    /// Items shown.
    pub items: usize,
    /// Items at or under their reorder level (among those shown).
    pub below: usize,
}

/// Which items the balance list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct BalanceFilter {
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub category: Option<String>,
    /// Name, code, spec or location containing this.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub search: Option<String>,
    /// Only items at or under their reorder level.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub below_only: bool,
    /// Include archived items.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub include_archived: bool,
}

/// The balance of every item now (all movements), by category then name.
pub fn balance(conn: &Conn, f: &BalanceFilter) -> Result<BalanceReport> {
    let totals: HashMap<SupplyItemId, Stock> = store::supplies::movements::stock_per_item(conn)?.into_iter().collect();
    let loans: HashMap<SupplyItemId, i64> = store::supplies::deposits::on_loan_per_item(conn)?.into_iter().collect();
    let items = super::items::list(
        conn,
        &super::items::ItemFilter {
            category: f.category.clone(),
            search: f.search.clone(),
            include_archived: f.include_archived,
        },
    )?;
    let mut rows = Vec::with_capacity(items.len());
    for item in items {
        let Stock { qty, value } = totals.get(&item.id).copied().unwrap_or_default();
        let below = item.reorder_level > 0 && qty <= item.reorder_level && !item.archived;
        if f.below_only && !below {
            continue;
        }
        let on_loan = loans.get(&item.id).copied().unwrap_or(0);
        rows.push(BalanceRow {
            avg_price: Fen(cost::average_price(Stock { qty, value })),
            qty,
            value: Fen(value),
            on_loan,
            below_reorder: below,
            item,
        });
    }
    Ok(BalanceReport {
        total_value: rows.iter().map(|r| r.value).sum(),
        items: rows.len(),
        below: rows.iter().filter(|r| r.below_reorder).count(),
        rows,
    })
}

/// Usage of one class or department in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeptUsage {
    /// The class's name today, or the department as written on the slips.
    pub department: String,
    pub class_id: Option<ClassId>,
    /// Issue slips dated in the month.
    pub slips: i64,
    /// Value issued, net of reversals.
    pub value: Fen,
}

/// Usage of one item in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemUsage {
    pub item_id: SupplyItemId,
    /// 名称(规格).
    pub item: String,
    pub category: String,
    pub unit: String,
    /// Units issued, net of reversals.
    pub qty: i64,
    pub value: Fen,
}

/// One item for one class/department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UsageCell {
    pub department: String,
    pub item_id: SupplyItemId,
    pub qty: i64,
    pub value: Fen,
}

/// The month's usage (领用统计).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UsageReport {
    pub month: YearMonth,
    /// Every class (also those that took nothing), then departments that took something.
    pub by_department: Vec<DeptUsage>,
    /// Items issued, most valuable first.
    pub by_item: Vec<ItemUsage>,
    /// Item × class/department, for the detail table.
    pub cells: Vec<UsageCell>,
    pub total_value: Fen,
    /// Issue slips dated in the month.
    pub slips: i64,
}

/// The usage of `month` per class/department and per item.
///
/// Two grouped queries (item × class/department, and slips per
/// class/department) and one read of the catalogue's names: the month's
/// movements are summed by the database, and rows are matched to their department
/// by index, not by name, so a month of 4,000 lines stays a few milliseconds.
pub fn usage(conn: &Conn, month: YearMonth) -> Result<UsageReport> {
    let (from, to) = (month.first_day(), month.last_day());
    let class_list = classes::list(conn)?;
    let mut dept: Vec<DeptUsage> = class_list
        .iter()
        .map(|c| DeptUsage { department: c.name.clone(), class_id: Some(c.id), slips: 0, value: Fen::ZERO })
        .collect();
    // A slip to a class counts for the class under its name today; a slip to a
    // department (or to a class since deleted) under the name on the slip.
    let class_at: HashMap<ClassId, usize> = class_list.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut name_at: HashMap<String, usize> = dept.iter().enumerate().map(|(i, d)| (d.department.clone(), i)).collect();
    let mut dept_of = |dept: &mut Vec<DeptUsage>, class_id: Option<ClassId>, department: &str| -> usize {
        if let Some(&i) = class_id.and_then(|c| class_at.get(&c)) {
            return i;
        }
        if let Some(&i) = name_at.get(department) {
            return i;
        }
        dept.push(DeptUsage { department: department.to_string(), class_id, slips: 0, value: Fen::ZERO });
        name_at.insert(department.to_string(), dept.len() - 1);
        dept.len() - 1
    };

    let mut cells: Vec<(usize, UsageCell)> = Vec::new();
    let mut cell_at: HashMap<(usize, SupplyItemId), usize> = HashMap::new();
    let mut items: HashMap<SupplyItemId, (i64, i64)> = HashMap::new();
    store::supplies::reports::each_usage(conn, from, to, |u| {
        if u.qty == 0 && u.value == 0 {
            return Ok(());
        }
        let d = dept_of(&mut dept, u.class_id, u.department);
        let e = items.entry(u.item_id).or_insert((0, 0));
        e.0 += u.qty;
        e.1 += u.value;
        dept[d].value += Fen(u.value);
        match cell_at.get(&(d, u.item_id)) {
            // A class renamed since: two names on the slips, one class.
            Some(&i) => {
                cells[i].1.qty += u.qty;
                cells[i].1.value += Fen(u.value);
            }
            None => {
                cell_at.insert((d, u.item_id), cells.len());
                let department = dept[d].department.clone();
                cells.push((d, UsageCell { department, item_id: u.item_id, qty: u.qty, value: Fen(u.value) }));
            }
        }
        Ok(())
    })?;
    let mut slips = 0;
    for (class_id, department, n) in store::supplies::reports::slips(conn, from, to)? {
        slips += n;
        let d = dept_of(&mut dept, class_id, &department);
        dept[d].slips += n;
    }

    let mut by_item = Vec::with_capacity(items.len());
    if !items.is_empty() {
        for l in store::supplies::reports::item_labels(conn, |id| items.contains_key(&id))? {
            let Some(&(qty, value)) = items.get(&l.id) else { continue };
            by_item.push(ItemUsage {
                item_id: l.id,
                item: super::name_with_spec(l.name, &l.spec),
                category: l.category,
                unit: l.unit,
                qty,
                value: Fen(value),
            });
        }
    }
    by_item.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.item.cmp(&b.item)));

    // Classes first in their order, then departments in the school's list order.
    let order = settings::options(conn)?.departments;
    let n_classes = class_list.len();
    let mut shown: Vec<usize> = (0..dept.len()).collect();
    shown[n_classes..].sort_by_key(|&i| {
        (order.iter().position(|o| *o == dept[i].department).unwrap_or(usize::MAX), dept[i].department.clone())
    });
    let mut dept_rank = vec![0; dept.len()];
    for (rank, &i) in shown.iter().enumerate() {
        dept_rank[i] = rank;
    }
    let item_rank: HashMap<SupplyItemId, usize> = by_item.iter().enumerate().map(|(i, u)| (u.item_id, i)).collect();
    cells.sort_by_key(|(d, c)| (dept_rank[*d], item_rank.get(&c.item_id).copied()));
    let mut by_department: Vec<Option<DeptUsage>> = dept.into_iter().map(Some).collect();
    let by_department: Vec<DeptUsage> = shown.iter().filter_map(|&i| by_department[i].take()).collect();
    Ok(UsageReport {
        month,
        total_value: by_department.iter().map(|d| d.value).sum(),
        by_department,
        by_item,
        cells: cells.into_iter().map(|(_, c)| c).collect(),
        slips,
    })
}

/// One item's line of the month's stock report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthRow {
    pub item_id: SupplyItemId,
    pub item: String,
    pub category: String,
    pub unit: String,
    /// 期初 (quantity, value in fen).
    pub opening: (i64, Fen),
    /// 本月入库, net of reversed receipts.
    pub received: (i64, Fen),
    /// 本月领用, net of reversed issues.
    pub issued: (i64, Fen),
    /// 其他: stocktake differences and loans (− out, + back).
    pub other: (i64, Fen),
    /// 期末.
    pub closing: (i64, Fen),
}

/// The month's stock report (物品收发存月报).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthReport {
    pub month: YearMonth,
    /// Items with a balance or a movement in the month, by category then name.
    pub rows: Vec<MonthRow>,
    /// Column totals (quantities of different units are not added: 0).
    pub totals: MonthRow,
    pub usage: UsageReport,
    /// Items at or under their reorder level at the end of the month.
    pub below: Vec<(String, String, i64, i64)>,
}

/// Opening, in, out, other and closing per item for `month`.
pub fn month_report(conn: &Conn, month: YearMonth) -> Result<MonthReport> {
    let (from, to) = (month.first_day(), month.last_day());
    let mut rows = Vec::new();
    let mut below = Vec::new();
    for m in store::supplies::reports::month(conn, from, to)? {
        let fen = |(q, v): (i64, i64)| (q, Fen(v));
        let (opening, received, issued, other) = (fen(m.opening), fen(m.received), fen(m.issued), fen(m.other));
        let closing = (opening.0 + received.0 - issued.0 + other.0, opening.1 + received.1 - issued.1 + other.1);
        if opening.0 == 0 && closing.0 == 0 && m.lines == 0 {
            continue;
        }
        let l = m.item;
        let item = super::name_with_spec(l.name, &l.spec);
        if m.reorder_level > 0 && closing.0 <= m.reorder_level {
            below.push((item.clone(), l.unit.clone(), closing.0, m.reorder_level));
        }
        rows.push(MonthRow {
            item_id: l.id,
            item,
            category: l.category,
            unit: l.unit,
            opening,
            received,
            issued,
            other,
            closing,
        });
    }
    settings::sort_by_category(conn, &mut rows, |r| &r.category)?;
    let sum = |f: fn(&MonthRow) -> (i64, Fen)| (0, rows.iter().map(|r| f(r).1).sum::<Fen>());
    let totals = MonthRow {
        item_id: SupplyItemId(0),
        item: "合计".into(),
        category: String::new(),
        unit: String::new(),
        opening: sum(|r| r.opening),
        received: sum(|r| r.received),
        issued: sum(|r| r.issued),
        other: sum(|r| r.other),
        closing: sum(|r| r.closing),
    };
    Ok(MonthReport { month, rows, totals, usage: usage(conn, month)?, below })
}

// ------------------------------------------------------------ xlsx

fn xerr(e: XlsxError) -> Error {
    Error::invalid(format!("生成 Excel 文件失败:{e}"))
}

fn yuan(f: Fen) -> f64 {
    // Only the spreadsheet cell's number; every amount was computed in fen.
    f.0 as f64 / 100.0
}

fn header(ws: &mut Worksheet, row: u32, labels: &[&str], widths: &[f64], bold: &Format) -> Result<(), XlsxError> {
    for (c, (label, w)) in labels.iter().zip(widths).enumerate() {
        ws.write_string_with_format(row, c as u16, *label, bold)?;
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    Ok(())
}

/// Writes the supplies workbook for `month` to `path` (replacing it).
pub fn export_xlsx(conn: &Conn, month: YearMonth, path: &Path) -> Result<()> {
    crate::output_file::write_bytes_atomic(path, &export_xlsx_bytes(conn, month)?)
}

/// The workbook: 结存, 需补货, 领用(按班级部门), 领用(按物品), 收发存月报, 出入库流水, 押金未归还.
pub fn export_xlsx_bytes(conn: &Conn, month: YearMonth) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let text = Format::new().set_num_format("@");

    let bal = balance(conn, &BalanceFilter::default())?;
    for (name, only_below) in [("结存", false), ("需补货", true)] {
        let ws = wb.add_worksheet().set_name(name).map_err(xerr)?;
        header(
            ws,
            0,
            &[
                "物品编号",
                "物品名称",
                "规格型号",
                "类别",
                "单位",
                "结存数量",
                "平均单价(元)",
                "结存金额(元)",
                "库存下限",
                "借出",
                "存放位置",
            ],
            &[10.0, 16.0, 12.0, 10.0, 6.0, 10.0, 12.0, 12.0, 10.0, 6.0, 12.0],
            &bold,
        )
        .map_err(xerr)?;
        let mut row = 1;
        for r in bal.rows.iter().filter(|r| !only_below || r.below_reorder) {
            ws.write_string_with_format(row, 0, &r.item.code, &text).map_err(xerr)?;
            ws.write_string(row, 1, &r.item.name).map_err(xerr)?;
            ws.write_string(row, 2, &r.item.spec).map_err(xerr)?;
            ws.write_string(row, 3, &r.item.category).map_err(xerr)?;
            ws.write_string(row, 4, &r.item.unit).map_err(xerr)?;
            ws.write_number(row, 5, r.qty as f64).map_err(xerr)?;
            ws.write_number_with_format(row, 6, yuan(r.avg_price), &money).map_err(xerr)?;
            ws.write_number_with_format(row, 7, yuan(r.value), &money).map_err(xerr)?;
            ws.write_number(row, 8, r.item.reorder_level as f64).map_err(xerr)?;
            ws.write_number(row, 9, r.on_loan as f64).map_err(xerr)?;
            ws.write_string(row, 10, &r.item.location).map_err(xerr)?;
            row += 1;
        }
        if !only_below {
            ws.write_string_with_format(row, 1, "合计", &bold).map_err(xerr)?;
            ws.write_number_with_format(row, 7, yuan(bal.total_value), &money).map_err(xerr)?;
        }
    }

    let report = month_report(conn, month)?;
    let u = &report.usage;
    {
        let ws = wb.add_worksheet().set_name("领用-按班级部门").map_err(xerr)?;
        ws.write_string_with_format(0, 0, format!("{} 物品领用(按班级/部门)", month.label()), &bold).map_err(xerr)?;
        header(ws, 1, &["班级/部门", "领用单数", "领用金额(元)"], &[14.0, 10.0, 14.0], &bold).map_err(xerr)?;
        let mut row = 2;
        for d in &u.by_department {
            ws.write_string(row, 0, &d.department).map_err(xerr)?;
            ws.write_number(row, 1, d.slips as f64).map_err(xerr)?;
            ws.write_number_with_format(row, 2, yuan(d.value), &money).map_err(xerr)?;
            row += 1;
        }
        ws.write_string_with_format(row, 0, "合计", &bold).map_err(xerr)?;
        ws.write_number(row, 1, u.slips as f64).map_err(xerr)?;
        ws.write_number_with_format(row, 2, yuan(u.total_value), &money).map_err(xerr)?;
        row += 2;
        ws.write_string_with_format(row, 0, "明细", &bold).map_err(xerr)?;
        row += 1;
        for (c, h) in ["班级/部门", "物品", "单位", "数量", "金额(元)"].iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &bold).map_err(xerr)?;
        }
        row += 1;
        let names: HashMap<SupplyItemId, (&str, &str)> =
            u.by_item.iter().map(|i| (i.item_id, (i.item.as_str(), i.unit.as_str()))).collect();
        for c in &u.cells {
            let (item, unit) = names.get(&c.item_id).copied().unwrap_or(("", ""));
            ws.write_string(row, 0, &c.department).map_err(xerr)?;
            ws.write_string(row, 1, item).map_err(xerr)?;
            ws.write_string(row, 2, unit).map_err(xerr)?;
            ws.write_number(row, 3, c.qty as f64).map_err(xerr)?;
            ws.write_number_with_format(row, 4, yuan(c.value), &money).map_err(xerr)?;
            row += 1;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("领用-按物品").map_err(xerr)?;
        ws.write_string_with_format(0, 0, format!("{} 物品领用(按物品)", month.label()), &bold).map_err(xerr)?;
        header(ws, 1, &["物品", "类别", "单位", "领用数量", "领用金额(元)"], &[20.0, 10.0, 6.0, 10.0, 14.0], &bold)
            .map_err(xerr)?;
        for (i, it) in u.by_item.iter().enumerate() {
            let row = i as u32 + 2;
            ws.write_string(row, 0, &it.item).map_err(xerr)?;
            ws.write_string(row, 1, &it.category).map_err(xerr)?;
            ws.write_string(row, 2, &it.unit).map_err(xerr)?;
            ws.write_number(row, 3, it.qty as f64).map_err(xerr)?;
            ws.write_number_with_format(row, 4, yuan(it.value), &money).map_err(xerr)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("收发存月报").map_err(xerr)?;
        ws.write_string_with_format(0, 0, format!("{} 物品收发存月报", month.label()), &bold).map_err(xerr)?;
        header(
            ws,
            1,
            &[
                "物品",
                "类别",
                "单位",
                "期初数量",
                "期初金额",
                "入库数量",
                "入库金额",
                "领用数量",
                "领用金额",
                "其他数量",
                "其他金额",
                "期末数量",
                "期末金额",
            ],
            &[20.0, 10.0, 6.0, 9.0, 10.0, 9.0, 10.0, 9.0, 10.0, 9.0, 10.0, 9.0, 10.0],
            &bold,
        )
        .map_err(xerr)?;
        for (row, r) in (2u32..).zip(report.rows.iter().chain(std::iter::once(&report.totals))) {
            let total = r.item_id.0 == 0;
            ws.write_string_with_format(row, 0, &r.item, if total { &bold } else { &text }).map_err(xerr)?;
            ws.write_string(row, 1, &r.category).map_err(xerr)?;
            ws.write_string(row, 2, &r.unit).map_err(xerr)?;
            for (k, (q, v)) in [r.opening, r.received, r.issued, r.other, r.closing].iter().enumerate() {
                let col = 3 + 2 * k as u16;
                if !total {
                    ws.write_number(row, col, *q as f64).map_err(xerr)?;
                }
                ws.write_number_with_format(row, col + 1, yuan(*v), &money).map_err(xerr)?;
            }
        }
    }
    {
        let ws = wb.add_worksheet().set_name("出入库流水").map_err(xerr)?;
        header(
            ws,
            0,
            &[
                "日期",
                "单号",
                "类型",
                "物品",
                "单位",
                "入库",
                "出库",
                "单价(元)",
                "金额(元)",
                "班级/部门/供应商",
                "领用人",
                "以旧换新",
                "备注",
                "录入人",
                "录入时间",
                "已冲销",
            ],
            &[11.0, 13.0, 9.0, 18.0, 6.0, 7.0, 7.0, 9.0, 10.0, 14.0, 9.0, 8.0, 16.0, 9.0, 18.0, 7.0],
            &bold,
        )
        .map_err(xerr)?;
        let lines = stock::journal(
            conn,
            &JournalFilter {
                from: Some(month.first_day()),
                to: Some(month.last_day()),
                limit: Some(1_000_000),
                ..Default::default()
            },
        )?;
        for (i, l) in lines.iter().rev().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, l.date.to_string()).map_err(xerr)?;
            ws.write_string(row, 1, &l.number).map_err(xerr)?;
            ws.write_string(row, 2, &l.kind_label).map_err(xerr)?;
            ws.write_string(row, 3, &l.item).map_err(xerr)?;
            ws.write_string(row, 4, &l.unit).map_err(xerr)?;
            ws.write_number(row, 5, l.qty_in as f64).map_err(xerr)?;
            ws.write_number(row, 6, l.qty_out as f64).map_err(xerr)?;
            if let Some(p) = l.unit_price {
                ws.write_number_with_format(row, 7, yuan(p), &money).map_err(xerr)?;
            }
            ws.write_number_with_format(row, 8, yuan(l.value), &money).map_err(xerr)?;
            ws.write_string(row, 9, &l.party).map_err(xerr)?;
            ws.write_string(row, 10, &l.requester).map_err(xerr)?;
            if l.trade_in > 0 {
                ws.write_number(row, 11, l.trade_in as f64).map_err(xerr)?;
            }
            ws.write_string(row, 12, &l.note).map_err(xerr)?;
            ws.write_string(row, 13, &l.created_by).map_err(xerr)?;
            ws.write_string(row, 14, &l.created_at).map_err(xerr)?;
            ws.write_string(row, 15, if l.reversed { "是" } else { "" }).map_err(xerr)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("押金未归还").map_err(xerr)?;
        header(
            ws,
            0,
            &["借出单号", "借出日期", "物品", "数量", "借用人", "部门", "押金(元)", "已借天数"],
            &[13.0, 11.0, 16.0, 6.0, 10.0, 10.0, 10.0, 9.0],
            &bold,
        )
        .map_err(xerr)?;
        let open = deposits::list(conn, &DepositFilter { open_only: true })?;
        for (i, d) in open.rows.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, &d.lend_number).map_err(xerr)?;
            ws.write_string(row, 1, d.lent_on.to_string()).map_err(xerr)?;
            ws.write_string(row, 2, &d.item).map_err(xerr)?;
            ws.write_number(row, 3, d.qty as f64).map_err(xerr)?;
            ws.write_string(row, 4, &d.borrower).map_err(xerr)?;
            ws.write_string(row, 5, &d.department).map_err(xerr)?;
            ws.write_number_with_format(row, 6, yuan(d.deposit), &money).map_err(xerr)?;
            ws.write_number(row, 7, d.days as f64).map_err(xerr)?;
        }
        let row = open.rows.len() as u32 + 1;
        ws.write_string_with_format(row, 2, "合计", &bold).map_err(xerr)?;
        ws.write_number_with_format(row, 6, yuan(open.outstanding_deposit), &money).map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}
