import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/index.ts';
import { useShortcutRegistry } from '../lib/shortcuts.ts';

/**
 * The shortcuts the page offers now, each as Alt and its key, in a dialog that opens with Alt+/ or the
 * header's button and closes with Escape or its button, focus going back where it was.
 */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const registry = useShortcutRegistry();
  const list = useSyncExternalStore(registry.subscribe, registry.version);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Where the focus was as the dialog opened (its button takes the focus as it mounts).
  const [before] = useState(() => document.activeElement);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) {
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    }
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, [before]);

  const shortcuts = registry
    .list()
    .filter((s, at, all) => all.findLastIndex((other) => other.key === s.key) === at)
    .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));

  return (
    <dialog
      ref={dialog}
      className="shortcut-help"
      aria-labelledby={titleId}
      data-version={list}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{t('shortcuts.title')}</h2>
      <p>{t('shortcuts.intro')}</p>
      <dl>
        {shortcuts.map((s) => (
          <div key={s.key}>
            <dt>
              <kbd>Alt+{s.key.toUpperCase()}</kbd>
            </dt>
            <dd>{s.label}</dd>
          </div>
        ))}
      </dl>
      {/* biome-ignore lint/a11y/noAutofocus: the dialog's one control takes the focus as it opens */}
      <button type="button" className="button button-secondary" autoFocus onClick={onClose}>
        {t('shortcuts.close')}
      </button>
    </dialog>
  );
}
