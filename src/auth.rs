//! Sign-in and roles (登录与权限).
//!
//! On a school's server every person signs in, and what they may change is
//! decided by their role: the core checks it inside every write transaction
//! ([`crate::db::Db::with_tx`] takes the [`Job`] a write belongs to), so a
//! hidden button is a convenience, not the protection. On one PC with a local
//! file the operator chosen at start-up (操作员) stays the default; the school
//! can turn sign-in on there too (setting [`SIGN_IN_REQUIRED`]).
//!
//! Passwords are kept only as argon2 hashes. What this does not protect: the
//! PCs reach PostgreSQL with one database account, and anyone who holds its
//! password can change data with `psql`, around these roles (see the README).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::school::{id_type, text_enum_sql};
use crate::store::{self, Conn};
use crate::{Error, Result};

id_type!(
    /// A person who signs in.
    UserId
);

/// The setting that turns sign-in on for a local file ("1": on).
pub const SIGN_IN_REQUIRED: &str = "auth.sign_in_required";

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// What a person does in the back office; each role may change the data of
/// some [`Job`]s. Everyone may read everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 会计/出纳: children and classes, absences, fees, settlement, notices, payments, the meal account.
    Bursar,
    /// 食堂管理员: food samples, kitchen logs, meal-account purchases.
    Kitchen,
    /// 资产管理员: supplies, fixed assets, stocktakes.
    Assets,
    /// 园长: reads everything, approves disposals, reopens closed months.
    Head,
    /// 管理员: users, settings, backups, the school's set-up.
    Admin,
}
text_enum_sql!(Role { Bursar => "bursar", Kitchen => "kitchen", Assets => "assets", Head => "head", Admin => "admin" });

/// The kinds of change the core tells apart when it checks a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Job {
    /// The school's set-up: profile, classes, children, staff, calendar.
    School,
    /// Absences, fee rules, settling months, notices, payments, the meal account.
    Fees,
    /// Purchases and stock counts of the meal account (伙食账进货).
    MealPurchases,
    /// Food samples and the kitchen's daily logs.
    Kitchen,
    /// Supplies (物品领用).
    Supplies,
    /// Fixed assets and stocktakes.
    Assets,
    /// Approving or rejecting a disposal (报废审批).
    ApproveDisposal,
    /// Reporting a repair and confirming it is fixed (报修): everyone's.
    ReportRepair,
    /// Reopening a closed month (重新打开已结账月份).
    ReopenMonth,
    /// Settings forms.
    Settings,
    /// Adding and disabling users.
    Users,
    /// Backups and restores; loading the demo school.
    Maintenance,
}

impl Job {
    /// What the job is called in a refusal.
    pub fn label(self) -> &'static str {
        match self {
            Job::School => "学校、班级和幼儿信息",
            Job::Fees => "请假、收费、月结、通知单和收款",
            Job::MealPurchases => "伙食账进货和盘点",
            Job::Kitchen => "食品留样和食堂记录",
            Job::Supplies => "物品领用",
            Job::Assets => "固定资产和盘点",
            Job::ApproveDisposal => "报废审批",
            Job::ReportRepair => "报修",
            Job::ReopenMonth => "重新打开已结账的月份",
            Job::Settings => "设置",
            Job::Users => "用户管理",
            Job::Maintenance => "数据备份与恢复",
        }
    }
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Bursar, Role::Kitchen, Role::Assets, Role::Head, Role::Admin];

    pub fn label(self) -> &'static str {
        match self {
            Role::Bursar => "会计",
            Role::Kitchen => "食堂",
            Role::Assets => "资产",
            Role::Head => "园长",
            Role::Admin => "管理员",
        }
    }

    /// Accepts the code names and the Chinese labels.
    pub fn parse(s: &str) -> Option<Role> {
        let t = s.trim();
        Role::from_code(&t.to_ascii_lowercase()).or_else(|| Role::ALL.into_iter().find(|r| r.label() == t))
    }

    /// The jobs whose data this role may change.
    pub fn jobs(self) -> &'static [Job] {
        match self {
            Role::Bursar => &[Job::School, Job::Fees, Job::MealPurchases, Job::ReportRepair],
            Role::Kitchen => &[Job::Kitchen, Job::MealPurchases, Job::ReportRepair],
            Role::Assets => &[Job::Supplies, Job::Assets, Job::ReportRepair],
            Role::Head => &[Job::ApproveDisposal, Job::ReopenMonth, Job::ReportRepair],
            Role::Admin => &[Job::School, Job::Settings, Job::Users, Job::Maintenance, Job::ReportRepair],
        }
    }

    pub fn may(self, job: Job) -> bool {
        self.jobs().contains(&job)
    }
}

/// A person as lists show them (never the hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub role_label: String,
    pub disabled: bool,
    pub created_at: String,
    pub created_by: String,
}

/// Who is working: a signed-in user, or (on a local file without sign-in)
/// the operator chosen at start-up, who may change everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    Operator(String),
    User { id: UserId, name: String, role: Role },
}

impl Session {
    /// The name the audit trail records.
    pub fn name(&self) -> &str {
        match self {
            Session::Operator(n) => n,
            Session::User { name, .. } => name,
        }
    }
}

/// An argon2 hash of `password` with a fresh salt.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::invalid(format!("无法保存密码:{e}")))
}

/// Whether `password` matches a stored hash (a damaged hash matches nothing).
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::invalid(format!("密码至少需要 {MIN_PASSWORD_CHARS} 个字符")));
    }
    if password.chars().count() > 200 {
        return Err(Error::invalid("密码不能超过 200 个字符"));
    }
    if password.chars().any(char::is_control) {
        return Err(Error::invalid("密码不能包含控制字符"));
    }
    Ok(())
}

fn check_name(name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() {
        return Err(Error::invalid("请填写用户名"));
    }
    if n.chars().count() > 30 {
        return Err(Error::invalid("用户名不能超过 30 个字"));
    }
    if n.chars().any(|c| c.is_control()) {
        return Err(Error::invalid("用户名不能包含控制字符"));
    }
    Ok(n.to_string())
}

/// Whether this database asks everyone to sign in: always on a server; on a
/// local file when the school turned it on.
pub fn sign_in_required(db: &Db) -> Result<bool> {
    if db.server().is_some() {
        return Ok(true);
    }
    Ok(store::settings::get(db.conn(), SIGN_IN_REQUIRED)?.as_deref() == Some("1"))
}

/// How many users exist (none: the first administrator is still to be created).
pub fn user_count(conn: &Conn) -> Result<i64> {
    store::users::count(conn)
}

/// Signs `name` in with `password`. A wrong name and a wrong password get the
/// same message, so the refusal tells a stranger nothing.
pub fn sign_in(db: &mut Db, name: &str, password: &str) -> Result<User> {
    let found = store::users::by_name(db.conn(), name.trim())?;
    let Some((user, hash)) = found else {
        // Hash anyway: a wrong name takes as long as a wrong password.
        let _ = verify_password("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", password);
        return Err(Error::SignInRefused);
    };
    if !verify_password(&hash, password) {
        return Err(Error::SignInRefused);
    }
    if user.disabled {
        return Err(Error::conflict(format!("账号“{}”已停用,请联系管理员", user.name)));
    }
    db.set_session(Session::User { id: user.id, name: user.name.clone(), role: user.role });
    Ok(user)
}

/// Creates the first administrator of an empty user list (set-up: `houqin
/// init --admin`, the first start on a server). Refused once anyone exists.
pub fn create_first_admin(db: &mut Db, name: &str, password: &str) -> Result<UserId> {
    let name = check_name(name)?;
    check_password(password)?;
    let hash = hash_password(password)?;
    db.with_tx_unchecked(|tx| {
        if store::users::count(tx)? > 0 {
            return Err(Error::conflict("已经有用户了:请用管理员账号登录后再添加用户"));
        }
        let id = store::users::insert(tx, &name, Role::Admin, &hash)?;
        tx.audit("user", id, "create", None, Some(&serde_json::json!({ "name": name, "role": Role::Admin })))?;
        Ok(id)
    })
}

/// Adds a person (管理员 only).
pub fn add_user(db: &mut Db, name: &str, role: Role, password: &str) -> Result<UserId> {
    let name = check_name(name)?;
    check_password(password)?;
    let hash = hash_password(password)?;
    db.write(Job::Users, |tx| {
        if store::users::by_name(tx, &name)?.is_some() {
            return Err(Error::conflict(format!("已有名为“{name}”的用户")));
        }
        let id = store::users::insert(tx, &name, role, &hash)?;
        tx.audit("user", id, "create", None, Some(&serde_json::json!({ "name": name, "role": role })))?;
        Ok(id)
    })
}

/// Disables (or enables again) a person; they can no longer sign in, and a
/// session of theirs that is open can no longer write.
pub fn set_disabled(db: &mut Db, name: &str, disabled: bool) -> Result<()> {
    db.write(Job::Users, |tx| {
        let Some((user, _)) = store::users::by_name(tx, name.trim())? else {
            return Err(Error::not_found("用户", name.trim()));
        };
        if disabled && user.role == Role::Admin && store::users::active_admins(tx)? <= 1 && !user.disabled {
            return Err(Error::conflict("不能停用最后一位管理员:请先添加另一位管理员"));
        }
        store::users::set_disabled(tx, user.id, disabled)?;
        tx.audit(
            "user",
            user.id,
            if disabled { "disable" } else { "enable" },
            Some(&serde_json::json!({ "disabled": user.disabled })),
            Some(&serde_json::json!({ "disabled": disabled })),
        )
    })
}

/// Changes a person's password: their own (with the old one), or anyone's (管理员).
pub fn change_password(db: &mut Db, name: &str, old: Option<&str>, new: &str) -> Result<()> {
    check_password(new)?;
    let hash = hash_password(new)?;
    let own = db.session().name() == name.trim();
    let job = if own { None } else { Some(Job::Users) };
    let check_old = old.map(str::to_string);
    let run = |tx: &crate::db::Tx| {
        let Some((user, stored)) = store::users::by_name(tx, name.trim())? else {
            return Err(Error::not_found("用户", name.trim()));
        };
        if let Some(old) = &check_old {
            if !verify_password(&stored, old) {
                return Err(Error::SignInRefused);
            }
        } else if own {
            return Err(Error::invalid("请填写原密码"));
        }
        store::users::set_password(tx, user.id, &hash)?;
        tx.audit("user", user.id, "password", None, None)
    };
    match job {
        Some(job) => db.write(job, run),
        None => db.with_tx_unchecked(run),
    }
}

/// Everyone, in the order they were added.
pub fn list(conn: &Conn) -> Result<Vec<User>> {
    store::users::list(conn)
}

/// Turns sign-in on or off for a local file (管理员). Turning it on needs an
/// administrator who can sign in, or nobody could change anything after.
pub fn set_sign_in_required(db: &mut Db, required: bool) -> Result<()> {
    if db.server().is_some() {
        return Err(Error::invalid("连接服务器时每个人都必须登录,不能关闭"));
    }
    db.write(Job::Settings, |tx| {
        if required && store::users::active_admins(tx)? == 0 {
            return Err(Error::conflict("请先添加一位管理员用户,再开启登录"));
        }
        crate::settings::set_in_tx(tx, SIGN_IN_REQUIRED, Some(if required { "1" } else { "0" }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hashed_and_checked() {
        let h = hash_password("correct horse").expect("hash");
        assert!(h.starts_with("$argon2"), "{h}");
        assert!(verify_password(&h, "correct horse"));
        assert!(!verify_password(&h, "correct horsf"));
        assert!(!verify_password("not a hash", "x"));
        assert_ne!(hash_password("correct horse").expect("hash"), h, "salted");
    }

    #[test]
    fn roles_may_change_their_own_jobs_only() {
        assert!(Role::Bursar.may(Job::Fees));
        assert!(!Role::Bursar.may(Job::Kitchen));
        assert!(Role::Kitchen.may(Job::MealPurchases));
        assert!(!Role::Head.may(Job::Fees), "the head reads, approves and reopens");
        assert!(Role::Head.may(Job::ReopenMonth));
        assert!(!Role::Admin.may(Job::Fees));
        assert_eq!(Role::parse("会计"), Some(Role::Bursar));
        assert_eq!(Role::parse("kitchen"), Some(Role::Kitchen));
        assert_eq!(Role::parse("cook"), None);
    }

    #[test]
    fn sign_in_and_role_checks_in_the_core() {
        let mut db = Db::open_scratch().expect("db");
        create_first_admin(&mut db, "王管理", "admin-pass-1").expect("admin");
        assert!(create_first_admin(&mut db, "另一个", "admin-pass-2").is_err(), "only the first");
        let err = sign_in(&mut db, "王管理", "wrong-pass").expect_err("wrong");
        assert!(matches!(err, Error::SignInRefused), "{err:?}");
        assert!(matches!(sign_in(&mut db, "nobody", "admin-pass-1"), Err(Error::SignInRefused)));
        sign_in(&mut db, "王管理", "admin-pass-1").expect("admin signs in");
        add_user(&mut db, "李会计", Role::Bursar, "bursar-pass").expect("bursar");
        add_user(&mut db, "张厨师", Role::Kitchen, "kitchen-pass").expect("cook");
        assert!(add_user(&mut db, "李会计", Role::Bursar, "bursar-pass").is_err(), "duplicate");
        assert!(add_user(&mut db, "短", Role::Bursar, "short").is_err(), "short password");

        sign_in(&mut db, "张厨师", "kitchen-pass").expect("cook signs in");
        let err = add_user(&mut db, "坏人", Role::Admin, "whatever-1").expect_err("not an admin");
        assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
        assert!(err.to_string().contains("用户管理"), "{err}");
        assert_eq!(list(db.conn()).expect("list").len(), 3, "nothing added");

        sign_in(&mut db, "王管理", "admin-pass-1").expect("admin");
        set_disabled(&mut db, "张厨师", true).expect("disable");
        let err = sign_in(&mut db, "张厨师", "kitchen-pass").expect_err("disabled");
        assert!(err.to_string().contains("已停用"), "{err}");
        assert!(set_disabled(&mut db, "王管理", true).is_err(), "the last admin stays");
        let log = crate::db::audit::recent(db.conn(), Some("user"), 10).expect("audit");
        assert_eq!(log[0].operator, "王管理");
        assert_eq!(log[0].action, "disable");
    }
}
