/**
 * The characters of a booking reference (as the API writes them): capital letters and digits without
 * 0, O, 1 and I, which are mistaken for one another when read aloud or typed from paper.
 */
export const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const REFERENCE_LENGTH = 8;

export type ReferenceCheck =
  | { ok: true; reference: string }
  | { ok: false; problem: 'length'; count: number }
  | { ok: false; problem: 'character' | 'confusable'; character: string };

/**
 * A booking reference as staff type or read it from a patient's screen: any case, with spaces or
 * dashes between groups. Answers the reference as the API knows it, or what is wrong with it, so the
 * desk is told before asking the server.
 */
export function checkReference(typed: string): ReferenceCheck {
  const compact = typed.replace(/[\s-]/g, '').toUpperCase();
  const wrong = [...compact].find((c) => !REFERENCE_ALPHABET.includes(c));
  if (wrong !== undefined)
    return { ok: false, problem: '0O1I'.includes(wrong) ? 'confusable' : 'character', character: wrong };
  if (compact.length !== REFERENCE_LENGTH) return { ok: false, problem: 'length', count: compact.length };
  return { ok: true, reference: compact };
}

/** "ABCD2345" → "ABCD 2345": easier to read out and compare with the patient's confirmation. */
export const groupedReference = (reference: string): string =>
  reference.length === REFERENCE_LENGTH ? `${reference.slice(0, 4)} ${reference.slice(4)}` : reference;
