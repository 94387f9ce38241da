// Strings of the recruitment list (光谷招聘名单): employers' recommendations and the officers' review.
export default {
  zh: {
    recommendations: {
      title: '招聘名单推荐', queue_title: '推荐审核', new: '新建推荐', new_title: '新建推荐', edit_title: '修改推荐',
      detail_title: '推荐',
      lead: '用人单位可推荐未达年薪门槛的优秀人才，经人才局审核后认定；每年推荐名额有限，撤回未审核的推荐可释放名额。',
      queue_lead: '用人单位已提交的推荐：开始审核后，予以认定（选择层次并说明理由）、不予认定或退回修改，均须填写理由。',
      empty: '还没有推荐', empty_filtered: '没有符合筛选条件的推荐', queue_empty: '没有待审核的推荐',
      status: {
        draft: '草稿', submitted: '已提交', under_review: '审核中', approved: '已认定', rejected: '不予认定',
        returned: '已退回', withdrawn: '已撤回',
      },
      fields: {
        talent: '被推荐人才', org: '推荐单位', proposed_tier: '建议层次', submitted_at: '提交时间', justification: '推荐理由',
        tier: '认定层次', reason: '理由', reviewer: '审核人', quota_slot: '占用名额',
      },
      quota: {
        title: '{year} 年推荐名额', used: '已用 {used} / {quota}', slot: '第 {slot} 个（共 {of} 个）', full: '名额已用完', remaining: '剩余 {n} 个',
        hint: '按提交年度计算：草稿不占名额，退回后再提交只算一次，不予认定的也占名额，审核前撤回可释放名额。',
      },
      form: {
        created: '推荐已保存为草稿', tier_placeholder: '选择建议的人才层次',
        justification_placeholder: '说明被推荐人的成就、对产业链的贡献和推荐理由',
        hint: '保存后为草稿，可继续修改；在推荐页面点击“提交”后进入人才局审核。',
      },
      actions: { edit: '修改', submit: '提交', withdraw: '撤回', review: '开始审核', approve: '予以认定', return: '退回修改', reject: '不予认定' },
      dialog: {
        approve_lead: '认定 {name}：选择认定层次并说明理由。', reject_lead: '不予认定 {name}：理由将告知推荐单位。',
        return_lead: '退回 {name} 的推荐：说明需要补充或修改的内容。', approve_reason: '认定理由',
        reject_reason: '不予认定的理由（必填）', return_reason: '需要修改或补充的内容（必填）',
      },
      confirm: {
        submit: '提交后进入人才局审核，并占用本年度的一个推荐名额。确定提交吗？',
        withdraw: '撤回后推荐不再审核；审核开始前撤回可释放名额。确定撤回吗？',
        review: '开始审核这条推荐吗？推荐单位将看到它已在审核中。',
      },
      done: {
        submit: '已提交', withdraw: '已撤回', review: '已开始审核', approve: '已予以认定', reject: '已不予认定', return: '已退回修改',
      },
      recognised_at: '认定为 {tier}', see_recognition: '查看认定记录',
      sections: { recommendation: '推荐内容', history: '办理记录' },
      by: '{actor}', no_history: '还没有办理记录',
      history: {
        create: '创建草稿', update: '修改', submit: '提交', withdraw: '撤回', review: '开始审核', approve: '予以认定',
        reject: '不予认定', return: '退回修改',
      },
    },
  },
  en: {
    recommendations: {
      title: 'Recruitment list', queue_title: 'Review queue', new: 'New recommendation', new_title: 'New recommendation',
      edit_title: 'Change the recommendation', detail_title: 'Recommendation',
      lead: 'Employers recommend talents who do not qualify by salary; the bureau reviews them. The yearly quota is limited; withdrawing one before its review frees its slot.',
      queue_lead: 'Recommendations submitted by employers: start the review, then approve (with the tier and a reason), reject or return for changes, always with a reason.',
      empty: 'No recommendation yet', empty_filtered: 'No recommendation matches the filters', queue_empty: 'Nothing waits for review',
      status: {
        draft: 'Draft', submitted: 'Submitted', under_review: 'Under review', approved: 'Approved', rejected: 'Rejected',
        returned: 'Returned', withdrawn: 'Withdrawn',
      },
      fields: {
        talent: 'Talent', org: 'Employer', proposed_tier: 'Proposed tier', submitted_at: 'Submitted', justification: 'Justification',
        tier: 'Tier', reason: 'Reason', reviewer: 'Reviewer', quota_slot: 'Quota slot',
      },
      quota: {
        title: 'Recommendations {year}', used: '{used} of {quota} used', slot: 'slot {slot} of {of}', full: 'Quota used up', remaining: '{n} left',
        hint: 'Counted by the year of submission: drafts do not count, a returned one resubmitted counts once, a rejected one counts, one withdrawn before review frees its slot.',
      },
      form: {
        created: 'Saved as a draft', tier_placeholder: 'The tier you propose',
        justification_placeholder: 'The talent\'s achievements, contribution to the industry chain, and why you recommend them',
        hint: 'Saved as a draft you can still change; press Submit on the recommendation\'s page to send it for review.',
      },
      actions: { edit: 'Change', submit: 'Submit', withdraw: 'Withdraw', review: 'Start the review', approve: 'Approve', return: 'Return for changes', reject: 'Reject' },
      dialog: {
        approve_lead: 'Approve {name}: choose the tier and give the reason.', reject_lead: 'Reject {name}: the employer will read the reason.',
        return_lead: 'Return the recommendation of {name}: say what to change or add.', approve_reason: 'Reason for the recognition',
        reject_reason: 'Why it is rejected (required)', return_reason: 'What to change or add (required)',
      },
      confirm: {
        submit: 'Once submitted it goes to the bureau for review and takes one of this year\'s slots. Submit?',
        withdraw: 'A withdrawn recommendation is not reviewed; withdrawn before its review it frees its slot. Withdraw?',
        review: 'Start reviewing this recommendation? The employer will see it is under review.',
      },
      done: {
        submit: 'Submitted', withdraw: 'Withdrawn', review: 'Review started', approve: 'Approved', reject: 'Rejected', return: 'Returned for changes',
      },
      recognised_at: 'recognised as {tier}', see_recognition: 'Open the recognition',
      sections: { recommendation: 'Recommendation', history: 'History' },
      by: 'by {actor}', no_history: 'No history yet',
      history: {
        create: 'Draft created', update: 'Changed', submit: 'Submitted', withdraw: 'Withdrawn', review: 'Review started', approve: 'Approved',
        reject: 'Rejected', return: 'Returned for changes',
      },
    },
  },
};
