import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Centre, Instant, ReportFilter, ReportSummary } from '@ereg/shared';
import type { BigQueryReportsOptions } from '../../src/adapters/bigquery/bigquery-reports.ts';
import type { WarehouseNight } from '../../src/adapters/bigquery/bigquery-warehouse-tables.ts';
import type { WarehouseQuery } from '../../src/reports/warehouse-reports.ts';

/**
 * warehouse-process.ts in a child Node process, pointed at a BigQuery stand-in through the client's
 * `apiEndpoint`: the reports' reader and the nightly writer with the real client library, driven here.
 */
export class WarehouseProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private next = 0;
  private stderr = '';

  constructor(endpoint: string, project: string, env: { dataset?: string; now?: string } = {}) {
    this.child = spawn(process.execPath, ['--conditions=source', join(__dirname, 'warehouse-process.ts')], {
      env: {
        ...process.env,
        BIGQUERY_TEST_ENDPOINT: endpoint,
        BIGQUERY_TEST_PROJECT: project,
        ...(env.dataset ? { BIGQUERY_TEST_DATASET: env.dataset } : {}),
        ...(env.now ? { BIGQUERY_TEST_NOW: env.now } : {}),
      },
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const answer = JSON.parse(line) as { id: number; value?: unknown; error?: string };
      const waiter = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      if (answer.error === undefined) waiter?.resolve(answer.value);
      else waiter?.reject(new Error(answer.error));
    });
    this.child.on('exit', (code) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`exited ${code}: ${this.stderr}`));
      this.waiting.clear();
    });
  }

  private send<T>(command: Record<string, unknown>): Promise<T> {
    const id = ++this.next;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.stdin.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  }

  /** A new reader (an empty cache) with these options. */
  open(options: Omit<BigQueryReportsOptions, 'projectId' | 'clock'>): Promise<void> {
    return this.send({ op: 'open', options });
  }

  setClock(now: Instant): Promise<void> {
    return this.send({ op: 'setClock', now });
  }

  summary(filter: ReportFilter, today: string, suppressBelow: number | null = null): Promise<ReportSummary> {
    return this.send({ op: 'summary', filter, today, suppressBelow });
  }

  dosesPerDay(filter: ReportFilter): Promise<Array<{ day: string; vaccineId: string; dose: number; doses: number }>> {
    return this.send({ op: 'read', method: 'dosesPerDay', filter });
  }

  run(query: WarehouseQuery): Promise<Array<Record<string, unknown>>> {
    return this.send({ op: 'run', query });
  }

  asOf(): Promise<Instant | null> {
    return this.send({ op: 'asOf' });
  }

  /** Onboards a centre in the process's store and publishes its slots; answers its id. */
  addCentre(centre: Partial<Centre>): Promise<string> {
    return this.send({ op: 'addCentre', centre });
  }

  /** A new patient books a course at the centre's slot; answers the visits' ids. */
  bookCourse(centreId: string, date: string, time: string): Promise<string[]> {
    return this.send({ op: 'bookCourse', centreId, date, time });
  }

  /** The nightly writing of the warehouse (snapshot and dimensions). */
  writeNight(): Promise<WarehouseNight> {
    return this.send({ op: 'writeNight' });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}
