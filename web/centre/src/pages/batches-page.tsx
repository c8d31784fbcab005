import { useEffect, useId, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { isManager, useApp, useDesk } from '../app-context.ts';
import { BatchesAddForm, type BatchView } from '../components/batches-add-form.tsx';
import { BatchesCard } from '../components/batches-card.tsx';
import { BatchesOutlook } from '../components/batches-outlook.tsx';
import { ManagerError } from '../components/manager-error.tsx';
import { Page } from '../components/page.tsx';
import { useI18n } from '../i18n/index.ts';

/**
 * The centre's vaccine batches (`/centre/batches`): the warning when the coming days' visits need more
 * doses than are on hand, the batches in use with what is left, and used-up ones below. Anyone at the
 * desk logs wasted doses; the manager also records deliveries and closes batches.
 */
export function BatchesPage() {
  const { api } = useApp();
  const desk = useDesk();
  const { t } = useI18n();
  const id = useId();
  const manager = isManager(desk);
  const centreId = desk.centre.id;
  const listed = useLoad(`batches/${centreId}`, () => api.call('listBatches', { params: { centreId } }));
  const outlook = useLoad(`outlook/${centreId}`, () => api.call('stockOutlook', { params: { centreId } }));
  const [batches, setBatches] = useState<BatchView[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const answer = listed.status === 'ready' ? listed.data.batches : null;
  useEffect(() => {
    if (answer) setBatches(answer);
  }, [answer]);

  const reloadOutlook = outlook.reload;
  const changed = (batch: BatchView, message: string) => {
    // A changed batch keeps its place in the list; a new one comes last, as the API lists them.
    setBatches((all) =>
      (all ?? []).some((b) => b.id === batch.id)
        ? (all ?? []).map((b) => (b.id === batch.id ? batch : b))
        : [...(all ?? []), batch],
    );
    setDone(message);
    reloadOutlook();
  };

  const inUse = (batches ?? []).filter((b) => b.status === 'active');
  const usedUp = (batches ?? []).filter((b) => b.status !== 'active');

  return (
    <Page title={t('batches.title')}>
      {outlook.status === 'ready' ? <BatchesOutlook outlook={outlook.data} /> : null}
      {outlook.status === 'failed' ? (
        <p className="note">
          {t('batches.outlook.failed')}{' '}
          <button type="button" className="link-button" onClick={outlook.reload}>
            {t('retry')}
          </button>
        </p>
      ) : null}

      <Status>{done}</Status>

      {manager && !adding ? (
        <p>
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            {t('batches.add.open')}
          </button>
        </p>
      ) : null}
      {manager && adding ? (
        <BatchesAddForm
          onCancel={() => setAdding(false)}
          onAdded={(batch) => {
            setAdding(false);
            changed(batch, t('batches.add.done', { number: batch.number }));
          }}
        />
      ) : null}

      <section aria-labelledby={`${id}-in-use`}>
        <h2 id={`${id}-in-use`}>{t('batches.inUse')}</h2>
        {!batches && listed.status === 'loading' ? <Status>{t('loading')}</Status> : null}
        {!batches && listed.status === 'failed' ? (
          <>
            <ManagerError error={listed.error} />
            <button type="button" className="button button-secondary" onClick={listed.reload}>
              {t('retry')}
            </button>
          </>
        ) : null}
        {batches && inUse.length === 0 ? (
          <p className="empty">{manager ? t('batches.empty.manager') : t('batches.empty.staff')}</p>
        ) : null}
        {inUse.length > 0 ? (
          <ul className="batches">
            {inUse.map((batch) => (
              <BatchesCard key={batch.id} batch={batch} manager={manager} onChanged={changed} />
            ))}
          </ul>
        ) : null}
        {!manager && batches ? <p className="hint">{t('batches.staffNote')}</p> : null}
      </section>

      {usedUp.length > 0 ? (
        <details className="batches-used">
          <summary>{t('batches.usedUp', { count: usedUp.length })}</summary>
          <ul className="batches">
            {usedUp.map((batch) => (
              <BatchesCard key={batch.id} batch={batch} manager={manager} onChanged={changed} />
            ))}
          </ul>
        </details>
      ) : null}
    </Page>
  );
}
