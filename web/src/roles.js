// The role table of the server (GET /api/v1/roles: names, scope kinds,
// permissions), fetched once per page load and shared by the account and
// invitation forms and the roles reference.
import { reactive } from 'vue';
import { api } from './api.js';

export const roleTable = reactive({ items: null });
let pending = null;

export function loadRoles() {
  if (roleTable.items) return Promise.resolve(roleTable.items);
  if (!pending) {
    pending = api
      .get('/api/v1/roles')
      .then((r) => {
        roleTable.items = r.items || [];
        return roleTable.items;
      })
      .finally(() => {
        pending = null;
      });
  }
  return pending;
}
