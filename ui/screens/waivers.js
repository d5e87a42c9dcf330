// 设置 › 收费项目 › 减免/资助: every child's waivers and subsidies (the kind
// from the settings' kinds, a whole percent or a fixed 元 amount a month, the
// fee item, first and last month, 批准人, 文号), adding one, ending one, and
// the 资助名册 of a term as PDF or .xlsx, cancelling one entered by mistake
// (作废), and the kinds with their usual percents. Amounts are sent as typed; what a
// waiver comes to is computed by the core's settlement, never here.
import { call, pickSavePath } from '../lib/api.js';
import { h, mount, modal, formDialog, toast, emptyState } from '../lib/ui.js';
import { monthLabel, thisMonth } from './attendance_common.js';

/** @param {{ fees: Array<{ id: string, name: string }> }} inForce */
export async function waiversDialog(inForce) {
  await modal({
    title: '减免/资助',
    testid: 'waivers-dialog',
    wide: true,
    build: ({ close }) => {
      const list = h('div', { 'data-testid': 'waivers-list' });
      const redraw = async () => mount(list, table(await call('waivers_list', { filter: {} }), inForce, redraw));
      redraw().catch(() => {});
      return h(
        'div',
        { class: 'modal-form' },
        h('div', { class: 'modal-body' }, list),
        h(
          'footer',
          { class: 'modal-foot' },
          h('button', { type: 'button', class: 'btn', 'data-testid': 'waivers-roster', onClick: () => rosterDialog().catch(() => {}) }, '资助名册'),
          h('button', { type: 'button', class: 'btn', 'data-testid': 'waiver-kinds', onClick: () => kindsDialog().catch(() => {}) }, '减免类别'),
          h('span', { class: 'spacer' }),
          h('button', { type: 'button', class: 'btn', onClick: () => close(null) }, '关闭'),
          h('button', { type: 'button', class: 'btn primary', 'data-testid': 'waiver-add', onClick: () => addDialog(inForce).then((w) => w && redraw()).catch(() => {}) }, '添加减免'),
        ),
      );
    },
  });
}

function table(waivers, inForce, redraw) {
  if (!waivers.length) return emptyState('还没有减免或资助', '点「添加减免」登记批准的减免;结账时按月计算,并在缴费通知单上单独列出。');
  const feeName = (id) => (inForce.fees.find((f) => f.id === id) || { name: id }).name;
  return h(
    'table',
    { class: 'table compact' },
    h('thead', null, h('tr', null, ['幼儿', '项目', '减免', '类别', '月份', '批准人 · 文号', ''].map((t) => h('th', null, t)))),
    h(
      'tbody',
      null,
      waivers.map((w) =>
        h(
          'tr',
          { 'data-testid': `waiver-row-${w.id}` },
          h('td', { title: w.student_no }, w.child),
          h('td', null, feeName(w.fee_id)),
          h('td', { class: 'num' }, w.share_label),
          h('td', { class: 'small wrap' }, w.kind),
          h('td', { class: 'mono small' }, `${w.from}–${w.to}`),
          h('td', { class: 'small wrap' }, w.doc_no ? `${w.approved_by} · ${w.doc_no}` : w.approved_by),
          h(
            'td',
            { class: 'row-actions' },
            h('button', { type: 'button', class: 'link-btn', 'data-testid': `waiver-end-${w.id}`, onClick: () => endDialog(w).then((r) => r && redraw()).catch(() => {}) }, '结束'),
            h('button', { type: 'button', class: 'link-btn danger', 'data-testid': `waiver-cancel-${w.id}`, onClick: () => cancelDialog(w).then((r) => r && redraw()).catch(() => {}) }, '作废'),
          ),
        ),
      ),
    ),
  );
}

async function addDialog(inForce) {
  const [kids, kinds] = await Promise.all([call('children_list', { filter: { include_left: false } }), call('waiver_kinds')]);
  const month = thisMonth();
  return formDialog({
    title: '添加减免/资助',
    testid: 'waiver-add-dialog',
    wide: true,
    intro: '减免比例和每月减免金额填一个;都不填时按类别的默认比例。减免在退费之后计算,不会使应缴金额小于 0。',
    fields: [
      { name: 'child_id', label: '幼儿', type: 'select', required: true, testid: 'waiver-child', options: kids.map((c) => [String(c.id), `${c.class_name} ${c.name}(${c.student_no})`]), value: kids[0] ? String(kids[0].id) : '' },
      { name: 'fee', label: '收费项目', type: 'select', required: true, testid: 'waiver-fee', options: inForce.fees.map((f) => [f.id, f.name]), value: inForce.fees[0] ? inForce.fees[0].id : '' },
      { name: 'kind', label: '类别', type: 'select', required: true, testid: 'waiver-kind', options: kinds.map((k) => [k.name, k.percent ? `${k.name}(默认 ${k.percent}%)` : k.name]), value: kinds[0] ? kinds[0].name : '' },
      { name: 'percent', label: '减免比例(%)', testid: 'waiver-percent', placeholder: '如 50' },
      { name: 'amount', label: '或每月减免金额(元)', testid: 'waiver-amount', placeholder: '如 200.00' },
      { name: 'from', label: '第一个月', required: true, testid: 'waiver-from', value: month, placeholder: '如 2026-09' },
      { name: 'to', label: '最后一个月', required: true, testid: 'waiver-to', value: month, placeholder: '如 2027-01' },
      { name: 'approved_by', label: '批准人', required: true, testid: 'waiver-approved-by' },
      { name: 'doc_no', label: '文号', testid: 'waiver-doc' },
    ],
    submitLabel: '添加',
    onSubmit: async (v) => {
      const percent = String(v.percent || '').trim();
      if (percent && !/^\d{1,3}$/.test(percent)) throw { type: 'Invalid', message: `减免比例须填写 1–100 的整数(现在是“${percent}”),没有保存`, problems: [] };
      const waiver = {
        child_id: Number(v.child_id),
        fee: v.fee,
        kind: v.kind,
        percent: percent ? Number(percent) : null,
        amount: String(v.amount || '').trim() || null,
        from: String(v.from).trim(),
        to: String(v.to).trim(),
        approved_by: v.approved_by,
        doc_no: v.doc_no || '',
      };
      const w = await call('waiver_add', { waiver });
      toast(`已添加:${w.child} ${w.share_label}(${w.kind})`, 'success');
      return w;
    },
  });
}

async function endDialog(w) {
  return formDialog({
    title: `结束减免 · ${w.child}`,
    testid: 'waiver-end-dialog',
    intro: '已结账的月份不变;如果结束月份早于已结账的月份,差额在下一个未结账的月份补收。',
    fields: [{ name: 'last', label: '最后一个月', required: true, testid: 'waiver-last', value: w.to }],
    submitLabel: '结束',
    onSubmit: async (v) => {
      const r = await call('waiver_end', { id: w.id, last: String(v.last).trim() });
      toast(`减免到 ${monthLabel(r.to)} 为止`, 'success');
      return r;
    },
  });
}

async function cancelDialog(w) {
  return formDialog({
    title: `作废减免 · ${w.child}`,
    testid: 'waiver-cancel-dialog',
    intro: `第 ${w.id} 号减免(${w.share_label},${w.kind},${w.from}–${w.to})当作从未批准;操作日志保留原记录和原因。已结账月份不变,已经减免的金额在下一个未结账的月份补收。`,
    fields: [{ name: 'reason', label: '作废原因', required: true, testid: 'waiver-cancel-reason', placeholder: '如 录错了幼儿' }],
    submitLabel: '作废',
    onSubmit: async (v) => {
      const r = await call('waiver_cancel', { id: w.id, reason: String(v.reason || '') });
      toast(`已作废第 ${r.id} 号减免`, 'success');
      return r;
    },
  });
}

// The kinds (减免类别) and each one's usual percent: a setting the 收费公示
// prints and the add dialog offers. A percent left empty: the amount or
// percent is typed on each waiver of that kind.
async function kindsDialog() {
  const kinds = await call('waiver_kinds');
  return modal({
    title: '减免类别',
    testid: 'waiver-kinds-dialog',
    wide: true,
    build: ({ close }) => {
      const body = h('tbody', null);
      const addRow = (k) => {
        const tr = h(
          'tr',
          { class: 'kind-row' },
          h('td', null, h('input', { class: 'input', name: 'name', value: k.name, 'aria-label': '类别名称' })),
          h('td', null, h('input', { class: 'input num', name: 'percent', value: k.percent == null ? '' : String(k.percent), placeholder: '不填:逐条填写', 'aria-label': '默认比例(%)' })),
          h('td', null, h('button', { type: 'button', class: 'link-btn danger', onClick: () => tr.remove() }, '删除')),
        );
        body.append(tr);
      };
      kinds.forEach(addRow);
      const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'waiver-kinds-error' });
      const fail = (/** @type {string} */ text) => {
        error.textContent = text;
        error.hidden = !text;
      };
      fail('');
      const save = async () => {
        fail('');
        const rows = [...body.querySelectorAll('tr')].map((tr) => ({
          name: /** @type {HTMLInputElement} */ (tr.querySelector('[name=name]')).value.trim(),
          percent: /** @type {HTMLInputElement} */ (tr.querySelector('[name=percent]')).value.trim(),
        }));
        const bad = rows.find((r) => r.percent && !/^\d{1,3}$/.test(r.percent));
        if (bad) {
          fail(`“${bad.name}”的默认比例须填写 1–100 的整数(现在是“${bad.percent}”),没有保存`);
          return;
        }
        try {
          const saved = await call('waiver_kinds_save', { kinds: rows.map((r) => ({ name: r.name, percent: r.percent ? Number(r.percent) : null })) }, { quiet: true });
          toast(`已保存 ${saved.length} 个减免类别`, 'success');
          close(saved);
        } catch (e) {
          fail(e && e.message ? e.message : String(e));
        }
      };
      return h(
        'div',
        { class: 'modal-form' },
        h(
          'div',
          { class: 'modal-body' },
          h('p', { class: 'muted small' }, '类别和默认比例按本地资助政策填写;收费公示的“减免、资助”一段由这里生成。已登记的减免不受影响。'),
          h('table', { class: 'table compact', 'data-testid': 'waiver-kinds-table' }, h('thead', null, h('tr', null, ['类别', '默认比例(%)', ''].map((t) => h('th', null, t)))), body),
          h('button', { type: 'button', class: 'link-btn', 'data-testid': 'waiver-kind-add', onClick: () => addRow({ name: '', percent: null }) }, '+ 添加类别'),
          error,
        ),
        h(
          'footer',
          { class: 'modal-foot' },
          h('span', { class: 'spacer' }),
          h('button', { type: 'button', class: 'btn', onClick: () => close(null) }, '取消'),
          h('button', { type: 'button', class: 'btn primary', 'data-testid': 'waiver-kinds-save', onClick: () => save() }, '保存'),
        ),
      );
    },
  });
}

async function rosterDialog() {
  const month = thisMonth();
  return formDialog({
    title: '资助名册',
    testid: 'waiver-roster-dialog',
    intro: '一个学期的受资助幼儿和已结账月份的减免金额,可打印(PDF)或导出(.xlsx)报教育局。',
    fields: [
      { name: 'from', label: '学期第一个月', required: true, testid: 'roster-from', value: month },
      { name: 'to', label: '学期最后一个月', required: true, testid: 'roster-to', value: month },
      { name: 'format', label: '格式', type: 'select', testid: 'roster-format', options: [['pdf', 'PDF(打印)'], ['xlsx', 'Excel(.xlsx)']], value: 'pdf' },
    ],
    submitLabel: '保存',
    onSubmit: async (v) => {
      const ext = v.format === 'xlsx' ? 'xlsx' : 'pdf';
      const path = await pickSavePath({ title: '保存资助名册', defaultPath: `资助名册-${v.from}-${v.to}.${ext}`, filters: [{ name: ext.toUpperCase(), extensions: [ext] }] });
      if (!path) return;
      const r = await call('waiver_roster_save', { from: String(v.from).trim(), to: String(v.to).trim(), path });
      toast(`资助名册:${r.rows.length} 名幼儿,已保存到 ${path}`, 'success');
      if (ext === 'pdf') call('notices_open', { path }, { quiet: true }).catch(() => {});
    },
  });
}
