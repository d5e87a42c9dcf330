"""Screenshots for the README (docs/screenshots/*.png) from the demo school.
Not a test: `bash scripts/screenshots.sh` runs it on purpose (pytest collects
only test_*.py files, so the suite never does)."""

import pathlib
import time
import shutil

from selenium.webdriver.common.by import By

from test_attendance import load_demo

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"

SCREENS = [
    ("home", "home"),
    ("children", "children"),
    ("attendance", "attendance"),
    ("meal", "meal-account"),
    ("notices", "notices"),
    ("samples", "kitchen"),
    ("supplies", "supplies"),
    ("assets", "assets"),
]


def clear_toasts(app):
    app.driver.execute_script("document.getElementById('toasts').replaceChildren();")


def test_docs_screenshots(launch):
    app = launch()
    app.confirm_operator("李会计")
    load_demo(app)
    DOCS.mkdir(parents=True, exist_ok=True)
    for route, name in SCREENS:
        app.go(route)
        # Let the screen's data arrive (no spinner API to wait on).
        time.sleep(2)
        clear_toasts(app)
        app.driver.execute_script("window.scrollTo(0, 0); document.querySelectorAll('main, .content').forEach(e => e.scrollTop = 0);")
        app.shot(f"docs-{name}")
        shutil.copy(pathlib.Path("target/e2e-shots") / f"docs-{name}.png", DOCS / f"{name}.png")
    assert app.driver.find_elements(By.CSS_SELECTOR, "[data-testid=nav-assets]")
