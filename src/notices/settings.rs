//! The school's choices for its notices, kept in the settings table (audited):
//! paper layout, payment instructions, the payment deadline, what a notice
//! that ends in 应退 tells the family, a short line printed above the
//! school's name (a motto or the kindergarten group's name, in place of a logo),
//! and whether each notice ends in a tear-off 回执 the family signs and returns.

use crate::store::Conn;
use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::pdf::Sheet;
use crate::{Error, Result};

const KEY_LAYOUT: &str = "notices.layout";
const KEY_PAYMENT: &str = "notices.payment_text";
const KEY_DEADLINE: &str = "notices.deadline_day";
const KEY_REFUND: &str = "notices.refund_text";
const KEY_HEADER: &str = "notices.header_text";
const KEY_RECEIPT: &str = "notices.receipt_stub";

/// Longest payment or refund text accepted (it has to fit a notice).
const MAX_TEXT: usize = 300;
/// Longest header line accepted: one line above the title, even on an A5 half.
const MAX_HEADER: usize = 30;

/// How notices sit on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One notice per A4 portrait page.
    #[default]
    A4,
    /// Two A5 notices on each A4 sheet, with a cut line (saves paper).
    A5x2,
}

impl Layout {
    /// The sheet the PDF foundation lays the notices out on.
    pub fn sheet(self) -> Sheet {
        match self {
            Layout::A4 => Sheet::A4Portrait,
            Layout::A5x2 => Sheet::TwoA5OnA4,
        }
    }

    /// `a4` / `a5x2` (the stored value and the CLI's spelling).
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::A4 => "a4",
            Layout::A5x2 => "a5x2",
        }
    }

    /// A4 纵向 / A5 两联.
    pub fn label(self) -> &'static str {
        match self {
            Layout::A4 => "A4 纵向,每页一张",
            Layout::A5x2 => "A5 两联,每张 A4 纸两张(中间有裁剪线)",
        }
    }

    /// Reads `a4`, `a5x2` (also `A5`, `两联`).
    pub fn parse(s: &str) -> Result<Layout> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(Layout::A4),
            "a5x2" | "a5" | "2a5" | "a5*2" | "两联" => Ok(Layout::A5x2),
            other => {
                Err(Error::invalid(format!("未知的通知单版式“{other}”,可用:a4(A4 每页一张)、a5x2(A4 纸上两张 A5)")))
            }
        }
    }
}

/// The notice settings (通知单设置).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoticeSettings {
    /// Paper layout.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub layout: Layout,
    /// 缴费方式: printed on every notice that asks for money.
    pub payment_text: String,
    /// Pay by this day of the billing month (1–28); `None` prints no deadline.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub deadline_day: Option<u32>,
    /// Printed instead of the payment text when the total is owed to the family (应退).
    pub refund_text: String,
    /// 标题上方文字: a short line above the school's name (a motto, the
    /// kindergarten group's name); empty prints nothing.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub header_text: String,
    /// 回执: a tear-off strip at the foot of each notice (child, class,
    /// period, amount, blanks for the parent's signature and date), for
    /// schools that collect proof the family received the notice. Off by default.
    #[serde(default)]
    pub receipt_stub: bool,
}

impl Default for NoticeSettings {
    fn default() -> Self {
        NoticeSettings {
            layout: Layout::A4,
            payment_text: "请通过微信、支付宝或到财务室缴费;转账时请备注幼儿姓名和班级。".into(),
            deadline_day: Some(10),
            refund_text: "应退金额由财务室按原缴费方式退还,如有疑问请联系财务室。".into(),
            header_text: String::new(),
            receipt_stub: false,
        }
    }
}

impl NoticeSettings {
    /// Every problem with these settings (empty texts, a deadline day that
    /// does not exist in every month, text too long for a notice).
    pub fn check(&self) -> Result<()> {
        let mut problems = Vec::new();
        for (text, what) in [(&self.payment_text, "缴费说明"), (&self.refund_text, "退费说明")] {
            let n = text.trim().chars().count();
            if n == 0 {
                problems.push(format!("请填写{what}"));
            } else if n > MAX_TEXT {
                problems.push(format!("{what}不能超过 {MAX_TEXT} 个字(现在 {n} 个字)"));
            } else if let Err(why) = crate::text::check(what, crate::text::Kind::Note, MAX_TEXT, text) {
                problems.push(why);
            }
        }
        if let Some(day) = self.deadline_day {
            if !(1..=28).contains(&day) {
                problems.push(format!("缴费截止日必须是 1 到 28 日之间(每个月都有的日子),而不是 {day} 日"));
            }
        }
        let header = self.header_text.trim().chars().count();
        if header > MAX_HEADER {
            problems.push(format!("标题上方文字不能超过 {MAX_HEADER} 个字(现在 {header} 个字),它要在标题上方印成一行"));
        }
        if self.header_text.contains('\n') {
            problems.push("标题上方文字只能有一行".to_string());
        } else if let Err(why) =
            crate::text::check("标题上方文字", crate::text::Kind::Line, MAX_HEADER, &self.header_text)
        {
            problems.push(why);
        }
        let texts = [self.payment_text.as_str(), self.refund_text.as_str(), self.header_text.as_str()];
        problems.extend(crate::pdf::unprintable(&texts));
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(problems.join(";")))
        }
    }
}

/// The saved settings, with the defaults for anything never set.
pub fn get(conn: &Conn) -> Result<NoticeSettings> {
    let d = NoticeSettings::default();
    let layout = match crate::settings::get(conn, KEY_LAYOUT)? {
        Some(v) => Layout::parse(&v)?,
        None => d.layout,
    };
    let payment_text = crate::settings::get(conn, KEY_PAYMENT)?.unwrap_or(d.payment_text);
    let deadline_day = match crate::settings::get(conn, KEY_DEADLINE)? {
        None => d.deadline_day,
        Some(v) if v.trim().is_empty() => None,
        Some(v) => Some(
            v.trim()
                .parse()
                .map_err(|_| Error::invalid(format!("设置中的缴费截止日“{v}”无效,请在通知单设置中重新填写")))?,
        ),
    };
    let refund_text = crate::settings::get(conn, KEY_REFUND)?.unwrap_or(d.refund_text);
    let header_text = crate::settings::get(conn, KEY_HEADER)?.unwrap_or(d.header_text);
    let receipt_stub = match crate::settings::get(conn, KEY_RECEIPT)?.as_deref() {
        None => d.receipt_stub,
        Some("on") => true,
        Some("off") => false,
        Some(v) => return Err(Error::invalid(format!("设置中的回执选项“{v}”无效,请在通知单设置中重新选择"))),
    };
    Ok(NoticeSettings { layout, payment_text, deadline_day, refund_text, header_text, receipt_stub })
}

/// Saves the settings in one transaction, each changed key audited with its
/// old and new value. Refused (nothing saved) if any value is unusable.
pub fn save(db: &mut Db, s: &NoticeSettings) -> Result<NoticeSettings> {
    let s = NoticeSettings {
        payment_text: s.payment_text.trim().to_string(),
        refund_text: s.refund_text.trim().to_string(),
        header_text: s.header_text.trim().to_string(),
        ..s.clone()
    };
    s.check()?;
    // An empty header is its default: stored as no key (an empty deadline is
    // not a default: it means "no deadline").
    let header = Some(s.header_text.clone()).filter(|h| !h.is_empty());
    crate::settings::save_all_for(
        db,
        crate::auth::Job::Fees,
        &[
            (KEY_LAYOUT, Some(s.layout.as_str().to_string())),
            (KEY_PAYMENT, Some(s.payment_text.clone())),
            (KEY_DEADLINE, Some(s.deadline_day.map(|d| d.to_string()).unwrap_or_default())),
            (KEY_REFUND, Some(s.refund_text.clone())),
            (KEY_HEADER, header),
            // Off is the default: stored as no key, like an empty header.
            (KEY_RECEIPT, s.receipt_stub.then(|| "on".to_string())),
        ],
    )?;
    get(db.conn())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_until_saved_then_saved_values_with_audit() {
        let mut db = Db::open_scratch().expect("db");
        assert_eq!(get(db.conn()).expect("get"), NoticeSettings::default());
        let s = NoticeSettings {
            layout: Layout::A5x2,
            payment_text: " 请到财务室缴费 ".into(),
            deadline_day: None,
            refund_text: "退至原账户".into(),
            header_text: " 阳光教育集团 ".into(),
            receipt_stub: true,
        };
        let saved = save(&mut db, &s).expect("save");
        assert_eq!(saved.layout, Layout::A5x2);
        assert_eq!(saved.payment_text, "请到财务室缴费");
        assert_eq!(saved.deadline_day, None);
        assert_eq!(saved.header_text, "阳光教育集团");
        assert!(saved.receipt_stub);
        let log = crate::db::audit::recent(db.conn(), Some("setting"), 10).expect("audit");
        assert_eq!(log.len(), 6);
        // Saving the same again changes nothing and audits nothing.
        save(&mut db, &saved).expect("same");
        assert_eq!(crate::db::audit::recent(db.conn(), Some("setting"), 10).expect("audit").len(), 6);
        // Off again: back to the default, stored as no key.
        let off = save(&mut db, &NoticeSettings { receipt_stub: false, ..saved }).expect("off");
        assert!(!off.receipt_stub);
        assert_eq!(crate::settings::get(db.conn(), KEY_RECEIPT).expect("get"), None);
    }

    #[test]
    fn bad_settings_are_refused_and_change_nothing() {
        let mut db = Db::open_scratch().expect("db");
        let s = NoticeSettings { deadline_day: Some(31), payment_text: " ".into(), ..NoticeSettings::default() };
        let err = save(&mut db, &s).expect_err("refused").to_string();
        assert!(err.contains("请填写缴费说明"), "{err}");
        assert!(err.contains("1 到 28 日"), "{err}");
        assert_eq!(get(db.conn()).expect("get"), NoticeSettings::default());
        let long = NoticeSettings { header_text: "快".repeat(31), ..NoticeSettings::default() };
        let err = save(&mut db, &long).expect_err("too long").to_string();
        assert!(err.contains("标题上方文字不能超过 30 个字"), "{err}");
        assert_eq!(get(db.conn()).expect("get"), NoticeSettings::default());
        assert!(Layout::parse("A3").is_err());
        assert_eq!(Layout::parse(" A5X2 ").expect("a5x2"), Layout::A5x2);
    }
}
