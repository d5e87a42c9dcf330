// 考勤与退费: the month grid of a class (children × days), kept fast for the
// keyboard — arrows move, Shift+arrows select, B/S/Q (or 1/2/3) mark 病/事/其他,
// Delete clears, and every key is saved at once as one transaction; the grid
// is then drawn again from what the core answers. Ctrl+Z undoes the last
// change (the core answers each change with the changes that undo it). A
// closed month's grid is read-only until 更正 mode is turned on with a reason,
// which the core keeps with every change. Also the 请假登记 dialog, 导入请假,
// and the 月结 tab (attendance_settle.js).
import { call } from '../lib/api.js';
import { h, mount, formDialog, modal, toast, problemsTable, emptyState, dialogOpen, today } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { chooseImportFile } from '../lib/import_dialog.js';
import { shiftMonth, thisMonth, monthNav, KINDS, kindLabel, WEEKDAYS } from './attendance_common.js';
import * as settle from './attendance_settle.js';

/** Chosen month and class survive switching tabs and screens. */
export const picked = { month: null, classId: null };

const TABS = [
  ['grid', '考勤表'],
  ['settle', '月结'],
];

export async function render(view, ctx) {
  if (!picked.month) picked.month = shiftMonth(thisMonth(), -1);
  const tab = TABS.some(([k]) => k === ctx.sub[0]) ? ctx.sub[0] : 'grid';
  const body = h('div', { class: 'tab-body' });
  mount(
    view,
    h(
      'div',
      { class: 'tabs', role: 'tablist' },
      TABS.map(([k, label]) =>
        h('a', { href: `#/attendance/${k}`, class: `tab${k === tab ? ' active' : ''}`, role: 'tab', 'data-testid': `att-tab-${k}` }, label),
      ),
    ),
    body,
  );
  if (tab === 'settle') await settle.render(body, ctx, picked);
  else await renderGrid(body, ctx);
}

// ------------------------------------------------------------------ the grid

async function renderGrid(body, ctx) {
  const classes = await call('classes_list');
  if (!ctx.isCurrent()) return;
  if (!classes.length) {
    mount(
      body,
      h(
        'div',
        { class: 'card' },
        emptyState(
          '还没有班级',
          '先在「幼儿与班级」中建好班级、录入幼儿,再来记考勤。',
          h('button', { type: 'button', class: 'btn primary', onClick: () => ctx.navigate('children/classes') }, '去建班级'),
        ),
      ),
    );
    return;
  }
  if (!classes.some((c) => c.id === picked.classId)) picked.classId = classes[0].id;
  const month = picked.month;
  const classId = picked.classId;
  const grid = await call('attendance_grid', { month, class_id: classId });
  if (!ctx.isCurrent()) return;

  const reload = () => ctx.navigate('attendance/grid');
  const go = (ym) => {
    picked.month = ym;
    reload();
  };
  const classSelect = h(
    'select',
    {
      'data-testid': 'att-class',
      'aria-label': '班级',
      value: String(classId),
      onChange: (e) => {
        picked.classId = Number(e.target.value);
        reload();
      },
    },
    classes.map((c) => h('option', { value: String(c.id) }, c.name)),
  );

  const editor = new GridEditor(grid, { month, classId, isCurrent: ctx.isCurrent });
  const toolbar = h(
    'div',
    { class: 'toolbar att-toolbar' },
    monthNav(month, go),
    h('label', { class: 'att-class-pick' }, h('span', { class: 'muted' }, '班级'), classSelect),
    h('span', { class: 'spacer' }),
    h(
      'button',
      { type: 'button', class: 'btn', 'data-testid': 'att-import', onClick: () => importAbsences().then((ok) => ok && reload()) },
      h('span', { class: 'btn-icon', svg: icons.upload }),
      '导入请假',
    ),
    h(
      'button',
      { type: 'button', class: 'btn primary', 'data-testid': 'att-leave', onClick: () => editor.leaveDialog() },
      h('span', { class: 'btn-icon', svg: icons.plus }),
      '请假登记',
    ),
  );
  mount(body, toolbar, editor.el);
  // PageUp/PageDown change the month from anywhere on the screen.
  body.addEventListener('keydown', (e) => {
    if (dialogOpen() || e.target.tagName === 'SELECT' || e.target.tagName === 'INPUT') return;
    if (e.key === 'PageUp' || e.key === 'PageDown') {
      e.preventDefault();
      go(shiftMonth(month, e.key === 'PageUp' ? -1 : 1));
    }
  });
  editor.focus();
}

const KEYMAP = {
  b: 'sick',
  1: 'sick',
  s: 'personal',
  2: 'personal',
  q: 'other',
  3: 'other',
};
const CODEMAP = { KeyB: 'sick', Digit1: 'sick', Numpad1: 'sick', KeyS: 'personal', Digit2: 'personal', Numpad2: 'personal', KeyQ: 'other', Digit3: 'other', Numpad3: 'other' };

/** The grid with its cursor, selection and the stats above it. */
class GridEditor {
  constructor(grid, { month, classId, isCurrent }) {
    this.grid = grid;
    this.month = month;
    this.classId = classId;
    this.isCurrent = isCurrent;
    this.cursor = null; // {r, c}
    this.anchor = null;
    this.dragging = false;
    this.queue = Promise.resolve();
    this.saving = 0;
    // 更正 mode: the reason for changing a closed month (null: off).
    this.correction = null;
    // Each saved change's undo: {changes, reason}, newest last.
    this.undoStack = [];
    this.undoBtn = h('button', { type: 'button', class: 'btn small', title: '撤销上一次修改(Ctrl+Z)', 'data-testid': 'att-undo', disabled: true, onMousedown: (e) => e.preventDefault(), onClick: () => this.undo() }, '撤销');
    this.stats = h('div', { class: 'att-stats' });
    this.banner = h('div');
    this.selInfo = h('span', { class: 'att-selinfo', 'data-testid': 'att-selinfo' });
    this.saveState = h('span', { class: 'att-save muted', 'data-testid': 'att-save-state' }, '每次按键立即保存');
    this.scroll = h('div', { class: 'att-scroll' });
    const actions = [
      ...KINDS.map((k) =>
        h('button', { type: 'button', class: `btn small att-mark k-${k.key}`, title: `标记为${k.label}(${k.keys})`, 'data-testid': `att-mark-${k.key}`, onMousedown: (e) => e.preventDefault(), onClick: () => this.apply(k.key) }, h('b', null, k.short), k.label),
      ),
      h('button', { type: 'button', class: 'btn small', title: '清除(Delete)', 'data-testid': 'att-mark-clear', onMousedown: (e) => e.preventDefault(), onClick: () => this.apply(null) }, '清除'),
    ];
    this.el = h(
      'div',
      { class: 'att-wrap' },
      this.banner,
      this.stats,
      h(
        'div',
        { class: 'card flush att-card' },
        h('div', { class: 'att-selbar' }, this.selInfo, h('span', { class: 'att-actions' }, actions, this.undoBtn), h('span', { class: 'spacer' }), this.saveState),
        this.scroll,
        h(
          'div',
          { class: 'att-help muted small' },
          h('span', null, h('kbd', null, '←↑→↓'), ' 移动'),
          h('span', null, h('kbd', null, 'Shift'), '+方向键 或 鼠标拖动 选择多格'),
          h('span', null, h('kbd', null, 'B'), '/', h('kbd', null, '1'), ' 病假'),
          h('span', null, h('kbd', null, 'S'), '/', h('kbd', null, '2'), ' 事假'),
          h('span', null, h('kbd', null, 'Q'), '/', h('kbd', null, '3'), ' 其他'),
          h('span', null, h('kbd', null, 'Delete'), ' 清除'),
          h('span', null, h('kbd', null, 'Ctrl'), '+', h('kbd', null, 'Z'), ' 撤销'),
          h('span', null, h('kbd', null, 'Enter'), ' 按所选日期登记请假'),
        ),
      ),
    );
    this.draw();
  }

  focus() {
    if (this.table) this.table.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- drawing

  draw() {
    const g = this.grid;
    this.drawBanner();
    const makeup = g.days.filter((d) => d.kind === 'make_up_workday').length;
    const closures = g.days.filter((d) => d.charged_closure).length;
    mount(
      this.stats,
      h('div', { class: 'pill green' }, '在园日 ', h('b', { 'data-testid': 'att-school-days' }, g.school_days), ' 天'),
      h('div', { class: 'pill' }, '人天数 ', h('b', { 'data-testid': 'att-child-days' }, g.child_days)),
      h('div', { class: 'pill' }, '幼儿 ', h('b', { 'data-testid': 'att-children' }, g.rows.length), ' 人'),
      makeup ? h('div', { class: 'pill blue' }, '调休上班 ', h('b', null, makeup), ' 天') : null,
      closures ? h('div', { class: 'pill amber' }, '停课 ', h('b', null, closures), ' 天') : null,
      h('span', { class: 'spacer' }),
      h(
        'div',
        { class: 'att-legend' },
        KINDS.map((k) => h('span', null, h('i', { class: `att-sw k-${k.key}` }, k.short), k.label)),
        h('span', null, h('i', { class: 'att-sw off' }), '休息日'),
        h('span', null, h('i', { class: 'att-sw makeup' }, '班'), '调休上班'),
        h('span', null, h('i', { class: 'att-sw closure' }, '停'), '停课'),
        h('span', null, h('i', { class: 'att-sw out' }), '不在园'),
      ),
    );
    if (!g.rows.length) {
      this.table = null;
      this.cells = null;
      mount(this.scroll, emptyState('这个班本月没有在园幼儿', '在「幼儿与班级」中把幼儿分到这个班,或换一个月份看看。'));
      this.drawSelection();
      return;
    }
    const colClass = g.days.map((d) => {
      const cls = [];
      if (!d.school_day) cls.push('off');
      if (d.kind === 'make_up_workday') cls.push('makeup');
      if (d.charged_closure) cls.push('closure');
      if (d.weekday >= 6) cls.push('weekend');
      if (d.weekday === 1) cls.push('wk');
      return cls.join(' ');
    });
    const dayTitle = (d) => {
      const bits = [`${d.date} 周${WEEKDAYS[d.weekday]}`];
      if (d.holiday_name) bits.push(d.holiday_name);
      if (d.kind === 'make_up_workday') bits.push('调休上班');
      if (d.closure_reason) bits.push(`${d.charged_closure ? '停课' : '放假'}:${d.closure_reason}`);
      if (!d.school_day) bits.push('不是在园日');
      return bits.join(' · ');
    };
    const head = h(
      'tr',
      null,
      h('th', { class: 'att-name-h' }, '幼儿'),
      g.days.map((d, c) =>
        h(
          'th',
          { class: `att-day ${colClass[c]}`, title: dayTitle(d), 'data-c': c },
          h('div', { class: 'att-dnum' }, Number(d.date.slice(8))),
          h('div', { class: 'att-dow' }, d.kind === 'make_up_workday' ? '班' : d.charged_closure ? '停' : WEEKDAYS[d.weekday]),
        ),
      ),
      h('th', { class: 'att-sum-h', title: '本月请假的在园日天数' }, '缺勤'),
      h('th', { class: 'att-sum-h', title: '本月出勤天数' }, '出勤'),
    );
    this.cells = [];
    this.headCells = [...head.querySelectorAll('th.att-day')];
    this.nameCells = [];
    const rows = g.rows.map((row, r) => {
      const tds = row.cells.map((kind, c) => {
        const cls = ['att-cell', colClass[c]];
        if (!row.enrolled[c]) cls.push('out');
        if (kind) cls.push(`k-${kind}`);
        const k = kind ? KINDS.find((x) => x.key === kind) : null;
        const td = h(
          'td',
          {
            class: cls.join(' '),
            'data-testid': 'att-cell',
            'data-r': r,
            'data-c': c,
            'data-date': g.days[c].date,
            'data-child': row.child_id,
            'data-kind': kind || '',
            'aria-disabled': row.enrolled[c] ? null : 'true',
            title: `${row.name} ${dayTitle(g.days[c])}${kind ? ` · ${kindLabel(kind)}` : ''}${row.enrolled[c] ? '' : ' · 不在园'}`,
          },
          k ? k.short : '',
        );
        return td;
      });
      this.cells.push(tds);
      const nameCell = h('th', { class: 'att-name', scope: 'row', 'data-testid': 'att-name', title: `${row.name} 学号 ${row.student_no}` }, row.name);
      this.nameCells.push(nameCell);
      return h(
        'tr',
        { 'data-testid': 'att-row', 'data-child': row.child_id, 'data-no': row.student_no },
        nameCell,
        tds,
        h('td', { class: `att-sum${row.absent_school_days ? ' has' : ''}`, 'data-testid': 'att-absent' }, row.absent_school_days),
        h('td', { class: 'att-sum' }, row.attended_days),
      );
    });
    const foot = h(
      'tr',
      { class: 'att-foot', 'data-testid': 'att-present-row' },
      h('th', { class: 'att-name' }, '出勤人数'),
      g.present.map((n, c) => h('td', { class: `att-present ${colClass[c]}`, 'data-testid': 'att-present' }, g.days[c].school_day && !g.days[c].charged_closure ? n : '')),
      h('td', { class: 'att-sum', colspan: 2, title: '人天数:本月每天出勤人数之和' }, h('small', null, '人天 '), g.child_days),
    );
    const table = h('table', { class: 'att-grid', tabindex: '0', 'data-testid': 'att-grid', 'aria-label': '考勤表', 'aria-multiselectable': 'true' }, h('thead', null, head), h('tbody', null, rows), h('tfoot', null, foot));
    table.addEventListener('keydown', (e) => this.onKey(e));
    table.addEventListener('mousedown', (e) => this.onMouseDown(e));
    table.addEventListener('mouseover', (e) => this.onMouseOver(e));
    table.addEventListener('dblclick', (e) => {
      if (e.target.closest('td.att-cell')) this.leaveDialog();
    });
    table.addEventListener('focus', () => {
      if (!this.cursor) this.setCursor(this.firstCell(), false);
    });
    const hadFocus = this.table && document.activeElement === this.table;
    mount(this.scroll, table);
    this.table = table;
    this.drawSelection();
    if (hadFocus) this.focus();
  }

  /** A closed month: read-only, or 更正 mode with its reason and the way out. */
  drawBanner() {
    const g = this.grid;
    if (!g.closed) {
      mount(this.banner);
      return;
    }
    const correcting = this.correction !== null;
    mount(
      this.banner,
      h(
        'div',
        { class: `notice ${correcting ? 'info att-correcting' : 'warn'} att-closed`, 'data-testid': 'closed-banner', 'data-correcting': String(correcting), role: 'status' },
        h('span', { svg: icons.alert }),
        correcting
          ? h('div', null, h('b', null, '更正模式:'), '原因「', h('span', { 'data-testid': 'att-correct-reason' }, this.correction), '」记入每一次修改的操作记录。更正不改动已结账的金额,差额计入下一个未结账月份的补退/补收。')
          : h('div', null, h('b', null, '本月已结账,考勤表只读:'), '要修改考勤,请先点「更正」并填写原因;差额计入下一个未结账月份的补退/补收,已结账的金额、月结和公示的人天数都不变。考勤表显示当前考勤(含更正)。'),
        h('span', { class: 'spacer' }),
        correcting
          ? h('button', { type: 'button', class: 'btn small', 'data-testid': 'att-correct-end', onClick: () => this.endCorrection() }, '结束更正')
          : h('button', { type: 'button', class: 'btn small primary', 'data-testid': 'att-correct', onClick: () => this.startCorrection() }, '更正'),
      ),
    );
  }

  async startCorrection() {
    const reason = await formDialog({
      title: '更正已结账月份的考勤',
      testid: 'correct-dialog',
      intro: '本月已结账。更正考勤不会改动已结账的金额,差额作为补退/补收计入下一个未结账的月份。原因会记入每一次修改的操作记录。',
      submitLabel: '开始更正',
      fields: [{ name: 'reason', label: '更正原因', type: 'textarea', required: true, testid: 'correct-reason', placeholder: '例如 家长补交了 11 月 12 日至 20 日的病假条', wide: true }],
      onSubmit: async (v) => {
        const text = String(v.reason || '').trim();
        if (!text) throw { type: 'Invalid', message: '请填写更正原因', problems: [] };
        if ([...text].length > 200) throw { type: 'Invalid', message: '更正原因最多 200 个字', problems: [] };
        return text;
      },
    });
    if (typeof reason === 'string') {
      this.correction = reason;
      this.drawBanner();
    }
    this.focus();
  }

  endCorrection() {
    this.correction = null;
    this.drawBanner();
    this.focus();
  }

  /** A closed month outside 更正 mode: say how to change it, change nothing. */
  locked() {
    if (!this.grid.closed || this.correction !== null) return false;
    toast('本月已结账,考勤表只读。要修改,请先点「更正」并填写原因。');
    return true;
  }

  firstCell() {
    const g = this.grid;
    const todayIdx = g.days.findIndex((d) => d.date === today());
    const c = todayIdx >= 0 ? todayIdx : Math.max(0, g.days.findIndex((d) => d.school_day));
    return { r: 0, c };
  }

  range() {
    if (!this.cursor) return null;
    const a = this.anchor || this.cursor;
    return {
      r0: Math.min(a.r, this.cursor.r),
      r1: Math.max(a.r, this.cursor.r),
      c0: Math.min(a.c, this.cursor.c),
      c1: Math.max(a.c, this.cursor.c),
    };
  }

  drawSelection() {
    const sel = this.range();
    if (this.cells) {
      for (const row of this.cells) for (const td of row) td.classList.remove('sel', 'cur');
      for (const th of [...this.headCells, ...this.nameCells]) th.classList.remove('hl');
      if (sel) {
        // Guides: the selected days in the header, the selected children's names.
        for (let c = sel.c0; c <= sel.c1; c++) this.headCells[c].classList.add('hl');
        for (let r = sel.r0; r <= sel.r1; r++) this.nameCells[r].classList.add('hl');
        for (let r = sel.r0; r <= sel.r1; r++) for (let c = sel.c0; c <= sel.c1; c++) this.cells[r][c].classList.add('sel');
        const cur = this.cells[this.cursor.r][this.cursor.c];
        cur.classList.add('cur');
        cur.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      }
    }
    if (!sel || !this.grid.rows.length) {
      mount(this.selInfo, h('span', { class: 'muted' }, '点击格子或用方向键选择日期'));
      return;
    }
    const g = this.grid;
    const days = sel.c1 - sel.c0 + 1;
    const kids = sel.r1 - sel.r0 + 1;
    const from = g.days[sel.c0].date;
    const to = g.days[sel.c1].date;
    const who = kids === 1 ? g.rows[sel.r0].name : `${kids} 名幼儿`;
    const when = days === 1 ? `${Number(from.slice(5, 7))}月${Number(from.slice(8))}日 周${WEEKDAYS[g.days[sel.c0].weekday]}` : `${Number(from.slice(5, 7))}月${Number(from.slice(8))}日 至 ${Number(to.slice(8))}日(${days} 天)`;
    mount(this.selInfo, h('b', null, who), ' · ', when);
  }

  setCursor(pos, extend) {
    const g = this.grid;
    if (!g.rows.length) return;
    const r = Math.max(0, Math.min(g.rows.length - 1, pos.r));
    const c = Math.max(0, Math.min(g.days.length - 1, pos.c));
    this.cursor = { r, c };
    if (!extend) this.anchor = { r, c };
    this.drawSelection();
  }

  // ---------------------------------------------------------------- input

  onKey(e) {
    if (dialogOpen() || e.isComposing) return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.code === 'KeyZ' || String(e.key).toLowerCase() === 'z')) {
      e.preventDefault();
      this.undo();
      return;
    }
    const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (moves[e.key] && !e.altKey && !e.metaKey) {
      e.preventDefault();
      const [dr, dc] = moves[e.key];
      const cur = this.cursor || this.firstCell();
      if (!this.cursor) this.setCursor(cur, false);
      // Ctrl+←/→ jump a week.
      const step = e.ctrlKey && dc ? 7 : 1;
      this.setCursor({ r: cur.r + dr * step, c: cur.c + dc * step }, e.shiftKey);
      return;
    }
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const cur = this.cursor || this.firstCell();
      this.setCursor({ r: cur.r, c: e.key === 'Home' ? 0 : this.grid.days.length - 1 }, e.shiftKey);
      return;
    }
    if (e.key === 'Escape') {
      if (this.cursor) this.setCursor(this.cursor, false);
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      this.leaveDialog();
      return;
    }
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      this.apply(null);
      return;
    }
    const kind = KEYMAP[String(e.key).toLowerCase()] || CODEMAP[e.code];
    if (kind) {
      e.preventDefault();
      this.apply(kind);
    }
  }

  cellAt(target) {
    const td = target.closest && target.closest('td.att-cell');
    if (!td || !this.table.contains(td)) return null;
    return { r: Number(td.dataset.r), c: Number(td.dataset.c) };
  }

  onMouseDown(e) {
    if (e.button !== 0) return;
    const pos = this.cellAt(e.target);
    if (!pos) return;
    e.preventDefault(); // no text selection while dragging
    this.focus();
    this.setCursor(pos, e.shiftKey && Boolean(this.anchor));
    this.dragging = true;
    document.addEventListener('mouseup', () => (this.dragging = false), { once: true });
  }

  onMouseOver(e) {
    if (!this.dragging) return;
    const pos = this.cellAt(e.target);
    if (pos && (!this.cursor || pos.r !== this.cursor.r || pos.c !== this.cursor.c)) this.setCursor(pos, true);
  }

  // ---------------------------------------------------------------- saving

  /** One change per child and run of enrolled days in the selection. */
  changesFor(kind) {
    const sel = this.range();
    if (!sel) return [];
    const g = this.grid;
    const out = [];
    for (let r = sel.r0; r <= sel.r1; r++) {
      const row = g.rows[r];
      let start = null;
      const flush = (end) => {
        if (start === null) return;
        const cells = row.cells.slice(start, end + 1);
        // Skip what would change nothing (keeps the audit trail meaningful).
        const noop = kind ? cells.every((k) => k === kind) : cells.every((k) => !k);
        if (!noop) out.push({ child_id: row.child_id, from: g.days[start].date, to: g.days[end].date, kind, note: '' });
        start = null;
      };
      for (let c = sel.c0; c <= sel.c1; c++) {
        if (row.enrolled[c]) {
          if (start === null) start = c;
        } else flush(c - 1);
      }
      flush(sel.c1);
    }
    return out;
  }

  apply(kind) {
    if (!this.cursor) {
      toast('请先点击一个格子,或用方向键选择日期');
      return;
    }
    const changes = this.changesFor(kind);
    if (!changes.length) {
      const sel = this.range();
      const anyEnrolled = this.grid.rows.slice(sel.r0, sel.r1 + 1).some((row) => row.enrolled.slice(sel.c0, sel.c1 + 1).some(Boolean));
      if (!anyEnrolled) toast('所选日期不在幼儿的在园期间,不能登记请假');
      this.focus();
      return;
    }
    if (this.locked()) {
      this.focus();
      return;
    }
    this.save(changes, this.correction);
    this.focus();
  }

  /** Runs `job` after the saves before it, keeping the save-state line right. */
  enqueue(job) {
    this.saving += 1;
    this.saveState.textContent = '正在保存……';
    this.queue = this.queue
      .then(job)
      .catch(() => {
        // `call` has shown the core's message; nothing was saved.
        this.saveState.textContent = '未保存';
      })
      .finally(() => {
        this.saving -= 1;
      });
    return this.queue;
  }

  /** The grid as the core answered a change; the change's undo goes on the stack. */
  applied(fresh, reason) {
    if (fresh.undo && fresh.undo.length) this.undoStack.push({ changes: fresh.undo, reason });
    this.undoBtn.disabled = !this.undoStack.length;
    if (!this.isCurrent()) return;
    this.grid = fresh;
    this.draw();
  }

  /** Saves `changes` as one edit (a closed month needs `reason`). */
  save(changes, reason) {
    return this.enqueue(async () => {
      const fresh = await call('absence_apply_all', { changes, reason, month: this.month, class_id: this.classId });
      this.applied(fresh, reason);
      this.saveState.textContent = `已保存 ${new Date().toTimeString().slice(0, 8)}`;
    });
  }

  /** Ctrl+Z: takes back the last saved change (itself one transaction, audited). */
  undo() {
    this.enqueue(async () => {
      const last = this.undoStack.pop();
      this.undoBtn.disabled = !this.undoStack.length;
      if (!last) {
        toast('没有可以撤销的修改');
        this.saveState.textContent = '每次按键立即保存';
        return;
      }
      const reason = last.reason ? `撤销:${last.reason}`.slice(0, 200) : null;
      try {
        const fresh = await call('absence_apply_all', { changes: last.changes, reason, month: this.month, class_id: this.classId });
        // Undoing is not itself undone by the next Ctrl+Z: the stack only shrinks.
        this.undoBtn.disabled = !this.undoStack.length;
        if (this.isCurrent()) {
          this.grid = fresh;
          this.draw();
        }
        this.saveState.textContent = `已撤销 ${new Date().toTimeString().slice(0, 8)}`;
      } catch (err) {
        this.undoStack.push(last);
        this.undoBtn.disabled = false;
        throw err;
      }
    });
    this.focus();
  }

  /** 请假登记 for a range: prefilled from the selection when there is one. */
  async leaveDialog() {
    const g = this.grid;
    if (!g.rows.length) {
      toast('这个班本月没有在园幼儿');
      return;
    }
    if (this.locked()) return;
    const sel = this.range();
    const row = g.rows[sel ? sel.r0 : 0];
    const from = sel ? g.days[sel.c0].date : g.days[0].date;
    const to = sel ? g.days[sel.c1].date : from;
    const saved = await formDialog({
      title: '请假登记',
      testid: 'leave-dialog',
      intro: '登记一段时间的请假(可以跨月)。周末和节假日包含在内也没关系,退费只按在园日计算。',
      submitLabel: '登记',
      fields: [
        { name: 'child_id', label: '幼儿', type: 'select', testid: 'leave-child', value: String(row.child_id), options: g.rows.map((x) => [String(x.child_id), `${x.name}(${x.student_no})`]), required: true },
        { name: 'from', label: '开始日期', type: 'date', testid: 'leave-from', value: from, required: true },
        { name: 'to', label: '结束日期', type: 'date', testid: 'leave-to', value: to, required: true },
        { name: 'kind', label: '类型', type: 'radio', testid: 'leave-kind', value: 'sick', options: KINDS.map((k) => [k.key, k.label]) },
        { name: 'note', label: '备注', testid: 'leave-note', placeholder: '例如 发烧、回老家', wide: true },
      ],
      onSubmit: async (v) => {
        const reason = this.correction;
        const change = { child_id: Number(v.child_id), from: v.from, to: v.to, kind: v.kind, note: v.note };
        const fresh = await call('absence_apply_all', { changes: [change], reason, month: this.month, class_id: this.classId }, { quiet: true });
        const child = g.rows.find((x) => String(x.child_id) === v.child_id);
        toast(`已登记 ${child ? child.name : ''} ${v.from === v.to ? v.from : `${v.from} 至 ${v.to}`} ${kindLabel(v.kind)}`, 'success');
        return { fresh, reason };
      },
    });
    if (saved && saved.fresh) this.applied(saved.fresh, saved.reason);
    this.focus();
  }
}

// ------------------------------------------------------------------ import

/** Explains the columns, picks a file, imports all or nothing. */
async function importAbsences() {
  const path = await chooseImportFile({
    title: '导入请假',
    testid: 'absence-import-dialog',
    what: '请假记录',
    columns: [['学号', false], ['姓名', false], ['班级', false], ['开始日期', true], ['结束日期', false], ['类型', true], ['备注', false]],
    notes: ['用「学号」找幼儿;没有学号时用「姓名」+「班级」。', '类型填 病假、事假 或 其他;结束日期不填表示只请一天。', '只要有一行出错,整个文件都不会导入,并列出每一行的错误。'],
    pickTestid: 'absence-import-pick',
  });
  return path ? runAbsenceImport(path) : false;
}

/** Imports the file at `path`; on failure lists every bad row and says nothing was imported. */
export async function runAbsenceImport(path) {
  try {
    const summary = await call('absences_import', { path: String(path) }, { quiet: true });
    toast(`导入成功:共 ${summary.imported} 条请假记录`, 'success');
    return true;
  } catch (err) {
    await modal({
      title: '导入失败',
      testid: 'absence-import-failed',
      wide: true,
      build: ({ close }) =>
        h(
          'div',
          { class: 'modal-form' },
          h(
            'div',
            { class: 'modal-body' },
            // With a table of problems, the message's first line is enough (the rest repeats the table).
            h('p', { class: 'form-error-msg', 'data-testid': 'absence-import-error' }, err.problems && err.problems.length ? err.message.split('\n')[0].replace(/[::]\s*$/, '') : err.message),
            h('p', null, '没有导入任何请假记录。', err.problems && err.problems.length ? '请按下表改正文件后重新导入。' : ''),
            err.problems && err.problems.length ? problemsTable(err.problems) : null,
          ),
          h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn primary', 'data-autofocus': true, onClick: () => close(null) }, '知道了')),
        ),
    });
    return false;
  }
}
