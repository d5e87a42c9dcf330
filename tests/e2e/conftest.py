"""Fixtures for the end-to-end tests: the real app (target/debug/houqin-app,
or under $CARGO_TARGET_DIR, or $HOUQIN_APP) driven through tauri-driver + WebKitWebDriver,
each test on a fresh data dir.

The app inherits its environment from tauri-driver, so the XDG variables are
set on tauri-driver: every test gets its own empty database, and a test can
end its session and start the app again on the same data (a restart).
HOUQIN_DB names that test's database file, so no test meets the first-start
question (本机数据库 or 连接服务器) by accident; a test that wants it, or
another database, says so with `@pytest.mark.app_env(HOUQIN_DB=None)` (None
removes the variable).
"""

import os
import pathlib
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[2]
# HOUQIN_APP runs the tests against another build, e.g. the installed
# /usr/bin/houqin-app of the .deb (scripts/deb-smoke.sh).
APP = pathlib.Path(
    os.environ.get("HOUQIN_APP") or pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "debug" / "houqin-app"
)
DRIVER = ROOT / ".tools" / "bin" / "tauri-driver"
SHOTS = ROOT / "target" / "e2e-shots"


def _free_port():
    # Several e2e runs may share a machine (engineers, CI): each test asks the
    # OS for free ports instead of the fixed 4444/4445.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_port(port, open_=True, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if _port_open(port) == open_:
            return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} still {'closed' if open_ else 'open'} after {timeout} s")


class App:
    """One running app window, with helpers that find things by data-testid."""

    def __init__(self, driver, name):
        self.driver = driver
        self.name = name

    def css(self, testid):
        return f'[data-testid="{testid}"]'

    def wait(self, testid, timeout=15, visible=True):
        sel = self.css(testid)

        def found(d):
            els = d.find_elements(By.CSS_SELECTOR, sel)
            els = [e for e in els if e.is_displayed()] if visible else els
            return els[0] if els else False

        try:
            return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(found)
        except TimeoutException:
            self.shot(f"{self.name}-timeout-{testid}")
            raise AssertionError(f"{testid} did not appear; page text:\n{self.text()[:2000]}")

    def wait_until(self, predicate, message, timeout=15):
        try:
            return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: predicate())
        except TimeoutException:
            self.shot(f"{self.name}-timeout")
            raise AssertionError(f"{message}; page text:\n{self.text()[:2000]}")

    def number(self, testid, inner=None):
        """The first integer in an element's text, once it has one (re-renders allowed)."""
        import re

        out = []

        def read():
            try:
                el = self.wait(testid)
                if inner:
                    el = el.find_element(By.CSS_SELECTOR, inner)
                # textContent: WebDriver's visible-text rules drop text in
                # `overflow: hidden` boxes in WebKit.
                m = re.search(r"\d+", el.get_attribute("textContent") or "")
            except StaleElementReferenceException:
                return False
            if m:
                out.append(int(m.group()))
            return bool(m)

        self.wait_until(read, f"no number in {testid}")
        return out[-1]

    def gone(self, testid, timeout=15):
        self.wait_until(lambda: not [e for e in self.all(testid) if e.is_displayed()], f"{testid} still shown", timeout)

    def wait_text(self, testid, text, timeout=15):
        """Waits until some element with this testid contains `text`."""
        self.wait_until(lambda: any(text in e.text for e in self.all(testid)), f"no {testid} with “{text}”", timeout)

    def all(self, testid):
        return self.driver.find_elements(By.CSS_SELECTOR, self.css(testid))

    def click(self, testid, timeout=15):
        """Clicks the element, finding it again if the screen re-rendered it
        between the lookup and the click (a stale node is not a failure of
        the app: a screen that redraws after loading replaces its buttons)."""
        return self._click(lambda: self.wait(testid, timeout), timeout)

    def click_css(self, css, timeout=15):
        """`click` for an element named by a CSS selector."""

        def find():
            return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
                lambda d: d.find_element(By.CSS_SELECTOR, css)
            )

        return self._click(find, timeout)

    def _click(self, find, timeout):
        deadline = time.monotonic() + timeout
        while True:
            el = find()
            try:
                self.into_view(el)
                el.click()
                return el
            except StaleElementReferenceException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def into_view(self, el):
        """Scrolls an element to the middle of the page: WebDriver scrolls only
        until it is inside the window, which can leave it under the sticky
        page header, and the click then lands on the header."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)

    def type(self, testid, text, clear=True):
        el = self.wait(testid)
        if clear:
            el.clear()
        el.send_keys(text)
        return el

    def enter(self, testid):
        self.wait(testid).send_keys(Keys.ENTER)

    def escape(self):
        self.driver.switch_to.active_element.send_keys(Keys.ESCAPE)

    def select(self, testid, visible_text):
        from selenium.webdriver.support.ui import Select

        Select(self.wait(testid)).select_by_visible_text(visible_text)

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def go(self, route):
        self.click(f"nav-{route}")

    def confirm_operator(self, name=None):
        """Answers the start-up 「请选择操作员」 dialog; returns the prefilled name."""
        self.wait("operator-dialog")
        field = self.wait("operator-input")
        prefilled = field.get_attribute("value")
        if name is not None:
            field.clear()
            field.send_keys(name)
        field.send_keys(Keys.ENTER)
        self.gone("operator-dialog")
        return prefilled

    def invoke(self, cmd, args):
        """A command as the UI invokes it ({"ok": value} or {"err": error}),
        without a native file dialog in front of it."""
        return self.driver.execute_async_script(
            "const [cmd, args, done] = arguments;"
            "window.__TAURI__.core.invoke(cmd, args).then((r) => done({ok: r}), (e) => done({err: e}));",
            cmd,
            args,
        )

    def require_school_month(self, month, days):
        """Skips a test that needs `month` to be a school month. The demo's
        calendar has real breaks: run in March, last month is mostly winter
        break; in September it is the summer break, and the new 小班 had not
        started. The skip says so rather than passing on an empty month.
        Returns the month's number of school days."""
        n = len(self.invoke("calendar_month", {"month": month})["ok"]["school_days"])
        if n < days:
            pytest.skip(f"{month} has {n} school days in the demo calendar (a school break); this test needs {days}")
        return n

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        # A WebDriver screenshot right after a change can show the previous frame.
        time.sleep(0.5)
        self.driver.save_screenshot(str(SHOTS / f"{name}.png"))


QUIT_TIMEOUT = 30


def _quit_quietly(d):
    try:
        d.quit()
    except Exception:
        pass


class Driver:
    """One tauri-driver (with its WebKitWebDriver) on its own ports, for one
    data dir and environment; `start()` opens the app (again)."""

    def __init__(self, tmp_path, name, overrides=None):
        if not APP.exists():
            pytest.fail(f"{APP} is missing: run `cargo build -p houqin-app` (scripts/e2e.sh does)")
        self.name = name
        env = dict(os.environ)
        for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
            (tmp_path / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(tmp_path / sub)
        self.data_dir = tmp_path / "data"
        self.config_dir = tmp_path / "config"
        self.db = self.data_dir / "houqin" / "houqin.db"
        env["HOUQIN_DB"] = str(self.db)
        # The app turns WebKitGTK's accelerated compositing and DMA-BUF
        # renderer off unless these are set (src-tauri/src/main.rs). With them
        # off, WebKitWebDriver never finishes ending a session here (Xvfb,
        # Mesa): the first `quit` waits forever, measured on 2026-12-04. The
        # tests therefore run the app with WebKit's own rendering defaults.
        env.setdefault("WEBKIT_DISABLE_COMPOSITING_MODE", "0")
        env.setdefault("WEBKIT_DISABLE_DMABUF_RENDERER", "0")
        for var, value in (overrides or {}).items():
            if value is None:
                env.pop(var, None)
            else:
                env[var] = str(value)
        self.log = open(tmp_path / "tauri-driver.log", "wb")
        self.port = _free_port()
        native = _free_port()
        # Own process group: tauri-driver starts WebKitWebDriver, which starts the app.
        self.proc = subprocess.Popen(
            [str(DRIVER), "--port", str(self.port), "--native-port", str(native)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.drivers = []
        _wait_port(self.port)

    def start(self):
        self.quit_sessions()
        opts = ArgOptions()
        opts.set_capability("browserName", "wry")
        opts.set_capability("tauri:options", {"application": str(APP)})
        # Right after a session ends, tauri-driver may drop the next
        # request while WebKitWebDriver restarts: retry a few times.
        for attempt in range(4):
            try:
                driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{self.port}", options=opts)
                break
            except Exception:
                if attempt == 3 or self.proc.poll() is not None:
                    raise
                time.sleep(1)
        self.drivers.append(driver)
        return App(driver, self.name)

    def quit_sessions(self):
        for d in self.drivers:
            # Bounded: a session that never ends must fail one test, not
            # hang the whole run (close() then kills the process group).
            t = threading.Thread(target=_quit_quietly, args=(d,), daemon=True)
            t.start()
            t.join(QUIT_TIMEOUT)
            if t.is_alive():
                print(f"WebDriver session of {self.name} did not end in {QUIT_TIMEOUT} s", file=sys.stderr)
        self.drivers.clear()

    def close(self):
        self.quit_sessions()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                continue
        self.log.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "app_env(**vars): environment of the app under test (None removes a variable)")


@pytest.fixture
def launch(tmp_path, request):
    """Starts tauri-driver on a fresh data dir; `launch()` opens the app (again)."""
    marker = request.node.get_closest_marker("app_env")
    driver = Driver(tmp_path, request.node.name, marker.kwargs if marker else None)
    try:
        def start():
            return driver.start()

        start.data_dir = driver.data_dir
        start.config_dir = driver.config_dir
        start.db = driver.db
        yield start
    finally:
        driver.close()


@pytest.fixture
def drivers(tmp_path, request):
    """Several apps at once (two PCs): `drivers("a", env)` starts one more
    tauri-driver with its own data dir and returns it."""
    made = []

    def make(name, overrides=None):
        d = Driver(tmp_path / name, f"{request.node.name}-{name}", overrides)
        made.append(d)
        return d

    try:
        yield make
    finally:
        for d in made:
            d.close()
