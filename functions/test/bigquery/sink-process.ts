import { createInterface } from 'node:readline';
import { parseDomainEvent } from '@ereg/shared';
import { TEST_ANALYTICS } from '@ereg/shared/testing';
import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { BigQueryAnalytics } from '../../src/adapters/bigquery/bigquery-analytics.ts';

// The BigQuery sink in a plain Node process, driven over stdin/stdout by the test. It runs outside Jest
// because the client's HTTP layer (teeny-request) loads node-fetch with a dynamic import(), which
// Jest's CommonJS sandbox refuses without --experimental-vm-modules. One JSON event per input line;
// one line `{"ok":true}` or `{"error":"…"}` per event, in order.
const endpoint = process.env.BIGQUERY_TEST_ENDPOINT;
const projectId = process.env.BIGQUERY_TEST_PROJECT;
if (!endpoint || !projectId) throw new Error('BIGQUERY_TEST_ENDPOINT and BIGQUERY_TEST_PROJECT are required');

// A fixed token instead of Application Default Credentials: the fake server sees `Bearer test-token`.
const authClient = new OAuth2Client();
authClient.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });

// Short retry delays so the 5xx test takes milliseconds, not the default second or more.
const bigquery = new BigQuery({
  projectId,
  apiEndpoint: endpoint,
  authClient,
  retryOptions: { retryDelayMultiplier: 1.1, maxRetryDelay: 1, totalTimeout: 30 },
});
const sink = BigQueryAnalytics.open(TEST_ANALYTICS, bigquery);

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  try {
    await sink.handle(parseDomainEvent(JSON.parse(line)));
    process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
  }
}
