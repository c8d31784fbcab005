import { Link } from '../../../shared/src/router.tsx';
import { useI18n } from '../i18n/index.ts';
import { useShortcut } from '../lib/shortcuts.ts';
import { altKey, KeyHint } from './audit-key.tsx';

/**
 * Two lists of one page (awaiting / done) as links of its address, the one shown marked; Alt+Y goes
 * to the other.
 */
export function ListSwitch<L extends string>({
  label,
  lists,
  shown,
  onSwitch,
}: {
  label: string;
  lists: ReadonlyArray<{ id: L; title: string; href: string }>;
  shown: L;
  onSwitch: (href: string) => void;
}) {
  const { t } = useI18n();
  const other = lists.find((list) => list.id !== shown);
  useShortcut('y', t('audit.switchList'), () => {
    if (other) onSwitch(other.href);
  });
  return (
    <nav className="audit-switch" aria-label={label}>
      <ul>
        {lists.map((list) => (
          <li key={list.id}>
            <Link
              href={list.href}
              aria-current={list.id === shown ? 'page' : undefined}
              aria-keyshortcuts={list.id === shown ? undefined : altKey('y')}
            >
              {list.title}
              {list.id === shown ? null : (
                <>
                  {' '}
                  <KeyHint letter="y" />
                </>
              )}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
