import { useEffect, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import type { PolicyPreview, RuleDraft } from '../api.ts';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { voivodeshipName } from '../lib/voivodeships.ts';
import { countText, instantText } from '../lib/words.ts';
import { ErrorMessage } from './error-message.tsx';
import { ScrollTable } from './scroll-table.tsx';

/** How long the drafts must stay unchanged before the preview is asked for again. */
export const PREVIEW_DEBOUNCE_MS = 400;

type State =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; preview: PolicyPreview }
  | { status: 'failed'; error: unknown };

/**
 * What the drafts would do, asked for again once they stop changing: registered people newly eligible,
 * the population estimate, and free places by voivodeship with their totals. `drafts` null: the draft
 * is not complete yet.
 */
export function PreviewPanel({ drafts }: { drafts: RuleDraft[] | null }) {
  const { admin } = useApp();
  const i18n = useI18n();
  const { t, language } = i18n;
  const [state, setState] = useState<State>({ status: 'idle' });
  const key = drafts ? JSON.stringify(drafts) : null;

  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setState({ status: 'loading' });
      admin.preview(JSON.parse(key) as RuleDraft[]).then(
        (preview) => current && setState({ status: 'ready', preview }),
        (error: unknown) => current && setState({ status: 'failed', error }),
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, admin]);

  const count = (n: number) => countText(n, language);
  const days = (n: number | null) => (n === null ? t('none') : count(n));
  return (
    <section className="preview" aria-labelledby="preview-title" aria-busy={state.status === 'loading'}>
      <h2 id="preview-title">{t('preview.title')}</h2>
      {state.status === 'idle' ? <p>{t('draft.incomplete')}</p> : null}
      {state.status === 'loading' ? <Status>{t('preview.loading')}</Status> : null}
      {state.status === 'failed' ? <ErrorMessage error={state.error} /> : null}
      {state.status === 'ready' ? (
        <>
          <dl className="figures">
            <div>
              <dt>{t('preview.registered')}</dt>
              <dd>{count(state.preview.registered.newlyEligible)}</dd>
            </div>
            <div>
              <dt>{t('preview.matching')}</dt>
              <dd>{count(state.preview.registered.matching)}</dd>
            </div>
            <div>
              <dt>{t('preview.population')}</dt>
              <dd>
                {state.preview.population.estimate === null
                  ? t('preview.populationUnknown')
                  : count(state.preview.population.estimate)}
              </dd>
            </div>
          </dl>
          <ScrollTable labelledBy="preview-places">
            <table>
              <caption id="preview-places">{t('preview.places')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('preview.voivodeship')}</th>
                  <th scope="col">{t('preview.free7')}</th>
                  <th scope="col">{t('preview.free14')}</th>
                  <th scope="col">{t('preview.free28')}</th>
                  <th scope="col">{t('preview.daysToFirstFree')}</th>
                </tr>
              </thead>
              <tbody>
                {state.preview.places.map((row) => (
                  <tr key={row.voivodeship}>
                    <th scope="row">{voivodeshipName(row.voivodeship, language)}</th>
                    <td>{count(row.free7)}</td>
                    <td>{count(row.free14)}</td>
                    <td>{count(row.free28)}</td>
                    <td>{days(row.daysToFirstFree)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('preview.total')}</th>
                  <td>{count(state.preview.totals.free7)}</td>
                  <td>{count(state.preview.totals.free14)}</td>
                  <td>{count(state.preview.totals.free28)}</td>
                  <td>{days(state.preview.totals.daysToFirstFree)}</td>
                </tr>
              </tfoot>
            </table>
          </ScrollTable>
          <p className="hint">
            {t('preview.asOf', {
              registrations: state.preview.asOf.registrations
                ? instantText(state.preview.asOf.registrations, language)
                : t('none'),
              places: state.preview.asOf.places ? i18n.fmt.date(state.preview.asOf.places) : t('none'),
            })}
          </p>
        </>
      ) : null}
    </section>
  );
}
