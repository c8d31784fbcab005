import type { LookupReview, ReviewOutcome } from '@ereg/shared';
import type { Ref } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { AUDIT_TIME_ZONE, auditHref, localDateOf } from '../lib/audit-filters.ts';
import { reasonWords, whenWords } from '../lib/audit-words.ts';
import { SupervisorError } from './audit-error.tsx';
import { altKey, KeyHint } from './audit-key.tsx';

export const VERDICTS: ReadonlyArray<{ outcome: ReviewOutcome; key: string; label: MessageKey }> = [
  { outcome: 'justified', key: 'j', label: 'reviews.verdict.justified' },
  { outcome: 'unjustified', key: 'u', label: 'reviews.verdict.unjustified' },
  { outcome: 'unclear', key: 'q', label: 'reviews.verdict.unclear' },
];

/** The access log after a sampled look-up: the agent's records of that person from that day on. */
export const reviewLogHref = (review: LookupReview) =>
  auditHref({
    agentId: review.agentId,
    ...(review.patientId ? { patientId: review.patientId } : {}),
    from: localDateOf(review.at, AUDIT_TIME_ZONE),
  });

/** The id of a review's heading, where focus goes when it is the next to decide. */
export const reviewTitleId = (review: LookupReview) => `review-${review.id}`;

/** What a sampled look-up was: who, why, when, of whom, and the link to what they did next. */
function ReviewContext({ review }: { review: LookupReview }) {
  const { t } = useI18n();
  return (
    <dl className="audit-facts">
      <div>
        <dt>{t('reviews.agent')}</dt>
        <dd>{review.agentId}</dd>
      </div>
      <div>
        <dt>{t('reviews.reason')}</dt>
        <dd>
          {review.reasonCode ? reasonWords(review.reasonCode, t) : t('reviews.noReason')}
          {review.reasonCode === 'other' && review.reason ? (
            <span className="audit-note">{t('audit.quoted', { text: review.reason })}</span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>{t('reviews.when')}</dt>
        <dd>{whenWords(review.at, t, AUDIT_TIME_ZONE)}</dd>
      </div>
      <div>
        <dt>{t('reviews.person')}</dt>
        <dd>{review.patientId ?? t('audit.table.nobody')}</dd>
      </div>
    </dl>
  );
}

/** One sampled look-up awaiting a verdict: its context, a note, and the three verdicts. */
export function PendingReview({
  review,
  note,
  onNote,
  error,
  noteError,
  busy,
  onDecide,
  noteRef,
}: {
  review: LookupReview;
  note: string;
  onNote: (note: string) => void;
  /** A refusal not about the note. */
  error: unknown;
  noteError: string | null;
  busy: boolean;
  onDecide: (outcome: ReviewOutcome) => void;
  noteRef: Ref<HTMLTextAreaElement>;
}) {
  const { t } = useI18n();
  const id = reviewTitleId(review);
  return (
    <li className="audit-card" data-review-id={review.id} aria-labelledby={id}>
      <h3 id={id} tabIndex={-1}>
        {t('reviews.cardTitle', { agent: review.agentId, when: whenWords(review.at, t, AUDIT_TIME_ZONE) })}
      </h3>
      <ReviewContext review={review} />
      <p>
        <Link href={reviewLogHref(review)} aria-keyshortcuts={altKey('i')}>
          {t('reviews.next')}
        </Link>{' '}
        <KeyHint letter="i" />
      </p>
      <Field id={`${id}-note`} label={t('reviews.note')} hint={t('reviews.noteHint')} error={noteError}>
        {(control) => (
          <textarea
            {...control}
            ref={noteRef}
            className="audit-textarea"
            rows={2}
            maxLength={500}
            value={note}
            onChange={(event) => onNote(event.target.value)}
          />
        )}
      </Field>
      {error ? <SupervisorError error={error} /> : null}
      <fieldset className="audit-actions audit-verdicts">
        <legend className="visually-hidden">{t('reviews.verdicts')}</legend>
        {VERDICTS.map((verdict) => (
          <button
            key={verdict.outcome}
            type="button"
            className={verdict.outcome === 'justified' ? 'button button-primary' : 'button'}
            aria-disabled={busy || undefined}
            aria-keyshortcuts={altKey(verdict.key)}
            onClick={() => onDecide(verdict.outcome)}
          >
            {t(verdict.label)} <KeyHint letter={verdict.key} />
          </button>
        ))}
      </fieldset>
    </li>
  );
}

/** A look-up with its verdict: what was found, by whom and when. */
export function DecidedReview({ review }: { review: LookupReview }) {
  const { t } = useI18n();
  const id = reviewTitleId(review);
  const verdict = review.verdict;
  return (
    <li className="audit-card" data-review-id={review.id} aria-labelledby={id}>
      <h3 id={id} tabIndex={-1}>
        {t('reviews.cardTitle', { agent: review.agentId, when: whenWords(review.at, t, AUDIT_TIME_ZONE) })}
      </h3>
      <ReviewContext review={review} />
      {verdict ? (
        <p className={`audit-verdict audit-verdict-${verdict.outcome}`}>
          <strong>{t(`reviews.outcome.${verdict.outcome}` as MessageKey)}</strong>{' '}
          {t('reviews.decidedBy', { by: verdict.by.id, when: whenWords(verdict.at, t, AUDIT_TIME_ZONE) })}
          {verdict.note ? <span className="audit-note">{t('audit.quoted', { text: verdict.note })}</span> : null}
        </p>
      ) : null}
      <p>
        <Link href={reviewLogHref(review)}>{t('reviews.next')}</Link>
      </p>
    </li>
  );
}
