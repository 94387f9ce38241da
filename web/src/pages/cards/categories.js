// The nine benefit categories (GET /api/v1/benefits/categories: [{token, zh,
// en, items}]) fetched once per page load, and a category's name in the
// UI's language (its token when unknown).
import { reactive } from 'vue';
import { sharedGet } from '../../api.js';
import { isChinese } from '../../format.js';
import { listOf } from './cards.js';

export const categories = reactive({ list: null });
export const loadCategories = sharedGet('/api/v1/benefits/categories', categories, 'list', (a) => listOf(a, 'categories'));

export function categoryName(token, locale) {
  const c = (categories.list || []).find((x) => x.token === token);
  if (!c) return token || '';
  return isChinese(locale) ? c.zh : c.en;
}
