import type { AuditRecord, LookupReason } from '@ereg/shared';
import type { Translator } from '../../../shared/src/i18n.ts';
import type { MessageKey } from '../i18n/index.ts';

/** The audit's actions the console words; any other is shown as the server wrote it. */
const ACTIONS: Readonly<Record<string, MessageKey>> = {
  lookup: 'audit.action.lookup',
  'lookup-refused': 'audit.action.lookupRefused',
  'register-caller': 'audit.action.register',
  book: 'audit.action.book',
  'book household': 'audit.action.household',
  reschedule: 'audit.action.move',
  cancel: 'audit.action.cancel',
  contact: 'audit.action.contact',
  'resend confirmation': 'audit.action.resend',
  'list-appointments': 'audit.action.visits',
  'read-appointment': 'audit.action.visit',
  'preview booking': 'audit.action.preview',
  'find-by-pesel': 'audit.action.findByPesel',
  'find-by-pesel-miss': 'audit.action.findByPeselMiss',
  'audit-read': 'audit.action.auditRead',
};

const FIELDS: Readonly<Record<string, MessageKey>> = {
  phone: 'audit.field.phone',
  landline: 'audit.field.landline',
  pesel: 'audit.field.pesel',
};

/** What a record says was done, in words: "Look-up", "Revealed: phone number", "Moved a visit". */
export function actionWords(record: Pick<AuditRecord, 'action' | 'field'>, t: Translator<MessageKey>): string {
  if (record.action === 'reveal') {
    const field = record.field ?? '';
    return t('audit.action.reveal', { field: FIELDS[field] ? t(FIELDS[field]) : field });
  }
  const key = ACTIONS[record.action];
  return key ? t(key) : record.action;
}

// `other` has a key of its own: a key ending in `.other` reads as a plural form.
const REASONS: Readonly<Record<LookupReason, MessageKey>> = {
  'caller-booking': 'audit.reason.caller-booking',
  'caller-changing': 'audit.reason.caller-changing',
  'caller-asking': 'audit.reason.caller-asking',
  'relative-booking': 'audit.reason.relative-booking',
  other: 'audit.reason.elseWhy',
};

/** The reasons of the list, in its order (the type makes sure none is missing from REASONS). */
export const REASON_CODES = Object.keys(REASONS) as LookupReason[];

/** A look-up's reason from the list, in words. */
export function reasonWords(code: LookupReason, t: Translator<MessageKey>): string {
  return t(REASONS[code]);
}

/**
 * Why, as the record has it: the reason from the list in words (with the agent's own words for
 * "other"), or the words the agent typed for a change of a visit; the filters for a reading of the log.
 */
export function recordReason(
  record: Pick<AuditRecord, 'reasonCode' | 'reason' | 'action'>,
  t: Translator<MessageKey>,
): { words: string; note: string | null } {
  if (record.reasonCode) {
    return {
      words: reasonWords(record.reasonCode, t),
      note: record.reasonCode === 'other' && record.reason !== 'other' ? record.reason : null,
    };
  }
  if (record.action === 'reveal') return { words: '', note: null };
  return { words: '', note: record.reason || null };
}

/** "12 sty 2026, 09:15": an instant on the country's clock, short, with the year. */
export function whenWords(instant: string, t: Translator<MessageKey>, timeZone: string): string {
  return new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(instant),
  );
}
