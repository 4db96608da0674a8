/**
 * Browser mode's access token. `npm run web` prints `http://127.0.0.1:PORT/#token=…`: the
 * fragment never reaches a server. We keep the token in sessionStorage (so a reload of this
 * tab still works) and strip it from the address bar so it is not shown or bookmarked.
 */
const KEY = 'berth.token';

function readHashToken(hash: string): { token: string | null; rest: string } {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body.startsWith('/')) return { token: null, rest: hash };
  const parts = body.split('&').filter(Boolean);
  let token: string | null = null;
  const rest: string[] = [];
  for (const p of parts) {
    if (p.startsWith('token=')) token = decodeURIComponent(p.slice('token='.length));
    else rest.push(p);
  }
  return { token, rest: rest.length ? `#${rest.join('&')}` : '' };
}

/** The token for this tab, or null when Berth was opened without one. */
export function takeToken(): string | null {
  const { token, rest } = readHashToken(location.hash);
  if (token) {
    try {
      sessionStorage.setItem(KEY, token);
    } catch {
      // Storage can be disabled; the token still works for this page load.
    }
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest}`);
    return token;
  }
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}
