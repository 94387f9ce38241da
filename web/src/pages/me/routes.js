// The talent's own pages (phone first): the own record and who read its personal data.
export default [
  {
    path: '/me',
    name: 'me',
    component: () => import('./Me.vue'),
    meta: { title: 'me.title', role: 'talent', home: 1, menu: { group: 'my', order: 10, icon: 'UserFilled' } },
  },
];
