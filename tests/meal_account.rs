//! The meal account (伙食账) on the demo school: the 公示 sheet takes its
//! child-days from the attendance data and its refund line from the month's
//! settlement; demo months stay inside ±2%; a month pushed outside is flagged
//! in the sheet, in the PDF (read back with poppler, red pixels counted) and in
//! the workbook; publishing locks a month and silences the home reminder; the
//! command line prints the sheet, writes the PDF and refuses bad input in
//! Chinese without saving anything.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::meal_account::purchases::PurchaseLineInput;
use houqin::meal_account::store::CountLineInput;
use houqin::meal_account::{self as meal, CountInput, CountKind, PurchaseInput};
use houqin::{args, Error, Fen};

const TODAY: &str = "2026-11-22";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}
fn m(s: &str) -> YearMonth {
    s.parse().expect("month")
}

fn demo() -> Db {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("李会计");
    houqin::demo::load(&mut db, d(TODAY)).expect("demo");
    db
}

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("meal_account").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create output dir");
    dir
}

fn poppler(tool: &str, args: &[&str]) -> Vec<u8> {
    let out = match Command::new(tool).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("`{tool}` not found: install poppler-utils (apt-get install poppler-utils) to run these tests")
        }
        Err(e) => panic!("running {tool}: {e}"),
    };
    assert!(out.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn text_of(path: &Path) -> String {
    String::from_utf8(poppler("pdftotext", &["-layout", path.to_str().expect("path"), "-"])).expect("utf-8")
}

/// Pixels of page 1 that are clearly red (the out-of-limit marks), from a PPM rendering.
fn red_pixels(path: &Path) -> usize {
    let ppm = poppler("pdftoppm", &["-r", "50", "-f", "1", "-l", "1", path.to_str().expect("path")]);
    // P6 header: magic, width, height, maxval, each followed by whitespace.
    let mut fields = 0;
    let mut i = 0;
    while fields < 4 {
        while ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        while !ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields += 1;
    }
    ppm[i + 1..].chunks_exact(3).filter(|p| p[0] > 150 && p[1] < 80 && p[2] < 80).count()
}

/// The id and stored `result_json` of `month`'s closed settlement.
fn closed_settlement(db: &Db, month: YearMonth) -> (i64, String) {
    db.conn()
        .row("SELECT id, result_json FROM settlements WHERE month = ?1 AND status = 'closed'", &args![month], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("the month's closed settlement")
}

/// The closed settlement of `month` as it was stored when confirmed, read from
/// its tables rather than through the code the sheet's loader calls: the sum
/// of every child's attended school days (each child's own line: enrolled
/// school days − days on leave − closure days) and the meal item's refund total.
fn stored_settlement(db: &Db, month: YearMonth) -> (u32, Fen) {
    let (id, json) = closed_settlement(db, month);
    let result: serde_json::Value = serde_json::from_str(&json).expect("stored result");
    let children = result["children"].as_array().expect("children");
    let mut days = 0;
    for c in children {
        let line = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("{k} of {c}"));
        // The per-child line adds up on its own terms before it is summed.
        assert_eq!(
            line("attended_days"),
            line("enrolled_school_days") - line("absent_school_days") - line("closure_days"),
            "{c}"
        );
        days += line("attended_days") as u32;
    }
    let refund: i64 = db
        .conn()
        .value(
            "SELECT COALESCE(SUM(refund_fen), 0) FROM settlement_items WHERE settlement_id = ?1 AND fee_id = 'meal'",
            &args![id],
        )
        .expect("stored meal refunds");
    (days, Fen(refund))
}

#[test]
fn the_sheet_takes_child_days_from_attendance_and_the_refund_from_the_settlement() {
    let mut db = demo();
    // The demo leaves October open: close it, as the bursar does before publishing.
    db.with_tx(|tx| houqin::settlement::confirm_in_tx(tx, m("2026-10"), d(TODAY))).expect("close October");
    for month in [m("2026-09"), m("2026-10")] {
        let s = meal::sheet_for(db.conn(), month).expect("sheet");
        let (attended, refund) = stored_settlement(&db, month);
        assert!(attended > 1_000, "{month}: {attended}");
        assert_eq!(s.child_days, attended, "{month}: child-days = Σ each child's attended school days");
        assert_eq!(s.refund, refund, "{month}: refund line = the closed settlement's stored meal refunds");
        assert!(s.refund > Fen::ZERO, "{month}: the demo has refunds");
        assert!(s.settlement_closed && s.settlement_revision == Some(1), "{month}");
        assert_eq!(s.income, s.charged - s.refund - s.adjustments);
        // The demo is counted and stays inside the limit, month and term.
        assert!(s.counted, "{month} counted");
        let bp = s.month_ratio.bp.expect("ratio");
        assert!(bp.abs() <= 150, "{month}: demo month at {}", s.month_ratio.text);
        assert!(!s.outside, "{month}: {} / {}", s.month_ratio.text, s.term.ratio.text);
        assert_eq!(s.cost, s.total.children);
        assert_eq!(s.total.issued.map(|i| i - s.total.staff), s.total.children);
        assert!(s.staff.recorded && s.staff.cost > Fen::ZERO, "staff meals accounted apart");
        assert!(meal::store_month(db.conn(), month).expect("store").problems().is_empty());
    }
    let oct = meal::sheet_for(db.conn(), m("2026-10")).expect("sheet");
    assert_eq!(oct.term.from, m("2026-09"));
    assert_eq!(oct.term.months.len(), 2, "September and October");
    // This month: deliveries so far, no count yet.
    let nov = meal::sheet_for(db.conn(), m("2026-11")).expect("sheet");
    assert!(!nov.counted && nov.cost.is_none() && nov.month_ratio.bp.is_none());
    assert!(nov.total.purchases > Fen::ZERO);
    assert!(!meal::list_purchases(db.conn(), m("2026-10")).expect("purchases").is_empty());
}

#[test]
fn short_absences_billed_and_kept_are_the_sum_of_the_stored_settlement_lines() {
    let mut db = demo();
    let month = m("2026-10");
    db.with_tx(|tx| houqin::settlement::confirm_in_tx(tx, month, d(TODAY))).expect("close October");
    let rules = houqin::settlement::rules_for(db.conn(), month).expect("rules").expect("rules in force");
    let meal_item = rules.fees.iter().find(|f| f.id == "meal").expect("the meal item");
    let houqin::refund::Charge::PerDay { rate } = meal_item.charge else { panic!("the demo charges meals per day") };
    let min_run = meal_item.refund.per_day.as_ref().expect("per-day refunds").min_run;

    // Independently, from the settlement as stored: every note of a run under the
    // minimum, its days and fee (days × the day rate, each checked).
    let (id, json) = closed_settlement(&db, month);
    let stored: serde_json::Value = serde_json::from_str(&json).expect("stored result");
    let (mut runs, mut days, mut kept) = (0u32, 0u32, Fen::ZERO);
    for child in stored["children"].as_array().expect("children") {
        let meal_fee = child["fees"].as_array().expect("fees").iter().find(|f| f["fee_id"] == "meal").expect("meal");
        for line in meal_fee["lines"].as_array().expect("lines") {
            let text = line["text"].as_str().expect("text");
            let short = text.contains(&format!("不足 {min_run} 天起退的要求,不退"));
            assert_eq!(line.get("unrefunded").is_some(), short, "{line}");
            if let Some(u) = line.get("unrefunded") {
                let n = u["days"].as_u64().expect("days") as u32;
                let amount = Fen(u["amount"].as_i64().expect("amount"));
                assert!(n >= 1 && n < min_run, "{line}");
                assert_eq!(amount, Fen(rate.as_i64() * i64::from(n)), "{line}");
                runs += 1;
                days += n;
                kept += amount;
            }
        }
    }
    assert!(runs >= 3, "the demo has short absences in October: {runs}");

    let s = meal::sheet_for(db.conn(), month).expect("sheet");
    let short = s.short_unrefunded.expect("stated for a month closed with it");
    assert_eq!((short.min_run, short.runs, short.days, short.amount), (min_run, runs, days, kept));
    assert_eq!(s.income, s.charged - s.refund - s.adjustments, "stated apart, not taken off the income");
    let line = format!("{days} 天 × {} 元 = {} 元", rate.to_grouped_string(), kept.to_grouped_string());
    assert!(
        s.explanation.iter().any(|l| l.starts_with("短期缺勤未退伙食费") && l.contains(&line)),
        "{line}: {:?}",
        s.explanation
    );
    let dir = out_dir("short-absences");
    let pdf = dir.join("october.pdf");
    std::fs::write(&pdf, meal::pdf::render(&s).expect("pdf")).expect("write");
    let text: String = text_of(&pdf).split_whitespace().collect();
    let printed =
        format!("其中短期缺勤未退伙食费（连续缺勤不足{min_run}天不退）：{days}天，{}元", kept.to_grouped_string());
    assert!(text.contains(&printed), "{printed} not in {text}");

    // A month closed before the figure was kept: the sheet states nothing
    // rather than working it out from today's attendance.
    let mut old = stored.clone();
    for f in old["fees"].as_array_mut().expect("fees") {
        f.as_object_mut().expect("fee").remove("short_unrefunded");
    }
    db.conn()
        .exec("UPDATE settlements SET result_json = ?1 WHERE id = ?2", &args![old.to_string(), id])
        .expect("store the old shape");
    let s = meal::sheet_for(db.conn(), month).expect("sheet");
    assert_eq!(s.short_unrefunded, None);
    assert!(!s.explanation.iter().any(|l| l.contains("短期缺勤")), "{:?}", s.explanation);
    std::fs::write(&pdf, meal::pdf::render(&s).expect("pdf")).expect("write");
    assert!(!text_of(&pdf).contains("短期缺勤"));
}

/// Printed Chinese takes full-width punctuation: no ASCII `: , ; (` right
/// after a Chinese character anywhere in the text of a printed sheet.
fn assert_full_width_punctuation(text: &str) {
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        for w in chars.windows(2) {
            let cjk = ('\u{4e00}'..='\u{9fff}').contains(&w[0]);
            assert!(!(cjk && matches!(w[1], ':' | ',' | ';' | '(')), "ASCII punctuation in Chinese: {line}");
        }
    }
}

fn buy(db: &mut Db, date: &str, category: &str, amount: &str) -> Result<meal::Purchase, Error> {
    meal::add_purchase(
        db,
        &PurchaseInput {
            date: d(date),
            supplier: "鲜丰肉类批发部".into(),
            receiver: "周师傅".into(),
            certificate: "送货单".into(),
            note: String::new(),
            lines: vec![PurchaseLineInput {
                item: "猪肉".into(),
                category: category.into(),
                quantity: "40".into(),
                unit: "kg".into(),
                amount: amount.into(),
                batch: String::new(),
                shelf_life: String::new(),
            }],
        },
    )
}

#[test]
fn a_month_pushed_outside_the_limit_is_flagged_in_the_sheet_the_pdf_and_the_workbook() {
    let mut db = demo();
    let dir = out_dir("flag");
    let month = m("2026-10");
    let inside = meal::sheet_for(db.conn(), month).expect("sheet");
    assert!(!inside.month_ratio.outside);
    let inside_pdf = dir.join("inside.pdf");
    meal::pdf::write(&inside, &inside_pdf).expect("pdf");
    let text = text_of(&inside_pdf);
    assert!(!text.contains("【超出"), "{text}");
    assert_full_width_punctuation(&text);
    for want in [
        "四、教工伙食（单独核算，不计入幼儿伙食）",
        "会计：李会计",
        "园长：王园长",
        "说明：",
        "膳食委员会（家长代表）：",
        "监督电话：0571-87654321",
        "每名幼儿每天的伙食支出",
        "用膳标准",
    ] {
        assert!(text.contains(want), "PDF lacks {want}:\n{text}");
    }
    // Posted for parents: the bursar's reminders stay on the screen.
    for internal in ["请于", "前公示", "版）", "第 1 版", "月结已确认"] {
        assert!(!text.contains(internal), "internal text {internal:?} on the posted sheet:\n{text}");
    }
    // The cost of a child-day against the standard, to the fen.
    let cost = inside.cost.expect("counted");
    let per_day = houqin::money::mul_div(cost, 1, i64::from(inside.child_days));
    let line = inside.explanation.iter().find(|l| l.contains("每名幼儿每天的伙食支出")).expect("per child-day line");
    assert!(line.contains(&format!("= {} 元,用膳标准 15.00 元/天", per_day.to_grouped_string())), "{line}");
    assert_eq!(red_pixels(&inside_pdf), 0, "nothing red on a sheet inside the limit");

    // Meat bought on the 30th and used (the count stays): 4% more cost, a loss
    // beyond −2% whatever the demo's own −1.2 … +1.5%.
    let extra = houqin::money::mul_div(inside.income, 4, 100);
    buy(&mut db, "2026-10-30", "肉禽蛋", &extra.to_yuan_string()).expect("purchase");
    let s = meal::sheet_for(db.conn(), month).expect("sheet");
    assert_eq!(s.cost, inside.cost.map(|c| c + extra));
    assert!(s.month_ratio.outside, "{}", s.month_ratio.text);
    assert!(s.month_ratio.bp.expect("bp") < -200);
    assert!(s.outside);
    assert!(s.explanation.iter().any(|l| l.contains("超出 ±2% 的范围")), "{:?}", s.explanation);

    let pdf = dir.join("outside.pdf");
    meal::pdf::write(&s, &pdf).expect("pdf");
    let text = text_of(&pdf);
    for want in [
        "阳光幼儿园2026年10月伙食费收支公示",
        "【超出±2%】",
        s.month_ratio.text.as_str(),
        "本月结余 ÷ 本月伙食费收入",
        "累计结余 ÷ 学期伙食费收入",
        "膳食委员会",
        "园长",
        "教工伙食",
    ] {
        assert!(text.contains(want), "PDF lacks {want}:\n{text}");
    }
    assert!(text.contains(&s.child_days.to_string()), "child-days on the PDF");
    assert!(text.contains(&s.refund.to_grouped_string()), "refund line on the PDF");
    for c in &s.categories {
        assert!(text.contains(&c.category), "category {}", c.category);
    }
    let info = String::from_utf8(poppler("pdfinfo", &[pdf.to_str().expect("path")])).expect("utf-8");
    assert!(info.contains("Pages:           1"), "one page:\n{info}");
    assert!(info.contains("841.89 x 595.276 pts"), "A4 landscape:\n{info}");
    assert!(red_pixels(&pdf) > 30, "the out-of-limit values are printed in red");

    let xlsx = dir.join("outside.xlsx");
    meal::xlsx::write(&s, &meal::list_purchases(db.conn(), month).expect("list"), &xlsx).expect("xlsx");
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&xlsx).expect("open xlsx");
    let sheet = book.worksheet_range("伙食费收支公示").expect("sheet");
    let cells: Vec<String> = sheet.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(cells.iter().any(|c| c.contains("【超出±2%】") && c.contains(&s.month_ratio.text)), "{cells:?}");
    let purchases = book.worksheet_range("进货明细").expect("purchases");
    assert!(purchases.rows().any(|r| r.iter().any(|c| c.to_string().as_str() == "鲜丰肉类批发部")));

    // And the other side: counting more stock left at month end than there was
    // makes the month a profit — push it just past +2% and it is flagged too.
    let store = meal::store_month(db.conn(), month).expect("store");
    let income = s.income;
    let mut lines: Vec<CountLineInput> = store
        .lines
        .iter()
        .filter(|l| l.closing.is_some())
        .map(|l| CountLineInput {
            category: l.category.clone(),
            closing: l.closing.unwrap_or_default().to_yuan_string(),
            staff: l.staff.to_yuan_string(),
        })
        .collect();
    // The children's cost that gives +2.10%: cost = income × 0.979.
    let target_cost = houqin::money::mul_div(income, 9_790, 10_000);
    let cut = s.cost.expect("cost") - target_cost;
    let meat = store.lines.iter().find(|l| l.category == "肉禽蛋").expect("meat");
    let li = lines.iter_mut().find(|l| l.category == "肉禽蛋").expect("meat line");
    li.closing = (meat.closing.unwrap_or_default() + cut).to_yuan_string();
    let count = store.count.clone().expect("count");
    meal::save_count(
        &mut db,
        month,
        &CountInput {
            kind: CountKind::Count,
            counted_on: count.counted_on,
            counted_by: count.counted_by,
            note: String::new(),
            lines,
            staff_meals: store.staff.as_ref().map(|s| s.meals.to_string()).unwrap_or_default(),
            staff_income: store.staff.as_ref().map(|s| s.income.to_yuan_string()).unwrap_or_default(),
        },
    )
    .expect("recount");
    let p = meal::sheet_for(db.conn(), month).expect("sheet");
    assert_eq!(p.month_ratio.bp, Some(210), "{}", p.month_ratio.base);
    assert!(p.month_ratio.outside);
}

#[test]
fn bad_input_is_refused_in_chinese_and_nothing_is_saved() {
    let mut db = demo();
    let month = m("2026-10");
    let before = meal::list_purchases(db.conn(), month).expect("list").len();
    let neg = buy(&mut db, "2026-10-20", "肉禽蛋", "-120.00").expect_err("negative amount");
    assert!(neg.to_string().contains("金额不能为负数"), "{neg}");
    let unknown = buy(&mut db, "2026-10-20", "海鲜", "120.00").expect_err("unknown category");
    assert!(unknown.to_string().contains("类别“海鲜”不在食品类别列表中"), "{unknown}");
    assert_eq!(meal::list_purchases(db.conn(), month).expect("list").len(), before);

    // A count that leaves more rice than there was: stock would go negative.
    let store = meal::store_month(db.conn(), month).expect("store");
    let grain = store.lines.iter().find(|l| l.category == "粮食").expect("grain");
    let too_much = grain.opening + grain.purchases + Fen::yuan(1);
    let lines = store
        .lines
        .iter()
        .map(|l| CountLineInput {
            category: l.category.clone(),
            closing: if l.category == "粮食" { too_much } else { l.closing.unwrap_or_default() }.to_yuan_string(),
            staff: String::new(),
        })
        .collect();
    let err = meal::save_count(
        &mut db,
        month,
        &CountInput {
            kind: CountKind::Count,
            counted_on: d("2026-10-31"),
            counted_by: "周师傅".into(),
            note: String::new(),
            lines,
            staff_meals: String::new(),
            staff_income: String::new(),
        },
    )
    .expect_err("negative stock");
    assert!(matches!(err, Error::Rejected { .. }));
    assert!(err.to_string().contains("库存会成为负数"), "{err}");
    assert_eq!(meal::store_month(db.conn(), month).expect("store"), store, "the count is unchanged");
}

#[test]
fn publishing_needs_a_closed_month_locks_it_and_silences_the_reminder() {
    let mut db = demo();
    let oct = m("2026-10");
    // October is counted but its settlement is still open: 先结账 first.
    let r = meal::reminder(db.conn(), d("2026-11-10")).expect("reminder").expect("due");
    assert_eq!(
        (r.month, r.due, r.days_left, r.overdue, r.counted, r.closed),
        (oct, d("2026-11-15"), 5, false, true, false)
    );
    assert!(r.message.contains("请在 11月15日 前公示 2026年10月伙食费收支表"), "{}", r.message);
    assert!(r.message.contains("先结账"), "{}", r.message);
    let late = meal::reminder(db.conn(), d("2026-11-20")).expect("reminder").expect("due");
    assert!(late.overdue && late.message.contains("已过公示期限"), "{}", late.message);

    let nov = meal::publish(&mut db, m("2026-11"), d("2026-11-20")).expect_err("not counted");
    assert!(nov.to_string().contains("还没有月末盘点"), "{nov}");

    // Publishing an open month is refused, with what to do, and nothing is stored.
    let open = meal::publish(&mut db, oct, d("2026-11-10")).expect_err("open month");
    assert!(matches!(open, Error::Conflict(_)), "{open:?}");
    let msg = open.to_string();
    assert!(msg.contains("2026年10月 的月结还没有结账,不能公示伙食费收支表"), "{msg}");
    assert!(msg.contains("考勤与退费 → 月结") && msg.contains("先结账"), "{msg}");
    assert!(!meal::publish::is_published(db.conn(), oct).expect("published?"));

    db.with_tx(|tx| houqin::settlement::confirm_in_tx(tx, oct, d(TODAY))).expect("close October");
    let r = meal::reminder(db.conn(), d("2026-11-10")).expect("reminder").expect("due");
    assert!(r.closed && !r.message.contains("先结账"), "{}", r.message);

    let s = meal::publish(&mut db, oct, d("2026-11-10")).expect("publish");
    assert_eq!(s.publication.as_ref().map(|p| p.published_on), Some(d("2026-11-10")));
    assert_eq!((s.settlement_closed, s.settlement_revision, s.stale.as_deref()), (true, Some(1), None));
    assert_eq!(meal::reminder(db.conn(), d("2026-11-12")).expect("reminder"), None);
    let again = meal::publish(&mut db, oct, d("2026-11-11")).expect_err("twice");
    assert!(again.to_string().contains("已经公示过了"));

    let locked = buy(&mut db, "2026-10-20", "肉禽蛋", "50.00").expect_err("locked");
    assert!(matches!(locked, Error::Conflict(_)));
    assert!(locked.to_string().contains("已于 2026-11-10 公示"), "{locked}");
    // September's count is October's opening stock: locked too.
    let sep = meal::store_month(db.conn(), m("2026-09")).expect("sep");
    let count = CountInput {
        kind: CountKind::Count,
        counted_on: d("2026-09-30"),
        counted_by: "周师傅".into(),
        note: String::new(),
        lines: sep
            .lines
            .iter()
            .map(|l| CountLineInput {
                category: l.category.clone(),
                closing: l.closing.unwrap_or_default().to_yuan_string(),
                staff: l.staff.to_yuan_string(),
            })
            .collect(),
        staff_meals: String::new(),
        staff_income: String::new(),
    };
    assert!(matches!(meal::save_count(&mut db, m("2026-09"), &count), Err(Error::Conflict(_))));

    // The published sheet is what is shown, even if the data behind it changes.
    let shown = meal::sheet_for(db.conn(), oct).expect("sheet");
    assert_eq!(shown.publication.as_ref().map(|p| p.published_by.as_str()), Some("李会计"));
    assert_eq!(shown.income, s.income);

    assert!(meal::withdraw(&mut db, oct, "  ").expect_err("reason").to_string().contains("必须填写原因"));
    assert!(meal::withdraw(&mut db, m("2026-09"), "x").is_err(), "September was never published");
    meal::withdraw(&mut db, oct, "10 月 20 日的猪肉进货漏记").expect("withdraw");
    buy(&mut db, "2026-10-20", "肉禽蛋", "50.00").expect("unlocked again");
    let log = houqin::db::audit::recent(db.conn(), Some("meal_publication"), 5).expect("audit");
    assert_eq!(log[0].action, "withdraw");
    assert_eq!(log[1].action, "publish");
}

#[test]
fn a_published_month_whose_settlement_is_reopened_keeps_its_sheet_marked_stale_until_published_again() {
    // Reopening a closed month is the settlement's rule, not the meal
    // account's: the posted sheet is not rewritten behind the bursar's back,
    // it is marked stale — on screen, on paper and on the home screen — and
    // withdrawing and publishing again takes the month as confirmed again.
    let mut db = demo();
    let oct = m("2026-10");
    db.with_tx(|tx| houqin::settlement::confirm_in_tx(tx, oct, d(TODAY))).expect("close October");
    let posted = meal::publish(&mut db, oct, d("2026-11-10")).expect("publish");

    houqin::settlement::reopen(&mut db, oct, "两天校舍检修漏记").expect("reopen");
    let shown = meal::sheet_for(db.conn(), oct).expect("sheet");
    assert_eq!((shown.income, shown.refund), (posted.income, posted.refund), "the posted figures stay");
    let why = shown.stale.clone().expect("stale while reopened");
    assert!(why.contains("被重新打开") && why.contains("(第 1 版)"), "{why}");
    let r = meal::reminder(db.conn(), d("2026-11-12")).expect("reminder").expect("publish again");
    assert!(r.stale && r.message.contains("需要重新公示"), "{}", r.message);

    // Two school days closed (not charged): October's meal charges fall, the
    // month is confirmed again (第 2 版) with other meal figures.
    houqin::school::calendar::add_closure(
        &mut db,
        &houqin::calendar::Closure {
            from: d("2026-10-29"),
            to: d("2026-10-30"),
            reason: "校舍检修".into(),
            charged: false,
        },
    )
    .expect("closure");
    db.with_tx(|tx| houqin::settlement::confirm_in_tx(tx, oct, d(TODAY))).expect("close again");
    let shown = meal::sheet_for(db.conn(), oct).expect("sheet");
    assert_eq!(shown.income, posted.income, "still the posted sheet");
    let why = shown.stale.clone().expect("stale: other figures");
    assert!(why.contains("重新确认为第 2 版") && why.contains(&posted.income.to_grouped_string()), "{why}");
    assert!(why.contains("撤销这次公示"), "{why}");
    let pdf = out_dir("stale").join("stale.pdf");
    meal::pdf::write(&shown, &pdf).expect("pdf");
    assert!(text_of(&pdf).contains("注意：公示后，2026年10月 的月结重新确认为第 2 版"), "{}", text_of(&pdf));

    // Withdraw and publish again: the month as confirmed now, nothing stale.
    meal::withdraw(&mut db, oct, "月结重新确认,补记两天停课").expect("withdraw");
    let again = meal::publish(&mut db, oct, d("2026-11-12")).expect("publish again");
    assert_eq!(again.settlement_revision, Some(2));
    assert!(again.stale.is_none());
    assert!(again.charged < posted.charged, "two fewer charged days");
    assert_eq!(again.refund, stored_settlement(&db, oct).1);
    assert_eq!(meal::reminder(db.conn(), d("2026-11-12")).expect("reminder"), None);
}

#[test]
fn the_command_line_prints_the_sheet_writes_the_pdf_and_refuses_bad_input() {
    let dir = out_dir("cli");
    let db_path = dir.join("school.db");
    {
        let mut db = Db::open(&db_path).expect("db");
        db.set_operator("李会计");
        houqin::demo::load(&mut db, d(TODAY)).expect("demo");
    }
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_houqin"))
            .arg("--db")
            .arg(&db_path)
            .args(args)
            .output()
            .expect("run houqin");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let pdf = dir.join("公示.pdf");
    let xlsx = dir.join("公示.xlsx");
    let (ok, out, err) = run(&[
        "meal-account",
        "--month",
        "2026-10",
        "--out",
        pdf.to_str().expect("path"),
        "--xlsx",
        xlsx.to_str().expect("path"),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("2026年10月伙食费收支公示") && out.contains("本月盈亏率"), "{out}");
    assert!(text_of(&pdf).contains("伙食费收支公示"));
    assert!(xlsx.exists());

    let list = |month: &str| run(&["--json", "meal-account", "purchase", "list", "--month", month]).1;
    let before = list("2026-10");
    let (ok, _, err) = run(&[
        "meal-account",
        "purchase",
        "add",
        "--date",
        "2026-10-20",
        "--supplier",
        "绿源",
        "--receiver",
        "周师傅",
        "--line",
        "青菜,蔬菜,10,kg,-30",
    ]);
    assert!(!ok && err.contains("金额不能为负数"), "{err}");
    let (ok, _, err) = run(&[
        "meal-account",
        "purchase",
        "add",
        "--date",
        "2026-10-20",
        "--supplier",
        "绿源",
        "--receiver",
        "周师傅",
        "--line",
        "青菜,海鲜,10,kg,30",
    ]);
    assert!(!ok && err.contains("不在食品类别列表中"), "{err}");
    assert_eq!(list("2026-10"), before, "nothing saved");
    let (ok, out, err) = run(&[
        "meal-account",
        "purchase",
        "add",
        "--date",
        "2026-11-02",
        "--supplier",
        "绿源",
        "--receiver",
        "周师傅",
        "--line",
        "青菜,蔬菜,10,kg,30,,",
        "--line",
        "大米,粮食,50,kg,280.00,2026-10-01,12个月",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("共 310.00 元"), "{out}");

    // A count for this month that leaves more vegetables than were bought.
    let (ok, _, err) = run(&["meal-account", "count", "--month", "2026-11", "蔬菜=999999"]);
    assert!(!ok, "refused");
    assert!(err.contains("请填写") || err.contains("库存会成为负数"), "{err}");
    let (ok, out, _) = run(&["meal-account", "store", "--month", "2026-11"]);
    assert!(ok && out.contains("—"), "still uncounted:\n{out}");
}
