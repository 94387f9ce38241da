// The payee of a subsidy plan as typed: the account number the API takes
// (digits only, 8 to 32 of them; PUT /api/v1/plans/{id}/payee), forgiving
// the spaces and dashes people type in groups, and the mask the server
// answers with (`**** 1234`). Pure (test/payee.test.js).

/** Typed account number → its digits (8 to 32), or null when it is not one; spaces, dashes and full-width digits forgiven. */
export function accountDigits(text) {
  const s = String(text === null || text === undefined ? '' : text)
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s-]/g, '');
  return /^\d{8,32}$/.test(s) ? s : null;
}

/** The masked form of an account number: '**** ' and its last four digits ('' when there are none). */
export function maskAccount(digits) {
  const s = String(digits || '').replace(/\D/g, '');
  return s.length >= 4 ? `**** ${s.slice(-4)}` : '';
}
