import { parseArgs } from 'node:util';
import { runStandbyStorm, type StormReport } from '@ereg/shared/testing';
import { startFirestoreEmulator } from '../test/support/emulators.ts';
import { firestoreStorm, sqliteStorm } from '../test/support/storm-stores.ts';

const usage = `Usage: npm run bench:standby-storm -- --store firestore|sqlite [--people N] [--places N]

Runs the standby storm (shared/src/testing/standby-storm.ts) at full size by default (10,000 people
waiting, 1,000 freed places) on SQLite in memory or on Google's Firestore emulator (started here), and
prints the milliseconds of each phase and whether the storm's checks held.`;

/** What the storm must show (as the tests check it): every round in order, nothing held twice, texted once. */
function faults(report: StormReport, places: number): string[] {
  const found: string[] = [];
  const expected: Array<[number, (place: number) => number]> = [
    [places, (i) => i],
    [places, (i) => places + i],
    [places / 2, (i) => 2 * places + i],
    [places / 2, (i) => 2 * places + places / 2 + i],
  ];
  expected.forEach(([count, personOf], r) => {
    const round = report.rounds[r];
    if (round?.size !== count) found.push(`round ${r + 1} made ${round?.size ?? 0} offers, not ${count}`);
    for (const [place, person] of round ?? []) {
      if (person !== personOf(place)) found.push(`round ${r + 1} offered place ${place} to person ${person}`);
    }
  });
  if (report.most.perPerson !== 1 || report.most.perPhone !== 1 || report.most.perPlace !== 1) {
    found.push(`held at once: ${JSON.stringify(report.most)}`);
  }
  if (report.overbooked > 0) found.push(`${report.overbooked} places overbooked`);
  for (const [kind, tally] of Object.entries(report.sms)) {
    if (tally.textedOnce !== tally.events) found.push(`${kind}: ${tally.textedOnce} of ${tally.events} texted once`);
  }
  return found;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string' },
      people: { type: 'string' },
      places: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || (values.store !== 'firestore' && values.store !== 'sqlite')) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const size = { people: Number(values.people ?? 10_000), places: Number(values.places ?? 1_000) };
  const emulator = values.store === 'firestore' ? await startFirestoreEmulator() : null;
  try {
    const report = await runStandbyStorm(emulator ? firestoreStorm(emulator.host) : sqliteStorm, size);
    const found = faults(report, size.places);
    const seconds = (ms: number) => Number((ms / 1000).toFixed(1));
    const phases = Object.fromEntries(Object.entries(report.phases).map(([phase, ms]) => [phase, seconds(ms)]));
    console.log(
      JSON.stringify(
        { store: values.store, ...size, seconds: seconds(report.ms), phases, events: report.events, faults: found },
        null,
        2,
      ),
    );
    return found.length === 0 ? 0 : 1;
  } finally {
    await emulator?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
