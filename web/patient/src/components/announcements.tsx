import { AnnouncementNotices, useCurrentAnnouncements } from '../../../shared/src/components/announcement-notices.tsx';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';

/** The ministry's announcements showing now, at the top of a page, in the chosen language; hidden for the visit once dismissed. */
export function Announcements() {
  const { api, tabStorage } = useApp();
  const { t, language } = useI18n();
  const announcements = useCurrentAnnouncements(() => api.call('currentAnnouncements'));
  return (
    <AnnouncementNotices
      announcements={announcements}
      language={language}
      labels={{ region: t('announcements.region'), dismiss: t('announcements.dismiss') }}
      storage={tabStorage}
    />
  );
}
