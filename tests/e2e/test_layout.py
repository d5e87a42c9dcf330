"""Every screen at the smallest window the app allows (960×620, `minWidth`
and `minHeight` in src-tauri/tauri.conf.json) with the demo school loaded:
nothing overflows sideways — not the page, not a table in its box — and no
table cell or button is cut off at the right. Named in issue 14 §5: 报废's
状态, 审批人 and 审批 button, 折旧's 净值, the children list; and at 1280×800
the 资产类别 table's 卡片 column in 固定资产 › 设置. The wide dialogs too: 减免/资助
with its 减免类别 editor, and a child's 收款记录.

What is measured is the laid-out page (getBoundingClientRect, scrollWidth),
so a fix that only hides the overflow (overflow: hidden on a wrapper) still
fails: a cell outside the box that clips it counts as cut off."""

import json
import pathlib
import time

from test_attendance import load_demo

SHOTS = pathlib.Path(__file__).resolve().parents[2] / "target" / "e2e-shots"

MIN_SIZE = (960, 620)

# Every screen and tab reachable from the sidebar (and 体检 from the home screen).
ROUTES = [
    "home",
    "children",
    "attendance/grid",
    "attendance/settle",
    "meal/sheet",
    "meal/purchases",
    "meal/count",
    "meal/settings",
    "notices",
    "samples/day",
    "samples/discard",
    "samples/check",
    "samples/logs",
    "samples/print",
    "samples/settings",
    "supplies/balance",
    "supplies/issues",
    "supplies/receipts",
    "supplies/deposits",
    "supplies/journal",
    "supplies/stocktake",
    "supplies/reports",
    "supplies/catalogue",
    "assets/register",
    "assets/stocktake",
    "assets/moves",
    "assets/disposals",
    "assets/depreciation",
    "assets/settings",
    "repairs/open",
    "repairs/all",
    "repairs/costs",
    "repairs/settings",
    "settings/profile",
    "settings/operator",
    "settings/staff",
    "settings/calendar",
    "settings/fees",
    "settings/connection",
    "settings/users",
    "settings/backup",
    "settings/audit",
    "check",
]

# The page's problems at the current size, as readable strings:
# - the document is wider than the window;
# - a box scrolls sideways (its content is wider than it);
# - a table cell, button or link that ends right of what shows it: the window
#   or an ancestor that clips (overflow other than visible).
PROBLEMS_JS = r"""
const out = [];
const W = window.innerWidth;
const doc = document.documentElement;
if (doc.scrollWidth > W + 1) out.push(`page ${doc.scrollWidth}px wide in a ${W}px window`);
const name = (e) => {
  const id = e.getAttribute('data-testid');
  const cls = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '';
  return `${e.tagName.toLowerCase()}${id ? `[${id}]` : ''}${cls}`;
};
const where = (e) => {
  const parts = [];
  for (let p = e; p && p !== document.body && parts.length < 4; p = p.parentElement) parts.unshift(name(p));
  return parts.join(' > ');
};
const visible = (e) => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
};
for (const e of document.querySelectorAll('body *')) {
  if (!visible(e)) continue;
  const ox = getComputedStyle(e).overflowX;
  if ((ox === 'auto' || ox === 'scroll') && e.scrollWidth > e.clientWidth + 1) {
    out.push(`scrolls sideways (${e.scrollWidth}px in ${e.clientWidth}px): ${where(e)}`);
  }
}
const label = (e) => (e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 20);
const cut = new Map();
for (const e of document.querySelectorAll('th, td, button, a.btn, .link-btn')) {
  if (!visible(e)) continue;
  // Not what a dialog covers: only the screen itself.
  if (e.closest('.modal-backdrop, .toast, #toasts')) continue;
  const r = e.getBoundingClientRect();
  let right = W;
  for (let p = e.parentElement; p && p !== doc; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible') right = Math.min(right, p.getBoundingClientRect().right);
  }
  if (r.right > right + 1) {
    // One line per column: the rows of a table share their path.
    const key = where(e);
    if (!cut.has(key)) cut.set(key, { n: 0, text: `cut off at ${Math.round(right)}px (ends at ${Math.round(r.right)}px): ${key} “${label(e)}”` });
    cut.get(key).n += 1;
  }
}
for (const { n, text } of cut.values()) out.push(n > 1 ? `${text} and ${n - 1} more like it` : text);
return out;
"""

# Whether each named element is shown whole: inside the window and inside
# every ancestor that clips it. `selector` picks elements, `text` (optional)
# the one whose text it is.
SHOWN_JS = r"""
const [selector, text] = arguments;
const W = window.innerWidth;
const els = [...document.querySelectorAll(selector)].filter((e) => !text || (e.textContent || '').trim() === text);
if (!els.length) return `no ${selector}${text ? ` “${text}”` : ''} on the screen`;
const e = els[0];
// Measured where it is: scrolling it into view would also scroll its table
// sideways and hide the very fault looked for.
const r = e.getBoundingClientRect();
if (r.width <= 0 || r.height <= 0) return `${selector} ${text || ''} has no size (hidden)`;
let right = W;
for (let p = e.parentElement; p && p !== document.documentElement; p = p.parentElement) {
  if (getComputedStyle(p).overflowX !== 'visible') right = Math.min(right, p.getBoundingClientRect().right);
}
if (r.right > right + 1 || r.left < -1) return `${selector} ${text || ''} spans ${Math.round(r.left)}–${Math.round(r.right)}px, shown up to ${Math.round(right)}px`;
return null;
"""


def open_route(app, route):
    app.driver.execute_script("location.hash = arguments[0];", f"#/{route}")
    key = route.split("/")[0]
    app.wait_until(
        lambda: app.driver.execute_script(
            "const v = document.querySelector('[data-screen]'); return v && v.dataset.screen === arguments[0];", key
        ),
        f"{route} not shown",
    )
    # The screen's data arrives after it is drawn (no loading flag to wait on).
    time.sleep(1.2)
    app.driver.execute_script("document.getElementById('toasts')?.replaceChildren();")


# The open dialog's problems: the dialog wider than the window, a box in it
# that scrolls sideways, or a cell, field or button cut off at its right.
DIALOG_JS = r"""
const box = [...document.querySelectorAll('.modal')].pop();
if (!box) return ['no dialog open'];
const out = [];
const W = window.innerWidth;
const b = box.getBoundingClientRect();
if (b.left < -1 || b.right > W + 1) out.push(`dialog spans ${Math.round(b.left)}–${Math.round(b.right)}px in a ${W}px window`);
const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
for (const e of box.querySelectorAll('*')) {
  if (!visible(e)) continue;
  const ox = getComputedStyle(e).overflowX;
  if ((ox === 'auto' || ox === 'scroll') && e.scrollWidth > e.clientWidth + 1) out.push(`scrolls sideways: ${e.tagName} ${e.className}`);
}
for (const e of box.querySelectorAll('th, td, button, input, select, textarea')) {
  if (!visible(e)) continue;
  const r = e.getBoundingClientRect();
  let right = Math.min(W, b.right);
  for (let p = e.parentElement; p && p !== box; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible') right = Math.min(right, p.getBoundingClientRect().right);
  }
  if (r.right > right + 1) out.push(`cut off at ${Math.round(right)}px: ${e.tagName} “${(e.textContent || e.value || '').trim().slice(0, 20)}”`);
}
return out;
"""


def dialog_problems(app, testid):
    app.wait(testid)
    time.sleep(0.8)
    return app.driver.execute_script(DIALOG_JS)


def problems(app):
    return app.driver.execute_script(PROBLEMS_JS)


def shown(app, selector, text=None):
    return app.driver.execute_script(SHOWN_JS, selector, text)


def last_column_shown(app, table):
    """Whether the last header cell of `table` is shown whole."""
    return shown(app, f"{table} thead th:last-child")


def resize(app, width, height):
    """Sets the window so that its page area is `width`×`height`, as a user
    dragging the window to the minimum gets (the page then reports that
    innerWidth): WebDriver sizes the outer window, frame included."""
    app.driver.set_window_size(width, height)
    time.sleep(0.5)
    inner = app.driver.execute_script("return [window.innerWidth, window.innerHeight];")
    dw, dh = width - inner[0], height - inner[1]
    if dw or dh:
        app.driver.set_window_size(width + dw, height + dh)
        time.sleep(0.5)
    return app.driver.execute_script("return [window.innerWidth, window.innerHeight];")


def test_every_screen_fits_the_smallest_window(launch):
    app = launch()
    app.confirm_operator("李会计")
    load_demo(app)
    inner = resize(app, *MIN_SIZE)
    assert inner[0] <= MIN_SIZE[0], f"the window did not shrink to {MIN_SIZE}: {inner}"

    found = {}
    for route in ROUTES:
        open_route(app, route)
        p = problems(app)
        if p:
            found[route] = p
            app.shot(f"layout-960-{route.replace('/', '-')}")

    # The ones issue 14 names, each looked at on its own.
    named = []
    open_route(app, "assets/disposals")
    for th in ("状态", "审批人"):
        named.append(shown(app, "[data-testid=disposals-table] th", th))
    named.append(shown(app, "[data-testid=disposal-status]"))
    named.append(shown(app, "[data-testid=disposal-decide]"))
    open_route(app, "assets/depreciation")
    named.append(shown(app, "[data-testid=dep-categories] th", "净值"))
    # The children list: the scan above finds a sideways scroll; here its last column.
    open_route(app, "children")
    named.append(last_column_shown(app, "[data-testid=children-table]"))

    # The wide dialogs at the smallest window.
    open_route(app, "settings/fees")
    app.click("fees-waivers")
    for testid, opener in (("waivers-dialog", None), ("waiver-kinds-dialog", "waiver-kinds")):
        if opener:
            app.click(opener)
        p = dialog_problems(app, testid)
        if p:
            found[testid] = p
            app.shot(f"layout-960-{testid}")
    app.escape()
    app.gone("waiver-kinds-dialog")
    app.escape()
    app.gone("waivers-dialog")
    if app.invoke("notice_months", {})["ok"]:
        open_route(app, "notices")
        app.wait("notices-table")
        app.click_css("[data-testid=notice-row]:first-child [data-testid=notice-payments]")
        p = dialog_problems(app, "payments-dialog")
        if p:
            found["payments-dialog"] = p
            app.shot("layout-960-payments-dialog")
        app.escape()
        app.gone("payments-dialog")

    # At 1280×800: the category table's 卡片 column in 固定资产 › 设置.
    resize(app, 1280, 800)
    open_route(app, "assets/settings")
    named.append(shown(app, "[data-testid=categories-table] th", "卡片"))
    p = problems(app)
    if p:
        found["assets/settings at 1280×800"] = p
        app.shot("layout-1280-assets-settings")

    named = [n for n in named if n]
    report = json.dumps(found, ensure_ascii=False, indent=1)
    assert not named and not found, f"named: {named}\nby screen: {report}"
