// 设置: 学校信息, 操作员, 教职工, 校历, 收费项目; 数据库连接, 用户, 数据备份, 操作日志.
import { call } from '../lib/api.js';
import { h, mount, buildFields, showFormError, formDialog, toast, emptyState } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { profileFields } from './profile_form.js';
import * as calendar from './calendar.js';
import * as fees from './fees.js';
import * as connection from './settings_connection.js';
import * as users from './settings_users.js';
import * as backups from './settings_backup.js';
import * as auditLog from './settings_audit.js';

const TABS = [
  ['profile', '学校信息'],
  ['operator', '操作员'],
  ['staff', '教职工'],
  ['calendar', '校历'],
  ['fees', '收费项目'],
  ['connection', '数据库连接'],
  ['users', '用户'],
  ['backup', '数据备份'],
  ['audit', '操作日志'],
];

export async function render(view, ctx) {
  // A person who signed in is the one recorded: there is no operator to pick.
  const tabs = TABS.filter(([k]) => !(k === 'operator' && ctx.session && ctx.session.signed_in));
  const tab = tabs.some(([k]) => k === ctx.sub[0]) ? ctx.sub[0] : 'profile';
  const body = h('div', { class: 'tab-body' });
  mount(
    view,
    h('div', { class: 'tabs', role: 'tablist' }, tabs.map(([k, label]) => h('a', { href: `#/settings/${k}`, class: `tab${k === tab ? ' active' : ''}`, role: 'tab', 'data-testid': `tab-${k}` }, label))),
    body,
  );
  if (tab === 'profile') await renderProfile(body, ctx);
  else if (tab === 'operator') renderOperator(body, ctx);
  else if (tab === 'staff') await renderStaff(body, ctx);
  else if (tab === 'fees') await fees.render(body, ctx);
  else if (tab === 'connection') await connection.render(body, ctx);
  else if (tab === 'users') await users.render(body, ctx);
  else if (tab === 'backup') await backups.render(body, ctx);
  else if (tab === 'audit') await auditLog.render(body, ctx);
  else await calendar.render(body, ctx);
}

async function renderProfile(body, ctx) {
  const p = await call('profile_get');
  if (!ctx.isCurrent()) return;
  const form = buildFields(profileFields(p || {}));
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'profile-save' }, '保存');
  const el = h(
    'form',
    { class: 'card narrow', novalidate: true, 'data-testid': 'profile-form' },
    h('h2', null, '学校信息'),
    h('p', { class: 'muted' }, '显示在通知单和打印表格的抬头。公办/民办影响部分退费和折旧规则的默认值。'),
    form.el,
    errorBox,
    h('div', { class: 'form-actions' }, save),
  );
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorBox.hidden = true;
    save.disabled = true;
    try {
      await call('profile_save', { profile: form.values() }, { quiet: true });
      toast('学校信息已保存', 'success');
      ctx.refreshChrome();
    } catch (err) {
      showFormError(errorBox, err);
    } finally {
      save.disabled = false;
    }
  });
  mount(body, el);
  form.focusFirst();
}

function renderOperator(body, ctx) {
  const name = h('div', { class: 'operator-big', 'data-testid': 'current-operator' }, ctx.operator || '未选择');
  mount(
    body,
    h(
      'div',
      { class: 'card narrow' },
      h('h2', null, '操作员'),
      h('p', { class: 'muted' }, '每次启动时选择操作员。所有涉及金额、请假、库存和资产的修改,都会连同操作员姓名和时间记入操作记录。'),
      h('div', { class: 'operator-row' }, h('span', { class: 'op-avatar', svg: icons.user }), name),
      h(
        'div',
        { class: 'form-actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn primary',
            'data-testid': 'change-operator',
            onClick: async () => {
              const r = await ctx.chooseOperator();
              if (r) {
                name.textContent = r;
                toast(`操作员已更换为 ${r}`, 'success');
              }
            },
          },
          '更换操作员',
        ),
      ),
    ),
  );
}

async function renderStaff(body, ctx) {
  const staff = await call('staff_list');
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('settings/staff');
  const add = h(
    'button',
    {
      type: 'button',
      class: 'btn primary',
      'data-testid': 'add-staff',
      onClick: async () => {
        const r = await formDialog({
          title: '添加教职工',
          testid: 'staff-dialog',
          fields: [
            { name: 'name', label: '姓名', required: true, testid: 'staff-name-input' },
            { name: 'role', label: '岗位', testid: 'staff-role-input', placeholder: '例如 班主任、会计、食堂管理员', list: ['园长', '会计', '出纳', '班主任', '保育员', '保健医', '食堂管理员', '厨师', '资产管理员', '保安'] },
            { name: 'phone', label: '电话', type: 'tel', testid: 'staff-phone-input' },
          ],
          onSubmit: async (v) => {
            await call('staff_add', { input: v }, { quiet: true });
            toast(`已添加 ${v.name.trim()}`, 'success');
          },
        });
        if (r) reload();
      },
    },
    h('span', { class: 'btn-icon', svg: icons.plus }),
    '添加教职工',
  );
  const toggle = async (s) => {
    await call('staff_set_active', { id: s.id, active: !s.active });
    toast(s.active ? `${s.name} 已设为离职` : `${s.name} 已恢复在职`, 'success');
    reload();
  };
  mount(
    body,
    h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, `在职 ${staff.filter((s) => s.active).length} 人`), h('span', { class: 'spacer' }), add),
    h(
      'div',
      { class: 'card flush' },
      staff.length
        ? h(
            'table',
            { class: 'table', 'data-testid': 'staff-table' },
            h('thead', null, h('tr', null, ['姓名', '岗位', '电话', '状态', ''].map((t) => h('th', null, t)))),
            h(
              'tbody',
              null,
              staff.map((s) =>
                h(
                  'tr',
                  { 'data-testid': 'staff-row', class: s.active ? null : 'dim' },
                  h('td', { class: 'strong' }, s.name),
                  h('td', null, s.role || '—'),
                  h('td', { class: 'mono' }, s.phone || '—'),
                  h('td', null, s.active ? h('span', { class: 'badge green' }, '在职') : h('span', { class: 'badge grey' }, '离职')),
                  h('td', { class: 'row-actions' }, h('button', { type: 'button', class: 'link-btn', onClick: () => toggle(s).catch(() => {}) }, s.active ? '设为离职' : '恢复在职')),
                ),
              ),
            ),
          )
        : emptyState('还没有教职工', '添加班主任、会计、食堂管理员等,之后选择操作员、班主任时可以直接点选。'),
    ),
  );
}
