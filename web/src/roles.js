// The role table of the server (GET /api/v1/roles: names, scope kinds,
// permissions), fetched once per page load and shared by the account and
// invitation forms and the roles reference.
import { reactive } from 'vue';
import { sharedGet } from './api.js';

export const roleTable = reactive({ items: null });
export const loadRoles = sharedGet('/api/v1/roles', roleTable, 'items', (r) => r.items || []);
