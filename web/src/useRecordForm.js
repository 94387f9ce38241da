// The create / edit form of a registry record (talent, organisation): the
// record is loaded with its ETag, an edit sends only what changed with
// If-Match, a stale version (412) is marked so the page offers a reload,
// the server's field errors go to their fields (the rest to the banner),
// and after a refusal the first marked field scrolls into view. The page
// keeps its fields and its bodies (talentForm.js, orgForm.js).
import { computed, nextTick, onMounted, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import { api, request } from './api.js';
import { fieldErrors, unplacedErrors } from './errors.js';
import { loadVocabulary } from './vocabulary.js';

/**
 * form: the page's reactive form. opts:
 *   path         the collection ('/api/v1/orgs'); a record is path/id
 *   editRoute    the route name of an edit ('org-edit'); any other route creates
 *   showRoute, listRoute   where an edit or a new record goes back to
 *   formFields   the field names the form shows (FORM_FIELDS)
 *   toForm(record), patchBody(form, original), createBody(form)
 *   nameRequired, created    i18n keys of those two messages
 *   loaded(record)  optional: more from a loaded record (masks, names)
 *   prepareNew()    optional: defaults of a new record once the vocabulary is there
 * Loads on mount.
 */
export function useRecordForm(form, opts) {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const editing = route.name === opts.editRoute;
  const id = editing ? Number(route.params.id) : null;

  let original = null;
  const etag = ref(null);
  const loading = ref(true);
  const loadError = ref(null);
  const busy = ref(false);
  const error = ref(null);
  const fields = ref({});
  const stale = ref(false);

  const others = computed(() => (error.value ? unplacedErrors(error.value.errors, opts.formFields) : []));

  /* The error of a member that is not about one of its parts (those show at the parts). */
  function own(name) {
    const f = fields.value;
    return Object.keys(f).some((k) => k.startsWith(`${name}.`)) ? '' : f[name] || '';
  }

  async function load() {
    loading.value = true;
    loadError.value = null;
    stale.value = false;
    try {
      await loadVocabulary();
      if (editing) {
        const r = await request('GET', `${opts.path}/${id}`);
        etag.value = r.etag;
        Object.assign(form, opts.toForm(r.data));
        original = opts.toForm(r.data);
        if (opts.loaded) opts.loaded(r.data);
      } else if (opts.prepareNew) {
        opts.prepareNew();
      }
    } catch (e) {
      loadError.value = e;
    } finally {
      loading.value = false;
    }
  }

  async function submit() {
    error.value = null;
    fields.value = {};
    stale.value = false;
    if (!form.name.trim()) {
      fields.value = { name: t(opts.nameRequired) };
      return;
    }
    busy.value = true;
    try {
      if (editing) {
        const body = opts.patchBody(form, original);
        if (Object.keys(body).length === 0) {
          ElMessage.info(t('talents.form.unchanged'));
          router.push({ name: opts.showRoute, params: { id } });
          return;
        }
        await request('PATCH', `${opts.path}/${id}`, { body, ifMatch: etag.value });
        ElMessage.success(t('common.saved'));
        router.push({ name: opts.showRoute, params: { id } });
      } else {
        const created = await api.post(opts.path, opts.createBody(form));
        ElMessage.success(t(opts.created));
        router.push({ name: opts.showRoute, params: { id: created.id } });
      }
    } catch (e) {
      error.value = e;
      fields.value = fieldErrors(e);
      stale.value = e.status === 412;
      showProblem();
    } finally {
      busy.value = false;
    }
  }

  /* After a refusal: bring the first marked field (or the message) into view. */
  function showProblem() {
    nextTick(() => {
      const el = document.querySelector('.el-form-item.is-error') || document.querySelector('[data-test=form-stale], [data-test=form-error]');
      if (el) el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    });
  }

  function cancel() {
    if (editing) router.push({ name: opts.showRoute, params: { id } });
    else router.push({ name: opts.listRoute });
  }

  onMounted(load);
  return { editing, id, loading, loadError, busy, error, fields, stale, others, own, load, submit, cancel };
}
