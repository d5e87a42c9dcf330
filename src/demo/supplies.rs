//! The demo school's supplies: a catalogue of about sixty things a
//! kindergarten stocks, bought before term (期初采购) and restocked when they
//! run low, issued every week of the term up to today — each class, the
//! kitchen, the office, the health room, the maintenance team — with:
//!
//! - mops handed out 以旧换新 (old one back for a new one);
//! - one slip line reversed (冲销) the day after, "领错规格";
//! - a stocktake at the end of last month with a loss (盘亏) and its reason;
//! - keys, remote controls, an access card and a loudspeaker lent against a
//!   deposit: three still out, one returned in full, one with part kept;
//! - 抽纸 (tissues) under its reorder level, for the 需补货 list to show.
//!
//! Everything goes through the same functions the app uses, in date order.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::names::DemoRng;
use crate::calendar::SchoolCalendar;
use crate::db::Tx;
use crate::school::classes;
use crate::supplies::deposits::{self, CloseInput, LendInput};
use crate::supplies::items::{self, ItemInput};
use crate::supplies::stock::{self, IssueInput, IssueLineInput, ReceiptInput, ReceiptLineInput, ReversalInput};
use crate::supplies::stocktake::{self, CountInput, StocktakeInput};
use crate::supplies::SupplyItemId;
use crate::{Fen, Result};

/// Who uses an item: classes, the kitchen, the offices, the health room,
/// maintenance, or nobody (lent against a deposit only).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Class,
    Kitchen,
    Office,
    Health,
    Repair,
    Lend,
}

struct DemoItem {
    code: &'static str,
    name: &'static str,
    spec: &'static str,
    category: &'static str,
    unit: &'static str,
    /// Unit price in fen.
    price: i64,
    reorder: i64,
    location: &'static str,
    /// Deposit in fen when lent.
    deposit: i64,
    /// Bought before term.
    opening: i64,
    used_by: Use,
    /// Most taken on one slip line.
    per_slip: i64,
}

macro_rules! items {
    ($(($code:literal, $name:literal, $spec:literal, $cat:literal, $unit:literal, $price:literal, $reorder:literal,
        $loc:literal, $dep:literal, $open:literal, $use:ident, $per:literal)),* $(,)?) => {
        &[$(DemoItem { code: $code, name: $name, spec: $spec, category: $cat, unit: $unit, price: $price,
            reorder: $reorder, location: $loc, deposit: $dep, opening: $open, used_by: Use::$use, per_slip: $per }),*]
    };
}

const ITEMS: &[DemoItem] = items![
    ("BG001", "A4复印纸", "70g 500张", "办公用品", "包", 2350, 10, "库房A架", 0, 40, Office, 4),
    ("BG002", "白板笔", "黑色", "办公用品", "支", 250, 20, "库房A架", 0, 100, Class, 4),
    ("BG003", "白板笔", "红色", "办公用品", "支", 250, 10, "库房A架", 0, 50, Class, 2),
    ("BG004", "记号笔", "油性 黑色", "办公用品", "支", 300, 10, "库房A架", 0, 50, Class, 3),
    ("BG005", "中性笔", "0.5mm 黑色", "办公用品", "支", 150, 30, "库房A架", 0, 120, Office, 10),
    ("BG006", "胶水", "50ml", "办公用品", "瓶", 300, 10, "库房A架", 0, 60, Class, 3),
    ("BG007", "双面胶", "12mm", "办公用品", "卷", 200, 10, "库房A架", 0, 60, Class, 3),
    ("BG008", "透明胶带", "48mm", "办公用品", "卷", 450, 10, "库房A架", 0, 40, Office, 2),
    ("BG009", "订书机", "12号", "办公用品", "个", 1800, 2, "库房A架", 0, 6, Office, 1),
    ("BG010", "订书钉", "24/6", "办公用品", "盒", 250, 5, "库房A架", 0, 20, Office, 2),
    ("BG011", "回形针", "100枚", "办公用品", "盒", 300, 5, "库房A架", 0, 20, Office, 1),
    ("BG012", "文件夹", "A4 蓝色", "办公用品", "个", 450, 10, "库房A架", 0, 40, Office, 3),
    ("BG013", "档案盒", "A4 5.5cm", "办公用品", "个", 600, 10, "库房A架", 0, 30, Office, 3),
    ("BG014", "儿童安全剪刀", "", "办公用品", "把", 500, 10, "库房A架", 0, 40, Class, 2),
    ("BG015", "彩色卡纸", "A4 100张 混色", "办公用品", "包", 1500, 5, "库房A架", 0, 24, Class, 1),
    ("BG016", "皱纹纸", "10色", "办公用品", "卷", 180, 10, "库房A架", 0, 50, Class, 3),
    ("BG017", "水彩笔", "12色", "办公用品", "盒", 1280, 6, "库房A架", 0, 30, Class, 2),
    ("BG018", "油画棒", "24色", "办公用品", "盒", 1500, 6, "库房A架", 0, 30, Class, 2),
    ("BG019", "超轻粘土", "12色", "办公用品", "盒", 1800, 6, "库房A架", 0, 24, Class, 2),
    ("BG020", "计算器", "12位", "办公用品", "个", 2500, 1, "库房A架", 0, 3, Office, 1),
    ("BG021", "打印机硒鼓", "HP 88A", "办公用品", "个", 8500, 1, "库房A架", 0, 4, Office, 1),
    ("BG022", "电池", "5号 碱性", "办公用品", "节", 150, 20, "库房A架", 0, 80, Class, 4),
    ("BG023", "电池", "7号 碱性", "办公用品", "节", 150, 20, "库房A架", 0, 80, Office, 4),
    ("QJ001", "洗洁精", "1.5kg", "清洁用品", "瓶", 1350, 4, "库房B架", 0, 20, Kitchen, 2),
    ("QJ002", "洗衣粉", "2kg", "清洁用品", "袋", 2280, 3, "库房B架", 0, 12, Health, 1),
    ("QJ003", "84消毒液", "500ml", "清洁用品", "瓶", 500, 10, "库房B架", 0, 60, Class, 2),
    ("QJ004", "儿童洗手液", "500ml", "清洁用品", "瓶", 1590, 10, "库房B架", 0, 48, Class, 2),
    ("QJ005", "拖把", "棉线 1.2m", "清洁用品", "把", 2500, 3, "库房B架", 0, 12, Class, 1),
    ("QJ006", "扫把", "软毛", "清洁用品", "把", 1800, 3, "库房B架", 0, 10, Repair, 1),
    ("QJ007", "簸箕", "塑料", "清洁用品", "个", 800, 3, "库房B架", 0, 10, Repair, 1),
    ("QJ008", "抹布", "超细纤维 30×30", "清洁用品", "块", 250, 20, "库房B架", 0, 100, Class, 4),
    ("QJ009", "垃圾袋", "45×50cm 30只", "清洁用品", "卷", 450, 20, "库房B架", 0, 80, Class, 3),
    ("QJ010", "马桶刷", "", "清洁用品", "把", 650, 3, "库房B架", 0, 12, Repair, 1),
    ("QJ011", "玻璃清洁剂", "500ml", "清洁用品", "瓶", 850, 4, "库房B架", 0, 16, Repair, 1),
    ("QJ012", "橡胶手套", "中号", "清洁用品", "双", 500, 10, "库房B架", 0, 40, Kitchen, 3),
    ("WS001", "抽纸", "3层 130抽", "卫生用品", "包", 350, 40, "库房C架", 0, 36, Class, 5),
    ("WS002", "卷纸", "4层 140g", "卫生用品", "卷", 280, 40, "库房C架", 0, 200, Class, 6),
    ("WS003", "一次性口罩", "医用 50只", "卫生用品", "盒", 2500, 5, "库房C架", 0, 30, Health, 2),
    ("WS004", "一次性手套", "PE 100只", "卫生用品", "盒", 800, 10, "库房C架", 0, 40, Kitchen, 3),
    ("WS005", "创可贴", "100片", "卫生用品", "盒", 1500, 3, "保健室", 0, 10, Health, 1),
    ("WS006", "医用棉签", "100支", "卫生用品", "包", 300, 5, "保健室", 0, 30, Health, 2),
    ("WS007", "电子体温计", "", "卫生用品", "支", 2500, 2, "保健室", 0, 8, Health, 1),
    ("WS008", "婴儿湿巾", "80抽", "卫生用品", "包", 1290, 10, "库房C架", 0, 60, Class, 3),
    ("WS009", "免洗洗手液", "300ml", "卫生用品", "瓶", 1800, 5, "库房C架", 0, 24, Class, 1),
    ("JW001", "木质积木", "100粒", "教玩具", "套", 6800, 1, "玩具室", 0, 6, Class, 1),
    ("JW002", "拼图", "24片", "教玩具", "盒", 1800, 3, "玩具室", 0, 18, Class, 1),
    ("JW003", "皮球", "18cm", "教玩具", "个", 1500, 3, "玩具室", 0, 20, Class, 2),
    ("JW004", "儿童跳绳", "2.5m", "教玩具", "根", 650, 5, "玩具室", 0, 30, Class, 3),
    ("JW005", "呼啦圈", "60cm", "教玩具", "个", 800, 4, "玩具室", 0, 24, Class, 2),
    ("JW006", "沙包", "", "教玩具", "个", 350, 10, "玩具室", 0, 60, Class, 4),
    ("ST001", "保鲜膜", "30cm×100m", "食堂用品", "卷", 2500, 2, "食堂库房", 0, 8, Kitchen, 1),
    ("ST002", "留样盒", "250ml 带盖", "食堂用品", "个", 150, 60, "食堂库房", 0, 300, Kitchen, 30),
    ("ST003", "钢丝球", "", "食堂用品", "个", 100, 10, "食堂库房", 0, 40, Kitchen, 4),
    ("ST004", "百洁布", "", "食堂用品", "片", 100, 10, "食堂库房", 0, 40, Kitchen, 4),
    ("ST005", "一次性厨师帽", "100只", "食堂用品", "包", 1500, 2, "食堂库房", 0, 6, Kitchen, 1),
    ("ST006", "防水围裙", "", "食堂用品", "件", 1500, 2, "食堂库房", 0, 8, Kitchen, 1),
    ("WX001", "LED灯管", "T8 1.2m", "维修材料", "根", 2500, 4, "维修间", 0, 16, Repair, 2),
    ("WX002", "插线板", "6位 3m", "维修材料", "个", 4500, 2, "维修间", 0, 6, Repair, 1),
    ("WX003", "水龙头", "", "维修材料", "个", 3800, 2, "维修间", 0, 6, Repair, 1),
    ("QT001", "教室钥匙", "", "其他", "把", 500, 2, "保管室", 1000, 12, Lend, 1),
    ("QT002", "空调遥控器", "格力通用", "其他", "个", 3500, 1, "保管室", 2000, 6, Lend, 1),
    ("QT003", "投影仪遥控器", "", "其他", "个", 4500, 1, "保管室", 2000, 3, Lend, 1),
    ("QT004", "门禁卡", "", "其他", "张", 1000, 2, "保管室", 2000, 10, Lend, 1),
    ("QT005", "扩音器", "小蜜蜂", "其他", "个", 8900, 1, "保管室", 3000, 4, Lend, 1),
];

/// The item that is never restocked, so the demo has one under its reorder level.
const NOT_RESTOCKED: &str = "WS001";

fn supplier(category: &str) -> &'static str {
    match category {
        "办公用品" => "晨光文具批发部",
        "清洁用品" | "食堂用品" => "洁美清洁用品商行",
        "卫生用品" => "康华医疗用品店",
        "教玩具" => "童乐玩具批发",
        _ => "华润万家超市",
    }
}

/// Fills the demo's supplies for the term around `today`.
pub fn fill(tx: &Tx, today: NaiveDate, cal: &SchoolCalendar) -> Result<()> {
    let mut rng = DemoRng::new(0x7375_7070_6c69_6573); // "supplies"
    let term = super::term_of(today);
    let mut ids: Vec<SupplyItemId> = Vec::with_capacity(ITEMS.len());
    for it in ITEMS {
        ids.push(items::insert_in_tx(
            tx,
            &ItemInput {
                code: it.code.into(),
                name: it.name.into(),
                category: it.category.into(),
                unit: it.unit.into(),
                spec: it.spec.into(),
                reorder_level: it.reorder.to_string(),
                location: it.location.into(),
                deposit: if it.deposit > 0 { Fen(it.deposit).to_yuan_string() } else { String::new() },
                note: if it.used_by == Use::Lend { "借用须交押金,学期末归还".into() } else { String::new() },
            },
        )?);
    }

    // Bought before term, one receipt per supplier; a later date if today is earlier.
    let opening = (term.start - Duration::days(3)).min(today);
    let mut by_supplier: Vec<(&str, Vec<ReceiptLineInput>)> = Vec::new();
    for (it, id) in ITEMS.iter().zip(&ids) {
        let s = supplier(it.category);
        let line = ReceiptLineInput {
            item_id: Some(*id),
            qty: it.opening.to_string(),
            unit_price: Fen(it.price).to_yuan_string(),
            ..Default::default()
        };
        match by_supplier.iter_mut().find(|(name, _)| *name == s) {
            Some((_, lines)) => lines.push(line),
            None => by_supplier.push((s, vec![line])),
        }
    }
    for (s, lines) in by_supplier {
        stock::receive_in_tx(
            tx,
            &ReceiptInput {
                date: opening.to_string(),
                supplier: s.into(),
                invoice_no: format!("{:08}", 10_000_000 + rng.below(89_999_999)),
                receiver: "钱保管".into(),
                note: "开学前采购".into(),
                lines,
            },
            today,
        )?;
    }

    let class_list = classes::list(tx)?;
    let last = today.min(term.end);
    let days: Vec<NaiveDate> =
        term.start.iter_days().take_while(|d| *d <= last).filter(|d| cal.is_school_day(*d)).collect();
    let last_month_end = crate::dates::YearMonth::of(today).first_day() - Duration::days(1);
    let lend_at = |k: usize| days.get(k).copied();
    let mut reversed = false;
    let mut counted = false;
    let mut lent: Vec<(crate::supplies::DepositId, NaiveDate, usize)> = Vec::new();
    let by_use = |u: Use| -> Vec<usize> { (0..ITEMS.len()).filter(|&i| ITEMS[i].used_by == u).collect() };
    let (class_items, kitchen_items, office_items, health_items, repair_items) =
        (by_use(Use::Class), by_use(Use::Kitchen), by_use(Use::Office), by_use(Use::Health), by_use(Use::Repair));

    for (di, day) in days.iter().copied().enumerate() {
        // Who comes to the store today: each class once a week (on its own weekday),
        // the kitchen on Mondays, the office every other Wednesday, the health room
        // on the first school day of a month, maintenance on Fridays now and then.
        let mut slips: Vec<(String, String, &str, Vec<usize>)> = Vec::new();
        let weekday = day.weekday().num_days_from_monday() as usize;
        for (ci, c) in class_list.iter().enumerate() {
            if ci % 5 == weekday {
                let n = 2 + rng.below(3);
                let picks = (0..n).map(|_| *rng.pick(&class_items)).collect();
                slips.push((c.name.clone(), c.head_teacher.clone(), "班级日常教学与保洁", picks));
            }
        }
        if day.weekday() == Weekday::Mon || di == 0 {
            let picks = (0..3).map(|_| *rng.pick(&kitchen_items)).collect();
            slips.push(("食堂".into(), "周师傅".into(), "厨房日常", picks));
        }
        if day.weekday() == Weekday::Wed && day.iso_week().week() % 2 == 0 {
            let picks = (0..2 + rng.below(2)).map(|_| *rng.pick(&office_items)).collect();
            slips.push(("办公室".into(), "李会计".into(), "办公", picks));
        }
        if days.get(di.wrapping_sub(1)).is_none_or(|p| p.month() != day.month()) {
            let picks = (0..2).map(|_| *rng.pick(&health_items)).collect();
            slips.push(("保健室".into(), "孙医生".into(), "卫生保健", picks));
        }
        if day.weekday() == Weekday::Fri && rng.chance(40) {
            let picks = vec![*rng.pick(&repair_items)];
            slips.push(("后勤组".into(), "钱保管".into(), "维修更换", picks));
        }

        // Restock first what these slips would take down to the reorder level.
        let mut restock: Vec<(usize, i64)> = Vec::new();
        for (_, _, _, picks) in &slips {
            for &i in picks {
                let it = &ITEMS[i];
                if it.code == NOT_RESTOCKED || restock.iter().any(|(r, _)| *r == i) {
                    continue;
                }
                let bal = stock::balance_on(tx, ids[i], day)?;
                if bal - it.per_slip * 3 <= it.reorder {
                    restock.push((i, (it.reorder * 3).max(it.per_slip * 8)));
                }
            }
        }
        let mut groups: Vec<(&str, Vec<ReceiptLineInput>)> = Vec::new();
        for (i, q) in restock {
            let it = &ITEMS[i];
            // Prices move a little between purchases.
            let price = it.price + (it.price / 20) * (rng.below(3) as i64 - 1);
            let line = ReceiptLineInput {
                item_id: Some(ids[i]),
                qty: q.to_string(),
                unit_price: Fen(price).to_yuan_string(),
                ..Default::default()
            };
            let s = supplier(it.category);
            match groups.iter_mut().find(|(name, _)| *name == s) {
                Some((_, lines)) => lines.push(line),
                None => groups.push((s, vec![line])),
            }
        }
        for (s, lines) in groups {
            stock::receive_in_tx(
                tx,
                &ReceiptInput {
                    date: day.to_string(),
                    supplier: s.into(),
                    invoice_no: format!("{:08}", 10_000_000 + rng.below(89_999_999)),
                    receiver: "钱保管".into(),
                    note: "补货".into(),
                    lines,
                },
                today,
            )?;
        }

        for (to, requester, purpose, mut picks) in slips {
            picks.sort();
            picks.dedup();
            let mut lines = Vec::new();
            for i in picks {
                let it = &ITEMS[i];
                let want = 1 + rng.below(it.per_slip as usize) as i64;
                let bal = stock::balance_on(tx, ids[i], day)?;
                if bal < want {
                    continue;
                }
                let mop = it.code == "QJ005";
                lines.push(IssueLineInput {
                    item_id: Some(ids[i]),
                    qty: want.to_string(),
                    trade_in: if mop { want.to_string() } else { String::new() },
                    note: if mop { "旧拖把已交回".into() } else { String::new() },
                    ..Default::default()
                });
            }
            if lines.is_empty() {
                continue;
            }
            let saved = stock::issue_in_tx(
                tx,
                &IssueInput {
                    date: day.to_string(),
                    to,
                    requester: if requester.is_empty() { "班主任".into() } else { requester },
                    approver: "王园长".into(),
                    purpose: purpose.into(),
                    handler: "钱保管".into(),
                    note: String::new(),
                    lines,
                },
                today,
            )?;
            // About ten days before today, a class took the wrong colour: undone the next day.
            if !reversed && saved.number.starts_with("LY") && day + Duration::days(10) >= today && day < today {
                let next = days.get(di + 1).copied().unwrap_or(day).min(today);
                let doc = stock::doc(tx, saved.id)?;
                if doc.class_id.is_some() {
                    stock::reverse_in_tx(
                        tx,
                        &ReversalInput {
                            doc_id: Some(saved.id),
                            number: String::new(),
                            lines: vec![doc.lines[0].id],
                            date: next.to_string(),
                            reason: "领错规格,已退回库房".into(),
                        },
                        today,
                    )?;
                    reversed = true;
                }
            }
        }

        // Loans against a deposit in the first weeks of term.
        let lends: [(usize, &str, &str, &str); 5] = [
            (1, "QT001", "大一班", "大一班班主任"),
            (3, "QT002", "中一班", "中一班班主任"),
            (4, "QT004", "食堂", "周师傅"),
            (6, "QT003", "办公室", "李会计"),
            (8, "QT005", "小二班", "小二班班主任"),
        ];
        for (k, (at, code, to, who)) in lends.iter().enumerate() {
            if lend_at(*at) == Some(day) {
                let i = ITEMS.iter().position(|it| it.code == *code).unwrap_or(0);
                let borrower = class_list
                    .iter()
                    .find(|c| c.name == *to)
                    .map(|c| c.head_teacher.clone())
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| (*who).to_string());
                let id = deposits::lend_in_tx(
                    tx,
                    &LendInput {
                        date: day.to_string(),
                        item_id: Some(ids[i]),
                        borrower,
                        to: (*to).into(),
                        ..Default::default()
                    },
                    today,
                )?;
                lent.push((id, day, k));
            }
        }
        // The key comes back after two weeks; the projector remote a week later, its battery cover lost.
        for (id, when, k) in &lent {
            let back = match k {
                0 => *when + Duration::days(14),
                3 => *when + Duration::days(21),
                _ => continue,
            };
            if day >= back && day <= today {
                let d = deposits::get(tx, *id)?;
                if d.closed_on.is_none() {
                    let (refund, note) = if *k == 3 { ("15", "电池盖丢失,扣押金 5 元") } else { ("", "") };
                    deposits::close_in_tx(
                        tx,
                        *id,
                        &CloseInput { date: day.to_string(), returned: true, refund: refund.into(), note: note.into() },
                        today,
                    )?;
                }
            }
        }

        // Last month's stocktake, on its last school day.
        let next_day = days.get(di + 1).copied();
        if !counted && day <= last_month_end && next_day.is_none_or(|n| n > last_month_end) && day < today {
            let code_at = |code: &str| ITEMS.iter().position(|it| it.code == code).unwrap_or(0);
            let mut lines = Vec::new();
            for (code, lost, reason) in
                [("QJ008", 2, "破损报废"), ("QJ004", 0, ""), ("BG002", 0, ""), ("JW003", 1, "丢失")]
            {
                let i = code_at(code);
                let book = stock::balance_on(tx, ids[i], day)?;
                let lost = lost.min(book);
                lines.push(CountInput {
                    item_id: Some(ids[i]),
                    item: String::new(),
                    counted: (book - lost).to_string(),
                    reason: if lost > 0 { reason.into() } else { String::new() },
                });
            }
            stocktake::save_in_tx(
                tx,
                &StocktakeInput {
                    date: day.to_string(), counter: "钱保管".into(), note: "月末抽盘".into(), lines
                },
                today,
            )?;
            counted = true;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::calendar::SchoolCalendar;
    use crate::db::Db;
    use crate::school::classes::{self, ClassInput};
    use crate::school::Grade;
    use crate::supplies::deposits::{self, DepositFilter};
    use crate::supplies::reports::{self, BalanceFilter};
    use crate::supplies::stock::{self, DocFilter, JournalFilter};
    use crate::supplies::DocKind;

    // The supplies part alone, on the demo's classes: the rest of the demo
    // school is not needed to issue, lend and count.
    #[test]
    fn the_demo_has_stock_usage_deposits_and_one_item_to_reorder() {
        let mut db = Db::open_scratch().expect("db");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
        db.with_tx(|tx| {
            for (name, grade) in [
                ("小一班", Grade::Junior),
                ("小二班", Grade::Junior),
                ("中一班", Grade::Middle),
                ("中二班", Grade::Middle),
                ("大一班", Grade::Senior),
                ("大二班", Grade::Senior),
            ] {
                classes::insert_in_tx(
                    tx,
                    &ClassInput { name: name.into(), grade, head_teacher: format!("{name}老师") },
                )?;
            }
            super::fill(tx, today, &SchoolCalendar::national())
        })
        .expect("demo supplies");
        let bal = reports::balance(db.conn(), &BalanceFilter::default()).expect("balance");
        assert!(bal.items >= 60, "{} items", bal.items);
        let below: Vec<String> = bal.rows.iter().filter(|r| r.below_reorder).map(|r| r.item.display_name()).collect();
        assert_eq!(below, ["抽纸(3层 130抽)"]);
        let open = deposits::list(db.conn(), &DepositFilter { open_only: true }).expect("deposits");
        assert_eq!(open.outstanding, 3);
        let usage = reports::usage(db.conn(), "2026-10".parse().expect("month")).expect("usage");
        assert!(usage.by_department.iter().filter(|d| d.class_id.is_some()).all(|d| d.value.as_i64() > 0));
        assert!(usage.by_department.iter().any(|d| d.department == "食堂" && d.value.as_i64() > 0));
        let reversals =
            stock::docs(db.conn(), &DocFilter { kind: Some(DocKind::Reversal), ..Default::default() }).expect("docs");
        assert_eq!(reversals.len(), 1);
        let journal = stock::journal(db.conn(), &JournalFilter { limit: Some(1_000_000), ..Default::default() })
            .expect("journal");
        assert!(journal.iter().any(|l| l.trade_in > 0));
    }
}
