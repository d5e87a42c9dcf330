//! Every printout keeps 5 mm from the paper's edge (issue 14): each renderer's
//! PDF of the demo school is rasterised with poppler (`pdftoppm -gray`) and
//! the strip along every edge must be blank. What is checked is what the
//! printer gets, whatever drew it.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use houqin::assets::{depreciation, print as asset_print, register, settings as asset_settings, stocktake};
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::kitchen::logs::LogKind;
use houqin::notices::{Layout, NoticeScope};
use houqin::pdf::MIN_EDGE_MM;
use houqin::supplies::stock::{self, DocFilter};
use houqin::supplies::DocKind;

const TODAY: &str = "2026-11-22";

fn today() -> NaiveDate {
    TODAY.parse().expect("date")
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdf_margins");
    std::fs::create_dir_all(&dir).expect("create output dir");
    dir
}

/// One page as rasterised: width, height, grey levels row by row.
struct Gray {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// Parses the binary PGM (P5) `pdftoppm -gray` writes.
fn read_pgm(path: &Path) -> Gray {
    let bytes = std::fs::read(path).expect("read pgm");
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).to_string());
    }
    assert_eq!(fields[0], "P5", "{}", path.display());
    let (width, height) = (fields[1].parse().expect("width"), fields[2].parse().expect("height"));
    Gray { width, height, pixels: bytes[i + 1..].to_vec() }
}

const DPI: f32 = 72.0;

/// The pages of `pdf` whose edge strip has ink, with where (mm from the edge).
fn edge_ink(name: &str, pdf: &[u8]) -> Vec<String> {
    let dir = out_dir();
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).expect("write pdf");
    let prefix = dir.join(name);
    for old in std::fs::read_dir(&dir).expect("dir").flatten() {
        let n = old.file_name().to_string_lossy().to_string();
        if n.starts_with(&format!("{name}-")) && n.ends_with(".pgm") {
            let _ = std::fs::remove_file(old.path());
        }
    }
    let status = Command::new("pdftoppm")
        .args(["-gray", "-r", &DPI.to_string()])
        .arg(&file)
        .arg(&prefix)
        .status()
        .unwrap_or_else(|e| panic!("pdftoppm is needed (apt-get install poppler-utils): {e}"));
    assert!(status.success(), "pdftoppm failed on {name}");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().expect("name").to_string_lossy().to_string();
            n.starts_with(&format!("{name}-")) && n.ends_with(".pgm")
        })
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "{name}: no pages rendered");
    let mm_per_px = 25.4 / DPI;
    // Pixels lying wholly inside the strip (a hair less than 5 mm, for anti-aliasing).
    let band = ((MIN_EDGE_MM - 0.2) / mm_per_px).floor() as usize;
    let mut found = Vec::new();
    for (n, path) in pages.iter().enumerate() {
        let g = read_pgm(path);
        let mut nearest: Option<f32> = None;
        for y in 0..g.height {
            for x in 0..g.width {
                let from_edge = x.min(y).min(g.width - 1 - x).min(g.height - 1 - y);
                if from_edge < band && g.pixels[y * g.width + x] < 245 {
                    let mm = from_edge as f32 * mm_per_px;
                    nearest = Some(nearest.map_or(mm, |m: f32| m.min(mm)));
                }
            }
        }
        if let Some(mm) = nearest {
            found.push(format!("{name} page {}: ink {mm:.1} mm from the edge", n + 1));
        }
    }
    found
}

/// Regression: page numbers sat 3 mm from the bottom edge and the asset
/// label sheet ran its outline and text to within 0.6–3.4 mm of the edges.
#[test]
fn every_printout_of_the_demo_school_keeps_5_mm_from_the_paper_edge() {
    // A file, so always SQLite: this is about layout, and the demo touches
    // every area, not all of which run on PostgreSQL yet.
    let file = out_dir().join("demo.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let mut db = Db::open(&file).expect("db");
    houqin::demo::load(&mut db, today()).expect("demo");
    // Receipts: the largest amount with the longest note, and one reversed
    // (作废 across the box and its reason under it).
    let child = houqin::school::children::list(db.conn(), &Default::default()).expect("children")[0].id;
    let mut paid = Vec::new();
    for note in ["微信转账单号后四位 0001;".repeat(200 / 13), String::new()] {
        let input = houqin::payments::PaymentInput {
            child_id: child,
            kind: houqin::payments::PaymentKind::Payment,
            paid_on: today(),
            amount: "99999999.99".into(),
            method: houqin::payments::PayMethod::Bank,
            note: note.chars().take(200).collect(),
        };
        paid.push(houqin::payments::add(&mut db, &input).expect("payment"));
    }
    let reversal = houqin::payments::ReverseInput { id: paid[1].id, reason: "重复登记".into() };
    houqin::payments::reverse(&mut db, &reversal).expect("reverse");
    let receipts = out_dir().join("receipts.pdf");
    houqin::payments::receipt::print_month(&mut db, YearMonth::of(today()), &receipts).expect("receipts");
    let conn = db.conn();
    let month = YearMonth::of(today());
    let mut docs: Vec<(&str, Vec<u8>)> = Vec::new();

    // Fixed assets.
    let assets = register::list(conn, &register::AssetFilter::default(), today()).expect("assets");
    let settings = asset_settings::load(conn).expect("settings");
    docs.push(("asset-labels", asset_print::labels_pdf(conn, &assets, &settings).expect("labels")));
    let finished = stocktake::list(conn)
        .expect("stocktakes")
        .into_iter()
        .find(|s| s.status == stocktake::StocktakeStatus::Finished)
        .expect("a finished stocktake");
    let report = stocktake::report(conn, finished.id).expect("report");
    docs.push(("asset-stocktake", asset_print::stocktake_pdf(&report).expect("stocktake")));
    let dep = depreciation::monthly_report(conn, month).expect("depreciation");
    docs.push(("asset-depreciation", asset_print::depreciation_pdf(conn, &dep).expect("depreciation pdf")));

    // Repairs: the slip of a closed request with its cost, and the month's list.
    let closed = houqin::repairs::list(conn, &Default::default(), today())
        .expect("repairs")
        .into_iter()
        .find(|r| r.status.is_closed() && r.scrap_suggested)
        .expect("a closed repair");
    docs.push(("repair-slip", houqin::repairs::pdf::slip(&closed, "阳光幼儿园").expect("slip")));
    let repairs_month = houqin::repairs::reports::month_list(conn, month, today()).expect("repairs month");
    docs.push(("repairs-month", houqin::repairs::pdf::month(&repairs_month).expect("repairs month pdf")));

    // Supplies.
    let slips = stock::docs(conn, &DocFilter { kind: Some(DocKind::Issue), ..Default::default() }).expect("docs");
    let slip = slips.first().expect("an issue slip");
    docs.push(("supplies-slip", houqin::supplies::print::slip_pdf(conn, &slip.number).expect("slip")));
    docs.push(("supplies-month", houqin::supplies::print::month_report_pdf(conn, month).expect("month report")));

    // Notices, the refund statement, the meal account, the kitchen logs.
    let settled = houqin::notices::settled_months(conn).expect("settled");
    let last = *settled.first().expect("a settled month");
    let batch = houqin::notices::prepare(conn, last, NoticeScope::School).expect("batch");
    docs.push(("notices", houqin::notices::render_pdf(&batch).expect("notices")));
    // With the 回执 strip pinned to each notice's foot, on both layouts.
    for (name, layout) in [("notices-receipt-a4", Layout::A4), ("notices-receipt-a5", Layout::A5x2)] {
        let mut with_stub = batch.clone();
        with_stub.settings.receipt_stub = true;
        with_stub.settings.layout = layout;
        docs.push((name, houqin::notices::render_pdf(&with_stub).expect("notices with 回执")));
    }
    docs.push(("refund-statement", houqin::notices::statement::render(conn, last).expect("statement").0));
    let sheet = houqin::meal_account::sheet_for(conn, last).expect("meal sheet");
    docs.push(("meal-account", houqin::meal_account::pdf::render(&sheet).expect("meal pdf")));
    let fee_list = houqin::fee_list::build(conn, month, today()).expect("fee list");
    docs.push(("fee-list", houqin::fee_list::pdf::render(&fee_list).expect("fee list pdf")));
    // The 资助名册 of the demo's subsidised children, from the term's first
    // month to last month.
    let roster = houqin::waivers::roster::build(conn, last.prev().prev(), last).expect("roster");
    assert!(!roster.rows.is_empty(), "the demo has subsidised children");
    docs.push(("waiver-roster", houqin::waivers::roster::pdf(&roster).expect("roster pdf")));
    let kitchen_month = YearMonth::of(today());
    docs.push((
        "kitchen-samples",
        houqin::kitchen::print::samples_pdf(conn, kitchen_month, houqin::db::now()).expect("samples").pdf,
    ));
    for (name, kind) in [
        ("kitchen-fridge", LogKind::Temperature),
        ("kitchen-disinfection", LogKind::Disinfection),
        ("kitchen-health", LogKind::Health),
    ] {
        docs.push((name, houqin::kitchen::print::log_pdf(conn, kind, kitchen_month, today()).expect("log").pdf));
    }
    // The food-sample stickers of the demo's busiest recent day (top, left
    // and right rows of the sheet at least).
    let recent = houqin::kitchen::samples::samples_between(conn, today() - chrono::Duration::days(30), today())
        .expect("samples");
    let busiest = recent
        .iter()
        .map(|x| x.date)
        .max_by_key(|d| recent.iter().filter(|x| x.date == *d).count())
        .expect("the demo keeps samples");
    docs.push(("kitchen-labels", houqin::kitchen::print::labels_pdf(conn, busiest, None).expect("labels").pdf));
    docs.push(("receipts", std::fs::read(&receipts).expect("read receipts")));
    docs.push(("sample-notice", houqin::pdf::sample_notice_pdf().expect("sample")));

    let problems: Vec<String> = docs.iter().flat_map(|(name, pdf)| edge_ink(name, pdf)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
