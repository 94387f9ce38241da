// Sending a form: the busy flag, the server's refusal (for FormProblems)
// with its field errors at their fields (fieldErrors) and the rest listed
// (unplacedErrors). One submission checks the input first (field errors
// without a request), then sends; the input always stays.
import { computed, ref } from 'vue';
import { fieldErrors, unplacedErrors } from './errors.js';

/**
 * placed: the field names the form shows (its errors go there, the others
 * to FormProblems). Returns busy, error, fields, others, clear() and
 * submit({check, send, failed}):
 *   check()    optional: {field: message} of the input's own mistakes, or null
 *   send()     the request (and what follows it); a throw is the refusal
 *   failed(e)  optional: after a refusal has been put in error and fields
 * submit resolves true when send() went through.
 */
export function useSubmit(placed = []) {
  const busy = ref(false);
  const error = ref(null);
  const fields = ref({});
  const others = computed(() => (error.value ? unplacedErrors(error.value.errors, placed) : []));

  function clear() {
    error.value = null;
    fields.value = {};
  }

  async function submit({ check, send, failed }) {
    clear();
    const mistakes = check ? check() : null;
    if (mistakes) {
      fields.value = mistakes;
      return false;
    }
    busy.value = true;
    try {
      await send();
      return true;
    } catch (e) {
      error.value = e;
      fields.value = fieldErrors(e);
      if (failed) failed(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, fields, others, clear, submit };
}
