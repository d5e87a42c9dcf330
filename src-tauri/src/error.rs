//! The error every command returns. It serialises exactly as the core's
//! [`ErrorView`] (`{"type", "code", "data", "message", "problems"}`), so the UI has one shape to
//! show, whatever went wrong: a rule the core refused, or the shell itself
//! (the database did not open, a background task died).

use houqin::error::ErrorView;
use serde::{Serialize, Serializer};

/// A command failure, as the UI receives it.
#[derive(Debug, Clone)]
pub struct AppError(pub ErrorView);

impl AppError {
    /// A failure of the shell rather than of a core rule.
    pub fn internal(message: impl Into<String>) -> Self {
        AppError(ErrorView {
            kind: "Internal",
            code: "internal",
            data: serde_json::Map::new(),
            message: message.into(),
            problems: Vec::new(),
        })
    }
}

impl From<houqin::Error> for AppError {
    fn from(e: houqin::Error) -> Self {
        AppError(ErrorView::from(&e))
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use houqin::error::FieldProblem;
    use serde_json::json;

    #[test]
    fn core_error_reaches_the_ui_as_error_view_json() {
        let e = AppError::from(houqin::Error::invalid("请填写班级名称"));
        assert_eq!(
            serde_json::to_value(&e).expect("json"),
            json!({"type": "Invalid", "code": "invalid", "message": "请填写班级名称"})
        );
    }

    #[test]
    fn rejected_import_keeps_every_problem() {
        let e = AppError::from(houqin::Error::Rejected {
            problems: vec![
                FieldProblem { row: 3, column: "班级".into(), reason: "没有名为“大九班”的班级".into() },
                FieldProblem {
                    row: 7, column: "出生日期".into(), reason: "“2020-13-01”不是有效的日期".into()
                },
            ],
        });
        let v = serde_json::to_value(&e).expect("json");
        assert_eq!(v["type"], "Rejected");
        assert_eq!(v["problems"].as_array().map(Vec::len), Some(2));
        assert_eq!(v["problems"][1], json!({"row": 7, "column": "出生日期", "reason": "“2020-13-01”不是有效的日期"}));
        assert!(v["message"].as_str().is_some_and(|m| m.starts_with("有 2 处错误,没有保存任何数据")));
    }

    #[test]
    fn shell_errors_have_the_same_shape() {
        let e = AppError::internal("后台任务意外中止");
        assert_eq!(
            serde_json::to_value(&e).expect("json"),
            json!({"type": "Internal", "code": "internal", "message": "后台任务意外中止"})
        );
    }
}
