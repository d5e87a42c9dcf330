#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // in a test, a panic is the failure report
//! Repair requests (报修) end to end through the core: the acceptance
//! story (a broken air conditioner in 大一班 reported, assigned, closed with a
//! cost, the card's history), overdue as of the day asked for, the 报废
//! suggestion threshold, bad input that changes nothing, costs per month and
//! room, the slip and the monthly list read back with poppler, and the
//! command line. `HOUQIN_TEST_DB=postgres://…` runs the same on PostgreSQL.

mod common;

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use common::{d, m, out_dir, squashed, text_of};
use houqin::assets::register::{self, AssetInput};
use houqin::assets::{self as assets_mod, categories, movements, Acquisition, AssetId, AssetStatus};
use houqin::db::Db;
use houqin::repairs::reports;
use houqin::repairs::settings::{self as repair_settings, RepairSettings};
use houqin::repairs::{self, CloseInput, RepairId, RepairInput, RepairStatus, RepairSteps, Trade};
use houqin::school::profile::{self, SchoolProfile};
use houqin::Fen;

fn today() -> NaiveDate {
    d("2026-11-20")
}

fn card(db: &mut Db, category: &str, name: &str, room: &str, value: &str) -> (AssetId, String) {
    let cat = categories::find(db.conn(), category).expect("find").expect(category);
    let input = AssetInput {
        number: String::new(),
        name: name.into(),
        category_id: cat.id,
        model: String::new(),
        quantity: String::new(),
        unit: String::new(),
        room: room.into(),
        department: String::new(),
        custodian: "陈老师".into(),
        acquired_on: d("2023-09-01"),
        acquisition: Acquisition::Purchase,
        supplier: String::new(),
        original_value: value.into(),
        life: String::new(),
        status: AssetStatus::InUse,
        note: String::new(),
    };
    let id = register::add(db, &input, today()).expect("add card");
    let number = register::get(db.conn(), id, today()).expect("card").number;
    (id, number)
}

/// A school with an air conditioner (6,899 元) and a piano in 大一班, a copier in 办公室.
fn school() -> (Db, (AssetId, String)) {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("钱保管");
    profile::save(&mut db, &SchoolProfile { name: "向日葵幼儿园".into(), ..Default::default() }).expect("profile");
    let ac = card(&mut db, "空调", "柜式空调", "大一班", "6899");
    card(&mut db, "电气设备", "钢琴", "大一班", "14700");
    card(&mut db, "办公设备", "复印机", "办公室", "3000");
    (db, ac)
}

fn status(db: &Db, id: AssetId) -> AssetStatus {
    register::get(db.conn(), id, today()).expect("card").status
}

fn count(db: &Db, sql: &str) -> i64 {
    db.conn().value(sql, &[]).expect("count")
}

fn report(room: &str, asset: &str, trade: Trade, urgent: bool, desc: &str, on: &str) -> RepairInput {
    RepairInput {
        reported_on: d(on),
        room: room.into(),
        asset_number: asset.into(),
        trade,
        description: desc.into(),
        urgent,
        reporter: "陈老师".into(),
    }
}

fn close_input(on: &str, cost: &str) -> CloseInput {
    CloseInput { done_on: d(on), work: "清洗滤网,补充冷媒".into(), cost: cost.into(), suggest_scrap: false }
}

#[test]
fn acceptance_air_conditioner_in_da_yi_ban_reported_assigned_closed_and_on_the_card() {
    let (mut db, (ac, number)) = school();
    let input = report("大一班", &number, Trade::Appliance, true, "空调不制冷,吹热风", "2026-11-18");
    let id = repairs::add(&mut db, &input, today()).expect("report");
    assert_eq!(status(&db, ac), AssetStatus::Repair, "an open request shows 维修 on the card");
    let r = repairs::get(db.conn(), id, today()).expect("get");
    assert_eq!(
        (r.status, r.room.as_str(), r.asset_number.as_deref()),
        (RepairStatus::Reported, "大一班", Some(number.as_str()))
    );

    repairs::assign(&mut db, id, "王师傅", d("2026-11-18"), today()).expect("assign");
    repairs::visit(&mut db, id, d("2026-11-18"), today()).expect("visit");
    let done = repairs::close(&mut db, id, &close_input("2026-11-19", "350.50"), today()).expect("close");
    assert_eq!((done.status, done.cost, done.scrap_suggested), (RepairStatus::Done, Fen(35_050), false));
    assert_eq!(status(&db, ac), AssetStatus::InUse, "closing puts the card back in use");

    let card = assets_mod::card(db.conn(), ac, today()).expect("card");
    assert_eq!(card.repairs.len(), 1, "the card shows its repair history");
    let h = &card.repairs[0];
    assert_eq!(
        (h.id, h.assignee.as_str(), h.cost, h.done_on, h.description.as_str()),
        (id, "王师傅", Fen(35_050), Some(d("2026-11-19")), "空调不制冷,吹热风")
    );

    repairs::confirm(&mut db, id, d("2026-11-20"), today()).expect("confirm");
    assert_eq!(repairs::get(db.conn(), id, today()).expect("get").status, RepairStatus::Confirmed);
    // Every step audited, and the card's two status changes with it.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'repair'"), 5);
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'asset' AND action = 'status' AND entity_id = '{ac}'"
            )
        ),
        2
    );
}

/// While a request is open the card stays 维修: editing the card cannot set
/// another status (closing or cancelling puts back the one it had).
#[test]
fn an_open_request_keeps_the_card_at_repair_until_it_is_closed_or_cancelled() {
    let (mut db, (ac, number)) = school();
    let input = report("大一班", &number, Trade::Appliance, false, "空调异响", "2026-11-18");
    let id = repairs::add(&mut db, &input, today()).expect("report");
    let a = register::get(db.conn(), ac, today()).expect("card");
    let edit = AssetInput {
        number: a.number.clone(),
        name: a.name.clone(),
        category_id: a.category_id,
        model: String::new(),
        quantity: String::new(),
        unit: String::new(),
        room: a.room.clone(),
        department: String::new(),
        custodian: "陈老师".into(),
        acquired_on: d("2023-09-01"),
        acquisition: Acquisition::Purchase,
        supplier: String::new(),
        original_value: "6899".into(),
        life: String::new(),
        status: AssetStatus::InUse,
        note: String::new(),
    };
    let err = register::update(&mut db, ac, &edit, today()).expect_err("refused while open");
    assert!(err.to_string().contains(&format!("未完成的报修单 {id}")), "{err}");
    assert_eq!(status(&db, ac), AssetStatus::Repair);
    // Anything else on the card can still change.
    let note = AssetInput { status: AssetStatus::Repair, note: "厂家保修到 2027 年".into(), ..edit.clone() };
    register::update(&mut db, ac, &note, today()).expect("a note while open");
    repairs::cancel(&mut db, id, "自行恢复", d("2026-11-19"), today()).expect("cancel");
    assert_eq!(status(&db, ac), AssetStatus::InUse, "cancelling puts back the status it had");
    register::update(&mut db, ac, &edit, today()).expect("free again");
}

/// The steps a request offers (the buttons the screens show) are the ones the
/// core allows: at every stage, each step not offered is refused.
#[test]
fn the_steps_offered_at_each_stage_are_exactly_the_ones_the_core_allows() {
    let (mut db, (_, number)) = school();
    let input = report("大一班", &number, Trade::Appliance, true, "空调不制冷", "2026-11-18");
    let id = repairs::add(&mut db, &input, today()).expect("report");
    let offered = |db: &mut Db| {
        let r = repairs::get(db.conn(), id, today()).expect("get");
        let (s, st) = (r.steps, r.status);
        if !s.assign {
            assert!(repairs::assign(db, id, "李师傅", d("2026-11-19"), today()).is_err(), "assign at {st:?}");
        }
        if !s.visit {
            assert!(repairs::visit(db, id, d("2026-11-19"), today()).is_err(), "visit at {st:?}");
        }
        if !s.close {
            assert!(repairs::close(db, id, &close_input("2026-11-19", "10"), today()).is_err(), "close at {st:?}");
        }
        if !s.confirm {
            assert!(repairs::confirm(db, id, d("2026-11-20"), today()).is_err(), "confirm at {st:?}");
        }
        if !s.cancel {
            assert!(repairs::cancel(db, id, "重复报修", d("2026-11-20"), today()).is_err(), "cancel at {st:?}");
        }
        assert_eq!(repairs::get(db.conn(), id, today()).expect("get").status, st, "a refused step changes nothing");
        s
    };
    let none = RepairSteps {
        open: false,
        closed: false,
        assign: false,
        visit: false,
        close: false,
        confirm: false,
        cancel: false,
    };
    let open = RepairSteps { open: true, cancel: true, ..none };
    assert_eq!(offered(&mut db), RepairSteps { assign: true, ..open }, "reported");
    repairs::assign(&mut db, id, "王师傅", d("2026-11-18"), today()).expect("assign");
    assert_eq!(offered(&mut db), RepairSteps { assign: true, visit: true, close: true, ..open }, "assigned");
    repairs::visit(&mut db, id, d("2026-11-18"), today()).expect("visit");
    assert_eq!(offered(&mut db), RepairSteps { close: true, ..open }, "visited");
    repairs::close(&mut db, id, &close_input("2026-11-19", "120"), today()).expect("close");
    assert_eq!(offered(&mut db), RepairSteps { closed: true, confirm: true, ..none }, "done");
    repairs::confirm(&mut db, id, d("2026-11-20"), today()).expect("confirm");
    assert_eq!(offered(&mut db), RepairSteps { closed: true, ..none }, "confirmed");
}

#[test]
fn a_request_is_overdue_when_not_visited_by_the_deadline_of_its_urgency() {
    let (mut db, (_, number)) = school();
    let normal =
        repairs::add(&mut db, &report("办公室", "", Trade::Water, false, "洗手池下水堵塞", "2026-11-10"), today())
            .expect("normal");
    let urgent = repairs::add(&mut db, &report("", &number, Trade::Appliance, true, "空调漏水", "2026-11-13"), today())
        .expect("urgent");
    let at = |db: &Db, id: RepairId, day: &str| repairs::get(db.conn(), id, d(day)).expect("get");
    // Defaults: urgent the same day, others 3 days.
    assert_eq!(at(&db, normal, "2026-11-13").visit_due, d("2026-11-13"));
    assert!(!at(&db, normal, "2026-11-13").overdue);
    assert!(at(&db, normal, "2026-11-14").overdue);
    assert!(!at(&db, urgent, "2026-11-13").overdue, "urgent: the day it was reported is still in time");
    assert!(at(&db, urgent, "2026-11-14").overdue);
    assert_eq!(at(&db, urgent, "2026-11-20").age_days, 7);
    assert_eq!(at(&db, urgent, "2026-11-20").room, "大一班", "the room comes from the card");

    repair_settings::save(
        &mut db,
        &RepairSettings { urgent_visit_days: 1, normal_visit_days: 5, scrap_share_percent: 50 },
    )
    .expect("settings");
    assert!(!at(&db, normal, "2026-11-15").overdue, "the deadline is the setting's");
    assert!(at(&db, normal, "2026-11-16").overdue);
    assert!(!at(&db, urgent, "2026-11-14").overdue);

    // Assigned is still waiting; visited is not.
    repairs::assign(&mut db, normal, "李师傅", d("2026-11-16"), today()).expect("assign");
    assert!(at(&db, normal, "2026-11-20").overdue);
    let groups = reports::open_by_trade(db.conn(), today()).expect("by trade");
    let summary: Vec<(&str, usize, usize)> =
        groups.iter().map(|g| (g.trade_label.as_str(), g.repairs.len(), g.overdue)).collect();
    assert_eq!(summary, [("水", 1, 1), ("电器", 1, 1)]);
    let week = reports::follow_up(db.conn(), today()).expect("week");
    assert_eq!((week.week_from, week.week_to), (d("2026-11-16"), d("2026-11-22")));
    assert_eq!(week.items.len(), 2);
    assert!(week.items.iter().all(|i| i.reason.starts_with("拖延未修")), "{:?}", week.items);

    repairs::visit(&mut db, normal, d("2026-11-17"), today()).expect("visit");
    assert!(!at(&db, normal, "2026-11-20").overdue);
    let week = reports::follow_up(db.conn(), today()).expect("week");
    let reasons: Vec<(RepairId, &str)> = week.items.iter().map(|i| (i.repair.id, i.reason.as_str())).collect();
    assert_eq!(reasons[0].0, urgent, "overdue first");
    assert!(reasons[1].1.starts_with("已上门,尚未修好"), "{reasons:?}");
}

#[test]
fn a_repair_costing_more_than_the_set_share_of_the_original_value_suggests_scrapping() {
    let (mut db, _) = school();
    let copier_no = register::list(db.conn(), &Default::default(), today())
        .expect("list")
        .into_iter()
        .find(|a| a.name == "复印机")
        .expect("copier");
    let run = |db: &mut Db, cost: &str, scrap: bool| {
        let id =
            repairs::add(db, &report("", &copier_no.number, Trade::Appliance, false, "卡纸", "2026-11-16"), today())
                .expect("report");
        repairs::assign(db, id, "厂家售后", d("2026-11-16"), today()).expect("assign");
        let input = CloseInput { suggest_scrap: scrap, ..close_input("2026-11-17", cost) };
        repairs::close(db, id, &input, today()).expect("close")
    };
    // 原值 3,000: half is 1,500.
    assert!(!run(&mut db, "1500", false).scrap_suggested, "exactly the share is not above it");
    assert!(run(&mut db, "1500.01", false).scrap_suggested);
    assert_eq!(status(&db, copier_no.id), AssetStatus::InUse, "a suggestion only suggests: the card is back in use");
    repair_settings::save(&mut db, &RepairSettings { scrap_share_percent: 40, ..RepairSettings::default() })
        .expect("40%");
    assert!(run(&mut db, "1200.01", false).scrap_suggested, "the share is the setting's");
    // The keeper marks it: the card stays 维修, and disposal is the register's own procedure.
    let marked = run(&mut db, "100", true);
    assert!(marked.scrap_suggested && marked.scrap_marked);
    assert_eq!(status(&db, copier_no.id), AssetStatus::Repair);
    let disposal = movements::request(
        &mut db,
        &movements::DisposalRequest {
            asset_id: copier_no.id,
            method: movements::DisposalMethod::Scrap,
            reason: "维修费用过高".into(),
            requested_on: today(),
            note: String::new(),
        },
        today(),
    )
    .expect("disposal request");
    assert_eq!(status(&db, copier_no.id), AssetStatus::PendingDisposal);
    let d_ = movements::get(db.conn(), disposal).expect("disposal");
    assert_eq!(d_.status, movements::DisposalStatus::Requested);
    // A card waiting for disposal takes no new request.
    let err =
        repairs::add(&mut db, &report("", &copier_no.number, Trade::Appliance, false, "又坏了", "2026-11-20"), today())
            .expect_err("pending disposal");
    assert!(err.to_string().contains("待报废"), "{err}");
}

#[test]
fn bad_input_is_refused_in_chinese_and_changes_nothing() {
    let (mut db, (ac, number)) = school();
    let open =
        repairs::add(&mut db, &report("大一班", &number, Trade::Appliance, false, "遥控器失灵", "2026-11-19"), today())
            .expect("open");
    let cancelled =
        repairs::add(&mut db, &report("办公室", "", Trade::DoorsWindows, false, "门锁坏了", "2026-11-19"), today())
            .expect("c");
    repairs::cancel(&mut db, cancelled, "重复报修", today(), today()).expect("cancel");
    let snapshot = |db: &Db| {
        (
            count(db, "SELECT COUNT(*) FROM repairs"),
            count(db, "SELECT COUNT(*) FROM audit_log"),
            status(db, ac),
            repairs::list(db.conn(), &Default::default(), today()).expect("list"),
        )
    };
    let before = snapshot(&db);
    let mut add = |input: RepairInput, words: &str| {
        let err = repairs::add(&mut db, &input, today()).expect_err(words);
        assert!(err.to_string().contains(words), "{err} should say {words}");
    };
    add(report("三楼", "", Trade::Water, false, "漏水", "2026-11-20"), "资产账上没有“三楼”");
    add(report("大一班", "ZC-NONE", Trade::Water, false, "漏水", "2026-11-20"), "没有编号为“ZC-NONE”的资产");
    add(report("办公室", &number, Trade::Appliance, false, "不制冷", "2026-11-20"), "在“大一班”,不在“办公室”");
    add(report("大一班", "", Trade::Water, false, "  ", "2026-11-20"), "请填写故障描述");
    add(
        RepairInput { reporter: " ".into(), ..report("大一班", "", Trade::Water, false, "漏水", "2026-11-20") },
        "请填写报修人",
    );
    add(report("大一班", "", Trade::Water, false, "漏水", "2026-11-21"), "晚于今天");
    add(report("大一班", &number, Trade::Appliance, false, "又不制冷", "2026-11-20"), "已有未完成的报修单");
    add(report("", "", Trade::Water, false, "漏水", "2026-11-20"), "请填写报修地点");

    let refuse = |r: houqin::Result<()>, words: &str| {
        let err = r.expect_err(words);
        assert!(err.to_string().contains(words), "{err} should say {words}");
    };
    let close = |db: &mut Db, id: RepairId, cost: &str| {
        repairs::close(db, id, &close_input("2026-11-20", cost), today()).map(|_| ())
    };
    refuse(close(&mut db, open, "10"), "还没有派工,不能完工");
    refuse(repairs::confirm(&mut db, open, today(), today()), "完工后才能确认");
    refuse(repairs::visit(&mut db, open, today(), today()), "还没有派工");
    refuse(repairs::assign(&mut db, cancelled, "王师傅", today(), today()), "已撤销,不能再派工");
    refuse(close(&mut db, cancelled, "10"), "已撤销");
    refuse(repairs::confirm(&mut db, cancelled, today(), today()), "已撤销");
    refuse(repairs::assign(&mut db, open, "", today(), today()), "请填写维修人");
    refuse(repairs::assign(&mut db, open, "王师傅", d("2026-11-18"), today()), "早于报修日期");
    assert_eq!(snapshot(&db), before, "nothing saved by any refusal");

    repairs::assign(&mut db, open, "王师傅", today(), today()).expect("assign");
    let before = snapshot(&db);
    refuse(close(&mut db, open, "-5"), "不能为负数");
    refuse(close(&mut db, open, "100000000"), "过大");
    refuse(close(&mut db, open, "12.345"), "两位小数");
    refuse(
        repairs::close(&mut db, open, &CloseInput { work: " ".into(), ..close_input("2026-11-20", "10") }, today())
            .map(|_| ()),
        "请填写维修内容",
    );
    assert_eq!(snapshot(&db), before, "nothing saved by any refusal");
    assert_eq!(status(&db, ac), AssetStatus::Repair);
    let no = repairs::get(db.conn(), RepairId(999), today()).expect_err("unknown");
    assert!(no.to_string().contains("报修单"), "{no}");
}

#[test]
fn costs_per_month_and_room_count_finished_work_by_the_day_it_was_done() {
    let (mut db, _) = school();
    let done = |db: &mut Db, room: &str, on: &str, done_on: &str, cost: &str| {
        let id = repairs::add(db, &report(room, "", Trade::Electric, false, "灯管不亮", on), today()).expect("report");
        repairs::assign(db, id, "李电工", d(on), today()).expect("assign");
        repairs::close(db, id, &close_input(done_on, cost), today()).expect("close");
        id
    };
    done(&mut db, "大一班", "2026-10-28", "2026-11-02", "80");
    done(&mut db, "大一班", "2026-10-05", "2026-10-06", "45.5");
    done(&mut db, "办公室", "2026-11-03", "2026-11-03", "120");
    done(&mut db, "大一班", "2026-11-10", "2026-11-11", "0");
    let open =
        repairs::add(&mut db, &report("办公室", "", Trade::Carpentry, false, "椅子腿松动", "2026-11-12"), today())
            .expect("open");
    let costs = reports::costs(db.conn(), m("2026-10"), m("2026-11"), today()).expect("costs");
    let summary: Vec<(String, usize, Fen)> = costs.iter().map(|c| (c.month.clone(), c.count, c.cost)).collect();
    assert_eq!(summary, [("2026-10".into(), 1, Fen(4_550)), ("2026-11".into(), 3, Fen(20_000))]);
    let rooms: Vec<(&str, usize, Fen)> = costs[1].rooms.iter().map(|r| (r.room.as_str(), r.count, r.cost)).collect();
    assert_eq!(rooms, [("办公室", 1, Fen(12_000)), ("大一班", 2, Fen(8_000))]);

    let list = reports::month_list(db.conn(), m("2026-11"), today()).expect("month");
    let ids: Vec<RepairId> = list.repairs.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 4, "reported in November, or reported in October and finished in November");
    assert!(ids.contains(&open));
    assert_eq!(list.open, 1);

    // The monthly list on paper: every request, the room totals, the total.
    let path = out_dir().join("repairs-month.pdf");
    repairs::pdf::write_month(&list, &path).expect("write month");
    let text = squashed(&text_of(&path));
    for words in [
        "向日葵幼儿园2026年11月维修登记表",
        "椅子腿松动",
        "李电工",
        "办公室1120.00",
        "大一班280.00",
        "合计3200.00",
        "月末未完成：1件",
    ] {
        assert!(text.contains(words), "monthly list lacks {words}: {text}");
    }
    assert!(!text.contains("45.50"), "October's work is not November's cost");
}

#[test]
fn the_slip_prints_the_request_the_work_and_the_cost() {
    let (mut db, (_, number)) = school();
    let id =
        repairs::add(&mut db, &report("大一班", &number, Trade::Appliance, true, "空调不制冷", "2026-11-19"), today())
            .expect("report");
    repairs::assign(&mut db, id, "王师傅", d("2026-11-19"), today()).expect("assign");
    let r = repairs::close(&mut db, id, &close_input("2026-11-19", "4000"), today()).expect("close");
    assert!(r.scrap_suggested, "4,000 of 6,899 is above half");
    let path = out_dir().join("repairs-slip.pdf");
    repairs::pdf::write_slip(&r, "向日葵幼儿园", &path).expect("slip");
    let text = squashed(&text_of(&path));
    for words in [
        "向日葵幼儿园维修单",
        &format!("柜式空调（{number}）"),
        "电器",
        "紧急（应于2026年11月19日前上门）",
        "空调不制冷",
        "王师傅",
        "清洗滤网，补充冷媒",
        "4,000.00元",
        "建议办理报废",
        "报修人签字",
    ] {
        assert!(text.contains(words), "slip lacks {words}: {text}");
    }
    // A file that cannot be written leaves nothing behind.
    let bad = out_dir().join("no-such-dir").join("slip.pdf");
    assert!(repairs::pdf::write_slip(&r, "向日葵幼儿园", &bad).is_err());
    assert!(!bad.exists());
}

fn houqin(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_houqin"))
        .arg("--db")
        .arg(db)
        .arg("--operator")
        .arg("钱保管")
        .args(args)
        .output()
        .expect("run houqin");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_reports_assigns_closes_and_prints() {
    let dir = out_dir().join("repairs-cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("houqin.db");
    let ok = |args: &[&str]| {
        let (ok, out, err) = houqin(&db, args);
        assert!(ok, "houqin {args:?} failed: {err}");
        out
    };
    ok(&["init", "--name", "向日葵幼儿园"]);
    let csv = dir.join("register.csv");
    std::fs::write(&csv, "资产编号,资产名称,类别名称,数量,存放地点,责任人,取得日期,原值\nZC-0001,柜式空调,空调,1,大一班,陈老师,2023-09-01,6899\n")
        .expect("csv");
    ok(&["assets", "import", csv.to_str().expect("path")]);
    let out = ok(&[
        "repairs",
        "add",
        "--room",
        "大一班",
        "--asset",
        "ZC-0001",
        "--trade",
        "电器",
        "--urgent",
        "--desc",
        "空调不制冷",
        "--reporter",
        "陈老师",
    ]);
    assert!(out.contains("已登记报修单 1") && out.contains("维修"), "{out}");
    assert!(ok(&["assets", "list", "--status", "维修"]).contains("ZC-0001"));

    // Refused: closing before it is assigned; nothing saved.
    let (success, _, err) = houqin(&db, &["repairs", "close", "1", "--work", "加氟", "--cost", "300"]);
    assert!(!success && err.contains("还没有派工,不能完工"), "{err}");
    let (success, _, err) =
        houqin(&db, &["repairs", "add", "--room", "三楼", "--trade", "水", "--desc", "漏水", "--reporter", "陈老师"]);
    assert!(!success && err.contains("资产账上没有“三楼”"), "{err}");

    let open = ok(&["repairs", "list", "--open"]);
    assert!(open.contains("【电器】1 件") && open.contains("空调不制冷"), "{open}");
    ok(&["repairs", "assign", "1", "--to", "王师傅"]);
    let out = ok(&["repairs", "close", "1", "--work", "加氟", "--cost", "300"]);
    assert!(out.contains("费用 300.00 元"), "{out}");
    assert!(ok(&["assets", "list", "--status", "在用"]).contains("ZC-0001"), "back in use");
    let history = ok(&["repairs", "list", "--asset", "ZC-0001"]);
    assert!(history.contains("王师傅") && history.contains("300.00") && history.contains("已完成"), "{history}");
    let week = ok(&["repairs", "week"]);
    assert!(week.contains("请报修人确认"), "{week}");
    ok(&["repairs", "confirm", "1"]);

    let slip = dir.join("slip.pdf");
    ok(&["repairs", "slip", "1", "--out", slip.to_str().expect("path")]);
    assert!(squashed(&text_of(&slip)).contains("维修内容加氟"));
    let month = houqin::dates::YearMonth::of(houqin::dates::today()).to_string();
    let list = dir.join("month.pdf");
    let out = ok(&["repairs", "month", &month, "--out", list.to_str().expect("path")]);
    assert!(out.contains("完工 1 件,费用 300.00 元"), "{out}");
    assert!(squashed(&text_of(&list)).contains("大一班1300.00"));
}

#[test]
fn the_demo_school_has_open_overdue_and_closed_requests_and_an_air_conditioner_with_history() {
    let mut db = Db::open_scratch().expect("db");
    db.set_operator("演示");
    let today = houqin::dates::today();
    houqin::demo::load(&mut db, today).expect("demo");
    let all = repairs::list(db.conn(), &Default::default(), today).expect("list");
    assert!(all.len() >= 12, "a dozen requests: {}", all.len());
    assert!(all.iter().any(|r| r.overdue), "some overdue");
    assert!(all.iter().any(|r| r.status.is_open() && !r.overdue), "some open in time");
    assert!(all.iter().any(|r| r.status == RepairStatus::Cancelled));
    assert!(all.iter().any(|r| r.status.is_closed() && r.cost > Fen::ZERO));
    assert!(all.iter().any(|r| r.scrap_suggested), "one costly enough to suggest 报废");
    let ac = all
        .iter()
        .find(|r| r.room == "大一班" && r.asset_name.as_deref() == Some("柜式空调"))
        .expect("air conditioner");
    let card = assets_mod::card(db.conn(), ac.asset_id.expect("card"), today).expect("card");
    assert_eq!(card.asset.status, AssetStatus::Repair, "its open request shows");
    assert!(
        card.repairs.len() >= 2 && card.repairs.iter().any(|r| r.status.is_closed()),
        "history: {:?}",
        card.repairs
    );
    assert!(!reports::follow_up(db.conn(), today).expect("week").items.is_empty());
}

#[test]
fn anyone_reports_and_confirms_but_only_the_asset_keeper_assigns_and_closes() {
    let (mut db, (ac, number)) = school();
    houqin::auth::create_first_admin(&mut db, "王管理", "admin-pass-1").expect("admin");
    houqin::auth::sign_in(&mut db, "王管理", "admin-pass-1").expect("admin signs in");
    for (name, role) in [("张厨师", houqin::auth::Role::Kitchen), ("赵资产", houqin::auth::Role::Assets)] {
        houqin::auth::add_user(&mut db, name, role, "pass-word-1").expect("user");
    }
    let as_user = |db: &mut Db, name: &str| houqin::auth::sign_in(db, name, "pass-word-1").expect("signs in");
    let refused = |r: houqin::Result<()>| {
        let e = r.expect_err("the kitchen may not");
        assert!(matches!(e, houqin::Error::Forbidden { .. }) && e.to_string().contains("固定资产和盘点"), "{e}");
    };

    as_user(&mut db, "张厨师");
    let id = repairs::add(&mut db, &report("", &number, Trade::Appliance, false, "空调异响", "2026-11-20"), today())
        .expect("the kitchen reports");
    refused(repairs::assign(&mut db, id, "王师傅", today(), today()));
    refused(repairs::cancel(&mut db, id, "不修了", today(), today()));
    assert_eq!(repairs::get(db.conn(), id, today()).expect("get").status, RepairStatus::Reported, "nothing saved");

    as_user(&mut db, "赵资产");
    repairs::assign(&mut db, id, "王师傅", today(), today()).expect("the keeper assigns");
    repairs::close(&mut db, id, &close_input("2026-11-20", "80"), today()).expect("and closes");
    assert_eq!(status(&db, ac), AssetStatus::InUse);

    as_user(&mut db, "张厨师");
    repairs::confirm(&mut db, id, today(), today()).expect("the reporter confirms");
    assert_eq!(repairs::get(db.conn(), id, today()).expect("get").status, RepairStatus::Confirmed);
}
