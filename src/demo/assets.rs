//! The demo school's fixed assets: a few hundred cards in its classrooms
//! (named after the demo classes), kitchen, office, playground, clinic,
//! library, hall and store room, bought over the last ten years; a finished
//! stocktake from last term with one missing item, one moved, one damaged and
//! one surplus find (its book adjustments left for the user to try); an open
//! stocktake of two rooms, half counted; a few transfers, one disposal waiting
//! for approval and one old air conditioner already scrapped.

use chrono::{Duration, NaiveDate, NaiveTime};

use super::names::DemoRng;
use crate::assets::categories;
use crate::assets::movements::{self, DisposalMethod, Placement, TransferKind};
use crate::assets::register::{self, AssetInput, NumberGen};
use crate::assets::stocktake::{self, OtherRoomChoice, StocktakeInput, SurplusInput};
use crate::assets::{settings, Acquisition, AssetId, AssetStatus};
use crate::db::Tx;
use crate::{Error, Result};

/// What the demo registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAssets {
    pub cards: usize,
    pub stocktakes: usize,
}

/// One kind of thing: name, category, model, unit price (yuan), quantity on
/// the card, how many cards.
struct Kind {
    name: &'static str,
    category: &'static str,
    model: &'static str,
    price: i64,
    qty: i64,
    cards: usize,
}

const fn k(
    name: &'static str,
    category: &'static str,
    model: &'static str,
    price: i64,
    qty: i64,
    cards: usize,
) -> Kind {
    Kind { name, category, model, price, qty, cards }
}

/// Every classroom has these.
const CLASSROOM: &[Kind] = &[
    k("柜式空调", "空调", "格力 KFR-72LW 3匹", 6_899, 1, 1),
    k("挂式空调", "空调", "美的 KFR-35GW 1.5匹", 2_999, 1, 1),
    k("教学一体机", "电气设备", "希沃 86英寸", 12_800, 1, 1),
    k("电子琴", "电气设备", "雅马哈 PSR-E373", 1_580, 1, 1),
    k("教学电脑", "计算机", "联想 启天 M437", 4_650, 1, 1),
    k("紫外线消毒灯", "电气设备", "移动式 UV-30", 1_050, 1, 1),
    k("饮水机", "电气设备", "沁园 JLD-8", 1_380, 1, 1),
    k("毛巾消毒柜", "电气设备", "康宝 ZTP108", 1_260, 1, 1),
    k("玩具柜", "家具", "实木 四层", 980, 1, 4),
    k("幼儿桌", "幼儿桌椅", "实木 六人桌", 560, 6, 1),
    k("幼儿椅", "幼儿桌椅", "实木 靠背椅", 95, 35, 1),
    k("幼儿床", "家具", "实木 单人床", 420, 35, 1),
    k("口杯架", "家具", "不锈钢 40位", 680, 1, 1),
    k("图书角图书", "图书", "绘本", 28, 120, 1),
];

/// The other rooms: (room, custodian, things).
fn other_rooms() -> Vec<(&'static str, &'static str, Vec<Kind>)> {
    vec![
        (
            "厨房",
            "周师傅",
            vec![
                k("燃气炒灶", "厨房设备", "双头大锅灶", 12_500, 1, 1),
                k("蒸饭柜", "厨房设备", "电热 24盘", 8_600, 1, 1),
                k("和面机", "厨房设备", "HWT-25", 3_800, 1, 1),
                k("绞肉机", "厨房设备", "TJ12", 2_280, 1, 1),
                k("抽油烟机组", "厨房设备", "不锈钢 5米", 15_600, 1, 1),
                k("四门冷藏柜", "厨房电器", "星星 BCD-1000", 4_290, 1, 2),
                k("留样冰箱", "厨房电器", "海尔 BC-93", 1_980, 1, 1),
                k("餐具消毒柜", "厨房电器", "康宝 RTP700", 5_600, 1, 1),
                k("电饼铛", "厨房电器", "商用 45型", 1_650, 1, 1),
                k("不锈钢操作台", "厨房设备", "1.8米 双层", 1_200, 4, 1),
                k("餐车", "厨房设备", "不锈钢 三层", 1_100, 6, 1),
            ],
        ),
        (
            "办公室",
            "钱保管",
            vec![
                k("台式电脑", "计算机", "联想 启天 M437", 4_800, 1, 6),
                k("笔记本电脑", "计算机", "ThinkPad E14", 5_990, 1, 2),
                k("激光打印机", "办公设备", "惠普 M1136", 1_680, 1, 2),
                k("复印机", "办公设备", "理光 MP2555", 12_800, 1, 1),
                k("投影仪", "办公设备", "爱普生 CB-X06", 3_699, 1, 1),
                k("碎纸机", "办公设备", "得力 9911", 1_099, 1, 1),
                k("办公桌", "家具", "1.4米 带柜", 1_450, 1, 6),
                k("文件柜", "家具", "钢制 四门", 1_150, 1, 4),
                k("挂式空调", "空调", "格力 KFR-35GW 1.5匹", 3_199, 1, 2),
                k("会议桌", "家具", "3.6米", 3_800, 1, 1),
            ],
        ),
        (
            "园长室",
            "王园长",
            vec![
                k("台式电脑", "计算机", "联想 扬天 M4000", 5_300, 1, 1),
                k("办公桌", "家具", "1.8米 班台", 3_600, 1, 1),
                k("书柜", "家具", "实木 三门", 2_200, 1, 1),
                k("挂式空调", "空调", "格力 KFR-35GW 1.5匹", 3_199, 1, 1),
            ],
        ),
        (
            "保健室",
            "孙医生",
            vec![
                k("身高体重测量仪", "仪器仪表", "HW-900B", 2_650, 1, 1),
                k("紫外线消毒车", "电气设备", "ZXC-II", 3_200, 1, 1),
                k("视力表灯箱", "仪器仪表", "LED 2.5米", 1_180, 1, 1),
                k("药品柜", "家具", "钢制 双门", 1_350, 1, 1),
                k("观察床", "家具", "单人", 1_050, 1, 1),
                k("挂式空调", "空调", "美的 KFR-26GW 1匹", 2_399, 1, 1),
            ],
        ),
        (
            "图书室",
            "钱保管",
            vec![
                k("儿童绘本", "图书", "精装绘本", 32, 500, 4),
                k("教师用书", "图书", "教参", 45, 200, 1),
                k("书架", "家具", "实木 五层", 1_280, 1, 6),
                k("阅读桌", "幼儿桌椅", "圆桌", 680, 4, 1),
                k("柜式空调", "空调", "格力 KFR-72LW 3匹", 6_899, 1, 1),
            ],
        ),
        (
            "多功能厅",
            "钱保管",
            vec![
                k("立式钢琴", "电气设备", "珠江 UP118", 18_800, 1, 1),
                k("LED 显示屏", "电气设备", "P2.5 室内 12平方米", 28_600, 1, 1),
                k("音响系统", "电气设备", "JBL 套装", 6_800, 1, 1),
                k("柜式空调", "空调", "格力 KFR-120LW 5匹", 11_500, 1, 2),
                k("舞台灯光", "电气设备", "LED 帕灯 12只", 4_200, 1, 1),
            ],
        ),
        (
            "操场",
            "钱保管",
            vec![
                k("大型组合滑梯", "户外游乐及体育器材", "工程塑料 组合式", 86_000, 1, 1),
                k("攀爬架", "户外游乐及体育器材", "钢木结构", 12_000, 1, 1),
                k("秋千", "户外游乐及体育器材", "双人", 6_500, 1, 1),
                k("沙水池设施", "户外游乐及体育器材", "不锈钢 玩沙台", 15_000, 1, 1),
                k("平衡木", "户外游乐及体育器材", "实木 3米", 1_800, 1, 2),
                k("儿童三轮车", "户外游乐及体育器材", "加厚型", 380, 12, 1),
                k("篮球架", "户外游乐及体育器材", "幼儿可升降", 2_600, 1, 2),
            ],
        ),
        (
            "仓库",
            "钱保管",
            vec![
                k("台式电脑", "计算机", "联想 启天 M415(旧)", 4_200, 1, 2),
                k("挂式空调", "空调", "海尔 KFR-32GW(旧)", 2_600, 1, 1),
                k("幼儿椅", "幼儿桌椅", "塑料 靠背椅", 60, 40, 1),
            ],
        ),
        (
            "园区",
            "王园长",
            vec![
                k("教学楼", "房屋及构筑物", "框架 三层 2,400平方米", 6_800_000, 1, 1),
                k("园区用地", "土地", "划拨 6,500平方米", 3_900_000, 1, 1),
                k("监控系统", "电气设备", "海康 32路", 36_000, 1, 1),
                k("电动巡逻车", "车辆", "四座", 26_000, 1, 1),
            ],
        ),
    ]
}

fn days_back(rng: &mut DemoRng, min_days: i64, max_days: i64) -> i64 {
    min_days + rng.below((max_days - min_days).max(1) as usize) as i64
}

/// Registers the demo assets and their history inside the demo's transaction.
pub fn fill(tx: &Tx, today: NaiveDate) -> Result<DemoAssets> {
    let mut rng = DemoRng::new(0x4153_5345_5453); // "ASSETS"
    let s = settings::load(tx)?;
    let mut numbers = NumberGen::new(&s)?;
    let cats = categories::list(tx)?;
    // In the order the demo created them (its rooms and history pick classes by position).
    let mut by_id = crate::school::classes::list(tx)?;
    by_id.sort_by_key(|c| c.id);
    let classes: Vec<(String, String)> = by_id.into_iter().map(|c| (c.name, c.head_teacher)).collect();
    let mut rooms: Vec<(String, String, Vec<Kind>)> = Vec::new();
    for (class, teacher) in &classes {
        rooms.push((
            class.clone(),
            teacher.clone(),
            CLASSROOM.iter().map(|x| k(x.name, x.category, x.model, x.price, x.qty, x.cards)).collect(),
        ));
    }
    for (room, custodian, kinds) in other_rooms() {
        rooms.push((room.to_string(), custodian.to_string(), kinds));
    }

    let mut by_key: Vec<(String, &'static str, AssetId)> = Vec::new();
    for (room, custodian, kinds) in &rooms {
        let department = if classes.iter().any(|(c, _)| c == room) {
            format!("{}组", room.chars().next().map(|c| format!("{c}班")).unwrap_or_default())
        } else if room == "厨房" {
            "后勤".to_string()
        } else {
            "行政".to_string()
        };
        for kind in kinds {
            let cat = cats
                .iter()
                .find(|c| c.name == kind.category)
                .ok_or_else(|| Error::invalid(format!("演示数据缺少资产类别 {}", kind.category)))?;
            for _ in 0..kind.cards {
                // Buildings and land are old; most things a few years; some this year.
                let back = match kind.category {
                    // The old air conditioner scrapped two years ago.
                    _ if room == "仓库" && kind.name == "挂式空调" => 3_700,
                    "房屋及构筑物" | "土地" => days_back(&mut rng, 3_000, 3_600),
                    "图书" => days_back(&mut rng, 30, 1_500),
                    _ => days_back(&mut rng, 40, 3_300),
                };
                let acquired_on = today - Duration::days(back);
                let status = if room == "仓库" && kind.category != "幼儿桌椅" {
                    AssetStatus::Idle
                } else {
                    AssetStatus::InUse
                };
                let input = AssetInput {
                    number: String::new(),
                    name: kind.name.to_string(),
                    category_id: cat.id,
                    model: kind.model.to_string(),
                    quantity: kind.qty.to_string(),
                    unit: String::new(),
                    room: room.clone(),
                    department: department.clone(),
                    custodian: custodian.clone(),
                    acquired_on,
                    acquisition: if kind.category == "土地" {
                        Acquisition::TransferIn
                    } else {
                        Acquisition::Purchase
                    },
                    supplier: supplier(kind.category).to_string(),
                    original_value: format!("{}", kind.price * kind.qty),
                    life: String::new(),
                    status,
                    note: String::new(),
                };
                let checked = register::check_input(&input, Some(cat), today, 0, &mut |_| Ok(false))?
                    .map_err(|problems| Error::Rejected { problems })?;
                let (id, _) = register::insert_in_tx(tx, &checked, &mut numbers)?;
                by_key.push((room.clone(), kind.name, id));
            }
        }
    }
    let cards = by_key.len();
    let find = |room: &str, name: &str| -> Result<AssetId> {
        by_key
            .iter()
            .find(|(r, n, _)| r == room && *n == name)
            .map(|x| x.2)
            .ok_or_else(|| Error::invalid(format!("演示数据缺少 {room} 的 {name}")))
    };
    let card = |id: AssetId| register::get(tx, id, today);

    // History: an old air conditioner scrapped two years ago.
    let old_ac = find("仓库", "挂式空调")?;
    let scrapped_on = today - Duration::days(700);
    let req = movements::DisposalRequest {
        asset_id: old_ac,
        method: DisposalMethod::Scrap,
        reason: "压缩机损坏,维修费用超过残值".into(),
        requested_on: scrapped_on - Duration::days(20),
        note: String::new(),
    };
    demo_dispose(tx, &req, "王园长", scrapped_on - Duration::days(12), scrapped_on, today)?;
    // Last term's full stocktake.
    let started_on = today - Duration::days(75);
    let st = stocktake::start_in_tx(
        tx,
        &StocktakeInput {
            name: format!("{}年度全面盘点", started_on.format("%Y")),
            started_on,
            rooms: Vec::new(),
            note: "年终全面清查".into(),
        },
        today,
    )?;
    let missing = find("办公室", "投影仪")?;
    let moved = classes.get(4).map(|(c, _)| find(c, "电子琴")).transpose()?;
    let damaged = classes.get(1).map(|(c, _)| find(c, "饮水机")).transpose()?;
    let mut at = started_on.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    for line in stocktake::lines(tx, st)? {
        let Some(asset) = line.asset_id else { continue };
        if asset == missing {
            continue;
        }
        at += Duration::seconds(40 + rng.below(60) as i64);
        if Some(asset) == moved {
            stocktake::scan_in_tx(tx, st, "多功能厅", &line.number, Some(OtherRoomChoice::Move), today, at)?;
        } else {
            stocktake::scan_in_tx(tx, st, &line.book_room, &line.number, None, today, at)?;
        }
        if Some(asset) == damaged {
            stocktake::update_line_in_tx(
                tx,
                line.id,
                &stocktake::LineUpdate {
                    damaged: Some(true),
                    note: Some("加热不工作,漏水".into()),
                    ..Default::default()
                },
                at,
            )?;
        }
    }
    stocktake::record_surplus_in_tx(
        tx,
        st,
        &SurplusInput {
            room: "办公室".into(),
            number: "ZC20150033".into(),
            name: "旧喷墨打印机(标签编号不在账上)".into(),
            model: "佳能 iP2780".into(),
            quantity: String::new(),
            value: "300".into(),
            note: "可能是多年前未入账的捐赠".into(),
        },
        today,
        at,
    )?;
    stocktake::finish_in_tx(tx, st, started_on + Duration::days(2), today, at + Duration::hours(50))?;

    // Since then: a laptop lent to the head's office, and the term-start
    // handover of the first classroom.
    let laptop = card(find("办公室", "笔记本电脑")?)?;
    let moved_on = (today - Duration::days(60)).max(laptop.acquired_on);
    movements::record_transfer_in_tx(
        tx,
        laptop.id,
        &Placement {
            room: laptop.room.clone(),
            department: laptop.department.clone(),
            custodian: laptop.custodian.clone(),
        },
        &Placement { room: "园长室".into(), department: "行政".into(), custodian: "王园长".into() },
        moved_on,
        TransferKind::Transfer,
        "园长外出开会使用",
    )?;
    if let Some((class, teacher)) = classes.first() {
        let term = super::term_of(today);
        for a in register::list(tx, &register::AssetFilter { room: Some(class.clone()), ..Default::default() }, today)?
        {
            let at =
                Placement { room: a.room.clone(), department: a.department.clone(), custodian: a.custodian.clone() };
            if a.acquired_on <= term.start && term.start <= today {
                let to = Placement { custodian: teacher.clone(), ..at.clone() };
                movements::record_transfer_in_tx(
                    tx,
                    a.id,
                    &at,
                    &to,
                    term.start,
                    TransferKind::HandoverStart,
                    "新学期班级资产交接",
                )?;
            }
        }
    }

    // This term's spot check of two rooms, half counted.
    let spot_on = today - Duration::days(1);
    let (spot_class, _) = classes.last().cloned().unwrap_or_else(|| ("大二班".into(), String::new()));
    let open = stocktake::start_in_tx(
        tx,
        &StocktakeInput {
            name: "期中抽盘".into(),
            started_on: spot_on,
            rooms: vec![spot_class.clone(), "厨房".into()],
            note: String::new(),
        },
        today,
    )?;
    let mut at = spot_on.and_time(NaiveTime::from_hms_opt(15, 30, 0).unwrap_or_default());
    for (i, line) in stocktake::lines(tx, open)?.into_iter().enumerate() {
        if line.book_room == spot_class && i % 2 == 0 {
            at += Duration::seconds(35);
            stocktake::scan_in_tx(tx, open, &line.book_room, &line.number, None, today, at)?;
        }
    }

    // A disposal request waiting for approval: an old computer in the store room.
    let old_pc = find("仓库", "台式电脑")?;
    let pc = card(old_pc)?;
    movements::request_in_tx(
        tx,
        &movements::DisposalRequest {
            asset_id: old_pc,
            method: DisposalMethod::Scrap,
            reason: "主板损坏,已无维修价值".into(),
            requested_on: (today - Duration::days(3)).max(pc.acquired_on),
            note: String::new(),
        },
        today,
        &s.approval_levels,
    )?;
    Ok(DemoAssets { cards, stocktakes: 2 })
}

fn demo_dispose(
    tx: &Tx,
    req: &movements::DisposalRequest,
    approver: &str,
    decided_on: NaiveDate,
    disposed_on: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    let levels = settings::load(tx)?.approval_levels;
    let id = movements::request_in_tx(tx, req, today, &levels)?;
    movements::decide_in_tx(tx, id, true, approver, decided_on, "同意报废", today)?;
    movements::complete_in_tx(tx, id, disposed_on, "120", today)
}

fn supplier(category: &str) -> &'static str {
    match category {
        "计算机" | "办公设备" => "示范市联创电脑公司",
        "空调" => "示范市格力专卖店",
        "厨房设备" | "厨房电器" => "示范市厨具设备有限公司",
        "家具" | "幼儿桌椅" => "示范市童乐教玩具厂",
        "户外游乐及体育器材" => "示范市童乐教玩具厂",
        "图书" => "新华书店",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::movements::DisposalStatus;
    use crate::assets::stocktake::StocktakeStatus;
    use crate::db::Db;
    use crate::school::classes::{self, ClassInput};
    use crate::school::Grade;

    /// The assets part alone, on a school of five classes (the whole demo
    /// needs every other area on this backend too).
    #[test]
    fn the_demo_assets_have_a_register_stocktakes_moves_and_disposals() {
        let mut db = Db::open_scratch().expect("db");
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
        for (name, grade, teacher) in [
            ("小一班", Grade::Junior, "李老师"),
            ("中一班", Grade::Middle, "张老师"),
            ("大一班", Grade::Senior, "陈老师"),
            ("大二班", Grade::Senior, "王老师"),
            ("中二班", Grade::Middle, "赵老师"),
        ] {
            classes::add(&mut db, &ClassInput { name: name.into(), grade, head_teacher: teacher.into() })
                .expect("class");
        }
        let made = db.with_tx(|tx| fill(tx, today)).expect("fill");
        let list = register::list(db.conn(), &register::AssetFilter::default(), today).expect("list");
        // One card scrapped two years ago is off the books.
        assert_eq!((made.stocktakes, list.len()), (2, made.cards - 1));
        let class = list.iter().filter(|a| a.room == "小一班").count();
        assert_eq!(class, CLASSROOM.iter().map(|k| k.cards).sum::<usize>(), "a classroom's cards");

        let all = stocktake::list(db.conn()).expect("stocktakes");
        let finished = all.iter().find(|s| s.status == StocktakeStatus::Finished).expect("finished");
        let r = stocktake::reconciliation(db.conn(), finished.id).expect("reconciliation");
        assert_eq!((r.total.missing.qty, r.total.moved.qty, r.total.surplus.qty, r.total.damaged.qty), (1, 1, 1, 1));
        let open = all.iter().find(|s| s.status == StocktakeStatus::Open).expect("open");
        assert!(open.checked > 0 && open.checked < open.expected, "{open:?}");

        let disposals = movements::disposals(db.conn(), None).expect("disposals");
        let statuses: Vec<DisposalStatus> = disposals.iter().map(|d| d.status).collect();
        assert_eq!(statuses, [DisposalStatus::Requested, DisposalStatus::Disposed]);
        let laptop_moves = movements::transfers(db.conn(), None, 500).expect("transfers");
        assert!(laptop_moves.iter().any(|t| t.to.room == "园长室" && t.kind == TransferKind::Transfer));
    }
}
