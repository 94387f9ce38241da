// Strings of the dashboard.
export default {
  zh: {
    dashboard: {
      title: '数据概览', as_of: '数据截至 {at}', total: '人才总数', total_foot: '查看人才库', high_level: '高层次人才',
      orgs: '单位', orgs_foot: '查看单位库', new_this_month: '本月新增人才', new_link_hint: '按最近更新排序查看人才库', talents: '人才', new_talents: '新增人才',
      by_tier: '按人才层次', by_status: '按引进状态', by_chain: '按产业链', by_month: '近 12 个月新增人才', by_kind: '单位类别',
      no_tier: '未认定', no_status: '未登记', no_chain: '未归入产业链', no_kind: '其他', no_orgs: '暂无单位',
      chain_note: '按人才所在产业链环节归入产业链统计；一位人才可涉及多条产业链。',
      empty: '人才库还没有记录。导入或新建人才后，这里会显示统计图表。',
    },
  },
  en: {
    dashboard: {
      title: 'Dashboard', as_of: 'As of {at}', total: 'Talents', total_foot: 'Open the talent registry',
      high_level: 'High-level talents', orgs: 'Organisations', orgs_foot: 'Open the organisations',
      new_this_month: 'New talents this month', new_link_hint: 'Open the registry, recently changed first', talents: 'Talents', new_talents: 'New talents',
      by_tier: 'By tier', by_status: 'By status', by_chain: 'By industry chain', by_month: 'New talents, last 12 months',
      by_kind: 'Organisations by kind', no_tier: 'Not recognised', no_status: 'No status', no_chain: 'No chain', no_kind: 'Other',
      no_orgs: 'No organisation yet',
      chain_note: "Counted by the industry-chain segments of each talent; a talent may count in several chains.",
      empty: 'The registry has no talent yet. Charts appear here once talents are imported or created.',
    },
  },
};
