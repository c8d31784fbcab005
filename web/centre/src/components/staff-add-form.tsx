import type { CentreRole, RouteResponse } from '@ereg/shared';
import { type FormEvent, useId, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { useApp, useDesk } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { describeManagerError, errorField } from '../lib/manager-errors.ts';
import { ManagerError } from './manager-error.tsx';

export type StaffAdded = RouteResponse<'addStaff'>;

type MemberField = 'name' | 'email' | 'role';

/** Enough to catch a typing error before the API does: one @, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The fields of a new member to fix, each with what is wrong. */
export function checkMember(member: { name: string; email: string }): Partial<Record<MemberField, MessageKey>> {
  const problems: Partial<Record<MemberField, MessageKey>> = {};
  const name = member.name.trim();
  if (name.length < 2 || name.length > 100) problems.name = 'manager.error.INVALID_NAME';
  if (!EMAIL.test(member.email.trim())) problems.email = 'manager.error.INVALID_EMAIL';
  return problems;
}

export const ROLE_LABEL: Record<CentreRole, MessageKey> = {
  staff: 'staff.role.staff',
  'centre-manager': 'staff.role.manager',
};

/** The manager adds someone to the centre: name, e-mail (their sign-in) and role. */
export function StaffAddForm({ onAdded, onCancel }: { onAdded: (member: StaffAdded) => void; onCancel: () => void }) {
  const { api } = useApp();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<CentreRole>('staff');
  const [problems, setProblems] = useState<Partial<Record<MemberField, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = checkMember({ name, email });
    const named = Object.fromEntries(Object.entries(found).map(([f, key]) => [f, t(key)]));
    setProblems(named);
    setFailure(null);
    const first = (['name', 'email'] as const).find((f) => named[f]);
    if (first) {
      document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const member = await api.call('addStaff', {
        params: { centreId: centre.id },
        body: { name: name.trim(), email: email.trim(), role },
      });
      onAdded(member);
    } catch (error) {
      const field = errorField(error, { EMAIL_TAKEN: 'email' });
      if (field === 'name' || field === 'email' || field === 'role') {
        setProblems({ [field]: describeManagerError(error, t, fmt) });
        document.getElementById(`${id}-${field}`)?.focus();
      } else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="manager-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('staff.add.title')}</h2>
      {failure ? <ManagerError error={failure} /> : null}
      <Field id={`${id}-name`} label={t('staff.name')} error={problems.name ?? null}>
        {(c) => (
          <input {...c} value={name} autoComplete="off" maxLength={100} onChange={(e) => setName(e.target.value)} />
        )}
      </Field>
      <Field id={`${id}-email`} label={t('staff.email')} hint={t('staff.email.hint')} error={problems.email ?? null}>
        {(c) => (
          <input
            {...c}
            type="email"
            inputMode="email"
            autoComplete="off"
            spellCheck={false}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
      </Field>
      <Field id={`${id}-role`} label={t('staff.role')} hint={t('staff.role.hint')} error={problems.role ?? null}>
        {(c) => (
          <select {...c} value={role} onChange={(e) => setRole(e.target.value as CentreRole)}>
            <option value="staff">{t(ROLE_LABEL.staff)}</option>
            <option value="centre-manager">{t(ROLE_LABEL['centre-manager'])}</option>
          </select>
        )}
      </Field>
      <div className="action-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? t('manager.saving') : t('staff.add.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('manager.cancel')}
        </button>
      </div>
    </form>
  );
}
