import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type UserConfigFnObject } from 'vite';

export interface WebAppOptions {
  /** The app's vite.config.ts (`import.meta.url`): its folder holds index.html and src/. */
  configUrl: string;
  /** The path the app is served from: `/` for the patients' app, `/centre/` for the centres'. */
  base: string;
}

/**
 * The Vite configuration of a web app of the site: React, the workspace packages' sources, a build
 * into the app's dist/ with the manifest from which web/scripts/web-size.mjs counts the JavaScript a
 * first visit loads, and a dev server that forwards the API and the development identity provider to
 * `EREG_API_URL` (default: a local `npm start`).
 */
export function webAppConfig({ configUrl, base }: WebAppOptions): UserConfigFnObject {
  const api = process.env.EREG_API_URL ?? 'http://127.0.0.1:8080';
  return defineConfig(({ command }) => {
    // A build is what people are served: React's production build, whatever NODE_ENV the caller runs
    // under (Jest sets "test", which would otherwise give a development build half again as large).
    if (command === 'build') process.env.NODE_ENV = 'production';
    return {
      root: fileURLToPath(new URL('.', configUrl)),
      base,
      plugins: [react()],
      // The workspace packages' sources (`source` in their exports), as TypeScript and Jest read them; the
      // API's paths from this checkout's own shared/, wherever node_modules links @ereg/shared from.
      resolve: {
        conditions: ['source', ...defaultClientConditions],
        alias: {
          '@ereg/shared/route-paths': fileURLToPath(new URL('../../shared/src/api/route-paths.ts', import.meta.url)),
        },
      },
      build: { outDir: 'dist', emptyOutDir: true, manifest: true, target: 'es2022' },
      server: { proxy: { '/api': api, '/dev-idp': api } },
    };
  });
}
