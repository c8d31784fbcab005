import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type UserConfig } from 'vite';

/** Where `vite` (dev server) forwards the API and the development identity provider: a running `npm start`. */
const api = process.env.EREG_API_URL ?? 'http://127.0.0.1:8080';

const config = {
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/centre/',
  plugins: [react()],
  // The workspace packages' sources (`source` in their exports), as TypeScript and Jest read them.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': api,
      '/dev-idp': api,
    },
  },
} satisfies UserConfig;

/**
 * The vaccination centres' app, served under `/centre/`. `npx vite build --config web/centre/vite.config.ts`
 * writes web/centre/dist; scripts/build-web.mjs then places it at web/patient/dist/centre, the one folder
 * the site is served from (locally and on Firebase Hosting).
 */
export default defineConfig(({ command }) => {
  // A build is what people are served: React's production build, whatever NODE_ENV the caller runs under.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});
