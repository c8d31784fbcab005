import { webAppConfig } from '../shared/vite-app.ts';

/**
 * The patients' app, served from `/`. `npx vite build --config web/patient/vite.config.ts` writes
 * web/patient/dist; `npx vite --config web/patient/vite.config.ts` serves it for development.
 */
export default webAppConfig({ configUrl: import.meta.url, base: '/' });
