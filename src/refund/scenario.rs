//! The scenario document (`shared/scenarios/README.md`): one month of one school —
//! closures, fee rules, children, absences and, optionally, the expected result.
//!
//! The same document is what `houqin settle --scenario FILE` reads and what a
//! school exports to share its rule set, so it is parsed with the very types the
//! engine and the database use ([`FeeItem`], [`EnrolledChild`], [`Absence`]) and run
//! through the very same [`settle_month`]. The output of
//! [`SettlementResult::to_expected_json`] has the shape of `"expected"`, with the
//! explanation lines and a few totals added.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::calendar::{Closure, HolidayTable, SchoolCalendar};
use crate::dates::YearMonth;
use crate::error::{Error, FieldProblem, Result};

use super::engine::{settle_month, Absence, EnrolledChild, SettlementInput, SettlementResult};
use super::explain;
use super::rules::FeeItem;
use super::waiver::{apply_waivers, WaiverInForce, WaiverShare};
use crate::money::Fen;

/// A closure as written in a scenario document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioClosure {
    /// First closed day.
    #[serde(deserialize_with = "super::de::de_date")]
    pub from: NaiveDate,
    /// Last closed day (inclusive).
    #[serde(deserialize_with = "super::de::de_date")]
    pub to: NaiveDate,
    /// Why (暑假, 台风停课…).
    #[serde(default)]
    pub reason: String,
    /// `true`: unplanned, stays in the charge basis; `false`: a planned break.
    pub charged: bool,
}

/// A waiver or subsidy (减免、资助) in force in the scenario's month: a whole
/// `percent` (1–100) or a fixed `amount` in 元 a month, exactly one. Optional
/// in a document: files without `waivers` read and settle as before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioWaiver {
    /// The child's id.
    #[serde(deserialize_with = "super::de::de_id")]
    pub child: String,
    /// The fee item's id.
    pub fee: String,
    /// 学前教育资助, 孤儿/残疾儿童 … (words for the explanation).
    #[serde(default)]
    pub kind: String,
    /// 文号.
    #[serde(default)]
    pub doc_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u32>,
    /// 元, as people write it (`"200.00"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
}

impl ScenarioWaiver {
    fn in_force(&self) -> Result<WaiverInForce> {
        let share = match (self.percent, self.amount.as_deref()) {
            (Some(p), None) if (1..=100).contains(&p) => WaiverShare::Percent(p),
            (None, Some(a)) => match Fen::parse(a)? {
                f if f > Fen::ZERO => WaiverShare::Amount(f),
                _ => return Err(Error::invalid(format!("幼儿 {} 的减免金额“{a}”必须大于 0", self.child))),
            },
            _ => {
                return Err(Error::invalid(format!(
                    "幼儿 {} 的减免须填写 percent(1–100)或 amount 中的一个",
                    self.child
                )))
            }
        };
        Ok(WaiverInForce {
            child: self.child.clone(),
            fee_id: self.fee.clone(),
            kind: self.kind.clone(),
            doc_no: self.doc_no.clone(),
            share,
        })
    }
}

/// One month of one school, as in `shared/scenarios/refunds/*.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioDocument {
    /// Where the rule comes from.
    #[serde(default)]
    pub source: String,
    /// The month settled.
    pub month: YearMonth,
    /// The school's closures (of this month and of earlier months a run reaches back to).
    #[serde(default)]
    pub closures: Vec<ScenarioClosure>,
    /// The school's fee items.
    pub fees: Vec<FeeItem>,
    /// The children.
    #[serde(default)]
    pub children: Vec<EnrolledChild>,
    /// Their leave records.
    #[serde(default)]
    pub absences: Vec<Absence>,
    /// Waivers and subsidies in force in the month (applied after the refunds).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<ScenarioWaiver>,
    /// The result the document expects, in the shape of [`SettlementResult::to_expected_json`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
}

impl ScenarioDocument {
    /// Parses a document and checks its closures; rules and absences are checked when run.
    pub fn from_json(text: &str) -> Result<ScenarioDocument> {
        Self::parse(text, "场景文件")
    }

    /// [`ScenarioDocument::from_json`], naming the text in errors as `what`
    /// (a shared rule file is the same shape: 规则文件).
    pub fn parse(text: &str, what: &str) -> Result<ScenarioDocument> {
        let doc: ScenarioDocument = serde_json::from_str(text).map_err(|e| crate::error::json_error(what, text, &e))?;
        let problems: Vec<FieldProblem> = doc
            .closures
            .iter()
            .filter(|c| c.to < c.from)
            .map(|c| FieldProblem {
                row: 0,
                column: "停课".into(),
                reason: format!(
                    "停课“{}”的结束日期 {} 早于开始日期 {}",
                    c.reason,
                    explain::date(c.to),
                    explain::date(c.from)
                ),
            })
            .collect();
        if !problems.is_empty() {
            return Err(Error::Rejected { problems });
        }
        Ok(doc)
    }

    /// Reads and parses a document from a file; the file name is in any error.
    pub fn load(path: &Path) -> Result<ScenarioDocument> {
        let text = std::fs::read_to_string(path)?;
        ScenarioDocument::from_json(&text).map_err(|e| match e {
            Error::Invalid(msg) => Error::invalid(format!("{}:{msg}", path.display())),
            other => other,
        })
    }

    /// The built-in national schedule with this document's closures.
    pub fn calendar(&self) -> SchoolCalendar {
        let closures = self
            .closures
            .iter()
            .map(|c| Closure { from: c.from, to: c.to, reason: c.reason.clone(), charged: c.charged })
            .collect();
        SchoolCalendar::new(HolidayTable::builtin().clone(), closures)
    }

    /// Settles the month with the same engine the app uses.
    pub fn settle(&self) -> Result<SettlementResult> {
        let calendar = self.calendar();
        let mut result = settle_month(&SettlementInput {
            month: self.month,
            calendar: &calendar,
            fees: &self.fees,
            children: &self.children,
            absences: &self.absences,
        })?;
        // A typo in a waiver's child or fee would otherwise settle as if the
        // waiver were not there, and pass unless `expected` pins it.
        for w in &self.waivers {
            if !self.children.iter().any(|c| c.id == w.child) {
                return Err(Error::invalid(format!("减免中的幼儿“{}”不在 children 中", w.child)));
            }
            if !self.fees.iter().any(|f| f.id == w.fee) {
                return Err(Error::invalid(format!("幼儿 {} 的减免项目“{}”不在 fees 中", w.child, w.fee)));
            }
        }
        let waivers = self.waivers.iter().map(ScenarioWaiver::in_force).collect::<Result<Vec<_>>>()?;
        apply_waivers(&mut result, &waivers)?;
        Ok(result)
    }
}

impl SettlementResult {
    /// The result in the shape of a scenario's `"expected"`, plus names, charges and explanations.
    pub fn to_expected_json(&self) -> Value {
        let children: Vec<Value> = self
            .children
            .iter()
            .map(|c| {
                let fees: Vec<Value> = c
                    .fees
                    .iter()
                    .map(|f| {
                        with_waiver(
                            json!({
                                "id": f.fee_id,
                                "name": f.fee_name,
                                "charged_fen": f.charged.as_i64(),
                                "refund_fen": f.refund.as_i64(),
                                "explanations": f.explanations(),
                            }),
                            f.waiver,
                        )
                    })
                    .collect();
                with_waiver(
                    json!({
                        "id": c.child_id,
                        "name": c.name,
                        "class": c.class,
                        "attended_days": c.attended_days,
                        "fees": fees,
                        "charged_fen": c.charged.as_i64(),
                        "refund_fen": c.refund.as_i64(),
                    }),
                    c.waiver,
                )
            })
            .collect();
        let classes: Vec<Value> = self
            .classes
            .iter()
            .map(|k| {
                json!({
                    "class": k.class,
                    "children": k.children,
                    "charged_fen": k.charged.as_i64(),
                    "refund_fen": k.refund.as_i64(),
                })
            })
            .collect();
        with_waiver(
            json!({
                "month": self.month.to_string(),
                "legal_working_days": self.legal_working_days,
                "school_days": self.school_days,
                "children": children,
                "classes": classes,
                "charged_fen": self.charged.as_i64(),
                "refund_fen": self.refund.as_i64(),
            }),
            self.waiver,
        )
    }
}

/// `v` with `"waiver_fen"` when there is a waiver: documents without
/// waivers keep the shape they always had.
fn with_waiver(mut v: Value, waiver: Fen) -> Value {
    if waiver != Fen::ZERO {
        v["waiver_fen"] = json!(waiver.as_i64());
    }
    v
}

/// Reads a scenario file, settles it and returns the result in the shape of `"expected"`.
pub fn run_scenario_file(path: &Path) -> Result<Value> {
    Ok(ScenarioDocument::load(path)?.settle()?.to_expected_json())
}

/// Every difference between an `"expected"` block and a result from
/// [`SettlementResult::to_expected_json`], one line each naming child and fee;
/// empty when they agree. Fields the expected block leaves out are not compared.
pub fn compare_with_expected(expected: &Value, actual: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    for key in ["legal_working_days", "school_days", "refund_fen", "charged_fen", "waiver_fen"] {
        if let Some(e) = expected.get(key) {
            if actual.get(key).unwrap_or(&json!(0)) != e {
                diffs.push(format!("{key}:期望 {e},实际 {}", show(actual.get(key))));
            }
        }
    }
    let by_id = |v: &Value, list: &str| -> Vec<(String, Value)> {
        v.get(list)
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|x| (id_text(x.get("id")), x.clone())).collect())
            .unwrap_or_default()
    };
    let actual_children = by_id(actual, "children");
    let expected_children = by_id(expected, "children");
    for (id, ec) in &expected_children {
        let Some((_, ac)) = actual_children.iter().find(|(a, _)| a == id) else {
            diffs.push(format!("幼儿 {id}:结果中没有这个幼儿"));
            continue;
        };
        for key in ["refund_fen", "charged_fen", "waiver_fen"] {
            if let Some(e) = ec.get(key) {
                if ac.get(key).unwrap_or(&json!(0)) != e {
                    diffs.push(format!("幼儿 {id} · {key}:期望 {e},实际 {}", show(ac.get(key))));
                }
            }
        }
        let actual_fees = by_id(ac, "fees");
        for (fee, ef) in by_id(ec, "fees") {
            let Some((_, af)) = actual_fees.iter().find(|(a, _)| *a == fee) else {
                diffs.push(format!("幼儿 {id} · 费用 {fee}:结果中没有这个费用项目"));
                continue;
            };
            for key in ["charged_fen", "refund_fen", "waiver_fen"] {
                if let Some(e) = ef.get(key) {
                    if af.get(key).unwrap_or(&json!(0)) != e {
                        let why = af.get("explanations").map(|x| x.to_string()).unwrap_or_default();
                        diffs.push(format!(
                            "幼儿 {id} · 费用 {fee} · {key}:期望 {e},实际 {};说明:{why}",
                            show(af.get(key))
                        ));
                    }
                }
            }
        }
    }
    if expected.get("children").is_some() {
        for (id, _) in &actual_children {
            if !expected_children.iter().any(|(e, _)| e == id) {
                diffs.push(format!("幼儿 {id}:结果中有,期望中没有"));
            }
        }
    }
    diffs
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "(无)".to_string(), Value::to_string)
}

fn id_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(month: &str, closures: Value, absences: Value) -> Value {
        json!({
            "source": "test", "month": month, "closures": closures,
            "fees": [{"id": "meal", "name": "伙食费", "charge": {"per_day": "10.00"},
                      "refund": {"per_day": {"min_run": 1, "unrefunded_per_run": 0, "kinds": ["sick"]}}}],
            "children": [{"id": 7, "name": "王小明", "class": "大一班", "enrolled": "2024-09-01", "left": null}],
            "absences": absences
        })
    }

    fn err(v: Value) -> String {
        match ScenarioDocument::from_json(&v.to_string()).and_then(|d| d.settle()) {
            Ok(_) => panic!("should be rejected: {v}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn numeric_ids_and_lenient_dates_are_read() {
        let v = doc(
            "2024-11",
            json!([]),
            json!([{"child": 7, "from": "2024/11/4", "to": "2024年11月5日", "kind": "病假"}]),
        );
        let out = ScenarioDocument::from_json(&v.to_string()).expect("parses").settle().expect("settles");
        let json = out.to_expected_json();
        assert_eq!(json["children"][0]["id"], "7");
        assert_eq!(json["refund_fen"], 2000);
        assert!(compare_with_expected(
            &json!({"refund_fen": 2000, "children": [{"id": "7", "refund_fen": 2000}]}),
            &json
        )
        .is_empty());
    }

    #[test]
    fn bad_documents_get_chinese_messages() {
        assert!(err(doc("2024-13", json!([]), json!([]))).contains("不是有效的月份"));
        assert!(err(doc(
            "2024-11",
            json!([]),
            json!([{"child": 7, "from": "2024-11-31", "to": "2024-11-30", "kind": "sick"}])
        ))
        .contains("不是有效的日期"));
        assert!(err(doc(
            "2024-11",
            json!([]),
            json!([{"child": 7, "from": "2024-11-04", "to": "2024-11-05", "kind": "holiday"}])
        ))
        .contains("未知的请假类型"));
        assert!(err(doc(
            "2024-11",
            json!([{"from": "2024-11-08", "to": "2024-11-04", "reason": "停电", "charged": true}]),
            json!([])
        ))
        .contains("早于开始日期"));
        assert!(err(doc(
            "2024-11",
            json!([]),
            json!([{"child": 7, "from": "2024-08-01", "to": "2024-08-05", "kind": "sick"}])
        ))
        .contains("不在园"));
    }

    #[test]
    fn a_waiver_naming_an_unknown_child_or_fee_is_refused_not_ignored() {
        let with = |waiver: Value| {
            let mut v = doc("2024-11", json!([]), json!([]));
            v["waivers"] = json!([waiver]);
            v
        };
        assert!(err(with(json!({"child": 8, "fee": "meal", "percent": 50}))).contains("不在 children 中"));
        assert!(err(with(json!({"child": 7, "fee": "care", "percent": 50}))).contains("不在 fees 中"));
        let ok = with(json!({"child": 7, "fee": "meal", "percent": 50}));
        let out = ScenarioDocument::from_json(&ok.to_string()).expect("parses").settle().expect("settles");
        assert_eq!(out.to_expected_json()["waiver_fen"], json!(out.charged.as_i64() / 2));
    }

    #[test]
    fn missing_or_extra_children_are_reported() {
        let actual = json!({"children": [{"id": "a", "refund_fen": 0, "fees": []}]});
        let diffs = compare_with_expected(&json!({"children": [{"id": "b", "refund_fen": 0, "fees": []}]}), &actual);
        assert_eq!(diffs.len(), 2, "{diffs:?}");
    }
}
