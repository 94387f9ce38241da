// The digital talent card (人才卡, issue 7): the talent's own card on a phone (apply, the QR with its code,
// benefits and bookings, history, loans); a provider's verify-and-redeem counter; a bank's queue of applications
// and loan requests; the officers' card register with counts by status and bank; one card; the benefit catalogue.
// Homes: the counter (50) and the bank's queue (55) are the home of a provider and a bank, which see little else;
// anyone who also sees the staff pages lands on the dashboard (10) first.
export default [
  {
    path: '/my/card',
    name: 'my-card',
    component: () => import('./MyCard.vue'),
    meta: { title: 'cards.mine.title', perm: 'cards_apply', role: 'talent', home: 2, menu: { group: 'cards', order: 10, icon: 'Postcard' } },
  },
  {
    path: '/cards/verify',
    name: 'card-verify',
    component: () => import('./Verify.vue'),
    meta: { title: 'cards.verify.title', perm: 'benefits_redeem', home: 50, menu: { group: 'cards', order: 20, icon: 'Aim' } },
  },
  {
    path: '/cards/bank',
    name: 'card-bank',
    component: () => import('./BankQueue.vue'),
    meta: { title: 'cards.bank.title', perm: 'cards_issue', home: 55, menu: { group: 'cards', order: 30, icon: 'OfficeBuilding' } },
  },
  {
    path: '/cards',
    name: 'cards',
    component: () => import('./Register.vue'),
    meta: { title: 'cards.register.title', perm: 'cards_review', staff: true, menu: { group: 'cards', order: 40, icon: 'Tickets' } },
  },
  {
    path: '/cards/:id(\\d+)',
    name: 'card',
    component: () => import('./CardDetail.vue'),
    meta: { title: 'cards.detail.title', perm: 'cards_read', staff: true },
  },
  {
    path: '/benefits/catalogue',
    name: 'benefit-catalogue',
    component: () => import('./Catalogue.vue'),
    meta: { title: 'cards.catalogue.title', perm: 'benefits_write', staff: true, menu: { group: 'cards', order: 50, icon: 'Present' } },
  },
];
