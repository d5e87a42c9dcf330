// Small DOM helpers, dialogs and toasts. Text always goes in through
// textContent (never innerHTML), so names typed by users cannot inject markup.

/** Creates an element: h('button', {class: 'btn', onClick: f}, '保存'). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  let value;
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'value') value = v;
      else if (k === 'checked') el.checked = Boolean(v);
      else if (k === 'svg') el.innerHTML = v; // trusted, static icon markup only
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  if (value !== undefined) el.value = value;
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// ---------------------------------------------------------------- dates

/** Today as the Rust side sees it (set at start-up), as YYYY-MM-DD. */
let todayIso = null;
export function setToday(iso) {
  todayIso = iso;
}
export function today() {
  if (todayIso) return todayIso;
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
export function pad(n) {
  return String(n).padStart(2, '0');
}

/**
 * Reads a date as people type it (2025-09-01, 2025/9/1, 2025.9.1, 20250901,
 * 2025年9月1日). Returns YYYY-MM-DD, null for an empty field, undefined if invalid.
 */
export function parseDate(text) {
  const t = String(text || '').trim();
  if (!t) return null;
  const m = t.match(/^(\d{4})(\d{2})(\d{2})$/) || t.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || y < 1900 || y > 2200) {
    return undefined;
  }
  return `${y}-${pad(mo)}-${pad(d)}`;
}

// ---------------------------------------------------------------- toasts

/** Shows a short message at the top right; errors stay until closed or 10 s. */
export function toast(message, kind = 'info') {
  const root = document.getElementById('toasts');
  const close = h('button', { class: 'toast-close', type: 'button', 'aria-label': '关闭' }, '×');
  const el = h(
    'div',
    { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': kind === 'error' ? 'error-banner' : 'toast' },
    h('div', { class: 'toast-text' }, message),
    close,
  );
  const remove = () => el.remove();
  close.addEventListener('click', remove);
  // A new message replaces the earlier success/info ones: stacked, they grew
  // down over the toolbar's buttons (添加物品, 领用…) and swallowed clicks
  // for 3.5 s. Errors stay until read or closed.
  if (kind !== 'error') root.querySelectorAll('.toast:not(.error)').forEach((t) => t.remove());
  root.append(el);
  setTimeout(remove, kind === 'error' ? 10000 : 3500);
  return el;
}

/** Shows a command error (the core's Chinese message) as a red banner. */
export function showError(err) {
  const el = toast(err.message, 'error');
  if (err.problems && err.problems.length) el.querySelector('.toast-text').append(problemsTable(err.problems.slice(0, 10)));
}

/** The table of bad rows/fields: 行号 | 列 | 原因. */
export function problemsTable(problems) {
  return h(
    'div',
    { class: 'problems' },
    h(
      'table',
      { class: 'table compact', 'data-testid': 'problems-table' },
      h('thead', null, h('tr', null, h('th', null, '行号'), h('th', null, '列'), h('th', null, '原因'))),
      h(
        'tbody',
        null,
        problems.map((p) => h('tr', null, h('td', { class: 'num' }, p.row > 0 ? p.row : '—'), h('td', null, p.column), h('td', null, p.reason))),
      ),
    ),
  );
}

// ---------------------------------------------------------------- form fields

/**
 * @typedef {{ name: string, label: string, type?: string, options?: any[], value?: any, placeholder?: string,
 *   hint?: string, required?: boolean, testid?: string, wide?: boolean, list?: any[] }} FieldDef
 */

/**
 * Builds form fields from definitions:
 * {name, label, type: text|tel|date|select|radio|textarea|checkbox, options: [[value, label]],
 *  value, placeholder, hint, required, testid, wide, list: [suggestions]}.
 * Returns {el, values(), focusFirst(), inputs}.
 * Dates are checked here only because a malformed one cannot even reach the
 * core; every other rule (empty names, duplicates…) is the core's to refuse.
 * @param {FieldDef[]} defs
 * @returns {{ el: HTMLElement, values: () => any, focusFirst: () => void, inputs: Record<string, any> }}
 */
export function buildFields(defs) {
  const inputs = {};
  const rows = defs.map((def) => {
    const id = `f-${def.testid || def.name}-${Math.random().toString(36).slice(2, 7)}`;
    let control;
    if (def.type === 'select') {
      control = h(
        'select',
        { id, name: def.name, 'data-testid': def.testid, value: def.value ?? '' },
        (def.options || []).map(([v, label]) => h('option', { value: v }, label)),
      );
    } else if (def.type === 'radio') {
      control = h(
        'div',
        { class: 'radios', role: 'radiogroup', id, 'data-testid': def.testid },
        (def.options || []).map(([v, label, sub]) =>
          h(
            'label',
            { class: 'radio' },
            h('input', { type: 'radio', name: `${id}-r`, value: v, checked: String(def.value) === String(v) }),
            h('span', null, h('span', { class: 'radio-label' }, label), sub ? h('small', null, sub) : null),
          ),
        ),
      );
    } else if (def.type === 'textarea') {
      control = h('textarea', { id, name: def.name, rows: 3, placeholder: def.placeholder, 'data-testid': def.testid, value: def.value ?? '' });
    } else if (def.type === 'checkbox') {
      control = h('input', { id, type: 'checkbox', name: def.name, 'data-testid': def.testid, checked: def.value });
    } else {
      const listId = def.list ? `${id}-list` : null;
      control = h('input', {
        id,
        name: def.name,
        type: def.type === 'tel' ? 'tel' : 'text',
        autocomplete: 'off',
        placeholder: def.placeholder ?? (def.type === 'date' ? '例如 2025-09-01' : null),
        inputmode: def.type === 'date' ? 'numeric' : null,
        list: listId,
        class: def.type === 'date' ? 'date-input' : null,
        'data-testid': def.testid,
        value: def.value ?? '',
      });
      if (listId) control = [control, h('datalist', { id: listId }, def.list.map((s) => h('option', { value: s })))];
    }
    const first = Array.isArray(control) ? control[0] : control;
    inputs[def.name] = { def, el: first };
    return h(
      'div',
      { class: `field${def.wide ? ' wide' : ''}${def.type === 'checkbox' ? ' check' : ''}` },
      h('label', { for: def.type === 'radio' ? null : id }, def.label, def.required ? h('span', { class: 'req' }, '*') : null),
      control,
      def.hint ? h('div', { class: 'hint' }, def.hint) : null,
    );
  });
  const el = h('div', { class: 'fields' }, rows);
  function values() {
    const out = {};
    for (const [name, { def, el: c }] of Object.entries(inputs)) {
      if (def.type === 'radio') {
        const checked = c.querySelector('input:checked');
        out[name] = checked ? checked.value : null;
      } else if (def.type === 'checkbox') {
        out[name] = c.checked;
      } else if (def.type === 'date') {
        const v = parseDate(c.value);
        if (v === undefined) throw { type: 'Invalid', message: `“${c.value.trim()}”不是有效的${def.label},请按 2025-09-01 的格式填写`, problems: [] };
        if (v === null && def.required) throw { type: 'Invalid', message: `请填写${def.label}`, problems: [] };
        out[name] = v;
      } else {
        out[name] = c.value;
      }
    }
    return out;
  }
  function focusFirst() {
    const first = el.querySelector('input:not([type=radio]):not([disabled]), select, textarea, input[type=radio]:checked, input[type=radio]');
    if (first) {
      first.focus();
      if (first.select && first.type === 'text') first.select();
    }
  }
  return { el, values, focusFirst, inputs };
}

/** Shows an error inside a form: the message, and the bad rows if any. */
export function showFormError(box, err) {
  mount(box, h('div', { class: 'form-error-msg' }, err.message));
  if (err.problems && err.problems.length) box.append(problemsTable(err.problems));
  box.hidden = false;
}

// ---------------------------------------------------------------- dialogs

const stack = [];

document.addEventListener('keydown', (e) => {
  const top = stack[stack.length - 1];
  if (!top) return;
  if (e.key === 'Escape') {
    e.preventDefault();
    e.stopPropagation();
    if (top.dismissable) top.close(null);
  } else if (e.key === 'Tab') {
    // Keep focus inside the top dialog.
    const focusables = [...top.el.querySelectorAll('input, select, textarea, button, [tabindex="0"]')].filter(
      (x) => !x.disabled && x.offsetParent !== null,
    );
    if (!focusables.length) return;
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    } else if (!top.el.contains(document.activeElement)) {
      e.preventDefault();
      first.focus();
    }
  }
}, true);

/** Whether a dialog is open (global shortcuts stand aside then). */
export function dialogOpen() {
  return stack.length > 0;
}

/**
 * Opens a modal. `build(api)` returns the body; api.close(value) closes it.
 * Resolves with the value given to close (null when cancelled with Esc/取消).
 */
export function modal({ title, testid, wide = false, dismissable = true, build }) {
  return new Promise((resolve) => {
    const previous = /** @type {HTMLElement | null} */ (document.activeElement);
    const backdrop = h('div', { class: 'modal-backdrop' });
    const titleId = `t-${Math.random().toString(36).slice(2, 8)}`;
    const box = h('div', { class: `modal${wide ? ' wide' : ''}`, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, 'data-testid': testid });
    const entry = { el: box, dismissable, close };
    function close(value) {
      const i = stack.indexOf(entry);
      if (i >= 0) stack.splice(i, 1);
      backdrop.remove();
      if (previous && previous.focus && document.contains(previous)) previous.focus();
      resolve(value);
    }
    const closeBtn = dismissable ? h('button', { type: 'button', class: 'icon-btn', 'aria-label': '关闭', tabindex: '-1', onClick: () => close(null) }, '×') : null;
    box.append(h('header', { class: 'modal-head' }, h('h2', { id: titleId }, title), closeBtn));
    const content = build({ close });
    box.append(content);
    backdrop.append(box);
    document.getElementById('modal-root').append(backdrop);
    stack.push(entry);
    requestAnimationFrame(() => {
      const target = box.querySelector('[data-autofocus]') || box.querySelector('input:not([type=radio]):not([type=checkbox]), select, textarea, .modal-foot .primary');
      if (target) {
        target.focus();
        if (target.select && target.type === 'text') target.select();
      }
    });
  });
}

/**
 * A form in a dialog. `onSubmit(values)` may throw the core's error: it is
 * shown inside the dialog, which stays open with what the user typed.
 * `dismissable: false` for a question that must be answered: no 取消, no ×,
 * and Esc does nothing.
 * @param {{ title: string, testid: string, fields: FieldDef[], intro?: any, afterFields?: any, submitLabel?: string,
 *   wide?: boolean, dismissable?: boolean, onSubmit: (values: any) => any,
 *   extraButtons?: (api: { close: (value: any) => void }) => any }} options
 */
export function formDialog({ title, testid, fields, intro, afterFields, submitLabel = '保存', wide = false, dismissable = true, onSubmit, extraButtons }) {
  return modal({
    title,
    testid,
    wide,
    dismissable,
    build: ({ close }) => {
      const form = buildFields(fields);
      const errorBox = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'dialog-error', hidden: true });
      const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'dialog-submit' }, submitLabel);
      const el = h(
        'form',
        { class: 'modal-form', novalidate: true },
        h('div', { class: 'modal-body' }, intro ? h('div', { class: 'intro' }, intro) : null, form.el, afterFields ? afterFields(form) : null, errorBox),
        h(
          'footer',
          { class: 'modal-foot' },
          extraButtons ? extraButtons({ close }) : null,
          h('span', { class: 'spacer' }),
          dismissable ? h('button', { type: 'button', class: 'btn', 'data-testid': 'dialog-cancel', onClick: () => close(null) }, '取消') : null,
          submit,
        ),
      );
      el.addEventListener('keydown', (e) => {
        // Enter saves from any field except a multi-line one (implicit
        // submission covers text inputs only, not selects or radios).
        if (e.key === 'Enter' && !e.isComposing && e.target.tagName !== 'TEXTAREA' && e.target.tagName !== 'BUTTON' && e.target.type !== 'text' && e.target.type !== 'tel') {
          e.preventDefault();
          el.requestSubmit();
        }
      });
      el.addEventListener('submit', async (e) => {
        e.preventDefault();
        if (submit.disabled) return;
        errorBox.hidden = true;
        submit.disabled = true;
        try {
          const result = await onSubmit(form.values());
          close(result === undefined ? true : result);
        } catch (err) {
          showFormError(errorBox, err && err.message ? err : { message: String(err) });
        } finally {
          submit.disabled = false;
        }
      });
      return el;
    },
  });
}

/** Asks a yes/no question; resolves true when confirmed. */
export async function confirmDialog({ title, message, confirmLabel = '确定', danger = false, testid = 'confirm-dialog' }) {
  const r = await modal({
    title,
    testid,
    build: ({ close }) => {
      const ok = h('button', { type: 'submit', class: `btn ${danger ? 'danger' : 'primary'}`, 'data-testid': 'confirm-ok', 'data-autofocus': true }, confirmLabel);
      const form = h(
        'form',
        { class: 'modal-form' },
        h('div', { class: 'modal-body' }, h('div', { class: 'confirm-text' }, message)),
        h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', 'data-testid': 'confirm-cancel', onClick: () => close(false) }, '取消'), ok),
      );
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        close(true);
      });
      return form;
    },
  });
  return r === true;
}

/** An empty-state block for lists. */
export function emptyState(title, text, ...actions) {
  return h('div', { class: 'empty' }, h('div', { class: 'empty-title' }, title), text ? h('div', { class: 'empty-text' }, text) : null, actions.length ? h('div', { class: 'empty-actions' }, actions) : null);
}

/** A button that shows it is busy while `fn` runs. */
export function busyButton(btn, fn) {
  btn.addEventListener('click', async () => {
    if (btn.disabled) return;
    btn.disabled = true;
    btn.classList.add('busy');
    try {
      await fn();
    } catch {
      // The error has already been shown by `call`.
    } finally {
      btn.disabled = false;
      btn.classList.remove('busy');
    }
  });
  return btn;
}
