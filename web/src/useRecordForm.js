// The create / edit form of a record (talent, organisation, recommendation;
// create-only: order, strategic decision): the record is loaded with its ETag, an edit sends only what changed with
// If-Match, a stale version (412) is marked so the page offers a reload,
// the server's field errors go to their fields (the rest to the banner),
// and after a refusal the first marked field scrolls into view. The page
// keeps its fields and its bodies (talentForm.js, orgForm.js, …); useSubmit
// sends.
import { nextTick, onMounted, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import { api, request } from './api.js';
import { useSubmit } from './useSubmit.js';
import { loadVocabulary } from './vocabulary.js';

/**
 * form: the page's reactive form. opts:
 *   path         the collection ('/api/v1/orgs'); a record is path/id
 *   editRoute    the route name of an edit ('org-edit'); none or any other route creates
 *   showRoute, listRoute   where an edit or a new record goes back to
 *   formFields   the field names the form shows (FORM_FIELDS)
 *   toForm(record), patchBody(form, original), createBody(form)
 *   created      i18n key of the message after a create
 *   nameRequired optional: i18n key of the message when form.name is blank
 *   check(form)  optional: {field: message} of the input's own mistakes, or null
 *   createdId(answer)  optional: the new record's id in the create's answer (answer.id)
 *   quietUnchanged     optional: an edit that changes nothing goes back without a message
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
  const stale = ref(false);
  const { busy, error, fields, others, submit: send } = useSubmit(opts.formFields);

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

  function check() {
    if (opts.nameRequired && !form.name.trim()) return { name: t(opts.nameRequired) };
    return opts.check ? opts.check(form) : null;
  }

  async function save() {
    if (editing) {
      const body = opts.patchBody(form, original);
      if (Object.keys(body).length === 0) {
        if (!opts.quietUnchanged) ElMessage.info(t('talents.form.unchanged'));
      } else {
        await request('PATCH', `${opts.path}/${id}`, { body, ifMatch: etag.value });
        ElMessage.success(t('common.saved'));
      }
      router.push({ name: opts.showRoute, params: { id } });
    } else {
      const created = await api.post(opts.path, opts.createBody(form));
      ElMessage.success(t(opts.created));
      router.push({ name: opts.showRoute, params: { id: opts.createdId ? opts.createdId(created) : created.id } });
    }
  }

  function submit() {
    stale.value = false;
    return send({
      check,
      send: save,
      failed(e) {
        stale.value = e.status === 412;
        showProblem();
      },
    });
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
