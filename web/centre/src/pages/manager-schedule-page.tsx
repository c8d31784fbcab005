import type { CentreSchedule } from '@ereg/shared';
import { useEffect, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useDesk } from '../app-context.ts';
import { ManagerError } from '../components/manager-error.tsx';
import { ManagerOnly } from '../components/manager-only.tsx';
import { Page } from '../components/page.tsx';
import { ScheduleCloseDay } from '../components/schedule-close-day.tsx';
import { ScheduleEditor } from '../components/schedule-editor.tsx';
import { useI18n } from '../i18n/index.ts';

/** The schedule and the closing of days (`/centre/schedule`): the centre's manager's. */
export function ManagerSchedulePage() {
  const { t } = useI18n();
  return (
    <ManagerOnly title={t('schedule.title')}>
      <SchedulePage />
    </ManagerOnly>
  );
}

function SchedulePage() {
  const { api } = useApp();
  const { centre } = useDesk();
  const { t } = useI18n();
  const load = useLoad(`schedule/${centre.id}`, () => api.call('getSchedule', { params: { centreId: centre.id } }));
  const [schedule, setSchedule] = useState<CentreSchedule | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const answer = load.status === 'ready' ? load.data : null;
  useEffect(() => {
    if (answer) setSchedule(answer);
  }, [answer]);

  return (
    <Page title={t('schedule.title')}>
      {!schedule && load.status === 'loading' ? <Status>{t('loading')}</Status> : null}
      {!schedule && load.status === 'failed' ? (
        <>
          <ManagerError error={load.error} />
          <button type="button" className="button button-secondary" onClick={load.reload}>
            {t('retry')}
          </button>
        </>
      ) : null}
      {schedule ? (
        <div className="schedule-layout">
          {/* Closing a day comes first: on a phone it is the urgent task, above the long form. */}
          <ScheduleCloseDay
            schedule={schedule}
            onClosed={() => {
              setDone(null);
              load.reload();
            }}
          />
          {/* A schedule saved or a day closed elsewhere on the page starts the form again from what is saved. */}
          <ScheduleEditor
            key={JSON.stringify(schedule)}
            saved={schedule}
            notice={done}
            onSaved={(result) => {
              setSchedule(result.schedule);
              setDone(
                t('schedule.saved', {
                  created: result.created,
                  removed: result.removed,
                  cancelled: result.cancelledAppointments,
                }),
              );
            }}
          />
        </div>
      ) : null}
    </Page>
  );
}
