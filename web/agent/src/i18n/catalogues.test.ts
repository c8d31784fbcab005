/** @jest-environment node */
import { checkCatalogues } from '../../../shared/src/test-catalogues.ts';
import { EXPLAINED_CODES, NAMED_FIELDS } from '../lib/error-messages.ts';
import { CATALOGUES } from './index.ts';

describe('the hotline console’s catalogues', () => {
  checkCatalogues({
    catalogues: CATALOGUES,
    // The "field: message" pattern, a person's name beside their id, and PESEL, a name in every language.
    sameInEveryLanguage: [
      'field.named',
      'header.person',
      'call.find.kind.pesel',
      'caller.details.pesel',
      'field.pesel',
    ],
    explainedCodes: EXPLAINED_CODES,
    namedFields: NAMED_FIELDS,
  });

  it('explains the session’s and the network’s codes itself', () => {
    expect(EXPLAINED_CODES).toEqual(expect.arrayContaining(['NETWORK', 'TOKEN_EXPIRED', 'UNAUTHENTICATED']));
  });
});
