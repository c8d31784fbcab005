import { type FormEvent, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import type { PolicyAt } from '../api.ts';
import { useApp } from '../app-context.ts';
import { Confirm } from '../components/confirm.tsx';
import { DateTimeFields } from '../components/date-time-fields.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loaded } from '../components/loaded.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useI18n } from '../i18n/index.ts';
import { formatDateField, instantOf, localOf, parseDateField, parseTimeField } from '../lib/date-time.ts';
import { PATHS } from '../lib/paths.ts';
import { instantText, ruleOpens, ruleWhere, ruleWho } from '../lib/words.ts';

type Rule = PolicyAt['rules'][number];

/** Pausing one rule: its reason, asked for and confirmed. */
function PauseRule({
  rule,
  onPaused,
  onCancel,
}: {
  rule: Rule;
  onPaused: (version: number) => void;
  onCancel: () => void;
}) {
  const { admin } = useApp();
  const i18n = useI18n();
  const { t } = i18n;
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const who = ruleWho(rule, i18n);
  const confirm = () => {
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    admin.pauseRule(rule.id, reason.trim()).then(
      (answer) => onPaused(answer.version),
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };
  return (
    <Confirm question={t('policy.pauseConfirm', { rule: who })} busy={busy} onConfirm={confirm} onCancel={onCancel}>
      <Field id={`pause-${rule.id}`} label={t('policy.pauseReason')} error={missing ? t('required') : null}>
        {(control) => <textarea {...control} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      {error ? <ErrorMessage error={error} /> : null}
    </Confirm>
  );
}

/** The rules in force at an instant (now by default) with their state; pausing one; the changes proposed. */
export function PolicyPage() {
  const { admin, now } = useApp();
  const i18n = useI18n();
  const { t, language } = i18n;
  const { search } = useLocation();
  const router = useRouter();
  const at = search.get('at');
  const shownAt = localOf(at ?? now());
  const [date, setDate] = useState(() => formatDateField(shownAt.date, language));
  const [time, setTime] = useState(shownAt.time);
  const [errors, setErrors] = useState<{ date?: string; time?: string }>({});
  const [pausing, setPausing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const policy = useLoad(`policy:${at ?? 'now'}`, () => admin.policyAt(at ?? undefined));
  const changes = useLoad('changes', () => admin.policyChanges());
  const pauseButtons = useRef(new Map<string, HTMLButtonElement>());

  const show = (event: FormEvent) => {
    event.preventDefault();
    const day = parseDateField(date);
    const clock = parseTimeField(time);
    setErrors({ ...(day ? {} : { date: t('date.invalid') }), ...(clock ? {} : { time: t('time.invalid') }) });
    if (day && clock) router.navigate(`${PATHS.policy}?at=${encodeURIComponent(instantOf(day, clock))}`);
  };
  const showNow = () => {
    const local = localOf(now());
    setDate(formatDateField(local.date, language));
    setTime(local.time);
    setErrors({});
    router.navigate(PATHS.policy);
  };

  return (
    <Page title={t('policy.title')}>
      <p>
        <Link className="button button-primary" href={PATHS.newChange}>
          {t('policy.new')}
        </Link>
      </p>
      <form className="inline-form" onSubmit={show} noValidate>
        <DateTimeFields
          id="policy-at"
          dateLabel={t('policy.at')}
          timeLabel={t('policy.atTime')}
          date={date}
          time={time}
          onDate={setDate}
          onTime={setTime}
          dateError={errors.date ?? null}
          timeError={errors.time ?? null}
        />
        <div className="actions">
          <button type="submit" className="button button-primary">
            {t('policy.show')}
          </button>
          <button type="button" className="button" onClick={showNow}>
            {t('policy.now')}
          </button>
        </div>
      </form>
      {notice ? <Status>{notice}</Status> : null}
      <Loaded load={policy}>
        {({ version, at: asOf, rules }) => (
          <>
            <p>{t('policy.version', { version, when: instantText(asOf, language) })}</p>
            {rules.length === 0 ? (
              <p>{t('policy.empty')}</p>
            ) : (
              <ScrollTable labelledBy="policy-rules">
                <table>
                  <caption id="policy-rules">{t('policy.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('rules.who')}</th>
                      <th scope="col">{t('rules.opens')}</th>
                      <th scope="col">{t('rules.region')}</th>
                      <th scope="col">{t('rules.state')}</th>
                      <th scope="col">{t('policy.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rules.map((rule) => (
                      <tr key={rule.id}>
                        <th scope="row">{ruleWho(rule, i18n)}</th>
                        <td>{ruleOpens(rule, i18n)}</td>
                        <td>{ruleWhere(rule, i18n)}</td>
                        <td>
                          <span className={`state state-${rule.state}`}>{t(`state.${rule.state}`)}</span>
                        </td>
                        <td>
                          {rule.state !== 'paused' && !at ? (
                            pausing === rule.id ? (
                              <PauseRule
                                rule={rule}
                                onCancel={() => {
                                  setPausing(null);
                                  pauseButtons.current.get(rule.id)?.focus();
                                }}
                                onPaused={(next) => {
                                  setPausing(null);
                                  setNotice(t('policy.paused', { version: next }));
                                  policy.reload();
                                }}
                              />
                            ) : (
                              <button
                                type="button"
                                className="button"
                                aria-label={t('policy.pauseOf', { rule: ruleWho(rule, i18n) })}
                                ref={(node) => {
                                  if (node) pauseButtons.current.set(rule.id, node);
                                }}
                                onClick={() => setPausing(rule.id)}
                              >
                                {t('policy.pause')}
                              </button>
                            )
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            )}
          </>
        )}
      </Loaded>
      <section aria-labelledby="policy-changes">
        <h2 id="policy-changes">{t('policy.changes')}</h2>
        <Loaded load={changes}>
          {(data) =>
            data.changes.length === 0 ? (
              <p>{t('policy.changesNone')}</p>
            ) : (
              <ul className="plain-list">
                {data.changes.map((change) => (
                  <li key={change.id}>
                    <Link href={PATHS.change(change.id)}>
                      {t('overview.proposed', {
                        action: t(`action.${change.action}`),
                        when: instantText(change.proposedAt, language),
                        by: change.proposedBy,
                      })}
                    </Link>{' '}
                    <span className={`state state-${change.status}`}>{t(`status.${change.status}`)}</span>
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
    </Page>
  );
}
