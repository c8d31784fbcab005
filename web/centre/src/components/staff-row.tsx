import type { CentreRole, RouteResponse } from '@ereg/shared';
import { useId, useState } from 'react';
import { useApp, useDesk } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { ManagerError } from './manager-error.tsx';
import { ROLE_LABEL } from './staff-add-form.tsx';

export type StaffEntry = RouteResponse<'listStaff'>['staff'][number];

/**
 * One member of the centre: name, e-mail, role; the manager makes them manager or staff, or removes
 * them, each after a second tap that says what follows (their sessions end). The API's refusal (the
 * last manager, oneself) is shown at the row.
 */
export function StaffRow({
  member,
  onChanged,
}: {
  member: StaffEntry;
  onChanged: (change: { member: StaffEntry; removed: boolean }, done: string) => void;
}) {
  const { api } = useApp();
  const { centre, staffId } = useDesk();
  const { t } = useI18n();
  const id = useId();
  const [asking, setAsking] = useState<'role' | 'remove' | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const self = member.id === staffId;
  const otherRole: CentreRole = member.role === 'centre-manager' ? 'staff' : 'centre-manager';

  const act = async () => {
    if (busy || !asking) return;
    setBusy(true);
    setFailure(null);
    try {
      const params = { centreId: centre.id, staffId: member.id };
      if (asking === 'remove') {
        await api.call('removeStaff', { params });
        onChanged({ member, removed: true }, t('staff.removed', { name: member.name }));
      } else {
        const changed = await api.call('changeStaffRole', { params, body: { role: otherRole } });
        onChanged(
          { member: { ...member, role: changed.role }, removed: false },
          t('staff.roleChanged', { name: member.name, role: t(ROLE_LABEL[changed.role]) }),
        );
      }
      setAsking(null);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="staff-member">
      <div className="staff-head">
        <span className="visit-name">
          {member.name}
          {self ? <span className="staff-self"> {t('staff.you')}</span> : null}
        </span>
        <span className={`badge${member.role === 'centre-manager' ? ' badge-checkedIn' : ''}`}>
          {t(ROLE_LABEL[member.role])}
        </span>
      </div>
      {member.email ? <p className="visit-meta staff-email">{member.email}</p> : null}
      {asking === null ? (
        <div className="action-row">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setFailure(null);
              setAsking('role');
            }}
          >
            {otherRole === 'centre-manager' ? t('staff.makeManager') : t('staff.makeStaff')}
            <span className="visually-hidden">: {member.name}</span>
          </button>
          {self ? null : (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setFailure(null);
                setAsking('remove');
              }}
            >
              {t('staff.remove')}
              <span className="visually-hidden">: {member.name}</span>
            </button>
          )}
        </div>
      ) : (
        <section className="batch-panel" aria-labelledby={`${id}-ask`}>
          <p id={`${id}-ask`} className="ask">
            {asking === 'remove'
              ? t('staff.remove.ask', { name: member.name })
              : t('staff.role.ask', { name: member.name, role: t(ROLE_LABEL[otherRole]) })}
          </p>
          <p className="hint">{self ? t('staff.role.self') : t('staff.sessionsEnd')}</p>
          <div className="action-row">
            <button
              type="button"
              className={asking === 'remove' ? 'button button-danger' : 'button button-primary'}
              onClick={act}
              aria-disabled={busy || undefined}
            >
              {busy ? t('manager.saving') : asking === 'remove' ? t('staff.remove.confirm') : t('staff.role.confirm')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setAsking(null)}>
              {t('manager.cancel')}
            </button>
          </div>
        </section>
      )}
      {failure ? <ManagerError error={failure} /> : null}
    </li>
  );
}
