import type { StaffSignInConfig } from '@ereg/shared';
import { type FormEvent, type RefObject, useEffect, useRef, useState } from 'react';
import { Field } from '../components/field.tsx';
import { Alert, Status } from '../components/live.tsx';
import { Page } from '../components/page.tsx';
import { useLocation, useRouter } from '../router.tsx';
import { useLoad } from '../use-load.ts';
import {
  emailLinkCode,
  type FirebaseStaffConfig,
  firebaseSignIn,
  type SecondFactor,
  type SecondFactorNeeded,
  type SignInAnswer,
  type StaffSignInCode,
  StaffSignInError,
} from './firebase.ts';
import { type SignInHost, SignInHostContext, useSignInHost } from './host.ts';

/**
 * Shown on any page of a staff app to someone not signed in: why (`notice`, in the app's words: signed
 * out, the session ended, not one of the app's people), then the sign-in this deployment uses — the development identity provider's page, or the member's
 * own account (e-mail and password, a link sent by e-mail, a second factor where one is enrolled) —
 * which leaves them on this very page, signed in.
 */
export function SignInPage({ host, notice }: { host: SignInHost; notice: string | null }) {
  const { t, api, flow } = host;
  const config = useLoad(`${flow.base}-sign-in`, () => flow.config(api));

  return (
    <SignInHostContext.Provider value={host}>
      <Page title={t('signIn.title')}>
        {notice ? <p className="notice">{notice}</p> : null}
        {config.status === 'ready' ? (
          <SignInWith config={config.data} />
        ) : config.status === 'failed' ? (
          <>
            <Alert title={t('signIn.title')}>
              <p>{t('signIn.loadFailed')}</p>
            </Alert>
            <button type="button" className="button button-secondary" onClick={config.reload}>
              {t('retry')}
            </button>
          </>
        ) : (
          <Status>{t('loading')}</Status>
        )}
      </Page>
    </SignInHostContext.Provider>
  );
}

function SignInWith({ config }: { config: StaffSignInConfig }) {
  return config.kind === 'dev-idp' ? <DevIdpSignIn config={config} /> : <FirebaseSignInForm config={config} />;
}

/** Locally: a button to the development identity provider's page for the app, which sends the person back here. */
function DevIdpSignIn({ config }: { config: Extract<StaffSignInConfig, { kind: 'dev-idp' }> }) {
  const { tabStorage, origin, leave, t, language, flow } = useSignInHost();
  const { href } = useLocation();
  const [busy, setBusy] = useState(false);

  const signIn = () => {
    if (busy) return;
    setBusy(true);
    flow.begin(config, tabStorage, { origin, returnTo: href.split('#')[0] ?? null, language, leave });
  };

  return (
    <>
      <p>{t('signIn.intro')}</p>
      <button
        type="button"
        className="button button-primary button-wide"
        aria-disabled={busy || undefined}
        onClick={signIn}
      >
        {t('signIn.button')}
      </button>
      <Status>{busy ? t('signIn.redirecting') : null}</Status>
    </>
  );
}

type Step =
  | { kind: 'form' }
  | { kind: 'link-sent'; email: string }
  | { kind: 'link-landed'; code: string }
  | { kind: 'second-factor'; email: string; need: SecondFactorNeeded; phoneSession: string | null };

const codeOf = (error: unknown): StaffSignInCode => (error instanceof StaffSignInError ? error.code : 'FAILED');

/** On Google Cloud: the member's Firebase Authentication account, through the Identity Toolkit REST API. */
function FirebaseSignInForm({ config }: { config: FirebaseStaffConfig }) {
  const { session, tabStorage, localStorage, origin, fetch, t, flow } = useSignInHost();
  const router = useRouter();
  const { href } = useLocation();
  const [client] = useState(() => firebaseSignIn(config, fetch));
  const [step, setStep] = useState<Step>(() => {
    const code = emailLinkCode(href);
    return code ? { kind: 'link-landed', code } : { kind: 'form' };
  });
  const [email, setEmail] = useState(() => (step.kind === 'link-landed' ? (flow.linkEmailOf(localStorage) ?? '') : ''));
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState<'email' | 'password' | 'code' | null>(null);
  const [busy, setBusy] = useState<'password' | 'link' | 'finish' | 'sms' | 'code' | null>(null);
  const [failure, setFailure] = useState<StaffSignInCode | null>(null);
  const alert = useRef<HTMLDivElement>(null);
  const tried = useRef(false);

  useEffect(() => {
    if (failure) alert.current?.focus();
  }, [failure]);

  /** A finished sign-in becomes the tab's session; a link's one-time code leaves the address bar. */
  const answered = (answer: SignInAnswer, withEmail: string) => {
    if (answer.kind === 'second-factor') {
      setStep({ kind: 'second-factor', email: withEmail, need: answer.need, phoneSession: null });
      return;
    }
    if (step.kind === 'link-landed') {
      flow.forgetLinkEmail(localStorage);
      router.navigate(href.split('?')[0] || `${flow.base}/`, { replace: true });
    }
    flow.keepFirebase(session, tabStorage, config, answer.signedIn);
  };

  const run = async (what: NonNullable<typeof busy>, work: () => Promise<void>) => {
    if (busy) return;
    setBusy(what);
    setFailure(null);
    try {
      await work();
    } catch (error) {
      setFailure(codeOf(error));
    } finally {
      setBusy(null);
    }
  };

  const needEmail = (): string | null => {
    const given = email.trim();
    if (!given) setMissing('email');
    return given || null;
  };

  const withPassword = (event: FormEvent) => {
    event.preventDefault();
    const given = needEmail();
    if (!given) return;
    if (!password) {
      setMissing('password');
      return;
    }
    setMissing(null);
    void run('password', async () => answered(await client.withPassword(given, password), given));
  };

  const sendLink = () => {
    const given = needEmail();
    if (!given) return;
    setMissing(null);
    void run('link', async () => {
      await client.sendLink(given, flow.linkReturnUrl(origin, href));
      flow.rememberLinkEmail(localStorage, given);
      setStep({ kind: 'link-sent', email: given });
    });
  };

  const finishLink = (landed: Extract<Step, { kind: 'link-landed' }>, given: string) =>
    run('finish', async () => answered(await client.withEmailLink(given, landed.code), given));

  // Opened on the device the link was asked from, the e-mail is known: the sign-in finishes by itself.
  useEffect(() => {
    if (step.kind !== 'link-landed' || tried.current) return;
    const known = flow.linkEmailOf(localStorage);
    if (!known) return;
    tried.current = true;
    void finishLink(step, known);
  });

  if (step.kind === 'second-factor') {
    return (
      <SecondFactorStep
        step={step}
        code={code}
        setCode={setCode}
        missing={missing === 'code'}
        busy={busy}
        failure={failure}
        alertRef={alert}
        onSendSms={(factor) =>
          void run('sms', async () =>
            setStep({ ...step, phoneSession: await client.sendFactorCode(step.need, factor) }),
          )
        }
        onConfirm={(factor) => {
          if (!code.trim()) {
            setMissing('code');
            return;
          }
          setMissing(null);
          void run('code', async () =>
            flow.keepFirebase(
              session,
              tabStorage,
              config,
              await client.withSecondFactor(step.need, factor, code.trim(), step.phoneSession, step.email),
            ),
          );
        }}
        onCancel={() => {
          setStep({ kind: 'form' });
          setCode('');
          setFailure(null);
        }}
      />
    );
  }

  const emailField = (
    <Field id="sign-in-email" label={t('signIn.email')} error={missing === 'email' ? t('signIn.emailRequired') : null}>
      {(control) => (
        <input
          {...control}
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      )}
    </Field>
  );
  const failed = failure ? (
    <Alert title={t('signIn.title')} ref={alert}>
      <p>{t(`signIn.error.${failure}`)}</p>
    </Alert>
  ) : null;

  if (step.kind === 'link-landed') {
    return (
      <form
        className="sign-in-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const given = needEmail();
          if (given) void finishLink(step, given);
        }}
      >
        <p>{t('signIn.linkFinishIntro')}</p>
        {emailField}
        {failed}
        <button type="submit" className="button button-primary button-wide" aria-disabled={busy ? true : undefined}>
          {t('signIn.linkFinish')}
        </button>
        <Status>{busy ? t('signIn.busy') : null}</Status>
      </form>
    );
  }

  return (
    <>
      <p>{t('signIn.intro')}</p>
      <form className="sign-in-form" noValidate onSubmit={withPassword}>
        {emailField}
        <Field
          id="sign-in-password"
          label={t('signIn.password')}
          error={missing === 'password' ? t('signIn.passwordRequired') : null}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          )}
        </Field>
        {failed}
        <button type="submit" className="button button-primary button-wide" aria-disabled={busy ? true : undefined}>
          {t('signIn.button')}
        </button>
      </form>
      <section className="sign-in-link" aria-labelledby="sign-in-link-title">
        <h2 id="sign-in-link-title">{t('signIn.linkTitle')}</h2>
        <p>{t('signIn.linkIntro')}</p>
        <button
          type="button"
          className="button button-secondary button-wide"
          aria-disabled={busy ? true : undefined}
          onClick={sendLink}
        >
          {t('signIn.sendLink')}
        </button>
      </section>
      <Status>
        {busy === 'password'
          ? t('signIn.busy')
          : busy === 'link'
            ? t('signIn.sendingLink')
            : step.kind === 'link-sent'
              ? t('signIn.linkSent', { email: step.email })
              : null}
      </Status>
    </>
  );
}

/** The second factor: which one, a code sent by SMS or read from an authenticator app, and confirming it. */
function SecondFactorStep(props: {
  step: Extract<Step, { kind: 'second-factor' }>;
  code: string;
  setCode: (code: string) => void;
  missing: boolean;
  busy: string | null;
  failure: StaffSignInCode | null;
  alertRef: RefObject<HTMLDivElement | null>;
  onSendSms: (factor: SecondFactor) => void;
  onConfirm: (factor: SecondFactor) => void;
  onCancel: () => void;
}) {
  const { t } = useSignInHost();
  const { step, busy, failure } = props;
  const factor =
    step.need.factors.find((f) => f.kind === 'totp') ?? step.need.factors.find((f) => f.kind === 'phone') ?? null;
  const usable = factor !== null && (factor.kind === 'totp' || step.phoneSession !== null);

  return (
    <section className="sign-in-factor" aria-labelledby="sign-in-factor-title">
      <h2 id="sign-in-factor-title">{t('signIn.secondFactor.title')}</h2>
      <p>{t('signIn.secondFactor.intro')}</p>
      {factor === null ? (
        <p className="notice">{t('signIn.error.FACTOR_UNSUPPORTED')}</p>
      ) : factor.kind === 'phone' && step.phoneSession === null ? (
        <button
          type="button"
          className="button button-primary button-wide"
          aria-disabled={busy ? true : undefined}
          onClick={() => props.onSendSms(factor)}
        >
          {t('signIn.secondFactor.sendSms', { phone: factor.label })}
        </button>
      ) : (
        <p>
          {factor.kind === 'phone'
            ? t('signIn.secondFactor.smsSent', { phone: factor.label })
            : t('signIn.secondFactor.totp', { name: factor.label })}
        </p>
      )}
      {failure ? (
        <Alert title={t('signIn.title')} ref={props.alertRef}>
          <p>{t(`signIn.error.${failure}`)}</p>
        </Alert>
      ) : null}
      {factor !== null && usable ? (
        <form
          className="sign-in-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            props.onConfirm(factor);
          }}
        >
          <Field
            id="sign-in-code"
            label={t('signIn.secondFactor.code')}
            error={props.missing ? t('signIn.secondFactor.codeRequired') : null}
          >
            {(control) => (
              <input
                {...control}
                type="text"
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                value={props.code}
                onChange={(event) => props.setCode(event.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button button-primary button-wide" aria-disabled={busy ? true : undefined}>
            {t('signIn.secondFactor.confirm')}
          </button>
        </form>
      ) : null}
      <button type="button" className="button button-secondary button-wide" onClick={props.onCancel}>
        {t('signIn.secondFactor.cancel')}
      </button>
      <Status>{busy ? t('signIn.busy') : null}</Status>
    </section>
  );
}
