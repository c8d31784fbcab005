import { fireEvent, screen, within } from '@testing-library/react';
import { apiError, fakeApi, type RecordedRequest } from '../../../shared/src/fake-api.ts';
import { pressAlt, renderSupervisorPage, settle } from '../lib/audit-test-render.tsx';
import { ReviewsPage } from './reviews-page.tsx';

const review = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  date: '2026-01-11',
  agentId: 'agent-2',
  patientId: `pat-${id}`,
  reasonCode: 'caller-asking',
  reason: 'caller-asking',
  at: '2026-01-11T13:05:00.000Z',
  queuedAt: '2026-01-12T01:00:00.000Z',
  verdict: null,
  ...overrides,
});

const PENDING = [review('r1'), review('r2', { reasonCode: 'other', reason: 'sąsiad prosił' }), review('r3')];

const verdictPath = (id: string) => `POST /api/admin/hotline/reviews/${id}/verdict`;

/** Answers a verdict as the server does: a note is required unless justified. */
const decide = (request: RecordedRequest) => {
  const body = request.body as { outcome: string; note?: string };
  if (body.outcome !== 'justified' && (body.note?.length ?? 0) < 3) {
    return { status: 400, body: { error: { code: 'NOTE_REQUIRED', message: 'Say why.', field: 'note' } } };
  }
  return { body: { ...review('x'), verdict: { outcome: body.outcome, note: body.note ?? '' } } };
};

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
beforeEach(() => window.sessionStorage.clear());

const reviewCards = () => [...document.querySelectorAll<HTMLElement>('[data-review-id]')];

const verdicts = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.method === 'POST').map((r) => [r.path.split('/')[5], r.body]);

describe('the review of the daily sample', () => {
  it('lists the look-ups awaiting a verdict with their context and a link to what the agent did next', async () => {
    const { fetch, requests } = fakeApi({ 'GET /api/admin/hotline/reviews': { body: { reviews: PENDING } } });
    ({ cleanup } = await renderSupervisorPage(<ReviewsPage />, { url: '/agent/reviews', fetch }));
    expect(requests[0]?.query.get('pending')).toBe('true');
    const cards = reviewCards();
    expect(cards).toHaveLength(3);
    const second = cards[1] as HTMLElement;
    expect(within(second).getByRole('heading').textContent).toBe('Wyszukanie: agent-2, 11 sty 2026, 14:05');
    expect(within(second).getByText('Inny powód')).toBeTruthy();
    expect(within(second).getByText('„sąsiad prosił”')).toBeTruthy();
    expect(within(second).getByRole('link', { name: 'Co zrobił potem (dziennik)' }).getAttribute('href')).toBe(
      '/agent/audit?agentId=agent-2&patientId=pat-r2&from=2026-01-11',
    );
  });

  it('gives a justified verdict without a note, and focus moves to the next look-up awaiting one', async () => {
    const { fetch, requests } = fakeApi({
      'GET /api/admin/hotline/reviews': { body: { reviews: PENDING } },
      [verdictPath('r1')]: decide,
    });
    ({ cleanup } = await renderSupervisorPage(<ReviewsPage />, { url: '/agent/reviews', fetch }));
    await pressAlt('j');
    expect(verdicts(requests)).toEqual([['r1', { outcome: 'justified' }]]);
    expect(reviewCards()).toHaveLength(2);
    expect(document.activeElement?.id).toBe('review-r2');
    expect(screen.getByRole('status').textContent).toBe('Zapisano ocenę: Uzasadnione.');
  });

  it('asks for the note the server requires for “unjustified”, at the note field, then sends it', async () => {
    const { fetch, requests } = fakeApi({
      'GET /api/admin/hotline/reviews': { body: { reviews: PENDING } },
      [verdictPath('r2')]: decide,
    });
    ({ cleanup } = await renderSupervisorPage(<ReviewsPage />, { url: '/agent/reviews', fetch }));
    const card = reviewCards()[1] as HTMLElement;
    // The shortcut acts on the look-up the supervisor is at.
    within(card).getByRole('heading').focus();
    await pressAlt('u');
    const note = within(card).getByLabelText('Notatka');
    expect(note.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(note);
    expect(within(card).getByText('Napisz, co było nie tak lub niejasne (co najmniej 3 znaki).')).toBeTruthy();

    fireEvent.change(note, { target: { value: '  nie było rozmowy  ' } });
    fireEvent.click(within(card).getByRole('button', { name: /Nieuzasadnione/ }));
    await settle();
    expect(verdicts(requests)).toEqual([
      ['r2', { outcome: 'unjustified' }],
      ['r2', { outcome: 'unjustified', note: 'nie było rozmowy' }],
    ]);
    expect(reviewCards().map((li) => li.getAttribute('data-review-id'))).toEqual(['r1', 'r3']);
    expect(document.activeElement?.id).toBe('review-r3');
  });

  it('explains a look-up another supervisor decided meanwhile, and moves on', async () => {
    const { fetch } = fakeApi({
      'GET /api/admin/hotline/reviews': { body: { reviews: [review('r1')] } },
      [verdictPath('r1')]: apiError(409, 'REVIEW_DECIDED'),
    });
    ({ cleanup } = await renderSupervisorPage(<ReviewsPage />, { url: '/agent/reviews', fetch }));
    fireEvent.change(screen.getByLabelText('Notatka'), { target: { value: 'nie wiem' } });
    await pressAlt('q');
    expect(screen.getByRole('status').textContent).toBe(
      'Inny inspektor ocenił już to wyszukanie — jest na liście ocenionych.',
    );
    expect(screen.getByText('Nic nie czeka na ocenę.')).toBeTruthy();
    expect(document.activeElement?.id).toBe('reviews-list-title');
    // It was said of the awaiting list: the decided list does not repeat it, nor does coming back.
    await pressAlt('y');
    expect(window.location.search).toBe('?list=decided');
    expect(screen.getByRole('status').textContent).toBe('');
    await pressAlt('y');
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('shows the decided list with each verdict, and switches lists with Alt+Y', async () => {
    const decided = review('r9', {
      verdict: {
        outcome: 'unjustified',
        note: 'brak rozmowy',
        by: { role: 'supervisor', id: 'supervisor-2' },
        at: '2026-01-12T07:30:00.000Z',
      },
    });
    const { fetch, requests } = fakeApi({
      'GET /api/admin/hotline/reviews': (request) => ({
        body: { reviews: request.query.get('pending') === 'true' ? [] : [decided] },
      }),
    });
    ({ cleanup } = await renderSupervisorPage(<ReviewsPage />, { url: '/agent/reviews', fetch }));
    expect(screen.getByText('Nic nie czeka na ocenę.')).toBeTruthy();
    await pressAlt('y');
    expect(window.location.search).toBe('?list=decided');
    expect(requests.at(-1)?.query.get('pending')).toBe('false');
    const card = reviewCards()[0] as HTMLElement;
    expect(within(card).getByText('Nieuzasadnione.')).toBeTruthy();
    expect(card.textContent).toContain('Ocenił(a) supervisor-2, 12 sty 2026, 08:30.');
    expect(card.textContent).toContain('„brak rozmowy”');
    expect(screen.getByRole('link', { name: 'Ocenione' }).getAttribute('aria-current')).toBe('page');
  });

  it('shows a failure to load in words', async () => {
    const { fetch } = fakeApi({ 'GET /api/admin/hotline/reviews': apiError(403, 'ROLE_NOT_ALLOWED') });
    ({ cleanup } = await renderSupervisorPage(<ReviewsPage />, { url: '/agent/reviews', fetch }));
    expect(screen.getByRole('alert').textContent).toContain('Twoja rola nie pozwala na to.');
  });
});
