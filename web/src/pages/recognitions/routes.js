// Recognitions: the register (staff), a talent's own recognitions, one recognition, and its printable notice (no shell).
export default [
  {
    path: '/recognitions',
    name: 'recognitions',
    component: () => import('./RecognitionList.vue'),
    meta: { title: 'recognitions.title', perm: 'recognitions_read', staff: true, menu: { group: 'recognition', order: 30, icon: 'Medal' } },
  },
  {
    path: '/my/recognitions',
    name: 'my-recognitions',
    component: () => import('./RecognitionList.vue'),
    props: { mine: true },
    meta: { title: 'recognitions.mine_title', perm: 'recognitions_read', role: 'talent', menu: { group: 'my', order: 20, icon: 'Medal' } },
  },
  {
    path: '/recognitions/:id(\\d+)',
    name: 'recognition',
    component: () => import('./RecognitionDetail.vue'),
    meta: { title: 'recognitions.detail_title', perm: 'recognitions_read' },
  },
  {
    path: '/recognitions/:id(\\d+)/notice',
    name: 'recognition-notice',
    component: () => import('./RecognitionNotice.vue'),
    meta: { title: 'recognitions.notice.title', perm: 'recognitions_read', bare: true },
  },
];
