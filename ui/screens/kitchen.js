// 食品留样: the kitchen manager's screen.
//  - 留样登记 (#/samples/day/YYYY-MM-DD): the day's meals with their dishes
//    prefilled; type the weights, Enter moves to the next, Enter on the last
//    saves the meal (one save per meal). Copy last week's menu, dish
//    autocomplete, labels for the day.
//  - 到期处理: samples past their retention time, discarded in one action.
//  - 漏留样检查: today and the days before, every dish of every meal.
//  - 每日记录: fridge temperatures, disinfection, morning health check (kitchen_logs.js).
//  - 打印: the month's 食品留样记录表, the logs, labels → save dialog → PDF.
//  - 设置: the rules (125 g, 48 h, 0–8 °C …).
// Every rule is the core's: this file only shows what it says.
import { call, pickSavePath } from '../lib/api.js';
import { h, mount, toast, today, parseDate, formDialog, busyButton, emptyState, buildFields, showFormError } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { shiftMonth, monthLabel, parseMonth } from './attendance_common.js';
import * as logs from './kitchen_logs.js';

const TABS = [
  ['day', '留样登记'],
  ['discard', '到期处理'],
  ['check', '漏留样检查'],
  ['logs', '每日记录'],
  ['print', '打印'],
  ['settings', '设置'],
];

/** What survives switching screens: the day being entered and the print month. */
const state = { date: null, month: null, checkDays: 7 };

export async function render(view, ctx) {
  const tab = TABS.some(([k]) => k === ctx.sub[0]) ? ctx.sub[0] : 'day';
  if ((tab === 'day' || tab === 'logs') && ctx.sub[1] && parseDate(ctx.sub[1])) state.date = parseDate(ctx.sub[1]);
  if (!state.date) state.date = today();
  const body = h('div', { class: 'tab-body ks-body' });
  mount(
    view,
    h(
      'div',
      { class: 'tabs', role: 'tablist' },
      TABS.map(([k, label]) => h('a', { href: `#/samples/${k}`, class: `tab${k === tab ? ' active' : ''}`, role: 'tab', 'data-testid': `ks-tab-${k}` }, label)),
    ),
    body,
  );
  if (tab === 'day') await renderDay(body, ctx);
  else if (tab === 'discard') await renderDiscard(body, ctx);
  else if (tab === 'check') await renderCheck(body, ctx);
  else if (tab === 'logs') await logs.render(body, ctx, state, dateNav);
  else if (tab === 'print') renderPrint(body, ctx);
  else await renderSettings(body, ctx);
}

// ---------------------------------------------------------------- helpers

/** YYYY-MM-DD shifted by `n` days. */
export function shiftDay(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d + n));
  return dt.toISOString().slice(0, 10);
}

/** ← [date] → 今天, for the day views; `go(date)` re-renders. */
export function dateNav(date, go, label) {
  const input = h('input', { type: 'text', class: 'date-input ks-date', value: date, 'data-testid': 'ks-date', 'aria-label': '日期', inputmode: 'numeric' });
  const jump = () => {
    const v = parseDate(input.value);
    if (v) go(v);
    else {
      toast(`“${input.value}”不是有效的日期,请按 2026-11-20 的格式填写`, 'error');
      input.value = date;
    }
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      jump();
    }
  });
  input.addEventListener('change', jump);
  return h(
    'div',
    { class: 'cal-nav ks-nav' },
    h('button', { type: 'button', class: 'icon-btn', 'aria-label': '前一天', title: '前一天', 'data-testid': 'ks-prev', onClick: () => go(shiftDay(date, -1)), svg: icons.left }),
    input,
    h('button', { type: 'button', class: 'icon-btn', 'aria-label': '后一天', title: '后一天', 'data-testid': 'ks-next', onClick: () => go(shiftDay(date, 1)), svg: icons.right }),
    label ? h('span', { class: 'ks-day-label', 'data-testid': 'ks-day-label' }, label) : null,
    date !== today() ? h('button', { type: 'button', class: 'btn small', 'data-testid': 'ks-today', onClick: () => go(today()) }, '今天') : null,
  );
}

function staffNames(staff) {
  return staff.filter((s) => s.active).map((s) => s.name);
}

/** Saves a PDF through the native save dialog; `run(path)` returns a count for the message. */
async function savePdf(defaultName, title, run, what) {
  const path = await pickSavePath({ title, defaultPath: defaultName, filters: [{ name: 'PDF 文件', extensions: ['pdf'] }] });
  if (!path) return;
  const n = await run(path);
  toast(`已保存${what(n)}:${path}`, 'success');
}

// ---------------------------------------------------------------- 留样登记

async function renderDay(body, ctx) {
  const date = state.date;
  const go = (d) => ctx.navigate(`samples/day/${d}`);
  const [day, names, staff, missing] = await Promise.all([
    call('kitchen_day', { date }),
    call('kitchen_dish_names', {}, { quiet: true }).catch(() => []),
    call('staff_list', {}, { quiet: true }).catch(() => []),
    call('kitchen_missing', { days: 7 }, { quiet: true }).catch(() => null),
  ]);
  if (!ctx.isCurrent()) return;
  const people = staffNames(staff);
  const listId = 'ks-dish-names';
  const copyBtn = busyButton(
    h('button', { type: 'button', class: 'btn', 'data-testid': 'ks-copy-week', title: '把上一周每天的菜单复制到本周还没有菜单的在园日' }, '复制上周菜单'),
    async () => {
      const s = await call('kitchen_copy_week', { date });
      const extra = [s.kept.length ? `${s.kept.length} 天已有菜单未改动` : '', s.off_days.length ? `${s.off_days.length} 天不是在园日` : ''].filter(Boolean).join(',');
      toast(`已复制上周菜单到 ${s.copied.length} 天(${s.dishes} 道菜)${extra ? `;${extra}` : ''}`, 'success');
      go(date);
    },
  );
  const labelsBtn = busyButton(
    h('button', { type: 'button', class: 'btn', 'data-testid': 'ks-labels', title: '把这一天已保存的留样打印成标签(每张 A4 纸 24 张)' }, h('span', { class: 'btn-icon', svg: icons.download }), '打印标签'),
    () => savePdf(`留样标签-${date}.pdf`, '保存留样标签', (path) => call('kitchen_print_labels', { date, meal: null, path }), (n) => ` ${n} 张留样标签`),
  );
  const dayBadge = day.school_day ? h('span', { class: 'badge green' }, '在园日') : h('span', { class: 'badge amber', 'data-testid': 'ks-off-day' }, `非在园日:${day.off_reason}`);
  const cooked = day.meals.some((m) => m.dishes.length);
  const cards = day.meals.map((m) => mealCard(m, day, listId, go));
  mount(
    body,
    h('datalist', { id: listId }, names.map((n) => h('option', { value: n }))),
    h('datalist', { id: 'ks-people' }, people.map((p) => h('option', { value: p }))),
    h('div', { class: 'toolbar ks-toolbar' }, dateNav(date, go, day.label), dayBadge, h('span', { class: 'spacer' }), copyBtn, labelsBtn),
    missingBanner(missing, ctx),
    h(
      'p',
      { class: 'muted small ks-rule' },
      `每道菜留样不少于 ${day.min_grams} 克,冷藏保存 ${day.retention_hours} 小时以上。输入克数后按 Enter 到下一道菜,最后一道按 Enter 保存这一餐。`,
    ),
    day.school_day ? null : offDayNote(day, cooked, () => go(date)),
    logs.flagList(day.flags, 'ks-day-flags'),
    h('div', { class: 'ks-meals' }, cards.map((c) => c.el)),
  );
  // Put the cursor where the kitchen PC user types next: the first empty
  // weight, after the meal just saved if there is one.
  const empties = [...body.querySelectorAll('input[data-testid="ks-weight"]:not([disabled])[data-empty="1"]')];
  const order = day.meals.map((m) => m.meal);
  const after = state.focusAfter ? order.indexOf(state.focusAfter) : -1;
  state.focusAfter = null;
  const first = empties.find((i) => order.indexOf(i.dataset.meal) > after) || (after < 0 ? empties[0] : null);
  if (first && (day.is_today || after >= 0)) first.focus();
}

/** A day the children are away: why the kitchen cooks (非在园日供餐), asked with the first dish, or given here. */
function offDayNote(day, cooked, reload) {
  if (day.off_day_meal) {
    return h('div', { class: 'notice ks-off-meal', 'data-testid': 'ks-off-day-meal' }, h('span', null, `非在园日供餐:${day.off_day_meal}`), reasonButton(day, '更改原因', reload));
  }
  if (!cooked) {
    return h('div', { class: 'notice warn', 'data-testid': 'ks-off-day-note' }, h('span', { svg: icons.alert }), `这天不是在园日(${day.off_reason})。如果食堂这天确实供餐,保存菜单时会请您填写供餐原因。`);
  }
  return h('div', { class: 'notice warn', 'data-testid': 'ks-off-day-note' }, h('span', { svg: icons.alert }), `这天不是在园日(${day.off_reason}),却有菜单,还没有写明非在园日供餐的原因。`, ' ', reasonButton(day, '填写供餐原因', reload));
}

function reasonButton(day, label, reload) {
  return h(
    'button',
    {
      type: 'button',
      class: 'btn small',
      'data-testid': 'ks-off-day-reason',
      onClick: async () => {
        const ok = await askReason(day.off_reason, day.off_day_meal || '', (reason) => call('kitchen_set_off_day_reason', { date: day.date, reason }, { quiet: true }));
        if (ok) {
          toast('已记录供餐原因', 'success');
          reload();
        }
      },
    },
    label,
  );
}

/** Asks why the kitchen cooks on a day the children are away; `save(reason)` runs the save (its errors stay in the dialog). */
function askReason(message, value, save) {
  return formDialog({
    title: '非在园日供餐',
    testid: 'ks-offday-confirm',
    intro: message,
    fields: [{ name: 'reason', label: '供餐原因', testid: 'ks-offday-reason', value, placeholder: '如:教职工加班用餐、托管班供餐', required: true, wide: true }],
    submitLabel: '保存',
    onSubmit: (v) => save(v.reason),
  });
}

/** Today and the past 7 days at a glance, linking to the check. */
function missingBanner(r, ctx) {
  if (!r || (!r.missing_samples && !r.meals_without_menu)) return null;
  const todayDay = r.days.find((d) => d.is_today);
  const pastSamples = r.missing_samples - r.missing_today;
  const parts = [];
  if (todayDay) {
    const meals = todayDay.meals.filter((m) => !m.no_menu).map((m) => `${m.label} ${m.dishes.length} 道`);
    if (meals.length) parts.push(`今天还有 ${meals.join('、')}菜未留样`);
  }
  if (pastSamples > 0) parts.push(`前 ${7} 天漏留样 ${pastSamples} 份`);
  if (r.meals_without_menu) parts.push(`${r.meals_without_menu} 餐没有登记菜单`);
  if (!parts.length) return null;
  return h(
    'div',
    { class: 'notice warn ks-missing', 'data-testid': 'ks-missing' },
    h('span', { svg: icons.alert }),
    h('span', null, parts.join(';'), '。 ', h('a', { href: '#/samples/check', class: 'link', onClick: () => ctx.navigate('samples/check') }, '查看明细')),
  );
}

/** One meal: its dishes (name + weight), time, sampler, fridge, and the save button. */
function mealCard(m, day, listId, go) {
  const tbody = h('tbody');
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'ks-meal-error', hidden: true });
  const time = h('input', { type: 'text', class: 'ks-time', value: m.time, 'data-testid': 'ks-time', 'aria-label': `${m.label}留样时间`, placeholder: '11:30' });
  const sampler = h('input', { type: 'text', class: 'ks-person', value: m.sampler || day.default_sampler || '', list: 'ks-people', 'data-testid': 'ks-sampler', 'aria-label': '留样人', autocomplete: 'off' });
  const fridgeSel = h(
    'select',
    { class: 'ks-fridge', 'data-testid': 'ks-fridge', 'aria-label': '留样柜' },
    day.fridges.map((f) => h('option', { value: f }, f)),
  );
  fridgeSel.value = m.fridge && day.fridges.includes(m.fridge) ? m.fridge : day.fridges[0] || '';
  const save = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'ks-save', 'data-meal': m.meal }, `保存${m.label}`);

  function addRow(dish, sample) {
    const done = sample && sample.discarded_at;
    const nameInput = h('input', { type: 'text', class: 'ks-dish', value: dish || '', list: listId, 'data-testid': 'ks-dish', 'data-meal': m.meal, placeholder: '菜名', autocomplete: 'off', disabled: Boolean(sample) });
    const weight = h('input', {
      type: 'text',
      class: 'ks-weight',
      inputmode: 'decimal',
      value: sample ? sample.weight : '',
      'data-testid': 'ks-weight',
      'data-meal': m.meal,
      'data-empty': sample ? '0' : '1',
      'aria-label': `${dish || '新菜'}留样量(克)`,
      placeholder: '克',
      disabled: Boolean(done),
    });
    const status = sample
      ? done
        ? h('span', { class: 'badge grey' }, `已处理 ${sample.discarded_text}`)
        : h('span', { class: 'ks-ok', title: `可在 ${sample.due_text} 以后处理` }, `✓ ${sample.stored_text.split(' ')[1]} ${sample.sampler}`)
      : h('span', { class: 'badge red', 'data-testid': 'ks-unsampled' }, '未留样');
    // What the other records say about this sample (a sampler sent home at 晨检).
    const marks = sample ? (day.flags || []).filter((f) => f.sample === sample.id).map((f) => h('span', { class: 'badge red', title: f.message, 'data-testid': 'ks-sample-flag' }, f.title)) : [];
    const tr = h('tr', { 'data-testid': 'ks-row', 'data-meal': m.meal }, h('td', { class: 'ks-idx' }), h('td', null, nameInput), h('td', { class: 'ks-w' }, weight, h('span', { class: 'ks-unit' }, '克')), h('td', { class: 'ks-status' }, status, ...marks));
    tbody.append(tr);
    renumber();
    return tr;
  }
  function renumber() {
    [...tbody.rows].forEach((r, i) => {
      r.cells[0].textContent = String(i + 1);
    });
  }
  for (const d of m.dishes) addRow(d.dish, d.sample);
  if (!m.dishes.length) addRow('', null);

  // Enter: dish → its weight; weight → next row's dish if empty name, else next weight; last → save.
  tbody.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.isComposing) return;
    const t = e.target;
    if (!(t instanceof HTMLInputElement)) return;
    e.preventDefault();
    /** @type {(row: Element, cls: string) => HTMLInputElement} */
    const input = (row, cls) => row.querySelector(cls);
    const tr = t.closest('tr');
    if (t.classList.contains('ks-dish')) {
      input(tr, '.ks-weight').focus();
      return;
    }
    let next = tr.nextElementSibling;
    while (next && input(next, '.ks-weight').disabled) next = next.nextElementSibling;
    if (next) {
      const target = input(next, '.ks-dish').value.trim() ? input(next, '.ks-weight') : input(next, '.ks-dish');
      target.focus();
      target.select();
    } else {
      save.click();
    }
  });
  for (const el of [time, sampler]) {
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.isComposing) {
        e.preventDefault();
        save.click();
      }
    });
  }

  async function submit(reason) {
    const rows = [...tbody.rows].map((r) => ({ dish: r.querySelector('.ks-dish').value, weight: r.querySelector('.ks-weight').value }));
    const entry = { date: day.date, meal: m.meal, rows, time: time.value, sampler: sampler.value, fridge: fridgeSel.value, off_day_reason: reason };
    return call('kitchen_save_meal', { entry }, { quiet: true });
  }
  save.addEventListener('click', async () => {
    if (save.disabled) return;
    errorBox.hidden = true;
    for (const r of tbody.rows) r.classList.remove('ks-bad');
    save.disabled = true;
    try {
      let r;
      try {
        r = await submit('');
      } catch (err) {
        if (err.code !== 'off_day_meal_reason_needed') throw err;
        // Not a school day: the core asks why the kitchen cooks that day.
        r = await askReason(err.message.replace('没有保存。', ''), '', (reason) => submit(reason));
        if (!r) return;
      }
      const msg = r.added || r.updated ? `已保存${m.label}:新留样 ${r.added} 份${r.updated ? `,更正 ${r.updated} 份` : ''}` : `已保存${m.label}菜单`;
      toast(r.unsampled ? `${msg};还有 ${r.unsampled} 道菜未留样` : msg, 'success');
      state.focusAfter = m.meal;
      go(day.date);
    } catch (err) {
      showFormError(errorBox, err);
      for (const p of err.problems || []) if (p.row > 0 && tbody.rows[p.row - 1]) tbody.rows[p.row - 1].classList.add('ks-bad');
    } finally {
      save.disabled = false;
    }
  });

  const status =
    m.dishes.length === 0
      ? h('span', { class: 'badge grey', 'data-testid': 'ks-meal-status' }, '没有菜单')
      : m.sampled === m.dishes.length
        ? h('span', { class: 'badge green', 'data-testid': 'ks-meal-status' }, `已留样 ${m.sampled}/${m.dishes.length}`)
        : h('span', { class: 'badge red', 'data-testid': 'ks-meal-status' }, `未留样 ${m.dishes.length - m.sampled}/${m.dishes.length}`);
  const el = h(
    'div',
    { class: 'card ks-meal', 'data-testid': 'ks-meal', 'data-meal': m.meal },
    h('div', { class: 'card-head' }, h('h3', null, m.label, m.served ? null : h('small', { class: 'muted' }, '(不在本园餐次设置中)')), status),
    h(
      'table',
      { class: 'table compact ks-table' },
      h('thead', null, h('tr', null, h('th', { class: 'ks-idx' }, '#'), h('th', null, '食品名称'), h('th', { class: 'ks-w' }, '留样量'), h('th', null, '状态'))),
      tbody,
    ),
    h('button', { type: 'button', class: 'link-btn ks-add', 'data-testid': 'ks-add-dish', onClick: () => addRow('', null).querySelector('.ks-dish').focus() }, '+ 加一道菜'),
    h(
      'div',
      { class: 'ks-meal-foot' },
      h('label', null, '留样时间', time),
      h('label', null, '留样人', sampler),
      h('label', null, '留样柜', fridgeSel),
      h('span', { class: 'spacer' }),
      save,
    ),
    errorBox,
  );
  return { el };
}

// ---------------------------------------------------------------- 到期处理

function sampleTable(list, { due, testid }) {
  return h(
    'table',
    { class: 'table compact', 'data-testid': testid },
    h(
      'thead',
      null,
      h('tr', null, h('th', null, '日期'), h('th', null, '餐次'), h('th', null, '食品名称'), h('th', { class: 'num' }, '留样量(克)'), h('th', null, '留样时间'), h('th', null, '留样人'), h('th', null, due ? '到期时间' : '可处理时间')),
    ),
    h(
      'tbody',
      null,
      list.map((x) =>
        h(
          'tr',
          { 'data-testid': due ? 'ks-due-row' : 'ks-keep-row', 'data-id': x.id },
          h('td', null, x.date),
          h('td', null, x.meal_label),
          h('td', null, x.dish),
          h('td', { class: 'num' }, x.weight),
          h('td', null, x.stored_text),
          h('td', null, x.sampler),
          h('td', null, x.due_text),
        ),
      ),
    ),
  );
}

async function renderDiscard(body, ctx) {
  const [c, staff] = await Promise.all([call('kitchen_fridge'), call('staff_list', {}, { quiet: true }).catch(() => [])]);
  if (!ctx.isCurrent()) return;
  const people = staffNames(staff);
  const discardBtn = c.due.length
    ? h(
        'button',
        {
          type: 'button',
          class: 'btn primary',
          'data-testid': 'ks-discard-all',
          onClick: async () => {
            const r = await formDialog({
              title: `登记处理 ${c.due.length} 份留样`,
              testid: 'ks-discard-dialog',
              intro: '这些留样都已超过留样时间。填写实际处理(销毁)的时间和处理人,一次登记全部。',
              submitLabel: '登记处理',
              fields: [
                { name: 'at', label: '处理时间', value: c.now, testid: 'ks-discard-at', placeholder: '2026-11-22 12:30', hint: '日期和时间,不能晚于现在' },
                { name: 'by', label: '处理人', value: ctx.operator || '', testid: 'ks-discard-by', list: people },
              ],
              onSubmit: ({ at, by }) => call('kitchen_discard', { input: { ids: c.due.map((x) => x.id), at, by } }, { quiet: true }),
            });
            if (r !== null) {
              toast(`已登记处理 ${r} 份留样`, 'success');
              ctx.navigate('samples/discard');
            }
          },
        },
        `全部登记处理(${c.due.length} 份)`,
      )
    : null;
  mount(
    body,
    h(
      'div',
      { class: 'card ks-card' },
      h('div', { class: 'card-head' }, h('h3', null, '到期应处理', h('span', { class: 'badge amber', 'data-testid': 'ks-due-count' }, `${c.due.length} 份`)), discardBtn),
      c.due.length ? h('div', { class: 'table-wrap' }, sampleTable(c.due, { due: true, testid: 'ks-due' })) : emptyState('没有到期的留样', '留样满留样时间后会出现在这里。'),
    ),
    h(
      'div',
      { class: 'card ks-card' },
      h('div', { class: 'card-head' }, h('h3', null, '留样柜中未到期', h('span', { class: 'badge grey' }, `${c.keeping.length} 份`))),
      h('p', { class: 'muted small' }, '未满留样时间的留样不能处理。'),
      c.keeping.length ? h('div', { class: 'table-wrap' }, sampleTable(c.keeping, { due: false, testid: 'ks-keeping' })) : emptyState('留样柜中没有未到期的留样', null),
    ),
  );
}

// ---------------------------------------------------------------- 漏留样检查

async function renderCheck(body, ctx) {
  const [r, flags] = await Promise.all([call('kitchen_missing', { days: state.checkDays }), call('kitchen_flags', { days: state.checkDays })]);
  if (!ctx.isCurrent()) return;
  const range = h(
    'select',
    { 'data-testid': 'ks-check-days', 'aria-label': '检查范围', onChange: (e) => {
      state.checkDays = Number(e.target.value);
      ctx.navigate('samples/check');
    } },
    [7, 14, 31].map((n) => h('option', { value: n }, `今天和前 ${n} 天`)),
  );
  range.value = String(state.checkDays);
  const summary = r.days.length
    ? `检查了 ${r.days_checked} 天:漏留样 ${r.missing_samples - r.missing_today} 份,今天待留样 ${r.missing_today} 份${r.meals_without_menu ? `,${r.meals_without_menu} 餐没有登记菜单` : ''}。`
    : `检查了 ${r.days_checked} 天,每餐每道菜都已留样。`;
  mount(
    body,
    h('div', { class: 'toolbar' }, range, h('span', { class: 'muted', 'data-testid': 'ks-check-summary' }, summary)),
    flags.length ? h('h3', { class: 'ks-flags-head' }, `需要说明的问题(${flags.length})`) : null,
    logs.flagList(flags, 'ks-check-flags'),
    r.days.length
      ? h(
          'div',
          { class: 'card flush' },
          h(
            'table',
            { class: 'table', 'data-testid': 'ks-check' },
            h('thead', null, h('tr', null, h('th', null, '日期'), h('th', null, '餐次'), h('th', null, '未留样'), h('th', null, ''))),
            h(
              'tbody',
              null,
              r.days.flatMap((d) =>
                d.meals.map((m, i) =>
                  h(
                    'tr',
                    { 'data-testid': 'ks-check-row', 'data-date': d.date, 'data-meal': m.meal },
                    h('td', null, i === 0 ? h('span', null, d.label, d.is_today ? h('span', { class: 'badge blue ks-today-badge' }, '今天') : null) : ''),
                    h('td', null, m.label),
                    h('td', null, m.no_menu ? h('span', { class: 'badge grey' }, '没有登记菜单') : m.dishes.join('、')),
                    h('td', { class: 'num' }, i === 0 ? h('a', { href: `#/samples/day/${d.date}`, class: 'link' }, d.is_today ? '去登记' : '补登记') : ''),
                  ),
                ),
              ),
            ),
          ),
        )
      : emptyState('没有漏留样', '所查日期的每餐每道菜都已留样。'),
  );
}

// ---------------------------------------------------------------- 打印

function renderPrint(body, ctx) {
  if (!state.month) state.month = today().slice(0, 7);
  const monthInput = h('input', { type: 'text', class: 'month-input', value: state.month, 'data-testid': 'ks-print-month', 'aria-label': '月份' });
  const readMonth = () => {
    const m = parseMonth(monthInput.value);
    if (!m) throw { type: 'Invalid', message: `“${monthInput.value}”不是有效的月份,请按 2026-11 的格式填写`, problems: [] };
    state.month = m;
    monthInput.value = m;
    return m;
  };
  const printBtn = (testid, label, file, run) =>
    busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': testid }, h('span', { class: 'btn-icon', svg: icons.download }), label), async () => {
      let m;
      try {
        m = readMonth();
      } catch (err) {
        toast(err.message, 'error');
        return;
      }
      await savePdf(`${file}-${m}.pdf`, `保存${label}`, (path) => run(m, path), (n) => `${monthLabel(m)}${label}(共 ${n} 页)`);
    });
  const labelDate = h('input', { type: 'text', class: 'date-input', value: state.date || today(), 'data-testid': 'ks-label-date', 'aria-label': '标签日期' });
  const labelMeal = h('select', { 'data-testid': 'ks-label-meal', 'aria-label': '餐次' }, [['', '全部餐次'], ['breakfast', '早餐'], ['morning_snack', '早点'], ['lunch', '午餐'], ['afternoon_snack', '午点'], ['dinner', '晚餐']].map(([v, l]) => h('option', { value: v }, l)));
  const labelsBtn = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'ks-print-labels' }, h('span', { class: 'btn-icon', svg: icons.download }), '打印留样标签'), async () => {
    const date = parseDate(labelDate.value);
    if (!date) {
      toast(`“${labelDate.value}”不是有效的日期`, 'error');
      return;
    }
    const meal = labelMeal.value || null;
    await savePdf(`留样标签-${date}.pdf`, '保存留样标签', (path) => call('kitchen_print_labels', { date, meal, path }), (n) => ` ${n} 张留样标签`);
  });
  mount(
    body,
    h(
      'div',
      { class: 'card narrow ks-card' },
      h('h2', null, '月度记录表'),
      h('p', { class: 'muted' }, '生成 PDF 后用任意 PDF 阅读器打印。留样记录表按检查人员熟悉的格式:日期、餐次、食品名称、留样量、留样时间、留样人、处理时间、处理人,附每日留样情况和审核人签字栏。'),
      h('div', { class: 'toolbar' }, h('label', { class: 'ks-inline' }, '月份', monthInput), h('button', { type: 'button', class: 'btn small', onClick: () => { monthInput.value = shiftMonth(state.month, -1); readMonth(); } }, '上月')),
      h(
        'div',
        { class: 'ks-print-grid' },
        printBtn('ks-print-samples', '食品留样记录表', '食品留样记录表', (month, path) => call('kitchen_print_samples', { month, path })),
        printBtn('ks-print-temperature', '留样柜温度记录表', '留样柜温度记录表', (month, path) => call('kitchen_print_log', { kind: 'temperature', month, path })),
        printBtn('ks-print-disinfection', '餐具消毒记录表', '餐具消毒记录表', (month, path) => call('kitchen_print_log', { kind: 'disinfection', month, path })),
        printBtn('ks-print-health', '晨检记录表', '晨检记录表', (month, path) => call('kitchen_print_log', { kind: 'health', month, path })),
      ),
    ),
    h(
      'div',
      { class: 'card narrow ks-card' },
      h('h2', null, '留样标签'),
      h('p', { class: 'muted' }, '每份已保存的留样一张:菜名、餐次、留样日期和时间(到小时)、留样人、可处理时间。A4 不干胶标签纸,每张 24 枚(70 × 37 毫米)。'),
      h('div', { class: 'toolbar' }, h('label', { class: 'ks-inline' }, '日期', labelDate), labelMeal, labelsBtn),
    ),
  );
}

// ---------------------------------------------------------------- 设置

/** @type {[import('../types/generated').Meal, string][]} */
const MEALS = [
  ['breakfast', '早餐'],
  ['morning_snack', '早点'],
  ['lunch', '午餐'],
  ['afternoon_snack', '午点'],
  ['dinner', '晚餐'],
];

async function renderSettings(body, ctx) {
  const f = await call('kitchen_settings_get');
  if (!ctx.isCurrent()) return;
  const checks = MEALS.map(([v, l]) => h('label', { class: 'check-label' }, h('input', { type: 'checkbox', value: v, checked: f.meals.includes(v), 'data-testid': `ks-meal-${v}` }), l));
  const form = buildFields([
    { name: 'min_grams', label: '每份留样不少于(克)', value: f.min_grams, testid: 'ks-set-min-grams', hint: 'GB 31654-2021:125 克;有的学校要求 150 或 200 克' },
    { name: 'retention_hours', label: '留样时间(小时)', value: f.retention_hours, testid: 'ks-set-retention', hint: '不少于 48 小时' },
    { name: 'fridge_min_c', label: '留样柜最低温度(°C)', value: f.fridge_min_c },
    { name: 'fridge_max_c', label: '留样柜最高温度(°C)', value: f.fridge_max_c, hint: '国标 0–8 °C,许多学校要求 0–4 °C' },
    { name: 'fridges', label: '留样柜', value: f.fridges, hint: '多个用逗号分隔', wide: true },
    { name: 'fridge_checks_per_day', label: '每台留样柜每天测温(次)', value: f.fridge_checks_per_day },
    { name: 'disinfections_per_day', label: '每天餐具消毒(次)', value: f.disinfections_per_day },
    { name: 'steam_min_c', label: '蒸汽消毒温度不低于(°C)', value: f.steam_min_c },
    { name: 'steam_min_minutes', label: '蒸汽消毒时间不少于(分钟)', value: f.steam_min_minutes },
    { name: 'infrared_min_c', label: '红外线消毒温度不低于(°C)', value: f.infrared_min_c },
    { name: 'infrared_min_minutes', label: '红外线消毒时间不少于(分钟)', value: f.infrared_min_minutes },
    { name: 'chlorine_min_mg_l', label: '有效氯浓度不低于(mg/L)', value: f.chlorine_min_mg_l },
    { name: 'chlorine_min_minutes', label: '含氯消毒时间不少于(分钟)', value: f.chlorine_min_minutes },
    { name: 'fever_c', label: '晨检发热体温(°C)', value: f.fever_c, hint: '体温达到或超过此值不宜上岗' },
    { name: 'staff_roles', label: '需要晨检的岗位', value: f.staff_roles, hint: '与「设置 › 教职工」中的岗位一致,多个用逗号分隔', wide: true },
  ]);
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'ks-settings-save' }, '保存');
  const el = h(
    'form',
    { class: 'card narrow', novalidate: true, 'data-testid': 'ks-settings' },
    h('h2', null, '食堂设置'),
    h('p', { class: 'muted' }, '默认值来自 GB 31654-2021《餐饮服务通用卫生规范》和学校食品安全管理规定。修改会记入操作记录。'),
    h('div', { class: 'field wide' }, h('label', null, '本园的餐次'), h('div', { class: 'ks-checks' }, checks)),
    form.el,
    errorBox,
    h('div', { class: 'form-actions' }, save),
  );
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorBox.hidden = true;
    save.disabled = true;
    try {
      const meals = checks.map((c) => c.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      await call('kitchen_settings_save', { form: { ...form.values(), meals } }, { quiet: true });
      toast('食堂设置已保存', 'success');
    } catch (err) {
      showFormError(errorBox, err);
    } finally {
      save.disabled = false;
    }
  });
  mount(body, el);
}

