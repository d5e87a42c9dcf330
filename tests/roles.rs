//! The core enforces each role on every write, whatever the screen shows: a
//! person signed in as one role is refused the writes of another, with a
//! clear message, and nothing is saved. Runs on SQLite, and on PostgreSQL
//! when `HOUQIN_TEST_DB` is set.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report

use houqin::auth::{self, Role};
use houqin::dates::YearMonth;
use houqin::db::Db;
use houqin::school::classes::{self, ClassInput};
use houqin::school::Grade;
use houqin::settlement::month as settlement;
use houqin::supplies::items::{self, ItemFilter, ItemInput};
use houqin::Error;

fn class(name: &str) -> ClassInput {
    ClassInput { name: name.into(), grade: Grade::Junior, head_teacher: String::new() }
}

fn pencil() -> ItemInput {
    ItemInput { name: "铅笔".into(), category: "办公用品".into(), unit: "支".into(), ..Default::default() }
}

fn forbidden<T: std::fmt::Debug>(r: houqin::Result<T>, job: &str) {
    match r {
        Err(e @ Error::Forbidden { .. }) => assert!(e.to_string().contains(job), "{e}"),
        other => panic!("expected a refusal for {job}, got {other:?}"),
    }
}

#[test]
fn each_role_writes_only_its_own_data() {
    let mut db = Db::open_scratch().expect("db");
    auth::create_first_admin(&mut db, "王管理", "admin-pass-1").expect("admin");
    auth::sign_in(&mut db, "王管理", "admin-pass-1").expect("admin signs in");
    for (name, role) in
        [("李会计", Role::Bursar), ("张厨师", Role::Kitchen), ("赵资产", Role::Assets), ("刘园长", Role::Head)]
    {
        auth::add_user(&mut db, name, role, "pass-word-1").expect("user");
    }
    classes::add(&mut db, &class("小一班")).expect("the administrator sets up the school");
    let as_user = |db: &mut Db, name: &str| auth::sign_in(db, name, "pass-word-1").expect("signs in");

    as_user(&mut db, "张厨师");
    forbidden(classes::add(&mut db, &class("小二班")), "学校、班级和幼儿信息");
    forbidden(items::add(&mut db, &pencil()), "物品领用");
    forbidden(houqin::settings::set(&mut db, "school.phone", "123"), "设置");

    as_user(&mut db, "李会计");
    forbidden(items::add(&mut db, &pencil()), "物品领用");
    let month = YearMonth::of(houqin::dates::today());
    forbidden(settlement::reopen(&mut db, month, "重算"), "重新打开已结账的月份");

    as_user(&mut db, "刘园长");
    forbidden(settlement::confirm(&mut db, month), "请假、收费、月结、通知单和收款");
    forbidden(classes::add(&mut db, &class("小三班")), "学校、班级和幼儿信息");

    // Nothing refused was saved; the asset keeper's own write is.
    assert_eq!(classes::list(db.conn()).expect("classes").len(), 1);
    assert!(items::list(db.conn(), &ItemFilter::default()).expect("items").is_empty());
    as_user(&mut db, "赵资产");
    items::add(&mut db, &pencil()).expect("the asset keeper adds an item");
    assert_eq!(items::list(db.conn(), &ItemFilter::default()).expect("items").len(), 1);
}
