import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { Loaded } from '../components/loaded.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { useI18n } from '../i18n/index.ts';
import { PATHS } from '../lib/paths.ts';
import { VOIVODESHIPS, voivodeshipName } from '../lib/voivodeships.ts';

const STATUSES = ['active', 'suspended', 'closed'] as const;

/** Finding centres by name or town, voivodeship and status; the search is kept in the address. */
export function CentresPage() {
  const { admin } = useApp();
  const { t, language } = useI18n();
  const { search } = useLocation();
  const router = useRouter();
  const [q, setQ] = useState(search.get('q') ?? '');
  const [voivodeship, setVoivodeship] = useState(search.get('voivodeship') ?? '');
  const [status, setStatus] = useState(search.get('status') ?? '');
  const query = search.toString();
  const centres = useLoad(`centres?${query}`, () =>
    admin.centres({
      q: search.get('q') ?? '',
      voivodeship: search.get('voivodeship') ?? '',
      status: search.get('status') ?? '',
      limit: 50,
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (q.trim()) params.set('q', q.trim());
    if (voivodeship) params.set('voivodeship', voivodeship);
    if (status) params.set('status', status);
    router.navigate(`${PATHS.centres}${params.size ? `?${params}` : ''}`);
  };
  return (
    <Page title={t('centres.title')}>
      <p>
        <Link className="button button-primary" href={PATHS.newCentre}>
          {t('centres.new')}
        </Link>
      </p>
      <form className="inline-form" onSubmit={submit}>
        <Field id="centres-q" label={t('centres.q')}>
          {(control) => <input {...control} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
        </Field>
        <Field id="centres-voivodeship" label={t('centres.voivodeship')}>
          {(control) => (
            <select {...control} value={voivodeship} onChange={(e) => setVoivodeship(e.target.value)}>
              <option value="">{t('centres.any')}</option>
              {VOIVODESHIPS.map((v) => (
                <option key={v.slug} value={v.slug}>
                  {v[language]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="centres-status" label={t('centres.status')}>
          {(control) => (
            <select {...control} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('centres.any')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`centre.status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="button button-primary">
          {t('centres.search')}
        </button>
      </form>
      <Loaded load={centres}>
        {(data) =>
          data.centres.length === 0 ? (
            <p>{t('centres.none')}</p>
          ) : (
            <ScrollTable labelledBy="centres-results">
              <table>
                <caption id="centres-results">{t('centres.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('centres.name')}</th>
                    <th scope="col">{t('centres.town')}</th>
                    <th scope="col">{t('centres.voivodeship')}</th>
                    <th scope="col">{t('centres.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.centres.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        <Link href={PATHS.centre(c.id)}>{c.name}</Link>
                      </th>
                      <td>{c.address.city}</td>
                      <td>{voivodeshipName(c.address.voivodeship, language)}</td>
                      <td>{t(`centre.status.${c.status ?? 'active'}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          )
        }
      </Loaded>
    </Page>
  );
}
