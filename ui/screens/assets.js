// 固定资产: the asset keeper's screen.
//  - 资产登记: the register with filters, the card form (number from the
//    pattern, capitalisation advice as you type), the card with its
//    depreciation and history, labels, import/export, transfer and disposal
//    of selected cards.
//  - 盘点: stocktakes room by room with a USB scanner (assets_stocktake.js).
//  - 调拨交接, 报废, 折旧, 设置: assets_more.js.
// Every rule, number and amount is the core's: this file shows what it says.
import { call, listen, pickSavePath } from '../lib/api.js';
import { h, mount, toast, formDialog, modal, emptyState, busyButton, problemsTable, today } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { chooseImportFile } from '../lib/import_dialog.js';
import { yuan } from './attendance_common.js';
import * as stocktake from './assets_stocktake.js';
import * as more from './assets_more.js';
import { reportDialog as reportRepair } from './repairs.js';

const TABS = [
  ['register', '资产登记'],
  ['stocktake', '盘点'],
  ['moves', '调拨交接'],
  ['disposals', '报废'],
  ['depreciation', '折旧'],
  ['settings', '设置'],
];

/** What survives switching screens: the register's filters and selection. */
const filter = { room: '', category_id: '', status: '', search: '', include_off_books: false };
const selected = new Set();

export async function render(view, ctx) {
  const tab = TABS.some(([k]) => k === ctx.sub[0]) ? ctx.sub[0] : 'register';
  const body = h('div', { class: 'tab-body assets-body', 'data-testid': `assets-body-${tab}` });
  mount(
    view,
    h(
      'div',
      { class: 'tabs', role: 'tablist' },
      TABS.map(([k, label]) => h('a', { href: `#/assets/${k}`, class: `tab${k === tab ? ' active' : ''}`, role: 'tab', 'data-testid': `assets-tab-${k}` }, label)),
    ),
    body,
  );
  if (tab === 'stocktake') return stocktake.render(body, ctx);
  if (tab === 'moves') return more.renderMoves(body, ctx);
  if (tab === 'disposals') return more.renderDisposals(body, ctx);
  if (tab === 'depreciation') return more.renderDepreciation(body, ctx);
  if (tab === 'settings') return more.renderSettings(body, ctx);
  return renderRegister(body, ctx);
}

// ------------------------------------------------------------------ shared

let vocabulary = null;
/** Status, acquisition and disposal words from the core (fetched once). */
export async function words() {
  if (!vocabulary) vocabulary = await call('assets_vocabulary');
  return vocabulary;
}

/** Whether a status is still on the books (the core's rule, sent with the vocabulary). */
function onBooks(vocab, status) {
  const s = vocab.statuses.find((x) => x.value === status);
  return s ? s.on_books : true;
}

export function statusBadge(a) {
  const cls = { in_use: 'green', idle: 'grey', repair: 'amber', pending_disposal: 'red', disposed: 'grey', written_off: 'grey' }[a.status] || 'grey';
  return h('span', { class: `badge ${cls}` }, a.status_label);
}

/** Saves a PDF where the user chooses, then opens it in the system viewer. */
export async function savePdf(title, defaultPath, write) {
  const path = await pickSavePath({ title, defaultPath, filters: [{ name: 'PDF 文件', extensions: ['pdf'] }] });
  if (!path) return null;
  const file = /\.pdf$/i.test(path) ? path : `${path}.pdf`;
  await write(file);
  toast(`已保存:${file}`, 'success');
  await call('notices_open', { path: file }, { quiet: true }).catch(() => {});
  return file;
}

/** Saves an .xlsx where the user chooses. */
export async function saveXlsx(title, defaultPath, write) {
  const path = await pickSavePath({ title, defaultPath, filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }] });
  if (!path) return null;
  const file = /\.xlsx$/i.test(path) ? path : `${path}.xlsx`;
  await write(file);
  toast(`已导出:${file}`, 'success');
  return file;
}

function stat(label, value, sub, testid, onClick) {
  return h(
    onClick ? 'button' : 'div',
    { class: `stat${onClick ? ' stat-btn' : ''}`, 'data-testid': testid, type: onClick ? 'button' : null, onClick },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, value),
    sub ? h('div', { class: 'stat-sub' }, sub) : null,
  );
}

// ------------------------------------------------------------------ register

async function renderRegister(body, ctx) {
  const [overview, rooms, categories, vocab] = await Promise.all([call('assets_overview'), call('asset_rooms'), call('asset_categories'), words()]);
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('assets/register');
  const t = overview.totals;
  const open = overview.open_stocktakes;
  const stats = h(
    'div',
    { class: 'stats' },
    stat('在账资产', `${t.cards} 张`, `${t.quantity} 件 · ${overview.rooms} 个存放地点`, 'assets-stat-cards'),
    stat('原值 / 净值(元)', yuan(t.original), `净值 ${yuan(t.net)} · ${overview.rule_label}`, 'assets-stat-value'),
    stat(
      '长期未盘点',
      `${overview.not_checked} 件`,
      `${overview.check_interval_months} 个月内没有盘到,点击查看`,
      'assets-stat-unchecked',
      () => showNotChecked(overview.check_interval_months),
    ),
    open.length
      ? stat('进行中的盘点', open[0].name, `已盘 ${open[0].checked} / ${open[0].expected} 张卡片,点击继续`, 'assets-stat-open', () => ctx.navigate(`assets/stocktake/${open[0].id}`))
      : stat('待办', overview.open_disposals ? `${overview.open_disposals} 份报废申请` : '无', overview.open_disposals ? '点击去审批' : '没有进行中的盘点', 'assets-stat-todo', overview.open_disposals ? () => ctx.navigate('assets/disposals') : null),
  );

  const roomSelect = h('select', { 'data-testid': 'assets-room-filter', 'aria-label': '存放地点', value: filter.room }, h('option', { value: '' }, '全部地点'), rooms.map((r) => h('option', { value: r.room }, `${r.room}(${r.cards})`)));
  const catSelect = h('select', { 'data-testid': 'assets-category-filter', 'aria-label': '类别', value: filter.category_id }, h('option', { value: '' }, '全部类别'), categories.map((c) => h('option', { value: c.id }, `${c.name}`)));
  const statusSelect = h('select', { 'data-testid': 'assets-status-filter', 'aria-label': '使用状况', value: filter.status }, h('option', { value: '' }, '全部状况'), vocab.statuses.map((s) => h('option', { value: s.value }, s.label)));
  const search = h('input', { type: 'search', class: 'search', placeholder: '编号、名称、型号、责任人', 'data-testid': 'assets-search', value: filter.search, 'aria-label': '搜索' });
  const offBooks = h('input', { type: 'checkbox', checked: filter.include_off_books, 'data-testid': 'assets-off-books' });
  const countEl = h('span', { class: 'muted', 'data-testid': 'assets-count' });
  const tableBox = h('div', { class: 'table-wrap', 'data-testid': 'assets-table-wrap' });
  let list = [];

  async function refresh() {
    const r = await call('assets_list', {
      filter: {
        room: filter.room || null,
        category_id: filter.category_id ? Number(filter.category_id) : null,
        status: /** @type {import('../types/generated').AssetStatus} */ (filter.status) || null,
        search: filter.search || null,
        include_off_books: filter.include_off_books,
      },
    });
    if (!ctx.isCurrent()) return;
    list = r.assets;
    for (const id of [...selected]) if (!list.some((a) => a.id === id)) selected.delete(id);
    countEl.textContent = `共 ${r.totals.cards} 张卡片 ${r.totals.quantity} 件 · 原值 ${yuan(r.totals.original)} 元 · 净值 ${yuan(r.totals.net)} 元`;
    mount(tableBox, table());
    syncSelection();
  }
  for (const [el, key] of [
    [roomSelect, 'room'],
    [catSelect, 'category_id'],
    [statusSelect, 'status'],
  ]) {
    el.addEventListener('change', () => {
      filter[key] = el.value;
      refresh().catch(() => {});
    });
  }
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      filter.search = search.value.trim();
      refresh().catch(() => {});
    }, 200);
  });
  offBooks.addEventListener('change', () => {
    filter.include_off_books = offBooks.checked;
    refresh().catch(() => {});
  });

  const labelsBtn = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'assets-labels' }, '打印标签'), async () => {
    const chosen = list.filter((a) => selected.has(a.id) && onBooks(vocab, a.status));
    const ids = (chosen.length ? chosen : list.filter((a) => onBooks(vocab, a.status))).map((a) => a.id);
    if (!ids.length) return toast('没有可打印标签的资产', 'error');
    await savePdf(`打印 ${ids.length} 张资产标签`, `资产标签-${today()}.pdf`, async (path) => {
      const n = await call('assets_labels_pdf', { ids, path });
      toast(`已生成 ${n} 张标签`, 'success');
    });
  });
  const transferBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'assets-transfer-selected', onClick: () => transferDialog(list.filter((a) => selected.has(a.id))).then((r) => r && refresh()) }, '调拨所选');
  const selCount = h('span', { class: 'muted small', 'data-testid': 'assets-selected' });
  function syncSelection() {
    const n = list.filter((a) => selected.has(a.id)).length;
    selCount.textContent = n ? `已选 ${n} 张` : '';
    labelsBtn.textContent = n ? `打印所选标签(${n})` : '打印标签';
    transferBtn.style.display = n ? '' : 'none';
  }

  function table() {
    if (!list.length) {
      if (filter.search || filter.room || filter.category_id || filter.status) return emptyState('没有符合条件的资产', '换个条件试试。');
      return emptyState(
        '还没有资产卡片',
        '点击「登记资产」逐张登记,或用「导入」从 Excel 一次导入现有的资产账。',
        h('button', { type: 'button', class: 'btn primary', onClick: () => addBtn.click() }, '登记资产'),
      );
    }
    const all = h('input', { type: 'checkbox', 'aria-label': '全选', 'data-testid': 'assets-select-all', checked: list.every((a) => selected.has(a.id)) });
    all.addEventListener('change', () => {
      for (const a of list) all.checked ? selected.add(a.id) : selected.delete(a.id);
      for (const box of tableBox.querySelectorAll('input[data-row-check]')) box.checked = all.checked;
      syncSelection();
    });
    return h(
      'table',
      // Compact, with the room and its custodian sharing a column and long
      // names wrapping: eleven facts fit the window without hiding 净值/状况.
      { class: 'table compact assets-table', 'data-testid': 'assets-table' },
      h('thead', null, h('tr', null, h('th', { class: 'check-col' }, all), ['资产编号', '名称 / 规格型号', '类别', '存放地点 / 责任人'].map((t) => h('th', null, t)), h('th', { class: 'num' }, '数量'), h('th', null, '取得日期'), h('th', { class: 'num' }, '原值'), h('th', { class: 'num' }, '净值'), h('th', null, '状况'))),
      h(
        'tbody',
        null,
        list.map((a) => {
          const box = h('input', { type: 'checkbox', 'data-row-check': true, checked: selected.has(a.id), 'aria-label': `选择 ${a.number}` });
          box.addEventListener('change', () => {
            box.checked ? selected.add(a.id) : selected.delete(a.id);
            syncSelection();
          });
          const offBooksRow = !onBooks(vocab, a.status);
          // Editing, transfer, labels and disposal are on the card (click the number).
          return h(
            'tr',
            { 'data-testid': 'asset-row', 'data-id': a.id, 'data-number': a.number, class: offBooksRow ? 'dim' : null, onDblclick: () => showCard(a.id, refresh) },
            h('td', { class: 'check-col' }, box),
            h('td', { class: 'mono' }, h('button', { type: 'button', class: 'link-btn mono', 'data-testid': 'asset-number', onClick: () => showCard(a.id, refresh) }, a.number)),
            h('td', { class: 'asset-name-cell' }, h('div', { class: 'strong', 'data-testid': 'asset-name' }, a.name), a.model ? h('div', { class: 'muted small' }, a.model) : null),
            h('td', { class: 'asset-cat-cell' }, a.category_name),
            h('td', null, h('div', { 'data-testid': 'asset-room' }, a.room), h('div', { class: 'muted small', 'data-testid': 'asset-custodian' }, a.custodian || '—')),
            h('td', { class: 'num' }, `${a.quantity} ${a.unit}`),
            h('td', { class: 'mono' }, a.acquired_on),
            h('td', { class: 'num' }, yuan(a.original)),
            h('td', { class: 'num' }, yuan(a.net)),
            h('td', { 'data-testid': 'asset-status' }, statusBadge(a)),
          );
        }),
      ),
    );
  }

  const addBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'asset-add', onClick: () => editAsset(null, filter.room).then((r) => r && reload()) }, h('span', { class: 'btn-icon', svg: icons.plus }), '登记资产');
  const importBtn = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'assets-import' }, h('span', { class: 'btn-icon', svg: icons.upload }), '导入'), async () => {
    if (await importAssets()) await reload();
  });
  const exportBtn = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'assets-export' }, h('span', { class: 'btn-icon', svg: icons.download }), '导出 Excel'), () =>
    saveXlsx('导出资产账', `固定资产-${today()}.xlsx`, (path) => call('assets_export', { path })),
  );
  mount(
    body,
    stats,
    h(
      'div',
      { class: 'toolbar' },
      roomSelect,
      catSelect,
      statusSelect,
      h('div', { class: 'search-box' }, h('span', { class: 'search-icon', svg: icons.search }), search),
      h('label', { class: 'check-label' }, offBooks, '含已报废'),
      h('span', { class: 'spacer' }),
      selCount,
      transferBtn,
      labelsBtn,
      importBtn,
      exportBtn,
      addBtn,
    ),
    h('div', { class: 'muted small assets-count-line' }, countEl),
    h('div', { class: 'card flush' }, tableBox),
  );
  await refresh();
}

// ------------------------------------------------------------------ card form

/** The card form (new when `a` is null). Resolves with the id / true when saved. */
export async function editAsset(a, defaultRoom = '', opts = {}) {
  // `opts.prefill`: values for a new card (a surplus find); `opts.save(input)`: a
  // different way to save it (the stocktake adjustment); `opts.title`.
  const p = a || opts.prefill || null;
  const [categories, sug, vocab] = await Promise.all([call('asset_categories'), call('asset_suggestions'), words()]);
  const cat = (id) => categories.find((c) => c.id === Number(id));
  // A new card starts with no category: a wrong default would slip through.
  const first = p?.category_id || '';
  const lifeText = (m) => (!m ? '' : m % 12 === 0 ? String(m / 12) : `${m}个月`);
  const fields = [
    { name: 'number', label: '资产编号', value: p?.number || '', testid: 'asset-number-input', placeholder: '留空则按编号规则自动生成', hint: a ? null : ' ' },
    { name: 'name', label: '资产名称', required: true, value: p?.name, testid: 'asset-name-input' },
    { name: 'category_id', label: '资产类别', type: 'select', value: first, testid: 'asset-category-input', options: [['', '请选择类别'], ...categories.map((c) => [c.id, `${c.code} ${c.name}`])] },
    { name: 'model', label: '规格型号', value: p?.model, testid: 'asset-model-input' },
    { name: 'quantity', label: '数量', value: p ? String(p.quantity) : '1', testid: 'asset-qty-input', hint: '大于 1 即批量卡片(同样的廉价物品共用一张卡)' },
    { name: 'unit', label: '计量单位', value: p?.unit || '', testid: 'asset-unit-input', list: sug.units, placeholder: cat(first)?.unit },
    { name: 'room', label: '存放地点', required: true, value: p?.room || defaultRoom, testid: 'asset-room-input', list: sug.rooms },
    { name: 'department', label: '使用部门', value: p?.department, testid: 'asset-dept-input', list: sug.departments },
    { name: 'custodian', label: '责任人', value: p?.custodian, testid: 'asset-custodian-input', list: sug.custodians },
    { name: 'acquired_on', label: '取得日期', type: 'date', required: true, value: p?.acquired_on || today(), testid: 'asset-date-input' },
    { name: 'acquisition', label: '取得方式', type: 'select', value: p?.acquisition || 'purchase', testid: 'asset-acq-input', options: vocab.acquisitions.map((x) => [x.value, x.label]) },
    { name: 'supplier', label: '供应商', value: p?.supplier, testid: 'asset-supplier-input', list: sug.suppliers },
    { name: 'original_value', label: '原值(元)', required: true, value: p ? yuan(p.original) : '', testid: 'asset-value-input', placeholder: '例如 4800', hint: '整张卡片的原值(批量卡片为合计)' },
    { name: 'life', label: '使用年限', value: p ? lifeText(p.life_months) : '', testid: 'asset-life-input', placeholder: '留空按类别默认' },
    {
      name: 'status',
      label: '使用状况',
      type: 'select',
      value: a?.status === 'pending_disposal' ? 'pending_disposal' : p?.status || 'in_use',
      testid: 'asset-status-input',
      options: vocab.statuses.filter((s) => s.editable || s.value === a?.status).map((s) => [s.value, s.label]),
    },
    { name: 'note', label: '备注', value: p?.note, testid: 'asset-note-input', wide: true },
  ];
  const toInput = (v) => ({ ...v, category_id: Number(v.category_id) || 0 });
  return formDialog({
    title: opts.title || (a ? `编辑资产卡片 · ${a.number}` : '登记资产'),
    testid: 'asset-dialog',
    wide: true,
    fields,
    afterFields: (form) => {
      // Advice and the generated number follow what is typed.
      const advice = h('div', { class: 'notice warn assets-advice', 'data-testid': 'asset-advice', hidden: true });
      const numberHint = form.inputs.number.el.parentElement.querySelector('.hint');
      let timer;
      const update = () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
          let v;
          try {
            v = toInput(form.values());
          } catch {
            return;
          }
          const c = cat(v.category_id);
          form.inputs.unit.el.placeholder = c?.unit || '';
          form.inputs.life.el.placeholder = c ? (c.depreciates ? `默认 ${lifeText(c.life_months)}${c.life_months % 12 === 0 ? ' 年' : ''}` : '该类别不折旧') : '';
          const lines = v.original_value.trim() && v.category_id ? await call('asset_advice', { input: v }, { quiet: true }).catch(() => []) : [];
          mount(advice, lines.map((l) => h('div', null, l)));
          advice.hidden = !lines.length;
          if (numberHint && !a && v.acquired_on && v.category_id) {
            const n = await call('asset_suggest_number', { category_id: v.category_id, acquired_on: v.acquired_on }, { quiet: true }).catch(() => null);
            numberHint.textContent = n ? `留空将编为 ${n}` : '';
          }
        }, 250);
      };
      for (const k of ['category_id', 'original_value', 'quantity', 'acquired_on']) {
        form.inputs[k].el.addEventListener('input', update);
        form.inputs[k].el.addEventListener('change', update);
      }
      update();
      return advice;
    },
    onSubmit: async (v) => {
      const input = toInput(v);
      if (opts.save) return opts.save(input);
      if (a) {
        await call('asset_update', { id: a.id, input }, { quiet: true });
        toast('资产卡片已保存', 'success');
        return true;
      }
      const id = await call('asset_add', { input }, { quiet: true });
      toast(`已登记 ${input.name.trim()}`, 'success');
      return id;
    },
  });
}

// ------------------------------------------------------------------ the card

/** The card: everything the register knows about one asset. */
export async function showCard(id, onChange) {
  const c = await call('asset_card', { id });
  const a = c.asset;
  const row = (label, value) => h('div', { class: 'kv' }, h('div', { class: 'kv-k' }, label), h('div', { class: 'kv-v' }, value || '—'));
  const changed = await modal({
    title: `资产卡片 · ${a.number}`,
    testid: 'asset-card',
    wide: true,
    build: ({ close }) =>
      h(
        'div',
        { class: 'modal-form' },
        h(
          'div',
          { class: 'modal-body asset-card-body' },
          h('div', { class: 'asset-card-head' }, h('h3', null, a.name), statusBadge(a)),
          h(
            'div',
            { class: 'kv-grid' },
            row('资产编号', a.number),
            row('类别', `${a.category_code} ${a.category_name}`),
            row('规格型号', a.model),
            row('数量', `${a.quantity} ${a.unit}`),
            row('存放地点', a.room),
            row('使用部门', a.department),
            row('责任人', a.custodian),
            row('取得', `${a.acquired_on} ${a.acquisition_label}`),
            row('供应商', a.supplier),
            row('原值', `${yuan(a.original)} 元`),
            row('累计折旧', `${yuan(a.accumulated)} 元`),
            row('净值', `${yuan(a.net)} 元`),
            a.off_books_on ? row('减少日期', a.off_books_on) : null,
            a.note ? row('备注', a.note) : null,
          ),
          h('h4', null, '折旧计算'),
          h('ol', { class: 'explain', 'data-testid': 'asset-card-explain' }, c.depreciation.lines.map((l) => h('li', null, l))),
          c.checks.length
            ? [
                h('h4', null, '盘点记录'),
                h('table', { class: 'table compact' }, h('tbody', null, c.checks.map((k) => h('tr', null, h('td', null, k.stocktake), h('td', { class: 'mono' }, k.started_on), h('td', null, k.outcome_label), h('td', null, k.room), h('td', { class: 'muted' }, k.adjustment_label || ''))))),
              ]
            : h('p', { class: 'muted small' }, '还没有在任何盘点中盘到。'),
          c.transfers.length
            ? [
                h('h4', null, '调拨与交接'),
                h('table', { class: 'table compact' }, h('tbody', null, c.transfers.map((t) => h('tr', null, h('td', { class: 'mono' }, t.moved_on), h('td', null, t.kind_label), h('td', null, moveText(t)), h('td', { class: 'muted' }, t.note))))),
              ]
            : null,
          c.repairs.length
            ? [
                h('h4', null, '维修记录'),
                h('table', { class: 'table compact', 'data-testid': 'asset-card-repairs' }, h('tbody', null, c.repairs.map((r) => h('tr', { 'data-testid': 'asset-card-repair' }, h('td', { class: 'mono' }, r.reported_on), h('td', null, r.description), h('td', null, r.status_label), h('td', null, r.assignee), h('td', null, r.work), h('td', { class: 'num' }, r.steps.closed ? `${yuan(r.cost)} 元` : ''))))),
              ]
            : null,
          c.disposals.length
            ? [
                h('h4', null, '报废'),
                h('table', { class: 'table compact' }, h('tbody', null, c.disposals.map((d) => h('tr', null, h('td', { class: 'mono' }, d.requested_on), h('td', null, d.method_label), h('td', null, d.status_label), h('td', null, d.reason), h('td', { class: 'muted' }, d.approver))))),
              ]
            : null,
        ),
        h(
          'footer',
          { class: 'modal-foot' },
          a.off_books_on
            ? null
            : [
                h('button', { type: 'button', class: 'btn', 'data-testid': 'card-edit', onClick: async () => (await editAsset(a)) && close(true) }, '编辑'),
                h('button', { type: 'button', class: 'btn', 'data-testid': 'card-transfer', onClick: async () => (await transferDialog([a])) && close(true) }, '调拨'),
                h('button', { type: 'button', class: 'btn', 'data-testid': 'card-labels', onClick: () => savePdf('打印这张资产的标签', `标签-${a.number}.pdf`, (path) => call('assets_labels_pdf', { ids: [a.id], path })).catch(() => {}) }, '打印标签'),
                c.repairs.some((r) => r.steps.open) || a.status === 'pending_disposal'
                  ? null
                  : h('button', { type: 'button', class: 'btn', 'data-testid': 'card-repair', onClick: async () => (await reportRepair(null, { room: a.room, asset_number: a.number })) && close(true) }, '报修'),
                a.status === 'pending_disposal' ? null : h('button', { type: 'button', class: 'btn danger-outline', 'data-testid': 'card-dispose', onClick: async () => (await more.disposeDialog(a)) && close(true) }, '报废'),
              ],
          h('span', { class: 'spacer' }),
          h('button', { type: 'button', class: 'btn primary', 'data-autofocus': true, onClick: () => close(false) }, '关闭'),
        ),
      ),
  });
  if (changed && onChange) await onChange();
}

export function moveText(t) {
  const parts = [];
  if (t.from.room !== t.to.room) parts.push(`${t.from.room} → ${t.to.room}`);
  if (t.from.department !== t.to.department) parts.push(`部门 ${t.from.department || '—'} → ${t.to.department || '—'}`);
  if (t.from.custodian !== t.to.custodian) parts.push(`责任人 ${t.from.custodian || '—'} → ${t.to.custodian || '—'}`);
  return parts.join(';') || `${t.to.room} · ${t.to.custodian || '—'}(确认)`;
}

// ------------------------------------------------------------------ transfer

/** 调拨 of one or more cards to a room / department / custodian. */
export async function transferDialog(assets) {
  if (!assets.length) return null;
  const sug = await call('asset_suggestions');
  return formDialog({
    title: assets.length === 1 ? `调拨 · ${assets[0].number} ${assets[0].name}` : `调拨 ${assets.length} 件资产`,
    testid: 'transfer-dialog',
    intro: assets.length === 1 ? `现在在「${assets[0].room}」,责任人 ${assets[0].custodian || '—'}。只填要改的项。` : `${assets.map((a) => a.number).join('、')}。只填要改的项。`,
    fields: [
      { name: 'to_room', label: '调入地点', testid: 'transfer-room-input', list: sug.rooms },
      { name: 'to_department', label: '使用部门', testid: 'transfer-dept-input', list: sug.departments },
      { name: 'to_custodian', label: '新责任人', testid: 'transfer-custodian-input', list: sug.custodians },
      { name: 'moved_on', label: '调拨日期', type: 'date', required: true, value: today(), testid: 'transfer-date-input' },
      { name: 'note', label: '备注', testid: 'transfer-note-input', wide: true },
    ],
    submitLabel: '调拨',
    onSubmit: async (v) => {
      const n = await call('asset_transfer', { input: { ...v, asset_ids: assets.map((a) => a.id) } }, { quiet: true });
      toast(`已调拨 ${n} 件资产`, 'success');
      selected.clear();
      return true;
    },
  });
}

// ------------------------------------------------------------------ never checked

async function showNotChecked(months) {
  const list = await call('assets_not_checked');
  await modal({
    title: `长期未盘点的资产(${months} 个月内没有盘到)`,
    testid: 'not-checked',
    wide: true,
    build: ({ close }) =>
      h(
        'div',
        { class: 'modal-form' },
        h(
          'div',
          { class: 'modal-body' },
          list.length
            ? h(
                'table',
                { class: 'table compact' },
                h('thead', null, h('tr', null, ['资产编号', '名称', '存放地点', '责任人', '取得日期', '上次盘到'].map((t) => h('th', null, t)))),
                h(
                  'tbody',
                  null,
                  list.map((n) => h('tr', null, h('td', { class: 'mono' }, n.asset.number), h('td', null, n.asset.name), h('td', null, n.asset.room), h('td', null, n.asset.custodian || '—'), h('td', { class: 'mono' }, n.asset.acquired_on), h('td', null, n.last_checked ? `${n.last_checked}(${n.last_stocktake})` : h('span', { class: 'badge amber' }, '从未盘点')))),
                ),
              )
            : h('p', null, '所有在账资产都在规定时间内盘点过。'),
        ),
        h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn primary', 'data-autofocus': true, onClick: () => close(null) }, '关闭')),
      ),
  });
}

// ------------------------------------------------------------------ import

async function importAssets() {
  const path = await chooseImportFile({
    title: '导入资产',
    testid: 'assets-import-dialog',
    what: '资产卡片',
    columns: [['资产编号', false], ['资产名称', true], ['类别代码/类别名称', true], ['规格型号', false], ['数量', false], ['计量单位', false], ['存放地点', true], ['使用部门', false], ['责任人', false], ['取得日期', true], ['取得方式', false], ['供应商', false], ['原值', true], ['使用年限', false], ['使用状况', false], ['备注', false]],
    notes: ['资产编号留空的按编号规则自动生成;已有的编号不能重复。类别必须是已有的类别(代码或名称)。', '只要有一行出错,整个文件都不会导入,并列出每一行的错误。', '低于固定资产起点的物品也会导入,并在导入后提示。'],
    pickTestid: 'assets-import-pick',
    template: { testid: 'assets-import-template', cmd: 'assets_template', defaultPath: '资产导入模板.csv', saved: (p) => `模板已保存到 ${p}` },
  });
  return path ? runImport(path) : false;
}

/** Imports the file at `path`: progress, then the result or every bad row. */
export async function runImport(path) {
  /** @type {(p: any) => void} */
  let setProgress = () => {};
  /** @type {(ok: boolean) => void} */
  let closeProgress = () => {};
  const shown = modal({
    title: '正在导入资产',
    testid: 'assets-import-progress',
    dismissable: false,
    build: ({ close }) => {
      closeProgress = close;
      const bar = h('div', { class: 'progress-bar' });
      setProgress = ({ done, total }) => {
        bar.style.width = `${total ? Math.round((done * 100) / total) : 0}%`;
      };
      return h('div', { class: 'modal-body' }, h('p', { class: 'path' }, String(path)), h('div', { class: 'progress' }, bar));
    },
  });
  const unlisten = await listen('import-progress', (p) => setProgress(p));
  try {
    const s = await call('assets_import', { path }, { quiet: true });
    closeProgress(true);
    await shown;
    toast(`导入成功:共导入 ${s.imported} 张资产卡片${s.skipped_blank ? `(跳过 ${s.skipped_blank} 个空行)` : ''}`, 'success');
    if (s.advice_count) {
      await modal({
        title: `导入完成,有 ${s.advice_count} 条提示`,
        testid: 'assets-import-advice',
        wide: true,
        build: ({ close }) =>
          h(
            'div',
            { class: 'modal-form' },
            h('div', { class: 'modal-body' }, h('ul', { class: 'plain-list small' }, s.advice.map((a) => h('li', null, a)))),
            h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn primary', 'data-autofocus': true, onClick: () => close(null) }, '知道了')),
          ),
      });
    }
    return true;
  } catch (err) {
    closeProgress(false);
    await shown;
    await modal({
      title: '导入失败,未导入任何数据',
      testid: 'assets-import-errors',
      wide: true,
      build: ({ close }) =>
        h(
          'div',
          { class: 'modal-form' },
          h('div', { class: 'modal-body' }, h('p', { class: 'form-error-msg' }, err.problems && err.problems.length ? `文件中有 ${err.problems.length} 处错误,请改正后重新导入:` : err.message), err.problems && err.problems.length ? problemsTable(err.problems) : null),
          h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn primary', 'data-autofocus': true, onClick: () => close(null) }, '知道了')),
        ),
    });
    return false;
  } finally {
    unlisten();
  }
}
