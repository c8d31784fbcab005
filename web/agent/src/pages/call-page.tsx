import type { CallerCard, LookupReason } from '@ereg/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link, useRouter } from '../../../shared/src/router.tsx';
import { useApp, useCall } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { type NumberKind, PhoneNumberField, phoneProblem } from '../components/phone-number-field.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { REASON_CODES, reasonWords } from '../lib/audit-words.ts';
import { describeError } from '../lib/error-messages.ts';
import { PATHS } from '../lib/paths.ts';
import { useShortcut } from '../lib/shortcuts.ts';

type By = 'pesel' | 'reference' | 'phone';
const KINDS: readonly By[] = ['pesel', 'reference', 'phone'];

/** What the agent typed, checked before anything is asked: the message key of what is wrong, or null. */
export function lookupProblem(by: By, value: string): MessageKey | null {
  const given = value.trim();
  if (!given) return `call.find.required.${by}`;
  // The API checks a PESEL's date and check digit, and says which is wrong.
  if (by === 'pesel') return /^\d{11}$/.test(given.replace(/\s/g, '')) ? null : 'call.find.invalid.pesel';
  if (by === 'reference') return /^[\s\-A-Za-z0-9]{8,12}$/.test(given) ? null : 'call.find.invalid.reference';
  return phoneProblem(given);
}

/** The birth date a PESEL spells (its month carries the century), or null if it spells none. */
export function birthDateOfPesel(pesel: string): string | null {
  const digits = pesel.replace(/\s/g, '');
  if (!/^\d{11}$/.test(digits)) return null;
  const coded = Number(digits.slice(2, 4));
  const centuries: Record<number, number> = { 0: 1900, 1: 2000, 2: 2100, 3: 2200, 4: 1800 };
  const century = centuries[Math.floor(coded / 20)];
  const month = coded % 20;
  const year = century === undefined ? Number.NaN : century + Number(digits.slice(0, 2));
  const day = Number(digits.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(year) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** Finding the caller: the reason first, then a PESEL, booking reference or phone number. */
export function CallPage() {
  const { t } = useI18n();
  const call = useCall();
  return (
    <Page title={t('nav.call')}>
      {call.reason ? <FindCaller /> : <ChooseReason />}
      {call.people.length > 0 ? <InTheCall people={call.people} /> : null}
    </Page>
  );
}

/** Why the agent looks people up, chosen before anything personal shows; "other" in their own words. */
function ChooseReason() {
  const { t } = useI18n();
  const call = useCall();
  const [code, setCode] = useState<LookupReason | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<'reason' | 'note' | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useShortcut('r', t('call.reason.shortcut'), () => first.current?.focus());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!code) return setProblem('reason');
    if (code === 'other' && note.trim().length < 3) return setProblem('note');
    call.setReason(code === 'other' ? { code, note: note.trim() } : { code });
  };

  return (
    <form className="call-reason" noValidate onSubmit={submit}>
      <fieldset aria-describedby={problem === 'reason' ? 'call-reason-error' : 'call-reason-hint'}>
        <legend>{t('call.reason.title')}</legend>
        <p id="call-reason-hint" className="hint">
          {t('call.reason.hint')}
        </p>
        {problem === 'reason' ? (
          <p id="call-reason-error" className="field-error">
            {t('call.reason.required')}
          </p>
        ) : null}
        {REASON_CODES.map((reason, at) => (
          <label key={reason} className="call-choice">
            <input
              ref={at === 0 ? first : undefined}
              className="call-choice-input"
              type="radio"
              name="reason"
              value={reason}
              checked={code === reason}
              onChange={() => {
                setCode(reason);
                setProblem(null);
              }}
            />
            {reasonWords(reason, t)}
          </label>
        ))}
      </fieldset>
      {code === 'other' ? (
        <Field
          id="call-reason-note"
          label={t('call.reason.note')}
          error={problem === 'note' ? t('call.reason.noteRequired') : null}
        >
          {(control) => (
            <input {...control} type="text" value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
          )}
        </Field>
      ) : null}
      <button type="submit" className="button button-primary">
        {t('call.reason.submit')}
      </button>
    </form>
  );
}

type Found = { callers: CallerCard[]; more: boolean };

/** The look-up: by PESEL, booking reference or phone; one found opens their card, several are listed. */
function FindCaller() {
  const { api } = useApp();
  const { t } = useI18n();
  const call = useCall();
  const router = useRouter();
  const [by, setBy] = useState<By>('pesel');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'busy' }
    | { kind: 'found'; found: Found }
    | { kind: 'none'; pesel: string | null }
    | { kind: 'failed'; error: unknown }
  >({ kind: 'idle' });
  const field = useRef<HTMLInputElement>(null);
  const result = useRef<HTMLDivElement>(null);
  const reason = call.reason;
  useShortcut('f', t('call.find.shortcut'), () => field.current?.focus());

  useEffect(() => {
    if (state.kind === 'found' || state.kind === 'none' || state.kind === 'failed') result.current?.focus();
  }, [state]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wrong = lookupProblem(by, value);
    setProblem(wrong);
    if (wrong || !reason || state.kind === 'busy') {
      if (wrong) field.current?.focus();
      return;
    }
    setState({ kind: 'busy' });
    const given = by === 'pesel' ? value.replace(/\s/g, '') : value.trim();
    try {
      const found = await api.call('lookUpCaller', {
        body: { by, value: given, reason: reason.code, ...(reason.note ? { note: reason.note } : {}) },
      });
      if (found.callers.length === 1 && !found.more) {
        const [only] = found.callers;
        if (only) {
          call.add(only);
          router.navigate(PATHS.caller(only.patientId));
          return;
        }
      }
      setState({ kind: 'found', found });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'PATIENT_NOT_FOUND') {
        setState({ kind: 'none', pesel: by === 'pesel' ? given : null });
      } else setState({ kind: 'failed', error });
    }
  };

  return (
    <>
      <p className="call-reason-chosen">
        {t('strip.reason', {
          reason: reason?.note
            ? `${reasonWords(reason.code, t)}: ${reason.note}`
            : reason
              ? reasonWords(reason.code, t)
              : '',
        })}{' '}
        <button type="button" className="link-button" onClick={() => call.setReason(null)}>
          {t('call.reason.change')}
        </button>
      </p>
      <form className="call-find" noValidate onSubmit={(e) => void submit(e)}>
        <fieldset className="call-kinds">
          <legend>{t('call.find.by')}</legend>
          {KINDS.map((kind) => (
            <label key={kind} className="call-choice">
              <input
                className="call-choice-input"
                type="radio"
                name="by"
                value={kind}
                checked={by === kind}
                onChange={() => {
                  setBy(kind);
                  setProblem(null);
                }}
              />
              {t(`call.find.kind.${kind}`)}
            </label>
          ))}
        </fieldset>
        <Field
          id="call-find-value"
          label={t(`call.find.value.${by}`)}
          hint={t(`call.find.hint.${by}`)}
          error={problem ? t(problem) : null}
        >
          {(control) => (
            <input
              {...control}
              ref={field}
              type="text"
              inputMode={by === 'reference' ? 'text' : 'numeric'}
              autoComplete="off"
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" aria-disabled={state.kind === 'busy' || undefined}>
          {t('call.find.submit')}
        </button>
      </form>
      <Status>{state.kind === 'busy' ? t('call.find.busy') : null}</Status>
      <div ref={result} tabIndex={-1} className="call-result">
        {state.kind === 'failed' ? <ErrorMessage error={state.error} /> : null}
        {state.kind === 'found' ? <FoundList found={state.found} /> : null}
        {state.kind === 'none' ? (
          <>
            <p className="notice">{t(state.pesel ? 'call.find.none.byPesel' : 'call.find.none.notPesel')}</p>
            {state.pesel ? <RegisterCaller pesel={state.pesel} /> : null}
          </>
        ) : null}
      </div>
    </>
  );
}

/**
 * Several people found (a shared phone): each added to the call on its own, or all at once. The focus
 * then goes to what took the button's place: the person's card link, or the people of the call.
 */
function FoundList({ found }: { found: Found }) {
  const { t, fmt } = useI18n();
  const call = useCall();
  const list = useRef<HTMLUListElement>(null);
  const inCall = new Set(call.people.map((p) => p.patientId));
  const addOne = (caller: CallerCard) => {
    call.add(caller);
    requestAnimationFrame(() => {
      const links = [...(list.current?.querySelectorAll<HTMLAnchorElement>('a[data-patient]') ?? [])];
      links.find((a) => a.dataset.patient === caller.patientId)?.focus();
    });
  };
  const addAll = () => {
    call.add(...found.callers);
    requestAnimationFrame(() => document.getElementById('call-people-title')?.focus());
  };
  return (
    <section aria-labelledby="call-found-title">
      <h2 id="call-found-title">{t('call.found.title', { count: found.callers.length })}</h2>
      {found.more ? <p className="notice">{t('call.found.more')}</p> : null}
      <ul ref={list} className="call-people">
        {found.callers.map((caller) => (
          <li key={caller.patientId}>
            <span>
              {t('call.person', {
                name: `${caller.givenName} ${caller.familyName}`,
                birthDate: fmt.date(caller.birthDate),
              })}
            </span>
            {inCall.has(caller.patientId) ? (
              <Link href={PATHS.caller(caller.patientId)} data-patient={caller.patientId}>
                {t('call.found.open')}
              </Link>
            ) : (
              <button type="button" className="button button-secondary" onClick={() => addOne(caller)}>
                {t('call.found.add', { name: caller.givenName })}
              </button>
            )}
          </li>
        ))}
      </ul>
      {found.callers.some((c) => !inCall.has(c.patientId)) ? (
        <button type="button" className="button button-primary" onClick={addAll}>
          {t('call.found.addAll')}
        </button>
      ) : null}
    </section>
  );
}

/** A caller who never logged in, registered after the checking questions: names and one number. */
function RegisterCaller({ pesel }: { pesel: string }) {
  const { api } = useApp();
  const { t, fmt } = useI18n();
  const call = useCall();
  const router = useRouter();
  const [form, setForm] = useState({ givenName: '', familyName: '', phone: '', checked: false });
  const [kind, setKind] = useState<NumberKind>('mobile');
  const [problems, setProblems] = useState<Partial<Record<keyof typeof form, MessageKey>>>({});
  const [numberRefused, setNumberRefused] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reason = call.reason;
  const birthDate = birthDateOfPesel(pesel);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wrong: typeof problems = {};
    if (!form.givenName.trim()) wrong.givenName = 'call.register.required.givenName';
    if (!form.familyName.trim()) wrong.familyName = 'call.register.required.familyName';
    const number = phoneProblem(form.phone);
    if (number) wrong.phone = number;
    if (!form.checked) wrong.checked = 'call.register.required.checked';
    setProblems(wrong);
    setNumberRefused(null);
    const first = (['givenName', 'familyName', 'phone', 'checked'] as const).find((name) => wrong[name]);
    if (first) document.getElementById(`register-${first}`)?.focus();
    if (first || !reason || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { caller } = await api.call('registerCaller', {
        body: {
          pesel,
          givenName: form.givenName.trim(),
          familyName: form.familyName.trim(),
          ...(kind === 'mobile' ? { phone: form.phone.trim() } : { landline: form.phone.trim() }),
          reason: reason.code,
          ...(reason.note ? { note: reason.note } : {}),
          checked: true,
        },
      });
      call.add(caller);
      router.navigate(PATHS.caller(caller.patientId));
    } catch (failure) {
      // A number of the wrong kind, or none at all, is said at the number; anything else below the form.
      if (failure instanceof ApiError && (failure.field === 'phone' || failure.field === 'landline')) {
        setNumberRefused(describeError(failure, t, fmt));
        document.getElementById('register-phone')?.focus();
      } else setError(failure);
      setBusy(false);
    }
  };

  const text = (name: 'givenName' | 'familyName', label: MessageKey) => (
    <Field id={`register-${name}`} label={t(label)} error={problems[name] ? t(problems[name]) : null}>
      {(control) => (
        <input
          {...control}
          type="text"
          autoComplete="off"
          value={form[name]}
          onChange={(e) => setForm({ ...form, [name]: e.target.value })}
        />
      )}
    </Field>
  );

  return (
    <form className="call-register" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="register-title">
      <h2 id="register-title">{t('call.register.title')}</h2>
      <p>{t('call.register.intro', { pesel, birthDate: birthDate ? fmt.date(birthDate) : '—' })}</p>
      {text('givenName', 'call.register.givenName')}
      {text('familyName', 'call.register.familyName')}
      <PhoneNumberField
        id="register-phone"
        legend={t('call.register.phone')}
        kind={kind}
        onKind={(chosen) => {
          setKind(chosen);
          setNumberRefused(null);
        }}
        value={form.phone}
        onValue={(phone) => setForm({ ...form, phone })}
        error={numberRefused ?? (problems.phone ? t(problems.phone) : null)}
      />
      <div className={problems.checked ? 'call-check call-check-invalid' : 'call-check'}>
        {problems.checked ? (
          <p id="register-checked-error" className="field-error">
            {t(problems.checked)}
          </p>
        ) : null}
        <label className="call-choice">
          <input
            id="register-checked"
            className="call-choice-input"
            type="checkbox"
            checked={form.checked}
            {...(problems.checked ? { 'aria-describedby': 'register-checked-error', 'aria-invalid': true } : {})}
            onChange={(e) => setForm({ ...form, checked: e.target.checked })}
          />
          {t('call.register.checked')}
        </label>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
        {t('call.register.submit')}
      </button>
      <Status>{busy ? t('call.register.busy') : null}</Status>
    </form>
  );
}

/** The people of the call so far, each a link to their card; a household booking once there are two. */
function InTheCall({ people }: { people: readonly CallerCard[] }) {
  const { t, fmt } = useI18n();
  return (
    <section aria-labelledby="call-people-title">
      <h2 id="call-people-title" tabIndex={-1}>
        {t('call.people.title')}
      </h2>
      <ul className="call-people">
        {people.map((person) => (
          <li key={person.patientId}>
            <Link href={PATHS.caller(person.patientId)}>
              {t('call.person', {
                name: `${person.givenName} ${person.familyName}`,
                birthDate: fmt.date(person.birthDate),
              })}
            </Link>
          </li>
        ))}
      </ul>
      {people.length >= 2 ? (
        <p>
          <Link href={PATHS.household}>{t('call.people.household')}</Link>
        </p>
      ) : null}
    </section>
  );
}
