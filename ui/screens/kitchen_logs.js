// 食品留样 › 每日记录: the three daily tables of the kitchen for one day —
// 留样柜温度 (twice a day by default, on every day the fridge holds samples),
// 餐具消毒, 晨检 (time, temperature, hands, symptoms) — each with a one-line
// form (Enter adds) and a delete button for a typo. What the day still lacks
// and what its records show wrong are the core's answer (kitchen_daily);
// nothing is checked here.
import { call } from '../lib/api.js';
import { h, mount, toast, confirmDialog, showFormError } from '../lib/ui.js';
import { icons } from '../lib/icons.js';

const SYMPTOMS = ['发热', '腹泻', '呕吐', '黄疸', '咽部炎症'];
const HANDS = [
  ['', '请选择'],
  ['normal', '正常'],
  ['wound', '伤口'],
  ['infected', '化脓'],
];
const METHODS = [
  ['steam', '蒸汽', '温度(°C)', '100'],
  ['infrared', '红外线', '温度(°C)', '120'],
  ['chlorine', '含氯消毒剂', '浓度(mg/L)', '250'],
];

function nowHm() {
  const d = new Date();
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export async function render(body, ctx, state, dateNav) {
  const date = state.date;
  const go = (d) => ctx.navigate(`samples/logs/${d}`);
  const [day, staff] = await Promise.all([call('kitchen_daily', { date }), call('staff_list', {}, { quiet: true }).catch(() => [])]);
  if (!ctx.isCurrent()) return;
  const people = staff.filter((s) => s.active).map((s) => s.name);
  const reload = () => go(date);
  mount(
    body,
    h('datalist', { id: 'ks-log-people' }, people.map((p) => h('option', { value: p }))),
    h(
      'div',
      { class: 'toolbar' },
      dateNav(date, go),
      day.school_day ? h('span', { class: 'badge green' }, '在园日') : h('span', { class: 'badge grey', 'data-testid': 'ks-log-off-day' }, `非在园日:${day.off_reason}`),
      day.off_day_meal ? h('span', { class: 'badge blue' }, `供餐:${day.off_day_meal}`) : null,
    ),
    day.missing.length
      ? h('div', { class: 'notice warn', 'data-testid': 'ks-log-missing' }, h('span', { svg: icons.alert }), h('span', null, `这一天还缺:${day.missing.join(';')}`))
      : null,
    flagList(day.flags, 'ks-log-flags'),
    h('div', { class: 'ks-logs' }, temperatureCard(day, ctx, reload), disinfectionCard(day, ctx, reload), healthCard(day, ctx, reload)),
  );
}

/** A one-line form: inputs, an add button, its error box; Enter in any input adds. */
function lineForm(testid, controls, onAdd) {
  const errorBox = h('div', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': `${testid}-error` });
  const add = h('button', { type: 'submit', class: 'btn primary small', 'data-testid': `${testid}-add` }, h('span', { class: 'btn-icon', svg: icons.plus }), '添加');
  const form = h('form', { class: 'ks-line-form', novalidate: true, 'data-testid': testid }, controls, add);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (add.disabled) return;
    errorBox.hidden = true;
    add.disabled = true;
    try {
      await onAdd();
    } catch (err) {
      showFormError(errorBox, err);
    } finally {
      add.disabled = false;
    }
  });
  return [form, errorBox];
}

function field(label, input) {
  return h('label', { class: 'ks-lf' }, h('span', null, label), input);
}

function deleteButton(kind, id, what, reload) {
  return h(
    'button',
    {
      type: 'button',
      class: 'icon-btn ks-del',
      title: '删除这条记录(登记错了时)',
      'aria-label': '删除',
      onClick: async () => {
        const ok = await confirmDialog({ title: '删除记录', message: `删除“${what}”?删除会记入操作记录。`, confirmLabel: '删除', danger: true });
        if (!ok) return;
        await call('kitchen_delete_log', { kind, id });
        toast('已删除', 'success');
        reload();
      },
    },
    '×',
  );
}

function temperatureCard(day, ctx, reload) {
  const fridge = h('select', { 'data-testid': 'ks-temp-fridge' }, day.fridges.map((f) => h('option', { value: f }, f)));
  const time = h('input', { type: 'text', class: 'ks-time', value: nowHm(), 'data-testid': 'ks-temp-time' });
  const temp = h('input', { type: 'text', class: 'ks-num', placeholder: '4.5', 'data-testid': 'ks-temp-value', inputmode: 'decimal' });
  const action = h('input', { type: 'text', class: 'ks-wide', placeholder: '超出范围时必填', 'data-testid': 'ks-temp-action' });
  const person = h('input', { type: 'text', class: 'ks-person', value: ctx.operator || '', list: 'ks-log-people', 'data-testid': 'ks-temp-person' });
  const [form, err] = lineForm('ks-temp-form', [field('留样柜', fridge), field('时间', time), field('温度 °C', temp), field('处理措施', action), field('记录人', person)], async () => {
    await call('kitchen_add_reading', { input: { date: day.date, time: time.value, fridge: fridge.value, temp: temp.value, action: action.value, person: person.value } }, { quiet: true });
    toast('已登记温度', 'success');
    reload();
  });
  return h(
    'div',
    { class: 'card ks-card', 'data-testid': 'ks-temp' },
    h('div', { class: 'card-head' }, h('h3', null, '留样柜温度'), h('span', { class: 'muted small' }, `应在 ${day.fridge_range}`)),
    day.readings.length
      ? h(
          'table',
          { class: 'table compact' },
          h('thead', null, h('tr', null, h('th', null, '时间'), h('th', null, '留样柜'), h('th', { class: 'num' }, '温度(°C)'), h('th', null, ''), h('th', null, '处理措施'), h('th', null, '记录人'), h('th', null, ''))),
          h(
            'tbody',
            null,
            day.readings.map((r) =>
              h(
                'tr',
                { 'data-testid': 'ks-temp-row' },
                h('td', null, r.time),
                h('td', null, r.fridge),
                h('td', { class: 'num' }, r.temp),
                h('td', null, r.out_of_range ? h('span', { class: 'badge red' }, '超出范围') : h('span', { class: 'badge green' }, '正常')),
                h('td', null, r.action),
                h('td', null, r.person),
                h('td', null, deleteButton('temperature', r.id, `${r.time} ${r.fridge} ${r.temp} °C`, reload)),
              ),
            ),
          ),
        )
      : h('div', { class: 'empty small' }, '这一天还没有测温记录。'),
    form,
    err,
  );
}

function disinfectionCard(day, ctx, reload) {
  const method = h('select', { 'data-testid': 'ks-dis-method' }, METHODS.map(([v, l]) => h('option', { value: v }, l)));
  const measureLabel = h('span', null, METHODS[0][2]);
  const intensity = h('input', { type: 'text', class: 'ks-num', value: METHODS[0][3], 'data-testid': 'ks-dis-value' });
  method.addEventListener('change', () => {
    const m = METHODS.find((x) => x[0] === method.value);
    measureLabel.textContent = m[2];
    intensity.value = m[3];
  });
  const minutes = h('input', { type: 'text', class: 'ks-num', value: '15', 'data-testid': 'ks-dis-minutes' });
  const items = h('input', { type: 'text', class: 'ks-wide', value: '碗、勺、餐盘', 'data-testid': 'ks-dis-items' });
  const time = h('input', { type: 'text', class: 'ks-time', value: nowHm(), 'data-testid': 'ks-dis-time' });
  const person = h('input', { type: 'text', class: 'ks-person', value: ctx.operator || '', list: 'ks-log-people', 'data-testid': 'ks-dis-person' });
  const [form, err] = lineForm(
    'ks-dis-form',
    [field('方式', method), h('label', { class: 'ks-lf' }, measureLabel, intensity), field('分钟', minutes), field('物品', items), field('时间', time), field('消毒人', person)],
    async () => {
      await call(
        'kitchen_add_disinfection',
        { input: { date: day.date, time: time.value, method: method.value, items: items.value, intensity: intensity.value, minutes: minutes.value, person: person.value } },
        { quiet: true },
      );
      toast('已登记消毒', 'success');
      reload();
    },
  );
  return h(
    'div',
    { class: 'card ks-card', 'data-testid': 'ks-dis' },
    h('div', { class: 'card-head' }, h('h3', null, '餐具消毒')),
    day.disinfections.length
      ? h(
          'table',
          { class: 'table compact' },
          h('thead', null, h('tr', null, h('th', null, '时间'), h('th', null, '方式'), h('th', null, '物品'), h('th', { class: 'num' }, '温度/浓度'), h('th', { class: 'num' }, '分钟'), h('th', null, '消毒人'), h('th', null, ''))),
          h(
            'tbody',
            null,
            day.disinfections.map((d) =>
              h(
                'tr',
                { 'data-testid': 'ks-dis-row' },
                h('td', null, d.time),
                h('td', null, d.method_label),
                h('td', null, d.items),
                h('td', { class: 'num' }, `${d.intensity} ${d.unit}`),
                h('td', { class: 'num' }, d.minutes),
                h('td', null, d.person),
                h('td', null, deleteButton('disinfection', d.id, `${d.time} ${d.method_label}消毒`, reload)),
              ),
            ),
          ),
        )
      : h('div', { class: 'empty small' }, '这一天还没有消毒记录。'),
    form,
    err,
  );
}

function healthCard(day, ctx, reload) {
  const checked = new Set(day.health_checks.map((c) => c.staff));
  const next = day.kitchen_staff.find((p) => !checked.has(p)) || '';
  const staff = h('input', { type: 'text', class: 'ks-person', value: next, list: 'ks-kitchen-staff', 'data-testid': 'ks-health-staff' });
  const temp = h('input', { type: 'text', class: 'ks-num', placeholder: '36.5', 'data-testid': 'ks-health-temp', inputmode: 'decimal' });
  const time = h('input', { type: 'text', class: 'ks-time', value: nowHm(), 'data-testid': 'ks-health-time' });
  // No default: the hands are looked at, not assumed normal.
  const hands = h('select', { 'data-testid': 'ks-health-hands', 'aria-label': '手部' }, HANDS.map(([v, l]) => h('option', { value: v }, l)));
  const boxes = SYMPTOMS.map((s) => h('label', { class: 'check-label small' }, h('input', { type: 'checkbox', value: s }), s));
  const note = h('input', { type: 'text', class: 'ks-wide', placeholder: '不宜上岗时必填', 'data-testid': 'ks-health-note' });
  const checker = h('input', { type: 'text', class: 'ks-person', value: ctx.operator || '', list: 'ks-log-people', 'data-testid': 'ks-health-checker' });
  const [form, err] = lineForm(
    'ks-health-form',
    [
      h('datalist', { id: 'ks-kitchen-staff' }, day.kitchen_staff.map((p) => h('option', { value: p }))),
      field('姓名', staff),
      field('时间', time),
      field('体温 °C', temp),
      field('手部', hands),
      h('div', { class: 'ks-symptoms' }, boxes),
      field('处理', note),
      field('检查人', checker),
    ],
    async () => {
      const symptoms = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      const input = { date: day.date, time: time.value, staff: staff.value, temp: temp.value, hands: hands.value || null, symptoms, note: note.value, checker: checker.value };
      await call('kitchen_add_health', { input }, { quiet: true });
      toast(`已登记 ${staff.value.trim()} 的晨检`, 'success');
      reload();
    },
  );
  return h(
    'div',
    { class: 'card ks-card', 'data-testid': 'ks-health' },
    h('div', { class: 'card-head' }, h('h3', null, '晨检'), h('span', { class: 'muted small' }, day.kitchen_staff.length ? `应检:${day.kitchen_staff.join('、')}` : '「设置 › 教职工」中没有食堂岗位的人员')),
    day.health_checks.length
      ? h(
          'table',
          { class: 'table compact' },
          h(
            'thead',
            null,
            h('tr', null, h('th', null, '姓名'), h('th', null, '时间'), h('th', { class: 'num' }, '体温(°C)'), h('th', null, '手部'), h('th', null, '症状'), h('th', null, '上岗'), h('th', null, '处理'), h('th', null, '检查人'), h('th', null, '')),
          ),
          h(
            'tbody',
            null,
            day.health_checks.map((c) =>
              h(
                'tr',
                { 'data-testid': 'ks-health-row' },
                h('td', null, c.staff),
                h('td', null, c.time || '—'),
                h('td', { class: 'num' }, c.temp),
                h('td', null, c.hands_label || '—'),
                h('td', null, c.symptoms.length ? c.symptoms.join('、') : '无'),
                h('td', null, c.fit ? h('span', { class: 'badge green' }, '可') : h('span', { class: 'badge red' }, '不宜上岗')),
                h('td', null, c.note),
                h('td', null, c.checker),
                h('td', null, deleteButton('health', c.id, `${c.staff}的晨检`, reload)),
              ),
            ),
          ),
        )
      : h('div', { class: 'empty small' }, '这一天还没有晨检记录。'),
    form,
    err,
  );
}

/** What the records show wrong (the core's flags), one line each. */
export function flagList(flags, testid) {
  if (!flags || !flags.length) return null;
  return h(
    'div',
    { class: 'notice warn', 'data-testid': testid },
    h('span', { svg: icons.alert }),
    h(
      'ul',
      { class: 'ks-flags' },
      flags.map((f) => h('li', { 'data-testid': 'ks-flag', 'data-code': f.code }, h('b', null, f.title), f.message, h('span', { class: 'muted small' }, ` — ${f.fix}`))),
    ),
  );
}
