// 考勤与退费 › 月结: the month's settlement as the core computed it — per class and
// child, the charge and refund of every fee item with the Chinese lines that
// explain it (「为什么」), class and school totals, the 补退/补收 carried from
// closed months, and the month's status. 确认结账 closes the month, 重新打开
// (latest closed month only) needs a reason, 导出 Excel writes the workbook.
// A closed month shows only its confirmed figures; corrections made to its
// attendance since are a separate, labelled comparison below them.
// Every amount shown is the core's; this file only formats fen as yuan.
import { call, pickSavePath } from '../lib/api.js';
import { h, mount, toast, confirmDialog, formDialog, busyButton } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { monthLabel, monthNav, thisMonth, yuan } from './attendance_common.js';

/** Children whose 「为什么」 is open, by month (kept across re-renders). */
const open = new Set();
const filter = { search: '', onlyRefunds: false };

export async function render(body, ctx, picked) {
  const month = picked.month;
  const reload = () => ctx.navigate('attendance/settle');
  const go = (ym) => {
    picked.month = ym;
    reload();
  };
  let view;
  try {
    view = await call('settlement_preview', { month }, { quiet: true });
  } catch (err) {
    if (!ctx.isCurrent()) return;
    mount(
      body,
      h('div', { class: 'toolbar att-toolbar' }, monthNav(month, go, 'settle')),
      h(
        'div',
        { class: 'card settle-error', 'data-testid': 'settle-error' },
        h('div', { class: 'settle-error-icon', svg: icons.alert }),
        h('div', null, h('h2', null, `${monthLabel(month)} 暂时不能结算`), h('p', { 'data-testid': 'settle-error-msg' }, err.message)),
        err.code === 'no_fee_rules'
          ? h('button', { type: 'button', class: 'btn primary', onClick: () => ctx.navigate('settings/fees') }, '去设置收费项目')
          : null,
      ),
    );
    return;
  }
  if (!ctx.isCurrent()) return;
  const r = view.result;
  const closed = view.status === 'closed';
  const latestClosed = closed && view.last_closed === month;

  const exportBtn = busyButton(
    h('button', { type: 'button', class: 'btn', 'data-testid': 'settle-export' }, h('span', { class: 'btn-icon', svg: icons.download }), '导出 Excel'),
    async () => {
      const path = await pickSavePath({ title: '导出月结', defaultPath: `月结-${month}.xlsx`, filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }] });
      if (!path) return;
      await call('settlement_export_xlsx', { month, path });
      toast(`已导出到 ${path}`, 'success');
    },
  );
  const confirmBtn = closed
    ? null
    : h(
        'button',
        {
          type: 'button',
          class: 'btn primary',
          'data-testid': 'settle-confirm',
          onClick: async () => {
            const ok = await confirmDialog({
              title: `确认结账 ${monthLabel(month)}`,
              confirmLabel: '确认结账',
              message: h(
                'div',
                null,
                h('p', null, `全园应收 ${yuan(r.charged)} 元,退费 ${yuan(r.refund)} 元`, view.adjustments.length ? `,以前月份更正 ${yuan(view.adjustment_total)} 元(${view.adjustments.length} 笔)` : '', r.waiver ? `,减免、资助 ${yuan(r.waiver)} 元` : '', '。'),
                h('p', { class: 'muted' }, '结账后本月的金额锁定,作为通知单的依据。之后如果再修改本月考勤,差额会作为补退/补收计入下一个未结账的月份,不会改动已结账的金额。'),
                month >= thisMonth() ? h('p', { class: 'warn-text strong' }, `注意:${monthLabel(month)}还没有过完,通常在月底或下月初考勤录完后再结账。`) : null,
              ),
            });
            if (!ok) return;
            try {
              await call('settlement_confirm', { month });
              toast(`${monthLabel(month)} 已结账`, 'success');
              reload();
            } catch {
              // shown by `call`
            }
          },
        },
        '确认结账',
      );
  const reopenBtn = latestClosed
    ? h(
        'button',
        {
          type: 'button',
          class: 'btn danger-outline',
          'data-testid': 'settle-reopen',
          onClick: async () => {
            const done = await formDialog({
              title: `重新打开 ${monthLabel(month)}`,
              testid: 'reopen-dialog',
              intro: '重新打开后本月回到未结账状态,可以修改后再次结账(记为新的一版)。原因会记入操作记录。',
              submitLabel: '重新打开',
              fields: [{ name: 'reason', label: '原因', type: 'textarea', required: true, testid: 'reopen-reason', placeholder: '例如 家长反映 10 月 12 日实际已到园,需要更正', wide: true }],
              onSubmit: async (v) => {
                await call('settlement_reopen', { month, reason: v.reason }, { quiet: true });
              },
            });
            if (done) {
              toast(`${monthLabel(month)} 已重新打开`, 'success');
              reload();
            }
          },
        },
        '重新打开',
      )
    : null;

  const status = closed
    ? h(
        'div',
        { class: 'settle-status closed', 'data-testid': 'settle-status' },
        h('span', { class: 'badge green' }, '已结账'),
        h('span', null, `第 ${view.revision} 版 · ${view.confirmed_by || '—'} · ${fmtTime(view.confirmed_at)}`),
        h('span', { class: 'muted' }, '金额已锁定;修改本月考勤会作为补退/补收计入下一个未结账月份。'),
      )
    : h(
        'div',
        { class: 'settle-status open', 'data-testid': 'settle-status' },
        h('span', { class: 'badge amber' }, '未结账'),
        h('span', null, '预览:按当前考勤和 ', h('b', null, monthLabel(view.rules_from)), ' 起生效的收费规则计算'),
        view.last_closed ? h('span', { class: 'muted' }, `最近结账:${monthLabel(view.last_closed)}`) : h('span', { class: 'muted' }, '还没有结过账'),
      );

  const search = h('input', { type: 'search', class: 'settle-search', placeholder: '搜索幼儿姓名', value: filter.search, 'data-testid': 'settle-search' });
  const only = h('input', { type: 'checkbox', checked: filter.onlyRefunds, 'data-testid': 'settle-only-refunds' });
  const classesBox = h('div', { class: 'settle-classes' });
  const drawClasses = () => mount(classesBox, classSections(view));
  search.addEventListener('input', () => {
    filter.search = search.value.trim();
    drawClasses();
  });
  only.addEventListener('change', () => {
    filter.onlyRefunds = only.checked;
    drawClasses();
  });
  drawClasses();

  mount(
    body,
    h('div', { class: 'toolbar att-toolbar' }, monthNav(month, go, 'settle'), h('span', { class: 'spacer' }), exportBtn, reopenBtn, confirmBtn),
    h('div', { class: 'settle-view', 'data-testid': 'settle-view', 'data-status': view.status }, status, summary(view), adjustmentsCard(view), pendingCorrectionsCard(view), h(
      'div',
      { class: 'toolbar settle-filter' },
      h('h3', null, '各班明细'),
      h('span', { class: 'spacer' }),
      search,
      h('label', { class: 'check-label' }, only, '只看有退费或更正的幼儿'),
    ), classesBox),
  );
}

function fmtTime(s) {
  if (!s) return '—';
  return String(s).replace('T', ' ').slice(0, 16);
}

function summary(view) {
  const r = view.result;
  const adj = view.adjustment_total;
  return h(
    'div',
    { class: 'settle-summary' },
    h(
      'div',
      { class: 'stats settle-stats' },
      stat('应收合计', yuan(r.charged), '元', 'settle-charged'),
      stat('退费合计', yuan(r.refund), '元', 'settle-refund', 'refund'),
      stat('以前月份更正', `${adj > 0 ? '补退 ' : adj < 0 ? '补收 ' : ''}${yuan(Math.abs(adj))}`, '元', 'settle-adjust', adj ? 'adjust' : ''),
      h(
        'div',
        { class: 'stat settle-days' },
        h('div', { class: 'stat-label' }, '本月天数'),
        h('div', { class: 'settle-daylist' }, h('span', null, '法定工作日 ', h('b', null, r.legal_working_days)), h('span', null, '在园日 ', h('b', null, r.school_days)), r.charged_closure_days ? h('span', null, '停课 ', h('b', null, r.charged_closure_days)) : null),
        r.schedule_known ? null : h('div', { class: 'stat-sub warn-text' }, '本年节假日安排未知,只按周末计算'),
      ),
    ),
    h(
      'div',
      { class: 'card flush settle-fees' },
      h(
        'table',
        { class: 'table compact', 'data-testid': 'settle-fee-totals' },
        h('thead', null, h('tr', null, h('th', null, '收费项目'), h('th', null, '规则'), h('th', { class: 'num' }, '应收(元)'), h('th', { class: 'num' }, '退费(元)'))),
        h(
          'tbody',
          null,
          r.fees.map((f) => {
            const i = view.fees.findIndex((x) => x.id === f.fee_id);
            return h('tr', null, h('td', { class: 'strong' }, f.fee_name), h('td', { class: 'muted rule-text' }, i >= 0 ? view.fee_rules_in_words[i] : ''), h('td', { class: 'num' }, yuan(f.charged)), h('td', { class: 'num refund' }, yuan(f.refund)));
          }),
          h('tr', { class: 'total-row' }, h('td', null, '全园合计'), h('td'), h('td', { class: 'num', 'data-testid': 'school-charged' }, yuan(r.charged)), h('td', { class: 'num refund', 'data-testid': 'school-refund' }, yuan(r.refund))),
        ),
      ),
    ),
  );
}

function stat(label, value, unit, testid, cls = '') {
  return h('div', { class: `stat ${cls}` }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value', 'data-testid': testid }, value, h('small', null, ` ${unit}`)));
}

function adjustmentsCard(view) {
  if (!view.adjustments.length) return null;
  return h(
    'div',
    { class: 'card flush settle-adjustments', 'data-testid': 'settle-adjustments' },
    h(
      'div',
      { class: 'settle-card-head' },
      h('h3', null, '以前月份的更正(补退/补收)'),
      h('span', { class: 'muted small' }, '已结账月份的考勤有修改,差额计入本月;已结账的金额不变。'),
    ),
    adjustmentTable(view.adjustments, 'adj-row', true),
  );
}

/** 补退/补收 lines as a table; `withOrigin` adds the month each one corrects. */
function adjustmentTable(list, rowTestid, withOrigin) {
  const heads = ['类型', ...(withOrigin ? ['原月份'] : []), '班级', '幼儿', '项目', '金额(元)', '说明'];
  return h(
    'table',
    { class: 'table compact' },
    h('thead', null, h('tr', null, heads.map((t) => h('th', { class: t === '金额(元)' ? 'num' : null }, t)))),
    h(
      'tbody',
      null,
      list.map((a) =>
        h(
          'tr',
          { 'data-testid': rowTestid, 'data-child': a.child_id },
          h('td', null, h('span', { class: `badge ${a.amount > 0 ? 'green' : 'red'}` }, a.label)),
          withOrigin ? h('td', null, monthLabel(a.origin_month)) : null,
          h('td', null, a.class),
          h('td', { class: 'strong' }, a.child_name),
          h('td', null, a.fee_name),
          h('td', { class: 'num' }, yuan(Math.abs(a.amount))),
          h('td', { class: 'wrap adj-text' }, a.explanation),
        ),
      ),
    ),
  );
}

/** Closed month only: what its attendance (or waiver) corrections come to, apart from (and never in) the confirmed figures above; the core sums them. */
function pendingCorrectionsCard(view) {
  const list = view.pending_corrections || [];
  if (view.status !== 'closed' || !list.length) return null;
  const total = view.pending_total;
  const what = view.pending_from_waivers ? '考勤或减免' : '考勤';
  const to = view.corrections_go_to ? monthLabel(view.corrections_go_to) : '下一个未结账月份';
  return h(
    'div',
    { class: 'card flush settle-pending', 'data-testid': 'settle-pending-corrections' },
    h(
      'div',
      { class: 'settle-card-head' },
      h('h3', null, `结账后的${what}更正(对照)`),
      h('span', { class: 'badge amber' }, '不计入本月结账金额'),
      h('span', { class: 'muted small', 'data-testid': 'settle-pending-note' }, `本月结账后修改了${what}。以上金额仍是结账时确认的数字;下表的差额将在 ${to} 的月结中${total > 0 ? '补退' : total < 0 ? '补收' : '调整'}。`),
    ),
    adjustmentTable(list, 'pending-row', false),
  );
}

function matches(ch, adjusted) {
  if (filter.search && !ch.name.includes(filter.search)) return false;
  if (filter.onlyRefunds && !(ch.refund > 0 || adjusted.has(ch.child_id))) return false;
  return true;
}

function classSections(view) {
  const r = view.result;
  const adjusted = new Set(view.adjustments.map((a) => String(a.child_id)));
  const feeIds = r.fees.map((f) => f.fee_id);
  const out = r.classes.map((cls) => {
    const kids = r.children.filter((c) => c.class === cls.class && matches(c, adjusted));
    if (!kids.length && (filter.search || filter.onlyRefunds)) return null;
    const head = h(
      'tr',
      null,
      h('th', null, '幼儿'),
      h('th', { class: 'num', title: '本月在园期间的在园日' }, '在园日'),
      h('th', { class: 'num' }, '请假'),
      h('th', { class: 'num' }, '出勤'),
      r.fees.map((f) => [h('th', { class: 'num' }, `${f.fee_name}应收`), h('th', { class: 'num' }, `${f.fee_name}退费`)]),
      h('th', { class: 'num' }, '退费合计'),
      h('th'),
    );
    const rows = [];
    for (const ch of kids) {
      const isOpen = open.has(`${view.month}:${ch.child_id}`);
      const why = h(
        'button',
        { type: 'button', class: `link-btn why-btn${isOpen ? ' open' : ''}`, 'data-testid': 'why-btn', 'aria-expanded': String(isOpen) },
        '为什么',
        h('span', { class: 'why-caret', svg: icons.right }),
      );
      const tr = h(
        'tr',
        { class: `settle-child${ch.refund > 0 ? ' has-refund' : ''}`, 'data-testid': 'settle-child', 'data-child': ch.child_id },
        h('td', { class: 'strong' }, ch.name, adjusted.has(ch.child_id) ? h('span', { class: 'badge blue tiny', title: '有以前月份的更正' }, '更正') : null),
        h('td', { class: 'num' }, ch.enrolled_school_days),
        h('td', { class: 'num' }, ch.absent_school_days || ''),
        h('td', { class: 'num' }, ch.attended_days),
        feeIds.map((id) => {
          const f = ch.fees.find((x) => x.fee_id === id);
          return [h('td', { class: 'num' }, f ? yuan(f.charged) : ''), h('td', { class: `num refund${f && f.refund > 0 ? '' : ' zero'}` }, f ? yuan(f.refund) : '')];
        }),
        h('td', { class: 'num strong refund', 'data-testid': 'child-refund' }, yuan(ch.refund)),
        h('td', { class: 'row-actions' }, why),
      );
      const detail = h('tr', { class: 'why-row', hidden: !isOpen }, h('td', { colspan: 6 + feeIds.length * 2 }, explanation(ch)));
      why.addEventListener('click', () => {
        const key = `${view.month}:${ch.child_id}`;
        const now = !open.has(key);
        if (now) open.add(key);
        else open.delete(key);
        detail.hidden = !now;
        why.classList.toggle('open', now);
        why.setAttribute('aria-expanded', String(now));
      });
      rows.push(tr, detail);
    }
    return h(
      'div',
      { class: 'card flush settle-class', 'data-testid': 'settle-class' },
      h(
        'div',
        { class: 'settle-card-head' },
        h('h3', null, cls.class),
        h('span', { class: 'muted' }, `${cls.children} 人`),
        h('span', { class: 'spacer' }),
        h('span', { class: 'settle-class-total' }, '应收 ', h('b', null, yuan(cls.charged)), ' 元 · 退费 ', h('b', { class: 'refund' }, yuan(cls.refund)), ' 元'),
      ),
      h(
        'div',
        { class: 'table-wrap settle-table-wrap' },
        h(
          'table',
          { class: 'table compact settle-table' },
          h('thead', null, head),
          h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: 6 + feeIds.length * 2, class: 'muted' }, '没有符合条件的幼儿'))),
          h(
            'tfoot',
            null,
            h(
              'tr',
              { class: 'total-row' },
              h('td', { colspan: 4 + feeIds.length * 2 }, '班级合计', h('span', { class: 'muted total-note' }, `${cls.children} 人 · 应收 ${yuan(cls.charged)} 元`)),
              h('td', { class: 'num refund' }, yuan(cls.refund)),
              h('td'),
            ),
          ),
        ),
      ),
    );
  });
  if (out.every((x) => !x)) return h('div', { class: 'card muted' }, '没有符合条件的幼儿。');
  return out;
}

const LINE_ICON = { charge: '收', run: '退', closures: '停', tier: '档', per_30_days: '月', cap: '限', note: '注' };

/** The Chinese explanation lines of every fee item of one child. */
function explanation(ch) {
  return h(
    'div',
    { class: 'why', 'data-testid': 'why-lines' },
    ch.fees.map((f) =>
      h(
        'div',
        { class: 'why-fee' },
        h('div', { class: 'why-fee-head' }, h('b', null, f.fee_name), h('span', { class: 'muted' }, `应收 ${yuan(f.charged)} 元 · 退费 ${yuan(f.refund)} 元`, f.waiver ? ` · 减免 ${yuan(f.waiver)} 元` : '')),
        h(
          'ol',
          { class: 'why-lines' },
          f.lines.map((l) =>
            h(
              'li',
              { class: `why-line k-${l.kind}` },
              h('span', { class: 'why-tag' }, LINE_ICON[l.kind] || '·'),
              h('span', { class: 'why-text', 'data-testid': 'why-line' }, l.text),
              l.kind !== 'note' && l.amount ? h('span', { class: 'why-amt' }, `${yuan(l.amount)} 元`) : null,
            ),
          ),
        ),
      ),
    ),
  );
}
