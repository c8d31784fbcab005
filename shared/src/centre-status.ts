import { conflict, invalid } from './errors.ts';
import type { Centre, CentreSchedule, CentreStatus, LocalDate } from './model.ts';

/** A centre's status; a record kept before statuses were is active. */
export function centreStatus(centre: Pick<Centre, 'status'>): CentreStatus {
  return centre.status ?? 'active';
}

/** Whether a closed centre has no slots on a date (its closing date or later). */
export function isClosedOn(centre: Pick<Centre, 'status' | 'closedFrom'>, date: LocalDate): boolean {
  return centreStatus(centre) === 'closed' && centre.closedFrom !== undefined && date >= centre.closedFrom;
}

/**
 * Refuses a new booking (or a visit moved) at a centre that is suspended or closed: whoever books,
 * the person, the hotline or the centre's desk.
 */
export function requireBookableCentre(centre: Pick<Centre, 'status' | 'name'>): void {
  switch (centreStatus(centre)) {
    case 'active':
      return;
    case 'suspended':
      throw conflict('CENTRE_SUSPENDED', `${centre.name} takes no bookings for now; choose another centre.`);
    case 'closed':
      throw conflict('CENTRE_CLOSED', `${centre.name} is closed; choose another centre.`);
  }
}

/** The products a schedule offers places for (a capacity above zero). */
export function scheduledProducts(schedule: CentreSchedule): string[] {
  return Object.entries(schedule.weekly.capacity)
    .filter(([, capacity]) => capacity > 0)
    .map(([vaccineId]) => vaccineId)
    .sort();
}

/**
 * A centre's schedule offers only the products the centre may give; absent (a centre onboarded before
 * the list was kept), any product of the catalogue.
 */
export function requireScheduleWithinProducts(
  schedule: CentreSchedule,
  vaccineIds: readonly string[] | undefined,
): void {
  if (vaccineIds === undefined) return;
  for (const vaccineId of scheduledProducts(schedule)) {
    if (!vaccineIds.includes(vaccineId)) {
      throw invalid(
        'PRODUCT_NOT_GIVEN_HERE',
        `The centre does not give ${vaccineId}: its schedule can offer only ${vaccineIds.join(', ') || 'no product'}.`,
        `schedule.weekly.capacity.${vaccineId}`,
      );
    }
  }
}
