import { useI18n } from '../i18n/index.ts';
import type { DayCounters } from '../lib/day.ts';

const ORDER = ['expected', 'checkedIn', 'vaccinated', 'left'] as const;

/** The day at a glance: four numbers, each with its name (a list, so that each is read with its label). */
export function DayCountersView({ counters }: { counters: DayCounters }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="counters-title" className="counters-section">
      <h2 id="counters-title" className="visually-hidden">
        {t('day.counters')}
      </h2>
      <ul className="counters">
        {ORDER.map((name) => (
          <li key={name} className={`counter counter-${name}`} data-counter={name}>
            <span className="counter-value">{counters[name]}</span>
            <span className="counter-label">{t(`day.counter.${name}`)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
