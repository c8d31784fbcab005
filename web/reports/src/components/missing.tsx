import { useI18n } from '../i18n/index.ts';
import type { Audience } from '../lib/paths.ts';

/** Whether a figure is a count of people or doses, or a figure made from counts (a rate, a median). */
export type FigureKind = 'count' | 'derived';

/**
 * Why a figure is not shown, in words: for the public a count under the threshold is withheld, and a
 * rate made from such counts too (or there was nothing to make it from); for analysts, no data.
 */
export function useMissingReason(audience: Audience, suppressedBelow: number | null) {
  const { t } = useI18n();
  return (kind: FigureKind): string => {
    if (audience === 'analyst' || suppressedBelow === null) return t('figure.none');
    return t(kind === 'count' ? 'figure.withheld' : 'figure.withheldOrNone', { count: suppressedBelow });
  };
}

/** A figure not shown: "—" to the eye, and why in words (visible too, when `visible`). */
export function Missing({ reason, visible = false }: { reason: string; visible?: boolean }) {
  return visible ? (
    <>
      <span aria-hidden="true">—</span> <span className="missing-reason">{reason}</span>
    </>
  ) : (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">{reason}</span>
    </>
  );
}
