// 幼儿与班级: the children list (filter by class, search, show those who have
// left; add, edit, move class, leave; import and export) and the classes.
import { call, listen, pickSavePath } from '../lib/api.js';
import { h, mount, formDialog, confirmDialog, modal, toast, today, emptyState, busyButton, problemsTable } from '../lib/ui.js';
import { icons } from '../lib/icons.js';
import { chooseImportFile } from '../lib/import_dialog.js';

const GRADES = [
  ['nursery', '托班'],
  ['junior', '小班'],
  ['middle', '中班'],
  ['senior', '大班'],
];

/** The list's filter survives switching screens. */
const filter = { class_id: null, include_left: false, search: '' };

export async function render(view, ctx) {
  const tab = ctx.sub[0] === 'classes' ? 'classes' : 'list';
  if (tab === 'list' && ctx.sub[1]) filter.class_id = Number(ctx.sub[1]) || null;
  const classes = await call('classes_list');
  if (!ctx.isCurrent()) return;
  const body = h('div', { class: 'tab-body' });
  mount(
    view,
    h(
      'div',
      { class: 'tabs', role: 'tablist' },
      h('a', { href: '#/children/list', class: `tab${tab === 'list' ? ' active' : ''}`, role: 'tab', 'data-testid': 'tab-children' }, '幼儿名单'),
      h('a', { href: '#/children/classes', class: `tab${tab === 'classes' ? ' active' : ''}`, role: 'tab', 'data-testid': 'tab-classes' }, '班级管理', h('span', { class: 'count' }, classes.length)),
    ),
    body,
  );
  if (tab === 'classes') renderClasses(body, ctx, classes);
  else await renderList(body, ctx, classes);
}

// ------------------------------------------------------------------ children

function statusOf(c) {
  const t = today();
  if (c.left_on && c.left_on < t) return h('span', { class: 'badge grey', title: `离园日期 ${c.left_on}` }, `已离园 ${c.left_on}`);
  if (c.enrolled_on > t) return h('span', { class: 'badge blue' }, '待入园');
  if (c.left_on) return h('span', { class: 'badge amber', title: '最后在园日' }, `${c.left_on} 离园`);
  return h('span', { class: 'badge green' }, '在园');
}

async function renderList(body, ctx, classes) {
  if (filter.class_id && !classes.some((c) => c.id === filter.class_id)) filter.class_id = null;
  const tableBox = h('div', { class: 'table-wrap', 'data-testid': 'children-table-wrap' });
  const countEl = h('span', { class: 'muted', 'data-testid': 'children-count' });
  const classSelect = h(
    'select',
    { 'data-testid': 'class-filter', 'aria-label': '班级', value: filter.class_id ?? '' },
    h('option', { value: '' }, '全部班级'),
    classes.map((c) => h('option', { value: c.id }, `${c.name}(${c.child_count})`)),
  );
  const search = h('input', { type: 'search', class: 'search', placeholder: '搜索姓名、学号或家长', 'data-testid': 'children-search', value: filter.search, 'aria-label': '搜索' });
  const showLeft = h('input', { type: 'checkbox', 'data-testid': 'show-left', checked: filter.include_left });

  async function refresh() {
    const list = await call('children_list', { filter: { class_id: filter.class_id, include_left: filter.include_left, search: filter.search || null } });
    if (!ctx.isCurrent()) return;
    countEl.textContent = `共 ${list.length} 名`;
    mount(tableBox, childrenTable(list));
  }
  const reload = async () => {
    await ctx.navigate(filter.class_id ? `children/list/${filter.class_id}` : 'children/list');
  };

  classSelect.addEventListener('change', () => {
    filter.class_id = classSelect.value ? Number(classSelect.value) : null;
    history.replaceState(null, '', filter.class_id ? `#/children/list/${filter.class_id}` : '#/children/list');
    refresh().catch(() => {});
  });
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      filter.search = search.value.trim();
      refresh().catch(() => {});
    }, 200);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && search.value) {
      search.value = '';
      filter.search = '';
      refresh().catch(() => {});
    }
  });
  showLeft.addEventListener('change', () => {
    filter.include_left = showLeft.checked;
    refresh().catch(() => {});
  });

  function childrenTable(list) {
    if (!list.length) {
      if (!classes.length) return emptyState('还没有班级', '先在「班级管理」里新建班级,再添加幼儿;或者从表格文件导入。', h('a', { class: 'btn primary', href: '#/children/classes' }, '新建班级'));
      if (filter.search || filter.class_id) return emptyState('没有符合条件的幼儿', '换个搜索词或班级试试。');
      return emptyState('还没有幼儿', '点击「添加幼儿」逐个录入,或用「导入幼儿」从 Excel/CSV 文件一次导入。');
    }
    return h(
      'table',
      { class: 'table', 'data-testid': 'children-table' },
      h(
        'thead',
        null,
        h('tr', null, ['学号', '姓名', '性别', '出生日期', '班级', '家长', '电话', '入园日期', '状态', ''].map((t) => h('th', null, t))),
      ),
      h(
        'tbody',
        null,
        list.map((c) =>
          h(
            'tr',
            { 'data-testid': 'child-row', 'data-id': c.id, class: c.left_on && c.left_on < today() ? 'dim' : null, onDblclick: () => editChild(c).then((r) => r && refresh()) },
            h('td', { class: 'mono' }, c.student_no),
            h('td', { class: 'strong', 'data-testid': 'child-name' }, c.name),
            h('td', null, c.gender === 'female' ? '女' : '男'),
            h('td', { class: 'mono' }, c.birth_date || '—'),
            h('td', null, c.class_name || '—'),
            h('td', null, c.guardian_name || '—'),
            h('td', { class: 'mono' }, c.guardian_phone || '—'),
            h('td', { class: 'mono' }, c.enrolled_on),
            h('td', null, statusOf(c)),
            h(
              'td',
              { class: 'row-actions' },
              h('button', { type: 'button', class: 'link-btn', 'data-testid': 'child-edit', onClick: () => editChild(c).then((r) => r && refresh()) }, '编辑'),
              h('button', { type: 'button', class: 'link-btn', 'data-testid': 'child-move', onClick: () => moveChild(c, classes).then((r) => r && reload()) }, '调班'),
              c.left_on
                ? h('button', { type: 'button', class: 'link-btn', 'data-testid': 'child-unleave', onClick: () => undoLeave(c).then((r) => r && reload()) }, '撤销离园')
                : h('button', { type: 'button', class: 'link-btn danger', 'data-testid': 'child-leave', onClick: () => leaveChild(c).then((r) => r && reload()) }, '离园'),
            ),
          ),
        ),
      ),
    );
  }

  const addBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'add-child', onClick: () => addChild(classes, filter.class_id).then((r) => r && reload()) }, h('span', { class: 'btn-icon', svg: icons.plus }), '添加幼儿');
  const importBtn = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'import-children' }, h('span', { class: 'btn-icon', svg: icons.upload }), '导入幼儿'), async () => {
    if (await importChildren()) await reload();
  });
  const exportBtn = busyButton(h('button', { type: 'button', class: 'btn', 'data-testid': 'export-children' }, h('span', { class: 'btn-icon', svg: icons.download }), '导出 Excel'), exportChildren);

  mount(
    body,
    h(
      'div',
      { class: 'toolbar' },
      classSelect,
      h('div', { class: 'search-box' }, h('span', { class: 'search-icon', svg: icons.search }), search),
      h('label', { class: 'check-label' }, showLeft, '显示已离园'),
      countEl,
      h('span', { class: 'spacer' }),
      importBtn,
      exportBtn,
      addBtn,
    ),
    h('div', { class: 'card flush' }, tableBox),
  );
  await refresh();
}

function childFields(c, classes, defaultClass) {
  /** @type {import('../lib/ui.js').FieldDef[]} */
  const fields = [
    { name: 'name', label: '姓名', required: true, value: c?.name, testid: 'child-name-input' },
    {
      name: 'gender',
      label: '性别',
      type: 'radio',
      value: c?.gender || 'male',
      testid: 'child-gender',
      options: [
        ['male', '男'],
        ['female', '女'],
      ],
    },
    { name: 'student_no', label: '学号', required: true, value: c?.student_no, testid: 'child-no-input' },
    { name: 'birth_date', label: '出生日期', type: 'date', value: c?.birth_date, testid: 'child-birth-input' },
  ];
  if (!c) {
    fields.push({
      name: 'class_id',
      label: '班级',
      type: 'select',
      required: true,
      value: defaultClass ?? classes[0]?.id,
      testid: 'child-class-input',
      options: classes.map((k) => [k.id, `${k.name}(${k.grade_label})`]),
    });
  }
  fields.push(
    { name: 'enrolled_on', label: '入园日期', type: 'date', required: true, value: c?.enrolled_on || today(), testid: 'child-enrolled-input' },
    { name: 'guardian_name', label: '家长姓名', value: c?.guardian_name, testid: 'child-guardian-input' },
    { name: 'guardian_phone', label: '联系电话', type: 'tel', value: c?.guardian_phone, testid: 'child-phone-input' },
  );
  return fields;
}

async function addChild(classes, defaultClass) {
  if (!classes.length) {
    toast('请先在「班级管理」里新建班级', 'error');
    return null;
  }
  return formDialog({
    title: '添加幼儿',
    testid: 'child-dialog',
    fields: childFields(null, classes, defaultClass),
    onSubmit: async (v) => {
      const id = await call('child_add', { child: { ...v, class_id: Number(v.class_id) } }, { quiet: true });
      toast(`已添加 ${v.name.trim()}`, 'success');
      return id;
    },
  });
}

async function editChild(c) {
  return formDialog({
    title: `编辑幼儿信息 · ${c.name}`,
    testid: 'child-dialog',
    intro: `当前班级:${c.class_name || '—'}。换班请用「调班」,以便保留每个月所在的班级。`,
    fields: childFields(c),
    onSubmit: async (v) => {
      await call('child_update', { id: c.id, details: v }, { quiet: true });
      toast('已保存', 'success');
    },
  });
}

async function moveChild(c, classes) {
  let history = [];
  try {
    history = await call('child_placements', { id: c.id }, { quiet: true });
  } catch {
    history = [];
  }
  const others = classes.filter((k) => k.id !== c.class_id);
  if (!others.length) {
    toast('没有其他班级可调入', 'error');
    return null;
  }
  return formDialog({
    title: `调班 · ${c.name}`,
    testid: 'move-dialog',
    intro: h(
      'div',
      null,
      h('p', null, `现在在「${c.class_name || '—'}」。调班日期之前的月份仍按原班级统计。`),
      history.length > 1 ? h('p', { class: 'muted small' }, '班级记录:', history.map((p) => `${p.from_date} 起 ${p.class_name}`).join(' → ')) : null,
    ),
    fields: [
      { name: 'class_id', label: '调入班级', type: 'select', value: others[0].id, testid: 'move-class-input', options: others.map((k) => [k.id, `${k.name}(${k.grade_label})`]) },
      { name: 'from', label: '调班日期', type: 'date', required: true, value: today(), testid: 'move-from-input', hint: '从这一天起在新班级' },
    ],
    submitLabel: '调班',
    onSubmit: async (v) => {
      await call('child_move', { id: c.id, class_id: Number(v.class_id), from: v.from }, { quiet: true });
      toast(`${c.name} 已调入新班级`, 'success');
    },
  });
}

async function leaveChild(c) {
  return formDialog({
    title: `离园 · ${c.name}`,
    testid: 'leave-dialog',
    intro: '离园后幼儿不再出现在当前名单中,以前的记录都会保留。勾选「显示已离园」可以再次查看。',
    fields: [{ name: 'left_on', label: '离园日期(最后在园日)', type: 'date', required: true, value: today(), testid: 'leave-date-input' }],
    submitLabel: '确认离园',
    onSubmit: async (v) => {
      await call('child_set_left', { id: c.id, left_on: v.left_on }, { quiet: true });
      toast(`${c.name} 已办理离园`, 'success');
    },
  });
}

async function undoLeave(c) {
  const ok = await confirmDialog({ title: '撤销离园', message: `撤销 ${c.name} 的离园记录(${c.left_on})?撤销后该幼儿重新算作在园。`, confirmLabel: '撤销离园' });
  if (!ok) return null;
  await call('child_set_left', { id: c.id, left_on: null });
  toast('已撤销离园', 'success');
  return true;
}

// ------------------------------------------------------------------ import / export

/**
 * Explains the file format, offers the template, then picks a CSV/xlsx file
 * and imports it with a progress bar; every bad row is listed.
 */
async function importChildren() {
  const path = await chooseImportFile({
    title: '导入幼儿',
    testid: 'import-dialog',
    what: '幼儿名单',
    columns: [['姓名', true], ['性别', true], ['出生日期', false], ['班级', true], ['学号', true], ['家长姓名', false], ['联系电话', false], ['入园日期', true]],
    notes: ['带 * 的列必须填写;班级必须是已经建好的班级,学号不能重复。', 'Excel 另存的 CSV(GBK 编码)和 UTF-8 的 CSV 都可以。', '只要有一行出错,整个文件都不会导入,并列出每一行的错误,改正后再导入即可。'],
    pickTestid: 'import-pick',
    template: { testid: 'import-template', cmd: 'children_template', defaultPath: '幼儿导入模板.csv', saved: (p) => `模板已保存到 ${p},用 Excel 打开填写即可` },
  });
  return path ? runImport(path) : false;
}

/** Imports the file at `path` (progress, then success or every bad row). */
export async function runImport(path) {
  /** @type {(p: any) => void} */
  let setProgress = () => {};
  /** @type {(ok: boolean) => void} */
  let closeProgress = () => {};
  const progressShown = modal({
    title: '正在导入幼儿',
    testid: 'import-progress',
    dismissable: false,
    build: ({ close }) => {
      closeProgress = close;
      const bar = h('div', { class: 'progress-bar' });
      const label = h('div', { class: 'muted small', 'data-testid': 'import-progress-text' }, '正在读取文件……');
      setProgress = ({ done, total }) => {
        bar.style.width = `${total ? Math.round((done * 100) / total) : 0}%`;
        label.textContent = `已完成 ${total ? Math.round((done * 100) / total) : 0}%`;
      };
      return h('div', { class: 'modal-body' }, h('p', { class: 'path' }, String(path)), h('div', { class: 'progress' }, bar), label);
    },
  });
  const unlisten = await listen('import-progress', (p) => setProgress(p));
  try {
    const summary = await call('children_import', { path }, { quiet: true });
    closeProgress(true);
    await progressShown;
    const blank = summary.skipped_blank ? `(跳过 ${summary.skipped_blank} 个空行)` : '';
    toast(`导入成功:共导入 ${summary.imported} 名幼儿${blank}`, 'success');
    return true;
  } catch (err) {
    closeProgress(false);
    await progressShown;
    await modal({
      title: '导入失败,未导入任何数据',
      testid: 'import-errors',
      wide: true,
      build: ({ close }) =>
        h(
          'div',
          { class: 'modal-form' },
          h(
            'div',
            { class: 'modal-body' },
            h('p', { class: 'form-error-msg' }, err.problems && err.problems.length ? `文件中有 ${err.problems.length} 处错误。整个文件都没有导入,请在表格中改正下列各行后重新导入:` : err.message),
            err.problems && err.problems.length ? problemsTable(err.problems) : null,
          ),
          h('footer', { class: 'modal-foot' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn primary', 'data-autofocus': true, onClick: () => close(null) }, '知道了')),
        ),
    });
    return false;
  } finally {
    unlisten();
  }
}

async function exportChildren() {
  const path = await pickSavePath({ title: '导出幼儿和班级', defaultPath: `幼儿名单-${today()}.xlsx`, filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }] });
  if (!path) return;
  const file = /\.xlsx$/i.test(path) ? path : `${path}.xlsx`;
  await call('children_export', { path: file });
  toast(`已导出到 ${file}`, 'success');
}

// ------------------------------------------------------------------ classes

function classFields(c, staff) {
  return [
    { name: 'name', label: '班级名称', required: true, value: c?.name, testid: 'class-name-input', placeholder: '例如 大一班' },
    { name: 'grade', label: '年级', type: 'select', value: c?.grade || 'junior', testid: 'class-grade-input', options: GRADES },
    { name: 'head_teacher', label: '班主任', value: c?.head_teacher, testid: 'class-teacher-input', list: staff.map((s) => s.name) },
  ];
}

async function staffNames() {
  try {
    return (await call('staff_list', {}, { quiet: true })).filter((s) => s.active);
  } catch {
    return [];
  }
}

async function editClass(c) {
  const staff = await staffNames();
  return formDialog({
    title: c ? `编辑班级 · ${c.name}` : '新建班级',
    testid: 'class-dialog',
    fields: classFields(c, staff),
    onSubmit: async (v) => {
      if (c) await call('class_update', { id: c.id, input: v }, { quiet: true });
      else await call('class_add', { input: v }, { quiet: true });
      toast(c ? '班级已保存' : `已新建 ${v.name.trim()}`, 'success');
    },
  });
}

function renderClasses(body, ctx, classes) {
  const reload = () => ctx.navigate('children/classes');
  const add = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'add-class', onClick: () => editClass(null).then((r) => r && reload()) }, h('span', { class: 'btn-icon', svg: icons.plus }), '新建班级');
  mount(
    body,
    h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, `共 ${classes.length} 个班级,${classes.reduce((n, c) => n + c.child_count, 0)} 名在园幼儿`), h('span', { class: 'spacer' }), add),
    h(
      'div',
      { class: 'card flush' },
      classes.length
        ? h(
            'table',
            { class: 'table', 'data-testid': 'classes-table' },
            h('thead', null, h('tr', null, h('th', null, '班级名称'), h('th', null, '年级'), h('th', null, '班主任'), h('th', { class: 'num' }, '在园人数'), h('th', null, ''))),
            h(
              'tbody',
              null,
              classes.map((c) =>
                h(
                  'tr',
                  { 'data-testid': 'class-row', 'data-id': c.id, onDblclick: () => editClass(c).then((r) => r && reload()) },
                  h('td', { class: 'strong', 'data-testid': 'class-name' }, c.name),
                  h('td', null, h('span', { class: `grade-pill g-${c.grade}` }, c.grade_label)),
                  h('td', null, c.head_teacher || '—'),
                  h('td', { class: 'num' }, h('a', { class: 'link', href: `#/children/list/${c.id}` }, c.child_count)),
                  h(
                    'td',
                    { class: 'row-actions' },
                    h('button', { type: 'button', class: 'link-btn', 'data-testid': 'class-edit', onClick: () => editClass(c).then((r) => r && reload()) }, '编辑'),
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'link-btn danger',
                        'data-testid': 'class-delete',
                        onClick: async () => {
                          const ok = await confirmDialog({ title: '删除班级', message: `删除「${c.name}」?有过幼儿记录的班级不能删除。`, confirmLabel: '删除', danger: true });
                          if (!ok) return;
                          try {
                            await call('class_delete', { id: c.id });
                            toast('班级已删除', 'success');
                            reload();
                          } catch {
                            // shown by call()
                          }
                        },
                      },
                      '删除',
                    ),
                  ),
                ),
              ),
            ),
          )
        : emptyState('还没有班级', '新建班级后就可以添加幼儿了。托班、小班、中班、大班都可以。', h('button', { type: 'button', class: 'btn primary', onClick: () => add.click() }, '新建班级')),
    ),
  );
}
