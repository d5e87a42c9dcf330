//! Printed fee notices (缴费/退费通知单) and refund statements (退费明细表).
//!
//! What is here:
//! - [`prepare`]: the notices for a settled month M, one per child, billing
//!   month M+1: next month's charges per fee item (from the rules in force
//!   then, settled by the same engine), the refunds confirmed for M with every
//!   explanation line, the corrections (补退/补收) M's settlement carries, the
//!   total in figures and in capital numerals (a negative total is 应退).
//!   Only a closed (confirmed) month can be printed: money printed on a notice
//!   must never be silently rewritten.
//! - The previous balance (上期欠费 / 上期结余): what the family still owes
//!   from the notices issued before, or has in credit, after the payments
//!   recorded up to the last day of M ([`crate::payments`]). Non-zero, it is a
//!   row of the money table with an explanation line, and the total includes
//!   it; zero, nothing is printed.
//! - [`print`](fn@print): writes one PDF for a child, a class or the school and records
//!   each notice ([`issue`]): its number, date of issue, who printed it and how
//!   often (a second print is marked 补打 with the count). If what a notice
//!   would say has changed since it was printed, the next print is a new notice
//!   that names the one it replaces.
//! - [`render_pdf`]: the notices as PDF on A4 (one per page) or two A5 per A4
//!   sheet with a cut line, chosen in [`NoticeSettings`]; a notice too long for
//!   its page keeps its money, payment and signature part together and moves
//!   the explanation to a continuation page.
//! - [`statement`]: the refund statement per class and the school summary
//!   for the bursar and the head (open months print marked 未结账).
//! - [`fodt`]: the same notices as one OpenDocument text, used by the
//!   benchmark that compares with converting an office document to PDF.
//!
//! Deliberately not here: receipts (收据) for payments; logos as images (the school's name is
//! printed as text, with an optional line above it set in [`NoticeSettings`]:
//! a motto or the kindergarten group's name).
//!
//! Glossary: notice 缴费通知单 (退费通知单 when the total is owed to the
//! family); reprint 补打; notice number 编号; refund statement 退费明细表;
//! school summary 全园汇总; correction 补退 (owed to the family) / 补收 (owed
//! to the school); issue date 开具日期; previous balance 上期欠费 (owed) /
//! 上期结余 (credit).

mod build;
pub mod fodt;
pub mod issue;
mod render;
pub mod settings;
pub mod statement;

use serde::{Deserialize, Serialize};

use crate::dates::YearMonth;
use crate::school::profile::SchoolProfile;
use crate::school::{ChildId, ClassId};
use crate::Fen;

pub use build::{prepare, settled_months};
pub use issue::{
    print, unprinted_up_to, EarlierUnprinted, PrintSummary, Progress, Stage, UnprintedFamily, UnprintedMonth,
};
pub use render::render_pdf;
pub use settings::{Layout, NoticeSettings};

/// Whose notices: one child, a class or the whole school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeScope {
    /// 全园.
    School,
    /// One class (by the class the child is in on the first day of the billing month).
    Class {
        /// The class.
        class_id: ClassId,
    },
    /// One child.
    Child {
        /// The child.
        child_id: ChildId,
    },
}

/// One line of a notice's money table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRow {
    /// 项目, e.g. 伙食费(11月) or 退伙食费(10月).
    pub item: String,
    /// 计算方式, e.g. 20 天 × 15.00 元 or 见说明 1–2.
    pub basis: String,
    /// > 0: owed by the family; < 0: owed to the family (refunds, 补退).
    pub amount: Fen,
}

/// How a notice was issued, once it has been printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueInfo {
    /// 编号, e.g. 202611-0012.
    pub number: String,
    /// How many times it has been printed, this print included once printed.
    pub print_count: u32,
    /// 开具日期: the day of the first print.
    pub issued_on: chrono::NaiveDate,
    /// Who printed it first.
    pub issued_by: String,
}

/// One child's notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The child.
    pub child_id: ChildId,
    /// 姓名.
    pub child: String,
    /// 班级 (on the first day of the billing month).
    pub class: String,
    /// 学号.
    pub student_no: String,
    /// The day the child left, when they are not enrolled in the billing
    /// month: the notice then has no billing period (缴费期) and no charges,
    /// only what is settled for the month they left, and says 已离园.
    pub left_on: Option<chrono::NaiveDate>,
    /// The money table, charges first, then refunds and corrections.
    pub rows: Vec<NoticeRow>,
    /// Numbered explanation lines (说明).
    pub explanations: Vec<String>,
    /// Sum of the rows; < 0 prints as 应退.
    pub total: Fen,
    /// The previous balance among the rows and in the total (上期欠费 > 0,
    /// 上期结余 < 0; zero: no such row): see [`crate::payments::balances_before`].
    pub balance: Fen,
    /// The notice as issued (for a notice printed before and unchanged), or
    /// as recorded by this print.
    pub issue: Option<IssueInfo>,
    /// The number of an earlier notice for the same child and month that this
    /// one replaces because what it says changed.
    pub replaces: Option<String>,
    /// Whether this notice differs from one printed before (a new number on the next print).
    pub changed_since_printed: bool,
}

impl Notice {
    /// Whether printing it now is a reprint (补打) of an unchanged notice.
    pub fn is_reprint(&self) -> bool {
        self.issue.as_ref().is_some_and(|i| i.print_count > 1)
    }
}

/// The notices of one settled month, with what every notice shares.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeBatch {
    /// The settled month M (refunds).
    pub month: YearMonth,
    /// The month billed, M+1 (charges).
    pub billing_month: YearMonth,
    /// The confirmed settlement the refunds come from.
    pub settlement_id: i64,
    /// Its revision (第 N 版).
    pub revision: i64,
    /// School name, bursar and head for the signature lines.
    pub school: SchoolProfile,
    /// Layout, payment text and deadline.
    pub settings: NoticeSettings,
    /// The notices, by class and 学号.
    pub notices: Vec<Notice>,
}

/// A name (or other printed text) that no available font can print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Unprintable {
    /// The text as stored, e.g. 王䶮.
    pub text: String,
    /// The characters no font has, as strings (for JSON).
    pub chars: Vec<String>,
    /// Whose notice it is on (class and 学号), when it is a child's name.
    pub whose: String,
}

impl NoticeBatch {
    /// Texts on these notices that cannot print (names with rare characters
    /// when no fallback font has them): checked before printing, so the user
    /// is told which names rather than getting boxes.
    pub fn unprintable(&self) -> Vec<Unprintable> {
        let mut out = Vec::new();
        let mut texts: Vec<(String, String)> = vec![(self.school.name.clone(), "学校名称".into())];
        for n in &self.notices {
            texts.push((n.child.clone(), format!("{} 学号 {}", n.class, n.student_no)));
            texts.push((n.class.clone(), "班级名称".into()));
        }
        texts.push((self.settings.payment_text.clone(), "缴费说明".into()));
        texts.push((self.settings.refund_text.clone(), "退费说明".into()));
        texts.push((self.settings.header_text.clone(), "标题上方文字".into()));
        texts.push((self.school.bursar_name.clone(), "会计姓名".into()));
        texts.push((self.school.head_name.clone(), "园长姓名".into()));
        let refs: Vec<&str> = texts.iter().map(|t| t.0.as_str()).collect();
        for (text, chars) in crate::pdf::missing_glyphs(&refs) {
            if out.iter().any(|u: &Unprintable| u.text == text) {
                continue;
            }
            let whose = texts.iter().find(|t| t.0 == text).map(|t| t.1.clone()).unwrap_or_default();
            out.push(Unprintable { text, chars: chars.iter().map(|c| c.to_string()).collect(), whose });
        }
        out
    }
}

/// One line of [`NoticePlan`]: a notice as the 通知单 screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanRow {
    /// The child.
    pub child_id: ChildId,
    /// 姓名.
    pub child: String,
    /// 班级.
    pub class: String,
    /// 学号.
    pub student_no: String,
    /// The day the child left, if not enrolled in the billing month (listed as 已离园).
    pub left_on: Option<chrono::NaiveDate>,
    /// Total of the notice (< 0: 应退).
    pub total: Fen,
    /// The previous balance included in the total (上期欠费 > 0, 上期结余 < 0).
    pub balance: Fen,
    /// 编号 if printed before and unchanged.
    pub number: Option<String>,
    /// How often it was printed (0: never).
    pub print_count: u32,
    /// The number it will replace if its money changed since it was printed.
    pub replaces: Option<String>,
}

/// What a print would hold, for the screen before printing: the notices with
/// their totals and print counts, the names that cannot print, and totals.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoticePlan {
    /// The settled month.
    pub month: YearMonth,
    /// The month billed.
    pub billing_month: YearMonth,
    /// The settlement's revision.
    pub revision: i64,
    /// The layout the PDF will use.
    pub layout: Layout,
    /// The notices.
    pub rows: Vec<PlanRow>,
    /// Names (and other texts) no font can print: printing is refused until fixed.
    pub unprintable: Vec<Unprintable>,
    /// Sum of the totals due from families (notices with a total > 0).
    pub total_due: Fen,
    /// Sum owed to families (notices with a total < 0), as a positive amount.
    pub total_refund: Fen,
    /// Notices printed before and unchanged (a print now is a reprint, 补打).
    pub printed: usize,
    /// Notices whose money changed since they were printed (new number on print).
    pub changed: usize,
}

/// The plan of a print: [`prepare`] summed up for the screen. Nothing is written.
pub fn plan(conn: &crate::store::Conn, month: YearMonth, scope: NoticeScope) -> crate::Result<NoticePlan> {
    let batch = prepare(conn, month, scope)?;
    let unprintable = batch.unprintable();
    let rows: Vec<PlanRow> = batch
        .notices
        .iter()
        .map(|n| PlanRow {
            child_id: n.child_id,
            child: n.child.clone(),
            class: n.class.clone(),
            student_no: n.student_no.clone(),
            left_on: n.left_on,
            total: n.total,
            balance: n.balance,
            number: n.issue.as_ref().map(|i| i.number.clone()),
            print_count: n.issue.as_ref().map_or(0, |i| i.print_count),
            replaces: n.replaces.clone(),
        })
        .collect();
    Ok(NoticePlan {
        month: batch.month,
        billing_month: batch.billing_month,
        revision: batch.revision,
        layout: batch.settings.layout,
        total_due: crate::money::try_sum(rows.iter().filter(|r| r.total > Fen::ZERO).map(|r| r.total))?,
        total_refund: crate::money::try_sum(rows.iter().filter(|r| r.total.is_negative()).map(|r| r.total.abs()))?,
        printed: rows.iter().filter(|r| r.number.is_some()).count(),
        changed: rows.iter().filter(|r| r.replaces.is_some()).count(),
        rows,
        unprintable,
    })
}

/// `11月`: a month as rows and explanations name it, without the year.
pub(crate) fn short_month(m: YearMonth) -> String {
    format!("{}月", m.month())
}

/// Chinese punctuation for print: an ASCII `, ; : ( ) ! ?` next to a Chinese
/// character becomes its full-width form (`，；：（）！？`), as printed Chinese
/// sets it. In a text that has Chinese in it, `, ; :` also become full-width
/// between other characters (`退 50%:800.00 元` → `退 50%：800.00 元`), unless
/// they sit between two digits (`1,234.50`, `12:30`). The engine's wording uses
/// ASCII punctuation (it also goes to terminals and spreadsheets); a text with
/// no Chinese at all (`¥1,234.50 (a, b)`) is left alone.
pub fn typeset(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let wide = |c: Option<&char>| c.is_some_and(|c| !c.is_ascii() && !c.is_whitespace());
    let chinese = chars.iter().any(|c| !c.is_ascii() && c.is_alphabetic());
    let digit = |c: Option<&char>| c.is_some_and(char::is_ascii_digit);
    let mut out = String::with_capacity(text.len() + 8);
    // Whether each open parenthesis was made full-width: its partner follows it.
    let mut open: Vec<bool> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let full = match c {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '(' => '（',
            ')' => '）',
            '!' => '！',
            '?' => '？',
            _ => {
                out.push(c);
                continue;
            }
        };
        let prev = if i > 0 { chars.get(i - 1) } else { None };
        let next = chars.get(i + 1);
        let mut convert = wide(prev) || wide(next);
        match c {
            '(' => open.push(convert),
            // A closing bracket takes its partner's width, so a pair never
            // mixes the two: "(48 小时)" stays ASCII, "日(9月)" goes full-width.
            ')' => convert = open.pop().unwrap_or(convert),
            ',' | ';' | ':' => convert |= chinese && !(digit(prev) && digit(next)),
            _ => {}
        }
        out.push(if convert { full } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typeset_uses_full_width_punctuation_next_to_chinese_only() {
        assert_eq!(
            typeset("连续请假(病假)2026-09-20 至 2026-09-23,共 4 个在校日(9月20日、23日);满 3 天起退:15.00 元 × 4 天 = 60.00 元"),
            "连续请假（病假）2026-09-20 至 2026-09-23，共 4 个在校日（9月20日、23日）；满 3 天起退：15.00 元 × 4 天 = 60.00 元"
        );
        assert_eq!(typeset("¥1,234.50 (a, b)"), "¥1,234.50 (a, b)");
        assert_eq!(typeset("按月收取(在校日 18 天)"), "按月收取（在校日 18 天）");
        assert_eq!(typeset("补退(+)/补收(-)"), "补退（+）/补收（-）");
        // A pair is never mixed: the closing bracket follows its partner.
        assert_eq!(typeset("可处理 (48 小时)"), "可处理 (48 小时)");
        assert_eq!(typeset("(共 3 人)合计"), "（共 3 人）合计");
        // A colon between a percentage and an amount, in a Chinese line; not in a time or a number.
        assert_eq!(
            typeset("符合“≤ 一半”档,退本月收费的 50%:800.00 元 × 50% = 400.00 元"),
            "符合“≤ 一半”档，退本月收费的 50%：800.00 元 × 50% = 400.00 元"
        );
        assert_eq!(typeset("12:30 交接,合计 1,234.50 元"), "12:30 交接，合计 1,234.50 元");
    }
}
