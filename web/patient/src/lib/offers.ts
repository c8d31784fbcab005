import type { CentreOffer } from '@ereg/shared';

/** A slot the person picked, with what the confirmation page shows of it. */
export interface ChosenSlot {
  slotId: string;
  start: string;
  vaccineId: string;
  free: number;
  centre: CentreOffer['centre'];
}

const KEY = 'ereg.patient.slots';
/** Enough for a few searches' worth of choices; older ones are forgotten first. */
const KEPT = 40;

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function read(storage: Store): ChosenSlot[] {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(value) ? (value as ChosenSlot[]) : [];
  } catch {
    return [];
  }
}

/** Keeps a picked slot for this tab, so that its confirmation page survives a reload. */
export function rememberSlot(storage: Store, slot: ChosenSlot): void {
  const kept = read(storage).filter((s) => s.slotId !== slot.slotId);
  kept.push(slot);
  storage.setItem(KEY, JSON.stringify(kept.slice(-KEPT)));
}

/** A slot picked earlier in this tab, or null. */
export function recallSlot(storage: Store, slotId: string): ChosenSlot | null {
  return read(storage).find((s) => s.slotId === slotId) ?? null;
}
