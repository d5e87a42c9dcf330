//! Money as integer fen (分). Parsing of what people type (`12.5`, `¥1,234.50`),
//! printing with two decimals, and capital numerals (金额大写) for notices.
//!
//! There is no floating point anywhere on this path: amounts are `i64` fen and
//! every division that can leave a remainder goes through [`div_round_half_up`].
//!
//! Every amount a person enters (typed, imported, or in a rule file) goes
//! through [`Fen::parse`] or [`Fen::checked_input`], which refuse anything
//! beyond [`Fen::MAX_INPUT`] (99,999,999.99 元). That bound is what keeps the
//! books safe: a sum of a billion such amounts still fits an `i64`, so totals of
//! a school's entries cannot overflow. Where a sum is formed from stored amounts
//! that an older version may have let in unbounded (balances, notices), it is
//! formed with [`Fen::checked_add`] / [`try_sum`] and an overflow is a clear
//! error ([`MoneyError::Overflow`]), never a wrapped, negative figure.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of money in fen (1/100 yuan). May be negative (a refund, a credit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    #[error("金额“{0}”过大:每笔金额最多 99,999,999.99 元")]
    TooLarge(String),
    /// A total of stored amounts does not fit: the data holds an absurd amount.
    #[error("金额合计超出了可计算的范围,数据中可能有一笔金额错误(超过 99,999,999.99 元),请找到并冲销或更正它")]
    Overflow,
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// For `skip_serializing_if`: a field added later stays out of output when zero.
    pub fn is_zero(&self) -> bool {
        self.0 == 0
    }

    /// The largest amount (in either sign) a person may enter: 99,999,999.99 元.
    /// Far above anything a kindergarten handles, and far below where sums overflow.
    pub const MAX_INPUT: Fen = Fen(9_999_999_999);

    /// An amount in fen that came from outside (a rule file's whole yuan, an
    /// import), refused beyond [`Fen::MAX_INPUT`] like a typed one. `shown` is
    /// how the person wrote it, for the message.
    pub fn checked_input(fen: i64, shown: &str) -> Result<Fen, MoneyError> {
        if fen.unsigned_abs() > Self::MAX_INPUT.0.unsigned_abs() {
            return Err(MoneyError::TooLarge(shown.to_string()));
        }
        Ok(Fen(fen))
    }

    /// `self + rhs`, or [`MoneyError::Overflow`] instead of a wrapped figure.
    pub fn checked_add(self, rhs: Fen) -> Result<Fen, MoneyError> {
        self.0.checked_add(rhs.0).map(Fen).ok_or(MoneyError::Overflow)
    }

    /// `self - rhs`, or [`MoneyError::Overflow`] instead of a wrapped figure.
    pub fn checked_sub(self, rhs: Fen) -> Result<Fen, MoneyError> {
        self.0.checked_sub(rhs.0).map(Fen).ok_or(MoneyError::Overflow)
    }

    /// `-self`, or [`MoneyError::Overflow`] for the one amount without an opposite.
    pub fn checked_neg(self) -> Result<Fen, MoneyError> {
        self.0.checked_neg().map(Fen).ok_or(MoneyError::Overflow)
    }

    /// `self × n` (a rate times a count), or [`MoneyError::Overflow`].
    pub fn checked_mul(self, n: i64) -> Result<Fen, MoneyError> {
        self.0.checked_mul(n).map(Fen).ok_or(MoneyError::Overflow)
    }

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
    /// `1234.5元`. At most two decimals; nothing is silently rounded; at most
    /// [`Fen::MAX_INPUT`] either way.
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
        let too_large = || MoneyError::TooLarge(original.to_string());
        // Leading zeros are harmless ("007.50"); any other digit past the ninth is too large.
        let int_part = int_part.trim_start_matches('0');
        if int_part.len() > 9 {
            return Err(too_large());
        }
        let yuan: i64 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| too_large())? };
        let mut frac = frac_part.chars().take(2).collect::<String>();
        while frac.len() < 2 {
            frac.push('0');
        }
        let cents: i64 = frac.parse().map_err(|_| bad())?;
        let total = yuan.checked_mul(100).and_then(|v| v.checked_add(cents)).ok_or_else(too_large)?;
        Fen::checked_input(if negative { -total } else { total }, original)
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
/// Plain `+`, `-` and `sum()` are for amounts known to be bounded (each entered
/// amount ≤ [`Fen::MAX_INPUT`], so a school's sums stay far from the `i64`
/// limit). Where stored amounts are summed that an older version may have let
/// in unbounded, use [`Fen::checked_add`] and [`try_sum`]; the release build
/// has `overflow-checks` on, so a missed case stops instead of wrapping.
impl Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
    }
}

/// Σ of `amounts`, or [`MoneyError::Overflow`] instead of a wrapped figure.
pub fn try_sum<I: IntoIterator<Item = Fen>>(amounts: I) -> Result<Fen, MoneyError> {
    amounts.into_iter().try_fold(Fen::ZERO, Fen::checked_add)
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

/// 12345 → 壹万贰仟叁佰肆拾伍, with the zero rules of financial writing (one 零
/// for a run of zeros inside a group or between groups). Works for every `u64`:
/// above 亿 the count of 亿 is itself written out (壹万亿, 壹亿亿), so no table of
/// group names can run out.
fn capital_integer(n: u64) -> String {
    const YI: u64 = 100_000_000;
    if n >= YI {
        let (high, low) = (n / YI, n % YI);
        let mut out = capital_integer(high);
        out.push('亿');
        if low > 0 {
            // 壹亿零伍佰万: a zero before the 千万 place is written once.
            if low < YI / 10 {
                out.push('零');
            }
            out.push_str(&capital_integer(low));
        }
        return out;
    }
    let (high, low) = (n / 10_000, n % 10_000);
    let mut out = String::new();
    if high > 0 {
        out.push_str(&capital_group(high));
        out.push('万');
        if low > 0 && low < 1000 {
            out.push('零');
        }
    }
    if low > 0 {
        out.push_str(&capital_group(low));
    }
    out
}

/// One group of four digits, 1..=9999: 壹仟零伍拾.
fn capital_group(g: u64) -> String {
    const UNITS: [&str; 4] = ["仟", "佰", "拾", ""];
    let digits = [g / 1000, (g / 100) % 10, (g / 10) % 10, g % 10];
    let mut out = String::new();
    let mut zero_run = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero_run = !out.is_empty();
            continue;
        }
        if zero_run {
            out.push('零');
            zero_run = false;
        }
        out.push_str(DIGITS[d as usize]);
        out.push_str(UNITS[i]);
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

    /// Issue 12: `92233720368547758.07` (i64::MAX fen) was accepted as a payment
    /// and wrapped every balance after it; 20000000000000000 made 大写 panic.
    #[test]
    fn amounts_beyond_99_999_999_99_are_refused() {
        assert_eq!(Fen::parse("99,999,999.99"), Ok(Fen::MAX_INPUT));
        assert_eq!(Fen::parse("-99999999.99"), Ok(-Fen::MAX_INPUT));
        assert_eq!(Fen::parse("0099999999.99"), Ok(Fen::MAX_INPUT));
        for text in ["100000000", "100000000.00", "-100000000", "92233720368547758.07", "20000000000000000"] {
            let e = Fen::parse(text).expect_err(text);
            assert_eq!(e, MoneyError::TooLarge(text.to_string()));
            assert_eq!(e.to_string(), format!("金额“{text}”过大:每笔金额最多 99,999,999.99 元"));
        }
        assert_eq!(Fen::checked_input(Fen::MAX_INPUT.0, "x"), Ok(Fen::MAX_INPUT));
        assert!(Fen::checked_input(Fen::MAX_INPUT.0 + 1, "x").is_err());
        assert!(Fen::checked_input(i64::MIN, "x").is_err());
    }

    #[test]
    fn checked_sums_report_overflow_instead_of_wrapping() {
        assert_eq!(try_sum([Fen(1), Fen(2), Fen(-5)]), Ok(Fen(-2)));
        assert_eq!(try_sum([Fen(i64::MAX), Fen(1)]), Err(MoneyError::Overflow));
        assert_eq!(Fen(i64::MIN).checked_sub(Fen(1)), Err(MoneyError::Overflow));
        assert_eq!(Fen(i64::MAX).checked_mul(2), Err(MoneyError::Overflow));
        assert_eq!(Fen(1050).checked_mul(3), Ok(Fen(3150)));
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
        assert_eq!(Fen(Fen::MAX_INPUT.0).to_capital(), "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分");
        assert_eq!(Fen(10_000_000_000).to_capital(), "壹亿元整");
        assert_eq!(Fen(10_500_000_000).to_capital(), "壹亿零伍佰万元整");
        assert_eq!(Fen(10_000_000_100).to_capital(), "壹亿零壹元整");
        assert_eq!(Fen(100_010_000_000_000).to_capital(), "壹万零壹亿元整");
        assert_eq!(Fen(1_001_000_000).to_capital(), "壹仟零壹万元整");
    }

    /// Issue 12: a payment of 20000000000000000 元 made `notices` panic here
    /// (index out of bounds past 万亿).
    #[test]
    fn capital_of_huge_amounts_does_not_panic() {
        assert_eq!(Fen(2_000_000_000_000_000_000).to_capital(), "贰亿亿元整");
        assert_eq!(
            Fen(i64::MAX).to_capital(),
            "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分"
        );
        assert!(Fen(i64::MIN).to_capital().starts_with("负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿"));
    }

    /// Reads capital numerals back, the inverse of [`capital`] (for the property test).
    fn read_capital(text: &str) -> i128 {
        fn integer(s: &str) -> i128 {
            if let Some(i) = s.rfind('亿') {
                return integer(&s[..i]) * 100_000_000 + integer(&s[i + '亿'.len_utf8()..]);
            }
            if let Some(i) = s.rfind('万') {
                return integer(&s[..i]) * 10_000 + integer(&s[i + '万'.len_utf8()..]);
            }
            let (mut total, mut digit) = (0, 0);
            for c in s.chars() {
                match c {
                    '拾' => (total, digit) = (total + digit * 10, 0),
                    '佰' => (total, digit) = (total + digit * 100, 0),
                    '仟' => (total, digit) = (total + digit * 1000, 0),
                    '零' => {}
                    d => digit = DIGITS.iter().position(|x| x.starts_with(d)).expect("a digit") as i128,
                }
            }
            total + digit
        }
        let (sign, s) = match text.strip_prefix('负') {
            Some(rest) => (-1, rest),
            None => (1, text),
        };
        let s = s.strip_suffix('整').unwrap_or(s);
        let (yuan, rest) = s.split_once('元').unwrap_or(("", s));
        let mut fen = integer(yuan) * 100;
        let rest = rest.trim_start_matches('零');
        let (jiao, rest) = rest.split_once('角').unwrap_or(("", rest));
        fen += integer(jiao) * 10;
        fen += integer(rest.strip_suffix('分').unwrap_or(rest));
        sign * fen
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn capital_reads_back_for_every_i64(n in any::<i64>()) {
                let text = Fen(n).to_capital();
                prop_assert!(text.ends_with('整') || text.ends_with('分'), "{text}");
                prop_assert!(!text.contains("零零"), "{text}");
                prop_assert!(
                    text.chars().all(|c| "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整负".contains(c)),
                    "{text}"
                );
                prop_assert_eq!(read_capital(&text), i128::from(n), "{}", text);
            }

            #[test]
            fn parse_never_panics(text in "\\PC{0,40}") {
                let _ = Fen::parse(&text);
            }

            #[test]
            fn parse_never_panics_on_number_like_text(text in "[-+¥ ,.0-9元]{0,30}") {
                if let Ok(f) = Fen::parse(&text) {
                    prop_assert!(f.abs() <= Fen::MAX_INPUT);
                }
            }

            #[test]
            fn printed_amounts_parse_back(n in -Fen::MAX_INPUT.0..=Fen::MAX_INPUT.0) {
                prop_assert_eq!(Fen::parse(&Fen(n).to_yuan_string()), Ok(Fen(n)));
                prop_assert_eq!(Fen::parse(&Fen(n).to_grouped_string()), Ok(Fen(n)));
                prop_assert_eq!(Fen::parse(&format!("¥{}元", Fen(n).to_grouped_string())), Ok(Fen(n)));
            }

            #[test]
            fn amounts_beyond_the_bound_are_refused(n in prop_oneof![
                (Fen::MAX_INPUT.0 + 1)..=i64::MAX,
                i64::MIN..=-(Fen::MAX_INPUT.0 + 1),
            ]) {
                let text = Fen(n).to_yuan_string();
                prop_assert_eq!(Fen::parse(&text), Err(MoneyError::TooLarge(text.clone())));
            }
        }
    }
}
