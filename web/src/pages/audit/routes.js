// The audit trail (administration).
export default [
  {
    path: '/audit',
    name: 'audit',
    component: () => import('./Audit.vue'),
    meta: { title: 'audit.title', perm: 'audit_read', menu: { group: 'admin', order: 30, icon: 'Document' } },
  },
];
