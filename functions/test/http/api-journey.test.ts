import { createTestSystem } from '../support/test-system.ts';
import { describeApiSuite, overHttp } from './api-suite.ts';

describeApiSuite('the API on the embedded SQLite store', async () => overHttp(await createTestSystem()));
