"""End-to-end stories through the real app window (see conftest.py)."""

from selenium.webdriver.common.by import By


def set_up_school(app, name="向日葵幼儿园"):
    app.wait("setup-form")
    app.type("profile-name", name)
    app.type("profile-campus", "本部")
    app.type("profile-bursar", "李会计")
    app.type("profile-head", "王园长")
    app.enter("profile-head")  # Enter submits the form
    app.wait("home")
    assert name in app.wait("school-name").text


def add_class(app, name, grade, teacher=""):
    app.go("children")
    app.click("tab-classes")
    app.click("add-class")
    app.wait("class-dialog")
    app.type("class-name-input", name)
    app.select("class-grade-input", grade)
    if teacher:
        app.type("class-teacher-input", teacher)
    app.enter("class-name-input")
    app.gone("class-dialog")
    app.wait_until(lambda: name in [e.text for e in app.all("class-name")], f"class {name} not listed")


def test_school_class_and_child_survive_a_restart(launch):
    app = launch()
    assert app.driver.title == "后勤 Houqin"
    app.confirm_operator("张老师")
    set_up_school(app)
    add_class(app, "大一班", "大班", "陈老师")

    app.click("tab-children")
    app.click("add-child")
    app.wait("child-dialog")
    app.type("child-name-input", "王小明")
    app.type("child-no-input", "2025001")
    app.type("child-birth-input", "2020/5/1")
    app.type("child-guardian-input", "王建国")
    app.type("child-phone-input", "13800000000")
    app.click("dialog-submit")
    app.gone("child-dialog")
    app.wait_until(lambda: "王小明" in [e.text for e in app.all("child-name")], "child not listed")
    row = app.wait("child-row").text
    assert "2020-05-01" in row and "大一班" in row and "在园" in row
    app.shot("persist-1-before-restart")

    # Quit (the session ends, the app closes) and start again on the same data.
    app = launch()
    assert app.confirm_operator() == "张老师", "the operator is remembered"
    assert "向日葵幼儿园" in app.wait("school-name").text
    app.go("children")
    app.wait_until(lambda: "王小明" in [e.text for e in app.all("child-name")], "child gone after restart")
    app.click("tab-classes")
    app.wait_until(lambda: "大一班" in [e.text for e in app.all("class-name")], "class gone after restart")
    assert "1" in app.wait("class-row").text
    app.shot("persist-2-after-restart")


def test_demo_school_loads_about_ninety_children(launch, tmp_path):
    app = launch()
    app.confirm_operator("李会计")
    app.click("load-demo")
    app.click("confirm-ok")
    app.wait("home", timeout=30)
    n_home = app.number("stat-children", ".stat-value")
    assert 80 <= n_home <= 110, n_home
    assert len(app.all("class-tile")) >= 3
    app.shot("demo-1-home")

    app.go("children")
    app.wait_until(lambda: len(app.all("child-row")) >= 80, "demo children not listed")
    count = app.number("children-count")
    assert count == len(app.all("child-row")) == n_home
    app.shot("demo-2-children")

    # The demo is not offered again once the school has classes, and the core
    # refuses a second one anyway, with its message.
    app.go("home")
    app.wait("home")
    assert not app.all("load-demo"), "载入演示幼儿园 offered in a school that has classes"
    err = app.driver.execute_async_script(
        "const done = arguments[0];"
        "window.__TAURI__.core.invoke('demo_load').then(() => done(null), (e) => done(e));"
    )
    assert err and "只能载入到空的学校" in err["message"], err

    # The calendar month view shows counts from the core.
    app.go("settings")
    app.click("tab-calendar")
    app.wait("month-grid")
    assert 28 <= len(app.all("cal-day")) <= 31
    assert app.number("school-days") <= app.number("legal-days")
    app.shot("demo-3-calendar")

    # Export (the command behind 「导出 Excel」, without the native save dialog).
    out = tmp_path / "幼儿名单.xlsx"
    err = app.driver.execute_async_script(
        "const [path, done] = arguments;"
        "window.__TAURI__.core.invoke('children_export', {path}).then(() => done(null), (e) => done(e));",
        str(out),
    )
    assert err is None, err
    assert out.read_bytes()[:2] == b"PK"

    # The strict CSP blocked nothing the app needs, and the dialog plugin's API is there.
    assert app.driver.execute_script("return window.houqinCspViolations") == []
    assert app.driver.execute_script("return typeof (window.__TAURI__.dialog || {}).open") == "function"


def test_bad_input_shows_a_chinese_error_and_saves_nothing(launch):
    app = launch()
    app.confirm_operator("张老师")

    # Empty school name: the core refuses, the setup form stays.
    app.wait("setup-form")
    app.click("profile-save")
    assert "请填写学校名称" in app.wait("form-error").text
    assert app.all("setup-form")
    set_up_school(app, "小星星幼儿园")

    # Empty class name: the dialog stays open with the message; Esc closes it.
    app.go("children")
    app.click("tab-classes")
    app.click("add-class")
    app.enter("class-name-input")
    assert "请填写班级名称" in app.wait("dialog-error").text
    assert app.all("class-dialog")
    app.shot("bad-input-class")
    app.escape()
    app.gone("class-dialog")
    assert not app.all("class-row")

    # A child with no name is refused too, and nothing is listed.
    add_class(app, "小一班", "小班")
    app.click("tab-children")
    app.click("add-child")
    app.type("child-no-input", "001")
    app.type("child-birth-input", "2021-13-40")
    app.click("dialog-submit")
    assert "不是有效的出生日期" in app.wait("dialog-error").text
    app.type("child-birth-input", "2021-03-04")
    app.click("dialog-submit")
    app.wait_until(lambda: "姓名不能为空" in app.wait("dialog-error").text, "no empty-name error")
    app.escape()
    app.gone("child-dialog")
    assert not app.all("child-row")

    # Every job in the sidebar is built: each opens its own screen, none is
    # marked 开发中 or shows the "not built yet" card.
    routes = [a.get_attribute("data-route") for a in app.driver.find_elements(By.CSS_SELECTOR, ".nav-item")]
    assert routes == ["home", "children", "attendance", "meal", "notices", "samples", "supplies", "assets", "repairs", "settings"]
    for route in routes:
        app.go(route)
        app.wait_until(lambda: route in app.driver.current_url, f"{route} did not open")
        assert "开发中" not in app.text(), route


def run_import(app, path):
    """Runs the UI's import flow on a file (the native file picker can't be driven by WebDriver)."""
    app.driver.execute_async_script(
        "const [path, done] = arguments;"
        "import('./screens/children.js').then((m) => { m.runImport(path); done(true); });",
        str(path),
    )


HEADER = "姓名,性别,出生日期,班级,学号,家长姓名,联系电话,入园日期\n"


def test_import_lists_every_bad_row_then_imports_the_corrected_file(launch, tmp_path):
    app = launch()
    app.confirm_operator("张老师")
    set_up_school(app)
    add_class(app, "大一班", "大班")

    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "王小明,男,2020-05-01,大一班,001,王建国,13800000000,2025-09-01\n"
        + "李小红,女,2020-13-01,大一班,002,,,2025-09-01\n"
        + "张小三,男,2020-01-01,大九班,003,,,2025-09-01\n"
        + ",女,2020-01-01,大一班,004,,,2025-09-01\n",
        encoding="utf-8",
    )
    run_import(app, bad)
    table = app.wait("problems-table")
    rows = [[td.text for td in r.find_elements(By.TAG_NAME, "td")] for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert [r[:2] for r in rows] == [["3", "出生日期"], ["4", "班级"], ["5", "姓名"]], rows
    assert "未导入任何数据" in app.wait("import-errors").text
    app.shot("import-1-bad-rows")
    app.escape()
    app.gone("import-errors")
    app.click("tab-children")
    app.wait("children-table-wrap")
    assert not app.all("child-row"), "a rejected file wrote nothing"

    # The corrected file, saved by Excel on Chinese Windows (GBK), imports all rows.
    good = tmp_path / "good.csv"
    good.write_bytes(
        (
            HEADER
            + "王小明,男,2020-05-01,大一班,001,王建国,13800000000,2025-09-01\n"
            + "李小红,女,2020-12-01,大一班,002,,,2025-09-01\n"
            + "张小三,男,2020-01-01,大一班,003,,,2025-09-01\n"
            + "赵小四,女,2020-01-01,大一班,004,,,2025-09-01\n"
        ).encode("gbk")
    )
    run_import(app, good)
    app.wait_text("toast", "导入成功:共导入 4 名幼儿")
    app.go("home")
    app.go("children")
    app.wait_until(lambda: len(app.all("child-row")) == 4, "imported children not listed")
    assert "赵小四" in [e.text for e in app.all("child-name")]
    app.shot("import-2-imported")


def test_every_import_dialog_names_its_columns_and_stars_the_required_ones(launch):
    """幼儿、请假、资产 share one import dialog: the columns, * on the required
    ones, 下载模板 where there is a template; 取消 changes nothing."""
    app = launch()
    app.confirm_operator("李会计")
    app.click("load-demo")
    app.click("confirm-ok")
    app.wait("home", timeout=60)
    cases = [
        ("children", "import-children", "import-dialog", {"姓名", "性别", "班级", "学号", "入园日期"}, True),
        ("attendance", "att-import", "absence-import-dialog", {"开始日期", "类型"}, False),
        ("assets", "assets-import", "assets-import-dialog", {"资产名称", "类别代码/类别名称", "存放地点", "取得日期", "原值"}, True),
    ]
    for route, button, dialog, required, template in cases:
        app.go(route)
        app.click(button)
        box = app.wait(dialog)
        chips = box.find_elements(By.CSS_SELECTOR, ".col-chip")
        starred = {c.text.rstrip("*").strip() for c in chips if "must" in c.get_attribute("class")}
        assert starred == required, (route, starred)
        assert len(chips) > len(required), route
        has_template = bool(box.find_elements(By.XPATH, ".//button[contains(., '下载模板')]"))
        assert has_template == template, route
        app.shot(f"import-dialog-{route}")
        box.find_element(By.XPATH, ".//button[normalize-space()='取消']").click()
        app.gone(dialog)


def test_operator_dialog_cannot_be_skipped_with_esc(launch):
    """Issue 12: Esc closed the start-up 「请选择操作员」 dialog, and every change
    of the session was then audited as 「未指定」. It now waits for a name; only
    a change of an operator already chosen may be cancelled."""
    import time

    app = launch()
    app.wait("operator-dialog")
    app.wait("operator-input")
    app.escape()
    time.sleep(0.5)
    assert [e for e in app.all("operator-dialog") if e.is_displayed()], "Esc closed the operator dialog"
    assert not app.all("dialog-cancel"), "the start-up operator dialog offers 取消"
    app.confirm_operator("张老师")
    assert "张老师" in app.wait("operator-chip").text

    app.click("operator-chip")
    app.wait("operator-dialog")
    app.escape()
    app.gone("operator-dialog")
    assert "张老师" in app.wait("operator-chip").text, "cancelling a change keeps the operator"
