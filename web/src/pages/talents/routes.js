// The talent registry's pages: the searchable list, a record, the form
// (new and edit) and the review of likely duplicates.
export default [
  {
    path: '/talents',
    name: 'talents',
    component: () => import('./TalentList.vue'),
    meta: { title: 'talents.title', perm: 'talents_read', staff: true, menu: { group: 'registry', order: 10, icon: 'User' }, home: 20 },
  },
  {
    path: '/talents/new',
    name: 'talent-new',
    component: () => import('./TalentForm.vue'),
    meta: { title: 'talents.new_title', perm: 'talents_write', staff: true },
  },
  {
    path: '/talents/duplicates',
    name: 'duplicates',
    component: () => import('./Duplicates.vue'),
    meta: { title: 'talents.duplicates.title', perm: 'talents_merge', staff: true, menu: { group: 'registry', order: 15, icon: 'Connection' } },
  },
  {
    path: '/talents/:id(\\d+)',
    name: 'talent',
    component: () => import('./TalentDetail.vue'),
    meta: { title: 'talents.detail_title', perm: 'talents_read', staff: true },
  },
  {
    path: '/talents/:id(\\d+)/edit',
    name: 'talent-edit',
    component: () => import('./TalentForm.vue'),
    meta: { title: 'talents.edit_title', perm: 'talents_write', staff: true },
  },
];
