// Strings of the policy page: packs, versions, parameters and the subsidy calculator.
export default {
  zh: {
    policy: {
      title: '政策与测算', packs_tab: '现行政策', sim_tab: '补贴测算', no_packs: '没有加载政策包',
      version: '版本 {version}', in_force: '现行有效', period: '{from} 至 {to}（不含）', period_open: '{from} 起',
      hash: '版本指纹', param: '参数', value: '取值', reference: '依据',
      params: {
        threshold_cny: '年薪门槛', rate_bp: '补贴比例', years: '补贴年数', cap_cny: '补贴上限', cap_scope: '上限范围',
        eligible_employer_kinds: '适用单位类型', strategic_cap_cny: '战略科学家资助上限', recommendation_quota: '每年推荐名额',
        rounding: '舍入规则', tier: '认定层次', high_level_tiers: '高层次人才层次', lapse_rules: '失效规则',
      },
      lapse: { paid_below_threshold: '当年实发年薪低于门槛', employment_ended: '劳动关系终止' },
      values: { cap_scope: { total: '每人累计总额' }, rounding: { half_up: '四舍五入到分' } },
      sim: {
        facts: '测算条件', salary: '合同年薪', salary_placeholder: '例如 1200000', employer_kind: '用人单位类型',
        start: '入职日期', start_placeholder: '不填则为今天', paid: '各年实发年薪',
        paid_placeholder: '该年实发年薪', add_paid: '添加一年实发年薪',
        paid_hint: '按第 1、2、3 年依次填写；未填的年度按合同年薪计算，低于门槛的年度失效。',
        end_after_years: '第几年后离职', end_hint: '不填表示未离职', end_invalid: '请填写不小于 0 的整数年数',
        policy: '政策包', policy_default: '入职日现行政策', submit: '测算', result: '测算结果',
        empty: '填写条件后点击“测算”，这里显示认定结论、分期补贴和决策过程。测算不会保存任何记录。',
      },
    },
  },
  en: {
    policy: {
      title: 'Policy and calculator', packs_tab: 'Policies in force', sim_tab: 'Subsidy calculator', no_packs: 'No policy pack is loaded',
      version: 'Version {version}', in_force: 'In force', period: '{from} until {to} (exclusive)', period_open: 'from {from}',
      hash: 'Version hash', param: 'Parameter', value: 'Value', reference: 'Legal reference',
      params: {
        threshold_cny: 'Salary threshold', rate_bp: 'Subsidy rate', years: 'Years of subsidy', cap_cny: 'Subsidy cap', cap_scope: 'Cap scope',
        eligible_employer_kinds: 'Eligible employer kinds', strategic_cap_cny: 'Strategic-scientist cap', recommendation_quota: 'Recommendations per year',
        rounding: 'Rounding', tier: 'Tier recognised', high_level_tiers: 'High-level tiers', lapse_rules: 'Lapse rules',
      },
      lapse: { paid_below_threshold: 'Salary paid that year below the threshold', employment_ended: 'Employment ended' },
      values: { cap_scope: { total: 'Total per talent' }, rounding: { half_up: 'Half up, to the fen' } },
      sim: {
        facts: 'Facts', salary: 'Contracted salary', salary_placeholder: 'e.g. 1200000', employer_kind: 'Employer kind',
        start: 'Start date', start_placeholder: 'Today when empty', paid: 'Salary paid per year',
        paid_placeholder: 'Salary paid that year', add_paid: 'Add a year\'s paid salary',
        paid_hint: 'Years 1, 2, 3 in order; years not given use the contracted salary, a year below the threshold lapses.',
        end_after_years: 'Leaves after year', end_hint: 'Empty: still employed', end_invalid: 'Enter a whole number of years, 0 or more',
        policy: 'Policy pack', policy_default: 'The one in force on the start date', submit: 'Calculate', result: 'Result',
        empty: 'Fill in the facts and press Calculate to see the decision, the installments and the trace. Nothing is recorded.',
      },
    },
  },
};
