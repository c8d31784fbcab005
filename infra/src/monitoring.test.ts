import * as pulumi from '@pulumi/pulumi';
import { loadMonitoringSettings } from './monitoring.ts';

function settingsOf(config: Record<string, string>) {
  pulumi.runtime.setAllConfig(config, ['ereg:alertWebhookUrl']);
  return loadMonitoringSettings();
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    { newResource: ({ name, inputs }) => ({ id: name, state: inputs }), call: ({ inputs }) => inputs },
    'ereg',
    'test',
    false,
  );
});

describe('the alerting settings of a stack', () => {
  test('without settings no channel is named, and the thresholds are 120 s of outbox lag and 5 % failed texts', () => {
    const settings = settingsOf({});
    expect(settings).toMatchObject({
      emails: [],
      smsNumbers: [],
      webhookUrl: undefined,
      runbookUrl: undefined,
      outboxLagSeconds: 120,
      smsFailurePercent: 5,
    });
  });

  test('the lists and thresholds are read from the stack', () => {
    const settings = settingsOf({
      'ereg:alertEmails': '["dyzur@example.gov.pl"]',
      'ereg:alertSmsNumbers': '["+48500100200"]',
      'ereg:alertOutboxLagSeconds': '300',
      'ereg:alertSmsFailurePercent': '2.5',
    });
    expect(settings).toMatchObject({
      emails: ['dyzur@example.gov.pl'],
      smsNumbers: ['+48500100200'],
      outboxLagSeconds: 300,
      smsFailurePercent: 2.5,
    });
  });

  test.each([
    ['ereg:alertEmails', '"dyzur@example.gov.pl"', /alertEmails must be a list of e-mail addresses/],
    ['ereg:alertEmails', '["not an address"]', /alertEmails must be a list of e-mail addresses/],
    ['ereg:alertSmsNumbers', '["500100200"]', /alertSmsNumbers must be a list of phone numbers in E\.164/],
    ['ereg:alertWebhookUrl', 'http://oncall.example.gov.pl/hook', /alertWebhookUrl/],
    ['ereg:runbookUrl', 'docs/operations.md', /runbookUrl/],
    ['ereg:alertOutboxLagSeconds', '5', /alertOutboxLagSeconds/],
    ['ereg:alertSmsFailurePercent', '150', /alertSmsFailurePercent/],
  ])('%s = %s is refused by its name', (key, value, message) => {
    expect(() => settingsOf({ [key]: value })).toThrow(message);
  });
});
