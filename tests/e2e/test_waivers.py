"""设置 › 收费项目 › 减免/资助 on the demo school: the demo's subsidised
children are listed; a percent above 100 is refused inside the dialog and
nothing is saved; corrected, the waiver is added and listed, then ended; the
资助名册 of the term is saved as a PDF with the children and the amounts the
closed months' settlements came to."""

import pathlib

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
