import type { AccessLogEntry, ActorRole, LookupReason } from '@ereg/shared';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useSession } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoginRequired } from '../components/login-required.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';

/** The country's zone (the server's `Settings.timeZone`): the entries' times read as the people there keep them. */
const TIME_ZONE = 'Europe/Warsaw';

const ROLES: Partial<Record<ActorRole, MessageKey>> = {
  agent: 'access.role.agent',
  supervisor: 'access.role.supervisor',
  staff: 'access.role.staff',
  admin: 'access.role.admin',
  sms: 'access.role.sms',
};

/** The audit's action names (as the use cases write them) in the person's words. */
const ACTIONS: Record<string, MessageKey> = {
  lookup: 'access.action.lookup',
  reveal: 'access.action.reveal',
  'register-caller': 'access.action.registerCaller',
  'find-by-pesel': 'access.action.findByPesel',
  'find-by-reference': 'access.action.findByReference',
  'list-appointments': 'access.action.listAppointments',
  'read-appointment': 'access.action.readAppointment',
  'preview booking': 'access.action.previewBooking',
  book: 'access.action.book',
  'book household': 'access.action.bookHousehold',
  cancel: 'access.action.cancel',
  reschedule: 'access.action.reschedule',
  'resend confirmation': 'access.action.resendConfirmation',
  contact: 'access.action.contact',
  'sms-lookup': 'access.action.smsLookup',
  'day-list': 'access.action.dayList',
  'check-in': 'access.action.checkIn',
  complete: 'access.action.complete',
  'correct-vaccination': 'access.action.correctVaccination',
  'no-show': 'access.action.noShow',
  'not-given': 'access.action.notGiven',
  'walk-in': 'access.action.walkIn',
  'grant-group': 'access.action.grantGroup',
  'read-eligibility': 'access.action.readEligibility',
  'audit-read': 'access.action.auditRead',
};

const REVEALED: Record<NonNullable<AccessLogEntry['field']>, MessageKey> = {
  phone: 'access.action.reveal.phone',
  landline: 'access.action.reveal.landline',
  pesel: 'access.action.reveal.pesel',
};

const REASONS: Record<LookupReason, MessageKey> = {
  'caller-booking': 'access.reason.callerBooking',
  'caller-changing': 'access.reason.callerChanging',
  'caller-asking': 'access.reason.callerAsking',
  'relative-booking': 'access.reason.relativeBooking',
  other: 'access.reason.noted',
};

/** What was done, in words: a reveal names the field it showed; an action this app does not know yet is still listed. */
export function actionKey(entry: Pick<AccessLogEntry, 'action' | 'field'>): MessageKey {
  if (entry.action === 'reveal' && entry.field) return REVEALED[entry.field];
  return Object.hasOwn(ACTIONS, entry.action) ? (ACTIONS[entry.action] as MessageKey) : 'access.action.unknown';
}

/** Keys for entries, which carry no id: what each says, and how many alike came before (two in one instant stay apart). */
function keysOf(entries: readonly AccessLogEntry[]): string[] {
  const seen = new Map<string, number>();
  return entries.map((e) => {
    const key = [e.at, e.role, e.who, e.action, e.field].join('|');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return `${key}|${n}`;
  });
}

function Entry({ entry, titleId }: { entry: AccessLogEntry; titleId: string }) {
  const { t, fmt } = useI18n();
  return (
    <article className="visit access-entry" aria-labelledby={titleId}>
      <h3 id={titleId}>
        <time dateTime={entry.at}>{fmt.dateTime(entry.at, TIME_ZONE)}</time>
      </h3>
      <dl className="details">
        <div>
          <dt>{t('access.who')}</dt>
          <dd>
            {t(ROLES[entry.role] ?? 'access.role.unknown')}{' '}
            <span className="access-who">({t('access.who.code', { code: entry.who })})</span>
          </dd>
        </div>
        <div>
          <dt>{t('access.what')}</dt>
          <dd>{t(actionKey(entry))}</dd>
        </div>
        {entry.reason ? (
          <div>
            <dt>{t('access.why')}</dt>
            <dd>{t(REASONS[entry.reason])}</dd>
          </div>
        ) : null}
      </dl>
    </article>
  );
}

/** Who looked at my data: every reach of the patient's record by someone else, why others may, and whom to ask. */
export function AccessLogPage() {
  const { api } = useApp();
  const session = useSession();
  const patientId = session?.patientId ?? null;
  const { t } = useI18n();
  const log = useLoad(patientId ? `access-log:${patientId}` : null, () =>
    api.call('accessLog', { params: { patientId: patientId as string } }).then((answer) => answer.entries),
  );

  if (!session) {
    return (
      <Page title={t('access.title')}>
        <LoginRequired />
      </Page>
    );
  }

  return (
    <Page title={t('access.title')}>
      <p className="lead">{t('access.intro')}</p>
      <section aria-labelledby="access-list-title">
        <h2 id="access-list-title">{t('access.list.title')}</h2>
        <Status>
          {log.status === 'loading' ? t('access.loading') : null}
          {log.status === 'ready' && log.data.length > 0 ? t.plural('access.count', log.data.length) : null}
        </Status>
        {log.status === 'failed' ? (
          <>
            <ErrorMessage error={log.error} />
            <button type="button" className="button" onClick={log.reload}>
              {t('access.retry')}
            </button>
          </>
        ) : null}
        {log.status === 'ready' && log.data.length === 0 ? <p className="banner">{t('access.none')}</p> : null}
        {log.status === 'ready' && log.data.length > 0 ? (
          <ul className="visits">
            {keysOf(log.data).map((key, index) => (
              <li key={key}>
                <Entry entry={log.data[index] as AccessLogEntry} titleId={`access-entry-${index + 1}`} />
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section aria-labelledby="access-explain-title">
        <h2 id="access-explain-title">{t('access.explain.title')}</h2>
        <p>{t('access.explain.hotline')}</p>
        <p>{t('access.explain.centre')}</p>
        <p>{t('access.explain.review')}</p>
      </section>
      <section aria-labelledby="access-contact-title">
        <h2 id="access-contact-title">{t('access.contact.title')}</h2>
        <p>
          {t('access.contact.text')} <a href="tel:989">989</a>
        </p>
      </section>
    </Page>
  );
}
