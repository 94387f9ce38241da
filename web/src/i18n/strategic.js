// Strings of the strategic-scientist decisions (战略科学家, 一事一议).
export default {
  zh: {
    strategic: {
      title: '战略科学家', new: '记录决定', new_title: '记录战略科学家决定', detail_title: '战略科学家决定',
      lead: '战略科学家由人才局一事一议研究认定，资助方案的总额不超过现行政策规定的上限（最高 1 亿元）。',
      empty: '还没有战略科学家决定', no_items: '没有列出资助明细', recognition: '查看认定记录',
      fields: {
        talent: '人才', decided_on: '决定日期', rationale: '决定理由（一事一议）', total: '资助总额', items: '资助明细',
        decided_by: '记录人',
      },
      sections: { decision: '决定' },
      form: {
        talent_required: '请选择人才', date_required: '请选择决定日期', rationale_required: '请填写决定理由',
        rationale_placeholder: '会议纪要要点：引进背景、团队、对产业链的意义、资助方案的依据……',
        cap_hint: '总额不得超过现行政策的战略科学家资助上限，已拨付的按政策补贴计入上限。',
        add_item: '添加一项', item_title: '项目，例如 科研经费', item_title_required: '请填写项目名称',
        items_sum: '各项合计 {sum}，与资助总额 {total} 不一致', sum_line: '各项合计 {sum}', sum_ok: '与总额一致',
        sum_off: '与总额相差 {diff}', created: '决定已记录，人才已认定',
      },
    },
  },
  en: {
    strategic: {
      title: 'Strategic scientists', new: 'Record a decision', new_title: 'Record a strategic-scientist decision',
      detail_title: 'Strategic-scientist decision',
      lead: 'Strategic scientists are recognised by the bureau case by case; the support package may not exceed the cap in force (at most 100,000,000 CNY).',
      empty: 'No strategic-scientist decision yet', no_items: 'No items listed', recognition: 'Open the recognition',
      fields: {
        talent: 'Talent', decided_on: 'Decided on', rationale: 'Rationale (case by case)', total: 'Package total', items: 'Package items',
        decided_by: 'Recorded by',
      },
      sections: { decision: 'Decision' },
      form: {
        talent_required: 'Choose the talent', date_required: 'Choose the day of the decision', rationale_required: 'Enter the rationale',
        rationale_placeholder: 'From the minutes: background, team, what it means for the chain, the basis of the package…',
        cap_hint: 'The total may not exceed the strategic-scientist cap in force; formula subsidies already paid count toward it.',
        add_item: 'Add an item', item_title: 'Item, e.g. research funding', item_title_required: 'Name the item',
        items_sum: 'The items add up to {sum}, not the total {total}', sum_line: 'Items add up to {sum}', sum_ok: 'matches the total',
        sum_off: '{diff} off the total', created: 'Decision recorded, talent recognised',
      },
    },
  },
};
