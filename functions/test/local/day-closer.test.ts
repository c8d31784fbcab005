import { client } from '../support/http-client.ts';
import { createTestSystem, serve } from '../support/test-system.ts';

describe('the local server closes centre days on its own', () => {
  test('once a day is over, the background task marks the visit nobody came to as a no-show', async () => {
    const system = await createTestSystem({ background: { closeDaysMs: 50 } });
    const http = await serve(system);
    try {
      await system.addRule();
      const centre = await system.addCentre();
      const call = client(http.url);
      const { token } = await system.newPatient({ born: 1950 });
      const free = await call(
        'GET',
        `/api/centres/${centre.id}/slots?vaccineId=comirnaty&from=2026-01-12&to=2026-01-12`,
      );
      const booked = await call('POST', '/api/booking/appointments', {
        token,
        body: { slotId: free.body.slots.at(-1).slotId },
      });
      expect(booked.status).toBe(201);
      const visit = booked.body.appointments[0];

      // The builder's centre closes at 12:00 in Warsaw (11:00Z); an hour later its day is over.
      system.clock.set('2026-01-12T12:01:00.000Z');
      const deadline = Date.now() + 10_000;
      let status = 'booked';
      while (status === 'booked' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = (await system.store.getAppointment(visit.id))?.status ?? 'gone';
      }

      expect(status).toBe('no_show');
    } finally {
      await http.close();
      await system.close();
    }
  });
});
