// 设置 › 用户 (管理员): the people who sign in, their roles, disabling and
// resetting a password; on a local file, the switch 需要登录.
import { call } from '../lib/api.js';
import { h, mount, formDialog, confirmDialog, toast, emptyState } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { hidePasswords } from './start.js';

/** formDialog with its password fields masked once it is open. */
function passwordDialog(opts, ...names) {
  const p = formDialog({
    ...opts,
    afterFields: (form) => {
      hidePasswords(form, ...names);
      return null;
    },
  });
  return p;
}

export async function render(body, ctx) {
  if (!ctx.may('users')) {
    mount(body, h('div', { class: 'card narrow' }, h('h2', null, '用户'), h('p', { class: 'muted' }, '只有管理员可以管理用户。')));
    return;
  }
  const v = await call('users_list');
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('settings/users');
  const roleOptions = v.roles.map(([code, label]) => [code, label]);
  const add = h(
    'button',
    {
      type: 'button',
      class: 'btn primary',
      'data-testid': 'user-add',
      onClick: async () => {
        const r = await passwordDialog(
          {
            title: '添加用户',
            testid: 'user-dialog',
            fields: [
              { name: 'name', label: '用户名', required: true, testid: 'user-name-input', placeholder: '例如 李会计' },
              { name: 'role', label: '角色', type: 'select', options: roleOptions, value: 'bursar', testid: 'user-role-input' },
              { name: 'password', label: '密码(至少 8 个字符)', required: true, testid: 'user-password-input' },
              { name: 'again', label: '再输入一次密码', required: true, testid: 'user-password-again' },
            ],
            onSubmit: async (f) => {
              await call('user_add', { name: f.name, role: f.role, password: f.password, password_again: f.again }, { quiet: true });
              toast(`已添加用户 ${f.name.trim()}`, 'success');
            },
          },
          'password',
          'again',
        );
        if (r) reload();
      },
    },
    h('span', { class: 'btn-icon', svg: icons.plus }),
    '添加用户',
  );
  const toggle = async (u) => {
    if (!u.disabled) {
      const ok = await confirmDialog({ title: '停用用户', message: `停用后 ${u.name} 不能再登录,已登录的也不能再修改数据。操作记录中保留其姓名。`, confirmLabel: '停用', danger: true });
      if (!ok) return;
    }
    await call('user_set_disabled', { name: u.name, disabled: !u.disabled });
    toast(u.disabled ? `${u.name} 已重新启用` : `${u.name} 已停用`, 'success');
    reload();
  };
  const reset = async (u) => {
    const r = await passwordDialog(
      {
        title: `重设 ${u.name} 的密码`,
        testid: 'password-dialog',
        intro: '设置新密码后请告诉本人,并请他登录后尽快使用。',
        fields: [
          { name: 'password', label: '新密码(至少 8 个字符)', required: true, testid: 'reset-password-input' },
          { name: 'again', label: '再输入一次', required: true, testid: 'reset-password-again' },
        ],
        onSubmit: async (f) => {
          await call('user_reset_password', { name: u.name, password: f.password, password_again: f.again }, { quiet: true });
        },
      },
      'password',
      'again',
    );
    if (r) toast(`已重设 ${u.name} 的密码`, 'success');
  };
  const switchBox = v.server
    ? h('p', { class: 'muted' }, '连接服务器时,每个人都必须登录。')
    : h(
        'label',
        { class: 'switch-line' },
        h('input', {
          type: 'checkbox',
          'data-testid': 'sign-in-required',
          checked: v.sign_in_required,
          onChange: async (e) => {
            const want = e.target.checked;
            try {
              await call('sign_in_required_set', { required: want });
              toast(want ? '已开启:下次启动时需要登录' : '已关闭登录:启动时选择操作员', 'success');
            } catch {
              e.target.checked = !want;
            }
          },
        }),
        h('span', null, h('b', null, '需要登录'), h('small', { class: 'muted' }, ' 开启后,这台电脑启动时每个人用自己的账号登录(不再选择操作员),只能修改自己角色范围内的数据。开启前请先添加一位管理员。')),
      );
  mount(
    body,
    h('div', { class: 'card narrow', 'data-testid': 'sign-in-card' }, h('h2', null, '登录'), switchBox),
    h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, `共 ${v.users.length} 个用户`), h('span', { class: 'spacer' }), add),
    h(
      'div',
      { class: 'card flush' },
      v.users.length
        ? h(
            'table',
            { class: 'table', 'data-testid': 'users-table' },
            h('thead', null, h('tr', null, ['用户名', '角色', '状态', '添加时间', '添加人', ''].map((t) => h('th', null, t)))),
            h(
              'tbody',
              null,
              v.users.map((u) =>
                h(
                  'tr',
                  { 'data-testid': 'user-row', class: u.disabled ? 'dim' : null },
                  h('td', { class: 'strong' }, u.name),
                  h('td', null, u.role_label),
                  h('td', null, u.disabled ? h('span', { class: 'badge grey' }, '已停用') : h('span', { class: 'badge green' }, '正常')),
                  h('td', { class: 'mono' }, u.created_at.slice(0, 16)),
                  h('td', null, u.created_by || '—'),
                  h(
                    'td',
                    { class: 'row-actions' },
                    h('button', { type: 'button', class: 'link-btn', 'data-testid': 'user-reset', onClick: () => reset(u).catch(() => {}) }, '重设密码'),
                    h('button', { type: 'button', class: 'link-btn', 'data-testid': 'user-toggle', onClick: () => toggle(u).catch(() => {}) }, u.disabled ? '启用' : '停用'),
                  ),
                ),
              ),
            ),
          )
        : emptyState('还没有用户', '添加管理员、会计、食堂、资产管理员和园长的账号;开启「需要登录」后,每个人用自己的账号登录。'),
    ),
  );
}
