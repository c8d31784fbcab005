import { DomainError } from '../errors.ts';
import type { Centre, CentreSchedule, EligibilityRule, Instant, LocalDate, Sex } from '../model.ts';
import { makePesel } from '../pesel.ts';
import type { Clock } from '../ports.ts';
import type { SmsRecord } from '../sms.ts';

/** A clock that stands still until told to move. */
export class FakeClock implements Clock {
  private current: number;
  constructor(iso: string) {
    this.current = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = Date.parse(iso);
  }
  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }
  advanceDays(days: number): void {
    this.current += days * 86_400_000;
  }
}

/** Mon–Fri 08:00–12:00 (and Saturday mornings), 15-minute slots, two products. */
export function aSchedule(overrides: Partial<CentreSchedule['weekly']> = {}): CentreSchedule {
  const hours = [{ from: '08:00', to: '12:00' }];
  return {
    weekly: {
      days: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [{ from: '09:00', to: '11:00' }] },
      slotMinutes: 15,
      capacity: { comirnaty: 3, vaxzevria: 2 },
      ...overrides,
    },
    closedDates: [],
    extraHours: [],
  };
}

let centreCounter = 0;

/** A Warsaw vaccination centre. */
export function aCentre(overrides: Partial<Centre> = {}): Centre {
  centreCounter++;
  const id = overrides.id ?? `c-test-${centreCounter}`;
  return {
    id,
    name: `Punkt Szczepień nr ${centreCounter}`,
    address: { street: 'ul. Marszałkowska 1', postalCode: '00-950', city: 'Warszawa', voivodeship: 'mazowieckie' },
    location: { lat: 52.2297, lon: 21.0122 },
    timeZone: 'Europe/Warsaw',
    phone: '+48221234567',
    schedule: aSchedule(),
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

let serial = 0;

/** A citizen born in the given year, with a valid PESEL unique within the test run. */
export function aCitizen(options: { born?: number; sex?: Sex; date?: string } = {}) {
  serial++;
  // Up to 1,000 PESELs per birth date; later citizens move to another day so every PESEL stays unique.
  const batch = Math.floor(serial / 1000);
  const day = `${String(1 + (batch % 12)).padStart(2, '0')}-${String(15 + (Math.floor(batch / 12) % 13)).padStart(2, '0')}`;
  const birthDate: LocalDate = `${options.born ?? 1950}-${options.date ?? (batch === 0 ? '03-15' : day)}`;
  const sex = options.sex ?? (serial % 2 ? 'female' : 'male');
  return {
    pesel: makePesel(birthDate, sex, serial % 1000),
    givenName: sex === 'female' ? 'Anna' : 'Jan',
    familyName: `Testowy${serial}`,
    phone: '+48600100200',
    birthDate,
  };
}

/** Opens vaccination to people born in `year` or earlier from `from` (at `opensAt`, through a waiting room, when given). */
export function aBirthYearRule(year: number, from: LocalDate = '2026-01-01', opensAt?: Instant): EligibilityRule {
  const rule: EligibilityRule = {
    id: `born-${year}`,
    kind: 'birthYear',
    bornInOrBefore: year,
    from,
    description: `Born ${year} or earlier`,
  };
  return opensAt === undefined ? rule : { ...rule, opensAt };
}

/** A pending reminder text message, as the message ledger holds it. */
export function aReminder(overrides: Partial<SmsRecord> = {}): SmsRecord {
  return {
    key: 'reminder:apt-1:1',
    purpose: 'reminder',
    to: '+48600100200',
    body: 'Jutro szczepienie',
    language: 'pl',
    patientId: 'pat-1',
    validWhile: [{ appointmentId: 'apt-1', version: 1 }],
    quietZone: 'Europe/Warsaw',
    sendAt: '2026-04-09T08:00:00.000Z',
    status: 'pending',
    attempts: 0,
    providerId: null,
    error: null,
    createdAt: '2026-03-02T08:00:00.000Z',
    updatedAt: '2026-03-02T08:00:00.000Z',
    sentAt: null,
    ...overrides,
  };
}

/** The domain's refusal a promise ends in; fails the test when it succeeds or fails otherwise. */
export async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
