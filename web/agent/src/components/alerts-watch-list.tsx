import type { WatchEntry } from '@ereg/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { describeSupervisorError, refusedField, refusedWith } from '../lib/audit-errors.ts';
import { AUDIT_TIME_ZONE } from '../lib/audit-filters.ts';
import { whenWords } from '../lib/audit-words.ts';
import { useShortcut } from '../lib/shortcuts.ts';
import { SupervisorError } from './audit-error.tsx';
import { altKey, KeyHint } from './audit-key.tsx';

/** A watched PESEL as the list shows it: its last four digits, as the hotline masks a PESEL. */
export const maskedPesel = (pesel: string) => `*******${pesel.slice(-4)}`;

const FIELDS = ['pesel', 'note'] as const;
type WatchField = (typeof FIELDS)[number];

/** What the form finds wrong before asking the server (which also checks the PESEL's date and checksum). */
function checkEntry(
  pesel: string,
  note: string,
): { field: WatchField; key: 'alerts.watch.peselDigits' | 'alerts.watch.noteShort' } | null {
  if (!/^\d{11}$/.test(pesel)) return { field: 'pesel', key: 'alerts.watch.peselDigits' };
  if (note.length < 3) return { field: 'note', key: 'alerts.watch.noteShort' };
  return null;
}

/**
 * The watch list: PESELs whose every look-up alerts the supervisors. Alt+W goes to adding one (a
 * refusal named at its field); Alt+X removes the entry at hand, after a confirmation.
 */
export function WatchList() {
  const { t, fmt } = useI18n();
  const { api, document } = useApp();
  const loaded = useLoad('watch-list', () => api.call('watchList'));
  const [pesel, setPesel] = useState('');
  const [note, setNote] = useState('');
  const [fieldError, setFieldError] = useState<{ field: WatchField; message: string } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [confirming, setConfirming] = useState<WatchEntry | null>(null);
  const [focusTarget, setFocusTarget] = useState<{ id: string } | null>(null);
  const peselField = useRef<HTMLInputElement>(null);
  const noteField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (focusTarget) document.getElementById(focusTarget.id)?.focus();
  }, [focusTarget, document]);

  const entries = loaded.status === 'ready' ? loaded.data.entries : [];
  const fieldRefs = { pesel: peselField, note: noteField };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const typed = { pesel: pesel.replace(/\s/g, ''), note: note.trim() };
    const wrong = checkEntry(typed.pesel, typed.note);
    setFailure(null);
    if (wrong) {
      setFieldError({ field: wrong.field, message: t(wrong.key) });
      fieldRefs[wrong.field].current?.focus();
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      const entry = await api.call('watchPesel', { body: typed });
      setPesel('');
      setNote('');
      setNotice(t('alerts.watch.added', { pesel: maskedPesel(entry.pesel) }));
      loaded.reload();
      peselField.current?.focus();
    } catch (error) {
      const field = refusedField(error, FIELDS) ?? (refusedWith(error, 'ALREADY_WATCHED') ? 'pesel' : null);
      if (field) {
        setFieldError({ field, message: describeSupervisorError(error, t, fmt) });
        fieldRefs[field].current?.focus();
      } else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (entry: WatchEntry) => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    const index = entries.findIndex((e) => e.id === entry.id);
    const next = entries.filter((e) => e.id !== entry.id)[index] ?? entries.filter((e) => e.id !== entry.id)[index - 1];
    try {
      await api.call('unwatchPesel', { body: { entryId: entry.id } });
      setNotice(t('alerts.watch.removed', { pesel: maskedPesel(entry.pesel) }));
    } catch (error) {
      if (refusedWith(error, 'NOT_WATCHED')) setNotice(t('audit.error.NOT_WATCHED'));
      else setFailure(error);
    } finally {
      setBusy(false);
      setConfirming(null);
      loaded.reload();
      setFocusTarget({ id: next ? removeButtonId(next) : 'watch-list-title' });
    }
  };

  const entryAtHand = (): WatchEntry | undefined => {
    const at = document.activeElement?.closest('[data-watch-id]')?.getAttribute('data-watch-id');
    return entries.find((e) => e.id === at) ?? entries[0];
  };
  const askToRemove = (entry: WatchEntry) => {
    setConfirming(entry);
    setFocusTarget({ id: 'watch-confirm' });
  };
  useShortcut('w', t('alerts.watch.shortcut'), () => peselField.current?.focus());
  useShortcut(
    'x',
    t('alerts.watch.remove'),
    () => {
      const entry = entryAtHand();
      if (entry) askToRemove(entry);
    },
    entries.length > 0 && !confirming,
  );

  const errorOf = (field: WatchField) => (fieldError?.field === field ? fieldError.message : null);
  return (
    <section className="alerts-watch" aria-labelledby="watch-list-title">
      <h2 id="watch-list-title" tabIndex={-1}>
        {t('alerts.watch.title')}
      </h2>
      <p className="hint">{t('alerts.watch.intro')}</p>
      <Status>{loaded.status === 'loading' ? t('alerts.watch.loading') : notice}</Status>
      {loaded.status === 'failed' ? <SupervisorError error={loaded.error} /> : null}
      {failure ? <SupervisorError error={failure} /> : null}
      {loaded.status === 'ready' && entries.length === 0 ? (
        <p className="audit-empty">{t('alerts.watch.empty')}</p>
      ) : null}
      {entries.length > 0 ? (
        <ul className="audit-cards">
          {entries.map((entry) => (
            <li key={entry.id} className="audit-card alerts-watch-entry" data-watch-id={entry.id}>
              <p className="alerts-watch-pesel">
                <span className="visually-hidden">{t('alerts.watch.pesel')}: </span>
                {maskedPesel(entry.pesel)}
              </p>
              <p>
                {t('audit.quoted', { text: entry.note })}{' '}
                <span className="hint">
                  {t('alerts.watch.addedBy', {
                    by: entry.addedBy.id,
                    when: whenWords(entry.addedAt, t, AUDIT_TIME_ZONE),
                  })}
                </span>
              </p>
              {confirming?.id === entry.id ? (
                <fieldset className="alerts-confirm">
                  <legend>{t('alerts.watch.confirm', { pesel: maskedPesel(entry.pesel) })}</legend>
                  <div className="audit-actions">
                    <button
                      id="watch-confirm"
                      type="button"
                      className="button button-danger"
                      aria-disabled={busy || undefined}
                      onClick={() => void remove(entry)}
                    >
                      {t('alerts.watch.confirmRemove')}
                    </button>
                    <button
                      type="button"
                      className="button"
                      onClick={() => {
                        setConfirming(null);
                        setFocusTarget({ id: removeButtonId(entry) });
                      }}
                    >
                      {t('alerts.watch.keep')}
                    </button>
                  </div>
                </fieldset>
              ) : (
                <div className="audit-actions">
                  <button
                    id={removeButtonId(entry)}
                    type="button"
                    className="button"
                    aria-keyshortcuts={altKey('x')}
                    onClick={() => askToRemove(entry)}
                  >
                    {t('alerts.watch.remove')}
                    <span className="visually-hidden"> {maskedPesel(entry.pesel)}</span> <KeyHint letter="x" />
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <form className="alerts-watch-form" aria-labelledby="watch-add-title" onSubmit={(e) => void add(e)} noValidate>
        <h3 id="watch-add-title">{t('alerts.watch.add')}</h3>
        <Field
          id="watch-pesel"
          label={t('alerts.watch.pesel')}
          hint={t('alerts.watch.peselHint')}
          error={errorOf('pesel')}
        >
          {(control) => (
            <input
              {...control}
              ref={peselField}
              inputMode="numeric"
              autoComplete="off"
              maxLength={14}
              value={pesel}
              onChange={(event) => setPesel(event.target.value)}
              aria-keyshortcuts={altKey('w')}
            />
          )}
        </Field>
        <Field id="watch-note" label={t('alerts.watch.note')} hint={t('alerts.watch.noteHint')} error={errorOf('note')}>
          {(control) => (
            <input
              {...control}
              ref={noteField}
              autoComplete="off"
              maxLength={200}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {t('alerts.watch.addButton')}
        </button>
      </form>
    </section>
  );
}

const removeButtonId = (entry: WatchEntry) => `watch-remove-${entry.id}`;
