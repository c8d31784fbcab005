import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import type { AdminCentre } from '../api.ts';
import { useApp } from '../app-context.ts';
import { Confirm } from '../components/confirm.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loaded } from '../components/loaded.tsx';
import { useI18n } from '../i18n/index.ts';
import { formatDateField, parseDateField } from '../lib/date-time.ts';
import { voivodeshipName } from '../lib/voivodeships.ts';

type Action = 'suspend' | 'resume' | 'close';

/** Suspending, resuming or closing a centre: the reason (and for closing the date), confirmed. */
function StatusActions({ centre, onDone }: { centre: AdminCentre; onDone: (notice: string) => void }) {
  const { admin } = useApp();
  const { t, language } = useI18n();
  const [asking, setAsking] = useState<Action | null>(null);
  const [reason, setReason] = useState('');
  const [from, setFrom] = useState('');
  const [problems, setProblems] = useState<{ reason?: string; from?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const status = centre.status ?? 'active';
  const day = parseDateField(from);

  const confirm = () => {
    const found = {
      ...(asking !== 'resume' && !reason.trim() ? { reason: t('required') } : {}),
      ...(asking === 'close' && !day ? { from: t('date.invalid') } : {}),
    };
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(null);
    const done =
      asking === 'suspend'
        ? admin.suspend(centre.id, reason.trim()).then(() => t('centre.suspended'))
        : asking === 'resume'
          ? admin.resume(centre.id).then(() => t('centre.resumed'))
          : admin
              .close(centre.id, reason.trim(), day as string)
              .then(({ cancelled }) => t('centre.closed', { count: cancelled }));
    done.then(
      (notice) => {
        setBusy(false);
        setAsking(null);
        onDone(notice);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };
  const question =
    asking === 'suspend'
      ? t('centre.suspendConfirm')
      : asking === 'resume'
        ? t('centre.resumeConfirm')
        : t('centre.closeConfirm', { date: day ? formatDateField(day, language) : '…' });
  return (
    <section aria-labelledby="centre-state">
      <h2 id="centre-state">{t('centre.state')}</h2>
      <p>
        <span className={`state state-${status}`}>{t(`centre.status.${status}`)}</span>
      </p>
      {status !== 'closed' ? (
        <div className="actions">
          {status === 'active' ? (
            <button type="button" className="button" onClick={() => setAsking('suspend')}>
              {t('centre.suspend')}
            </button>
          ) : (
            <button type="button" className="button" onClick={() => setAsking('resume')}>
              {t('centre.resume')}
            </button>
          )}
          <button type="button" className="button" onClick={() => setAsking('close')}>
            {t('centre.close')}
          </button>
        </div>
      ) : null}
      {asking ? (
        <Confirm question={question} busy={busy} onConfirm={confirm} onCancel={() => setAsking(null)}>
          {asking !== 'resume' ? (
            <Field id="centre-reason" label={t('centre.reason')} error={problems.reason ?? null}>
              {(control) => (
                <textarea {...control} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
              )}
            </Field>
          ) : null}
          {asking === 'close' ? (
            <Field id="centre-from" label={t('centre.closeFrom')} hint={t('date.hint')} error={problems.from ?? null}>
              {(control) => (
                <input
                  {...control}
                  inputMode="numeric"
                  size={11}
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                />
              )}
            </Field>
          ) : null}
          {error ? <ErrorMessage error={error} /> : null}
        </Confirm>
      ) : null}
    </section>
  );
}

/** Inviting a person to the centre's staff: name, e-mail, role. */
function Invite({ centreId, onInvited }: { centreId: string; onInvited: (name: string) => void }) {
  const { admin } = useApp();
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'staff' | 'centre-manager'>('staff');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    admin.inviteStaff(centreId, { name: name.trim(), email: email.trim(), role }).then(
      () => {
        setBusy(false);
        setName('');
        setEmail('');
        onInvited(name.trim());
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };
  return (
    <form onSubmit={submit} aria-labelledby="centre-invite">
      <h3 id="centre-invite">{t('centre.invite')}</h3>
      <div className="field-row">
        <Field id="invite-name" label={t('onboard.personName')}>
          {(control) => <input {...control} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field id="invite-email" label={t('onboard.personEmail')}>
          {(control) => <input {...control} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field id="invite-role" label={t('field.role')}>
          {(control) => (
            <select {...control} value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
              <option value="staff">{t('centre.role.staff')}</option>
              <option value="centre-manager">{t('centre.role.centre-manager')}</option>
            </select>
          )}
        </Field>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      <button type="submit" className="button button-primary" disabled={busy}>
        {t('centre.invite')}
      </button>
    </form>
  );
}

/** A centre: its details, staff and inviting more, suspending, resuming and closing it. */
export function CentrePage({ centreId }: { centreId: string }) {
  const { admin, vaccines } = useApp();
  const { t, language } = useI18n();
  const [notice, setNotice] = useState<string | null>(null);
  const centre = useLoad(`centre:${centreId}`, () => admin.centre(centreId));
  const title = centre.status === 'ready' ? centre.data.centre.name : t('centre.details');
  return (
    <Page title={title}>
      {notice ? <Status>{notice}</Status> : null}
      <Loaded load={centre}>
        {({ centre: c, staff }) => (
          <>
            <section aria-labelledby="centre-details">
              <h2 id="centre-details">{t('centre.details')}</h2>
              <dl className="details">
                <dt>{t('centre.address')}</dt>
                <dd>
                  {c.address.street}, {c.address.postalCode} {c.address.city},{' '}
                  {voivodeshipName(c.address.voivodeship, language)}
                </dd>
                <dt>{t('centre.teryt')}</dt>
                <dd>{c.address.teryt ?? t('none')}</dd>
                <dt>{t('centre.contact')}</dt>
                <dd>{[c.phone, c.email].filter(Boolean).join(' · ') || t('none')}</dd>
                <dt>{t('centre.products')}</dt>
                <dd>
                  {(c.vaccineIds ?? []).map((id) => vaccines.find((v) => v.id === id)?.name ?? id).join(', ') ||
                    t('none')}
                </dd>
              </dl>
            </section>
            <StatusActions
              centre={c}
              onDone={(text) => {
                setNotice(text);
                centre.reload();
              }}
            />
            <section aria-labelledby="centre-staff">
              <h2 id="centre-staff">{t('centre.staff')}</h2>
              {staff.length === 0 ? (
                <p>{t('centre.staffNone')}</p>
              ) : (
                <ul className="plain-list">
                  {staff.map((s) => (
                    <li key={s.id}>
                      {s.name} · {s.email} · {t(`centre.role.${s.role}`)}
                    </li>
                  ))}
                </ul>
              )}
              <Invite
                centreId={c.id}
                onInvited={(name) => {
                  setNotice(t('centre.invited', { name }));
                  centre.reload();
                }}
              />
            </section>
          </>
        )}
      </Loaded>
    </Page>
  );
}
