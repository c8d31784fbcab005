import type { AppointmentView } from '@ereg/shared';
import { useRef, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useSession } from '../app-context.ts';
import { CalendarButton } from '../components/calendar-button.tsx';
import { ContactSettings } from '../components/contact-settings.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { FhirRecordButton } from '../components/fhir-record-button.tsx';
import { LoginRequired } from '../components/login-required.tsx';
import { VisitCard } from '../components/visit-card.tsx';
import { useI18n } from '../i18n/index.ts';
import { STANDBY_PATH } from '../lib/standby.ts';

/** Upcoming visits first, then past and cancelled ones; each list in the order of time, as a course reads (dose 1 before dose 2). */
export function splitVisits(visits: readonly AppointmentView[], now: Date) {
  const at = now.toISOString();
  const upcoming = visits
    .filter((v) => v.status === 'booked' && v.start > at)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.dose - b.dose));
  const other = visits
    .filter((v) => !upcoming.includes(v))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.dose - b.dose));
  return { upcoming, other };
}

/** The patient's visits: cancel (after confirming), move, or put in a calendar; and the text-message settings. */
export function VisitsPage() {
  const { api, now } = useApp();
  const session = useSession();
  const patientId = session?.patientId ?? null;
  const { t } = useI18n();
  const visits = useLoad(patientId ? `visits:${patientId}` : null, () =>
    api.listAppointments(patientId as string).then((answer) => answer.appointments),
  );
  const me = useLoad(patientId ? `me:${patientId}` : null, () => api.me());
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);

  if (!session) {
    return (
      <Page title={t('visits.title')}>
        <LoginRequired />
      </Page>
    );
  }

  const cancelled = (which: AppointmentView[]) => {
    setNotice(t.plural('visits.cancelled', which.length));
    visits.reload();
    requestAnimationFrame(() => noticeRef.current?.focus());
  };

  const split = visits.status === 'ready' ? splitVisits(visits.data, now()) : null;

  return (
    <Page title={t('visits.title')}>
      <Status>
        {visits.status === 'loading' ? t('visits.loading') : null}
        {notice ? (
          <span ref={noticeRef} tabIndex={-1} className="notice">
            {notice}
          </span>
        ) : null}
      </Status>
      {visits.status === 'failed' ? <ErrorMessage error={visits.error} /> : null}
      {split ? (
        <>
          <section aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">{t('visits.upcoming')}</h2>
            {split.upcoming.length === 0 ? (
              <p>
                {t('visits.none')} <Link href="/search">{t('visits.find')}</Link>
              </p>
            ) : (
              <>
                <ul className="visits">
                  {split.upcoming.map((visit) => (
                    <li key={visit.id}>
                      <VisitCard
                        visit={visit}
                        actionable
                        laterDoses={split.upcoming.filter((v) => v.dose > visit.dose).map((v) => v.dose)}
                        onCancelled={cancelled}
                      />
                    </li>
                  ))}
                </ul>
                {split.upcoming.length > 1 ? (
                  <CalendarButton visits={split.upcoming} label={t('visits.icsAll')} />
                ) : null}
              </>
            )}
            <FhirRecordButton />
          </section>
          <p className="standby-link">
            <Link href={STANDBY_PATH}>{t('visits.standby')}</Link>
          </p>
          {split.other.length > 0 ? (
            <section aria-labelledby="past-title">
              <h2 id="past-title">{t('visits.past')}</h2>
              <ul className="visits">
                {split.other.map((visit) => (
                  <li key={visit.id}>
                    <VisitCard visit={visit} actionable={false} laterDoses={[]} onCancelled={cancelled} />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
      {me.status === 'ready' && me.data.patient ? <ContactSettings patient={me.data.patient} /> : null}
    </Page>
  );
}
