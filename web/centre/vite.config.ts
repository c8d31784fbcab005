import { webAppConfig } from '../shared/vite-app.ts';

/**
 * The vaccination centres' app, served under `/centre/`. `npx vite build --config web/centre/vite.config.ts`
 * writes web/centre/dist; scripts/build-web.mjs then places it at web/patient/dist/centre, the one folder
 * the site is served from (locally and on Firebase Hosting).
 */
export default webAppConfig({ configUrl: import.meta.url, base: '/centre/' });
