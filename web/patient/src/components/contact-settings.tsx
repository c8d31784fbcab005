import type { Language, Patient } from '@ereg/shared';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { useApp } from '../app-context.ts';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, useI18n } from '../i18n/index.ts';
import { describeError } from '../lib/error-messages.ts';
import { ErrorMessage } from './error-message.tsx';

/** The mobile number and language of the text messages (confirmation, reminder the day before, changes). */
export function ContactSettings({ patient }: { patient: Patient }) {
  const { api } = useApp();
  const { t, fmt } = useI18n();
  const [phone, setPhone] = useState(patient.phone ?? '');
  const [language, setLanguage] = useState<Language>(patient.language);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<unknown>(null);
  const phoneError = error instanceof ApiError && error.field === 'phone' ? describeError(error, t, fmt) : null;

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (state === 'saving') return;
    setState('saving');
    setError(null);
    api.updateContact(patient.id, { phone: phone.trim() === '' ? null : phone.trim(), language }).then(
      (answer) => {
        setPhone(answer.patient.phone ?? '');
        setState('saved');
      },
      (failure: unknown) => {
        setState('idle');
        setError(failure);
      },
    );
  };

  return (
    <section aria-labelledby="contact-title" className="contact">
      <h2 id="contact-title">{t('contact.title')}</h2>
      <p>{t('contact.text')}</p>
      <form onSubmit={save} noValidate>
        <Field id="phone" label={t('contact.phone')} hint={t('contact.phone.hint')} error={phoneError}>
          {(control) => (
            <input
              {...control}
              type="tel"
              autoComplete="tel"
              value={phone}
              onChange={(event) => {
                setPhone(event.target.value);
                setState('idle');
              }}
            />
          )}
        </Field>
        <Field id="sms-language" label={t('contact.language')}>
          {(control) => (
            <select
              {...control}
              value={language}
              onChange={(event) => {
                if (isLanguage(event.target.value)) setLanguage(event.target.value);
                setState('idle');
              }}
            >
              {LANGUAGES.map((option) => (
                <option key={option} value={option} lang={option}>
                  {LANGUAGE_NAMES[option]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="button" aria-disabled={state === 'saving'}>
          {t('contact.save')}
        </button>
        <Status>
          {state === 'saving' ? t('contact.saving') : null}
          {state === 'saved' ? t('contact.saved') : null}
        </Status>
        {error && !phoneError ? <ErrorMessage error={error} /> : null}
      </form>
    </section>
  );
}
