"""设置 › 收费项目 › 收费公示 on the demo school: the dialog shows the basis the
demo set for each fee item; a complaint phone with letters is refused inside
the dialog and nothing is saved; corrected, the list is saved and printed, and
the PDF carries the rules in force in words, the typed basis and the phone."""

import pathlib

from test_attendance import load_demo
from test_notices import answer_save_dialog, pdf_text


def test_the_fee_list_is_printed_from_the_rules_in_force(launch, tmp_path):
    app = launch()
    app.confirm_operator("李会计")
    load_demo(app)
    app.go("settings")
    app.click("tab-fees")
    app.click("fees-fee-list")
    app.wait("fee-list-dialog")
    basis = app.wait("fee-list-basis-care")
    assert basis.get_attribute("value") == "杭发改价格〔2024〕35号"

    app.type("fee-list-basis-care", "浙发改价格〔2025〕7号")
    app.type("fee-list-phone", "打给园长")
    app.click("dialog-submit")
    app.wait_text("dialog-error", "监督电话")
    saved = app.invoke("fee_list_settings", {})["ok"]
    assert saved["basis"]["care"] == "杭发改价格〔2024〕35号", "a refused form saves nothing"

    pdf = tmp_path / "收费公示.pdf"
    answer_save_dialog(app, pdf)
    app.type("fee-list-phone", "0571-12345678")
    app.click("dialog-submit")
    app.wait_until(lambda: pathlib.Path(pdf).is_file(), "the PDF was not written", timeout=30)
    app.gone("fee-list-dialog")
    text = pdf_text(pdf)
    assert "收费公示" in text and "浙发改价格" in text and "0571-12345678" in text, text
    assert "每月800.00元" in text and "连续请假" in text, text
    app.shot("fees-list")
