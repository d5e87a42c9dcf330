// 设置 › 校历: the month view (national schedule + the school's own days and
// closures), custom holiday/make-up days and closures. All counting is done
// by the core; this page only shows it.
import { call, pickFile } from '../lib/api.js';
import { h, mount, formDialog, confirmDialog, toast, today, emptyState } from '../lib/ui.js';
import { icons } from '../lib/icons.js';

let month = null; // 'YYYY-MM'

function shift(ym, delta) {
  let [y, m] = ym.split('-').map(Number);
  m += delta;
  while (m < 1) {
    m += 12;
    y -= 1;
  }
  while (m > 12) {
    m -= 12;
    y += 1;
  }
  return `${y}-${String(m).padStart(2, '0')}`;
}

function label(ym) {
  const [y, m] = ym.split('-').map(Number);
  return `${y}年${m}月`;
}

function daysBetween(a, b) {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86400000) + 1;
}

export async function render(body, ctx) {
  if (!month) month = today().slice(0, 7);
  const [cal, overrides, closures] = await Promise.all([call('calendar_month', { month }), call('calendar_overrides'), call('closures_list')]);
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('settings/calendar');
  const overrideByDate = new Map(overrides.map((o) => [o.date, o]));
  const go = (delta) => {
    month = delta === 0 ? today().slice(0, 7) : shift(month, delta);
    reload();
  };

  const first = cal.days[0];
  const blanks = Array.from({ length: first.weekday - 1 }, () => h('div', { class: 'day blank', 'aria-hidden': 'true' }));
  const cells = cal.days.map((d) => dayCell(d, overrideByDate.get(d.date), () => editDay(d.date, overrideByDate.get(d.date), d).then((r) => r && reload())));

  const grid = h(
    'div',
    { class: 'month-grid', 'data-testid': 'month-grid' },
    ['一', '二', '三', '四', '五', '六', '日'].map((w, i) => h('div', { class: `dow${i >= 5 ? ' weekend' : ''}` }, `周${w}`)),
    blanks,
    cells,
  );
  grid.addEventListener('keydown', (e) => {
    if (e.key === 'PageUp') {
      e.preventDefault();
      go(-1);
    } else if (e.key === 'PageDown') {
      e.preventDefault();
      go(1);
    }
  });

  mount(
    body,
    h(
      'div',
      { class: 'card calendar-card' },
      h(
        'div',
        { class: 'cal-head' },
        h(
          'div',
          { class: 'cal-nav' },
          h('button', { type: 'button', class: 'icon-btn', 'aria-label': '上个月', title: '上个月(PageUp)', 'data-testid': 'cal-prev', onClick: () => go(-1), svg: icons.left }),
          h('h2', { 'data-testid': 'cal-month' }, label(month)),
          h('button', { type: 'button', class: 'icon-btn', 'aria-label': '下个月', title: '下个月(PageDown)', 'data-testid': 'cal-next', onClick: () => go(1), svg: icons.right }),
          h('button', { type: 'button', class: 'btn small', onClick: () => go(0) }, '本月'),
          h('button', { type: 'button', class: 'btn small', 'data-testid': 'import-holidays', title: '导入国务院公布的某一年放假安排(与程序内置数据同样格式的 JSON 文件)', onClick: () => importYear(reload) }, '导入放假安排…'),
        ),
        h(
          'div',
          { class: 'cal-counts' },
          h('div', { class: 'pill' }, '法定工作日 ', h('b', { 'data-testid': 'legal-days' }, cal.legal_working_days.length), ' 天'),
          h('div', { class: 'pill green' }, '在园日 ', h('b', { 'data-testid': 'school-days' }, cal.school_days.length), ' 天'),
          cal.charged_closure_days.length ? h('div', { class: 'pill amber' }, '其中计费停课 ', h('b', null, cal.charged_closure_days.length), ' 天') : null,
        ),
      ),
      cal.schedule_known
        ? null
        : h(
            'div',
            { class: 'notice warn', 'data-testid': 'schedule-unknown' },
            h('span', { svg: icons.alert }),
            `程序没有内置 ${month.slice(0, 4)} 年的国家节假日安排,本月只按周末计算。请「导入放假安排」(国务院公布后的 ${month.slice(0, 4)}.json 文件),或点击日期逐天补充。`,
            h('button', { type: 'button', class: 'btn small', 'data-testid': 'import-holidays-inline', onClick: () => importYear(reload) }, '导入放假安排…'),
          ),
      grid,
      h(
        'div',
        { class: 'legend' },
        h('span', null, h('i', { class: 'sw school' }), '在园日'),
        h('span', null, h('i', { class: 'sw holiday' }), '节假日(休)'),
        h('span', null, h('i', { class: 'sw makeup' }), '调休上班'),
        h('span', null, h('i', { class: 'sw closure' }), '停课/假期'),
        h('span', { class: 'muted' }, '点击某一天可以把它设为放假或调休上班。'),
      ),
    ),
    h(
      'div',
      { class: 'two-col' },
      overridesCard(overrides, reload),
      closuresCard(closures, reload),
    ),
  );
}

/** Imports a year's State Council schedule from a JSON file (the built-in data's format). */
async function importYear(reload) {
  const path = await pickFile({ multiple: false, directory: false, title: '选择放假安排文件(如 2027.json)', filters: [{ name: '放假安排(.json)', extensions: ['json'] }] });
  if (!path) return;
  const r = await call('calendar_import_year', { path });
  toast(`已导入 ${r.year} 年的放假安排:${r.days} 天${r.replaced ? `(替换了 ${r.replaced} 条自定义日期)` : ''}`, 'success');
  reload();
}

function dayCell(d, override, onClick) {
  const n = Number(d.date.slice(8));
  let text;
  let mark = null;
  if (d.kind === 'holiday') {
    text = d.holiday_name || '节假日';
    mark = h('span', { class: 'mark off' }, '休');
  } else if (d.kind === 'make_up_workday') {
    text = '调休上班';
    mark = h('span', { class: 'mark on' }, '班');
  } else if (d.kind === 'weekend') {
    text = '周末';
  } else {
    text = '工作日';
  }
  const closure = d.closure_reason && d.legal_working_day ? h('div', { class: `closure-tag${d.charged_closure ? ' charged' : ''}` }, d.charged_closure ? `停课:${d.closure_reason}` : d.closure_reason) : null;
  const classes = ['day', `k-${d.kind}`];
  if (d.school_day) classes.push('school');
  if (d.closure_reason && d.legal_working_day) classes.push(d.charged_closure ? 'charged' : 'closed');
  if (d.date === today()) classes.push('today');
  if (override) classes.push('custom');
  return h(
    'button',
    { type: 'button', class: classes.join(' '), 'data-date': d.date, 'data-testid': 'cal-day', title: `${d.date} ${text}${d.school_day ? ' · 在园日' : ''}${override ? ' · 自定义' : ''}`, onClick },
    h('div', { class: 'day-top' }, h('span', { class: 'day-num' }, n), mark),
    h('div', { class: 'day-text' }, text),
    closure,
    d.school_day ? h('div', { class: 'day-foot' }, d.charged_closure ? '计费' : '在园') : null,
  );
}

function editDay(date, override, day) {
  return formDialog({
    title: date ? `设置 ${date}` : '添加自定义日期',
    testid: 'day-dialog',
    intro: '用于补充或更正国家的放假安排:新一年的节假日(放假)和周末调休上班日。学校自己的停课、寒暑假请在「停课与假期」中添加。',
    fields: [
      { name: 'date', label: '日期', type: 'date', required: true, value: date, testid: 'day-date-input' },
      {
        name: 'is_off_day',
        label: '类型',
        type: 'radio',
        value: override ? String(override.is_off_day) : day && day.weekday >= 6 ? 'false' : 'true',
        options: [
          ['true', '放假', '节假日,不上班'],
          ['false', '调休上班', '周末上班,算工作日'],
        ],
        testid: 'day-kind-input',
      },
      { name: 'name', label: '节日名称', required: true, value: override?.name || day?.holiday_name || '', placeholder: '例如 国庆节', testid: 'day-name-input' },
    ],
    extraButtons: override
      ? ({ close }) =>
          h(
            'button',
            {
              type: 'button',
              class: 'btn danger-outline',
              'data-testid': 'day-remove',
              onClick: async () => {
                try {
                  await call('calendar_remove_override', { date });
                  toast(`${date} 已恢复为国家安排`, 'success');
                  close(true);
                } catch {
                  // shown by call()
                }
              },
            },
            '删除自定义',
          )
      : null,
    onSubmit: async (v) => {
      await call('calendar_set_override', { entry: { date: v.date, name: v.name, is_off_day: v.is_off_day === 'true' } }, { quiet: true });
      toast(`${v.date} 已设为${v.is_off_day === 'true' ? '放假' : '调休上班'}`, 'success');
    },
  });
}

function overridesCard(overrides, reload) {
  return h(
    'div',
    { class: 'card' },
    h('div', { class: 'card-head' }, h('h3', null, '自定义日期'), h('button', { type: 'button', class: 'btn small', 'data-testid': 'add-override', onClick: () => editDay(null, null, null).then((r) => r && reload()) }, '添加自定义日期')),
    overrides.length
      ? h(
          'table',
          { class: 'table compact', 'data-testid': 'overrides-table' },
          h('thead', null, h('tr', null, h('th', null, '日期'), h('th', null, '名称'), h('th', null, '类型'), h('th', null, ''))),
          h(
            'tbody',
            null,
            overrides.map((o) =>
              h(
                'tr',
                null,
                h('td', { class: 'mono' }, o.date),
                h('td', null, o.name),
                h('td', null, o.is_off_day ? h('span', { class: 'badge red' }, '放假') : h('span', { class: 'badge blue' }, '调休上班')),
                h(
                  'td',
                  { class: 'row-actions' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link-btn danger',
                      onClick: async () => {
                        if (!(await confirmDialog({ title: '删除自定义日期', message: `删除 ${o.date}「${o.name}」?这一天将恢复为国家安排。`, confirmLabel: '删除', danger: true }))) return;
                        try {
                          await call('calendar_remove_override', { date: o.date });
                          reload();
                        } catch {
                          // shown by call()
                        }
                      },
                    },
                    '删除',
                  ),
                ),
              ),
            ),
          ),
        )
      : emptyState('没有自定义日期', '2007–2026 年的国家节假日和调休已内置。新的一年公布后,在这里补充。'),
  );
}

function closuresCard(closures, reload) {
  const add = () =>
    formDialog({
      title: '添加停课或假期',
      testid: 'closure-dialog',
      fields: [
        { name: 'from', label: '开始日期', type: 'date', required: true, value: today(), testid: 'closure-from-input' },
        { name: 'to', label: '结束日期', type: 'date', required: true, value: today(), testid: 'closure-to-input' },
        { name: 'reason', label: '原因', required: true, placeholder: '例如 寒假、台风停课', wide: true, testid: 'closure-reason-input' },
        {
          name: 'charged',
          label: '收费方式',
          type: 'radio',
          value: 'false',
          wide: true,
          testid: 'closure-charged-input',
          options: [
            ['false', '不计费(寒暑假)', '计划内放假:不算在园日,也不收伙食费'],
            ['true', '计费停课(意外停课,按天退费)', '费用已按在园日收取(疫情、台风等):仍算在园日,停课的天数按天退费'],
          ],
        },
      ],
      onSubmit: async (v) => {
        await call('closure_add', { closure: { from: v.from, to: v.to, reason: v.reason, charged: v.charged === 'true' } }, { quiet: true });
        toast('已添加', 'success');
      },
    }).then((r) => r && reload());
  return h(
    'div',
    { class: 'card' },
    h('div', { class: 'card-head' }, h('h3', null, '停课与假期'), h('button', { type: 'button', class: 'btn small', 'data-testid': 'add-closure', onClick: add }, '添加停课/假期')),
    closures.length
      ? h(
          'table',
          { class: 'table compact', 'data-testid': 'closures-table' },
          h('thead', null, h('tr', null, h('th', null, '起止日期'), h('th', null, '原因'), h('th', null, '类型'), h('th', null, ''))),
          h(
            'tbody',
            null,
            closures.map((c) =>
              h(
                'tr',
                { 'data-testid': 'closure-row' },
                h('td', { class: 'mono' }, c.from === c.to ? c.from : `${c.from} 至 ${c.to}`, h('span', { class: 'muted small' }, ` (${daysBetween(c.from, c.to)} 天)`)),
                h('td', null, c.reason),
                h('td', null, c.charged ? h('span', { class: 'badge amber', title: '意外停课,按天退费' }, '计费停课') : h('span', { class: 'badge grey', title: '寒暑假等' }, '不计费')),
                h(
                  'td',
                  { class: 'row-actions' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link-btn danger',
                      onClick: async () => {
                        if (!(await confirmDialog({ title: '删除停课记录', message: `删除「${c.reason}」(${c.from} 至 ${c.to})?`, confirmLabel: '删除', danger: true }))) return;
                        try {
                          await call('closure_delete', { id: c.id });
                          reload();
                        } catch {
                          // shown by call()
                        }
                      },
                    },
                    '删除',
                  ),
                ),
              ),
            ),
          ),
        )
      : emptyState('没有停课记录', '寒暑假选「不计费」;收费后因疫情、台风等停课选「计费停课」,会按天退费。'),
  );
}
