// Strategic scientists (战略科学家): bureau decisions case by case (一事一议), their list, one decision, a new one.
export default [
  {
    path: '/strategic',
    name: 'strategic',
    component: () => import('./StrategicList.vue'),
    meta: { title: 'strategic.title', perm: 'recognitions_read', staff: true, menu: { group: 'recognition', order: 40, icon: 'Star' } },
  },
  {
    path: '/strategic/new',
    name: 'strategic-new',
    component: () => import('./StrategicForm.vue'),
    meta: { title: 'strategic.new_title', perm: 'strategic_decide', staff: true },
  },
  {
    path: '/strategic/:id(\\d+)',
    name: 'strategic-decision',
    component: () => import('./StrategicDetail.vue'),
    meta: { title: 'strategic.detail_title', perm: 'recognitions_read', staff: true },
  },
];
