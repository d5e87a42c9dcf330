//! The one error type the core hands out. Each variant carries what a person
//! needs to fix the problem; `Display` is the Chinese message shown in the UI and
//! on the command line. Only the edges (CLI, Tauri shell) decide how to show it.

use serde::Serialize;

use crate::money::MoneyError;

/// A problem in one row of an imported file, or one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// A refusal a screen or a script acts on. The code is stable: the UI and the
/// `--json` command line branch on it, never on the Chinese message, so a
/// message can be reworded freely. Add a code when something must react to a
/// refusal; a refusal that is only shown stays [`Error::Invalid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The month is not closed yet (data: `month`); the offer is 去月结.
    MonthNotClosed,
    /// No fee rule applies to the month (data: `month`); the offer is 去设置收费项目.
    NoFeeRules,
    /// The school's name and details are not filled in; the offer is 去填写学校信息.
    SchoolProfileMissing,
    /// The meal account's settings are missing (data: `what`); the offer is 伙食账设置.
    MealAccountSettingsMissing,
    /// Issuing more than the stock holds (data: `item`, `on_hand`, `wanted`, `unit`).
    StockInsufficient,
    /// A meal served on a day the children are not in school needs the 非在园日供餐 reason (data: `date`).
    OffDayMealReasonNeeded,
    /// Printing a month's notices while an earlier closed month's were never
    /// printed (data: `month`, `families`); the offer is 仍然打印 (`--force`).
    EarlierNoticesUnprinted,
}

impl Code {
    /// The code as it appears in JSON (`month_not_closed`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::MonthNotClosed => "month_not_closed",
            Code::NoFeeRules => "no_fee_rules",
            Code::SchoolProfileMissing => "school_profile_missing",
            Code::MealAccountSettingsMissing => "meal_account_settings_missing",
            Code::StockInsufficient => "stock_insufficient",
            Code::OffDayMealReasonNeeded => "off_day_meal_reason_needed",
            Code::EarlierNoticesUnprinted => "earlier_notices_unprinted",
        }
    }

    /// Every code, for the test that pins their JSON.
    pub const ALL: [Code; 7] = [
        Code::MonthNotClosed,
        Code::NoFeeRules,
        Code::SchoolProfileMissing,
        Code::MealAccountSettingsMissing,
        Code::StockInsufficient,
        Code::OffDayMealReasonNeeded,
        Code::EarlierNoticesUnprinted,
    ];

    /// Whether the refusal clashes with what is stored (`Conflict`) or with
    /// what was typed (`Invalid`): the error's `type`.
    fn kind(self) -> &'static str {
        match self {
            Code::StockInsufficient | Code::OffDayMealReasonNeeded | Code::EarlierNoticesUnprinted => "Conflict",
            _ => "Invalid",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that breaks a rule; the message says which and how to fix it.
    #[error("{0}")]
    Invalid(String),

    /// A refusal with a stable [`Code`] and the facts a screen needs to act on
    /// it (`data`, e.g. the month); the message is for people.
    #[error("{message}")]
    Refused { code: Code, data: Vec<(&'static str, String)>, message: String },

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

    /// A wrong user name or password (which one is not said).
    #[error("用户名或密码不对")]
    SignInRefused,

    /// This database asks everyone to sign in, and nobody has.
    #[error("请先登录")]
    SignInNeeded,

    /// The signed-in person's role may not change this kind of data.
    #[error("{user}({role})没有权限修改{job},本次修改未保存。请用有权限的账号登录。")]
    Forbidden { user: String, role: &'static str, job: &'static str },

    #[error("文件读写失败:{0}")]
    Io(#[from] std::io::Error),

    /// An output file could not be written (full disk, missing folder, a file
    /// held open by another program). An earlier file at `path` is untouched.
    #[error("无法保存文件“{path}”:{reason}{}", if *.kept_earlier { "(原有的同名文件没有改动)" } else { "" })]
    FileNotSaved { path: String, reason: String, kept_earlier: bool },

    /// Another program (or another window of this one) kept the database file
    /// locked for longer than the busy timeout. Nothing is wrong with the data.
    #[error(
        "数据库文件正被另一个程序使用,暂时无法读写,本次修改未保存。\
         请稍后再试;如果一直这样,请关闭其他打开这个数据库文件的后勤窗口或程序。"
    )]
    Busy,

    /// On a school's server, another PC held the write lock longer than the
    /// wait allows (a month being closed, a long import). Nothing was changed.
    #[error("另一台电脑正在保存数据,等待超时,本次修改未保存。请稍后再试。")]
    ServerBusy,

    /// The database failed underneath us. The detail is kept for the log; the
    /// message tells the user their data was not changed.
    #[error("数据库操作失败,本次修改未保存。(详情:{0})")]
    Database(crate::store::StoreError),

    /// The school's database server could not be reached (or the connection broke).
    #[error(
        "无法连接数据库服务器 {server}:{detail}。请检查服务器是否开机、网络是否连通、地址和端口是否正确;本次操作未保存。"
    )]
    ServerUnreachable { server: String, detail: String },

    /// The server refused the database account (user name or password).
    #[error("数据库服务器 {server} 拒绝了连接:{detail}。请检查数据库用户名和密码。")]
    ServerRefused { server: String, detail: String },

    /// The database file could not be opened or upgraded (not SQLite, unreadable).
    #[error("无法打开数据库文件 {path}:{detail}。{}", backup_hint(.backup))]
    CannotOpen { path: String, detail: String, backup: Option<String> },

    /// The file opens but SQLite's check, or the check of its tables, finds it
    /// damaged: it is not opened, so nothing is written into it.
    #[error("数据库文件 {path} 已损坏({problems}),为防止损坏扩大,没有打开。{}", backup_hint(.backup))]
    Damaged { path: String, problems: String, backup: Option<String> },

    #[error("数据库文件的版本({found})比本程序支持的({supported})新,请升级程序后再打开")]
    SchemaTooNew { found: i64, supported: i64 },

    /// The file records a schema step that differs from the one built into this
    /// program (a released migration was edited): opening it could damage it.
    #[error(
        "数据库文件记录的第 {version} 步结构升级({name})与本程序内置的不一致,为保护数据没有打开。\
         请使用与这个文件匹配的程序版本,或联系技术支持。"
    )]
    MigrationChanged { version: i64, name: String },
}

impl From<crate::store::StoreError> for Error {
    /// A locked or busy database is its own message: the user can simply try again.
    fn from(e: crate::store::StoreError) -> Self {
        match e.kind {
            crate::store::StoreErrorKind::Busy => Error::Busy,
            crate::store::StoreErrorKind::LockTimeout => Error::ServerBusy,
            // The connection broke mid-session (the next action reconnects).
            crate::store::StoreErrorKind::Connection => {
                Error::ServerUnreachable { server: "数据库服务器".into(), detail: e.message }
            }
            _ => Error::Database(e),
        }
    }
}

/// A JSON file or text that did not parse, in Chinese: `what` names it in the
/// user's words (规则文件, 场景文件), the position is 第 N 行第 M 列 in characters
/// of `text` (serde counts bytes; an editor counts 保教费 as 3 columns, not 9).
/// Our own deserialisers already speak Chinese; serde's stock messages are translated.
pub fn json_error(what: &str, text: &str, e: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let full = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&position).unwrap_or(&full);
    let reason = match e.classify() {
        Category::Eof => "内容不完整,在结尾处中断了".to_string(),
        Category::Syntax => "不是有效的 JSON(可能缺少逗号、引号或括号)".to_string(),
        Category::Io => format!("无法读取:{message}"),
        Category::Data => serde_message(message),
    };
    let column = text
        .lines()
        .nth(e.line().saturating_sub(1))
        .map(|line| {
            let mut end = e.column().min(line.len());
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            // A column inside a character (a multi-byte one) points at that character.
            line[..end].chars().count() + usize::from(end < e.column().min(line.len()))
        })
        .unwrap_or(e.column());
    Error::Invalid(match (e.line(), column) {
        (0, _) => format!("{what}格式有误:{reason}"),
        // Column 0: the end of the text, after the last line break.
        (line, 0) => format!("{what}格式有误:{reason}(第 {line} 行)"),
        (line, column) => format!("{what}格式有误:{reason}(第 {line} 行第 {column} 列)"),
    })
}

/// serde's stock data messages in Chinese; anything else (our own messages) as is.
fn serde_message(message: &str) -> String {
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or(s).to_string();
    let value = |s: &str| {
        let s = s.trim();
        let (kind, rest) = s.split_once(' ').unwrap_or((s, ""));
        let rest = rest.trim_matches(|c| c == '`' || c == '"');
        match kind {
            "string" => format!("文字“{rest}”"),
            "integer" | "floating" => rest.trim_start_matches("point ").trim_matches('`').to_string(),
            "boolean" => rest.to_string(),
            "null" => "空值".to_string(),
            "map" => "一个对象 {…}".to_string(),
            "sequence" => "一个列表 […]".to_string(),
            _ => s.to_string(),
        }
    };
    // "expected `a`, `b` or `c`" → a、b、c
    let options = |expected: &str| -> String { expected.split('`').skip(1).step_by(2).collect::<Vec<_>>().join("、") };
    let wanted = |expected: &str| match expected.trim() {
        "a string" | "a borrowed string" => ",应为文字",
        "a boolean" => ",应为 true 或 false",
        "a sequence" => ",应为列表 […]",
        e if e.starts_with("struct ") || e == "a map" => ",应为对象 {…}",
        e if e.starts_with('u') || e.starts_with('i') || e.contains("integer") => ",应为整数",
        _ => "",
    };
    if let Some(rest) = message.strip_prefix("missing field ") {
        format!("缺少字段 {}", quoted(rest))
    } else if let Some(rest) = message.strip_prefix("unknown field ") {
        match rest.split_once(", expected ") {
            Some((got, expected)) if !options(expected).is_empty() => {
                format!("不认识的字段 {},可用的字段:{}", quoted(got), options(expected))
            }
            _ => format!("不认识的字段 {}", quoted(rest)),
        }
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        match rest.split_once(", expected ") {
            Some((got, expected)) if !options(expected).is_empty() => {
                format!("不认识的取值 {},应为 {} 之一", quoted(got), options(expected))
            }
            _ => format!("不认识的取值 {}", quoted(rest)),
        }
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!("取值类型不对:这里不能是 {}{}", value(got), wanted(expected))
    } else if let Some(rest) = message.strip_prefix("invalid value: ") {
        let got = rest.split(", expected").next().unwrap_or(rest);
        format!("取值无效:{}", value(got))
    } else if message.starts_with("invalid length") {
        "列表的长度不对".to_string()
    } else if let Some(rest) = message.strip_prefix("duplicate field ") {
        format!("字段 {} 重复出现", quoted(rest))
    } else {
        message.to_string()
    }
}

/// Names the newest backup if there is one; never a file that does not exist.
fn backup_hint(backup: &Option<String>) -> String {
    match backup {
        Some(b) => format!("可以用最近的备份恢复:{b}(在程序中选择“恢复备份”,或运行 houqin backup restore 该文件)。"),
        None => "没有找到这个文件的备份;请检查文件是否被其他程序改动,或联系技术支持。".into(),
    }
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
    /// A refusal with a stable code; add its facts with [`Error::with`].
    pub fn refused(code: Code, message: impl Into<String>) -> Self {
        Error::Refused { code, data: Vec::new(), message: message.into() }
    }
    /// Adds a fact to a [`Error::Refused`] (other errors are returned unchanged).
    pub fn with(mut self, key: &'static str, value: impl ToString) -> Self {
        if let Error::Refused { data, .. } = &mut self {
            data.push((key, value.to_string()));
        }
        self
    }

    /// The refusal's code, when it has one.
    pub fn refusal(&self) -> Option<Code> {
        match self {
            Error::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// A stable snake_case name of what went wrong: the refusal's code, or
    /// the kind of error for the others. The `code` of the error JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Refused { code, .. } => code.as_str(),
            Error::Invalid(_) => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::Conflict(_) => "conflict",
            Error::Rejected { .. } => "rejected",
            Error::Money(_) => "invalid_amount",
            Error::SignInRefused => "sign_in_refused",
            Error::SignInNeeded => "sign_in_needed",
            Error::Forbidden { .. } => "forbidden",
            Error::Io(_) => "io",
            Error::FileNotSaved { .. } => "file_not_saved",
            Error::Busy => "busy",
            Error::ServerBusy => "server_busy",
            Error::Database(_) => "database",
            Error::ServerUnreachable { .. } => "server_unreachable",
            Error::ServerRefused { .. } => "server_refused",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::CannotOpen { .. } => "cannot_open",
            Error::Damaged { .. } => "damaged",
            Error::MigrationChanged { .. } => "migration_changed",
        }
    }

    /// A stable machine name for the variant (the `type` of the UI's error JSON).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "Invalid",
            Error::Refused { code, .. } => code.kind(),
            Error::NotFound { .. } => "NotFound",
            Error::Conflict(_) => "Conflict",
            Error::Rejected { .. } => "Rejected",
            Error::Money(_) => "Invalid",
            Error::SignInRefused => "SignInRefused",
            Error::SignInNeeded => "SignInNeeded",
            Error::Forbidden { .. } => "Forbidden",
            Error::Io(_) => "Io",
            Error::FileNotSaved { .. } => "FileNotSaved",
            Error::Busy => "Busy",
            Error::ServerBusy => "Busy",
            Error::Database(_) => "Database",
            Error::ServerUnreachable { .. } => "ServerUnreachable",
            Error::ServerRefused { .. } => "ServerRefused",
            Error::SchemaTooNew { .. } => "SchemaTooNew",
            Error::CannotOpen { .. } => "CannotOpen",
            Error::Damaged { .. } => "Damaged",
            Error::MigrationChanged { .. } => "MigrationChanged",
        }
    }
}

/// Errors as the UI and `--json` scripts receive them:
/// `{"type": "...", "code": "...", "data": {...}, "message": "...", "problems": [...]}`.
/// Screens branch on `code` (and read `data`); `message` is only shown.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorView {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub code: &'static str,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub data: serde_json::Map<String, serde_json::Value>,
    pub message: String,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FieldProblem>,
}

impl From<&Error> for ErrorView {
    fn from(e: &Error) -> Self {
        ErrorView {
            kind: e.kind(),
            code: e.code(),
            data: match e {
                Error::Refused { data, .. } => {
                    data.iter().map(|(k, v)| ((*k).to_string(), serde_json::Value::from(v.as_str()))).collect()
                }
                _ => serde_json::Map::new(),
            },
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
                "code": "rejected",
                "message": "有 1 处错误,没有保存任何数据:\n第3行 [班级]:没有名为“大九班”的班级",
                "problems": [{"row": 3, "column": "班级", "reason": "没有名为“大九班”的班级"}]
            })
        );
        let nf = serde_json::to_value(ErrorView::from(&Error::not_found("幼儿", 7))).expect("serialises");
        assert_eq!(nf, serde_json::json!({"type": "NotFound", "code": "not_found", "message": "找不到幼儿:7"}));
    }

    /// The JSON of every refusal code is what the UI and scripts match on:
    /// renaming one is a breaking change this test makes visible.
    #[test]
    fn every_refusal_code_has_pinned_json() {
        let pinned = [
            (Code::MonthNotClosed, "month_not_closed", "Invalid"),
            (Code::NoFeeRules, "no_fee_rules", "Invalid"),
            (Code::SchoolProfileMissing, "school_profile_missing", "Invalid"),
            (Code::MealAccountSettingsMissing, "meal_account_settings_missing", "Invalid"),
            (Code::StockInsufficient, "stock_insufficient", "Conflict"),
            (Code::OffDayMealReasonNeeded, "off_day_meal_reason_needed", "Conflict"),
            (Code::EarlierNoticesUnprinted, "earlier_notices_unprinted", "Conflict"),
        ];
        assert_eq!(pinned.len(), Code::ALL.len(), "a code without a pinned JSON");
        for (code, name, kind) in pinned {
            assert_eq!(serde_json::to_value(code).expect("code"), serde_json::json!(name));
            let e = Error::refused(code, "说明").with("month", "2026-11");
            assert_eq!(
                serde_json::to_value(ErrorView::from(&e)).expect("view"),
                serde_json::json!({"type": kind, "code": name, "data": {"month": "2026-11"}, "message": "说明"})
            );
        }
    }

    #[test]
    fn json_errors_are_chinese_with_the_position() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Doc {
            month: String,
            kind: Kind,
            days: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Kind {
            Sick,
            Personal,
        }
        let msg =
            |text: &str| json_error("规则文件", text, &serde_json::from_str::<Doc>(text).expect_err("bad")).to_string();
        assert_eq!(msg(r#"{"month": "2025-10", "kind": "sick"}"#), "规则文件格式有误:缺少字段 days(第 1 行第 36 列)");
        assert_eq!(
            msg(r#"{"month": "2025-10", "kind": "ill", "days": 1}"#),
            "规则文件格式有误:不认识的取值 ill,应为 sick、personal 之一(第 1 行第 34 列)"
        );
        assert_eq!(
            msg("{\"month\": 202510,\n \"kind\": \"sick\", \"days\": 1}"),
            "规则文件格式有误:取值类型不对:这里不能是 202510,应为文字(第 1 行第 16 列)"
        );
        assert_eq!(
            msg(r#"{"month": "2025-10", "kind": "sick", "days": -1}"#),
            "规则文件格式有误:取值无效:-1(第 1 行第 47 列)"
        );
        assert_eq!(
            msg(r#"{"month": "2025-10", "colour": 1}"#),
            "规则文件格式有误:不认识的字段 colour,可用的字段:month、kind、days(第 1 行第 29 列)"
        );
        assert_eq!(msg("{\"month\": \"2025-10\",\n"), "规则文件格式有误:内容不完整,在结尾处中断了(第 2 行)");
        assert_eq!(
            msg("{\"month\" \"2025-10\"}"),
            "规则文件格式有误:不是有效的 JSON(可能缺少逗号、引号或括号)(第 1 行第 10 列)"
        );
        for text in [r#"{"kind": "ill"}"#, "[1,", "{,}"] {
            let m = msg(text);
            assert!(!m.contains(" at line ") && !m.contains("expected"), "English left in {m}");
        }
    }

    #[test]
    fn a_busy_database_has_its_own_message() {
        use crate::store::{StoreError, StoreErrorKind};
        let e = Error::from(StoreError::new(StoreErrorKind::Busy, "database is locked"));
        assert!(matches!(e, Error::Busy));
        assert_eq!(
            e.to_string(),
            "数据库文件正被另一个程序使用,暂时无法读写,本次修改未保存。请稍后再试;如果一直这样,请关闭其他打开这个数据库文件的后勤窗口或程序。"
        );
        let other = Error::from(StoreError::new(StoreErrorKind::NoRow, "no rows"));
        assert!(matches!(other, Error::Database(_)));
        assert!(matches!(Error::from(StoreError::new(StoreErrorKind::LockTimeout, "lock")), Error::ServerBusy));
    }
}
