//! Line breaking for Chinese and mixed Chinese/Latin text, independent of any
//! font: the caller supplies each character's advance.
//!
//! Rules, as Chinese typesetting expects them (a small subset of 避头尾 / kinsoku):
//! a line may break between any two Chinese characters and at spaces; a run of
//! Latin letters, digits and ASCII punctuation (`1,234.50`, `2025-03`, `Zhang`)
//! stays whole unless it alone is wider than the line; closing punctuation never
//! starts a line and opening punctuation never ends one. Not handled: hyphenation,
//! justification, right-to-left text.

/// Punctuation that must not begin a line: it stays with what precedes it.
fn no_line_start(c: char) -> bool {
    matches!(
        c,
        ',' | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '%'
            | '，'
            | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '】'
            | '》'
            | '〉'
            | '」'
            | '』'
            | '〕'
            | '”'
            | '’'
            | '…'
            | '％'
            | '·'
            | '～'
    )
}

/// Punctuation that must not end a line: it stays with what follows it.
fn no_line_end(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '（' | '【' | '《' | '〈' | '「' | '『' | '〔' | '“' | '‘' | '¥' | '￥')
}

/// Characters set one by one, with a break opportunity on either side.
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x2E80..=0x2FFF      // radicals
        | 0x3000..=0x303F    // CJK punctuation
        | 0x3040..=0x31FF    // kana, bopomofo
        | 0x3400..=0x4DBF    // Ext A (䶮)
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // vertical forms
        | 0xFF00..=0xFFEF    // full-width forms
        | 0x20000..=0x3FFFF) // Ext B and later (𠮷)
}

/// A piece that is placed whole (unless it alone overflows a line).
struct Unit {
    text: String,
    width: f32,
    /// A space: a break opportunity that is dropped at the ends of lines.
    space: bool,
}

/// Splits one paragraph (no `\n`) into units: each Chinese character, each
/// Latin/digit run, each space run; then glues punctuation to its neighbour.
fn units(par: &str, advance: &impl Fn(char) -> f32) -> Vec<Unit> {
    let mut raw: Vec<Unit> = Vec::new();
    for c in par.chars() {
        let w = advance(c);
        let space = c.is_whitespace();
        let joins_previous = match raw.last() {
            Some(prev) if space => prev.space,
            Some(prev) => {
                !prev.space
                    && !is_cjk(c)
                    && !no_line_end(c)
                    && prev.text.chars().last().is_some_and(|p| !is_cjk(p) && !no_line_end(p))
            }
            None => false,
        };
        match raw.last_mut() {
            Some(prev) if joins_previous => {
                prev.text.push(c);
                prev.width += w;
            }
            _ => raw.push(Unit { text: c.to_string(), width: w, space }),
        }
    }
    // Glue: closing marks onto the unit before; opening marks onto the unit after.
    let mut out: Vec<Unit> = Vec::with_capacity(raw.len());
    let mut carry: Option<Unit> = None;
    for mut u in raw {
        let starts_closing = u.text.chars().next().is_some_and(no_line_start);
        if starts_closing && !u.space {
            if let Some(prev) = out.last_mut().filter(|p| !p.space) {
                prev.text.push_str(&u.text);
                prev.width += u.width;
                continue;
            }
        }
        if let Some(open) = carry.take() {
            if u.space {
                out.push(open);
            } else {
                u.text.insert_str(0, &open.text);
                u.width += open.width;
            }
        }
        let ends_opening = u.text.chars().last().is_some_and(no_line_end);
        if ends_opening && !u.space {
            carry = Some(u);
        } else {
            out.push(u);
        }
    }
    out.extend(carry);
    out
}

/// Wraps `text` into lines whose advance sum is at most `max_width` (same unit
/// as `advance`). Every character except line-end spaces appears in the output,
/// in order; `\n` gives a new line (an empty line for an empty paragraph).
pub(crate) fn wrap(text: &str, max_width: f32, advance: impl Fn(char) -> f32) -> Vec<String> {
    // A hair of tolerance so that a line measured to exactly the box width fits.
    let limit = max_width + 1e-4;
    let mut lines = Vec::new();
    for par in text.split('\n') {
        let par = par.strip_suffix('\r').unwrap_or(par);
        let mut line = String::new();
        let mut width = 0.0f32;
        let mut pending_space: Option<Unit> = None;
        let start = lines.len();
        for u in units(par, &advance) {
            if u.space {
                // A space only matters between two pieces on the same line.
                if !line.is_empty() {
                    pending_space = Some(u);
                }
                continue;
            }
            let space_w = pending_space.as_ref().map_or(0.0, |s| s.width);
            if width + space_w + u.width <= limit {
                if let Some(s) = pending_space.take() {
                    line.push_str(&s.text);
                }
                line.push_str(&u.text);
                width += space_w + u.width;
                continue;
            }
            pending_space = None;
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                width = 0.0;
            }
            if u.width <= limit {
                line = u.text;
                width = u.width;
            } else {
                // Wider than a whole line (a long account number): break it anywhere.
                for c in u.text.chars() {
                    let w = advance(c);
                    if width + w > limit && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        width = 0.0;
                    }
                    line.push(c);
                    width += w;
                }
            }
        }
        if !line.is_empty() || lines.len() == start {
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chinese and full-width one em, everything else half an em.
    fn adv(c: char) -> f32 {
        if is_cjk(c) {
            1.0
        } else {
            0.5
        }
    }

    fn width(s: &str) -> f32 {
        s.chars().map(adv).sum()
    }

    #[test]
    fn chinese_breaks_between_any_characters() {
        assert_eq!(wrap("因病缺勤五天退伙食费", 4.0, adv), vec!["因病缺勤", "五天退伙", "食费"]);
    }

    #[test]
    fn numbers_stay_whole() {
        // The amount moves to the next line whole rather than splitting after "1,".
        let lines = wrap("共计1,234.50元", 5.0, adv);
        assert_eq!(lines, vec!["共计", "1,234.50元"]);
    }

    #[test]
    fn closing_punctuation_does_not_start_a_line() {
        // "缺勤五天," is 4.5 em: rather than a line starting with ",", 天 moves down with it.
        let lines = wrap("缺勤五天,退费", 4.0, adv);
        assert_eq!(lines, vec!["缺勤五", "天,退费"]);
        let lines = wrap("一二三四。五六", 4.0, adv);
        assert_eq!(lines, vec!["一二三", "四。五六"]);
    }

    #[test]
    fn opening_punctuation_does_not_end_a_line() {
        let lines = wrap("一二三《规则》", 4.0, adv);
        assert_eq!(lines, vec!["一二三", "《规则》"]);
    }

    #[test]
    fn latin_words_break_at_spaces_and_spaces_vanish_at_line_ends() {
        let lines = wrap("Zhang San Feng", 5.0, adv);
        assert_eq!(lines, vec!["Zhang San", "Feng"]);
        let lines = wrap("ab cd", 2.0, adv);
        assert_eq!(lines, vec!["ab", "cd"]);
    }

    #[test]
    fn overlong_runs_are_broken_by_character() {
        let lines = wrap("6222020202020202020", 4.0, adv);
        assert!(lines.iter().all(|l| width(l) <= 4.0), "{lines:?}");
        assert_eq!(lines.concat(), "6222020202020202020");
    }

    #[test]
    fn newlines_force_breaks_and_keep_empty_lines() {
        assert_eq!(wrap("一\n\n二", 10.0, adv), vec!["一", "", "二"]);
        assert_eq!(wrap("", 10.0, adv), vec![""]);
    }

    #[test]
    fn nothing_is_lost_and_nothing_overflows() {
        let text =
            "2025年3月3日至3月7日因病缺勤5天(连续),按每天12.50元退伙食费62.50元;另:3月10日(周一)请假1天,不足3天不退。";
        for w in [3.0f32, 4.5, 7.0, 12.0, 30.0] {
            let lines = wrap(text, w, adv);
            for l in &lines {
                assert!(width(l) <= w + 1e-4, "{l} wider than {w}");
            }
            assert_eq!(lines.concat(), text, "width {w}");
        }
    }
}
