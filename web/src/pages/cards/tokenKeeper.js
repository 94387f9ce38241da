// The card's QR token on the phone page: minted by POST
// /api/v1/cards/{id}/token ({token, code, expires_at, kid, ttl_seconds,
// qr_svg}), it lives minutes (card_token_seconds), so the page asks for a
// new one about 30 s before it expires and counts down to its expiry.
// When a renewal fails (no network, the server away) the page keeps
// showing the last token, says it is offline, and tries again every few
// seconds; once the last token has expired it says so (a provider would
// refuse it). A firm refusal (the card is no longer active: 409, 403,
// 404) stops the renewals and is the page's to show.
//
// The expiry is counted on the phone's own clock from the moment the
// answer arrived plus ttl_seconds (not from expires_at, the server's
// clock), so a phone whose clock is off by minutes still renews on time.
// Pure apart from the injected clock and timers (test/card-token.test.js).

export const RENEW_BEFORE_S = 30;
export const RETRY_S = 10;

/** The token's expiry on the local clock (ms): received at receivedAt (ms). */
export function localExpiry(token, receivedAt) {
  return receivedAt + token.ttl_seconds * 1000;
}

/**
 * How long (ms) after receiving a token to ask for the next one: renewBefore
 * seconds before its expiry; a token living no more than twice that is
 * renewed at half its life (never sooner than one second).
 */
export function renewDelay(lifeMs, renewBefore = RENEW_BEFORE_S) {
  const before = renewBefore * 1000;
  const d = lifeMs > 2 * before ? lifeMs - before : lifeMs / 2;
  return Math.max(1000, Math.floor(d));
}

/** Whole seconds left until expiry (ms) at now (ms), never negative. */
export function secondsLeft(expiry, now) {
  if (expiry === null || expiry === undefined) return 0;
  return Math.max(0, Math.ceil((expiry - now) / 1000));
}

/** A countdown as m:ss (125 → '2:05'). */
export function formatCountdown(seconds) {
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A refusal that another attempt will not change (the card's state, the caller's rights). */
export function firmRefusal(err) {
  const s = err && typeof err.status === 'number' ? err.status : 0;
  return s >= 400 && s < 500 && s !== 408 && s !== 429 && s !== 401;
}

/**
 * Keeps a card's token fresh. opts:
 *   fetchToken()   resolves a minted token (rejects with ApiError)
 *   now()          ms clock (Date.now)
 *   setTimer(fn, ms), clearTimer(id)   (setTimeout, clearTimeout)
 *   renewBefore    seconds before expiry to renew (30)
 *   retryAfter     seconds between attempts after a failure (10)
 *   onChange(state) called after every change
 * Returns {state, start(), renew(), stop()}. state: token (the last good
 * one, kept through failures), expiry (ms), receivedAt, offline (the last
 * renewal failed and a token is still shown, or none could be had),
 * error (the last failure), stopped (a firm refusal ended the renewals),
 * fetching.
 */
export function createTokenKeeper(opts) {
  const now = opts.now || (() => Date.now());
  const setTimer = opts.setTimer || ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer || ((id) => clearTimeout(id));
  const renewBefore = opts.renewBefore === undefined ? RENEW_BEFORE_S : opts.renewBefore;
  const retryAfter = opts.retryAfter === undefined ? RETRY_S : opts.retryAfter;
  const changed = () => opts.onChange && opts.onChange(state);
  const state = { token: null, expiry: null, receivedAt: null, offline: false, error: null, stopped: false, fetching: false };
  let timer = null;
  let serial = 0;
  let running = false;

  function schedule(ms) {
    if (timer !== null) clearTimer(timer);
    timer = setTimer(() => {
      timer = null;
      renew();
    }, ms);
  }

  async function renew() {
    if (!running) return;
    const mine = ++serial;
    if (timer !== null) {
      clearTimer(timer);
      timer = null;
    }
    state.fetching = true;
    changed();
    try {
      const t = await opts.fetchToken();
      if (mine !== serial || !running) return;
      const at = now();
      state.token = t;
      state.receivedAt = at;
      state.expiry = localExpiry(t, at);
      state.offline = false;
      state.error = null;
      state.fetching = false;
      schedule(renewDelay(state.expiry - at, renewBefore));
    } catch (e) {
      if (mine !== serial || !running) return;
      state.error = e;
      state.fetching = false;
      if (firmRefusal(e)) {
        state.stopped = true;
        state.offline = false;
        running = false;
      } else {
        state.offline = true;
        schedule(retryAfter * 1000);
      }
    }
    changed();
  }

  return {
    state,
    /** Starts (or restarts after a firm refusal): asks for a token now. */
    start() {
      running = true;
      state.stopped = false;
      return renew();
    },
    /** Asks now (the network is back, the page is visible again), when running. */
    renew,
    stop() {
      running = false;
      serial++;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}

/** The token as shown at now (ms): {seconds left, expired, renewing soon}. */
export function tokenView(state, now, renewBefore = RENEW_BEFORE_S) {
  const left = secondsLeft(state.expiry, now);
  return { left, expired: !!state.token && left === 0, soon: left > 0 && left <= renewBefore };
}
