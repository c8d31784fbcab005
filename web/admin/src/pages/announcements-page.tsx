import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import type { Announcement, AnnouncementText } from '../api.ts';
import { useApp } from '../app-context.ts';
import { Confirm } from '../components/confirm.tsx';
import { DateTimeFields } from '../components/date-time-fields.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loaded } from '../components/loaded.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useI18n } from '../i18n/index.ts';
import { formatDateField, instantOf, localOf, parseDateField, parseTimeField } from '../lib/date-time.ts';
import { instantText } from '../lib/words.ts';

type State = 'current' | 'planned' | 'ended';

/** Whether an announcement is shown at an instant, will be, or was. */
export const announcementState = (a: Announcement, at: number): State =>
  at < Date.parse(a.from) ? 'planned' : at < Date.parse(a.until) ? 'current' : 'ended';

/** A new announcement or one edited: the three texts and the window it is shown in. */
function AnnouncementForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing: Announcement | null;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { admin, now } = useApp();
  const { t, language } = useI18n();
  const start = localOf(editing?.from ?? now());
  const end = localOf(editing?.until ?? new Date(now().getTime() + 7 * 86_400_000));
  const [text, setText] = useState<AnnouncementText>(editing?.text ?? { pl: '', en: '', uk: '' });
  const [when, setWhen] = useState({
    fromDate: formatDateField(start.date, language),
    fromTime: start.time,
    untilDate: formatDateField(end.date, language),
    untilTime: end.time,
  });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const l of ['pl', 'en', 'uk'] as const) if (!text[l].trim()) found[l] = t('required');
    const fromDate = parseDateField(when.fromDate);
    const fromTime = parseTimeField(when.fromTime);
    const untilDate = parseDateField(when.untilDate);
    const untilTime = parseTimeField(when.untilTime);
    if (!fromDate) found.fromDate = t('date.invalid');
    if (!fromTime) found.fromTime = t('time.invalid');
    if (!untilDate) found.untilDate = t('date.invalid');
    if (!untilTime) found.untilTime = t('time.invalid');
    const from = fromDate && fromTime ? instantOf(fromDate, fromTime) : null;
    const until = untilDate && untilTime ? instantOf(untilDate, untilTime) : null;
    if (from && until && Date.parse(until) <= Date.parse(from)) found.untilDate = t('ann.untilBeforeFrom');
    setProblems(found);
    if (Object.keys(found).length > 0 || !from || !until) return;
    const body = { text: { pl: text.pl.trim(), en: text.en.trim(), uk: text.uk.trim() }, from, until };
    setBusy(true);
    setError(null);
    (editing ? admin.changeAnnouncement(editing.id, body) : admin.addAnnouncement(body)).then(
      onSaved,
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="ann-form" noValidate>
      <h2 id="ann-form">{editing ? t('ann.editing') : t('ann.new')}</h2>
      {(['pl', 'en', 'uk'] as const).map((l) => (
        <Field
          key={l}
          id={`ann-${l}`}
          label={t(l === 'pl' ? 'ann.textPl' : l === 'en' ? 'ann.textEn' : 'ann.textUk')}
          error={problems[l] ?? null}
        >
          {(control) => (
            <textarea
              {...control}
              lang={l}
              rows={2}
              value={text[l]}
              onChange={(e) => setText((x) => ({ ...x, [l]: e.target.value }))}
            />
          )}
        </Field>
      ))}
      <DateTimeFields
        id="ann-from"
        dateLabel={t('ann.fromDate')}
        timeLabel={t('ann.fromTime')}
        date={when.fromDate}
        time={when.fromTime}
        onDate={(v) => setWhen((w) => ({ ...w, fromDate: v }))}
        onTime={(v) => setWhen((w) => ({ ...w, fromTime: v }))}
        dateError={problems.fromDate ?? null}
        timeError={problems.fromTime ?? null}
      />
      <DateTimeFields
        id="ann-until"
        dateLabel={t('ann.untilDate')}
        timeLabel={t('ann.untilTime')}
        date={when.untilDate}
        time={when.untilTime}
        onDate={(v) => setWhen((w) => ({ ...w, untilDate: v }))}
        onTime={(v) => setWhen((w) => ({ ...w, untilTime: v }))}
        dateError={problems.untilDate ?? null}
        timeError={problems.untilTime ?? null}
      />
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('ann.save')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** The announcements: each with its window and state; adding one, editing one, ending one now. */
export function AnnouncementsPage() {
  const { admin, now } = useApp();
  const { t, language } = useI18n();
  const [form, setForm] = useState<null | 'new' | Announcement>(null);
  const [ending, setEnding] = useState<Announcement | null>(null);
  const [endError, setEndError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useLoad('announcements', () => admin.announcements());
  const end = (a: Announcement) => {
    setEndError(null);
    admin.changeAnnouncement(a.id, { text: a.text, from: a.from, until: now().toISOString() }).then(
      () => {
        setEnding(null);
        setNotice(t('ann.ended'));
        list.reload();
      },
      (failure: unknown) => setEndError(failure),
    );
  };
  return (
    <Page title={t('ann.title')}>
      {notice ? <Status>{notice}</Status> : null}
      {form === null ? (
        <p>
          <button type="button" className="button button-primary" onClick={() => setForm('new')}>
            {t('ann.new')}
          </button>
        </p>
      ) : (
        <AnnouncementForm
          key={form === 'new' ? 'new' : form.id}
          editing={form === 'new' ? null : form}
          onCancel={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            setNotice(t('ann.saved'));
            list.reload();
          }}
        />
      )}
      <Loaded load={list}>
        {(data) =>
          data.announcements.length === 0 ? (
            <p>{t('ann.empty')}</p>
          ) : (
            <ScrollTable labelledBy="ann-list">
              <table>
                <caption id="ann-list">{t('ann.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('ann.text')}</th>
                    <th scope="col">{t('ann.window')}</th>
                    <th scope="col">{t('ann.state')}</th>
                    <th scope="col">{t('ann.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.announcements.map((a) => {
                    const state = announcementState(a, now().getTime());
                    return (
                      <tr key={a.id}>
                        <th scope="row">{a.text[language]}</th>
                        <td>
                          {t('ann.span', {
                            from: instantText(a.from, language),
                            until: instantText(a.until, language),
                          })}
                        </td>
                        <td>{t(`ann.state.${state}`)}</td>
                        <td>
                          <div className="actions">
                            <button type="button" className="button" onClick={() => setForm(a)}>
                              {t('ann.edit')}
                            </button>
                            {state === 'current' ? (
                              <button type="button" className="button" onClick={() => setEnding(a)}>
                                {t('ann.end')}
                              </button>
                            ) : null}
                          </div>
                          {ending?.id === a.id ? (
                            <Confirm
                              question={t('ann.endConfirm')}
                              onConfirm={() => end(a)}
                              onCancel={() => setEnding(null)}
                            >
                              {endError ? <ErrorMessage error={endError} /> : null}
                            </Confirm>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </ScrollTable>
          )
        }
      </Loaded>
    </Page>
  );
}
