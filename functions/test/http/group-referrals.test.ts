import { makePesel } from '@ereg/shared';
import { aCitizen } from '../support/builders.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// The ministry's lists of priority groups and its announcements, over the API of the embedded default.

let system: TestSystem;
let close: () => Promise<void>;
let call: Call;
let url: string;
let admin: string;

beforeAll(async () => {
  system = await createTestSystem();
  const served = await serve(system);
  close = served.close;
  url = served.url;
  call = client(served.url);
  admin = await system.tokenFor({ role: 'admin', adminId: 'admin-1' });
});

afterAll(async () => {
  await close?.();
  await system?.close();
});

/** A person logs in through the development identity provider: their patient id. */
async function logIn(pesel: string): Promise<string> {
  const issued = await call('POST', '/dev-idp/assertion', { body: { pesel } });
  const session = await call('POST', '/api/login', { body: { assertion: issued.body.assertion } });
  expect(session.status).toBe(200);
  return session.body.patient.id;
}

const upload = (csv: string, fileName = 'staff.csv') =>
  call('POST', '/api/admin/group-referrals', { token: admin, body: { fileName, csv } });

describe('uploading a list of priority-group referrals', () => {
  test('a registered PESEL and an unknown one are answered alike; each gets the group, the unknown one at their first login', async () => {
    const registered = aCitizen({ born: 1980 }).pesel;
    const patientId = await logIn(registered);
    const unknown = aCitizen({ born: 1981 }).pesel;

    const known = await upload(`pesel;group\r\n${registered};medical\r\n12345;medical\r\n`);
    const stranger = await upload(`pesel;group\r\n${unknown};medical\r\n12345;medical\r\n`);

    expect(known.status).toBe(200);
    expect(stranger.status).toBe(200);
    const shape = (body: { upload: Record<string, unknown>; report: unknown }) => ({
      ...body,
      upload: { ...body.upload, id: '', at: '' },
    });
    expect(shape(stranger.body)).toEqual(shape(known.body));
    expect(known.body.upload).toMatchObject({ rows: 2, accepted: 1, rejected: 1, groups: ['medical'], by: 'admin-1' });
    expect(known.body.report).toEqual([
      { line: 2, status: 'accepted' },
      {
        line: 3,
        status: 'rejected',
        field: 'pesel',
        code: 'INVALID_PESEL_FORMAT',
        message: 'A PESEL must be exactly 11 digits.',
      },
    ]);
    expect((await system.store.getPatient(patientId))?.groups).toEqual(['medical']);

    const laterId = await logIn(unknown);
    expect((await system.store.getPatient(laterId))?.groups).toEqual(['medical']);

    const listed = await call('GET', '/api/admin/group-referrals', { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.uploads.map((u: { id: string }) => u.id)).toEqual([
      stranger.body.upload.id,
      known.body.upload.id,
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(registered);
  });

  test('the same list sent again answers the same and records nothing more', async () => {
    const csv = `pesel,group\n${aCitizen({ born: 1982 }).pesel},teachers\n`;
    const first = await upload(csv, 'teachers.csv');
    const before = (await call('GET', '/api/admin/group-referrals', { token: admin })).body.uploads.length;
    const again = await upload(csv, 'teachers (copy).csv');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await call('GET', '/api/admin/group-referrals', { token: admin })).body.uploads).toHaveLength(before);
  });

  test('takes a full list of 20,000 rows near 1 MB', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
      const pesel = makePesel(`1970-${month}-${day}`, i % 2 ? 'male' : 'female', Math.floor(i / 336));
      return `"${pesel}"${' '.repeat(20)};"medical"`;
    });
    const csv = `pesel;group\r\n${rows.join('\r\n')}\r\n`;
    expect(Buffer.byteLength(csv)).toBeGreaterThan(900_000);
    const reply = await upload(csv, 'national-list.csv');
    expect(reply.status).toBe(200);
    expect(reply.body.upload).toMatchObject({ rows: 20_000, accepted: 20_000, rejected: 0 });
  }, 120_000);

  test.each([
    ['a file without the header', { fileName: 'x.csv', csv: '44051401359,medical\n' }, 'csv'],
    ['a file over 1 MB', { fileName: 'x.csv', csv: `pesel,group\n${'x'.repeat(1024 * 1024)}` }, 'csv'],
    ['no file name', { csv: 'pesel,group\n44051401359,medical\n' }, 'fileName'],
  ])('refuses %s with a 400 naming the field', async (_, body, field) => {
    const reply = await call('POST', '/api/admin/group-referrals', { token: admin, body });
    expect([reply.status, reply.body.error.field]).toEqual([400, field]);
  });

  test('a body larger than the upload’s limit is refused before it is read', async () => {
    const reply = await call('POST', '/api/admin/group-referrals', {
      token: admin,
      rawBody: JSON.stringify({ fileName: 'x.csv', csv: '"'.repeat(2 * 1024 * 1024) }),
    });
    expect(reply.status).toBe(413);
    const elsewhere = await call('POST', '/api/admin/group-members', {
      token: admin,
      rawBody: JSON.stringify({ pesel: '44051401359', group: 'medical', reason: 'x'.repeat(300 * 1024) }),
    });
    expect(elsewhere.status).toBe(413);
  });
});

describe('announcements', () => {
  test('an announcement shows to everyone in its window, cached for a minute, and stops when ended', async () => {
    const text = {
      pl: 'Infolinia działa dziś do 18:00.',
      en: 'The hotline is open until 18:00 today.',
      uk: 'Гаряча лінія працює сьогодні до 18:00.',
    };
    const added = await call('POST', '/api/admin/announcements', {
      token: admin,
      body: { text, from: '2026-01-12T06:00:00Z', until: '2026-01-12T17:00:00Z' },
    });
    expect(added.status).toBe(201);
    expect(added.body.announcement).toMatchObject({ text, from: '2026-01-12T06:00:00.000Z', createdBy: 'admin-1' });
    const id = added.body.announcement.id;

    const shown = await fetch(`${url}/api/search/announcements`);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('public, max-age=60');
    expect(((await shown.json()) as { announcements: Array<{ id: string }> }).announcements.map((a) => a.id)).toEqual([
      id,
    ]);

    system.clock.set('2026-01-12T09:00:00.000Z');
    // A session lasts an hour: the administrator signs in again.
    admin = await system.tokenFor({ role: 'admin', adminId: 'admin-1' });
    const ended = await call('PUT', `/api/admin/announcements/${id}`, {
      token: admin,
      body: { text, from: '2026-01-12T06:00:00Z', until: '2026-01-12T09:00:00Z' },
    });
    expect(ended.status).toBe(200);
    expect((await call('GET', '/api/search/announcements')).body.announcements).toEqual([]);
    const all = await call('GET', '/api/admin/announcements', { token: admin });
    expect(all.body.announcements.map((a: { id: string; until: string }) => [a.id, a.until])).toEqual([
      [id, '2026-01-12T09:00:00.000Z'],
    ]);
  });

  test.each([
    ['an empty Ukrainian text', { text: { pl: 'a', en: 'a', uk: '' } }, 'text.uk'],
    ['a start that is no instant', { from: '12.01.2026' }, 'from'],
    ['an end before the start', { from: '2026-01-14T00:00:00Z', until: '2026-01-13T00:00:00Z' }, 'from'],
  ])('refuses %s with a 400 naming the field', async (_, change, field) => {
    const body = {
      text: { pl: 'a', en: 'a', uk: 'a' },
      from: '2026-01-12T06:00:00Z',
      until: '2026-01-20T00:00:00Z',
      ...change,
    };
    const reply = await call('POST', '/api/admin/announcements', { token: admin, body });
    expect([reply.status, reply.body.error.field]).toEqual([400, field]);
  });

  test('changing one that does not exist is a 404 naming it', async () => {
    const reply = await call('PUT', '/api/admin/announcements/ann-none', {
      token: admin,
      body: { text: { pl: 'a', en: 'a', uk: 'a' }, from: '2026-01-12T06:00:00Z', until: '2026-01-20T00:00:00Z' },
    });
    expect([reply.status, reply.body.error.code]).toEqual([404, 'ANNOUNCEMENT_NOT_FOUND']);
  });
});
