//! Set-based statements: many rows in one statement, so that a batch costs
//! one round trip to a server per chunk of rows rather than one per row (a
//! local SQLite file barely notices; a PostgreSQL server over a network
//! does, each statement being a round trip).
//!
//! A statement is written around a list (`INSERT … VALUES {}`, `… IN ({})`,
//! `UPDATE … FROM (VALUES {}) AS v(…)`): `{}` is replaced by a row template
//! repeated once per row of the chunk. In the template a bare `?` is the
//! next value of the row; `?N` is one of the arguments every chunk shares
//! (the same time, operator, stocktake).
//!
//! Chunks hold a power of two rows (a batch of 37 rows is 32 + 4 + 1), so a
//! statement has a handful of texts whatever the batch sizes, and each text
//! is prepared once per connection by the statement caches. Each chunk stays
//! under SQLite's limit of 32,766 bound values (PostgreSQL's is 65,535).

use super::{Conn, Row, Value};
use crate::Result;

/// Bound values one statement may carry (SQLite's limit, minus a margin for
/// the shared arguments).
const MAX_VALUES: usize = 32_000;

/// Rows one statement may carry whatever its width: past this the text
/// grows without saving round trips that matter.
const MAX_ROWS: usize = 1024;

/// How the rows left after the full chunks are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tail {
    /// In smaller power-of-two chunks (37 rows: 32 + 4 + 1), each row once:
    /// what an `INSERT` needs.
    Split,
    /// In one chunk padded up to a power of two by repeating the last row
    /// (37 rows: 64, the last row 28 times more): one statement, for a list
    /// where a row given twice means what it means once — `IN (…)`, or the
    /// rows of an `UPDATE … FROM (VALUES …)`, which updates a target row once
    /// however many rows match it.
    Repeat,
}

/// The chunks of a batch of `rows` rows of `width` values: (first row, rows
/// of the batch in it, rows it is sent as).
pub(crate) fn chunks(rows: usize, width: usize, tail: Tail) -> Vec<(usize, usize, usize)> {
    let fits = (MAX_VALUES / width.max(1)).clamp(1, MAX_ROWS);
    // The largest power of two that fits.
    let biggest = 1usize << (usize::BITS - 1 - fits.leading_zeros());
    let mut out = Vec::new();
    let (mut start, mut size) = (0, biggest);
    while start < rows {
        let left = rows - start;
        if left < size && tail == Tail::Repeat {
            out.push((start, left, left.next_power_of_two()));
            break;
        }
        while size > left {
            size /= 2;
        }
        out.push((start, size, size));
        start += size;
    }
    out
}

/// `template` repeated `rows` times, separated by commas, its bare `?`
/// numbered from `first`.
pub(crate) fn repeat(template: &str, rows: usize, first: usize) -> String {
    let mut out = String::with_capacity((template.len() + 8) * rows);
    let mut next = first;
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if c == '?' && !chars.peek().is_some_and(char::is_ascii_digit) {
                out.push_str(&next.to_string());
                next += 1;
            }
        }
    }
    out
}

/// How many values one row of `template` takes (its bare `?`).
fn width(template: &str) -> usize {
    let b = template.as_bytes();
    (0..b.len()).filter(|&i| b[i] == b'?' && !b.get(i + 1).is_some_and(u8::is_ascii_digit)).count()
}

/// One chunk's statement text and arguments (the last row repeated to pad it).
fn chunk_args(
    sql: &str,
    shared: &[Value],
    template: &str,
    values: &[Value],
    (start, rows, sent): (usize, usize, usize),
    width: usize,
) -> (String, Vec<Value>) {
    let text = sql.replacen("{}", &repeat(template, sent, shared.len() + 1), 1);
    let mut args = Vec::with_capacity(shared.len() + sent * width);
    args.extend_from_slice(shared);
    args.extend_from_slice(&values[start * width..(start + rows) * width]);
    let last = &values[(start + rows - 1) * width..(start + rows) * width];
    for _ in rows..sent {
        args.extend_from_slice(last);
    }
    (text, args)
}

impl Conn {
    /// Runs `sql` for every row of `values` (row after row, each as wide as
    /// `template` has bare `?`), a chunk of rows per statement; returns how
    /// many rows the statements changed. No rows: nothing is run.
    pub fn exec_rows(&self, sql: &str, shared: &[Value], template: &str, values: &[Value], tail: Tail) -> Result<u64> {
        let width = width(template);
        debug_assert!(width > 0 && values.len() % width == 0, "{} values for rows of {width}", values.len());
        let mut changed = 0;
        for chunk in chunks(values.len() / width.max(1), width, tail) {
            let (text, args) = chunk_args(sql, shared, template, values, chunk, width);
            changed += self.exec(&text, &args)?;
        }
        Ok(changed)
    }

    /// Every row a query gives for each chunk of `values` (see [`Conn::exec_rows`]),
    /// chunk after chunk. A query whose order matters says `ORDER BY`, and
    /// the order holds within a chunk only.
    pub fn rows_for<T>(
        &self,
        sql: &str,
        shared: &[Value],
        template: &str,
        values: &[Value],
        tail: Tail,
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let width = width(template);
        debug_assert!(width > 0 && values.len() % width == 0, "{} values for rows of {width}", values.len());
        let mut out = Vec::new();
        for chunk in chunks(values.len() / width.max(1), width, tail) {
            let (text, args) = chunk_args(sql, shared, template, values, chunk, width);
            self.each(&text, &args, |r| {
                out.push(f(r)?);
                Ok(())
            })?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_powers_of_two_that_cover_the_batch() {
        let split = |rows, width| -> Vec<(usize, usize)> {
            chunks(rows, width, Tail::Split)
                .into_iter()
                .map(|(start, n, sent)| {
                    assert_eq!(n, sent);
                    (start, n)
                })
                .collect()
        };
        assert!(split(0, 5).is_empty());
        assert_eq!(split(1, 5), vec![(0, 1)]);
        assert_eq!(split(37, 5), vec![(0, 32), (32, 4), (36, 1)]);
        // Repeat: one padded statement for what the full chunks leave.
        assert!(chunks(0, 5, Tail::Repeat).is_empty());
        assert_eq!(chunks(37, 5, Tail::Repeat), vec![(0, 37, 64)]);
        assert_eq!(chunks(1030, 4, Tail::Repeat), vec![(0, 1024, 1024), (1024, 6, 8)]);
        // 17 values a row: 1,882 rows fit under the limit, so 1,024 a chunk.
        assert_eq!(
            split(5000, 17),
            vec![(0, 1024), (1024, 1024), (2048, 1024), (3072, 1024), (4096, 512), (4608, 256), (4864, 128), (4992, 8)]
        );
        // Wide rows: fewer per chunk, never over the limit.
        for (_, _, sent) in chunks(100_000, 300, Tail::Repeat) {
            assert!(sent * 300 <= MAX_VALUES);
        }
    }

    #[test]
    fn templates_number_their_values_after_the_shared_ones() {
        assert_eq!(repeat("(?1, ?, ?)", 2, 3), "(?1, ?3, ?4), (?1, ?5, ?6)");
        assert_eq!(repeat("?", 3, 1), "?1, ?2, ?3");
        assert_eq!(width("(?1, ?, CAST(? AS TEXT))"), 2);
    }

    #[test]
    fn a_padded_chunk_repeats_its_last_row() {
        let values: Vec<Value> = (1..=3).map(Value::Int).collect();
        let (text, args) = chunk_args("IN ({})", &[Value::Int(9)], "?", &values, (0, 3, 4), 1);
        assert_eq!(text, "IN (?2, ?3, ?4, ?5)");
        assert_eq!(args, [9, 1, 2, 3, 3].map(Value::Int));
    }
}
