// 报修: repair requests. Anyone reports a fault (a room of the asset
// register, the card if there is one); the asset keeper assigns it, records
// the visit, closes it with the work and its cost; the reporter confirms.
//  - 未完成: open requests by trade, oldest first, overdue in red; the
//    week's follow-up list (超期未修、已上门未修好、已完工待确认).
//  - 全部记录: every request, with 确认修好 and the 维修单.
//  - 维修费用: cost per month and per room, the monthly list (PDF).
//  - 设置: the visit deadlines and the 报废 share.
// Ages, deadlines, overdue, costs and the 报废 suggestion are the core's.

import { call } from '../lib/api.js';
import { h, mount, toast, formDialog, today, emptyState } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { yuan, thisMonth } from './attendance_common.js';
import { savePdf } from './assets.js';

const TABS = [
  ['open', '未完成'],
  ['all', '全部记录'],
  ['costs', '维修费用'],
  ['settings', '设置'],
];

export async function render(view, ctx) {
  const tab = TABS.some(([k]) => k === ctx.sub[0]) ? ctx.sub[0] : 'open';
  const body = h('div', { class: 'tab-body', 'data-testid': `repairs-body-${tab}` });
  mount(
    view,
    h('div', { class: 'tabs', role: 'tablist' }, TABS.map(([k, label]) => h('a', { href: `#/repairs/${k}`, class: `tab${k === tab ? ' active' : ''}`, role: 'tab', 'data-testid': `repairs-tab-${k}` }, label))),
    body,
  );
  const v = await call('repairs_view');
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate(`repairs/${tab}`);
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    ctx.may('report_repair') ? h('button', { type: 'button', class: 'btn primary', 'data-testid': 'repair-add', onClick: async () => (await reportDialog(v)) && reload() }, h('span', { class: 'btn-icon', svg: icons.plus }), '报修') : null,
    h('span', { class: 'spacer' }),
    h('span', { class: 'muted small' }, `紧急报修 ${v.settings.urgent_visit_days ? `${v.settings.urgent_visit_days} 天内` : '当天'}上门,一般报修 ${v.settings.normal_visit_days} 天内上门`),
  );
  if (tab === 'all') return mount(body, toolbar, allCard(v, ctx, reload));
  if (tab === 'costs') return mount(body, toolbar, costsCard(v));
  if (tab === 'settings') return mount(body, settingsCard(v, ctx, reload));
  mount(body, toolbar, openCard(v, ctx, reload), followUpCard(v));
}

function statusCell(r) {
  return h('td', null, h('span', { class: `badge ${r.overdue ? 'red' : r.status === 'done' ? 'amber' : r.status === 'confirmed' ? 'green' : r.status === 'cancelled' ? 'grey' : 'blue'}`, 'data-testid': 'repair-status' }, r.overdue ? `${r.status_label} · 超期` : r.status_label));
}

function assetText(r) {
  return r.asset_number ? `${r.asset_name}(${r.asset_number})` : '';
}

/** The keeper's and the reporter's buttons for one request. */
function actions(r, ctx, reload) {
  const keeper = ctx.may('assets');
  const btn = (label, testid, fn) => h('button', { type: 'button', class: 'link-btn', 'data-testid': testid, onClick: async () => (await fn()) && reload() }, label);
  return h(
    'td',
    { class: 'wrap repair-actions' },
    keeper && r.steps.assign ? btn(r.status === 'reported' ? '派工' : '改派', 'repair-assign', () => assignDialog(r)) : null,
    keeper && r.steps.visit ? btn('上门', 'repair-visit', () => visitDialog(r)) : null,
    keeper && r.steps.close ? btn('完工', 'repair-close', () => closeDialog(r)) : null,
    ctx.may('report_repair') && r.steps.confirm ? btn('确认修好', 'repair-confirm', () => call('repair_confirm', { id: r.id }).then(() => (toast(`报修单 ${r.id} 已确认修好`, 'success'), true))) : null,
    keeper && r.steps.cancel ? btn('撤销', 'repair-cancel', () => cancelDialog(r)) : null,
    btn('维修单', 'repair-slip', () => savePdf('保存维修单', `维修单-${r.id}.pdf`, (path) => call('repair_slip_pdf', { id: r.id, path })).then(() => false)),
  );
}

function repairRows(list, ctx, reload, { showCost = false } = {}) {
  return list.map((r) =>
    h(
      'tr',
      { 'data-testid': 'repair-row', 'data-id': String(r.id), 'data-overdue': String(r.overdue), class: r.overdue ? 'row-overdue' : null },
      h('td', { class: 'mono' }, String(r.id)),
      h('td', { class: 'mono nowrap' }, r.reported_on),
      h('td', { class: 'wrap' }, r.room, r.asset_number ? h('div', { class: 'muted small' }, assetText(r)) : null),
      h('td', { class: 'wrap' }, r.urgent ? h('span', { class: 'badge red tiny' }, '急') : null, ' ', r.description, h('div', { class: 'muted small' }, `${r.reporter} 报修`)),
      h('td', null, r.assignee),
      statusCell(r),
      h('td', { class: 'num nowrap', 'data-testid': 'repair-age' }, `${r.age_days} 天`),
      showCost ? h('td', { class: 'num nowrap' }, r.steps.closed ? `${yuan(r.cost)}` : '', r.scrap_suggested ? h('div', { class: 'badge amber tiny', 'data-testid': 'repair-scrap' }, '建议报废') : null) : null,
      actions(r, ctx, reload),
    ),
  );
}

function head(showCost) {
  return h('thead', null, h('tr', null, ['编号', '报修日期', '地点', '故障', '维修人', '状态', '天数', showCost ? '费用(元)' : null, ''].filter((x) => x !== null).map((t) => h('th', null, t))));
}

function openCard(v, ctx, reload) {
  if (!v.open_by_trade.length) return h('div', { class: 'card' }, emptyState('没有未完成的报修', '报修后,这里按工种列出,超期的标红。'));
  return v.open_by_trade.map((g) =>
    h(
      'div',
      { class: 'card flush', 'data-testid': 'repair-trade', 'data-trade': g.trade },
      h('div', { class: 'card-head pad' }, h('h3', null, `${g.trade_label} · ${g.repairs.length} 件`), g.overdue ? h('span', { class: 'badge red' }, `超期 ${g.overdue} 件`) : null),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table compact' }, head(false), h('tbody', null, repairRows(g.repairs, ctx, reload)))),
    ),
  );
}

function followUpCard(v) {
  const f = v.follow_up;
  return h(
    'div',
    { class: 'card', 'data-testid': 'repair-week' },
    h('div', { class: 'card-head' }, h('h3', null, `本周跟进(${f.week_from} 至 ${f.week_to})`)),
    f.items.length
      ? h('table', { class: 'table compact' }, h('tbody', null, f.items.map((i) => h('tr', { 'data-testid': 'repair-week-item' }, h('td', { class: 'mono' }, String(i.repair.id)), h('td', null, i.repair.room), h('td', null, i.repair.description), h('td', { class: i.repair.overdue ? 'danger-text' : 'muted' }, i.reason)))))
      : h('p', { class: 'muted small' }, '本周没有需要跟进的报修。'),
  );
}

function allCard(v, ctx, reload) {
  return h(
    'div',
    { class: 'card flush' },
    h('div', { class: 'card-head pad' }, h('h3', null, `全部报修单 ${v.all.length} 件`)),
    v.all.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table compact', 'data-testid': 'repair-all' }, head(true), h('tbody', null, repairRows(v.all, ctx, reload, { showCost: true })))) : emptyState('还没有报修单', ''),
  );
}

function costsCard(v) {
  const monthInput = h('input', { type: 'text', class: 'date-input', value: thisMonth(), 'data-testid': 'repair-month', 'aria-label': '月份' });
  return h(
    'div',
    { class: 'card' },
    h(
      'div',
      { class: 'card-head' },
      h('h3', null, '维修费用(按完工月份)'),
      h('span', { class: 'spacer' }),
      monthInput,
      h('button', { type: 'button', class: 'btn', 'data-testid': 'repair-month-pdf', onClick: () => savePdf('保存月度维修登记表', `维修登记表-${monthInput.value.trim()}.pdf`, (path) => call('repairs_month_pdf', { month: monthInput.value.trim(), path })).catch(() => {}) }, '打印月度登记表'),
    ),
    h(
      'table',
      { class: 'table compact', 'data-testid': 'repair-costs' },
      h('thead', null, h('tr', null, h('th', null, '月份'), h('th', { class: 'num' }, '完工件数'), h('th', { class: 'num' }, '费用(元)'), h('th', null, '按地点'))),
      h('tbody', null, [...v.costs].reverse().map((m) => h('tr', { 'data-testid': 'repair-cost-month', 'data-month': m.month }, h('td', null, m.label), h('td', { class: 'num' }, String(m.count)), h('td', { class: 'num' }, yuan(m.cost)), h('td', { class: 'muted small' }, m.rooms.map((r) => `${r.room} ${yuan(r.cost)}`).join(';'))))),
    ),
  );
}

function settingsCard(v, ctx, reload) {
  const s = v.settings;
  const num = (name, label, value, hint) => ({ name, label, value: String(value), testid: `repair-set-${name}`, hint });
  const box = h('div');
  const open = () =>
    formDialog({
      title: '报修设置',
      testid: 'repair-settings-dialog',
      fields: [
        num('urgent_visit_days', '紧急报修上门期限(天)', s.urgent_visit_days, '0 表示当天上门'),
        num('normal_visit_days', '一般报修上门期限(天)', s.normal_visit_days),
        num('scrap_share_percent', '建议报废的维修费用比例(%)', s.scrap_share_percent, '一次维修费用超过资产原值的这个比例时,提示建议报废'),
      ],
      onSubmit: (x) => {
        const n = (t) => (/^\d+$/.test(String(t).trim()) ? Number(String(t).trim()) : -1);
        const settings = { urgent_visit_days: n(x.urgent_visit_days), normal_visit_days: n(x.normal_visit_days), scrap_share_percent: n(x.scrap_share_percent) };
        if (Object.values(settings).some((d) => d < 0)) throw { type: 'Invalid', message: '请填写整数', problems: [] };
        return call('repairs_settings_save', { settings }, { quiet: true }).then(() => true);
      },
    }).then((saved) => saved && reload());
  mount(
    box,
    h(
      'div',
      { class: 'card' },
      h('div', { class: 'card-head' }, h('h3', null, '报修设置'), ctx.may('assets') ? h('button', { type: 'button', class: 'btn', 'data-testid': 'repair-settings-edit', onClick: open }, '修改') : null),
      h('p', null, `紧急报修:${s.urgent_visit_days ? `${s.urgent_visit_days} 天内` : '当天'}上门。一般报修:${s.normal_visit_days} 天内上门。过了期限还没有上门的报修单标红,列入本周跟进。`),
      h('p', null, `一次维修费用超过资产原值的 ${s.scrap_share_percent}% 时,提示建议报废(报废仍须在 固定资产 → 报废 中申请、审批)。`),
    ),
  );
  return box;
}

// ------------------------------------------------------------------ dialogs

/** 报修. `prefill`: {asset_number, room} from an asset card. Resolves truthy when saved. */
export async function reportDialog(v, prefill = {}) {
  const trades = v ? v.trades : (await call('repairs_view')).trades;
  const rooms = v ? v.rooms : (await call('repairs_view')).rooms;
  const id = await formDialog({
    title: '报修',
    testid: 'repair-dialog',
    submitLabel: '报修',
    intro: '选择报修地点;故障在某件资产上时填它的资产编号(资产标签上的编号),这件资产会显示为“维修”。',
    fields: [
      { name: 'room', label: '地点', testid: 'repair-room', value: prefill.room || '', list: rooms, placeholder: '例如 大一班' },
      { name: 'asset_number', label: '资产编号', testid: 'repair-asset', value: prefill.asset_number || '', placeholder: '没有可不填' },
      { name: 'trade', label: '工种', type: 'select', testid: 'repair-trade-select', value: prefill.trade || 'other', options: trades.map((t) => [t.value, t.label]) },
      { name: 'urgent', label: '紧急', type: 'checkbox', testid: 'repair-urgent', value: false },
      { name: 'description', label: '故障描述', required: true, wide: true, testid: 'repair-desc', placeholder: '例如 空调不制冷' },
      { name: 'reporter', label: '报修人', required: true, testid: 'repair-reporter' },
      { name: 'reported_on', label: '报修日期', type: 'date', required: true, value: today(), testid: 'repair-date' },
    ],
    onSubmit: (x) => call('repair_add', { input: { reported_on: x.reported_on, room: x.room || '', asset_number: x.asset_number || '', trade: x.trade, description: x.description || '', urgent: Boolean(x.urgent), reporter: x.reporter || '' } }, { quiet: true }),
  });
  if (id) toast(`已登记报修单 ${id}`, 'success');
  return id;
}

async function assignDialog(r) {
  const done = await formDialog({
    title: `派工 · 报修单 ${r.id}`,
    testid: 'repair-assign-dialog',
    submitLabel: '派工',
    intro: `${r.room} ${r.description}`,
    fields: [
      { name: 'to', label: '维修人', required: true, testid: 'repair-assignee', value: r.assignee },
      { name: 'on', label: '派工日期', type: 'date', required: true, value: today(), testid: 'repair-assign-date' },
    ],
    onSubmit: (x) => call('repair_assign', { id: r.id, to: x.to || '', on: x.on }, { quiet: true }).then(() => true),
  });
  if (done) toast(`报修单 ${r.id} 已派工`, 'success');
  return done;
}

async function visitDialog(r) {
  return formDialog({
    title: `登记上门 · 报修单 ${r.id}`,
    testid: 'repair-visit-dialog',
    submitLabel: '登记',
    fields: [{ name: 'on', label: '上门日期', type: 'date', required: true, value: today(), testid: 'repair-visit-date' }],
    onSubmit: (x) => call('repair_visit', { id: r.id, on: x.on }, { quiet: true }).then(() => true),
  });
}

async function closeDialog(r) {
  const done = await formDialog({
    title: `完工 · 报修单 ${r.id}`,
    testid: 'repair-close-dialog',
    submitLabel: '完工',
    intro: `${r.room} ${assetText(r)} ${r.description}`,
    fields: [
      { name: 'work', label: '维修内容', required: true, wide: true, testid: 'repair-work' },
      { name: 'cost', label: '维修费用(元)', testid: 'repair-cost', value: '0' },
      { name: 'done_on', label: '完工日期', type: 'date', required: true, value: today(), testid: 'repair-done-date' },
      r.asset_id ? { name: 'suggest_scrap', label: '建议报废(资产保持“维修”,另行申请报废)', type: 'checkbox', testid: 'repair-suggest-scrap', value: false } : null,
    ].filter(Boolean),
    onSubmit: (x) => call('repair_close', { id: r.id, input: { work: x.work || '', cost: x.cost || '', done_on: x.done_on, suggest_scrap: Boolean(x.suggest_scrap) } }, { quiet: true }),
  });
  if (done) toast(done.scrap_suggested ? `报修单 ${r.id} 已完工。维修费用较高,建议办理报废` : `报修单 ${r.id} 已完工,费用 ${yuan(done.cost)} 元`, done.scrap_suggested ? 'info' : 'success');
  return done;
}

async function cancelDialog(r) {
  return formDialog({
    title: `撤销 · 报修单 ${r.id}`,
    testid: 'repair-cancel-dialog',
    submitLabel: '撤销',
    fields: [{ name: 'reason', label: '撤销原因', required: true, wide: true, testid: 'repair-cancel-reason' }],
    onSubmit: (x) => call('repair_cancel', { id: r.id, reason: x.reason || '' }, { quiet: true }).then(() => true),
  });
}
