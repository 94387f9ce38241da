// The policy packs in force (parameters, versions, legal references) and the subsidy calculator.
export default [
  {
    path: '/policy',
    name: 'policy',
    component: () => import('./Policy.vue'),
    meta: { title: 'policy.title', perm: 'policy_read', staff: true, menu: { group: 'recognition', order: 50, icon: 'Reading' } },
  },
];
