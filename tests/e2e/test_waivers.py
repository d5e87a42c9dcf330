"""设置 › 收费项目 › 减免/资助 on the demo school: the demo's subsidised
children are listed; a percent above 100 is refused inside the dialog and
nothing is saved; corrected, the waiver is added and listed, then ended; the
资助名册 of the term is saved as a PDF with the children and the amounts the
closed months' settlements came to. A waiver entered by mistake is
cancelled (作废) with a reason; the kinds (减免类别) are edited in the dialog,
a percent above 100 refused with nothing saved."""

import pathlib

from selenium.webdriver.common.by import By

from test_attendance import load_demo
from test_notices import answer_save_dialog, pdf_text


def rows(app):
    return app.driver.execute_script(
        "return [...document.querySelectorAll('[data-testid^=waiver-row-]')].map((tr) => tr.textContent);"
    )


def test_a_waiver_is_added_ended_and_the_roster_printed(launch, tmp_path):
    app = launch()
    app.confirm_operator("李会计")
    load_demo(app)
    app.go("settings")
    app.click("tab-fees")
    app.click("fees-waivers")
    app.wait("waivers-dialog")
    app.wait_until(lambda: len(rows(app)) == 3, "the demo's three waivers are listed")
    assert any("孤儿/残疾儿童" in r and "100%" in r for r in rows(app)), rows(app)

    app.click("waiver-add")
    app.wait("waiver-add-dialog")
    app.select("waiver-kind", "教职工子女(默认 50%)")
    app.type("waiver-percent", "150")
    app.type("waiver-approved-by", "王园长")
    app.type("waiver-doc", "园办〔2026〕5号")
    app.click("dialog-submit")
    app.wait_text("dialog-error", "不在 1–100 之间")
    assert len(app.invoke("waivers_list", {"filter": {}})["ok"]) == 3, "a refused form saves nothing"

    app.type("waiver-percent", "50")
    app.click("dialog-submit")
    app.gone("waiver-add-dialog")
    app.wait_until(lambda: len(rows(app)) == 4, "the new waiver is listed")
    added = [w for w in app.invoke("waivers_list", {"filter": {}})["ok"] if w["kind"] == "教职工子女"]
    assert len(added) == 1 and added[0]["share"] == {"percent": 50} and added[0]["doc_no"] == "园办〔2026〕5号", added

    wid = added[0]["id"]
    app.click(f"waiver-end-{wid}")
    app.wait("waiver-end-dialog")
    app.type("waiver-last", "1999-01")
    app.click("dialog-submit")
    app.wait_text("dialog-error", "早于这条减免的第一个月")
    app.type("waiver-last", added[0]["from"])
    app.click("dialog-submit")
    app.gone("waiver-end-dialog")
    ended = [w for w in app.invoke("waivers_list", {"filter": {}})["ok"] if w["id"] == wid][0]
    assert ended["to"] == added[0]["from"], ended

    # 作废: the waiver entered by mistake goes, the audit trail keeps it.
    app.click(f"waiver-cancel-{wid}")
    app.wait("waiver-cancel-dialog")
    app.type("waiver-cancel-reason", "录错了幼儿")
    app.click("dialog-submit")
    app.gone("waiver-cancel-dialog")
    app.wait_until(lambda: len(rows(app)) == 3, "the cancelled waiver is no longer listed")
    assert all(w["id"] != wid for w in app.invoke("waivers_list", {"filter": {}})["ok"])

    # 减免类别: a new kind; 150% is refused by the core and nothing is saved.
    kinds_before = app.invoke("waiver_kinds", {})["ok"]
    app.click("waiver-kinds")
    app.wait("waiver-kinds-dialog")
    app.click("waiver-kind-add")
    row = app.driver.find_elements(By.CSS_SELECTOR, "[data-testid=waiver-kinds-table] tr.kind-row")[-1]
    row.find_element(By.NAME, "name").send_keys("困境儿童")
    row.find_element(By.NAME, "percent").send_keys("150")
    app.click("waiver-kinds-save")
    app.wait_text("waiver-kinds-error", "不在 1–100 之间")
    assert app.invoke("waiver_kinds", {})["ok"] == kinds_before, "a refused list saves nothing"
    percent = row.find_element(By.NAME, "percent")
    percent.clear()
    percent.send_keys("30")
    app.click("waiver-kinds-save")
    app.gone("waiver-kinds-dialog")
    kinds = app.invoke("waiver_kinds", {})["ok"]
    assert kinds[:-1] == kinds_before and kinds[-1] == {"name": "困境儿童", "percent": 30}, kinds

    pdf = tmp_path / "资助名册.pdf"
    answer_save_dialog(app, pdf)
    app.click("waivers-roster")
    app.wait("waiver-roster-dialog")
    demo = app.invoke("waivers_list", {"filter": {}})["ok"]
    app.type("roster-from", min(w["from"] for w in demo))
    app.type("roster-to", max(w["to"] for w in demo))
    app.click("dialog-submit")
    app.wait_until(lambda: pathlib.Path(pdf).is_file(), "the roster was not written", timeout=30)
    text = pdf_text(pdf)
    assert "资助名册" in text and "孤儿/残疾儿童" in text and "合计金额（大写）" in text, text
    for w in demo:
        assert w["child"] in text, (w["child"], text)
    app.shot("fees-waivers")
