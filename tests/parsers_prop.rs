//! Property tests of the parsers users feed files to (issue 12 §7): import
//! rows (CSV and xlsx), scenario and fee-rule JSON. Whatever the input, they
//! answer Ok or a Chinese refusal — never a panic — and a refused import
//! writes nothing. (Money, dates and text fields have theirs beside them in
//! `src/`.) Failures found become regression tests at the bottom.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use proptest::prelude::*;

use houqin::db::Db;
use houqin::refund::{FeeItem, ScenarioDocument};
use houqin::school::classes::{self, ClassInput};
use houqin::school::Grade;

/// A school with one class, for imports to land in.
fn school() -> Db {
    let mut db = Db::open_scratch().expect("db");
    classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "".into() })
        .expect("class");
    db
}

fn children_count(db: &Db) -> i64 {
    db.conn().value("SELECT COUNT(*) FROM children", &[]).expect("count")
}

/// Cells as people type them: names, dates in many forms, numbers, blanks,
/// quotes and commas, rare characters, and some garbage.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("王小明".to_string()),
        Just("欧阳䶮𠮷".to_string()),
        Just("大一班".to_string()),
        Just("男".to_string()),
        Just("女".to_string()),
        Just("2024-09-01".to_string()),
        Just("2024/9/1".to_string()),
        Just("2024年9月1日".to_string()),
        Just("45536".to_string()),
        Just("13800000000".to_string()),
        "[0-9]{1,8}",
        "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
        "\\PC{0,12}",
        ".{0,20}",
    ]
}

const HEADER: &str = "姓名,性别,出生日期,班级,学号,家长姓名,联系电话,入园日期";

fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any rows under the real header: imported whole, or refused with nothing written.
    #[test]
    fn child_import_rows_import_whole_or_not_at_all(rows in prop::collection::vec(prop::collection::vec(cell(), 0..10), 0..8)) {
        let mut db = school();
        let mut text = format!("{HEADER}\n");
        for r in &rows {
            text.push_str(&r.iter().map(|c| csv_quote(c)).collect::<Vec<_>>().join(","));
            text.push('\n');
        }
        let result = houqin::import::children::import_bytes(&mut db, "幼儿.csv", text.as_bytes(), &mut |_, _| {});
        match result {
            Ok(summary) => prop_assert_eq!(children_count(&db), summary.imported as i64),
            Err(e) => {
                prop_assert_eq!(children_count(&db), 0, "refused, nothing written: {}", e);
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    /// Any bytes as a CSV or an xlsx file: a refusal in Chinese, never a panic.
    #[test]
    fn any_file_bytes_are_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..400), xlsx in any::<bool>()) {
        let name = if xlsx { "幼儿.xlsx" } else { "幼儿.csv" };
        let mut db = school();
        if let Err(e) = houqin::import::children::import_bytes(&mut db, name, &bytes, &mut |_, _| {}) {
            prop_assert!(e.to_string().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "Chinese: {}", e);
        }
        prop_assert!(children_count(&db) <= 1);
    }

    /// A real scenario file with one character changed anywhere: parsed and
    /// settled, or refused — never a panic.
    #[test]
    fn a_scenario_with_a_typo_is_settled_or_refused(pos in 0usize..10_000, replacement in "\\PC") {
        let text = include_str!("../tests/scenarios/refunds/fixed-divisor-22-monthly-meal.json");
        let mut chars: Vec<char> = text.chars().collect();
        let i = pos % chars.len();
        chars.splice(i..=i, replacement.chars());
        let changed: String = chars.into_iter().collect();
        if let Ok(doc) = ScenarioDocument::parse(&changed, "场景文件") {
            let _ = doc.settle();
        }
    }

    /// Any JSON value as a fee item: an item or a refusal, never a panic.
    #[test]
    fn any_json_is_a_fee_item_or_a_refusal(json in json_value(3)) {
        let text = json.to_string();
        if let Err(e) = FeeItem::from_json(&text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }
}

/// Arbitrary JSON, shaped like fee rules often enough to reach deep checks.
fn json_value(depth: u32) -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        prop_oneof![
            Just("meal".to_string()),
            Just("伙食费".to_string()),
            Just("15.00".to_string()),
            Just("99999999.99".to_string()),
            Just("legal_working_days".to_string()),
            Just("half".to_string()),
            Just("sick".to_string()),
            ".{0,8}",
        ]
        .prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(depth, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("id".to_string()),
                        Just("name".to_string()),
                        Just("charge".to_string()),
                        Just("refund".to_string()),
                        Just("per_day".to_string()),
                        Just("monthly".to_string()),
                        Just("divisor".to_string()),
                        Just("tiers".to_string()),
                        Just("min_run".to_string()),
                        Just("kinds".to_string()),
                        ".{0,6}",
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}
