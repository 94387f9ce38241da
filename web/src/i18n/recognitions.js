// Strings of the recognition register, a recognition and its printable notice.
export default {
  zh: {
    recognitions: {
      title: '认定登记', mine_title: '我的认定', detail_title: '认定记录',
      empty: '还没有认定记录', empty_filtered: '没有符合筛选条件的认定', effective: '{date} 起生效',
      by_rules: '按政策自动认定', no_plan: '没有补贴计划', contract: '合同年薪 {amount}', plan_start: '自 {date} 起',
      plan_total: '资助总额 {amount}',
      basis: { order: '招聘令', recommendation: '招聘名单推荐', strategic: '战略科学家' },
      plan_kind: { formula: '按政策计算', strategic: '一事一议' },
      plan_status: { active: '执行中', cancelled: '已取消', replaced: '已替代' },
      fields: {
        talent: '人才', org: '用人单位', tier: '认定层次', basis: '认定途径', effective_on: '生效日期', policy: '政策版本',
        reason: '认定理由', decided_by: '决定人', registered_by: '登记人',
      },
      sections: { decision: '认定', plan: '补贴计划' },
      notice: {
        title: '认定通知书', heading: '人才认定通知书', open: '认定通知书', short: '通知书', print: '打印', number: '编号',
        dear: '{name}：', hash: '政策版本指纹', trace: '认定依据与过程',
        statement_order: '根据《光谷招聘令》，您经用人单位招聘录用，符合实时认定条件，现认定为{tier}，自{date}起生效。',
        statement_recommendation: '经用人单位推荐、人才局审核，现认定您为{tier}，自{date}起生效。',
        statement_strategic: '经人才局一事一议研究决定，现认定您为{tier}，自{date}起生效。',
        note: '本通知书由光谷人才服务平台生成，认定所依据的政策包、版本及其指纹如上，可据此核对当时适用的政策条款。',
      },
    },
  },
  en: {
    recognitions: {
      title: 'Recognitions', mine_title: 'My recognitions', detail_title: 'Recognition',
      empty: 'No recognition yet', empty_filtered: 'No recognition matches the filters', effective: 'in effect from {date}',
      by_rules: 'By the rules, automatically', no_plan: 'No subsidy plan', contract: 'Contracted salary {amount}', plan_start: 'from {date}',
      plan_total: 'Package total {amount}',
      basis: { order: 'Recruitment order', recommendation: 'Recommendation', strategic: 'Strategic scientist' },
      plan_kind: { formula: 'By formula', strategic: 'Case by case' },
      plan_status: { active: 'Active', cancelled: 'Cancelled', replaced: 'Replaced' },
      fields: {
        talent: 'Talent', org: 'Employer', tier: 'Tier', basis: 'Basis', effective_on: 'Effective on', policy: 'Policy version',
        reason: 'Reason', decided_by: 'Decided by', registered_by: 'Registered by',
      },
      sections: { decision: 'Recognition', plan: 'Subsidy plan' },
      notice: {
        title: 'Recognition notice', heading: 'Notice of Talent Recognition', open: 'Recognition notice', short: 'Notice', print: 'Print', number: 'No.',
        dear: 'Dear {name},', hash: 'Policy version hash', trace: 'Grounds and steps of the decision',
        statement_order: 'Hired under the Optics Valley recruitment order, you meet the conditions of real-time recognition and are recognised as {tier}, in effect from {date}.',
        statement_recommendation: 'On your employer\'s recommendation and the bureau\'s review, you are recognised as {tier}, in effect from {date}.',
        statement_strategic: 'By the bureau\'s decision case by case, you are recognised as {tier}, in effect from {date}.',
        note: 'This notice was made by Guanggu Talent Services. The policy pack, version and hash above identify the rules that applied.',
      },
    },
  },
};
