// Entry of the web UI.
import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import * as icons from '@element-plus/icons-vue';
import App from './App.vue';
import { router, safeNext } from './router.js';
import { i18n } from './i18n/index.js';
import { setUnauthenticatedHandler } from './api.js';
import { forget } from './auth.js';
import './style.css';

/* A 401 anywhere: forget the session and log in again, then come back. */
setUnauthenticatedHandler(() => {
  forget();
  const here = router.currentRoute.value;
  if (here.name !== 'login') router.push({ name: 'login', query: { next: safeNext(here.fullPath) } });
});

const app = createApp(App);
for (const [name, component] of Object.entries(icons)) app.component(`Icon${name}`, component);
document.documentElement.lang = i18n.global.locale.value;
app.use(i18n).use(router).use(ElementPlus).mount('#app');
