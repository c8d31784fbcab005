import { useEffect, useId, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useDesk } from '../app-context.ts';
import { ManagerError } from '../components/manager-error.tsx';
import { ManagerOnly } from '../components/manager-only.tsx';
import { Page } from '../components/page.tsx';
import { StaffAddForm } from '../components/staff-add-form.tsx';
import { type StaffEntry, StaffRow } from '../components/staff-row.tsx';
import { useI18n } from '../i18n/index.ts';

/** The centre's people (`/centre/staff`): the manager's list, with adding, role changes and removal. */
export function ManagerStaffPage() {
  const { t } = useI18n();
  return (
    <ManagerOnly title={t('staff.title')}>
      <StaffPage />
    </ManagerOnly>
  );
}

const byName = (a: StaffEntry, b: StaffEntry) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

function StaffPage() {
  const { api } = useApp();
  const { centre } = useDesk();
  const { t } = useI18n();
  const id = useId();
  const load = useLoad(`staff/${centre.id}`, () => api.call('listStaff', { params: { centreId: centre.id } }));
  const [staff, setStaff] = useState<StaffEntry[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const answer = load.status === 'ready' ? load.data.staff : null;
  useEffect(() => {
    if (answer) setStaff(answer);
  }, [answer]);

  return (
    <Page title={t('staff.title')}>
      <p className="hint">{t('staff.intro')}</p>
      <Status>{done}</Status>
      {adding ? (
        <StaffAddForm
          onCancel={() => setAdding(false)}
          onAdded={(member) => {
            setAdding(false);
            setStaff((all) => [...(all ?? []), member].sort(byName));
            setDone(t('staff.added', { name: member.name }));
          }}
        />
      ) : (
        <p>
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            {t('staff.add.open')}
          </button>
        </p>
      )}
      <section aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>{t('staff.list')}</h2>
        {!staff && load.status === 'loading' ? <Status>{t('loading')}</Status> : null}
        {!staff && load.status === 'failed' ? (
          <>
            <ManagerError error={load.error} />
            <button type="button" className="button button-secondary" onClick={load.reload}>
              {t('retry')}
            </button>
          </>
        ) : null}
        {staff && staff.length === 0 ? <p className="empty">{t('staff.empty')}</p> : null}
        {staff && staff.length > 0 ? (
          <ul className="staff-list">
            {staff.map((member) => (
              <StaffRow
                key={member.id}
                member={member}
                onChanged={(change, message) => {
                  setStaff((all) =>
                    change.removed
                      ? (all ?? []).filter((m) => m.id !== change.member.id)
                      : (all ?? []).map((m) => (m.id === change.member.id ? change.member : m)),
                  );
                  setDone(message);
                }}
              />
            ))}
          </ul>
        ) : null}
      </section>
    </Page>
  );
}
