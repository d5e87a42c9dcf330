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

/// The chunks of a batch of `rows` rows of `width` values: (first row, rows).
pub(crate) fn chunks(rows: usize, width: usize) -> Vec<(usize, usize)> {
    let fits = (MAX_VALUES / width.max(1)).clamp(1, MAX_ROWS);
    // The largest power of two that fits.
    let biggest = 1usize << (usize::BITS - 1 - fits.leading_zeros());
    let mut out = Vec::new();
    let (mut start, mut size) = (0, biggest);
    while start < rows {
        while size > rows - start {
            size /= 2;
        }
        out.push((start, size));
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

/// One chunk's statement text and arguments.
fn chunk_args(
    sql: &str,
    shared: &[Value],
    template: &str,
    values: &[Value],
    (start, rows): (usize, usize),
    width: usize,
) -> (String, Vec<Value>) {
    let text = sql.replacen("{}", &repeat(template, rows, shared.len() + 1), 1);
    let mut args = Vec::with_capacity(shared.len() + rows * width);
    args.extend_from_slice(shared);
    args.extend_from_slice(&values[start * width..(start + rows) * width]);
    (text, args)
}

impl Conn {
    /// Runs `sql` for every row of `values` (row after row, each as wide as
    /// `template` has bare `?`), a chunk of rows per statement; returns how
    /// many rows the statements changed. No rows: nothing is run.
    pub fn exec_rows(&self, sql: &str, shared: &[Value], template: &str, values: &[Value]) -> Result<u64> {
        let width = width(template);
        debug_assert!(width > 0 && values.len() % width == 0, "{} values for rows of {width}", values.len());
        let mut changed = 0;
        for chunk in chunks(values.len() / width.max(1), width) {
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
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let width = width(template);
        debug_assert!(width > 0 && values.len() % width == 0, "{} values for rows of {width}", values.len());
        let mut out = Vec::new();
        for chunk in chunks(values.len() / width.max(1), width) {
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
        assert!(chunks(0, 5).is_empty());
        assert_eq!(chunks(1, 5), vec![(0, 1)]);
        assert_eq!(chunks(37, 5), vec![(0, 32), (32, 4), (36, 1)]);
        // 17 values a row: 1,882 rows fit under the limit, so 1,024 a chunk.
        assert_eq!(
            chunks(5000, 17),
            vec![(0, 1024), (1024, 1024), (2048, 1024), (3072, 1024), (4096, 512), (4608, 256), (4864, 128), (4992, 8)]
        );
        // Wide rows: fewer per chunk, never over the limit.
        for (_, rows) in chunks(100_000, 300) {
            assert!(rows * 300 <= MAX_VALUES);
        }
    }

    #[test]
    fn templates_number_their_values_after_the_shared_ones() {
        assert_eq!(repeat("(?1, ?, ?)", 2, 3), "(?1, ?3, ?4), (?1, ?5, ?6)");
        assert_eq!(repeat("?", 3, 1), "?1, ?2, ?3");
        assert_eq!(width("(?1, ?, CAST(? AS TEXT))"), 2);
    }
}
