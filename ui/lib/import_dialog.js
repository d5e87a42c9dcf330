// The dialog in front of every table import (幼儿、请假、资产): which columns
// the file needs, required ones starred, the rules, an optional template to
// download, then the file picker. The import itself differs per screen.
import { call, pickFile, pickSavePath } from './api.js';
import { h, modal, toast } from './ui.js';
import { icons } from './icons.js';

/**
 * Shows the dialog and returns the chosen .xlsx/.csv path, or null if the
 * user cancelled (or only saved the template).
 *
 * @param {object} o
 * @param {string} o.title       dialog title, e.g. 导入幼儿
 * @param {string} o.testid      the dialog's data-testid
 * @param {string} o.what        what the file holds, e.g. 幼儿名单
 * @param {Array<[string, boolean]>} o.columns  header and whether it is required
 * @param {string[]} o.notes     the rules, one line each
 * @param {string} o.pickTestid  data-testid of the 选择文件… button
 * @param {{ testid: string, cmd: 'children_template' | 'assets_template' | 'supply_items_template', defaultPath: string, saved: (path: string) => string }} [o.template]
 */
export async function chooseImportFile(o) {
  const choice = await modal({
    title: o.title,
    testid: o.testid,
    build: ({ close }) => {
      const form = h(
        'form',
        { class: 'modal-form' },
        h(
          'div',
          { class: 'modal-body' },
          h('p', null, `从 Excel(.xlsx)或 CSV 文件导入${o.what}。第一行是表头,列的顺序不限:`),
          h(
            'div',
            { class: 'columns-list' },
            o.columns.map(([c, required]) => h('span', { class: `col-chip${required ? ' must' : ''}` }, c, required ? h('span', { class: 'req' }, '*') : null)),
          ),
          h('ul', { class: 'muted small plain-list' }, o.notes.map((n) => h('li', null, n))),
        ),
        h(
          'footer',
          { class: 'modal-foot' },
          o.template
            ? h('button', { type: 'button', class: 'btn', 'data-testid': o.template.testid, onClick: () => close('template') }, h('span', { class: 'btn-icon', svg: icons.download }), '下载模板')
            : null,
          h('span', { class: 'spacer' }),
          h('button', { type: 'button', class: 'btn', onClick: () => close(null) }, '取消'),
          h('button', { type: 'submit', class: 'btn primary', 'data-testid': o.pickTestid, 'data-autofocus': true }, '选择文件…'),
        ),
      );
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        close('pick');
      });
      return form;
    },
  });
  if (choice === 'template' && o.template) {
    const path = await pickSavePath({ title: '保存导入模板', defaultPath: o.template.defaultPath, filters: [{ name: 'CSV 文件', extensions: ['csv'] }] });
    if (path) {
      await call(o.template.cmd, { path });
      toast(o.template.saved(path), 'success');
    }
    return null;
  }
  if (choice !== 'pick') return null;
  const path = await pickFile({ multiple: false, directory: false, title: `选择要导入的${o.what}`, filters: [{ name: '表格文件(.xlsx, .csv)', extensions: ['xlsx', 'csv'] }] });
  return path || null;
}
