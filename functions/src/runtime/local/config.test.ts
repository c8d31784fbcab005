import { DEFAULT_RATE_LIMITS } from '@ereg/shared';
import { loadLocalConfig } from './config.ts';

describe('the local configuration loader', () => {
  test('runs with the default limits, believing no X-Forwarded-For header', () => {
    const config = loadLocalConfig({});
    expect(config.RATE_LIMITS).toEqual(DEFAULT_RATE_LIMITS);
    expect(config.TRUST_PROXY_HOPS).toBe(0);
  });

  test('RATE_LIMITS changes limits by name, turns one off, or turns them all off', () => {
    const config = loadLocalConfig({ RATE_LIMITS: 'loginPerPerson=3/1m,searchPerNetwork=off', TRUST_PROXY_HOPS: '1' });
    expect(config.RATE_LIMITS.loginPerPerson).toMatchObject({ limit: 3, windowSeconds: 60 });
    expect(config.RATE_LIMITS).not.toHaveProperty('searchPerNetwork');
    expect(config.TRUST_PROXY_HOPS).toBe(1);
    expect(loadLocalConfig({ RATE_LIMITS: 'off' }).RATE_LIMITS).toEqual({});
  });

  test('a limit it cannot read stops start-up, naming the variable and the limit', () => {
    expect(() => loadLocalConfig({ RATE_LIMITS: 'loginPerPerson=lots' })).toThrow(
      /RATE_LIMITS: loginPerPerson must be count\/window/,
    );
    expect(() => loadLocalConfig({ TRUST_PROXY_HOPS: '-1' })).toThrow(/TRUST_PROXY_HOPS/);
  });
});
