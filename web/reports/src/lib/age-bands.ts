import type { MessageKey } from '../i18n/pl.ts';

/**
 * The reports' age bands (shared/src/age-bands.ts, which the web apps do not load: its `AGE_BANDS`, in
 * its order), each with the catalogues' name for it; the catalogue test checks the two agree.
 */
export const AGE_BAND_KEYS: ReadonlyArray<{ band: string; key: MessageKey }> = [
  { band: '0-17', key: 'ageBand.0-17' },
  { band: '18-24', key: 'ageBand.18-24' },
  { band: '25-49', key: 'ageBand.25-49' },
  { band: '50-59', key: 'ageBand.50-59' },
  { band: '60-69', key: 'ageBand.60-69' },
  { band: '70-79', key: 'ageBand.70-79' },
  { band: '80+', key: 'ageBand.80+' },
];
