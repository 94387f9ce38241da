// Invitations (administration) and the public activation page of an invitation link.
export default [
  {
    path: '/invitations',
    name: 'invitations',
    component: () => import('./Invitations.vue'),
    meta: { title: 'invitations.title', perm: 'invitations_create', menu: { group: 'admin', order: 20, icon: 'Message' } },
  },
  {
    path: '/activate',
    name: 'activate',
    component: () => import('./Activate.vue'),
    meta: { title: 'invitations.activate_title', public: true, bare: true },
  },
];
