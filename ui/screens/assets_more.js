// 固定资产 › 调拨交接, 报废, 折旧, 设置.
//  - 调拨交接: every dated movement record; 期初交接/期末移交 of a room.
//  - 报废: requests with the approval level the settings give by value;
//    approve/reject, then record the disposal (the asset leaves the books).
//  - 折旧: the month's depreciation per category and per asset, PDF / Excel.
//  - 设置: number pattern, thresholds, depreciation rule, approval levels,
//    check interval, label sheet; the categories with their useful lives.
import { call } from '../lib/api.js';
import { h, mount, toast, formDialog, emptyState, busyButton, buildFields, showFormError, today } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { yuan, monthNav, thisMonth, monthLabel } from './attendance_common.js';
import { savePdf, saveXlsx, words, moveText } from './assets.js';

// ------------------------------------------------------------------ moves

export async function renderMoves(body, ctx) {
  const [list, rooms] = await Promise.all([call('asset_transfers', { asset_id: null }), call('asset_rooms')]);
  if (!ctx.isCurrent()) return;
  const handover = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'handover', onClick: () => handoverDialog(rooms).then((r) => r && ctx.navigate('assets/moves')) }, '期初交接 / 期末移交');
  mount(
    body,
    h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, '调拨在「资产登记」里选中资产后办理;学期初、学期末按房间整体交接。每次都留下带日期的记录。'), h('span', { class: 'spacer' }), handover),
    h(
      'div',
      { class: 'card flush' },
      list.length
        ? h(
            'table',
            { class: 'table', 'data-testid': 'transfers-table' },
            h('thead', null, h('tr', null, ['日期', '类型', '资产编号', '名称', '变动', '备注', '经办人'].map((t) => h('th', null, t)))),
            h(
              'tbody',
              null,
              list.map((t) =>
                h('tr', { 'data-testid': 'transfer-row' }, h('td', { class: 'mono' }, t.moved_on), h('td', null, t.kind_label), h('td', { class: 'mono' }, t.number), h('td', null, t.name), h('td', null, moveText(t)), h('td', { class: 'muted small' }, t.note), h('td', { class: 'muted small' }, t.recorded_by)),
              ),
            ),
          )
        : emptyState('还没有调拨记录', '在「资产登记」里选中资产后点「调拨」,或在这里办理学期交接。'),
    ),
  );
}

async function handoverDialog(rooms) {
  const sug = await call('asset_suggestions');
  if (!rooms.length) {
    toast('还没有在账的资产', 'error');
    return null;
  }
  return formDialog({
    title: '学期交接',
    testid: 'handover-dialog',
    intro: '房间里每一件在账资产都记一条交接记录,责任人改为接收人。',
    fields: [
      { name: 'room', label: '房间', type: 'select', value: rooms[0].room, testid: 'handover-room', options: rooms.map((r) => [r.room, `${r.room}(${r.cards} 张,责任人 ${r.custodians.join('、') || '—'})`]) },
      {
        name: 'kind',
        label: '类型',
        type: 'radio',
        value: 'handover_start',
        testid: 'handover-kind',
        options: [
          ['handover_start', '期初交接', '学期开始,接收人接管'],
          ['handover_end', '期末移交', '学期结束,移交给接收人'],
        ],
      },
      { name: 'to_custodian', label: '接收人(新责任人)', required: true, testid: 'handover-custodian', list: sug.custodians },
      { name: 'moved_on', label: '交接日期', type: 'date', required: true, value: today(), testid: 'handover-date' },
      { name: 'note', label: '备注', testid: 'handover-note', wide: true },
    ],
    submitLabel: '交接',
    onSubmit: async (v) => {
      const n = await call('asset_handover', { input: v }, { quiet: true });
      toast(`已交接 ${n} 件资产`, 'success');
      return true;
    },
  });
}

// ------------------------------------------------------------------ disposals

/** A disposal request for one card; shows who must approve it. */
export async function disposeDialog(a) {
  const [vocab, level] = await Promise.all([words(), call('disposal_level', { asset_id: a.id })]);
  return formDialog({
    title: `申请报废 · ${a.number} ${a.name}`,
    testid: 'dispose-dialog',
    intro: h('div', null, h('p', null, `原值 ${yuan(a.original)} 元,净值 ${yuan(a.net)} 元。`), h('p', { class: 'strong', 'data-testid': 'dispose-level' }, level)),
    fields: [
      { name: 'method', label: '处置方式', type: 'select', value: 'scrap', testid: 'dispose-method', options: vocab.disposal_methods.filter((m) => m.value !== 'write_off').map((m) => [m.value, m.label]) },
      { name: 'reason', label: '原因', required: true, testid: 'dispose-reason', placeholder: '例如 压缩机损坏,维修费用超过残值', wide: true },
      { name: 'requested_on', label: '申请日期', type: 'date', required: true, value: today(), testid: 'dispose-date' },
      { name: 'note', label: '备注', testid: 'dispose-note' },
    ],
    submitLabel: '提交申请',
    onSubmit: async (v) => {
      await call('disposal_request', { request: { ...v, asset_id: a.id } }, { quiet: true });
      toast(`已提交报废申请:${a.number}(待审批)`, 'success');
      return true;
    },
  });
}

export async function renderDisposals(body, ctx) {
  const list = await call('disposals_list');
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('assets/disposals');
  const badge = { requested: 'amber', approved: 'blue', rejected: 'grey', disposed: 'grey' };
  mount(
    body,
    h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, '在「资产登记」的资产行点「报废」提出申请;审批层级按原值由「设置」决定。批准并处置后,资产从账上减少。')),
    h(
      'div',
      { class: 'card flush' },
      list.length
        ? h(
            'table',
            { class: 'table', 'data-testid': 'disposals-table' },
            h('thead', null, h('tr', null, ['申请日期', '资产编号', '名称', '方式', '原因', h('span', null, '原值'), '审批层级', '状态', '审批人', ''].map((t) => h('th', null, t)))),
            h(
              'tbody',
              null,
              list.map((d) =>
                h(
                  'tr',
                  { 'data-testid': 'disposal-row', 'data-number': d.number },
                  h('td', { class: 'mono' }, d.requested_on),
                  h('td', { class: 'mono' }, d.number),
                  h('td', { class: 'strong' }, d.name),
                  h('td', null, d.method_label),
                  h('td', { class: 'small' }, d.reason),
                  h('td', { class: 'num' }, yuan(d.original)),
                  h('td', { class: 'small' }, d.approval_level),
                  h('td', { 'data-testid': 'disposal-status' }, h('span', { class: `badge ${badge[d.status]}` }, d.status_label), d.disposed_on ? h('small', { class: 'muted' }, ` ${d.disposed_on}`) : null),
                  h('td', null, d.approver || '—'),
                  h(
                    'td',
                    { class: 'row-actions' },
                    d.status === 'requested' ? h('button', { type: 'button', class: 'link-btn', 'data-testid': 'disposal-decide', onClick: () => decideDialog(d).then((r) => r && reload()) }, '审批') : null,
                    d.status === 'approved' ? h('button', { type: 'button', class: 'link-btn danger', 'data-testid': 'disposal-complete', onClick: () => completeDialog(d).then((r) => r && reload()) }, '登记处置') : null,
                  ),
                ),
              ),
            ),
          )
        : emptyState('没有报废申请', '资产需要报废、出售或调出时,在「资产登记」的资产行点「报废」。'),
    ),
  );
}

function decideDialog(d) {
  return formDialog({
    title: `审批报废申请 · ${d.number} ${d.name}`,
    testid: 'decide-dialog',
    intro: `${d.method_label}:${d.reason}。原值 ${yuan(d.original)} 元,需${d.approval_level}。`,
    fields: [
      {
        name: 'approve',
        label: '审批结果',
        type: 'radio',
        value: 'yes',
        testid: 'decide-result',
        options: [
          ['yes', '同意'],
          ['no', '不同意(资产恢复原来的使用状况)'],
        ],
      },
      { name: 'approver', label: '审批人', required: true, testid: 'decide-approver', placeholder: d.approval_level },
      { name: 'decided_on', label: '审批日期', type: 'date', required: true, value: today(), testid: 'decide-date' },
      { name: 'note', label: '审批意见', testid: 'decide-note', wide: true },
    ],
    submitLabel: '保存',
    onSubmit: async (v) => {
      await call('disposal_decide', { id: d.id, approve: v.approve === 'yes', approver: v.approver, decided_on: v.decided_on, note: v.note }, { quiet: true });
      toast(v.approve === 'yes' ? '已批准,处置后请登记处置' : '已驳回', 'success');
      return true;
    },
  });
}

function completeDialog(d) {
  return formDialog({
    title: `登记处置 · ${d.number} ${d.name}`,
    testid: 'complete-dialog',
    intro: '登记后资产从账上减少(已报废),从减少的月份起按折旧规则停止计提。',
    fields: [
      { name: 'disposed_on', label: '处置日期', type: 'date', required: true, value: today(), testid: 'complete-date' },
      { name: 'proceeds', label: '处置收入(元)', testid: 'complete-proceeds', placeholder: '没有可留空' },
    ],
    submitLabel: '登记处置',
    onSubmit: async (v) => {
      await call('disposal_complete', { id: d.id, disposed_on: v.disposed_on, proceeds: v.proceeds }, { quiet: true });
      toast(`${d.number} 已处置`, 'success');
      return true;
    },
  });
}

// ------------------------------------------------------------------ depreciation

const dep = { month: null, details: false };

export async function renderDepreciation(body, ctx) {
  dep.month = dep.month || thisMonth();
  const r = await call('depreciation_report', { month: dep.month });
  if (!ctx.isCurrent()) return;
  const go = (m) => {
    dep.month = m;
    ctx.navigate('assets/depreciation');
  };
  const pdf = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'dep-pdf' }, '导出 PDF'), () =>
    savePdf('保存折旧表', `固定资产折旧表-${dep.month}.pdf`, (path) => call('depreciation_pdf', { month: dep.month, path })),
  );
  const xlsx = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'dep-xlsx' }, '导出 Excel'), () =>
    saveXlsx('保存折旧表', `固定资产折旧表-${dep.month}.xlsx`, (path) => call('depreciation_xlsx', { month: dep.month, path })),
  );
  const details = h('input', { type: 'checkbox', checked: dep.details, 'data-testid': 'dep-details' });
  const detailBox = h('div');
  const drawDetails = () =>
    mount(
      detailBox,
      dep.details
        ? h(
            'div',
            { class: 'card flush' },
            h(
              'table',
              { class: 'table compact', 'data-testid': 'dep-lines' },
              h('thead', null, h('tr', null, ['资产编号', '名称', '类别', '取得日期', h('span', null, '原值'), '年限', '本月折旧', '累计折旧', '净值'].map((t) => h('th', null, t)))),
              h('tbody', null, r.lines.map((l) => h('tr', null, h('td', { class: 'mono' }, l.number), h('td', null, l.name), h('td', null, l.category_name), h('td', { class: 'mono' }, l.acquired_on), h('td', { class: 'num' }, yuan(l.original)), h('td', null, !l.depreciates ? '不折旧' : l.life_months % 12 === 0 ? `${l.life_months / 12} 年` : `${l.life_months} 个月`), h('td', { class: 'num' }, yuan(l.this_month)), h('td', { class: 'num' }, yuan(l.accumulated)), h('td', { class: 'num' }, yuan(l.net))))),
            ),
          )
        : null,
    );
  details.addEventListener('change', () => {
    dep.details = details.checked;
    drawDetails();
  });
  mount(
    body,
    h('div', { class: 'toolbar' }, monthNav(dep.month, go, 'dep'), h('span', { class: 'spacer' }), h('label', { class: 'check-label' }, details, '显示每件资产'), xlsx, pdf),
    h('p', { class: 'muted', 'data-testid': 'dep-rule' }, r.rule_text, ' 规则可在「设置」中修改。'),
    h('p', { class: 'muted', 'data-testid': 'dep-method' }, r.method_text),
    h(
      'div',
      { class: 'card flush' },
      h(
        'table',
        { class: 'table', 'data-testid': 'dep-categories' },
        h('thead', null, h('tr', null, ['类别代码', '类别', '资产数'].map((t) => h('th', null, t)), ['原值', `${monthLabel(dep.month)}折旧`, '累计折旧', '净值'].map((t) => h('th', { class: 'num' }, t)))),
        h(
          'tbody',
          null,
          [...r.categories, r.total].map((c) =>
            h(
              'tr',
              { class: c === r.total ? 'total-row' : null, 'data-testid': c === r.total ? 'dep-total' : 'dep-category' },
              h('td', { class: 'mono' }, c.code),
              h('td', { class: 'strong' }, c.name),
              h('td', { class: 'num' }, c.count),
              h('td', { class: 'num' }, yuan(c.original)),
              h('td', { class: 'num', 'data-testid': 'dep-this-month' }, yuan(c.this_month)),
              h('td', { class: 'num' }, yuan(c.accumulated)),
              h('td', { class: 'num' }, yuan(c.net)),
            ),
          ),
        ),
      ),
    ),
    detailBox,
  );
  drawDetails();
}

// ------------------------------------------------------------------ settings

export async function renderSettings(body, ctx) {
  const [view, categories] = await Promise.all([call('assets_settings_get'), call('asset_categories')]);
  if (!ctx.isCurrent()) return;
  const f = view.form;
  const form = buildFields([
    { name: 'number_pattern', label: '资产编号规则', value: f.number_pattern, testid: 'set-pattern', hint: '{yyyy} 取得年份、{yy}、{mm} 月份、{cat} 类别代码、{seq:4} 4 位流水号。例如 ZC{yyyy}{seq:4} → ZC20250001' },
    { name: 'threshold_general', label: '固定资产起点:通用设备(元)', value: f.threshold_general, testid: 'set-threshold-general', hint: '低于起点的物品建议作为低值易耗品管理' },
    { name: 'threshold_special', label: '固定资产起点:专用设备(元)', value: f.threshold_special, testid: 'set-threshold-special' },
    {
      name: 'depreciation_rule',
      label: '折旧规则',
      type: 'radio',
      value: f.depreciation_rule || '',
      testid: 'set-rule',
      wide: true,
      options: [
        ['', '按学校性质', `公办用政府会计、民办用企业会计(当前:${view.rule_label})`],
        ['government', '政府会计', '当月增加当月计提,当月减少当月不再计提'],
        ['enterprise', '企业会计', '当月增加次月计提,当月减少当月照提'],
      ],
    },
    { name: 'check_interval_months', label: '多久没盘到算长期未盘点(月)', value: String(f.check_interval_months), testid: 'set-check-months' },
    { name: 'label_columns', label: '标签纸每行几张', value: String(f.label_columns), testid: 'set-label-cols' },
    { name: 'label_rows', label: '标签纸每列几张', value: String(f.label_rows), testid: 'set-label-rows', hint: '常用的 A4 24 格标签纸为 3 × 8' },
  ]);
  const levels = f.approval_levels.map((l) => ({ ...l }));
  const levelsBox = h('div', { class: 'levels', 'data-testid': 'set-levels' });
  const drawLevels = () =>
    mount(
      levelsBox,
      levels.map((l, i) => {
        const from = h('input', { type: 'text', value: l.from, 'aria-label': '原值起点', 'data-testid': 'level-from', disabled: i === 0 });
        const who = h('input', { type: 'text', value: l.level, 'aria-label': '审批', 'data-testid': 'level-who' });
        from.addEventListener('input', () => (l.from = from.value));
        who.addEventListener('input', () => (l.level = who.value));
        return h(
          'div',
          { class: 'level-row' },
          h('span', { class: 'muted' }, '原值达到'),
          from,
          h('span', { class: 'muted' }, '元,需'),
          who,
          i > 0 ? h('button', { type: 'button', class: 'link-btn danger', onClick: () => (levels.splice(i, 1), drawLevels()) }, '删除') : null,
        );
      }),
      h('button', { type: 'button', class: 'link-btn', 'data-testid': 'level-add', onClick: () => (levels.push({ from: '', level: '' }), drawLevels()) }, '+ 增加一级'),
    );
  drawLevels();
  const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'set-save' }, '保存设置');
  const el = h('form', { class: 'card', novalidate: true, 'data-testid': 'assets-settings' }, h('h2', null, '固定资产设置'), form.el, h('div', { class: 'field wide' }, h('label', null, '报废审批层级(按原值)'), levelsBox), errorBox, h('div', { class: 'form-actions' }, save));
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorBox.hidden = true;
    save.disabled = true;
    try {
      const v = form.values();
      const num = (x) => (/^\d+$/.test(String(x).trim()) ? Number(x) : -1);
      await call(
        'assets_settings_save',
        {
          form: {
            number_pattern: v.number_pattern,
            threshold_general: v.threshold_general,
            threshold_special: v.threshold_special,
            depreciation_rule: v.depreciation_rule || null,
            approval_levels: levels,
            check_interval_months: num(v.check_interval_months),
            label_columns: num(v.label_columns),
            label_rows: num(v.label_rows),
          },
        },
        { quiet: true },
      );
      toast('设置已保存', 'success');
      ctx.navigate('assets/settings');
    } catch (err) {
      showFormError(errorBox, err);
    } finally {
      save.disabled = false;
    }
  });
  const addCat = h('button', { type: 'button', class: 'btn', 'data-testid': 'category-add', onClick: () => categoryDialog(null).then((r) => r && ctx.navigate('assets/settings')) }, h('span', { class: 'btn-icon', svg: icons.plus }), '新增类别');
  mount(
    body,
    h(
      'div',
      { class: 'assets-settings-grid' },
      el,
      h(
        'div',
        { class: 'card flush' },
        h('div', { class: 'card-head pad' }, h('h2', null, '资产类别'), h('span', { class: 'spacer' }), addCat),
        h(
          'table',
          { class: 'table compact', 'data-testid': 'categories-table' },
          h('thead', null, h('tr', null, ['代码', '名称', '使用年限', '', '卡片', ''].map((t) => h('th', null, t)))),
          h(
            'tbody',
            null,
            categories.map((c) =>
              h(
                'tr',
                { 'data-testid': 'category-row' },
                h('td', { class: 'mono' }, c.code),
                h('td', { class: 'strong' }, c.name),
                h('td', null, c.depreciates ? (c.life_months % 12 === 0 ? `${c.life_months / 12} 年` : `${c.life_months} 个月`) : '不折旧'),
                h('td', { class: 'small muted' }, [c.special ? '专用设备' : '', c.always_register ? '不论价格' : ''].filter(Boolean).join(' · ')),
                h('td', { class: 'num' }, c.asset_count),
                h('td', { class: 'row-actions' }, h('button', { type: 'button', class: 'link-btn', onClick: () => categoryDialog(c).then((r) => r && ctx.navigate('assets/settings')) }, '编辑')),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function categoryDialog(c) {
  return formDialog({
    title: c ? `编辑资产类别 · ${c.name}` : '新增资产类别',
    testid: 'category-dialog',
    intro: '修改使用年限只影响以后登记的卡片;已登记的卡片保留登记时的年限。',
    fields: [
      { name: 'code', label: '类别代码', required: true, value: c?.code, testid: 'category-code', placeholder: '例如 A02010104', hint: 'GB/T 14885-2022 的 9 位代码,或 2010 版 7 位数字代码' },
      { name: 'name', label: '类别名称', required: true, value: c?.name, testid: 'category-name' },
      { name: 'depreciates', label: '计提折旧', type: 'checkbox', value: c ? c.depreciates : true, testid: 'category-depreciates' },
      { name: 'life', label: '使用年限', value: c && c.depreciates ? (c.life_months % 12 === 0 ? String(c.life_months / 12) : `${c.life_months}个月`) : '', testid: 'category-life', placeholder: '年数,如 6' },
      { name: 'special', label: '专用设备(适用专用设备的起点)', type: 'checkbox', value: c?.special, testid: 'category-special' },
      { name: 'always_register', label: '不论价格都登记为固定资产', type: 'checkbox', value: c?.always_register, testid: 'category-always' },
      { name: 'unit', label: '默认计量单位', value: c?.unit, testid: 'category-unit' },
    ],
    onSubmit: async (v) => {
      if (c) await call('asset_category_update', { id: c.id, input: v }, { quiet: true });
      else await call('asset_category_add', { input: v }, { quiet: true });
      toast('资产类别已保存', 'success');
      return true;
    },
  });
}
