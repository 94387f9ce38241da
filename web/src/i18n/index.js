// vue-i18n with 简体中文 by default and English switchable; the choice is
// kept in localStorage ('gg.locale'). Messages come from one module per
// area (i18n/<area>.js, default export {zh: {...}, en: {...}}), merged here,
// so a feature adds its strings without touching the others.
import { createI18n } from 'vue-i18n';

export const LOCALES = [
  { code: 'zh-CN', short: 'zh', name: '简体中文' },
  { code: 'en', short: 'en', name: 'English' },
];
const STORAGE_KEY = 'gg.locale';

function merge(into, from, where) {
  for (const [k, v] of Object.entries(from)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (into[k] !== undefined && (typeof into[k] !== 'object' || into[k] === null))
        throw new Error(`i18n: '${where}${k}' is both a string and a group`);
      merge((into[k] = into[k] || {}), v, `${where}${k}.`);
    } else {
      if (into[k] !== undefined) throw new Error(`i18n: '${where}${k}' is defined twice`);
      into[k] = v;
    }
  }
  return into;
}

/** Merges the area modules ({zh, en} each) into vue-i18n messages keyed by locale code. */
export function mergeMessages(modules) {
  const messages = { 'zh-CN': {}, en: {} };
  for (const [file, mod] of Object.entries(modules)) {
    const m = mod.default || mod;
    const name = file.replace(/^.*\//, '');
    merge(messages['zh-CN'], m.zh || {}, `${name} zh: `);
    merge(messages.en, m.en || {}, `${name} en: `);
  }
  return messages;
}

function initialLocale() {
  try {
    const saved = globalThis.localStorage && localStorage.getItem(STORAGE_KEY);
    if (LOCALES.some((l) => l.code === saved)) return saved;
  } catch {
    /* storage refused (private mode): the default */
  }
  return 'zh-CN';
}

export const messages = mergeMessages(import.meta.glob(['./*.js', '!./index.js'], { eager: true }));

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages,
  missingWarn: false,
  fallbackWarn: false,
});

/** The locale that is not code (the one the language switch offers). */
export function otherLocale(code) {
  return LOCALES.find((l) => l.code !== code);
}

export function setLocale(code) {
  if (!LOCALES.some((l) => l.code === code)) return;
  i18n.global.locale.value = code;
  document.documentElement.lang = code;
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    /* not kept: still switched for this page */
  }
}
