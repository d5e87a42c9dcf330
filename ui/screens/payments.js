// 收款登记, opened from the 通知单 list: a child's payments and refunds with the
// balance they leave (已开具的通知单合计 − 已收款: 欠费 or 结余), recording a
// payment (amount typed in 元 and parsed by the core) and reversing a wrong
// entry (冲销) with a reason. Entries are never edited or deleted. A 收款 has
// a receipt (收据) numbered by the core when it is recorded: 打印收据 on its
// row, and right after recording. Every amount shown is the core's; this
// file only formats fen as yuan.
import { call, pickSavePath } from '../lib/api.js';
import { h, mount, modal, toast, formDialog, today } from '../lib/ui.js';
import { yuan } from './attendance_common.js';

const METHODS = [
  ['wechat', '微信'],
  ['alipay', '支付宝'],
  ['cash', '现金'],
  ['bank', '银行转账'],
  ['other', '其他'],
];
const KINDS = { payment: '收款', refund: '退款', reversal: '冲销' };

/** The balance in words: 欠费 / 结余 / 已结清. */
export function balanceText(fen) {
  if (fen > 0) return `欠费 ${yuan(fen)} 元`;
  if (fen < 0) return `结余 ${yuan(-fen)} 元`;
  return '已结清';
}

/** 登记收款 for `child` ({child_id, child, student_no}). Resolves true when saved. */
export async function recordPayment(child) {
  // What the family owes (or has in credit) is shown before the amount is typed.
  let owes = '';
  try {
    const b = await call('payment_balance', { child_id: child.child_id }, { quiet: true });
    owes = `当前${balanceText(b.balance)}。`;
  } catch {
    // The dialog still works without it; the list shows the balance after saving.
  }
  const saved = await formDialog({
    title: `登记收款 · ${child.child}`,
    testid: 'payment-dialog',
    submitLabel: '登记',
    intro: h('span', null, `${child.child}(学号 ${child.student_no})。`, h('b', { 'data-testid': 'payment-owes' }, owes), '登记后不能修改或删除,登记错了请用「冲销」。'),
    fields: [
      { name: 'amount', label: '金额(元)', required: true, testid: 'payment-amount', placeholder: '例如 1234.50' },
      { name: 'paid_on', label: '日期', type: 'date', required: true, value: today(), testid: 'payment-date' },
      {
        name: 'kind',
        label: '类型',
        type: 'radio',
        value: 'payment',
        testid: 'payment-kind',
        options: [
          ['payment', '收款', '家长缴给学校'],
          ['refund', '退款', '学校退还给家长'],
        ],
      },
      { name: 'method', label: '方式', type: 'select', value: 'wechat', testid: 'payment-method', options: METHODS },
      { name: 'note', label: '备注', testid: 'payment-note', wide: true, placeholder: '例如 微信转账单号后四位' },
    ],
    onSubmit: (v) =>
      call(
        'payment_add',
        { payment: { child_id: child.child_id, kind: v.kind, paid_on: v.paid_on, amount: v.amount, method: v.method, note: v.note || '' } },
        { quiet: true },
      ),
  });
  if (saved) {
    toast(`已登记${KINDS[saved.kind]} ${yuan(Math.abs(saved.amount))} 元:${child.child}`, 'success');
    if (saved.receipt) await offerReceipt(saved);
  }
  return Boolean(saved);
}

/** Right after a 收款 is recorded: print its receipt now, or later from the list. */
async function offerReceipt(p) {
  const now = await modal({
    title: `收据 ${p.receipt}`,
    testid: 'receipt-offer',
    build: ({ close }) =>
      h(
        'div',
        { class: 'modal-form' },
        h('div', { class: 'modal-body' }, h('div', { class: 'confirm-text' }, `${p.child} ${yuan(p.amount)} 元已登记,收据编号 ${p.receipt}。现在打印收据交给家长吗?以后也可以在收款记录中打印。`)),
        h(
          'footer',
          { class: 'modal-foot' },
          h('span', { class: 'spacer' }),
          h('button', { type: 'button', class: 'btn', 'data-testid': 'receipt-later', onClick: () => close(false) }, '以后再打'),
          h('button', { type: 'button', class: 'btn primary', 'data-testid': 'receipt-print-now', 'data-autofocus': true, onClick: () => close(true) }, '打印收据'),
        ),
      ),
  });
  if (now === true) await printReceipt(p);
}

/** Asks where to save the receipt of 收款 `p`, prints it (a reprint says 补打) and opens it. Resolves true when written. */
export async function printReceipt(p) {
  const path = await pickSavePath({ title: '保存收据 PDF', defaultPath: `收据-${p.receipt}.pdf`, filters: [{ name: 'PDF 文件', extensions: ['pdf'] }] });
  if (!path) return false;
  const r = await call('payment_receipt_print', { which: String(p.id), path });
  const marks = [r.reprints ? '补打' : '', r.voided ? '作废' : ''].filter(Boolean).join('、');
  toast(`已打印收据 ${p.receipt}${marks ? `(${marks})` : ''}:${r.path}`, 'success');
  // The same choice as for notices: open the PDF after printing unless turned off there.
  if (localStorage.getItem('houqin.notices.openAfter') !== 'no') await call('notices_open', { path: r.path }, { quiet: true }).catch(() => {});
  return true;
}

/** 冲销 one entry with a reason. Resolves true when reversed. */
async function reversePayment(p) {
  const done = await formDialog({
    title: `冲销第 ${p.id} 号${KINDS[p.kind]}`,
    testid: 'payment-reverse-dialog',
    submitLabel: '冲销',
    intro: `${p.paid_on} ${METHODS.find((m) => m[0] === p.method)?.[1] || ''} ${yuan(Math.abs(p.amount))} 元。冲销会登记一条金额相反的记录,原记录保留。`,
    fields: [{ name: 'reason', label: '冲销原因', required: true, wide: true, testid: 'payment-reason', placeholder: '例如 金额录错,应为 1,150.00' }],
    onSubmit: (v) => call('payment_reverse', { reversal: { id: p.id, reason: v.reason || '' } }, { quiet: true }),
  });
  if (done) toast(`已冲销第 ${p.id} 号记录`, 'success');
  return Boolean(done);
}

/** A child's payments and balance, with 登记收款 and 冲销. Resolves true if anything was recorded. */
export async function showPayments(child) {
  let changed = false;
  await modal({
    title: `收款记录 · ${child.child}`,
    testid: 'payments-dialog',
    wide: true,
    build: ({ close }) => {
      const body = h('div', { class: 'modal-body payments-body' });
      const refresh = async () => {
        const [list, b] = await Promise.all([
          call('payments_list', { filter: { child_id: child.child_id } }),
          call('payment_balance', { child_id: child.child_id }),
        ]);
        const addBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'payments-add', 'data-autofocus': true }, '登记收款');
        addBtn.addEventListener('click', async () => {
          if (await recordPayment(child)) {
            changed = true;
            await refresh();
          }
        });
        mount(
          body,
          h(
            'div',
            { class: 'toolbar' },
            h(
              'div',
              null,
              h('div', { class: 'strong', 'data-testid': 'payments-balance', 'data-fen': b.balance }, `当前${balanceText(b.balance)}`),
              h('div', { class: 'muted small' }, `已开具通知单 ${b.notices} 张,合计 ${yuan(b.billed)} 元;已收款 ${yuan(b.paid)} 元。`),
            ),
            h('span', { class: 'spacer' }),
            addBtn,
          ),
          list.length
            ? h(
                'table',
                { class: 'table compact', 'data-testid': 'payments-table' },
                h('thead', null, h('tr', null, ['编号', '日期', '类型', '方式', '金额(元)', '备注', '收据', ''].map((t, i) => h('th', { class: i === 4 ? 'num' : null }, t)))),
                h(
                  'tbody',
                  null,
                  list.map((p) =>
                    entryRow(
                      p,
                      async () => {
                        if (await reversePayment(p)) {
                          changed = true;
                          await refresh();
                        }
                      },
                      async () => {
                        if (await printReceipt(p)) await refresh();
                      },
                    ),
                  ),
                ),
              )
            : h('p', { class: 'muted', 'data-testid': 'payments-empty' }, '还没有收款记录。'),
        );
      };
      refresh();
      return h(
        'div',
        { class: 'modal-form' },
        body,
        h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', 'data-testid': 'payments-close', onClick: () => close(null) }, '关闭')),
      );
    },
  });
  return changed;
}

function entryRow(p, onReverse, onReceipt) {
  const receipt = p.receipt
    ? h(
        'span',
        { class: 'receipt-cell' },
        h('span', { class: 'mono', 'data-testid': 'payment-receipt-no', 'data-prints': p.receipt_prints }, p.receipt),
        p.receipt_prints ? null : h('span', { class: 'badge', 'data-testid': 'receipt-unprinted' }, '未打印'),
        h('button', { type: 'button', class: 'btn small', 'data-testid': 'payment-receipt', onClick: onReceipt }, p.receipt_prints ? '补打收据' : '打印收据'),
      )
    : '';
  const state = p.reverses
    ? h('span', { class: 'badge grey' }, `冲销第 ${p.reverses} 号`)
    : p.reversed_by
      ? h('span', { class: 'badge grey' }, `已被第 ${p.reversed_by} 号冲销`)
      : h('button', { type: 'button', class: 'btn small', 'data-testid': 'payment-reverse', onClick: onReverse }, '冲销');
  return h(
    'tr',
    { 'data-testid': 'payment-row', 'data-id': p.id, 'data-fen': p.amount },
    h('td', { class: 'mono' }, String(p.id)),
    h('td', { class: 'mono' }, p.paid_on),
    h('td', null, KINDS[p.kind]),
    h('td', null, METHODS.find((m) => m[0] === p.method)?.[1] || ''),
    h('td', { class: 'num', 'data-testid': 'payment-amount-cell' }, yuan(p.amount)),
    h('td', null, p.note),
    h('td', null, receipt),
    h('td', { class: 'num' }, state),
  );
}
