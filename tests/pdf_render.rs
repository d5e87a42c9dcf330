//! Rendering tests for `houqin::pdf`: the PDF is written to disk and read back
//! with poppler (`pdftotext`, `pdfinfo`, `pdffonts`), so what is checked is what
//! a printer or a parent's PDF viewer gets, not our own idea of it.
//!
//! poppler-utils is required: a missing tool fails the test with a message
//! saying so, rather than skipping it.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::Command;

use houqin::pdf::sample::{self, SampleNotice};
use houqin::pdf::{
    Align, Column, Document, Flow, Fonts, Margins, PageSize, Sheet, Table, TextStyle, FALLBACK_FONT_ENV, PT_TO_MM,
};

/// Where rendered files go (kept after the run, for looking at).
fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdf_render");
    std::fs::create_dir_all(&dir).expect("create output dir");
    dir
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = out_dir().join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

/// Runs a poppler tool; a missing tool is a test failure with the fix in the message.
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = match Command::new(tool).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("`{tool}` not found: install poppler-utils (apt-get install poppler-utils) to run the PDF tests")
        }
        Err(e) => panic!("running {tool}: {e}"),
    };
    assert!(out.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("poppler output is UTF-8")
}

fn text_of(path: &Path) -> String {
    poppler("pdftotext", &["-layout", path.to_str().expect("utf-8 path"), "-"])
}

fn text_of_page(path: &Path, page: usize) -> String {
    let p = page.to_string();
    poppler("pdftotext", &["-layout", "-f", &p, "-l", &p, path.to_str().expect("utf-8 path"), "-"])
}

fn page_count(path: &Path) -> usize {
    let info = poppler("pdfinfo", &[path.to_str().expect("utf-8 path")]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in pdfinfo output:\n{info}"))
}

/// Text with all whitespace removed: `-layout` pads columns with spaces, and a
/// wrapped line break is not part of what is checked.
fn squashed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every word's box from `pdftotext -bbox`, in mm: (page, x_min, y_min, x_max, y_max, text).
fn word_boxes(path: &Path) -> Vec<(usize, f32, f32, f32, f32, String)> {
    let html = poppler("pdftotext", &["-bbox", path.to_str().expect("utf-8 path"), "-"]);
    let attr = |tag: &str, name: &str| -> f32 {
        let start = tag.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        let end = start + tag[start..].find('"').expect("closing quote");
        tag[start..end].parse::<f32>().expect("number") * PT_TO_MM
    };
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let (tag, text) = rest.split_once('>').expect("word tag");
            let text = text.trim_end_matches("</word>").to_string();
            out.push((page, attr(tag, "xMin"), attr(tag, "yMin"), attr(tag, "xMax"), attr(tag, "yMax"), text));
        }
    }
    out
}

#[test]
fn sample_notice_text_copies_back_exactly() {
    let path = write("sample-notice.pdf", &sample::sample_notice_pdf().expect("sample renders"));
    assert_eq!(page_count(&path), 2, "A4 notice + a sheet of two A5 notices");
    let text = text_of(&path);
    let flat = squashed(&text);
    for expected in [
        "阳光幼儿园缴费通知单",
        "王小明",
        "大一班",
        "20230115",
        "编号：TZ-202504-0115",
        "1,200.00",
        "262.50",
        "-62.50",
        "12.50",
        "合计（应缴）",
        "1,412.50",
        "本期应缴金额：¥1,412.50",
        "人民币（大写）：壹仟肆佰壹拾贰元伍角整",
        "会计：",
        "园长：",
        "日期：2025年3月28日",
        "沿此线剪开",
        // The refund-only notice on the A5 half prints 应退, not a negative total.
        "本期应退金额：¥225.00",
        "人民币（大写）：贰佰贰拾伍元整",
        "合计（应退）",
    ] {
        assert!(flat.contains(&squashed(expected)), "{expected:?} missing from:\n{text}");
    }
    // Explanation lines come back whole once line breaks are removed.
    for line in &SampleNotice::demo().explanations {
        assert!(flat.contains(&squashed(line)), "{line:?} missing from:\n{text}");
    }
    // Amounts are right-aligned: their right edges line up in the table.
    let boxes = word_boxes(&path);
    let right_edges: Vec<f32> = boxes
        .iter()
        .filter(|b| b.0 == 1 && ["1,200.00", "262.50", "-62.50", "12.50", "1,412.50"].contains(&b.5.as_str()))
        .map(|b| b.3)
        .collect();
    assert_eq!(right_edges.len(), 5, "{boxes:?}");
    for e in &right_edges {
        assert!((e - right_edges[0]).abs() < 0.3, "amounts not right-aligned: {right_edges:?}");
    }
}

#[test]
fn no_text_leaves_the_content_box() {
    let mut long = SampleNotice::demo();
    long.child = "爱新觉罗·司马欧阳诸葛上官皇甫慕容端木长孙宇文小明明".to_string();
    long.explanations = (1..=10)
        .map(|i| {
            format!(
                "第{i}条:{}",
                "3月3日至3月7日因病缺勤5天,按每天12.50元退伙食费62.50元,经班主任确认考勤记录无误后办理。".repeat(2)
            )
        })
        .collect();
    for (sheet, name) in [(Sheet::A4Portrait, "long-a4.pdf"), (Sheet::TwoA5OnA4, "long-a5.pdf")] {
        let path = write(name, &sample::notices_pdf(std::slice::from_ref(&long), sheet).expect("renders"));
        let m = sample::notice_margins(sheet);
        let page_w = 210.0;
        let boxes = word_boxes(&path);
        assert!(!boxes.is_empty());
        for (page, x0, _, x1, _, text) in &boxes {
            if text.contains("剪开") {
                continue; // the cut line label sits on the page edge-to-edge line, outside regions
            }
            assert!(*x0 >= m.left - 0.3, "{name} p{page}: {text:?} starts at {x0} mm, left of the margin");
            assert!(*x1 <= page_w - m.right + 0.3, "{name} p{page}: {text:?} ends at {x1} mm, past the margin");
        }
        let flat = squashed(&text_of(&path));
        assert!(flat.contains(&squashed(&long.child)) || long.child.chars().all(|c| flat.contains(c)));
        for line in &long.explanations {
            assert!(flat.contains(&squashed(line)), "{name}: {line:?} cut off");
        }
    }
}

#[test]
fn wrapped_lines_never_exceed_the_box() {
    let fonts = Fonts::embedded_only().expect("fonts");
    let name = "爱新觉罗·司马欧阳诸葛上官皇甫慕容端木长孙宇文小明明 Alexander-Maximilian";
    let explanation = "2025年3月3日(周一)至3月7日(周五)因病缺勤5天,连续缺勤满3天,按实际缺勤天数退伙食费,每天12.50元,共62.50元;另3月10日请假1天,不足3天不退。";
    for (text, size, width) in
        [(name, 10.5, 40.0), (name, 9.0, 25.0), (explanation, 9.5, 120.0), (explanation, 9.5, 33.3)]
    {
        let lines = fonts.wrap(text, size, width);
        assert!(lines.len() > 1, "{text} should wrap at {width} mm");
        for l in &lines {
            let w = fonts.text_width(l, size);
            assert!(w <= width + 1e-3, "line {l:?} is {w} mm, box is {width} mm");
        }
        let rejoined: String = lines.concat();
        assert_eq!(squashed(&rejoined), squashed(text), "characters lost in wrapping");
    }
}

#[test]
fn too_long_notice_continues_on_a_second_page() {
    let mut n = SampleNotice::demo();
    let base = n.explanations.clone();
    n.explanations = (0..4).flat_map(|_| base.clone()).collect();
    let path = write("spill-a4.pdf", &sample::notices_pdf(&[n.clone()], Sheet::A4Portrait).expect("renders"));
    assert_eq!(page_count(&path), 2, "40 explanation lines need a second A4 page");
    let p1 = squashed(&text_of_page(&path, 1));
    let p2 = squashed(&text_of_page(&path, 2));
    assert!(p1.contains("阳光幼儿园缴费通知单") && !p1.contains("（续）"));
    assert!(p2.contains("王小明大一班2025年4月缴费通知单（续）"), "continuation note on page 2:\n{p2}");
    assert!(p2.contains("日期：2025年3月28日"), "signatures follow on page 2");
    // Nothing is lost at the break.
    let all = squashed(&text_of(&path));
    for line in &n.explanations {
        assert!(all.contains(&squashed(line)), "{line:?} lost at the page break");
    }

    // On two A5 per A4 the same notice fills the top half and continues in
    // the bottom one; the next notice then starts on a fresh sheet.
    let next = SampleNotice::numbered(1);
    let path = write("spill-a5.pdf", &sample::notices_pdf(&[n, next.clone()], Sheet::TwoA5OnA4).expect("renders"));
    assert_eq!(page_count(&path), 2);
    let p1 = squashed(&text_of_page(&path, 1));
    assert!(p1.contains("王小明大一班2025年4月缴费通知单（续）"), "{p1}");
    let p2 = squashed(&text_of_page(&path, 2));
    assert!(p2.contains(&next.child) && !p2.contains("（续）"), "{p2}");
}

#[test]
fn table_breaks_pages_repeats_header_and_numbers_pages() {
    let mut doc = Document::with_fonts("表格", Fonts::embedded_only().expect("fonts"));
    {
        let mut flow = Flow::new(&mut doc, Sheet::A4Landscape, Margins::uniform(12.0));
        flow.line("食品留样记录表", &TextStyle::new(16.0).bold().align(Align::Center));
        let mut t = Table::new(vec![
            Column::new("日期", 25.0).center(),
            Column::new("餐次", 18.0).center(),
            Column::new("食品名称", 60.0),
            Column::new("留样量(克)", 25.0).right(),
            Column::new("留样时间(月日时)", 35.0).center(),
            Column::new("留样人", 25.0),
            Column::new("处理时间", 35.0).center(),
            Column::new("处理人", 25.0),
        ]);
        t.page_footer = true;
        for i in 0..90 {
            let dish = if i % 7 == 0 {
                "番茄炒蛋、清炒西兰花、紫菜蛋花汤、红豆米饭(加餐水果:香蕉)"
            } else {
                "红烧鸡块"
            };
            t.row([
                format!("3月{}日", i / 3 + 1),
                "午餐".into(),
                dish.into(),
                "125".into(),
                "3月1日11时".into(),
                "张三".into(),
                "3月3日12时".into(),
                "李四".into(),
            ]);
        }
        flow.table(&t).expect("table draws");
    }
    let n = doc.page_count();
    assert!(n >= 3, "90 rows take several pages, got {n}");
    let path = write("table.pdf", &doc.render().expect("renders"));
    assert_eq!(page_count(&path), n);
    for p in 1..=n {
        let text = squashed(&text_of_page(&path, p));
        assert!(text.contains("食品名称留样量(克)"), "header repeated on page {p}");
        assert!(text.contains(&format!("第{p}页/共{n}页")), "footer on page {p}:\n{text}");
    }
    // Every row made it: 90 × 125 g.
    assert_eq!(text_of(&path).matches("125").count(), 90);
}

#[test]
fn a_row_taller_than_a_page_is_split_not_cut() {
    let mut doc = Document::with_fonts("长行", Fonts::embedded_only().expect("fonts"));
    let long: String = (1..=150).map(|i| format!("第{i}行说明。")).collect::<Vec<_>>().join("\n");
    {
        let mut flow = Flow::new(&mut doc, Sheet::A5Landscape, Margins::uniform(10.0));
        let mut t = Table::new(vec![Column::new("项目", 30.0), Column::new("说明", 150.0)]);
        t.row(["超长", long.as_str()]);
        t.row(["之后", "下一行"]);
        flow.table(&t).expect("table draws");
    }
    let path = write("tall-row.pdf", &doc.render().expect("renders"));
    assert!(page_count(&path) >= 5);
    let flat = squashed(&text_of(&path));
    for i in 1..=150 {
        assert!(flat.contains(&format!("第{i}行说明。")), "line {i} cut off");
    }
    assert!(flat.contains("下一行"));
}

#[test]
fn rare_characters_without_a_fallback_font_are_refused_with_the_names() {
    let fonts = Fonts::embedded_only().expect("fonts");
    assert_eq!(
        fonts.missing_glyphs(&["王䶮", "李明", "𠮷祥"]),
        vec![("王䶮".to_string(), vec!['䶮']), ("𠮷祥".to_string(), vec!['𠮷'])]
    );
    let mut doc = Document::with_fonts("生僻字", fonts);
    let page = doc.add_page(PageSize::A4Portrait);
    for (i, name) in ["王䶮", "李明", "𠮷祥"].iter().enumerate() {
        page.text(20.0, 20.0 + 10.0 * i as f32, name, &TextStyle::new(12.0));
    }
    let err = doc.render().expect_err("must not print empty boxes").to_string();
    assert!(err.starts_with("以下姓名含有字体缺少的生僻字,无法打印:"), "{err}");
    assert!(err.contains("“王䶮”缺 “䶮”(U+4DAE)"), "{err}");
    assert!(err.contains("“𠮷祥”缺 “𠮷”(U+20BB7)"), "{err}");
    assert!(!err.contains("李明"), "{err}");
    assert!(err.contains("HOUQIN_FALLBACK_FONT"), "tells the user what to do: {err}");
}

const NOTO: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

#[test]
fn rare_characters_print_with_the_noto_fallback_when_installed() {
    let fonts = Fonts::with_fallback_files([(NOTO, 2)]).expect("fonts");
    let mut doc = Document::with_fonts("生僻字", fonts.clone());
    let page = doc.add_page(PageSize::A5Landscape);
    page.text(20.0, 20.0, "王䶮 大一班 120.50", &TextStyle::new(14.0));
    page.text(20.0, 35.0, "𠮷祥", &TextStyle::new(14.0).bold());
    let result = doc.render();
    if !Path::new(NOTO).exists() {
        // Without Noto the only correct outcome is the refusal, never empty boxes.
        let err = result.expect_err("no fallback font: must refuse").to_string();
        assert!(err.contains("䶮") && err.contains("𠮷"), "{err}");
        eprintln!("note: {NOTO} not installed (apt-get install fonts-noto-cjk); checked the refusal instead");
        return;
    }
    assert!(fonts.missing_glyphs(&["王䶮", "𠮷祥"]).is_empty());
    let path = write("rare-chars.pdf", &result.expect("renders with the fallback"));
    let text = text_of(&path);
    assert!(text.contains("王䶮"), "{text}");
    assert!(text.contains("𠮷祥"), "{text}");
    assert!(text.contains("120.50"), "{text}");
    // Both fonts are embedded, as subsets, with a Unicode map (emb sub uni).
    let fonts_list = poppler("pdffonts", &[path.to_str().expect("utf-8 path")]);
    let embedded: Vec<&str> = fonts_list.lines().skip(2).collect();
    assert_eq!(embedded.len(), 2, "{fonts_list}");
    assert!(embedded.iter().all(|l| l.contains(" yes yes yes ")), "{fonts_list}");
}

/// Run in a child process by `fallback_font_env_var_is_honoured`: the system
/// fallback is read once per process, so the variable must be set at start.
#[test]
#[ignore]
fn print_system_fallbacks() {
    let fonts = Fonts::system().expect("fonts");
    println!("FALLBACKS={}", fonts.fallback_names().join("|"));
    let mut doc = Document::with_fonts("", fonts);
    // U+10FFFD (private use) is in no font: shows the refusal message.
    doc.add_page(PageSize::A5Landscape).text(10.0, 10.0, "王\u{10FFFD}", &TextStyle::new(10.0));
    let err = doc.render().expect_err("no font has U+10FFFD").to_string();
    println!("ERROR={}", err.replace('\n', " | "));
}

fn system_fallbacks_with_env(value: &str) -> (String, String) {
    let exe = std::env::current_exe().expect("test binary path");
    let out = Command::new(exe)
        .env(FALLBACK_FONT_ENV, value)
        .args(["--ignored", "--exact", "print_system_fallbacks", "--nocapture", "--test-threads=1"])
        .output()
        .expect("run test binary");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    // libtest may print "test name ... " before the first line of output.
    let field = |key: &str| {
        stdout
            .lines()
            .find_map(|l| l.split_once(key).map(|(_, v)| v))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("{key} in {stdout}"))
    };
    (field("FALLBACKS="), field("ERROR="))
}

#[test]
fn fallback_font_env_var_is_honoured() {
    let (names, err) = system_fallbacks_with_env("/nonexistent/rare.ttf");
    assert!(!names.contains("nonexistent"), "{names}");
    assert!(
        err.contains("备用字体无法读取:/nonexistent/rare.ttf:文件不存在"),
        "named but missing font reported: {err}"
    );
    assert!(err.contains("U+10FFFD"), "{err}");

    let serif = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
    if Path::new(serif).exists() {
        // Named fonts come first, before whatever the system probe finds.
        let (names, _) = system_fallbacks_with_env(&format!("{serif}#2"));
        assert_eq!(names.split('|').next(), Some(format!("{serif}#2").as_str()), "{names}");
    }
}

#[test]
fn missing_glyphs_agrees_with_the_fonts_documents_use() {
    let got = houqin::pdf::missing_glyphs(&["王䶮", "李明", "𠮷祥"]);
    let system = Fonts::system().expect("fonts");
    assert_eq!(got, system.missing_glyphs(&["王䶮", "李明", "𠮷祥"]));
    if system.fallback_names().is_empty() {
        assert_eq!(got.len(), 2, "{got:?}");
    }
    assert!(got.iter().all(|(t, _)| t != "李明"));
}

#[test]
fn fonts_are_subset() {
    let bytes = sample::sample_notice_pdf().expect("renders");
    // The embedded font file is 5 MB; a two-page notice must carry only its glyphs.
    assert!(bytes.len() < 200_000, "sample PDF is {} bytes", bytes.len());
    let path = write("subset.pdf", &bytes);
    let fonts_list = poppler("pdffonts", &[path.to_str().expect("utf-8 path")]);
    let rows: Vec<&str> = fonts_list.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "one font, no fallback needed: {fonts_list}");
    assert!(rows[0].starts_with("HQFAAA+WenQuanYiMicroHei") && rows[0].contains(" yes yes yes "), "{fonts_list}");
}

/// Timing, not a check: `cargo test --test pdf_render -- --ignored --nocapture timing`
/// (`PDF_TIMING_NOTICES=2000` for another count).
#[test]
#[ignore]
fn timing_500_notices() {
    let n: usize = std::env::var("PDF_TIMING_NOTICES").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    // Parse the embedded font first: a one-off per process, not per document.
    Fonts::system().expect("fonts");
    let mut times = Vec::new();
    let mut bytes = Vec::new();
    for _ in 0..3 {
        let start = std::time::Instant::now();
        bytes = sample::sample_notices_pdf(n, Sheet::A4Portrait).expect("renders");
        times.push(start.elapsed());
    }
    times.sort();
    let path = write("timing.pdf", &bytes);
    println!(
        "{n} notices: median {:.2?} (runs {times:.2?}), {} bytes, {} pages",
        times[1],
        bytes.len(),
        page_count(&path)
    );
}
