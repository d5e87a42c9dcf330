//! `houqin payments …`: 收款登记 from the command line — record a payment (or
//! a refund paid out), list them, reverse one (冲销) with a reason, a
//! child's balance (上期欠费/上期结余), and print receipts (收据): one, or every
//! receipt of a month in one PDF. Amounts are typed in 元 and parsed by the
//! core; the child is given by 学号.

use std::path::PathBuf;

use clap::Subcommand;

use super::settle::{child_by_no, date};
use super::{output, Ctx};
use crate::say;
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::payments::receipt::{self, ReceiptPrint, ReceiptRef};
use houqin::payments::{self, PayMethod, Payment, PaymentFilter, PaymentId, PaymentInput, PaymentKind, ReverseInput};
use houqin::Result;

#[derive(Subcommand)]
pub enum PaymentsCmd {
    /// 登记收款(家长缴费);--kind 退款 登记退还给家长的钱
    Add {
        /// 幼儿学号
        #[arg(long, value_name = "学号")]
        child: String,
        /// 金额(元),如 1234.50;总是正数
        // A typed "-5" reaches the core, which says in Chinese why it is refused.
        #[arg(long, allow_negative_numbers = true)]
        amount: String,
        /// 收款日期,如 2026-11-05(不能晚于今天)
        #[arg(long)]
        date: String,
        /// 收款方式:现金、微信、支付宝、银行转账、其他
        #[arg(long, default_value = "现金")]
        method: String,
        /// 收款 或 退款
        #[arg(long, default_value = "收款")]
        kind: String,
        /// 备注
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 收款记录(可按幼儿、月份筛选)
    List {
        /// 只看这名幼儿
        #[arg(long, value_name = "学号")]
        child: Option<String>,
        /// 只看这个月,如 2026-11
        #[arg(long)]
        month: Option<String>,
    },
    /// 冲销一条收款或退款记录(登记错了不能删除或修改,只能冲销)
    Reverse {
        /// 记录编号(见 payments list)
        id: i64,
        /// 冲销原因
        #[arg(long)]
        reason: String,
    },
    /// 幼儿当前的欠费或结余:已开具的通知单合计减已收款
    Balance {
        /// 幼儿学号
        #[arg(long, value_name = "学号")]
        child: String,
    },
    /// 打印一笔收款的收据(再次打印标“补打”)
    Receipt {
        /// 收款记录编号(如 42)或收据编号(如 2026-000123)
        #[arg(value_name = "编号")]
        which: String,
        /// 保存的 PDF 文件(默认:当前文件夹的 收据-<收据编号>.pdf)
        #[arg(long, value_name = "FILE.pdf")]
        out: Option<PathBuf>,
    },
    /// 把一个月全部收款的收据打印到一个 PDF(每张收据一页)
    Receipts {
        /// 收款日期所在的月份,如 2026-11
        #[arg(long)]
        month: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

pub fn run(db: &mut Db, ctx: &Ctx, cmd: PaymentsCmd) -> Result<()> {
    match cmd {
        PaymentsCmd::Add { child, amount, date: day, method, kind, note } => {
            let input = PaymentInput {
                child_id: child_by_no(db, &child)?,
                kind: PaymentKind::parse(&kind)?,
                paid_on: date(&day)?,
                amount,
                method: PayMethod::parse(&method)?,
                note,
            };
            let p = payments::add(db, &input)?;
            if ctx.json {
                return output::json(&p);
            }
            say!(
                "已登记第 {} 号{}:{}({}){} {} {} 元。",
                p.id,
                p.kind.label(),
                p.child,
                p.student_no,
                p.paid_on,
                p.method.label(),
                p.amount.abs().to_grouped_string()
            );
            Ok(())
        }
        PaymentsCmd::List { child, month } => {
            let filter = PaymentFilter {
                child_id: child.map(|c| child_by_no(db, &c)).transpose()?,
                month: month.map(|m| m.parse::<YearMonth>()).transpose()?,
            };
            let list = payments::list(db.conn(), &filter)?;
            if ctx.json {
                return output::json(&list);
            }
            let rows: Vec<Vec<String>> = list.iter().map(list_row).collect();
            output::table(&["编号", "日期", "学号", "姓名", "类型", "方式", "金额(元)", "备注", "状态", "收据"], &rows);
            // Stored amounts, possibly from before amounts were bounded: a checked sum.
            let net = houqin::money::try_sum(list.iter().map(|p| p.amount))?;
            say!("共 {} 条,净收款 {} 元。", list.len(), net.to_grouped_string());
            Ok(())
        }
        PaymentsCmd::Reverse { id, reason } => {
            let r = payments::reverse(db, &ReverseInput { id: PaymentId(id), reason })?;
            if ctx.json {
                return output::json(&r);
            }
            say!("已冲销第 {id} 号记录({} 元),冲销记录为第 {} 号。", (-r.amount).to_grouped_string(), r.id);
            Ok(())
        }
        PaymentsCmd::Balance { child } => {
            let id = child_by_no(db, &child)?;
            let b = payments::balance(db.conn(), id, None)?;
            if ctx.json {
                return output::json(&b);
            }
            let kid = houqin::school::children::get(db.conn(), id, None)?;
            let state = match b.balance.as_i64() {
                0 => "已结清".to_string(),
                x if x > 0 => format!("欠费 {} 元", b.balance.to_grouped_string()),
                _ => format!("结余 {} 元", b.balance.abs().to_grouped_string()),
            };
            say!(
                "{}({}):已开具通知单 {} 张,合计 {} 元;已收款 {} 元;{}。",
                kid.name,
                kid.student_no,
                b.notices,
                b.billed.to_grouped_string(),
                b.paid.to_grouped_string(),
                state
            );
            Ok(())
        }
        PaymentsCmd::Receipt { which, out } => {
            let which: ReceiptRef = which.parse()?;
            let out = match out {
                Some(path) => path,
                None => PathBuf::from(format!("收据-{}.pdf", receipt::get(db.conn(), which)?.number)),
            };
            let printed = receipt::print(db, which, &out)?;
            say_printed(ctx, &printed)
        }
        PaymentsCmd::Receipts { month, out } => {
            let printed = receipt::print_month(db, month.parse()?, &out)?;
            say_printed(ctx, &printed)
        }
    }
}

fn say_printed(ctx: &Ctx, p: &ReceiptPrint) -> Result<()> {
    if ctx.json {
        return output::json(p);
    }
    let numbers = match (p.numbers.first(), p.numbers.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} 至 {b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let mut marks = Vec::new();
    if p.reprints > 0 {
        marks.push(format!("补打 {} 张", p.reprints));
    }
    if p.voided > 0 {
        marks.push(format!("作废 {} 张", p.voided));
    }
    let marks = if marks.is_empty() { String::new() } else { format!("({})", marks.join(",")) };
    say!(
        "已打印收据 {} 张{marks}:编号 {numbers},合计 {} 元(不含作废)。已保存到 {}",
        p.numbers.len(),
        p.total.to_grouped_string(),
        p.path.display()
    );
    Ok(())
}

fn list_row(p: &Payment) -> Vec<String> {
    let state = match (p.reverses, p.reversed_by) {
        (Some(of), _) => format!("冲销第 {of} 号"),
        (None, Some(by)) => format!("已被第 {by} 号冲销"),
        (None, None) => String::new(),
    };
    vec![
        p.id.to_string(),
        p.paid_on.to_string(),
        p.student_no.clone(),
        p.child.clone(),
        p.kind.label().to_string(),
        p.method.label().to_string(),
        p.amount.to_grouped_string(),
        p.note.clone(),
        state,
        match (p.receipt, p.receipt_prints) {
            (Some(no), 0) => format!("{no} 未打印"),
            (Some(no), n) => format!("{no} 已打印 {n} 次"),
            (None, _) => String::new(),
        },
    ]
}
