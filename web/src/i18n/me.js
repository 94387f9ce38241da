// Strings of the talent's own pages.
export default {
  zh: {
    me: {
      title: '我的档案', no_record_title: '尚未关联人才档案', no_record_text: '您的账户还没有关联到人才档案，请联系人才局。',
      no_org: '未登记单位', personal: '我的个人信息',
      personal_note: '证件号码、手机和邮箱默认部分隐藏。点“显示”查看完整内容，每次查看都会记录在下方。',
      pii: { document: '证件号码', phone: '手机', email: '电子邮箱' },
      show: '显示', hide: '隐藏', not_on_record: '未登记', birth_date: '出生日期', gender: '性别', city: '籍贯城市',
      honours: '荣誉', no_honours: '暂无登记的荣誉', year: '{y} 年', work: '研究方向', fields: '研究领域', keywords: '关键词',
      segments: '产业链环节', none: '暂无',
      reads: '谁查看了我的个人信息', reads_note: '人才局工作人员或您本人每次查看完整的个人信息，都会在这里留下记录。',
      reads_empty: '还没有人查看过您的完整个人信息', you: '您本人', read_fields: '查看了{fields}', purpose: '用途：{p}',
      readers: { cli: '系统管理员（命令行）' },
    },
  },
  en: {
    me: {
      title: 'My profile', no_record_title: 'No talent record linked',
      no_record_text: 'Your account is not linked to a talent record yet; please contact the talent bureau.',
      no_org: 'No organisation on record', personal: 'My personal data',
      personal_note: 'ID number, phone and e-mail are partly hidden. Tap "Show" to see them in full; every look is recorded below.',
      pii: { document: 'ID number', phone: 'Phone', email: 'E-mail' },
      show: 'Show', hide: 'Hide', not_on_record: 'Not on record', birth_date: 'Birth date', gender: 'Gender',
      city: 'City of origin', honours: 'Honours', no_honours: 'No honour on record', year: '{y}', work: 'Research',
      fields: 'Research fields', keywords: 'Keywords', segments: 'Industry-chain segments', none: 'None yet',
      reads: 'Who read my personal data',
      reads_note: 'Each time bureau staff or you yourself see your personal data in full, it is recorded here.',
      reads_empty: 'Nobody has read your personal data in full yet', you: 'You', read_fields: 'read {fields}',
      purpose: 'purpose: {p}', readers: { cli: 'System administrator (command line)' },
    },
  },
};
