"""考勤与退费 end to end, as a bursar would use it on the demo school: a week of
sick leave entered with the keyboard, the month settled and explained, the
month closed, an absence corrected in 更正 mode (a stray key on the closed
month changes nothing; Ctrl+Z undoes), the closed month still showing its
confirmed figures with the correction apart, and the correction showing up as
补退/补收 in the next month (see conftest.py for the fixtures)."""

import datetime

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

# Five consecutive grid columns that are all ordinary school days and empty for
# one enrolled child, with no absence on the school day before or after (so the
# run of leave is exactly these five days). Returns [child_id, first column].
FIND_FREE_WEEK = """
const head = [...document.querySelectorAll('.att-grid thead th.att-day')];
const school = head.map((th) => !th.classList.contains('off') && !th.classList.contains('closure'));
for (const tr of document.querySelectorAll('[data-testid=att-row]')) {
  const cells = [...tr.querySelectorAll('td.att-cell')];
  const free = (c) => !cells[c].dataset.kind && !cells[c].classList.contains('out');
  for (let c = 0; c + 4 < cells.length; c++) {
    let ok = true;
    for (let k = 0; k < 5; k++) if (!school[c + k] || !free(c + k)) ok = false;
    if (!ok) continue;
    let p = c - 1;
    while (p >= 0 && !school[p]) p--;
    let n = c + 5;
    while (n < cells.length && !school[n]) n++;
    if (p < 0 || n >= cells.length || !free(p) || !free(n)) continue;
    return [tr.dataset.child, c];
  }
}
return null;
"""


def last_month():
    first = datetime.date.today().replace(day=1)
    return (first - datetime.timedelta(days=1)).strftime("%Y-%m")


def load_demo(app):
    app.click("load-demo")
    app.click("confirm-ok")
    app.wait("home", timeout=60)


def open_grid(app, class_name):
    app.go("attendance")
    app.wait("att-grid")
    app.select("att-class", class_name)
    app.wait_until(
        lambda: app.driver.execute_script(
            "const s = document.querySelector('[data-testid=att-class]');"
            "return s && s.options[s.selectedIndex].text === arguments[0] && !!document.querySelector('[data-testid=att-grid]');",
            class_name,
        ),
        f"grid of {class_name} not shown",
    )


def for_child(app, testid, child):
    """Waits for the element with this testid that belongs to one child."""
    css = f'[data-testid="{testid}"][data-child="{child}"]'
    app.wait_until(lambda: app.driver.find_elements(By.CSS_SELECTOR, css), f"no {testid} for child {child}")
    return app.driver.find_element(By.CSS_SELECTOR, css)


def cell(app, child, c):
    return app.driver.find_element(By.CSS_SELECTOR, f'[data-testid=att-cell][data-child="{child}"][data-c="{c}"]')


def kinds(app, child, cols):
    """The kind of each cell, read fresh from the DOM (the grid re-renders)."""
    return app.driver.execute_script(
        "const [child, cols] = arguments;"
        "return cols.map((c) => { const td = document.querySelector(`[data-testid=att-cell][data-child=\"${child}\"][data-c=\"${c}\"]`);"
        " return td ? [td.dataset.kind, td.textContent] : null; });",
        child,
        cols,
    )


def test_a_week_of_sick_leave_by_keyboard_is_settled_explained_closed_and_corrected(launch):
    app = launch()
    app.confirm_operator("李会计")
    load_demo(app)
    app.require_school_month(last_month(), 10)

    # 考勤与退费 opens on last month; pick a class.
    app.go("attendance")
    assert app.wait("att-month").get_attribute("data-month") == last_month()
    classes = [o.text for o in app.wait("att-class").find_elements(By.TAG_NAME, "option")]
    assert len(classes) >= 3
    class_name = classes[1]
    open_grid(app, class_name)
    assert app.number("att-school-days") >= 10
    assert not app.all("closed-banner"), "last month is still open in the demo"

    found = app.driver.execute_script(FIND_FREE_WEEK)
    assert found, "no free Monday–Friday in the grid"
    child, c0 = found
    cols = list(range(c0, c0 + 5))
    dates = [cell(app, child, c).get_attribute("data-date") for c in cols]
    name = app.driver.find_element(By.CSS_SELECTOR, f'[data-testid=att-row][data-child="{child}"] [data-testid=att-name]').text
    child_days_before = app.number("att-child-days")

    # Click the Monday, Shift+→ four times, press B: one transaction for five days.
    cell(app, child, c0).click()
    chain = ActionChains(app.driver).key_down(Keys.SHIFT)
    for _ in range(4):
        chain = chain.send_keys(Keys.ARROW_RIGHT)
    chain.key_up(Keys.SHIFT).send_keys("b").perform()
    app.wait_until(lambda: kinds(app, child, cols) == [["sick", "病"]] * 5, "the five cells do not show 病")
    app.wait_until(lambda: app.number("att-child-days") == child_days_before - 5, "人天数 did not drop by 5")
    app.shot("att-1-week-marked")

    # Start the app again: the marks were saved.
    app = launch()
    app.confirm_operator()
    open_grid(app, class_name)
    app.wait_until(lambda: kinds(app, child, cols) == [["sick", "病"]] * 5, "the marks did not survive a restart")

    # 月结 preview: the child's refund, and why.
    app.click("att-tab-settle")
    app.wait("settle-view")
    assert app.wait("settle-status").get_attribute("textContent").find("未结账") >= 0
    row = for_child(app, "settle-child", child)
    assert name in row.text
    row.find_element(By.CSS_SELECTOR, "[data-testid=why-btn]").click()
    why = app.driver.find_element(By.CSS_SELECTOR, f'[data-testid=settle-child][data-child="{child}"] + .why-row')
    app.wait_until(lambda: why.is_displayed(), "the explanation did not open")
    text = why.text
    assert f"{dates[0]} 至 {dates[-1]}" in text, text
    assert "共 5 个在校日" in text, text
    assert "15.00 元 × 5 天 = 75.00 元" in text, text
    refund = row.find_element(By.CSS_SELECTOR, "[data-testid=child-refund]").text
    assert refund not in ("", "0.00"), refund
    app.shot("att-2-settlement-why")

    # Close the month.
    app.click("settle-confirm")
    app.wait("confirm-dialog")
    app.click("confirm-ok")
    app.wait_until(
        lambda: app.driver.execute_script("const v = document.querySelector('[data-testid=settle-view]'); return v && v.dataset.status === 'closed';"),
        "the month did not close",
    )
    app.wait_text("settle-status", "已结账")
    assert app.all("settle-reopen"), "the latest closed month can be reopened"
    confirmed = {t: app.wait(t).text for t in ("school-charged", "school-refund", "settle-fee-totals", "settle-refund")}
    classes_confirmed = [e.text for e in app.driver.find_elements(By.CSS_SELECTOR, "[data-testid=settle-class] .settle-card-head")]
    assert not app.all("settle-pending-corrections")

    # The closed month's grid is read-only: a stray Delete changes nothing.
    app.click("att-tab-grid")
    banner = app.wait("closed-banner")
    assert banner.get_attribute("data-correcting") == "false"
    assert "补退/补收" in banner.text
    cell(app, child, cols[-1]).click()
    ActionChains(app.driver).send_keys(Keys.DELETE).perform()
    app.wait_text("toast", "考勤表只读")
    assert kinds(app, child, cols) == [["sick", "病"]] * 5

    # 更正 mode needs a reason; then Delete clears, Ctrl+Z puts the day back,
    # and Delete again leaves the correction in place.
    app.click("att-correct")
    app.wait("correct-dialog")
    app.click("dialog-submit")
    app.wait_text("dialog-error", "请填写更正原因")
    app.type("correct-reason", "家长反映最后一天已到园")
    app.click("dialog-submit")
    app.gone("correct-dialog")
    app.wait_until(lambda: app.wait("closed-banner").get_attribute("data-correcting") == "true", "更正 mode did not start")
    assert app.wait("att-correct-reason").text == "家长反映最后一天已到园"
    cell(app, child, cols[-1]).click()
    ActionChains(app.driver).send_keys(Keys.DELETE).perform()
    app.wait_until(lambda: kinds(app, child, cols)[-1] == ["", ""], "the Friday was not cleared")
    ActionChains(app.driver).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
    app.wait_until(lambda: kinds(app, child, cols) == [["sick", "病"]] * 5, "Ctrl+Z did not put the Friday back")
    app.wait_text("att-save-state", "已撤销")
    cell(app, child, cols[-1]).click()
    ActionChains(app.driver).send_keys(Keys.DELETE).perform()
    app.wait_until(lambda: kinds(app, child, cols)[-1] == ["", ""], "the Friday was not cleared again")
    app.shot("att-3a-correction-mode")
    app.click("att-correct-end")
    app.wait_until(lambda: app.wait("closed-banner").get_attribute("data-correcting") == "false", "更正 mode did not end")

    # The closed month still shows its confirmed figures; the correction is a
    # separate, labelled comparison.
    app.click("att-tab-settle")
    app.wait("settle-view")
    assert {t: app.wait(t).text for t in confirmed} == confirmed
    assert [e.text for e in app.driver.find_elements(By.CSS_SELECTOR, "[data-testid=settle-class] .settle-card-head")] == classes_confirmed
    pending = app.wait("settle-pending-corrections")
    assert "不计入本月结账金额" in pending.text
    assert name in for_child(app, "pending-row", child).text

    # The next month's preview carries the correction for that child.
    app.click("settle-next")
    app.wait_until(
        lambda: app.driver.execute_script(
            "const v = document.querySelector('[data-testid=settle-view]'); const m = document.querySelector('[data-testid=settle-month]');"
            "return v && m && m.dataset.month !== arguments[0] && v.dataset.status === 'open';",
            last_month(),
        ),
        "next month's preview not shown",
    )
    adj = for_child(app, "adj-row", child)
    assert "补收" in adj.text or "补退" in adj.text, adj.text
    assert name in adj.text
    app.shot("att-3-adjustment-next-month")
    assert app.driver.execute_script("return window.houqinCspViolations") == []


def test_leave_dialog_saves_a_range_and_a_bad_import_names_every_row(launch, tmp_path):
    app = launch()
    app.confirm_operator("李会计")
    load_demo(app)
    app.require_school_month(last_month(), 10)
    app.go("attendance")
    app.wait("att-grid")
    found = app.driver.execute_script(FIND_FREE_WEEK)
    assert found
    child, c0 = found
    cols = list(range(c0, c0 + 3))

    # Select three days with the mouse held down, then Enter opens 请假登记 prefilled.
    ActionChains(app.driver).click_and_hold(cell(app, child, cols[0])).move_to_element(cell(app, child, cols[-1])).release().perform()
    app.wait_text("att-selinfo", "3 天")
    ActionChains(app.driver).send_keys(Keys.ENTER).perform()
    app.wait("leave-dialog")
    assert app.wait("leave-from").get_attribute("value") == cell(app, child, cols[0]).get_attribute("data-date")
    app.click_css('[data-testid=leave-kind] input[value="personal"]')
    app.type("leave-note", "回老家")
    app.enter("leave-note")
    app.gone("leave-dialog")
    app.wait_until(lambda: [k[0] for k in kinds(app, child, cols)] == ["personal"] * 3, "the dialog's range is not in the grid")

    # Esc cancels without saving.
    ActionChains(app.driver).send_keys(Keys.ENTER).perform()
    app.wait("leave-dialog")
    app.escape()
    app.gone("leave-dialog")

    # An import with bad rows is refused as a whole, each row named.
    student_no = app.driver.execute_script("return document.querySelector('[data-testid=att-row]').dataset.no")
    path = tmp_path / "请假.csv"
    path.write_text(
        "学号,开始日期,结束日期,类型\n"
        "NO-SUCH-CHILD,2026-10-12,2026-10-13,病假\n"
        f"{student_no},2026-10-20,2026-10-19,病假\n"
        "NO-SUCH-CHILD,2026-10-12,2026-10-12,发烧\n",
        encoding="utf-8",
    )
    app.driver.execute_async_script(
        "const [path, done] = arguments;"
        "import('./screens/attendance.js').then((m) => { m.runAbsenceImport(path); done(true); });",
        str(path),
    )
    app.wait("absence-import-failed")
    assert "没有导入任何请假记录" in app.wait("absence-import-failed").text
    problems = app.driver.find_elements(By.CSS_SELECTOR, "[data-testid=absence-import-failed] [data-testid=problems-table] tbody tr")
    rows = {p.find_elements(By.TAG_NAME, "td")[0].text for p in problems}
    assert {"2", "3", "4"} <= rows, rows
    app.shot("att-4-import-refused")
