"""伙食账 end to end on the demo school, as the bursar does it at the start of a
month: last month's 公示表 is inside ±2%; a purchase with a negative amount is
refused in the dialog and nothing is saved; the corrected purchase (a large
meat delivery that was used up) is entered; a month-end count that would make
rice stock negative is refused, the real count is saved; the sheet now shows
the month's percentage outside ±2% in red; the PDF is written and read back;
the home screen reminds the bursar to close the month (先结账) and publish;
publishing the open month is refused with the reason, the month is closed in
月结, and publishing then locks it and silences the reminder.
The native save dialog is answered by a stub (WebDriver cannot drive it)."""

import pathlib
import re

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from test_attendance import last_month, load_demo
from test_notices import answer_save_dialog, pdf_text


def money(text):
    """12,345.60 → fen."""
    m = re.search(r"-?[\d,]+\.\d\d", text)
    assert m, text
    yuan, fen = m.group().replace(",", "").split(".")
    sign = -1 if yuan.startswith("-") else 1
    return sign * (abs(int(yuan)) * 100 + int(fen))


def sheet_state(app):
    return app.driver.execute_script(
        "const s = document.querySelector('[data-testid=meal-sheet]');"
        "const r = document.querySelector('[data-testid=meal-month-ratio]');"
        "return s && r ? [s.dataset.outside, r.dataset.outside, r.textContent, getComputedStyle(r).color] : null;"
    )


def open_tab(app, tab, testid):
    """Clicks a tab; the screen may be re-rendering after a save, so a stale
    tab is looked up again."""

    def click():
        try:
            el = app.wait(f"meal-tab-{tab}")
            app.into_view(el)
            el.click()
            return True
        except (StaleElementReferenceException, ElementNotInteractableException, ElementClickInterceptedException):
            return False

    app.wait_until(click, f"tab {tab} could not be clicked")
    app.wait(testid)


def test_enter_a_purchase_count_the_store_and_see_the_sheet_flagged(launch, tmp_path):
    app = launch()
    app.confirm_operator("李会计")
    load_demo(app)
    month = last_month()
    school_days = app.require_school_month(month, 10)

    # The home screen reminds the bursar to publish last month's sheet.
    reminder = app.wait("meal-reminder")
    assert reminder.get_attribute("data-month") == month
    assert "伙食费收支" in reminder.text
    assert "先结账" in reminder.text, reminder.text
    assert app.wait("meal-reminder-link").text == "去结账"
    app.shot("meal-0-home-reminder")

    # 伙食账 opens on last month's sheet: counted, inside ±2%.
    app.go("meal")
    app.wait("meal-sheet")
    assert app.wait("meal-month").get_attribute("data-month") == month
    outside, ratio_outside, ratio, _ = sheet_state(app)
    assert outside == "false" and ratio_outside == "false", ratio
    assert ratio.endswith("%")
    # About 90 children at 15 元 a day: most of them in on each school day,
    # and the month's income at least 10 元 for each child-day.
    income = money(app.wait("meal-income").get_attribute("textContent"))
    child_days = int(app.wait("meal-child-days").text)
    assert child_days > 60 * school_days, (child_days, school_days)
    assert income > 1_000 * child_days, (income, child_days)
    # 短期缺勤未退 on its own line under the income: what the core computed
    # from the settlement, shown as is (the screen does no arithmetic).
    sheet = app.invoke("meal_sheet", {"month": month})["ok"]
    short = sheet["short_unrefunded"]
    assert short and short["amount"] > 0 and short["days"] > 0, short
    line = app.wait("meal-short-unrefunded")
    assert int(line.get_attribute("data-fen")) == short["amount"]
    text = line.get_attribute("textContent")
    assert money(text) == short["amount"], text
    assert f"不足 {short['min_run']} 天不退" in text and f"{short['days']} 天" in text, text
    app.shot("meal-1-sheet-inside")

    # 进货登记: a negative amount is refused inside the dialog, nothing saved.
    open_tab(app, "purchases", "meal-purchase-list")
    rows_before = len(app.all("meal-purchase-row"))
    app.click("meal-purchase-add")
    app.wait("meal-purchase-dialog")
    app.type("meal-p-date", f"{month}-28")
    app.type("meal-p-supplier", "鲜丰肉类批发部")
    app.type("meal-p-receiver", "周师傅")
    app.type("meal-p-certificate", "送货单、动物检疫合格证明")
    app.type("meal-line-item", "猪肉")
    app.select("meal-line-category", "肉禽蛋")
    app.type("meal-line-quantity", "120")
    app.type("meal-line-unit", "kg")
    app.type("meal-line-amount", "-3360")
    app.enter("meal-line-amount")
    app.wait_text("dialog-error", "金额不能为负数")
    assert app.wait("meal-purchase-dialog")
    app.shot("meal-2-negative-refused")

    # Corrected: 5% of the month's income, used up in the month (a loss beyond 2%).
    extra = income * 5 // 100
    app.type("meal-line-amount", f"{extra // 100}.{extra % 100:02d}")
    app.enter("meal-line-amount")
    app.gone("meal-purchase-dialog")
    app.wait_until(lambda: len(app.all("meal-purchase-row")) == rows_before + 1, "the purchase is not listed")
    assert any("猪肉" in r.text and "肉禽蛋" in r.text for r in app.all("meal-purchase-row"))
    app.shot("meal-3-purchase-listed")

    # 月末盘点: a count leaving more rice than there was is refused; the real count is saved.
    open_tab(app, "count", "meal-count-table")
    grain = app.driver.find_element(By.CSS_SELECTOR, '[data-testid=meal-count-closing][data-category="粮食"]')
    original = grain.get_attribute("value")
    grain.clear()
    grain.send_keys("999999")
    app.click("meal-count-save")
    app.wait_text("meal-count-error", "库存会成为负数")
    app.shot("meal-4-count-refused")
    grain = app.driver.find_element(By.CSS_SELECTOR, '[data-testid=meal-count-closing][data-category="粮食"]')
    grain.clear()
    grain.send_keys(original)
    grain.send_keys(Keys.ENTER)
    app.wait("toast")
    app.wait_text("meal-count-status", "已盘点")
    app.shot("meal-4b-count-saved")

    # The sheet: the month's percentage is outside ±2%, in red.
    open_tab(app, "sheet", "meal-sheet")
    app.wait_until(lambda: (sheet_state(app) or [None])[0] == "true", "the sheet is not flagged")
    outside, ratio_outside, ratio, colour = sheet_state(app)
    assert ratio_outside == "true" and ratio.startswith("-"), ratio
    r, g, b = [int(x) for x in re.findall(r"\d+", colour)[:3]]
    assert r > 150 and g < 100 and b < 100, colour
    assert "超出 ±2%" in app.driver.find_element(By.CSS_SELECTOR, ".meal-ratio.outside").text
    app.shot("meal-5-sheet-flagged")

    # 打印 PDF: written where the save dialog said, and readable.
    pdf = tmp_path / "伙食费收支公示.pdf"
    answer_save_dialog(app, pdf)
    app.click("meal-pdf")
    app.wait_until(lambda: pathlib.Path(pdf).is_file(), "the PDF was not written", timeout=30)
    text = pdf_text(pdf)
    assert "伙食费收支公示" in text and "【超出±2%】" in text and ratio in text, text

    # 公示 while the month's settlement is open: refused inside the dialog with
    # the reason. (The toasts of the PDF and the count sit over the toolbar's
    # right end: close them first.)
    def close_toasts():
        for close in app.driver.find_elements(By.CSS_SELECTOR, ".toast-close"):
            try:
                close.click()
            except Exception:
                pass  # already gone

    close_toasts()
    app.click("meal-publish")
    app.wait("meal-publish-dialog")
    assert "先结账" in app.wait("meal-publish-dialog").text
    app.click("dialog-submit")
    app.wait_text("dialog-error", "还没有结账")
    assert "考勤与退费 → 月结" in app.wait("dialog-error").text
    app.shot("meal-5b-publish-refused-open-month")
    app.click("dialog-cancel")
    app.gone("meal-publish-dialog")
    assert "未公示" in app.wait("meal-status").text

    # 先结账: the status line's link opens 月结 on this month; close it there.
    app.click("meal-go-settle")
    app.wait("settle-view")
    assert app.driver.execute_script("return document.querySelector('[data-testid=settle-view]').dataset.status") == "open"
    app.click("settle-confirm")
    app.wait("confirm-dialog")
    app.click("confirm-ok")
    app.wait_until(
        lambda: app.driver.execute_script("const v = document.querySelector('[data-testid=settle-view]'); return v && v.dataset.status === 'closed';"),
        "the month did not close",
    )

    # 公示: the month is locked and the home reminder is gone.
    app.go("meal")
    open_tab(app, "sheet", "meal-sheet")
    assert app.wait("meal-month").get_attribute("data-month") == month
    app.wait_text("meal-status", "收入取自已结账的月结")
    close_toasts()
    app.click("meal-publish")
    app.wait("meal-publish-dialog")
    app.click("dialog-submit")
    app.gone("meal-publish-dialog")
    app.wait_text("meal-status", "已公示")
    app.shot("meal-6-published")
    open_tab(app, "purchases", "meal-purchase-list")
    app.wait("meal-locked")
    assert app.wait("meal-purchase-add").get_attribute("disabled") is not None
    app.go("home")
    app.wait("home")
    app.wait("meal-reminder-slot", visible=False)
    app.wait_until(lambda: not app.all("meal-reminder"), "the reminder is still shown after publishing", timeout=5)
