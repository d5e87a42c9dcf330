// 伙食账: the meal account. Tabs: 公示表 (the month's 伙食费收支公示 as the core
// computed it — income from the settlement, spending by category from the
// kitchen store, the month's and term's balance and profit/loss percentage
// with their bases, red when outside the limit — with PDF/Excel and 公示),
// 进货登记 and 月末盘点 (meal_account_entry.js), and 设置.
// Every amount shown is the core's; this file only formats fen as yuan.
import { call, pickSavePath } from '../lib/api.js';
import { h, mount, toast, confirmDialog, formDialog, busyButton, today } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { monthLabel, monthNav, shiftMonth, thisMonth, yuan } from './attendance_common.js';
import * as entry from './meal_account_entry.js';
import { picked as attendancePicked } from './attendance.js';

// The sidebar icon of this screen (a bowl), registered here so the shared
// icon set needs no edit for it.
icons.meal =
  icons.meal ||
  '<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M3 11h18a9 9 0 0 1-18 0z"/><path d="M7 21h10"/><path d="M9 7c0-1.5 1-2 1-3.5M13 7c0-1.5 1-2 1-3.5"/></svg>';

/** The chosen month survives switching tabs and screens. */
export const picked = { month: null };

const TABS = [
  ['sheet', '公示表'],
  ['purchases', '进货登记'],
  ['count', '月末盘点'],
  ['settings', '设置'],
];

export async function render(view, ctx) {
  if (!picked.month) picked.month = shiftMonth(thisMonth(), -1);
  const tab = TABS.some(([k]) => k === ctx.sub[0]) ? ctx.sub[0] : 'sheet';
  const body = h('div', { class: 'tab-body' });
  mount(
    view,
    h(
      'div',
      { class: 'tabs', role: 'tablist' },
      TABS.map(([k, label]) => h('a', { href: `#/meal/${k}`, class: `tab${k === tab ? ' active' : ''}`, role: 'tab', 'data-testid': `meal-tab-${k}` }, label)),
    ),
    body,
  );
  const go = (ym) => {
    picked.month = ym;
    ctx.navigate(`meal/${tab}`);
  };
  if (tab === 'purchases') await entry.renderPurchases(body, ctx, picked.month, go);
  else if (tab === 'count') await entry.renderCount(body, ctx, picked.month, go);
  else if (tab === 'settings') await entry.renderSettings(body, ctx, picked.month);
  else await renderSheet(body, ctx, picked.month, go);
}

// ------------------------------------------------------------------ 公示表

async function renderSheet(body, ctx, month, go) {
  let s;
  try {
    s = await call('meal_sheet', { month }, { quiet: true });
  } catch (err) {
    if (!ctx.isCurrent()) return;
    mount(
      body,
      h('div', { class: 'toolbar att-toolbar' }, monthNav(month, go, 'meal')),
      h(
        'div',
        { class: 'card settle-error', 'data-testid': 'meal-sheet-error' },
        h('div', { class: 'settle-error-icon', svg: icons.alert }),
        h('div', null, h('h2', null, `${monthLabel(month)} 的公示表暂时不能生成`), h('p', null, err.message)),
        err.code === 'no_fee_rules' || err.code === 'meal_account_settings_missing'
          ? h('button', { type: 'button', class: 'btn primary', onClick: () => ctx.navigate(err.code === 'meal_account_settings_missing' ? 'meal/settings' : 'settings/fees') }, '去设置')
          : null,
      ),
    );
    return;
  }
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('meal/sheet');
  const published = s.publication;

  const pdfBtn = busyButton(
    h('button', { type: 'button', class: 'btn', 'data-testid': 'meal-pdf' }, h('span', { class: 'btn-icon', svg: icons.notices }), '打印 PDF'),
    async () => {
      const path = await pickSavePath({ title: '保存伙食费收支公示', defaultPath: `伙食费收支公示-${month}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
      if (!path) return;
      await call('meal_sheet_pdf', { month, path });
      toast(`已保存到 ${path}`, 'success');
      // Open it in the system viewer, as the notices do; not worth an error if there is none.
      call('notices_open', { path }, { quiet: true }).catch(() => {});
    },
  );
  const xlsxBtn = busyButton(
    h('button', { type: 'button', class: 'btn', 'data-testid': 'meal-xlsx' }, h('span', { class: 'btn-icon', svg: icons.download }), '导出 Excel'),
    async () => {
      const path = await pickSavePath({ title: '导出伙食账', defaultPath: `伙食费收支公示-${month}.xlsx`, filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }] });
      if (!path) return;
      await call('meal_sheet_xlsx', { month, path });
      toast(`已导出到 ${path}`, 'success');
    },
  );
  const publishBtn =
    !published && s.counted
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn primary',
            'data-testid': 'meal-publish',
            onClick: async () => {
              const done = await formDialog({
                title: `公示 ${monthLabel(month)} 伙食费收支表`,
                testid: 'meal-publish-dialog',
                intro: h(
                  'div',
                  null,
                  h('p', null, `本月结余 ${s.balance === null ? '—' : yuan(s.balance)} 元,本月盈亏率 ${s.month_ratio.text},学期累计盈亏率 ${s.term.ratio.text}。`),
                  s.outside ? h('p', { class: 'warn-text strong' }, `注意:有盈亏率超出 ${s.limit_text},请在公示表上说明原因。`) : null,
                  s.settlement_closed ? null : h('p', { class: 'warn-text strong' }, `${monthLabel(month)} 的月结还没有结账:公示前请先结账。`),
                  h('p', { class: 'muted' }, '公示后,这个月的进货和盘点就锁定了,公示表按现在的数字保存。如果以后发现错误,可以撤销公示(须填写原因)后更正。'),
                ),
                submitLabel: '确认公示',
                fields: [{ name: 'date', label: '公示日期', type: 'date', value: today(), required: true, testid: 'meal-publish-date' }],
                onSubmit: async (v) => {
                  await call('meal_publish', { month, date: v.date }, { quiet: true });
                },
              });
              if (done) {
                toast(`${monthLabel(month)} 伙食费收支表已公示`, 'success');
                reload();
              }
            },
          },
          '公示',
        )
      : null;
  const withdrawBtn = published
    ? h(
        'button',
        {
          type: 'button',
          class: 'btn danger-outline',
          'data-testid': 'meal-withdraw',
          onClick: async () => {
            const done = await formDialog({
              title: `撤销 ${monthLabel(month)} 的公示`,
              testid: 'meal-withdraw-dialog',
              intro: '撤销后这个月可以再修改进货和盘点,改好后重新公示。原因会记入操作记录。',
              submitLabel: '撤销公示',
              fields: [{ name: 'reason', label: '原因', type: 'textarea', required: true, wide: true, testid: 'meal-withdraw-reason', placeholder: '例如 10 月 20 日的猪肉进货漏记' }],
              onSubmit: async (v) => {
                await call('meal_withdraw', { month, reason: v.reason }, { quiet: true });
              },
            });
            if (done) {
              toast(`已撤销 ${monthLabel(month)} 的公示`, 'success');
              reload();
            }
          },
        },
        '撤销公示',
      )
    : null;

  // 月结 opens on this month, for 先结账.
  const toSettle = (label) =>
    h(
      'a',
      {
        href: '#/attendance/settle',
        class: 'link',
        'data-testid': 'meal-go-settle',
        onClick: () => {
          attendancePicked.month = month;
        },
      },
      label,
    );
  const status = published
    ? h(
        'div',
        { class: 'settle-status closed', 'data-testid': 'meal-status' },
        h('span', { class: 'badge green' }, '已公示'),
        h('span', null, `${published.published_on} · ${published.published_by}`),
        s.stale
          ? h('span', { class: 'warn-text strong', 'data-testid': 'meal-stale' }, s.stale)
          : h('span', { class: 'muted' }, '显示的是公示时保存的公示表;这个月的进货和盘点已锁定。'),
      )
    : h(
        'div',
        { class: 'settle-status open', 'data-testid': 'meal-status' },
        h('span', { class: 'badge amber' }, '未公示'),
        today() > s.publish_by ? h('span', { class: 'warn-text strong' }, `已过公示期限(${s.publish_by})`) : h('span', null, `请于 ${s.publish_by} 前公示`),
        s.settlement_closed
          ? h('span', { class: 'muted' }, `收入取自已结账的月结${s.settlement_revision ? `(第 ${s.settlement_revision} 版)` : ''}`)
          : h('span', { class: 'warn-text', 'data-testid': 'meal-unsettled' }, '月结尚未确认,收入按当前考勤预览;公示前请先结账:', toSettle('去结账')),
        s.counted ? null : h('span', { class: 'warn-text' }, '尚未月末盘点:', h('a', { href: '#/meal/count', class: 'link' }, '去盘点')),
      );

  mount(
    body,
    h('div', { class: 'toolbar att-toolbar' }, monthNav(month, go, 'meal'), h('span', { class: 'spacer' }), xlsxBtn, pdfBtn, withdrawBtn, publishBtn),
    h(
      'div',
      { class: 'meal-sheet', 'data-testid': 'meal-sheet', 'data-outside': String(s.outside) },
      status,
      keyFigures(s),
      incomeCard(s),
      h('div', { class: 'meal-grid' }, spendCard(s), staffCard(s)),
      explanationCard(s),
    ),
  );
}

function ratioStat(label, r, limitText, testid, sub) {
  return h(
    'div',
    { class: `stat meal-ratio${r.outside ? ' outside' : ''}` },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value', 'data-testid': testid, 'data-outside': String(r.outside) }, r.text),
    h('div', { class: 'stat-sub' }, r.outside ? h('b', { class: 'meal-flag' }, `超出 ${limitText}`) : r.bp === null ? null : h('span', null, `在 ${limitText} 以内`), sub ? h('span', { class: 'meal-base' }, sub) : null),
  );
}

function keyFigures(s) {
  const money = (v) => (v === null || v === undefined ? '—' : yuan(v));
  return h(
    'div',
    { class: 'stats meal-stats' },
    h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, '本月伙食费收入'), h('div', { class: 'stat-value', 'data-testid': 'meal-income' }, yuan(s.income), h('small', null, ' 元')), h('div', { class: 'stat-sub' }, `应收 ${yuan(s.charged)} − 退款 ${yuan(s.refund)}`)),
    h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, '本月结余'), h('div', { class: 'stat-value', 'data-testid': 'meal-balance' }, money(s.balance), h('small', null, ' 元')), h('div', { class: 'stat-sub' }, `幼儿伙食支出 ${money(s.cost)} 元`)),
    ratioStat('本月盈亏率', s.month_ratio, s.limit_text, 'meal-month-ratio', '本月结余 ÷ 本月伙食费收入'),
    ratioStat('学期累计盈亏率', s.term.ratio, s.limit_text, 'meal-term-ratio', `累计结余 ${yuan(s.term.balance)} 元 ÷ 学期收入 ${yuan(s.term.income)} 元(${monthLabel(s.term.from)}起)`),
  );
}

function incomeCard(s) {
  const adj = s.adjustments;
  return h(
    'div',
    { class: 'card flush' },
    h('div', { class: 'settle-card-head' }, h('h3', null, '一、伙食费收入'), h('span', { class: 'muted small' }, s.settlement_closed ? '人日数和金额取自已结账的月结;结账后的考勤更正计入以后月份' : '人日数取自考勤,金额取自月结')),
    h(
      'table',
      { class: 'table compact meal-table', 'data-testid': 'meal-income-table' },
      h(
        'thead',
        null,
        h('tr', null, h('th', { class: 'num' }, '儿童人日数'), h('th', null, '用膳标准'), h('th', { class: 'num' }, '在园天数'), h('th', { class: 'num' }, `应收${s.fee_name}(元)`), h('th', { class: 'num' }, '幼儿退款(元)'), adj ? h('th', { class: 'num' }, '以前月份更正(元)') : null, h('th', { class: 'num' }, '本月伙食费收入(元)'), s.subsidy ? h('th', { class: 'num' }, '其中政府资助(元)') : null),
      ),
      h(
        'tbody',
        null,
        h(
          'tr',
          null,
          h('td', { class: 'num', 'data-testid': 'meal-child-days' }, s.child_days),
          h('td', null, s.rate_text),
          h('td', { class: 'num' }, s.school_days),
          h('td', { class: 'num' }, yuan(s.charged)),
          h('td', { class: 'num refund', 'data-testid': 'meal-refund' }, yuan(s.refund)),
          adj ? h('td', { class: 'num' }, `${adj > 0 ? '补退' : '补收'} ${yuan(Math.abs(adj))}`) : null,
          h('td', { class: 'num strong' }, yuan(s.income)),
          s.subsidy ? h('td', { class: 'num', 'data-testid': 'meal-subsidy' }, yuan(s.subsidy)) : null,
        ),
      ),
    ),
    shortUnrefunded(s),
  );
}

/** 短期缺勤未退: absences under the rule's minimum, charged and kept — inside 应收 and 收入, so a line of its own, not a column. */
function shortUnrefunded(s) {
  const k = s.short_unrefunded;
  if (!k) return null;
  return h(
    'div',
    { class: 'meal-short muted small', 'data-testid': 'meal-short-unrefunded', 'data-fen': k.amount },
    `其中短期缺勤未退${s.fee_name}(连续缺勤不足 ${k.min_run} 天不退):${k.runs} 段、${k.days} 天,`,
    h('strong', null, `${yuan(k.amount)} 元`),
    `。照常收费、按规定不退,已含在应收${s.fee_name}和本月伙食费收入中。`,
  );
}

function spendCard(s) {
  const cell = (v) => (v === null || v === undefined ? h('span', { class: 'muted' }, '未盘点') : yuan(v));
  const row = (l, total) =>
    h(
      'tr',
      { class: total ? 'total-row' : null, 'data-testid': total ? 'meal-spend-total' : 'meal-spend-row', 'data-category': l.category },
      h('td', { class: total ? null : 'strong' }, total ? '合计' : l.category, l.listed === false ? h('small', { class: 'muted' }, '(已不在类别列表中)') : null),
      h('td', { class: 'num' }, yuan(l.opening)),
      h('td', { class: 'num' }, yuan(l.purchases)),
      h('td', { class: 'num' }, cell(l.closing)),
      h('td', { class: 'num' }, cell(l.issued)),
      h('td', { class: 'num' }, yuan(l.staff)),
      h('td', { class: 'num strong' }, cell(l.children)),
    );
  return h(
    'div',
    { class: 'card flush' },
    h('div', { class: 'settle-card-head' }, h('h3', null, '二、幼儿伙食支出'), h('span', { class: 'muted small' }, '按出库计:上月底库存 + 本月购入 − 本月底库存;教工领用单独核算')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table compact meal-table', 'data-testid': 'meal-spend-table' },
        h('thead', null, h('tr', null, h('th', null, '类别'), ['上月底库存', '本月购入', '本月底库存', '本月出库', '其中教工', '幼儿伙食支出'].map((t) => h('th', { class: 'num' }, t)))),
        h('tbody', null, s.categories.map((l) => row(l, false))),
        h('tfoot', null, row(s.total, true)),
      ),
    ),
  );
}

function staffCard(s) {
  const st = s.staff;
  return h(
    'div',
    { class: 'card meal-staff', 'data-testid': 'meal-staff' },
    h('h3', null, '教工伙食(单独核算)'),
    st.recorded
      ? h(
          'dl',
          { class: 'meal-dl' },
          h('dt', null, '用餐人次'),
          h('dd', null, st.meals),
          h('dt', null, '收入'),
          h('dd', null, `${yuan(st.income)} 元`),
          h('dt', null, '支出(领用)'),
          h('dd', null, `${yuan(st.cost)} 元`),
          h('dt', null, '结余'),
          h('dd', { class: 'strong' }, `${yuan(st.balance)} 元`),
        )
      : h('p', { class: 'muted' }, '本月没有记录教工伙食。在「月末盘点」中填写教工用餐人次、收入和各类别的教工领用。'),
    h('p', { class: 'muted small' }, '教工伙食的收入和支出不计入幼儿伙食,不影响盈亏率。'),
  );
}

function explanationCard(s) {
  return h(
    'div',
    { class: 'card' },
    h('h3', null, '说明'),
    h('ol', { class: 'meal-explain', 'data-testid': 'meal-explain' }, s.explanation.map((t) => h('li', null, t))),
  );
}
