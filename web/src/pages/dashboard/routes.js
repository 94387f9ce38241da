// The dashboard: figures and charts of the registry within the caller's scope.
export default [
  {
    path: '/dashboard',
    name: 'dashboard',
    component: () => import('./Dashboard.vue'),
    meta: { title: 'dashboard.title', perm: 'talents_read', staff: true, home: 10, menu: { group: 'workbench', order: 10, icon: 'DataAnalysis' } },
  },
];
