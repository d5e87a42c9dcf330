// The home screen's backup line: the age of the last backup (最近备份:今天 09:12)
// and, when no copy has left this PC for a month (备份到… a USB stick), a
// warning with a link to 设置 › 数据备份. Quiet on a server (the server keeps
// its own backups) and when the status cannot be read.
import { call } from '../lib/api.js';
import { h } from '../lib/ui.js';
import { icons } from '../lib/icons.js';

export function backupLine() {
  const box = h('div', { 'data-testid': 'home-backup-slot' });
  call('backup_status', {}, { quiet: true })
    .then((st) => {
      if (st.server) return;
      const line = h(
        'div',
        { class: 'home-backup', 'data-testid': 'home-backup' },
        h('span', null, st.last_age ? `最近备份:${st.last_age}` : '还没有备份'),
        h('a', { href: '#/settings/backup', class: 'link' }, '数据备份'),
      );
      const warn = st.offsite_due
        ? h(
            'div',
            { class: 'notice warn', 'data-testid': 'home-offsite-warning' },
            h('span', { svg: icons.alert }),
            h(
              'span',
              null,
              st.last_offsite
                ? `已经 30 天以上没有把数据备份到这台电脑以外(最近一次:${st.last_offsite.slice(0, 10)})。`
                : '数据还从来没有备份到这台电脑以外。',
              '电脑硬盘损坏时,本机的备份会一起丢失:请用「备份到…」复制到 U 盘或另一台电脑。 ',
              h('a', { href: '#/settings/backup', class: 'link' }, '去备份'),
            ),
          )
        : null;
      box.replaceChildren(...[line, warn].filter(Boolean));
    })
    .catch(() => {});
  return box;
}
