// Vite build of the web UI: web/dist is what `guanggu serve` serves (web_dir).
// Hashed files go to dist/assets/ (served with a one-year immutable cache);
// `npm run dev` proxies /api to a running guanggu (GUANGGU_DEV_API, default
// http://127.0.0.1:8080).
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus';
          if (id.includes('node_modules/')) return 'vendor';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.GUANGGU_DEV_API || 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['test/**/*.test.js'],
    environment: 'node',
  },
});
