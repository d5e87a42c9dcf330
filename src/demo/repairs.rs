//! The demo's repair requests (报修): a dozen over the last four months, dated
//! relative to today — some open (one urgent and past its same-day visit, one
//! waiting for a repairer for days), some closed with their cost (one of them
//! costly enough to suggest 报废), one cancelled, and the 大一班 air
//! conditioner with a closed repair in its history and an open one now.

use chrono::{Duration, NaiveDate};

use crate::assets::register::{self, AssetFilter};
use crate::assets::AssetStatus;
use crate::db::Tx;
use crate::repairs::{self, CloseInput, RepairInput, Trade};
use crate::Result;

/// What happens to a request after it is reported: (repairer, days to the
/// assignment), then the visit, then (work, cost in 元, days to done), then
/// confirmed or not; or cancelled.
enum Fate {
    Waiting,
    Assigned(&'static str, i64),
    Visited(&'static str, i64),
    Done { to: &'static str, work: &'static str, cost: &'static str, after: i64, confirmed: bool },
    Cancelled(&'static str),
}

struct Demo {
    days_ago: i64,
    room: &'static str,
    /// The card's name in that room, if the fault is on one.
    card: &'static str,
    trade: Trade,
    urgent: bool,
    desc: &'static str,
    reporter: &'static str,
    fate: Fate,
}

#[rustfmt::skip]
const REQUESTS: &[Demo] = &[
    Demo { days_ago: 118, room: "大一班", card: "柜式空调", trade: Trade::Appliance, urgent: true, desc: "空调不制冷,开机只吹热风", reporter: "大一班老师",
           fate: Fate::Done { to: "王师傅", work: "清洗滤网,补充冷媒 R410A", cost: "280", after: 0, confirmed: true } },
    Demo { days_ago: 75, room: "中一班", card: "饮水机", trade: Trade::Water, urgent: false, desc: "饮水机出水很慢", reporter: "中一班老师",
           fate: Fate::Done { to: "李师傅", work: "更换滤芯,清洗水路", cost: "60", after: 2, confirmed: true } },
    Demo { days_ago: 46, room: "操场", card: "秋千", trade: Trade::Other, urgent: false, desc: "秋千座椅链条磨损,有安全隐患", reporter: "钱保管",
           fate: Fate::Done { to: "厂家售后", work: "更换两根链条和挂钩", cost: "460", after: 3, confirmed: true } },
    Demo { days_ago: 40, room: "小二班", card: "", trade: Trade::Carpentry, urgent: false, desc: "午睡室一张幼儿床床板断裂", reporter: "小二班老师",
           fate: Fate::Done { to: "李师傅", work: "更换床板,加固床脚", cost: "120", after: 1, confirmed: true } },
    Demo { days_ago: 21, room: "大二班", card: "", trade: Trade::Electric, urgent: false, desc: "教室吸顶灯闪烁", reporter: "大二班老师",
           fate: Fate::Done { to: "王师傅", work: "更换镇流器", cost: "35", after: 0, confirmed: true } },
    Demo { days_ago: 12, room: "保健室", card: "挂式空调", trade: Trade::Appliance, urgent: false, desc: "空调遥控器失灵", reporter: "孙医生",
           fate: Fate::Done { to: "王师傅", work: "遥控器换电池,重新配对", cost: "0", after: 0, confirmed: true } },
    Demo { days_ago: 9, room: "图书室", card: "", trade: Trade::Carpentry, urgent: false, desc: "书架隔板脱落", reporter: "钱保管",
           fate: Fate::Cancelled("班级老师已自行装回,无需维修") },
    Demo { days_ago: 8, room: "办公室", card: "复印机", trade: Trade::Appliance, urgent: false, desc: "复印机卡纸,复印件有黑线", reporter: "李会计",
           fate: Fate::Done { to: "厂家售后", work: "更换定影组件和硒鼓", cost: "6900", after: 3, confirmed: false } },
    Demo { days_ago: 6, room: "小一班", card: "", trade: Trade::Water, urgent: false, desc: "洗手间水龙头关不紧,一直滴水", reporter: "小一班老师",
           fate: Fate::Waiting },
    Demo { days_ago: 3, room: "多功能厅", card: "舞台灯光", trade: Trade::Electric, urgent: false, desc: "两只帕灯不亮", reporter: "钱保管",
           fate: Fate::Visited("王师傅", 1) },
    Demo { days_ago: 2, room: "大一班", card: "柜式空调", trade: Trade::Appliance, urgent: true, desc: "空调室内机漏水,滴到地面", reporter: "大一班老师",
           fate: Fate::Assigned("王师傅", 0) },
    Demo { days_ago: 1, room: "中二班", card: "", trade: Trade::DoorsWindows, urgent: false, desc: "教室后门合页松动,关不严", reporter: "中二班老师",
           fate: Fate::Assigned("李师傅", 0) },
    Demo { days_ago: 0, room: "园长室", card: "", trade: Trade::DoorsWindows, urgent: false, desc: "窗户把手断了", reporter: "王园长",
           fate: Fate::Waiting },
];

/// The number of the first card in use of that name in that room.
fn card_in(tx: &Tx, room: &str, name: &str, today: NaiveDate) -> Result<String> {
    if name.is_empty() {
        return Ok(String::new());
    }
    let filter = AssetFilter { room: Some(room.into()), ..Default::default() };
    Ok(register::list(tx, &filter, today)?
        .into_iter()
        .find(|a| a.name == name && matches!(a.status, AssetStatus::InUse | AssetStatus::Idle))
        .map(|a| a.number)
        .unwrap_or_default())
}

/// Files the requests in order, each through the same checks a person's would pass.
pub fn fill(tx: &Tx, today: NaiveDate) -> Result<usize> {
    for r in REQUESTS {
        let on = today - Duration::days(r.days_ago);
        let input = RepairInput {
            reported_on: on,
            room: r.room.into(),
            asset_number: card_in(tx, r.room, r.card, today)?,
            trade: r.trade,
            description: r.desc.into(),
            urgent: r.urgent,
            reporter: r.reporter.into(),
        };
        let id = repairs::add_in_tx(tx, &input, today)?;
        let after = |days: i64| (on + Duration::days(days)).min(today);
        match r.fate {
            Fate::Waiting => {}
            Fate::Assigned(to, days) => repairs::assign_in_tx(tx, id, to, after(days), today)?,
            Fate::Visited(to, days) => {
                repairs::assign_in_tx(tx, id, to, on, today)?;
                repairs::visit_in_tx(tx, id, after(days), today)?;
            }
            Fate::Done { to, work, cost, after: days, confirmed } => {
                repairs::assign_in_tx(tx, id, to, on, today)?;
                let done =
                    CloseInput { done_on: after(days), work: work.into(), cost: cost.into(), suggest_scrap: false };
                repairs::close_in_tx(tx, id, &done, today)?;
                if confirmed {
                    repairs::confirm_in_tx(tx, id, after(days + 1), today)?;
                }
            }
            Fate::Cancelled(reason) => repairs::cancel_in_tx(tx, id, reason, after(1), today)?,
        }
    }
    Ok(REQUESTS.len())
}
