// The recruitment list (光谷招聘名单): employers' recommendations, the officers' review queue, a recommendation, its form.
export default [
  {
    path: '/recommendations',
    name: 'recommendations',
    component: () => import('./RecommendationList.vue'),
    meta: { title: 'recommendations.title', perm: 'recommendations_read', staff: true, menu: { group: 'recognition', order: 20, icon: 'List' } },
  },
  {
    path: '/recommendations/review',
    name: 'recommendation-queue',
    component: () => import('./RecommendationList.vue'),
    props: { queue: true },
    meta: { title: 'recommendations.queue_title', perm: 'recommendations_review', staff: true, menu: { group: 'recognition', order: 25, icon: 'Checked' } },
  },
  {
    path: '/recommendations/new',
    name: 'recommendation-new',
    component: () => import('./RecommendationForm.vue'),
    meta: { title: 'recommendations.new_title', perm: 'recommendations_write', staff: true },
  },
  {
    path: '/recommendations/:id(\\d+)',
    name: 'recommendation',
    component: () => import('./RecommendationDetail.vue'),
    meta: { title: 'recommendations.detail_title', perm: 'recommendations_read', staff: true },
  },
  {
    path: '/recommendations/:id(\\d+)/edit',
    name: 'recommendation-edit',
    component: () => import('./RecommendationForm.vue'),
    meta: { title: 'recommendations.edit_title', perm: 'recommendations_write', staff: true },
  },
];
