import { Link, useLocation } from '../../../shared/src/router.tsx';
import { isManager, useDesk } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { BASE } from '../lib/sign-in.ts';

interface NavItem {
  href: string;
  label: MessageKey;
  /** The paths that count as this item's page. */
  paths: readonly string[];
  managerOnly: boolean;
}

const ITEMS: readonly NavItem[] = [
  { href: `${BASE}/`, label: 'manager.nav.today', paths: [BASE, `${BASE}/`, `${BASE}/day`], managerOnly: false },
  { href: `${BASE}/batches`, label: 'manager.nav.batches', paths: [`${BASE}/batches`], managerOnly: false },
  { href: `${BASE}/schedule`, label: 'manager.nav.schedule', paths: [`${BASE}/schedule`], managerOnly: true },
  { href: `${BASE}/staff`, label: 'manager.nav.staff', paths: [`${BASE}/staff`], managerOnly: true },
];

/**
 * The centre's pages: the day and the batches for everyone at the desk; the schedule and the staff
 * only for the centre's manager (the API refuses them to staff anyway).
 */
export function CentreNav() {
  const desk = useDesk();
  const { t } = useI18n();
  const { pathname } = useLocation();
  const items = ITEMS.filter((item) => !item.managerOnly || isManager(desk));
  return (
    <nav className="centre-nav" aria-label={t('manager.nav.label')}>
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <Link href={item.href} {...(item.paths.includes(pathname) ? { 'aria-current': 'page' as const } : {})}>
              {t(item.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
