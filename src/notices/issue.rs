//! Issuing notices: numbers, dates of issue, print counts, and printing a batch
//! into one PDF file in one transaction.
//!
//! A notice is recorded the first time it is printed. Printing it again, with
//! the same money on it, is a reprint (补打): same number, the count goes up.
//! If the money on it would differ (the month was reopened and confirmed again,
//! next month's charge changed, or a payment recorded since changed the
//! previous balance it carries), the next print is a new notice with a new
//! number that names the one it replaces — a printed notice is never silently
//! given different amounts under the same number.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::{prepare, IssueInfo, NoticeBatch, NoticeRow, NoticeScope};
use crate::dates::YearMonth;
use crate::db::{now, Db, Tx};
use crate::error::Code;
use crate::school::ChildId;
use crate::store::{self, Conn};
use crate::{Error, Fen, Result};

/// The current (not replaced) record of a child's notice.
struct Current {
    id: i64,
    number: String,
    settlement_id: i64,
    rows: Vec<NoticeRow>,
    print_count: u32,
    issued_at: String,
    issued_by: String,
}

fn current(conn: &Conn, month: YearMonth) -> Result<HashMap<ChildId, Current>> {
    Ok(store::fees::notices::current(conn, month)?
        .into_iter()
        .map(|c| {
            // Rows that no longer read (never expected) count as changed: a new number, not a wrong reprint.
            let rows = serde_json::from_str(&c.rows_json).unwrap_or_default();
            let current = Current {
                id: c.id,
                number: c.number,
                settlement_id: c.settlement_id,
                rows,
                print_count: c.print_count,
                issued_at: c.issued_at,
                issued_by: c.issued_by,
            };
            (c.child_id, current)
        })
        .collect())
}

/// Whether two notices carry the same money: the same items with the same
/// amounts (the wording of a basis may change between versions of the app).
fn same_money(a: &[NoticeRow], b: &[NoticeRow]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.item == y.item && x.amount == y.amount)
}

fn issued_on(at: &str) -> NaiveDate {
    at.get(..10).and_then(|d| d.parse().ok()).unwrap_or_else(crate::dates::today)
}

/// Fills in each notice's issue (number, count so far, date) from the records,
/// or marks it as changed since it was printed.
pub(crate) fn attach(conn: &Conn, batch: &mut NoticeBatch) -> Result<()> {
    let records = current(conn, batch.month)?;
    for n in &mut batch.notices {
        n.issue = None;
        n.replaces = None;
        n.changed_since_printed = false;
        let Some(c) = records.get(&n.child_id) else { continue };
        if c.settlement_id == batch.settlement_id && same_money(&c.rows, &n.rows) {
            n.issue = Some(IssueInfo {
                number: c.number.clone(),
                print_count: c.print_count,
                issued_on: issued_on(&c.issued_at),
                issued_by: c.issued_by.clone(),
            });
        } else {
            n.changed_since_printed = true;
            n.replaces = Some(c.number.clone());
        }
    }
    Ok(())
}

/// Records this print of every notice in the batch: a reprint raises the count,
/// a first print (or a changed notice) gets the next number. Updates the batch
/// so the PDF shows what was recorded.
pub(crate) fn record(tx: &Tx, batch: &mut NoticeBatch, at: NaiveDateTime) -> Result<()> {
    let today = at.date();
    let records = current(tx, batch.month)?;
    // Read inside the transaction that takes the numbers: another PC printing
    // the same month waits for this one and then counts its notices too.
    let mut seq = store::fees::notices::count_of_month(tx, batch.month)?;
    let prefix = format!("{:04}{:02}", batch.billing_month.year(), batch.billing_month.month());
    for n in &mut batch.notices {
        if let Some(issue) = n.issue.as_mut() {
            let Some(c) = records.get(&n.child_id) else {
                return Err(Error::conflict("通知单记录刚刚被修改,请重新打印"));
            };
            store::fees::notices::reprinted(tx, c.id, at)?;
            issue.print_count = c.print_count + 1;
            tx.audit(
                "notice",
                &issue.number,
                "reprint",
                Some(&serde_json::json!({ "print_count": c.print_count })),
                Some(&serde_json::json!({ "print_count": issue.print_count })),
            )?;
            continue;
        }
        seq += 1;
        let number = format!("{prefix}-{seq:04}");
        let replaced = records.get(&n.child_id);
        let rows_json = serde_json::to_string(&n.rows).map_err(|e| Error::invalid(e.to_string()))?;
        store::fees::notices::issue(
            tx,
            &store::fees::notices::NewIssue {
                child_id: n.child_id,
                month: batch.month,
                settlement_id: batch.settlement_id,
                number: &number,
                total: n.total,
                rows_json: &rows_json,
                balance: n.balance,
            },
            at,
            replaced.map(|o| o.id),
        )?;
        tx.audit(
            "notice",
            &number,
            "issue",
            replaced.map(|o| serde_json::json!({ "replaces": o.number })).as_ref(),
            Some(&serde_json::json!({
                "child_id": n.child_id,
                "month": batch.month,
                "settlement_id": batch.settlement_id,
                "total_fen": n.total,
                "balance_fen": n.balance,
            })),
        )?;
        n.replaces = replaced.map(|o| o.number.clone());
        n.issue = Some(IssueInfo { number, print_count: 1, issued_on: today, issued_by: tx.operator().to_string() });
    }
    Ok(())
}

/// Records the notices of settled month `month` for `scope` as issued at
/// `at`, as printing does, without drawing or writing a PDF: the demo school's
/// notices of its closed months, so its families have balances. Returns how
/// many notices were recorded.
pub fn record_issued(tx: &Tx, month: YearMonth, scope: NoticeScope, at: NaiveDateTime) -> Result<usize> {
    let mut batch = prepare(tx, month, scope)?;
    record(tx, &mut batch, at)?;
    Ok(batch.notices.len())
}

/// What a batch print is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading the settlement and computing next month's charges.
    Preparing,
    /// Laying out notice `done` of `total`.
    Drawing,
    /// Embedding the font subset and writing the file.
    Writing,
}

/// Progress of a batch print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// What is being done.
    pub stage: Stage,
    /// Notices done so far.
    pub done: usize,
    /// Notices in the batch.
    pub total: usize,
}

/// What a print wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrintSummary {
    /// The PDF written.
    pub path: PathBuf,
    /// The settled month.
    pub month: YearMonth,
    /// The month billed.
    pub billing_month: YearMonth,
    /// Notices in the file.
    pub notices: usize,
    /// Notices printed for the first time.
    pub first_prints: usize,
    /// Notices printed again unchanged (marked 补打).
    pub reprints: usize,
    /// Notices that replace an earlier one whose money changed (new number).
    pub corrected: usize,
    /// Pages in the PDF.
    pub pages: usize,
    /// Size of the file in bytes.
    pub bytes: usize,
    /// Sum of the totals due (negative: owed to families overall).
    pub total: Fen,
    /// The first and last notice number.
    pub numbers: (String, String),
}

/// What printing does when an earlier closed month's notices were never
/// printed for the families of this batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarlierUnprinted {
    /// Refuse, naming the month and how many families (the default).
    Refuse,
    /// Print anyway: the bursar confirmed it (`--force`, 仍然打印), e.g. that
    /// month's bills went out some other way.
    PrintAnyway,
}

/// For the families of a batch of month `month`: the closed months before it
/// whose notice was never printed for them, with how many families each,
/// oldest first. A family counts from the newest month printed for it (this
/// month included): a month the bursar printed past (with
/// [`EarlierUnprinted::PrintAnyway`]) is not raised again, and a reprint is
/// never refused.
fn never_printed(
    rows: &[(YearMonth, ChildId, bool)],
    month: YearMonth,
    families: &HashSet<ChildId>,
) -> Vec<(YearMonth, usize)> {
    let mut gaps: Vec<(YearMonth, usize)> = Vec::new();
    for (m, _) in never_printed_families(rows, month, families) {
        match gaps.iter_mut().find(|(g, _)| *g == m) {
            Some((_, n)) => *n += 1,
            None => gaps.push((m, 1)),
        }
    }
    gaps
}

/// [`never_printed`] family by family: (closed month before `month`, child)
/// for every family of `families` whose notice of that month was never
/// printed, counting from the newest month printed for it; by month.
fn never_printed_families(
    rows: &[(YearMonth, ChildId, bool)],
    month: YearMonth,
    families: &HashSet<ChildId>,
) -> Vec<(YearMonth, ChildId)> {
    let last_printed = last_printed(rows, families);
    let mut gaps: Vec<(YearMonth, ChildId)> = rows
        .iter()
        .filter(|(m, child, _)| {
            *m < month && families.contains(child) && last_printed.get(child).is_none_or(|last| m > last)
        })
        .map(|(m, child, _)| (*m, *child))
        .collect();
    gaps.sort();
    gaps
}

/// The newest month of `rows` printed for each of `families`.
fn last_printed(rows: &[(YearMonth, ChildId, bool)], families: &HashSet<ChildId>) -> HashMap<ChildId, YearMonth> {
    let mut last_printed: HashMap<ChildId, YearMonth> = HashMap::new();
    for (m, child, _) in rows.iter().filter(|(_, child, printed)| *printed && families.contains(child)) {
        let last = last_printed.entry(*child).or_insert(*m);
        *last = (*last).max(*m);
    }
    last_printed
}

/// A closed month some of whose families never got their notice (体检's
/// `notices.not_printed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnprintedMonth {
    /// The settled month.
    pub month: YearMonth,
    /// The families the month has a notice for.
    pub families: usize,
    /// Those whose notice was never printed, by class and 学号.
    pub unprinted: Vec<UnprintedFamily>,
}

/// A family whose notice of a month was never printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnprintedFamily {
    pub child_id: ChildId,
    /// 姓名.
    pub child: String,
    /// 班级, as the notice would print it (on the first day of the billing month).
    pub class: String,
}

/// The closed months up to `month` with families whose notice of the month
/// was never printed, oldest first. A family counts as printing counts it
/// ([`EarlierUnprinted::Refuse`]): from the newest month printed for it, so a
/// month the bursar printed past is not raised again. The families are those
/// the month has a notice for, as [`prepare`] makes them: a child who left
/// with nothing to settle gets none, and a child starting next month is
/// billed on it. When a month's notices cannot be prepared (no school
/// profile, no fee rules for the billing month), the families of its
/// settlement count.
///
/// Only the months that can have such a family are prepared: those with a
/// family of their settlement never printed, and the newest closed month (a
/// child starting after it is in no settlement yet; one starting after an
/// earlier month is in the next month's, and counts there until printed).
pub fn unprinted_up_to(conn: &Conn, month: YearMonth) -> Result<Vec<UnprintedMonth>> {
    let rows = store::fees::notices::printed_in_closed_months_up_to(conn, month)?;
    let everyone: HashSet<ChildId> = rows.iter().map(|(_, child, _)| *child).collect();
    let last = last_printed(&rows, &everyone);
    let gaps = never_printed_families(&rows, month.next(), &everyone);
    let mut months: Vec<YearMonth> = gaps.iter().map(|(m, _)| *m).collect();
    months.extend(rows.iter().map(|(m, _, _)| *m).max());
    months.sort();
    months.dedup();
    let mut out = Vec::new();
    for m in months {
        // Not printed for this month, nor past it.
        let never = |child: &ChildId| last.get(child).is_none_or(|l| *l < m);
        let (families, unprinted) = match prepare(conn, m, NoticeScope::School) {
            Ok(batch) => {
                let unprinted: Vec<UnprintedFamily> = batch
                    .notices
                    .iter()
                    .filter(|n| n.issue.is_none() && n.replaces.is_none() && never(&n.child_id))
                    .map(|n| UnprintedFamily { child_id: n.child_id, child: n.child.clone(), class: n.class.clone() })
                    .collect();
                (batch.notices.len(), unprinted)
            }
            Err(e) if e.refusal().is_some() || matches!(e, Error::Invalid(_)) => {
                let missing: HashSet<ChildId> = gaps.iter().filter(|(g, _)| *g == m).map(|(_, c)| *c).collect();
                let filter = crate::school::children::ChildFilter {
                    include_left: true,
                    on: Some(m.next().first_day()),
                    ..Default::default()
                };
                let unprinted: Vec<UnprintedFamily> = crate::school::children::list(conn, &filter)?
                    .into_iter()
                    .filter(|kid| missing.contains(&kid.id))
                    .map(|kid| UnprintedFamily { child_id: kid.id, child: kid.name, class: kid.class_name })
                    .collect();
                (rows.iter().filter(|(x, _, _)| *x == m).count(), unprinted)
            }
            Err(e) => return Err(e),
        };
        if !unprinted.is_empty() {
            out.push(UnprintedMonth { month: m, families, unprinted });
        }
    }
    Ok(out)
}

/// The refusal when notices of earlier closed months were never printed.
fn refuse_unprinted(gaps: &[(YearMonth, usize)], month: YearMonth) -> Option<Error> {
    let (first, families) = *gaps.first()?;
    let list: Vec<String> = gaps.iter().map(|(m, n)| format!("{}({n} 户)", m.label())).collect();
    Some(
        Error::refused(
            Code::EarlierNoticesUnprinted,
            format!(
                "{} 的缴费通知单从未打印:这些家庭还没有收到那个月的账单,而 {} 的通知单会退还那个月的缺勤。\
                 请先打印 {} 的通知单;如果那个月已经用别的方式通知了家长,可以选择仍然打印(命令行加 --force)。",
                list.join("、"),
                month.label(),
                first.label()
            ),
        )
        .with("month", first)
        .with("families", families),
    )
}

/// Prints the notices of settled month `month` for `scope` into one PDF at
/// `path`, and records every notice as issued (or reprinted) — all in one
/// transaction: if anything fails (an open month, a name no font can print,
/// a file that cannot be written), nothing is recorded and no file is left.
/// An earlier closed month whose notices were never printed for these
/// families refuses the print unless `earlier` says to print anyway.
pub fn print(
    db: &mut Db,
    month: YearMonth,
    scope: NoticeScope,
    earlier: EarlierUnprinted,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<PrintSummary> {
    crate::output_file::check_target(path)?;
    db.write(crate::auth::Job::Fees, |tx| {
        progress(Progress { stage: Stage::Preparing, done: 0, total: 0 });
        let mut batch = prepare(tx, month, scope)?;
        if earlier == EarlierUnprinted::Refuse {
            let families: HashSet<ChildId> = batch.notices.iter().map(|n| n.child_id).collect();
            let rows = store::fees::notices::printed_in_closed_months_up_to(tx, month)?;
            if let Some(e) = refuse_unprinted(&never_printed(&rows, month, &families), month) {
                return Err(e);
            }
        }
        let bad = batch.unprintable();
        if !bad.is_empty() {
            return Err(unprintable_error(&bad));
        }
        record(tx, &mut batch, now())?;
        let total = batch.notices.len();
        let (bytes, pages) = super::render::render(&batch, &mut |done| {
            progress(Progress { stage: Stage::Drawing, done, total });
        })?;
        progress(Progress { stage: Stage::Writing, done: total, total });
        crate::output_file::write_bytes_atomic(path, &bytes)?;
        let count = |f: &dyn Fn(&super::Notice) -> bool| batch.notices.iter().filter(|n| f(n)).count();
        let numbers = |i: usize| batch.notices.get(i).and_then(|n| n.issue.as_ref()).map(|i| i.number.clone());
        Ok(PrintSummary {
            path: path.to_path_buf(),
            month: batch.month,
            billing_month: batch.billing_month,
            notices: total,
            first_prints: count(&|n| n.issue.as_ref().is_some_and(|i| i.print_count == 1) && n.replaces.is_none()),
            reprints: count(&|n| n.is_reprint()),
            corrected: count(&|n| n.replaces.is_some()),
            pages,
            bytes: bytes.len(),
            total: crate::money::try_sum(batch.notices.iter().map(|n| n.total))?,
            numbers: (numbers(0).unwrap_or_default(), numbers(total.saturating_sub(1)).unwrap_or_default()),
        })
    })
}

/// The message for names that cannot print, naming each one and whose it is.
pub(crate) fn unprintable_error(bad: &[super::Unprintable]) -> Error {
    let mut msg = String::from("以下文字含有字体缺少的生僻字,打印出来会是空白方框,因此没有打印:");
    for u in bad.iter().take(30) {
        msg.push_str(&format!("\n“{}”({})缺“{}”", u.text, u.whose, u.chars.join("")));
    }
    if bad.len() > 30 {
        msg.push_str(&format!("\n……另有 {} 处未列出", bad.len() - 30));
    }
    msg.push_str(&format!(
        "\n请安装含这些字的字体(如 Noto Sans CJK,Debian/Ubuntu 软件包 fonts-noto-cjk),\
         或设置环境变量 {} 指向这样的字体文件,然后重新打印。",
        crate::pdf::FALLBACK_FONT_ENV
    ));
    Error::invalid(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> YearMonth {
        s.parse().expect("month")
    }

    #[test]
    fn a_month_never_printed_for_a_family_is_named_with_how_many_families() {
        let (a, b, c, d) = (ChildId(1), ChildId(2), ChildId(3), ChildId(4));
        let ours: HashSet<ChildId> = [a, b, c].into_iter().collect();
        let rows = [
            (m("2026-08"), a, false), // before a's newest printed month: printed past, not raised again
            (m("2026-09"), a, true),
            (m("2026-09"), b, true),
            (m("2026-10"), a, false),
            (m("2026-10"), b, false),
            (m("2026-10"), c, true),
            (m("2026-10"), d, false), // not in this batch
            (m("2026-11"), b, false),
            (m("2026-11"), c, false),
            (m("2026-12"), c, true), // c's December was printed already (forced): a reprint asks nothing
        ];
        let december = m("2026-12");
        assert_eq!(never_printed(&rows, december, &ours), vec![(m("2026-10"), 2), (m("2026-11"), 1)]);
        let e = refuse_unprinted(&never_printed(&rows, december, &ours), december).expect("refused");
        assert_eq!(e.code(), "earlier_notices_unprinted");
        assert!(e.to_string().contains("2026年10月(2 户)、2026年11月(1 户)"), "{e}");
        let view = serde_json::to_value(crate::error::ErrorView::from(&e)).expect("json");
        assert_eq!(view["data"], serde_json::json!({"month": "2026-10", "families": "2"}));
        // One family already printed for this month: nothing to ask.
        let c_only: HashSet<ChildId> = [c].into_iter().collect();
        assert_eq!(never_printed(&rows, december, &c_only), vec![]);
        assert!(refuse_unprinted(&never_printed(&rows, december, &HashSet::new()), december).is_none());
        // Family by family, over every family up to December (体检): d was never printed.
        let everyone: HashSet<ChildId> = [a, b, c, d].into_iter().collect();
        assert_eq!(
            never_printed_families(&rows, december.next(), &everyone),
            vec![(m("2026-10"), a), (m("2026-10"), b), (m("2026-10"), d), (m("2026-11"), b)]
        );
    }

    #[test]
    fn money_equality_ignores_wording_of_the_basis() {
        let row =
            |item: &str, basis: &str, fen: i64| NoticeRow { item: item.into(), basis: basis.into(), amount: Fen(fen) };
        let a = vec![row("伙食费(11月)", "20 天 × 15.00 元", 30000)];
        assert!(same_money(&a, &[row("伙食费(11月)", "20天×15.00元", 30000)]));
        assert!(!same_money(&a, &[row("伙食费(11月)", "20 天 × 15.00 元", 28500)]));
        assert!(!same_money(&a, &[]));
    }
}
