import type { DemoCitizen } from '../demo/demo-data.ts';
import { pageCsp } from '../http/security-headers.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:36rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}
h1{font-size:1.5rem}ul{list-style:none;padding:0}li{margin:.5rem 0}
button{font:inherit;padding:.6rem 1rem;border:2px solid #0b3d91;background:#0b3d91;color:#fff;border-radius:.4rem;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #ffb000;outline-offset:2px}
.pesel{display:block;color:#444;font-size:.9rem}
label{display:block;font-weight:600;margin-bottom:.3rem}
input[type=text]{font:inherit;padding:.5rem;border:2px solid #555;border-radius:.3rem;width:100%;box-sizing:border-box}
.error{color:#a30000;font-weight:600}
.note{background:#fff6d6;border-left:4px solid #8a6d00;padding:.5rem .8rem}
`;

/** The page's policy: its own inline style, by hash, and nothing else inline. */
export const DEV_IDP_LOGIN_PAGE_CSP = pageCsp({ styles: [STYLE] });

/**
 * The development identity provider's login page (local only): choose a demo citizen, or give any
 * valid PESEL; the provider then sends the browser back to the app with a signed assertion, as a
 * national trusted-profile service would.
 */
export function devIdpLoginPage(options: {
  returnTo: string;
  people: readonly DemoCitizen[];
  error?: { pesel: string; message: string };
}): string {
  const returnTo = escapeHtml(options.returnTo);
  const person = (p: DemoCitizen) => {
    const age = new Date().getFullYear() - Number(p.birthDate.slice(0, 4));
    return `<li><form method="post" action="/dev-idp/login"><input type="hidden" name="return" value="${returnTo}">
<input type="hidden" name="pesel" value="${p.pesel}"><button type="submit">${escapeHtml(p.givenName)} ${escapeHtml(p.familyName)}, ${age}</button>
<span class="pesel">PESEL ${p.pesel}</span></form></li>`;
  };
  const error = options.error;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in — development identity provider</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head><body>
<main>
<h1>Log in with the development identity provider</h1>
<p class="note">This page stands in for the national trusted profile on this machine only. Whoever you choose is logged in without a password.</p>
<h2>Demo citizens</h2>
<ul>${options.people.map(person).join('\n')}</ul>
<h2>Someone else</h2>
<form method="post" action="/dev-idp/login" novalidate>
<input type="hidden" name="return" value="${returnTo}">
<label for="pesel">PESEL (11 digits)</label>
<input type="text" id="pesel" name="pesel" inputmode="numeric" autocomplete="off" value="${escapeHtml(error?.pesel ?? '')}"${
    error ? ' aria-invalid="true" aria-describedby="pesel-error"' : ''
  }>
${error ? `<p id="pesel-error" class="error" role="alert">${escapeHtml(error.message)}</p>` : ''}
<p><button type="submit">Log in</button></p>
</form>
</main>
</body></html>`;
}
