// Strings of the tasks inbox.
export default {
  zh: {
    tasks: {
      title: '我的待办', open: '待处理', closed: '已完成', kind: '类型', label: '事项', age: '已等待', due: '截止日期',
      closed_at: '完成时间', older_than: '等待超过', days: '天', nothing_to_do: '没有待办事项，一切都处理好了。',
      none_filtered: '没有符合筛选条件的待办', none_closed: '还没有已完成的待办',
      old_hint: '等待超过 {n} 天或已过截止日期',
      kinds: { duplicate_review: '疑似重复人才' },
    },
  },
  en: {
    tasks: {
      title: 'My tasks', open: 'Open', closed: 'Done', kind: 'Kind', label: 'Item', age: 'Waiting', due: 'Due',
      closed_at: 'Done on', older_than: 'Waiting more than', days: 'days', nothing_to_do: 'Nothing to do: all is taken care of.',
      none_filtered: 'No task matches the filters', none_closed: 'No task done yet',
      old_hint: 'Waiting more than {n} days, or past its due date',
      kinds: { duplicate_review: 'Likely duplicate talents' },
    },
  },
};
