export default [
  { path: '/account/password', name: 'password', component: () => import('./Password.vue'), meta: { title: 'password.title' } },
];
