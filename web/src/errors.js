// What the user reads when the server refuses: the problem's `code`
// translated (errors.<code> in i18n/errors.js), the server's own detail as
// a fallback, and field errors placed next to their fields.

/** The sentence for an error: translated by code, else the server's detail, else a generic one. */
export function errorText(t, te, err) {
  if (!err) return '';
  const code = err.code || (err.status === 0 ? 'network' : 'unknown');
  const key = `errors.${code}`;
  if (te(key)) {
    if (code === 'too_many_requests' && err.retryAfter) return t('errors.too_many_requests_wait', { seconds: err.retryAfter });
    return t(key);
  }
  return err.detail || err.message || t('errors.unknown');
}

/**
 * The field errors of err for a form: {field: message}. A dotted server
 * field ('honours.0.year') is kept as is and also given to its first part
 * ('honours') unless that has its own, so a form that shows the list as
 * one item still shows the error.
 */
export function fieldErrors(err) {
  const out = {};
  if (!err || !err.fieldErrors) return out;
  for (const [field, message] of Object.entries(err.fieldErrors)) {
    out[field] = message;
    const head = field.split('.')[0];
    if (!(head in out)) out[head] = message;
  }
  return out;
}

/**
 * The server's field errors a form has no place for (a field it does not
 * show), from ApiError.errors ([{field, message}]): a field is placed when
 * it, or its first dotted part, is one of `placed` (the form's fields).
 */
export function unplacedErrors(errors, placed) {
  return (errors || []).filter((e) => e && e.field && !placed.includes(e.field) && !placed.includes(e.field.split('.')[0]));
}
