import { Page } from '../../../shared/src/components/page.tsx';
import { useI18n } from '../i18n/index.ts';

/** Finding the caller: the reason first, then a PESEL, booking reference or phone number. */
export function CallPage() {
  const { t } = useI18n();
  return <Page title={t('nav.call')}>{null}</Page>;
}
