import { webAppConfig } from '../shared/vite-app.ts';

/**
 * The ministry's dashboard of the reports (analysts and administrators; its public summary for anyone),
 * served under `/reports/`. `npx vite build --config web/reports/vite.config.ts` writes web/reports/dist;
 * scripts/build-web.mjs then places it at web/patient/dist/reports, the one folder the site is served
 * from (locally and on Firebase Hosting).
 */
export default webAppConfig({ configUrl: import.meta.url, base: '/reports/' });
