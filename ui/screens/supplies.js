// 物品领用: the asset keeper's screen for supplies.
//  - 结存: every item's balance, average price and value, 需补货 marked.
//  - 领用 / 入库: numbered documents with several lines (supplies_docs.js),
//    printing the 领用单, reversing (冲销) a wrong line.
//  - 押金: items lent against a deposit, return and refund (supplies_more.js).
//  - 流水: the stock journal with who entered each line and when.
//  - 盘点: count sheet, differences booked with a reason.
//  - 报表: the month's usage per class/department (bar chart) and per item,
//    the month's report as PDF, everything as .xlsx.
//  - 目录: the catalogue, its import, and the departments list.
// Every rule and every amount is the core's: this file shows what it says.
import { call, pickFile, pickSavePath } from '../lib/api.js';
import { h, mount, toast, formDialog, confirmDialog, emptyState, problemsTable, modal } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { yuan } from './attendance_common.js';
import * as docs from './supplies_docs.js';
import * as more from './supplies_more.js';

const TABS = [
  ['balance', '结存'],
  ['issues', '领用'],
  ['receipts', '入库'],
  ['deposits', '押金'],
  ['journal', '流水'],
  ['stocktake', '盘点'],
  ['reports', '报表'],
  ['catalogue', '物品目录'],
];

/** What survives switching tabs: filters and the report month. */
export const state = { search: '', category: '', belowOnly: false, month: null, journalItem: null };

export async function render(view, ctx) {
  const tab = TABS.some(([k]) => k === ctx.sub[0]) ? ctx.sub[0] : 'balance';
  const body = h('div', { class: 'tab-body sup-body', 'data-testid': `sup-body-${tab}` });
  mount(
    view,
    h(
      'div',
      { class: 'tabs', role: 'tablist' },
      TABS.map(([k, label]) => h('a', { href: `#/supplies/${k}`, class: `tab${k === tab ? ' active' : ''}`, role: 'tab', 'data-testid': `sup-tab-${k}` }, label)),
    ),
    body,
  );
  const go = (t) => ctx.navigate(`supplies/${t}`);
  if (tab === 'balance') await renderBalance(body, ctx);
  else if (tab === 'issues') await docs.renderDocs(body, ctx, 'issue', go);
  else if (tab === 'receipts') await docs.renderDocs(body, ctx, 'receipt', go);
  else if (tab === 'deposits') await more.renderDeposits(body, ctx);
  else if (tab === 'journal') await more.renderJournal(body, ctx);
  else if (tab === 'stocktake') await more.renderStocktake(body, ctx);
  else if (tab === 'reports') await more.renderReports(body, ctx);
  else await renderCatalogue(body, ctx);
}

// ---------------------------------------------------------------- shared helpers

/** 名称(规格), as the core writes it. */
export function itemLabel(item) {
  return item.spec ? `${item.name}(${item.spec})` : item.name;
}

const OPEN_AFTER = 'houqin.supplies.openAfter';

/** Asks where to save a PDF, writes it with `command`, and opens it (unless turned off). */
export async function savePdf(title, defaultPath, command, args) {
  const path = await pickSavePath({ title, defaultPath, filters: [{ name: 'PDF 文件', extensions: ['pdf'] }] });
  if (!path) return null;
  const written = await call(command, { ...args, path });
  toast(`已保存:${written}`, 'success');
  if (localStorage.getItem(OPEN_AFTER) !== 'no') await call('stock_open_pdf', { path: written }, { quiet: true }).catch(() => {});
  return written;
}

function primaryButtons(ctx) {
  return [
    h('button', { type: 'button', class: 'btn', 'data-testid': 'sup-receive', onClick: () => docs.openReceipt(ctx) }, h('span', { class: 'btn-icon', svg: icons.download }), '入库'),
    h('button', { type: 'button', class: 'btn primary', 'data-testid': 'sup-issue', onClick: () => docs.openIssue(ctx) }, h('span', { class: 'btn-icon', svg: icons.upload }), '领用'),
  ];
}

// ---------------------------------------------------------------- 结存

async function renderBalance(body, ctx) {
  const filter = { search: state.search || null, category: state.category || null, below_only: state.belowOnly, include_archived: false };
  const [report, all, options, deposits] = await Promise.all([
    call('stock_balance', { filter }),
    call('stock_balance', { filter: {} }),
    call('supplies_options'),
    call('deposits_list', { filter: { open_only: true } }),
  ]);
  if (!ctx.isCurrent()) return;
  const categories = [...new Set([...options.categories, ...all.rows.map((r) => r.item.category)])];
  const search = h('input', { type: 'search', class: 'settle-search', placeholder: '搜索名称、编号、规格、位置', value: state.search, 'data-testid': 'sup-search' });
  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.search = search.value.trim();
      ctx.navigate('supplies/balance');
    }, 250);
  });
  const cat = h('select', { 'data-testid': 'sup-category', value: state.category }, h('option', { value: '' }, '全部类别'), categories.map((c) => h('option', { value: c }, c)));
  cat.value = state.category;
  cat.addEventListener('change', () => {
    state.category = cat.value;
    ctx.navigate('supplies/balance');
  });
  const below = h('input', { type: 'checkbox', checked: state.belowOnly, 'data-testid': 'sup-below-only' });
  below.addEventListener('change', () => {
    state.belowOnly = below.checked;
    ctx.navigate('supplies/balance');
  });

  const stats = h(
    'div',
    { class: 'stats', 'data-testid': 'sup-stats' },
    stat('物品', `${all.items} 种`, '目录中在用的物品'),
    stat('结存金额', `¥${yuan(all.total_value)}`, '按移动加权平均计价'),
    stat('需补货', `${all.below} 种`, '结存不高于库存下限', all.below ? 'warn' : null, 'sup-below-count', () => {
      state.belowOnly = true;
      ctx.navigate('supplies/balance');
    }),
    stat('押金借出未还', `${deposits.outstanding} 件`, `押金 ¥${yuan(deposits.outstanding_deposit)}`, null, 'sup-deposit-count', () => ctx.navigate('supplies/deposits')),
  );

  const rows = report.rows.map((r) =>
    h(
      'tr',
      { 'data-testid': 'sup-balance-row', 'data-item': itemLabel(r.item), class: r.below_reorder ? 'sup-low' : null },
      h('td', { class: 'mono small' }, r.item.code),
      h('td', { class: 'strong' }, h('button', { type: 'button', class: 'link-btn', title: '查看这个物品的流水', onClick: () => { state.journalItem = r.item.id; ctx.navigate('supplies/journal'); } }, r.item.name)),
      h('td', null, r.item.spec),
      h('td', null, r.item.category),
      h('td', { class: 'num strong', 'data-testid': 'sup-qty' }, String(r.qty)),
      h('td', null, r.item.unit),
      h('td', { class: 'num' }, yuan(r.avg_price)),
      h('td', { class: 'num' }, yuan(r.value)),
      h('td', { class: 'num muted' }, r.item.reorder_level ? String(r.item.reorder_level) : ''),
      h('td', { class: 'num' }, r.on_loan ? String(r.on_loan) : ''),
      h('td', { class: 'muted' }, r.item.location),
      h('td', null, r.below_reorder ? h('span', { class: 'badge amber', 'data-testid': 'sup-low-badge' }, '需补货') : null),
    ),
  );
  mount(
    body,
    stats,
    h(
      'div',
      { class: 'toolbar' },
      search,
      cat,
      h('label', { class: 'check-label' }, below, '只看需补货'),
      h('span', { class: 'spacer' }),
      primaryButtons(ctx),
    ),
    report.rows.length
      ? h(
          'div',
          { class: 'card flush' },
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table compact', 'data-testid': 'sup-balance-table' },
              h(
                'thead',
                null,
                h('tr', null, ['编号', '物品名称', '规格型号', '类别'].map((t) => h('th', null, t)), h('th', { class: 'num' }, '结存'), h('th', null, '单位'), h('th', { class: 'num' }, '平均单价'), h('th', { class: 'num' }, '结存金额'), h('th', { class: 'num' }, '库存下限'), h('th', { class: 'num' }, '借出'), h('th', null, '存放位置'), h('th')),
              ),
              h('tbody', null, rows),
              h('tfoot', null, h('tr', { class: 'sup-total' }, h('td', { colspan: 7 }, `合计 ${report.items} 种`), h('td', { class: 'num strong', 'data-testid': 'sup-total-value' }, yuan(report.total_value)), h('td', { colspan: 4 }))),
            ),
          ),
        )
      : all.items
        ? emptyState('没有符合条件的物品', '换个搜索词或类别试试。')
        : emptyState('还没有物品', '先在「物品目录」中添加物品,或从 Excel 导入目录(可带期初数量)。', h('button', { type: 'button', class: 'btn primary', onClick: () => ctx.navigate('supplies/catalogue') }, '去物品目录')),
    h('p', { class: 'muted small sup-note' }, '结存金额按移动加权平均计价:平均单价 = 结存金额 ÷ 结存数量(显示时四舍五入到分);每次领用的金额 = 结存金额 × 领用数量 ÷ 结存数量,四舍五入到分,领完时取全部余额。'),
  );
}

function stat(label, value, sub, tone, testid, onClick) {
  return h(
    onClick ? 'button' : 'div',
    { type: onClick ? 'button' : null, class: `stat${tone ? ` ${tone}` : ''}${onClick ? ' sup-stat-btn' : ''}`, 'data-testid': testid, onClick },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, value),
    h('div', { class: 'stat-sub' }, sub),
  );
}

// ---------------------------------------------------------------- 物品目录

async function renderCatalogue(body, ctx) {
  const [list, options] = await Promise.all([call('supply_items', { filter: { include_archived: true } }), call('supplies_options')]);
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('supplies/catalogue');
  const edit = async (item) => {
    const saved = await itemDialog(item, options);
    if (saved) {
      toast(item ? '物品已修改' : `已添加:${saved}`, 'success');
      reload();
    }
  };
  const rows = list.map((i) =>
    h(
      'tr',
      { 'data-testid': 'sup-item-row', class: i.archived ? 'muted' : null },
      h('td', { class: 'mono small' }, i.code),
      h('td', { class: 'strong' }, i.name),
      h('td', null, i.spec),
      h('td', null, i.category),
      h('td', null, i.unit),
      h('td', { class: 'num' }, i.reorder_level ? String(i.reorder_level) : ''),
      h('td', null, i.location),
      h('td', { class: 'num' }, i.deposit ? yuan(i.deposit) : ''),
      h('td', null, i.archived ? h('span', { class: 'badge grey' }, '已停用') : null),
      h(
        'td',
        { class: 'row-actions' },
        h('button', { type: 'button', class: 'link-btn', onClick: () => edit(i) }, '修改'),
        h(
          'button',
          {
            type: 'button',
            class: 'link-btn',
            onClick: async () => {
              const ok = await confirmDialog({ title: i.archived ? '启用物品' : '停用物品', message: i.archived ? `重新启用“${itemLabel(i)}”?` : `停用“${itemLabel(i)}”?停用后不再出现在入库和领用中,历史记录保留。` });
              if (!ok) return;
              try {
                await call('supply_item_archive', { id: i.id, archived: !i.archived });
                reload();
              } catch {
                // shown by `call`
              }
            },
          },
          i.archived ? '启用' : '停用',
        ),
      ),
    ),
  );
  mount(
    body,
    h(
      'div',
      { class: 'toolbar' },
      h('span', { class: 'muted' }, `共 ${list.filter((i) => !i.archived).length} 种在用物品`),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'sup-departments', onClick: async () => { if (await departmentsDialog(options)) reload(); } }, '领用部门'),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'sup-template', onClick: template }, h('span', { class: 'btn-icon', svg: icons.download }), '导入模板'),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'sup-import', onClick: async () => { if (await importItems()) reload(); } }, h('span', { class: 'btn-icon', svg: icons.upload }), '从 Excel 导入'),
      h('button', { type: 'button', class: 'btn primary', 'data-testid': 'sup-item-add', onClick: () => edit(null) }, h('span', { class: 'btn-icon', svg: icons.plus }), '添加物品'),
    ),
    list.length
      ? h(
          'div',
          { class: 'card flush' },
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table compact', 'data-testid': 'sup-item-table' },
              h('thead', null, h('tr', null, ['编号', '物品名称', '规格型号', '类别', '单位', '库存下限', '存放位置', '押金(元)', '', ''].map((t) => h('th', null, t)))),
              h('tbody', null, rows),
            ),
          ),
        )
      : emptyState('物品目录是空的', '添加物品,或从 Excel 导入(列:物品名称、类别、单位、规格型号、库存下限、存放位置、押金,可带期初数量和单价)。'),
  );
}

/** Add or edit an item; resolves with the item's name when saved. */
export function itemDialog(existing, options, preset = {}) {
  const v = existing || { code: '', name: '', category: '', unit: '', spec: '', reorder_level: '', location: '', deposit: 0, note: '', ...preset };
  return formDialog({
    title: existing ? '修改物品' : '添加物品',
    testid: 'sup-item-dialog',
    wide: true,
    fields: [
      { name: 'name', label: '物品名称', required: true, value: v.name, testid: 'sup-item-name' },
      { name: 'spec', label: '规格型号', value: v.spec, placeholder: '如 黑色、500ml', testid: 'sup-item-spec' },
      { name: 'category', label: '类别', required: true, value: v.category, list: options.categories, testid: 'sup-item-category' },
      { name: 'unit', label: '单位', required: true, value: v.unit, list: options.units, placeholder: '按发放的最小单位,如 支', testid: 'sup-item-unit' },
      { name: 'reorder_level', label: '库存下限', value: v.reorder_level ? String(v.reorder_level) : '', placeholder: '结存不高于它时提示补货', testid: 'sup-item-reorder' },
      { name: 'location', label: '存放位置', value: v.location, testid: 'sup-item-location' },
      { name: 'deposit', label: '借用押金(元)', value: v.deposit ? yuan(v.deposit) : '', placeholder: '钥匙、遥控器等借用时收取;不借用的空着', testid: 'sup-item-deposit' },
      { name: 'code', label: '物品编号', value: v.code, placeholder: '可不填', testid: 'sup-item-code' },
    ],
    onSubmit: async (values) => {
      const item = { ...values, note: v.note || '' };
      if (existing) await call('supply_item_update', { id: existing.id, item }, { quiet: true });
      else await call('supply_item_add', { item }, { quiet: true });
      return values.spec.trim() ? `${values.name.trim()}(${values.spec.trim()})` : values.name.trim();
    },
  });
}

async function template() {
  // Excel first: what asset keepers fill in; the core writes CSV for a .csv name.
  const path = await pickSavePath({ title: '保存物品目录导入模板', defaultPath: '物品目录导入模板.xlsx', filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }, { name: 'CSV 文件', extensions: ['csv'] }] });
  if (!path) return;
  await call('supply_items_template', { path });
  toast(`模板已保存:${path}`, 'success');
}

async function importItems() {
  const path = await pickFile({ title: '选择物品目录文件', multiple: false, filters: [{ name: 'Excel 或 CSV', extensions: ['xlsx', 'xls', 'csv'] }] });
  if (!path) return false;
  try {
    const s = await call('supply_items_import', { path }, { quiet: true });
    toast(`已导入:新增 ${s.added} 种,更新 ${s.updated} 种${s.opening_receipt ? `;期初数量登记为入库单 ${s.opening_receipt}` : ''}`, 'success');
    return true;
  } catch (err) {
    await modal({
      title: '没有导入',
      testid: 'sup-import-error',
      wide: true,
      build: ({ close }) =>
        h(
          'div',
          null,
          h('div', { class: 'modal-body' }, h('p', null, err.message.split('\n')[0]), err.problems && err.problems.length ? problemsTable(err.problems) : null),
          h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn primary', 'data-autofocus': true, onClick: () => close(null) }, '知道了')),
        ),
    });
    return false;
  }
}

function departmentsDialog(options) {
  return formDialog({
    title: '领用部门与类别',
    testid: 'sup-departments-dialog',
    wide: true,
    intro: '班级会自动列出;这里填写班级以外会领用物品的部门。类别和单位是添加物品时的候选项。用顿号或逗号分隔。',
    fields: [
      { name: 'departments', label: '领用部门', type: 'textarea', value: options.departments.join('、'), wide: true, testid: 'sup-dep-list' },
      { name: 'categories', label: '物品类别', type: 'textarea', value: options.categories.join('、'), wide: true },
      { name: 'units', label: '单位', type: 'textarea', value: options.units.join('、'), wide: true },
    ],
    onSubmit: async (v) => {
      await call('supplies_options_save', { departments: [v.departments], categories: [v.categories], units: [v.units] }, { quiet: true });
      toast('已保存', 'success');
    },
  });
}
