import { webAppConfig } from '../shared/vite-app.ts';

/**
 * The ministry's administration (eligibility policy, priority groups, centres, vaccines, announcements),
 * served under `/admin/`. `npx vite build --config web/admin/vite.config.ts` writes web/admin/dist;
 * scripts/build-web.mjs then places it at web/patient/dist/admin, the one folder the site is served
 * from (locally and on Firebase Hosting).
 */
export default webAppConfig({ configUrl: import.meta.url, base: '/admin/' });
