//! The demo school's meal account (伙食账): a term of food deliveries up to
//! today with their inspection records, the month-end counts of every past
//! month (with the staff kitchen's share and staff meal income), so the 公示
//! sheet of every past month can be printed at once.
//!
//! The food used each month is planned from the month's meal-fee income (from
//! the settlement) so that every demo month — and so the term — ends within
//! ±1.5%, inside the default ±2% limit: an out-of-limit month would teach a new
//! user the wrong thing. The out-of-limit case is a test, not demo data.
//! Deliveries follow a kitchen's rhythm: vegetables, tofu, fruit and milk every
//! school day, meat most days, fish twice a week, grain and oil every two weeks,
//! snacks weekly, seasoning and gas monthly; shelf stock of grain, oil and
//! seasoning carries from month to month.

use chrono::{Datelike, NaiveDate, Weekday};

use super::names::DemoRng;
use crate::calendar::SchoolCalendar;
use crate::dates::YearMonth;
use crate::db::Tx;
use crate::meal_account::load::meal_income;
use crate::meal_account::purchases::{add_in_tx, PurchaseInput, PurchaseLineInput};
use crate::meal_account::settings;
use crate::meal_account::store::{save_count_in_tx, store_month, CountInput, CountKind, CountLineInput};
use crate::money::mul_div;
use crate::{Fen, Result};

/// What the demo put in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MealDemo {
    pub purchases: usize,
    pub counted_months: usize,
}

/// How often a category is delivered.
#[derive(Clone, Copy)]
enum Rhythm {
    Daily,
    /// Mondays, Wednesdays and Fridays.
    MostDays,
    /// Tuesdays and Thursdays.
    TwiceWeekly,
    /// Mondays.
    Weekly,
    /// The first school day of each half month.
    Fortnightly,
    /// The first school day of the month.
    Monthly,
}

impl Rhythm {
    fn delivers(self, day: NaiveDate, first_of_month: bool, first_of_half: bool) -> bool {
        match self {
            Rhythm::Daily => true,
            Rhythm::MostDays => matches!(day.weekday(), Weekday::Mon | Weekday::Wed | Weekday::Fri) || first_of_month,
            Rhythm::TwiceWeekly => matches!(day.weekday(), Weekday::Tue | Weekday::Thu),
            Rhythm::Weekly => day.weekday() == Weekday::Mon || first_of_month,
            Rhythm::Fortnightly => first_of_half,
            Rhythm::Monthly => first_of_month,
        }
    }
}

struct Food {
    item: &'static str,
    unit: &'static str,
    /// Price per unit in fen.
    price: i64,
    /// Shelf life printed on the inspection record; empty for fresh produce.
    shelf_life: &'static str,
}

struct Category {
    name: &'static str,
    /// Share of the food used, in basis points (sum 10 000).
    share: i64,
    /// Closing stock kept, as a percentage range of the month's use.
    keep: (usize, usize),
    rhythm: Rhythm,
    supplier: usize,
    foods: &'static [Food],
}

const fn food(item: &'static str, unit: &'static str, price: i64, shelf_life: &'static str) -> Food {
    Food { item, unit, price, shelf_life }
}

const SUPPLIERS: &[(&str, &str)] = &[
    ("示范市绿源蔬菜配送有限公司", "送货单、农药残留快检记录"),
    ("鲜丰肉类批发部", "送货单、动物检疫合格证明"),
    ("光明乳业示范配送站", "送货单、出厂检验报告"),
    ("金穗粮油店", "发票、产品合格证"),
    ("示范市麦香食品厂", "送货单、食品生产许可证复印件"),
    ("示范市燃气公司", "燃气费发票"),
    ("海润水产经营部", "送货单、水产品检验合格证明"),
];

const CATEGORIES: &[Category] = &[
    Category {
        name: "粮食",
        share: 800,
        keep: (25, 45),
        rhythm: Rhythm::Fortnightly,
        supplier: 3,
        foods: &[
            food("大米", "kg", 560, "12个月"),
            food("面粉", "kg", 480, "9个月"),
            food("小米", "kg", 900, "12个月"),
        ],
    },
    Category {
        name: "食用油",
        share: 400,
        keep: (30, 50),
        rhythm: Rhythm::Fortnightly,
        supplier: 3,
        foods: &[food("花生油", "桶(5L)", 9_800, "18个月"), food("菜籽油", "桶(5L)", 7_800, "18个月")],
    },
    Category {
        name: "肉禽蛋",
        share: 2_800,
        keep: (4, 9),
        rhythm: Rhythm::MostDays,
        supplier: 1,
        foods: &[
            food("猪肉", "kg", 2_800, ""),
            food("鸡腿", "kg", 2_200, ""),
            food("鸡蛋", "kg", 1_100, "30天"),
            food("牛肉", "kg", 7_600, ""),
        ],
    },
    Category {
        name: "水产",
        share: 700,
        keep: (0, 6),
        rhythm: Rhythm::TwiceWeekly,
        supplier: 6,
        foods: &[food("鲈鱼", "kg", 3_600, ""), food("基围虾", "kg", 6_800, ""), food("带鱼", "kg", 3_200, "")],
    },
    Category {
        name: "蔬菜",
        share: 2_000,
        keep: (0, 3),
        rhythm: Rhythm::Daily,
        supplier: 0,
        foods: &[
            food("青菜", "kg", 500, ""),
            food("西红柿", "kg", 700, ""),
            food("土豆", "kg", 400, ""),
            food("胡萝卜", "kg", 380, ""),
            food("西兰花", "kg", 900, ""),
            food("黄瓜", "kg", 600, ""),
        ],
    },
    Category {
        name: "豆制品",
        share: 500,
        keep: (0, 2),
        rhythm: Rhythm::Daily,
        supplier: 0,
        foods: &[food("豆腐", "kg", 500, "2天"), food("豆干", "kg", 1_200, "7天")],
    },
    Category {
        name: "奶类",
        share: 1_200,
        keep: (0, 5),
        rhythm: Rhythm::Daily,
        supplier: 2,
        foods: &[food("纯牛奶(24盒)", "箱", 6_000, "6个月"), food("酸奶(20杯)", "箱", 7_200, "21天")],
    },
    Category {
        name: "水果",
        share: 1_000,
        keep: (0, 5),
        rhythm: Rhythm::Daily,
        supplier: 0,
        foods: &[food("苹果", "kg", 1_000, ""), food("香蕉", "kg", 700, ""), food("橙子", "kg", 900, "")],
    },
    Category {
        name: "点心",
        share: 300,
        keep: (10, 20),
        rhythm: Rhythm::Weekly,
        supplier: 4,
        foods: &[food("全麦面包", "袋", 1_200, "5天"), food("发糕", "袋", 1_000, "3天")],
    },
    Category {
        name: "调味品",
        share: 200,
        keep: (40, 60),
        rhythm: Rhythm::Monthly,
        supplier: 3,
        foods: &[
            food("食盐(加碘)", "袋(5kg)", 2_500, "36个月"),
            food("酱油", "桶(5L)", 4_500, "24个月"),
            food("香醋", "桶(5L)", 3_000, "24个月"),
        ],
    },
    Category {
        name: "燃料",
        share: 100,
        keep: (0, 0),
        rhythm: Rhythm::Monthly,
        supplier: 5,
        foods: &[food("天然气", "立方米", 350, "")],
    },
];

/// Staff who eat at school on a school day, and what a staff meal costs them.
const STAFF_EATING: i64 = 18;
const STAFF_MEAL: Fen = Fen(800);
const KITCHEN_MANAGER: &str = "周师傅";

/// Splits `total` into the categories' shares (the last takes the remainder).
fn by_share(total: Fen) -> Vec<Fen> {
    let mut out: Vec<Fen> = CATEGORIES.iter().map(|c| mul_div(total, c.share, 10_000)).collect();
    let rest = total - out.iter().copied().sum::<Fen>();
    if let Some(last) = out.last_mut() {
        *last += rest;
    }
    out
}

/// Fills the meal account from the demo's history start up to `today`. Months before this one
/// are counted; this month has its deliveries so far.
pub fn fill(tx: &Tx, today: NaiveDate, cal: &SchoolCalendar) -> Result<MealDemo> {
    let mut rng = DemoRng::new(0x4d45_414c); // "MEAL"
                                             // The district education bureau's line for complaints about school meals.
    crate::settings::set_in_tx(tx, settings::KEY_PHONE, Some("0571-87654321"))?;
    let s = settings::get(tx)?;
    let this_month = YearMonth::of(today);
    let mut out = MealDemo::default();
    let mut month = YearMonth::of(super::history_start(today));
    while month <= this_month {
        let school_days: Vec<NaiveDate> =
            month.days().filter(|d| cal.is_school_day(*d) && !cal.day(*d).charged_closure).collect();
        let complete = month < this_month;
        let elapsed: Vec<NaiveDate> = school_days.iter().copied().filter(|d| *d < today).collect();
        let income = meal_income(tx, &s, month)?.income();
        if school_days.is_empty() || income.as_i64() <= 0 {
            if complete {
                count(tx, month, &s, None, today)?;
                out.counted_months += 1;
            }
            month = month.next();
            continue;
        }
        // The children's food: income less a small profit or loss (−1.2% … +1.5%).
        let profit_bp = rng.below(271) as i64 - 120;
        let children = mul_div(income, 10_000 - profit_bp, 10_000);
        let meals = STAFF_EATING * school_days.len() as i64 - rng.below(3 * school_days.len()) as i64;
        let staff_income = Fen(STAFF_MEAL.0 * meals);
        let staff = mul_div(staff_income, 10_000 - (rng.below(401) as i64 - 200), 10_000);
        let mut used = by_share(children + staff);
        let staff_used = by_share(staff);
        if !complete {
            // Only the deliveries so far this month.
            for u in &mut used {
                *u = mul_div(*u, elapsed.len() as i64, school_days.len() as i64);
            }
        }
        let opening = store_month(tx, month)?;
        let mut closing = Vec::with_capacity(CATEGORIES.len());
        let days = if complete { &school_days } else { &elapsed };
        let mut deliveries: Vec<(NaiveDate, usize, Vec<PurchaseLineInput>)> = Vec::new();
        for (ci, c) in CATEGORIES.iter().enumerate() {
            let open = opening.lines.iter().find(|l| l.category == c.name).map(|l| l.opening).unwrap_or_default();
            let keep_pct = c.keep.0 + rng.below(c.keep.1 - c.keep.0 + 1);
            let keep = mul_div(used[ci], keep_pct as i64, 100);
            let need = used[ci] + keep - open;
            let dates: Vec<NaiveDate> = days
                .iter()
                .enumerate()
                .filter(|(i, d)| {
                    let first_of_half = *i == 0 || (d.day() > 15 && days[i - 1].day() <= 15);
                    c.rhythm.delivers(**d, *i == 0, first_of_half)
                })
                .map(|(_, d)| *d)
                .collect();
            // A short month may have no day of the category's rhythm: deliver on its first day.
            let dates = if dates.is_empty() { days.iter().take(1).copied().collect() } else { dates };
            let mut bought = Fen::ZERO;
            if need.as_i64() > 0 && !dates.is_empty() {
                let per = Fen(need.as_i64() / dates.len() as i64);
                for (k, date) in dates.iter().enumerate() {
                    let last = k + 1 == dates.len();
                    // ±25% from delivery to delivery; the last one makes up the month.
                    let target = if last { need - bought } else { mul_div(per, 75 + rng.below(51) as i64, 100) };
                    if target.as_i64() <= 0 {
                        continue;
                    }
                    // One to three foods of the category per delivery, sharing the amount.
                    let n = 1 + rng.below(c.foods.len().min(3));
                    let first = rng.below(c.foods.len());
                    let mut lines = Vec::with_capacity(n);
                    let mut left = target;
                    for j in 0..n {
                        let f = &c.foods[(first + j) % c.foods.len()];
                        let part = if j + 1 == n { left } else { Fen(target.as_i64() / n as i64) };
                        if part.as_i64() <= 0 {
                            continue;
                        }
                        // Loose food by the tenth of a kilogram, packed food by the whole
                        // unit; rounded up so the month is covered.
                        let step = if f.unit == "kg" || f.unit == "立方米" { 1 } else { 10 };
                        let tenths = ((part.as_i64() * 10 + f.price * step - 1) / (f.price * step)).max(1) * step;
                        let amount = Fen((tenths * f.price).div_euclid(10));
                        bought += amount;
                        left -= amount;
                        lines.push(PurchaseLineInput {
                            item: f.item.into(),
                            category: c.name.into(),
                            quantity: if step == 10 {
                                (tenths / 10).to_string()
                            } else {
                                format!("{}.{}", tenths / 10, tenths % 10)
                            },
                            unit: f.unit.into(),
                            amount: amount.to_yuan_string(),
                            batch: if f.shelf_life.is_empty() {
                                String::new()
                            } else {
                                (*date - chrono::Duration::days(1 + rng.below(20) as i64))
                                    .format("%Y-%m-%d")
                                    .to_string()
                            },
                            shelf_life: f.shelf_life.into(),
                        });
                    }
                    match deliveries.iter_mut().find(|(d, s, _)| d == date && *s == c.supplier) {
                        Some((_, _, all)) => all.extend(lines),
                        None => deliveries.push((*date, c.supplier, lines)),
                    }
                }
            }
            closing.push(open + bought - used[ci]);
        }
        deliveries.sort_by_key(|(d, s, _)| (*d, *s));
        for (date, supplier, lines) in deliveries {
            let (name, certificate) = SUPPLIERS[supplier];
            add_in_tx(
                tx,
                &PurchaseInput {
                    date,
                    supplier: name.into(),
                    receiver: if rng.chance(85) { KITCHEN_MANAGER.into() } else { "吴师傅".into() },
                    certificate: certificate.into(),
                    note: String::new(),
                    lines,
                },
                today,
            )?;
            out.purchases += 1;
        }
        if complete {
            let lines = CATEGORIES
                .iter()
                .enumerate()
                .map(|(i, c)| CountLineInput {
                    category: c.name.into(),
                    closing: closing[i].to_yuan_string(),
                    staff: staff_used[i].to_yuan_string(),
                })
                .collect();
            count(tx, month, &s, Some((lines, meals, staff_income)), today)?;
            out.counted_months += 1;
        }
        month = month.next();
    }
    Ok(out)
}

type Counted = (Vec<CountLineInput>, i64, Fen);

/// The month-end count on the month's last day; without figures, the stock stays as it was.
fn count(
    tx: &Tx,
    month: YearMonth,
    s: &settings::MealSettings,
    counted: Option<Counted>,
    today: NaiveDate,
) -> Result<()> {
    let (lines, staff_meals, staff_income) = match counted {
        Some((lines, meals, income)) => (lines, meals.to_string(), income.to_yuan_string()),
        None => {
            let store = store_month(tx, month)?;
            let lines = store
                .lines
                .iter()
                .filter(|l| s.has_category(&l.category))
                .map(|l| CountLineInput {
                    category: l.category.clone(),
                    closing: (l.opening + l.purchases).to_yuan_string(),
                    staff: String::new(),
                })
                .collect();
            (lines, String::new(), String::new())
        }
    };
    save_count_in_tx(
        tx,
        month,
        &CountInput {
            kind: CountKind::Count,
            counted_on: month.last_day().min(today),
            counted_by: KITCHEN_MANAGER.into(),
            note: String::new(),
            lines,
            staff_meals,
            staff_income,
        },
        today,
    )?;
    Ok(())
}
