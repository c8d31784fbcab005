import type { HotlineAlert } from '@ereg/shared';
import { useEffect, useRef, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { AcknowledgedAlert, alertLogHref, alertTitleId, OpenAlert } from '../components/alerts-card.tsx';
import { WatchList } from '../components/alerts-watch-list.tsx';
import { SupervisorError } from '../components/audit-error.tsx';
import { ListSwitch } from '../components/audit-tabs.tsx';
import { useI18n } from '../i18n/index.ts';
import { refusedWith } from '../lib/audit-errors.ts';
import { PATHS } from '../lib/paths.ts';
import { useShortcut } from '../lib/shortcuts.ts';

type List = 'open' | 'acknowledged';

const LIST_TITLE_ID = 'alerts-list-title';

/**
 * The supervisor's alerts (an agent past the look-up budget, one person looked up by many agents, a
 * watched PESEL looked up), each acknowledged once with an optional note; and the watch list.
 */
export function AlertsPage() {
  const { t } = useI18n();
  const { api, document } = useApp();
  const router = useRouter();
  const { search } = useLocation();
  const list: List = search.get('list') === 'acknowledged' ? 'acknowledged' : 'open';
  const loaded = useLoad(list, () => api.call('listAlerts', { query: { open: list === 'open' ? 'true' : 'false' } }));
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [notes, setNotes] = useState<Readonly<Record<string, string>>>({});
  const [errors, setErrors] = useState<Readonly<Record<string, unknown>>>({});
  const [busy, setBusy] = useState<string | null>(null);
  // What was said is about the list it was said on: once the other list is shown, it is forgotten.
  const [said, setSaid] = useState<{ list: List; text: string }>({ list, text: '' });
  if (said.list !== list) setSaid({ list, text: '' });
  const notice = said.list === list ? said.text : '';
  const setNotice = (text: string) => setSaid({ list, text });
  const [focusTarget, setFocusTarget] = useState<{ id: string } | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  const alerts = loaded.status === 'ready' ? loaded.data.alerts : [];
  const open = list === 'open' ? alerts.filter((a) => !gone.has(a.id)) : [];

  useEffect(() => {
    if (focusTarget) document.getElementById(focusTarget.id)?.focus();
  }, [focusTarget, document]);

  const current = (): HotlineAlert | undefined => {
    const at = document.activeElement?.closest('[data-alert-id]')?.getAttribute('data-alert-id');
    return open.find((a) => a.id === at) ?? open[0];
  };

  const moveOn = (alert: HotlineAlert) => {
    const index = open.findIndex((a) => a.id === alert.id);
    const left = open.filter((a) => a.id !== alert.id);
    const next = left[index] ?? left[index - 1];
    setGone((g) => new Set(g).add(alert.id));
    setFocusTarget({ id: next ? alertTitleId(next) : LIST_TITLE_ID });
  };

  const acknowledge = async (alert: HotlineAlert) => {
    if (busy) return;
    const note = notes[alert.id]?.trim() ?? '';
    setBusy(alert.id);
    setErrors(({ [alert.id]: _, ...rest }) => rest);
    try {
      await api.call('acknowledgeAlert', { params: { alertId: alert.id }, body: note ? { note } : {} });
      setNotice(t('alerts.acknowledged'));
      moveOn(alert);
    } catch (error) {
      if (refusedWith(error, 'ALERT_ACKNOWLEDGED')) {
        setNotice(t('alerts.takenAlready'));
        moveOn(alert);
      } else {
        setErrors((e) => ({ ...e, [alert.id]: error }));
        buttons.current.get(alert.id)?.focus();
      }
    } finally {
      setBusy(null);
    }
  };

  const any = open.length > 0;
  useShortcut(
    'e',
    t('alerts.acknowledge'),
    () => {
      const alert = current();
      if (alert) void acknowledge(alert);
    },
    any,
  );
  useShortcut(
    'i',
    t('alerts.showLog'),
    () => {
      const alert = current();
      if (alert) router.navigate(alertLogHref(alert));
    },
    any,
  );

  const lists = [
    { id: 'open' as const, title: t('alerts.open'), href: PATHS.alerts },
    { id: 'acknowledged' as const, title: t('alerts.done'), href: `${PATHS.alerts}?list=acknowledged` },
  ];
  const shown = list === 'open' ? open : alerts;
  return (
    <Page title={t('nav.alerts')}>
      <ListSwitch label={t('alerts.lists')} lists={lists} shown={list} onSwitch={(href) => router.navigate(href)} />
      <h2 id={LIST_TITLE_ID} tabIndex={-1}>
        {list === 'open' ? t('alerts.open') : t('alerts.done')}
      </h2>
      <Status>{loaded.status === 'loading' ? t('alerts.loading') : notice}</Status>
      {loaded.status === 'failed' ? <SupervisorError error={loaded.error} /> : null}
      {loaded.status === 'ready' && shown.length === 0 ? (
        <p className="audit-empty">{list === 'open' ? t('alerts.noneOpen') : t('alerts.noneDone')}</p>
      ) : null}
      {shown.length > 0 ? (
        <ul className="audit-cards">
          {list === 'open'
            ? open.map((alert) => (
                <OpenAlert
                  key={alert.id}
                  alert={alert}
                  note={notes[alert.id] ?? ''}
                  onNote={(note) => setNotes((n) => ({ ...n, [alert.id]: note }))}
                  error={errors[alert.id] ?? null}
                  busy={busy === alert.id}
                  onAcknowledge={() => void acknowledge(alert)}
                  buttonRef={(element) => {
                    if (element) buttons.current.set(alert.id, element);
                    else buttons.current.delete(alert.id);
                  }}
                />
              ))
            : alerts.map((alert) => <AcknowledgedAlert key={alert.id} alert={alert} />)}
        </ul>
      ) : null}
      <WatchList />
    </Page>
  );
}
