/** A Polish postal code as `NN-NNN`, accepting the five digits without the dash as people often type them; null if it is not one. */
export function normalisePostalCode(input: string): string | null {
  const match = /^(\d{2})[-\s]?(\d{3})$/.exec(input.trim());
  return match ? `${match[1]}-${match[2]}` : null;
}
