/** @jest-environment node */
import { ApiError, NETWORK_ERROR } from '../../../shared/src/api-client.ts';
import { i18nFor } from '../i18n/index.ts';
import { pl } from '../i18n/pl.ts';
import { describeManagerError, errorField, MANAGER_CODES } from './manager-errors.ts';

const refusal = (status: number, code: string, field?: string) =>
  new ApiError(status, code, `${code} (server text)`, field ? { field } : {});

describe('the manager pages’ errors', () => {
  it('has a sentence in the catalogue for every code it explains', () => {
    for (const code of MANAGER_CODES) expect(Object.keys(pl)).toContain(`manager.error.${code}`);
  });

  it('says the last-manager refusal in the person’s language, not the server’s words', () => {
    const error = refusal(409, 'LAST_MANAGER');
    const { t, fmt } = i18nFor('en');
    expect(describeManagerError(error, t, fmt)).toBe(
      'This is the centre’s only manager: make someone else manager first.',
    );
    const uk = i18nFor('uk');
    expect(describeManagerError(error, uk.t, uk.fmt)).toBe(
      'Це єдиний керівник пункту: спершу призначте керівником когось іншого.',
    );
  });

  it('falls back to the desk’s wording for the refusals every page shares', () => {
    const { t, fmt } = i18nFor('pl');
    expect(describeManagerError(refusal(0, NETWORK_ERROR), t, fmt)).toBe(t('error.NETWORK'));
    expect(describeManagerError(refusal(409, 'SOMETHING_NEW'), t, fmt)).toBe(
      'Wystąpił nieoczekiwany błąd (SOMETHING_NEW). Spróbuj ponownie.',
    );
  });

  it('finds the field a refusal is about: the one the API names, else the one the form knows for its code', () => {
    expect(errorField(refusal(400, 'INVALID_LOT', 'number'))).toBe('number');
    expect(errorField(refusal(409, 'BATCH_EXISTS'), { BATCH_EXISTS: 'number' })).toBe('number');
    expect(errorField(refusal(409, 'BATCH_EXISTS'))).toBeNull();
    expect(errorField(new Error('not the API'))).toBeNull();
  });
});
