export { aBirthYearRule, aCentre, aCitizen, aSchedule, FakeClock } from '@ereg/shared/testing';

/** The PESEL index key of the Firestore stores in tests. */
export const TEST_PESEL_SECRET = 'test-pesel-index-key-0123456789abcdef';
