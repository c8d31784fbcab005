/** The shortcut of a button or link, shown beside its words (screen readers get `aria-keyshortcuts`). */
export function KeyHint({ letter }: { letter: string }) {
  return (
    <span className="audit-key" aria-hidden="true">
      Alt+{letter.toUpperCase()}
    </span>
  );
}

/** The `aria-keyshortcuts` value of an Alt shortcut. */
export const altKey = (letter: string) => `Alt+${letter.toUpperCase()}`;
