import { LOCALES } from '../../../shared/src/languages.ts';
import type { ReportsLanguage } from '../i18n/index.ts';

/** The dashboard's figures as a language writes them: counts, figures per 100, shares and dates. */
export function figuresIn(language: ReportsLanguage) {
  const locale = LOCALES[language];
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const upToTwoDecimals = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 2 });
  const upToOneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const share = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const shortDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const longDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const moment = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Warsaw',
  });
  const noon = (day: string) => new Date(`${day}T12:00:00Z`);
  return {
    /** "12 345". */
    count: (value: number) => whole.format(value),
    /** "54,3": a figure per 100 inhabitants; "0,04" below one (the first weeks of a campaign). */
    per100: (value: number) => (value < 1 ? upToTwoDecimals : oneDecimal).format(value),
    /** "2,5": a median, a mean. */
    decimal: (value: number) => upToOneDecimal.format(value),
    /** "12,5%": a share from 0 to 1. */
    share: (value: number) => share.format(value),
    /** "12 sty": a day on the chart's axis. */
    shortDay: (day: string) => shortDay.format(noon(day)),
    /** "12 stycznia 2026". */
    day: (day: string) => longDay.format(noon(day)),
    /** "12 stycznia 2026 09:14": an instant on the country's clock. */
    moment: (instant: string) => moment.format(new Date(instant)),
  };
}

export type Figures = ReturnType<typeof figuresIn>;
