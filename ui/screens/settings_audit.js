// 设置 › 操作日志: the audit trail, read-only. Filter by date range, person
// and kind of record; newest first, 50 a page; 导出 Excel writes the whole
// filtered list. The filter is kept while the app runs.
import { call, pickSavePath } from '../lib/api.js';
import { h, mount, parseDate, toast, busyButton, emptyState, modal } from '../lib/ui.js';

const PAGE = 50;
const state = { from: '', to: '', operator: '', entity: '', offset: 0 };

function filter() {
  const date = (label, text) => {
    const d = parseDate(text);
    if (d === undefined) throw { type: 'Invalid', message: `“${text.trim()}”不是有效的${label},请按 2025-09-01 的格式填写`, problems: [] };
    return d;
  };
  return {
    from: date('开始日期', state.from),
    to: date('结束日期', state.to),
    operator: state.operator || null,
    entity: state.entity || null,
  };
}

function detail(r) {
  const pretty = (t) => {
    if (!t) return '—';
    try {
      return JSON.stringify(JSON.parse(t), null, 2);
    } catch {
      return t;
    }
  };
  return modal({
    title: `${r.entity_label} · ${r.action_label}`,
    testid: 'audit-detail',
    wide: true,
    build: () =>
      h(
        'div',
        { class: 'modal-body' },
        h('p', null, `${r.at} · ${r.operator || '未指定'} · 记录编号 ${r.entity_id}`),
        h('div', { class: 'two-col' }, h('div', null, h('h3', null, '修改前'), h('pre', { class: 'json' }, pretty(r.before))), h('div', null, h('h3', null, '修改后'), h('pre', { class: 'json' }, pretty(r.after)))),
      ),
  });
}

export async function render(body, ctx) {
  const choices = await call('audit_choices');
  if (!ctx.isCurrent()) return;
  const input = (key, testid) =>
    h('input', { type: 'text', class: 'date-input', inputmode: 'numeric', placeholder: '例如 2025-09-01', 'data-testid': testid, value: state[key], onInput: (e) => (state[key] = e.target.value) });
  const select = (key, testid, all, options) =>
    h(
      'select',
      { 'data-testid': testid, value: state[key], onChange: (e) => (state[key] = e.target.value) },
      h('option', { value: '' }, all),
      options.map(([v, label]) => h('option', { value: v }, label)),
    );
  const table = h('div', { class: 'card flush', 'data-testid': 'audit-result' });
  const load = async () => {
    let f;
    try {
      f = filter();
    } catch (err) {
      toast(err.message, 'error');
      return;
    }
    const page = await call('audit_page', { filter: f, offset: state.offset, limit: PAGE });
    if (!ctx.isCurrent()) return;
    const last = Math.min(page.offset + page.rows.length, page.total);
    const prev = h('button', { type: 'button', class: 'btn small', 'data-testid': 'audit-prev', disabled: page.offset === 0, onClick: () => ((state.offset = Math.max(0, state.offset - PAGE)), load()) }, '上一页');
    const next = h('button', { type: 'button', class: 'btn small', 'data-testid': 'audit-next', disabled: last >= page.total, onClick: () => ((state.offset += PAGE), load()) }, '下一页');
    mount(
      table,
      page.rows.length
        ? [
            h(
              'table',
              { class: 'table compact', 'data-testid': 'audit-table' },
              h('thead', null, h('tr', null, ['时间', '操作人', '记录类型', '编号', '操作', '修改后'].map((t) => h('th', null, t)))),
              h(
                'tbody',
                null,
                page.rows.map((r) =>
                  h(
                    'tr',
                    { 'data-testid': 'audit-row', class: 'clickable', title: '点击查看修改前后的内容', onClick: () => detail(r) },
                    h('td', { class: 'mono' }, r.at),
                    h('td', { 'data-testid': 'audit-operator' }, r.operator || '未指定'),
                    h('td', { 'data-testid': 'audit-entity' }, r.entity_label),
                    h('td', { class: 'mono' }, r.entity_id),
                    h('td', null, r.action_label),
                    h('td', null, h('div', { class: 'audit-change' }, r.after || r.before || '')),
                  ),
                ),
              ),
            ),
            h('div', { class: 'pager' }, h('span', { class: 'muted', 'data-testid': 'audit-count' }, `第 ${page.offset + 1}–${last} 条,共 ${page.total} 条`), prev, next),
          ]
        : emptyState('没有符合条件的记录', '换一个日期范围、操作人或记录类型试试。'),
    );
  };
  const search = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'audit-search', onClick: () => ((state.offset = 0), load()) }, '查询');
  const exportBtn = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'audit-export' }, '导出 Excel'), async () => {
    const f = filter();
    const path = await pickSavePath({ defaultPath: `操作日志${f.from ? `-${f.from}` : ''}${f.to ? `-${f.to}` : ''}.xlsx`, filters: [{ name: 'Excel', extensions: ['xlsx'] }] });
    if (!path) return;
    const n = await call('audit_export', { filter: f, path });
    toast(`已导出 ${n} 条操作记录:${path}`, 'success');
  });
  mount(
    body,
    h('p', { class: 'muted settings-note' }, '每一次修改(金额、请假、库存、资产、设置、用户)都记录操作人、时间和修改前后的内容。这里只能查看和导出,不能修改。'),
    h(
      'div',
      { class: 'audit-filters', 'data-testid': 'audit-filters' },
      h('label', null, '开始日期', input('from', 'audit-from')),
      h('label', null, '结束日期', input('to', 'audit-to')),
      h('label', null, '操作人', select('operator', 'audit-operator-filter', '全部人员', choices.operators.map((o) => [o, o || '未指定']))),
      h('label', null, '记录类型', select('entity', 'audit-entity-filter', '全部类型', choices.entities.map((e) => [e.value, e.label]))),
      search,
      h('span', { class: 'spacer' }),
      exportBtn,
    ),
    table,
  );
  await load();
}
