//! `assets`: the register's cards. A card read here has no depreciation yet
//! (`accumulated` and `net` are zero): that is a rule of the domain, applied
//! by `assets::register` as of the day asked for.

use chrono::{NaiveDate, NaiveDateTime};

use super::pick;
use crate::assets::placement::Placement;
use crate::assets::register::{Asset, CheckedAsset, RoomInfo, Suggestions};
use crate::assets::{Acquisition, AssetId, AssetStatus, CategoryId};
use crate::store::batch::{Batched, Tail};
use crate::store::{Conn, Row, ToValue, Tx, Value};
use crate::{args, Fen, Result};

/// The columns [`read`] reads, from `assets a` joined to `asset_categories c`.
macro_rules! select {
    () => {
        "SELECT a.id, a.number, a.name, a.category_id, c.code, c.name, a.model, a.quantity, a.unit,
            a.room, a.department, a.custodian, a.acquired_on, a.acquisition, a.supplier, a.original_fen,
            a.life_months, a.status, a.off_books_on, a.note, c.depreciates
         FROM assets a JOIN asset_categories c ON c.id = a.category_id"
    };
}

/// The same columns for one card, as a single-table query with the category
/// in subqueries. Why: SQLite (with rusqlite's statement cache, which clears
/// the bindings) re-prepares a cached *join* with a bound parameter every
/// time it is used, while a single-table lookup by a unique key takes its
/// short cut; a stocktake looks a card up for every scan.
macro_rules! select_one {
    () => {
        "SELECT a.id, a.number, a.name, a.category_id,
            (SELECT code FROM asset_categories WHERE id = a.category_id),
            (SELECT name FROM asset_categories WHERE id = a.category_id), a.model, a.quantity, a.unit,
            a.room, a.department, a.custodian, a.acquired_on, a.acquisition, a.supplier, a.original_fen,
            a.life_months, a.status, a.off_books_on, a.note,
            (SELECT depreciates FROM asset_categories WHERE id = a.category_id)
         FROM assets a"
    };
}

/// Cards that are not on the books any more.
macro_rules! off_books {
    () => {
        "('disposed', 'written_off')"
    };
}

fn read(r: &Row) -> Result<Asset> {
    let status: AssetStatus = r.get(17)?;
    let acquisition: Acquisition = r.get(13)?;
    Ok(Asset {
        id: r.get(0)?,
        number: r.get(1)?,
        name: r.get(2)?,
        category_id: r.get(3)?,
        category_code: r.get(4)?,
        category_name: r.get(5)?,
        model: r.get(6)?,
        quantity: r.get(7)?,
        unit: r.get(8)?,
        room: r.get(9)?,
        department: r.get(10)?,
        custodian: r.get(11)?,
        acquired_on: r.get(12)?,
        acquisition,
        acquisition_label: acquisition.label().into(),
        supplier: r.get(14)?,
        original: r.get(15)?,
        life_months: r.get(16)?,
        status,
        status_label: status.label().into(),
        off_books_on: r.get(18)?,
        note: r.get(19)?,
        depreciates: r.get(20)?,
        accumulated: Fen::ZERO,
        net: Fen::ZERO,
    })
}

/// One card.
pub fn get(conn: &Conn, id: AssetId) -> Result<Option<Asset>> {
    const SQL: &str = concat!(select!(), " WHERE a.id = ?1");
    conn.row_opt(SQL, &args![id], read)
}

/// The card with this number (any case), on the books or not.
pub fn by_number(conn: &Conn, number: &str) -> Result<Option<Asset>> {
    const SQLITE: &str = concat!(select_one!(), " WHERE a.number = ?1");
    const POSTGRES: &str = concat!(select_one!(), " WHERE lower(a.number) = lower(?1)");
    conn.row_opt(pick(conn, SQLITE, POSTGRES), &args![number], read)
}

/// The id of the card with this number (any case), on the books or not.
pub fn id_by_number(conn: &Conn, number: &str) -> Result<Option<AssetId>> {
    const SQLITE: &str = "SELECT id FROM assets WHERE number = ?1";
    const POSTGRES: &str = "SELECT id FROM assets WHERE lower(number) = lower(?1)";
    conn.row_opt(pick(conn, SQLITE, POSTGRES), &args![number], |r| r.get(0))
}

/// The id of the card on the books with this number (any case).
pub fn on_books_id(conn: &Conn, number: &str) -> Result<Option<AssetId>> {
    const SQLITE: &str = concat!("SELECT id FROM assets WHERE number = ?1 AND status NOT IN ", off_books!());
    const POSTGRES: &str =
        concat!("SELECT id FROM assets WHERE lower(number) = lower(?1) AND status NOT IN ", off_books!());
    conn.row_opt(pick(conn, SQLITE, POSTGRES), &args![number], |r| r.get(0))
}

/// Every number that matches a `LIKE` pattern (any case; `\` escapes).
pub fn numbers_like(conn: &Conn, pattern: &str) -> Result<Vec<String>> {
    const SQLITE: &str = "SELECT number FROM assets WHERE number LIKE ?1 ESCAPE '\\'";
    const POSTGRES: &str = "SELECT number FROM assets WHERE lower(number) LIKE lower(?1) ESCAPE '\\'";
    conn.rows(pick(conn, SQLITE, POSTGRES), &args![pattern], |r| r.get(0))
}

/// The numbers of the register that are among `numbers` (any case), as stored.
pub fn numbers_in(conn: &Conn, numbers: &[&str]) -> Result<Vec<String>> {
    const BATCH: Batched = Batched {
        sqlite: "SELECT number FROM assets WHERE number IN ({})",
        row: "?",
        tail: Tail::Repeat,
        postgres:
            "SELECT number FROM assets WHERE lower(number) IN (SELECT lower(n) FROM unnest(CAST(?1 AS TEXT[])) AS n)",
    };
    let values: Vec<Value> = numbers.iter().map(|n| Value::Text((*n).to_string())).collect();
    conn.rows_for(&BATCH, &[], &values, |r| r.get(0))
}

/// Which cards [`list`] returns; every filter is optional.
pub struct ListQuery<'a> {
    /// A `LIKE` pattern (`\` escapes) matched against number, name, model,
    /// custodian and supplier, ignoring the case of ASCII letters.
    pub pattern: Option<&'a str>,
    pub room: Option<&'a str>,
    pub category_id: Option<CategoryId>,
    pub status: Option<AssetStatus>,
    pub department: Option<&'a str>,
    pub custodian: Option<&'a str>,
    pub include_off_books: bool,
}

/// Cards by room, then number.
pub fn list(conn: &Conn, q: &ListQuery) -> Result<Vec<Asset>> {
    // SQLite's LIKE already ignores ASCII case (and `number` is NOCASE).
    const SQLITE: &str = concat!(
        select!(),
        " WHERE (?1 IS NULL OR a.number LIKE ?1 ESCAPE '\\' OR a.name LIKE ?1 ESCAPE '\\'
                OR a.model LIKE ?1 ESCAPE '\\' OR a.custodian LIKE ?1 ESCAPE '\\' OR a.supplier LIKE ?1 ESCAPE '\\')
           AND (?2 IS NULL OR a.room = ?2)
           AND (?3 IS NULL OR a.category_id = ?3)
           AND (?4 IS NULL OR a.status = ?4)
           AND (?5 IS NULL OR a.department = ?5)
           AND (?6 IS NULL OR a.custodian = ?6)
           AND (?7 OR a.status NOT IN ",
        off_books!(),
        ")
         ORDER BY a.room, a.number"
    );
    const POSTGRES: &str = concat!(
        select!(),
        " WHERE (CAST(?1 AS TEXT) IS NULL OR lower(a.number) LIKE lower(?1) ESCAPE '\\'
                OR lower(a.name) LIKE lower(?1) ESCAPE '\\' OR lower(a.model) LIKE lower(?1) ESCAPE '\\'
                OR lower(a.custodian) LIKE lower(?1) ESCAPE '\\' OR lower(a.supplier) LIKE lower(?1) ESCAPE '\\')
           AND (CAST(?2 AS TEXT) IS NULL OR a.room = ?2)
           AND (CAST(?3 AS BIGINT) IS NULL OR a.category_id = ?3)
           AND (CAST(?4 AS TEXT) IS NULL OR a.status = ?4)
           AND (CAST(?5 AS TEXT) IS NULL OR a.department = ?5)
           AND (CAST(?6 AS TEXT) IS NULL OR a.custodian = ?6)
           AND (?7 OR a.status NOT IN ",
        off_books!(),
        ")
         ORDER BY a.room, lower(a.number)"
    );
    conn.rows(
        pick(conn, SQLITE, POSTGRES),
        &args![q.pattern, q.room, q.category_id, q.status, q.department, q.custodian, q.include_off_books],
        read,
    )
}

/// What the depreciation report needs of a card.
pub struct BookCard {
    pub id: AssetId,
    pub number: String,
    pub name: String,
    pub category_code: String,
    pub category_name: String,
    pub acquired_on: NaiveDate,
    pub original: Fen,
    pub life_months: u32,
    pub off_books_on: Option<NaiveDate>,
    pub depreciates: bool,
}

/// Cards on the books at some point between `first` and `last` (acquired by
/// `last`, not off the books before `first`), by category code, then number.
pub fn on_books_between(conn: &Conn, first: NaiveDate, last: NaiveDate) -> Result<Vec<BookCard>> {
    conn.rows(
        "SELECT a.id, a.number, a.name, c.code, c.name, a.acquired_on, a.original_fen, a.life_months,
                a.off_books_on, c.depreciates
         FROM assets a JOIN asset_categories c ON c.id = a.category_id
         WHERE a.acquired_on <= ?1 AND (a.off_books_on IS NULL OR a.off_books_on >= ?2)
         ORDER BY lower(c.code), lower(a.number)",
        &args![last, first],
        |r| {
            Ok(BookCard {
                id: r.get(0)?,
                number: r.get(1)?,
                name: r.get(2)?,
                category_code: r.get(3)?,
                category_name: r.get(4)?,
                acquired_on: r.get(5)?,
                original: r.get(6)?,
                life_months: r.get(7)?,
                off_books_on: r.get(8)?,
                depreciates: r.get(9)?,
            })
        },
    )
}

/// Every room with cards on the books, by name, with its custodians (most cards first).
pub fn rooms(conn: &Conn) -> Result<Vec<RoomInfo>> {
    let mut rooms = conn.rows(
        concat!(
            "SELECT room, COUNT(*), SUM(quantity), SUM(original_fen) FROM assets
             WHERE status NOT IN ",
            off_books!(),
            " GROUP BY room ORDER BY room"
        ),
        &[],
        |r| {
            Ok(RoomInfo {
                room: r.get(0)?,
                cards: r.get(1)?,
                quantity: r.get(2)?,
                original: r.get(3)?,
                custodians: Vec::new(),
            })
        },
    )?;
    conn.each(
        concat!(
            "SELECT room, custodian, COUNT(*) AS n FROM assets
             WHERE status NOT IN ",
            off_books!(),
            " AND custodian <> ''
             GROUP BY room, custodian ORDER BY room, n DESC, custodian"
        ),
        &[],
        |r| {
            let room: String = r.get(0)?;
            if let Some(info) = rooms.iter_mut().find(|i| i.room == room) {
                info.custodians.push(r.get(1)?);
            }
            Ok(())
        },
    )?;
    Ok(rooms)
}

/// Rooms, departments, custodians (and active staff), suppliers and units in use.
pub fn suggestions(conn: &Conn) -> Result<Suggestions> {
    let distinct = |sql: &str| conn.rows(sql, &[], |r| r.get(0));
    Ok(Suggestions {
        rooms: distinct("SELECT DISTINCT room FROM assets ORDER BY room")?,
        departments: distinct("SELECT DISTINCT department FROM assets WHERE department <> '' ORDER BY department")?,
        custodians: distinct(
            "SELECT name FROM (SELECT custodian AS name FROM assets WHERE custodian <> ''
                               UNION SELECT name FROM staff WHERE active) AS n ORDER BY name",
        )?,
        suppliers: distinct("SELECT DISTINCT supplier FROM assets WHERE supplier <> '' ORDER BY supplier")?,
        units: distinct(
            "SELECT DISTINCT unit FROM (SELECT unit FROM assets UNION SELECT unit FROM asset_categories) AS u
             WHERE unit <> '' ORDER BY unit",
        )?,
    })
}

/// The form's fields of a card as ?1…?16 (number first), then `last` as ?17.
fn card_args(number: &str, a: &CheckedAsset, last: Value) -> [Value; 17] {
    [
        number.to_value(),
        a.name.to_value(),
        a.category_id.to_value(),
        a.model.to_value(),
        a.quantity.to_value(),
        a.unit.to_value(),
        a.room.to_value(),
        a.department.to_value(),
        a.custodian.to_value(),
        a.acquired_on.to_value(),
        a.acquisition.to_value(),
        a.supplier.to_value(),
        a.original.to_value(),
        a.life_months.to_value(),
        a.status.to_value(),
        a.note.to_value(),
        last,
    ]
}

/// A new card with this number; returns its id.
pub fn insert(tx: &Tx, a: &CheckedAsset, number: &str, created_at: NaiveDateTime) -> Result<AssetId> {
    tx.insert(
        "INSERT INTO assets (number, name, category_id, model, quantity, unit, room, department, custodian,
            acquired_on, acquisition, supplier, original_fen, life_months, status, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) RETURNING id",
        &card_args(number, a, created_at.to_value()),
    )
    .map(AssetId)
}

/// New cards, each with its number, created at `created_at`, a chunk of
/// cards per statement; returns their ids in the order given. The numbers
/// must differ from each other and from the register's (the unique index
/// refuses the whole statement otherwise).
pub fn insert_many(tx: &Tx, cards: &[(&CheckedAsset, &str)], created_at: NaiveDateTime) -> Result<Vec<AssetId>> {
    let mut values = Vec::with_capacity(cards.len() * 16);
    for (a, number) in cards {
        values.extend(card_args(number, a, Value::Null).into_iter().take(16));
    }
    const BATCH: Batched = Batched {
        sqlite: "INSERT INTO assets (number, name, category_id, model, quantity, unit, room, department, custodian,
                acquired_on, acquisition, supplier, original_fen, life_months, status, note, created_at)
             VALUES {} RETURNING id, number",
        row: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?1)",
        tail: Tail::Split,
        postgres: "INSERT INTO assets (number, name, category_id, model, quantity, unit, room, department, custodian,
                acquired_on, acquisition, supplier, original_fen, life_months, status, note, created_at)
             SELECT v.*, CAST(?1 AS TIMESTAMP) FROM unnest(CAST(?2 AS TEXT[]), CAST(?3 AS TEXT[]),
               CAST(?4 AS BIGINT[]), CAST(?5 AS TEXT[]), CAST(?6 AS BIGINT[]), CAST(?7 AS TEXT[]),
               CAST(?8 AS TEXT[]), CAST(?9 AS TEXT[]), CAST(?10 AS TEXT[]), CAST(?11 AS DATE[]),
               CAST(?12 AS TEXT[]), CAST(?13 AS TEXT[]), CAST(?14 AS BIGINT[]), CAST(?15 AS BIGINT[]),
               CAST(?16 AS TEXT[]), CAST(?17 AS TEXT[])) AS v
             RETURNING id, number",
    };
    // Ids by number: the order of RETURNING rows is not promised.
    let made: std::collections::HashMap<String, AssetId> = tx
        .rows_for(&BATCH, &[created_at.to_value()], &values, |r| {
            Ok((r.get::<String>(1)?.to_ascii_uppercase(), AssetId(r.get(0)?)))
        })?
        .into_iter()
        .collect();
    cards
        .iter()
        .map(|(_, number)| {
            made.get(&number.to_ascii_uppercase()).copied().ok_or_else(|| {
                crate::Error::from(crate::store::StoreError::new(
                    crate::store::StoreErrorKind::NoRow,
                    format!("新资产 {number} 没有返回编号"),
                ))
            })
        })
        .collect()
}

/// Everything on the card (the form's fields) with this number.
pub fn update(tx: &Tx, id: AssetId, a: &CheckedAsset, number: &str) -> Result<()> {
    tx.exec(
        "UPDATE assets SET number = ?1, name = ?2, category_id = ?3, model = ?4, quantity = ?5, unit = ?6,
            room = ?7, department = ?8, custodian = ?9, acquired_on = ?10, acquisition = ?11, supplier = ?12,
            original_fen = ?13, life_months = ?14, status = ?15, note = ?16
         WHERE id = ?17",
        &card_args(number, a, id.to_value()),
    )?;
    Ok(())
}

/// Where the card says the asset is.
pub fn set_placement(tx: &Tx, id: AssetId, to: &Placement) -> Result<()> {
    tx.exec(
        "UPDATE assets SET room = ?1, department = ?2, custodian = ?3 WHERE id = ?4",
        &args![to.room, to.department, to.custodian, id],
    )?;
    Ok(())
}

/// A status on the books (在用, 闲置, 维修, 待报废).
pub fn set_status(tx: &Tx, id: AssetId, status: AssetStatus) -> Result<()> {
    tx.exec("UPDATE assets SET status = ?1 WHERE id = ?2", &args![status, id])?;
    Ok(())
}

/// The card's status alone.
pub fn status(conn: &Conn, id: AssetId) -> Result<Option<AssetStatus>> {
    conn.row_opt("SELECT status FROM assets WHERE id = ?1", &args![id], |r| r.get(0))
}

/// The card leaves the books on `on` with `status` (已报废 or 已核销).
pub fn take_off_books(tx: &Tx, id: AssetId, status: AssetStatus, on: NaiveDate) -> Result<()> {
    tx.exec("UPDATE assets SET status = ?1, off_books_on = ?2 WHERE id = ?3", &args![status, on, id])?;
    Ok(())
}
