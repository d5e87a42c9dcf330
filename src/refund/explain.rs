//! Wording of the explanation lines: dates, day lists, rates and the one rounding
//! step, in Chinese as the bursar reads them on the refund sheet.
//!
//! Only text lives here; every number shown is computed by the engine and passed
//! in, so an explanation can never disagree with the amount beside it.

use chrono::{Datelike, NaiveDate};

use crate::money::Fen;

use super::rules::LeaveKind;

/// `2025-10-09`.
pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `2025-10-09 至 2025-10-13`, or one date when the range is a single day.
pub(crate) fn range(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        date(from)
    } else {
        format!("{} 至 {}", date(from), date(to))
    }
}

/// `10月9日、10日、13日`: school days listed compactly, the month named when it changes.
pub(crate) fn day_list(days: &[NaiveDate]) -> String {
    let mut out = String::new();
    let mut last_month = None;
    for (i, d) in days.iter().enumerate() {
        if i > 0 {
            out.push('、');
        }
        let key = (d.year(), d.month());
        if last_month != Some(key) {
            out.push_str(&format!("{}月{}日", d.month(), d.day()));
        } else {
            out.push_str(&format!("{}日", d.day()));
        }
        last_month = Some(key);
    }
    out
}

/// `病假、事假`.
pub(crate) fn kinds(kinds: &[LeaveKind]) -> String {
    let mut sorted: Vec<LeaveKind> = kinds.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted.iter().map(|k| k.label()).collect::<Vec<_>>().join("、")
}

/// `12.50 元`.
pub(crate) fn yuan(f: Fen) -> String {
    format!("{} 元", f.to_yuan_string())
}

/// The exact value of `amount × num ÷ den` in yuan, to four decimals with `…`
/// when it goes on, so the rounding step can be shown beside the rounded result.
pub(crate) fn exact_yuan(amount: Fen, num: i64, den: i64) -> String {
    if den <= 0 {
        return "0.00".to_string();
    }
    // In 1/10000 yuan = 1/100 fen.
    let scaled = i128::from(amount.0) * i128::from(num) * 100;
    let den = i128::from(den);
    let q = scaled / den;
    let exact = scaled % den == 0;
    let sign = if q < 0 { "-" } else { "" };
    let q = q.abs();
    let (int, frac) = (q / 10_000, q % 10_000);
    if exact {
        let mut digits = format!("{frac:04}");
        while digits.len() > 2 && digits.ends_with('0') {
            digits.pop();
        }
        format!("{sign}{int}.{digits}")
    } else {
        format!("{sign}{int}.{frac:04}…")
    }
}

/// `10.50 元 × 3 天 = 31.50 元` or, for a monthly amount,
/// `300.00 元 × 3 天 ÷ 22 天 = 40.9090… 元,四舍五入到分为 40.91 元`.
pub(crate) fn times(amount: Fen, days: i64, divisor: i64, result: Fen) -> String {
    if divisor == 1 {
        return format!("{} × {days} 天 = {}", yuan(amount), yuan(result));
    }
    let exact = exact_yuan(amount, days, divisor);
    if exact == result.to_yuan_string() {
        format!("{} × {days} 天 ÷ {divisor} 天 = {}", yuan(amount), yuan(result))
    } else {
        format!("{} × {days} 天 ÷ {divisor} 天 = {exact} 元,四舍五入到分为 {}", yuan(amount), yuan(result))
    }
}

/// `300.00 元 × 50% = 150.00 元`, with the rounding step when there is one.
pub(crate) fn percent_of(amount: Fen, percent: u32, result: Fen) -> String {
    let exact = exact_yuan(amount, i64::from(percent), 100);
    if exact == result.to_yuan_string() {
        format!("{} × {percent}% = {}", yuan(amount), yuan(result))
    } else {
        format!("{} × {percent}% = {exact} 元,四舍五入到分为 {}", yuan(amount), yuan(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn shows_the_rounding_step() {
        assert_eq!(exact_yuan(Fen(30000), 3, 22), "40.9090…");
        assert_eq!(exact_yuan(Fen(1050), 3, 1), "31.50");
        assert_eq!(
            times(Fen(30000), 3, 22, Fen(4091)),
            "300.00 元 × 3 天 ÷ 22 天 = 40.9090… 元,四舍五入到分为 40.91 元"
        );
        assert_eq!(times(Fen(1050), 3, 1, Fen(3150)), "10.50 元 × 3 天 = 31.50 元");
        assert_eq!(times(Fen(30000), 11, 22, Fen(15000)), "300.00 元 × 11 天 ÷ 22 天 = 150.00 元");
        assert_eq!(percent_of(Fen(30001), 50, Fen(15001)), "300.01 元 × 50% = 150.005 元,四舍五入到分为 150.01 元");
    }

    #[test]
    fn lists_days_compactly() {
        assert_eq!(day_list(&[d("2025-09-30"), d("2025-10-09"), d("2025-10-10")]), "9月30日、10月9日、10日");
        assert_eq!(range(d("2025-10-09"), d("2025-10-09")), "2025-10-09");
    }
}
