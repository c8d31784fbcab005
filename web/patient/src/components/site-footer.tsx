import { useI18n } from '../i18n/index.ts';

export function SiteFooter() {
  const { t } = useI18n();
  return (
    <footer className="site-footer">
      <p>
        {t('footer.hotline')} <a href="tel:989">989</a>
      </p>
    </footer>
  );
}
