// Strings of the shell, login, password change and the shared components.
export default {
  zh: {
    app: { name: '光谷人才', full_name: '光谷人才服务平台', tagline: '东湖高新区人才局' },
    common: {
      save: '保存', cancel: '取消', search: '搜索', reset: '重置', edit: '编辑', create: '新建', delete: '删除',
      back: '返回', retry: '重试', download: '下载', upload: '上传', confirm: '确认', close: '关闭', more: '更多',
      view: '查看', filter: '筛选', all: '全部', yes: '是', no: '否', none: '无', loading: '加载中…',
      empty: '暂无数据', saved: '已保存', request_id: '请求编号', prev_page: '上一页', next_page: '下一页',
      page_n: '第 {n} 页', actions: '操作', required: '必填', details: '详情', status: '状态',
      created_at: '创建时间', updated_at: '更新时间', days: '{n} 天',
    },
    nav: {
      home: '首页', workbench: '工作台', registry: '人才与单位', admin: '系统管理', my: '我的',
    },
    shell: {
      language: '语言', logout: '退出登录', change_password: '修改密码', tasks: '我的待办', menu: '菜单',
      roles: '角色', logged_out: '已退出登录',
    },
    lang: { switch_to: 'English' },
    login: {
      title: '登录', username: '用户名', password: '密码', submit: '登录', welcome: '欢迎使用光谷人才服务平台',
      hint: '首次使用请向人才局索取账户或使用邀请链接激活。',
      username_required: '请输入用户名', password_required: '请输入密码',
    },
    password: {
      title: '修改密码', must_change: '首次登录或密码被重置后，须先设置新密码。', current: '当前密码', new: '新密码',
      confirm: '确认新密码', submit: '修改密码', mismatch: '两次输入的新密码不一致', changed: '密码已修改',
      rule: '长度须达到系统要求（默认至少 10 个字符），不能与用户名或当前密码相同',
    },
    system: {
      forbidden_title: '无权访问', forbidden_text: '您的角色无权查看此页面。', not_found_title: '页面不存在',
      not_found_text: '您访问的页面不存在。', go_home: '返回首页',
    },
    roles: {
      bureau_admin: '人才局管理员', bureau_officer: '人才局工作人员', finance: '财务', commissioner: '人才服务专员',
      station_operator: '光谷站运营', employer: '用人单位', talent: '人才', bank: '合作银行', provider: '服务机构',
      expert: '评审专家', leader: '领导',
    },
  },
  en: {
    app: { name: 'Guanggu', full_name: 'Guanggu Talent Services', tagline: 'East Lake High-Tech Zone Talent Bureau' },
    common: {
      save: 'Save', cancel: 'Cancel', search: 'Search', reset: 'Reset', edit: 'Edit', create: 'New', delete: 'Delete',
      back: 'Back', retry: 'Retry', download: 'Download', upload: 'Upload', confirm: 'Confirm', close: 'Close',
      more: 'More', view: 'View', filter: 'Filter', all: 'All', yes: 'Yes', no: 'No', none: 'None',
      loading: 'Loading…', empty: 'Nothing here yet', saved: 'Saved', request_id: 'Request id',
      prev_page: 'Previous', next_page: 'Next', page_n: 'Page {n}', actions: 'Actions', required: 'Required',
      details: 'Details', status: 'Status', created_at: 'Created', updated_at: 'Updated', days: '{n} d',
    },
    nav: { home: 'Home', workbench: 'Workbench', registry: 'Talents & organisations', admin: 'Administration', my: 'Mine' },
    shell: {
      language: 'Language', logout: 'Log out', change_password: 'Change password', tasks: 'My tasks', menu: 'Menu',
      roles: 'Roles', logged_out: 'Logged out',
    },
    lang: { switch_to: '中文' },
    login: {
      title: 'Log in', username: 'Username', password: 'Password', submit: 'Log in',
      welcome: 'Welcome to Guanggu Talent Services',
      hint: 'New here? Ask the talent bureau for an account, or use your invitation link.',
      username_required: 'Enter your username', password_required: 'Enter your password',
    },
    password: {
      title: 'Change password', must_change: 'Set a new password before you go on (first login or after a reset).',
      current: 'Current password', new: 'New password', confirm: 'Repeat new password', submit: 'Change password',
      mismatch: 'The two new passwords differ', changed: 'Password changed',
      rule: 'As long as the system requires (10 characters unless set otherwise), not your username or your current password',
    },
    system: {
      forbidden_title: 'Not allowed', forbidden_text: 'Your roles do not allow this page.',
      not_found_title: 'Page not found', not_found_text: 'There is no page at this address.', go_home: 'Go home',
    },
    roles: {
      bureau_admin: 'Bureau administrator', bureau_officer: 'Bureau officer', finance: 'Finance',
      commissioner: 'Service commissioner', station_operator: 'Station operator', employer: 'Employer HR',
      talent: 'Talent', bank: 'Partner bank', provider: 'Benefit provider', expert: 'Expert reviewer', leader: 'Leader',
    },
  },
};
