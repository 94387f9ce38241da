// Annual verification (年度核验): the employer's inbox and the officers' review queue, one verification.
export default [
  {
    path: '/verifications',
    name: 'verifications',
    component: () => import('./VerificationList.vue'),
    meta: { title: 'verifications.title', perm: 'verifications_read', staff: true, menu: { group: 'disbursement', order: 10, icon: 'DocumentChecked' } },
  },
  {
    path: '/verifications/review',
    name: 'verification-queue',
    component: () => import('./VerificationList.vue'),
    props: { queue: true },
    meta: { title: 'verifications.queue_title', perm: 'verifications_review', staff: true, menu: { group: 'disbursement', order: 15, icon: 'Checked' } },
  },
  {
    path: '/verifications/:id(\\d+)',
    name: 'verification',
    component: () => import('./VerificationDetail.vue'),
    meta: { title: 'verifications.detail_title', perm: 'verifications_read' },
  },
];
