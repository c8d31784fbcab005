/** Where the console lives on the site; every path of its pages starts with it. */
export const BASE = '/agent';

/** The console's pages. */
export const PATHS = {
  call: `${BASE}/`,
  caller: (patientId: string) => `${BASE}/caller/${encodeURIComponent(patientId)}`,
  book: (patientId: string) => `${BASE}/book/${encodeURIComponent(patientId)}`,
  household: `${BASE}/household`,
  audit: `${BASE}/audit`,
  reviews: `${BASE}/reviews`,
  alerts: `${BASE}/alerts`,
  callback: `${BASE}/login/callback`,
} as const;
