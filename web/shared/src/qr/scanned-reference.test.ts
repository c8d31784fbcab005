import { referenceFromScan } from './scanned-reference.ts';

describe('the reference a scan or a typed entry carries', () => {
  test.each([
    ['K7M2QX9P', 'K7M2QX9P'],
    ['  k7m2-qx9p ', 'K7M2QX9P'],
    ['K7M2 QX9P', 'K7M2QX9P'],
    ['https://szczepienia.example.gov.pl/bookings/K7M2QX9P', 'K7M2QX9P'],
    ['http://127.0.0.1:8080/bookings/k7m2qx9p?from=sms', 'K7M2QX9P'],
  ])('%s gives %s', (text, reference) => {
    expect(referenceFromScan(text)).toBe(reference);
  });

  test.each([
    ['a letter that is never used (O)', 'K7M2QX9O'],
    ['a digit that is never used (1)', 'K7M2QX91'],
    ['too short', 'K7M2QX9'],
    ['another link', 'https://example.org/visits/K7M2QX9P'],
    ['nothing', ''],
  ])('%s gives nothing', (_, text) => {
    expect(referenceFromScan(text)).toBeNull();
  });
});
