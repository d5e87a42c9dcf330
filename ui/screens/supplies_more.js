// 物品领用 › 押金, 流水, 盘点 and 报表.
//  - 押金: what is out against a deposit (oldest first), lending, and the
//    return with the deposit refunded (in full, in part with a reason, or kept
//    for a lost item).
//  - 流水: every movement with who entered it and when; per item with the
//    balance after each line.
//  - 盘点: the count sheet on a date; differences need a reason.
//  - 报表: the month's usage per class/department as a bar chart (plain CSS)
//    and table, per item, and the month's report (PDF) and workbook (.xlsx).
import { call, pickSavePath } from '../lib/api.js';
import { h, mount, toast, today, formDialog, emptyState, buildFields, showFormError } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { monthLabel, monthNav, thisMonth, yuan } from './attendance_common.js';
import { itemLabel, savePdf, state } from './supplies.js';
import { docDialog } from './supplies_docs.js';

// ---------------------------------------------------------------- 押金

export async function renderDeposits(body, ctx) {
  const showAll = Boolean(state.depositsAll);
  const list = await call('deposits_list', { filter: { open_only: !showAll } });
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('supplies/deposits');
  const allBox = h('input', { type: 'checkbox', checked: showAll, 'data-testid': 'sup-deposits-all' });
  allBox.addEventListener('change', () => {
    state.depositsAll = allBox.checked;
    reload();
  });
  const lendBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'sup-lend', onClick: async () => { if (await lendDialog()) reload(); } }, h('span', { class: 'btn-icon', svg: icons.plus }), '押金借出');
  mount(
    body,
    h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'sup-outstanding', 'data-testid': 'sup-deposits-outstanding' }, '未归还 ', h('b', null, `${list.outstanding} 件`), ',押金合计 ', h('b', null, `¥${yuan(list.outstanding_deposit)}`)),
      h('label', { class: 'check-label' }, allBox, '也显示已办结的'),
      h('span', { class: 'spacer' }),
      lendBtn,
    ),
    list.rows.length
      ? h(
          'div',
          { class: 'card flush' },
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table compact', 'data-testid': 'sup-deposit-table' },
              h('thead', null, h('tr', null, ['借出单号', '借出日期', '物品', '借用人', '部门', '押金(元)', '天数', '状态', ''].map((t, i) => h('th', { class: i === 5 || i === 6 ? 'num' : null }, t)))),
              h(
                'tbody',
                null,
                list.rows.map((d) =>
                  h(
                    'tr',
                    { 'data-testid': 'sup-deposit-row', 'data-item': d.item, 'data-status': d.closed_on ? 'closed' : 'open' },
                    h('td', { class: 'mono' }, d.lend_number),
                    h('td', null, d.lent_on),
                    h('td', { class: 'strong' }, `${d.item}${d.qty > 1 ? ` × ${d.qty}` : ''}`),
                    h('td', null, d.borrower),
                    h('td', null, d.department),
                    h('td', { class: 'num' }, yuan(d.deposit)),
                    h('td', { class: 'num' }, String(d.days)),
                    h(
                      'td',
                      null,
                      h('span', { class: `badge ${d.closed_on ? (d.kept ? 'amber' : 'green') : 'blue'}`, 'data-testid': 'sup-deposit-status' }, d.status),
                      d.closed_on ? h('small', { class: 'muted' }, ` ${d.closed_on} 退 ${yuan(d.refunded)}${d.close_note ? `(${d.close_note})` : ''}`) : null,
                    ),
                    h(
                      'td',
                      { class: 'row-actions' },
                      d.closed_on ? null : h('button', { type: 'button', class: 'link-btn', 'data-testid': 'sup-deposit-return', onClick: async () => { if (await returnDialog(d)) reload(); } }, '归还 / 退押金'),
                    ),
                  ),
                ),
              ),
            ),
          ),
        )
      : emptyState(showAll ? '还没有押金借用记录' : '没有未归还的押金物品', '钥匙、遥控器等借给老师时,点「押金借出」登记押金;归还时退押金。'),
  );
}

async function lendDialog() {
  const [bal, options] = await Promise.all([call('stock_balance', { filter: {} }), call('supplies_options')]);
  // Items with a deposit first: those are the ones usually lent.
  const rows = [...bal.rows].sort((a, b) => Number(b.item.deposit > 0) - Number(a.item.deposit > 0));
  const byLabel = new Map(rows.map((r) => [itemLabel(r.item), r]));
  return formDialog({
    title: '押金借出',
    testid: 'sup-lend-dialog',
    wide: true,
    intro: '借出的物品从结存中减去;归还时加回,并退还押金。押金默认取物品目录中的金额。',
    fields: [
      { name: 'item', label: '物品', required: true, value: '', list: rows.map((r) => itemLabel(r.item)), placeholder: '如 教室钥匙', testid: 'sup-lend-item' },
      { name: 'qty', label: '数量', value: '1', testid: 'sup-lend-qty' },
      { name: 'borrower', label: '借用人', required: true, value: '', testid: 'sup-lend-borrower' },
      { name: 'to', label: '部门/班级', value: '', list: [...options.classes, ...options.departments], testid: 'sup-lend-to' },
      { name: 'deposit', label: '押金(元)', value: '', placeholder: '空着:按物品目录', testid: 'sup-lend-deposit' },
      { name: 'date', label: '借出日期', type: 'date', required: true, value: today(), testid: 'sup-lend-date' },
      { name: 'note', label: '备注', value: '', wide: true },
    ],
    onSubmit: async (v) => {
      const r = byLabel.get(v.item.trim());
      const loan = { ...v, item_id: r ? r.item.id : null, item: r ? '' : v.item };
      const d = await call('deposit_lend', { loan }, { quiet: true });
      toast(`已借出 ${d.item},收押金 ${yuan(d.deposit)} 元(${d.lend_number})`, 'success');
    },
  });
}

function returnDialog(d) {
  return formDialog({
    title: `归还:${d.item}`,
    testid: 'sup-return-dialog',
    intro: `${d.borrower} 于 ${d.lent_on} 借出,押金 ${yuan(d.deposit)} 元。`,
    submitLabel: '办理',
    fields: [
      { name: 'returned', label: '物品', type: 'radio', value: 'yes', options: [['yes', '已归还'], ['no', '丢失/未归还', '押金不退或部分退']], testid: 'sup-return-kind' },
      { name: 'refund', label: '退还押金(元)', value: '', placeholder: `空着:归还全退 ${yuan(d.deposit)},丢失不退`, testid: 'sup-return-refund' },
      { name: 'date', label: '日期', type: 'date', required: true, value: today(), testid: 'sup-return-date' },
      { name: 'note', label: '说明', value: '', placeholder: '少退押金时写明原因', wide: true, testid: 'sup-return-note' },
    ],
    onSubmit: async (v) => {
      const closed = await call('deposit_close', { id: d.id, close: { date: v.date, returned: v.returned === 'yes', refund: v.refund, note: v.note } }, { quiet: true });
      toast(`${closed.status}:退押金 ${yuan(closed.refunded)} 元`, 'success');
    },
  });
}

// ---------------------------------------------------------------- 流水

export async function renderJournal(body, ctx) {
  const month = state.journalMonth === undefined ? thisMonth() : state.journalMonth;
  const bal = await call('stock_balance', { filter: { include_archived: true } });
  const item = bal.rows.find((r) => r.item.id === state.journalItem) || null;
  const lastDay = (m) => String(new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).getUTCDate()).padStart(2, '0');
  const range = month ? { from: `${month}-01`, to: `${month}-${lastDay(month)}` } : {};
  const lines = await call('stock_journal', { filter: { item_id: item ? item.item.id : null, ...range, limit: 1000 } });
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('supplies/journal');
  const itemPick = h('select', { 'data-testid': 'sup-journal-item' }, h('option', { value: '' }, '全部物品'), bal.rows.map((r) => h('option', { value: r.item.id }, itemLabel(r.item))));
  itemPick.value = item ? String(item.item.id) : '';
  itemPick.addEventListener('change', () => {
    state.journalItem = itemPick.value ? Number(itemPick.value) : null;
    reload();
  });
  const nav = month
    ? monthNav(month, (m) => { state.journalMonth = m; reload(); }, 'sup-journal')
    : h('h2', { class: 'sup-all-months' }, '全部月份');
  const allBtn = h('button', { type: 'button', class: 'btn small', onClick: () => { state.journalMonth = month ? null : thisMonth(); reload(); } }, month ? '全部月份' : '按月查看');
  const perItem = Boolean(item);
  mount(
    body,
    h('div', { class: 'toolbar att-toolbar' }, nav, allBtn, h('span', { class: 'spacer' }), itemPick),
    item ? h('p', { class: 'muted' }, `${itemLabel(item.item)}:现有结存 ${item.qty} ${item.item.unit},金额 ${yuan(item.value)} 元。`) : null,
    lines.length
      ? h(
          'div',
          { class: 'card flush' },
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table compact', 'data-testid': 'sup-journal-table' },
              h('thead', null, h('tr', null, ['日期', '单号', '类型', '物品', '入库', '出库', perItem ? '结存' : null, '金额(元)', '部门/供应商', '领用人', '备注', '录入人', '录入时间'].filter((t) => t !== null).map((t) => h('th', { class: ['入库', '出库', '结存', '金额(元)'].includes(t) ? 'num' : null }, t)))),
              h(
                'tbody',
                null,
                lines.map((l) =>
                  h(
                    'tr',
                    { 'data-testid': 'sup-journal-row', class: l.reversed ? 'sup-reversed' : null },
                    h('td', null, l.date),
                    h('td', { class: 'mono' }, h('button', { type: 'button', class: 'link-btn', onClick: async () => { if (await docDialog(l.doc_id)) reload(); } }, l.number)),
                    h('td', null, h('span', { class: `badge ${l.qty_in ? 'green' : 'blue'}` }, l.kind_label), l.reversed ? h('small', { class: 'muted' }, ' 已冲销') : null),
                    h('td', { class: 'strong wrap' }, l.item),
                    h('td', { class: 'num' }, l.qty_in ? `${l.qty_in}` : ''),
                    h('td', { class: 'num' }, l.qty_out ? `${l.qty_out}` : ''),
                    perItem ? h('td', { class: 'num strong' }, l.balance_after === null ? '' : String(l.balance_after)) : null,
                    h('td', { class: 'num' }, yuan(l.value)),
                    h('td', { class: 'wrap' }, l.party),
                    h('td', null, l.requester),
                    h('td', { class: 'small muted wrap' }, [l.trade_in ? `以旧换新 ${l.trade_in}` : '', l.note].filter(Boolean).join(';')),
                    h('td', null, l.created_by),
                    // Date over time: the narrowest window has no room for both on one line.
                    h('td', { class: 'muted small' }, l.created_at.split(' ').map((part) => h('div', null, part))),
                  ),
                ),
              ),
            ),
          ),
        )
      : emptyState('没有出入库记录', month ? `${monthLabel(month)}没有${item ? `“${itemLabel(item.item)}”的` : ''}出入库。` : ''),
  );
}

// ---------------------------------------------------------------- 盘点

export async function renderStocktake(body, ctx) {
  const date = state.countDate || today();
  const [sheet, past] = await Promise.all([call('stocktake_sheet', { date, category: null }), call('stock_docs', { filter: { kind: 'stocktake', limit: 20 } })]);
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('supplies/stocktake');
  const head = buildFields([
    { name: 'date', label: '盘点日期', type: 'date', required: true, value: date, testid: 'sup-count-date' },
    { name: 'counter', label: '盘点人', value: ctx.operator || '', testid: 'sup-count-counter' },
    { name: 'note', label: '备注', value: '', placeholder: '如 学期末全面盘点', testid: 'sup-count-note' },
  ]);
  head.inputs.date.el.addEventListener('change', () => {
    const v = head.values();
    state.countDate = v.date;
    reload();
  });
  const rows = sheet.map((l) => {
    const counted = h('input', { type: 'text', class: 'num', inputmode: 'numeric', autocomplete: 'off', placeholder: '未盘', 'data-testid': 'sup-count-input', 'data-item': l.item });
    const reason = h('input', { type: 'text', autocomplete: 'off', placeholder: '有差异时填写', 'data-testid': 'sup-count-reason' });
    const diff = h('td', { class: 'num', 'data-testid': 'sup-count-diff' });
    counted.addEventListener('input', () => {
      const t = counted.value.trim();
      // Only shows the difference of two whole numbers as typed; the core decides.
      diff.textContent = /^\d+$/.test(t) ? (Number(t) - l.book_qty > 0 ? `+${Number(t) - l.book_qty}` : String(Number(t) - l.book_qty)) : '';
      diff.className = `num ${diff.textContent && diff.textContent !== '0' ? 'sup-diff' : ''}`;
    });
    return { l, counted, reason, tr: h('tr', { 'data-testid': 'sup-count-row' }, h('td', { class: 'muted' }, l.location), h('td', { class: 'strong' }, l.item), h('td', null, l.category), h('td', { class: 'num' }, `${l.book_qty} ${l.unit}`), h('td', { class: 'input-cell' }, counted), diff, h('td', { class: 'input-cell' }, reason)) };
  });
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'sup-count-error', hidden: true });
  const save = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'sup-count-save' }, '保存盘点');
  save.addEventListener('click', async () => {
    errorBox.hidden = true;
    save.disabled = true;
    try {
      const v = head.values();
      const lines = rows.map((r) => ({ item_id: r.l.item_id, counted: r.counted.value.trim(), reason: r.reason.value.trim() }));
      const saved = await call('stocktake_save', { stocktake: { ...v, lines } }, { quiet: true });
      toast(`已保存盘点单 ${saved.number}`, 'success');
      reload();
    } catch (err) {
      showFormError(errorBox, err);
    } finally {
      save.disabled = false;
    }
  });
  mount(
    body,
    h('div', { class: 'card sup-count-head' }, head.el, h('p', { class: 'muted small' }, '账面数量是盘点日期当天结束时的结存。只填实际清点过的物品;实盘与账面不同的,须填写原因,保存后按盘盈/盘亏调整结存。')),
    sheet.length
      ? h(
          'div',
          { class: 'card flush' },
          h(
            'div',
            { class: 'table-wrap' },
            h('table', { class: 'table compact', 'data-testid': 'sup-count-table' }, h('thead', null, h('tr', null, ['存放位置', '物品', '类别', '账面数量', '实盘数量', '差异', '差异原因'].map((t) => h('th', null, t)))), h('tbody', null, rows.map((r) => r.tr))),
          ),
        )
      : emptyState('没有可盘点的物品', '物品目录是空的。'),
    errorBox,
    h('div', { class: 'toolbar sup-count-foot' }, h('span', { class: 'spacer' }), save),
    past.length
      ? h(
          'div',
          { class: 'card' },
          h('h3', null, '以往盘点'),
          h('ul', { class: 'plain-list' }, past.map((d) => h('li', null, h('button', { type: 'button', class: 'link-btn', onClick: () => docDialog(d.id) }, d.number), ` ${d.date} · ${d.lines} 项调整 · ${yuan(d.total_value)} 元 · ${d.created_by}`))),
        )
      : null,
  );
}

// ---------------------------------------------------------------- 报表

export async function renderReports(body, ctx) {
  const month = state.month || thisMonth();
  const u = await call('stock_usage', { month });
  if (!ctx.isCurrent()) return;
  const go = (m) => {
    state.month = m;
    ctx.navigate('supplies/reports');
  };
  const max = Math.max(1, ...u.by_department.map((d) => d.value));
  // The width is set through the CSSOM (el.style.width), which the content
  // security policy (style-src 'self') allows; a style="width: …" attribute it
  // blocks, and every bar was drawn full width (¥0.00 as long as ¥92.20).
  const bar = (d, most) => {
    const el = h('span', { class: `sup-bar${d.class_id ? '' : ' dept'}`, 'data-testid': 'sup-usage-bar-fill' });
    el.style.width = `${((d.value / most) * 100).toFixed(1)}%`;
    return el;
  };
  const chart = h(
    'div',
    { class: 'sup-chart', 'data-testid': 'sup-usage-chart', role: 'img', 'aria-label': `${monthLabel(month)}各班级/部门领用金额` },
    u.by_department.map((d) =>
      h(
        'div',
        { class: 'sup-bar-row', 'data-testid': 'sup-usage-bar', 'data-dept': d.department, 'data-value': d.value },
        h('span', { class: 'sup-bar-label' }, d.department),
        h('span', { class: 'sup-bar-track' }, bar(d, max)),
        h('span', { class: 'sup-bar-value' }, `¥${yuan(d.value)}`),
      ),
    ),
  );
  const exportBtn = h('button', {
    type: 'button',
    class: 'btn',
    'data-testid': 'sup-export',
    onClick: async () => {
      const path = await pickSavePath({ title: '导出物品领用报表', defaultPath: `物品领用-${month}.xlsx`, filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }] });
      if (!path) return;
      const written = await call('stock_export_xlsx', { month, path });
      toast(`已导出:${written}`, 'success');
    },
  }, h('span', { class: 'btn-icon', svg: icons.download }), '导出 Excel');
  const pdfBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'sup-report-pdf', onClick: () => savePdf('保存物品收发存月报', `物品收发存月报-${month}.pdf`, 'stock_report_pdf', { month }).catch(() => {}) }, '月报 PDF');
  mount(
    body,
    h('div', { class: 'toolbar att-toolbar' }, monthNav(month, go, 'sup-report'), h('span', { class: 'spacer' }), exportBtn, pdfBtn),
    h(
      'div',
      { class: 'sup-report-grid' },
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'card-head' }, h('h3', null, '按班级/部门'), h('span', { class: 'muted', 'data-testid': 'sup-usage-total' }, `${u.slips} 张领用单 · ¥${yuan(u.total_value)}`)),
        chart,
        h(
          'table',
          { class: 'table compact', 'data-testid': 'sup-usage-table' },
          h('thead', null, h('tr', null, h('th', null, '班级/部门'), h('th', { class: 'num' }, '领用单'), h('th', { class: 'num' }, '金额(元)'))),
          h('tbody', null, u.by_department.map((d) => h('tr', { 'data-testid': 'sup-usage-row', 'data-dept': d.department }, h('td', { class: 'strong' }, d.department), h('td', { class: 'num' }, String(d.slips)), h('td', { class: 'num', 'data-testid': 'sup-usage-value' }, yuan(d.value))))),
          h('tfoot', null, h('tr', { class: 'sup-total' }, h('td', null, '合计'), h('td', { class: 'num' }, String(u.slips)), h('td', { class: 'num strong' }, yuan(u.total_value)))),
        ),
      ),
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'card-head' }, h('h3', null, '按物品'), h('span', { class: 'muted' }, `${u.by_item.length} 种`)),
        u.by_item.length
          ? h(
              'div',
              { class: 'table-wrap sup-item-usage' },
              h(
                'table',
                { class: 'table compact', 'data-testid': 'sup-usage-items' },
                h('thead', null, h('tr', null, h('th', null, '物品'), h('th', null, '类别'), h('th', { class: 'num' }, '数量'), h('th', { class: 'num' }, '金额(元)'))),
                h('tbody', null, u.by_item.map((i) => h('tr', { 'data-testid': 'sup-usage-item' }, h('td', { class: 'strong' }, i.item), h('td', null, i.category), h('td', { class: 'num' }, `${i.qty} ${i.unit}`), h('td', { class: 'num' }, yuan(i.value))))),
              ),
            )
          : emptyState('本月还没有领用', ''),
      ),
    ),
    h('p', { class: 'muted small' }, '领用金额按领用时的移动加权平均价计算,已扣除本月登记的冲销;押金借用和盘点差异不计入领用。'),
  );
}
