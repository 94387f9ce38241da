// Strings of the recruitment orders (光谷招聘令) and the registration of a hire.
export default {
  zh: {
    orders: {
      title: '招聘令', new: '发布招聘令', new_title: '发布招聘令', detail_title: '招聘令',
      lead: '光谷龙头企业和研发单位为年薪 100 万元以上的岗位发布招聘令；登记录用后按政策实时认定，无需评审。',
      empty: '还没有招聘令', empty_filtered: '没有符合筛选条件的招聘令', per_year: '年',
      close: '关闭招聘令', close_confirm: '关闭后不能再登记录用。确定关闭这条招聘令吗？', closed: '招聘令已关闭',
      no_hires: '还没有登记录用',
      status: { open: '招聘中', filled: '已录用', closed: '已关闭' },
      fields: {
        org: '用人单位', title: '岗位名称', segment: '产业链环节', salary: '岗位年薪', description: '岗位说明',
        hired: '录用人才', closed_at: '关闭时间',
      },
      sections: { post: '岗位', hires: '录用登记' },
      form: {
        org_required: '请选择用人单位', title_required: '请填写岗位名称', segment_required: '请选择产业链环节', title_placeholder: '例如 首席光学科学家',
        segment_placeholder: '选择岗位所属产业链环节', salary_placeholder: '例如 1200000', created: '招聘令已发布',
      },
      hire: {
        title: '登记录用', talent: '录用人才', contract_salary: '合同年薪', start_on: '入职日期', term_years: '合同期限',
        years: '年', pick_date: '选择日期', submit: '登记并认定',
        hint: '登记后系统按入职日现行政策立即判定：符合条件的，当即认定并生成补贴计划和认定通知书。',
        talent_required: '请选择录用的人才', start_required: '请选择入职日期', term_invalid: '合同期限为 1 至 {max} 年的整数',
        registered: '录用已登记', decision_title: '认定结果', notice: '打印认定通知书', recognition: '查看认定记录',
        no_recognition: '本次录用不符合实时认定条件，未生成认定。', recognized: '已认定', not_recognized: '未认定',
      },
    },
  },
  en: {
    orders: {
      title: 'Recruitment orders', new: 'Issue an order', new_title: 'Issue a recruitment order', detail_title: 'Recruitment order',
      lead: 'Leading enterprises and R&D units issue orders for posts paying 1,000,000 CNY a year or more; the hire is recognised at once under the policy, with no committee.',
      empty: 'No recruitment order yet', empty_filtered: 'No order matches the filters', per_year: 'year',
      close: 'Close the order', close_confirm: 'No hire can be registered once it is closed. Close this order?', closed: 'Order closed',
      no_hires: 'No hire registered yet',
      status: { open: 'Open', filled: 'Filled', closed: 'Closed' },
      fields: {
        org: 'Employer', title: 'Post', segment: 'Chain segment', salary: 'Annual salary', description: 'Description',
        hired: 'Hired', closed_at: 'Closed on',
      },
      sections: { post: 'Post', hires: 'Hires' },
      form: {
        org_required: 'Choose the employer', title_required: 'Enter the post', segment_required: 'Choose the chain segment', title_placeholder: 'e.g. Chief optics scientist',
        segment_placeholder: 'The post\'s industry-chain segment', salary_placeholder: 'e.g. 1200000', created: 'Order issued',
      },
      hire: {
        title: 'Register a hire', talent: 'Talent hired', contract_salary: 'Contracted salary', start_on: 'Start date', term_years: 'Term',
        years: 'years', pick_date: 'Pick a date', submit: 'Register and decide',
        hint: 'The rules in force on the start date decide at once: an eligible hire is recognised on the spot, with its subsidy plan and notice.',
        talent_required: 'Choose the talent hired', start_required: 'Choose the start date', term_invalid: 'The term is a whole number of years, 1 to {max}',
        registered: 'Hire registered', decision_title: 'Decision', notice: 'Print the recognition notice', recognition: 'Open the recognition',
        no_recognition: 'This hire does not qualify for real-time recognition; nothing was recognised.', recognized: 'Recognised', not_recognized: 'Not recognised',
      },
    },
  },
};
