// Signing in and fetching pages as a browser does, for the bench's checks before it loads a page.
import { browserHeaders } from './load';

/** Signs in through the login form; returns the Cookie header a browser would then send. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    body: new URLSearchParams({ email, password, redirectTo: '' }),
    headers: { ...browserHeaders, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  const cookies = res.headers.getSetCookie().map((line) => line.split(';')[0]);
  if (res.status !== 302 || !cookies.length) throw new Error(`signing in as ${email} answered ${res.status}: is the password the demo password?`);
  return cookies.join('; ');
}

/** A page as the browser gets it; fails unless it answers `expect`. */
export async function page(base: string, path: string, cookie: string | null, expect = 200): Promise<string> {
  const res = await fetch(`${base}${path}`, { headers: { ...browserHeaders, ...(cookie ? { cookie } : {}) }, redirect: 'manual' });
  const body = await res.text();
  if (res.status !== expect) throw new Error(`GET ${path} answered ${res.status}, not ${expect}${res.headers.get('location') ? ` (to ${res.headers.get('location')})` : ''}`);
  return body;
}
