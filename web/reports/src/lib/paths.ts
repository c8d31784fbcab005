/** Where the dashboard lives on the site; every path of its pages starts with it. */
export const BASE = '/reports';

/** The dashboard's pages. */
export const PATHS = {
  dashboard: `${BASE}/`,
  public: `${BASE}/public`,
  callback: `${BASE}/login/callback`,
} as const;

/** Whose figures a page shows: an analyst's or administrator's whole ones, or the public's suppressed ones. */
export type Audience = 'analyst' | 'public';

/** The page of an audience, with a filter's query (`?from=…`) when given. */
export const pathOf = (audience: Audience, query = ''): string =>
  `${audience === 'public' ? PATHS.public : PATHS.dashboard}${query ? `?${query}` : ''}`;
