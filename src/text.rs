//! What text the core stores: the characters each kind of field may hold and
//! how long it may be. Every field a person fills in is checked here before it
//! is written, so a name never carries a control character (NUL, an escape
//! sequence, a line break) into a printed notice, a CSV export or the terminal,
//! an emoji the print fonts cannot draw, or 5,000 characters into a one-line
//! banner.
//!
//! Person names take letters of any script — rare CJK characters such as 䶮 or
//! 𠮷 (Extension B and beyond) included — with `·` (as in 阿卜杜·热合曼) and
//! spaces; other fields take any printable text. The limits are in characters,
//! as people count them, not bytes. What a field means (a date, a 学号 that must
//! be unique, a phone number) stays with the module that owns it.

use crate::error::FieldProblem;

/// A person's name (幼儿、教职工、园长、会计).
pub const PERSON_NAME_MAX: usize = 30;
/// The name of a thing (班级、物品、资产、菜品、供货单位、存放地点…).
pub const NAME_MAX: usize = 50;
/// A code or number typed by people (学号、物品编码、发票号).
pub const CODE_MAX: usize = 30;
/// A phone number, possibly with an extension.
pub const PHONE_MAX: usize = 30;
/// One line of free text (地址、用途、原因).
pub const LINE_MAX: usize = 200;
/// A note or reason that may have line breaks (备注、冲销原因、重新打开的原因).
pub const NOTE_MAX: usize = 500;

/// What a field holds, which decides its characters and its default limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters of any script, `·`, spaces, `-` and `'` (Mary-Jane, O'Neil).
    PersonName,
    /// Any printable text on one line.
    Name,
    /// Letters, digits and `- _ . / #`, no spaces.
    Code,
    /// Digits and `+ - ( ) / 、 ,` spaces, 转 (an extension).
    Phone,
    /// Any printable text on one line.
    Line,
    /// Any printable text; line breaks allowed.
    Note,
}

impl Kind {
    /// The limit in characters when a field has none of its own.
    pub const fn max(self) -> usize {
        match self {
            Kind::PersonName => PERSON_NAME_MAX,
            Kind::Name => NAME_MAX,
            Kind::Code => CODE_MAX,
            Kind::Phone => PHONE_MAX,
            Kind::Line => LINE_MAX,
            Kind::Note => NOTE_MAX,
        }
    }
}

/// A field as people see it: its label (for the message), kind and limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub kind: Kind,
    pub max: usize,
}

impl Field {
    pub const fn new(label: &'static str, kind: Kind) -> Field {
        Field { label, kind, max: kind.max() }
    }
    pub const fn person(label: &'static str) -> Field {
        Field::new(label, Kind::PersonName)
    }
    pub const fn name(label: &'static str) -> Field {
        Field::new(label, Kind::Name)
    }
    pub const fn code(label: &'static str) -> Field {
        Field::new(label, Kind::Code)
    }
    pub const fn phone(label: &'static str) -> Field {
        Field::new(label, Kind::Phone)
    }
    pub const fn line(label: &'static str) -> Field {
        Field::new(label, Kind::Line)
    }
    pub const fn note(label: &'static str) -> Field {
        Field::new(label, Kind::Note)
    }
    /// The same field with a tighter (or looser) limit of its own.
    pub const fn max(self, max: usize) -> Field {
        Field { max, ..self }
    }

    /// `value` trimmed, or why it cannot be stored in this field (in Chinese,
    /// naming the field). Empty text passes: whether a field is required is
    /// the owner's rule.
    pub fn check(self, value: &str) -> Result<String, String> {
        check(self.label, self.kind, self.max, value)
    }
}

/// [`Field::check`] for a label that is not a constant.
pub fn check(label: &str, kind: Kind, max: usize, value: &str) -> Result<String, String> {
    let v = value.trim();
    let n = v.chars().count();
    if n > max {
        return Err(format!("{label}最多 {max} 个字,现在有 {n} 个字"));
    }
    for c in v.chars() {
        if is_control(c) && !(c == '\n' && kind == Kind::Note) {
            return Err(match kind {
                Kind::Note => format!("{label}不能包含制表符等控制字符({})", code_point(c)),
                _ => format!("{label}不能包含换行、制表符等控制字符({})", code_point(c)),
            });
        }
        if is_emoji(c) {
            return Err(format!("{label}不能包含表情符号或图形符号“{c}”"));
        }
        let fits = match kind {
            Kind::PersonName => is_name_char(c),
            Kind::Code => c.is_alphanumeric() || "-_./#".contains(c),
            Kind::Phone => c.is_ascii_digit() || " +-()/、,;转\u{ff08}\u{ff09}\u{ff0c}\u{ff1b}".contains(c),
            Kind::Name | Kind::Line | Kind::Note => true,
        };
        if !fits {
            return Err(match kind {
                Kind::PersonName => format!("{label}只能包含文字、间隔号“·”和空格,不能有“{c}”"),
                Kind::Code => format!("{label}只能包含字母、数字和 - _ . / #,不能有“{c}”"),
                _ => format!("{label}只能包含数字、空格和 + - ( ) / 、转,不能有“{c}”"),
            });
        }
    }
    Ok(v.to_string())
}

/// Checks every `(field, value)` of a form and stops at the first problem,
/// as [`crate::Error::Invalid`].
pub fn check_all(fields: &[(Field, &str)]) -> crate::Result<()> {
    for (field, value) in fields {
        field.check(value).map_err(crate::Error::Invalid)?;
    }
    Ok(())
}

/// Every problem among `(field, value)`, for forms and import rows that list them all.
pub fn problems(row: usize, fields: &[(Field, &str)]) -> Vec<FieldProblem> {
    fields
        .iter()
        .filter_map(|(field, value)| {
            field.check(value).err().map(|reason| FieldProblem { row, column: field.label.into(), reason })
        })
        .collect()
}

/// A character a person means as part of a name.
fn is_name_char(c: char) -> bool {
    c.is_alphabetic()
        // `·` as the input methods type it: middle dot, hyphenation point, katakana middle dot.
        || matches!(c, '\u{b7}' | '\u{2027}' | '\u{30fb}' | '\u{ff65}')
        || matches!(c, ' ' | '\u{3000}' | '-' | '\'' | '\u{2019}')
        // Combining accents (a decomposed é) and the ideographic variation
        // selectors that pick a rare character's glyph.
        || matches!(c, '\u{300}'..='\u{36f}' | '\u{e0100}'..='\u{e01ef}')
        // Private use: where household-register systems put rare name characters
        // not yet in Unicode. Printing checks the font has them.
        || matches!(c, '\u{e000}'..='\u{f8ff}' | '\u{f0000}'..='\u{10fffd}')
}

/// Control characters and the invisible ones that reorder or hide text
/// (bidirectional overrides, zero-width characters, line separators).
fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

/// Emoji and pictographs: no print font of the app has them, and they are no
/// part of a name or a record.
fn is_emoji(c: char) -> bool {
    matches!(
        c,
        '\u{1f000}'..='\u{1faff}'
            | '\u{2600}'..='\u{27bf}'
            | '\u{231a}'..='\u{231b}'
            | '\u{2328}'
            | '\u{23cf}'
            | '\u{23e9}'..='\u{23f3}'
            | '\u{23f8}'..='\u{23fa}'
            | '\u{2b05}'..='\u{2b07}'
            | '\u{2b1b}'..='\u{2b1c}'
            | '\u{2b50}'
            | '\u{2b55}'
            | '\u{20e3}'
            | '\u{fe0f}'
    )
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: Field = Field::person("姓名");

    #[test]
    fn names_take_letters_of_any_script() {
        for name in [
            "张三",
            "王䶮",
            "𠮷田",
            "阿卜杜·热合曼",
            "Mary-Jane O'Neil",
            "José",
            "Jose\u{301}",
            "李 明",
            "王\u{F0001}明",
        ] {
            assert_eq!(NAME.check(name).as_deref(), Ok(name), "{name}");
        }
        assert_eq!(NAME.check("  张三 "), Ok("张三".to_string()));
    }

    /// Issue 12: NUL, ESC sequences, CR/LF and emoji were accepted in child and asset names.
    #[test]
    fn control_characters_and_emoji_are_refused_in_names() {
        assert_eq!(NAME.check("张\u{0}三"), Err("姓名不能包含换行、制表符等控制字符(U+0000)".into()));
        assert_eq!(NAME.check("张三\u{1b}[31m"), Err("姓名不能包含换行、制表符等控制字符(U+001B)".into()));
        assert_eq!(NAME.check("张\r\n三"), Err("姓名不能包含换行、制表符等控制字符(U+000D)".into()));
        assert_eq!(NAME.check("张\u{202e}三"), Err("姓名不能包含换行、制表符等控制字符(U+202E)".into()));
        assert_eq!(NAME.check("张三😀"), Err("姓名不能包含表情符号或图形符号“😀”".into()));
        assert_eq!(NAME.check("张三3"), Err("姓名只能包含文字、间隔号“·”和空格,不能有“3”".into()));
        let asset = Field::name("资产名称");
        assert_eq!(asset.check("联想电脑 E14(2023)"), Ok("联想电脑 E14(2023)".into()));
        assert_eq!(asset.check("电脑\u{1b}[2J"), Err("资产名称不能包含换行、制表符等控制字符(U+001B)".into()));
        assert_eq!(asset.check("电脑\n"), Ok("电脑".into()), "trailing whitespace is trimmed");
        assert_eq!(asset.check("电\n脑"), Err("资产名称不能包含换行、制表符等控制字符(U+000A)".into()));
        assert_eq!(asset.check("电脑❤\u{fe0f}"), Err("资产名称不能包含表情符号或图形符号“❤”".into()));
    }

    /// Issue 12: a 120 KB payment note and a 5,000-character 学校名称 were accepted.
    #[test]
    fn every_kind_has_a_length_limit() {
        let school = Field::name("学校名称");
        assert_eq!(school.check(&"园".repeat(NAME_MAX)).map(|s| s.chars().count()), Ok(NAME_MAX));
        assert_eq!(school.check(&"园".repeat(5000)), Err("学校名称最多 50 个字,现在有 5000 个字".into()));
        let note = Field::note("备注");
        assert_eq!(note.check(&"x".repeat(120_000)), Err("备注最多 500 个字,现在有 120000 个字".into()));
        assert_eq!(note.check("第一行\n第二行"), Ok("第一行\n第二行".into()), "a note may have line breaks");
        assert!(note.check("a\tb").is_err());
        assert_eq!(
            Field::line("地址").max(100).check(&"路".repeat(101)),
            Err("地址最多 100 个字,现在有 101 个字".into())
        );
        for kind in [Kind::PersonName, Kind::Name, Kind::Code, Kind::Phone, Kind::Line, Kind::Note] {
            assert!(Field::new("x", kind).check(&"1".repeat(kind.max() + 1)).is_err(), "{kind:?}");
        }
    }

    #[test]
    fn codes_and_phones() {
        assert_eq!(Field::code("学号").check("D-2025/01"), Ok("D-2025/01".into()));
        assert_eq!(Field::code("学号").check("20 26"), Err("学号只能包含字母、数字和 - _ . / #,不能有“ ”".into()));
        assert_eq!(Field::phone("电话").check("0755-1234567 转 8001"), Ok("0755-1234567 转 8001".into()));
        assert!(Field::phone("电话").check("call me").is_err());
    }

    #[test]
    fn problems_name_the_row_and_field() {
        let p = problems(3, &[(NAME, "张三"), (Field::name("班级").max(2), "大一班")]);
        assert_eq!(
            p,
            vec![FieldProblem {
                row: 3, column: "班级".into(), reason: "班级最多 2 个字,现在有 3 个字".into()
            }]
        );
        assert!(check_all(&[(NAME, "张三")]).is_ok());
        assert_eq!(
            check_all(&[(NAME, "😀")]).map_err(|e| e.to_string()),
            Err("姓名不能包含表情符号或图形符号“😀”".into())
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn check_never_panics_and_what_passes_is_clean(text in "\\PC{0,60}|.{0,60}") {
                for kind in [Kind::PersonName, Kind::Name, Kind::Code, Kind::Phone, Kind::Line, Kind::Note] {
                    if let Ok(v) = Field::new("x", kind).check(&text) {
                        prop_assert!(v.chars().count() <= kind.max());
                        prop_assert!(!v.chars().any(|c| (is_control(c) && c != '\n') || is_emoji(c)), "{v:?}");
                        prop_assert_eq!(v.trim(), v.as_str());
                    }
                }
            }

            #[test]
            fn cjk_names_pass(name in "[\\u{4e00}-\\u{9fff}\\u{3400}-\\u{4dbf}\\u{20000}-\\u{2a6df}]{1,10}") {
                prop_assert_eq!(NAME.check(&name), Ok(name.clone()));
            }
        }
    }
}
