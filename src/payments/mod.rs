//! Payments (收款登记) and the balance they leave (上期欠费/上期结余).
//!
//! The bursar records what a family paid (收款) and what the school paid back
//! to a family (退款): child, date, amount in fen, method, note. An entry is
//! never edited or deleted: a mistaken one is cancelled by a reversal (冲销),
//! a new entry with the opposite amount that names the one it cancels. Every
//! entry and reversal is one transaction with an audit row.
//!
//! - [`record`]: [`add`], [`reverse`], [`list`].
//! - [`receipt`]: the 收据 of a 收款 — numbered when it is recorded, printed
//!   (and reprinted as 补打) from the list or the command line.
//! - [`balance`](mod@balance): what a family owes or has in credit — the period amounts of
//!   the notices issued so far (each notice's total without the previous
//!   balance it carried) minus the payments. The notice of settled month M
//!   carries the balance before it ([`balances_before`]): the notices of
//!   months before M, and the payments dated up to the last day of M (a
//!   payment made in M+1 pays the notice for M, so it does not count on that
//!   notice itself; it shows on the next one).
//!
//! Glossary: payment 收款; refund paid out 退款; reversal 冲销; method 收款方式
//! (现金/微信/支付宝/银行转账/其他); balance owed 上期欠费; credit 上期结余.

pub mod balance;
pub mod receipt;
mod receipt_pdf;
pub mod record;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::school::{id_type, text_enum_sql, ChildId};
use crate::{Error, Fen, Result};

pub use balance::{balance, balances_before, Balance};
pub use record::{add, add_in_tx, list, reverse, PaymentFilter};

id_type!(
    /// One entry of the payment record (收款、退款 or 冲销).
    PaymentId
);

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    /// 收款: received from the family (amount > 0).
    Payment,
    /// 退款: paid out to the family (stored < 0).
    Refund,
    /// 冲销: cancels an earlier entry (the opposite of its amount).
    Reversal,
}
text_enum_sql!(PaymentKind { Payment => "payment", Refund => "refund", Reversal => "reversal" });

impl PaymentKind {
    /// 收款 / 退款 / 冲销.
    pub fn label(self) -> &'static str {
        match self {
            PaymentKind::Payment => "收款",
            PaymentKind::Refund => "退款",
            PaymentKind::Reversal => "冲销",
        }
    }

    /// `收款`, `退款` or the code (`payment`, `refund`); a reversal is made by [`reverse`] only.
    pub fn parse(text: &str) -> Result<PaymentKind> {
        match text.trim() {
            "收款" | "payment" => Ok(PaymentKind::Payment),
            "退款" | "refund" => Ok(PaymentKind::Refund),
            other => Err(Error::invalid(format!("类型“{other}”不对,应为 收款 或 退款(冲销请用“冲销”功能)"))),
        }
    }
}

/// 收款方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PayMethod {
    /// 现金
    Cash,
    /// 微信
    Wechat,
    /// 支付宝
    Alipay,
    /// 银行转账
    Bank,
    /// 其他
    Other,
}
text_enum_sql!(PayMethod { Cash => "cash", Wechat => "wechat", Alipay => "alipay", Bank => "bank", Other => "other" });

impl PayMethod {
    /// Every method, in the order forms list them.
    pub const ALL: [PayMethod; 5] =
        [PayMethod::Cash, PayMethod::Wechat, PayMethod::Alipay, PayMethod::Bank, PayMethod::Other];

    /// 现金 / 微信 / 支付宝 / 银行转账 / 其他.
    pub fn label(self) -> &'static str {
        match self {
            PayMethod::Cash => "现金",
            PayMethod::Wechat => "微信",
            PayMethod::Alipay => "支付宝",
            PayMethod::Bank => "银行转账",
            PayMethod::Other => "其他",
        }
    }

    /// The Chinese label (银行 for 银行转账 too) or the code.
    pub fn parse(text: &str) -> Result<PayMethod> {
        let t = text.trim();
        PayMethod::ALL
            .into_iter()
            .find(|m| m.label() == t || m.code() == t || (t == "银行" && *m == PayMethod::Bank))
            .ok_or_else(|| {
                let all: Vec<&str> = PayMethod::ALL.iter().map(|m| m.label()).collect();
                Error::invalid(format!("收款方式“{t}”不对,应为 {} 之一", all.join("、")))
            })
    }
}

/// One entry as stored and listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Payment {
    pub id: PaymentId,
    pub child_id: ChildId,
    /// 姓名 and 学号, for lists.
    pub child: String,
    pub student_no: String,
    pub kind: PaymentKind,
    /// The day the money moved (a reversal: the day of the entry it cancels).
    pub paid_on: NaiveDate,
    /// Signed as it moves the balance: > 0 received, < 0 paid out.
    pub amount: Fen,
    pub method: PayMethod,
    /// The note, or a reversal's reason.
    pub note: String,
    /// For a reversal: the entry it cancels.
    pub reverses: Option<PaymentId>,
    /// For an entry that was reversed: the reversal.
    pub reversed_by: Option<PaymentId>,
    /// When and by whom it was entered.
    pub recorded_at: String,
    pub recorded_by: String,
    /// 收据编号, for a 收款 (refunds and reversals have none).
    pub receipt: Option<receipt::ReceiptNo>,
    /// How often its receipt was printed (0: never).
    pub receipt_prints: u32,
}

/// A new 收款 or 退款, as a form or the command line gives it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PaymentInput {
    pub child_id: ChildId,
    /// [`PaymentKind::Payment`] or [`PaymentKind::Refund`].
    pub kind: PaymentKind,
    /// The day the money moved; not after today.
    pub paid_on: NaiveDate,
    /// In yuan as typed (`1234.50`, `¥1,234.50`): always positive, the kind says which way.
    pub amount: String,
    pub method: PayMethod,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub note: String,
}

/// A reversal (冲销) of an entry, with the reason.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReverseInput {
    pub id: PaymentId,
    pub reason: String,
}
