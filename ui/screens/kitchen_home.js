// The home screen's food-sample notice: what is not sampled today and in the
// past 7 days (the core's missing-sample check) and how many problems the
// records show (the core's flags), with a link to 食品留样.
// Returns an element at once and fills it when the answer arrives; shows
// nothing when nothing is missing or the check cannot be read.
import { call } from '../lib/api.js';
import { h } from '../lib/ui.js';
import { icons } from '../lib/icons.js';

export function missingSamplesNotice() {
  const box = h('div', { class: 'ks-home', 'data-testid': 'home-samples' });
  Promise.all([call('kitchen_missing', { days: 7 }, { quiet: true }), call('kitchen_flags', { days: 7 }, { quiet: true }).catch(() => [])])
    .then(([r, flags]) => {
      const past = r.days.filter((d) => !d.is_today);
      const todayDay = r.days.find((d) => d.is_today);
      const lines = [];
      if (todayDay) {
        const meals = todayDay.meals.map((m) => (m.no_menu ? `${m.label}(没有菜单)` : `${m.label} ${m.dishes.length} 道`));
        lines.push(h('li', { 'data-testid': 'home-samples-today' }, h('b', null, '今天未留样:'), meals.join('、')));
      }
      for (const d of past.slice(0, 4)) {
        const meals = d.meals.map((m) => (m.no_menu ? `${m.label}没有菜单` : `${m.label}:${m.dishes.join('、')}`));
        lines.push(h('li', { 'data-testid': 'home-samples-day' }, h('b', null, `${d.label} 漏留样:`), meals.join(';')));
      }
      if (past.length > 4) lines.push(h('li', { class: 'muted' }, `另有 ${past.length - 4} 天,见漏留样检查`));
      if (flags.length) {
        const kinds = [...new Set(flags.map((f) => f.title))];
        lines.push(h('li', { 'data-testid': 'home-samples-flags' }, h('b', null, `需要说明的问题 ${flags.length} 个:`), kinds.join('、')));
      }
      if (!lines.length) return;
      box.replaceChildren(
        h(
          'div',
          { class: 'notice warn' },
          h('span', { svg: icons.alert }),
          h(
            'div',
            null,
            h('div', null, h('b', null, '食品留样'), ` — 今天和前 7 天共 ${r.missing_samples} 份未留样`, r.meals_without_menu ? `,${r.meals_without_menu} 餐没有菜单` : '', flags.length ? `,${flags.length} 个问题需要说明` : '', '。 ', h('a', { href: '#/samples/check', class: 'link' }, '去处理')),
            h('ul', { class: 'ks-home-list' }, lines),
          ),
        ),
      );
    })
    .catch(() => {
      // The home screen works without it; the 食品留样 screen shows the error.
    });
  return box;
}
