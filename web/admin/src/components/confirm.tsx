import { type ReactNode, useEffect, useRef } from 'react';
import { useI18n } from '../i18n/index.ts';

/**
 * Asks before an action that cannot be taken back: the question, what it needs (a reason, a date) and
 * two buttons; focus moves to it as it appears, and back to what opened it when cancelled (the caller's).
 */
export function Confirm({
  question,
  children,
  busy = false,
  onConfirm,
  onCancel,
  confirmLabel,
}: {
  question: string;
  children?: ReactNode;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  confirmLabel?: string;
}) {
  const { t } = useI18n();
  const panel = useRef<HTMLFieldSetElement>(null);
  useEffect(() => {
    panel.current?.focus();
  }, []);
  return (
    <fieldset ref={panel} className="confirm" tabIndex={-1}>
      <legend className="confirm-question">{question}</legend>
      {children}
      <div className="actions">
        <button type="button" className="button button-primary" disabled={busy} onClick={onConfirm}>
          {confirmLabel ?? t('confirm.yes')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </fieldset>
  );
}
