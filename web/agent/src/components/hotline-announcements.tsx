import { AnnouncementNotices, useCurrentAnnouncements } from '../../../shared/src/components/announcement-notices.tsx';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';

/** In the console's header: the ministry's announcements showing now, for the agent to read out to callers. */
export function HotlineAnnouncements() {
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
