import type { ReactNode, Ref } from 'react';

/**
 * A polite live region, rendered even when empty, so that screen readers announce what appears in it
 * (loading, how many results, "saved").
 */
export function Status({ children, className }: { children?: ReactNode; className?: string }) {
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className={className ?? 'status'}>
      {children}
    </div>
  );
}

/**
 * An error, announced as soon as it appears; its title says in words that it is one (not by colour
 * alone). Focusable, so a page can move focus to it.
 */
export function Alert({ children, title, ref }: { children: ReactNode; title: ReactNode; ref?: Ref<HTMLDivElement> }) {
  return (
    <div role="alert" className="alert" tabIndex={-1} ref={ref}>
      <p className="alert-title">{title}</p>
      {children}
    </div>
  );
}
