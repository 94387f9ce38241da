// The routes of every page area (pages/<area>/routes.js) under one router.
// A route's meta says who may see it and where it appears:
//   public: true     no login (login, invitation activation)
//   bare: true       drawn without the shell (full-screen pages)
//   perm: 'x' | [..] permission(s) of src/domain/perm.tbl, any of them
//   role: 'talent'   only accounts holding that role
//   staff: true      work pages: hidden from accounts whose only role is talent
//                    (a talent has talents_read for the own record, not the registry)
//   title: 'key'     i18n key of the page title (and its menu entry)
//   menu: {group, order, icon}  shown in the navigation (group: workbench,
//                    registry, recognition, disbursement, cards, admin, my; icon: an Element Plus icon name)
//   home: N          candidate for '/', the lowest N the user may see wins
// The guard loads /me once, sends the signed-out to /login?next=…, a
// required password change to /account/password, and the rest of the
// refused to the Forbidden page. The server checks everything again.
import { createRouter, createWebHistory } from 'vue-router';
import { allowed, auth, hasRole, loadMe } from './auth.js';
import Shell from './layouts/Shell.vue';

const areas = import.meta.glob('./pages/*/routes.js', { eager: true });
export const pageRoutes = Object.values(areas).flatMap((m) => m.default || []);

/** The user may open this route (by its meta). */
export function routeAllowed(route) {
  const meta = route.meta || {};
  if (meta.public) return true;
  if (!auth.me) return false;
  if (meta.role && !hasRole(meta.role)) return false;
  if (meta.staff && !auth.me.user.roles.some((g) => g.role !== 'talent')) return false;
  return allowed(meta.perm);
}

/** Where '/' leads for the signed-in user. */
export function homeRoute() {
  const candidates = pageRoutes.filter((r) => r.meta && r.meta.home !== undefined && routeAllowed(r));
  candidates.sort((a, b) => a.meta.home - b.meta.home);
  return candidates.length ? { name: candidates[0].name } : { name: 'forbidden' };
}

/** The navigation: groups of allowed menu routes, in order. */
export const MENU_GROUPS = ['workbench', 'registry', 'recognition', 'disbursement', 'cards', 'admin', 'my'];
export function menu() {
  const items = pageRoutes.filter((r) => r.meta && r.meta.menu && routeAllowed(r));
  return MENU_GROUPS.map((group) => ({
    group,
    items: items.filter((r) => r.meta.menu.group === group).sort((a, b) => a.meta.menu.order - b.meta.menu.order),
  })).filter((g) => g.items.length > 0);
}

const routes = [
  ...pageRoutes.filter((r) => r.meta && r.meta.bare),
  {
    path: '/',
    component: Shell,
    children: [
      /* Decided after the guard has loaded /me (a redirect would be resolved before it). */
      { path: '', name: 'home', component: { render: () => null }, beforeEnter: () => homeRoute() },
      ...pageRoutes.filter((r) => !(r.meta && r.meta.bare)),
    ],
  },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (to, from, saved) => saved || { top: 0 },
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  await loadMe();
  if (!auth.me) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  if (auth.me.user.must_change_password && to.name !== 'password')
    return { name: 'password', query: { next: to.fullPath } };
  if (to.name === 'home') return true;
  if (!routeAllowed(to)) return { name: 'forbidden' };
  return true;
});

/** Only same-site paths are followed after login (never an absolute URL). */
export function safeNext(next) {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
