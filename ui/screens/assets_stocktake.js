// 固定资产 › 盘点: stocktakes room by room.
//  #/assets/stocktake              the list; 开始盘点
//  #/assets/stocktake/ID           the rooms and their progress; 结束盘点
//  #/assets/stocktake/ID/room/R    counting one room: a USB scanner types the
//                                  asset number and Enter into the focused box
//  #/assets/stocktake/ID/report    the reconciliation and the book adjustments
// The scan box keeps the focus: scans that arrive while one is being handled
// wait in a queue, and every prompt gives the focus back when it closes.
// While a prompt is open a scan cannot go to the scan box: the scanner types
// into the prompt's field. A burst of keys much faster than anyone types,
// ended by Enter, is taken as a scan and queued instead (scanBursts).
import { call } from '../lib/api.js';
import { h, mount, toast, formDialog, modal, confirmDialog, emptyState, busyButton, today } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { yuan } from './attendance_common.js';
import { savePdf, saveXlsx, editAsset } from './assets.js';

// Progress counts cards (one scan per label); a batch card (幼儿椅 共 35 把)
// holds many units, and the report counts units: two different numbers that
// both said 件 (3/17 件 on the room, 209 件 in the report).
const CARDS_NOT_UNITS = '进度按资产卡片(标签)计,一张批量卡片可含多件;对账报告中的数量按件计。';

export async function render(body, ctx) {
  const id = Number(ctx.sub[1]) || null;
  if (!id) return renderList(body, ctx);
  if (ctx.sub[2] === 'room' && ctx.sub[3]) return renderRoom(body, ctx, id, decodeURIComponent(ctx.sub[3]));
  if (ctx.sub[2] === 'report') return renderReport(body, ctx, id);
  return renderSession(body, ctx, id);
}

const roomPath = (id, room) => `assets/stocktake/${id}/room/${encodeURIComponent(room)}`;

function progressBar(done, total) {
  const bar = h('div', { class: 'progress-bar' });
  // Through the CSSOM: the content-security policy refuses style attributes.
  bar.style.width = `${total ? Math.round((done * 100) / total) : 0}%`;
  return h('div', { class: 'progress st-progress' }, bar);
}

// ------------------------------------------------------------------ list

async function renderList(body, ctx) {
  const list = await call('stocktakes_list');
  if (!ctx.isCurrent()) return;
  const startBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'stocktake-start', onClick: () => startDialog().then((id) => id && ctx.navigate(`assets/stocktake/${id}`)) }, h('span', { class: 'btn-icon', svg: icons.plus }), '开始盘点');
  mount(
    body,
    h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, '盘点时逐个房间扫描资产标签(或勾选),结束后生成对账报告,并据此调整账面。'), h('span', { class: 'spacer' }), startBtn),
    h(
      'div',
      { class: 'card flush' },
      list.length
        ? h(
            'table',
            { class: 'table', 'data-testid': 'stocktakes-table' },
            h('thead', null, h('tr', null, ['盘点', '开始', '结束', '房间', '进度', '盘盈', '状态', ''].map((t) => h('th', null, t)))),
            h(
              'tbody',
              null,
              list.map((s) =>
                h(
                  'tr',
                  { 'data-testid': 'stocktake-row', 'data-id': s.id, onDblclick: () => ctx.navigate(`assets/stocktake/${s.id}`) },
                  h('td', { class: 'strong' }, s.name),
                  h('td', { class: 'mono' }, s.started_on),
                  h('td', { class: 'mono' }, s.finished_on || '—'),
                  h('td', null, s.all_rooms ? `全部(${s.rooms.length})` : s.rooms.map((r) => r.room).join('、')),
                  h('td', null, h('div', { class: 'st-progress-cell' }, progressBar(s.checked, s.expected), h('span', { class: 'small muted' }, `${s.checked} / ${s.expected}`))),
                  h('td', { class: 'num' }, s.surplus || '—'),
                  h('td', null, h('span', { class: `badge ${s.status === 'open' ? 'blue' : 'grey'}` }, s.status_label)),
                  h(
                    'td',
                    { class: 'row-actions' },
                    s.status === 'open' ? h('a', { class: 'link-btn', href: `#/assets/stocktake/${s.id}`, 'data-testid': 'stocktake-continue' }, '继续盘点') : null,
                    h('a', { class: 'link-btn', href: `#/assets/stocktake/${s.id}/report`, 'data-testid': 'stocktake-open-report' }, '对账报告'),
                  ),
                ),
              ),
            ),
          )
        : emptyState('还没有盘点', '半年一次清查、每年一次全面盘点。点击「开始盘点」选择要盘的房间。', h('button', { type: 'button', class: 'btn primary', onClick: () => startBtn.click() }, '开始盘点')),
    ),
  );
}

async function startDialog() {
  const rooms = await call('asset_rooms');
  if (!rooms.length) {
    toast('资产账上还没有在账的资产,无需盘点', 'error');
    return null;
  }
  const boxes = [];
  return formDialog({
    title: '开始盘点',
    testid: 'stocktake-start-dialog',
    intro: '开始时记下所选房间里每张资产卡片的样子(账面),之后逐个房间扫描或勾选。',
    fields: [
      { name: 'name', label: '盘点名称', required: true, value: `${today().slice(0, 4)}年${Number(today().slice(5, 7))}月盘点`, testid: 'stocktake-name-input' },
      { name: 'started_on', label: '盘点日期', type: 'date', required: true, value: today(), testid: 'stocktake-date-input' },
    ],
    afterFields: () => {
      const all = h('input', { type: 'checkbox', checked: true, 'data-testid': 'stocktake-all-rooms' });
      const grid = h(
        'div',
        { class: 'st-room-picks' },
        rooms.map((r) => {
          const box = h('input', { type: 'checkbox', checked: true, value: r.room, 'data-testid': 'stocktake-room-pick', 'data-room': r.room });
          box.addEventListener('change', () => {
            all.checked = boxes.every((b) => b.checked);
          });
          boxes.push(box);
          return h('label', { class: 'check-label' }, box, `${r.room}`, h('small', { class: 'muted' }, ` ${r.cards} 张`));
        }),
      );
      all.addEventListener('change', () => {
        for (const b of boxes) b.checked = all.checked;
      });
      return h('div', { class: 'field wide' }, h('label', null, '盘点范围'), h('label', { class: 'check-label' }, all, '全部房间'), grid);
    },
    submitLabel: '开始',
    onSubmit: async (v) => {
      const picked = boxes.filter((b) => b.checked).map((b) => b.value);
      if (!picked.length) throw { message: '请至少选择一个房间' };
      const rooms = picked.length === boxes.length ? [] : picked;
      return call('stocktake_start', { input: { ...v, rooms, note: '' } }, { quiet: true });
    },
  });
}

// ------------------------------------------------------------------ session

async function renderSession(body, ctx, id) {
  const s = await call('stocktake_get', { id });
  if (!ctx.isCurrent()) return;
  const open = s.status === 'open';
  const unchecked = s.expected - s.checked;
  const finishBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'stocktake-finish', onClick: () => finishDialog(s).then((r) => r && ctx.navigate(`assets/stocktake/${id}/report`)) }, '结束盘点');
  const cancelBtn =
    open && s.checked === 0 && s.surplus === 0
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn danger-outline',
            'data-testid': 'stocktake-cancel',
            onClick: async () => {
              if (!(await confirmDialog({ title: '删除这次盘点', message: `还没有扫描任何资产。删除「${s.name}」?`, confirmLabel: '删除', danger: true }))) return;
              await call('stocktake_cancel', { id });
              toast('已删除', 'success');
              ctx.navigate('assets/stocktake');
            },
          },
          '删除',
        )
      : null;
  mount(
    body,
    h(
      'div',
      { class: 'toolbar' },
      h('a', { class: 'btn', href: '#/assets/stocktake' }, '← 盘点列表'),
      h('h2', { class: 'st-title', 'data-testid': 'stocktake-title' }, s.name),
      h('span', { class: `badge ${open ? 'blue' : 'grey'}` }, s.status_label),
      h('span', { class: 'muted', 'data-testid': 'stocktake-progress' }, `已盘 ${s.checked} / ${s.expected} 张卡片${s.surplus ? `,盘盈 ${s.surplus} 项` : ''}`),
      h('span', { class: 'spacer' }),
      cancelBtn,
      h('a', { class: 'btn', href: `#/assets/stocktake/${id}/report`, 'data-testid': 'stocktake-report' }, open ? '查看对账(中间结果)' : '对账报告'),
      open ? finishBtn : null,
    ),
    open ? h('p', { class: 'muted small' }, `点击房间开始扫描。${unchecked > 0 ? `还有 ${unchecked} 张卡片未盘,结束盘点时记为盘亏。` : '所有资产都已盘到。'}`) : null,
    h('p', { class: 'muted small', 'data-testid': 'stocktake-count-note' }, CARDS_NOT_UNITS),
    h(
      'div',
      { class: 'st-rooms', 'data-testid': 'stocktake-rooms' },
      s.rooms.map((r) =>
        h(
          open ? 'a' : 'div',
          { class: `st-room${r.done_at ? ' done' : ''}${r.checked >= r.expected && r.expected > 0 ? ' full' : ''}`, href: open ? `#/${roomPath(id, r.room)}` : null, 'data-testid': 'stocktake-room', 'data-room': r.room },
          h('div', { class: 'st-room-name' }, r.room, r.done_at ? h('span', { class: 'badge green' }, '已盘完') : null),
          progressBar(r.checked, r.expected),
          h('div', { class: 'small muted' }, `${r.checked} / ${r.expected} 张卡片${r.surplus ? ` · 盘盈 ${r.surplus} 项` : ''}`),
        ),
      ),
    ),
  );
}

async function finishDialog(s) {
  const unchecked = s.expected - s.checked;
  return formDialog({
    title: `结束盘点 · ${s.name}`,
    testid: 'stocktake-finish-dialog',
    intro: unchecked > 0 ? `还有 ${unchecked} 张资产卡片没有盘到,结束后记为盘亏(之后可以核销或记为待查)。结束后不能再扫描。` : '所有资产都已盘到。结束后不能再扫描。',
    fields: [{ name: 'on', label: '结束日期', type: 'date', required: true, value: today(), testid: 'stocktake-finish-date' }],
    submitLabel: '结束盘点',
    onSubmit: async (v) => {
      await call('stocktake_finish', { id: s.id, on: v.on }, { quiet: true });
      toast('盘点已结束', 'success');
      return true;
    },
  });
}

// ------------------------------------------------------------------ room

async function renderRoom(body, ctx, id, room) {
  const [s, firstLines] = await Promise.all([call('stocktake_get', { id }), call('stocktake_room_lines', { id, room })]);
  if (!ctx.isCurrent()) return;
  if (s.status !== 'open') return ctx.navigate(`assets/stocktake/${id}/report`);
  let lines = firstLines;
  let lastNumber = null;
  const input = h('input', {
    type: 'text',
    class: 'scan-input',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: '用扫码枪扫描资产标签,或输入资产编号后按回车',
    'data-testid': 'scan-input',
    'aria-label': '资产编号',
  });
  const result = h('div', { class: 'scan-result idle', 'data-testid': 'scan-result', role: 'status' }, '等待扫描……');
  const progress = h('span', { class: 'muted', 'data-testid': 'room-progress' });
  const tableBox = h('div', { class: 'table-wrap' });
  const progressLine = h('div', { class: 'st-room-progress' });
  const roomState = s.rooms.find((r) => r.room === room);
  let done = Boolean(roomState && roomState.done_at);

  const show = (kind, text) => {
    result.className = `scan-result ${kind}`;
    result.dataset.kind = kind;
    result.textContent = text;
  };
  const refocus = () => {
    if (document.activeElement !== input) input.focus();
  };

  async function reload() {
    lines = await call('stocktake_room_lines', { id, room });
    draw();
  }

  function draw() {
    const mine = lines.filter((l) => l.book_room === room && l.asset_id);
    const checked = mine.filter((l) => l.checked_at).length;
    progress.textContent = `已盘 ${checked} / ${mine.length} 张卡片`;
    progress.title = CARDS_NOT_UNITS;
    mount(progressLine, progressBar(checked, mine.length));
    if (!lines.length) {
      mount(tableBox, emptyState('这个房间没有资产卡片', '扫到的编号如果不在账上,会记为盘盈。'));
      return;
    }
    const order = (l) => (l.asset_id && !l.checked_at ? 0 : 1);
    const sorted = [...lines].sort((a, b) => order(a) - order(b));
    mount(
      tableBox,
      h(
        'table',
        { class: 'table st-lines', 'data-testid': 'room-lines' },
        h('thead', null, h('tr', null, ['', '资产编号', '名称', '规格型号', '账面', '实盘', '结果', '备注', ''].map((t) => h('th', null, t)))),
        h(
          'tbody',
          null,
          sorted.map((l) => {
            const cls = [l.outcome, l.number === lastNumber ? 'last' : ''].join(' ');
            return h(
              'tr',
              { class: cls, 'data-testid': 'line-row', 'data-number': l.number, 'data-outcome': l.outcome },
              h('td', { class: 'st-mark' }, l.outcome === 'unchecked' ? '○' : l.outcome === 'missing' ? '✕' : '✓'),
              h('td', { class: 'mono' }, l.number || '(无编号)'),
              h('td', { class: 'strong' }, l.name),
              h('td', { class: 'muted' }, l.model || '—'),
              h('td', { class: 'num' }, l.asset_id ? `${l.book_qty} ${l.unit}` : '—'),
              h('td', { class: 'num' }, l.checked_at ? String(l.counted_qty) : '—'),
              h('td', { 'data-testid': 'line-outcome' }, h('span', { class: `badge ${badgeOf(l.outcome)}` }, l.outcome_label), l.found_room && l.found_room !== l.book_room && l.asset_id ? h('small', { class: 'muted' }, l.book_room === room ? ` 在“${l.found_room}”` : ` 来自“${l.book_room}”`) : null),
              h('td', { class: 'muted small' }, l.note),
              h('td', { class: 'row-actions' }, lineActions(l)),
            );
          }),
        ),
      ),
    );
  }

  function lineActions(l) {
    const act = (label, testid, fn, danger) =>
      h(
        'button',
        {
          type: 'button',
          class: `link-btn${danger ? ' danger' : ''}`,
          'data-testid': testid,
          onClick: async () => {
            try {
              await fn();
              await reload();
            } catch {
              // shown by call()
            }
            refocus();
          },
        },
        label,
      );
    if (!l.asset_id) return [act('删除', 'line-reset', () => call('stocktake_reset_line', { line_id: l.id }), true)];
    const out = [];
    if (!l.checked_at || l.outcome === 'missing') out.push(act('勾选', 'line-tick', () => handle(l.number, () => call('stocktake_tick', { line_id: l.id, room, choice: null }))));
    if (l.checked_at && l.outcome !== 'missing') {
      out.push(act(l.damaged ? '取消损坏' : '损坏', 'line-damaged', () => call('stocktake_update_line', { line_id: l.id, change: { damaged: !l.damaged } })));
      if (l.book_qty > 1) out.push(act('数量', 'line-qty', () => countDialog(l)));
    }
    if (l.outcome !== 'missing') out.push(act('盘亏', 'line-missing', () => call('stocktake_mark_missing', { line_id: l.id })));
    if (l.checked_at) out.push(act('撤销', 'line-reset', () => call('stocktake_reset_line', { line_id: l.id })));
    return out;
  }

  async function countDialog(l) {
    await formDialog({
      title: `实盘数量 · ${l.number} ${l.name}`,
      testid: 'count-dialog',
      intro: `账面 ${l.book_qty} ${l.unit}。少于账面的记为盘亏,多于账面的记为盘盈。`,
      fields: [{ name: 'counted_qty', label: '实盘数量', value: String(l.counted_qty || l.book_qty), testid: 'count-input' }],
      onSubmit: (v) => call('stocktake_update_line', { line_id: l.id, change: { counted_qty: v.counted_qty } }, { quiet: true }),
    });
  }

  /** Runs one scan (or tick) and the prompts it may need. */
  async function handle(number, first) {
    let r = await first();
    if (r.kind === 'other_room') {
      const choice = await otherRoomPrompt(r);
      if (!choice) {
        show('warn', `未记录:${r.number} ${r.name}(登记在“${r.book_room}”)`);
        return;
      }
      r = await call('stocktake_scan', { id, room, number: r.number, choice }, { quiet: true });
    }
    if (r.kind === 'unknown') {
      const line = await surplusDialog(r.number, r.message);
      if (line) {
        lastNumber = line.number;
        show('ok', `已记为盘盈:${line.number || ''} ${line.name}`);
      } else {
        show('warn', `未记录:${r.message}`);
      }
      return;
    }
    if (r.kind === 'duplicate') {
      lastNumber = r.line.number;
      show('warn', r.message);
      return;
    }
    lastNumber = r.line.number;
    show(r.line.outcome === 'moved' ? 'moved' : 'ok', r.message);
  }

  // Scans that arrive while one is handled (a fast scanner) wait their turn;
  // when several are waiting they are saved together in one transaction
  // (stocktake_scan_many), then answered one by one as if scanned singly:
  // the prompts (other room, unknown number) and warnings are the same.
  const queue = [];
  let busy = false;
  const scanOne = (number) => handle(number, () => call('stocktake_scan', { id, room, number, choice: null }, { quiet: true }));
  async function pump() {
    if (busy) return;
    busy = true;
    try {
      while (queue.length) {
        const numbers = queue.splice(0, queue.length);
        let answers = null;
        if (numbers.length > 1) {
          try {
            answers = await call('stocktake_scan_many', { id, room, numbers }, { quiet: true });
          } catch (err) {
            // A refused number (a typo) refuses the batch: then one by one, so
            // the others are still counted and the typo gets its own message.
            // Anything else (the stocktake was finished elsewhere) is shown.
            if (err.type !== 'Invalid') {
              show('error', err.message || String(err));
              continue;
            }
          }
        }
        for (const [i, number] of numbers.entries()) {
          try {
            await (answers ? handle(number, async () => answers[i]) : scanOne(number));
          } catch (err) {
            show('error', err.message || String(err));
          }
        }
        await reload().catch(() => {});
      }
    } finally {
      busy = false;
      refocus();
    }
  }
  scanBursts(ctx, (number) => {
    queue.push(number);
    show('idle', `已收到扫描 ${number},关闭对话框后处理`);
    pump();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.isComposing) {
      e.preventDefault();
      const number = input.value.trim();
      input.value = '';
      if (!number) return;
      queue.push(number);
      pump();
    } else if (e.key === 'Escape') {
      input.value = '';
    }
  });

  const doneBtn = h('button', { type: 'button', class: `btn${done ? '' : ' accent'}`, 'data-testid': 'room-done' });
  const drawDone = () => {
    doneBtn.textContent = done ? '重新打开本房间' : '本房间已盘完';
  };
  drawDone();
  doneBtn.addEventListener('click', async () => {
    try {
      await call('stocktake_room_done', { id, room, done: !done });
      done = !done;
      drawDone();
      if (done) ctx.navigate(`assets/stocktake/${id}`);
    } catch {
      // shown by call()
    }
  });
  const surplusBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      'data-testid': 'surplus-add',
      onClick: async () => {
        const line = await surplusDialog('', '账上没有、也没有标签的物品,记为盘盈。');
        if (line) {
          show('ok', `已记为盘盈:${line.name}`);
          await reload();
        }
        refocus();
      },
    },
    '登记无标签的盘盈物品',
  );

  mount(
    body,
    h(
      'div',
      { class: 'toolbar' },
      h('a', { class: 'btn', href: `#/assets/stocktake/${id}`, 'data-testid': 'room-back' }, `← ${s.name}`),
      h('h2', { class: 'st-title', 'data-testid': 'room-title' }, room),
      progress,
      h('span', { class: 'spacer' }),
      surplusBtn,
      doneBtn,
    ),
    h('div', { class: 'card scan-card' }, h('div', { class: 'scan-icon', svg: icons.search }), input, result, progressLine),
    h('div', { class: 'card flush' }, tableBox),
  );
  draw();
  input.focus();
  // Clicking anywhere that is not a control gives the focus back to the scan box.
  body.addEventListener('click', (e) => {
    if (!e.target.closest('button, a, input, select, textarea')) refocus();
  });

  async function otherRoomPrompt(r) {
    return modal({
      title: '资产登记在其他房间',
      testid: 'other-room-dialog',
      build: ({ close }) =>
        h(
          'div',
          { class: 'modal-form' },
          h('div', { class: 'modal-body' }, h('p', { class: 'confirm-text', 'data-testid': 'other-room-text' }, r.message)),
          h(
            'footer',
            { class: 'modal-foot' },
            h('button', { type: 'button', class: 'btn', 'data-testid': 'other-room-cancel', onClick: () => close(null) }, '不记录'),
            h('span', { class: 'spacer' }),
            h('button', { type: 'button', class: 'btn', 'data-testid': 'other-room-return', onClick: () => close('return') }, `临时放在这里(记为在“${r.book_room}”找到)`),
            h('button', { type: 'button', class: 'btn primary', 'data-testid': 'other-room-move', 'data-autofocus': true, onClick: () => close('move') }, `已搬到“${room}”`),
          ),
        ),
    });
  }

  async function surplusDialog(number, message) {
    const r = await formDialog({
      title: '登记盘盈',
      testid: 'surplus-dialog',
      intro: message,
      fields: [
        { name: 'number', label: '编号', value: number, testid: 'surplus-number-input', placeholder: '没有标签的留空' },
        { name: 'name', label: '物品名称', required: true, testid: 'surplus-name-input', placeholder: '例如 旧打印机' },
        { name: 'model', label: '规格型号', testid: 'surplus-model-input' },
        { name: 'quantity', label: '数量', value: '1', testid: 'surplus-qty-input' },
        { name: 'value', label: '估计价值(元)', testid: 'surplus-value-input', placeholder: '不知道可留空' },
        { name: 'note', label: '说明', testid: 'surplus-note-input', wide: true },
      ],
      submitLabel: '记为盘盈',
      onSubmit: (v) => call('stocktake_surplus', { id, input: { ...v, room } }, { quiet: true }),
    });
    // Focus the name: the number is already filled in by the scan.
    return r && r.id ? r : null;
  }
}

// A USB scanner types a whole number and Enter within a few milliseconds per
// key; people leave 80 ms or more between keys (and type Chinese through an
// input method, which this leaves alone). Regression: with the 盘盈 prompt
// open, the next label's keys replaced the number in its first field and its
// Enter submitted the prompt: that number was saved wrongly and the scan lost.
const SCAN_KEY_GAP_MS = 30;
const SCAN_MIN_LENGTH = 4;

/**
 * While a dialog is open on this screen, catches what a scanner types into
 * it: a burst of quick keys ended by a quick Enter, all on the same element.
 * A field gets back the value it had before the burst, the Enter neither
 * submits the dialog nor presses its focused button (the other-room prompt
 * has only buttons), and the number goes to `onScan` (the queue).
 */
function scanBursts(ctx, onScan) {
  let burst = null;
  const dialogOpen = () => Boolean(document.querySelector('#modal-root .modal'));
  const isField = (el) => el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') && typeof el.value === 'string';
  function onKey(e) {
    if (!ctx.isCurrent()) {
      document.removeEventListener('keydown', onKey, true);
      return;
    }
    if (!dialogOpen() || e.isComposing) {
      burst = null;
      return;
    }
    const now = performance.now();
    const quick = burst !== null && burst.target === e.target && now - burst.last <= SCAN_KEY_GAP_MS;
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      if (quick) {
        burst.text += e.key;
        burst.last = now;
      } else {
        burst = { target: e.target, before: isField(e.target) ? e.target.value : null, text: e.key, last: now };
      }
      return;
    }
    if (e.key === 'Enter' && quick && burst.text.trim().length >= SCAN_MIN_LENGTH) {
      e.preventDefault();
      e.stopImmediatePropagation();
      if (burst.before !== null) burst.target.value = burst.before;
      const number = burst.text.trim();
      burst = null;
      onScan(number);
      return;
    }
    burst = null;
  }
  document.addEventListener('keydown', onKey, true);
}

function badgeOf(outcome) {
  return { found: 'green', moved: 'blue', damaged: 'amber', missing: 'red', surplus: 'blue', unchecked: 'grey' }[outcome] || 'grey';
}

// ------------------------------------------------------------------ report

async function renderReport(body, ctx, id) {
  const r = await call('stocktake_report', { id });
  if (!ctx.isCurrent()) return;
  const s = r.stocktake;
  const rec = r.reconciliation;
  const finished = s.status === 'finished';
  const reload = () => ctx.navigate(`assets/stocktake/${id}/report`);
  const qv = (t) => (t.qty ? h('span', null, String(t.qty), h('small', { class: 'muted' }, ` ${yuan(t.original)}`)) : '—');
  const pdfBtn = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'report-pdf' }, '导出 PDF'), () =>
    savePdf('保存盘点报告', `${s.name}-盘点报告.pdf`, (path) => call('stocktake_report_pdf', { id, path })),
  );
  const xlsxBtn = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'report-xlsx' }, '导出 Excel'), () =>
    saveXlsx('保存盘点表', `${s.name}-盘点表.xlsx`, (path) => call('stocktake_report_xlsx', { id, path })),
  );
  const pendingMoves = r.exceptions.filter((l) => l.outcome === 'moved' && !l.adjustment).length;
  const movesBtn =
    finished && pendingMoves
      ? busyButton(h('button', { type: 'button', class: 'btn accent', 'data-testid': 'apply-moves' }, `调整全部位置不符(${pendingMoves})`), async () => {
          const n = await call('stocktake_apply_moves', { id });
          toast(`已调整 ${n} 件资产的存放地点`, 'success');
          reload();
        })
      : null;
  mount(
    body,
    h(
      'div',
      { class: 'toolbar' },
      h('a', { class: 'btn', href: finished ? '#/assets/stocktake' : `#/assets/stocktake/${id}` }, finished ? '← 盘点列表' : `← ${s.name}`),
      h('h2', { class: 'st-title' }, `对账报告 · ${s.name}`),
      h('span', { class: `badge ${finished ? 'grey' : 'blue'}` }, finished ? `${s.started_on} 至 ${s.finished_on}` : '进行中(中间结果)'),
      h('span', { class: 'spacer' }),
      movesBtn,
      xlsxBtn,
      pdfBtn,
    ),
    h(
      'div',
      { class: 'card flush' },
      h(
        'table',
        { class: 'table', 'data-testid': 'report-rooms' },
        h('thead', null, h('tr', null, ['存放地点', '责任人', '账面', '相符', '位置不符', '损坏', '盘亏', '盘盈', '未盘', '相符率'].map((t) => h('th', null, t)))),
        h(
          'tbody',
          null,
          [...rec.rooms, rec.total].map((x) =>
            h(
              'tr',
              { class: x === rec.total ? 'total-row' : null, 'data-testid': x === rec.total ? 'report-total' : 'report-room', 'data-room': x.room },
              h('td', { class: 'strong' }, x.room),
              h('td', null, x.custodians.slice(0, 3).join('、') || '—'),
              h('td', null, qv(x.book)),
              h('td', { 'data-testid': 'rep-found' }, qv(x.found)),
              h('td', { 'data-testid': 'rep-moved' }, qv(x.moved)),
              h('td', { 'data-testid': 'rep-damaged' }, qv(x.damaged)),
              h('td', { 'data-testid': 'rep-missing' }, qv(x.missing)),
              h('td', { 'data-testid': 'rep-surplus' }, qv(x.surplus)),
              h('td', null, x.unchecked.qty || '—'),
              h('td', { class: 'strong', 'data-testid': 'rep-rate' }, x.match_rate.text),
            ),
          ),
        ),
      ),
    ),
    h('ol', { class: 'explain card', 'data-testid': 'report-explain' }, rec.lines.map((l) => h('li', null, l))),
    h('h3', { class: 'section-title' }, '盘点异常与账面调整'),
    r.exceptions.length
      ? h(
          'div',
          { class: 'card flush' },
          h(
            'table',
            { class: 'table', 'data-testid': 'report-exceptions' },
            h('thead', null, h('tr', null, ['资产编号', '名称', '结果', '登记地点', '实际地点', '原值', '净值', '责任人', '备注', '账面调整'].map((t) => h('th', null, t)))),
            h(
              'tbody',
              null,
              r.exceptions.map((l) =>
                h(
                  'tr',
                  { 'data-testid': 'exception-row', 'data-number': l.number, 'data-outcome': l.outcome },
                  h('td', { class: 'mono' }, l.number || '(无编号)'),
                  h('td', { class: 'strong' }, l.name),
                  h('td', null, h('span', { class: `badge ${badgeOf(l.outcome)}` }, l.outcome_label)),
                  h('td', null, l.book_room),
                  h('td', null, l.found_room && l.found_room !== l.book_room ? l.found_room : '—'),
                  // A find with no card has only the counter's estimate, not book values.
                  h('td', { class: 'num' }, l.asset_id ? yuan(l.original) : h('span', { title: '盘盈物品的估计价值' }, h('small', { class: 'muted' }, '估值 '), yuan(l.original))),
                  h('td', { class: 'num' }, l.asset_id ? yuan(l.net) : '—'),
                  h('td', null, l.custodian || '—'),
                  h('td', { class: 'muted small' }, l.note),
                  h('td', { 'data-testid': 'exception-adjust' }, finished ? adjustCell(l, reload) : h('span', { class: 'muted small' }, '结束盘点后可调整')),
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, '没有异常:所有资产都在登记的地点找到且完好。'),
  );
}

function adjustCell(l, reload) {
  if (l.adjustment && l.adjustment !== 'investigating') {
    return h('span', { class: 'small' }, h('span', { class: 'badge green' }, l.adjustment_label), ` ${l.adjustment_note}`);
  }
  const btn = (label, testid, fn, danger) =>
    h(
      'button',
      {
        type: 'button',
        class: `link-btn${danger ? ' danger' : ''}`,
        'data-testid': testid,
        onClick: async () => {
          try {
            if (await fn()) reload();
          } catch {
            // shown by call()
          }
        },
      },
      label,
    );
  const adjust = async (adjustment, done) => {
    await call('stocktake_adjust', { line_id: l.id, adjustment });
    toast(done, 'success');
    return true;
  };
  const out = [];
  if (l.adjustment === 'investigating') out.push(h('span', { class: 'badge amber' }, '待查'), ' ');
  if (l.outcome === 'moved') out.push(btn(`调整到“${l.found_room}”`, 'adjust-move', () => adjust({ kind: 'apply_move' }, '已调整存放地点')));
  if (l.outcome === 'missing') {
    out.push(btn('核销', 'adjust-write-off', () => writeOffDialog(l), true));
    if (!l.adjustment) out.push(btn('记为待查', 'adjust-investigate', () => investigateDialog(l)));
  }
  if (l.outcome === 'damaged') out.push(btn('改为维修', 'adjust-repair', () => adjust({ kind: 'set_status', status: 'repair' }, '已改为维修')), btn('改为闲置', 'adjust-idle', () => adjust({ kind: 'set_status', status: 'idle' }, '已改为闲置')));
  if (l.outcome === 'surplus') out.push(btn('登记入账', 'adjust-register', () => registerSurplus(l)));
  if (l.short_qty > 0 && l.outcome !== 'missing') out.push(h('span', { class: 'muted small' }, '部分盘亏:请修改卡片数量或办理报废'));
  return out;
}

function writeOffDialog(l) {
  return formDialog({
    title: `核销盘亏资产 · ${l.number} ${l.name}`,
    testid: 'write-off-dialog',
    intro: `原值 ${yuan(l.original)} 元,净值 ${yuan(l.net)} 元。核销后资产从账上减少(状态为“已核销”),不再计提折旧。`,
    fields: [
      { name: 'reason', label: '核销原因', required: true, testid: 'write-off-reason', placeholder: '例如 多方查找未果' },
      { name: 'approver', label: '审批人', required: true, testid: 'write-off-approver' },
      { name: 'on', label: '核销日期', type: 'date', required: true, value: today(), testid: 'write-off-date' },
    ],
    submitLabel: '核销',
    onSubmit: async (v) => {
      await call('stocktake_adjust', { line_id: l.id, adjustment: { kind: 'write_off', ...v } }, { quiet: true });
      toast(`${l.number} 已核销`, 'success');
      return true;
    },
  });
}

function investigateDialog(l) {
  return formDialog({
    title: `记为待查 · ${l.number} ${l.name}`,
    testid: 'investigate-dialog',
    intro: '资产暂时留在账上,找到后在下次盘点中扫描即可;确实找不到再核销。',
    fields: [{ name: 'note', label: '说明', required: true, testid: 'investigate-note', placeholder: '例如 可能借给了其他班' }],
    onSubmit: async (v) => {
      await call('stocktake_adjust', { line_id: l.id, adjustment: { kind: 'investigate', note: v.note } }, { quiet: true });
      return true;
    },
  });
}

async function registerSurplus(l) {
  // The card form, prefilled from the surplus find; saved through the
  // adjustment, which registers the card (取得方式 盘盈) and marks the line.
  const prefill = { number: l.number, name: l.name, model: l.model, quantity: l.counted_qty, room: l.book_room, acquired_on: today(), acquisition: 'surplus', original: l.original, note: l.note };
  return editAsset(null, l.book_room, {
    prefill,
    title: `登记盘盈资产 · ${l.name}`,
    save: async (input) => {
      await call('stocktake_adjust', { line_id: l.id, adjustment: { kind: 'register_surplus', input } }, { quiet: true });
      toast(`已登记入账:${input.name.trim()}`, 'success');
      return true;
    },
  });
}
