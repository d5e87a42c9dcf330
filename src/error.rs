//! The one error type the core hands out. Each variant carries what a person
//! needs to fix the problem; `Display` is the Chinese message shown in the UI and
//! on the command line. Only the edges (CLI, Tauri shell) decide how to show it.

use serde::Serialize;

use crate::money::MoneyError;

/// A problem in one row of an imported file, or one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// 1-based row number as the user sees it in the spreadsheet (header = row 1); 0 for a form.
    pub row: usize,
    /// The column or field, in the user's words (e.g. 出生日期).
    pub column: String,
    /// What is wrong, in Chinese.
    pub reason: String,
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.row > 0 {
            write!(f, "第{}行 [{}]:{}", self.row, self.column, self.reason)
        } else {
            write!(f, "[{}]:{}", self.column, self.reason)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that breaks a rule; the message says which and how to fix it.
    #[error("{0}")]
    Invalid(String),

    /// A thing that was asked for does not exist.
    #[error("找不到{what}:{key}")]
    NotFound { what: &'static str, key: String },

    /// A change that clashes with what is stored (duplicate 学号, closed month…).
    #[error("{0}")]
    Conflict(String),

    /// An import or form with one or more bad rows; nothing was written.
    #[error("{}", rejected_message(.problems))]
    Rejected { problems: Vec<FieldProblem> },

    #[error(transparent)]
    Money(#[from] MoneyError),

    #[error("文件读写失败:{0}")]
    Io(#[from] std::io::Error),

    /// SQLite failed underneath us. The detail is kept for the log; the message
    /// tells the user their data was not changed.
    #[error("数据库操作失败,本次修改未保存。(详情:{0})")]
    Database(#[from] rusqlite::Error),

    /// The database file could not be opened or upgraded (damaged, locked, not SQLite).
    #[error(
        "无法打开数据库文件 {path}:{detail}。请检查文件是否损坏或正被其他程序使用;升级前的备份(*.bak)在同一文件夹中。"
    )]
    CannotOpen { path: String, detail: String },

    #[error("数据库文件的版本({found})比本程序支持的({supported})新,请升级程序后再打开")]
    SchemaTooNew { found: i64, supported: i64 },
}

fn rejected_message(problems: &[FieldProblem]) -> String {
    let mut s = format!("有 {} 处错误,没有保存任何数据:", problems.len());
    for p in problems.iter().take(50) {
        s.push('\n');
        s.push_str(&p.to_string());
    }
    if problems.len() > 50 {
        s.push_str(&format!("\n……另有 {} 处错误未列出", problems.len() - 50));
    }
    s
}

impl Error {
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }
    pub fn conflict(msg: impl Into<String>) -> Self {
        Error::Conflict(msg.into())
    }
    pub fn not_found(what: &'static str, key: impl ToString) -> Self {
        Error::NotFound { what, key: key.to_string() }
    }

    /// A stable machine name for the variant (the `type` of the UI's error JSON).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "Invalid",
            Error::NotFound { .. } => "NotFound",
            Error::Conflict(_) => "Conflict",
            Error::Rejected { .. } => "Rejected",
            Error::Money(_) => "Invalid",
            Error::Io(_) => "Io",
            Error::Database(_) => "Database",
            Error::SchemaTooNew { .. } => "SchemaTooNew",
            Error::CannotOpen { .. } => "CannotOpen",
        }
    }
}

/// Errors as the UI receives them: `{"type": "...", "message": "...", "problems": [...]}`.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FieldProblem>,
}

impl From<&Error> for ErrorView {
    fn from(e: &Error) -> Self {
        ErrorView {
            kind: e.kind(),
            message: e.to_string(),
            problems: match e {
                Error::Rejected { problems } => problems.clone(),
                _ => Vec::new(),
            },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_json_is_pinned() {
        let e = Error::Rejected {
            problems: vec![FieldProblem {
                row: 3, column: "班级".into(), reason: "没有名为“大九班”的班级".into()
            }],
        };
        let json = serde_json::to_value(ErrorView::from(&e)).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({
                "type": "Rejected",
                "message": "有 1 处错误,没有保存任何数据:\n第3行 [班级]:没有名为“大九班”的班级",
                "problems": [{"row": 3, "column": "班级", "reason": "没有名为“大九班”的班级"}]
            })
        );
        let nf = serde_json::to_value(ErrorView::from(&Error::not_found("幼儿", 7))).expect("serialises");
        assert_eq!(nf, serde_json::json!({"type": "NotFound", "message": "找不到幼儿:7"}));
    }
}
