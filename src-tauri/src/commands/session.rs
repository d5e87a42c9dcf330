//! Where the data is (设置 → 数据库连接, the first-start choice), signing in
//! and out, and the people who sign in (设置 → 用户).

use houqin::auth::{self, Job, Role, Session, User};
use houqin::connection::{self, Connection, ConnectionView, ServerForm, Source};
use houqin::db::{Db, Target};
use houqin::Error;
use serde::Serialize;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// Who is working, for the header and for hiding what their role cannot change.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SessionView {
    /// A person signed in (rather than the operator of a local file).
    pub signed_in: bool,
    pub name: String,
    pub role: Option<Role>,
    pub role_label: Option<String>,
    /// The kinds of change they may make (the core checks each write anyway).
    pub jobs: Vec<Job>,
}

impl SessionView {
    pub fn nobody() -> SessionView {
        SessionView { signed_in: false, name: String::new(), role: None, role_label: None, jobs: Vec::new() }
    }

    /// `required`: whether this database asks everyone to sign in (then an
    /// operator who has not signed in may change nothing).
    pub fn of(session: &Session, required: bool) -> SessionView {
        match session {
            Session::User { name, role, .. } => SessionView {
                signed_in: true,
                name: name.clone(),
                role: Some(*role),
                role_label: Some(role.label().to_string()),
                jobs: role.jobs().to_vec(),
            },
            Session::Operator(name) => SessionView {
                signed_in: false,
                name: name.clone(),
                role: None,
                role_label: None,
                jobs: if required { Vec::new() } else { every_job() },
            },
        }
    }
}

/// Every kind of change (an operator without sign-in may make them all).
fn every_job() -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    for role in Role::ALL {
        for job in role.jobs() {
            if !jobs.contains(job) {
                jobs.push(*job);
            }
        }
    }
    jobs
}

/// Where the data is now, and what is saved on this PC.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectionInfo {
    /// `local` or `server`.
    pub kind: &'static str,
    pub location: String,
    /// `flag` (--db), `env` (HOUQIN_DB), `saved`.
    pub source: Source,
    /// The choice saved on this PC (never its password).
    pub saved: Option<ConnectionView>,
    /// The default database file on this PC.
    pub default_file: String,
}

#[tauri::command]
pub async fn connection_get(state: State<'_, AppState>) -> Result<ConnectionInfo, AppError> {
    let place = state.place();
    let saved = connection::load().map_err(AppError::from)?.map(|c| c.view());
    Ok(ConnectionInfo {
        kind: if matches!(place.target, Some(Target::Server(_))) { "server" } else { "local" },
        location: place.target.as_ref().map(Target::display).unwrap_or_default(),
        source: place.source,
        saved,
        default_file: houqin::db::default_path().display().to_string(),
    })
}

/// Uses a database file on this PC (`path` empty: the default file) from now
/// on, and remembers it. The database in use stays when it fails to open.
#[tauri::command]
pub async fn connection_use_local(state: State<'_, AppState>, path: Option<String>) -> Result<String, AppError> {
    let path = path.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).map(std::path::PathBuf::from);
    let target = Target::File(path.clone().unwrap_or_else(houqin::db::default_path));
    let shown = target.display();
    state.reopen(target, Source::Saved, move |_| connection::save(&Connection::Local { path })).await?;
    Ok(shown)
}

/// Connects to a school's server with `server` and, once that works,
/// remembers it (password included, readable by this user only) and uses it.
#[tauri::command]
pub async fn connection_use_server(state: State<'_, AppState>, server: ServerForm) -> Result<String, AppError> {
    let url = server.url()?;
    let shown = url.display().to_string();
    state
        .reopen(Target::Server(Box::new(url)), Source::Saved, move |_| connection::save(&Connection::Server(server)))
        .await?;
    Ok(shown)
}

/// What a test connection found.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServerCheck {
    pub location: String,
    /// The school's name, if the database already holds one.
    pub school: Option<String>,
    pub users: i64,
}

/// Tries `server` without switching to it (the schema is brought up to date,
/// as any PC's first connection would).
#[tauri::command]
pub async fn connection_test(server: ServerForm) -> Result<ServerCheck, AppError> {
    tauri::async_runtime::spawn_blocking(move || {
        let db = Db::connect(&server.url()?)?;
        Ok::<_, Error>(ServerCheck {
            location: db.location(),
            school: houqin::school::profile::get(db.conn())?.map(|p| p.name),
            users: auth::user_count(db.conn())?,
        })
    })
    .await
    .map_err(|e| AppError::internal(format!("后台任务意外中止:{e}")))?
    .map_err(AppError::from)
}

#[tauri::command]
pub async fn auth_sign_in(state: State<'_, AppState>, name: String, password: String) -> Result<SessionView, AppError> {
    state
        .run(move |db| {
            auth::sign_in(db, &name, &password)?;
            Ok(SessionView::of(db.session(), true))
        })
        .await
}

#[tauri::command]
pub async fn auth_sign_out(state: State<'_, AppState>) -> Result<(), AppError> {
    state
        .run(|db| {
            db.sign_out();
            Ok(())
        })
        .await
}

/// The first administrator of a database with no users (the password typed
/// twice), then signed in.
#[tauri::command(rename_all = "snake_case")]
pub async fn auth_first_admin(
    state: State<'_, AppState>,
    name: String,
    password: String,
    password_again: String,
) -> Result<SessionView, AppError> {
    state
        .run(move |db| {
            same_twice(&password, &password_again)?;
            // Audited under their own name, as `houqin init --admin` does.
            db.set_operator(name.trim());
            auth::create_first_admin(db, &name, &password)?;
            auth::sign_in(db, &name, &password)?;
            Ok(SessionView::of(db.session(), true))
        })
        .await
}

/// A new password is typed twice: a typo in one is caught before it locks anyone out.
pub fn same_twice(password: &str, again: &str) -> houqin::Result<()> {
    if password != again {
        return Err(Error::invalid("两次输入的密码不一致,请重新输入"));
    }
    Ok(())
}

/// The users screen: everyone, and whether sign-in is on.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UsersView {
    pub users: Vec<User>,
    pub sign_in_required: bool,
    /// On a server everyone signs in and the switch is not offered.
    pub server: bool,
    pub roles: Vec<(Role, &'static str)>,
}

#[tauri::command]
pub async fn users_list(state: State<'_, AppState>) -> Result<UsersView, AppError> {
    state
        .run(|db| {
            Ok(UsersView {
                users: auth::list(db.conn())?,
                sign_in_required: auth::sign_in_required(db)?,
                server: db.server().is_some(),
                roles: Role::ALL.iter().map(|r| (*r, r.label())).collect(),
            })
        })
        .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn user_add(
    state: State<'_, AppState>,
    name: String,
    role: Role,
    password: String,
    password_again: String,
) -> Result<(), AppError> {
    state
        .run(move |db| {
            same_twice(&password, &password_again)?;
            auth::add_user(db, &name, role, &password).map(|_| ())
        })
        .await
}

#[tauri::command]
pub async fn user_set_disabled(state: State<'_, AppState>, name: String, disabled: bool) -> Result<(), AppError> {
    state.run(move |db| auth::set_disabled(db, &name, disabled)).await
}

/// An administrator sets someone's new password (they tell the person).
#[tauri::command(rename_all = "snake_case")]
pub async fn user_reset_password(
    state: State<'_, AppState>,
    name: String,
    password: String,
    password_again: String,
) -> Result<(), AppError> {
    state
        .run(move |db| {
            same_twice(&password, &password_again)?;
            auth::change_password(db, &name, None, &password)
        })
        .await
}

/// 需要登录 on a local file.
#[tauri::command]
pub async fn sign_in_required_set(state: State<'_, AppState>, required: bool) -> Result<(), AppError> {
    state.run(move |db| auth::set_sign_in_required(db, required)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn an_operator_may_do_everything_unless_sign_in_is_required() {
        let op = Session::Operator("李老师".into());
        let free = SessionView::of(&op, false);
        assert!(!free.signed_in);
        for role in Role::ALL {
            assert!(role.jobs().iter().all(|j| free.jobs.contains(j)), "{role:?}");
        }
        assert!(SessionView::of(&op, true).jobs.is_empty(), "nobody signed in where sign-in is required");
    }

    #[test]
    fn a_kitchen_user_may_not_settle_months_and_the_core_refuses_it_too() {
        let mut db = Db::open_scratch().expect("db");
        auth::create_first_admin(&mut db, "王管理", "admin-pass-1").expect("admin");
        auth::sign_in(&mut db, "王管理", "admin-pass-1").expect("admin in");
        auth::add_user(&mut db, "张厨师", Role::Kitchen, "kitchen-pass").expect("cook");
        auth::sign_in(&mut db, "张厨师", "kitchen-pass").expect("cook in");
        let view = SessionView::of(db.session(), true);
        assert_eq!(view.role_label.as_deref(), Some("食堂"));
        assert!(view.jobs.contains(&Job::Kitchen) && !view.jobs.contains(&Job::Fees));
        // What the hidden 确认结账 would have done, forced through the state.
        let state = AppState::from_db(db, PathBuf::from(":memory:"));
        let month = houqin::dates::YearMonth::of(houqin::dates::today());
        let err = tauri::async_runtime::block_on(state.run(move |db| houqin::settlement::confirm(db, month)))
            .expect_err("refused");
        assert_eq!(err.0.kind, "Forbidden");
        assert!(err.0.message.contains("张厨师(食堂)没有权限"), "{}", err.0.message);
    }

    #[test]
    fn a_password_typed_twice_differently_is_refused() {
        assert!(same_twice("abcdefgh", "abcdefgh").is_ok());
        assert_eq!(
            same_twice("abcdefgh", "abcdefgj").expect_err("typo").to_string(),
            "两次输入的密码不一致,请重新输入"
        );
    }
}
