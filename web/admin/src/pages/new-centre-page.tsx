import type { Weekday } from '@ereg/shared';
import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useRouter } from '../../../shared/src/router.tsx';
import type { OnboardBody, StaffInvite } from '../api.ts';
import { useApp } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { PolandMap } from '../components/poland-map.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { COUNTRY_ZONE, parseTimeField } from '../lib/date-time.ts';
import { fieldOf } from '../lib/error-messages.ts';
import { PATHS } from '../lib/paths.ts';
import { VOIVODESHIPS } from '../lib/voivodeships.ts';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const COORDINATE = /^-?\d{1,3}([.,]\d+)?$/;

type Day = { open: boolean; from: string; to: string };

const number = (text: string): number | null =>
  COORDINATE.test(text.trim()) ? Number(text.trim().replace(',', '.')) : null;

/** Onboarding a centre: its address with the TERYT code, where it is (shown on a small map), contact, products, schedule and people. */
export function NewCentrePage() {
  const { admin, vaccines } = useApp();
  const { t, language } = useI18n();
  const router = useRouter();
  const [text, setText] = useState({
    name: '',
    street: '',
    postalCode: '',
    city: '',
    voivodeship: '',
    teryt: '',
    lat: '',
    lon: '',
    timeZone: COUNTRY_ZONE,
    phone: '',
    email: '',
    slotMinutes: '10',
  });
  const [products, setProducts] = useState<string[]>([]);
  const [capacity, setCapacity] = useState<Record<string, string>>({});
  const [days, setDays] = useState<Record<Weekday, Day>>(
    () =>
      Object.fromEntries(
        WEEKDAYS.map((d) => [d, { open: d !== 'sat' && d !== 'sun', from: '08:00', to: '16:00' }]),
      ) as Record<Weekday, Day>,
  );
  const [manager, setManager] = useState({ name: '', email: '' });
  const [staff, setStaff] = useState<Array<{ name: string; email: string }>>([]);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  /** A field's complaint goes as soon as the field is changed; the next submit checks it again. */
  const settle = (key: string) =>
    setProblems((p) => {
      if (!(key in p)) return p;
      const { [key]: _, ...rest } = p;
      return rest;
    });
  const set = (key: keyof typeof text) => (value: string) => {
    setText((f) => ({ ...f, [key]: value }));
    settle(key);
  };
  const lat = number(text.lat);
  const lon = number(text.lon);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const key of ['name', 'street', 'postalCode', 'city', 'voivodeship'] as const) {
      if (!text[key].trim()) found[key] = t('required');
    }
    if (text.teryt.trim() && !/^\d{7}$/.test(text.teryt.trim())) found.teryt = t('onboard.terytInvalid');
    if (lat === null) found.lat = t('onboard.coordInvalid');
    if (lon === null) found.lon = t('onboard.coordInvalid');
    if (products.length === 0) found.products = t('onboard.productsRequired');
    if (!manager.name.trim()) found.managerName = t('required');
    if (!manager.email.trim()) found.managerEmail = t('required');
    for (const d of WEEKDAYS) {
      const day = days[d];
      if (day.open && (!parseTimeField(day.from) || !parseTimeField(day.to))) found[`day-${d}`] = t('time.invalid');
    }
    setProblems(found);
    setError(null);
    if (Object.keys(found).length > 0) {
      document.getElementById(`onboard-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    const people: StaffInvite[] = [
      { name: manager.name.trim(), email: manager.email.trim(), role: 'centre-manager' },
      ...staff
        .filter((s) => s.name.trim())
        .map((s) => ({ name: s.name.trim(), email: s.email.trim(), role: 'staff' as const })),
    ];
    const body: OnboardBody = {
      name: text.name.trim(),
      address: {
        street: text.street.trim(),
        postalCode: text.postalCode.trim(),
        city: text.city.trim(),
        voivodeship: text.voivodeship,
        ...(text.teryt.trim() ? { teryt: text.teryt.trim() } : {}),
      },
      location: { lat: lat as number, lon: lon as number },
      timeZone: text.timeZone.trim() || COUNTRY_ZONE,
      phone: text.phone.trim() || null,
      email: text.email.trim() || null,
      vaccineIds: products,
      schedule: {
        weekly: {
          days: Object.fromEntries(
            WEEKDAYS.filter((d) => days[d].open).map((d) => [
              d,
              [{ from: parseTimeField(days[d].from) as string, to: parseTimeField(days[d].to) as string }],
            ]),
          ),
          slotMinutes: Number(text.slotMinutes) || 10,
          capacity: Object.fromEntries(products.map((id) => [id, Number(capacity[id] ?? '1') || 1])),
        },
        closedDates: [],
        extraHours: [],
      },
      staff: people,
    };
    setBusy(true);
    admin.onboard(body).then(
      ({ centre }) => router.navigate(PATHS.centre(centre.id)),
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };

  const refused = fieldOf(error);
  const input = (
    key: keyof typeof text,
    label: MessageKey,
    extra: { hint?: string; inputMode?: 'numeric' | 'decimal' | 'tel' | 'email' } = {},
  ) => (
    <Field
      id={`onboard-${key}`}
      label={t(label)}
      {...(extra.hint ? { hint: extra.hint } : {})}
      error={problems[key] ?? (refused === key ? t('error.input') : null)}
    >
      {(control) => (
        <input
          {...control}
          {...(extra.inputMode ? { inputMode: extra.inputMode } : {})}
          value={text[key]}
          onChange={(e) => set(key)(e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <Page title={t('onboard.title')}>
      <form onSubmit={submit} noValidate>
        {input('name', 'onboard.name')}
        <fieldset>
          <legend>{t('onboard.address')}</legend>
          {input('street', 'onboard.street')}
          {input('postalCode', 'onboard.postalCode', { inputMode: 'numeric' })}
          {input('city', 'onboard.city')}
          <Field id="onboard-voivodeship" label={t('onboard.voivodeship')} error={problems.voivodeship ?? null}>
            {(control) => (
              <select {...control} value={text.voivodeship} onChange={(e) => set('voivodeship')(e.target.value)}>
                <option value="">{t('onboard.choose')}</option>
                {VOIVODESHIPS.map((v) => (
                  <option key={v.slug} value={v.slug}>
                    {v[language]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {input('teryt', 'onboard.teryt', { inputMode: 'numeric' })}
        </fieldset>
        <fieldset>
          <legend>{t('onboard.location')}</legend>
          <div className="field-row">
            {input('lat', 'onboard.lat', { inputMode: 'decimal' })}
            {input('lon', 'onboard.lon', { inputMode: 'decimal' })}
          </div>
          <PolandMap
            lat={lat}
            lon={lon}
            label={t('onboard.map', { lat: text.lat || t('none'), lon: text.lon || t('none') })}
          />
        </fieldset>
        <fieldset>
          <legend>{t('onboard.contact')}</legend>
          {input('timeZone', 'onboard.timeZone')}
          {input('phone', 'onboard.phone', { inputMode: 'tel' })}
          {input('email', 'onboard.email', { inputMode: 'email' })}
        </fieldset>
        <fieldset
          id="onboard-products"
          tabIndex={-1}
          aria-describedby={problems.products ? 'onboard-products-error' : undefined}
        >
          <legend>{t('onboard.products')}</legend>
          {problems.products ? (
            <p id="onboard-products-error" className="field-error">
              {problems.products}
            </p>
          ) : null}
          {vaccines.map((v) => (
            <label key={v.id} className="check">
              <input
                type="checkbox"
                checked={products.includes(v.id)}
                onChange={(e) => {
                  setProducts((p) => (e.target.checked ? [...p, v.id] : p.filter((id) => id !== v.id)));
                  settle('products');
                }}
              />{' '}
              {v.name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('onboard.schedule')}</legend>
          {WEEKDAYS.map((d) => (
            <fieldset key={d} className="schedule-day">
              <legend className="visually-hidden">{t(`weekday.${d}`)}</legend>
              <label className="check">
                <input
                  type="checkbox"
                  checked={days[d].open}
                  onChange={(e) => setDays((all) => ({ ...all, [d]: { ...all[d], open: e.target.checked } }))}
                />{' '}
                {t(`weekday.${d}`)}
              </label>
              {days[d].open ? (
                <>
                  <label>
                    {t('onboard.from')}{' '}
                    <input
                      id={`onboard-day-${d}`}
                      size={6}
                      value={days[d].from}
                      onChange={(e) => setDays((all) => ({ ...all, [d]: { ...all[d], from: e.target.value } }))}
                    />
                  </label>
                  <label>
                    {t('onboard.to')}{' '}
                    <input
                      size={6}
                      value={days[d].to}
                      onChange={(e) => setDays((all) => ({ ...all, [d]: { ...all[d], to: e.target.value } }))}
                    />
                  </label>
                  {problems[`day-${d}`] ? <span className="field-error">{problems[`day-${d}`]}</span> : null}
                </>
              ) : null}
            </fieldset>
          ))}
          {input('slotMinutes', 'onboard.slotMinutes', { inputMode: 'numeric' })}
          {products.map((id) => (
            <Field
              key={id}
              id={`onboard-capacity-${id}`}
              label={t('onboard.capacity', { vaccine: vaccines.find((v) => v.id === id)?.name ?? id })}
            >
              {(control) => (
                <input
                  {...control}
                  inputMode="numeric"
                  size={4}
                  value={capacity[id] ?? '1'}
                  onChange={(e) => setCapacity((c) => ({ ...c, [id]: e.target.value }))}
                />
              )}
            </Field>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('onboard.manager')}</legend>
          <Field id="onboard-managerName" label={t('onboard.personName')} error={problems.managerName ?? null}>
            {(control) => (
              <input
                {...control}
                value={manager.name}
                onChange={(e) => {
                  setManager((m) => ({ ...m, name: e.target.value }));
                  settle('managerName');
                }}
              />
            )}
          </Field>
          <Field id="onboard-managerEmail" label={t('onboard.personEmail')} error={problems.managerEmail ?? null}>
            {(control) => (
              <input
                {...control}
                type="email"
                value={manager.email}
                onChange={(e) => {
                  setManager((m) => ({ ...m, email: e.target.value }));
                  settle('managerEmail');
                }}
              />
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('onboard.staff')}</legend>
          {staff.map((person, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the rows have no identity but their place until sent
            <div key={i} className="field-row">
              <Field id={`onboard-staff-${i}-name`} label={t('onboard.personName')}>
                {(control) => (
                  <input
                    {...control}
                    value={person.name}
                    onChange={(e) => setStaff((s) => s.map((p, j) => (j === i ? { ...p, name: e.target.value } : p)))}
                  />
                )}
              </Field>
              <Field id={`onboard-staff-${i}-email`} label={t('onboard.personEmail')}>
                {(control) => (
                  <input
                    {...control}
                    type="email"
                    value={person.email}
                    onChange={(e) => setStaff((s) => s.map((p, j) => (j === i ? { ...p, email: e.target.value } : p)))}
                  />
                )}
              </Field>
              <button type="button" className="button" onClick={() => setStaff((s) => s.filter((_, j) => j !== i))}>
                {t('onboard.removeStaff', { name: person.name || String(i + 1) })}
              </button>
            </div>
          ))}
          <button type="button" className="button" onClick={() => setStaff((s) => [...s, { name: '', email: '' }])}>
            {t('onboard.addStaff')}
          </button>
        </fieldset>
        {Object.keys(problems).length > 0 ? <p className="field-error">{t('onboard.fix')}</p> : null}
        {error ? <ErrorMessage error={error} /> : null}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('onboard.submitting') : t('onboard.submit')}
        </button>
      </form>
    </Page>
  );
}
