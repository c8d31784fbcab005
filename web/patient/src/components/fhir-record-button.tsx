import { useState } from 'react';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage } from './error-message.tsx';

/**
 * Downloads the person's own record (their details, visits and vaccinations) as a FHIR R4 Bundle, a file
 * another health service or app can read (docs/fhir.md).
 */
export function FhirRecordButton() {
  const app = useApp();
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    app.api.call('myFhirRecord').then(
      (bundle) => {
        setBusy(false);
        app.download('record.fhir.json', `${JSON.stringify(bundle, null, 2)}\n`, 'application/fhir+json');
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };
  return (
    <div className="fhir-record">
      <button type="button" className="button" onClick={download} aria-busy={busy}>
        {busy ? t('visits.fhir.busy') : t('visits.fhir')}
      </button>
      <p className="hint">{t('visits.fhir.hint')}</p>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}
