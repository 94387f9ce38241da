// The special fund's reports (docs/reports.md): the forecast of commitments, the fund's position, the disbursement
// register and one talent's statement (ledger_read, staff); a talent's own subsidy plans (role talent) and an
// employer's view of its talents' plans and open verifications (role employer).
export default [
  {
    path: '/reports/forecast',
    name: 'report-forecast',
    component: () => import('./Forecast.vue'),
    meta: { title: 'reports.forecast.title', perm: 'ledger_read', staff: true, menu: { group: 'disbursement', order: 50, icon: 'TrendCharts' } },
  },
  {
    path: '/reports/position',
    name: 'report-position',
    component: () => import('./Position.vue'),
    meta: { title: 'reports.position.title', perm: 'ledger_read', staff: true, menu: { group: 'disbursement', order: 55, icon: 'PieChart' } },
  },
  {
    path: '/reports/register',
    name: 'report-register',
    component: () => import('./Register.vue'),
    meta: { title: 'reports.register.title', perm: 'ledger_read', staff: true, menu: { group: 'disbursement', order: 60, icon: 'Notebook' } },
  },
  {
    path: '/reports/statement',
    name: 'report-statement',
    component: () => import('./Statement.vue'),
    meta: { title: 'reports.statement.title', perm: 'ledger_read', staff: true },
  },
  {
    path: '/my/subsidy',
    name: 'my-subsidy',
    component: () => import('./MySubsidy.vue'),
    meta: { title: 'reports.mine.title', perm: 'recognitions_read', role: 'talent', menu: { group: 'my', order: 25, icon: 'Wallet' } },
  },
  {
    path: '/subsidy',
    name: 'employer-subsidy',
    component: () => import('./EmployerSubsidy.vue'),
    meta: { title: 'reports.employer.title', perm: 'verifications_read', role: 'employer', staff: true, menu: { group: 'disbursement', order: 5, icon: 'Tickets' } },
  },
];
