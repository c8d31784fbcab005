import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type UserConfig } from 'vite';

/** Where `vite` (dev server) forwards the API and the development identity provider: a running `npm start`. */
const api = process.env.EREG_API_URL ?? 'http://127.0.0.1:8080';

const config = {
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
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
 * The patients' app. `npx vite build --config web/patient/vite.config.ts` writes web/patient/dist, served
 * from `/`; the manifest lists each chunk's static imports, from which web/scripts/web-size.mjs counts
 * the JavaScript a first visit loads. `npx vite --config web/patient/vite.config.ts` serves it for
 * development, forwarding the API to `EREG_API_URL` (default: a local `npm start`).
 */
export default defineConfig(({ command }) => {
  // A build is what people are served: React's production build, whatever NODE_ENV the caller runs
  // under (Jest sets "test", which would otherwise give a development build half again as large).
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});
