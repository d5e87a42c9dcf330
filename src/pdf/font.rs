//! Fonts: the embedded WenQuanYi Micro Hei, optional fallback fonts for rare
//! characters, per-character font choice, and text measurement.
//!
//! Every character is drawn with the first font whose cmap has it: the embedded
//! font, then the fallbacks in order. A character no font has is never drawn as
//! an empty box: rendering fails with the list of strings and characters (see
//! [`missing_glyphs`] to warn before printing).
//!
//! Fallback fonts are read from disk only when a character is missing from the
//! embedded font, so ordinary documents never touch the file system.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use printpdf::ParsedFont;

use crate::error::{Error, Result};

use super::text;
use super::PT_TO_MM;

/// The font file: Debian `fonts-wqy-microhei`, see `assets/fonts/README.md`.
/// Builds with the `embedded-font` feature (the default) carry a copy.
#[cfg(feature = "embedded-font")]
static EMBEDDED_TTC: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

/// Where Debian's `fonts-wqy-microhei` puts the same file, byte for byte. The
/// .deb is built without `embedded-font` and depends on that package instead:
/// one copy on the disk rather than one in each of its two programs.
#[cfg_attr(feature = "embedded-font", allow(dead_code))]
pub const SYSTEM_TTC: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

#[cfg(feature = "embedded-font")]
fn main_font_bytes() -> std::result::Result<std::borrow::Cow<'static, [u8]>, String> {
    Ok(std::borrow::Cow::Borrowed(EMBEDDED_TTC))
}

#[cfg(not(feature = "embedded-font"))]
fn main_font_bytes() -> std::result::Result<std::borrow::Cow<'static, [u8]>, String> {
    std::fs::read(SYSTEM_TTC).map(std::borrow::Cow::Owned).map_err(|e| {
        format!("找不到字体文件 {SYSTEM_TTC}(文泉驿微米黑,{e}),无法打印:请安装 fonts-wqy-microhei(sudo apt install fonts-wqy-microhei)后重新启动本程序")
    })
}

/// Environment variable naming extra fallback fonts, tried before the built-in
/// list: paths separated like `PATH` (`:` on Linux, `;` on Windows), each with an
/// optional `#N` face index for collections, e.g.
/// `/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2`.
pub const FALLBACK_FONT_ENV: &str = "HOUQIN_FALLBACK_FONT";

/// Fallback fonts probed when the environment names none that work. Only the
/// Noto path is exercised by our tests; the Windows ones are the fonts every
/// Chinese Windows ships (SimSun covers CJK Ext A, SimSun-ExtB covers Ext B).
const SYSTEM_FALLBACKS: &[(&str, usize)] = &[
    // Face 2 of the Noto Sans CJK collection is the Simplified Chinese one (SC).
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("C:\\Windows\\Fonts\\simsun.ttc", 0),
    ("C:\\Windows\\Fonts\\simsunb.ttf", 0),
    ("C:\\Windows\\Fonts\\msyh.ttc", 0),
];

/// One parsed font face with what measuring needs at hand.
pub(crate) struct Face {
    /// Shown in messages ("文泉驿微米黑", or the file a fallback came from).
    pub(crate) name: String,
    pub(crate) parsed: ParsedFont,
    units_per_em: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("name", &self.name).finish_non_exhaustive()
    }
}

impl Face {
    fn parse(bytes: &[u8], index: usize, name: String) -> Option<Face> {
        let parsed = ParsedFont::from_bytes(bytes, index, &mut Vec::new())?;
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
        Some(Face { name, parsed, units_per_em })
    }

    /// The glyph for `c`, or `None` if the font lacks it (glyph 0 is the empty box).
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        self.parsed.lookup_glyph_index(u32::from(c)).filter(|&g| g != 0)
    }

    /// Advance width of a glyph as a fraction of the font size.
    pub(crate) fn advance_em(&self, gid: u16) -> f32 {
        f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em
    }
}

/// The main face, read and parsed once per process (about 20 ms in debug
/// builds), on the first document rather than at start-up.
fn embedded_face() -> Result<&'static Face> {
    static FACE: OnceLock<std::result::Result<Face, String>> = OnceLock::new();
    FACE.get_or_init(|| {
        let bytes = main_font_bytes()?;
        Face::parse(&bytes, 0, "文泉驿微米黑".to_string())
            .ok_or_else(|| "字体文件(文泉驿微米黑)无法读取,程序或字体文件可能已损坏,请重新安装".to_string())
    })
    .as_ref()
    .map_err(|msg| Error::invalid(msg.clone()))
}

/// A font file to try as a fallback.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FontSource {
    path: PathBuf,
    index: usize,
}

/// Parses the fallback environment variable: `PATH`-style list, `#N` suffix = face index.
fn sources_from_env(value: Option<std::ffi::OsString>) -> Vec<FontSource> {
    let Some(value) = value else { return Vec::new() };
    std::env::split_paths(&value)
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| {
            let s = p.to_string_lossy();
            // Only a trailing `#digits` is an index, so a `#` elsewhere in a path still works.
            if let Some((file, idx)) = s.rsplit_once('#') {
                if !idx.is_empty() && idx.chars().all(|c| c.is_ascii_digit()) {
                    if let Ok(index) = idx.parse() {
                        return FontSource { path: PathBuf::from(file), index };
                    }
                }
            }
            FontSource { path: p, index: 0 }
        })
        .collect()
}

/// Fallback fonts, loaded from disk on first need and then kept.
#[derive(Debug)]
struct Fallbacks {
    /// Fonts asked for by name (environment, caller): every one that loads is used.
    wanted: Vec<FontSource>,
    /// Fonts probed on the system: the first that loads is enough (Noto alone
    /// is 19 MB to read).
    probed: Vec<FontSource>,
    loaded: OnceLock<Loaded>,
}

#[derive(Debug, Default)]
struct Loaded {
    faces: Vec<Face>,
    /// Files that exist but could not be used, for the error message.
    problems: Vec<String>,
}

impl Fallbacks {
    fn loaded(&self) -> &Loaded {
        self.loaded.get_or_init(|| {
            let mut out = Loaded::default();
            for src in &self.wanted {
                match load_face(&src.path, src.index) {
                    Ok(face) => out.faces.push(face),
                    // A font the user named but we cannot use is worth telling them about.
                    Err(why) => out.problems.push(why),
                }
            }
            for src in self.probed.iter().filter(|s| s.path.is_file()) {
                match load_face(&src.path, src.index) {
                    Ok(face) => {
                        out.faces.push(face);
                        break;
                    }
                    Err(why) => out.problems.push(why),
                }
            }
            out
        })
    }
}

fn load_face(path: &Path, index: usize) -> std::result::Result<Face, String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{}:文件不存在", path.display()),
        _ => format!("{}:{e}", path.display()),
    })?;
    let name = if index == 0 { path.display().to_string() } else { format!("{}#{index}", path.display()) };
    Face::parse(&bytes, index, name.clone()).ok_or_else(|| format!("{name}:不是可用的字体文件"))
}

/// Which font draws a character: 0 is the embedded font, `i > 0` the fallback `i - 1`.
pub(crate) type FaceIndex = usize;

/// The fonts a document is set in: the embedded font plus zero or more fallbacks.
///
/// Cheap to clone. [`Fonts::system`] is what documents use by default.
#[derive(Debug, Clone)]
pub struct Fonts {
    primary: &'static Face,
    fallbacks: Arc<Fallbacks>,
}

impl Fonts {
    /// The embedded font, with fallbacks from [`FALLBACK_FONT_ENV`] and the
    /// system (Noto Sans CJK on Linux, SimSun on Windows). The system fallback is
    /// shared by every document of the process and read from disk at most once.
    pub fn system() -> Result<Fonts> {
        static SYSTEM: OnceLock<Arc<Fallbacks>> = OnceLock::new();
        let fallbacks = SYSTEM.get_or_init(|| {
            Arc::new(Fallbacks {
                wanted: sources_from_env(std::env::var_os(FALLBACK_FONT_ENV)),
                probed: SYSTEM_FALLBACKS.iter().map(|&(p, index)| FontSource { path: p.into(), index }).collect(),
                loaded: OnceLock::new(),
            })
        });
        Ok(Fonts { primary: embedded_face()?, fallbacks: fallbacks.clone() })
    }

    /// The embedded font alone: characters it lacks cannot print.
    pub fn embedded_only() -> Result<Fonts> {
        Fonts::with_fallback_files(Vec::<(PathBuf, usize)>::new())
    }

    /// The embedded font with these fallback files (path, face index in a
    /// collection), tried in order; no system fonts. Files that are missing or
    /// unreadable are skipped, and the error for an unprintable character names them.
    pub fn with_fallback_files<P: Into<PathBuf>>(files: impl IntoIterator<Item = (P, usize)>) -> Result<Fonts> {
        let wanted = files.into_iter().map(|(p, index)| FontSource { path: p.into(), index }).collect();
        Ok(Fonts {
            primary: embedded_face()?,
            fallbacks: Arc::new(Fallbacks { wanted, probed: Vec::new(), loaded: OnceLock::new() }),
        })
    }

    /// Names of the fallback fonts that were found, loading them if needed
    /// (for a settings screen: "生僻字备用字体:…").
    pub fn fallback_names(&self) -> Vec<String> {
        self.fallbacks.loaded().faces.iter().map(|f| f.name.clone()).collect()
    }

    pub(crate) fn face(&self, index: FaceIndex) -> Option<&Face> {
        if index == 0 {
            Some(self.primary)
        } else {
            self.fallbacks.loaded().faces.get(index - 1)
        }
    }

    /// Which font draws `c` and with which glyph; `None` if no font has it.
    /// Whitespace and control characters are never looked up (layout handles them).
    pub(crate) fn resolve(&self, c: char) -> Option<(FaceIndex, u16)> {
        if let Some(g) = self.primary.glyph(c) {
            return Some((0, g));
        }
        // Only now, for a character the embedded font lacks, are fallback files read.
        self.fallbacks.loaded().faces.iter().enumerate().find_map(|(i, f)| f.glyph(c).map(|g| (i + 1, g)))
    }

    /// Advance of one character in em; characters no font has are measured as
    /// a full em, which is what the missing-glyph box would take.
    pub(crate) fn advance_em(&self, c: char) -> f32 {
        if c == '\t' {
            return self.advance_em(' ') * 4.0;
        }
        match self.resolve(c) {
            Some((face, gid)) => self.face(face).map_or(1.0, |f| f.advance_em(gid)),
            None if c.is_control() => 0.0,
            None => 1.0,
        }
    }

    /// Width of `text` set on one line at `size_pt`, in millimetres: the sum of
    /// the glyph advances, which is exactly how the PDF places them (no kerning).
    pub fn text_width(&self, text: &str, size_pt: f32) -> f32 {
        text.chars().map(|c| self.advance_em(c)).sum::<f32>() * size_pt * PT_TO_MM
    }

    /// Breaks `text` into lines no wider than `width_mm` at `size_pt`: between
    /// Chinese characters, at spaces between Latin words, never inside a number
    /// like `1,234.50` unless it alone is wider than the box, and never with a
    /// closing mark (,。)》…) at the start of a line. `\n` forces a break.
    pub fn wrap(&self, text: &str, size_pt: f32, width_mm: f32) -> Vec<String> {
        let em_width = if size_pt > 0.0 { width_mm / (size_pt * PT_TO_MM) } else { f32::INFINITY };
        text::wrap(text, em_width, |c| self.advance_em(c))
    }

    /// The characters of each text that no font can draw, for texts that have
    /// any (each character listed once, in order of appearance).
    pub fn missing_glyphs(&self, texts: &[&str]) -> Vec<(String, Vec<char>)> {
        texts
            .iter()
            .filter_map(|t| {
                let mut missing: Vec<char> = Vec::new();
                for c in t.chars() {
                    if needs_glyph(c) && !missing.contains(&c) && self.resolve(c).is_none() {
                        missing.push(c);
                    }
                }
                (!missing.is_empty()).then(|| (t.to_string(), missing))
            })
            .collect()
    }

    /// The error for texts that cannot print, naming each text, its missing
    /// characters and what the user can do about it.
    pub(crate) fn missing_error(&self, missing: &[(String, Vec<char>)]) -> Error {
        let mut msg = String::from("以下姓名含有字体缺少的生僻字,无法打印:");
        for (text, chars) in missing.iter().take(30) {
            let list: Vec<String> = chars.iter().map(|c| format!("“{c}”(U+{:04X})", u32::from(*c))).collect();
            msg.push_str(&format!("\n“{text}”缺 {}", list.join("、")));
        }
        if missing.len() > 30 {
            msg.push_str(&format!("\n……另有 {} 处未列出", missing.len() - 30));
        }
        let loaded = self.fallbacks.loaded();
        if loaded.faces.is_empty() {
            msg.push_str(&format!(
                "\n未找到备用字体。请安装 Noto Sans CJK(Debian/Ubuntu:fonts-noto-cjk),\
                 或设置环境变量 {FALLBACK_FONT_ENV} 指向含这些字的字体文件。"
            ));
        } else {
            let names: Vec<&str> = loaded.faces.iter().map(|f| f.name.as_str()).collect();
            msg.push_str(&format!("\n已尝试的备用字体也没有这些字:{}。", names.join("、")));
        }
        for p in &loaded.problems {
            msg.push_str(&format!("\n备用字体无法读取:{p}"));
        }
        Error::invalid(msg)
    }
}

/// Whether a character is drawn (and so needs a glyph): not whitespace, not a control.
pub(crate) fn needs_glyph(c: char) -> bool {
    !c.is_whitespace() && !c.is_control()
}

/// Texts (names, strings) containing characters that no available font can
/// print, with those characters — for the UI to warn before printing. Uses the
/// same fonts as documents ([`Fonts::system`]); if even the embedded font
/// cannot be read, every character counts as missing, so nothing prints blank.
pub fn missing_glyphs(texts: &[&str]) -> Vec<(String, Vec<char>)> {
    match Fonts::system() {
        Ok(fonts) => fonts.missing_glyphs(texts),
        Err(_) => texts
            .iter()
            .filter_map(|t| {
                let mut chars: Vec<char> = Vec::new();
                for c in t.chars().filter(|&c| needs_glyph(c)) {
                    if !chars.contains(&c) {
                        chars.push(c);
                    }
                }
                (!chars.is_empty()).then(|| (t.to_string(), chars))
            })
            .collect(),
    }
}

/// [`missing_glyphs`] as form problems: `“…”中的“…”没有字体可以打印,请换一种写法`,
/// one per text, for settings forms that list every problem at once.
pub fn unprintable(texts: &[&str]) -> Vec<String> {
    missing_glyphs(texts)
        .into_iter()
        .map(|(text, chars)| {
            let list: String = chars.iter().collect();
            format!("“{text}”中的“{list}”没有字体可以打印,请换一种写法")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_value_is_a_path_list_with_optional_face_index() {
        let sep = if cfg!(windows) { ";" } else { ":" };
        let v = format!("/a/Noto.ttc#2{sep}/b/c#d.ttf{sep}{sep}/e.ttf#");
        let got = sources_from_env(Some(v.into()));
        assert_eq!(
            got,
            vec![
                FontSource { path: "/a/Noto.ttc".into(), index: 2 },
                FontSource { path: "/b/c#d.ttf".into(), index: 0 },
                FontSource { path: "/e.ttf#".into(), index: 0 },
            ]
        );
        assert!(sources_from_env(None).is_empty());
    }

    #[test]
    fn embedded_font_has_common_chinese_digits_and_punctuation() {
        let fonts = Fonts::embedded_only().expect("embedded font parses");
        let text = "幼儿园缴费通知单 学号 0123456789 ¥1,234.50 壹贰叁肆伍陆柒捌玖拾佰仟万元角分整 (),。:;、“”《》";
        assert!(fonts.missing_glyphs(&[text]).is_empty(), "{:?}", fonts.missing_glyphs(&[text]));
    }

    #[test]
    fn rare_characters_are_reported_once_each_without_fallback() {
        let fonts = Fonts::embedded_only().expect("embedded font parses");
        let got = fonts.missing_glyphs(&["王䶮䶮", "李明", "𠮷田 𠮷"]);
        assert_eq!(got, vec![("王䶮䶮".to_string(), vec!['䶮']), ("𠮷田 𠮷".to_string(), vec!['𠮷'])]);
    }

    #[test]
    fn missing_fallback_file_is_skipped_not_fatal() {
        let fonts = Fonts::with_fallback_files([("/nonexistent/font.ttc", 0)]).expect("embedded font parses");
        assert!(fonts.fallback_names().is_empty());
        assert_eq!(fonts.missing_glyphs(&["䶮"]).len(), 1);
        let msg = fonts.missing_error(&fonts.missing_glyphs(&["王䶮"])).to_string();
        assert!(msg.starts_with("以下姓名含有字体缺少的生僻字,无法打印:"), "{msg}");
        assert!(msg.contains("“王䶮”缺 “䶮”(U+4DAE)"), "{msg}");
        assert!(msg.contains(FALLBACK_FONT_ENV), "{msg}");
        assert!(msg.contains("备用字体无法读取:/nonexistent/font.ttc:文件不存在"), "{msg}");
    }

    #[test]
    fn width_is_the_sum_of_advances() {
        let fonts = Fonts::embedded_only().expect("embedded font parses");
        // Chinese ideographs are one em wide: 10 pt is 3.5278 mm.
        let w = fonts.text_width("缴费", 10.0);
        assert!((w - 2.0 * 10.0 * PT_TO_MM).abs() < 0.01, "{w}");
        let parts = fonts.text_width("缴费", 10.0) + fonts.text_width("1,234.50", 10.0);
        assert!((fonts.text_width("缴费1,234.50", 10.0) - parts).abs() < 1e-4);
        assert_eq!(fonts.text_width("", 10.0), 0.0);
    }
}
