// 首页: the first-run setup for an empty school, otherwise the school at a
// glance (classes, children today, this month's school days) and shortcuts.
import { call } from '../lib/api.js';
import { h, mount, buildFields, showFormError, confirmDialog, toast, busyButton } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { profileFields } from './profile_form.js';
import { missingSamplesNotice } from './kitchen_home.js';
import { mealReminder } from './meal_account_reminder.js';
import { backupLine } from './backup_home.js';

export async function render(view, ctx) {
  const o = await call('home_overview');
  if (!ctx.isCurrent()) return;
  if (!o.profile) renderFirstRun(view, ctx);
  else renderHome(view, ctx, o);
}

async function loadDemo(ctx) {
  const ok = await confirmDialog({
    title: '载入演示幼儿园',
    message:
      '将载入一所演示幼儿园「阳光幼儿园」:6 个班级、约 90 名幼儿、教职工和本学期的校历,日期都以今天为准。\n演示数据只能载入到空的学校;想重新开始时,换一个新的数据库文件即可。',
    confirmLabel: '载入',
    testid: 'demo-confirm',
  });
  if (!ok) return;
  const s = await call('demo_load');
  toast(`已载入演示幼儿园:${s.classes} 个班级、${s.enrolled_today} 名在园幼儿、${s.staff} 名教职工`, 'success');
  await ctx.refreshChrome();
  ctx.navigate('home');
}

function demoButton(ctx, big) {
  return busyButton(
    h('button', { type: 'button', class: `btn ${big ? 'accent big' : ''}`, 'data-testid': 'load-demo' }, h('span', { class: 'btn-icon', svg: icons.sparkle }), '载入演示幼儿园'),
    () => loadDemo(ctx),
  );
}

function renderFirstRun(view, ctx) {
  const form = buildFields(profileFields());
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'profile-save' }, '保存并开始');
  const formEl = h(
    'form',
    { class: 'card setup-card', 'data-testid': 'setup-form', novalidate: true },
    h('h2', null, '填写学校信息'),
    h('p', { class: 'muted' }, '这些信息会出现在通知单和各种打印表格上,以后可以在「设置」里修改。'),
    form.el,
    errorBox,
    h('div', { class: 'form-actions' }, save),
  );
  formEl.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorBox.hidden = true;
    save.disabled = true;
    try {
      await call('profile_save', { profile: form.values() }, { quiet: true });
      toast('学校信息已保存', 'success');
      await ctx.refreshChrome();
      ctx.navigate('home');
    } catch (err) {
      showFormError(errorBox, err);
    } finally {
      save.disabled = false;
    }
  });
  mount(
    view,
    h(
      'div',
      { class: 'first-run', 'data-testid': 'first-run' },
      h(
        'div',
        { class: 'hero' },
        h('div', { class: 'hero-logo' }, '园'),
        h(
          'div',
          null,
          h('h2', null, '欢迎使用 后勤 Houqin'),
          h('p', null, `幼儿园的后勤账本:幼儿与班级、校历、伙食费退费、食品留样、物品领用和固定资产,${ctx.status && ctx.status.server ? '几台电脑共用学校服务器上的一个数据库。' : '都在这一台电脑上。'}`),
        ),
      ),
      h(
        'div',
        { class: 'first-run-grid' },
        formEl,
        h(
          'div',
          { class: 'card demo-card' },
          h('h2', null, '先看看效果?'),
          h('p', null, '载入一所演示幼儿园,可以马上试用每一个功能:'),
          h('ul', { class: 'ticks' }, h('li', null, '6 个班级,约 90 名幼儿'), h('li', null, '教职工名单和本学期校历'), h('li', null, '日期以今天为准,不会过时')),
          demoButton(ctx, true),
          h('p', { class: 'small muted' }, '演示数据只能载入到空的学校。'),
        ),
      ),
    ),
  );
  form.focusFirst();
}

/**
 * 开始使用前: what a new school still has to set up before the months can be
 * settled (classes, fee rules, next year's holidays), each with where to do it.
 * Nothing is shown once everything is in place.
 */
function setupSteps(o) {
  const steps = [
    { done: true, label: '填写学校信息', href: '#/settings/profile' },
    { done: o.classes.length > 0, label: '建立班级、录入幼儿', href: '#/children/classes' },
    { done: o.has_fee_rules, label: '设置收费项目和退费规则(月结、通知单和伙食账都要用)', href: '#/settings/fees' },
    {
      done: !o.next_year_missing,
      label: o.next_year_missing ? `导入 ${o.next_year_missing} 年的国家节假日安排(程序没有内置,校历只按周末计算)` : '导入明年的国家节假日安排',
      href: '#/settings/calendar',
    },
  ];
  if (steps.every((s) => s.done)) return null;
  return h(
    'div',
    { class: 'card setup-steps', 'data-testid': 'setup-steps' },
    h('div', { class: 'card-head' }, h('h3', null, '开始使用前')),
    h(
      'ol',
      { class: 'ticks' },
      steps.map((s) =>
        h(
          'li',
          { class: s.done ? 'done' : 'todo', 'data-testid': 'setup-step', 'data-done': String(s.done) },
          s.done ? h('span', null, s.label) : h('a', { href: s.href, class: 'link' }, s.label),
        ),
      ),
    ),
  );
}

function stat(label, value, sub, testid) {
  return h('div', { class: 'stat', 'data-testid': testid }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, value), sub ? h('div', { class: 'stat-sub' }, sub) : null);
}

/** The next holidays, make-up days and closures (this month and the two after), from the core's month views. */
async function upcoming(box, ctx, month) {
  const [y, m] = month.split('-').map(Number);
  const months = [0, 1, 2].map((k) => {
    const n = (m - 1 + k) % 12;
    return `${y + Math.floor((m - 1 + k) / 12)}-${String(n + 1).padStart(2, '0')}`;
  });
  let days = [];
  let closures = [];
  try {
    const cals = await Promise.all(months.map((mm) => call('calendar_month', { month: mm }, { quiet: true })));
    closures = await call('closures_list', {}, { quiet: true });
    days = cals.flatMap((c) => c.days).filter((d) => d.date >= ctx.status.today);
  } catch {
    box.replaceChildren(h('div', { class: 'empty small' }, '校历暂时无法读取。'));
    return;
  }
  const end = days.length ? days[days.length - 1].date : ctx.status.today;
  const items = closures
    .filter((c) => c.to >= ctx.status.today && c.from <= end)
    .map((c) => ({ label: c.reason, kind: c.charged ? ['amber', '计费停课'] : ['grey', '不计费'], from: c.from, to: c.to }));
  let run = null;
  for (const d of days) {
    let label = null;
    let kind = null;
    if (d.kind === 'holiday') {
      label = d.holiday_name || '节假日';
      kind = ['red', '放假'];
    } else if (d.kind === 'make_up_workday') {
      label = d.holiday_name ? `${d.holiday_name}调休` : '调休';
      kind = ['blue', '调休上班'];
    }
    if (!label) {
      run = null;
      continue;
    }
    if (run && run.label === label && run.kind[1] === kind[1]) {
      run.to = d.date;
    } else {
      run = { label, kind, from: d.date, to: d.date };
      items.push(run);
    }
  }
  items.sort((x, y) => (x.from < y.from ? -1 : 1));
  const year = ctx.status.today.slice(0, 4);
  const short = (iso) => (iso.slice(0, 4) === year ? iso.slice(5) : iso);
  if (!items.length) {
    box.replaceChildren(h('div', { class: 'empty small' }, '未来三个月没有节假日、调休或停课。'));
    return;
  }
  box.replaceChildren(
    h(
      'ul',
      { class: 'agenda' },
      items.slice(0, 6).map((it) =>
        h(
          'li',
          null,
          h('span', { class: 'agenda-date' }, it.from === it.to ? short(it.from) : `${short(it.from)} 至 ${short(it.to)}`),
          h('span', { class: 'agenda-label' }, it.label),
          h('span', { class: `badge ${it.kind[0]}` }, it.kind[1]),
        ),
      ),
    ),
  );
}

function renderHome(view, ctx, o) {
  const agenda = h('div', { class: 'agenda-box' }, h('div', { class: 'muted small' }, '正在读取校历……'));
  const mealSlot = h('div', { 'data-testid': 'meal-reminder-slot' });
  const p = o.profile;
  const grades = ['nursery', 'junior', 'middle', 'senior'];
  const byGrade = grades.map((g) => o.classes.filter((c) => c.grade === g)).filter((list) => list.length);
  mount(
    view,
    h(
      'div',
      { class: 'home', 'data-testid': 'home' },
      h(
        'div',
        { class: 'school-banner' },
        h(
          'div',
          null,
          h('h2', { 'data-testid': 'school-name' }, p.name, p.campus ? h('span', { class: 'campus' }, p.campus) : null),
          h(
            'div',
            { class: 'school-meta' },
            h('span', { class: 'tag' }, p.ownership === 'private' ? '民办' : '公办'),
            p.address ? h('span', null, p.address) : null,
            p.phone ? h('span', null, `电话 ${p.phone}`) : null,
            p.head_name ? h('span', null, `园长 ${p.head_name}`) : null,
            p.bursar_name ? h('span', null, `会计/出纳 ${p.bursar_name}`) : null,
          ),
        ),
        h('div', { class: 'banner-date' }, `今天 ${ctx.status.today}`),
      ),
      h(
        'div',
        { class: 'stats' },
        stat('班级', o.classes.length, `${byGrade.length} 个年级`, 'stat-classes'),
        stat('在园幼儿', o.children_today, '以今天计', 'stat-children'),
        stat(`${o.month_label}在园日`, `${o.school_days} 天`, `法定工作日 ${o.legal_working_days} 天`, 'stat-school-days'),
        ctx.session && ctx.session.signed_in
          ? stat('登录用户', ctx.session.name, `${ctx.session.role_label} · 修改都记在此人名下`, 'stat-operator')
          : stat('操作员', ctx.operator || '未选择', '修改都记在此人名下', 'stat-operator'),
      ),
      setupSteps(o),
      backupLine(),
      mealSlot,
      missingSamplesNotice(),
      o.schedule_known
        ? null
        : h(
            'div',
            { class: 'notice warn' },
            h('span', { svg: icons.alert }),
            `程序没有内置 ${o.month.slice(0, 4)} 年的国家节假日安排,目前只按周末计算。请在「设置 › 校历」中补充当年的节假日和调休上班日。`,
          ),
      h(
        'div',
        { class: 'home-grid' },
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'card-head' }, h('h3', null, '班级一览'), h('a', { href: '#/children/classes', class: 'link' }, '管理班级')),
          o.classes.length
            ? h(
                'div',
                { class: 'class-tiles' },
                o.classes.map((c) =>
                  h(
                    'a',
                    { class: `class-tile g-${c.grade}`, href: `#/children/list/${c.id}`, 'data-testid': 'class-tile' },
                    h('div', { class: 'tile-name' }, c.name),
                    h('div', { class: 'tile-meta' }, c.grade_label, c.head_teacher ? ` · ${c.head_teacher}` : ''),
                    h('div', { class: 'tile-count' }, h('b', null, c.child_count), ' 名幼儿'),
                  ),
                ),
              )
            : h('div', { class: 'empty small' }, '还没有班级。', h('a', { href: '#/children/classes', class: 'link' }, '新建班级')),
          h('div', { class: 'card-head sub' }, h('h3', null, '近期校历'), h('a', { href: '#/settings/calendar', class: 'link' }, '查看校历')),
          agenda,
        ),
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'card-head' }, h('h3', null, '常用')),
          h(
            'div',
            { class: 'quick' },
            h('a', { class: 'quick-item', href: '#/children/list' }, h('span', { svg: icons.children }), h('span', null, h('b', null, '幼儿名单'), h('small', null, '添加、调班、离园、导入导出'))),
            h('a', { class: 'quick-item', href: '#/settings/calendar' }, h('span', { svg: icons.attendance }), h('span', null, h('b', null, '校历'), h('small', null, '节假日、调休和停课'))),
            h('a', { class: 'quick-item', href: '#/settings/staff' }, h('span', { svg: icons.user }), h('span', null, h('b', null, '教职工'), h('small', null, '班主任、操作员名单'))),
            h('a', { class: 'quick-item', href: '#/repairs', 'data-testid': 'home-repairs' }, h('span', { svg: icons.tool }), h('span', null, h('b', null, '报修'), h('small', null, '登记报修,查看维修进度'))),
            h('a', { class: 'quick-item', href: '#/check', 'data-testid': 'home-check' }, h('span', { svg: icons.alert }), h('span', null, h('b', null, '体检'), h('small', null, '留样、伙食账、通知单、库存、资产互相核对'))),
          ),
          // Only an empty school can take the demo: no offer once it has classes.
          o.classes.length
            ? null
            : h('div', { class: 'demo-line' }, h('span', { class: 'muted small' }, '想先试用?空的学校可以载入演示数据。'), demoButton(ctx, false)),
        ),
      ),
    ),
  );
  upcoming(agenda, ctx, o.month);
  mealReminder(mealSlot);
}
