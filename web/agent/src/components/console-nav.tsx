import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { type ConsoleRole, useCall } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { BASE, PATHS } from '../lib/paths.ts';
import { useShortcut } from '../lib/shortcuts.ts';

interface NavItem {
  href: string;
  label: MessageKey;
  /** The paths that count as this item's page. */
  paths: readonly string[];
}

const AGENT: readonly NavItem[] = [
  { href: PATHS.call, label: 'nav.call', paths: [BASE, PATHS.call] },
  { href: PATHS.household, label: 'nav.household', paths: [PATHS.household] },
];

const SUPERVISOR: readonly NavItem[] = [
  { href: PATHS.audit, label: 'nav.audit', paths: [BASE, PATHS.call, PATHS.audit] },
  { href: PATHS.reviews, label: 'nav.reviews', paths: [PATHS.reviews] },
  { href: PATHS.alerts, label: 'nav.alerts', paths: [PATHS.alerts] },
];

/**
 * The console's pages for the signed-in role, each also on Alt and its number: an agent's call and
 * household booking (once two people are in the call); a supervisor's access log, review and alerts.
 */
export function ConsoleNav({ role }: { role: ConsoleRole }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const call = useCall();
  const items =
    role === 'supervisor' ? SUPERVISOR : AGENT.filter((i) => i.href !== PATHS.household || call.people.length >= 2);
  return (
    <nav className="console-nav" aria-label={t('nav.label')}>
      <ul>
        {items.map((item, at) => (
          <NavLink key={item.href} item={item} number={at + 1} current={item.paths.includes(pathname)} />
        ))}
      </ul>
    </nav>
  );
}

function NavLink({ item, number, current }: { item: NavItem; number: number; current: boolean }) {
  const { t } = useI18n();
  const router = useRouter();
  useShortcut(String(number), t(item.label), () => router.navigate(item.href));
  return (
    <li>
      <Link
        href={item.href}
        aria-keyshortcuts={`Alt+${number}`}
        {...(current ? { 'aria-current': 'page' as const } : {})}
      >
        {t(item.label)}
        <kbd className="console-key">Alt+{number}</kbd>
      </Link>
    </li>
  );
}
