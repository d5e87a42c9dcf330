"""报修 end to end in the real window: the issue's acceptance story — a
broken air conditioner in 大一班 reported, the card showing 维修, assigned,
a bad cost refused, closed with its cost, the card back 在用 and its repair
history on the asset card.

The register is set up with the `houqin` command line on the database the
app will open, as in test_assets.py.
"""

from selenium.webdriver.common.by import By

from test_assets import cli

REGISTER = """资产编号,资产名称,类别名称,数量,存放地点,责任人,取得日期,原值
ZC-0001,柜式空调,空调,1,大一班,陈老师,2023-09-01,6899
ZC-0002,钢琴,电气设备,1,大一班,陈老师,2022-09-01,14700
ZC-0003,复印机,办公设备,1,办公室,钱保管,2023-03-01,12800
"""


def row_of(app, number):
    return app.driver.find_element(By.CSS_SELECTOR, f'[data-testid="asset-row"][data-number="{number}"]')


def asset_status(app, number):
    return row_of(app, number).find_element(By.CSS_SELECTOR, '[data-testid="asset-status"]').text


def repair_row(app):
    rows = app.all("repair-row")
    assert len(rows) == 1, len(rows)
    return rows[0]


def click_in_row(app, testid):
    app.wait_until(lambda: app.all("repair-row") and repair_row(app).find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]'), f"{testid} in the row")
    app.shot(f"repairs-before-{testid}")
    app.click_css(f'[data-testid="repair-row"] [data-testid="{testid}"]')


def test_report_an_air_conditioner_assign_close_and_see_the_card_history(launch, tmp_path):
    db = launch.data_dir / "houqin" / "houqin.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    cli(db, "init", "--name", "向日葵幼儿园")
    csv = tmp_path / "资产.csv"
    csv.write_text(REGISTER, encoding="utf-8")
    cli(db, "assets", "import", str(csv))
    app = launch()
    app.confirm_operator("钱保管")

    # Anyone reports: the room, the card, the trade, urgent.
    app.go("repairs")
    app.click("repair-add")
    app.wait("repair-dialog")
    app.type("repair-room", "大一班")
    app.type("repair-asset", "ZC-0001")
    app.select("repair-trade-select", "电器")
    app.click("repair-urgent")
    app.type("repair-desc", "空调不制冷")
    app.type("repair-reporter", "陈老师")
    app.shot("repairs-1-report")
    app.click("dialog-submit")
    app.gone("repair-dialog")
    app.wait_until(lambda: len(app.all("repair-row")) == 1, "the request is listed")
    assert app.wait("repair-trade").get_attribute("data-trade") == "appliance"
    assert "待派工" in repair_row(app).text and "ZC-0001" in repair_row(app).text

    # The card shows 维修 while the request is open.
    app.go("assets")
    app.wait_until(lambda: len(app.all("asset-row")) == 3, "the register")
    app.wait_until(lambda: asset_status(app, "ZC-0001") == "维修", "the air conditioner shows 维修")

    # The keeper assigns it.
    app.go("repairs")
    click_in_row(app, "repair-assign")
    app.wait("repair-assign-dialog")
    app.type("repair-assignee", "王师傅")
    app.click("dialog-submit")
    app.gone("repair-assign-dialog")
    app.wait_until(lambda: "已派工" in repair_row(app).text and "王师傅" in repair_row(app).text, "assigned")

    # A negative cost is refused in Chinese; then it is closed with its cost.
    click_in_row(app, "repair-close")
    app.wait("repair-close-dialog")
    app.type("repair-work", "清洗滤网,补充冷媒")
    app.type("repair-cost", "-5")
    app.click("dialog-submit")
    app.wait_text("dialog-error", "不能为负数")
    app.type("repair-cost", "350")
    app.click("dialog-submit")
    app.gone("repair-close-dialog")
    app.wait_until(lambda: not app.all("repair-row"), "no open request left")
    app.shot("repairs-2-closed")

    app.click("repairs-tab-all")
    app.wait_until(lambda: app.all("repair-row") and "已完成" in repair_row(app).text and "350.00" in repair_row(app).text, "closed with its cost")

    # The card is back in use, with the repair in its history.
    app.go("assets")
    app.wait_until(lambda: len(app.all("asset-row")) == 3 and asset_status(app, "ZC-0001") == "在用", "back in use")
    row_of(app, "ZC-0001").find_element(By.CSS_SELECTOR, '[data-testid="asset-number"]').click()
    app.wait("asset-card")
    history = app.wait("asset-card-repair").text
    assert "空调不制冷" in history and "王师傅" in history and "350.00" in history, history
    app.shot("repairs-3-card-history")
