/** Where the administration lives on the site; every path of its pages starts with it. */
export const BASE = '/admin';

/** The administration's pages. */
export const PATHS = {
  overview: `${BASE}/`,
  policy: `${BASE}/policy`,
  newChange: `${BASE}/policy/new`,
  change: (changeId: string) => `${BASE}/policy/changes/${encodeURIComponent(changeId)}`,
  groups: `${BASE}/groups`,
  centres: `${BASE}/centres`,
  newCentre: `${BASE}/centres/new`,
  centre: (centreId: string) => `${BASE}/centres/${encodeURIComponent(centreId)}`,
  vaccines: `${BASE}/vaccines`,
  announcements: `${BASE}/announcements`,
  callback: `${BASE}/login/callback`,
} as const;
