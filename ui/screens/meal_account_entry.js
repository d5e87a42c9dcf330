// 伙食账 › 进货登记, 月末盘点 and 设置: entering food deliveries with their
// inspection record (进货查验), the month-end count of the kitchen store with
// the staff kitchen's share and staff meals, and the account's settings.
// Every check (negative amounts, unknown categories, a count that would make
// a category's stock negative) is the core's: its Chinese message is shown in
// the form, and nothing is saved. Amounts are shown as the core sends them.
import { call } from '../lib/api.js';
import { h, mount, modal, toast, confirmDialog, buildFields, showFormError, emptyState, today } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { monthLabel, monthNav, shiftMonth, yuan } from './attendance_common.js';

/** The default date of a new purchase: today if it is in the month, else the month's last day. */
function defaultDate(month) {
  const t = today();
  if (t.slice(0, 7) === month) return t;
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, '0')}`;
}

function lockedNotice(month) {
  return h(
    'div',
    { class: 'notice warn', 'data-testid': 'meal-locked' },
    h('span', { svg: icons.alert }),
    `${monthLabel(month)} 的伙食费收支表已公示,这个月的进货和盘点已锁定。如需更正,请在「公示表」中撤销公示(须填写原因)。`,
  );
}

// ------------------------------------------------------------------ 进货登记

export async function renderPurchases(body, ctx, month, go) {
  const [list, settings, store] = await Promise.all([call('meal_purchases', { month }), call('meal_settings_get'), call('meal_store', { month })]);
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('meal/purchases');
  const suppliers = [...new Set(list.map((p) => p.supplier))];
  const receivers = [...new Set(list.map((p) => p.receiver))];
  const open = async (existing) => {
    const saved = await purchaseDialog({ month, existing, settings, suppliers, receivers });
    if (saved) {
      toast(existing ? '进货记录已修改' : `已登记:${saved.supplier} ${yuan(saved.total)} 元`, 'success');
      reload();
    }
  };
  const addBtn = h(
    'button',
    { type: 'button', class: 'btn primary', 'data-testid': 'meal-purchase-add', disabled: store.published, onClick: () => open(null) },
    h('span', { class: 'btn-icon', svg: icons.plus }),
    '进货登记',
  );
  const totals = store.lines.filter((l) => l.purchases > 0);
  mount(
    body,
    h('div', { class: 'toolbar att-toolbar' }, monthNav(month, go, 'meal'), h('span', { class: 'spacer' }), addBtn),
    store.published ? lockedNotice(month) : null,
    totals.length
      ? h(
          'div',
          { class: 'meal-chips', 'data-testid': 'meal-purchase-totals' },
          totals.map((l) => h('span', { class: 'meal-chip' }, l.category, h('b', null, yuan(l.purchases)))),
          h('span', { class: 'meal-chip total' }, '本月购入合计', h('b', { 'data-testid': 'meal-purchase-total' }, yuan(store.total.purchases))),
        )
      : null,
    list.length
      ? h(
          'div',
          { class: 'card flush' },
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table compact meal-purchases', 'data-testid': 'meal-purchase-list' },
              h(
                'thead',
                null,
                h('tr', null, h('th', null, '日期'), h('th', null, '供货单位'), h('th', null, '品名'), h('th', null, '类别'), h('th', { class: 'num' }, '数量'), h('th', { class: 'num' }, '金额(元)'), h('th', { class: 'wrap' }, '生产日期/批号'), h('th', null, '保质期'), h('th', null, '索证索票'), h('th', null, '验收人'), h('th')),
              ),
              h(
                'tbody',
                null,
                list.map((p) =>
                  p.lines.map((l, i) =>
                    h(
                      'tr',
                      { class: i === 0 ? 'meal-first' : 'meal-cont', 'data-testid': 'meal-purchase-row', 'data-purchase': p.id },
                      h('td', null, i === 0 ? p.date.slice(5) : ''),
                      h('td', { class: 'wrap' }, i === 0 ? p.supplier : ''),
                      h('td', { class: 'strong' }, l.item),
                      h('td', null, l.category),
                      h('td', { class: 'num' }, `${l.quantity} ${l.unit}`),
                      h('td', { class: 'num' }, yuan(l.amount)),
                      h('td', { class: 'mono small' }, l.batch),
                      h('td', null, l.shelf_life),
                      h('td', { class: 'small wrap' }, i === 0 ? p.certificate || h('span', { class: 'badge amber' }, '未索取') : ''),
                      h('td', null, i === 0 ? p.receiver : ''),
                      h(
                        'td',
                        { class: 'row-actions stack' },
                        i === 0 && !store.published
                          ? [
                              h('button', { type: 'button', class: 'link-btn', 'data-testid': 'meal-purchase-edit', onClick: () => open(p) }, '修改'),
                              h(
                                'button',
                                {
                                  type: 'button',
                                  class: 'link-btn danger',
                                  'data-testid': 'meal-purchase-delete',
                                  onClick: async () => {
                                    const ok = await confirmDialog({ title: '删除进货记录', message: `删除 ${p.date} ${p.supplier} 的进货(${p.lines.length} 种,${yuan(p.total)} 元)?`, confirmLabel: '删除', danger: true });
                                    if (!ok) return;
                                    try {
                                      await call('meal_purchase_delete', { id: p.id });
                                      toast('已删除', 'success');
                                      reload();
                                    } catch {
                                      // shown by `call`
                                    }
                                  },
                                },
                                '删除',
                              ),
                            ]
                          : null,
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ),
        )
      : h('div', { class: 'card' }, emptyState(`${monthLabel(month)} 还没有进货记录`, '每次送货后登记:供货单位、验收人、索证索票,以及每种食品的类别、数量、金额、生产日期或批号和保质期。', store.published ? null : h('button', { type: 'button', class: 'btn primary', onClick: () => open(null) }, '进货登记'))),
  );
}

const EMPTY_LINE = { item: '', category: '', quantity: '', unit: 'kg', amount: '', batch: '', shelf_life: '' };

/** The purchase form: header fields and one row per food; resolves with the saved purchase or null. */
function purchaseDialog({ month, existing, settings, suppliers, receivers }) {
  return modal({
    title: existing ? '修改进货记录' : '进货登记',
    testid: 'meal-purchase-dialog',
    wide: true,
    build: ({ close }) => {
      const head = buildFields([
        { name: 'date', label: '进货日期', type: 'date', required: true, value: existing ? existing.date : defaultDate(month), testid: 'meal-p-date' },
        { name: 'supplier', label: '供货单位', required: true, value: existing ? existing.supplier : suppliers[0] || '', list: suppliers, testid: 'meal-p-supplier' },
        { name: 'receiver', label: '验收人', required: true, value: existing ? existing.receiver : receivers[0] || '', list: receivers, testid: 'meal-p-receiver' },
        { name: 'certificate', label: '索证索票', value: existing ? existing.certificate : '', placeholder: '如 送货单、检疫合格证;没有索取就空着', testid: 'meal-p-certificate' },
      ]);
      const rowsBody = h('tbody');
      const addRow = (line) => {
        const l = { ...EMPTY_LINE, ...line };
        const input = (name, attrs = {}) => h('input', { type: 'text', autocomplete: 'off', value: l[name], 'data-field': name, 'data-testid': `meal-line-${name}`, ...attrs });
        const category = h(
          'select',
          { 'data-field': 'category', 'data-testid': 'meal-line-category', value: l.category },
          h('option', { value: '' }, '选择类别'),
          settings.categories.map((c) => h('option', { value: c }, c)),
          l.category && !settings.categories.includes(l.category) ? h('option', { value: l.category }, l.category) : null,
        );
        const tr = h(
          'tr',
          { 'data-testid': 'meal-line' },
          h('td', null, input('item', { placeholder: '如 大米' })),
          h('td', null, category),
          h('td', null, input('quantity', { class: 'num', inputmode: 'decimal', placeholder: '25.5' })),
          h('td', null, input('unit', { class: 'short' })),
          h('td', null, input('amount', { class: 'num', inputmode: 'decimal', placeholder: '130.50' })),
          h('td', null, input('batch', { placeholder: '生产日期或批号' })),
          h('td', null, input('shelf_life', { class: 'short', placeholder: '12个月' })),
          h('td', null, h('button', { type: 'button', class: 'icon-btn', 'aria-label': '删除这一行', title: '删除这一行', tabindex: '-1', onClick: () => (rowsBody.children.length > 1 ? tr.remove() : null) }, '×')),
        );
        category.value = l.category;
        rowsBody.append(tr);
        return tr;
      };
      for (const l of existing ? existing.lines : [EMPTY_LINE]) addRow(l);
      const addBtn = h(
        'button',
        {
          type: 'button',
          class: 'btn small',
          'data-testid': 'meal-line-add',
          onClick: () => {
            const tr = addRow({ unit: 'kg' });
            tr.querySelector('input').focus();
          },
        },
        h('span', { class: 'btn-icon', svg: icons.plus }),
        '添加一行(Alt+N)',
      );
      const note = h('input', { type: 'text', value: existing ? existing.note : '', placeholder: '备注(可不填)', 'data-testid': 'meal-p-note' });
      const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'dialog-error', hidden: true });
      const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'dialog-submit' }, '保存');
      const form = h(
        'form',
        { class: 'modal-form', novalidate: true },
        h(
          'div',
          { class: 'modal-body' },
          head.el,
          h(
            'div',
            { class: 'table-wrap meal-lines' },
            h(
              'table',
              { class: 'table compact' },
              h('thead', null, h('tr', null, ['品名', '类别', '数量', '单位', '金额(元)', '生产日期/批号', '保质期', ''].map((t) => h('th', null, t)))),
              rowsBody,
            ),
          ),
          h('div', { class: 'meal-lines-foot' }, addBtn, note),
          errorBox,
        ),
        h('footer', { class: 'modal-foot' }, h('span', { class: 'muted small' }, 'Enter 保存 · Esc 取消'), h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', 'data-testid': 'dialog-cancel', onClick: () => close(null) }, '取消'), submit),
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
          const v = head.values();
          const lines = [...rowsBody.querySelectorAll('tr')]
            .map((tr) => Object.fromEntries([...tr.querySelectorAll('[data-field]')].map((el) => [el.dataset.field, el.value])))
            // A row left completely empty is not a food; every other row goes to the core as typed.
            .filter((l) => l.item.trim() || l.category || l.quantity.trim() || l.amount.trim());
          const purchase = { ...v, note: note.value, lines };
          const saved = existing
            ? await call('meal_purchase_update', { id: existing.id, purchase }, { quiet: true })
            : await call('meal_purchase_add', { purchase }, { quiet: true });
          close(saved);
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

// ------------------------------------------------------------------ 月末盘点

export async function renderCount(body, ctx, month, go) {
  const store = await call('meal_store', { month });
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('meal/count');
  const locked = store.published;
  const counted = store.count && store.count.kind === 'count';
  const inputs = {};
  const cellInput = (category, field, value, testid) => {
    const el = h('input', { type: 'text', class: 'num', inputmode: 'decimal', autocomplete: 'off', value, disabled: locked, 'data-testid': testid, 'data-category': category, placeholder: field === 'closing' ? '0.00' : '' });
    inputs[`${field}:${category}`] = el;
    return el;
  };
  const money = (v) => (v === null || v === undefined ? '—' : yuan(v));
  // Prefilled as the core formats it; the core reads 1,234.50 back exactly.
  const plain = (fen) => (fen === null || fen === undefined ? '' : yuan(fen));
  const rows = store.lines.map((l) =>
    h(
      'tr',
      { 'data-testid': 'meal-count-row', 'data-category': l.category },
      h('td', { class: 'strong' }, l.category, l.listed ? null : h('small', { class: 'muted' }, '(已不在类别列表中)')),
      h('td', { class: 'num' }, yuan(l.opening)),
      h('td', { class: 'num' }, yuan(l.purchases)),
      h('td', { class: 'num input-cell' }, cellInput(l.category, 'closing', counted ? plain(l.closing) : '', 'meal-count-closing')),
      h('td', { class: 'num input-cell' }, cellInput(l.category, 'staff', counted && l.staff ? plain(l.staff) : '', 'meal-count-staff')),
      h('td', { class: 'num' }, counted ? money(l.issued) : h('span', { class: 'muted' }, '保存后计算')),
      h('td', { class: 'num strong' }, counted ? money(l.children) : ''),
    ),
  );
  const meta = buildFields([
    { name: 'counted_on', label: '盘点日期', type: 'date', required: true, value: store.count ? store.count.counted_on : defaultDate(month), testid: 'meal-count-date' },
    { name: 'counted_by', label: '盘点人', value: store.count ? store.count.counted_by : '', testid: 'meal-count-by', placeholder: '如 周师傅' },
    { name: 'staff_meals', label: '教工用餐人次', value: store.staff ? String(store.staff.meals) : '', testid: 'meal-staff-meals', placeholder: '本月教工用餐总人次' },
    { name: 'staff_income', label: '教工伙食收入(元)', value: store.staff ? plain(store.staff.income) : '', testid: 'meal-staff-income', placeholder: '本月向教工收取的伙食费' },
  ]);
  for (const el of meta.el.querySelectorAll('input')) el.disabled = locked;
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'meal-count-error', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'meal-count-save', disabled: locked }, counted ? '保存修改' : '保存盘点');
  const form = h(
    'form',
    { class: 'meal-count-form', novalidate: true },
    h(
      'div',
      { class: 'card flush' },
      h(
        'div',
        { class: 'settle-card-head' },
        h('h3', null, `${monthLabel(month)} 月末盘点`),
        counted ? h('span', { class: 'badge green', 'data-testid': 'meal-count-status' }, `已盘点 ${store.count.counted_on}${store.count.counted_by ? ` · ${store.count.counted_by}` : ''}`) : h('span', { class: 'badge amber', 'data-testid': 'meal-count-status' }, '未盘点'),
        h('span', { class: 'muted small' }, '按进价填写月底剩余的库存金额;没有剩余的填 0。本月出库 = 上月底库存 + 本月购入 − 月末库存。'),
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table compact meal-table meal-count', 'data-testid': 'meal-count-table' },
          h('thead', null, h('tr', null, h('th', null, '类别'), h('th', { class: 'num' }, '上月底库存'), h('th', { class: 'num' }, '本月购入'), h('th', { class: 'num' }, '月末库存(元)'), h('th', { class: 'num' }, '其中教工领用(元)'), h('th', { class: 'num' }, '本月出库'), h('th', { class: 'num' }, '幼儿伙食支出'))),
          h('tbody', null, rows),
          h(
            'tfoot',
            null,
            h('tr', { class: 'total-row' }, h('td', null, '合计'), h('td', { class: 'num' }, yuan(store.total.opening)), h('td', { class: 'num' }, yuan(store.total.purchases)), h('td', { class: 'num' }, counted ? money(store.total.closing) : ''), h('td', { class: 'num' }, counted ? yuan(store.total.staff) : ''), h('td', { class: 'num', 'data-testid': 'meal-count-issued' }, counted ? money(store.total.issued) : ''), h('td', { class: 'num strong' }, counted ? money(store.total.children) : '')),
          ),
        ),
      ),
    ),
    h('div', { class: 'card meal-count-meta' }, h('h3', null, '盘点信息与教工伙食'), meta.el, errorBox, h('div', { class: 'form-actions' }, h('span', { class: 'muted small' }, 'Enter 保存'), save)),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (save.disabled) return;
    errorBox.hidden = true;
    save.disabled = true;
    try {
      const v = meta.values();
      const lines = store.lines
        .map((l) => ({ category: l.category, closing: inputs[`closing:${l.category}`].value, staff: inputs[`staff:${l.category}`].value }))
        // A category with nothing in it and nothing typed is simply not counted.
        .filter((x, i) => x.closing.trim() || x.staff.trim() || store.lines[i].opening || store.lines[i].purchases);
      await call('meal_count_save', { month, count: { kind: 'count', counted_on: v.counted_on, counted_by: v.counted_by, note: '', lines, staff_meals: v.staff_meals, staff_income: v.staff_income } }, { quiet: true });
      toast(`${monthLabel(month)} 月末盘点已保存`, 'success');
      reload();
    } catch (err) {
      showFormError(errorBox, err && err.message ? err : { message: String(err) });
      save.disabled = false;
    }
  });

  const openingHint =
    !store.opening_from && !counted && !locked
      ? h(
          'div',
          { class: 'notice warn', 'data-testid': 'meal-opening-hint' },
          h('span', { svg: icons.alert }),
          h(
            'span',
            null,
            `${monthLabel(shiftMonth(month, -1))} 没有盘点记录,本月的上月底库存按 0 计算。如果这是开始用本程序记伙食账的第一个月,请先录入期初库存。 `,
            h('button', { type: 'button', class: 'btn small', 'data-testid': 'meal-opening', onClick: () => openingDialog(month, store).then((ok) => ok && reload()) }, '录入期初库存'),
          ),
        )
      : null;
  const deleteBtn =
    store.count && !locked
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn danger-outline',
            'data-testid': 'meal-count-delete',
            onClick: async () => {
              const ok = await confirmDialog({ title: '删除月末盘点', message: `删除 ${monthLabel(month)} 的月末盘点和教工伙食记录?`, confirmLabel: '删除', danger: true });
              if (!ok) return;
              try {
                await call('meal_count_delete', { month });
                toast('已删除', 'success');
                reload();
              } catch {
                // shown by `call`
              }
            },
          },
          '删除盘点',
        )
      : null;
  mount(body, h('div', { class: 'toolbar att-toolbar' }, monthNav(month, go, 'meal'), h('span', { class: 'spacer' }), deleteBtn), locked ? lockedNotice(month) : null, openingHint, form);
  const first = form.querySelector('input:not([disabled])');
  if (first) first.focus();
}

/** 期初库存: the stock at the end of the month before `month`, as its opening stock. */
function openingDialog(month, store) {
  const prev = shiftMonth(month, -1);
  return modal({
    title: `录入期初库存(${monthLabel(prev)}底)`,
    testid: 'meal-opening-dialog',
    build: ({ close }) => {
      const inputs = store.lines.map((l) => ({ category: l.category, el: h('input', { type: 'text', class: 'num', inputmode: 'decimal', placeholder: '0.00', 'data-testid': 'meal-opening-input', 'data-category': l.category }) }));
      const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'dialog-error', hidden: true });
      const form = h(
        'form',
        { class: 'modal-form', novalidate: true },
        h(
          'div',
          { class: 'modal-body' },
          h('div', { class: 'intro' }, `按进价填写 ${monthLabel(prev)} 底厨房仓库里各类食品的金额,作为 ${monthLabel(month)} 的上月底库存。没有的类别空着。`),
          h('table', { class: 'table compact' }, h('tbody', null, inputs.map((i) => h('tr', null, h('td', null, i.category), h('td', { class: 'num' }, i.el))))),
          errorBox,
        ),
        h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', onClick: () => close(null) }, '取消'), h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'dialog-submit' }, '保存')),
      );
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        errorBox.hidden = true;
        const lines = inputs.filter((i) => i.el.value.trim()).map((i) => ({ category: i.category, closing: i.el.value, staff: '' }));
        const [y, m] = prev.split('-').map(Number);
        const last = `${prev}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
        const on = last < today() ? last : today();
        try {
          await call('meal_count_save', { month: prev, count: { kind: 'opening', counted_on: on, counted_by: '', note: '期初库存', lines, staff_meals: '', staff_income: '' } }, { quiet: true });
          toast('期初库存已保存', 'success');
          close(true);
        } catch (err) {
          showFormError(errorBox, err);
        }
      });
      return form;
    },
  });
}

// ------------------------------------------------------------------ 设置

export async function renderSettings(body, ctx, month) {
  const [s, rules] = await Promise.all([call('meal_settings_get'), call('fee_rules_for', { month }, { quiet: true }).catch(() => null)]);
  if (!ctx.isCurrent()) return;
  const fees = rules ? rules.fees.map((f) => [f.id, `${f.name}(${f.id})`]) : [];
  if (!fees.some(([id]) => id === s.fee_id)) fees.unshift([s.fee_id, `${s.fee_id}(当前设置)`]);
  const form = buildFields([
    { name: 'categories', label: '食品类别', type: 'textarea', wide: true, value: s.categories.join('、'), testid: 'meal-set-categories', hint: '用顿号或换行分开,按公示表上的顺序。已有记录的类别删去后,旧记录仍会显示。' },
    { name: 'limit_percent', label: '盈亏率上限(%)', value: s.limit_percent, testid: 'meal-set-limit', hint: '国家规定一学期伙食费盈亏不超过 ±2%;超出的数字在公示表上标红。' },
    { name: 'publish_day', label: '次月几日前公示', value: String(s.publish_day), testid: 'meal-set-day', hint: '首页会提醒在这一天前公示上月的伙食费收支表。' },
    { name: 'fee_id', label: '伙食费对应的收费项目', type: 'select', options: fees, value: s.fee_id, testid: 'meal-set-fee' },
    { name: 'term_start_months', label: '学期开始的月份', value: s.term_start_months.join('、'), testid: 'meal-set-terms', hint: '学期累计结余从这些月份起算,如 2、9(春季学期和秋季学期)。' },
    { name: 'complaint_phone', label: '监督电话', value: s.complaint_phone || '', testid: 'meal-set-phone', hint: '印在公示表底部,家长可以拨打反映伙食问题(如教育局的监督电话);不填则不印。' },
  ]);
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'meal-set-save' }, '保存设置');
  const el = h('form', { class: 'card narrow', novalidate: true }, h('h2', null, '伙食账设置'), form.el, errorBox, h('div', { class: 'form-actions' }, save));
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorBox.hidden = true;
    const v = form.values();
    const split = (t) => String(t).split(/[、,,\s]+/).map((x) => x.trim()).filter(Boolean);
    const day = Number(v.publish_day);
    const months = split(v.term_start_months).map(Number);
    if (!Number.isInteger(day) || months.some((m) => !Number.isInteger(m))) {
      showFormError(errorBox, { message: '公示日和学期开始月份请填写整数', problems: [] });
      return;
    }
    try {
      await call('meal_settings_save', { settings: { categories: split(v.categories), limit_percent: v.limit_percent, publish_day: day, fee_id: v.fee_id, term_start_months: months, complaint_phone: v.complaint_phone } }, { quiet: true });
      toast('伙食账设置已保存', 'success');
    } catch (err) {
      showFormError(errorBox, err);
    }
  });
  mount(body, el);
}
