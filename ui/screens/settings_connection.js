// 设置 › 数据库连接: where the data is now, and switching between this PC's
// file and a school's server. A switch opens the other database first (a
// server is tried before anything is saved); the page then reloads on it.
import { call } from '../lib/api.js';
import { h, mount, buildFields, showFormError, confirmDialog } from '../lib/ui.js';
import { serverFields, serverValues, hidePasswords } from './start.js';

const SOURCES = {
  flag: '本次启动时用 --db 参数指定',
  env: '由环境变量 HOUQIN_DB 指定',
  saved: '本机保存的选择',
  default: '默认',
};

export async function render(body, ctx) {
  const info = await call('connection_get');
  if (!ctx.isCurrent()) return;
  const server = info.kind === 'server';
  const saved = info.saved && info.saved.kind === 'server' ? info.saved : {};
  const form = buildFields(serverFields(saved));
  hidePasswords(form, 'password');
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'server-error', hidden: true });
  const connect = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'server-connect' }, '测试并切换到服务器');
  const test = h('button', { type: 'button', class: 'btn', 'data-testid': 'server-test' }, '只测试连接');
  const note = h('span', { class: 'muted small', hidden: true }, '正在连接服务器……');
  const result = h('div', { class: 'notice', 'data-testid': 'server-test-result', hidden: true });
  const busy = async (btn, fn) => {
    errorBox.hidden = true;
    result.hidden = true;
    btn.disabled = true;
    note.hidden = false;
    try {
      await fn();
    } catch (err) {
      showFormError(errorBox, err);
    } finally {
      btn.disabled = false;
      note.hidden = true;
    }
  };
  test.addEventListener('click', () =>
    busy(test, async () => {
      const r = await call('connection_test', { server: serverValues(form) }, { quiet: true });
      mount(result, `连接成功:${r.location}。${r.school ? `学校:${r.school}` : '数据库中还没有学校信息'};用户 ${r.users} 人。`);
      result.hidden = false;
    }),
  );
  const serverForm = h('form', { class: 'server-form', novalidate: true, 'data-testid': 'server-form' }, form.el, errorBox, result, h('div', { class: 'form-actions' }, note, test, connect));
  serverForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(connect, async () => {
      const values = serverValues(form);
      const ok = await confirmDialog({
        title: '切换到服务器',
        message: `之后这台电脑使用服务器 ${values.host}:${values.port}/${values.database} 上的数据,每个人都需要登录。本机数据库文件保持不变,可以随时切换回来。`,
        confirmLabel: '切换',
        testid: 'switch-confirm',
      });
      if (!ok) return;
      await call('connection_use_server', { server: values }, { quiet: true });
      location.hash = '#/home';
      location.reload();
    });
  });
  const local = h('button', { type: 'button', class: 'btn', 'data-testid': 'use-local' }, server ? '切换到本机数据库' : '使用默认的本机数据库文件');
  local.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: '使用本机数据库',
      message: `之后这台电脑使用本机文件 ${info.default_file} 中的数据(没有这个文件时新建一个空的)。服务器上的数据保持不变。`,
      confirmLabel: '切换',
      testid: 'switch-confirm',
    });
    if (!ok) return;
    local.disabled = true;
    try {
      await call('connection_use_local', { path: null });
      location.hash = '#/home';
      location.reload();
    } catch {
      local.disabled = false;
    }
  });
  mount(
    body,
    h(
      'div',
      { class: 'card narrow', 'data-testid': 'connection-card' },
      h('h2', null, '数据库连接'),
      h(
        'dl',
        { class: 'conn-now' },
        h('dt', null, '现在使用'),
        h('dd', { 'data-testid': 'connection-kind' }, server ? '学校服务器(PostgreSQL)' : '本机数据库文件(SQLite)'),
        h('dt', null, server ? '服务器' : '文件'),
        h('dd', null, h('code', { 'data-testid': 'connection-location' }, info.location)),
        h('dt', null, '来源'),
        h('dd', null, SOURCES[info.source] || info.source),
      ),
      info.source === 'flag' || info.source === 'env'
        ? h('p', { class: 'notice warn settings-note' }, `这次使用的数据库${SOURCES[info.source]}:在这里切换只对这次运行有效,下次启动仍按 --db 参数或 HOUQIN_DB 打开。`)
        : null,
      h('div', { class: 'form-actions' }, local),
    ),
    h(
      'div',
      { class: 'card narrow' },
      h('h2', null, '连接学校服务器'),
      h('p', { class: 'muted' }, '几台电脑共用一个 PostgreSQL 数据库时填写(由学校的电脑管理员提供)。先测试连接,连接成功后才会保存;密码只保存在本机,不会再显示。'),
      serverForm,
    ),
  );
}
