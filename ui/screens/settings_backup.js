// 设置 › 数据备份: 立即备份, 备份到… (a folder or USB stick through the system
// dialog), the list of backups, and 恢复 with a confirmation that says what
// happens. Long work shows a busy button; the Rust side runs it off the UI thread.
import { call, pickFile } from '../lib/api.js';
import { h, mount, confirmDialog, toast, busyButton, emptyState } from '../lib/ui.js';

/** 12 KB, 3.4 MB. */
export function size(bytes) {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
}

export async function render(body, ctx) {
  const [list, st] = await Promise.all([call('backup_list'), call('backup_status')]);
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate('settings/backup');
  const now = busyButton(h('button', { type: 'button', class: 'btn primary', 'data-testid': 'backup-now' }, '立即备份'), async () => {
    const b = await call('backup_create', { to: null });
    toast(`已备份:${b.file_name}(${size(b.size_bytes)})`, 'success');
    reload();
  });
  const to = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'backup-to' }, '备份到…'), async () => {
    const dir = await pickFile({ directory: true, multiple: false, title: '选择备份到哪个文件夹(如 U 盘)' });
    if (!dir) return;
    const b = await call('backup_create', { to: Array.isArray(dir) ? dir[0] : dir });
    toast(`已备份到 ${b.path}(${size(b.size_bytes)})`, 'success');
    reload();
  });
  const restore = async (b) => {
    const ok = await confirmDialog({
      title: '从备份恢复',
      message: `将用 ${b.created_at} 的备份(${b.reason_label})替换现在的全部数据。\n恢复前,现在的数据会先另存一份备份(恢复前),不会丢失;但这个备份之后录入的内容将不再显示,需要时可以再从那份备份恢复。`,
      confirmLabel: '恢复',
      danger: true,
      testid: 'restore-confirm',
    });
    if (!ok) return;
    toast('正在恢复,请稍候……');
    const r = await call('backup_restore', { file: b.path });
    toast(`已恢复到 ${b.created_at} 的数据。原来的数据另存为 ${r.kept || '—'}`, 'success');
    location.hash = '#/home';
    location.reload();
  };
  mount(
    body,
    h(
      'div',
      { class: 'card narrow', 'data-testid': 'backup-card' },
      h('h2', null, '数据备份'),
      st.server
        ? h('p', { class: 'muted' }, '数据在学校服务器上,服务器按计划备份(见 README 的 pg_dump 计划)。「立即备份」把整个学校复制到本机的一个文件。')
        : h('p', { class: 'muted' }, '每天第一次启动时自动备份,结账、重新打开、导入和盘点结束前也会自动备份;自动备份保留 14 天,之后每月保留一份。备份文件夹:', h('code', null, st.dir)),
      // On a server every copy made here is already off the server.
      st.server
        ? null
        : h(
            'p',
            { 'data-testid': 'backup-offsite' },
            st.last_offsite ? `最近一次备份到其他位置:${st.last_offsite.slice(0, 16)}` : '还没有备份到其他位置(U 盘或另一台电脑)。',
            st.offsite_due ? h('span', { class: 'badge amber' }, '建议现在备份到 U 盘') : null,
          ),
      h('div', { class: 'form-actions' }, to, now),
    ),
    h(
      'div',
      { class: 'card flush' },
      list.length
        ? h(
            'table',
            { class: 'table', 'data-testid': 'backup-table' },
            h('thead', null, h('tr', null, ['时间', '原因', '大小', '文件', ''].map((t) => h('th', null, t)))),
            h(
              'tbody',
              null,
              list.map((b) =>
                h(
                  'tr',
                  { 'data-testid': 'backup-row' },
                  h('td', { class: 'mono' }, b.created_at),
                  h('td', null, b.reason_label),
                  h('td', { class: 'num' }, size(b.size_bytes)),
                  h('td', { class: 'mono small muted' }, b.file_name),
                  h(
                    'td',
                    { class: 'row-actions' },
                    st.server ? null : h('button', { type: 'button', class: 'link-btn', 'data-testid': 'backup-restore', onClick: () => restore(b).catch(() => {}) }, '恢复'),
                  ),
                ),
              ),
            ),
          )
        : emptyState('还没有备份', '点「立即备份」做第一份备份。'),
    ),
  );
}
