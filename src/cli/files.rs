//! Files a command writes after it has saved its work to the database
//! (`stock issue --slip`, `settle --confirm --xlsx`).
//!
//! The target is checked before anything is saved (`output_file::check_target`):
//! a folder that does not exist or takes no files refuses the command, and
//! nothing changes. Should the file still fail once the work is committed (a
//! full disk), the command has done its work and says exactly that: exit code
//! 0, a 警告 on stderr naming the file not written and how to make it again,
//! and with `--json` the fields `files_saved` and `files_not_saved`. A failure
//! exit code would tell a script to run the command again, and redo work that
//! is already done (a second issue of the same goods).

use serde::Serialize;
use std::path::Path;

use super::output;
use houqin::{output_file, Result};

/// The files a command was asked to write, and which of them it wrote.
#[derive(Debug, Default, Serialize)]
pub struct Written {
    pub files_saved: Vec<String>,
    pub files_not_saved: Vec<NotSaved>,
}

/// A file that was not written, and why.
#[derive(Debug, Serialize)]
pub struct NotSaved {
    pub path: String,
    pub error: String,
}

/// Refuses a target that cannot be written, before any work is done;
/// `not_done` says what was therefore not saved.
pub fn check_target(path: &Path, not_done: &str) -> Result<()> {
    output_file::check_target(path).map_err(|e| houqin::Error::invalid(format!("{e}。{not_done}")))
}

impl Written {
    /// Records the outcome of writing `path` once the work is committed
    /// (`committed` says what was done, in the user's words: 领用单 … 已保存); a
    /// failure is printed as a warning that says so and how to make the file
    /// again (`again`).
    pub fn after_commit(&mut self, path: &Path, result: Result<()>, committed: &str, again: &str) {
        match result {
            Ok(()) => self.files_saved.push(path.display().to_string()),
            Err(e) => {
                let why = e.to_string();
                eprintln!("警告:{committed},但 {} 没有保存。{}。{again}", path.display(), why.trim_end_matches('。'));
                self.files_not_saved.push(NotSaved { path: path.display().to_string(), error: e.to_string() });
            }
        }
    }

    /// Whether `path` was written.
    pub fn saved(&self, path: &Path) -> bool {
        self.files_saved.iter().any(|p| Path::new(p) == path)
    }

    /// Prints `value` as JSON, with `files_saved` and `files_not_saved` added
    /// when the command was asked to write any file.
    pub fn json<T: Serialize>(&self, value: &T) -> Result<()> {
        let mut v = serde_json::to_value(value).map_err(|e| houqin::Error::invalid(format!("无法输出 JSON:{e}")))?;
        if let serde_json::Value::Object(map) = &mut v {
            if !self.files_saved.is_empty() || !self.files_not_saved.is_empty() {
                map.insert("files_saved".into(), serde_json::json!(self.files_saved));
                map.insert("files_not_saved".into(), serde_json::json!(self.files_not_saved));
            }
        }
        output::json(&v)
    }
}
