import type { Vaccine } from '@ereg/shared';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { ageOn, dateIn } from './book-words.ts';

/**
 * The products every one of these people may have by age today (the booking checks it again on the
 * visit's day, and the dose's product and interval); null while the catalogue loads.
 */
export function useBookVaccines(birthDates: readonly string[]): { vaccines: Vaccine[] | null; error: unknown } {
  const { api, now } = useApp();
  const catalogue = useLoad('vaccines', () => api.call('vaccines'));
  if (catalogue.status === 'failed') return { vaccines: null, error: catalogue.error };
  if (catalogue.status !== 'ready') return { vaccines: null, error: null };
  const today = dateIn(now(), 'Europe/Warsaw');
  const youngest = Math.min(...birthDates.map((birthDate) => ageOn(birthDate, today)));
  return { vaccines: catalogue.data.vaccines.filter((v) => v.minAgeYears <= youngest), error: null };
}
