// Small helpers shared by 考勤与退费 and 设置 › 收费项目: months and the display
// of money. Money arrives from the core as integer fen and is only formatted
// here (never added up or computed with): every total comes from the core.
import { h, today } from '../lib/ui.js';
import { icons } from '../lib/icons.js';

/** 'YYYY-MM' shifted by `delta` months. */
export function shiftMonth(ym, delta) {
  let [y, m] = ym.split('-').map(Number);
  m += delta;
  while (m < 1) {
    m += 12;
    y -= 1;
  }
  while (m > 12) {
    m -= 12;
    y += 1;
  }
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** 2026年10月. */
export function monthLabel(ym) {
  const [y, m] = ym.split('-').map(Number);
  return `${y}年${m}月`;
}

export function thisMonth() {
  return today().slice(0, 7);
}

/** Reads 2026-10, 2026/10, 202610, 2026年10月; returns 'YYYY-MM' or null. */
export function parseMonth(text) {
  const t = String(text || '').trim();
  const m = t.match(/^(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?$/);
  if (!m) return null;
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}`;
}

/** Fen (an integer) as a yuan string with two decimals and thousands separators: 1,234.50. */
export function yuan(fen) {
  const n = Number(fen) || 0;
  const neg = n < 0;
  const abs = Math.abs(n);
  const int = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}${int.toLocaleString('en-US')}.${frac}`;
}

/**
 * 病 / 事 / 他 in the grid; 病假 / 事假 / 其他 in words.
 * @type {{ key: import('../types/generated').LeaveKind, short: string, label: string, keys: string }[]}
 */
export const KINDS = [
  { key: 'sick', short: '病', label: '病假', keys: 'B 或 1' },
  { key: 'personal', short: '事', label: '事假', keys: 'S 或 2' },
  { key: 'other', short: '他', label: '其他', keys: 'Q 或 3' },
];

export function kindLabel(k) {
  const f = KINDS.find((x) => x.key === k);
  return f ? f.label : k;
}

export const WEEKDAYS = ['', '一', '二', '三', '四', '五', '六', '日'];

/** ← 2026年10月 → with 本月/上月 shortcuts; `go(ym)` re-renders. */
export function monthNav(month, go, testPrefix = 'att') {
  return h(
    'div',
    { class: 'cal-nav att-month-nav' },
    h('button', { type: 'button', class: 'icon-btn', 'aria-label': '上个月', title: '上个月(PageUp)', 'data-testid': `${testPrefix}-prev`, onClick: () => go(shiftMonth(month, -1)), svg: icons.left }),
    h('h2', { 'data-testid': `${testPrefix}-month`, 'data-month': month }, monthLabel(month)),
    h('button', { type: 'button', class: 'icon-btn', 'aria-label': '下个月', title: '下个月(PageDown)', 'data-testid': `${testPrefix}-next`, onClick: () => go(shiftMonth(month, 1)), svg: icons.right }),
    month !== shiftMonth(thisMonth(), -1) ? h('button', { type: 'button', class: 'btn small', onClick: () => go(shiftMonth(thisMonth(), -1)) }, '上月') : null,
    month !== thisMonth() ? h('button', { type: 'button', class: 'btn small', onClick: () => go(thisMonth()) }, '本月') : null,
  );
}
