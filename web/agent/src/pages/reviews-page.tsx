import type { LookupReview, ReviewOutcome } from '@ereg/shared';
import { useLayoutEffect, useRef, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { SupervisorError } from '../components/audit-error.tsx';
import { ListSwitch } from '../components/audit-tabs.tsx';
import { DecidedReview, PendingReview, reviewLogHref, reviewTitleId } from '../components/reviews-card.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { describeSupervisorError, refusedField, refusedWith } from '../lib/audit-errors.ts';
import { PATHS } from '../lib/paths.ts';
import { useShortcut } from '../lib/shortcuts.ts';

type List = 'pending' | 'decided';

const LIST_TITLE_ID = 'reviews-list-title';

/**
 * The supervisor's daily sample of look-ups: each awaiting one a verdict (justified, unjustified or
 * unclear, with a note unless justified); a decided one moves to the decided list, and focus to the
 * next awaiting one.
 */
export function ReviewsPage() {
  const { t, fmt } = useI18n();
  const { api, document } = useApp();
  const router = useRouter();
  const { search } = useLocation();
  const list: List = search.get('list') === 'decided' ? 'decided' : 'pending';
  const loaded = useLoad(list, () =>
    api.call('listReviews', { query: { pending: list === 'pending' ? 'true' : 'false' } }),
  );
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [notes, setNotes] = useState<Readonly<Record<string, string>>>({});
  const [errors, setErrors] = useState<Readonly<Record<string, unknown>>>({});
  const [busy, setBusy] = useState<string | null>(null);
  // What was said is about the list it was said on: once the other list is shown, it is forgotten.
  const [said, setSaid] = useState<{ list: List; text: string }>({ list, text: '' });
  if (said.list !== list) setSaid({ list, text: '' });
  const notice = said.list === list ? said.text : '';
  const setNotice = (text: string) => setSaid({ list, text });
  const [focusTarget, setFocusTarget] = useState<{ id: string } | null>(null);
  const noteFields = useRef(new Map<string, HTMLTextAreaElement>());

  const reviews = loaded.status === 'ready' ? loaded.data.reviews : [];
  const pending = list === 'pending' ? reviews.filter((r) => !gone.has(r.id)) : [];

  // In the same commit as the list losing the decided one, so focus never rests on nothing.
  useLayoutEffect(() => {
    if (focusTarget) document.getElementById(focusTarget.id)?.focus();
  }, [focusTarget, document]);

  /** The review the supervisor is at (focus inside it), else the first awaiting a verdict. */
  const current = (): LookupReview | undefined => {
    const at = document.activeElement?.closest('[data-review-id]')?.getAttribute('data-review-id');
    return pending.find((r) => r.id === at) ?? pending[0];
  };

  const moveOn = (review: LookupReview) => {
    const left = pending.filter((r) => r.id !== review.id);
    const index = pending.findIndex((r) => r.id === review.id);
    const next = left[index] ?? left[index - 1];
    setGone((g) => new Set(g).add(review.id));
    setFocusTarget({ id: next ? reviewTitleId(next) : LIST_TITLE_ID });
  };

  const decide = async (review: LookupReview, outcome: ReviewOutcome) => {
    if (busy) return;
    const note = notes[review.id]?.trim() ?? '';
    setBusy(review.id);
    setErrors(({ [review.id]: _, ...rest }) => rest);
    try {
      await api.call('decideReview', {
        params: { reviewId: review.id },
        body: { outcome, ...(note ? { note } : {}) },
      });
      setNotice(t('reviews.saved', { verdict: t(`reviews.outcome.${outcome}` as MessageKey) }));
      moveOn(review);
    } catch (error) {
      if (refusedWith(error, 'REVIEW_DECIDED') || refusedWith(error, 'REVIEW_NOT_FOUND')) {
        setNotice(t('reviews.takenAlready'));
        moveOn(review);
      } else {
        setErrors((e) => ({ ...e, [review.id]: error }));
        if (refusedField(error, ['note'])) noteFields.current.get(review.id)?.focus();
      }
    } finally {
      setBusy(null);
    }
  };

  const onCurrent = (outcome: ReviewOutcome) => () => {
    const review = current();
    if (review) void decide(review, outcome);
  };
  const any = pending.length > 0;
  useShortcut('j', t('reviews.verdict.justified'), onCurrent('justified'), any);
  useShortcut('u', t('reviews.verdict.unjustified'), onCurrent('unjustified'), any);
  useShortcut('q', t('reviews.verdict.unclear'), onCurrent('unclear'), any);
  useShortcut(
    'i',
    t('reviews.next'),
    () => {
      const review = current();
      if (review) router.navigate(reviewLogHref(review));
    },
    pending.length > 0,
  );

  const lists = [
    { id: 'pending' as const, title: t('reviews.pending'), href: PATHS.reviews },
    { id: 'decided' as const, title: t('reviews.decided'), href: `${PATHS.reviews}?list=decided` },
  ];
  const shownList = list === 'pending' ? pending : reviews;
  return (
    <Page title={t('nav.reviews')}>
      <p className="hint">{t('reviews.intro')}</p>
      <ListSwitch label={t('reviews.lists')} lists={lists} shown={list} onSwitch={(href) => router.navigate(href)} />
      <h2 id={LIST_TITLE_ID} tabIndex={-1}>
        {list === 'pending' ? t('reviews.pending') : t('reviews.decided')}
      </h2>
      <Status>{loaded.status === 'loading' ? t('reviews.loading') : notice}</Status>
      {loaded.status === 'failed' ? <SupervisorError error={loaded.error} /> : null}
      {loaded.status === 'ready' && shownList.length === 0 ? (
        <p className="audit-empty">{list === 'pending' ? t('reviews.nonePending') : t('reviews.noneDecided')}</p>
      ) : null}
      {shownList.length > 0 ? (
        <ul className="audit-cards">
          {list === 'pending'
            ? pending.map((review) => {
                const error = errors[review.id];
                const aboutNote = refusedField(error, ['note']) !== null;
                return (
                  <PendingReview
                    key={review.id}
                    review={review}
                    note={notes[review.id] ?? ''}
                    onNote={(note) => setNotes((n) => ({ ...n, [review.id]: note }))}
                    error={error && !aboutNote ? error : null}
                    noteError={aboutNote ? describeSupervisorError(error, t, fmt) : null}
                    busy={busy === review.id}
                    onDecide={(outcome) => void decide(review, outcome)}
                    noteRef={(element) => {
                      if (element) noteFields.current.set(review.id, element);
                      else noteFields.current.delete(review.id);
                    }}
                  />
                );
              })
            : reviews.map((review) => <DecidedReview key={review.id} review={review} />)}
        </ul>
      ) : null}
    </Page>
  );
}
