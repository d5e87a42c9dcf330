//! `meal-account`: the monthly 伙食费收支公示 (`--month M [--out FILE.pdf]
//! [--xlsx FILE.xlsx]`), and for scripting: purchases (add/list/delete), the
//! month-end count, the store of a month, publishing and withdrawing.

use clap::{Args, Subcommand};
use std::path::PathBuf;

use super::{output, Ctx};
use crate::say;
use houqin::dates::{parse_date, today, YearMonth};
use houqin::db::Db;
use houqin::meal_account::purchases::{self, PurchaseLineInput};
use houqin::meal_account::store::CountLineInput;
use houqin::meal_account::{self as meal, CountInput, CountKind, MealSheet, PurchaseId, PurchaseInput};
use houqin::output_file;
use houqin::{Error, Result};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MealArgs {
    #[command(subcommand)]
    pub cmd: Option<MealCmd>,
    /// 公示的月份,如 2025-10
    #[arg(long)]
    pub month: Option<String>,
    /// 把公示表保存为 PDF(A4 横向)
    #[arg(long, value_name = "FILE.pdf")]
    pub out: Option<PathBuf>,
    /// 同时导出 Excel
    #[arg(long, value_name = "FILE.xlsx")]
    pub xlsx: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum MealCmd {
    /// 食材进货登记
    #[command(subcommand)]
    Purchase(PurchaseCmd),
    /// 月末盘点:类别=库存金额 …(有进货或期初库存的类别都要填,没有剩余填 0)
    Count {
        #[arg(long)]
        month: String,
        /// 类别=库存金额,如 粮食=320.50
        #[arg(value_name = "类别=金额")]
        stock: Vec<String>,
        /// 盘点日期(默认该月最后一天或今天)
        #[arg(long)]
        date: Option<String>,
        /// 盘点人
        #[arg(long, default_value = "")]
        by: String,
        /// 教工伙食领用:类别=金额(可重复)
        #[arg(long = "staff", value_name = "类别=金额")]
        staff: Vec<String>,
        /// 教工用餐人次
        #[arg(long, default_value = "")]
        staff_meals: String,
        /// 教工伙食收入(元)
        #[arg(long, default_value = "")]
        staff_income: String,
        /// 只录入月底库存,作为下月的期初库存(开始使用本程序的前一个月)
        #[arg(long)]
        opening: bool,
    },
    /// 某月的库存:期初、购入、月末、出库
    Store {
        #[arg(long)]
        month: String,
    },
    /// 公示(公示后该月锁定)
    Publish {
        #[arg(long)]
        month: String,
        /// 公示日期(默认今天)
        #[arg(long)]
        date: Option<String>,
    },
    /// 撤销公示(须填写原因)
    Withdraw {
        #[arg(long)]
        month: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum PurchaseCmd {
    /// 登记一次进货:--line "品名,类别,数量,单位,金额[,生产日期或批号[,保质期]]"(可重复)
    Add {
        #[arg(long)]
        date: String,
        /// 供货单位
        #[arg(long)]
        supplier: String,
        /// 验收人
        #[arg(long)]
        receiver: String,
        /// 索证索票(送货单、发票、检疫合格证…)
        #[arg(long, default_value = "")]
        certificate: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long = "line", value_name = "品名,类别,数量,单位,金额[,批号[,保质期]]", required = true)]
        lines: Vec<String>,
    },
    /// 列出某月的进货
    List {
        #[arg(long)]
        month: String,
    },
    /// 删除一次进货(按编号)
    Delete { id: i64 },
}

fn date(s: &str) -> Result<chrono::NaiveDate> {
    parse_date(s).ok_or_else(|| Error::invalid(format!("“{s}”不是有效的日期(例如 2025-10-09)")))
}

/// `品名,类别,数量,单位,金额[,批号[,保质期]]` (commas in either width).
fn line(text: &str) -> Result<PurchaseLineInput> {
    let parts: Vec<&str> = text.split([',', ',']).map(str::trim).collect();
    if parts.len() < 5 || parts.len() > 7 {
        return Err(Error::invalid(format!(
            "“{text}”格式不对:应为 品名,类别,数量,单位,金额[,生产日期或批号[,保质期]]"
        )));
    }
    Ok(PurchaseLineInput {
        item: parts[0].into(),
        category: parts[1].into(),
        quantity: parts[2].into(),
        unit: parts[3].into(),
        amount: parts[4].into(),
        batch: parts.get(5).map(|s| s.to_string()).unwrap_or_default(),
        shelf_life: parts.get(6).map(|s| s.to_string()).unwrap_or_default(),
    })
}

/// `粮食=320.50` → (粮食, 320.50).
fn pair(text: &str) -> Result<(String, String)> {
    text.split_once(['=', '='])
        .map(|(c, v)| (c.trim().to_string(), v.trim().to_string()))
        .ok_or_else(|| Error::invalid(format!("“{text}”格式不对:应为 类别=金额,如 粮食=320.50")))
}

pub fn run(db: &mut Db, ctx: &Ctx, args: MealArgs) -> Result<()> {
    match args.cmd {
        Some(MealCmd::Purchase(cmd)) => purchase(db, ctx, cmd),
        Some(MealCmd::Count { month, stock, date: on, by, staff, staff_meals, staff_income, opening }) => {
            let month: YearMonth = month.parse()?;
            let counted_on = match on {
                Some(d) => date(&d)?,
                None => month.last_day().min(today()),
            };
            let mut lines: Vec<CountLineInput> = Vec::new();
            for p in &stock {
                let (category, closing) = pair(p)?;
                lines.push(CountLineInput { category, closing, staff: String::new() });
            }
            for p in &staff {
                let (category, amount) = pair(p)?;
                match lines.iter_mut().find(|l| l.category == category) {
                    Some(l) => l.staff = amount,
                    None => {
                        return Err(Error::invalid(format!("教工伙食领用的类别“{category}”没有填写月末库存")));
                    }
                }
            }
            let input = CountInput {
                kind: if opening { CountKind::Opening } else { CountKind::Count },
                counted_on,
                counted_by: by,
                note: String::new(),
                lines,
                staff_meals,
                staff_income,
            };
            let s = meal::save_count(db, month, &input)?;
            if ctx.json {
                return output::json(&s);
            }
            print_store(&s);
            say!("已保存 {} 的{}。", month.label(), if opening { "期初库存" } else { "月末盘点" });
            Ok(())
        }
        Some(MealCmd::Store { month }) => {
            let s = meal::store_month(db.conn(), month.parse()?)?;
            if ctx.json {
                return output::json(&s);
            }
            print_store(&s);
            Ok(())
        }
        Some(MealCmd::Publish { month, date: on }) => {
            let month: YearMonth = month.parse()?;
            let on = match on {
                Some(d) => date(&d)?,
                None => today(),
            };
            let sheet = meal::publish(db, month, on)?;
            say!("已公示 {} 伙食费收支表(本月盈亏率 {}),该月已锁定。", month.label(), sheet.month_ratio.text);
            Ok(())
        }
        Some(MealCmd::Withdraw { month, reason }) => {
            let month: YearMonth = month.parse()?;
            meal::withdraw(db, month, &reason)?;
            say!("已撤销 {} 的公示,可以更正后重新公示。", month.label());
            Ok(())
        }
        None => {
            let Some(month) = args.month else {
                return Err(Error::invalid("请指定 --month 月份(如 2025-10),或使用 purchase / count 等子命令"));
            };
            sheet(db, ctx, month.parse()?, args.out, args.xlsx)
        }
    }
}

fn sheet(db: &Db, ctx: &Ctx, month: YearMonth, out: Option<PathBuf>, xlsx: Option<PathBuf>) -> Result<()> {
    let s = meal::sheet_for(db.conn(), month)?;
    // Both files or neither.
    let mut files = Vec::new();
    if let Some(path) = &out {
        files.push((path.as_path(), meal::pdf::render(&s)?));
    }
    if let Some(path) = &xlsx {
        files.push((path.as_path(), meal::xlsx::to_bytes(&s, &meal::list_purchases(db.conn(), month)?)?));
    }
    output_file::write_files_atomic(&files)?;
    if ctx.json {
        return output::json(&s);
    }
    print_sheet(&s);
    if let Some(p) = &out {
        say!("已保存 PDF:{}", p.display());
    }
    if let Some(p) = &xlsx {
        say!("已导出 Excel:{}", p.display());
    }
    Ok(())
}

fn flag(r: &meal::Ratio, limit: &str) -> String {
    if r.outside {
        format!("{} 【超出{limit}】", r.text)
    } else {
        r.text.clone()
    }
}

fn print_sheet(s: &MealSheet) {
    say!("{}伙食费收支公示{}", s.month.label(), if s.publication.is_some() { "(已公示)" } else { "" });
    if let Some(why) = &s.stale {
        say!("注意:{why}。");
    }
    say!(
        "儿童人日数 {},用膳标准 {},在园 {} 天;应收 {} 元,幼儿退款 {} 元,本月收入 {} 元",
        s.child_days,
        s.rate_text,
        s.school_days,
        s.charged,
        s.refund,
        s.income
    );
    if s.subsidy != houqin::Fen::ZERO {
        say!("其中政府资助 {} 元(减免、资助由财政支付,计入收入,不是退款)", s.subsidy);
    }
    if let Some(short) = &s.short_unrefunded {
        say!(
            "其中{}:{} 天,{} 元(已含在应收和收入中)",
            houqin::meal_account::sheet::short_unrefunded_label(short, &s.fee_name),
            short.days,
            short.amount
        );
    }
    let o = |v: Option<houqin::Fen>| v.map(|f| f.to_string()).unwrap_or_else(|| "未盘点".into());
    let mut rows: Vec<Vec<String>> = s
        .categories
        .iter()
        .map(|l| {
            vec![
                l.category.clone(),
                l.opening.to_string(),
                l.purchases.to_string(),
                o(l.closing),
                o(l.issued),
                l.staff.to_string(),
                o(l.children),
            ]
        })
        .collect();
    let t = &s.total;
    rows.push(vec![
        "合计".into(),
        t.opening.to_string(),
        t.purchases.to_string(),
        o(t.closing),
        o(t.issued),
        t.staff.to_string(),
        o(t.children),
    ]);
    output::table(&["类别", "上月底库存", "本月购入", "本月底库存", "本月出库", "教工", "幼儿伙食支出"], &rows);
    say!("本月结余 {} 元,本月盈亏率 {}({})", o(s.balance), flag(&s.month_ratio, &s.limit_text), s.month_ratio.base);
    say!("学期累计结余 {} 元,累计盈亏率 {}({})", s.term.balance, flag(&s.term.ratio, &s.limit_text), s.term.ratio.base);
    if s.staff.recorded {
        say!(
            "教工伙食(单独核算):{} 人次,收入 {} 元,支出 {} 元,结余 {} 元",
            s.staff.meals,
            s.staff.income,
            s.staff.cost,
            s.staff.balance
        );
    }
    for (i, l) in s.explanation.iter().enumerate() {
        say!("{}. {l}", i + 1);
    }
}

fn print_store(s: &meal::StoreMonth) {
    let o = |v: Option<houqin::Fen>| v.map(|f| f.to_string()).unwrap_or_else(|| "—".into());
    let rows: Vec<Vec<String>> = s
        .lines
        .iter()
        .chain(std::iter::once(&s.total))
        .map(|l| {
            vec![
                l.category.clone(),
                l.opening.to_string(),
                l.purchases.to_string(),
                o(l.closing),
                o(l.issued),
                l.staff.to_string(),
            ]
        })
        .collect();
    output::table(&["类别", "上月底库存", "本月购入", "月末库存", "本月出库", "教工"], &rows);
}

fn purchase(db: &mut Db, ctx: &Ctx, cmd: PurchaseCmd) -> Result<()> {
    match cmd {
        PurchaseCmd::Add { date: d, supplier, receiver, certificate, note, lines } => {
            let input = PurchaseInput {
                date: date(&d)?,
                supplier,
                receiver,
                certificate,
                note,
                lines: lines.iter().map(|l| line(l)).collect::<Result<_>>()?,
            };
            let p = meal::add_purchase(db, &input)?;
            if ctx.json {
                return output::json(&p);
            }
            say!("已登记进货 #{}:{} {},{} 种,共 {} 元。", p.id, p.date, p.supplier, p.lines.len(), p.total);
            Ok(())
        }
        PurchaseCmd::List { month } => {
            let list = meal::list_purchases(db.conn(), month.parse()?)?;
            if ctx.json {
                return output::json(&list);
            }
            let mut rows = Vec::new();
            for p in &list {
                for l in &p.lines {
                    rows.push(vec![
                        p.id.to_string(),
                        p.date.to_string(),
                        p.supplier.clone(),
                        l.item.clone(),
                        l.category.clone(),
                        format!("{}{}", l.quantity, l.unit),
                        l.amount.to_string(),
                        l.batch.clone(),
                        l.shelf_life.clone(),
                        p.receiver.clone(),
                    ]);
                }
            }
            output::table(
                &["编号", "日期", "供货单位", "品名", "类别", "数量", "金额", "批号/生产日期", "保质期", "验收人"],
                &rows,
            );
            let total: houqin::Fen = list.iter().map(|p| p.total).sum();
            say!("共 {} 次进货,{} 元。", list.len(), total);
            Ok(())
        }
        PurchaseCmd::Delete { id } => {
            purchases::delete_purchase(db, PurchaseId(id))?;
            say!("已删除进货 #{id}。");
            Ok(())
        }
    }
}
