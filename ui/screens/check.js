// 体检: every cross-module check of a month, as the core's houqin::check runs
// it (the same list as `houqin check`): what was checked, what could not be,
// and each finding with what to do, grouped by area. Reached from the home
// screen; #/check/2026-11 opens a month.

import { call } from '../lib/api.js';
import { h, mount, emptyState } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { monthNav, shiftMonth, thisMonth } from './attendance_common.js';

/** Where each area's records are kept, for the 去处理 link. */
const AREA_ROUTES = {
  kitchen: 'samples',
  meal_account: 'meal',
  notices: 'notices',
  payments: 'notices',
  supplies: 'supplies',
  assets: 'assets',
};

export async function render(view, ctx) {
  const month = /^\d{4}-\d{2}$/.test(ctx.sub[0] || '') ? ctx.sub[0] : shiftMonth(thisMonth(), -1);
  mount(view, h('div', { class: 'muted' }, '正在检查……'));
  const r = await call('check_run', { month });
  if (!ctx.isCurrent()) return;
  const areas = [];
  for (const f of r.findings) {
    let group = areas.find((a) => a.area === f.area);
    if (!group) {
      group = { area: f.area, label: f.area_label, findings: [] };
      areas.push(group);
    }
    group.findings.push(f);
  }
  mount(
    view,
    h(
      'div',
      { class: 'check', 'data-testid': 'check', 'data-month': month, 'data-count': String(r.findings.length) },
      h('div', { class: 'toolbar' }, monthNav(month, (m) => ctx.navigate(`check/${m}`), 'check'), h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', 'data-testid': 'check-again', onClick: () => ctx.navigate(`check/${month}`) }, '重新检查')),
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'card-head' }, h('h3', null, r.findings.length ? `发现 ${r.findings.length} 个问题` : '没有发现问题')),
        h('p', { class: 'muted small' }, `留样、测温、晨检按日检查 ${r.from} 至 ${r.to}。已检查:${r.checked.join(';')}。`),
        r.skipped.length
          ? h(
              'div',
              { class: 'notice warn', 'data-testid': 'check-skipped' },
              h('span', { svg: icons.alert }),
              h('div', null, r.skipped.map((s) => h('div', null, `未能检查:${s.check}。原因:${s.reason}`))),
            )
          : null,
        r.findings.length ? null : emptyState('一切相符', '各模块的记录互相对得上。'),
      ),
      areas.map((a) =>
        h(
          'div',
          { class: 'card', 'data-testid': 'check-area', 'data-area': a.area },
          h('div', { class: 'card-head' }, h('h3', null, `${a.label}(${a.findings.length})`), h('a', { class: 'link', href: `#/${AREA_ROUTES[a.area] || 'home'}` }, '去处理')),
          h(
            'table',
            { class: 'table' },
            h('thead', null, h('tr', null, h('th', null, '问题'), h('th', null, '日期'), h('th', null, '说明'), h('th', null, '怎么处理'))),
            h(
              'tbody',
              null,
              a.findings.map((f) =>
                h(
                  'tr',
                  { 'data-testid': 'check-finding', 'data-code': f.code },
                  h('td', { class: 'strong' }, f.title),
                  h('td', { class: 'nowrap' }, f.date || ''),
                  h('td', null, f.message),
                  h('td', { class: 'muted small' }, f.fix),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
