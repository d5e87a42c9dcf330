// 物品领用 › 入库 and 领用: the month's documents, the receipt and issue-slip
// dialogs (several lines each; Alt+N adds a line, Enter saves, Esc cancels),
// a document's detail with 冲销 of chosen lines, and printing the 领用单.
// Quantities and prices go to the core as typed; its Chinese message (with
// the line number and the balance) is shown in the dialog and nothing is saved.
import { call } from '../lib/api.js';
import { h, mount, modal, toast, today, buildFields, showFormError, formDialog, emptyState } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { monthNav, thisMonth, yuan } from './attendance_common.js';
import { itemLabel, savePdf, state } from './supplies.js';

const KIND = {
  issue: { title: '领用单', party: '领用部门', add: '新建领用单', testid: 'sup-issue-list' },
  receipt: { title: '入库单', party: '供应商', add: '新建入库单', testid: 'sup-receipt-list' },
};

function monthRange(month) {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

export async function renderDocs(body, ctx, kind, go) {
  const k = KIND[kind];
  const month = state.docMonth || thisMonth();
  const list = await call('stock_docs', { filter: { kind, ...monthRange(month), limit: 1000 } });
  if (!ctx.isCurrent()) return;
  const reload = () => go(kind === 'issue' ? 'issues' : 'receipts');
  const nav = monthNav(month, (m) => {
    state.docMonth = m;
    reload();
  }, 'sup-docs');
  const addBtn = h(
    'button',
    { type: 'button', class: 'btn primary', 'data-testid': kind === 'issue' ? 'sup-issue' : 'sup-receive', onClick: () => (kind === 'issue' ? openIssue(ctx) : openReceipt(ctx)) },
    h('span', { class: 'btn-icon', svg: icons.plus }),
    k.add,
  );
  const total = list.filter((d) => !d.reversed).length;
  mount(
    body,
    h('div', { class: 'toolbar att-toolbar' }, nav, h('span', { class: 'spacer' }), h('span', { class: 'muted' }, `${list.length} 张${k.title}`), addBtn),
    list.length
      ? h(
          'div',
          { class: 'card flush' },
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table compact', 'data-testid': k.testid, 'data-count': total },
              h(
                'thead',
                null,
                h('tr', null, h('th', null, '单号'), h('th', null, '日期'), h('th', null, k.party), kind === 'issue' ? h('th', null, '领用人') : null, h('th', { class: 'num' }, '行数'), h('th', { class: 'num' }, '金额(元)'), h('th', null, '录入'), h('th'), h('th')),
              ),
              h(
                'tbody',
                null,
                list.map((d) =>
                  h(
                    'tr',
                    { 'data-testid': 'sup-doc-row', 'data-number': d.number },
                    h('td', { class: 'mono' }, h('button', { type: 'button', class: 'link-btn', 'data-testid': 'sup-doc-open', onClick: async () => { if (await docDialog(d.id)) reload(); } }, d.number)),
                    h('td', null, d.date),
                    h('td', { class: 'strong' }, d.party),
                    kind === 'issue' ? h('td', null, d.requester) : null,
                    h('td', { class: 'num' }, String(d.lines)),
                    h('td', { class: 'num' }, yuan(d.total_value)),
                    h('td', { class: 'muted small' }, `${d.created_by} ${d.created_at.slice(5, 16)}`),
                    h('td', null, d.reversed ? h('span', { class: 'badge amber' }, '有冲销') : null),
                    h(
                      'td',
                      { class: 'row-actions' },
                      kind === 'issue' ? h('button', { type: 'button', class: 'link-btn', 'data-testid': 'sup-doc-print', onClick: () => printSlip(d.number).catch(() => {}) }, '打印') : null,
                    ),
                  ),
                ),
              ),
            ),
          ),
        )
      : emptyState(`${month.replace('-', '年')}月没有${k.title}`, kind === 'issue' ? '班级或部门来领物品时,点「新建领用单」登记,保存后可打印领用单请领用人签字。' : '物品到货验收后,点「新建入库单」登记数量和单价。'),
  );
}

/** Saves the 领用单 `number` as a PDF (two copies on one A4 sheet) and opens it. */
export function printSlip(number) {
  return savePdf('保存领用单 PDF', `领用单-${number}.pdf`, 'stock_slip_pdf', { number });
}

// ---------------------------------------------------------------- the line editor

/** The catalogue for the item pickers: label → item, plus each item's balance. */
async function catalogue() {
  const bal = await call('stock_balance', { filter: {} });
  const byLabel = new Map();
  for (const r of bal.rows) {
    const label = itemLabel(r.item);
    byLabel.set(label, r);
    if (r.item.code) byLabel.set(r.item.code, r);
  }
  return { rows: bal.rows, byLabel };
}

/**
 * A table of lines. `columns`: [{field, label, placeholder, cls}] after the item.
 * The last row grows a new empty one when its item is filled in.
 */
function lineEditor(cat, columns, testPrefix) {
  const listId = `sup-items-${Math.random().toString(36).slice(2, 7)}`;
  const datalist = h('datalist', { id: listId }, cat.rows.map((r) => h('option', { value: itemLabel(r.item) }, `${r.item.category} · 结存 ${r.qty} ${r.item.unit}`)));
  const tbody = h('tbody');
  const addRow = () => {
    const item = h('input', { type: 'text', autocomplete: 'off', list: listId, placeholder: '输入名称或编号', 'data-field': 'item', 'data-testid': `${testPrefix}-item` });
    const info = h('span', { class: 'sup-line-info', 'data-testid': `${testPrefix}-info` });
    const tr = h(
      'tr',
      { 'data-testid': `${testPrefix}-row` },
      h('td', { class: 'sup-line-no' }),
      h('td', { class: 'sup-line-item' }, item, info),
      columns.map((c) => h('td', { class: c.cls || '' }, h('input', { type: 'text', autocomplete: 'off', inputmode: c.numeric ? 'decimal' : null, class: c.numeric ? 'num' : null, placeholder: c.placeholder || '', 'data-field': c.field, 'data-testid': `${testPrefix}-${c.field}` }))),
      h('td', null, h('button', { type: 'button', class: 'icon-btn', 'aria-label': '删除这一行', title: '删除这一行', tabindex: '-1', onClick: () => { if (tbody.children.length > 1) { tr.remove(); number(); } } }, '×')),
    );
    item.addEventListener('input', () => {
      const r = cat.byLabel.get(item.value.trim());
      info.textContent = r ? `结存 ${r.qty} ${r.item.unit}${r.below_reorder ? ' · 需补货' : ''}` : '';
      if (item.value.trim() && tbody.lastElementChild === tr) addRow();
    });
    tbody.append(tr);
    number();
    return tr;
  };
  const number = () => [...tbody.children].forEach((tr, i) => { tr.firstElementChild.textContent = String(i + 1); });
  addRow();
  const table = h(
    'div',
    { class: 'table-wrap sup-lines' },
    datalist,
    h('table', { class: 'table compact' }, h('thead', null, h('tr', null, h('th', null, '行'), h('th', null, '物品'), columns.map((c) => h('th', null, c.label)), h('th'))), tbody),
  );
  /** The filled lines as the core reads them; the line numbers match what the core reports. */
  const lines = () =>
    [...tbody.querySelectorAll('tr')]
      .map((tr) => {
        const o = Object.fromEntries([...tr.querySelectorAll('[data-field]')].map((el) => [el.dataset.field, el.value.trim()]));
        const r = cat.byLabel.get(o.item);
        return r ? { ...o, item_id: r.item.id, item: '' } : o;
      })
      .filter((l) => l.item_id || l.item || columns.some((c) => l[c.field]));
  return { el: table, addRow, lines, first: () => tbody.querySelector('input') };
}

/**
 * A dialog with header fields, the line editor and the save/cancel footer.
 * @param {{ title: string, testid: string, fields: import('../lib/ui.js').FieldDef[], columns?: any, linePrefix: string, cat: any,
 *   intro?: any, onSubmit: (values: any, lines: any[]) => any }} options
 */
function docDialogForm({ title, testid, fields, columns, linePrefix, cat, intro, onSubmit }) {
  return modal({
    title,
    testid,
    wide: true,
    build: ({ close }) => {
      const head = buildFields(fields);
      const editor = lineEditor(cat, columns, linePrefix);
      const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'dialog-error', hidden: true });
      const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'dialog-submit' }, '保存');
      const addBtn = h('button', { type: 'button', class: 'btn small', 'data-testid': `${linePrefix}-add`, onClick: () => editor.addRow().querySelector('input').focus() }, h('span', { class: 'btn-icon', svg: icons.plus }), '添加一行(Alt+N)');
      const form = h(
        'form',
        { class: 'modal-form', novalidate: true },
        h('div', { class: 'modal-body' }, intro ? h('div', { class: 'intro' }, intro) : null, head.el, editor.el, h('div', { class: 'sup-lines-foot' }, addBtn), errorBox),
        h('footer', { class: 'modal-foot' }, h('span', { class: 'muted small' }, 'Enter 保存 · Esc 取消 · Alt+N 添加一行'), h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', 'data-testid': 'dialog-cancel', onClick: () => close(null) }, '取消'), submit),
      );
      form.addEventListener('keydown', (e) => {
        if (e.altKey && (e.key === 'n' || e.key === 'N')) {
          e.preventDefault();
          addBtn.click();
        } else if (e.key === 'Enter' && !e.isComposing && e.target.tagName === 'SELECT') {
          e.preventDefault();
          form.requestSubmit();
        }
      });
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        if (submit.disabled) return;
        errorBox.hidden = true;
        submit.disabled = true;
        try {
          close(await onSubmit(head.values(), editor.lines()));
        } catch (err) {
          showFormError(errorBox, err && err.message ? err : { message: String(err) });
        } finally {
          submit.disabled = false;
        }
      });
      return form;
    },
  });
}

// ---------------------------------------------------------------- 入库

export async function openReceipt(ctx) {
  const cat = await catalogue();
  const saved = await docDialogForm({
    title: '入库登记',
    testid: 'sup-receipt-dialog',
    cat,
    intro: cat.rows.length ? null : '物品目录还是空的:请先在「物品目录」中添加物品。',
    fields: [
      { name: 'date', label: '入库日期', type: 'date', required: true, value: today(), testid: 'sup-r-date' },
      { name: 'supplier', label: '供应商', value: '', testid: 'sup-r-supplier' },
      { name: 'invoice_no', label: '发票号', value: '', testid: 'sup-r-invoice' },
      { name: 'receiver', label: '验收人', value: ctx.operator || '', testid: 'sup-r-receiver' },
    ],
    columns: [
      { field: 'qty', label: '数量', numeric: true, placeholder: '20', cls: 'sup-qty-cell' },
      { field: 'unit_price', label: '单价(元)', numeric: true, placeholder: '3.50', cls: 'sup-price-cell' },
      { field: 'note', label: '备注' },
    ],
    linePrefix: 'sup-rl',
    onSubmit: (v, lines) => call('stock_receive', { receipt: { ...v, note: '', lines } }, { quiet: true }),
  });
  if (saved) {
    toast(`已保存入库单 ${saved.number}`, 'success');
    ctx.navigate(`supplies/${(location.hash.split('/')[2] || 'balance')}`);
  }
}

// ---------------------------------------------------------------- 领用

export async function openIssue(ctx) {
  const [cat, options] = await Promise.all([catalogue(), call('supplies_options')]);
  const toOptions = [['', '请选择班级或部门'], ...options.classes.map((c) => [c, c]), ...options.departments.map((d) => [d, d])];
  const saved = await docDialogForm({
    title: '领用登记',
    testid: 'sup-issue-dialog',
    cat,
    fields: [
      { name: 'date', label: '领用日期', type: 'date', required: true, value: today(), testid: 'sup-i-date' },
      { name: 'to', label: '领用部门', type: 'select', required: true, options: toOptions, value: '', testid: 'sup-i-to' },
      { name: 'requester', label: '领用人', required: true, value: '', testid: 'sup-i-requester' },
      { name: 'approver', label: '审批人', value: '', testid: 'sup-i-approver' },
      { name: 'purpose', label: '用途', value: '', placeholder: '如 美术活动', testid: 'sup-i-purpose' },
    ],
    columns: [
      { field: 'qty', label: '数量', numeric: true, placeholder: '5', cls: 'sup-qty-cell' },
      { field: 'trade_in', label: '以旧换新(交回旧品)', numeric: true, placeholder: '不换空着', cls: 'sup-qty-cell' },
      { field: 'note', label: '备注' },
    ],
    linePrefix: 'sup-il',
    onSubmit: (v, lines) => call('stock_issue', { issue: { ...v, handler: '', note: '', lines } }, { quiet: true }),
  });
  if (!saved) return;
  const again = await savedDialog(saved);
  ctx.navigate(`supplies/${(location.hash.split('/')[2] || 'balance')}`);
  if (again) openIssue(ctx);
}

/** 「领用单已保存」: print the slip now, or start another one. Resolves true for another. */
function savedDialog(saved) {
  return modal({
    title: '领用单已保存',
    testid: 'sup-saved-dialog',
    build: ({ close }) => {
      const print = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'sup-print-slip', 'data-autofocus': true }, '打印领用单');
      print.addEventListener('click', async () => {
        print.disabled = true;
        try {
          if (await printSlip(saved.number)) close(false);
        } catch {
          // shown by `call`
        } finally {
          print.disabled = false;
        }
      });
      return h(
        'div',
        null,
        h('div', { class: 'modal-body' }, h('p', null, '领用单号 ', h('b', { 'data-testid': 'sup-saved-number', class: 'mono' }, saved.number), ',请打印后由领用人和审批人签字。'), h('p', { class: 'muted small' }, '一张 A4 纸打印两联(保管员存根、领用部门留存),沿中间虚线裁开。')),
        h(
          'footer',
          { class: 'modal-foot' },
          h('button', { type: 'button', class: 'btn', 'data-testid': 'sup-issue-another', onClick: () => close(true) }, '再登记一张'),
          h('span', { class: 'spacer' }),
          h('button', { type: 'button', class: 'btn', 'data-testid': 'sup-saved-close', onClick: () => close(false) }, '关闭'),
          print,
        ),
      );
    },
  });
}

// ---------------------------------------------------------------- a document, and 冲销

/** Shows a document; resolves true when something changed (a reversal). */
export async function docDialog(id) {
  const d = await call('stock_doc', { id });
  const reversible = d.kind === 'receipt' || d.kind === 'issue';
  return modal({
    title: `${d.kind_label} ${d.number}`,
    testid: 'sup-doc-dialog',
    wide: true,
    build: ({ close }) => {
      const checks = [];
      const rows = d.lines.map((l) => {
        const box = reversible && !l.reversed ? h('input', { type: 'checkbox', 'data-testid': 'sup-doc-line-check', 'aria-label': `选择第 ${l.line_no} 行` }) : null;
        if (box) checks.push([box, l]);
        return h(
          'tr',
          { 'data-testid': 'sup-doc-line' },
          h('td', null, box),
          h('td', { class: 'num' }, String(l.line_no)),
          h('td', { class: 'strong' }, l.item_name),
          h('td', null, l.spec),
          h('td', { class: 'num' }, `${l.qty} ${l.unit}`),
          h('td', { class: 'num' }, l.unit_price === null ? '' : yuan(l.unit_price)),
          h('td', { class: 'num' }, yuan(l.value)),
          h('td', null, [l.trade_in ? `以旧换新,交回 ${l.trade_in}` : '', l.note].filter(Boolean).join(';')),
          h('td', null, l.reversed ? h('span', { class: 'badge amber' }, '已冲销') : null),
        );
      });
      const info = [
        ['日期', d.date],
        d.kind === 'receipt' ? ['供应商', d.supplier] : ['领用部门', d.department],
        d.kind === 'receipt' ? ['发票号', d.invoice_no] : ['领用人', d.requester],
        d.kind === 'receipt' ? ['验收人', d.handler] : ['审批人', d.approver],
        d.kind === 'receipt' ? null : ['用途', d.purpose],
        d.reverses ? ['冲销的单据', d.reverses] : null,
        d.note ? [d.kind === 'reversal' ? '冲销原因' : '备注', d.note] : null,
        ['录入', `${d.created_by} ${d.created_at}`],
      ].filter(Boolean);
      const reverseBtn = reversible && checks.length
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn danger-outline',
              'data-testid': 'sup-doc-reverse',
              onClick: async () => {
                const chosen = checks.filter(([b]) => b.checked).map(([, l]) => l);
                const lines = chosen.length ? chosen : checks.map(([, l]) => l);
                const done = await formDialog({
                  title: `冲销 ${d.number}`,
                  testid: 'sup-reverse-dialog',
                  intro: `冲销${chosen.length ? `所选的 ${chosen.length} 行` : '整张单据(未冲销的各行)'}:${lines.map((l) => `${l.item_name} ${l.qty}${l.unit}`).join('、')}。冲销会另开一张冲销单,原单据不改动。`,
                  submitLabel: '冲销',
                  fields: [
                    { name: 'date', label: '冲销日期', type: 'date', required: true, value: today(), testid: 'sup-reverse-date' },
                    { name: 'reason', label: '冲销原因', required: true, value: '', placeholder: '如 领错规格,已退回库房', testid: 'sup-reverse-reason', wide: true },
                  ],
                  onSubmit: (v) => call('stock_reverse', { reversal: { doc_id: d.id, lines: chosen.map((l) => l.id), date: v.date, reason: v.reason } }, { quiet: true }),
                });
                if (done) {
                  toast(`已冲销,冲销单 ${done.number}`, 'success');
                  close(true);
                }
              },
            },
            '冲销…',
          )
        : null;
      return h(
        'div',
        null,
        h(
          'div',
          { class: 'modal-body' },
          h('dl', { class: 'sup-doc-info' }, info.map(([k, v]) => [h('dt', null, k), h('dd', null, v || '—')])),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table compact' },
              h('thead', null, h('tr', null, ['', '行', '物品', '规格', '数量', '单价', '金额', '备注', ''].map((t, i) => h('th', { class: [4, 5, 6].includes(i) ? 'num' : null }, t)))),
              h('tbody', null, rows),
              h('tfoot', null, h('tr', { class: 'sup-total' }, h('td', { colspan: 6 }, '合计'), h('td', { class: 'num strong' }, yuan(d.total_value)), h('td', { colspan: 2 }))),
            ),
          ),
          d.reversed_by.length ? h('p', { class: 'muted' }, `冲销单:${d.reversed_by.join('、')}`) : null,
          reversible && checks.length ? h('p', { class: 'muted small' }, '登记错了?勾选要冲销的行(不勾选则冲销整张单据),点「冲销」。') : null,
        ),
        h(
          'footer',
          { class: 'modal-foot' },
          reverseBtn,
          h('span', { class: 'spacer' }),
          d.kind === 'issue' ? h('button', { type: 'button', class: 'btn', 'data-testid': 'sup-doc-print-slip', onClick: () => printSlip(d.number).catch(() => {}) }, '打印领用单') : null,
          h('button', { type: 'button', class: 'btn primary', 'data-autofocus': true, onClick: () => close(false) }, '关闭'),
        ),
      );
    },
  });
}
