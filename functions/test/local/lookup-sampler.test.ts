import { lookUpCaller } from '@ereg/shared';
import { createTestSystem } from '../support/test-system.ts';

describe('the local server samples the look-ups for review on its own', () => {
  test('once the day is over, the background task queues the day’s look-ups for the supervisors', async () => {
    const system = await createTestSystem({ background: { closeDaysMs: 60_000, sampleLookupsMs: 50 } });
    try {
      await system.addRule();
      const { pesel } = await system.newPatient({ born: 1950 });
      await lookUpCaller(
        system.deps,
        { role: 'agent', agentId: 'agent-1' },
        { by: 'pesel', value: pesel, reason: 'caller-asking' },
      );
      system.clock.advanceDays(1);
      const deadline = Date.now() + 10_000;
      let reviews = await system.store.listReviews({ limit: 5 });
      while (reviews.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        reviews = await system.store.listReviews({ limit: 5 });
      }
      expect(reviews.map((r) => [r.date, r.agentId, r.reasonCode, r.verdict])).toEqual([
        ['2026-01-12', 'agent-1', 'caller-asking', null],
      ]);
    } finally {
      await system.close();
    }
  });
});
