// A job that is not built yet: says so plainly, and what it will do.
import { h, mount } from '../lib/ui.js';
import { icons } from '../lib/icons.js';

export function placeholder(title, what) {
  return {
    pending: true,
    render(view) {
      mount(
        view,
        h(
          'div',
          { class: 'card pending-card', 'data-testid': 'pending' },
          h('div', { class: 'pending-icon', svg: icons.tool }),
          h('h2', null, title),
          h('p', { class: 'pending-status' }, '该功能正在开发中'),
          h('p', { class: 'muted' }, `将来可以:${what}`),
        ),
      );
    },
  };
}
