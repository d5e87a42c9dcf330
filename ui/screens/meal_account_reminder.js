// The home screen's reminder to publish last month's 伙食费收支公示 by the set
// day (伙食账 › 设置). Quiet when the school does not keep its meal account in
// the app or the sheet is already published; the wording is the core's.
import { call } from '../lib/api.js';
import { h, mount } from '../lib/ui.js';
import { icons } from '../lib/icons.js';

/** Fills `slot` with the reminder, if there is one. */
export async function mealReminder(slot) {
  let r = null;
  try {
    r = await call('meal_reminder', {}, { quiet: true });
  } catch {
    return; // not worth a banner on the home screen
  }
  if (!r) return;
  mount(
    slot,
    h(
      'div',
      { class: `notice ${r.overdue ? 'danger meal-overdue' : 'warn'}`, 'data-testid': 'meal-reminder', 'data-month': r.month },
      h('span', { svg: icons.alert }),
      h('span', null, r.message, ' ', h('a', { href: r.counted ? '#/meal/sheet' : '#/meal/count', class: 'link', 'data-testid': 'meal-reminder-link' }, r.counted ? '去公示' : '去盘点')),
    ),
  );
}
