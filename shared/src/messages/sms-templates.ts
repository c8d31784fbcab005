import { invalid } from '../errors.ts';
import type { Language, LocalDate, LocalTime } from '../model.ts';
import { isValidLocalDate, isValidLocalTime } from '../time-zone.ts';
import { isGsm7Char, smsSegments, toGsm7Text } from './sms-encoding.ts';

/** A centre as a message names it. */
export interface SmsCentre {
  name: string;
  street: string;
  city: string;
}

/** One visit as a message tells it: dates and times already in its centre's local time, and its own centre. */
export interface SmsVisit {
  dose: number;
  date: LocalDate;
  time: LocalTime;
  centre: SmsCentre;
}

/** How to cancel or get help: a hotline, and a web address when there is one. */
export interface SmsContact {
  hotline: string;
  web: string | null;
}

/**
 * Why a visit was cancelled, as the person is told it in their language: who asked (the person, through
 * the hotline, the centre) or what happened (the centre closed that day or changed its hours, an earlier
 * dose was not given). `note` is a centre's own words, quoted as written; nobody else's free text is sent.
 */
export interface SmsReason {
  code: SmsReasonCode;
  note: string | null;
}

/** A free slot a message offers: its centre-local date and time, and its centre. */
export interface SmsSlot {
  date: LocalDate;
  time: LocalTime;
  centre: SmsCentre;
}

/**
 * Other times offered with a cancellation the centre caused: the soonest free slots, with a link that
 * opens the booking of the first in the patients' app (null when no web address is set); or, to a
 * phone that booked by text, the first slot to answer YES or NO to, as the SMS dialogue does.
 */
export type SmsRebook = { kind: 'link'; slots: SmsSlot[]; link: string | null } | { kind: 'reply'; slot: SmsSlot };

export type SmsReasonCode = 'patient' | 'hotline' | 'centre' | 'day_closed' | 'hours_changed' | 'dose_missed';

/** What a text message says, one case per message of the system; every case carries the contact. */
export type SmsTemplateInput =
  | { kind: 'booked'; visits: SmsVisit[]; reference: string; contact: SmsContact }
  | { kind: 'later_dose'; visits: SmsVisit[]; reference: string; contact: SmsContact }
  | { kind: 'moved'; visits: SmsVisit[]; reference: string; contact: SmsContact }
  | {
      kind: 'cancelled';
      visit: SmsVisit;
      reason: SmsReason;
      laterDosesToo: boolean;
      contact: SmsContact;
      /** Other times offered; absent or null when none are. */
      rebook?: SmsRebook | null;
    }
  | { kind: 'reminder'; visit: SmsVisit; reference: string; contact: SmsContact }
  | { kind: 'offer'; date: LocalDate; time: LocalTime; centre: SmsCentre; contact: SmsContact }
  | { kind: 'taken_offer'; date: LocalDate; time: LocalTime; centre: SmsCentre; contact: SmsContact }
  | { kind: 'booked_reply'; contact: SmsContact }
  | { kind: 'no_slots'; contact: SmsContact }
  | {
      kind: 'not_eligible';
      eligibleFrom: LocalDate | null;
      /** The opening's time of day on that date, when it opens at one (e.g. 20:00). */
      openingTime?: LocalTime | null | undefined;
      contact: SmsContact;
    }
  | { kind: 'invalid_pesel'; contact: SmsContact }
  | { kind: 'invalid_postal_code'; contact: SmsContact }
  | { kind: 'already_booked'; date: LocalDate; time: LocalTime; contact: SmsContact }
  | { kind: 'visit_exists'; contact: SmsContact }
  | { kind: 'phone_limit'; people: number; contact: SmsContact }
  | { kind: 'booked_by_text'; bookedBy: string; contact: SmsContact }
  | { kind: 'no_offer'; contact: SmsContact }
  | { kind: 'help'; contact: SmsContact }
  | { kind: 'failed'; contact: SmsContact }
  // The waiting room
  /** The person's turn in an opening's waiting room came: they have `minutes` to book. */
  | { kind: 'queue_turn'; minutes: number; contact: SmsContact }
  // The standby list
  /** A place freed for the person, held until `until` (centre-local time): TAK takes it, NIE passes. */
  | {
      kind: 'standby_offer';
      date: LocalDate;
      time: LocalTime;
      centre: SmsCentre;
      until: LocalTime;
      contact: SmsContact;
    }
  /** Joined by text: offers will come to this phone. */
  | { kind: 'standby_joined'; from: LocalDate; to: LocalDate; maxKm: number; contact: SmsContact }
  /** TAK took the place: the confirmation follows. */
  | { kind: 'standby_taken'; date: LocalDate; time: LocalTime; centre: SmsCentre; contact: SmsContact }
  /** NIE passed the place on; the person stays on the list. */
  | { kind: 'standby_passed'; contact: SmsContact }
  /** The hold ended unanswered; the person stays on the list. */
  | { kind: 'standby_expired'; contact: SmsContact }
  /** Offers passed in silence took the person off the list: how to join again. */
  | { kind: 'standby_paused'; offers: number; contact: SmsContact }
  /** TAK or NIE came too late or could not be done (the place is no longer held). */
  | { kind: 'standby_closed'; contact: SmsContact }
  /** A standby keyword without a valid PESEL or postal code: how to join. */
  | { kind: 'standby_how'; contact: SmsContact };

export type SmsKind = SmsTemplateInput['kind'];

// A record, so that the compiler refuses a kind left out.
const KINDS: Record<SmsKind, true> = {
  booked: true,
  later_dose: true,
  moved: true,
  cancelled: true,
  reminder: true,
  offer: true,
  taken_offer: true,
  booked_reply: true,
  no_slots: true,
  not_eligible: true,
  invalid_pesel: true,
  invalid_postal_code: true,
  already_booked: true,
  visit_exists: true,
  phone_limit: true,
  booked_by_text: true,
  no_offer: true,
  help: true,
  failed: true,
  // The waiting room
  queue_turn: true,
  // The standby list
  standby_offer: true,
  standby_joined: true,
  standby_taken: true,
  standby_passed: true,
  standby_expired: true,
  standby_paused: true,
  standby_closed: true,
  standby_how: true,
};

/** Every kind of text message, for tests and tools that go through all of them. */
export const SMS_KINDS = Object.keys(KINDS) as readonly SmsKind[];

/** The free text a message inserts, which has to be shortened to keep the message within its budget. */
export type SmsField = 'centreName' | 'street' | 'city' | 'reason';

/**
 * The most characters of each inserted free text, per language (`reason`: a centre's note). With them
 * every Polish and English message naming one centre fits two GSM-7 segments even with a 30-character
 * web address; Ukrainian has only 134 UCS-2 units for two segments, so when a message would still be
 * longer its web address goes first, then the longest field shrinks further.
 */
export const SMS_FIELD_LIMITS = {
  pl: { centreName: 40, street: 32, city: 24, reason: 36 },
  en: { centreName: 40, street: 32, city: 24, reason: 36 },
  uk: { centreName: 32, street: 28, city: 20, reason: 28 },
} as const satisfies Record<Language, Record<SmsField, number>>;

/** The most segments a message naming one centre may take: two SMS are billed and reassembled reliably everywhere. */
export const SMS_MAX_SEGMENTS = 2;

/**
 * The most segments a message listing visits at two or three centres may take: each visit's own place
 * is worth a third segment (a person sent to the wrong address is worse than a longer message). So is
 * a cancellation offering other times: the offer saves the person a call.
 */
export const SMS_MAX_SEGMENTS_SEVERAL_PLACES = 3;

const ELLIPSIS = '…';

/** The most a template may leave out to fit (see `Filled.brief`). */
const BRIEFEST = 2;

/**
 * Free text on one line and at most `max` characters (UTF-16 units, the ellipsis included): cut at the last
 * word boundary in the second half of the room, otherwise within the word, and ended with `…`.
 */
export function fitField(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  if (max < 1) return '';
  const room = max - 1;
  let cut = clean.lastIndexOf(' ', room);
  if (cut < Math.ceil(room / 2)) cut = room;
  // Never split a surrogate pair: half an emoji is not a character.
  const code = clean.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${clean.slice(0, cut).replace(/[\s,;:.\-–—(/]+$/u, '')}${ELLIPSIS}`;
}

/**
 * A street shortened like fitField but keeping its last name and house number (`ul. Generała… Andersa 12`):
 * without the number the address no longer leads to the door.
 */
const fitStreet = (street: string, max: number): string => {
  const clean = street.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const words = clean.split(' ');
  const number = words.findIndex((word, i) => i >= 2 && /\d/.test(word));
  if (number < 0) return fitField(clean, max);
  const tail = words.slice(number - 1).join(' ');
  const head = fitField(words.slice(0, number - 1).join(' '), max - tail.length - 1);
  if (head.length >= 4) return `${head} ${tail}`;
  return tail.length <= max ? tail : fitField(clean, max);
};

const dayMonth = (date: LocalDate, field = 'date'): string => {
  if (!isValidLocalDate(date)) throw invalid('INVALID_DATE', `"${date}" is not a date in the form YYYY-MM-DD.`, field);
  return `${date.slice(8, 10)}.${date.slice(5, 7)}`;
};

const fullDate = (date: LocalDate, field = 'date'): string => `${dayMonth(date, field)}.${date.slice(0, 4)}`;

const clock = (time: LocalTime): string => {
  if (!isValidLocalTime(time)) throw invalid('INVALID_TIME', `"${time}" is not a time in the form HH:MM.`, 'time');
  return time;
};

const checkedVisits = (visits: SmsVisit[]): SmsVisit[] => {
  if (visits.length < 1 || visits.length > 3) {
    throw invalid('INVALID_VISITS', `A message tells of one to three visits, not ${visits.length}.`, 'visits');
  }
  return visits;
};

const sameCentre = (a: SmsCentre, b: SmsCentre): boolean =>
  a.name === b.name && a.street === b.street && a.city === b.city;

const offeredSlots = (rebook: SmsRebook | null | undefined): SmsSlot[] =>
  !rebook ? [] : rebook.kind === 'link' ? rebook.slots : [rebook.slot];

/** The distinct centres a message names, in the order its visits (then the slots it offers) come. */
function placesOf(input: SmsTemplateInput): SmsCentre[] {
  const centres =
    input.kind === 'cancelled'
      ? [input.visit.centre, ...offeredSlots(input.rebook).map((slot) => slot.centre)]
      : 'visits' in input
        ? input.visits.map((v) => v.centre)
        : 'visit' in input
          ? [input.visit.centre]
          : 'centre' in input
            ? [input.centre]
            : [];
  const places: SmsCentre[] = [];
  for (const centre of centres) if (!places.some((p) => sameCentre(p, centre))) places.push(centre);
  return places;
}

/** What a template fills in: the free text already shortened, the contact, and each centre on one line. */
interface Filled {
  /** Each centre named, on one line, in the order the visits come. */
  places: string[];
  /** The line of a visit's (or an offered slot's) centre. */
  placeOf: (visit: { centre: SmsCentre }) => string;
  reason: string;
  hotline: string;
  web: string | null;
  /**
   * How much a template leaves out, from 0 (nothing) to BRIEFEST: raised one step at a time while the
   * message does not fit, before any free text is shortened.
   */
  brief: number;
}

type Input<K extends SmsKind> = Extract<SmsTemplateInput, { kind: K }>;
type Catalogue = { [K in SmsKind]: (input: Input<K>, f: Filled) => string };

const lines = (...parts: Array<string | false>): string => parts.filter((p) => p !== false && p !== '').join('\n');

/** The words of a language that a cancellation offering other times is told in. */
interface RebookWords {
  /** Over the times offered: that they replace the cancelled visit, and for which dose. */
  heading: (count: number, dose: number) => string;
  /** An offered time's date and time. */
  at: (slot: SmsSlot) => string;
  /** Between two times at one centre. */
  or: string;
  /** After a time at the cancelled visit's own centre. */
  samePlace: string;
  /** After a time elsewhere, before its place. */
  otherPlace: string;
  /** Before the link that books the first time offered, by how many are offered. */
  link: (count: number) => string;
  reply: string;
  call: string;
}

/**
 * The times a cancellation offers, under a heading that says they replace the cancelled visit, one line
 * per centre (several times at one centre joined by "or"): each line says where its times are, at the
 * same centre as the cancelled visit or at another one, named on that line. Then how to take one: the
 * link (which opens the first time), YES/NO, or the hotline.
 */
const rebookLines = (i: Input<'cancelled'>, f: Filled, words: RebookWords): string[] => {
  const rebook = i.rebook;
  if (!rebook) return [];
  const slots = offeredSlots(rebook);
  const groups: SmsSlot[][] = [];
  for (const slot of slots) {
    const group = groups.find((g) => g[0] !== undefined && sameCentre(g[0].centre, slot.centre));
    if (group) group.push(slot);
    else groups.push([slot]);
  }
  const lineOf = (group: SmsSlot[]) => {
    const centre = (group[0] as SmsSlot).centre;
    const where = sameCentre(centre, i.visit.centre) ? words.samePlace : `${words.otherPlace}${f.placeOf({ centre })}`;
    return `${group.map(words.at).join(words.or)}${where}`;
  };
  const heading = words.heading(slots.length, i.visit.dose);
  return [
    ...(groups.length === 1
      ? [`${heading} ${lineOf(groups[0] as SmsSlot[])}`]
      : [heading, ...groups.map((g) => `- ${lineOf(g)}`)]),
    rebook.kind === 'reply'
      ? words.reply
      : rebook.link === null
        ? `${words.call}: ${f.hotline}`
        : `${words.link(slots.length)}: ${rebook.link}`,
  ];
};

/**
 * The visits of a message and where they are: at one centre, the visits and then its place; at several,
 * each visit followed by its own place, so nobody is sent to another visit's address.
 */
const visitLines = (visits: SmsVisit[], f: Filled, line: (v: SmsVisit) => string): string[] =>
  f.places.length <= 1
    ? [...checkedVisits(visits).map(line), f.places[0] ?? '']
    : checkedVisits(visits).flatMap((v) => [line(v), f.placeOf(v)]);

// Polish is written here with its letters; renderSms transliterates it, so it must read well without them.
const PL_EXAMPLE = 'SZCZEPIENIE 44051401359 00-950';
const plPeople = (n: number): string =>
  n === 1 ? 'osobę' : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 'osoby' : 'osób';
const plVisit = (v: SmsVisit): string => `dawka ${v.dose}: ${dayMonth(v.date)} o ${clock(v.time)}`;
const plCancel = (f: Filled): string =>
  `Aby odwołać, zadzwoń pod ${f.hotline}${f.web === null ? '' : ` lub wejdź na ${f.web}`}`;
const plReference = (reference: string): string => `Nr rezerwacji: ${reference}`;
const PL_REASONS: Record<SmsReasonCode, string> = {
  patient: 'na Twoją prośbę',
  hotline: 'na Twoją prośbę przez infolinię',
  centre: 'odwołane przez punkt szczepień',
  day_closed: 'punkt nieczynny tego dnia',
  hours_changed: 'punkt zmienił godziny pracy',
  dose_missed: 'nie przyjęto poprzedniej dawki',
};

const PL: Catalogue = {
  booked: (i, f) =>
    lines('Zarezerwowano szczepienie:', ...visitLines(i.visits, f, plVisit), plReference(i.reference), plCancel(f)),
  later_dose: (i, f) =>
    lines(
      'Zarezerwowano kolejną dawkę szczepienia:',
      ...visitLines(i.visits, f, plVisit),
      plReference(i.reference),
      plCancel(f),
    ),
  moved: (i, f) =>
    lines(
      `Przełożono szczepienie. ${i.visits.length === 1 ? 'Aktualny termin' : 'Aktualne terminy'}:`,
      ...visitLines(i.visits, f, plVisit),
      plReference(i.reference),
      plCancel(f),
    ),
  cancelled: (i, f) =>
    lines(
      'Odwołano szczepienie:',
      plVisit(i.visit),
      f.placeOf(i.visit),
      `Powód: ${PL_REASONS[i.reason.code]}${f.reason === '' ? '' : `: "${f.reason}"`}`,
      i.laterDosesToo && 'Odwołano też kolejne dawki.',
      ...(i.rebook
        ? rebookLines(i, f, {
            heading: (n, dose) => `Zamiast tego ${n === 1 ? 'wolny termin' : 'wolne terminy'} dawki ${dose}:`,
            at: (slot) => `${dayMonth(slot.date)} o ${clock(slot.time)}`,
            or: ' lub ',
            samePlace: ' w tym samym punkcie',
            otherPlace: ' w innym punkcie: ',
            link: (n) => (n === 1 ? 'Zarezerwuj' : 'Zarezerwuj pierwszy'),
            reply: 'Rezerwujemy? Odpowiedz TAK lub NIE.',
            call: 'Rezerwacja',
          })
        : [`Nowy termin: ${f.hotline}${f.web === null ? '' : ` lub ${f.web}`}`]),
    ),
  reminder: (i, f) =>
    lines(
      `Przypominamy: jutro, ${dayMonth(i.visit.date)} o ${clock(i.visit.time)}, szczepienie (dawka ${i.visit.dose}).`,
      f.placeOf(i.visit),
      plReference(i.reference),
      plCancel(f),
    ),
  offer: (i, f) =>
    lines(
      `Najbliższy wolny termin szczepienia: ${dayMonth(i.date)} o ${clock(i.time)}`,
      f.places[0] ?? '',
      'Rezerwujemy? Odpowiedz TAK lub NIE.',
    ),
  taken_offer: (i, f) =>
    lines(
      `Tamten termin został właśnie zajęty. Następny wolny: ${dayMonth(i.date)} o ${clock(i.time)}`,
      f.places[0] ?? '',
      'Rezerwujemy? Odpowiedz TAK lub NIE.',
    ),
  booked_reply: () => 'Zarezerwowano. Potwierdzenie ze szczegółami przyjdzie w osobnym SMS-ie.',
  no_slots: (_, f) =>
    `W najbliższych tygodniach nie ma wolnych terminów w pobliżu tego kodu pocztowego. Zadzwoń pod ${f.hotline}, pomożemy znaleźć termin.`,
  not_eligible: (i, f) =>
    i.eligibleFrom === null
      ? `Obecnie nie możesz zapisać się na szczepienie. Informacje: ${f.hotline}`
      : `Nie możesz jeszcze zapisać się na szczepienie. Zapisy będą dla Ciebie otwarte od ${fullDate(i.eligibleFrom, 'eligibleFrom')}${i.openingTime ? `, godz. ${clock(i.openingTime)}` : ''}.`,
  invalid_pesel: () =>
    `Brak prawidłowego numeru PESEL. Wyślij słowo SZCZEPIENIE, PESEL i kod pocztowy, np. ${PL_EXAMPLE}`,
  invalid_postal_code: () =>
    `Brak prawidłowego kodu pocztowego. Wyślij słowo SZCZEPIENIE, PESEL i kod pocztowy, np. ${PL_EXAMPLE}`,
  already_booked: (i, f) =>
    `Masz już zarezerwowane szczepienie: ${dayMonth(i.date)} o ${clock(i.time)}. Aby zmienić lub odwołać termin, zadzwoń pod ${f.hotline}${f.web === null ? '' : ` lub wejdź na ${f.web}`}`,
  visit_exists: (_, f) =>
    `Ta osoba ma już zapis na szczepienie lub szczepienia w rejestrze. Szczegóły i zmiany: zadzwoń pod ${f.hotline}${f.web === null ? '' : ` lub zaloguj się na ${f.web}`}`,
  phone_limit: (i, f) =>
    `Z tego numeru zapisano już dziś ${i.people} ${plPeople(i.people)}: tyle można w jeden dzień. Aby zapisać kolejną osobę, zadzwoń pod ${f.hotline}.`,
  booked_by_text: (i, f) =>
    `Ktoś zarezerwował dla Ciebie szczepienie SMS-em z numeru ${i.bookedBy}. Jeśli to nie Ty ani nikt z bliskich, zadzwoń pod ${f.hotline}.`,
  no_offer: () =>
    `Nie ma propozycji terminu, na którą można odpowiedzieć (mogła wygasnąć). Aby zacząć, wyślij słowo SZCZEPIENIE, PESEL i kod pocztowy, np. ${PL_EXAMPLE}`,
  help: (_, f) =>
    `Zapisy SMS-em: wyślij słowo SZCZEPIENIE, PESEL i kod pocztowy, np. ${PL_EXAMPLE}. Zaproponujemy najbliższy termin, a Ty odpowiesz TAK lub NIE. Pomoc: ${f.hotline}`,
  failed: (_, f) => `Coś poszło nie tak. Spróbuj ponownie później lub zadzwoń pod ${f.hotline}.`,
  // The waiting room
  queue_turn: (i, f) =>
    lines(
      `Twoja kolej w poczekalni zapisów na szczepienie. Masz ${i.minutes} min, by zarezerwować termin${f.web ? `: ${f.web}` : '.'}`,
      `Pomoc: ${f.hotline}`,
    ),
  // The standby list
  standby_offer: (i, f) =>
    lines(
      `Zwolnił się termin szczepienia: ${dayMonth(i.date)} o ${clock(i.time)}`,
      f.places[0] ?? '',
      `Czekamy do ${clock(i.until)}. Odpowiedz TAK lub NIE.`,
    ),
  standby_joined: (i, f) =>
    lines(
      `Jesteś na liście rezerwowej: ${dayMonth(i.from)}-${dayMonth(i.to)}, do ${i.maxKm} km. Gdy zwolni się termin, napiszemy.`,
      `Pomoc: ${f.hotline}`,
    ),
  standby_taken: (i, f) =>
    lines(
      `Termin ${dayMonth(i.date)} o ${clock(i.time)} jest Twój.`,
      f.places[0] ?? '',
      'Potwierdzenie wyślemy zaraz.',
    ),
  standby_passed: (_i, f) => lines('Termin przekazany dalej. Zostajesz na liście rezerwowej.', `Pomoc: ${f.hotline}`),
  standby_expired: (_i, f) =>
    lines('Brak odpowiedzi: termin przekazany dalej. Zostajesz na liście rezerwowej.', `Pomoc: ${f.hotline}`),
  standby_paused: (i, f) =>
    lines(
      `Brak odpowiedzi na ${i.offers} propozycje, więc zdjęliśmy Cię z listy rezerwowej.`,
      `Aby wrócić, napisz: REZERWA PESEL KOD. Pomoc: ${f.hotline}`,
    ),
  standby_closed: (_i, f) => lines('Ten termin nie jest już dla Ciebie zatrzymany.', `Pomoc: ${f.hotline}`),
  standby_how: (_i, f) =>
    lines(
      'Lista rezerwowa: wyślij słowo REZERWA, PESEL, kod pocztowy i ile km dojedziesz, np. REZERWA 44051401359 00-950 20',
      `Pomoc: ${f.hotline}`,
    ),
};

const EN_EXAMPLE = 'VACCINE 44051401359 00-950';
const enVisit = (v: SmsVisit): string => `dose ${v.dose}: ${dayMonth(v.date)} at ${clock(v.time)}`;
const enCancel = (f: Filled): string => `To cancel, call ${f.hotline}${f.web === null ? '' : ` or go to ${f.web}`}`;
const enReference = (reference: string): string => `Booking ref: ${reference}`;
const EN_REASONS: Record<SmsReasonCode, string> = {
  patient: 'at your request',
  hotline: 'at your request, by phone',
  centre: 'by the vaccination centre',
  day_closed: 'centre closed that day',
  hours_changed: 'centre opening hours changed',
  dose_missed: 'the previous dose was not given',
};

const EN: Catalogue = {
  booked: (i, f) =>
    lines('Vaccination booked:', ...visitLines(i.visits, f, enVisit), enReference(i.reference), enCancel(f)),
  later_dose: (i, f) =>
    lines('Next dose booked:', ...visitLines(i.visits, f, enVisit), enReference(i.reference), enCancel(f)),
  moved: (i, f) =>
    lines(
      'Your vaccination was rescheduled. Now:',
      ...visitLines(i.visits, f, enVisit),
      enReference(i.reference),
      enCancel(f),
    ),
  cancelled: (i, f) =>
    lines(
      'Vaccination cancelled:',
      enVisit(i.visit),
      f.placeOf(i.visit),
      `Reason: ${EN_REASONS[i.reason.code]}${f.reason === '' ? '' : `: "${f.reason}"`}`,
      i.laterDosesToo && 'Later doses cancelled too.',
      ...(i.rebook
        ? rebookLines(i, f, {
            heading: (n, dose) => `Instead, ${n === 1 ? 'a free slot' : 'free slots'} for dose ${dose}:`,
            at: (slot) => `${dayMonth(slot.date)} at ${clock(slot.time)}`,
            or: ' or ',
            samePlace: ', same centre',
            otherPlace: ', other centre: ',
            link: (n) => (n === 1 ? 'Book' : 'Book the first'),
            reply: 'Book it? Reply YES or NO.',
            call: 'To book',
          })
        : [`To book again: ${f.hotline}${f.web === null ? '' : ` or ${f.web}`}`]),
    ),
  reminder: (i, f) =>
    lines(
      `Reminder: your vaccination (dose ${i.visit.dose}) is tomorrow, ${dayMonth(i.visit.date)}, at ${clock(i.visit.time)}.`,
      f.placeOf(i.visit),
      enReference(i.reference),
      enCancel(f),
    ),
  offer: (i, f) =>
    lines(
      `Soonest free vaccination slot: ${dayMonth(i.date)} at ${clock(i.time)}`,
      f.places[0] ?? '',
      'Book it? Reply YES or NO.',
    ),
  taken_offer: (i, f) =>
    lines(
      `That slot has just been taken. Next free one: ${dayMonth(i.date)} at ${clock(i.time)}`,
      f.places[0] ?? '',
      'Book it? Reply YES or NO.',
    ),
  booked_reply: () => 'Booked. A confirmation with the details follows in a separate SMS.',
  no_slots: (_, f) =>
    `There are no free vaccination slots near this postal code in the coming weeks. Call ${f.hotline} and we will help you find one.`,
  not_eligible: (i, f) =>
    i.eligibleFrom === null
      ? `You cannot book a vaccination at the moment. Information: ${f.hotline}`
      : `You cannot book a vaccination yet. You can book from ${fullDate(i.eligibleFrom, 'eligibleFrom')}${i.openingTime ? ` at ${clock(i.openingTime)}` : ''}.`,
  invalid_pesel: () => `We need a valid PESEL number. Send VACCINE, your PESEL and postal code, e.g. ${EN_EXAMPLE}`,
  invalid_postal_code: () =>
    `We need a valid postal code. Send VACCINE, your PESEL and postal code, e.g. ${EN_EXAMPLE}`,
  already_booked: (i, f) =>
    `You already have a vaccination booked: ${dayMonth(i.date)} at ${clock(i.time)}. To change or cancel it, call ${f.hotline}${f.web === null ? '' : ` or go to ${f.web}`}`,
  visit_exists: (_, f) =>
    `This person already has a vaccination booked or on record. For details or changes, call ${f.hotline}${f.web === null ? '' : ` or log in at ${f.web}`}`,
  phone_limit: (i, f) =>
    `This number has already booked for ${i.people} ${i.people === 1 ? 'person' : 'people'} today, the most allowed in a day. To book for anyone else, call ${f.hotline}.`,
  booked_by_text: (i, f) =>
    `A vaccination was booked for you by text message from ${i.bookedBy}. If it was not you or someone close to you, call ${f.hotline}.`,
  no_offer: () =>
    `There is no slot proposal to answer (it may have expired). To start, send VACCINE, your PESEL and postal code, e.g. ${EN_EXAMPLE}`,
  help: (_, f) =>
    `To book a vaccination by SMS, send VACCINE, your PESEL and postal code, e.g. ${EN_EXAMPLE}. We propose the soonest slot and you reply YES or NO. Help: ${f.hotline}`,
  failed: (_, f) => `Something went wrong. Please try again later or call ${f.hotline}.`,
  // The waiting room
  queue_turn: (i, f) =>
    lines(
      `It is your turn in the vaccination waiting room. You have ${i.minutes} min to book${f.web ? `: ${f.web}` : '.'}`,
      `Help: ${f.hotline}`,
    ),
  // The standby list
  standby_offer: (i, f) =>
    lines(
      `A vaccination place has freed up: ${dayMonth(i.date)} at ${clock(i.time)}`,
      f.places[0] ?? '',
      `Held for you until ${clock(i.until)}. Reply YES or NO.`,
    ),
  standby_joined: (i, f) =>
    lines(
      `You are on the standby list: ${dayMonth(i.from)}-${dayMonth(i.to)}, up to ${i.maxKm} km. We will text you when a place frees up.`,
      `Help: ${f.hotline}`,
    ),
  standby_taken: (i, f) =>
    lines(`The place on ${dayMonth(i.date)} at ${clock(i.time)} is yours.`, f.places[0] ?? '', 'Confirmation follows.'),
  standby_passed: (_i, f) => lines('Place passed on. You stay on the standby list.', `Help: ${f.hotline}`),
  standby_expired: (_i, f) =>
    lines('No answer: the place went to the next person. You stay on the standby list.', `Help: ${f.hotline}`),
  standby_paused: (i, f) =>
    lines(
      `${i.offers} offers went unanswered, so you are off the standby list.`,
      `To rejoin, text STANDBY PESEL POSTCODE. Help: ${f.hotline}`,
    ),
  standby_closed: (_i, f) => lines('That place is no longer held for you.', `Help: ${f.hotline}`),
  standby_how: (_i, f) =>
    lines(
      'Standby list: send STANDBY, your PESEL, postal code and how many km you would travel, e.g. STANDBY 44051401359 00-950 20',
      `Help: ${f.hotline}`,
    ),
};

// Ukrainian is UCS-2, so two segments hold only 134 characters: every word here has to earn its place.
const UK_EXAMPLE = 'ЩЕПЛЕННЯ 44051401359 00-950';
const ukVisit = (v: SmsVisit): string => `${dayMonth(v.date)} ${clock(v.time)}`;
const ukSlot = (slot: SmsSlot): string => `${dayMonth(slot.date)} ${clock(slot.time)}`;
const ukCancel = (f: Filled): string => `Скасувати: ${f.hotline}${f.web === null ? '' : ` або ${f.web}`}`;
const ukReference = (reference: string): string => `Код: ${reference}`;
const UK_REASONS: Record<SmsReasonCode, string> = {
  patient: 'на ваше прохання',
  hotline: 'на ваше прохання телефоном',
  centre: 'пункт щеплення',
  day_closed: 'пункт зачинено',
  hours_changed: 'пункт змінив години роботи',
  dose_missed: 'попередню дозу не введено',
};

const UK: Catalogue = {
  booked: (i, f) =>
    lines('Записано на щеплення:', ...visitLines(i.visits, f, ukVisit), ukReference(i.reference), ukCancel(f)),
  later_dose: (i, f) =>
    lines(
      i.visits.length === 1 ? `Записано на дозу ${i.visits[0]?.dose}:` : 'Записано на щеплення:',
      ...visitLines(i.visits, f, ukVisit),
      ukReference(i.reference),
      ukCancel(f),
    ),
  moved: (i, f) =>
    lines('Щеплення перенесено на:', ...visitLines(i.visits, f, ukVisit), ukReference(i.reference), ukCancel(f)),
  cancelled: (i, f) =>
    lines(
      `Скасовано: ${ukVisit(i.visit)}${i.laterDosesToo ? ' і наступні дози' : ''}`,
      // UCS-2 is short: with another time offered, first the place of the visit cancelled gives way (the
      // time offered says "the same place" or names its own), then the reason: where to go comes first.
      !(i.rebook && f.brief >= 1) && f.placeOf(i.visit),
      // A centre's own words, when it gave them, say it alone.
      !(i.rebook && f.brief >= 2) && `Причина: ${f.reason === '' ? UK_REASONS[i.reason.code] : `«${f.reason}»`}`,
      ...(i.rebook
        ? rebookLines(i, f, {
            heading: () => 'Натомість вільно:',
            at: ukSlot,
            or: ' або ',
            samePlace: ', там само',
            otherPlace: ', ',
            link: () => 'Запис',
            reply: 'Записати? ТАК або НІ',
            call: 'Запис',
          })
        : [`Запис: ${f.hotline}${f.web === null ? '' : ` або ${f.web}`}`]),
    ),
  reminder: (i, f) =>
    lines(`Завтра щеплення: ${ukVisit(i.visit)}`, f.placeOf(i.visit), ukReference(i.reference), ukCancel(f)),
  offer: (i, f) =>
    lines(
      `Найближчий вільний час: ${dayMonth(i.date)} ${clock(i.time)}`,
      f.places[0] ?? '',
      'Записати? Відповідь ТАК або НІ',
    ),
  taken_offer: (i, f) =>
    lines(
      `Цей час уже зайняли. Наступний: ${dayMonth(i.date)} ${clock(i.time)}`,
      f.places[0] ?? '',
      'Записати? ТАК або НІ',
    ),
  booked_reply: () => 'Записано. Підтвердження надійде окремим SMS.',
  no_slots: (_, f) =>
    `Найближчими тижнями немає вільного часу біля цього індексу. Зателефонуйте ${f.hotline}, допоможемо.`,
  not_eligible: (i, f) =>
    i.eligibleFrom === null
      ? `Зараз ви не можете записатися на щеплення. Довідки: ${f.hotline}`
      : `Записатися ще не можна. Запис для вас відкриється ${fullDate(i.eligibleFrom, 'eligibleFrom')}${i.openingTime ? ` о ${clock(i.openingTime)}` : ''}.`,
  invalid_pesel: () => `Потрібен правильний PESEL. Надішліть ЩЕПЛЕННЯ, PESEL та індекс, напр. ${UK_EXAMPLE}`,
  invalid_postal_code: () => `Потрібен правильний поштовий індекс. Надішліть, напр.: ${UK_EXAMPLE}`,
  already_booked: (i, f) =>
    `Ви вже записані: ${dayMonth(i.date)} ${clock(i.time)}. Змінити чи скасувати: ${f.hotline}${f.web === null ? '' : ` або ${f.web}`}`,
  visit_exists: (_, f) =>
    `Ця особа вже має запис або щеплення в реєстрі. Деталі: ${f.hotline}${f.web === null ? '' : ` або ${f.web}`}`,
  phone_limit: (i, f) =>
    `З цього номера сьогодні вже записано осіб: ${i.people}. Це максимум на день. Інших записуйте: ${f.hotline}`,
  booked_by_text: (i, f) =>
    `Вас записали на щеплення SMS-ом з номера ${i.bookedBy}. Якщо це не ви чи ваші близькі, телефонуйте ${f.hotline}`,
  no_offer: () => `Немає пропозиції, на яку можна відповісти. Щоб почати, надішліть, напр.: ${UK_EXAMPLE}`,
  help: () =>
    `Щоб записатися, надішліть ЩЕПЛЕННЯ, PESEL та індекс, напр. ${UK_EXAMPLE}. На пропозицію відповідайте ТАК або НІ.`,
  failed: (_, f) => `Щось пішло не так. Спробуйте пізніше або зателефонуйте ${f.hotline}.`,
  // The waiting room
  queue_turn: (i, f) =>
    lines(
      `Ваша черга на щеплення. Маєте ${i.minutes} хв на запис${f.web ? `: ${f.web}` : '.'}`,
      `Довідка: ${f.hotline}`,
    ),
  // The standby list
  standby_offer: (i, f) =>
    lines(`Звільнився час: ${ukSlot(i)}`, f.places[0] ?? '', `Чекаємо до ${clock(i.until)}. Відповідь ТАК або НІ.`),
  standby_joined: (i, f) =>
    lines(`Ви в резерві: ${dayMonth(i.from)}-${dayMonth(i.to)}, до ${i.maxKm} км.`, `Довідка: ${f.hotline}`),
  standby_taken: (i, f) => lines(`Час ${ukSlot(i)} ваш.`, f.places[0] ?? '', 'Підтвердження надійде.'),
  standby_passed: (_i, f) => lines('Час передано далі. Ви в резерві.', `Довідка: ${f.hotline}`),
  standby_expired: (_i, f) => lines('Немає відповіді: час передано далі. Ви в резерві.', `Довідка: ${f.hotline}`),
  standby_paused: (i, f) =>
    lines(`${i.offers} пропозиції без відповіді: вас знято з резерву.`, `Знову: РЕЗЕРВ PESEL ІНДЕКС. ${f.hotline}`),
  standby_closed: (_i, f) => lines('Цей час уже не тримаємо для вас.', `Довідка: ${f.hotline}`),
  standby_how: (_i, f) =>
    lines('Резерв: РЕЗЕРВ PESEL індекс км, напр. РЕЗЕРВ 44051401359 00-950 20', `Довідка: ${f.hotline}`),
};

const CATALOGUES: Record<Language, Catalogue> = { pl: PL, en: EN, uk: UK };

/**
 * Keeps a Polish or English message GSM-7 whatever a person typed into its free text: letters with other
 * diacritics lose them (č → c), and what has no Latin look-alike (Cyrillic, emoji) becomes `?`.
 */
const asGsm7 = (text: string): string => {
  let out = '';
  for (const char of toGsm7Text(text)) {
    if (isGsm7Char(char)) out += char;
    else {
      const bare = char.normalize('NFD').replace(/\p{M}/gu, '');
      out += bare !== '' && [...bare].every(isGsm7Char) ? bare : '?';
    }
  }
  return out;
};

/** An inserted free text: which field it is, and of which centre (its index among the message's places). */
type FieldKey = `${SmsField}.${number}`;
const fieldOf = (key: FieldKey): SmsField => key.slice(0, key.indexOf('.')) as SmsField;

const freeTextOf = (input: SmsTemplateInput, places: SmsCentre[]): Partial<Record<FieldKey, string>> => {
  const fields: Partial<Record<FieldKey, string>> = {};
  places.forEach((centre, i) => {
    // A name that ends with its town ("Przychodnia Nr 2, Warszawa") does not say the town twice.
    const town = `, ${centre.city.trim()}`;
    const name = centre.name.trim();
    fields[`centreName.${i}`] = town.length > 2 && name.endsWith(town) ? name.slice(0, -town.length) : name;
    fields[`street.${i}`] = centre.street;
    fields[`city.${i}`] = centre.city;
  });
  if (input.kind === 'cancelled' && input.reason.note !== null) fields['reason.0'] = input.reason.note;
  return fields;
};

/**
 * The text of a message in a language. Inserted free text is cut to SMS_FIELD_LIMITS; should the message
 * still need more than its segments (two; three when it lists visits at several centres or offers other
 * times), the web address is left out (the hotline stays), then what the template marks as dispensable
 * (`brief`), then the longest field is shortened until it fits.
 */
export function renderSms(input: SmsTemplateInput, language: Language): string {
  // The catalogue holds a template for each kind; TypeScript cannot tie the looked-up one to the input's kind.
  const template = CATALOGUES[language][input.kind] as (input: SmsTemplateInput, f: Filled) => string;
  const places = placesOf(input);
  const sources = freeTextOf(input, places);
  const names = Object.keys(sources) as FieldKey[];
  const caps: Partial<Record<FieldKey, number>> = {};
  for (const name of names) caps[name] = SMS_FIELD_LIMITS[language][fieldOf(name)];
  const hotline = input.contact.hotline.trim();
  let web = input.contact.web?.trim() || null;
  let brief = 0;
  const offers = input.kind === 'cancelled' && input.rebook ? 1 : 0;
  const budget = places.length + offers > 1 ? SMS_MAX_SEGMENTS_SEVERAL_PLACES : SMS_MAX_SEGMENTS;

  const fitted = (): Partial<Record<FieldKey, string>> => {
    const out: Partial<Record<FieldKey, string>> = {};
    for (const name of names) {
      out[name] = (fieldOf(name) === 'street' ? fitStreet : fitField)(sources[name] ?? '', caps[name] ?? 0);
    }
    return out;
  };
  const compose = (fields: Partial<Record<FieldKey, string>>): string => {
    const lineOf = (i: number) =>
      [fields[`centreName.${i}`], fields[`street.${i}`], fields[`city.${i}`]]
        .filter((p) => p !== undefined && p !== '')
        .join(', ');
    const placeLines = places.map((_, i) => lineOf(i));
    const placeOf = (visit: { centre: SmsCentre }) =>
      placeLines[places.findIndex((p) => sameCentre(p, visit.centre))] ?? '';
    const reason = fields['reason.0'] ?? '';
    const text = template(input, { places: placeLines, placeOf, reason, hotline, web, brief });
    return language === 'uk' ? text : asGsm7(text);
  };
  const fits = (text: string): boolean => smsSegments(text).segments <= budget;

  let fields = fitted();
  let text = compose(fields);
  if (fits(text)) return text;
  if (web !== null) {
    web = null;
    text = compose(fields);
  }
  while (!fits(text) && brief < BRIEFEST) {
    brief += 1;
    text = compose(fields);
  }
  while (!fits(text)) {
    let longest: FieldKey | null = null;
    for (const name of names) {
      const length = fields[name]?.length ?? 0;
      if (length > 1 && (longest === null || length > (fields[longest]?.length ?? 0))) longest = name;
    }
    // Only the fixed text and the hotline are left, which cannot be shortened without losing the message.
    if (longest === null) return text;
    caps[longest] = (fields[longest]?.length ?? 1) - 1;
    fields = fitted();
    text = compose(fields);
  }
  return text;
}
