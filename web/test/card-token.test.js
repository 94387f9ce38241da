// The phone page's token: when it renews (about 30 s before expiry), the
// countdown, and what happens when a renewal fails (the last token stays,
// offline; a firm refusal stops the renewals).
import { describe, expect, it } from 'vitest';
import { createTokenKeeper, firmRefusal, formatCountdown, localExpiry, renewDelay, secondsLeft, tokenView } from '../src/pages/cards/tokenKeeper.js';
import { ApiError } from '../src/api.js';

/* A fake clock and timers: advance(ms) runs the timers that fall due, in order. */
function fakeTime(start = 1_000_000) {
  let now = start;
  let seq = 0;
  const timers = new Map();
  return {
    now: () => now,
    setTimer: (fn, ms) => {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (id) => timers.delete(id),
    pending: () => [...timers.values()].map((x) => x.at - now).sort((a, b) => a - b),
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await flush();
      }
      now = end;
    },
  };
}
const flush = () => new Promise((r) => setTimeout(r, 0));
const token = (n, ttl = 300) => ({ token: `GC1.k1.7.leading_talent.${n}.sig`, code: String(10000000 + n), ttl_seconds: ttl, expires_at: '2030-01-01T00:00:00Z', qr_svg: '<svg/>' });

describe('renewal timing', () => {
  it('renews 30 s before expiry', () => {
    expect(renewDelay(300_000)).toBe(270_000);
    expect(renewDelay(120_000, 30)).toBe(90_000);
  });
  it('renews a short-lived token at half its life, never within a second', () => {
    expect(renewDelay(40_000)).toBe(20_000);
    expect(renewDelay(60_000)).toBe(30_000);
    expect(renewDelay(500)).toBe(1000);
  });
  it('counts the expiry on the local clock from ttl_seconds, not from the server\'s expires_at', () => {
    expect(localExpiry({ ttl_seconds: 300, expires_at: '2001-01-01T00:00:00Z' }, 5000)).toBe(305_000);
  });
  it('counts down in whole seconds and writes m:ss', () => {
    expect(secondsLeft(10_000, 0)).toBe(10);
    expect(secondsLeft(10_000, 9_001)).toBe(1);
    expect(secondsLeft(10_000, 10_000)).toBe(0);
    expect(secondsLeft(10_000, 99_000)).toBe(0);
    expect(secondsLeft(null, 0)).toBe(0);
    expect(formatCountdown(300)).toBe('5:00');
    expect(formatCountdown(125)).toBe('2:05');
    expect(formatCountdown(9)).toBe('0:09');
    expect(formatCountdown(-3)).toBe('0:00');
  });
  it('tells expired and soon apart', () => {
    const s = { token: token(1), expiry: 100_000 };
    expect(tokenView(s, 0)).toEqual({ left: 100, expired: false, soon: false });
    expect(tokenView(s, 75_000)).toEqual({ left: 25, expired: false, soon: true });
    expect(tokenView(s, 100_000)).toEqual({ left: 0, expired: true, soon: false });
    expect(tokenView({ token: null, expiry: null }, 0).expired).toBe(false);
  });
  it('knows a firm refusal from a passing failure', () => {
    expect(firmRefusal(new ApiError(409, { code: 'conflict' }))).toBe(true);
    expect(firmRefusal(new ApiError(404, { code: 'not_found' }))).toBe(true);
    expect(firmRefusal(new ApiError(0, { code: 'network' }))).toBe(false);
    expect(firmRefusal(new ApiError(503, { code: 'busy' }))).toBe(false);
    expect(firmRefusal(new ApiError(429, { code: 'too_many_requests' }))).toBe(false);
  });
});

describe('the token keeper', () => {
  it('asks at once, then again 30 s before each expiry', async () => {
    const time = fakeTime();
    let n = 0;
    const keeper = createTokenKeeper({ fetchToken: async () => token(++n), ...time });
    await keeper.start();
    expect(keeper.state.token.code).toBe('10000001');
    expect(keeper.state.expiry).toBe(time.now() + 300_000);
    expect(time.pending()).toEqual([270_000]);
    await time.advance(269_999);
    expect(n).toBe(1);
    await time.advance(1);
    expect(n).toBe(2);
    expect(keeper.state.token.code).toBe('10000002');
    expect(keeper.state.offline).toBe(false);
    await time.advance(270_000);
    expect(n).toBe(3);
    keeper.stop();
    expect(time.pending()).toEqual([]);
  });

  it('keeps the last token and says offline when a renewal fails, then recovers', async () => {
    const time = fakeTime();
    let n = 0;
    let down = false;
    const keeper = createTokenKeeper({
      fetchToken: async () => {
        if (down) throw new ApiError(0, { code: 'network' });
        return token(++n);
      },
      ...time,
    });
    await keeper.start();
    down = true;
    await time.advance(270_000);
    expect(keeper.state.offline).toBe(true);
    expect(keeper.state.token.code).toBe('10000001'); /* still shown */
    expect(keeper.state.error.code).toBe('network');
    expect(time.pending()).toEqual([10_000]); /* tries again in 10 s */
    expect(tokenView(keeper.state, time.now()).left).toBe(30);
    await time.advance(40_000); /* four more failures; the token has expired meanwhile */
    expect(keeper.state.offline).toBe(true);
    expect(tokenView(keeper.state, time.now()).expired).toBe(true);
    expect(keeper.state.token.code).toBe('10000001');
    down = false;
    await time.advance(10_000);
    expect(keeper.state.offline).toBe(false);
    expect(keeper.state.error).toBe(null);
    expect(keeper.state.token.code).toBe('10000002');
    expect(time.pending()).toEqual([270_000]);
    keeper.stop();
  });

  it('stops on a firm refusal (the card is no longer active)', async () => {
    const time = fakeTime();
    let n = 0;
    const keeper = createTokenKeeper({
      fetchToken: async () => {
        if (++n > 1) throw new ApiError(409, { code: 'conflict', detail: 'card 7 is suspended' });
        return token(n);
      },
      ...time,
    });
    await keeper.start();
    await time.advance(270_000);
    expect(keeper.state.stopped).toBe(true);
    expect(keeper.state.offline).toBe(false);
    expect(keeper.state.error.status).toBe(409);
    expect(time.pending()).toEqual([]);
  });

  it('renews now on demand (back online) and ignores an answer that arrives after stop()', async () => {
    const time = fakeTime();
    let n = 0;
    let release = null;
    const keeper = createTokenKeeper({
      fetchToken: () => (++n === 2 ? new Promise((r) => (release = () => r(token(n)))) : Promise.resolve(token(n))),
      ...time,
    });
    await keeper.start();
    const p = keeper.renew();
    expect(keeper.state.fetching).toBe(true);
    keeper.stop();
    release();
    await p;
    expect(keeper.state.token.code).toBe('10000001');
    expect(time.pending()).toEqual([]);
  });

  it('reports every change', async () => {
    const time = fakeTime();
    const seen = [];
    const keeper = createTokenKeeper({ fetchToken: async () => token(1), onChange: (s) => seen.push(s.fetching), ...time });
    await keeper.start();
    expect(seen).toEqual([true, false]);
    keeper.stop();
  });
});
