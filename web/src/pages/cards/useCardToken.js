// The phone page's token as reactive state (tokenKeeper.js): the keeper
// for the card, a clock ticking every second for the countdown, a renewal
// as soon as the browser is back online or the page visible again, and
// everything stopped when the page goes.
import { computed, onBeforeUnmount, reactive, ref } from 'vue';
import { api } from '../../api.js';
import { createTokenKeeper, tokenView } from './tokenKeeper.js';

/** cardId: the active card's id. Returns {state, view, start, stop, renew}. */
export function useCardToken(cardId) {
  const state = reactive({ token: null, expiry: null, receivedAt: null, offline: false, error: null, stopped: false, fetching: false });
  const now = ref(Date.now());
  const keeper = createTokenKeeper({
    fetchToken: () => api.post(`/api/v1/cards/${cardId}/token`, {}),
    onChange: (s) => Object.assign(state, s),
  });
  const view = computed(() => tokenView(state, now.value));
  const tick = setInterval(() => {
    now.value = Date.now();
  }, 1000);
  const again = () => {
    if (document.visibilityState === 'visible' && (state.offline || view.value.expired || view.value.soon)) keeper.renew();
  };
  window.addEventListener('online', again);
  document.addEventListener('visibilitychange', again);
  onBeforeUnmount(() => {
    clearInterval(tick);
    keeper.stop();
    window.removeEventListener('online', again);
    document.removeEventListener('visibilitychange', again);
  });
  return { state, view, start: () => keeper.start(), stop: () => keeper.stop(), renew: () => keeper.renew() };
}
