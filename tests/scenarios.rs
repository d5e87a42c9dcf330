//! Acceptance: every scenario file in the shared folder and in `tests/scenarios/refunds/`
//! is settled by the real engine and compared with its `"expected"`, to the fen.
//!
//! The shared folder sits beside the repository (`../shared/scenarios/refunds`)
//! and is run whenever it is there; a clone on its own runs its local files only.
//! `HOUQIN_SCENARIOS_DIR` points elsewhere, and then the folder must exist and
//! hold files (a mistyped path fails rather than passing silently). New files
//! are picked up without code changes.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::{Path, PathBuf};

use houqin::refund::{compare_with_expected, ScenarioDocument};
use serde_json::Value;

/// The shared folder to run, or `None` when the repository stands alone.
fn shared_dir() -> Option<PathBuf> {
    match std::env::var_os("HOUQIN_SCENARIOS_DIR") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/scenarios/refunds")).filter(|d| d.is_dir()),
    }
}

fn local_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/refunds")
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("scenario folder {} cannot be read: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Settles one file; returns every problem found, each prefixed with the file name.
fn check(path: &Path) -> Vec<String> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let doc = match ScenarioDocument::load(path) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("{name}: cannot be read: {e}")],
    };
    let Some(expected) = doc.expected.clone() else {
        return vec![format!("{name}: has no \"expected\" block")];
    };
    let actual = match doc.settle() {
        Ok(result) => result.to_expected_json(),
        Err(e) => return vec![format!("{name}: settlement failed: {e}")],
    };
    let mut problems: Vec<String> =
        compare_with_expected(&expected, &actual).into_iter().map(|d| format!("{name}: {d}")).collect();

    for child in actual["children"].as_array().into_iter().flatten() {
        for fee in child["fees"].as_array().into_iter().flatten() {
            if fee["refund_fen"].as_i64() == Some(0) {
                continue;
            }
            let lines: Vec<&str> =
                fee["explanations"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            if lines.is_empty() || !lines.iter().all(|l| has_chinese(l)) {
                problems.push(format!(
                    "{name}: child {} fee {}: refund {} without Chinese explanation lines: {lines:?}",
                    child["id"], fee["id"], fee["refund_fen"]
                ));
            }
        }
    }
    problems
}

fn run_all(dir: &Path, what: &str) -> usize {
    let files = json_files(dir);
    assert!(
        !files.is_empty(),
        "no {what} scenario files in {} — the acceptance suite must not pass empty",
        dir.display()
    );
    let problems: Vec<String> = files.iter().flat_map(|f| check(f)).collect();
    assert!(problems.is_empty(), "{} {what} scenario problem(s):\n{}", problems.len(), problems.join("\n"));
    files.len()
}

#[test]
fn shared_refund_scenarios_settle_as_expected() {
    let Some(dir) = shared_dir() else {
        eprintln!("no ../shared/scenarios/refunds beside the repository: only the local scenario files run");
        return;
    };
    let n = run_all(&dir, "shared");
    eprintln!("{n} shared scenario files settled as expected");
}

#[test]
fn local_refund_scenarios_settle_as_expected() {
    let n = run_all(&local_dir(), "local");
    eprintln!("{n} local scenario files settled as expected");
}

#[test]
fn a_wrong_expectation_is_reported_with_file_child_and_fee() {
    let dir = local_dir();
    let file = json_files(&dir).into_iter().next().expect("at least one local scenario");
    let doc = ScenarioDocument::load(&file).expect("loads");
    let mut expected = doc.expected.clone().expect("expected block");
    let fee = &mut expected["children"][0]["fees"][0];
    let wrong = fee["refund_fen"].as_i64().expect("refund_fen") + 1;
    fee["refund_fen"] = wrong.into();
    let actual = doc.settle().expect("settles").to_expected_json();
    let diffs = compare_with_expected(&expected, &actual);
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    let child = expected["children"][0]["id"].as_str().expect("id").to_string();
    assert!(diffs[0].contains(&child) && diffs[0].contains("refund_fen"), "{}", diffs[0]);
}
