// A recognition as the pages show it: the bases and their tag colours,
// the notice's number, the policy stamp as one line. Pure functions
// (test/recognition.test.js).

export const BASES = ['order', 'recommendation', 'strategic'];
export const BASIS_TYPE = { order: 'success', recommendation: 'primary', strategic: 'warning' };

/** The notice's number: 'GGRD-2026-000042' (the year of the effective day, the id on six digits). */
export function noticeNumber(r) {
  if (!r || !r.id) return '';
  const year = /^(\d{4})-/.exec(String(r.effective_on || r.created_at || ''));
  return `GGRD-${year ? year[1] : '0000'}-${String(r.id).padStart(6, '0')}`;
}

/** The policy stamp as one line: 'optics-valley-2024 2024.1 · sha256:ab12…' (hash shortened to 12 when short is set). */
export function policyStamp(policy, { short = false } = {}) {
  if (!policy) return '';
  const hash = policy.hash ? (short && policy.hash.length > 16 ? `${policy.hash.slice(0, 12)}…` : policy.hash) : '';
  return [policy.pack, policy.version].filter(Boolean).join(' ') + (hash ? ` · ${hash}` : '');
}
