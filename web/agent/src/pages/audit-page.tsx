import { Page } from '../../../shared/src/components/page.tsx';
import { useI18n } from '../i18n/index.ts';

/** The supervisor's audit log, filtered by agent, patient, reason and date. */
export function AuditPage() {
  const { t } = useI18n();
  return <Page title={t('nav.audit')}>{null}</Page>;
}
