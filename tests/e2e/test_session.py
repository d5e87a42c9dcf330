"""Where the data is, sign-in and roles, backups and restore, a damaged file,
the audit-trail viewer, and two PCs on one server (issues 12 and 13)."""

import datetime
import os
import stat

import pytest

from test_app import set_up_school
from test_attendance import last_month, load_demo

TODAY = datetime.date.today().isoformat()


def sample_time():
    """Lunch's sample time, never later than now: a sample cannot be recorded
    ahead of time, and CI may run before 11:30 (it did, at 05:52)."""
    now = datetime.datetime.now()
    if now.strftime("%H:%M") >= "11:30":
        return "11:30"
    return max(now - datetime.timedelta(minutes=1), now.replace(hour=0, minute=0)).strftime("%H:%M")


def settings_tab(app, tab):
    app.go("settings")
    app.click(f"tab-{tab}")


def add_user(app, name, role, password):
    app.click("user-add")
    app.wait("user-dialog")
    app.type("user-name-input", name)
    app.select("user-role-input", role)
    app.type("user-password-input", password)
    app.type("user-password-again", password)
    app.click("dialog-submit")
    app.gone("user-dialog")
    app.wait_until(lambda: any(name in r.text for r in app.all("user-row")), f"user {name} not listed")


def user_row(app, name):
    """The row of `name` in 设置 › 用户 (None while the list is redrawn)."""
    rows = [r for r in app.all("user-row") if r.find_element("css selector", "td").text == name]
    return rows[0] if rows else None


def row_text(app, name):
    row = user_row(app, name)
    return row.text if row else ""


def user_action(app, name, testid):
    """Clicks a button (重设密码, 停用/启用) in a user's row."""
    app.wait_until(lambda: any(r.text.startswith(name) for r in app.all("user-row")), f"user {name} not listed")
    row = user_row(app, name)
    assert row, f"no user row {name}"
    button = row.find_element("css selector", f'[data-testid="{testid}"]')
    app.into_view(button)
    button.click()


def sign_out(app):
    """退出登录, after closing the toasts: they sit over the header's right
    end (where the button is) for a few seconds, as over any toolbar."""
    for t in app.all("toast"):
        try:
            t.find_element("css selector", ".toast-close").click()
        except Exception:
            pass  # gone by itself meanwhile
    app.click("sign-out")


def sign_in(app, name, password):
    app.wait("signin-form")
    app.type("signin-name", name)
    app.type("signin-password", password)
    app.click("signin-submit")


@pytest.mark.app_env(HOUQIN_DB=None)
def test_the_first_start_asks_where_the_data_is_and_remembers_it(launch):
    app = launch()
    app.wait("db-choice")
    assert not app.all("operator-dialog"), "nothing is asked before the database is chosen"
    app.shot("start-1-choice")

    # A server that does not answer: a Chinese message, nothing saved.
    app.type("server-host", "127.0.0.1")
    app.type("server-port", "1")
    app.type("server-password", "secret-pass")
    app.click("server-connect")
    message = app.wait("server-error", timeout=30).text
    assert "无法连接数据库服务器" in message and "127.0.0.1:1" in message, message
    assert "secret-pass" not in message
    assert not (launch.config_dir / "houqin" / "connection.json").exists()
    app.type("server-port", "abc")
    app.click("server-connect")
    app.wait_text("server-error", "端口“abc”不对")
    app.shot("start-2-unreachable")

    # 本机数据库: the default file, remembered for the next start.
    app.click("choose-local")
    app.confirm_operator("张老师")
    set_up_school(app, "小太阳幼儿园")
    saved = launch.config_dir / "houqin" / "connection.json"
    assert saved.exists()
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
    assert (launch.data_dir / "houqin" / "houqin.db").exists(), "the default file under the data dir"

    app = launch()
    assert app.confirm_operator() == "张老师", "no question the second time"
    assert "小太阳幼儿园" in app.wait("school-name").text
    settings_tab(app, "connection")
    assert "本机数据库文件" in app.wait("connection-kind").text
    assert app.wait("connection-location").text.endswith("houqin/houqin.db")
    app.shot("start-3-settings-connection")


def test_sign_in_on_a_local_file_and_a_kitchen_user_cannot_close_the_month(launch):
    app = launch()
    app.confirm_operator("李会计")
    load_demo(app)
    n_school_days = app.require_school_month(last_month(), 1)
    assert n_school_days

    # 设置 › 用户: an administrator and a cook, then 需要登录.
    settings_tab(app, "users")
    app.wait("sign-in-card")
    app.click("sign-in-required")
    app.wait_text("error-banner", "请先添加一位管理员用户")
    assert not app.wait("sign-in-required").is_selected(), "refused: the switch goes back"
    add_user(app, "王管理", "管理员", "admin-pass-1")
    add_user(app, "张厨师", "食堂", "kitchen-pass")
    add_user(app, "李会计", "会计", "bursar-pass")
    app.click("sign-in-required")
    app.wait_text("toast", "下次启动时需要登录")
    app.shot("signin-1-users")

    # Next start: 登录 instead of the operator dialog.
    app = launch()
    app.wait("signin-form")
    assert not app.all("operator-dialog")
    sign_in(app, "张厨师", "wrong-password")
    assert app.wait("signin-error").text == "用户名或密码不对"
    app.shot("signin-2-refused")
    sign_in(app, "张厨师", "kitchen-pass")
    user = app.wait("signed-in-user").text
    assert "张厨师" in user and "食堂" in user, user
    assert app.all("sign-out")
    app.shot("signin-3-kitchen-home")

    # The month close is not offered to the kitchen...
    app.go("attendance")
    app.click("att-tab-settle")
    app.wait("settle-view")
    assert not [e for e in app.all("settle-confirm") if e.is_displayed()], "确认结账 shown to the kitchen"
    # ...and the core refuses it when forced.
    r = app.invoke("settlement_confirm", {"month": last_month()})
    assert "err" in r, r
    assert r["err"]["type"] == "Forbidden", r
    assert "张厨师(食堂)没有权限修改请假、收费、月结" in r["err"]["message"], r
    # 用户 is the administrator's.
    app.go("settings")
    assert not [e for e in app.all("tab-users") if e.is_displayed()]
    assert not app.all("tab-operator"), "no operator to pick once signed in"

    # The administrator stops the cook's account and sets a new password for
    # the bursar (who forgot hers).
    sign_out(app)
    sign_in(app, "王管理", "admin-pass-1")
    app.wait("signed-in-user")
    settings_tab(app, "users")
    user_action(app, "张厨师", "user-toggle")
    app.click("confirm-ok")
    app.wait_until(lambda: "已停用" in row_text(app, "张厨师"), "张厨师 not shown as stopped")
    user_action(app, "李会计", "user-reset")
    app.wait("password-dialog")
    app.type("reset-password-input", "bursar-pass-2")
    app.type("reset-password-again", "bursar-pass-2")
    app.click("dialog-submit")
    app.gone("password-dialog")
    app.shot("signin-4-admin-users")
    sign_out(app)
    sign_in(app, "张厨师", "kitchen-pass")
    app.wait_text("signin-error", "已停用")
    sign_in(app, "李会计", "bursar-pass")
    app.wait_text("signin-error", "用户名或密码不对")  # the old password no longer works

    # Enabled again, the cook signs in as before.
    sign_in(app, "王管理", "admin-pass-1")
    app.wait("signed-in-user")
    settings_tab(app, "users")
    user_action(app, "张厨师", "user-toggle")
    app.wait_until(lambda: "正常" in row_text(app, "张厨师"), "张厨师 not enabled again")
    sign_out(app)
    sign_in(app, "张厨师", "kitchen-pass")
    assert "张厨师" in app.wait("signed-in-user").text

    # 退出登录, then the bursar (new password) sees 确认结账.
    sign_out(app)
    sign_in(app, "李会计", "bursar-pass-2")
    app.wait("signed-in-user")
    app.go("attendance")
    app.click("att-tab-settle")
    app.wait("settle-confirm")
    app.shot("signin-5-bursar-settle")


def test_backup_now_list_and_restore_bring_back_the_earlier_data(launch):
    app = launch()
    app.confirm_operator("李会计")
    set_up_school(app)
    settings_tab(app, "backup")
    app.wait("backup-card")
    before = len(app.all("backup-row"))
    app.click("backup-now")
    app.wait_until(lambda: len(app.all("backup-row")) == before + 1, "the backup is not listed")
    row = app.all("backup-row")[0].text
    assert "手动备份" in row and "KB" in row, row
    app.shot("backup-1-list")

    # A change after the backup...
    r = app.invoke("class_add", {"input": {"name": "备份后新建班", "grade": "junior", "head_teacher": ""}})
    assert "ok" in r, r
    # ...is gone after restoring it; the restore kept a copy of what it replaced.
    settings_tab(app, "backup")
    app.wait("backup-row")
    manual = [e for e in app.all("backup-row") if "手动备份" in e.text][0]
    manual.find_element("css selector", "[data-testid=backup-restore]").click()
    dialog = app.wait("restore-confirm").text
    assert "另存一份备份" in dialog, dialog
    app.shot("backup-2-confirm")
    app.click("confirm-ok")
    app.wait("home", timeout=30)
    app.confirm_operator()
    classes = app.invoke("classes_list", {})["ok"]
    assert "备份后新建班" not in [c["name"] for c in classes]
    settings_tab(app, "backup")
    app.wait_until(lambda: any("恢复前" in e.text for e in app.all("backup-row")), "no copy made before the restore")
    # The app still works on the restored data.
    r = app.invoke("class_add", {"input": {"name": "恢复后新建班", "grade": "senior", "head_teacher": ""}})
    assert "ok" in r, r
    app.go("home")
    app.wait_text("home-backup", "最近备份:今天")


def test_a_damaged_file_offers_its_latest_backup_and_opens_after_restoring(launch):
    app = launch()
    app.confirm_operator("李会计")
    set_up_school(app, "向日葵幼儿园")
    settings_tab(app, "backup")
    app.click("backup-now")
    app.wait("backup-row")
    app.driver.quit()

    # Bytes flipped all over the file (as a failing disk leaves it).
    db = launch.db
    for suffix in ("-wal", "-shm"):
        p = db.with_name(db.name + suffix)
        if p.exists():
            p.unlink()
    data = bytearray(db.read_bytes())
    for i in range(100, len(data), 97):
        data[i] ^= 0x5A
    db.write_bytes(bytes(data))

    app = launch()
    app.wait("db-error")
    message = app.wait("db-error-message").text
    assert "已损坏" in message or "无法打开数据库文件" in message, message
    assert "手动备份" in app.wait("latest-backup").text
    app.shot("damaged-1-start-screen")
    app.click("restore-latest")
    assert "另存一份" in app.wait("restore-confirm").text
    app.click("confirm-ok")
    app.confirm_operator()
    assert "向日葵幼儿园" in app.wait("school-name").text
    assert any(p.name.endswith("-before-restore.db") for p in (db.parent / "backups").iterdir()), "the damaged file is kept"


def test_the_audit_log_filters_by_person_and_kind(launch):
    app = launch()
    app.confirm_operator("甲老师")
    set_up_school(app)
    assert "ok" in app.invoke("class_add", {"input": {"name": "甲建的班", "grade": "junior", "head_teacher": ""}})
    app.invoke("operator_set", {"name": "乙老师"})
    assert "ok" in app.invoke("staff_add", {"input": {"name": "王阿姨", "role": "保育员", "phone": ""}})
    assert "ok" in app.invoke("class_add", {"input": {"name": "乙建的班", "grade": "senior", "head_teacher": ""}})

    settings_tab(app, "audit")
    app.wait("audit-table")
    everyone = app.all("audit-row")
    assert len(everyone) >= 4
    assert app.all("audit-operator")[0].text == "乙老师", "newest first"
    app.select("audit-operator-filter", "甲老师")
    app.click("audit-search")
    app.wait_until(lambda: {e.text for e in app.all("audit-operator")} == {"甲老师"}, "the person filter")
    app.select("audit-operator-filter", "全部人员")
    app.select("audit-entity-filter", "班级")
    app.click("audit-search")
    app.wait_until(lambda: [e.text for e in app.all("audit-entity")] == ["班级", "班级"], "the kind filter")
    assert [e.text for e in app.all("audit-operator")] == ["乙老师", "甲老师"]
    app.shot("audit-1-filtered")
    # A date range before today: nothing.
    app.type("audit-from", "2020-01-01")
    app.type("audit-to", "2020-12-31")
    app.click("audit-search")
    app.wait_until(lambda: not app.all("audit-row"), "rows outside the date range")
    # The filtered list as a workbook (the command behind 导出 Excel).
    out = launch.data_dir / "操作日志.xlsx"
    r = app.invoke("audit_export", {"filter": {"entity": "class"}, "path": str(out)})
    assert r.get("ok") == 2, r
    assert out.read_bytes()[:2] == b"PK"


def test_two_pcs_on_one_server_see_each_others_changes(drivers):
    """Two app windows (two tauri-driver sessions) on one PostgreSQL database:
    the kitchen records a sample on one, the bursar works on the other, and
    each sees the other's change when its window comes back to the front."""
    url = os.environ.get("HOUQIN_TEST_DB", "")
    if not url.startswith("postgres"):
        pytest.skip("HOUQIN_TEST_DB is not set to a PostgreSQL server (eval \"$(bash scripts/pg-test-server.sh start)\")")
    import uuid

    schema = "e2e_" + uuid.uuid4().hex[:12]
    sep = "&" if "?" in url else "?"
    server = f"{url}{sep}schema={schema}"
    kitchen_pc = drivers("kitchen", {"HOUQIN_DB": server}).start()
    # The first start on an empty server asks for the first administrator.
    kitchen_pc.wait("first-admin-form")
    kitchen_pc.type("admin-name", "王管理")
    kitchen_pc.type("admin-password", "admin-pass-1")
    kitchen_pc.type("admin-password-again", "admin-pass-2")
    kitchen_pc.click("admin-submit")
    kitchen_pc.wait_text("admin-error", "两次输入的密码不一致")
    kitchen_pc.type("admin-password-again", "admin-pass-1")
    kitchen_pc.click("admin-submit")
    kitchen_pc.wait("signed-in-user")
    kitchen_pc.shot("server-1-admin")
    for name, role, pw in (("张厨师", "kitchen", "kitchen-pass"), ("李会计", "bursar", "bursar-pass")):
        r = kitchen_pc.invoke("user_add", {"name": name, "role": role, "password": pw, "password_again": pw})
        assert "ok" in r, r
    profile = {"name": "服务器幼儿园", "campus": "", "address": "", "phone": "", "bursar_name": "李会计", "head_name": "王园长", "ownership": "public"}
    assert "ok" in kitchen_pc.invoke("profile_save", {"profile": profile})
    # 立即备份 on a server: the whole school copied into a file on this PC.
    settings_tab(kitchen_pc, "backup")
    kitchen_pc.wait("backup-card")
    assert "服务器" in kitchen_pc.wait("backup-card").text
    kitchen_pc.click("backup-now")
    kitchen_pc.wait("backup-row", timeout=60)
    assert not kitchen_pc.all("backup-restore"), "a server is not restored from the app"
    kitchen_pc.shot("server-1b-backup")
    sign_out(kitchen_pc)
    sign_in(kitchen_pc, "张厨师", "kitchen-pass")
    kitchen_pc.wait("signed-in-user")

    office_pc = drivers("office", {"HOUQIN_DB": server}).start()
    sign_in(office_pc, "李会计", "bursar-pass")
    office_pc.wait("signed-in-user")
    assert "李会计" in office_pc.wait("signed-in-user").text

    # The office looks at today's kitchen screen; the kitchen saves lunch.
    office_pc.go("samples")
    office_pc.wait("ks-meal")
    lunch = '[data-testid="ks-meal"][data-meal="lunch"] [data-testid="ks-meal-status"]'
    before = office_pc.driver.find_element("css selector", lunch).text
    entry = {"date": TODAY, "meal": "lunch", "rows": [{"dish": "米饭", "weight": "150"}], "time": sample_time(), "sampler": "张厨师", "fridge": "1号留样柜", "off_day_reason": "教职工加班用餐"}
    r = kitchen_pc.invoke("kitchen_save_meal", {"entry": entry})
    assert "ok" in r, r
    # Coming back to the office window reloads the screen.
    office_pc.driver.execute_script("window.dispatchEvent(new Event('blur')); window.dispatchEvent(new Event('focus'));")
    office_pc.wait_until(lambda: office_pc.driver.find_element("css selector", lunch).text != before, "the office did not see the sample")
    office_pc.shot("server-2-office-sees-sample")

    # The other way: the bursar's change reaches the kitchen's screen.
    kitchen_pc.go("settings")
    kitchen_pc.click("tab-audit")
    kitchen_pc.wait("audit-table")
    n_before = len(kitchen_pc.all("audit-row"))
    # The bursar sets the fee rule and closes last month on the server.
    meal = {"id": "meal", "name": "伙食费", "charge": {"per_day": "15.00"}}
    r = office_pc.invoke("fee_rules_save", {"effective_from": last_month(), "fees": [meal], "note": ""})
    assert "ok" in r, r
    settled = office_pc.invoke("settlement_confirm", {"month": last_month()})
    assert "ok" in settled, settled
    # The kitchen may not close a month: refused by the core, with its code.
    refused = kitchen_pc.invoke("settlement_reopen", {"month": last_month(), "reason": "试试"})
    assert refused.get("err", {}).get("code") == "forbidden", refused
    kitchen_pc.driver.execute_script("window.dispatchEvent(new Event('blur')); window.dispatchEvent(new Event('focus'));")
    kitchen_pc.wait_until(lambda: len(kitchen_pc.all("audit-row")) > n_before, "the kitchen did not see the bursar's change")
    assert "李会计" in [e.text for e in kitchen_pc.all("audit-operator")]
    kitchen_pc.shot("server-3-kitchen-sees-office")
    # Who did what is recorded under each person's name.
    ops = {e.text for e in kitchen_pc.all("audit-operator")}
    assert {"张厨师", "李会计", "王管理"} <= ops, ops
