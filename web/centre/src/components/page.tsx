/** The centres' app's pages are the site's (web/shared/src/components/page.tsx). */
export { focusPageTitle, PAGE_TITLE_ID, Page } from '../../../shared/src/components/page.tsx';
