import type { Vaccine } from '@ereg/shared';

/** A vaccine's name for display; its id when the catalogue does not know it. */
export function vaccineName(vaccines: readonly Vaccine[], id: string): string {
  return vaccines.find((v) => v.id === id)?.name ?? id;
}
