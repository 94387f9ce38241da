// The digital talent card as the pages show it (issue 7, docs/cards.md and
// docs/benefits.md): card statuses and their colours, the actions of a
// card (allowed_actions → the path it posts to, whether it asks a reason),
// the card number in groups of four, the 8-digit counter code, what a
// provider pasted or typed (a token, a verify URL holding one, or a code),
// the verdict reasons, an item's name in the UI's language, loans and
// bookings. The pages read the API's answers as they are (docs/openapi.yaml):
// lists {items, next_cursor}, references {id, name} or null, instants ISO
// 8601 strings (formatDateTime takes them), a benefit row the item with
// used, quota and remaining (null: no limit). Pure functions
// (test/cards.test.js).

export const CARD_STATUSES = ['applied', 'approved', 'issuing', 'active', 'suspended', 'rejected', 'revoked', 'expired'];
export const CARD_STATUS_TYPE = {
  applied: 'warning',
  approved: 'primary',
  issuing: 'primary',
  active: 'success',
  suspended: 'warning',
  rejected: 'danger',
  revoked: 'danger',
  expired: 'info',
};
/* A live card: the talent cannot apply again while one exists. */
export const LIVE_STATUSES = ['applied', 'approved', 'issuing', 'active', 'suspended'];

/*
 * The actions of a card in button order (the allowed_actions tokens): the
 * path segment it posts to (the bank's rejection `bank_reject` posts to
 * `bank-reject`), whether it asks a reason, the issue form (last four
 * digits and the day), and its look.
 */
export const CARD_ACTIONS = {
  approve: { path: 'approve', primary: true },
  reject: { path: 'reject', reason: true, danger: true },
  accept: { path: 'accept', primary: true },
  issue: { path: 'issue', issue: true, primary: true },
  bank_reject: { path: 'bank-reject', reason: true, danger: true },
  suspend: { path: 'suspend', reason: true, danger: true },
  resume: { path: 'resume', primary: true },
  revoke: { path: 'revoke', reason: true, danger: true },
};
const ACTION_ORDER = Object.keys(CARD_ACTIONS);

/** The card's allowed_actions the page knows, in button order ([] before the card is there). */
export function cardActions(card) {
  return card ? ACTION_ORDER.filter((a) => card.allowed_actions.includes(a)) : [];
}

/**
 * The body of a card action from the dialog's input ({reason, debit_last4,
 * issued_on}), checked first: {body} or {errors: {field: key}} where key
 * is the i18n key under cards.dialog.errors.
 */
export function actionBody(action, input) {
  const spec = CARD_ACTIONS[action] || {};
  const errors = {};
  const body = {};
  if (spec.reason) {
    const reason = String(input.reason || '').trim();
    if (!reason) errors.reason = 'reason';
    body.reason = reason;
  }
  if (spec.issue) {
    const last4 = toAsciiDigits(String(input.debit_last4 || '')).replace(/\s/g, '');
    if (!/^\d{4}$/.test(last4)) errors.debit_last4 = 'last4';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(String(input.issued_on || ''))) errors.issued_on = 'issued_on';
    body.debit_last4 = last4;
    body.issued_on = input.issued_on;
  }
  return Object.keys(errors).length ? { errors } : { body };
}

/** Full-width digits (０-９) as ASCII. */
export function toAsciiDigits(s) {
  return String(s).replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30));
}

/** '8156000000001234' → '8156 0000 0000 1234'; anything else as it is (trimmed). */
export function formatCardNo(no) {
  const s = String(no || '').replace(/\s/g, '');
  if (!/^\d+$/.test(s)) return String(no || '').trim();
  return s.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The 8-digit counter code '12345678' → '1234 5678' (easier to read out); else as it is. */
export function formatCode(code) {
  const s = String(code || '');
  return /^\d{8}$/.test(s) ? `${s.slice(0, 4)} ${s.slice(4)}` : s;
}

/** A Luhn check over a digit string (the card number's last digit checks the rest). */
export function luhnValid(no) {
  const s = String(no || '');
  if (!/^\d{2,}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    let d = Number(s[s.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const TOKEN_RE = /^GC1\.[A-Za-z0-9._-]+$/;

/**
 * What a provider pasted, scanned or typed, as the check's body:
 *   8 digits (spaces, dashes, full-width forgiven)  → {code}
 *   a token 'GC1.…' or a URL with ?token=…           → {token}
 * null when it is neither (the page says so before asking the server).
 */
export function checkInput(text) {
  const raw = toAsciiDigits(String(text || '')).trim();
  if (!raw) return null;
  const digits = raw.replace(/[\s-]/g, '');
  if (/^\d{8}$/.test(digits)) return { code: digits };
  let token = raw.replace(/\s+/g, '');
  const m = /[?&]token=([^&#\s]+)/.exec(token);
  if (m) {
    try {
      token = decodeURIComponent(m[1]);
    } catch {
      token = m[1];
    }
  }
  return TOKEN_RE.test(token) ? { token } : null;
}

/* The verdict reasons of a token (cardtoken.h); anything else is shown as the server wrote it. */
export const VERDICT_REASONS = ['malformed', 'bad_signature', 'unknown_key', 'expired', 'revoked', 'suspended', 'not_active'];

/** An item's name in the UI's language (an item, a benefit row, or a booking's or redemption's item). */
export function itemName(item, locale) {
  return String(locale || '').startsWith('zh') ? item.name : item.name_en;
}

/* Loan requests (docs/benefits.md): kinds, statuses and the bank's actions. */
export const LOAN_KINDS = ['talent_loan', 'enterprise_loan'];
export const LOAN_STATUSES = ['requested', 'accepted', 'approved', 'declined', 'withdrawn'];
export const LOAN_STATUS_TYPE = { requested: 'warning', accepted: 'primary', approved: 'success', declined: 'danger', withdrawn: 'info' };
export const LOAN_ACTIONS = {
  accept: { primary: true },
  approve: { primary: true },
  decline: { reason: true, danger: true },
  withdraw: { danger: true },
};

/** The loan's allowed_actions among known, in known's order. */
export function loanActions(loan, known = Object.keys(LOAN_ACTIONS)) {
  return known.filter((a) => loan.allowed_actions.includes(a));
}

export const BOOKING_STATUS_TYPE = { booked: 'primary', cancelled: 'info', redeemed: 'success' };
