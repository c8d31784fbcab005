import type { Eligibility } from '@ereg/shared';
import { Status } from '../../../shared/src/components/live.tsx';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage } from './error-message.tsx';
import { LoginButton } from './login-button.tsx';

export type EligibilityState =
  | { status: 'anonymous' }
  | { status: 'loading' }
  | { status: 'ready'; eligibility: Eligibility }
  | { status: 'failed'; error: unknown };

/** Whether the person may book now; if not, why, and from when — in words, with a marker that is not colour alone. */
export function EligibilityBanner({ state, returnTo }: { state: EligibilityState; returnTo: string }) {
  const { t, fmt } = useI18n();
  if (state.status === 'loading') return <Status>{t('eligibility.checking')}</Status>;
  if (state.status === 'failed') return <ErrorMessage error={state.error} />;
  if (state.status === 'anonymous') {
    return (
      <section className="banner banner-info" aria-labelledby="eligibility-title">
        <h2 id="eligibility-title">{t('eligibility.anonymous.title')}</h2>
        <p>{t('eligibility.anonymous.text')}</p>
        <LoginButton returnTo={returnTo} />
      </section>
    );
  }
  const { eligibility } = state;
  if (eligibility.eligible) {
    return (
      <section className="banner banner-ok" aria-labelledby="eligibility-title" data-testid="eligibility">
        <h2 id="eligibility-title">
          <span aria-hidden="true">✓ </span>
          {t('eligibility.eligible.title')}
        </h2>
        <p>{t('eligibility.eligible.text')}</p>
      </section>
    );
  }
  return (
    <section className="banner banner-warning" aria-labelledby="eligibility-title" data-testid="eligibility">
      <h2 id="eligibility-title">
        <span aria-hidden="true">! </span>
        {t('eligibility.notYet.title')}
      </h2>
      <p>
        {eligibility.eligibleAt
          ? t('eligibility.notYet.fromAt', {
              date: fmt.date(eligibility.eligibleFrom ?? eligibility.eligibleAt.slice(0, 10)),
              time: fmt.time(eligibility.eligibleAt, 'Europe/Warsaw'),
            })
          : eligibility.eligibleFrom
            ? t('eligibility.notYet.from', { date: fmt.date(eligibility.eligibleFrom) })
            : t('eligibility.notEligible.text')}
      </p>
      <p>{t('eligibility.notYet.browse')}</p>
    </section>
  );
}
