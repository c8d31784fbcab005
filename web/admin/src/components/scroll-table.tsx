import type { ReactNode } from 'react';

/** A table that scrolls sideways on a narrow screen, named by its caption or heading, reachable by keyboard. */
export function ScrollTable({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must take the focus, so that a keyboard scrolls it.
    <section className="table-scroll" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </section>
  );
}
