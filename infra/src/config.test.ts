import * as pulumi from '@pulumi/pulumi';
import { loadStackConfig, resolveInstances } from './config.ts';
import { DEPLOYED_FUNCTION_NAMES, FUNCTION_SPECS } from './function-specs.ts';

/** The keys a stack must set, with values that pass. */
const REQUIRED = {
  'gcp:project': 'ereg-test',
  'ereg:twilioAccountSid': `AC${'a1'.repeat(16)}`,
  'ereg:twilioMessagingServiceSid': `MG${'b2'.repeat(16)}`,
  'ereg:twilioAuthToken': 'token',
  'ereg:peselHmacSecret': 'pesel-index-key-of-at-least-thirty-two-characters',
  'ereg:idpIssuer': 'https://idp.example.gov.pl',
  'ereg:idpAudience': 'ereg',
  'ereg:idpPublicKeyPem': '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n',
  'ereg:idpLoginUrl': 'https://idp.example.gov.pl/login',
  'ereg:firebaseWebApiKey': 'AIzaSyInfraTestKey',
};

/** The stack configuration read from the required keys and these. */
function aStackConfig(settings: Record<string, string> = {}) {
  pulumi.runtime.setAllConfig({ ...REQUIRED, ...settings }, ['ereg:twilioAuthToken', 'ereg:peselHmacSecret']);
  return loadStackConfig('/repo');
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    { newResource: ({ name, inputs }) => ({ id: name, state: inputs }), call: ({ inputs }) => inputs },
    'ereg',
    'test',
    false,
  );
});

describe('the text messages and their queue', () => {
  test('by default the messages name the hotline 989 and no web address, and at most 100 go out a second', () => {
    const config = aStackConfig();
    expect(config.sms).toEqual({ hotline: '989', peoplePerPhonePerDay: 5 });
    expect(config.tasks.maxDispatchesPerSecond).toBe(100);
  });

  test('smsHotline, smsWebUrl, smsPerSecond and smsPeoplePerPhonePerDay set them', () => {
    const config = aStackConfig({
      'ereg:smsHotline': '+48 22 123 45 67',
      'ereg:smsWebUrl': 'https://pacjent.gov.pl/szczepienia',
      'ereg:smsPerSecond': '40',
      'ereg:smsPeoplePerPhonePerDay': '3',
    });
    expect(config.sms).toEqual({
      hotline: '+48 22 123 45 67',
      webUrl: 'https://pacjent.gov.pl/szczepienia',
      peoplePerPhonePerDay: 3,
    });
    expect(config.tasks.maxDispatchesPerSecond).toBe(40);
  });

  test('a hotline or web address too long for a text message, a web address without https, or a rate above 500 is refused by name', () => {
    expect(() => aStackConfig({ 'ereg:smsHotline': '1'.repeat(17) })).toThrow(/smsHotline/);
    expect(() => aStackConfig({ 'ereg:smsWebUrl': `https://example.gov.pl/${'x'.repeat(20)}` })).toThrow(/smsWebUrl/);
    expect(() => aStackConfig({ 'ereg:smsWebUrl': 'http://pacjent.gov.pl' })).toThrow(/smsWebUrl/);
    expect(() => aStackConfig({ 'ereg:smsPerSecond': '501' })).toThrow(/smsPerSecond/);
    expect(() => aStackConfig({ 'ereg:smsPeoplePerPhonePerDay': '0' })).toThrow(/smsPeoplePerPhonePerDay/);
  });

  test.each(['twilioStatusCallbackUrl', 'tasksTargetUrl', 'remindersMaxDispatchesPerSecond'])(
    'a stack that still sets %s is stopped with what to do instead',
    (key) => {
      expect(() => aStackConfig({ [`ereg:${key}`]: '1' })).toThrow(`'ereg:${key}' is no longer read`);
    },
  );
});

describe('the instances of each function', () => {
  test('on an ordinary day every function runs between its minimum and maximum', () => {
    const instances = resolveInstances({}, false);
    for (const name of DEPLOYED_FUNCTION_NAMES) {
      expect(instances[name]).toEqual({
        min: FUNCTION_SPECS[name].scale.minInstances,
        max: FUNCTION_SPECS[name].scale.maxInstances,
      });
    }
  });

  test('an opening raises the minimum of the functions an opening hits, and no maximum', () => {
    const ordinary = resolveInstances({}, false);
    const opening = resolveInstances({}, true);
    expect(opening.login.min).toBeGreaterThanOrEqual(50);
    expect(opening.booking.min).toBeGreaterThan(ordinary.booking.min);
    for (const name of DEPLOYED_FUNCTION_NAMES) {
      expect(opening[name].min).toBeGreaterThanOrEqual(ordinary[name].min);
      expect(opening[name].max).toBe(ordinary[name].max);
    }
  });

  test("a stack setting changes one function's instances and keeps the others' defaults", () => {
    const instances = resolveInstances({ login: { maxInstances: 300, openingMinInstances: '80' } }, true);
    expect(instances.login).toEqual({ min: 80, max: 300 });
    expect(instances.search).toEqual(resolveInstances({}, true).search);
  });

  test('an unknown function, an unknown setting or a bad count is refused by name', () => {
    expect(() => resolveInstances({ logon: { maxInstances: 1 } }, false)).toThrow(/scale\.logon: no such function/);
    expect(() => resolveInstances({ login: { max: 1 } }, false)).toThrow(/scale\.login\.max: unknown setting/);
    expect(() => resolveInstances({ login: { maxInstances: -1 } }, false)).toThrow(/scale\.login\.maxInstances/);
    expect(() => resolveInstances({ login: { maxInstances: 0 } }, false)).toThrow(/at least 1/);
  });

  test('a minimum above the maximum is refused', () => {
    expect(() => resolveInstances({ booking: { maxInstances: 10 } }, true)).toThrow(
      'scale.booking: minimum 16 is above maxInstances 10',
    );
  });
});

describe('the edge and the rate limits', () => {
  test('without an edge setting no balancer is deployed, and the functions keep their default limits', () => {
    const config = aStackConfig();
    expect(config.edge).toBeNull();
    expect(config.rateLimits.setting).toBeUndefined();
    expect(config.rateLimits.policy.searchPerNetwork?.limit).toBe(120);
  });

  test('edge names the domain and the Hosting site; rateLimits changes limits by name', () => {
    const config = aStackConfig({
      'ereg:edge': JSON.stringify({ domain: 'szczepienia.gov.pl', siteHost: 'ereg-prod.web.app' }),
      'ereg:rateLimits': 'searchPerNetwork=300/1m',
    });
    expect(config.edge).toEqual({ domain: 'szczepienia.gov.pl', siteHost: 'ereg-prod.web.app' });
    expect(config.rateLimits.setting).toBe('searchPerNetwork=300/1m');
    expect(config.rateLimits.policy.searchPerNetwork?.limit).toBe(300);
  });

  test('a malformed edge or rate limit is refused by name', () => {
    expect(() => aStackConfig({ 'ereg:edge': JSON.stringify({ domain: 'https://x.gov.pl' }) })).toThrow(/edge\.domain/);
    expect(() => aStackConfig({ 'ereg:edge': JSON.stringify({ domain: 'x.gov.pl' }) })).toThrow(/edge\.siteHost/);
    expect(() => aStackConfig({ 'ereg:rateLimits': 'searchPerNetwork=lots' })).toThrow(/rateLimits: searchPerNetwork/);
  });
});
