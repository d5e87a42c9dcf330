//! The set-based writes of the asset register and stocktakes (issue 13 §6):
//! many cards, snapshot lines, scans and their audit rows written a chunk of
//! rows per statement must give what writing them one by one gives — the
//! same numbers, ids, lines and audit rows — at the edges too: an empty
//! batch, a batch larger than one statement's chunk (1,024 rows), a number
//! twice in a batch or already on the register (refused, nothing saved).
//! Runs on SQLite, and on PostgreSQL when `HOUQIN_TEST_DB` names a server.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use chrono::NaiveDate;
use houqin::assets::register::{self, AssetInput, CheckedAsset, NumberGen};
use houqin::assets::stocktake::{self, ScanResult, StocktakeInput};
use houqin::assets::{categories, settings, Acquisition, AssetId, AssetStatus};
use houqin::db::Db;
use houqin::store::{audit, Conn};

/// More rows than one statement takes (1,024), and not a power of two.
const MANY: usize = 1_100;

fn today() -> NaiveDate {
    "2025-10-20".parse().expect("date")
}

fn count(db: &Db, table: &str) -> i64 {
    db.conn().value(&format!("SELECT COUNT(*) FROM {table}"), &[]).expect("count")
}

/// A checked card: `number` empty is generated from the pattern.
fn card(db: &Db, number: &str, name: &str, room: &str) -> CheckedAsset {
    let cat = categories::find(db.conn(), "计算机").expect("find").expect("计算机");
    let input = AssetInput {
        number: number.into(),
        name: name.into(),
        category_id: cat.id,
        model: String::new(),
        quantity: String::new(),
        unit: String::new(),
        room: room.into(),
        department: String::new(),
        custodian: "钱保管".into(),
        acquired_on: "2024-03-15".parse().expect("date"),
        acquisition: Acquisition::Purchase,
        supplier: String::new(),
        original_value: "4650".into(),
        life: String::new(),
        status: AssetStatus::InUse,
        note: String::new(),
    };
    register::check_input(&input, Some(&cat), today(), 0, &mut |_| Ok(false)).expect("check").expect("valid")
}

fn numbers(conn: &Conn) -> NumberGen {
    NumberGen::new(&settings::load(conn).expect("settings")).expect("pattern")
}

/// The audit rows of new cards, oldest first: (card id, the card as recorded).
fn created(db: &Db) -> Vec<(String, serde_json::Value)> {
    let mut rows: Vec<_> = audit::recent(db.conn(), Some("asset"), 100_000)
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "create")
        .map(|e| (e.entity_id, e.after.expect("after")))
        .collect();
    rows.reverse();
    rows
}

#[test]
fn a_batch_of_cards_gets_the_numbers_ids_and_audit_rows_one_by_one_gets() {
    // Typed numbers among generated ones: the generator skips the typed one.
    let names = ["台式电脑", "笔记本电脑", "打印机", "扫描仪", "投影仪"];
    let typed = ["", "zc20240002", "", "PC-7", ""];
    let mut one = Db::open_scratch().expect("db");
    let mut batch = Db::open_scratch().expect("db");
    let cards: Vec<CheckedAsset> = names.iter().zip(typed).map(|(n, t)| card(&one, t, n, "办公室")).collect();
    let singles: Vec<(AssetId, String)> = one
        .with_tx(|tx| {
            let mut gen = numbers(tx);
            cards.iter().map(|c| register::insert_in_tx(tx, c, &mut gen)).collect()
        })
        .expect("one by one");
    let many = batch.with_tx(|tx| register::insert_many_in_tx(tx, &cards, &mut numbers(tx))).expect("batch");
    assert_eq!(many, singles);
    let made: Vec<&str> = many.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(made, ["ZC20240001", "zc20240002", "ZC20240003", "PC-7", "ZC20240004"]);
    // The same audit rows (their times aside).
    assert_eq!(created(&batch), created(&one));
    assert_eq!(created(&batch).len(), 5);
}

#[test]
fn an_empty_batch_writes_nothing() {
    let mut db = Db::open_scratch().expect("db");
    let audits = count(&db, "audit_log");
    let made = db.with_tx(|tx| register::insert_many_in_tx(tx, &[], &mut numbers(tx))).expect("empty");
    assert!(made.is_empty());
    assert_eq!((count(&db, "assets"), count(&db, "audit_log")), (0, audits));
}

#[test]
fn a_number_twice_in_a_batch_or_already_on_the_register_is_refused_and_nothing_saved() {
    let mut db = Db::open_scratch().expect("db");
    let first = card(&db, "PC-1", "台式电脑", "办公室");
    db.with_tx(|tx| register::insert_many_in_tx(tx, &[first], &mut numbers(tx))).expect("first");
    let audits = count(&db, "audit_log");
    // The form's message for a number in use, whichever the clash.
    for (batch, message) in [
        (
            vec![card(&db, "PC-2", "打印机", "办公室"), card(&db, "pc-2", "扫描仪", "办公室")],
            "资产编号“pc-2”已被其他资产使用",
        ),
        (
            vec![card(&db, "", "打印机", "办公室"), card(&db, "pc-1", "扫描仪", "办公室")],
            "资产编号“pc-1”已被其他资产使用",
        ),
    ] {
        let err =
            db.with_tx(|tx| register::insert_many_in_tx(tx, &batch, &mut numbers(tx))).expect_err(message).to_string();
        assert!(err.contains(message), "expected “{message}” in “{err}”");
        assert_eq!((count(&db, "assets"), count(&db, "audit_log")), (1, audits), "{message}: nothing saved");
    }
}

#[test]
fn batches_larger_than_a_chunk_write_every_card_line_and_scan_once() {
    let mut db = Db::open_scratch().expect("db");
    let cards: Vec<CheckedAsset> =
        (0..MANY).map(|i| card(&db, &format!("B{:05}", i + 1), &format!("资产{i}"), "大一班")).collect();
    let audits = count(&db, "audit_log");
    let made = db.with_tx(|tx| register::insert_many_in_tx(tx, &cards, &mut numbers(tx))).expect("cards");
    assert_eq!(made.len(), MANY);
    // Ids in the order given, each with its own number.
    for (i, (id, number)) in made.iter().enumerate() {
        assert_eq!(number, &format!("B{:05}", i + 1));
        let stored = register::get(db.conn(), *id, today()).expect("card");
        assert_eq!((stored.number.as_str(), stored.name.as_str()), (number.as_str(), format!("资产{i}").as_str()));
    }
    assert!(made.windows(2).all(|w| w[0].0 .0 < w[1].0 .0), "ids ascend in the order given");
    assert_eq!(count(&db, "audit_log"), audits + MANY as i64);
    let recorded = created(&db);
    assert_eq!(recorded.len(), MANY);
    for ((id, number), (entity, after)) in made.iter().zip(&recorded) {
        assert_eq!((entity.as_str(), after["number"].as_str()), (id.0.to_string().as_str(), Some(number.as_str())));
    }

    // A stocktake of them all: one snapshot line per card.
    let st = stocktake::start(
        &mut db,
        &StocktakeInput { name: "全面盘点".into(), started_on: today(), rooms: vec![], note: String::new() },
        today(),
    )
    .expect("start");
    assert_eq!(stocktake::lines(db.conn(), st).expect("lines").len(), MANY);

    // An empty batch of scans answers nothing and records nothing.
    let audits = count(&db, "audit_log");
    assert!(stocktake::scan_many(&mut db, st, "大一班", &[], None, None, today()).expect("empty").is_empty());
    assert_eq!(count(&db, "audit_log"), audits);

    // Every number in one batch, in another case, then three again: each
    // found once, the repeats answered as duplicates.
    let mut scans: Vec<String> = made.iter().map(|(_, n)| n.to_lowercase()).collect();
    scans.extend(made[..3].iter().map(|(_, n)| n.clone()));
    let r = stocktake::scan_many(&mut db, st, "大一班", &scans, None, None, today()).expect("scans");
    assert_eq!(r.len(), MANY + 3);
    assert!(r[..MANY].iter().all(|x| matches!(x, ScanResult::Found { .. })), "every card found");
    assert!(r[MANY..].iter().all(|x| matches!(x, ScanResult::Duplicate { .. })), "{:?}", &r[MANY..]);
    assert_eq!(count(&db, "audit_log"), audits + MANY as i64, "one audit row per scan recorded");
    let lines = stocktake::lines(db.conn(), st).expect("lines");
    assert!(lines.iter().all(|l| l.scans == 1 && l.counted_qty == 1 && l.checked_at.is_some()), "each line once");
    // The answers are the lines as stored.
    for answer in &r[..MANY] {
        let ScanResult::Found { line, .. } = answer else { unreachable!() };
        assert_eq!(Some(&**line), lines.iter().find(|l| l.id == line.id));
    }
    // Each scan's audit row names its line and records it as counted (on a
    // server, written by the same statement as the scans).
    let trail = audit::recent(db.conn(), Some("asset_stocktake_line"), 100_000).expect("audit");
    assert_eq!(trail.len(), MANY);
    let mut audited: Vec<String> = trail.iter().map(|e| e.entity_id.clone()).collect();
    audited.sort();
    let mut scanned: Vec<String> = lines.iter().map(|l| l.id.to_string()).collect();
    scanned.sort();
    assert_eq!(audited, scanned);
    for e in &trail {
        let after = e.after.as_ref().expect("after");
        assert_eq!(
            (e.action.as_str(), &after["counted_qty"], &after["checked"]),
            ("scan", &serde_json::json!(1), &serde_json::json!(true))
        );
        assert_eq!(e.before.as_ref().map(|b| b["checked"].clone()), Some(serde_json::json!(false)));
    }
    let progress = stocktake::get(db.conn(), st).expect("get");
    assert_eq!((progress.expected, progress.checked), (MANY as i64, MANY as i64));
}
