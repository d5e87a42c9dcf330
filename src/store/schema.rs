//! Whether a database has the tables and columns this program expects (a file
//! whose `payments` table was dropped must not open as if nothing happened).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::{Conn, Dialect};
use crate::Result;

type Shape = BTreeMap<String, Vec<String>>;

/// Tables and their columns as the database has them.
pub fn shape(conn: &Conn) -> Result<Shape> {
    let sql = match conn.dialect() {
        Dialect::Sqlite => {
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid"
        }
        Dialect::Postgres => {
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        }
    };
    let mut out = Shape::new();
    conn.each(sql, &[], |r| {
        out.entry(r.get(0)?).or_default().push(r.get(1)?);
        Ok(())
    })?;
    Ok(out)
}

/// The shape of a new database at this program's schema version.
fn expected() -> Result<&'static Shape> {
    static SHAPE: OnceLock<Shape> = OnceLock::new();
    if let Some(s) = SHAPE.get() {
        return Ok(s);
    }
    let conn = Conn::open_memory()?;
    super::migrate::run(&conn, &mut |_| Ok(()))?;
    let s = shape(&conn)?;
    Ok(SHAPE.get_or_init(|| s))
}

/// What is missing from the database, in the users' words (empty: nothing).
/// Extra tables or columns are not a problem (a newer program added them).
pub fn problems(conn: &Conn) -> Result<Vec<String>> {
    let have = shape(conn)?;
    let mut out = Vec::new();
    for (table, columns) in expected()? {
        match have.get(table) {
            None => out.push(format!("缺少表 {table}")),
            Some(got) => {
                for c in columns.iter().filter(|c| !got.contains(c)) {
                    out.push(format!("表 {table} 缺少列 {c}"));
                }
            }
        }
    }
    Ok(out)
}
