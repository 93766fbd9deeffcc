// The security headers through the built server: a strict Content-Security-Policy whose nonce is
// new on every response and carried by every script of the page, the other headers every
// response has, HSTS only when the site is https, nothing cached for a signed-in user, a session
// cookie that lives as long as the session, and redirect targets that cannot leave the site.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#tenants/demo';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
let secure: RunningApp;
const clerk = 'ljiljana.cvetkovic@surdulica.test';

beforeAll(async () => {
  [app, secure] = await Promise.all([startApp({ SESSION_ABSOLUTE_HOURS: '9' }), startApp({ PUBLIC_URL: 'https://delovod.example', MFA_FOR_STAFF: 'required' })]);
});
afterAll(() => Promise.all([app?.stop(), secure?.stop()]));

/** The policy's directives by name. */
function policy(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy');
  expect(header).toBeTruthy();
  return new Map(header!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

const nonceOf = (csp: Map<string, string[]>) => /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(csp.get('script-src')!.find((v) => v.startsWith("'nonce-"))!)![1];

async function signedIn(email = clerk): Promise<Client> {
  const c = new Client(app.url);
  expect((await c.signIn(email, DEMO_PASSWORD)).status).toBe(302);
  return c;
}

describe('Content-Security-Policy', () => {
  it('is strict: scripts only from the site or with the nonce, no plugins, no <base>, forms to the site, never framed', async () => {
    const csp = policy(await fetch(`${app.url}/login`));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'", expect.stringMatching(/^'nonce-[A-Za-z0-9+/]{22}=='$/)]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('style-src-attr')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect([...csp.values()].flat()).not.toContain("'unsafe-inline'");
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('has a nonce that differs on every response and that every script of the page carries', async () => {
    const c = await signedIn();
    const seen = new Set<string>();
    for (const path of ['/login', '/', '/t/surdulica/inbox', '/t/surdulica/inbox', '/t/surdulica/registry']) {
      const res = await (path === '/login' ? fetch(`${app.url}${path}`) : c.get(path));
      expect(res.status).toBe(200);
      const nonce = nonceOf(policy(res));
      expect(seen.has(nonce)).toBe(false);
      seen.add(nonce);
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThanOrEqual(3);
      for (const tag of scripts) expect(tag).toContain(` nonce="${nonce}"`);
    }
  });
});

describe('the other headers', () => {
  it('are on pages, downloads and the client build’s files alike', async () => {
    const html = await (await fetch(`${app.url}/login`)).text();
    const asset = /<script[^>]*src="(\/build\/[^"]+\.js)"|href="(\/build\/[^"]+\.js)"/.exec(html)!;
    const c = await signedIn();
    for (const res of [await fetch(`${app.url}/login`), await fetch(`${app.url}${asset[1] ?? asset[2]}`), await c.get('/t/surdulica/registry.csv'), await fetch(`${app.url}/no/such/page`)]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      const permissions = res.headers.get('permissions-policy')!;
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) expect(permissions).toContain(`${feature}=()`);
      // Passkeys: this site's own pages only, never a frame.
      for (const feature of ['publickey-credentials-create', 'publickey-credentials-get']) expect(permissions).toContain(`${feature}=(self)`);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('include HSTS only when the site is served over https', async () => {
    expect((await fetch(`${app.url}/login`)).headers.get('strict-transport-security')).toBeNull();
    const res = await fetch(`${secure.url}/login`);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(policy(res).has('upgrade-insecure-requests')).toBe(true);
  });
});

describe('caching', () => {
  it('keeps nothing a signed-in user sees: pages, data requests, downloads, actions', async () => {
    const c = await signedIn();
    for (const path of ['/t/surdulica/inbox', '/t/surdulica/inbox.data', '/t/surdulica/registry.csv', '/tenants', '/', '/login']) {
      const res = await c.get(path);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    const locale = await c.post('/locale', { locale: 'en', redirectTo: '/t/surdulica/inbox' });
    expect(locale.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps no response that starts or ends a session, and a signed-out page may be cached as before', async () => {
    const c = new Client(app.url);
    const signIn = await c.signIn(clerk, DEMO_PASSWORD);
    expect(signIn.headers.get('set-cookie')).toBeTruthy();
    expect(signIn.headers.get('cache-control')).toBe('no-store');
    const signOut = await c.post('/logout', {});
    expect(signOut.headers.get('set-cookie')).toBeTruthy();
    expect(signOut.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${app.url}/login`)).headers.get('cache-control')).not.toBe('no-store');
  });
});

describe('the session cookie', () => {
  it('lives as long as the session may (SESSION_ABSOLUTE_HOURS), and no longer', async () => {
    const res = await new Client(app.url).signIn(clerk, DEMO_PASSWORD);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('delovod_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)![1]);
    expect(maxAge).toBeLessThanOrEqual(9 * 3600);
    expect(maxAge).toBeGreaterThan(9 * 3600 - 60);
  });

  it('is renewed while in use only for what is left of the absolute lifetime, and refused past it', async () => {
    const email = 'dragan.jovanovic@surdulica.test';
    const c = new Client(app.url);
    expect((await c.signIn(email, DEMO_PASSWORD)).status).toBe(302);
    // Two hours in, and five minutes from its idle end: the next request renews it.
    const session = (interval: string) =>
      app.owner.db.execute(sql`update sessions set created_at = now() - ${interval}::interval, expires_at = now() + interval '5 minutes' where user_id = (select id from users where email = ${email})`);
    await session('2 hours');
    const renewed = await c.get('/t/surdulica/inbox');
    expect(renewed.status).toBe(200);
    const cookie = renewed.headers.getSetCookie().find((v) => v.startsWith('delovod_session='))!;
    const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)![1]);
    expect(maxAge).toBeLessThanOrEqual(7 * 3600);
    expect(maxAge).toBeGreaterThan(7 * 3600 - 60);
    // A cookie kept past the absolute lifetime anyway is refused, and blanked.
    await session('9 hours 1 second');
    const late = await c.get('/t/surdulica/inbox');
    expect(late.headers.get('location')).toMatch(/^\/login\?/);
    expect(late.headers.getSetCookie().find((v) => v.startsWith('delovod_session='))).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  });

  it('is a Secure __Host- cookie of the same lifetime on an https site', async () => {
    // As behind the TLS-terminating proxy on loopback.
    const res = await new Client(secure.url).post('/login', { email: clerk, password: DEMO_PASSWORD }, { origin: 'https://delovod.example', 'x-forwarded-host': 'delovod.example', 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(302);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-delovod_session='))!;
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(Number(/Max-Age=(\d+)/i.exec(cookie)![1])).toBeGreaterThan(12 * 3600 - 60);
  });
});

describe('redirect targets taken from a request', () => {
  const payloads = ['//evil.example', '/\\evil.example', '/\t/evil.example', '/%2f%2fevil.example', 'https://evil.example', 'javascript:alert(1)', '/a/..//evil.example', ' //evil.example'];

  it('never leave the site after signing in, whatever was asked', async () => {
    for (const redirectTo of payloads) {
      const res = await new Client(app.url).post('/login', { email: clerk, password: DEMO_PASSWORD, redirectTo });
      expect(res.status).toBe(302);
      const location = res.headers.get('location')!;
      expect(new URL(location, app.url).origin, redirectTo).toBe(app.url);
      expect(location).toBe('/tenants');
    }
    const c = await signedIn();
    for (const redirectTo of payloads) {
      const res = await c.get(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
      expect(res.headers.get('location'), redirectTo).toBe('/tenants');
    }
    expect((await new Client(app.url).post('/login', { email: clerk, password: DEMO_PASSWORD, redirectTo: '/t/surdulica/registry?year=2026' })).headers.get('location')).toBe('/t/surdulica/registry?year=2026');
  });

  it('never leave the site after switching language', async () => {
    for (const redirectTo of payloads) {
      const res = await new Client(app.url).post('/locale', { locale: 'en', redirectTo });
      expect(res.headers.get('location'), redirectTo).toBe('/');
    }
    expect((await new Client(app.url).post('/locale', { locale: 'en', redirectTo: '/login?x=1' })).headers.get('location')).toBe('/login?x=1');
  });
});
