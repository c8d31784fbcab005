import type { Language } from '@ereg/shared';
import type { DemoCitizen } from '../demo/demo-data.ts';
import { pageCsp } from '../http/security-headers.ts';
import { PAGE_LANGUAGES } from './page-language.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:36rem;margin:1rem auto 1.5rem;padding:0 1rem;line-height:1.5;color:#1b1b1b}
h1{font-size:1.5rem}ul{list-style:none;padding:0}li{margin:.5rem 0}
button{font:inherit;padding:.6rem 1rem;border:2px solid #0b3d91;background:#0b3d91;color:#fff;border-radius:.4rem;cursor:pointer;text-align:left}
button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #ffb000;outline-offset:2px}
.languages ul{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:.25rem 1rem;margin:0}.languages li{margin:0}
.languages a{color:#0b3d91;padding:.2rem 0}.languages a[aria-current]{color:#1b1b1b;font-weight:700;text-decoration:none}
.pesel{display:block;color:#444;font-size:.9rem}
label{display:block;font-weight:600;margin-bottom:.3rem}
input[type=text]{font:inherit;padding:.5rem;border:2px solid #555;border-radius:.3rem;width:100%;box-sizing:border-box}
.error{color:#a30000;font-weight:600}
.note{background:#fff6d6;border-left:4px solid #8a6d00;padding:.5rem .8rem}
a.choice{display:block;padding:.6rem .8rem;border:2px solid #0b3d91;border-radius:.4rem;font-weight:600;min-height:44px}
`;

/** The page's policy: its own inline style, by hash, and nothing else inline. */
export const DEV_IDP_LOGIN_PAGE_CSP = pageCsp({ styles: [STYLE] });

interface Texts {
  title: string;
  heading: string;
  note: string;
  demoCitizens: string;
  someoneElse: string;
  peselLabel: string;
  logIn: string;
  /** How old a person is, after their name. */
  age: (years: number) => string;
  /** Why a typed PESEL was refused, by the code of the domain's error. */
  peselErrors: Record<'INVALID_PESEL_FORMAT' | 'INVALID_PESEL_DATE' | 'INVALID_PESEL_CHECKSUM', string>;
  notAPesel: string;
  staff: {
    title: string;
    heading: string;
    note: string;
    searchLabel: string;
    searchHint: string;
    search: string;
    centres: string;
    noCentres: string;
    staffOf: (centre: string) => string;
    noStaff: string;
    otherCentre: string;
  };
  hotline: {
    title: string;
    heading: string;
    note: string;
    agents: string;
    supervisors: string;
  };
  reports: {
    title: string;
    heading: string;
    note: string;
    analysts: string;
    admins: string;
  };
}

/** Years in a language's plural forms (`one`, `few`, `many`, `other`, as Intl.PluralRules names them). */
const years = (locale: string, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }) => {
  const rules = new Intl.PluralRules(locale);
  return (n: number) => `${n} ${forms[rules.select(n)] ?? forms.other}`;
};

const TEXTS: Record<Language, Texts> = {
  pl: {
    title: 'Logowanie — testowy dostawca tożsamości',
    heading: 'Zaloguj się przez testowego dostawcę tożsamości',
    note: 'Ta strona zastępuje Profil Zaufany tylko na tym komputerze. Osoba, którą wybierzesz, zostanie zalogowana bez hasła.',
    demoCitizens: 'Osoby testowe',
    someoneElse: 'Ktoś inny',
    peselLabel: 'PESEL (11 cyfr)',
    logIn: 'Zaloguj się',
    age: years('pl', { one: 'rok', few: 'lata', many: 'lat', other: 'roku' }),
    peselErrors: {
      INVALID_PESEL_FORMAT: 'PESEL musi mieć dokładnie 11 cyfr.',
      INVALID_PESEL_DATE: 'Ten PESEL nie zawiera prawdziwej daty urodzenia. Sprawdź pierwsze sześć cyfr.',
      INVALID_PESEL_CHECKSUM:
        'Cyfra kontrolna (ostatnia) nie zgadza się z pozostałymi. Prawdopodobnie jedna z cyfr jest wpisana błędnie.',
    },
    notAPesel: 'To nie jest numer PESEL.',
    staff: {
      title: 'Logowanie personelu — testowy dostawca tożsamości',
      heading: 'Zaloguj się jako pracownik punktu szczepień',
      note: 'Ta strona zastępuje logowanie personelu tylko na tym komputerze. Osoba, którą wybierzesz, zostanie zalogowana bez hasła.',
      searchLabel: 'Punkt szczepień',
      searchHint: 'Nazwa lub miejscowość, np. Kraków',
      search: 'Szukaj',
      centres: 'Punkty szczepień',
      noCentres: 'Żaden punkt nie pasuje do wyszukiwania.',
      staffOf: (centre) => `Personel: ${centre}`,
      noStaff: 'Ten punkt nie ma jeszcze personelu.',
      otherCentre: 'Wybierz inny punkt',
    },
    hotline: {
      title: 'Logowanie infolinii — testowy dostawca tożsamości',
      heading: 'Zaloguj się jako konsultant lub koordynator infolinii',
      note: 'Ta strona zastępuje logowanie z drugim składnikiem tylko na tym komputerze. Osoba, którą wybierzesz, zostanie zalogowana bez hasła.',
      agents: 'Konsultanci',
      supervisors: 'Koordynatorzy (inspektor ochrony danych)',
    },
    reports: {
      title: 'Logowanie do raportów — testowy dostawca tożsamości',
      heading: 'Zaloguj się jako analityk lub administrator ministerstwa',
      note: 'Ta strona zastępuje logowanie do raportów tylko na tym komputerze. Osoba, którą wybierzesz, zostanie zalogowana bez hasła.',
      analysts: 'Analitycy',
      admins: 'Administratorzy',
    },
  },
  en: {
    title: 'Log in — development identity provider',
    heading: 'Log in with the development identity provider',
    note: 'This page stands in for the national trusted profile on this machine only. Whoever you choose is logged in without a password.',
    demoCitizens: 'Demo citizens',
    someoneElse: 'Someone else',
    peselLabel: 'PESEL (11 digits)',
    logIn: 'Log in',
    age: (n) => `age ${n}`,
    peselErrors: {
      INVALID_PESEL_FORMAT: 'A PESEL must be exactly 11 digits.',
      INVALID_PESEL_DATE: 'This PESEL does not hold a real date of birth. Check the first six digits.',
      INVALID_PESEL_CHECKSUM:
        'The check digit (the last one) does not match the others. One of the digits is probably mistyped.',
    },
    notAPesel: 'This is not a PESEL.',
    staff: {
      title: 'Staff log in — development identity provider',
      heading: 'Log in as a vaccination centre’s staff member',
      note: 'This page stands in for the staff sign-in on this machine only. Whoever you choose is logged in without a password.',
      searchLabel: 'Vaccination centre',
      searchHint: 'Name or town, e.g. Kraków',
      search: 'Search',
      centres: 'Vaccination centres',
      noCentres: 'No centre matches the search.',
      staffOf: (centre) => `Staff of ${centre}`,
      noStaff: 'This centre has no staff yet.',
      otherCentre: 'Choose another centre',
    },
    hotline: {
      title: 'Hotline log in — development identity provider',
      heading: 'Log in as a hotline agent or supervisor',
      note: 'This page stands in for the sign-in with a second factor on this machine only. Whoever you choose is logged in without a password.',
      agents: 'Agents',
      supervisors: 'Supervisors (privacy officers)',
    },
    reports: {
      title: 'Reports log in — development identity provider',
      heading: 'Log in as a ministry analyst or administrator',
      note: 'This page stands in for the reports’ sign-in on this machine only. Whoever you choose is logged in without a password.',
      analysts: 'Analysts',
      admins: 'Administrators',
    },
  },
  uk: {
    title: 'Вхід — тестовий сервіс ідентифікації',
    heading: 'Увійдіть через тестовий сервіс ідентифікації',
    note: 'Ця сторінка замінює Довірений профіль (Profil Zaufany) лише на цьому комп’ютері. Обрана вами особа входить без пароля.',
    demoCitizens: 'Тестові особи',
    someoneElse: 'Інша особа',
    peselLabel: 'PESEL (11 цифр)',
    logIn: 'Увійти',
    age: years('uk', { one: 'рік', few: 'роки', many: 'років', other: 'року' }),
    peselErrors: {
      INVALID_PESEL_FORMAT: 'PESEL має складатися рівно з 11 цифр.',
      INVALID_PESEL_DATE: 'Цей PESEL не містить справжньої дати народження. Перевірте перші шість цифр.',
      INVALID_PESEL_CHECKSUM:
        'Контрольна (остання) цифра не збігається з іншими. Імовірно, одну з цифр введено з помилкою.',
    },
    notAPesel: 'Це не номер PESEL.',
    staff: {
      title: 'Вхід персоналу — тестовий сервіс ідентифікації',
      heading: 'Увійдіть як працівник пункту щеплень',
      note: 'Ця сторінка замінює вхід персоналу лише на цьому комп’ютері. Обрана вами особа входить без пароля.',
      searchLabel: 'Пункт щеплень',
      searchHint: 'Назва або місто, напр. Kraków',
      search: 'Шукати',
      centres: 'Пункти щеплень',
      noCentres: 'Жоден пункт не відповідає пошуку.',
      staffOf: (centre) => `Персонал: ${centre}`,
      noStaff: 'У цьому пункті ще немає персоналу.',
      otherCentre: 'Обрати інший пункт',
    },
    hotline: {
      title: 'Вхід гарячої лінії — тестовий сервіс ідентифікації',
      heading: 'Увійдіть як оператор або керівник гарячої лінії',
      note: 'Ця сторінка замінює вхід із другим фактором лише на цьому комп’ютері. Обрана вами особа входить без пароля.',
      agents: 'Оператори',
      supervisors: 'Керівники (інспектори із захисту даних)',
    },
    reports: {
      title: 'Вхід до звітів — тестовий сервіс ідентифікації',
      heading: 'Увійдіть як аналітик або адміністратор міністерства',
      note: 'Ця сторінка замінює вхід до звітів лише на цьому комп’ютері. Обрана вами особа входить без пароля.',
      analysts: 'Аналітики',
      admins: 'Адміністратори',
    },
  },
};

/** How old someone born on `birthDate` (YYYY-MM-DD) is on `today`: the birthday counts once it has come. */
function fullYears(birthDate: string, today: Date): number {
  const [year = 0, month = 1, day = 1] = birthDate.split('-').map(Number);
  const beforeBirthday = today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day);
  return today.getFullYear() - year - (beforeBirthday ? 1 : 0);
}

/** Each language's name in itself, for the switch (as the patients' app names them). */
const LANGUAGE_NAMES: Record<Language, string> = { pl: 'Polski', en: 'English', uk: 'Українська' };

/** Why a typed PESEL was refused, in the page's language; any other error reads as "not a PESEL". */
export function peselErrorText(language: Language, code: string | undefined): string {
  const texts = TEXTS[language];
  return code !== undefined && code in texts.peselErrors
    ? texts.peselErrors[code as keyof Texts['peselErrors']]
    : texts.notAPesel;
}

/**
 * The development identity provider's login page (local only): choose a demo citizen, or give any
 * valid PESEL; the provider then sends the browser back to the app with a signed assertion, as a
 * national trusted-profile service would. It is written in the language asked for, with a switch to
 * the others that keeps where the browser goes back to.
 */
export function devIdpLoginPage(options: {
  returnTo: string;
  language: Language;
  people: readonly DemoCitizen[];
  /** The PESEL typed and the code of the error it was refused with. */
  error?: { pesel: string; code: string | undefined };
}): string {
  const { language } = options;
  const t = TEXTS[language];
  const returnTo = escapeHtml(options.returnTo);
  // Both forms carry the language, so a page shown again (a mistyped PESEL) stays in it.
  const hidden = `<input type="hidden" name="return" value="${returnTo}"><input type="hidden" name="ui_locales" value="${language}">`;
  const person = (p: DemoCitizen) => {
    const age = fullYears(p.birthDate, new Date());
    return `<li><form method="post" action="/dev-idp/login">${hidden}
<input type="hidden" name="pesel" value="${p.pesel}"><button type="submit">${escapeHtml(p.givenName)} ${escapeHtml(p.familyName)}, ${t.age(age)}</button>
<span class="pesel">PESEL ${p.pesel}</span></form></li>`;
  };
  const switchTo = (other: Language) => {
    const href = `/dev-idp/login?${new URLSearchParams({ return: options.returnTo, ui_locales: other })}`;
    const current = other === language ? ' aria-current="true"' : '';
    return `<li><a href="${escapeHtml(href)}" lang="${other}" hreflang="${other}"${current}>${LANGUAGE_NAMES[other]}</a></li>`;
  };
  const error = options.error;
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head><body>
<nav class="languages" aria-label="Język · Language · Мова"><ul>${PAGE_LANGUAGES.map(switchTo).join('')}</ul></nav>
<main>
<h1>${t.heading}</h1>
<p class="note">${t.note}</p>
<h2>${t.demoCitizens}</h2>
<ul>${options.people.map(person).join('\n')}</ul>
<h2>${t.someoneElse}</h2>
<form method="post" action="/dev-idp/login" novalidate>
${hidden}
<label for="pesel">${t.peselLabel}</label>
<input type="text" id="pesel" name="pesel" inputmode="numeric" autocomplete="off" value="${escapeHtml(error?.pesel ?? '')}"${
    error ? ' aria-invalid="true" aria-describedby="pesel-error"' : ''
  }>
${error ? `<p id="pesel-error" class="error" role="alert">${peselErrorText(language, error.code)}</p>` : ''}
<p><button type="submit">${t.logIn}</button></p>
</form>
</main>
</body></html>`;
}

/** A centre as the staff login page lists it. */
export interface StaffPageCentre {
  id: string;
  name: string;
  city: string;
}

/** Folds case and Polish (and other) diacritics away, so that "krakow" finds "Kraków". */
const folded = (text: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/Ł/g, 'L').toLowerCase();

/** The centres whose name or town holds every word of the query, by name; at most `limit`. */
export function matchingCentres<C extends StaffPageCentre>(centres: readonly C[], query: string, limit = 20): C[] {
  const words = folded(query).split(/\s+/).filter(Boolean);
  return centres
    .filter((c) => {
      const text = folded(`${c.name} ${c.city}`);
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'pl'))
    .slice(0, limit);
}

/**
 * The provider's page for centre staff (local only): find a centre by name or town, choose it, then
 * choose one of its staff members; the provider then sends the browser back to the centres' app with a
 * session token, as the cloud's sign-in would. Plain HTML forms, in the language asked for.
 */
export function devIdpStaffPage(options: {
  returnTo: string;
  language: Language;
  query: string;
  /** The centres found for the query (or the first ones, when there is none). */
  centres: readonly StaffPageCentre[];
  /** The centre chosen, with its staff. */
  chosen?: { centre: StaffPageCentre; staff: ReadonlyArray<{ id: string; name: string }> };
}): string {
  const { language, chosen } = options;
  const t = TEXTS[language];
  const s = t.staff;
  const returnTo = escapeHtml(options.returnTo);
  const pageUrl = (params: Record<string, string>) =>
    escapeHtml(
      `/dev-idp/login/staff?${new URLSearchParams({ return: options.returnTo, ui_locales: language, ...params })}`,
    );
  const switchTo = (other: Language) => {
    const params: Record<string, string> = { return: options.returnTo, ui_locales: other };
    if (options.query) params.q = options.query;
    if (chosen) params.centreId = chosen.centre.id;
    const href = `/dev-idp/login/staff?${new URLSearchParams(params)}`;
    const current = other === language ? ' aria-current="true"' : '';
    return `<li><a href="${escapeHtml(href)}" lang="${other}" hreflang="${other}"${current}>${LANGUAGE_NAMES[other]}</a></li>`;
  };
  const centre = (c: StaffPageCentre) =>
    `<li><a class="choice" href="${pageUrl({ q: options.query, centreId: c.id })}">${escapeHtml(c.name)}<span class="pesel">${escapeHtml(c.city)}</span></a></li>`;
  const member = (m: { id: string; name: string }) =>
    `<li><form method="post" action="/dev-idp/login/staff"><input type="hidden" name="return" value="${returnTo}"><input type="hidden" name="ui_locales" value="${language}"><input type="hidden" name="staffId" value="${escapeHtml(m.id)}"><button type="submit">${escapeHtml(m.name)}</button></form></li>`;
  const body = chosen
    ? `<h2>${escapeHtml(s.staffOf(chosen.centre.name))}</h2>
<p>${escapeHtml(chosen.centre.city)}</p>
${chosen.staff.length ? `<ul>${chosen.staff.map(member).join('\n')}</ul>` : `<p>${s.noStaff}</p>`}
<p><a href="${pageUrl({ q: options.query })}">${s.otherCentre}</a></p>`
    : `<form method="get" action="/dev-idp/login/staff" role="search">
<input type="hidden" name="return" value="${returnTo}"><input type="hidden" name="ui_locales" value="${language}">
<label for="q">${s.searchLabel}</label>
<p id="q-hint" class="pesel">${s.searchHint}</p>
<input type="text" id="q" name="q" autocomplete="off" aria-describedby="q-hint" value="${escapeHtml(options.query)}">
<p><button type="submit">${s.search}</button></p>
</form>
<h2>${s.centres}</h2>
${options.centres.length ? `<ul>${options.centres.map(centre).join('\n')}</ul>` : `<p>${s.noCentres}</p>`}`;
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${s.title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head><body>
<nav class="languages" aria-label="Język · Language · Мова"><ul>${PAGE_LANGUAGES.map(switchTo).join('')}</ul></nav>
<main>
<h1>${s.heading}</h1>
<p class="note">${s.note}</p>
${body}
</main>
</body></html>`;
}

/** A hotline account as the hotline login page lists it. */
export interface HotlineAccount {
  id: string;
  name: string;
}

/**
 * The provider's page for the hotline (local only): choose an agent or a supervisor; the provider then
 * sends the browser back to the console with a session token, as the cloud's sign-in with a second
 * factor would. Plain HTML forms, in the language asked for.
 */
export function devIdpHotlinePage(options: {
  returnTo: string;
  language: Language;
  agents: readonly HotlineAccount[];
  supervisors: readonly HotlineAccount[];
}): string {
  const { language } = options;
  const h = TEXTS[language].hotline;
  const returnTo = escapeHtml(options.returnTo);
  const switchTo = (other: Language) => {
    const href = `/dev-idp/login/hotline?${new URLSearchParams({ return: options.returnTo, ui_locales: other })}`;
    const current = other === language ? ' aria-current="true"' : '';
    return `<li><a href="${escapeHtml(href)}" lang="${other}" hreflang="${other}"${current}>${LANGUAGE_NAMES[other]}</a></li>`;
  };
  const account = (role: 'agent' | 'supervisor') => (a: HotlineAccount) =>
    `<li><form method="post" action="/dev-idp/login/hotline"><input type="hidden" name="return" value="${returnTo}"><input type="hidden" name="role" value="${role}"><input type="hidden" name="id" value="${escapeHtml(a.id)}"><button type="submit">${escapeHtml(a.name)}</button></form></li>`;
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h.title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head><body>
<nav class="languages" aria-label="Język · Language · Мова"><ul>${PAGE_LANGUAGES.map(switchTo).join('')}</ul></nav>
<main>
<h1>${h.heading}</h1>
<p class="note">${h.note}</p>
<h2>${h.agents}</h2>
<ul>${options.agents.map(account('agent')).join('\n')}</ul>
<h2>${h.supervisors}</h2>
<ul>${options.supervisors.map(account('supervisor')).join('\n')}</ul>
</main>
</body></html>`;
}

/**
 * The provider's page for the reports' dashboard (local only): choose one of the ministry's analysts or
 * its administrator; the provider then sends the browser back to the dashboard with a session token, as
 * the cloud's sign-in would. Plain HTML forms, in the language asked for.
 */
export function devIdpReportsPage(options: {
  returnTo: string;
  language: Language;
  analysts: readonly HotlineAccount[];
  admins: readonly HotlineAccount[];
}): string {
  const { language } = options;
  const r = TEXTS[language].reports;
  const returnTo = escapeHtml(options.returnTo);
  const switchTo = (other: Language) => {
    const href = `/dev-idp/login/reports?${new URLSearchParams({ return: options.returnTo, ui_locales: other })}`;
    const current = other === language ? ' aria-current="true"' : '';
    return `<li><a href="${escapeHtml(href)}" lang="${other}" hreflang="${other}"${current}>${LANGUAGE_NAMES[other]}</a></li>`;
  };
  const account = (role: 'analyst' | 'admin') => (a: HotlineAccount) =>
    `<li><form method="post" action="/dev-idp/login/reports"><input type="hidden" name="return" value="${returnTo}"><input type="hidden" name="role" value="${role}"><input type="hidden" name="id" value="${escapeHtml(a.id)}"><button type="submit">${escapeHtml(a.name)}</button></form></li>`;
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${r.title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head><body>
<nav class="languages" aria-label="Język · Language · Мова"><ul>${PAGE_LANGUAGES.map(switchTo).join('')}</ul></nav>
<main>
<h1>${r.heading}</h1>
<p class="note">${r.note}</p>
<h2>${r.analysts}</h2>
<ul>${options.analysts.map(account('analyst')).join('\n')}</ul>
<h2>${r.admins}</h2>
<ul>${options.admins.map(account('admin')).join('\n')}</ul>
</main>
</body></html>`;
}
