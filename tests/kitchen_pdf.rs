//! The kitchen's printouts, read back with poppler (`pdftotext`, `pdfinfo`)
//! as an inspector would read the paper: the month's 食品留样记录表 (every
//! column of every sample row, 未留样 rows, the per-day tally, totals and the
//! reviewer's line), the label sheet and the three daily logs. The data is
//! the demo kitchen dated Wednesday 2026-11-25, plus rows typed in the test.
//! poppler-utils is required (a missing tool fails with how to install it).
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{NaiveDate, NaiveDateTime};
use houqin::calendar::Closure;
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::kitchen::logs::{self, Hands, HealthCheckInput, LogKind};
use houqin::kitchen::samples::{self, DishRow, MealEntry};
use houqin::kitchen::{print, Meal};
use houqin::school::profile::{self, Ownership, SchoolProfile};

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("datetime")
}

const TODAY: &str = "2026-11-25";

/// The time the logs are printed: Wednesday morning.
fn now() -> NaiveDateTime {
    t("2026-11-25 09:00")
}

fn demo_kitchen() -> Db {
    demo_kitchen_with(&[])
}

/// The demo kitchen on a calendar with `closures` (stored, as the bursar records them).
fn demo_kitchen_with(closures: &[Closure]) -> Db {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("周师傅");
    profile::save(
        &mut db,
        &SchoolProfile {
            name: "阳光幼儿园".into(),
            campus: String::new(),
            address: String::new(),
            phone: String::new(),
            bursar_name: String::new(),
            head_name: String::new(),
            ownership: Ownership::Public,
        },
    )
    .expect("profile");
    for c in closures {
        houqin::school::calendar::add_closure(&mut db, c).expect("closure");
    }
    let cal = houqin::school::calendar::load(db.conn()).expect("calendar");
    db.with_tx(|tx| houqin::demo::kitchen::fill(tx, d(TODAY), &cal)).expect("demo kitchen");
    db
}

fn out_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("houqin-kitchen-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is needed to check the PDFs ({e}): apt-get install poppler-utils");
    });
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn text(path: &Path) -> String {
    poppler("pdftotext", &["-layout", path.to_str().expect("utf-8 path"), "-"])
}

fn pages(path: &Path) -> usize {
    let info = poppler("pdfinfo", &[path.to_str().expect("path")]);
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("Pages line");
    line.trim_start_matches("Pages:").trim().parse().expect("number")
}

fn size(path: &Path) -> String {
    let info = poppler("pdfinfo", &[path.to_str().expect("path")]);
    info.lines().find(|l| l.starts_with("Page size:")).expect("size").to_string()
}

/// The line of the text that has all `cells`, in this order.
fn row_with<'a>(text: &'a str, cells: &[&str]) -> Option<&'a str> {
    text.lines().find(|line| {
        let mut rest = *line;
        cells.iter().all(|c| match rest.find(c) {
            Some(i) => {
                rest = &rest[i + c.len()..];
                true
            }
            None => false,
        })
    })
}

#[test]
fn month_sample_log_has_every_column_of_every_row_and_the_tally() {
    let mut db = demo_kitchen();
    // A decimal weight typed today comes back exactly.
    let e = MealEntry {
        date: d(TODAY),
        meal: Meal::Breakfast,
        rows: vec![
            DishRow { dish: "小米南瓜粥".into(), weight: "130.5".into() },
            DishRow { dish: "鸡蛋饼".into(), weight: "125".into() },
        ],
        time: "08:05".into(),
        sampler: "周师傅".into(),
        fridge: "留样冰箱".into(),
        off_day_reason: String::new(),
    };
    // The demo's menu for today may differ: whatever it is, sample its breakfast.
    let menu = samples::menu(db.conn(), d(TODAY), Meal::Breakfast).expect("menu");
    let rows: Vec<DishRow> = menu
        .iter()
        .enumerate()
        .map(|(i, dish)| DishRow { dish: dish.clone(), weight: if i == 0 { "130.5".into() } else { "125".into() } })
        .collect();
    let e = MealEntry { rows, ..e };
    samples::save_meal(&mut db, &e, t("2026-11-25 09:00")).expect("breakfast");

    let month: YearMonth = "2026-11".parse().expect("month");
    let path = out_dir().join("留样记录表.pdf");
    let n = print::write_samples_pdf(db.conn(), month, now(), &path).expect("write");
    assert_eq!(n, pages(&path));
    assert!(size(&path).contains("841.89 x 595.276") || size(&path).contains("842 x 595"), "{}", size(&path));
    let txt = text(&path);
    assert!(txt.contains("阳光幼儿园食品留样记录表"), "{txt}");
    assert!(txt.contains("2026年11月"));
    for h in ["日期", "餐次", "食品名称", "留样量（克）", "留样时间（月日时）", "留样人", "处理时间", "处理人"]
    {
        assert!(txt.contains(h), "header {h}");
    }
    assert!(txt.contains("审核人：") && txt.contains("审核日期："), "reviewer line");
    assert_full_width_punctuation(&txt);

    // Every sample of the month, every column, on one line.
    let all = samples::samples_between(db.conn(), month.first_day(), d(TODAY)).expect("samples");
    assert!(all.len() > 100);
    for x in &all {
        let date = format!("{}月{}日", 11, x.date.format("%-d"));
        let stored = x.stored_at.format("%-m月%-d日 %H:%M").to_string();
        let weight = x.weight.to_string();
        let discarded = x.discarded_at.map(|t| t.format("%-m月%-d日 %H:%M").to_string()).unwrap_or_default();
        let by = x.discarded_by.clone().unwrap_or_default();
        let cells = [
            date.as_str(),
            x.meal_label,
            x.dish.as_str(),
            weight.as_str(),
            stored.as_str(),
            x.sampler.as_str(),
            discarded.as_str(),
            by.as_str(),
        ];
        let cells: Vec<&str> = cells.into_iter().filter(|c| !c.is_empty()).collect();
        assert!(row_with(&txt, &cells).is_some(), "no row {cells:?}");
    }
    assert!(row_with(&txt, &["11月25日", "早餐", &menu[0], "130.5", "11月25日 08:05", "周师傅"]).is_some());

    // 未留样 rows and the tally agree with the check.
    let tallies = samples::tally(db.conn(), month.first_day(), d(TODAY)).expect("tally");
    let due: usize = tallies.iter().map(|t| t.dishes).sum();
    let taken: usize = tallies.iter().map(|t| t.sampled).sum();
    assert_eq!(taken, all.len());
    assert!(due > taken, "the demo leaves gaps");
    let unsampled_rows = txt.lines().filter(|l| l.contains("未留样") && !l.contains("未留样（份）")).count();
    assert!(unsampled_rows >= due - taken, "{unsampled_rows} rows for {} gaps", due - taken);
    assert!(txt.contains(&format!("本月应留样 {due} 份，已留样 {taken} 份，未留样 {} 份", due - taken)), "{txt}");
    for day in tallies.iter().filter(|t| !t.missing.is_empty()) {
        let (meal, dishes) = &day.missing[0];
        let date = day.date.format("%-m月%-d日").to_string();
        let total = day.dishes.to_string();
        let sampled = day.sampled.to_string();
        assert!(
            row_with(&txt, &[&date, &total, &sampled, &format!("{}：{}", meal.label(), dishes[0])]).is_some(),
            "tally of {date}"
        );
    }
}

#[test]
fn label_sheet_has_dish_meal_hour_and_sampler_for_each_sample() {
    let db = demo_kitchen();
    let day = d("2026-11-24");
    let list = samples::samples_between(db.conn(), day, day).expect("samples");
    assert!(list.len() >= 6);
    let path = out_dir().join("标签.pdf");
    let n = print::write_labels_pdf(db.conn(), day, None, &path).expect("labels");
    assert_eq!(n, list.len());
    assert_eq!(pages(&path), list.len().div_ceil(24));
    let txt = text(&path);
    for x in &list {
        assert!(txt.contains(&x.dish), "{}", x.dish);
        let hour = x.stored_at.format("2026年11月24日%-H时").to_string();
        assert!(txt.contains(&hour), "{hour}");
    }
    assert!(txt.contains("餐次：午餐") && txt.contains("留样人："));
    assert_full_width_punctuation(&txt);
    assert_eq!(txt.matches("食品留样").count(), list.len());
    // One meal only.
    let lunch = print::labels_pdf(db.conn(), day, Some(Meal::Lunch)).expect("lunch");
    assert_eq!(lunch.pages, 1);
    // A day without samples says so.
    let err = print::labels_pdf(db.conn(), d("2026-11-22"), None).expect_err("sunday");
    assert!(err.to_string().contains("还没有留样记录"), "{err}");
}

#[test]
fn daily_logs_print_with_their_numbers() {
    let db = demo_kitchen();
    let month: YearMonth = "2026-11".parse().expect("month");
    let dir = out_dir();
    let temp = dir.join("温度.pdf");
    print::write_log_pdf(db.conn(), LogKind::Temperature, month, d(TODAY), &temp).expect("temperature");
    let txt = text(&temp);
    assert!(txt.contains("阳光幼儿园留样柜温度记录表") && txt.contains("留样柜温度应在 0–8 °C"), "{txt}");
    // The demo's out-of-range reading, its action, and the re-check.
    assert!(row_with(&txt, &["16:30", "留样冰箱", "8.6", "超出范围", "周师傅"]).is_some(), "{txt}");
    // The action wraps inside its cell (pdftotext puts the lines around the row).
    assert!(txt.contains("门未关严，已关好并调低温控"), "{txt}");
    assert_full_width_punctuation(&txt);
    assert!(row_with(&txt, &["17:30", "留样冰箱", "4.2", "正常"]).is_some());
    // Every temperature with one decimal, as a thermometer shows it (2.0, not 2).
    for line in txt.lines().filter(|l| l.contains("留样冰箱")) {
        let temp = line.split("留样冰箱").nth(1).and_then(|r| r.split_whitespace().next()).expect("temp");
        assert!(temp.len() >= 3 && temp.as_bytes()[temp.len() - 2] == b'.', "{line}");
    }

    let dis = dir.join("消毒.pdf");
    print::write_log_pdf(db.conn(), LogKind::Disinfection, month, d(TODAY), &dis).expect("disinfection");
    let txt = text(&dis);
    assert!(txt.contains("餐具消毒记录表"));
    assert!(row_with(&txt, &["蒸汽", "碗、勺、餐盘", "100 °C"]).is_some(), "{txt}");
    assert!(row_with(&txt, &["含氯消毒剂", "餐桌、砧板、抹布", "250 mg/L", "10", "郑师傅"]).is_some(), "{txt}");

    let health = dir.join("晨检.pdf");
    print::write_log_pdf(db.conn(), LogKind::Health, month, d(TODAY), &health).expect("health");
    let txt = text(&health);
    assert!(txt.contains("从业人员晨检记录表") && txt.contains("体温 ≥37.3 °C"));
    assert!(row_with(&txt, &["吴师傅", "37.6", "发热", "否", "离岗休息"]).is_some(), "{txt}");
    assert!(txt.contains("审核人："));
    assert_full_width_punctuation(&txt);

    // A month with nothing recorded still prints, and says so.
    let empty: YearMonth = "2026-06".parse().expect("month");
    let p = print::log_pdf(db.conn(), LogKind::Health, empty, d(TODAY)).expect("empty");
    let path = dir.join("空.pdf");
    std::fs::write(&path, p.pdf).expect("write");
    assert!(text(&path).contains("本月没有记录"));
}

/// Printed Chinese takes full-width punctuation, as on every other document
/// (issue 14: the sample log mixed the two).
fn assert_full_width_punctuation(text: &str) {
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        for w in chars.windows(2) {
            let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
            let before = cjk(w[0]) && matches!(w[1], ':' | ',' | ';' | '(');
            let after = matches!(w[0], ')' | ',' | ':') && cjk(w[1]);
            assert!(!before && !after, "ASCII punctuation in Chinese: {line}");
        }
    }
}

/// The text of page `n` (1-based) alone.
fn page_text(path: &Path, n: usize) -> String {
    let n = n.to_string();
    poppler("pdftotext", &["-layout", "-f", &n, "-l", &n, path.to_str().expect("utf-8 path"), "-"])
}

/// Pages after the first say which log and month they continue (a loose
/// sheet handed to an inspector must not be anonymous). Regression: only the
/// first page had the title and the month.
#[test]
fn continuation_pages_carry_the_title_and_month() {
    let db = demo_kitchen();
    let month: YearMonth = "2026-11".parse().expect("month");
    let dir = out_dir();
    let samples_path = dir.join("续-留样.pdf");
    print::write_samples_pdf(db.conn(), month, now(), &samples_path).expect("samples");
    let mut printed = vec![(samples_path, "阳光幼儿园食品留样记录表 2026年11月（续）".to_string())];
    for kind in [LogKind::Temperature, LogKind::Disinfection, LogKind::Health] {
        let path = dir.join(format!("续-{}.pdf", kind.title()));
        print::write_log_pdf(db.conn(), kind, month, d(TODAY), &path).expect("log");
        printed.push((path, format!("阳光幼儿园{} 2026年11月（续）", kind.title())));
    }
    for (path, note) in &printed {
        let n = pages(path);
        for p in 1..=n {
            let first =
                page_text(path, p).lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim().to_string();
            if p == 1 {
                assert!(!first.contains("（续）"), "{note}: page 1 starts with {first}");
            } else {
                assert_eq!(first, *note, "page {p} of {n}");
            }
        }
    }
    // The demo month is long enough for the sample log and the 晨检 log to need a second page.
    assert!(pages(&printed[0].0) > 1 && pages(&printed[3].0) > 1);
}

/// The 食品留样记录表 runs from margin to margin like its heading. Regression:
/// the table ended about 27 mm short of the right margin.
#[test]
fn sample_log_table_uses_the_full_width() {
    let db = demo_kitchen();
    let path = out_dir().join("宽度.pdf");
    print::write_samples_pdf(db.conn(), "2026-11".parse().expect("month"), now(), &path).expect("samples");
    // Word boxes in points; the page is A4 landscape, 842 pt wide, margins 12 mm.
    let bbox = poppler("pdftotext", &["-bbox", "-f", "1", "-l", "1", path.to_str().expect("path"), "-"]);
    let word = bbox.lines().find(|l| l.ends_with(">处理人</word>")).expect("the 处理人 header");
    let attr = |name: &str| -> f32 {
        let rest = &word[word.find(&format!("{name}=\"")).expect(name) + name.len() + 2..];
        rest[..rest.find('"').expect("quote")].parse().expect("number")
    };
    let mm = 72.0 / 25.4;
    let centre = (attr("xMin") + attr("xMax")) / 2.0;
    let right_margin = 841.89 - 12.0 * mm;
    // The last column (处理人, about 28 mm) ends at the margin: its centre lies within it.
    assert!(centre > right_margin - 28.0 * mm && centre < right_margin, "处理人 centred at {centre} pt");
}

#[test]
fn a_month_not_started_yet_is_refused() {
    let db = demo_kitchen();
    let err = print::samples_pdf(db.conn(), "2026-12".parse().expect("m"), now()).expect_err("future");
    assert!(err.to_string().contains("还没有开始"), "{err}");
}

/// The storm closure: on every log, where it falls.
fn storm() -> Closure {
    Closure { from: d("2026-11-12"), to: d("2026-11-12"), reason: "暴雨红色预警停课".into(), charged: true }
}

/// On the demo's closure day (暴雨红色预警停课) the sample log showed a full
/// day of samples and the fridge, disinfection and 晨检 logs a normal day.
/// Every log now marks the closure; the sample log says 留样中 or 逾期未处理
/// for a sample not discarded (never a blank) and lists the problems; the
/// temperature log has a 缺测 row for a weekend day the fridge held samples
/// and was not read; the 晨检 log has the time and the hands.
#[test]
fn the_logs_mark_the_closure_and_flag_what_is_missing() {
    let mut db = demo_kitchen_with(&[storm()]);
    let month: YearMonth = "2026-11".parse().expect("month");
    let dir = out_dir();
    let path = dir.join("停课-留样.pdf");
    print::write_samples_pdf(db.conn(), month, now(), &path).expect("samples");
    let txt = text(&path);
    assert!(row_with(&txt, &["11月12日", "停课", "暴雨红色预警停课（幼儿不在园）"]).is_some(), "{txt}");
    assert!(!txt.lines().any(|l| l.contains("11月12日") && l.contains("未留样")), "no menu was due that day");
    let kept = samples::fridge_contents(db.conn(), now()).expect("fridge");
    assert!(!kept.due.is_empty() && !kept.keeping.is_empty());
    for x in &kept.due {
        let date = x.date.format("%-m月%-d日").to_string();
        assert!(row_with(&txt, &[&date, x.meal_label, &x.dish, "逾期未处理"]).is_some(), "{date} {}", x.dish);
    }
    for x in &kept.keeping {
        let date = x.date.format("%-m月%-d日").to_string();
        assert!(row_with(&txt, &[&date, x.meal_label, &x.dish, "留样中"]).is_some(), "{date} {}", x.dish);
    }
    assert!(txt.contains("需要说明的问题") && txt.contains("留样逾期未处理"), "{txt}");

    // The fridge log: the closure (the fridge was read, it held samples), and
    // a 缺测 row once a weekend day's readings are gone.
    let sunday = d("2026-11-22");
    for r in houqin::kitchen::logs::readings(db.conn(), sunday, sunday).expect("readings") {
        houqin::kitchen::logs::delete_entry(&mut db, LogKind::Temperature, r.id).expect("delete");
    }
    let temp = dir.join("停课-温度.pdf");
    print::write_log_pdf(db.conn(), LogKind::Temperature, month, d(TODAY), &temp).expect("temperature");
    let txt = text(&temp);
    // The reason wraps in the narrow 处理措施 column, around the row.
    assert!(row_with(&txt, &["11月12日", "停课"]).is_some() && txt.contains("暴雨红色预警停课（"), "{txt}");
    assert!(row_with(&txt, &["11月22日", "留样冰箱", "缺测", "应测 2 次，实测 0 次"]).is_some(), "{txt}");
    assert!(row_with(&txt, &["11月21日", "留样冰箱", "正常", "郑师傅"]).is_some(), "Saturday was read: {txt}");
    assert!(txt.contains("缺测 1 天次"), "{txt}");

    let dis = dir.join("停课-消毒.pdf");
    print::write_log_pdf(db.conn(), LogKind::Disinfection, month, d(TODAY), &dis).expect("disinfection");
    let txt = text(&dis);
    assert!(row_with(&txt, &["11月12日", "停课"]).is_some() && txt.contains("暴雨红色预警停课（"), "{txt}");
    assert!(!txt.lines().any(|l| l.contains("11月12日") && l.contains("碗、勺、餐盘")), "no washing up that day");

    let health = dir.join("停课-晨检.pdf");
    print::write_log_pdf(db.conn(), LogKind::Health, month, d(TODAY), &health).expect("health");
    let txt = text(&health);
    assert!(row_with(&txt, &["11月12日", "停课", "暴雨红色预警停课"]).is_some(), "{txt}");
    assert!(row_with(&txt, &["时间", "姓名", "体温（°C）", "手部", "症状"]).is_some(), "{txt}");
    assert!(row_with(&txt, &["11月24日", "07:20", "周师傅", "正常", "无", "可"]).is_some(), "{txt}");
}

/// The sample log reads each sample against the other records: a day the
/// children were away says why the kitchen cooked (or that nobody said), and
/// a sampler found 不宜上岗 at that day's 晨检 (entered after the sample) is
/// marked in the row and listed under 需要说明的问题.
#[test]
fn the_sample_log_says_why_the_kitchen_cooked_and_marks_a_sampler_sent_home() {
    let mut db = demo_kitchen();
    let breakfast = |date: &str, reason: &str| MealEntry {
        date: d(date),
        meal: Meal::Breakfast,
        rows: vec![DishRow { dish: "小米粥".into(), weight: "150".into() }],
        time: "08:00".into(),
        sampler: "郑师傅".into(),
        fridge: "留样冰箱".into(),
        off_day_reason: reason.into(),
    };
    samples::save_meal(&mut db, &breakfast("2026-11-21", "教职工加班用餐"), t("2026-11-21 08:10")).expect("Saturday");
    samples::save_meal(&mut db, &breakfast("2026-11-22", ""), t("2026-11-22 08:10")).expect_err("Sunday, no reason");
    let check = HealthCheckInput {
        date: d("2026-11-21"),
        time: "08:30".into(),
        staff: "郑师傅".into(),
        temp: "36.5".into(),
        hands: Some(Hands::Infected),
        symptoms: vec![],
        note: "离岗就医".into(),
        checker: "孙医生".into(),
    };
    logs::add_health_check(&mut db, &check, t("2026-11-21 08:40")).expect("checked after the sample");

    let path = out_dir().join("供餐原因-留样.pdf");
    print::write_samples_pdf(db.conn(), "2026-11".parse().expect("month"), now(), &path).expect("samples");
    let txt = text(&path);
    assert!(row_with(&txt, &["11月21日", "非在园日（周末）供餐：教职工加班用餐"]).is_some(), "{txt}");
    // The sampler's cell is two lines: the name, then the mark.
    assert!(row_with(&txt, &["11月21日", "早餐", "小米粥", "150", "11月21日 08:00"]).is_some(), "{txt}");
    assert!(txt.lines().any(|l| l.trim() == "晨检不宜上岗"), "{txt}");
    assert!(row_with(&txt, &["11月21日", "留样人晨检不宜上岗"]).is_some(), "{txt}");
    assert!(!txt.contains("本月记录未发现需要说明的问题"), "{txt}");
}

/// Writes every kitchen printout of the demo kitchen to `target/kitchen-pdf/`
/// for a person to look at (`cargo test --test kitchen_pdf -- --ignored`).
#[test]
#[ignore]
fn write_review_copies() {
    let db = demo_kitchen_with(&[storm()]);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join("kitchen-pdf");
    std::fs::create_dir_all(&dir).expect("dir");
    let month: YearMonth = "2026-11".parse().expect("month");
    print::write_samples_pdf(db.conn(), month, now(), &dir.join("samples.pdf")).expect("samples");
    print::write_labels_pdf(db.conn(), d("2026-11-24"), None, &dir.join("labels.pdf")).expect("labels");
    for (kind, name) in
        [(LogKind::Temperature, "temperature"), (LogKind::Disinfection, "disinfection"), (LogKind::Health, "health")]
    {
        print::write_log_pdf(db.conn(), kind, month, d(TODAY), &dir.join(format!("{name}.pdf"))).expect("log");
    }
}
