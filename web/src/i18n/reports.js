// Strings of the special fund's reports (forecast, position, register, statement), a talent's own subsidy and an
// employer's view of its talents' plans.
export default {
  zh: {
    reports: {
      download: { csv: '下载 CSV', xlsx: '下载 Excel' },
      year: '{year} 年', total_row: '合计', none_chain: '无产业链',
      accounts: {
        fund_appropriations: '专项资金拨入', fund_available: '可用额度', fund_committed: '已承诺', fund_approved: '已审批待付', fund_paid: '已支付',
      },
      kinds: {
        appropriation: '资金拨入', commitment: '承诺', release: '释放', approval: '支付审批', payment: '支付',
        payment_failed: '支付失败', payment_returned: '支付退回', clawback: '追回',
      },
      stage: {
        paid: '已拨付', lapsed: '已失效', proposed: '待审核拨付', approved: '待支付', failed: '支付失败', returned: '已退回',
        cancelled: '已取消', accepted: '已核定，待拨付', verifying: '核验中', due: '已到期，待核验', upcoming: '未到期',
      },
      forecast: {
        title: '承诺预测', lead: '按到期年度列出执行中补贴计划的各期补贴：已承诺（专项资金已预留）与已计划但尚未承诺的金额。',
        from: '起始年度', years: '年数', years_n: '{n} 年', due_year: '到期年度', installments: '期数', committed: '已承诺',
        uncommitted: '已计划未承诺', total: '合计', chart_label: '按到期年度的已承诺与未承诺金额堆叠柱状图', empty: '所选年度没有到期的补贴',
      },
      position: {
        title: '资金状况', lead: '专项资金按年度的发生额与年末余额，或按产业链的已承诺、已审批和已支付余额。',
        by_year: '按年度', by_chain: '按产业链', year: '年度', chain: '产业链', appropriated: '拨入', committed: '承诺', released: '释放',
        committed_net: '净承诺', approved: '审批', paid: '支付', failed: '支付失败', returned: '退回', clawed_back: '追回',
        available: '年末可用额度', end_balances: '年末余额', debit: '借方', credit: '贷方',
        chain_committed: '已承诺余额', chain_approved: '已审批余额', chain_paid: '已支付余额',
        chart_label_year: '按年度的承诺、审批、支付与年末可用额度图', chart_label_chain: '按产业链的已承诺、已审批、已支付柱状图',
        empty: '还没有记账分录',
      },
      register: {
        title: '拨付登记簿', lead: '已支付和已退回的每笔补贴，按结算日排列；筛选条件保存在地址中，下载的文件与筛选一致。',
        from: '结算日起', to: '结算日止', talent: '人才', org: '用人单位', apply: '查询', clear: '清除',
        empty: '还没有已结算的拨付', empty_filtered: '没有符合筛选条件的拨付', range_bad: '结算日止不能早于结算日起',
        page_sums: '本页：已支付 {paid}，已退回 {returned}',
        reference: '支付编号', employer: '用人单位', installment: '期次', due_on: '到期日', amount: '金额', run: '批次',
        bank_txn: '银行流水号', settled_on: '结算日', status: '状态', installment_n: '第 {n} 期', run_name: '{period} 年第 {id} 批',
      },
      statement: {
        title: '补贴对账单', lead: '一位人才的补贴计划、各期核验与支付，以及涉及该人才的全部记账分录和累计已支付金额。',
        pick: '选择人才', open: '查看对账单', link: '补贴对账单', ask: '请选择一位人才查看其对账单。',
        org_view: '仅显示本单位的补贴计划', plans: '补贴计划', no_plans: '没有补贴计划', lines: '记账分录', no_lines: '还没有记账分录',
        plan_name: '补贴计划 #{id}', total: '计划总额', start_on: '起始日', org: '用人单位', policy: '政策版本', status: '状态', kind: '方式',
        installment: '期次', due_on: '到期日', planned: '计划金额', verification: '核验', accepted: '核定金额', committed: '已承诺',
        paid: '已支付', payments: '支付', none: '—',
        posted_on: '记账日', entry: '分录', kind_col: '类型', account: '账户', debit: '借方', credit: '贷方', running_paid: '累计已支付', memo: '摘要',
        totals: {
          paid: '支付', returned: '退回', clawed_back: '追回', net_paid: '净支付', committed: '已承诺余额', approved: '已审批余额',
        },
      },
      mine: {
        title: '我的补贴', lead: '您的补贴计划：每期的到期日与金额、单位年度核验的进度和拨付情况。',
        empty: '您还没有补贴计划', next_due: '下一期', no_next: '没有未到期的补贴', paid: '已拨付', total: '计划总额',
        installment_n: '第 {n} 期', verification: '核验', payment: '拨付', see_recognition: '认定详情', payee: '收款账户',
      },
      employer: {
        title: '补贴核查', lead: '本单位人才的补贴计划、下一期到期日和待填报的年度核验。',
        empty: '本单位还没有人才获得补贴', plans: '补贴计划', tasks: '待填报的核验', no_tasks: '没有待填报的核验',
        talent: '人才', next_due: '下一期', no_next: '无', paid: '已拨付', open: '待核验', deadline: '截止 {date}',
        answer: '填报', more_talents: '仅显示前 {n} 位人才的计划',
      },
    },
  },
  en: {
    reports: {
      download: { csv: 'Download CSV', xlsx: 'Download Excel' },
      year: '{year}', total_row: 'Total', none_chain: 'No chain',
      accounts: {
        fund_appropriations: 'Appropriations', fund_available: 'Available', fund_committed: 'Committed', fund_approved: 'Approved, to pay', fund_paid: 'Paid',
      },
      kinds: {
        appropriation: 'Appropriation', commitment: 'Commitment', release: 'Release', approval: 'Approval', payment: 'Payment',
        payment_failed: 'Payment failed', payment_returned: 'Payment returned', clawback: 'Clawback',
      },
      stage: {
        paid: 'Paid', lapsed: 'Lapsed', proposed: 'In a proposed run', approved: 'To pay', failed: 'Payment failed', returned: 'Returned',
        cancelled: 'Cancelled', accepted: 'Accepted, to pay', verifying: 'Being verified', due: 'Due, not verified yet', upcoming: 'Not due yet',
      },
      forecast: {
        title: 'Forecast', lead: 'The installments of active plans by due year: committed (reserved in the fund) and planned but not committed yet.',
        from: 'From year', years: 'Years', years_n: '{n} years', due_year: 'Due year', installments: 'Installments', committed: 'Committed',
        uncommitted: 'Planned, not committed', total: 'Total', chart_label: 'Stacked bars of committed and uncommitted amounts by due year', empty: 'Nothing falls due in these years',
      },
      position: {
        title: 'Fund position', lead: 'The fund\'s movements by year with the balances at year end, or the committed, approved and paid balances by industry chain.',
        by_year: 'By year', by_chain: 'By chain', year: 'Year', chain: 'Industry chain', appropriated: 'Appropriated', committed: 'Committed', released: 'Released',
        committed_net: 'Committed (net)', approved: 'Approved', paid: 'Paid', failed: 'Failed', returned: 'Returned', clawed_back: 'Clawed back',
        available: 'Available at year end', end_balances: 'Balances at year end', debit: 'Debits', credit: 'Credits',
        chain_committed: 'Committed balance', chain_approved: 'Approved balance', chain_paid: 'Paid balance',
        chart_label_year: 'Committed, approved and paid by year with the available balance at year end', chart_label_chain: 'Bars of committed, approved and paid by industry chain',
        empty: 'No journal entries yet',
      },
      register: {
        title: 'Disbursement register', lead: 'Every payment paid or returned, by settled day; the filter lives in the address and the files hold what it selects.',
        from: 'Settled from', to: 'Settled to', talent: 'Talent', org: 'Employer', apply: 'Search', clear: 'Clear',
        empty: 'No settled payment yet', empty_filtered: 'No payment matches the filter', range_bad: 'The last day cannot be before the first',
        page_sums: 'This page: {paid} paid, {returned} returned',
        reference: 'Reference', employer: 'Employer', installment: 'Installment', due_on: 'Due', amount: 'Amount', run: 'Run',
        bank_txn: 'Bank transaction', settled_on: 'Settled', status: 'Status', installment_n: 'Year {n}', run_name: 'Run {id} of {period}',
      },
      statement: {
        title: 'Subsidy statement', lead: 'One talent\'s plans, each installment\'s verification and payments, and every journal line about the talent with the running paid total.',
        pick: 'Choose a talent', open: 'Open the statement', link: 'Subsidy statement', ask: 'Choose a talent to see the statement.',
        org_view: 'Only your organisation\'s plans are shown', plans: 'Plans', no_plans: 'No plan', lines: 'Journal lines', no_lines: 'No journal line yet',
        plan_name: 'Plan #{id}', total: 'Plan total', start_on: 'Starts', org: 'Employer', policy: 'Policy version', status: 'Status', kind: 'Kind',
        installment: 'Installment', due_on: 'Due', planned: 'Planned', verification: 'Verification', accepted: 'Accepted', committed: 'Committed',
        paid: 'Paid', payments: 'Payments', none: '—',
        posted_on: 'Posted', entry: 'Entry', kind_col: 'Kind', account: 'Account', debit: 'Debit', credit: 'Credit', running_paid: 'Paid so far', memo: 'Memo',
        totals: {
          paid: 'Paid', returned: 'Returned', clawed_back: 'Clawed back', net_paid: 'Net paid', committed: 'Committed balance', approved: 'Approved balance',
        },
      },
      mine: {
        title: 'My subsidy', lead: 'Your subsidy plans: each installment\'s due day and amount, your employer\'s annual verification and the payment.',
        empty: 'You have no subsidy plan yet', next_due: 'Next', no_next: 'Nothing more falls due', paid: 'Paid', total: 'Plan total',
        installment_n: 'Year {n}', verification: 'Verification', payment: 'Payment', see_recognition: 'The recognition', payee: 'Payee account',
      },
      employer: {
        title: 'Subsidy', lead: 'The subsidy plans of your people, their next due day and the annual verifications waiting for your report.',
        empty: 'None of your people has a subsidy plan yet', plans: 'Plans', tasks: 'Verifications to report', no_tasks: 'No verification waits for you',
        talent: 'Talent', next_due: 'Next due', no_next: 'None', paid: 'Paid', open: 'To verify', deadline: 'by {date}',
        answer: 'Report', more_talents: 'Only the plans of the first {n} people are shown',
      },
    },
  },
};
