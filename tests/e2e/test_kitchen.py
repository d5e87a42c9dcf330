"""食品留样 end to end, as the kitchen manager uses it on the demo school:
today's lunch samples typed with the keyboard (a weight that is not a number
and one under 125 g refused in Chinese, nothing saved), the missing breakfast
flagged on the screen, in the check and on the home screen; the samples past
48 hours discarded in one action (too early and future times refused); the
month's log and the labels printed and read back with pdftotext.

Today may be a weekend or holiday (the demo has no menu then): the test then
types today's menu itself and gives the reason the kitchen cooks that day
(非在园日供餐).
"""

import datetime
import re
import subprocess

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from test_app import set_up_school

TODAY = datetime.date.today().isoformat()


def load_demo(app):
    app.click("load-demo")
    app.click("confirm-ok")
    app.wait("home", timeout=60)


def meal_css(testid, meal):
    return f'[data-testid="{testid}"][data-meal="{meal}"]'


def inputs(app, testid, meal):
    return app.driver.find_elements(By.CSS_SELECTOR, meal_css(testid, meal))


def status(app, meal):
    return app.driver.find_element(By.CSS_SELECTOR, f'[data-testid="ks-meal"][data-meal="{meal}"] [data-testid="ks-meal-status"]').text


def typed(app, *keys):
    """Types into whatever has the focus, as a person at the keyboard does."""
    app.driver.switch_to.active_element.send_keys(*keys)


def meal_error(app, meal):
    els = app.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="ks-meal"][data-meal="{meal}"] [data-testid="ks-meal-error"]')
    return els[0].text if els and els[0].is_displayed() else ""


def open_today(app):
    app.go("samples")
    app.wait("ks-meal")
    app.wait_until(lambda: app.wait("ks-date").get_attribute("value") == TODAY, "the day view is not on today")


def test_lunch_by_keyboard_and_the_missing_breakfast_is_flagged(launch):
    app = launch()
    app.confirm_operator("周师傅")
    load_demo(app)
    open_today(app)
    app.shot("ks-1-today")

    school_day = not app.all("ks-off-day")
    if not school_day:
        # A weekend, holiday or closure: type a one-dish breakfast menu, save;
        # the app asks why the kitchen cooks today (非在园日供餐). Cancel saves nothing.
        app.click_css(meal_css("ks-dish", "breakfast"))
        typed(app, "小米粥")
        app.click_css(meal_css("ks-save", "breakfast"))
        app.wait("ks-offday-confirm")
        assert "不是在园日" in app.wait("ks-offday-confirm").text
        app.click("dialog-cancel")
        app.gone("ks-offday-confirm")
        assert status(app, "breakfast") == "没有菜单"
        app.click_css(meal_css("ks-save", "breakfast"))
        app.type("ks-offday-reason", "教职工加班用餐")
        app.click("dialog-submit")
        app.gone("ks-offday-confirm")
        app.wait_until(lambda: status(app, "breakfast") == "未留样 1/1", "breakfast menu not saved")
        app.wait_text("ks-off-day-meal", "非在园日供餐:教职工加班用餐")
        # Lunch: three rows, names typed with the keyboard further down.
        for _ in range(2):
            app.click_css(f'[data-testid="ks-meal"][data-meal="lunch"] [data-testid="ks-add-dish"]')
        lunch = ["米饭", "番茄炒蛋", "紫菜蛋花汤"]
    else:
        lunch = [i.get_attribute("value") for i in inputs(app, "ks-dish", "lunch")]
        assert len(lunch) >= 3 and all(lunch), lunch
        assert status(app, "lunch").startswith("未留样")
        assert status(app, "breakfast").startswith("未留样")

    def enter_lunch(weights):
        """From the first lunch row: (name, Enter,) weight, Enter … the last Enter saves."""
        dishes = inputs(app, "ks-dish", "lunch")
        start = dishes[0] if not dishes[0].get_attribute("value") else inputs(app, "ks-weight", "lunch")[0]
        start.click()
        for dish, w in zip(lunch, weights):
            active = app.driver.switch_to.active_element
            if active.get_attribute("data-testid") == "ks-dish":
                typed(app, dish, Keys.ENTER)
                active = app.driver.switch_to.active_element
            assert active.get_attribute("data-testid") == "ks-weight", "Enter did not move to the weight"
            active.send_keys(Keys.CONTROL, "a")
            typed(app, w, Keys.ENTER)

    n = len(lunch)
    # A weight that is not a number: refused in Chinese, nothing saved.
    enter_lunch(["150", "abc"] + ["140"] * (n - 2))
    app.wait_until(lambda: "不是数字" in meal_error(app, "lunch"), "no error for abc")
    assert "没有保存任何数据" in meal_error(app, "lunch")
    app.shot("ks-2-not-a-number")
    # Under the minimum: 124 g refused.
    enter_lunch(["150", "124"] + ["140"] * (n - 2))
    app.wait_until(lambda: "不足 125 克" in meal_error(app, "lunch"), "no error for 124 g")
    if school_day:
        assert status(app, "lunch") == f"未留样 {n}/{n}"
    # 125 g is enough: saved, the lunch card shows every dish sampled.
    enter_lunch(["150", "125"] + ["140"] * (n - 2))
    app.wait_until(lambda: app.all("ks-meal") and status(app, "lunch") == f"已留样 {n}/{n}", "lunch not saved")
    weights = [i.get_attribute("value") for i in inputs(app, "ks-weight", "lunch")]
    assert weights[:2] == ["150", "125"], weights

    # The missing breakfast is flagged here, in the check, and on the home screen.
    app.wait_text("ks-missing", "今天还有 早餐")
    app.shot("ks-3-lunch-saved")
    app.click("ks-tab-check")
    app.wait("ks-check")
    rows = app.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="ks-check-row"][data-date="{TODAY}"]')
    assert [r.get_attribute("data-meal") for r in rows if r.get_attribute("data-meal") in ("breakfast", "lunch")] == ["breakfast"]
    app.shot("ks-4-check")
    app.go("home")
    app.wait_text("home-samples-today", "早餐")
    app.shot("ks-5-home")

    # Start again: the samples were saved.
    app = launch()
    app.confirm_operator()
    open_today(app)
    assert status(app, "lunch") == f"已留样 {n}/{n}"


def store_an_old_lunch(app):
    """Stores one lunch sample on the latest day at least 3 days back whose
    lunch has no menu yet, through the command behind the day view's save
    (typing it in the day view is the first test's job). For the first days
    of a term, when the demo has no sample kept 48 hours yet."""
    err = app.driver.execute_async_script(
        """
        const done = arguments[0];
        const invoke = window.__TAURI__.core.invoke;
        (async () => {
          for (let back = 3; back < 60; back++) {
            const d = new Date(Date.now() - back * 86400000);
            const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
            const day = await invoke('kitchen_day', { date });
            if (day.meals.some((m) => m.meal === 'lunch' && m.dishes.length)) continue;
            await invoke('kitchen_save_meal', { entry: { date, meal: 'lunch', rows: [{ dish: '米饭', weight: '150' }], time: '11:30', sampler: '吴师傅', fridge: '', off_day_reason: '教职工加班用餐' } });
            return null;
          }
          return 'no day without a lunch menu in the last 60 days';
        })().then(done, (e) => done(JSON.stringify(e)));
        """
    )
    assert err is None, err


def due_rows(app):
    """The rows of the discard list once it has rendered: [] when nothing is due."""
    app.number("ks-due-count")
    return app.all("ks-due-row")


def test_discard_after_48_hours_and_print_the_month(launch, tmp_path):
    app = launch()
    app.confirm_operator("周师傅")
    load_demo(app)
    app.go("samples")
    app.click("ks-tab-discard")
    if not due_rows(app):
        # The first days of a term: the demo's samples are all younger than 48 hours.
        store_an_old_lunch(app)
        app.go("home")
        app.go("samples")
        app.click("ks-tab-discard")
        app.wait_until(lambda: due_rows(app), "the stored old lunch is not due")
    # The newest due sample: its date, dish and the time it became due (11月22日 08:07).
    cells = [td.text for td in app.all("ks-due-row")[-1].find_elements(By.TAG_NAME, "td")]
    stored_on = datetime.date.fromisoformat(cells[0])
    dish = cells[2]
    m, rest = cells[6].split("月", 1)
    d, hm = rest.split("日")
    due_at = datetime.datetime(stored_on.year + (1 if int(m) < stored_on.month else 0), int(m), int(d), *map(int, hm.strip().split(":")))
    app.shot("ks-6-due")

    app.click("ks-discard-all")
    app.wait("ks-discard-dialog")
    now = app.wait("ks-discard-at").get_attribute("value")
    # In the future: refused, nothing discarded.
    app.type("ks-discard-at", "2099-01-01 08:00")
    app.click("dialog-submit")
    app.wait_text("dialog-error", "晚于现在")
    # One minute before that sample has been kept 48 hours: refused, nothing discarded.
    app.type("ks-discard-at", (due_at - datetime.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M"))
    app.click("dialog-submit")
    app.wait_text("dialog-error", "47 小时 59 分")
    assert "须留满 48 小时" in app.wait("dialog-error").text
    app.shot("ks-7-too-early")
    # Now: all of them in one action.
    app.type("ks-discard-at", now)
    app.enter("ks-discard-by")
    app.gone("ks-discard-dialog")
    app.wait_until(lambda: app.number("ks-due-count") == 0, "due samples still listed")

    # The log of the month those samples were stored in (not necessarily this
    # month: on the 1st nothing of this month is 48 hours old), through the
    # command behind the print button (the native save dialog is not driven),
    # read back as text.
    month = stored_on.isoformat()[:7]
    out = tmp_path / "食品留样记录表.pdf"
    err = app.driver.execute_async_script(
        "const [month, path, done] = arguments;"
        "window.__TAURI__.core.invoke('kitchen_print_samples', {month, path}).then(() => done(null), (e) => done(e));",
        month,
        str(out),
    )
    assert err is None, err
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "阳光幼儿园食品留样记录表" in text
    for header in ["留样量（克）", "留样时间（月日时）", "处理时间", "处理人", "审核人"]:
        assert header in text, header
    # The newest due sample's row now shows the discard time typed above and who discarded it.
    discarded_at = datetime.datetime.strptime(now, "%Y-%m-%d %H:%M")
    when = f"{discarded_at.month}月{discarded_at.day}日 {discarded_at:%H:%M}"
    row = [line for line in text.splitlines() if dish in line and when in line]
    assert row and "周师傅" in row[-1].split(when, 1)[1], f"no row for {dish} discarded at {when} by 周师傅"

    app.click("ks-tab-print")
    app.wait("ks-print-samples")
    app.shot("ks-8-print")
    assert app.driver.execute_script("return window.houqinCspViolations") == []


def cells(row):
    return [td.text for td in row.find_elements(By.TAG_NAME, "td")]


def test_daily_logs_fridge_disinfection_and_morning_check(launch):
    """每日记录 for today on a new school, with the keyboard: a fridge reading
    out of range without the action taken is refused (nothing saved), a
    normal one is kept; a steam disinfection shorter than the minimum is
    refused, the full one is kept; one person's 晨检. The minimums are the
    settings' defaults (fridge 0–8 °C, steam 10 minutes)."""
    app = launch()
    app.confirm_operator("周师傅")
    set_up_school(app, "阳光幼儿园")
    app.go("samples")
    app.click("ks-tab-logs")
    app.wait("ks-temp-form")
    assert app.wait("ks-date").get_attribute("value") == TODAY

    # 12 ℃ with no action taken: refused in Chinese, nothing listed.
    app.type("ks-temp-value", "12")
    app.enter("ks-temp-value")
    app.wait_text("ks-temp-form-error", "12 °C 超出 0–8 °C,请填写处理措施")
    assert not app.all("ks-temp-row")
    app.shot("ks-logs-1-temp-refused")
    app.type("ks-temp-value", "3.5")
    app.enter("ks-temp-value")
    app.wait_until(lambda: len(app.all("ks-temp-row")) == 1, "the reading is not listed")
    row = cells(app.all("ks-temp-row")[0])
    assert row[1:4] == ["留样冰箱", "3.5", "正常"] and row[5] == "周师傅", row

    # Steam for 5 minutes: under the 10-minute minimum, refused; 15 minutes kept.
    app.type("ks-dis-minutes", "5")
    app.enter("ks-dis-minutes")
    app.wait_text("ks-dis-form-error", "蒸汽消毒须保持 10 分钟以上,这次只有 5 分钟,没有保存")
    assert not app.all("ks-dis-row")
    app.shot("ks-logs-2-disinfection-refused")
    app.type("ks-dis-minutes", "15")
    app.enter("ks-dis-minutes")
    app.wait_until(lambda: len(app.all("ks-dis-row")) == 1, "the disinfection is not listed")
    row = cells(app.all("ks-dis-row")[0])
    assert row[1:6] == ["蒸汽", "碗、勺、餐盘", "100 °C", "15", "周师傅"], row

    # 晨检: 吴师傅 at 36.6 ℃. The hands not looked at: refused; normal: fit for work.
    app.type("ks-health-staff", "吴师傅")
    app.type("ks-health-temp", "36.6")
    app.enter("ks-health-temp")
    app.wait_text("ks-health-form-error", "请填写手部检查")
    assert not app.all("ks-health-row")
    app.select("ks-health-hands", "正常")
    app.enter("ks-health-temp")
    app.wait_until(lambda: len(app.all("ks-health-row")) == 1, "the check is not listed")
    row = cells(app.all("ks-health-row")[0])
    assert row[0] == "吴师傅" and re.fullmatch(r"\d\d:\d\d", row[1]), row
    assert row[2:6] == ["36.6", "正常", "无", "可"] and row[7] == "周师傅", row
    app.shot("ks-logs-3-day")

    # Away and back: all three were saved.
    app.go("home")
    app.go("samples")
    app.click("ks-tab-logs")
    app.wait("ks-temp-form")
    app.wait_until(
        lambda: [len(app.all(t)) for t in ("ks-temp-row", "ks-dis-row", "ks-health-row")] == [1, 1, 1],
        "the day's records are not all kept",
    )
