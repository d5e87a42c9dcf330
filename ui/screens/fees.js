// 设置 › 收费项目: the school's fee items and their refund rules, as
// effective-dated versions. The form edits a draft in the shape of the shared
// rule format (FeeItem JSON); amounts are sent exactly as typed (the core
// parses and validates them and its messages are shown as they are). 试算
// runs the draft over a past month beside the rules in force, saving nothing.
import { call, pickFile, pickSavePath } from '../lib/api.js';
import { h, mount, modal, formDialog, toast, showFormError, emptyState, busyButton } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { monthLabel, shiftMonth, thisMonth, parseMonth, yuan, KINDS } from './attendance_common.js';
import { waiversDialog } from './waivers.js';

/** The draft being edited; kept while the user moves around, until saved or reset. */
let draft = null;
/** The version the editor shows when there is no unsaved draft (the one last saved or picked). */
let focusMonth = null;

const DIVISORS = [
  ['legal_working_days', '当月法定工作日'],
  ['school_days', '当月在园日'],
  ['fixed', '固定天数'],
];

export async function render(body, ctx) {
  const [{ versions, last_closed: lastClosed }, inForce, presets] = await Promise.all([
    call('fee_rules_versions'),
    call('fee_rules_for', { month: thisMonth() }),
    call('fee_presets'),
  ]);
  if (!ctx.isCurrent()) return;
  const earliest = lastClosed ? shiftMonth(lastClosed, 1) : null;
  if (!draft || !draft.dirty) {
    const focused = versions.find((v) => v.effective_from === focusMonth);
    draft = draftFrom(focused || inForce || versions[versions.length - 1] || null, earliest);
  }
  const rerender = () => render(body, ctx);

  const editorBox = h('div');
  const drawEditor = () => mount(editorBox, editor({ earliest, lastClosed, presets, rerender, drawEditor }));
  drawEditor();

  mount(
    body,
    h(
      'div',
      { class: 'fees-page' },
      versionsCard({ versions, inForce, lastClosed, earliest, drawEditor }),
      editorBox,
    ),
  );
}

// ------------------------------------------------------------------ versions

function versionsCard({ versions, inForce, lastClosed, earliest, drawEditor }) {
  const importBtn = busyButton(
    h('button', { type: 'button', class: 'btn', 'data-testid': 'fees-import' }, h('span', { class: 'btn-icon', svg: icons.upload }), '导入规则'),
    async () => {
      const path = await pickFile({ multiple: false, directory: false, title: '选择收费规则文件', filters: [{ name: '收费规则(.json)', extensions: ['json'] }] });
      if (!path) return;
      const items = await call('fee_rules_import', { path: String(path) });
      draft.items = items.map(formItem);
      draft.dirty = true;
      draft.note = draft.note || '从文件导入';
      drawEditor();
      toast(`已读入 ${items.length} 个收费项目。检查无误后点「保存」才会生效。`, 'success');
    },
  );
  const feeListBtn = inForce
    ? h('button', { type: 'button', class: 'btn', 'data-testid': 'fees-fee-list', onClick: () => feeListDialog(inForce).catch(() => {}) }, h('span', { class: 'btn-icon', svg: icons.notices }), '收费公示')
    : null;
  const waiversBtn = inForce
    ? h('button', { type: 'button', class: 'btn', 'data-testid': 'fees-waivers', onClick: () => waiversDialog(inForce).catch(() => {}) }, '减免/资助')
    : null;
  const status = (v) => {
    if (inForce && v.id === inForce.id) return h('span', { class: 'badge green' }, '当前生效');
    if (v.effective_from > thisMonth()) return h('span', { class: 'badge blue' }, '将来生效');
    if (lastClosed && v.effective_from <= lastClosed) return h('span', { class: 'badge grey' }, '已用于结账');
    return h('span', { class: 'badge grey' }, '已被替代');
  };
  return h(
    'div',
    { class: 'card flush fees-versions', 'data-testid': 'fee-versions' },
    h(
      'div',
      { class: 'settle-card-head' },
      h('h3', null, '收费规则版本'),
      h('span', { class: 'muted small' }, '规则按月份生效;已结账的月份沿用结账时的规则。', lastClosed ? `最近结账:${monthLabel(lastClosed)},新规则最早从 ${monthLabel(earliest)} 起生效。` : ''),
      h('span', { class: 'spacer' }),
      feeListBtn,
      waiversBtn,
      importBtn,
    ),
    versions.length
      ? h(
          'table',
          { class: 'table compact' },
          h('thead', null, h('tr', null, ['生效月份', '收费项目', '备注', '保存', '状态', ''].map((t) => h('th', null, t)))),
          h(
            'tbody',
            null,
            [...versions].reverse().map((v) =>
              h(
                'tr',
                { 'data-testid': 'fee-version-row' },
                h('td', { class: 'strong' }, `${monthLabel(v.effective_from)} 起`),
                h('td', { class: 'wrap' }, v.fees.map((f) => f.name).join('、')),
                h('td', { class: 'wrap muted' }, v.note || '—'),
                h('td', { class: 'muted small' }, `${v.saved_by || ''} ${String(v.saved_at || '').replace('T', ' ').slice(0, 16)}`),
                h('td', null, status(v)),
                h(
                  'td',
                  { class: 'row-actions' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link-btn',
                      onClick: () => {
                        draft = draftFrom(v, earliest);
                        focusMonth = v.effective_from;
                        drawEditor();
                        document.querySelector('[data-testid=fee-editor]')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
                      },
                    },
                    '以此编辑',
                  ),
                  h('button', { type: 'button', class: 'link-btn', onClick: () => exportVersion(v).catch(() => {}) }, '导出'),
                ),
              ),
            ),
          ),
        )
      : emptyState('还没有收费规则', '在下面添加收费项目(可以从常用预设开始),保存后即可月结。'),
  );
}

/**
 * 收费公示: the basis of each item, the waivers and the complaint phone (kept
 * as settings), then the one-page PDF of the rules in force this month.
 */
async function feeListDialog(inForce) {
  const saved = await call('fee_list_settings');
  const fields = [
    ...inForce.fees.map((f) => ({ name: `basis:${f.id}`, label: `${f.name}收费依据`, value: saved.basis[f.id] || '', testid: `fee-list-basis-${f.id}`, placeholder: '批准文件的文号,如 杭发改价格〔2024〕35号' })),
    { name: 'waivers', label: '减免申请办法（减免类别见“减免/资助”）', type: 'textarea', value: saved.waivers, testid: 'fee-list-waivers', placeholder: '申请请带有关证明到财务室办理……' },
    { name: 'complaint_phone', label: '监督电话', value: saved.complaint_phone, testid: 'fee-list-phone', placeholder: '留空则印伙食账设置中的监督电话' },
  ];
  await formDialog({
    title: `收费公示 · ${monthLabel(inForce.effective_from)} 起的收费规则`,
    testid: 'fee-list-dialog',
    wide: true,
    fields,
    intro: '收费标准和退费办法取自当前生效的收费规则;这里只填规则里没有的内容。',
    submitLabel: '保存并打印',
    onSubmit: async (v) => {
      /** @type {Record<string, string>} */
      const basis = {};
      for (const f of inForce.fees) basis[f.id] = v[`basis:${f.id}`] || '';
      await call('fee_list_save', { settings: { basis, waivers: v.waivers, complaint_phone: v.complaint_phone } });
      const month = thisMonth();
      const path = await pickSavePath({ title: '保存收费公示', defaultPath: `收费公示-${month}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
      if (!path) return;
      await call('fee_list_pdf', { month, path });
      toast(`已保存到 ${path}`, 'success');
      call('notices_open', { path }, { quiet: true }).catch(() => {});
    },
  });
}

async function exportVersion(v) {
  const path = await pickSavePath({ title: '导出收费规则', defaultPath: `收费规则-${v.effective_from}.json`, filters: [{ name: '收费规则(.json)', extensions: ['json'] }] });
  if (!path) return;
  await call('fee_rules_export', { month: v.effective_from, path });
  toast(`已导出到 ${path}`, 'success');
}

// ------------------------------------------------------------------ the draft

function draftFrom(version, earliest) {
  let from = version ? version.effective_from : thisMonth();
  if (earliest && from < earliest) from = earliest;
  return {
    dirty: false,
    base: version ? version.effective_from : null,
    effective_from: from,
    note: '',
    items: version ? version.fees.map(formItem) : [],
  };
}

const ALL_KINDS = KINDS.map((k) => k.key);

/** @typedef {import('../types/generated').FeeItem} FeeItem */

/**
 * A FeeItem as the form holds it: every number as the text in its field.
 * @param {FeeItem} item
 */
function formItem(item) {
  const c = item.charge || {};
  const r = item.refund || {};
  const monthly = c.monthly !== undefined;
  const fixed = monthly && typeof c.divisor === 'number';
  return {
    id: item.id || '',
    name: item.name || '',
    mode: monthly ? 'monthly' : 'per_day',
    amount: String(monthly ? c.monthly : (c.per_day ?? '')),
    divisor: fixed ? 'fixed' : c.divisor || 'legal_working_days',
    fixedDivisor: fixed ? String(c.divisor) : '22',
    proration: c.proration || 'per_day',
    perDayOn: Boolean(r.per_day),
    minRun: String(r.per_day ? (r.per_day.min_run ?? 1) : 3),
    unrefunded: String(r.per_day ? (r.per_day.unrefunded_per_run ?? 0) : 0),
    perDayKinds: r.per_day ? [...(r.per_day.kinds || ALL_KINDS)] : ['sick', 'personal'],
    tiersOn: Boolean(r.tiers && r.tiers.length),
    tiers: (r.tiers || []).map((t) => ({
      at: t.attended_at_most === 'none' || t.attended_at_most === 'half' ? t.attended_at_most : 'days',
      k: typeof t.attended_at_most === 'number' ? String(t.attended_at_most) : '4',
      percent: String(t.percent),
    })),
    tierBasis: r.tier_basis || 'legal_working_days',
    per30On: Boolean(r.per_30_days),
    per30Kinds: r.per_30_days ? [...(r.per_30_days.kinds || ALL_KINDS)] : ['sick'],
    closures: Boolean(r.closures),
  };
}

function blankItem(items) {
  return formItem({ id: uniqueId('fee', items), name: '', charge: { per_day: '' }, refund: {} });
}

function uniqueId(base, items) {
  const taken = new Set(items.map((i) => i.id));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}${n}`)) n += 1;
  return `${base}${n}`;
}

/** A whole number typed in a field, or a message naming the field. */
function whole(text, what) {
  const t = String(text ?? '').trim();
  if (!/^-?\d+$/.test(t)) throw { type: 'Invalid', message: `${what}须填写整数(现在是“${t}”)`, problems: [] };
  return Number(t);
}

/**
 * The form's item in the shared FeeItem JSON shape. Amounts go as typed.
 * @returns {FeeItem}
 */
function feeItem(f, i) {
  const label = f.name.trim() ? `“${f.name.trim()}”` : `第 ${i + 1} 项`;
  const charge =
    f.mode === 'per_day'
      ? { per_day: f.amount }
      : {
          monthly: f.amount,
          divisor: f.divisor === 'fixed' ? whole(f.fixedDivisor, `${label}的固定除数`) : f.divisor,
          proration: f.proration,
        };
  /** @type {import('../types/generated').RefundRule} */
  const refund = {};
  if (f.perDayOn) {
    refund.per_day = {
      min_run: whole(f.minRun, `${label}的“连续满几天起退”`),
      unrefunded_per_run: whole(f.unrefunded, `${label}的“每段不退天数”`),
      kinds: ALL_KINDS.filter((k) => f.perDayKinds.includes(k)),
    };
  }
  if (f.tiersOn && f.tiers.length) {
    refund.tiers = f.tiers.map((t, j) => ({
      attended_at_most: t.at === 'days' ? whole(t.k, `${label}第 ${j + 1} 档的出勤天数`) : t.at,
      percent: whole(t.percent, `${label}第 ${j + 1} 档的百分比`),
    }));
    refund.tier_basis = f.tierBasis;
  }
  if (f.per30On) refund.per_30_days = { kinds: ALL_KINDS.filter((k) => f.per30Kinds.includes(k)) };
  if (f.closures) refund.closures = true;
  return { id: f.id.trim(), name: f.name, charge, refund };
}

/** The core's list of problems with a headline that fits a form (its own speaks of imports). */
function notSaved(err) {
  if (err && err.type === 'Rejected' && err.problems && err.problems.length) {
    return { ...err, message: `有 ${err.problems.length} 处需要改正,规则没有保存:` };
  }
  return err;
}

function draftFees() {
  return draft.items.map(feeItem);
}

// ------------------------------------------------------------------ the editor

function editor({ earliest, lastClosed, presets, rerender, drawEditor }) {
  const dirtyBadge = h('span', { class: 'badge amber', 'data-testid': 'fees-dirty', hidden: !draft.dirty }, '有未保存的修改');
  const touch = () => {
    draft.dirty = true;
    dirtyBadge.hidden = false;
  };
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'fees-error', hidden: true });
  const fromInput = h('input', { type: 'text', class: 'month-input', value: draft.effective_from, 'data-testid': 'fees-from', placeholder: '例如 2026-12', inputmode: 'numeric' });
  fromInput.addEventListener('input', () => {
    draft.effective_from = fromInput.value;
    touch();
  });
  const noteInput = h('input', { type: 'text', value: draft.note, 'data-testid': 'fees-note', placeholder: '例如 伙食费上调到 16 元/天' });
  noteInput.addEventListener('input', () => {
    draft.note = noteInput.value;
    touch();
  });

  const save = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'fees-save' }, '保存');
  save.addEventListener('click', async () => {
    errorBox.hidden = true;
    save.disabled = true;
    try {
      const month = parseMonth(draft.effective_from);
      if (!month) throw { type: 'Invalid', message: `“${draft.effective_from}”不是有效的生效月份,请按 2026-12 的格式填写`, problems: [] };
      await call('fee_rules_save', { effective_from: month, fees: draftFees(), note: draft.note }, { quiet: true });
      draft.dirty = false;
      focusMonth = month;
      toast(`收费规则已保存,自 ${monthLabel(month)} 起生效`, 'success');
      rerender();
    } catch (err) {
      showFormError(errorBox, notSaved(err));
      errorBox.scrollIntoView({ block: 'nearest' });
    } finally {
      save.disabled = false;
    }
  });
  const reset = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      'data-testid': 'fees-reset',
      onClick: () => {
        draft = null;
        focusMonth = null;
        rerender();
      },
    },
    '放弃修改',
  );
  const trialBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      'data-testid': 'fees-trial',
      onClick: () => {
        errorBox.hidden = true;
        let fees;
        try {
          fees = draftFees();
        } catch (err) {
          showFormError(errorBox, err);
          return;
        }
        trialDialog(fees);
      },
    },
    h('span', { class: 'btn-icon', svg: icons.sparkle }),
    '试算…',
  );
  const addPreset = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      'data-testid': 'fees-add-preset',
      onClick: async () => {
        const p = await presetDialog(presets);
        if (!p) return;
        const item = formItem(p.item);
        item.id = uniqueId(item.id, draft.items);
        draft.items.push(item);
        touch();
        drawEditor();
      },
    },
    h('span', { class: 'btn-icon', svg: icons.plus }),
    '从预设添加',
  );
  const addBlank = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      'data-testid': 'fees-add-blank',
      onClick: () => {
        draft.items.push(blankItem(draft.items));
        touch();
        drawEditor();
        const names = document.querySelectorAll('[data-testid=fee-name]');
        if (names.length) /** @type {HTMLElement} */ (names[names.length - 1]).focus();
      },
    },
    '添加空白项目',
  );

  return h(
    'div',
    { class: 'card fee-editor', 'data-testid': 'fee-editor' },
    h(
      'div',
      { class: 'card-head' },
      h(
        'div',
        null,
        h('h2', null, draft.base ? `编辑收费规则(以 ${monthLabel(draft.base)} 起的版本为基础)` : '设置收费规则'),
        h('p', { class: 'muted small' }, '保存后从「生效月份」起按新规则结算;之前的月份不受影响。金额按元填写,例如 15 或 15.50。'),
      ),
      dirtyBadge,
    ),
    h(
      'div',
      { class: 'fee-meta' },
      h('label', { class: 'field' }, h('span', null, '生效月份', h('span', { class: 'req' }, '*')), fromInput, h('span', { class: 'hint' }, earliest ? `最早 ${earliest}(${monthLabel(lastClosed)} 已结账)` : '从这个月起按新规则结算')),
      h('label', { class: 'field wide' }, h('span', null, '备注'), noteInput),
    ),
    draft.items.length
      ? draft.items.map((f, i) => itemCard(f, i, { touch, drawEditor }))
      : emptyState('还没有收费项目', '从常用预设开始最快:例如「伙食费:连续请假满 3 天按天退」。'),
    h('div', { class: 'fee-add' }, addPreset, addBlank),
    errorBox,
    h('div', { class: 'form-actions fee-actions' }, reset, h('span', { class: 'spacer' }), trialBtn, save),
  );
}

function field(label, control, hint) {
  return h('label', { class: 'ff' }, h('span', { class: 'ff-label' }, label), control, hint ? h('span', { class: 'hint' }, hint) : null);
}

/**
 * @param {any} f
 * @param {string} key
 * @param {{ testid?: string, cls?: string, placeholder?: string, touch?: () => void, suffix?: string }} [options]
 */
function textInput(f, key, { testid, cls = '', placeholder, touch, suffix } = {}) {
  const el = h('input', { type: 'text', class: cls, value: f[key], 'data-testid': testid, placeholder, autocomplete: 'off' });
  el.addEventListener('input', () => {
    f[key] = el.value;
    touch();
  });
  return suffix ? h('span', { class: 'with-suffix' }, el, h('span', { class: 'suffix' }, suffix)) : el;
}

/**
 * @param {any} f
 * @param {string} key
 * @param {any[]} options
 * @param {{ testid?: string, touch?: () => void, redraw?: () => void }} [opts]
 */
function selectInput(f, key, options, { testid, touch, redraw } = {}) {
  const el = h('select', { 'data-testid': testid, value: f[key] }, options.map(([v, l]) => h('option', { value: v }, l)));
  el.addEventListener('change', () => {
    f[key] = el.value;
    touch();
    if (redraw) redraw();
  });
  return el;
}

function toggle(f, key, label, { testid, touch, redraw }) {
  const el = h('input', { type: 'checkbox', checked: f[key], 'data-testid': testid });
  el.addEventListener('change', () => {
    f[key] = el.checked;
    touch();
    redraw();
  });
  return h('label', { class: 'rule-toggle' }, el, h('span', null, label));
}

function kindChecks(f, key, { testid, touch }) {
  return h(
    'span',
    { class: 'kind-checks', 'data-testid': testid },
    KINDS.map((k) => {
      const el = h('input', { type: 'checkbox', checked: f[key].includes(k.key), value: k.key });
      el.addEventListener('change', () => {
        f[key] = el.checked ? [...new Set([...f[key], k.key])] : f[key].filter((x) => x !== k.key);
        touch();
      });
      return h('label', { class: 'check-label' }, el, k.label);
    }),
  );
}

function itemCard(f, i, { touch, drawEditor }) {
  const redraw = drawEditor;
  const move = (delta) => {
    const j = i + delta;
    if (j < 0 || j >= draft.items.length) return;
    [draft.items[i], draft.items[j]] = [draft.items[j], draft.items[i]];
    touch();
    drawEditor();
  };
  const chargeRow =
    f.mode === 'per_day'
      ? h('div', { class: 'ff-row' }, field('每天金额', textInput(f, 'amount', { testid: 'fee-amount', cls: 'money', placeholder: '15.00', touch, suffix: '元/天 × 幼儿在园期间的在园日' })))
      : h(
          'div',
          { class: 'ff-row' },
          field('每月金额', textInput(f, 'amount', { testid: 'fee-amount', cls: 'money', placeholder: '800.00', touch, suffix: '元/月' })),
          field('日费 = 月额 ÷', selectInput(f, 'divisor', DIVISORS, { testid: 'fee-divisor', touch, redraw })),
          f.divisor === 'fixed' ? field('固定天数', textInput(f, 'fixedDivisor', { testid: 'fee-fixed-divisor', cls: 'short', touch, suffix: '天' })) : null,
          field(
            '不足整月',
            selectInput(
              f,
              'proration',
              [
                ['per_day', '按在园日计费'],
                ['full_if_half', '满半月收全月,不足按天'],
              ],
              { testid: 'fee-proration', touch },
            ),
          ),
        );

  const tierRows = f.tiers.map((t, j) => {
    const at = h(
      'select',
      { value: t.at, 'data-testid': 'tier-at' },
      [
        ['none', '全月未到园'],
        ['half', '出勤不超过一半'],
        ['days', '出勤不超过…天'],
      ].map(([v, l]) => h('option', { value: v }, l)),
    );
    at.addEventListener('change', () => {
      t.at = at.value;
      touch();
      redraw();
    });
    const k = h('input', { type: 'text', class: 'short', value: t.k, 'data-testid': 'tier-k' });
    k.addEventListener('input', () => {
      t.k = k.value;
      touch();
    });
    const pct = h('input', { type: 'text', class: 'short', value: t.percent, 'data-testid': 'tier-percent' });
    pct.addEventListener('input', () => {
      t.percent = pct.value;
      touch();
    });
    return h(
      'div',
      { class: 'tier-row', 'data-testid': 'tier-row' },
      h('span', { class: 'muted' }, `第 ${j + 1} 档`),
      at,
      t.at === 'days' ? h('span', { class: 'with-suffix' }, k, h('span', { class: 'suffix' }, '天')) : null,
      h('span', null, '→ 退当月收费的'),
      h('span', { class: 'with-suffix' }, pct, h('span', { class: 'suffix' }, '%')),
      h(
        'button',
        {
          type: 'button',
          class: 'icon-btn small',
          'aria-label': '删除这一档',
          title: '删除这一档',
          onClick: () => {
            f.tiers.splice(j, 1);
            touch();
            redraw();
          },
        },
        '×',
      ),
    );
  });

  return h(
    'fieldset',
    { class: 'fee-item', 'data-testid': 'fee-item' },
    h(
      'div',
      { class: 'fee-item-head' },
      h('span', { class: 'fee-index' }, i + 1),
      field('名称', textInput(f, 'name', { testid: 'fee-name', cls: 'fee-name', placeholder: '例如 伙食费', touch })),
      h('span', { title: '项目编号:导出、导入规则时用来对应项目,用英文字母,如 meal、care' }, field('编号', textInput(f, 'id', { testid: 'fee-id', cls: 'short mono', placeholder: 'meal', touch }))),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'icon-btn fee-move', title: '上移', 'aria-label': '上移', disabled: i === 0, onClick: () => move(-1) }, '↑'),
      h('button', { type: 'button', class: 'icon-btn fee-move', title: '下移', 'aria-label': '下移', disabled: i === draft.items.length - 1, onClick: () => move(1) }, '↓'),
      h(
        'button',
        {
          type: 'button',
          class: 'btn small danger-outline',
          'data-testid': 'fee-remove',
          onClick: () => {
            draft.items.splice(i, 1);
            touch();
            drawEditor();
          },
        },
        '删除',
      ),
    ),
    h(
      'div',
      { class: 'fee-section' },
      h('div', { class: 'fee-section-title' }, '收费方式'),
      h(
        'div',
        { class: 'charge-line' },
      h(
        'div',
        { class: 'seg', role: 'radiogroup' },
        [
          ['per_day', '每天固定金额'],
          ['monthly', '每月固定金额'],
        ].map(([v, l]) => {
          const el = h('input', { type: 'radio', name: `mode-${i}`, value: v, checked: f.mode === v, 'data-testid': `fee-mode-${v}` });
          el.addEventListener('change', () => {
            f.mode = v;
            touch();
            redraw();
          });
          return h('label', { class: `seg-opt${f.mode === v ? ' on' : ''}` }, el, l);
        }),
      ),
      chargeRow,
      ),
    ),
    h(
      'div',
      { class: 'fee-section' },
      h('div', { class: 'fee-section-title' }, '请假退费'),
      h(
        'div',
        { class: `rule${f.perDayOn ? ' on' : ''}` },
        toggle(f, 'perDayOn', '按天退:连续请假的在园日按日费退还', { testid: 'rule-per-day', touch, redraw }),
        f.perDayOn
          ? h(
              'div',
              { class: 'rule-body' },
              h('span', null, '连续请假满'),
              textInput(f, 'minRun', { testid: 'rule-min-run', cls: 'short', touch, suffix: '天' }),
              h('span', null, '起退,每段前'),
              textInput(f, 'unrefunded', { testid: 'rule-unrefunded', cls: 'short', touch, suffix: '天' }),
              h('span', null, '不退;计入的请假:'),
              kindChecks(f, 'perDayKinds', { testid: 'rule-per-day-kinds', touch }),
            )
          : null,
      ),
      h(
        'div',
        { class: `rule${f.tiersOn ? ' on' : ''}` },
        toggle(f, 'tiersOn', '分档退:按当月出勤天数退一定比例(优先于按天退)', { testid: 'rule-tiers', touch, redraw }),
        f.tiersOn
          ? h(
              'div',
              { class: 'rule-body column' },
              tierRows,
              h(
                'div',
                { class: 'tier-foot' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn small',
                    'data-testid': 'tier-add',
                    onClick: () => {
                      f.tiers.push({ at: f.tiers.length ? 'half' : 'none', k: '4', percent: f.tiers.length ? '50' : '100' });
                      touch();
                      redraw();
                    },
                  },
                  '+ 添加一档',
                ),
                h('span', { class: 'muted' }, '“一半”依据'),
                selectInput(
                  f,
                  'tierBasis',
                  [
                    ['legal_working_days', '当月法定工作日'],
                    ['school_days', '当月在园日'],
                  ],
                  { testid: 'rule-tier-basis', touch },
                ),
                h('span', { class: 'muted small' }, '从上到下取第一个符合的档位。'),
              ),
            )
          : null,
      ),
      h(
        'div',
        { class: `rule${f.per30On ? ' on' : ''}` },
        toggle(f, 'per30On', '满 30 天退一个月:连续请假每满 30 个自然日(含周末)退一个月', { testid: 'rule-per30', touch, redraw }),
        f.per30On ? h('div', { class: 'rule-body' }, h('span', null, '计入的请假:'), kindChecks(f, 'per30Kinds', { testid: 'rule-per30-kinds', touch })) : null,
      ),
      h('div', { class: `rule${f.closures ? ' on' : ''}` }, toggle(f, 'closures', '停课按天退:因疫情、天气等计费停课的日子按日费退给每名在园幼儿', { testid: 'rule-closures', touch, redraw })),
    ),
  );
}

// ------------------------------------------------------------------ presets

function presetDialog(presets) {
  return modal({
    title: '从预设添加收费项目',
    testid: 'preset-dialog',
    wide: true,
    build: ({ close }) =>
      h(
        'div',
        { class: 'modal-form' },
        h(
          'div',
          { class: 'modal-body' },
          h('p', { class: 'muted' }, '选一个最接近本园做法的预设,添加后可以修改金额和每一条规则。'),
          h(
            'div',
            { class: 'preset-list' },
            presets.map((p) =>
              h(
                'button',
                { type: 'button', class: 'preset', 'data-testid': 'preset', 'data-key': p.key, onClick: () => close(p) },
                h('div', { class: 'preset-name' }, p.name),
                h('div', { class: 'preset-desc' }, p.description),
                h('div', { class: 'preset-rule muted small' }, p.summary),
              ),
            ),
          ),
        ),
        h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', onClick: () => close(null) }, '取消')),
      ),
  });
}

// ------------------------------------------------------------------ trial run

function trialDialog(fees) {
  let month = shiftMonth(thisMonth(), -1);
  return modal({
    title: '试算:用修改后的规则算一个过去的月份',
    testid: 'trial-dialog',
    wide: true,
    build: ({ close }) => {
      const input = h('input', { type: 'text', class: 'month-input', value: month, 'data-testid': 'trial-month' });
      const out = h('div', { class: 'trial-out', 'data-testid': 'trial-out' });
      const errorBox = h('div', { class: 'form-error', role: 'alert', hidden: true });
      const run = async () => {
        errorBox.hidden = true;
        const m = parseMonth(input.value);
        if (!m) {
          showFormError(errorBox, { message: `“${input.value}”不是有效的月份,请按 2026-10 的格式填写` });
          return;
        }
        month = m;
        mount(out, h('div', { class: 'loading' }, '正在试算……'));
        try {
          const t = await call('fee_rules_trial', { month, fees }, { quiet: true });
          mount(out, trialResult(t));
        } catch (err) {
          mount(out);
          showFormError(errorBox, err.type === 'Rejected' && err.problems && err.problems.length ? { ...err, message: `有 ${err.problems.length} 处需要改正,无法试算:` } : err);
        }
      };
      const form = h(
        'form',
        { class: 'modal-form' },
        h(
          'div',
          { class: 'modal-body' },
          h('p', { class: 'muted' }, '按该月的考勤,把修改后的规则和该月现行的规则各算一遍并排比较。不会保存任何东西。'),
          h('div', { class: 'trial-pick' }, h('span', null, '月份'), input, h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'trial-run' }, '试算')),
          errorBox,
          out,
        ),
        h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', onClick: () => close(null) }, '关闭')),
      );
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        run();
      });
      requestAnimationFrame(run);
      return form;
    },
  });
}

function trialResult(t) {
  const cur = t.current;
  const ed = t.edited;
  const curFee = (id) => (cur ? cur.fees.find((f) => f.fee_id === id) : null);
  const feeIds = [...new Set([...(cur ? cur.fees.map((f) => f.fee_id) : []), ...ed.fees.map((f) => f.fee_id)])];
  const plainName = (id) => (ed.fees.find((f) => f.fee_id === id) || curFee(id) || {}).fee_name || id;
  // Two items with one name (e.g. two 伙食费 while trying a preset) are told apart by their 编号.
  const name = (id) => (feeIds.filter((x) => plainName(x) === plainName(id)).length > 1 ? `${plainName(id)}(${id})` : plainName(id));
  const cell = (v) => (v === undefined || v === null ? '—' : yuan(v));
  const changed = (a, b) => (a === undefined || b === undefined ? '' : a !== b ? ' changed' : '');
  const curById = new Map((cur ? cur.children : []).map((c) => [c.child_id, c]));
  const diffKids = ed.children.filter((c) => {
    const o = curById.get(c.child_id);
    return !o || o.refund !== c.refund || o.charged !== c.charged;
  });
  return h(
    'div',
    null,
    h('h3', { class: 'trial-title' }, `${monthLabel(t.month)}`, cur ? h('span', { class: 'muted small' }, ` 现行规则:${monthLabel(t.current_from)} 起的版本`) : h('span', { class: 'muted small' }, ' 该月还没有生效的规则')),
    h(
      'table',
      { class: 'table compact trial-table', 'data-testid': 'trial-totals' },
      h(
        'thead',
        null,
        h('tr', null, h('th', { rowspan: 2 }, '收费项目'), h('th', { colspan: 2, class: 'center' }, '现行规则'), h('th', { colspan: 2, class: 'center' }, '修改后')),
        h('tr', null, h('th', { class: 'num' }, '应收'), h('th', { class: 'num' }, '退费'), h('th', { class: 'num' }, '应收'), h('th', { class: 'num' }, '退费')),
      ),
      h(
        'tbody',
        null,
        feeIds.map((id) => {
          const a = curFee(id);
          const b = ed.fees.find((f) => f.fee_id === id);
          return h(
            'tr',
            null,
            h('td', { class: 'strong' }, name(id)),
            h('td', { class: 'num' }, cell(a?.charged)),
            h('td', { class: 'num' }, cell(a?.refund)),
            h('td', { class: `num${changed(a?.charged, b?.charged)}` }, cell(b?.charged)),
            h('td', { class: `num${changed(a?.refund, b?.refund)}` }, cell(b?.refund)),
          );
        }),
        h(
          'tr',
          { class: 'total-row' },
          h('td', null, '全园合计'),
          h('td', { class: 'num' }, cell(cur?.charged)),
          h('td', { class: 'num' }, cell(cur?.refund)),
          h('td', { class: `num${changed(cur?.charged, ed.charged)}`, 'data-testid': 'trial-charged' }, cell(ed.charged)),
          h('td', { class: `num${changed(cur?.refund, ed.refund)}`, 'data-testid': 'trial-refund' }, cell(ed.refund)),
        ),
      ),
    ),
    h('h3', { class: 'trial-title' }, diffKids.length ? `结果不同的幼儿(${diffKids.length} 人)` : '每名幼儿的结果都与现行规则相同'),
    diffKids.length
      ? h(
          'div',
          { class: 'table-wrap trial-kids' },
          h(
            'table',
            { class: 'table compact' },
            h('thead', null, h('tr', null, ['班级', '幼儿', '出勤', '现行应收', '现行退费', '修改后应收', '修改后退费'].map((x, i) => h('th', { class: i >= 2 ? 'num' : null }, x)))),
            h(
              'tbody',
              null,
              diffKids.map((c) => {
                const o = curById.get(c.child_id);
                return h(
                  'tr',
                  { 'data-testid': 'trial-child' },
                  h('td', null, c.class),
                  h('td', { class: 'strong' }, c.name),
                  h('td', { class: 'num' }, `${c.attended_days}/${c.enrolled_school_days}`),
                  h('td', { class: 'num' }, cell(o?.charged)),
                  h('td', { class: 'num' }, cell(o?.refund)),
                  h('td', { class: `num${changed(o?.charged, c.charged)}` }, cell(c.charged)),
                  h('td', { class: `num${changed(o?.refund, c.refund)}` }, cell(c.refund)),
                );
              }),
            ),
          ),
        )
      : null,
  );
}
