// The school profile fields, shared by the first-run setup and 设置 › 学校信息.
export function profileFields(p = {}) {
  return [
    { name: 'name', label: '学校名称', required: true, value: p.name, testid: 'profile-name', placeholder: '例如 阳光幼儿园', wide: true },
    { name: 'campus', label: '园区', value: p.campus, testid: 'profile-campus', placeholder: '例如 本部' },
    { name: 'phone', label: '电话', type: 'tel', value: p.phone, testid: 'profile-phone' },
    { name: 'address', label: '地址', value: p.address, testid: 'profile-address', wide: true },
    { name: 'bursar_name', label: '会计/出纳', value: p.bursar_name, testid: 'profile-bursar' },
    { name: 'head_name', label: '园长', value: p.head_name, testid: 'profile-head' },
    {
      name: 'ownership',
      label: '办学性质',
      type: 'radio',
      value: p.ownership || 'public',
      testid: 'profile-ownership',
      options: [
        ['public', '公办'],
        ['private', '民办'],
      ],
      wide: true,
    },
  ];
}
