//! Where the data is, as this PC remembers it (数据库连接): the local file or
//! a school's server, chosen once at the first start of the app (or in 设置 →
//! 数据库连接) and kept in `<config dir>/houqin/connection.json`.
//!
//! `--db` and `HOUQIN_DB` still win over it (see [`resolve`]); with none of
//! the three, the app asks and the command line uses the default file.
//!
//! A server's database password is kept in that file so each start can
//! connect; the file is readable by this user only (0600 in a 0700 folder on
//! Unix) and the password is never handed back to the UI ([`ConnectionView`]).
//! Deliberately out: an OS keyring (not on every PC the schools use) and any
//! "remember my sign-in" — a person's own password is never stored.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::db::{self, Target};
use crate::store::ServerUrl;
use crate::{Error, Result};

/// The saved choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Connection {
    /// An SQLite file on this PC (`path` absent: the default file).
    Local {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<PathBuf>,
    },
    /// A school's PostgreSQL server.
    Server(ServerForm),
}

/// A server as the 连接服务器 form has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServerForm {
    pub host: String,
    #[serde(default = "default_port")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub port: u16,
    pub database: String,
    pub user: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub password: String,
    /// A schema inside the database (several schools on one database); usually none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
}

fn default_port() -> u16 {
    5432
}

/// What the UI may see of a connection: never the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectionView {
    /// `local` or `server`.
    pub kind: &'static str,
    /// The file, or the server as `postgres://user@host:port/db` (no password).
    pub location: String,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub database: Option<String>,
    pub user: Option<String>,
}

/// Where the choice in force came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `--db` on the command line.
    Flag,
    /// The `HOUQIN_DB` environment variable.
    Env,
    /// `connection.json`.
    Saved,
    /// Nothing said: the default file (the command line), or the first-start
    /// question (the app).
    Default,
}

impl ServerForm {
    /// The form checked, as a server address (the password percent-encoded).
    pub fn url(&self) -> Result<ServerUrl> {
        let host = self.host.trim();
        let database = self.database.trim();
        let user = self.user.trim();
        if host.is_empty() {
            return Err(Error::invalid("请填写服务器地址(主机名或 IP 地址)"));
        }
        if host.chars().any(|c| c.is_whitespace() || c.is_control() || "/@?#".contains(c)) {
            return Err(Error::invalid(format!("服务器地址“{host}”格式不对,应为主机名或 IP 地址,如 192.168.1.10")));
        }
        if self.port == 0 {
            return Err(Error::invalid("端口应在 1 到 65535 之间(PostgreSQL 默认为 5432)"));
        }
        if database.is_empty() {
            return Err(Error::invalid("请填写数据库名称"));
        }
        if user.is_empty() {
            return Err(Error::invalid("请填写数据库用户名"));
        }
        if self.password.is_empty() {
            return Err(Error::invalid("请填写数据库密码"));
        }
        if [host, database, user, self.password.as_str()].iter().any(|s| s.chars().any(char::is_control)) {
            return Err(Error::invalid("服务器设置中不能有控制字符"));
        }
        let host = if host.contains(':') && !host.starts_with('[') { format!("[{host}]") } else { host.to_string() };
        let mut url =
            format!("postgres://{}:{}@{host}:{}/{}", encode(user), encode(&self.password), self.port, encode(database));
        if let Some(schema) = self.schema.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            url.push_str(&format!("?schema={schema}"));
        }
        ServerUrl::parse(&url).map_err(Error::Invalid)
    }
}

/// Percent-encodes everything but the characters a URL leaves as they are.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Connection {
    /// Where this choice points.
    pub fn target(&self) -> Result<Target> {
        match self {
            Connection::Local { path } => Ok(Target::File(path.clone().unwrap_or_else(db::default_path))),
            Connection::Server(form) => Ok(Target::Server(Box::new(form.url()?))),
        }
    }

    /// What the UI shows.
    pub fn view(&self) -> ConnectionView {
        match self {
            Connection::Local { path } => ConnectionView {
                kind: "local",
                location: path.clone().unwrap_or_else(db::default_path).display().to_string(),
                host: None,
                port: None,
                database: None,
                user: None,
            },
            Connection::Server(f) => ConnectionView {
                kind: "server",
                location: f.url().map(|u| u.display().to_string()).unwrap_or_else(|_| f.host.clone()),
                host: Some(f.host.trim().to_string()),
                port: Some(f.port),
                database: Some(f.database.trim().to_string()),
                user: Some(f.user.trim().to_string()),
            },
        }
    }
}

/// `<config dir>/houqin/connection.json` (`~/.config/houqin/connection.json` on Linux).
pub fn default_file() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("houqin").join("connection.json"))
}

/// The saved choice in `file`, if there is one. A file that does not read
/// is an error (with its place), not silently "no choice": the app would
/// otherwise ask again and overwrite what the school's IT person set up.
pub fn load_from(file: &Path) -> Result<Option<Connection>> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::invalid(format!("无法读取数据库连接设置 {}:{e}", file.display()))),
    };
    let what = format!("数据库连接设置 {}", file.display());
    serde_json::from_str(&text).map(Some).map_err(|e| crate::error::json_error(&what, &text, &e))
}

/// Saves the choice to `file`, whole (through [`crate::output_file`]) and
/// readable by this user only.
pub fn save_to(file: &Path, connection: &Connection) -> Result<()> {
    if let Connection::Server(form) = connection {
        form.url()?;
    }
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::invalid(format!("无法创建设置文件夹 {}:{e}", dir.display())))?;
    // The folder first: the temporary file is never readable by others, even
    // for the moment before the final file's mode is set.
    private(dir, 0o700)?;
    let json = serde_json::to_vec_pretty(connection).map_err(|e| Error::invalid(e.to_string()))?;
    crate::output_file::write_bytes_atomic(file, &json)?;
    private(file, 0o600)
}

#[cfg(unix)]
fn private(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| Error::invalid(format!("无法设置 {} 的访问权限:{e}", path.display())))
}

#[cfg(not(unix))]
fn private(_path: &Path, _mode: u32) -> Result<()> {
    // Windows: files under the user's profile are the user's by default.
    Ok(())
}

/// The saved choice in the default file.
pub fn load() -> Result<Option<Connection>> {
    match default_file() {
        Some(f) => load_from(&f),
        None => Ok(None),
    }
}

/// Saves the choice to the default file.
pub fn save(connection: &Connection) -> Result<()> {
    let file = default_file().ok_or_else(|| Error::invalid("找不到用户的设置文件夹,无法保存数据库连接"))?;
    save_to(&file, connection)
}

/// Where the data is: `--db` wins, then `HOUQIN_DB`, then the saved choice in
/// `saved_file`; `None` when none of them says (the default file for the
/// command line, the first-start question for the app).
pub fn resolve_in(explicit: Option<&str>, saved_file: Option<&Path>) -> Result<Option<(Target, Source)>> {
    if let Some(p) = explicit.filter(|p| !p.trim().is_empty()) {
        return Ok(Some((Target::parse(p)?, Source::Flag)));
    }
    if let Ok(p) = std::env::var("HOUQIN_DB") {
        if !p.trim().is_empty() {
            return Ok(Some((Target::parse(&p)?, Source::Env)));
        }
    }
    match saved_file.map(load_from).transpose()?.flatten() {
        Some(c) => Ok(Some((c.target()?, Source::Saved))),
        None => Ok(None),
    }
}

/// [`resolve_in`] with the default connection file.
pub fn resolve(explicit: Option<&str>) -> Result<Option<(Target, Source)>> {
    resolve_in(explicit, default_file().as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("houqin-conn-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    fn server() -> ServerForm {
        ServerForm {
            host: "192.168.1.10".into(),
            port: 5432,
            database: "houqin".into(),
            user: "houqin".into(),
            password: "p@ss:w/rd 园".into(),
            schema: None,
        }
    }

    #[test]
    fn a_saved_server_reads_back_and_only_its_owner_can_read_the_file() {
        let d = dir("save");
        let file = d.join("houqin").join("connection.json");
        assert_eq!(load_from(&file).expect("none yet"), None);
        let c = Connection::Server(server());
        save_to(&file, &c).expect("save");
        assert_eq!(load_from(&file).expect("load"), Some(c.clone()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&file), 0o600, "the password is in it");
            assert_eq!(mode(file.parent().expect("dir")), 0o700);
            // Saved again over the first: still private, no temporary file left.
            save_to(&file, &Connection::Local { path: None }).expect("again");
            assert_eq!(mode(&file), 0o600);
            assert_eq!(std::fs::read_dir(file.parent().expect("dir")).expect("ls").count(), 1);
        }
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn the_view_never_carries_the_password() {
        let view = Connection::Server(server()).view();
        let json = serde_json::to_string(&view).expect("json");
        assert!(!json.contains("p@ss") && !json.contains("rd"), "{json}");
        assert_eq!(view.location, "postgres://houqin@192.168.1.10:5432/houqin");
        // The password survives the URL whatever it holds.
        assert!(server().url().is_ok());
    }

    #[test]
    fn the_server_form_says_what_is_missing_in_chinese() {
        let mut f = server();
        f.host = " ".into();
        assert_eq!(f.url().expect_err("no host").to_string(), "请填写服务器地址(主机名或 IP 地址)");
        let mut f = server();
        f.port = 0;
        assert!(f.url().expect_err("port").to_string().contains("5432"));
        let mut f = server();
        f.password.clear();
        assert_eq!(f.url().expect_err("password").to_string(), "请填写数据库密码");
        let mut f = server();
        f.host = "evil@host/x".into();
        assert!(f.url().expect_err("bad host").to_string().contains("格式不对"));
    }

    #[test]
    fn a_damaged_connection_file_is_an_error_not_a_fresh_start() {
        let d = dir("bad");
        std::fs::create_dir_all(&d).expect("dir");
        let file = d.join("connection.json");
        std::fs::write(&file, "{\"kind\": \"server\", \"host\": ").expect("write");
        let err = load_from(&file).expect_err("refused");
        assert!(err.to_string().starts_with("数据库连接设置"), "{err}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn the_flag_wins_then_the_saved_choice() {
        let d = dir("resolve");
        let file = d.join("connection.json");
        // HOUQIN_DB is read from the environment; this test sets none of it
        // and skips the env step when a developer has it set.
        if std::env::var("HOUQIN_DB").is_ok_and(|v| !v.trim().is_empty()) {
            return;
        }
        assert!(resolve_in(None, Some(&file)).expect("nothing").is_none(), "no choice: ask");
        save_to(&file, &Connection::Local { path: Some(d.join("school.db")) }).expect("save");
        let (t, s) = resolve_in(None, Some(&file)).expect("saved").expect("some");
        assert_eq!((t.display(), s), (d.join("school.db").display().to_string(), Source::Saved));
        let (t, s) = resolve_in(Some("/tmp/other.db"), Some(&file)).expect("flag").expect("some");
        assert_eq!((t.display(), s), ("/tmp/other.db".to_string(), Source::Flag));
        let _ = std::fs::remove_dir_all(&d);
    }
}
