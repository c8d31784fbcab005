import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useSession } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoginRequired } from '../components/login-required.tsx';
import { ReferenceQr } from '../components/reference-qr.tsx';
import { VisitsSummary } from '../components/visits-summary.tsx';
import { useI18n } from '../i18n/index.ts';
import { readablePhone } from './book-page.tsx';

/**
 * A booking's confirmation, at an address of its own (`/bookings/<reference>`): reloading, bookmarking
 * or opening it from the calendar file shows it again, never books again. The reference to quote and
 * its QR code for check-in, the visits booked, the calendar file, and where the text message goes.
 */
export function BookingPage({ reference }: { reference: string }) {
  const { api } = useApp();
  const session = useSession();
  const { t } = useI18n();
  const patientId = session?.patientId ?? null;
  const visits = useLoad(patientId ? `visits:${patientId}` : null, () =>
    api.listAppointments(patientId as string).then((answer) => answer.appointments),
  );
  const me = useLoad(patientId ? `me:${patientId}` : null, () => api.me());

  if (!session) {
    return (
      <Page title={t('booked.reference')}>
        <LoginRequired />
      </Page>
    );
  }
  if (visits.status === 'failed') {
    return (
      <Page title={t('booked.reference')}>
        <ErrorMessage error={visits.error} />
      </Page>
    );
  }
  if (visits.status !== 'ready') {
    return (
      <Page title={t('booked.reference')}>
        <Status>{t('booked.loading')}</Status>
      </Page>
    );
  }
  const booked = visits.data.filter((visit) => visit.reference === reference).sort((a, b) => a.dose - b.dose);
  if (booked.length === 0) {
    return (
      <Page title={t('error.title.notFound')}>
        <p>{t('booked.notFound', { reference })}</p>
        <p>
          <Link href="/visits">{t('book.done.visits')}</Link>
        </p>
      </Page>
    );
  }
  const phone = me.status === 'ready' ? (me.data.patient?.phone ?? null) : undefined;

  return (
    <Page title={t.plural('book.done.title', booked.length)}>
      <section aria-labelledby="reference-title" className="reference">
        <h2 id="reference-title">{t('booked.reference')}</h2>
        <p className="reference-code" translate="no">
          {reference}
        </p>
        <ReferenceQr reference={reference} />
        <p className="hint">{t('booked.reference.hint')}</p>
      </section>
      {phone === undefined ? null : (
        <p>{phone ? t('booked.sms.to', { phone: readablePhone(phone) }) : t('booked.sms.none')}</p>
      )}
      <VisitsSummary visits={booked} withReference={false} />
    </Page>
  );
}
