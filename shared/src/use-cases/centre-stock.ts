import { LOT_NUMBER_PATTERN, MAX_BATCH_DOSES, MAX_WASTED_AT_ONCE, WASTE_REASONS } from '../batches.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import type { Actor, Batch, Centre, LocalDate, WasteReason } from '../model.ts';
import type { BatchWithStock, Transaction } from '../ports.ts';
import { actorOf, type Principal, requireCentreAccess } from '../principal.ts';
import { addDays, isValidLocalDate, localToday } from '../time-zone.ts';
import type { Deps } from './deps.ts';

/** A batch as the centre sees it: its counters, and whether it is past its last day of use today. */
export interface BatchView extends BatchWithStock {
  expired: boolean;
}

export interface AddBatchInput {
  vaccineId: string;
  /** The lot number as printed; kept in capitals. */
  number: string;
  expiry: LocalDate;
  doses: number;
}

/** Days the stock outlook looks ahead, today included. */
export const OUTLOOK_DAYS = 7;

async function centreOf(deps: Deps, centreId: string): Promise<Centre> {
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
  return centre;
}

const todayAt = (deps: Deps, centre: Centre): LocalDate => localToday(deps.clock.now(), centre.timeZone);

const viewOf = (batch: BatchWithStock, today: LocalDate): BatchView => ({ ...batch, expired: batch.expiry < today });

/** Reads a batch of the centre in a unit of work; one of another centre answers as one not found. */
async function batchOfCentre(tx: Transaction, centreId: string, batchId: string): Promise<Batch> {
  const batch = await tx.getBatch(batchId);
  if (!batch || batch.centreId !== centreId) {
    throw notFound('BATCH_NOT_FOUND', 'There is no such batch at this centre.', 'batchId');
  }
  return batch;
}

function requireActive(batch: Batch): void {
  if (batch.status === 'depleted') throw conflict('BATCH_DEPLETED', `Batch ${batch.number} is used up or closed.`);
}

/** The record and event of a batch that can no longer be used. */
function deplete(deps: Deps, tx: Transaction, batch: Batch, actor: Actor, cause: 'used_up' | 'closed'): Batch {
  const now = deps.clock.now();
  const depleted: Batch = { ...batch, status: 'depleted', depletedAt: now.toISOString() };
  tx.putBatch(depleted);
  tx.addEvent(
    makeEvent(deps.ids.next('evt'), 'batch.depleted', now, actor, batch.id, {
      batchId: batch.id,
      centreId: batch.centreId,
      vaccineId: batch.vaccineId,
      cause,
    }),
  );
  return depleted;
}

async function viewOfStored(deps: Deps, centre: Centre, batch: Batch): Promise<BatchView> {
  const stock = await deps.store.getBatchStock(batch.id);
  return viewOf({ ...batch, remaining: stock?.remaining ?? 0, wasted: stock?.wasted ?? 0 }, todayAt(deps, centre));
}

/**
 * Records a delivery at a centre (its manager only): a product of the catalogue, a lot number not yet
 * recorded for that product here, a last day of use not already past, 1–100,000 doses.
 */
export async function addBatch(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: AddBatchInput,
): Promise<BatchView> {
  requireCentreAccess(principal, centreId, 'manager');
  if (!deps.vaccines.some((v) => v.id === input.vaccineId)) {
    throw invalid('UNKNOWN_VACCINE', 'vaccineId must be a product of the vaccine catalogue.', 'vaccineId');
  }
  if (typeof input.number !== 'string' || !LOT_NUMBER_PATTERN.test(input.number)) {
    throw invalid('INVALID_LOT', 'The lot number is 2–30 letters, digits or dashes, as printed on the vial.', 'number');
  }
  if (!isValidLocalDate(input.expiry)) {
    throw invalid('INVALID_DATE', 'expiry must be a date (YYYY-MM-DD).', 'expiry');
  }
  if (!Number.isInteger(input.doses) || input.doses < 1 || input.doses > MAX_BATCH_DOSES) {
    throw invalid('INVALID_DOSES', `doses must be a whole number from 1 to ${MAX_BATCH_DOSES}.`, 'doses');
  }
  const number = input.number.toUpperCase();
  const actor = actorOf(principal);
  const { batch, centre } = await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const centre = await tx.getCentre(centreId);
    if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
    if (input.expiry < localToday(now, centre.timeZone)) {
      throw invalid('EXPIRY_PASSED', 'expiry is already past: the batch may not be used.', 'expiry');
    }
    const existing = await tx.getBatchByNumber(centreId, input.vaccineId, number);
    if (existing) {
      throw conflict('BATCH_EXISTS', `Batch ${number} of this product is already recorded here.`, {
        batchId: existing.id,
      });
    }
    const batch: Batch = {
      id: deps.ids.next('bat'),
      centreId,
      vaccineId: input.vaccineId,
      number,
      expiry: input.expiry,
      doses: input.doses,
      status: 'active',
      createdAt: now.toISOString(),
      createdBy: actor,
    };
    tx.addBatch(batch);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'batch.added', now, actor, batch.id, {
        batchId: batch.id,
        centreId,
        vaccineId: batch.vaccineId,
        number,
        expiry: batch.expiry,
        doses: batch.doses,
      }),
    );
    return { batch, centre };
  });
  return viewOf({ ...batch, remaining: batch.doses, wasted: 0 }, todayAt(deps, centre));
}

/** A centre's batches for its people: active ones first, each with what is left, wasted, and whether expired today. */
export async function listBatches(deps: Deps, principal: Principal, centreId: string): Promise<BatchView[]> {
  requireCentreAccess(principal, centreId);
  const centre = await centreOf(deps, centreId);
  const today = todayAt(deps, centre);
  const batches = await deps.store.listBatchesOfCentre(centreId);
  const rank = (b: BatchWithStock) => (b.status === 'active' ? 0 : 1);
  // A stable sort keeps the store's oldest-first order within each group.
  return batches.sort((a, b) => rank(a) - rank(b)).map((b) => viewOf(b, today));
}

/** Closes a batch (the manager): it is marked depleted, and the doses left in it are logged as wasted (`closed`). */
export async function closeBatch(
  deps: Deps,
  principal: Principal,
  centreId: string,
  batchId: string,
): Promise<BatchView> {
  requireCentreAccess(principal, centreId, 'manager');
  const centre = await centreOf(deps, centreId);
  const actor = actorOf(principal);
  const closed = await deps.store.runInTransaction(async (tx) => {
    const batch = await batchOfCentre(tx, centreId, batchId);
    requireActive(batch);
    const { taken } = await tx.takeDoses(batchId, 'all', 'wasted');
    if (taken > 0) {
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'dose.wasted', deps.clock.now(), actor, batch.id, {
          batchId: batch.id,
          centreId,
          vaccineId: batch.vaccineId,
          count: taken,
          reasonCode: 'closed',
        }),
      );
    }
    return deplete(deps, tx, batch, actor, 'closed');
  });
  return viewOfStored(deps, centre, closed);
}

export interface WasteInput {
  batchId: string;
  count: number;
  reason: Exclude<WasteReason, 'closed'>;
  /** What happened, in the staff's words; required when the reason is `other`. */
  note?: string | undefined;
}

/**
 * Logs doses of a batch lost without being given (staff or manager): 1–50 at once, with a reason; they
 * count the stock down, and the last dose taken so marks the batch depleted.
 */
export async function logWastedDose(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: WasteInput,
): Promise<BatchView> {
  requireCentreAccess(principal, centreId);
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_WASTED_AT_ONCE) {
    throw invalid('INVALID_COUNT', `count must be a whole number from 1 to ${MAX_WASTED_AT_ONCE}.`, 'count');
  }
  if (!(WASTE_REASONS as readonly string[]).includes(input.reason)) {
    throw invalid('INVALID_REASON', `reason must be one of ${WASTE_REASONS.join(', ')}.`, 'reason');
  }
  const note = input.note?.trim() ?? '';
  if (input.reason === 'other' && note.length < 3) {
    throw invalid('NOTE_REQUIRED', 'Say in a few words what happened (note) when the reason is other.', 'note');
  }
  const centre = await centreOf(deps, centreId);
  const actor = actorOf(principal);
  const batch = await deps.store.runInTransaction(async (tx) => {
    const batch = await batchOfCentre(tx, centreId, input.batchId);
    requireActive(batch);
    const { emptied } = await tx.takeDoses(batch.id, input.count, 'wasted');
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'dose.wasted', deps.clock.now(), actor, batch.id, {
        batchId: batch.id,
        centreId,
        vaccineId: batch.vaccineId,
        count: input.count,
        reasonCode: input.reason,
        ...(note !== '' ? { note } : {}),
      }),
    );
    return emptied ? deplete(deps, tx, batch, actor, 'used_up') : batch;
  });
  return viewOfStored(deps, centre, batch);
}

export interface DoseForVaccination {
  centreId: string;
  batchId: string;
  /** The product given. */
  vaccineId: string;
  /** The centre-local date of the visit: the batch must not be past its last day of use on it. */
  localDate: LocalDate;
  /** Who gives the dose (recorded on `batch.depleted` when it is the last). */
  actor: Actor;
}

/**
 * Takes one dose of a batch for a vaccination being recorded, inside the caller's unit of work: the
 * batch must be this centre's, active, of the product given and not expired on the visit's date.
 * It reads the batch and then its stock, so the caller makes every other read of its unit before
 * calling it and writes only after; the last dose marks the batch depleted (with its event).
 */
export async function takeDoseForVaccination(
  deps: Deps,
  tx: Transaction,
  dose: DoseForVaccination,
): Promise<{ batch: Batch; emptied: boolean }> {
  const batch = await batchOfCentre(tx, dose.centreId, dose.batchId);
  requireActive(batch);
  if (batch.vaccineId !== dose.vaccineId) {
    throw invalid(
      'BATCH_PRODUCT_MISMATCH',
      `Batch ${batch.number} is of ${batch.vaccineId}, not ${dose.vaccineId}.`,
      'batchId',
    );
  }
  if (batch.expiry < dose.localDate) {
    throw conflict('BATCH_EXPIRED', `Batch ${batch.number} could be used until ${batch.expiry}.`);
  }
  const { emptied } = await tx.takeDoses(batch.id, 1, 'given');
  return { batch: emptied ? deplete(deps, tx, batch, dose.actor, 'used_up') : batch, emptied };
}

export interface OutlookDay {
  date: LocalDate;
  /** Visits booked that day (not yet given). */
  booked: number;
  /** Doses usable that day before its visits: in active batches not past their last day, less the earlier days' visits. */
  available: number;
}

export interface ProductOutlook {
  vaccineId: string;
  /** Doses left today in active batches not past their last day. */
  onHand: number;
  /** Visits booked over the coming days. */
  booked: number;
  short: boolean;
  /** The first day the visits booked exceed the doses usable, or null. */
  runsOutOn: LocalDate | null;
  days: OutlookDay[];
}

/**
 * For the centre's coming days, per product: the visits booked against the doses on hand in active
 * batches, used soonest-expiring first, each batch only through its last day; `short` with the first
 * day the doses run out.
 */
export async function stockOutlook(
  deps: Deps,
  principal: Principal,
  centreId: string,
): Promise<{ centreId: string; from: LocalDate; to: LocalDate; products: ProductOutlook[] }> {
  requireCentreAccess(principal, centreId);
  const centre = await centreOf(deps, centreId);
  const today = todayAt(deps, centre);
  const dates = Array.from({ length: OUTLOOK_DAYS }, (_, i) => addDays(today, i));
  const bookedPerDay = await Promise.all(
    dates.map(async (date) => {
      const counts = new Map<string, number>();
      for (const a of await deps.store.listAppointmentsOfCentreDay(centreId, date)) {
        if (a.status === 'booked') counts.set(a.vaccineId, (counts.get(a.vaccineId) ?? 0) + 1);
      }
      return counts;
    }),
  );
  const usable = (await deps.store.listBatchesOfCentre(centreId)).filter(
    (b) => b.status === 'active' && b.remaining > 0 && b.expiry >= today,
  );
  const products = new Set([...usable.map((b) => b.vaccineId), ...bookedPerDay.flatMap((m) => [...m.keys()])]);
  const outlook = [...products].sort().map((vaccineId): ProductOutlook => {
    const lots = usable
      .filter((b) => b.vaccineId === vaccineId)
      .sort((a, b) => (a.expiry < b.expiry ? -1 : a.expiry > b.expiry ? 1 : 0))
      .map((b) => ({ expiry: b.expiry, left: b.remaining }));
    const days = dates.map((date, i): OutlookDay => {
      const booked = bookedPerDay[i]?.get(vaccineId) ?? 0;
      const open = lots.filter((l) => l.expiry >= date);
      const available = open.reduce((sum, l) => sum + l.left, 0);
      let need = booked;
      for (const lot of open) {
        const used = Math.min(lot.left, need);
        lot.left -= used;
        need -= used;
      }
      return { date, booked, available };
    });
    const runsOutOn = days.find((d) => d.booked > d.available)?.date ?? null;
    return {
      vaccineId,
      onHand: usable.filter((b) => b.vaccineId === vaccineId).reduce((sum, b) => sum + b.remaining, 0),
      booked: days.reduce((sum, d) => sum + d.booked, 0),
      short: runsOutOn !== null,
      runsOutOn,
      days,
    };
  });
  return { centreId, from: today, to: dates[dates.length - 1] as LocalDate, products: outlook };
}
