//! `houqin bench settle`: the settlement benchmark the refunds issue asks for —
//! one month for 500 children in 15 classes × 23 school days, 2 fee items and
//! ~1,500 absence ranges, settled from a database. Run it on a release build
//! (`cargo run --release -- bench settle`); it prints the medians of the month
//! alone and of the month after a year of closed months, and whether each is
//! under its target. The data is built in SQLite files in a temporary folder,
//! or — with `--db postgres://…` — in fresh schemas on that server
//! ([`BenchPlace`]), which are dropped at the end.

use chrono::{Duration, NaiveDate};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::say;
use houqin::attendance::absences::{self, AbsenceChange};
use houqin::dates::YearMonth;
use houqin::db::{Db, Target};
use houqin::demo::names::DemoRng;
use houqin::refund::{FeeItem, LeaveKind};
use houqin::school::children::{self, ChildDetails, NewChild};
use houqin::school::classes::{self, ClassInput};
use houqin::school::{Gender, Grade};
use houqin::store::ServerUrl;
use houqin::{settlement, Error, Result};

#[derive(Subcommand)]
pub enum BenchCmd {
    /// 月结:500 名幼儿、15 个班、23 个在园日、2 个收费项目、约 1500 条请假
    Settle {
        /// 重复次数
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// 通知单:500 张通知单生成一个 PDF,并与 LibreOffice 转换同样内容的文档对比
    Notices {
        /// 重复次数
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// 通知单张数(幼儿人数)
        #[arg(long, default_value_t = 500)]
        count: usize,
        /// LibreOffice 转换的重复次数(0 = 不对比)
        #[arg(long, default_value_t = 3)]
        office_runs: usize,
        /// 把生成的 PDF 另存到这里,便于查看
        #[arg(long)]
        keep: Option<std::path::PathBuf>,
    },
    /// 物品领用:500 种物品、50000 条出入库流水,结存表和一个月的领用统计
    Stock {
        /// 重复次数
        #[arg(long, default_value_t = 30)]
        runs: usize,
        /// 物品种数
        #[arg(long, default_value_t = 500)]
        items: usize,
        /// 出入库流水条数
        #[arg(long, default_value_t = 50_000)]
        movements: usize,
    },
}

/// `db`: the `--db` given, if any (a server URL builds the data there).
pub fn run(cmd: &BenchCmd, db: Option<&str>) -> Result<()> {
    match cmd {
        BenchCmd::Settle { runs } => settle(*runs, db),
        BenchCmd::Notices { runs, count, office_runs, keep } => {
            super::notices::bench(db, *runs, *count, *office_runs, keep.as_deref())
        }
        BenchCmd::Stock { runs, items, movements } => super::supplies::bench(*runs, *items, *movements, db),
    }
}

/// Where a benchmark builds its data: SQLite files in a temporary folder (the
/// default), or, when `--db` names a server, a fresh schema of its own there
/// for each case ([`Db::scratch_on`]), dropped when its `Db` is. A file given
/// with `--db` is the school's: the benchmark never writes to it.
pub(super) struct BenchPlace {
    dir: PathBuf,
    server: Option<ServerUrl>,
}

impl BenchPlace {
    pub(super) fn new(db: Option<&str>, name: &str) -> Result<BenchPlace> {
        let server = match db.map(Target::parse).transpose()? {
            Some(Target::Server(url)) => Some(*url),
            Some(Target::File(_)) | None => None,
        };
        let dir = std::env::temp_dir().join(format!("houqin-bench-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(BenchPlace { dir, server })
    }

    /// The temporary folder (for the benchmark's files other than databases).
    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }

    /// A new, empty database for `case` (a file name in the folder).
    pub(super) fn open(&self, case: &str) -> Result<Db> {
        let mut db = match &self.server {
            None => Db::open(&self.dir.join(format!("{case}.db")))?,
            Some(url) => Db::scratch_on(url)?,
        };
        db.set_operator("bench");
        Ok(db)
    }

    /// The backend, for the report.
    pub(super) fn describe(&self) -> String {
        match &self.server {
            None => "SQLite (a file in a temporary folder)".to_string(),
            Some(url) => format!("PostgreSQL {} (a scratch schema per case, dropped at the end)", url.display()),
        }
    }
}

impl Drop for BenchPlace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The target the refunds issue sets for settling one month from the
/// database file, and the one issue 13 sets on a server (500 children,
/// one round trip per table).
const SETTLE_TARGET_MS: f64 = 50.0;
const SERVER_TARGET_MS: f64 = 100.0;

/// Months closed before the benchmarked month in the history case: a year.
const HISTORY_MONTHS: u32 = 12;

fn settle(runs: usize, db: Option<&str>) -> Result<()> {
    let place = BenchPlace::new(db, "settle")?;
    let target = if place.server.is_some() { SERVER_TARGET_MS } else { SETTLE_TARGET_MS };
    say!("database: {}", place.describe());
    let month: YearMonth = "2026-07".parse()?;
    let met = settle_cases(&place, month, runs, target)?;
    say!("target (each case < {target:.0} ms in a release build): {}", if met { "met" } else { "NOT met" });
    Ok(())
}

/// Both cases: the month alone, and the month after a year of closed months
/// (a preview settles every closed month again to find corrections).
fn settle_cases(place: &BenchPlace, month: YearMonth, runs: usize, target: f64) -> Result<bool> {
    let mut db = place.open("plain")?;
    let (kids, ranges) = fixture(&mut db, month, 500, 7)?;
    let cal = houqin::school::calendar::month(db.conn(), month)?;
    say!(
        "settle {month}: {kids} children, 15 classes, {} school days, 2 fee items, {ranges} absence ranges",
        cal.school_days.len()
    );
    let alone = measure(&db, month, runs, target, "no closed months before it")?;
    drop(db);

    let mut db = place.open("history")?;
    let (_, _, corrections) = fixture_with_history(&mut db, month, 500, 7, HISTORY_MONTHS)?;
    let with_history = measure(
        &db,
        month,
        runs,
        target,
        &format!("after {HISTORY_MONTHS} closed months, {corrections} later corrections to them"),
    )?;
    Ok(alone && with_history)
}

/// Median of `runs` previews of `month`; prints one line.
fn measure(db: &Db, month: YearMonth, runs: usize, target: f64, case: &str) -> Result<bool> {
    let mut times = Vec::with_capacity(runs);
    let mut view = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let v = settlement::preview(db.conn(), month)?;
        times.push(t.elapsed());
        view = Some(v);
    }
    times.sort();
    let median = times[times.len() / 2].as_secs_f64() * 1e3;
    let (refund, adjustments) = view.map(|v| (v.result.refund, v.adjustments.len())).unwrap_or_default();
    let met = median < target;
    say!(
        "{case}: runs {}  median {median:.2} ms  min {:.2} ms  max {:.2} ms  \
         (refund {refund} yuan, {adjustments} adjustments)  < {target:.0} ms: {}",
        times.len(),
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        if met { "met" } else { "NOT met" }
    );
    Ok(met)
}

/// A school of `count` children in 15 classes, fee rules from `month` (伙食费
/// 15 元/天 after 3 days, 保教费 800 元/月 with 100%/50% tiers) and about three
/// absences per child in `month`, some spanning weekends. Shared by the
/// settlement and notices benchmarks. Returns (children, absence ranges).
pub(super) fn fixture(db: &mut Db, month: YearMonth, count: usize, seed: u64) -> Result<(usize, usize)> {
    let (kids, ranges, _) = fixture_with_history(db, month, count, seed, 0)?;
    Ok((kids, ranges))
}

/// [`fixture`] with `history` months before `month` closed in order (each with
/// its own absences, rules in force from the first), and then a few late
/// corrections to them, as a year of real use leaves a school. Returns
/// (children, absence ranges in `month`, corrections).
fn fixture_with_history(
    db: &mut Db,
    month: YearMonth,
    count: usize,
    seed: u64,
    history: u32,
) -> Result<(usize, usize, usize)> {
    let mut first = month;
    for _ in 0..history {
        first = first.prev();
    }
    let fees = [
        r#"{"id":"meal","name":"伙食费","charge":{"per_day":"15.00"},
            "refund":{"per_day":{"min_run":3,"unrefunded_per_run":0,"kinds":["sick","personal"]},"closures":true}}"#,
        r#"{"id":"care","name":"保教费","charge":{"monthly":"800.00","divisor":"legal_working_days","proration":"per_day"},
            "refund":{"tiers":[{"attended_at_most":"none","percent":100},{"attended_at_most":"half","percent":50}]}}"#,
    ]
    .iter()
    .map(|j| FeeItem::from_json(j))
    .collect::<Result<Vec<_>>>()?;
    settlement::save_rules(db, first, &fees, "bench")?;
    let mut rng = DemoRng::new(seed);
    let enrolled = NaiveDate::from_ymd_opt(2025, 9, 1).ok_or_else(|| Error::invalid("date"))?.min(first.first_day());
    let grades = [Grade::Junior, Grade::Middle, Grade::Senior];
    let mut ids = Vec::new();
    let per_class = count.div_ceil(15);
    for c in 0..15 {
        let class = classes::add(
            db,
            &ClassInput {
                name: format!("{}{}班", ["小", "中", "大"][c % 3], c / 3 + 1),
                grade: grades[c % 3],
                head_teacher: "".into(),
            },
        )?;
        let batch: Vec<NewChild> = (0..per_class)
            .filter(|k| c * per_class + k < count)
            .map(|k| {
                let (name, _) = houqin::demo::names::child_name(&mut rng, k % 2 == 0);
                NewChild {
                    details: ChildDetails {
                        name,
                        gender: if k % 2 == 0 { Gender::Male } else { Gender::Female },
                        birth_date: None,
                        student_no: format!("B{c:02}{k:03}"),
                        guardian_name: String::new(),
                        guardian_phone: String::new(),
                        enrolled_on: enrolled,
                    },
                    class_id: class,
                }
            })
            .collect();
        db.with_tx(|tx| {
            for n in &batch {
                ids.push(children::insert_in_tx(tx, n)?);
            }
            Ok(())
        })?;
    }
    let kinds = [LeaveKind::Sick, LeaveKind::Personal, LeaveKind::Other];
    let mut m = first;
    let mut shift = 0;
    loop {
        let days: Vec<NaiveDate> = m.days().collect();
        let mut changes = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            for r in 0..3 {
                let start = days[(i * 7 + r * 10 + shift) % (days.len() - 6)];
                let len = 1 + rng.below(5) as i64;
                changes.push(AbsenceChange {
                    child_id: *id,
                    from: start,
                    to: start + Duration::days(len - 1),
                    kind: Some(kinds[(i + r) % 3]),
                    note: String::new(),
                });
            }
        }
        absences::apply_all(db, &changes)?;
        if m == month {
            break;
        }
        // Closed as of mid next month, whatever today's date is.
        let today = m.next().first_day() + Duration::days(14);
        db.with_tx(|tx| settlement::confirm_in_tx(tx, m, today))?;
        m = m.next();
        shift += 3;
    }
    // Leave reported after its month was closed: sick days added to a few
    // children in each closed month (they become adjustments of `month`).
    let mut corrections = Vec::new();
    let mut m = first;
    while m < month {
        for k in 0..4 {
            let id = ids[(k * 97 + corrections.len() * 13) % ids.len()];
            let day = m.first_day() + Duration::days(20 + k as i64);
            corrections.push(AbsenceChange {
                child_id: id,
                from: day,
                to: day + Duration::days(3),
                kind: Some(LeaveKind::Sick),
                note: String::new(),
            });
        }
        m = m.next();
    }
    absences::apply_all(db, &corrections)?;
    let ranges = absences::between(db.conn(), month.first_day(), month.last_day())?.len();
    Ok((ids.len(), ranges, corrections.len()))
}
