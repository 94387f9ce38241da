// True while the window is narrower than a tablet (768 px), for forms that
// put their labels on top and toolbars that stack on a phone.
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
