// Accounts and the roles reference (administration).
export default [
  {
    path: '/users',
    name: 'users',
    component: () => import('./Users.vue'),
    meta: { title: 'users.title', perm: 'users_read', menu: { group: 'admin', order: 10, icon: 'User' } },
  },
  {
    path: '/users/:id(\\d+)',
    name: 'user',
    component: () => import('./User.vue'),
    meta: { title: 'users.account', perm: 'users_read' },
  },
];
