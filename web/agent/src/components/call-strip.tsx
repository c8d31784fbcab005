import { Link } from '../../../shared/src/router.tsx';
import { useCall } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { reasonWords } from '../lib/audit-words.ts';
import { PATHS } from '../lib/paths.ts';
import { useShortcut } from '../lib/shortcuts.ts';

/**
 * The call in progress, under the header on every page of an agent: why they look people up and who
 * is in the call (each a link to their card), and ending the call (Alt+E), which forgets them all and
 * starts the next call with its reason.
 */
export function CallStrip({ onEnd }: { onEnd: () => void }) {
  const call = useCall();
  const { t } = useI18n();
  const active = call.reason !== null || call.people.length > 0;
  useShortcut('e', t('strip.end'), onEnd, active);
  if (!active) return null;
  return (
    <section className="call-strip" aria-label={t('strip.label')}>
      <p className="call-strip-reason">
        {call.reason
          ? t('strip.reason', {
              reason: call.reason.note
                ? `${reasonWords(call.reason.code, t)}: ${call.reason.note}`
                : reasonWords(call.reason.code, t),
            })
          : null}
      </p>
      {call.people.length > 0 ? (
        <ul className="call-strip-people">
          {call.people.map((person) => (
            <li key={person.patientId}>
              <Link href={PATHS.caller(person.patientId)}>
                {person.givenName} {person.familyName}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      <button
        type="button"
        className="button button-secondary call-strip-end"
        aria-keyshortcuts="Alt+E"
        onClick={onEnd}
      >
        {t('strip.end')} <kbd>Alt+E</kbd>
      </button>
    </section>
  );
}
