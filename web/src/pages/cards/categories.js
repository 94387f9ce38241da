// The nine benefit categories (GET /api/v1/benefits/categories: {items:
// [{token, zh, en, items}], next_cursor: null}) fetched once per page
// load, and a category's name in the UI's language (its token when
// unknown).
import { reactive } from 'vue';
import { sharedGet } from '../../api.js';
import { isChinese } from '../../format.js';

export const categories = reactive({ list: null });
export const loadCategories = sharedGet('/api/v1/benefits/categories', categories, 'list', (a) => a.items);

export function categoryName(token, locale) {
  const c = (categories.list || []).find((x) => x.token === token);
  if (!c) return token || '';
  return isChinese(locale) ? c.zh : c.en;
}
