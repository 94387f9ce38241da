// My tasks: the inbox of every signed-in account (the bell in the shell opens it).
export default [
  {
    path: '/tasks',
    name: 'tasks',
    component: () => import('./Tasks.vue'),
    meta: { title: 'tasks.title', home: 100, menu: { group: 'workbench', order: 90, icon: 'Bell' } },
  },
];
