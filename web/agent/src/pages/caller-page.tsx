import { Page } from '../../../shared/src/components/page.tsx';
import { useI18n } from '../i18n/index.ts';

/** One person of the call: name and birth date, masked details and their reveal, visits and changes. */
export function CallerPage() {
  const { t } = useI18n();
  return <Page title={t('nav.call')}>{null}</Page>;
}
