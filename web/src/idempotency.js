// The Idempotency-Key of a money-moving request (propose a payment run,
// approve, reject, import a bank result): one random UUID per user action.
// A dialog keeps its key while the user retries the same action (a network
// failure, a 409 while the first request still runs), so the server
// answers the retry with the first request's answer instead of doing it
// twice; a new action (the dialog opened again, or after success) takes a
// new key. Pure apart from the random source (test/idempotency.test.js).

/** A random UUID (version 4): crypto.randomUUID, or built from getRandomValues where that is missing (plain http). */
export function newIdempotencyKey(cryptoImpl = globalThis.crypto) {
  if (cryptoImpl && typeof cryptoImpl.randomUUID === 'function') return cryptoImpl.randomUUID();
  const b = new Uint8Array(16);
  if (cryptoImpl && typeof cryptoImpl.getRandomValues === 'function') cryptoImpl.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * One user action's key: key() gives the current key (made on first use),
 * the same on every retry until done() (the action went through, or the
 * request itself was refused for good) or renew() (a new action: the
 * dialog opened again, the input changed) forgets it.
 */
export function idempotentAction(make = newIdempotencyKey) {
  let current = null;
  return {
    key() {
      if (!current) current = make();
      return current;
    },
    renew() {
      current = null;
    },
    done() {
      current = null;
    },
  };
}

/**
 * After a refusal: should the next attempt keep the key (true) or take a
 * new one? Kept when the outcome is unknown or the first request still
 * runs: the network (status 0), a 409 (in progress), 5xx, 408 / 429. A
 * decided refusal (400, 403, 404, 412, 422 …) means the server did
 * nothing the key would protect, and the user will change the input.
 */
export function keepKeyAfter(err) {
  const s = err && typeof err.status === 'number' ? err.status : 0;
  return s === 0 || s === 408 || s === 409 || s === 429 || s >= 500;
}
