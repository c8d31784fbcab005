import { webAppConfig } from '../shared/vite-app.ts';

/**
 * The hotline console (agents and their supervisors), served under `/agent/`. `npx vite build --config
 * web/agent/vite.config.ts` writes web/agent/dist; scripts/build-web.mjs then places it at
 * web/patient/dist/agent, the one folder the site is served from (locally and on Firebase Hosting).
 */
export default webAppConfig({ configUrl: import.meta.url, base: '/agent/' });
