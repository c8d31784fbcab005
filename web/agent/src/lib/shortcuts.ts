import { createContext, useContext, useEffect, useRef } from 'react';

/**
 * Keyboard shortcuts of the console: Alt + a letter or digit, the same on every page, listed on the
 * shortcuts help (Alt+/ or the header's button). A page registers the ones it offers while it shows;
 * two at once on one key: the one registered last wins (the dialog over the page).
 */
export interface Shortcut {
  /** The key with Alt, lower case: `f`, `b`, `1`… */
  key: string;
  /** What it does, in the console's language (shown in the help). */
  label: string;
  run: () => void;
}

export interface ShortcutRegistry {
  register: (shortcut: Shortcut) => () => void;
  /** The shortcuts offered now, for the help. */
  list: () => readonly Shortcut[];
  /** Tells listeners (the help) that the list changed. */
  subscribe: (listener: () => void) => () => void;
  /** A number that changes whenever the list does. */
  version: () => number;
}

/** The registry of one console window; `handle` is its keydown listener. */
export function createShortcuts(): ShortcutRegistry & { handle: (event: KeyboardEvent) => void } {
  const shortcuts: Shortcut[] = [];
  const listeners = new Set<() => void>();
  let version = 0;
  const changed = () => {
    version += 1;
    for (const listener of listeners) listener();
  };
  return {
    register(shortcut) {
      shortcuts.push(shortcut);
      changed();
      return () => {
        const at = shortcuts.indexOf(shortcut);
        if (at >= 0) shortcuts.splice(at, 1);
        changed();
      };
    },
    list: () => [...shortcuts],
    version: () => version,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    handle(event) {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      // Alt+letter: `event.key` may be a composed character (Alt+a on some layouts); `code` is the key.
      const key = /^Key[A-Z]$/.test(event.code)
        ? event.code.slice(3).toLowerCase()
        : /^Digit\d$/.test(event.code)
          ? event.code.slice(5)
          : event.key.toLowerCase();
      const found = shortcuts.findLast((s) => s.key === key);
      if (!found) return;
      event.preventDefault();
      found.run();
    },
  };
}

export const ShortcutsContext = createContext<ShortcutRegistry | null>(null);

export function useShortcutRegistry(): ShortcutRegistry {
  const registry = useContext(ShortcutsContext);
  if (!registry) throw new Error('useShortcutRegistry needs a ShortcutsContext.');
  return registry;
}

/**
 * Offers a shortcut while the calling component shows (`enabled` false takes it away, as for a
 * button that is disabled). The latest `run` is called, so it may close over state.
 */
export function useShortcut(key: string, label: string, run: () => void, enabled = true): void {
  const registry = useContext(ShortcutsContext);
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    if (!registry || !enabled) return;
    return registry.register({ key, label, run: () => latest.current() });
  }, [registry, key, label, enabled]);
}
