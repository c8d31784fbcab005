/** The characters of a booking reference: no 0, O, 1 or I, which are read one for another. */
const REFERENCE = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/;

/**
 * The booking reference a scanned code or a typed entry carries, or null: the reference itself (any
 * case, with spaces or dashes, as people read it out), or a link to the booking's page
 * (`…/bookings/<reference>`), which the confirmation's calendar file and text message carry.
 */
export function referenceFromScan(text: string): string | null {
  const trimmed = text.trim();
  const fromLink = /\/bookings\/([^/?#\s]+)\/?(?:[?#].*)?$/.exec(trimmed);
  const candidate = (fromLink ? decodeURIComponent(fromLink[1] as string) : trimmed)
    .replace(/[\s-]/g, '')
    .toUpperCase();
  return REFERENCE.test(candidate) ? candidate : null;
}
