import type { Appointment, Centre, LocalDate, Slot } from '../model.ts';
import type { Store, Transaction } from '../ports.ts';
import type { Deps } from './deps.ts';

/** A write of the store (put*, delete*, add*, set*): held back in a dry run. */
const isWrite = (name: string): boolean => /^(put|delete|add|set)[A-Z]/.test(name);

const byStartThenId = (a: Slot, b: Slot): number =>
  a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * What the units of work of one dry run have written so far: the slots, visits and centres they put
 * or deleted. Later units read through it, so a run of many transactions (a schedule change publishes
 * one day per transaction) sees its own earlier effects, as the real run would.
 */
class Overlay {
  readonly slots = new Map<string, Slot | null>();
  readonly appointments = new Map<string, Appointment>();
  readonly centres = new Map<string, Centre>();

  snapshot() {
    return { slots: new Map(this.slots), appointments: new Map(this.appointments), centres: new Map(this.centres) };
  }

  restore(state: ReturnType<Overlay['snapshot']>): void {
    for (const name of ['slots', 'appointments', 'centres'] as const) {
      const map: Map<string, unknown> = this[name];
      map.clear();
      for (const [key, value] of state[name]) map.set(key, value);
    }
  }

  slot(real: Slot | null, id: string): Slot | null {
    return this.slots.has(id) ? (this.slots.get(id) ?? null) : real;
  }

  /** Real rows with the overlay's versions in their place, plus the overlay's rows the query would match. */
  appointmentsWhere(real: Appointment[], matches: (a: Appointment) => boolean): Appointment[] {
    const seen = new Set(real.map((a) => a.id));
    const merged = real.map((a) => this.appointments.get(a.id) ?? a);
    for (const a of this.appointments.values()) if (!seen.has(a.id)) merged.push(a);
    return merged.filter(matches);
  }

  slotsOfCentreDay(real: Slot[], centreId: string, date: LocalDate): Slot[] {
    const merged = new Map(real.map((s) => [s.id, s]));
    for (const [id, slot] of this.slots) {
      if (slot === null) merged.delete(id);
      else if (slot.centreId === centreId && slot.localDate === date) merged.set(id, slot);
      else merged.delete(id);
    }
    return [...merged.values()].sort(byStartThenId);
  }

  transaction(tx: Transaction): Transaction {
    const overlaid: Partial<Transaction> = {
      getSlot: async (id) => this.slot(await tx.getSlot(id), id),
      getAppointment: async (id) => this.appointments.get(id) ?? (await tx.getAppointment(id)),
      getCentre: async (id) => this.centres.get(id) ?? (await tx.getCentre(id)),
      listSlotsOfCentreDay: async (centreId, date) =>
        this.slotsOfCentreDay(await tx.listSlotsOfCentreDay(centreId, date), centreId, date),
      listActiveAppointmentsOfSlot: async (slotId) =>
        this.appointmentsWhere(
          await tx.listActiveAppointmentsOfSlot(slotId),
          (a) => a.slotId === slotId && a.status !== 'cancelled',
        ),
      listAppointmentsOfPatient: async (patientId) =>
        this.appointmentsWhere(await tx.listAppointmentsOfPatient(patientId), (a) => a.patientId === patientId),
      putSlot: (slot) => void this.slots.set(slot.id, slot),
      deleteSlot: (id) => void this.slots.set(id, null),
      putAppointment: (appointment) => void this.appointments.set(appointment.id, appointment),
      putCentre: (centre) => void this.centres.set(centre.id, centre),
    };
    return new Proxy(tx, {
      get(target, name, receiver) {
        if (typeof name === 'string' && Object.hasOwn(overlaid, name)) return overlaid[name as keyof Transaction];
        if (typeof name === 'string' && isWrite(name)) return () => undefined;
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  store(store: Store): Store {
    const overlay = this;
    // A store may run a unit of work again (contention): each attempt starts from what the earlier
    // units wrote, so only the attempt that commits leaves its writes for the next ones.
    const runInTransaction: Store['runInTransaction'] = (fn) => {
      const before = this.snapshot();
      return store.runInTransaction((tx) => {
        this.restore(before);
        return fn(this.transaction(tx));
      });
    };
    return new Proxy(store, {
      get(target, name, receiver) {
        if (name === 'runInTransaction') return runInTransaction;
        if (name === 'getCentre') return async (id: string) => overlay.centres.get(id) ?? (await target.getCentre(id));
        if (name === 'getSlot') return async (id: string) => overlay.slot(await target.getSlot(id), id);
        if (name === 'getAppointment') {
          return async (id: string) => overlay.appointments.get(id) ?? (await target.getAppointment(id));
        }
        if (typeof name === 'string' && isWrite(name)) return async () => undefined;
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

/**
 * The dependencies of a use case run as a rehearsal: its transactions read the store and their own
 * earlier writes, and commit nothing (no slot, visit, event or audit record is written). Running the
 * code that makes a change this way says what the change would do, so a preview cannot disagree with it.
 */
export function dryRunDeps(deps: Deps): Deps {
  return { ...deps, store: new Overlay().store(deps.store) };
}
