// 通知单: the fee notices of a closed month (退本月、收下月), for the whole
// school, a class or one child → one PDF, saved where the user chooses and
// opened in the system viewer. Before printing the screen lists every notice
// with its total, number and how often it was printed (a new print of one
// already printed is marked 补打 on paper), and warns about names no font can
// print. Also: the refund statement (退费明细表) and the notice settings
// (layout, payment text, deadline). Per child, 登记收款 and 收款记录 open the
// payment record (payments.js): a payment changes the 上期欠费/结余 the next
// notice carries. Every amount is the core's; this file only
// formats fen as yuan.
import { call, listen, pickSavePath } from '../lib/api.js';
import { h, mount, modal, toast, formDialog, confirmDialog, emptyState, busyButton } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { monthLabel, shiftMonth, thisMonth, yuan } from './attendance_common.js';
import { picked as attendancePicked } from './attendance.js';
import { recordPayment, showPayments } from './payments.js';

/** What was picked survives re-renders and leaving the screen. */
const picked = { month: null, scope: 'school', classId: null, search: '' };

const OPEN_AFTER = 'houqin.notices.openAfter';

function openAfter() {
  return localStorage.getItem(OPEN_AFTER) !== 'no';
}

/** @returns {import('../types/generated').NoticeScope} */
function scopeArg() {
  return picked.scope === 'class' && picked.classId ? { kind: 'class', class_id: picked.classId } : { kind: 'school' };
}

export async function render(view, ctx) {
  const [months, classes] = await Promise.all([call('notice_months'), call('classes_list')]);
  if (!ctx.isCurrent()) return;
  // Closed months, plus the month after the newest one (still open: picking it
  // shows why notices cannot be printed yet).
  const choices = [...months];
  const next = months.length ? shiftMonth(months[0], 1) : shiftMonth(thisMonth(), -1);
  if (next <= thisMonth()) choices.unshift(next);
  if (!picked.month || !choices.includes(picked.month)) picked.month = months[0] || next;
  if (!classes.some((c) => c.id === picked.classId)) picked.classId = classes.length ? classes[0].id : null;
  const reload = () => ctx.navigate('notices');

  const monthSelect = h(
    'select',
    {
      'data-testid': 'notices-month',
      'aria-label': '结账月份',
      onChange: (e) => {
        picked.month = e.target.value;
        reload();
      },
    },
    choices.map((m) =>
      h('option', { value: m, selected: m === picked.month }, `${monthLabel(m)} 退费 · ${monthLabel(shiftMonth(m, 1))} 收费${months.includes(m) ? '' : '(未结账)'}`),
    ),
  );
  const statementBtn = busyButton(
    h('button', { type: 'button', class: 'btn', 'data-testid': 'notices-statement' }, h('span', { class: 'btn-icon', svg: icons.download }), '退费明细表'),
    () => printStatement(picked.month),
  );
  const settingsBtn = h(
    'button',
    { type: 'button', class: 'btn', 'data-testid': 'notices-settings', onClick: async () => (await editSettings()) && reload() },
    h('span', { class: 'btn-icon', svg: icons.settings }),
    '通知单设置',
  );
  const toolbar = h(
    'div',
    { class: 'toolbar notices-toolbar' },
    h('label', { class: 'notices-month-label' }, '结账月份', monthSelect),
    h('span', { class: 'spacer' }),
    statementBtn,
    settingsBtn,
  );

  if (!choices.length || !classes.length) {
    mount(
      view,
      toolbar,
      h(
        'div',
        { class: 'card' },
        emptyState(
          '还没有可以打印的通知单',
          '通知单退已结账月份的费用、收下个月的费用。请先在「考勤与退费 › 月结」中确认结账。',
          h('button', { type: 'button', class: 'btn primary', onClick: () => ctx.navigate('attendance/settle') }, '去月结'),
        ),
      ),
    );
    return;
  }

  const scopeBox = h(
    'div',
    { class: 'notices-scope', role: 'radiogroup', 'aria-label': '打印范围' },
    scopeRadio('school', '全园', reload),
    scopeRadio('class', '按班级', reload),
    h(
      'select',
      {
        'data-testid': 'notices-class',
        'aria-label': '班级',
        disabled: picked.scope !== 'class',
        onChange: (e) => {
          picked.classId = Number(e.target.value);
          reload();
        },
      },
      classes.map((c) => h('option', { value: c.id, selected: c.id === picked.classId }, c.name)),
    ),
    h('span', { class: 'muted small' }, '单个幼儿:在下表中点「单独打印」'),
  );

  let plan;
  try {
    plan = await call('notices_plan', { month: picked.month, scope: scopeArg() }, { quiet: true });
  } catch (err) {
    if (!ctx.isCurrent()) return;
    mount(
      view,
      toolbar,
      h('div', { class: 'card notices-scope-card' }, scopeBox),
      h(
        'div',
        { class: 'card settle-error notices-refused', 'data-testid': 'notices-refused' },
        h('div', { class: 'settle-error-icon', svg: icons.alert }),
        h(
          'div',
          null,
          h('h2', null, '不能打印这个月的通知单'),
          h('p', { 'data-testid': 'notices-refused-msg' }, err.message),
          err.code === 'month_not_closed'
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'btn primary',
                  onClick: () => {
                    // 月结 opens on the month that needs closing.
                    attendancePicked.month = err.data.month || picked.month;
                    ctx.navigate('attendance/settle');
                  },
                },
                '去月结',
              )
            : null,
          err.code === 'school_profile_missing' ? h('button', { type: 'button', class: 'btn primary', onClick: () => ctx.navigate('settings') }, '去填写学校信息') : null,
        ),
      ),
    );
    return;
  }
  if (!ctx.isCurrent()) return;

  const blocked = plan.unprintable.length > 0;
  const reprints = plan.rows.filter((r) => r.number).length;
  const printBtn = h(
    'button',
    { type: 'button', class: 'btn primary notices-print-btn', 'data-testid': 'notices-print', disabled: blocked, title: blocked ? '有姓名无法打印,请先处理' : null },
    h('span', { class: 'btn-icon', svg: icons.notices }),
    `生成 PDF(${plan.rows.length} 张)`,
  );
  busyButton(printBtn, async () => {
    if (reprints) {
      const ok = await confirmDialog({
        title: '其中有已打印过的通知单',
        confirmLabel: '继续打印',
        message: h(
          'div',
          null,
          h('p', null, `${plan.rows.length} 张中有 ${reprints} 张以前打印过。再次打印时编号不变,纸上标注“补打(第 N 次打印)”。`),
          h('p', { class: 'muted' }, '打印次数会记入通知单记录。'),
        ),
      });
      if (!ok) return;
    }
    const name = picked.scope === 'class' ? classes.find((c) => c.id === picked.classId)?.name || '班级' : '全园';
    if (await printNotices(picked.month, scopeArg(), `缴费通知单-${monthLabel(plan.billing_month)}-${name}.pdf`)) reload();
  });
  const openBox = h('input', { type: 'checkbox', checked: openAfter(), 'data-testid': 'notices-open-after' });
  openBox.addEventListener('change', () => localStorage.setItem(OPEN_AFTER, openBox.checked ? 'yes' : 'no'));

  const search = h('input', { type: 'search', class: 'settle-search', placeholder: '搜索姓名或学号', value: picked.search, 'data-testid': 'notices-search' });
  const tbody = h('tbody');
  const drawRows = () => {
    const q = picked.search;
    const rows = plan.rows.filter((r) => !q || r.child.includes(q) || r.student_no.includes(q));
    mount(tbody, rows.map((r) => row(r, plan, reload)));
  };
  search.addEventListener('input', () => {
    picked.search = search.value.trim();
    drawRows();
  });
  drawRows();

  mount(
    view,
    toolbar,
    h(
      'div',
      { class: 'card notices-scope-card' },
      scopeBox,
      h(
        'div',
        { class: 'notices-print-row' },
        h(
          'div',
          { class: 'notices-basis muted' },
          `${monthLabel(plan.billing_month)}缴费通知单:收 ${monthLabel(plan.billing_month)} 的费用,退 ${monthLabel(plan.month)} 的费用(第 ${plan.revision} 版月结)。`,
          h('br'),
          `版式:${plan.layout === 'a5x2' ? 'A5 两联(每张 A4 纸两张,中间有裁剪线)' : 'A4 纵向,每页一张'}`,
        ),
        h('span', { class: 'spacer' }),
        h('label', { class: 'check-label' }, openBox, '生成后用系统阅读器打开'),
        printBtn,
      ),
    ),
    blocked ? unprintableNotice(plan.unprintable) : null,
    plan.changed
      ? h(
          'div',
          { class: 'notice warn', 'data-testid': 'notices-changed' },
          h('span', { svg: icons.alert }),
          h('div', null, `${plan.changed} 张通知单打印后金额有变化。再次打印时换新编号,并在纸上注明替代的旧编号;旧通知单作废。`),
        )
      : null,
    h(
      'div',
      { class: 'stats notices-stats' },
      stat('通知单', plan.rows.length, '张', 'notices-count'),
      stat('应缴合计', yuan(plan.total_due), '元', 'notices-due'),
      stat('应退合计', yuan(plan.total_refund), '元', 'notices-refund'),
      stat('已打印过', plan.printed, '张', 'notices-printed'),
    ),
    h(
      'div',
      { class: 'card flush' },
      h('div', { class: 'toolbar notices-list-head' }, h('h3', null, '通知单'), h('span', { class: 'spacer' }), search),
      h(
        'table',
        { class: 'table compact notices-table', 'data-testid': 'notices-table' },
        h(
          'thead',
          null,
          h('tr', null, ['班级', '学号', '姓名', '金额(元)', '编号', '打印', ''].map((t, i) => h('th', { class: i === 3 ? 'num' : null }, t))),
        ),
        tbody,
      ),
    ),
  );
}

function scopeRadio(value, label, reload) {
  return h(
    'label',
    { class: `radio notices-radio${picked.scope === value ? ' on' : ''}` },
    h('input', {
      type: 'radio',
      name: 'notices-scope',
      value,
      checked: picked.scope === value,
      'data-testid': `notices-scope-${value}`,
      onChange: () => {
        picked.scope = value;
        reload();
      },
    }),
    h('span', null, h('span', { class: 'radio-label' }, label)),
  );
}

function stat(label, value, unit, testid) {
  return h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value', 'data-testid': testid }, String(value), h('small', null, ` ${unit}`)));
}

function row(r, plan, reload) {
  const due = r.total < 0 ? h('span', { class: 'refund' }, `应退 ${yuan(-r.total)}`) : h('span', null, `应缴 ${yuan(r.total)}`);
  // The previous balance the total includes, on its own line under it.
  const carried = r.balance
    ? h('div', { class: 'notice-carried', 'data-testid': 'notice-carried', 'data-fen': r.balance }, r.balance > 0 ? `含上期欠费 ${yuan(r.balance)}` : `含上期结余 ${yuan(-r.balance)}`)
    : null;
  const printed = r.replaces
    ? h('span', { class: 'badge amber', title: `替代 ${r.replaces}` }, '金额有变')
    : r.print_count
      ? h('span', { class: 'badge blue' }, `已打印 ${r.print_count} 次`)
      : h('span', { class: 'badge grey' }, '未打印');
  const one = h('button', { type: 'button', class: 'btn small', 'data-testid': 'notice-print-one' }, r.print_count ? '补打' : '单独打印');
  busyButton(one, async () => {
    const file = `缴费通知单-${monthLabel(plan.billing_month)}-${r.child}.pdf`;
    if (await printNotices(plan.month, { kind: 'child', child_id: r.child_id }, file)) reload();
  });
  const pay = h('button', { type: 'button', class: 'btn small', 'data-testid': 'notice-pay', title: '登记这名幼儿家长的缴费' }, '登记收款');
  busyButton(pay, async () => {
    if (await recordPayment(r)) reload();
  });
  const history = h('button', { type: 'button', class: 'btn small', 'data-testid': 'notice-payments', title: '收款记录、当前欠费或结余、冲销' }, '收款记录');
  busyButton(history, async () => {
    if (await showPayments(r)) reload();
  });
  return h(
    'tr',
    { 'data-testid': 'notice-row', 'data-child': r.child_id, 'data-count': r.print_count, 'data-left': r.left_on || '' },
    h('td', null, r.class, r.left_on ? h('span', { class: 'badge grey', title: `${r.left_on} 离园:通知单只结算离园当月,不收下月费用` }, '已离园') : null),
    h('td', { class: 'mono' }, r.student_no),
    h('td', { class: 'strong' }, r.child),
    h('td', { class: 'num' }, h('span', { 'data-testid': 'notice-total' }, due), carried),
    h('td', { class: 'mono', 'data-testid': 'notice-number' }, r.number || r.replaces || '—'),
    h('td', { 'data-testid': 'notice-count' }, printed),
    h('td', { class: 'num notices-actions' }, pay, history, one),
  );
}

function unprintableNotice(list) {
  return h(
    'div',
    { class: 'notice warn', 'data-testid': 'notices-unprintable' },
    h('span', { svg: icons.alert }),
    h(
      'div',
      null,
      h('b', null, '以下姓名含有字体缺少的生僻字,打印出来会是空白方框,因此暂不能打印:'),
      h(
        'ul',
        { class: 'notices-unprintable-list' },
        list.map((u) => h('li', null, `“${u.text}”(${u.whose})缺“${u.chars.join('')}”`)),
      ),
      h('div', { class: 'small' }, '请安装含这些字的字体(如 Noto Sans CJK),或设置环境变量 HOUQIN_FALLBACK_FONT 指向这样的字体文件后重新启动;也可以先改用「单独打印」打印其他幼儿。'),
    ),
  );
}

/** Save dialog → print with a progress bar → toast → open. Returns true when printed. */
async function printNotices(month, scope, defaultName) {
  const path = await pickSavePath({ title: '保存通知单 PDF', defaultPath: defaultName, filters: [{ name: 'PDF 文件', extensions: ['pdf'] }] });
  if (!path) return false;
  const printed = await printTo(month, scope, path, false);
  if (printed !== 'earlier_notices_unprinted') return printed;
  return printTo(month, scope, path, true);
}

/**
 * Prints into `path`. Returns true when printed, false when not, or
 * 'earlier_notices_unprinted' when the bursar chose 仍然打印 after being told
 * an earlier month's notices were never printed (the caller prints again with force).
 */
async function printTo(month, scope, path, force) {
  /** @type {(p: any) => void} */
  let setProgress = () => {};
  /** @type {(ok: boolean) => void} */
  let closeProgress = () => {};
  const shown = modal({
    title: '正在生成通知单',
    testid: 'notices-progress',
    dismissable: false,
    build: ({ close }) => {
      closeProgress = close;
      const bar = h('div', { class: 'progress-bar' });
      const label = h('div', { class: 'muted small', 'data-testid': 'notices-progress-text' }, '正在读取月结……');
      setProgress = ({ stage, done, total }) => {
        const pct = stage === 'writing' ? 100 : total ? Math.round((done * 95) / total) : 0;
        bar.style.width = `${pct}%`;
        label.textContent = stage === 'preparing' ? '正在读取月结……' : stage === 'writing' ? '正在写入文件……' : `正在排版 ${done} / ${total} 张`;
      };
      return h('div', { class: 'modal-body' }, h('p', { class: 'path' }, String(path)), h('div', { class: 'progress' }, bar), label);
    },
  });
  const unlisten = await listen('notices-progress', (p) => setProgress(p));
  try {
    const s = await call('notices_print', { month, scope, path, force }, { quiet: true });
    closeProgress(true);
    await shown;
    const parts = [`已生成 ${s.notices} 张通知单(${s.pages} 页)`];
    if (s.reprints) parts.push(`补打 ${s.reprints} 张`);
    if (s.corrected) parts.push(`更正 ${s.corrected} 张`);
    toast(`${parts.join(',')}:${s.path}`, 'success');
    if (openAfter()) await call('notices_open', { path: s.path }).catch(() => {});
    return true;
  } catch (err) {
    closeProgress(false);
    await shown;
    if (err.code === 'earlier_notices_unprinted' && !force) {
      const anyway = await confirmDialog({
        title: `${monthLabel(err.data?.month)}的通知单从未打印`,
        testid: 'notices-earlier-unprinted',
        confirmLabel: '仍然打印',
        message: h('div', null, h('p', { class: 'notices-error-text' }, err.message), h('p', { class: 'muted small' }, '选择“取消”什么都不打印,可以先打印那个月的通知单。')),
      });
      return anyway ? 'earlier_notices_unprinted' : false;
    }
    await modal({
      title: '没有打印',
      testid: 'notices-print-error',
      build: ({ close }) =>
        h(
          'div',
          { class: 'modal-form' },
          h('div', { class: 'modal-body' }, h('p', { class: 'form-error-msg notices-error-text', 'data-testid': 'notices-print-error-msg' }, err.message), h('p', { class: 'muted small' }, '没有生成文件,也没有记录任何通知单。')),
          h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn primary', 'data-autofocus': true, onClick: () => close(null) }, '知道了')),
        ),
    });
    return false;
  } finally {
    unlisten();
  }
}

async function printStatement(month) {
  const path = await pickSavePath({ title: '保存退费明细表 PDF', defaultPath: `退费明细表-${monthLabel(month)}.pdf`, filters: [{ name: 'PDF 文件', extensions: ['pdf'] }] });
  if (!path) return;
  const s = await call('notices_statement', { month, path });
  toast(`已生成${monthLabel(month)}退费明细表${s.closed ? '' : '(未结账,仅供核对)'}:${s.classes} 个班、${s.pages} 页`, 'success');
  if (openAfter()) await call('notices_open', { path: s.path }).catch(() => {});
}

/** 通知单设置: layout, header line, payment text and deadline, refund text, 回执. Resolves true when saved. */
async function editSettings() {
  const s = await call('notice_settings_get');
  const r = await formDialog({
    title: '通知单设置',
    testid: 'notices-settings-dialog',
    wide: true,
    intro: '这些设置印在每一张通知单上,修改会记入操作记录。',
    fields: [
      {
        name: 'layout',
        label: '版式',
        type: 'radio',
        value: s.layout,
        testid: 'notices-layout',
        options: [
          ['a4', 'A4 纵向', '每页一张,说明较多时也不分页'],
          ['a5x2', 'A5 两联', '每张 A4 纸两张,中间有裁剪线,省纸'],
        ],
      },
      { name: 'header_text', label: '标题上方文字', value: s.header_text || '', testid: 'notices-header', wide: true, placeholder: '例如 阳光教育集团 或 园训;留空则不印', hint: '印在学校名称上方的一行,最多 30 个字' },
      { name: 'payment_text', label: '缴费说明', type: 'textarea', value: s.payment_text, testid: 'notices-payment', wide: true, required: true, hint: '缴费方式、账户、备注要求等' },
      { name: 'deadline_day', label: '缴费截止日(下月几号)', value: s.deadline_day ?? '', testid: 'notices-deadline', placeholder: '例如 10;留空则不印截止日期', hint: '1 到 28 日' },
      { name: 'refund_text', label: '应退时的说明', type: 'textarea', value: s.refund_text, testid: 'notices-refund-text', wide: true, required: true },
      { name: 'receipt_stub', label: '印回执', type: 'checkbox', value: Boolean(s.receipt_stub), testid: 'notices-receipt', wide: true, hint: '每张通知单底部加一条可剪下的回执(幼儿姓名、班级、缴费期、金额,家长签字和日期),家长签字后交回' },
    ],
    onSubmit: async (v) => {
      const day = String(v.deadline_day || '').trim();
      if (day && !/^\d+$/.test(day)) throw { type: 'Invalid', message: `缴费截止日“${day}”应是 1 到 28 之间的数字,或留空`, problems: [] };
      await call(
        'notice_settings_save',
        { settings: { layout: v.layout, payment_text: v.payment_text, deadline_day: day ? Number(day) : null, refund_text: v.refund_text, header_text: v.header_text || '', receipt_stub: Boolean(v.receipt_stub) } },
        { quiet: true },
      );
    },
  });
  if (r) toast('通知单设置已保存', 'success');
  return Boolean(r);
}
