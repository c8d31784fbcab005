import type { Completion, VaccinationWarning } from '@ereg/shared';
import { useApp, useDesk, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { todayIn, type Visit } from '../lib/day.ts';
import { clockIn } from '../lib/zoned-time.ts';

/** What a recording noted without refusing it, in words: shown after recording and with the visit, never blocking. */
export function WarningsNote({ warnings }: { warnings: readonly VaccinationWarning[] }) {
  const { t } = useI18n();
  if (warnings.length === 0) return null;
  return (
    <div className="notice notice-warning warnings" role="note">
      <p className="warnings-title">{t('record.warnings')}</p>
      <ul>
        {warnings.map((w) => (
          <li key={w}>{t(`warning.${w}`)}</li>
        ))}
      </ul>
      <p className="hint">{t('record.warnings.hint')}</p>
    </div>
  );
}

/** One recording in a line: product and dose, lot, site, time. */
function RecordingLine({ completion }: { completion: Completion }) {
  const { vaccines } = useApp();
  const { centre } = useDesk();
  const { t } = useI18n();
  return (
    <>
      {t('visit.dose', { vaccine: vaccineName(vaccines, completion.vaccineId), dose: completion.dose ?? 1 })} ·{' '}
      {t('recorded.lot', { lot: completion.lot })} · {completion.site ? t(`record.site.${completion.site}`) : '—'} ·{' '}
      {clockIn(new Date(completion.at), centre.timeZone)}
    </>
  );
}

/**
 * A vaccination as recorded: what was given, its warnings, and — when it was corrected — that it was,
 * with each earlier recording, when and why it was corrected.
 */
export function RecordedDetails({ visit }: { visit: Visit }) {
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const { completion, corrections } = visit;
  if (!completion) return null;
  return (
    <div className="recorded">
      <p className="recorded-line">
        <span className="record-label">{t('recorded.title')}</span> <RecordingLine completion={completion} />
      </p>
      <WarningsNote warnings={completion.warnings ?? []} />
      {corrections.length > 0 ? (
        <details className="corrections">
          <summary>{t.plural('recorded.corrected', corrections.length)}</summary>
          <ol>
            {corrections.map((c) => (
              <li key={c.at}>
                <p>
                  {t('recorded.before', {
                    when: `${fmt.date(todayIn(centre.timeZone, new Date(c.at)))} ${clockIn(new Date(c.at), centre.timeZone)}`,
                  })}{' '}
                  <RecordingLine completion={c.before} />
                </p>
                <p className="hint">{t('recorded.reason', { reason: c.reason })}</p>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </div>
  );
}
