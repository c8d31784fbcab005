import type { Announcement, Language } from '@ereg/shared';
import { useEffect, useRef, useState } from 'react';

/** The words the notices need, in the app's chosen language. */
export interface AnnouncementLabels {
  /** The name of the notices' region ("Announcements"). */
  region: string;
  /** The button that hides one notice for the rest of the visit. */
  dismiss: string;
}

/** Where the notices hidden in this visit are remembered (the tab's storage: a new visit shows them again). */
export const DISMISSED_ANNOUNCEMENTS_KEY = 'ereg.dismissedAnnouncements';

function readDismissed(storage: Storage): string[] {
  try {
    const stored: unknown = JSON.parse(storage.getItem(DISMISSED_ANNOUNCEMENTS_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The ministry's announcements showing now, loaded once and quietly: while they load, when there are
 * none, and when they cannot be had, nothing is shown (an announcement is never worth an error).
 */
export function useCurrentAnnouncements(load: () => Promise<{ announcements: Announcement[] }>): Announcement[] {
  const [announcements, setAnnouncements] = useState<Announcement[]>([]);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let current = true;
    latest.current().then(
      (answer) => {
        if (current && Array.isArray(answer?.announcements)) setAnnouncements(answer.announcements);
      },
      () => {},
    );
    return () => {
      current = false;
    };
  }, []);
  return announcements;
}

/**
 * The announcements as notices in the chosen language, each with a button that hides it for the rest
 * of the visit. They sit in a polite live region, there even when empty, so that a screen reader reads
 * them out when they arrive without interrupting; hiding one moves focus to the next one's button, or
 * to the main content when none is left.
 */
export function AnnouncementNotices({
  announcements,
  language,
  labels,
  storage,
}: {
  announcements: readonly Announcement[];
  language: Language;
  labels: AnnouncementLabels;
  storage: Storage;
}) {
  const [dismissed, setDismissed] = useState<string[]>(() => readDismissed(storage));
  const list = useRef<HTMLDivElement>(null);
  const shown = announcements.filter((a) => !dismissed.includes(a.id));
  const dismiss = (id: string) => {
    const next = [...dismissed, id];
    setDismissed(next);
    try {
      storage.setItem(DISMISSED_ANNOUNCEMENTS_KEY, JSON.stringify(next));
    } catch {
      // Storage full or refused: hidden for this page only.
    }
    const remaining = shown.filter((a) => a.id !== id);
    requestAnimationFrame(() => {
      const next =
        remaining[0] && list.current?.querySelector<HTMLButtonElement>(`[data-announcement="${remaining[0].id}"]`);
      if (next) next.focus();
      else document.getElementById('main')?.focus();
    });
  };
  return (
    <div role="status" aria-live="polite" className="announcements-live" ref={list}>
      {shown.length > 0 ? (
        <section className="announcements" aria-label={labels.region}>
          {shown.map((a) => (
            <div key={a.id} className="announcement">
              <p className="announcement-text">{a.text[language]}</p>
              <button
                type="button"
                className="link-button announcement-dismiss"
                data-announcement={a.id}
                onClick={() => dismiss(a.id)}
              >
                {labels.dismiss}
              </button>
            </div>
          ))}
        </section>
      ) : null}
    </div>
  );
}
