// The home screen's reminder to publish last month's 伙食费收支公示 by the set
// day (伙食账 › 设置), or to publish it again when its settlement changed after
// publishing. Quiet when the school does not keep its meal account in the app
// or the sheet is published and current; the wording is the core's.
import { call } from '../lib/api.js';
import { h, mount } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { picked as attendancePicked } from './attendance.js';

/** Fills `slot` with the reminder, if there is one. */
export async function mealReminder(slot) {
  let r = null;
  try {
    r = await call('meal_reminder', {}, { quiet: true });
  } catch {
    return; // not worth a banner on the home screen
  }
  if (!r) return;
  // Where the next step is: a stale sheet is withdrawn and published again on
  // the sheet; an open month is closed first (先结账); then the count; then 公示.
  const [href, label] = r.stale
    ? ['#/meal/sheet', '去处理']
    : !r.closed
      ? ['#/attendance/settle', '去结账']
      : !r.counted
        ? ['#/meal/count', '去盘点']
        : ['#/meal/sheet', '去公示'];
  const onClick = () => {
    if (href === '#/attendance/settle') attendancePicked.month = r.month;
  };
  mount(
    slot,
    h(
      'div',
      { class: `notice ${r.overdue ? 'danger meal-overdue' : 'warn'}`, 'data-testid': 'meal-reminder', 'data-month': r.month },
      h('span', { svg: icons.alert }),
      h('span', null, r.message, ' ', h('a', { href, class: 'link', 'data-testid': 'meal-reminder-link', onClick }, label)),
    ),
  );
}
