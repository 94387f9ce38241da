// One record on a detail page (an order, a recognition, a talent …): the
// route's id, the record from GET path/id with the vocabulary alongside,
// loading and error state for PageState (Retry is load), and a quiet
// reload after an action that keeps what is shown when it fails. Loads on
// mount.
import { onMounted, ref } from 'vue';
import { useRoute } from 'vue-router';
import { api } from './api.js';
import { loadVocabulary } from './vocabulary.js';

/**
 * path: the collection ('/api/v1/orders'). opts:
 *   needVocabulary  the vocabulary's failure is the page's error (else the page shows tokens)
 *   loaded(record)  optional: more to fetch once the record is there
 * Returns id, record, loading, error, load(), reloadQuietly().
 */
export function useRecord(path, opts = {}) {
  const route = useRoute();
  const id = Number(route.params.id);
  const record = ref(null);
  const loading = ref(true);
  const error = ref(null);

  async function load() {
    loading.value = true;
    error.value = null;
    try {
      const vocabulary = opts.needVocabulary ? loadVocabulary() : loadVocabulary().catch(() => null);
      const [, r] = await Promise.all([vocabulary, api.get(`${path}/${id}`)]);
      record.value = r;
      if (opts.loaded) opts.loaded(r);
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  async function reloadQuietly() {
    try {
      record.value = await api.get(`${path}/${id}`);
    } catch {
      /* the page keeps what it shows */
    }
  }

  onMounted(load);
  return { id, record, loading, error, load, reloadQuietly };
}
