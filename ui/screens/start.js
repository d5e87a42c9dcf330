// The screens before the app: where the data is (the very first start:
// 本机数据库 or 连接服务器), the database that did not open (with 恢复最近的备份
// when a backup exists), 登录, and the first administrator of a server.
// Each fills the view while the sidebar is dimmed; when it is done the page
// reloads and app.js starts again on the new state (the Rust side keeps it).
import { call } from '../lib/api.js';
import { h, mount, buildFields, showFormError, confirmDialog, toast } from '../lib/ui.js';
import { icons } from '../lib/icons.js';

/** The 连接服务器 form's fields (the password is never prefilled). */
export function serverFields(saved = {}) {
  return [
    { name: 'host', label: '服务器地址(主机)', value: saved.host || '', required: true, testid: 'server-host', placeholder: '例如 192.168.1.10 或 houqin-server' },
    { name: 'port', label: '端口', value: String(saved.port || 5432), testid: 'server-port' },
    { name: 'database', label: '数据库', value: saved.database || 'houqin', required: true, testid: 'server-database' },
    { name: 'user', label: '数据库用户名', value: saved.user || 'houqin', required: true, testid: 'server-user' },
    { name: 'password', label: '数据库密码', value: '', required: true, testid: 'server-password', hint: '保存在本机,只有当前电脑用户可以读取,之后不再显示。' },
  ];
}

/** The form's values as the core's ServerForm. */
export function serverValues(form) {
  const v = form.values();
  const port = Number(String(v.port).trim() || '5432');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw { type: 'Invalid', message: `端口“${v.port}”不对,应为 1 到 65535 之间的数字(PostgreSQL 默认为 5432)`, problems: [] };
  }
  return { host: v.host, port, database: v.database, user: v.user, password: v.password };
}

/** Marks the password field as one (buildFields makes text inputs). */
export function hidePasswords(form, ...names) {
  for (const n of names) if (form.inputs[n]) form.inputs[n].el.type = 'password';
}

function screen(view, ...children) {
  document.getElementById('app').classList.add('fatal');
  mount(view, h('div', { class: 'start-screen' }, ...children));
}

/** The very first start: where should the data be? */
export function renderChoice(view, status) {
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'server-error', hidden: true });
  const form = buildFields(serverFields());
  hidePasswords(form, 'password');
  const localBtn = h('button', { type: 'button', class: 'btn primary big', 'data-testid': 'choose-local' }, '使用本机数据库');
  const connectBtn = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'server-connect' }, '测试并连接');
  localBtn.addEventListener('click', async () => {
    localBtn.disabled = true;
    try {
      await call('connection_use_local', { path: null });
      location.reload();
    } catch {
      localBtn.disabled = false;
    }
  });
  const serverForm = h(
    'form',
    { class: 'server-form', novalidate: true, 'data-testid': 'server-form' },
    form.el,
    errorBox,
    h('div', { class: 'form-actions' }, h('span', { class: 'muted small busy-note', hidden: true }, '正在连接服务器……'), connectBtn),
  );
  serverForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorBox.hidden = true;
    connectBtn.disabled = true;
    const note = serverForm.querySelector('.busy-note');
    note.hidden = false;
    try {
      await call('connection_use_server', { server: serverValues(form) }, { quiet: true });
      location.reload();
    } catch (err) {
      showFormError(errorBox, err);
    } finally {
      connectBtn.disabled = false;
      note.hidden = true;
    }
  });
  screen(
    view,
    h(
      'div',
      { class: 'hero' },
      h('div', { class: 'hero-logo' }, '园'),
      h('div', null, h('h2', null, '欢迎使用 后勤 Houqin'), h('p', null, '先选择数据放在哪里。以后可以在「设置 › 数据库连接」中更改。')),
    ),
    h(
      'div',
      { class: 'choice-grid', 'data-testid': 'db-choice' },
      h(
        'div',
        { class: 'card choice-card' },
        h('h2', null, '本机数据库'),
        h('p', null, '只有这一台电脑使用:数据保存在本机的一个文件里,不需要安装任何其他软件。'),
        h('p', { class: 'muted small' }, '文件位置:', h('code', null, status.default_file || '用户数据目录/houqin/houqin.db')),
        localBtn,
      ),
      h(
        'div',
        { class: 'card choice-card' },
        h('h2', null, '连接服务器'),
        h('p', null, '几台电脑(会计室、食堂、资产管理员的笔记本)共用学校服务器上的 PostgreSQL 数据库,每个人用自己的账号登录。'),
        serverForm,
      ),
    ),
  );
}

/** The database did not open: why, and the way back (a backup, another database). */
export function renderOpenError(view, status, { chooseAgain }) {
  const b = status.latest_backup;
  const restore = b
    ? h('button', { type: 'button', class: 'btn primary', 'data-testid': 'restore-latest' }, '恢复最近的备份')
    : null;
  if (restore) {
    restore.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: '恢复最近的备份',
        message: `将用 ${b.created_at} 的备份(${b.reason_label})替换现在打不开的数据库文件。\n现在的文件会另存一份在 backups 文件夹里,不会删除;备份之后录入的内容需要重新录入。`,
        confirmLabel: '恢复',
        danger: true,
        testid: 'restore-confirm',
      });
      if (!ok) return;
      restore.disabled = true;
      restore.classList.add('busy');
      try {
        const r = await call('backup_restore_unopened', { file: b.path });
        toast(`已恢复。原来的文件另存为 ${r.kept || '(无)'}`, 'success');
        location.reload();
      } catch {
        restore.disabled = false;
        restore.classList.remove('busy');
      }
    });
  }
  screen(
    view,
    h(
      'div',
      { class: 'card fatal-card', 'data-testid': 'db-error' },
      h('div', { class: 'fatal-icon', svg: icons.alert }),
      h('h2', null, '无法打开数据库'),
      h('p', { class: 'fatal-msg', 'data-testid': 'db-error-message' }, status.open_error.message),
      status.db_path ? h('p', { class: 'muted' }, '数据库:', h('code', null, status.db_path)) : null,
      b
        ? h('p', { 'data-testid': 'latest-backup' }, `最近的备份:${b.created_at}(${b.reason_label})`)
        : null,
      h(
        'p',
        { class: 'muted' },
        '数据没有被修改。请检查文件是否被其他程序占用、是否有读写权限,或服务器是否开机;也可以改用另一个数据库。',
      ),
      h('div', { class: 'form-actions center' }, restore, h('button', { type: 'button', class: 'btn', 'data-testid': 'choose-again', onClick: chooseAgain }, '更改数据库连接')),
    ),
  );
}

/** 登录 (instead of the operator dialog) where everyone signs in. */
export function renderSignIn(view, status) {
  const form = buildFields([
    { name: 'name', label: '用户名', testid: 'signin-name', value: '' },
    { name: 'password', label: '密码', testid: 'signin-password', value: '' },
  ]);
  hidePasswords(form, 'password');
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'signin-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'signin-submit' }, '登录');
  const el = h(
    'form',
    { class: 'card signin-card', novalidate: true, 'data-testid': 'signin-form' },
    h('h2', null, '登录'),
    h('p', { class: 'muted' }, status.server ? `数据库服务器:${status.db_path}` : '这台电脑的后勤数据需要登录后才能使用。'),
    form.el,
    errorBox,
    h('div', { class: 'form-actions' }, submit),
  );
  submitThenReload(el, submit, errorBox, () => {
    const v = form.values();
    return call('auth_sign_in', { name: v.name, password: v.password }, { quiet: true });
  }, () => {
    form.inputs.password.el.value = '';
    form.inputs.password.el.focus();
  });
  screen(view, el);
  form.focusFirst();
}

/**
 * The start forms' submit: runs `action`, and on success starts the app again
 * (the session changed); a refusal is shown in `errorBox`, then `onError` runs.
 */
function submitThenReload(el, submit, errorBox, action, onError = () => {}) {
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorBox.hidden = true;
    submit.disabled = true;
    try {
      await action();
      location.reload();
    } catch (err) {
      showFormError(errorBox, err);
      onError();
    } finally {
      submit.disabled = false;
    }
  });
}

/** A server with nobody on it yet: the first administrator. */
export function renderFirstAdmin(view, status) {
  const form = buildFields([
    { name: 'name', label: '管理员用户名', testid: 'admin-name', value: '' },
    { name: 'password', label: '密码(至少 8 个字符)', testid: 'admin-password', value: '' },
    { name: 'again', label: '再输入一次密码', testid: 'admin-password-again', value: '' },
  ]);
  hidePasswords(form, 'password', 'again');
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'admin-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'admin-submit' }, '创建并登录');
  const el = h(
    'form',
    { class: 'card signin-card', novalidate: true, 'data-testid': 'first-admin-form' },
    h('h2', null, '创建第一位管理员'),
    h('p', { class: 'muted' }, `服务器上的数据库(${status.db_path})还没有用户。管理员可以添加会计、食堂、资产管理员和园长的账号。`),
    form.el,
    errorBox,
    h('div', { class: 'form-actions' }, submit),
  );
  submitThenReload(el, submit, errorBox, () => {
    const v = form.values();
    return call('auth_first_admin', { name: v.name, password: v.password, password_again: v.again }, { quiet: true });
  });
  screen(view, el);
  form.focusFirst();
}
