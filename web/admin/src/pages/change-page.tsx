import type { EligibilityRule } from '@ereg/shared';
import { useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import type { PolicyChange, RuleDraft } from '../api.ts';
import { useApp } from '../app-context.ts';
import { Confirm } from '../components/confirm.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loaded } from '../components/loaded.tsx';
import { PreviewPanel } from '../components/preview-panel.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { type AdminI18n, useI18n } from '../i18n/index.ts';
import { instantOf } from '../lib/date-time.ts';
import { instantText, ruleOpens, ruleWhere, ruleWho } from '../lib/words.ts';

/** A stored rule as the preview takes it: who, the instant it opens, where. */
export function draftOf(rule: EligibilityRule): RuleDraft {
  const opensAt = rule.opensAt ?? instantOf(rule.from, '00:00');
  const region = rule.region ? { region: rule.region } : {};
  if (rule.kind === 'birthYear') return { kind: 'birthYear', bornInOrBefore: rule.bornInOrBefore, opensAt, ...region };
  if (rule.kind === 'ageOnDate')
    return { kind: 'ageOnDate', minAge: rule.minAge, onDate: rule.onDate, opensAt, ...region };
  return { kind: 'group', group: rule.group, opensAt, ...region };
}

type Asking = null | 'approve' | 'reject' | 'withdraw';

/** What can be done with a pending change, and why the proposer cannot approve it. */
function Decision({ change, onDecided }: { change: PolicyChange; onDecided: (notice: string) => void }) {
  const { admin, adminId } = useApp();
  const { t } = useI18n();
  const [asking, setAsking] = useState<Asking>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const opener = useRef<HTMLDivElement>(null);
  const own = change.proposedBy === adminId;

  const act = (action: Promise<string>) => {
    setBusy(true);
    setError(null);
    action.then(
      (notice) => {
        setBusy(false);
        setAsking(null);
        onDecided(notice);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };
  const cancel = () => {
    setAsking(null);
    (opener.current?.querySelector('button:not([disabled])') as HTMLButtonElement | null)?.focus();
  };

  return (
    <section aria-labelledby="decision">
      <h2 id="decision" className="visually-hidden">
        {t('change.approve')}
      </h2>
      <div className="actions" ref={opener}>
        <button
          type="button"
          className="button button-primary"
          disabled={own}
          {...(own ? { 'aria-describedby': 'own-change' } : {})}
          onClick={() => setAsking('approve')}
        >
          {t('change.approve')}
        </button>
        <button type="button" className="button" onClick={() => setAsking('reject')}>
          {t('change.reject')}
        </button>
        {own ? (
          <button type="button" className="button" onClick={() => setAsking('withdraw')}>
            {t('change.withdraw')}
          </button>
        ) : null}
      </div>
      {own ? (
        <p id="own-change" className="hint">
          {t('change.ownChange')}
        </p>
      ) : null}
      {asking === 'approve' ? (
        <Confirm
          question={t('change.approveConfirm')}
          busy={busy}
          onCancel={cancel}
          onConfirm={() => act(admin.approve(change.id).then(({ version }) => t('change.approved', { version })))}
        />
      ) : null}
      {asking === 'withdraw' ? (
        <Confirm
          question={t('change.withdrawConfirm')}
          busy={busy}
          onCancel={cancel}
          onConfirm={() => act(admin.withdraw(change.id).then(() => t('change.withdrawn')))}
        />
      ) : null}
      {asking === 'reject' ? (
        <Confirm
          question={t('change.reject')}
          busy={busy}
          onCancel={cancel}
          onConfirm={() => {
            if (!note.trim()) {
              setMissing(true);
              return;
            }
            act(admin.reject(change.id, note.trim()).then(() => t('change.rejected')));
          }}
        >
          <Field id="reject-note" label={t('change.rejectNote')} error={missing ? t('required') : null}>
            {(control) => <textarea {...control} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
        </Confirm>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}

function Rules({ rules, i18n }: { rules: EligibilityRule[]; i18n: AdminI18n }) {
  const { t } = i18n;
  return (
    <ScrollTable labelledBy="change-rules">
      <table>
        <caption id="change-rules">{t('draft.list')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('rules.who')}</th>
            <th scope="col">{t('rules.opens')}</th>
            <th scope="col">{t('rules.region')}</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule.id}>
              <th scope="row">{ruleWho(rule, i18n)}</th>
              <td>{ruleOpens(rule, i18n)}</td>
              <td>{ruleWhere(rule, i18n)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** A change: what it does, who proposed it, its impact while pending, and deciding it. */
export function ChangePage({ changeId }: { changeId: string }) {
  const { admin } = useApp();
  const i18n = useI18n();
  const { t, language } = i18n;
  const [notice, setNotice] = useState<string | null>(null);
  const changes = useLoad(`change:${changeId}`, () => admin.policyChanges());
  return (
    <Page title={t('change.title')}>
      {notice ? <Status>{notice}</Status> : null}
      <Loaded load={changes}>
        {(data) => {
          const change = data.changes.find((c) => c.id === changeId);
          if (!change) return <p>{t('error.NOT_FOUND')}</p>;
          const pending = change.status === 'pending';
          return (
            <>
              <p className="lead">
                {t(`action.${change.action}`)} ·{' '}
                <span className={`state state-${change.status}`}>
                  {t('change.status', { status: t(`status.${change.status}`) })}
                </span>
              </p>
              <p>{t('change.proposedBy', { by: change.proposedBy, when: instantText(change.proposedAt, language) })}</p>
              {change.note ? <p>{t('change.note', { note: change.note })}</p> : null}
              {change.ruleId ? <p>{t('change.ruleId', { ruleId: change.ruleId })}</p> : null}
              {change.decidedBy && change.decidedAt ? (
                <p>{t('change.decidedBy', { by: change.decidedBy, when: instantText(change.decidedAt, language) })}</p>
              ) : null}
              {change.decisionNote ? <p>{t('change.decisionNote', { note: change.decisionNote })}</p> : null}
              {change.version !== undefined ? <p>{t('change.version', { version: change.version })}</p> : null}
              {change.rules && change.rules.length > 0 ? <Rules rules={change.rules} i18n={i18n} /> : null}
              {pending ? (
                <Decision
                  change={change}
                  onDecided={(text) => {
                    setNotice(text);
                    changes.reload();
                  }}
                />
              ) : null}
              {pending && change.rules && change.rules.length > 0 ? (
                <PreviewPanel drafts={change.rules.map(draftOf)} />
              ) : null}
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}
