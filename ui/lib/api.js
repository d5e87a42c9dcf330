// The bridge to the Rust side. Every command error arrives as the core's
// ErrorView ({type, code, data, message, problems}): screens decide what to
// offer by `code` (and its `data`), never by reading the Chinese `message`; anything else (a bad argument the
// shell could not even read) is turned into the same shape here, so screens
// only ever deal with one kind of error.

const tauri = window.__TAURI__;

/** Normalises whatever `invoke` rejected with into {type, code, data, message, problems}. */
export function toError(e) {
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    return {
      type: e.type || 'Internal',
      code: e.code || 'internal',
      data: e.data && typeof e.data === 'object' ? e.data : {},
      message: e.message,
      problems: Array.isArray(e.problems) ? e.problems : [],
    };
  }
  const text = typeof e === 'string' ? e : String(e);
  // The shell's own message for arguments it could not read (not the core's).
  if (/invalid args|missing required key|invalid type|unknown variant|premature end|input contains invalid/i.test(text)) {
    return { type: 'Invalid', code: 'invalid', data: {}, message: `输入的内容格式不正确,请检查后再试。(${text})`, problems: [] };
  }
  return { type: 'Internal', code: 'internal', data: {}, message: `操作失败:${text}`, problems: [] };
}

/**
 * What is going on right now: commands in flight, and a native file dialog
 * open (or just closed). The window's return to the front reloads the screen
 * only when nothing is (closing a save dialog returns the focus too).
 */
export const activity = { calls: 0, dialog: false, dialogClosedAt: 0 };

/** Whether a command or a native dialog is busy (or a dialog closed a moment ago). */
export function busy() {
  return activity.calls > 0 || activity.dialog || Date.now() - activity.dialogClosedAt < 1500;
}

async function nativeDialog(run) {
  activity.dialog = true;
  try {
    return await run();
  } finally {
    activity.dialog = false;
    activity.dialogClosedAt = Date.now();
  }
}

/** @type {(err: any) => void} */
let errorSink = () => {};
/** Where `call` shows errors by default (set by app.js to the toast banner). */
export function setErrorSink(fn) {
  errorSink = fn;
}

/** @typedef {import('../types/generated').Commands} Commands */

/**
 * Invokes a command. On failure the Chinese message is shown (unless `quiet`,
 * used by dialogs that show the error inside themselves) and the normalised
 * error is thrown. Name, arguments and result are checked by tsc against the
 * generated `Commands` map (scripts/check-types.sh).
 * @template {keyof Commands} K
 * @param {K} cmd
 * @param {Commands[K]['args']} [args]
 * @param {{ quiet?: boolean }} [options]
 * @returns {Promise<Commands[K]['result']>}
 */
export async function call(cmd, args = /** @type {Commands[K]['args']} */ ({}), { quiet = false } = {}) {
  if (!tauri || !tauri.core) {
    const err = { type: 'Internal', message: '本页面需要在「后勤 Houqin」程序中打开。', problems: [] };
    if (!quiet) errorSink(err);
    throw err;
  }
  activity.calls += 1;
  try {
    return await tauri.core.invoke(cmd, args);
  } catch (e) {
    const err = toError(e);
    if (!quiet) errorSink(err);
    throw err;
  } finally {
    activity.calls -= 1;
  }
}

/** Listens to an app event; returns a function that stops listening. */
export async function listen(event, handler) {
  return tauri.event.listen(event, (e) => handler(e.payload));
}

/** The native "open file" dialog; resolves to a path or null. */
export async function pickFile(options) {
  return nativeDialog(() => (tauri.dialog && tauri.dialog.open ? tauri.dialog.open(options) : tauri.core.invoke('plugin:dialog|open', { options })));
}

/** The native "save file" dialog; resolves to a path or null. */
export async function pickSavePath(options) {
  return nativeDialog(() => (tauri.dialog && tauri.dialog.save ? tauri.dialog.save(options) : tauri.core.invoke('plugin:dialog|save', { options })));
}
