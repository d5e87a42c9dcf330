// Houqin 后勤: the app shell. Builds the sidebar, routes between screens
// (#/home, #/children, …), asks where the data is on the very first start,
// signs people in where that is required (else asks for the operator) and
// shows every error from the core as a Chinese banner. Screens live in
// screens/*.js and export `render(view, ctx)`; the current one reloads its
// data when the window comes back to the front (another PC may have changed it).

import { call, setErrorSink, busy } from './lib/api.js';
import { h, mount, showError, setToday, dialogOpen, formDialog, toast } from './lib/ui.js';
import { icons } from './lib/icons.js';
import { backupLine } from './screens/backup_home.js';
import { renderChoice, renderOpenError, renderSignIn, renderFirstAdmin } from './screens/start.js';

setErrorSink(showError);

// Content-Security-Policy violations are kept here for the e2e tests to check.
window.houqinCspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.houqinCspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));

/**
 * The sidebar, in the order the back office works. Each screen's module is
 * loaded when it is first shown (and the rest once the first screen is up),
 * so the start does not wait for every screen's code.
 */
const ROUTES = [
  { key: 'home', label: '首页', icon: 'home', load: () => import('./screens/home.js') },
  { key: 'children', label: '幼儿与班级', icon: 'children', load: () => import('./screens/children.js') },
  { key: 'attendance', label: '考勤与退费', icon: 'attendance', load: () => import('./screens/attendance.js') },
  { key: 'meal', label: '伙食账', icon: 'meal', load: () => import('./screens/meal_account.js') },
  { key: 'notices', label: '通知单', icon: 'notices', load: () => import('./screens/notices.js') },
  { key: 'samples', label: '食品留样', icon: 'samples', load: () => import('./screens/kitchen.js') },
  { key: 'supplies', label: '物品领用', icon: 'supplies', load: () => import('./screens/supplies.js') },
  { key: 'assets', label: '固定资产', icon: 'assets', load: () => import('./screens/assets.js') },
  { key: 'repairs', label: '报修', icon: 'tool', load: () => import('./screens/repairs.js') },
  { key: 'settings', label: '设置', icon: 'settings', load: () => import('./screens/settings.js') },
  // Reached from the home screen, not the sidebar.
  { key: 'check', label: '体检', icon: 'alert', load: () => import('./screens/check.js'), hidden: true },
];

/** What every screen can read and do. */
export const ctx = {
  status: null,
  operator: null,
  /** Who is working: {signed_in, name, role, role_label, jobs}. */
  session: null,
  /** Whether the person working may change data of `job` (a convenience: the core checks). */
  may: (job) => !ctx.session || ctx.session.jobs.includes(job),
  navigate,
  refreshChrome,
  chooseOperator,
};

function currentRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const route = ROUTES.find((r) => r.key === parts[0]) || ROUTES[0];
  return { route, sub: parts.slice(1) };
}

/** Goes to a screen, e.g. navigate('settings/calendar'). */
export function navigate(path) {
  const target = `#/${path}`;
  if (location.hash === target) render();
  else location.hash = target;
}

function buildNav() {
  const nav = document.getElementById('nav');
  mount(
    nav,
    ROUTES.filter((r) => !r.hidden).map((r, i) =>
      h(
        'a',
        { href: `#/${r.key}`, class: 'nav-item', 'data-route': r.key, 'data-testid': `nav-${r.key}`, title: `${r.label}(Alt+${(i + 1) % 10})` },
        h('span', { class: 'nav-icon', svg: icons[r.icon] }),
        h('span', { class: 'nav-label' }, r.label),
      ),
    ),
  );
}

let renderSeq = 0;

async function render() {
  const { route, sub } = currentRoute();
  for (const a of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.nav-item'))) a.classList.toggle('active', a.dataset.route === route.key);
  document.getElementById('page-title').textContent = route.label;
  mount(document.getElementById('topbar-right'));
  const view = document.getElementById('view');
  const seq = ++renderSeq;
  typed = false;
  view.dataset.screen = route.key;
  try {
    const screen = await route.load();
    if (seq !== renderSeq) return;
    await screen.render(view, { ...ctx, sub, isCurrent: () => seq === renderSeq });
  } catch (err) {
    if (seq !== renderSeq) return;
    mount(
      view,
      h('div', { class: 'card error-card' }, h('h2', null, '这一页没有打开'), h('p', null, err && err.message ? err.message : String(err))),
    );
  }
}

/** Updates the school name in the sidebar and the operator chip. */
export async function refreshChrome() {
  document.getElementById('operator-name').textContent = ctx.operator || '未选择';
  try {
    const profile = await call('profile_get', {}, { quiet: true });
    document.getElementById('brand-school').textContent = profile ? profile.name : '幼儿园后勤管理';
  } catch {
    // Not worth a banner: the sidebar keeps its generic subtitle.
  }
}

/** 「请选择操作员」: the remembered operator prefilled, the staff list to pick from. */
export async function chooseOperator({ startup = false } = {}) {
  let staff = [];
  try {
    staff = (await call('staff_list', {}, { quiet: true })).filter((s) => s.active);
  } catch {
    staff = [];
  }
  const remembered = ctx.operator || '';
  const r = await formDialog({
    title: '请选择操作员',
    testid: 'operator-dialog',
    // Every change is audited under this name: without one it would read 「未指定」.
    // Changing an operator already chosen may be cancelled.
    dismissable: !startup && Boolean(ctx.operator),
    intro: startup
      ? '本次的所有修改都会以操作员的名义记入操作记录。'
      : '更换后,之后的修改以新的操作员记入操作记录。',
    submitLabel: '确定',
    fields: [
      {
        name: 'name',
        label: '操作员姓名',
        value: remembered,
        testid: 'operator-input',
        placeholder: staff.length ? '输入姓名,或点击下方的教职工' : '例如 李会计',
        list: staff.map((s) => s.name),
      },
    ],
    afterFields: (form) =>
      staff.length
        ? h(
            'div',
            { class: 'pick-staff' },
            h('div', { class: 'pick-label' }, '教职工'),
            h(
              'div',
              { class: 'chips', 'data-testid': 'operator-staff' },
              staff.slice(0, 12).map((s) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'chip',
                    onClick: () => {
                      const input = form.inputs.name.el;
                      input.value = s.name;
                      input.focus();
                    },
                  },
                  s.name,
                  s.role ? h('small', null, s.role) : null,
                ),
              ),
            ),
          )
        : null,
    onSubmit: async ({ name }) => {
      await call('operator_set', { name }, { quiet: true });
      return name.trim();
    },
  });
  if (r) {
    ctx.operator = r;
    refreshChrome();
    // The home screen shows the operator; other screens keep what is typed.
    if (currentRoute().route.key === 'home') render();
  }
  return r;
}

/** Shows who is signed in (with 退出登录) and hides what their role cannot change. */
function applySession(session) {
  ctx.session = session;
  const app = document.getElementById('app');
  app.classList.toggle('signed-in', session.signed_in);
  for (const c of [...document.body.classList]) if (c.startsWith('may-')) document.body.classList.remove(c);
  document.body.classList.toggle('roles', session.signed_in);
  for (const job of session.jobs) document.body.classList.add(`may-${job.replace(/_/g, '-')}`);
  const box = document.getElementById('topbar-user');
  if (!session.signed_in) {
    mount(box);
    return;
  }
  mount(
    box,
    h('span', { class: 'user-chip', 'data-testid': 'signed-in-user' }, h('span', { class: 'op-icon', svg: icons.user }), h('b', null, session.name), h('small', null, session.role_label)),
    h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        'data-testid': 'sign-out',
        onClick: async () => {
          await call('auth_sign_out');
          location.hash = '#/home';
          location.reload();
        },
      },
      '退出登录',
    ),
  );
}

/** The first start of each day keeps a copy of a local database; the header says while it runs. */
async function dailyBackup() {
  const box = document.getElementById('topbar-busy');
  mount(box, h('span', { class: 'busy-chip', 'data-testid': 'daily-backup-busy' }, '正在进行每日备份……'));
  try {
    const made = await call('backup_daily', {}, { quiet: true });
    const slot = document.querySelector('[data-testid="home-backup-slot"]');
    if (made && slot) slot.replaceWith(backupLine());
  } catch (err) {
    toast(`今天的自动备份没有成功:${err.message}`, 'error');
  } finally {
    mount(box);
  }
}

// When the window comes back to the front, the screen shows what changed
// meanwhile (on a server, another PC's work). Not while a dialog is open or
// something has been typed on the screen since it was drawn: that would
// throw away the user's input. (A field that merely has the focus does not
// count: several screens put the cursor in their first field.)
let leftAt = null;
let typed = false;
function watchFocus() {
  const view = document.getElementById('view');
  const mark = () => {
    typed = true;
  };
  view.addEventListener('input', mark);
  view.addEventListener('change', mark);
  const away = () => {
    if (leftAt === null) leftAt = Date.now();
  };
  const back = () => {
    if (leftAt === null) return;
    leftAt = null;
    if (!ctx.session || dialogOpen() || busy() || typed) return;
    render();
  };
  window.addEventListener('blur', away);
  window.addEventListener('focus', back);
  document.addEventListener('visibilitychange', () => (document.hidden ? away() : back()));
}

function keyboard() {
  document.addEventListener('keydown', (e) => {
    if (dialogOpen()) return;
    // Alt+1…9 and Alt+0 (the tenth) jump to the sidebar entries.
    if (e.altKey && !e.ctrlKey && !e.metaKey && /^[0-9]$/.test(e.key)) {
      e.preventDefault();
      navigate(ROUTES[(Number(e.key) + 9) % 10].key);
    }
  });
}

/** Loads the other screens' code after the first screen is up, so moving between screens does not wait for it. */
function preloadScreens() {
  setTimeout(() => {
    for (const r of ROUTES) r.load().catch(() => {});
  }, 300);
}

/**
 * Tells the shell the first screen is up: its DOM built from the data and one
 * frame painted (the second animation frame comes after that paint). The shell
 * prints a timestamp only when HOUQIN_STARTUP_TRACE is set, for
 * scripts/measure-app.sh; otherwise the call does nothing.
 */
function markInteractive(screen) {
  requestAnimationFrame(() => requestAnimationFrame(() => call('app_ready', { screen }, { quiet: true }).catch(() => {})));
}

async function start() {
  buildNav();
  keyboard();
  document.getElementById('operator-icon').innerHTML = icons.user;
  document.getElementById('operator-chip').addEventListener('click', () => chooseOperator());
  let status;
  try {
    status = await call('app_status', {}, { quiet: true });
  } catch (err) {
    status = { open_error: err, db_path: '' };
  }
  ctx.status = status;
  const view = document.getElementById('view');
  if (status.needs_choice) {
    renderChoice(view, status);
    markInteractive('choice');
    return;
  }
  if (status.open_error) {
    renderOpenError(view, status, { chooseAgain: () => renderChoice(view, status) });
    markInteractive('open-error');
    return;
  }
  if (status.sign_in_required && !status.session.signed_in) {
    if (status.needs_first_admin) renderFirstAdmin(view, status);
    else renderSignIn(view, status);
    markInteractive('sign-in');
    return;
  }
  setToday(status.today);
  ctx.operator = status.session.signed_in ? status.session.name : status.operator || null;
  applySession(status.session);
  window.addEventListener('hashchange', render);
  watchFocus();
  await refreshChrome();
  await render();
  markInteractive(currentRoute().route.key);
  preloadScreens();
  dailyBackup();
  if (!status.session.signed_in) await chooseOperator({ startup: true });
}

start();
