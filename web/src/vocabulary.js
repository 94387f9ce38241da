// The registry's vocabulary (tiers, chains with segments, organisation
// kinds, statuses, honours, genders, document types) from GET
// /api/v1/vocabulary, fetched once per page load; label() picks the
// language of the UI.
import { reactive } from 'vue';
import { sharedGet } from './api.js';
import { isChinese } from './format.js';

export const vocabulary = reactive({ data: null });
export const loadVocabulary = sharedGet('/api/v1/vocabulary', vocabulary, 'data');

/** The chain token of a segment token, or '' when unknown. */
export function chainOf(segment) {
  for (const c of vocabulary.data ? vocabulary.data.chains : []) {
    if ((c.segments || []).some((s) => s.token === segment)) return c.token;
  }
  return '';
}

/** Segment tokens grouped under their chain, in order of first appearance: [{chain, segments}]. */
export function segmentsByChain(segments) {
  const groups = [];
  for (const s of segments || []) {
    const chain = chainOf(s);
    let g = groups.find((x) => x.chain === chain);
    if (!g) groups.push((g = { chain, segments: [] }));
    g.segments.push(s);
  }
  return groups;
}

/** The label of token in list ('tiers', 'chains', 'org_kinds', ...) in locale; the token itself if unknown. */
export function label(list, token, locale) {
  if (token === null || token === undefined || token === '') return '';
  const items = vocabulary.data ? vocabulary.data[list] || [] : [];
  let item = items.find((i) => i.token === token);
  if (!item && list === 'segments') {
    for (const c of vocabulary.data ? vocabulary.data.chains : []) {
      item = (c.segments || []).find((s) => s.token === token);
      if (item) break;
    }
  }
  if (!item) return token;
  return isChinese(locale) ? item.zh : item.en;
}
