//! The `houqin` command line against a PostgreSQL server, exactly as the
//! school's IT person types it (issue 13 §3): `init --admin`, signing in with
//! `--user` and `HOUQIN_PASSWORD`, `users add|list|disable`, roles refused in
//! the core, and `server push` of a whole school file.
//!
//! Needs a server: it runs when `HOUQIN_TEST_DB=postgres://…` is set (CI's
//! PostgreSQL stage, `scripts/pg-test-server.sh`), each case in a scratch
//! schema of its own that is dropped afterwards. Without a server it says so
//! and checks nothing.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use std::path::PathBuf;
use std::process::{Command, Output};

use houqin::db::{test_server, Db};
use serde_json::Value;

/// A scratch schema on the test server and the URL that reaches it.
struct Server {
    /// Dropping it drops the schema.
    _db: Db,
    url: String,
}

fn server() -> Option<Server> {
    let base = std::env::var("HOUQIN_TEST_DB").ok()?;
    test_server().expect("HOUQIN_TEST_DB parses")?;
    let db = Db::open_scratch().expect("scratch schema");
    let schema = db.server().and_then(|s| s.schema()).expect("a scratch schema has a name").to_string();
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(Server { url: format!("{base}{sep}schema={schema}"), _db: db })
}

fn houqin(url: &str, user: Option<(&str, &str)>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_houqin"));
    cmd.arg("--db").arg(url).args(args);
    cmd.env_remove("HOUQIN_DB").env_remove("HOUQIN_USER").env_remove("HOUQIN_PASSWORD");
    cmd.env_remove("HOUQIN_NEW_PASSWORD");
    if let Some((name, password)) = user {
        cmd.arg("--user").arg(name).env("HOUQIN_PASSWORD", password);
    }
    cmd.output().expect("run houqin")
}

fn ok(out: Output, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what} failed: {stderr}");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A refused command: exit code 1, the Chinese message on stderr.
fn refused(out: Output, what: &str) -> String {
    assert!(!out.status.success(), "{what} was accepted: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).expect("utf-8")
}

fn add_user(url: &str, admin: (&str, &str), name: &str, role: &str, password: &str) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_houqin"));
    cmd.arg("--db").arg(url).args(["--user", admin.0, "users", "add", name, "--role", role]);
    cmd.env_remove("HOUQIN_USER").env("HOUQIN_PASSWORD", admin.1).env("HOUQIN_NEW_PASSWORD", password);
    ok(cmd.output().expect("run houqin"), &format!("users add {name}"));
}

const ADMIN: (&str, &str) = ("王园长", "admin-pass-1");
const BURSAR: (&str, &str) = ("李会计", "bursar-pass-1");
const COOK: (&str, &str) = ("张厨师", "kitchen-pass-1");

#[test]
fn a_school_on_a_server_signs_everyone_in_and_each_role_writes_only_its_own_data() {
    let Some(s) = server() else {
        eprintln!("skipped: HOUQIN_TEST_DB is not a postgres:// URL (scripts/pg-test-server.sh starts one)");
        return;
    };
    let url = s.url.as_str();

    // init --admin: the schema and the first administrator, password from the environment.
    let mut init = Command::new(env!("CARGO_BIN_EXE_houqin"));
    init.arg("--db").arg(url).args(["init", "--admin", ADMIN.0, "--name", "阳光幼儿园"]);
    init.env_remove("HOUQIN_USER").env("HOUQIN_PASSWORD", ADMIN.1);
    ok(init.output().expect("run houqin"), "init --admin");

    // Nobody works on a server without signing in; a wrong password is refused.
    let msg = refused(houqin(url, None, &["classes", "list"]), "a command without --user");
    assert!(msg.contains("要求登录") && msg.contains("--user"), "{msg}");
    let msg = refused(houqin(url, Some((ADMIN.0, "wrong-password")), &["classes", "list"]), "a wrong password");
    assert!(msg.contains("用户名或密码不对"), "{msg}");
    let out = houqin(url, Some((ADMIN.0, "wrong-password")), &["--json", "classes", "list"]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("--json error on stdout");
    assert_eq!(json["error"]["code"], "sign_in_refused", "{json}");

    add_user(url, ADMIN, BURSAR.0, "bursar", BURSAR.1);
    add_user(url, ADMIN, COOK.0, "kitchen", COOK.1);
    let users: Value = serde_json::from_str(&ok(houqin(url, Some(ADMIN), &["--json", "users", "list"]), "users list"))
        .expect("users list --json");
    let roles: Vec<(String, String)> = users
        .as_array()
        .expect("a list")
        .iter()
        .map(|u| {
            (u["name"].as_str().unwrap_or_default().to_string(), u["role"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    for (name, role) in [(ADMIN.0, "admin"), (BURSAR.0, "bursar"), (COOK.0, "kitchen")] {
        assert!(roles.contains(&(name.to_string(), role.to_string())), "{name} as {role} in {roles:?}");
    }

    // The kitchen may not add a class (the bursar's job): refused in the core, nothing saved.
    let class = ["classes", "add", "大一班", "--grade", "大班"];
    let msg = refused(houqin(url, Some(COOK), &class), "the kitchen adding a class");
    assert!(msg.contains("张厨师(食堂)没有权限"), "{msg}");
    let out = houqin(url, Some(COOK), &["--json", "classes", "add", "大一班", "--grade", "大班"]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("--json error on stdout");
    assert_eq!(json["error"]["code"], "forbidden", "{json}");
    let listed = ok(houqin(url, Some(BURSAR), &["--json", "classes", "list"]), "classes list");
    assert!(!listed.contains("大一班"), "nothing saved by the refused write: {listed}");

    // The bursar may, and the audit trail names her.
    ok(houqin(url, Some(BURSAR), &class), "the bursar adding a class");
    let listed = ok(houqin(url, Some(COOK), &["--json", "classes", "list"]), "classes list");
    assert!(listed.contains("大一班"), "everyone reads: {listed}");
    let db = Db::connect(&houqin::store::pg::ServerUrl::parse(url).expect("url")).expect("connect");
    let audit = houqin::store::audit::search(db.conn(), &Default::default(), 100, 0).expect("audit");
    assert!(
        audit.iter().any(|r| r.operator == BURSAR.0 && r.entity == "class"),
        "the class is audited as 李会计's: {:?}",
        audit.iter().map(|r| (&r.operator, &r.entity)).collect::<Vec<_>>()
    );

    // A disabled account cannot sign in any more.
    ok(houqin(url, Some(ADMIN), &["users", "disable", BURSAR.0]), "users disable");
    let msg = refused(houqin(url, Some(BURSAR), &["classes", "list"]), "a disabled account");
    assert!(msg.contains("用户名或密码不对") || msg.contains("停用"), "{msg}");
}

#[test]
fn server_push_copies_a_whole_school_file_and_checks_it() {
    let Some(s) = server() else {
        eprintln!("skipped: HOUQIN_TEST_DB is not a postgres:// URL (scripts/pg-test-server.sh starts one)");
        return;
    };
    let dir: PathBuf = std::env::temp_dir().join(format!("houqin-cli-push-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("houqin.db");
    let file_arg = file.to_str().expect("utf-8 path");
    ok(houqin(file_arg, None, &["demo"]), "demo in a file");
    let file_children = ok(houqin(file_arg, None, &["--json", "children", "list"]), "children list (file)");

    // The demo file has no users: without --admin nobody could sign in, so
    // nothing is uploaded (the push below then finds the server still empty).
    let mut bare = Command::new(env!("CARGO_BIN_EXE_houqin"));
    bare.arg("--db").arg(&s.url).args(["server", "push", file_arg]);
    bare.env_remove("HOUQIN_USER").env_remove("HOUQIN_PASSWORD");
    let msg = refused(bare.output().expect("run houqin"), "a push with no administrator");
    assert!(msg.contains("--admin") && msg.contains("什么都没有上传"), "{msg}");

    let mut push = Command::new(env!("CARGO_BIN_EXE_houqin"));
    push.arg("--db").arg(&s.url).args(["--json", "server", "push", file_arg, "--admin", ADMIN.0]);
    push.env_remove("HOUQIN_USER").env("HOUQIN_PASSWORD", ADMIN.1);
    let report: Value = serde_json::from_str(&ok(push.output().expect("run houqin"), "server push")).expect("json");
    let tables = report["tables"].as_array().expect("tables");
    assert!(tables.iter().any(|t| t["table"] == "children" && t["rows"].as_i64() > Some(50)), "{report}");

    // The same children on the server, read by the administrator the push created.
    let server_children = ok(houqin(&s.url, Some(ADMIN), &["--json", "children", "list"]), "children list (server)");
    let a: Value = serde_json::from_str(&file_children).expect("json");
    let b: Value = serde_json::from_str(&server_children).expect("json");
    assert_eq!(a, b, "the server lists the file's children exactly");

    // A second push into the now non-empty database is refused.
    let mut again = Command::new(env!("CARGO_BIN_EXE_houqin"));
    again.arg("--db").arg(&s.url).args(["server", "push", file_arg]);
    again.env_remove("HOUQIN_USER").env_remove("HOUQIN_PASSWORD");
    let msg = refused(again.output().expect("run houqin"), "a push into a school that has data");
    assert!(!msg.is_empty());
    let _ = std::fs::remove_dir_all(dir);
}
