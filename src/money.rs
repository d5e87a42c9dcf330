//! Money as integer fen (分). Parsing of what people type (`12.5`, `¥1,234.50`),
//! printing with two decimals, and capital numerals (金额大写) for notices.
//!
//! There is no floating point anywhere on this path: amounts are `i64` fen and
//! every division that can leave a remainder goes through [`div_round_half_up`].

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of money in fen (1/100 yuan). May be negative (a refund, a credit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// Why a piece of text is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("金额不能为空")]
    Empty,
    #[error("“{0}”不是有效的金额(例如 12.50)")]
    NotANumber(String),
    #[error("金额“{0}”最多只能有两位小数(精确到分)")]
    TooPrecise(String),
    #[error("金额“{0}”过大")]
    TooLarge(String),
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Whole yuan, for literals in tests and presets.
    pub const fn yuan(y: i64) -> Fen {
        Fen(y * 100)
    }

    pub const fn as_i64(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn abs(self) -> Fen {
        Fen(self.0.abs())
    }

    /// Parses what a person types: `12`, `12.5`, `12.50`, `¥1,234.50`, `-3.20`,
    /// `1234.5元`. At most two decimals; nothing is silently rounded.
    pub fn parse(text: &str) -> Result<Fen, MoneyError> {
        let original = text.trim();
        let mut s: String = original
            .chars()
            .filter(|c| !matches!(c, ',' | '\u{ff0c}' | ' ' | '\u{a0}' | '\u{a5}' | '\u{ffe5}'))
            .collect();
        if let Some(stripped) = s.strip_suffix('元') {
            s = stripped.to_string();
        }
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(&s)),
        };
        let bad = || MoneyError::NotANumber(original.to_string());
        let (int_part, frac_part) = match digits.split_once('.') {
            Some((i, f)) => (i, f),
            None => (digits, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(bad());
        }
        if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if digits.contains('.') && frac_part.is_empty() && int_part.is_empty() {
            return Err(bad());
        }
        if frac_part.len() > 2 {
            // Trailing zeros beyond the fen are harmless ("12.500").
            if frac_part[2..].chars().any(|c| c != '0') {
                return Err(MoneyError::TooPrecise(original.to_string()));
            }
        }
        let yuan: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| MoneyError::TooLarge(original.to_string()))?
        };
        let mut frac = frac_part.chars().take(2).collect::<String>();
        while frac.len() < 2 {
            frac.push('0');
        }
        let cents: i64 = frac.parse().map_err(|_| bad())?;
        let total = yuan
            .checked_mul(100)
            .and_then(|v| v.checked_add(cents))
            .ok_or_else(|| MoneyError::TooLarge(original.to_string()))?;
        Ok(Fen(if negative { -total } else { total }))
    }

    /// `12.50`, `-3.20`, `1234.00` (no grouping: this is also what CSV exports use).
    pub fn to_yuan_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }

    /// `1,234.50` for printed documents.
    pub fn to_grouped_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let int = (a / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped}.{:02}", a % 100)
    }

    /// Capital numerals as on every Chinese receipt: 壹佰贰拾元伍角整.
    /// Negative amounts get a leading 负; callers that print 应退 pass `abs()`.
    pub fn to_capital(self) -> String {
        capital(self.0)
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_yuan_string())
    }
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, rhs: Fen) -> Fen {
        Fen(self.0 + rhs.0)
    }
}
impl Sub for Fen {
    type Output = Fen;
    fn sub(self, rhs: Fen) -> Fen {
        Fen(self.0 - rhs.0)
    }
}
impl AddAssign for Fen {
    fn add_assign(&mut self, rhs: Fen) {
        self.0 += rhs.0;
    }
}
impl SubAssign for Fen {
    fn sub_assign(&mut self, rhs: Fen) {
        self.0 -= rhs.0;
    }
}
impl Neg for Fen {
    type Output = Fen;
    fn neg(self) -> Fen {
        Fen(-self.0)
    }
}
impl Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
    }
}

/// `numerator / denominator` rounded half-up (away from zero at exactly .5),
/// the one rounding rule of the project. `denominator` must be positive.
pub fn div_round_half_up(numerator: i128, denominator: i128) -> i128 {
    debug_assert!(denominator > 0);
    let q = numerator / denominator;
    let r = numerator % denominator;
    if 2 * r.abs() >= denominator {
        q + numerator.signum()
    } else {
        q
    }
}

/// `amount × num ÷ den`, rounded half-up once to the fen. This is how a daily rate
/// times a number of days is computed without rounding the rate first.
pub fn mul_div(amount: Fen, num: i64, den: i64) -> Fen {
    Fen(div_round_half_up(amount.0 as i128 * num as i128, den as i128) as i64)
}

const DIGITS: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];

fn capital(fen: i64) -> String {
    let mut out = String::new();
    if fen < 0 {
        out.push('负');
    }
    let a = fen.unsigned_abs();
    let yuan = a / 100;
    let jiao = (a / 10) % 10;
    let fen_digit = a % 10;
    if a == 0 {
        return "零元整".to_string();
    }
    if yuan > 0 {
        out.push_str(&capital_integer(yuan));
        out.push('元');
    }
    if jiao == 0 && fen_digit == 0 {
        out.push('整');
        return out;
    }
    if jiao > 0 {
        out.push_str(DIGITS[jiao as usize]);
        out.push('角');
    } else if yuan > 0 {
        out.push('零');
    }
    if fen_digit > 0 {
        out.push_str(DIGITS[fen_digit as usize]);
        out.push('分');
    } else {
        out.push('整');
    }
    out
}

/// 12345 → 壹万贰仟叁佰肆拾伍, with the zero rules of financial writing
/// (one 零 for a run of zeros inside a group or between groups).
fn capital_integer(n: u64) -> String {
    const UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
    const GROUPS: [&str; 4] = ["", "万", "亿", "万亿"];
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 10_000);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut pending_zero = false;
    for (gi, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if !out.is_empty() && (pending_zero || g < 1000) {
            out.push('零');
        }
        pending_zero = false;
        let digits = [g / 1000, (g / 100) % 10, (g / 10) % 10, g % 10];
        let mut zero_run = false;
        let mut started = false;
        for (i, &d) in digits.iter().enumerate() {
            if d == 0 {
                if started {
                    zero_run = true;
                }
                continue;
            }
            if zero_run {
                out.push('零');
                zero_run = false;
            }
            started = true;
            out.push_str(DIGITS[d as usize]);
            out.push_str(UNITS[3 - i]);
        }
        out.push_str(GROUPS[gi]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Fen::parse("12.5"), Ok(Fen(1250)));
        assert_eq!(Fen::parse("12"), Ok(Fen(1200)));
        assert_eq!(Fen::parse("¥1,234.50"), Ok(Fen(123450)));
        assert_eq!(Fen::parse("1234.5元"), Ok(Fen(123450)));
        assert_eq!(Fen::parse(" -3.20 "), Ok(Fen(-320)));
        assert_eq!(Fen::parse(".5"), Ok(Fen(50)));
        assert_eq!(Fen::parse("10.500"), Ok(Fen(1050)));
    }

    #[test]
    fn refuses_what_is_not_money() {
        assert_eq!(Fen::parse(""), Err(MoneyError::Empty));
        assert!(matches!(Fen::parse("abc"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Fen::parse("1.2.3"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Fen::parse("."), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Fen::parse("12.345"), Err(MoneyError::TooPrecise(_))));
        assert!(matches!(Fen::parse("99999999999999999999"), Err(MoneyError::TooLarge(_))));
    }

    #[test]
    fn prints_two_decimals() {
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(-320).to_string(), "-3.20");
        assert_eq!(Fen(123456789).to_grouped_string(), "1,234,567.89");
        assert_eq!(Fen(-100).to_grouped_string(), "-1.00");
    }

    #[test]
    fn rounds_half_up_once() {
        assert_eq!(mul_div(Fen(80000), 7, 22), Fen(25455)); // 25454.54…
        assert_eq!(mul_div(Fen(80000), 10, 22), Fen(36364)); // 36363.63…
        assert_eq!(div_round_half_up(5, 2), 3);
        assert_eq!(div_round_half_up(-5, 2), -3);
        assert_eq!(div_round_half_up(4, 3), 1);
    }

    #[test]
    fn capital_numerals() {
        assert_eq!(Fen(12050).to_capital(), "壹佰贰拾元伍角整");
        assert_eq!(Fen(0).to_capital(), "零元整");
        assert_eq!(Fen(100).to_capital(), "壹元整");
        assert_eq!(Fen(5).to_capital(), "伍分");
        assert_eq!(Fen(105).to_capital(), "壹元零伍分");
        assert_eq!(Fen(1_000_000).to_capital(), "壹万元整");
        assert_eq!(Fen(10_010_000).to_capital(), "壹拾万零壹佰元整");
        assert_eq!(Fen(3_224_870).to_capital(), "叁万贰仟贰佰肆拾捌元柒角整");
        assert_eq!(Fen(100_000_100).to_capital(), "壹佰万零壹元整");
        assert_eq!(Fen(-1850).to_capital(), "负壹拾捌元伍角整");
    }
}
