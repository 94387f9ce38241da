// The special fund's ledger: the balances of its accounts on a day.
export default [
  {
    path: '/ledger',
    name: 'ledger',
    component: () => import('./Balances.vue'),
    meta: { title: 'ledger.title', perm: 'ledger_read', staff: true, menu: { group: 'disbursement', order: 40, icon: 'Coin' } },
  },
];
