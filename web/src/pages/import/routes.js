// The registry import page: talents or organisations from a CSV file.
export default [
  {
    path: '/import',
    name: 'import',
    component: () => import('./Import.vue'),
    meta: { title: 'import.title', perm: 'registry_import', staff: true, menu: { group: 'registry', order: 30, icon: 'Upload' } },
  },
];
