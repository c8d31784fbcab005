import type { Principal } from '../principal.ts';
import { createMemorySystem, type MemorySystem } from '../testing/index.ts';
import {
  type AnnouncementInput,
  addAnnouncement,
  changeAnnouncement,
  currentAnnouncements,
  listAnnouncements,
} from './announcements.ts';

let system: MemorySystem;
const admin: Principal = { role: 'admin', adminId: 'admin-1' };
// The clock stands at 2026-01-12T07:00Z.
const NOW = '2026-01-12T07:00:00.000Z';

beforeEach(() => {
  system = createMemorySystem({ now: NOW });
});

const anAnnouncement = (overrides: Partial<AnnouncementInput> = {}): AnnouncementInput => ({
  text: {
    pl: 'Od poniedziałku szczepią się nauczyciele.',
    en: 'Teachers can book from Monday.',
    uk: 'Вчителі можуть записатися з понеділка.',
  },
  from: '2026-01-12T06:00:00.000Z',
  until: '2026-01-19T06:00:00.000Z',
  ...overrides,
});

describe('announcements', () => {
  test('show to everyone only inside their window', async () => {
    const now = await addAnnouncement(system.deps, admin, anAnnouncement());
    const later = await addAnnouncement(
      system.deps,
      admin,
      anAnnouncement({ from: '2026-01-15T00:00:00.000Z', until: '2026-01-16T00:00:00.000Z' }),
    );

    expect((await currentAnnouncements(system.deps)).map((a) => a.id)).toEqual([now.id]);
    system.clock.set('2026-01-15T12:00:00.000Z');
    expect((await currentAnnouncements(system.deps)).map((a) => a.id)).toEqual([later.id, now.id]);
    system.clock.set('2026-01-16T00:00:00.000Z');
    expect((await currentAnnouncements(system.deps)).map((a) => a.id)).toEqual([now.id]);
    system.clock.set('2026-01-19T06:00:00.000Z');
    expect(await currentAnnouncements(system.deps)).toEqual([]);
    expect((await listAnnouncements(system.deps, admin)).map((a) => a.id)).toEqual([now.id, later.id]);
  });

  test('an administrator ends one early by setting its end to now, and it shows no more', async () => {
    const shown = await addAnnouncement(system.deps, admin, anAnnouncement());
    system.clock.set('2026-01-13T10:00:00.000Z');

    const ended = await changeAnnouncement(
      system.deps,
      admin,
      shown.id,
      anAnnouncement({ until: '2026-01-13T09:59:58.000Z' }),
    );

    expect(ended).toMatchObject({ until: '2026-01-13T10:00:00.000Z', updatedAt: '2026-01-13T10:00:00.000Z' });
    expect(ended.createdAt).toBe(NOW);
    expect(await currentAnnouncements(system.deps)).toEqual([]);
    const events = system.store.events().filter((e) => e.type.startsWith('announcement.'));
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['announcement.published', { announcementId: shown.id, from: shown.from, until: shown.until }],
      ['announcement.changed', { announcementId: shown.id, from: shown.from, until: '2026-01-13T10:00:00.000Z' }],
    ]);
    const audit = await system.store.queryAudit({ limit: 10 });
    expect(audit.map((r) => r.action).sort()).toEqual(['announcement-changed', 'announcement-published']);
  });

  test('changes the texts and keeps who wrote it', async () => {
    const shown = await addAnnouncement(system.deps, admin, anAnnouncement());
    const other: Principal = { role: 'admin', adminId: 'admin-2' };
    const changed = await changeAnnouncement(
      system.deps,
      other,
      shown.id,
      anAnnouncement({ text: { pl: ' Nowy tekst ', en: 'New text', uk: 'Новий текст' } }),
    );
    expect(changed.text).toEqual({ pl: 'Nowy tekst', en: 'New text', uk: 'Новий текст' });
    expect(changed.createdBy).toBe('admin-1');
    expect((await currentAnnouncements(system.deps))[0]?.text.pl).toBe('Nowy tekst');
  });

  test.each([
    ['an empty text', anAnnouncement({ text: { pl: ' ', en: 'x', uk: 'x' } }), 'text.pl', 'INVALID_TEXT'],
    [
      'a text over 280 characters',
      anAnnouncement({ text: { pl: 'x', en: 'y'.repeat(281), uk: 'z' } }),
      'text.en',
      'INVALID_TEXT',
    ],
    [
      'an end before its start',
      anAnnouncement({ from: '2026-01-14T00:00:00Z', until: '2026-01-13T00:00:00Z' }),
      'from',
      'FROM_AFTER_UNTIL',
    ],
    [
      'an end in the past',
      anAnnouncement({ from: '2026-01-01T00:00:00Z', until: '2026-01-11T00:00:00Z' }),
      'until',
      'UNTIL_PASSED',
    ],
    [
      'more than a year',
      anAnnouncement({ from: '2026-01-12T00:00:00Z', until: '2027-01-14T00:00:00Z' }),
      'until',
      'TOO_LONG',
    ],
    ['a start that is no instant', anAnnouncement({ from: 'tomorrow' }), 'from', 'INVALID_INSTANT'],
  ])('refuses %s, naming the field', async (_, input, field, code) => {
    await expect(addAnnouncement(system.deps, admin, input)).rejects.toMatchObject({ kind: 'invalid', field, code });
    expect(await listAnnouncements(system.deps, admin)).toEqual([]);
  });

  test('refuses to change an announcement that does not exist, and anyone but an administrator', async () => {
    await expect(changeAnnouncement(system.deps, admin, 'ann-nope', anAnnouncement())).rejects.toMatchObject({
      kind: 'not_found',
      field: 'announcementId',
    });
    const agent: Principal = { role: 'agent', agentId: 'agent-1' };
    await expect(addAnnouncement(system.deps, agent, anAnnouncement())).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(listAnnouncements(system.deps, agent)).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
