//! Set-based statements: many rows in one statement, so that a batch costs
//! a round trip or two to a server rather than one per row (a local SQLite
//! file barely notices; a PostgreSQL server over a network does, each
//! statement being a round trip).
//!
//! A [`Batched`] statement is written once per backend:
//!
//! - On PostgreSQL the whole batch goes in one statement, each column of
//!   the rows as one array parameter after the shared arguments, read back
//!   as a table with `unnest(CAST(?3 AS BIGINT[]), CAST(?4 AS TEXT[]), …)`.
//!   The text does not depend on how many rows there are, so it is parsed
//!   and prepared once per connection, and the planner sees a list to look
//!   up row by row rather than thousands of parameters.
//! - On SQLite the statement is written around a list (`INSERT … VALUES {}`,
//!   `… IN ({})`, `UPDATE … FROM (VALUES {}) AS v(…)`): `{}` is replaced by
//!   a row template repeated once per row of a chunk. In the template a bare
//!   `?` is the next value of the row; `?N` is one of the arguments every
//!   chunk shares (the same time, operator, stocktake). Chunks hold a power
//!   of two rows (a batch of 37 rows is 32 + 4 + 1), so a statement has a
//!   handful of texts whatever the batch sizes, each prepared once by the
//!   statement cache, and each stays under SQLite's limit of 32,766 bound
//!   values.

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

/// `sql` with each numbered placeholder `?N` moved up by `by` (`?1` → `?4`
/// for 3), so that one statement can follow another's parameters. Text in
/// quotes is left alone.
pub(crate) fn renumber(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\'' {
            quoted = !quoted;
        } else if c == '?' && !quoted {
            let mut digits = String::new();
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                digits.push(d);
            }
            match digits.parse::<usize>() {
                Ok(n) => out.push_str(&(n + by).to_string()),
                Err(_) => out.push_str(&digits),
            }
        }
    }
    out
}

/// How many values one row of `template` takes (its bare `?`).
pub(crate) fn width(template: &str) -> usize {
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

/// A statement over a batch of rows, in each backend's form (see the module docs).
pub struct Batched<'a> {
    /// SQLite: the statement around the row list `{}`.
    pub sqlite: &'a str,
    /// SQLite: one row of the list; its bare `?` count is the row's width.
    pub row: &'a str,
    /// How SQLite sends the rows the full chunks leave.
    pub tail: Tail,
    /// PostgreSQL: the statement over the whole batch, each of the row's
    /// columns an array parameter numbered after the shared arguments.
    pub postgres: &'a str,
}

/// `values` (row after row, `width` a row) as one list per column.
pub(crate) fn columns(values: &[Value], width: usize) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = (0..width).map(|_| Vec::with_capacity(values.len() / width.max(1))).collect();
    for row in values.chunks(width.max(1)) {
        for (column, v) in out.iter_mut().zip(row) {
            column.push(v.clone());
        }
    }
    out
}

impl Conn {
    /// Runs `b` for every row of `values` (row after row, each as wide as
    /// `b.row` has bare `?`); returns how many rows it changed. No rows:
    /// nothing is run.
    pub fn exec_rows(&self, b: &Batched, shared: &[Value], values: &[Value]) -> Result<u64> {
        let width = width(b.row);
        debug_assert!(width > 0 && values.len() % width == 0, "{} values for rows of {width}", values.len());
        if values.is_empty() {
            return Ok(0);
        }
        match self {
            Conn::Postgres(pg) => pg.exec_columns(b.postgres, shared, &columns(values, width)),
            Conn::Sqlite(_) => {
                let mut changed = 0;
                for chunk in chunks(values.len() / width.max(1), width, b.tail) {
                    let (text, args) = chunk_args(b.sqlite, shared, b.row, values, chunk, width);
                    changed += self.exec(&text, &args)?;
                }
                Ok(changed)
            }
        }
    }

    /// Every row a query gives for the rows of `values` (see
    /// [`Conn::exec_rows`]). A query whose order matters says `ORDER BY`,
    /// and on SQLite the order holds within a chunk only.
    pub fn rows_for<T>(
        &self,
        b: &Batched,
        shared: &[Value],
        values: &[Value],
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let width = width(b.row);
        debug_assert!(width > 0 && values.len() % width == 0, "{} values for rows of {width}", values.len());
        let mut out = Vec::new();
        if values.is_empty() {
            return Ok(out);
        }
        let mut push = |r: &Row| {
            out.push(f(r)?);
            Ok(())
        };
        match self {
            Conn::Postgres(pg) => pg.each_columns(b.postgres, shared, &columns(values, width), &mut push)?,
            Conn::Sqlite(_) => {
                for chunk in chunks(values.len() / width.max(1), width, b.tail) {
                    let (text, args) = chunk_args(b.sqlite, shared, b.row, values, chunk, width);
                    self.each(&text, &args, &mut push)?;
                }
            }
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
    fn renumbering_moves_numbered_placeholders_only() {
        assert_eq!(renumber("SELECT ?1, ?12, ? FROM t WHERE x = '?3'", 6), "SELECT ?7, ?18, ? FROM t WHERE x = '?3'");
    }

    #[test]
    fn a_batch_goes_to_postgresql_as_one_list_per_column() {
        let values = [Value::Int(1), Value::Text("a".into()), Value::Int(2), Value::Null];
        assert_eq!(
            columns(&values, 2),
            vec![vec![Value::Int(1), Value::Int(2)], vec![Value::Text("a".into()), Value::Null]]
        );
        assert!(columns(&[], 3).iter().all(Vec::is_empty));
    }

    #[test]
    fn a_padded_chunk_repeats_its_last_row() {
        let values: Vec<Value> = (1..=3).map(Value::Int).collect();
        let (text, args) = chunk_args("IN ({})", &[Value::Int(9)], "?", &values, (0, 3, 4), 1);
        assert_eq!(text, "IN (?2, ?3, ?4, ?5)");
        assert_eq!(args, [9, 1, 2, 3, 3].map(Value::Int));
    }
}
