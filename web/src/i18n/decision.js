// Strings shared by the recognition pages: the navigation group, money
// input, the talent picker, and a policy decision (result, installments,
// trace) as DecisionCard, InstallmentTable and TraceList show it.
export default {
  zh: {
    nav: { recognition: '认定与招聘' },
    money: {
      placeholder: '例如 1200000.00', yuan: '元',
      errors: {
        empty: '请填写金额', negative: '金额不能为负数', decimals: '金额最多两位小数（精确到分）',
        format: '请填写数字金额，例如 1200000 或 1200000.50（不能用科学计数法）', too_large: '金额过大',
      },
    },
    picker: { talent: '输入姓名、拼音或首字母搜索人才' },
    decision: {
      recognized: '予以认定', not_recognized: '不予认定', by_policy: '依据 {policy}（版本 {version}）',
      even: '{n} 期 × {amount}', total: '合计', trace: '决策过程', no_trace: '没有记录决策过程',
      year: '年度', year_n: '第 {n} 年', due: '应付日期', base: '计算基数', amount: '金额', no_installments: '无补贴分期',
      status: { due: '应付', planned: '计划', lapsed: '失效' },
    },
  },
  en: {
    nav: { recognition: 'Recognition' },
    money: {
      placeholder: 'e.g. 1200000.00', yuan: 'CNY',
      errors: {
        empty: 'Enter the amount', negative: 'The amount cannot be negative', decimals: 'At most two decimals (to the fen)',
        format: 'Enter the amount in digits, e.g. 1200000 or 1200000.50 (no exponent)', too_large: 'The amount is too large',
      },
    },
    picker: { talent: 'Search a talent by name, pinyin or initials' },
    decision: {
      recognized: 'Recognised', not_recognized: 'Not recognised', by_policy: 'Under {policy} (version {version})',
      even: '{n} × {amount}', total: 'Total', trace: 'How it was decided', no_trace: 'No trace recorded',
      year: 'Year', year_n: 'Year {n}', due: 'Due on', base: 'Base', amount: 'Amount', no_installments: 'No installments',
      status: { due: 'Due', planned: 'Planned', lapsed: 'Lapsed' },
    },
  },
};
