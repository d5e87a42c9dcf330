"""The short story every build must pass, also run against the installed
.deb (HOUQIN_APP=/usr/bin/houqin-app, scripts/deb-smoke.sh): a first start
on an empty data folder reaches the first screen, and the demo school loads
and shows the home totals."""

import pytest


@pytest.mark.app_env(HOUQIN_DB=None)
def test_first_start_on_an_empty_folder_then_the_demo_school_home_totals(launch):
    app = launch()
    assert app.driver.title == "后勤 Houqin"
    app.wait("db-choice")
    app.click("choose-local")
    app.confirm_operator("李会计")
    app.wait("setup-form")
    app.shot("smoke-1-first-screen")

    app.click("load-demo")
    app.click("confirm-ok")
    app.wait("home", timeout=60)
    children = app.number("stat-children", ".stat-value")
    classes = app.number("stat-classes", ".stat-value")
    school_days = app.number("stat-school-days", ".stat-value")
    assert 80 <= children <= 110, children
    assert classes == 6, classes
    assert 0 <= school_days <= 23, school_days
    assert (launch.data_dir / "houqin" / "houqin.db").exists(), "the default file under the data folder"
    app.shot("smoke-2-demo-home")
