import { useEffect, useRef, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { SupervisorError } from '../components/audit-error.tsx';
import { AuditFilterForm, FILTER_FIELDS } from '../components/audit-filter-form.tsx';
import { altKey, KeyHint } from '../components/audit-key.tsx';
import { type AuditRow, AuditTable } from '../components/audit-table.tsx';
import { useI18n } from '../i18n/index.ts';
import { describeSupervisorError, refusedField } from '../lib/audit-errors.ts';
import { type AuditFilters, auditHref, filtersFromSearch } from '../lib/audit-filters.ts';
import { useShortcut } from '../lib/shortcuts.ts';

/** The later pages of one view of the log, loaded by "Load more". */
interface More {
  view: string;
  records: AuditRow[];
  /** The cursor of the page after the last loaded; undefined until a later page is loaded. */
  next?: string | null;
  loading: boolean;
  error: unknown;
  /** Where the page loaded last starts: focus goes there. */
  firstNew: number | null;
}

const NO_MORE = (view: string): More => ({ view, records: [], loading: false, error: null, firstNew: null });

/**
 * The supervisor's access log: who reached whose data, when, how and why, newest first. The filters
 * are the page's address (a filtered view can be shared); the log comes a page at a time.
 */
export function AuditPage() {
  const { t, fmt } = useI18n();
  const { api } = useApp();
  const router = useRouter();
  const { search } = useLocation();
  const filters = filtersFromSearch(search);
  const view = auditHref(filters);
  const first = useLoad(view, () => api.call('auditLog', { query: { ...filters } }));
  const [more, setMore] = useState<More>(() => NO_MORE(view));
  const current = more.view === view ? more : NO_MORE(view);
  const resultsTitle = useRef<HTMLHeadingElement>(null);
  const firstNewRow = useRef<HTMLTableRowElement>(null);
  const shown = useRef(false);

  const records = first.status === 'ready' ? [...first.data.records, ...current.records] : [];
  const next = current.next === undefined ? (first.status === 'ready' ? first.data.next : null) : current.next;

  const show = (chosen: AuditFilters) => {
    shown.current = true;
    router.navigate(auditHref(chosen));
  };
  // After the supervisor asked for a view, focus goes to its results once they are in.
  useEffect(() => {
    if (!shown.current || first.status === 'loading') return;
    shown.current = false;
    resultsTitle.current?.focus();
  }, [first.status]);
  useEffect(() => {
    if (current.firstNew !== null) firstNewRow.current?.focus();
  }, [current.firstNew]);

  const loadMore = async () => {
    if (!next || current.loading) return;
    setMore({ ...current, loading: true, error: null });
    try {
      const page = await api.call('auditLog', { query: { ...filters, after: next } });
      setMore({
        view,
        records: [...current.records, ...page.records],
        next: page.next,
        loading: false,
        error: null,
        firstNew: records.length,
      });
    } catch (error) {
      setMore({ ...current, loading: false, error });
    }
  };
  useShortcut('o', t('audit.more'), () => void loadMore(), Boolean(next));

  const refusal = first.status === 'failed' ? first.error : null;
  const field = refusedField(refusal, FILTER_FIELDS);
  return (
    <Page title={t('nav.audit')}>
      <p className="hint">{t('audit.intro')}</p>
      <AuditFilterForm
        key={view}
        filters={filters}
        fieldError={field ? { field, message: describeSupervisorError(refusal, t, fmt) } : null}
        onShow={show}
      />
      <h2 id="audit-results" ref={resultsTitle} tabIndex={-1}>
        {t('audit.results')}
      </h2>
      <Status>
        {first.status === 'loading' ? t('audit.loading') : null}
        {first.status === 'ready' && records.length > 0 ? t.plural('audit.count', records.length) : null}
      </Status>
      {refusal && !field ? <SupervisorError error={refusal} /> : null}
      {first.status === 'failed' && field ? <p className="audit-empty">{t('audit.fixFilters')}</p> : null}
      {first.status === 'ready' && records.length === 0 ? <p className="audit-empty">{t('audit.empty')}</p> : null}
      {records.length > 0 ? (
        <AuditTable records={records} firstNew={current.firstNew} firstNewRef={firstNewRow} />
      ) : null}
      {current.error ? <SupervisorError error={current.error} /> : null}
      {next ? (
        <p className="audit-actions">
          <button
            type="button"
            className="button"
            onClick={() => void loadMore()}
            aria-disabled={current.loading || undefined}
            aria-keyshortcuts={altKey('o')}
          >
            {current.loading ? t('audit.moreLoading') : t('audit.more')} <KeyHint letter="o" />
          </button>
        </p>
      ) : null}
      {first.status === 'ready' && records.length > 0 && !next ? <p className="hint">{t('audit.end')}</p> : null}
    </Page>
  );
}
