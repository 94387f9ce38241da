// The organisation registry's pages: the searchable list, a record and the form (new and edit).
export default [
  {
    path: '/orgs',
    name: 'orgs',
    component: () => import('./OrgList.vue'),
    meta: { title: 'orgs.title', perm: 'orgs_read', staff: true, menu: { group: 'registry', order: 20, icon: 'OfficeBuilding' }, home: 30 },
  },
  {
    path: '/orgs/new',
    name: 'org-new',
    component: () => import('./OrgForm.vue'),
    meta: { title: 'orgs.new_title', perm: 'orgs_write', staff: true },
  },
  {
    path: '/orgs/:id(\\d+)',
    name: 'org',
    component: () => import('./OrgDetail.vue'),
    meta: { title: 'orgs.detail_title', perm: 'orgs_read', staff: true },
  },
  {
    path: '/orgs/:id(\\d+)/edit',
    name: 'org-edit',
    component: () => import('./OrgForm.vue'),
    meta: { title: 'orgs.edit_title', perm: 'orgs_write', staff: true },
  },
];
