import { Page } from '../../../shared/src/components/page.tsx';
import { useI18n } from '../i18n/index.ts';

/** The supervisor's alerts: budgets exceeded, one person looked up by many agents, the watch list. */
export function AlertsPage() {
  const { t } = useI18n();
  return <Page title={t('nav.alerts')}>{null}</Page>;
}
