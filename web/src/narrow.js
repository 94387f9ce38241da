// Whether the window is phone-narrow (below 768 px, where the shell folds its
// navigation): forms put their labels on top, toolbars stack, dialogs go full
// screen and tables and pagers shrink.
import { onBeforeUnmount, onMounted, ref } from 'vue';

export const NARROW_PX = 768;

export function useNarrow() {
  const narrow = ref(typeof window !== 'undefined' && window.innerWidth < NARROW_PX);
  const measure = () => {
    narrow.value = window.innerWidth < NARROW_PX;
  };
  onMounted(() => {
    measure();
    window.addEventListener('resize', measure);
  });
  onBeforeUnmount(() => window.removeEventListener('resize', measure));
  return narrow;
}
