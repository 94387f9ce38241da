// Recruitment orders (光谷招聘令): the list, a new order, an order with its hires and the form that registers one.
export default [
  {
    path: '/orders',
    name: 'orders',
    component: () => import('./OrderList.vue'),
    meta: { title: 'orders.title', perm: 'orders_read', staff: true, menu: { group: 'recognition', order: 10, icon: 'Tickets' } },
  },
  {
    path: '/orders/new',
    name: 'order-new',
    component: () => import('./OrderForm.vue'),
    meta: { title: 'orders.new_title', perm: 'orders_write', staff: true },
  },
  {
    path: '/orders/:id(\\d+)',
    name: 'order',
    component: () => import('./OrderDetail.vue'),
    meta: { title: 'orders.detail_title', perm: 'orders_read', staff: true },
  },
];
