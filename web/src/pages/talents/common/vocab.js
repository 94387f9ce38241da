// Small readers of the vocabulary shared by the registry pages.
import { vocabulary } from '../../../vocabulary.js';

/** The chain token of a segment token, or '' when unknown. */
export function chainOf(segment) {
  for (const c of vocabulary.data ? vocabulary.data.chains : []) {
    if ((c.segments || []).some((s) => s.token === segment)) return c.token;
  }
  return '';
}
