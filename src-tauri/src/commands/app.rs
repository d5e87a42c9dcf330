//! Start-up status and the home screen's overview.

use houqin::auth;
use houqin::backup::BackupInfo;
use houqin::calendar::MonthCalendar;
use houqin::connection::Source;
use houqin::dates::{self, YearMonth};
use houqin::db::{Db, Target};
use houqin::error::ErrorView;
use houqin::school::children;
use houqin::school::classes;
use houqin::school::profile::{self, SchoolProfile};
use houqin::settings;
use serde::Serialize;
use tauri::State;

use crate::commands::session::SessionView;
use crate::error::AppError;
use crate::state::AppState;

/// What the UI needs to know before it shows anything.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppStatus {
    /// The database file or server (no password); empty before the first choice.
    pub db_path: String,
    /// Nobody has said yet where the data is: the first-start question.
    pub needs_choice: bool,
    /// Whether the data is on a school's server.
    pub server: bool,
    /// Where the choice came from (`flag`, `env`, `saved`).
    pub source: Source,
    /// The default database file on this PC (the first-start choice names it).
    pub default_file: String,
    /// Why the database did not open; the UI shows this instead of the app.
    pub open_error: Option<ErrorView>,
    /// The newest backup of a file that did not open, offered for restoring.
    pub latest_backup: Option<BackupInfo>,
    /// The operator remembered from the last start.
    pub operator: Option<String>,
    pub has_profile: bool,
    /// Everyone must sign in (a server, or a file with sign-in turned on).
    pub sign_in_required: bool,
    /// Sign-in is required and nobody exists yet: the first administrator is asked for.
    pub needs_first_admin: bool,
    /// Who is working and what they may change.
    pub session: SessionView,
    pub today: chrono::NaiveDate,
}

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, AppError> {
    let place = state.place();
    let mut status = AppStatus {
        db_path: place.target.as_ref().map(Target::display).unwrap_or_default(),
        needs_choice: place.target.is_none() && place.open_error.is_none(),
        server: matches!(place.target, Some(Target::Server(_))),
        source: place.source,
        default_file: houqin::db::default_path().display().to_string(),
        open_error: place.open_error.clone(),
        latest_backup: None,
        operator: None,
        has_profile: false,
        sign_in_required: false,
        needs_first_admin: false,
        session: SessionView::nobody(),
        today: dates::today(),
    };
    if place.target.is_none() {
        return Ok(status);
    }
    if status.open_error.is_some() {
        status.latest_backup = state.latest_backup();
        return Ok(status);
    }
    let (operator, has_profile, required, users, session) = state
        .run(|db| {
            let required = auth::sign_in_required(db)?;
            Ok((
                settings::get(db.conn(), settings::OPERATOR)?,
                profile::get(db.conn())?.is_some(),
                required,
                auth::user_count(db.conn())?,
                SessionView::of(db.session(), required),
            ))
        })
        .await?;
    status.operator = operator;
    status.has_profile = has_profile;
    status.sign_in_required = required;
    status.needs_first_admin = required && users == 0;
    status.session = session;
    Ok(status)
}

/// Set to print a line when the first screen is up (scripts/measure-app.sh).
pub const STARTUP_TRACE_ENV: &str = "HOUQIN_STARTUP_TRACE";

/// The UI's first screen is built and painted. With [`STARTUP_TRACE_ENV`] set,
/// prints `houqin-app interactive <screen> <unix ms>` on stderr, so a script
/// can time exec-to-interactive from outside; otherwise nothing happens.
#[tauri::command]
pub fn app_ready(screen: String) {
    if std::env::var_os(STARTUP_TRACE_ENV).is_some() {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        eprintln!("houqin-app interactive {screen} {ms}");
    }
}

/// The home screen: the school, its size today and this month's calendar counts.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overview {
    pub profile: Option<SchoolProfile>,
    pub classes: Vec<classes::ClassInfo>,
    pub children_today: usize,
    pub month: YearMonth,
    pub month_label: String,
    pub legal_working_days: usize,
    pub school_days: usize,
    pub schedule_known: bool,
    /// Fee rules apply to this month (月结, notices and the meal account need them).
    pub has_fee_rules: bool,
    /// Next year, when it is close and its State Council schedule is not loaded.
    pub next_year_missing: Option<i32>,
}

/// Builds the overview for the month of `today` (a plain function, tested below).
pub fn overview(db: &Db, today: chrono::NaiveDate) -> houqin::Result<Overview> {
    let conn = db.conn();
    let month = YearMonth::of(today);
    let cal: MonthCalendar = houqin::school::calendar::month(conn, month)?;
    Ok(Overview {
        profile: profile::get(conn)?,
        classes: classes::list(conn)?,
        children_today: children::count_enrolled(conn, today)?,
        month,
        month_label: month.label(),
        legal_working_days: cal.legal_working_days.len(),
        school_days: cal.school_days.len(),
        schedule_known: cal.schedule_known,
        has_fee_rules: houqin::settlement::rules_for(conn, month)?.is_some(),
        next_year_missing: houqin::school::calendar::next_year_missing(conn, today)?,
    })
}

#[tauri::command]
pub async fn home_overview(state: State<'_, AppState>) -> Result<Overview, AppError> {
    state.run(|db| overview(db, dates::today())).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use houqin::school::children::{ChildDetails, NewChild};
    use houqin::school::classes::ClassInput;
    use houqin::school::{Gender, Grade};
    use std::path::PathBuf;

    fn d(s: &str) -> chrono::NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn overview_of_an_empty_school_has_no_profile() {
        let db = Db::open_scratch().expect("db");
        let o = overview(&db, d("2025-10-15")).expect("overview");
        assert!(o.profile.is_none());
        assert_eq!(o.children_today, 0);
        assert_eq!(o.legal_working_days, 18);
        assert_eq!(o.month_label, "2025年10月");
    }

    #[test]
    fn overview_counts_classes_and_children_through_the_state() {
        let mut db = Db::open_scratch().expect("db");
        let class =
            classes::add(&mut db, &ClassInput { name: "大一班".into(), grade: Grade::Senior, head_teacher: "".into() })
                .expect("class");
        children::add(
            &mut db,
            &NewChild {
                details: ChildDetails {
                    name: "王小明".into(),
                    gender: Gender::Male,
                    birth_date: None,
                    student_no: "001".into(),
                    guardian_name: String::new(),
                    guardian_phone: String::new(),
                    enrolled_on: d("2025-09-01"),
                },
                class_id: class,
            },
        )
        .expect("child");
        let state = AppState::from_db(db, PathBuf::from(":memory:"));
        let o = tauri::async_runtime::block_on(state.run(|db| overview(db, d("2025-10-15")))).expect("overview");
        assert_eq!(o.classes.len(), 1);
        assert_eq!(o.children_today, 1);
        assert_eq!(o.classes[0].child_count, 1);
    }

    #[test]
    fn a_refused_write_comes_back_as_error_view() {
        let state = AppState::from_db(Db::open_scratch().expect("db"), PathBuf::from(":memory:"));
        let input = ClassInput { name: "  ".into(), grade: Grade::Junior, head_teacher: String::new() };
        let err = tauri::async_runtime::block_on(state.run(move |db| classes::add(db, &input))).expect_err("refused");
        assert_eq!(
            serde_json::to_value(&err).expect("json"),
            serde_json::json!({"type": "Invalid", "code": "invalid", "message": "请填写班级名称"})
        );
        let n = tauri::async_runtime::block_on(state.run(|db| classes::list(db.conn()))).expect("list").len();
        assert_eq!(n, 0);
    }
}

/// 体检: every cross-module check of `month` (last month when not given).
#[tauri::command]
pub async fn check_run(
    state: State<'_, AppState>,
    month: Option<YearMonth>,
) -> Result<houqin::check::CheckReport, AppError> {
    let month = month.unwrap_or_else(|| YearMonth::of(dates::today()).prev());
    state.run(move |db| houqin::check::run(db.conn(), month, dates::now())).await
}
