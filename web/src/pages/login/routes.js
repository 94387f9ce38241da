export default [
  { path: '/login', name: 'login', component: () => import('./Login.vue'), meta: { public: true, bare: true, title: 'login.title' } },
];
