// Payment runs (拨付批次): the list where an officer proposes a run for a year, one run with its payments and the
// finance decision, bank file and bank result, its printable approval sheet (no shell); a talent's own payments.
export default [
  {
    path: '/payment-runs',
    name: 'payment-runs',
    component: () => import('./RunList.vue'),
    meta: { title: 'payments.title', perm: 'payments_read', staff: true, menu: { group: 'disbursement', order: 20, icon: 'Money' } },
  },
  {
    path: '/payment-runs/:id(\\d+)',
    name: 'payment-run',
    component: () => import('./RunDetail.vue'),
    meta: { title: 'payments.detail_title', perm: 'payments_read', staff: true },
  },
  {
    path: '/payment-runs/:id(\\d+)/sheet',
    name: 'payment-run-sheet',
    component: () => import('./RunSheet.vue'),
    meta: { title: 'payments.sheet.title', perm: 'payments_read', staff: true, bare: true },
  },
  {
    path: '/my/payments',
    name: 'my-payments',
    component: () => import('./MyPayments.vue'),
    meta: { title: 'payments.mine_title', perm: 'payments_read', role: 'talent', menu: { group: 'my', order: 30, icon: 'Wallet' } },
  },
];
