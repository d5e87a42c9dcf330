//! `houqin notices` (缴费通知单 for a settled month: the school, a class or one
//! child, into one PDF; `--list` to see what would print; `notices settings`),
//! `houqin statement` (退费明细表 per class and the school summary), and the
//! notices benchmark (`houqin bench notices`): 500 notices in one PDF, side by
//! side with the same notices as an office document converted by LibreOffice.

use chrono::Duration;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration as Elapsed, Instant};

use super::{output, Ctx};
use crate::say;
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::notices::{self, settings as notice_settings, EarlierUnprinted, Layout, NoticeScope};
use houqin::school::children::{self, ChildFilter};
use houqin::school::classes;
use houqin::school::profile::{self, SchoolProfile};
use houqin::{settlement, Error, Result};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct NoticesArgs {
    #[command(subcommand)]
    pub cmd: Option<NoticesCmd>,
    /// 已结账的月份,如 2026-10:通知单退这个月的费用、收下个月的费用
    #[arg(long)]
    pub month: Option<String>,
    /// 只打印这个班级(按下月 1 日所在班级)
    #[arg(long, value_name = "班级名称", conflicts_with = "child")]
    pub class: Option<String>,
    /// 只打印这名幼儿
    #[arg(long, value_name = "学号")]
    pub child: Option<String>,
    /// 保存的 PDF 文件
    #[arg(long, value_name = "FILE.pdf")]
    pub out: Option<PathBuf>,
    /// 只列出将要打印的通知单(编号、金额、已打印次数、无法打印的姓名),不打印
    #[arg(long, conflicts_with = "out")]
    pub list: bool,
    /// 之前已结账月份的通知单从未打印时仍然打印(默认拒绝,并说明是哪个月、多少户)
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand)]
pub enum NoticesCmd {
    /// 查看或修改通知单设置(版式、缴费说明、缴费截止日、退费说明、标题上方文字、回执)
    Settings {
        /// 版式:a4(每页一张)或 a5x2(每张 A4 纸两张 A5,有裁剪线)
        #[arg(long)]
        layout: Option<String>,
        /// 缴费说明(缴费方式等)
        #[arg(long)]
        payment: Option<String>,
        /// 缴费截止日:下月的几号(1–28),0 表示不印截止日期
        #[arg(long)]
        deadline_day: Option<u32>,
        /// 应退时印的说明
        #[arg(long)]
        refund_text: Option<String>,
        /// 标题上方文字(园训或集团名称,印在学校名称上方,最多 30 个字;空字符串表示不印)
        #[arg(long, value_name = "TEXT")]
        header: Option<String>,
        /// 回执:on 在每张通知单底部印可剪下的回执(家长签字后交回),off 不印(默认)
        #[arg(long, value_name = "on|off")]
        receipt: Option<String>,
    },
}

#[derive(Args)]
pub struct StatementArgs {
    /// 月份,如 2026-10(未结账的月份会标明“未结账,仅供核对”)
    #[arg(long)]
    pub month: String,
    /// 保存的 PDF 文件
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
}

fn scope(db: &Db, class: Option<&str>, child: Option<&str>) -> Result<NoticeScope> {
    if let Some(name) = class {
        let id = classes::find_by_name(db.conn(), name.trim())?.ok_or_else(|| Error::not_found("班级", name))?;
        return Ok(NoticeScope::Class { class_id: id });
    }
    if let Some(no) = child {
        let kid = children::list(
            db.conn(),
            &ChildFilter { include_left: true, search: Some(no.trim().to_string()), ..Default::default() },
        )?
        .into_iter()
        .find(|c| c.student_no == no.trim())
        .ok_or_else(|| Error::not_found("学号", no))?;
        return Ok(NoticeScope::Child { child_id: kid.id });
    }
    Ok(NoticeScope::School)
}

pub fn notices(db: &mut Db, ctx: &Ctx, args: NoticesArgs) -> Result<()> {
    if let Some(NoticesCmd::Settings { layout, payment, deadline_day, refund_text, header, receipt }) = args.cmd {
        return settings(db, ctx, SettingsChange { layout, payment, deadline_day, refund_text, header, receipt });
    }
    let Some(month) = args.month else {
        return Err(Error::invalid("请用 --month 指定已结账的月份(如 2026-10),并用 --out 指定保存的 PDF 文件"));
    };
    let month: YearMonth = month.parse()?;
    let scope = scope(db, args.class.as_deref(), args.child.as_deref())?;
    if args.list {
        let batch = notices::prepare(db.conn(), month, scope)?;
        let unprintable = batch.unprintable();
        if ctx.json {
            return output::json(&serde_json::json!({ "batch": batch, "unprintable": unprintable }));
        }
        say!(
            "{} 缴费通知单(依据 {} 第 {} 版月结):{} 张",
            batch.billing_month.label(),
            batch.month.label(),
            batch.revision,
            batch.notices.len()
        );
        let rows: Vec<Vec<String>> = batch
            .notices
            .iter()
            .map(|n| {
                let due = if n.total.is_negative() {
                    format!("应退 {}", n.total.abs())
                } else {
                    format!("应缴 {}", n.total)
                };
                let printed = match (&n.issue, &n.replaces) {
                    (Some(i), _) => format!("{} 已打印 {} 次", i.number, i.print_count),
                    (None, Some(old)) => format!("金额有变,将替代 {old}"),
                    (None, None) => "未打印".into(),
                };
                vec![n.class.clone(), n.student_no.clone(), n.child.clone(), due, printed]
            })
            .collect();
        output::table(&["班级", "学号", "姓名", "金额(元)", "打印"], &rows);
        for u in unprintable {
            say!("无法打印:“{}”({})缺“{}”", u.text, u.whose, u.chars.join(""));
        }
        return Ok(());
    }
    let Some(out) = args.out else {
        return Err(Error::invalid("请用 --out 指定保存的 PDF 文件(如 --out 通知单.pdf),或用 --list 只列出"));
    };
    let earlier = if args.force { EarlierUnprinted::PrintAnyway } else { EarlierUnprinted::Refuse };
    let summary = notices::print(db, month, scope, earlier, &out, &mut |_| {})?;
    if ctx.json {
        return output::json(&summary);
    }
    say!(
        "已生成 {} 张 {} 缴费通知单,共 {} 页:{}",
        summary.notices,
        summary.billing_month.label(),
        summary.pages,
        summary.path.display()
    );
    say!(
        "{}首次打印 {} 张,补打 {} 张,更正 {} 张。",
        number_range(&summary.numbers.0, &summary.numbers.1),
        summary.first_prints,
        summary.reprints,
        summary.corrected
    );
    Ok(())
}

/// "编号 A 至 B;", "编号 A;" for a single number, nothing without numbers.
/// The two numbers are those of the batch's first and last notice, which
/// are in class order, not number order: a reprint may come before a new one.
fn number_range(first: &str, last: &str) -> String {
    let (first, last) = (first.trim(), last.trim());
    match (first.is_empty(), last.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!("编号 {first};"),
        (true, false) => format!("编号 {last};"),
        _ if first == last => format!("编号 {first};"),
        _ => format!("编号 {} 至 {};", first.min(last), first.max(last)),
    }
}

/// What `notices settings` was asked to change (`None`: keep).
struct SettingsChange {
    layout: Option<String>,
    payment: Option<String>,
    deadline_day: Option<u32>,
    refund_text: Option<String>,
    header: Option<String>,
    receipt: Option<String>,
}

/// `on`/`off` (also 印/不印, yes/no) for the 回执 switch.
fn on_off(v: &str) -> Result<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" | "1" | "印" => Ok(true),
        "off" | "no" | "false" | "0" | "不印" => Ok(false),
        other => Err(Error::invalid(format!("--receipt 只能是 on(印回执)或 off(不印),而不是“{other}”"))),
    }
}

fn settings(db: &mut Db, ctx: &Ctx, change: SettingsChange) -> Result<()> {
    let SettingsChange { layout, payment, deadline_day, refund_text, header, receipt } = change;
    let mut s = notice_settings::get(db.conn())?;
    let changing = layout.is_some()
        || payment.is_some()
        || deadline_day.is_some()
        || refund_text.is_some()
        || header.is_some()
        || receipt.is_some();
    if let Some(l) = layout {
        s.layout = Layout::parse(&l)?;
    }
    if let Some(p) = payment {
        s.payment_text = p;
    }
    if let Some(d) = deadline_day {
        s.deadline_day = (d != 0).then_some(d);
    }
    if let Some(t) = refund_text {
        s.refund_text = t;
    }
    if let Some(h) = header {
        s.header_text = h;
    }
    if let Some(r) = receipt {
        s.receipt_stub = on_off(&r)?;
    }
    if changing {
        s = notice_settings::save(db, &s)?;
    }
    if ctx.json {
        return output::json(&s);
    }
    say!("版式:{}", s.layout.label());
    say!("缴费说明:{}", s.payment_text);
    say!("缴费截止日:{}", s.deadline_day.map(|d| format!("下月 {d} 日")).unwrap_or_else(|| "不印".into()));
    say!("退费说明:{}", s.refund_text);
    say!("标题上方文字:{}", if s.header_text.is_empty() { "(不印)" } else { s.header_text.as_str() });
    say!("回执:{}", if s.receipt_stub { "印在每张通知单底部" } else { "不印" });
    if changing {
        say!("已保存。");
    }
    Ok(())
}

pub fn statement(db: &Db, ctx: &Ctx, args: StatementArgs) -> Result<()> {
    let month: YearMonth = args.month.parse()?;
    let s = notices::statement::write(db.conn(), month, &args.out)?;
    if ctx.json {
        return output::json(&s);
    }
    say!(
        "已生成 {} 退费明细表{}:{} 个班、{} 名幼儿、{} 页:{}",
        month.label(),
        if s.closed { "" } else { "(未结账,仅供核对)" },
        s.classes,
        s.children,
        s.pages,
        s.path.display()
    );
    say!("全园退费 {} 元,以前月份更正 {} 元。", s.refund, s.adjustments);
    if s.waiver > houqin::Fen::ZERO {
        say!("全园减免、资助 {} 元。", s.waiver);
    }
    Ok(())
}

// ------------------------------------------------------------------ benchmark

/// `houqin bench notices`: `count` children in 15 classes with a month of
/// absences, the month confirmed; then the school's notices rendered into one
/// PDF `runs` times (median), and the same notices as one .fodt converted by
/// LibreOffice headless `office_runs` times (median), with the ratios of time
/// and size, and whether each target (under 3 s, under 3 MB) is met.
/// The data is built in an SQLite file in a temporary folder, or — when `db`
/// names a server — in a fresh schema there, dropped at the end.
pub fn bench(db: Option<&str>, runs: usize, count: usize, office_runs: usize, keep: Option<&Path>) -> Result<()> {
    let place = super::bench::BenchPlace::new(db, "notices")?;
    say!("database: {}", place.describe());
    bench_in(&place, runs, count, office_runs, keep)
}

fn median(times: &mut [Elapsed]) -> Elapsed {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn secs(d: Elapsed) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn mb(bytes: u64) -> String {
    format!("{:.2} MB", bytes as f64 / 1e6)
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

/// The targets of the notices issue, for 500 notices in one PDF.
const TARGET_SECS: f64 = 3.0;
const TARGET_BYTES: u64 = 3_000_000;

fn bench_in(
    place: &super::bench::BenchPlace,
    runs: usize,
    count: usize,
    office_runs: usize,
    keep: Option<&Path>,
) -> Result<()> {
    if cfg!(debug_assertions) {
        say!("note: this is a debug build; the targets are for a release build (cargo run --release -- bench notices)");
    }
    let dir = place.dir();
    let month: YearMonth = "2026-05".parse()?;
    let mut db = place.open("notices")?;
    let (kids, ranges) = fill(&mut db, month, count)?;
    say!("notices: {kids} children in 15 classes, {ranges} absence ranges in {}, month confirmed", month.label());

    // One real print first: numbers recorded, file written (what the user waits for once).
    let pdf = dir.join("notices.pdf");
    let t = Instant::now();
    let printed = notices::print(&mut db, month, NoticeScope::School, EarlierUnprinted::Refuse, &pdf, &mut |_| {})?;
    say!(
        "print (settlement + charges + layout + PDF + recording + file): {} for {} notices, {} pages, {}",
        secs(t.elapsed()),
        printed.notices,
        printed.pages,
        mb(printed.bytes as u64)
    );

    let mut prepare_times = Vec::new();
    let mut times = Vec::new();
    let mut size = 0u64;
    let mut batch = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let b = notices::prepare(db.conn(), month, NoticeScope::School)?;
        prepare_times.push(t.elapsed());
        let bytes = notices::render_pdf(&b)?;
        times.push(t.elapsed());
        size = bytes.len() as u64;
        if let Some(path) = keep {
            houqin::output_file::write_bytes_atomic(path, &bytes)?;
        }
        batch = Some(b);
    }
    let ours = median(&mut times);
    say!(
        "houqin PDF, {} notices in one file: runs {}  median {}  (of which data {})  min {}  max {}  size {}",
        printed.notices,
        times.len(),
        secs(ours),
        secs(median(&mut prepare_times)),
        secs(times[0]),
        secs(times[times.len() - 1]),
        mb(size)
    );
    let of =
        if printed.notices == 500 { String::new() } else { format!(" (measured with {} notices)", printed.notices) };
    say!(
        "target: 500 notices in one PDF in under 3 s (release build): median {} — {}{of}",
        secs(ours),
        met(ours.as_secs_f64() < TARGET_SECS)
    );
    say!("target: 500 notices in one PDF under 3 MB: {} — {}{of}", mb(size), met(size < TARGET_BYTES));

    let Some(batch) = batch else { return Ok(()) };
    if office_runs == 0 {
        return Ok(());
    }
    let Some(soffice) = find_soffice() else {
        say!(
            "LibreOffice (soffice) not found: comparison skipped. To compare, install it: \
             sudo apt-get install libreoffice-writer-nogui"
        );
        return Ok(());
    };
    let office = OfficeRun::new(dir, soffice)?;
    houqin::output_file::write_bytes_atomic(&office.fodt, notices::fodt::notices_fodt(&batch).as_bytes())?;
    // The first start creates LibreOffice's profile; an office PC has one already.
    let warmup = office.convert()?;
    let mut lo_times = Vec::new();
    for _ in 0..office_runs {
        lo_times.push(office.convert()?);
    }
    let (lo_size, lo_pages) = office.result()?;
    if lo_pages < printed.notices {
        return Err(Error::invalid(format!(
            "LibreOffice wrote {lo_pages} pages for {} notices: the conversion is incomplete",
            printed.notices
        )));
    }
    if let Some(path) = keep {
        for (from, to) in
            [(&office.pdf, path.with_extension("libreoffice.pdf")), (&office.fodt, path.with_extension("fodt"))]
        {
            houqin::output_file::write_bytes_atomic(&to, &std::fs::read(from)?)?;
        }
    }
    let lo = median(&mut lo_times);
    say!(
        "LibreOffice {} (.fodt → PDF, headless, a new soffice each run): runs {}  median {}  (first start {})  \
         {} pages  size {}",
        office.soffice.display(),
        lo_times.len(),
        secs(lo),
        secs(warmup),
        lo_pages,
        mb(lo_size)
    );
    say!(
        "ratio: LibreOffice takes {:.1}× as long as houqin ({} vs {}); its PDF is {:.2}× the size ({} vs {})",
        lo.as_secs_f64() / ours.as_secs_f64().max(1e-9),
        secs(lo),
        secs(ours),
        lo_size as f64 / size.max(1) as f64,
        mb(lo_size),
        mb(size)
    );
    say!(
        "LibreOffice against the same targets: {} — {}; {} — {}",
        secs(lo),
        met(lo.as_secs_f64() < TARGET_SECS),
        mb(lo_size),
        met(lo_size < TARGET_BYTES)
    );
    Ok(())
}

/// Converting the office document with LibreOffice: its own profile and
/// output folder, so it neither meets a running LibreOffice of the user nor
/// overwrites the PDF houqin wrote.
struct OfficeRun {
    soffice: PathBuf,
    profile: PathBuf,
    out: PathBuf,
    fodt: PathBuf,
    pdf: PathBuf,
}

impl OfficeRun {
    fn new(dir: &Path, soffice: PathBuf) -> Result<OfficeRun> {
        let out = dir.join("office");
        std::fs::create_dir_all(&out)?;
        Ok(OfficeRun {
            soffice,
            profile: dir.join("lo-profile"),
            fodt: dir.join("notices.fodt"),
            pdf: out.join("notices.pdf"),
            out,
        })
    }

    /// One conversion, timed from starting soffice to its exit.
    fn convert(&self) -> Result<Elapsed> {
        let _ = std::fs::remove_file(&self.pdf);
        let t = Instant::now();
        let run = Command::new(&self.soffice)
            .arg(format!("-env:UserInstallation=file://{}", self.profile.display()))
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(&self.out)
            .arg(&self.fodt)
            .output()?;
        let elapsed = t.elapsed();
        // soffice can exit 0 without writing anything (e.g. a document it could not read).
        if !run.status.success() || !self.pdf.is_file() {
            return Err(Error::invalid(format!(
                "LibreOffice conversion failed (exit {}): {} {}",
                run.status,
                String::from_utf8_lossy(&run.stdout).trim(),
                String::from_utf8_lossy(&run.stderr).trim()
            )));
        }
        Ok(elapsed)
    }

    /// Size and page count of the converted PDF (pages counted from its page objects).
    fn result(&self) -> Result<(u64, usize)> {
        let bytes = std::fs::read(&self.pdf)?;
        let needle = b"/Type/Page";
        let pages =
            bytes.windows(needle.len() + 1).filter(|w| w.starts_with(needle) && w[needle.len()] != b's').count();
        Ok((bytes.len() as u64, pages))
    }
}

fn find_soffice() -> Option<PathBuf> {
    ["soffice", "libreoffice"].iter().find_map(|name| {
        std::env::var_os("PATH")
            .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(name)).find(|p| p.is_file()))
    })
}

/// A school of `count` children in 15 classes with fee rules from `month`,
/// about three absences per child in `month` (some long, so notices carry
/// several explanation lines), and `month` confirmed.
fn fill(db: &mut Db, month: YearMonth, count: usize) -> Result<(usize, usize)> {
    profile::save(
        db,
        &SchoolProfile {
            name: "阳光幼儿园".into(),
            bursar_name: "李会计".into(),
            head_name: "王园长".into(),
            ..Default::default()
        },
    )?;
    let (kids, ranges) = super::bench::fixture(db, month, count, 11)?;
    // Confirmed as of mid next month, whatever today's date is.
    let today = month.next().first_day() + Duration::days(14);
    db.with_tx(|tx| settlement::confirm_in_tx(tx, month, today))?;
    Ok((kids, ranges))
}

#[cfg(test)]
mod tests {
    use super::number_range;

    /// Regression: a batch printed "编号 202612-0092 至 202612-0091" (its first
    /// notice, a new number, came before a reprint in class order).
    #[test]
    fn the_number_range_is_in_order_and_a_single_number_is_not_a_range() {
        assert_eq!(number_range("202612-0092", "202612-0091"), "编号 202612-0091 至 202612-0092;");
        assert_eq!(number_range("202612-0001", "202612-0090"), "编号 202612-0001 至 202612-0090;");
        assert_eq!(number_range("202612-0092", "202612-0092"), "编号 202612-0092;");
        assert_eq!(number_range("", ""), "");
    }
}
