export default [
  { path: '/forbidden', name: 'forbidden', component: () => import('./Forbidden.vue'), meta: { title: 'system.forbidden_title' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./NotFound.vue'), meta: { title: 'system.not_found_title' } },
];
