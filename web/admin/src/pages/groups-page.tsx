import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import type { GroupUpload, RowReport } from '../api.ts';
import { useApp } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loaded } from '../components/loaded.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { pl } from '../i18n/pl.ts';
import { instantText } from '../lib/words.ts';

/** The report's rows as an administrator reads them: the rejected first, each group in file order. */
export const reportOrder = (report: RowReport[]): RowReport[] =>
  [...report].sort((a, b) => (a.status === b.status ? a.line - b.line : a.status === 'rejected' ? -1 : 1));

/** Uploading a CSV file of priority-group referrals, its row report, and the files uploaded before. */
export function GroupsPage() {
  const { admin } = useApp();
  const { t, language } = useI18n();
  /** A bad row's problem in the page's language, from its code (the server's words when the code is new). */
  const rowProblem = (row: RowReport): string => {
    if (row.status === 'accepted') return t('none');
    const key = `groups.code.${row.code ?? ''}`;
    if (key in pl) return t(key as MessageKey, { line: row.sameAs ?? '' });
    return row.message ?? t('none');
  };
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ upload: GroupUpload; report: RowReport[] } | null>(null);
  const uploads = useLoad('uploads', () => admin.groupUploads());

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await admin.uploadGroups(file.name, await file.text());
      setResult(answer);
      uploads.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('groups.title')}>
      <form onSubmit={upload} noValidate>
        <Field
          id="groups-file"
          label={t('groups.file')}
          hint={t('groups.fileHint')}
          error={missing && !file ? t('groups.chooseFirst') : null}
        >
          {(control) => (
            <input
              {...control}
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('groups.uploading') : t('groups.upload')}
        </button>
      </form>
      {error ? <ErrorMessage error={error} /> : null}
      {result ? (
        <section aria-labelledby="groups-report">
          <h2 id="groups-report">{t('groups.report')}</h2>
          <Status>
            {t('groups.result', {
              fileName: result.upload.fileName,
              rows: result.upload.rows,
              accepted: result.upload.accepted,
              rejected: result.upload.rejected,
            })}
          </Status>
          <ScrollTable labelledBy="groups-report-table">
            <table>
              <caption id="groups-report-table">{t('groups.report')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('groups.line')}</th>
                  <th scope="col">{t('groups.status')}</th>
                  <th scope="col">{t('groups.field')}</th>
                  <th scope="col">{t('groups.message')}</th>
                </tr>
              </thead>
              <tbody>
                {reportOrder(result.report).map((row) => (
                  <tr key={row.line} className={row.status === 'rejected' ? 'row-rejected' : undefined}>
                    <th scope="row">{row.line}</th>
                    <td>{t(`groups.${row.status}`)}</td>
                    <td>{row.field ?? t('none')}</td>
                    <td>{rowProblem(row)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </section>
      ) : null}
      <section aria-labelledby="groups-past">
        <h2 id="groups-past">{t('groups.past')}</h2>
        <Loaded load={uploads}>
          {(data) =>
            data.uploads.length === 0 ? (
              <p>{t('groups.pastNone')}</p>
            ) : (
              <ScrollTable labelledBy="groups-past">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('field.fileName')}</th>
                      <th scope="col">{t('groups.when')}</th>
                      <th scope="col">{t('groups.by')}</th>
                      <th scope="col">{t('groups.acceptedCount')}</th>
                      <th scope="col">{t('groups.rejectedCount')}</th>
                      <th scope="col">{t('groups.groups')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.uploads.map((u) => (
                      <tr key={u.id}>
                        <th scope="row">{u.fileName}</th>
                        <td>{instantText(u.at, language)}</td>
                        <td>{u.by}</td>
                        <td>{u.accepted}</td>
                        <td>{u.rejected}</td>
                        <td>{u.groups.join(', ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            )
          }
        </Loaded>
      </section>
    </Page>
  );
}
