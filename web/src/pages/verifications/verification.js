// An annual verification as the pages show it (docs: contract of issue 6,
// part A): its statuses and their tag colours, the officer's decisions
// (accept, return, lapse: the last two with a reason), the employer's
// submission checked before sending (employed, end day, salary paid as
// the decimal string the API takes, tax record number) and the evidence
// files checked as the server will (kind, count, size, and the type by
// content agreeing with the name's extension). Pure functions
// (test/verification.test.js).
import { checkYuan, fenToYuan } from '../../money.js';

export const STATUSES = ['open', 'submitted', 'returned', 'accepted', 'lapsed'];
export const STATUS_TYPE = { open: 'warning', submitted: 'primary', returned: 'warning', accepted: 'success', lapsed: 'info' };
/* The officer's queue: what waits for the bureau (submitted) and what is late (overdue). */
export const QUEUE_TABS = ['submitted', 'overdue', 'all'];

/* The actions of a verification (allowed_actions), in the page's button order. */
export const ACTIONS = {
  accept: { dialog: true, primary: true },
  return: { dialog: true, reason: true },
  lapse: { dialog: true, reason: true, danger: true },
};
export const DECISIONS = ['accept', 'return', 'lapse'];
export const DIALOG_FIELDS = ['reason'];

export const FILE_KINDS = ['contract', 'tax_certificate', 'other'];
export const MAX_FILES = 10;
export const MAX_FILE_BYTES = 10 * 1024 * 1024; /* upload_max_bytes' default; the server is the judge */
export const ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

export const SUBMIT_FIELDS = ['employed', 'end_on', 'salary_paid', 'tax_record_no'];

/** The type of a file by its first bytes (Uint8Array): 'pdf', 'png', 'jpeg', or null. */
export function typeByContent(bytes) {
  const b = bytes || [];
  const starts = (sig) => sig.every((x, i) => b[i] === x);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; /* %PDF- */
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  return null;
}

/** The type a file's name declares by its extension: 'pdf', 'png', 'jpeg', or null. */
export function typeByName(name) {
  const m = /\.([A-Za-z0-9]+)$/.exec(String(name || ''));
  const ext = m ? m[1].toLowerCase() : '';
  return { pdf: 'pdf', png: 'png', jpg: 'jpeg', jpeg: 'jpeg' }[ext] || null;
}

/**
 * Checks one file before it is sent: {name, size}, its first bytes, how
 * many files the verification has, the size limit. Returns null or the
 * reason's key under verifications.files.errors: 'count', 'empty',
 * 'too_large', 'extension', 'content', 'mismatch'.
 */
export function fileProblem(file, head, { count = 0, maxBytes = MAX_FILE_BYTES } = {}) {
  if (count >= MAX_FILES) return 'count';
  if (!file || !file.size) return 'empty';
  if (file.size > maxBytes) return 'too_large';
  const declared = typeByName(file.name);
  if (!declared) return 'extension';
  const actual = typeByContent(head);
  if (!actual) return 'content';
  return actual === declared ? null : 'mismatch';
}

/** File size in people's units: 980 B, 12.4 KB, 3.2 MB. */
export function fileSize(n) {
  const x = Number(n) || 0;
  if (x < 1024) return `${x} B`;
  if (x < 1024 * 1024) return `${(x / 1024).toFixed(1)} KB`;
  return `${(x / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The submission's body from the form's input ({employed: true|false|null,
 * end_on, salary_paid (typed yuan), tax_record_no}), checked first:
 * resolves {body} or {errors: {field: message}} (t translates).
 */
export function submitBody(input, t) {
  const errors = {};
  if (input.employed !== true && input.employed !== false) errors.employed = t('verifications.form.employed_required');
  if (input.employed === false && !input.end_on) errors.end_on = t('verifications.form.end_on_required');
  const salary = checkYuan(input.salary_paid, 'salary_paid', errors, t);
  const tax = String(input.tax_record_no || '').trim();
  if (!tax) errors.tax_record_no = t('verifications.form.tax_required');
  else if (tax.length > 64) errors.tax_record_no = t('verifications.form.tax_too_long');
  if (Object.keys(errors).length) return { errors };
  const body = { employed: input.employed, salary_paid: salary, tax_record_no: tax };
  if (input.employed === false) body.end_on = input.end_on;
  return { body };
}

/** The form's input prefilled from a verification (a returned one keeps what was sent). */
export function formInput(v) {
  const salary = v ? fenToYuan(v.salary_paid_fen) : '';
  return {
    employed: v && (v.employed === true || v.employed === false) ? v.employed : null,
    end_on: (v && v.end_on) || '',
    salary_paid: salary,
    tax_record_no: (v && v.tax_record_no) || '',
  };
}

/** The body of an officer's decision: accept takes none, return and lapse the reason. */
export function decisionBody(action, input) {
  return ACTIONS[action] && ACTIONS[action].reason ? { reason: String(input.reason || '').trim() } : {};
}

/**
 * The list's API query from the page's filter: the officer's queue tab
 * ('submitted', 'overdue', 'all') or '' (the inbox, the plain list) sets
 * status / overdue; the page's own `tab` key is not the API's.
 */
export function queueQuery(tab, filter = {}) {
  const q = {};
  for (const k of ['status', 'org', 'talent', 'year']) if (filter[k]) q[k] = filter[k];
  if (filter.overdue === 'true' || filter.overdue === true) q.overdue = 'true';
  if (tab === 'submitted') {
    q.status = 'submitted';
    delete q.overdue;
  }
  else if (tab === 'overdue') {
    q.overdue = 'true';
    delete q.status;
  }
  return q;
}

/** The verification is late: the server says so (overdue), or open|returned past the deadline on `today` (YYYY-MM-DD). */
export function isOverdue(v, today) {
  if (!v) return false;
  if (v.overdue === true || v.overdue === false) return v.overdue;
  return ['open', 'returned'].includes(v.status) && !!v.deadline_on && !!today && v.deadline_on < today;
}
