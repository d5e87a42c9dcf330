//! `stock_docs`: the numbered documents (入库单, 领用单, 冲销单, 盘点单, 押金借出/归还)
//! and, read with them, their lines in `stock_movements` (a document and its
//! lines are written in one transaction; the lines' own SQL is in [`super::movements`]).

use chrono::{NaiveDate, NaiveDateTime};

use crate::store::{Conn, Row, Tx};
use crate::supplies::stock::{DocFilter, DocLine, DocSummary, Header, StockDoc};
use crate::supplies::{DocKind, StockDocId};
use crate::{args, Fen, Result};

/// The highest sequence number among the numbers that start with `prefix`
/// (`LY-2025-`), if any.
pub fn last_sequence(conn: &Conn, prefix: &str) -> Result<Option<i64>> {
    // substr counts characters on both backends; the prefix is ASCII.
    conn.value(
        "SELECT MAX(CAST(substr(number, ?2) AS BIGINT)) FROM stock_docs WHERE number LIKE ?1",
        &args![format!("{prefix}%"), prefix.chars().count() + 1],
    )
}

/// A new document header, entered now by the transaction's operator.
pub(crate) fn insert(
    tx: &Tx,
    kind: DocKind,
    number: &str,
    date: NaiveDate,
    h: &Header,
    created_at: NaiveDateTime,
) -> Result<StockDocId> {
    tx.insert(
        "INSERT INTO stock_docs (kind, number, date, supplier, invoice_no, handler, class_id, department, requester,
           approver, purpose, note, reverses, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id",
        &args![
            kind,
            number,
            date,
            h.supplier,
            h.invoice_no,
            h.handler,
            h.class_id,
            h.department,
            h.requester,
            h.approver,
            h.purpose,
            h.note,
            h.reverses,
            created_at,
            tx.operator()
        ],
    )
    .map(StockDocId)
}

fn read(r: &Row) -> Result<StockDoc> {
    let kind: DocKind = r.get(1)?;
    Ok(StockDoc {
        id: r.get(0)?,
        kind,
        kind_label: kind.label().to_string(),
        number: r.get(2)?,
        date: r.get(3)?,
        supplier: r.get(4)?,
        invoice_no: r.get(5)?,
        handler: r.get(6)?,
        class_id: r.get(7)?,
        department: r.get(8)?,
        requester: r.get(9)?,
        approver: r.get(10)?,
        purpose: r.get(11)?,
        note: r.get(12)?,
        reverses: r.get(13)?,
        reversed_by: Vec::new(),
        created_at: r.get(14)?,
        created_by: r.get(15)?,
        lines: Vec::new(),
        total_value: Fen::ZERO,
    })
}

/// A document's header (lines and reversals empty: see [`lines`], [`reversed_by`]).
pub fn get(conn: &Conn, id: StockDocId) -> Result<Option<StockDoc>> {
    conn.row_opt(
        "SELECT d.id, d.kind, d.number, d.date, d.supplier, d.invoice_no, d.handler, d.class_id, d.department,
                d.requester, d.approver, d.purpose, d.note, (SELECT number FROM stock_docs o WHERE o.id = d.reverses),
                d.created_at, d.created_by
         FROM stock_docs d WHERE d.id = ?1",
        &args![id],
        read,
    )
}

/// The document with exactly this number.
pub fn by_number(conn: &Conn, number: &str) -> Result<Option<StockDocId>> {
    conn.row_opt("SELECT id FROM stock_docs WHERE number = ?1", &args![number], |r| r.get(0))
}

/// A document's lines, in order, with their items and whether a reversal undid them.
pub fn lines(conn: &Conn, id: StockDocId) -> Result<Vec<DocLine>> {
    conn.rows(
        "SELECT m.id, m.line_no, m.item_id, i.name, i.spec, i.unit, i.category, m.qty, m.kind, m.unit_price, m.value,
                m.trade_in, m.note, EXISTS (SELECT 1 FROM stock_movements r WHERE r.origin = m.id AND r.kind = 'reversal')
         FROM stock_movements m JOIN supply_items i ON i.id = m.item_id
         WHERE m.doc_id = ?1 ORDER BY m.line_no",
        &args![id],
        |r| {
            let qty: i64 = r.get(7)?;
            let value: i64 = r.get(10)?;
            Ok(DocLine {
                id: r.get(0)?,
                line_no: r.get(1)?,
                item_id: r.get(2)?,
                item_name: r.get(3)?,
                spec: r.get(4)?,
                unit: r.get(5)?,
                category: r.get(6)?,
                qty: qty.abs(),
                signed_qty: qty,
                kind: r.get(8)?,
                unit_price: r.get::<Option<i64>>(9)?.map(Fen),
                value: Fen(value.abs()),
                trade_in: r.get(11)?,
                note: r.get(12)?,
                reversed: r.get(13)?,
            })
        },
    )
}

/// The numbers of the reversals of a document's lines, oldest first.
pub fn reversed_by(conn: &Conn, id: StockDocId) -> Result<Vec<String>> {
    conn.rows("SELECT number FROM stock_docs WHERE reverses = ?1 ORDER BY id", &args![id], |r| r.get(0))
}

/// Documents with their line count and value, newest first.
pub fn list(conn: &Conn, f: &DocFilter) -> Result<Vec<DocSummary>> {
    conn.rows(
        "SELECT d.id, d.kind, d.number, d.date, CASE WHEN d.kind = 'receipt' THEN d.supplier ELSE d.department END,
                d.requester, COUNT(m.id), COALESCE(SUM(abs(m.value)), 0),
                EXISTS (SELECT 1 FROM stock_docs r WHERE r.reverses = d.id), d.created_by, d.created_at
         FROM stock_docs d LEFT JOIN stock_movements m ON m.doc_id = d.id
         WHERE (CAST(?1 AS TEXT) IS NULL OR d.kind = ?1) AND (CAST(?2 AS DATE) IS NULL OR d.date >= ?2)
           AND (CAST(?3 AS DATE) IS NULL OR d.date <= ?3)
         GROUP BY d.id, d.kind, d.number, d.date, d.supplier, d.department, d.requester, d.created_by, d.created_at
         ORDER BY d.date DESC, d.id DESC LIMIT ?4",
        &args![f.kind, f.from, f.to, f.limit.unwrap_or(200)],
        |r| {
            let kind: DocKind = r.get(1)?;
            Ok(DocSummary {
                id: r.get(0)?,
                kind,
                kind_label: kind.label().into(),
                number: r.get(2)?,
                date: r.get(3)?,
                party: r.get(4)?,
                requester: r.get(5)?,
                lines: r.get(6)?,
                total_value: r.get(7)?,
                reversed: r.get(8)?,
                created_by: r.get(9)?,
                created_at: r.get(10)?,
            })
        },
    )
}
