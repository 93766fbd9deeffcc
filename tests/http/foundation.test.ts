// The foundation through HTTP, against the built server: sign-in, throttling, sessions,
// CSRF, languages, and that one tenant's user reaches nothing of another tenant.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#tenants/demo';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

const nikola = 'nikola.petrovic@surdulica.test';
const ana = 'ana.markovic@ite.test';

async function signedIn(email: string, ip = '203.0.113.1'): Promise<Client> {
  const c = new Client(app.url);
  const res = await c.post('/login', { email, password: DEMO_PASSWORD }, { 'x-forwarded-for': ip });
  expect(res.status).toBe(302);
  return c;
}

describe('health', () => {
  it('answers liveness and readiness', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { database: 'ok (postgres)' } });
  });
});

describe('signing in', () => {
  it('lands a one-tenant user in their inbox, in Serbian Cyrillic', async () => {
    const c = new Client(app.url);
    const login = await c.post('/login', { email: nikola, password: DEMO_PASSWORD, redirectTo: '/tenants' });
    expect(login.headers.get('location')).toBe('/tenants');
    expect(login.headers.get('set-cookie')).toMatch(/delovod_session=[^;]+;.*HttpOnly/i);
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    const choose = await c.get('/tenants');
    expect(choose.headers.get('location')).toBe('/t/surdulica/inbox');
    const inbox = await c.get('/t/surdulica/inbox');
    expect(inbox.status).toBe(200);
    const html = await inbox.text();
    expect(html).toContain('lang="sr-Cyrl"');
    expect(html).toContain('Пријемно сандуче');
  });

  it('lets a two-tenant user choose, and reach the national area', async () => {
    const c = await signedIn(ana);
    const choose = await c.get('/tenants');
    expect(choose.status).toBe(200);
    const html = await choose.text();
    expect(html).toContain('href="/national"');
    expect(html).toContain('href="/t/business-registers-agency/inbox"');
    expect((await c.get('/national')).status).toBe(200);
    expect((await c.get('/t/business-registers-agency/profile')).status).toBe(200);
  });

  it('gives one generic answer for a wrong password and for an unknown account', async () => {
    const c = new Client(app.url);
    const wrong = await c.post('/login', { email: nikola, password: 'not the password' }, { 'x-forwarded-for': '198.51.100.7' });
    const unknown = await c.post('/login', { email: 'nobody@surdulica.test', password: 'whatever' }, { 'x-forwarded-for': '198.51.100.7' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.text(), await unknown.text()];
    expect(a).toContain('Адреса е-поште или лозинка није исправна.');
    expect(b).toContain('Адреса е-поште или лозинка није исправна.');
    // What was typed comes back, except the password.
    expect(a).toContain(`value="${nikola}"`);
    expect(a).not.toContain('not the password');
  });

  it('explains invalid input beside the field', async () => {
    const c = new Client(app.url);
    const res = await c.post('/login', { email: 'not-an-email', password: '' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Унесите исправну адресу е-поште');
    expect(html).toContain('Ово поље је обавезно.');
    expect(html).toContain('value="not-an-email"');
  });
});

describe('sign-in throttling', () => {
  it('slows an account down after five failures, and lets the owner in once the block passes', async () => {
    const email = 'jelena.djordjevic@surdulica.test';
    const c = new Client(app.url);
    for (let i = 0; i < 5; i++) {
      const res = await c.post('/login', { email, password: `guess ${i}` }, { 'x-forwarded-for': `192.0.2.${i + 10}` });
      expect(res.status).toBe(401);
    }
    // Even the right password is not tried while blocked, from any address.
    const blocked = await c.post('/login', { email, password: DEMO_PASSWORD }, { 'x-forwarded-for': '192.0.2.99' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    expect(await blocked.text()).toContain('Превише покушаја');
    // The block is temporary: when it has passed, the owner signs in and the slate is clean.
    await app.owner.db.execute(sql`update login_throttle set blocked_until = now() - interval '1 second' where key = ${`account:${email}`}`);
    const ok = await c.post('/login', { email, password: DEMO_PASSWORD }, { 'x-forwarded-for': '192.0.2.99' });
    expect(ok.status).toBe(302);
    const rows = await app.owner.db.execute(sql`select 1 from login_throttle where key = ${`account:${email}`}`);
    expect(rows).toHaveLength(0);
  });

  it('slows an address down that tries many accounts', async () => {
    const ip = '192.0.2.200';
    const c = new Client(app.url);
    for (let i = 0; i < 30; i++) {
      await c.post('/login', { email: `spray${i}@surdulica.test`, password: 'Password1' }, { 'x-forwarded-for': ip });
    }
    const blocked = await c.post('/login', { email: nikola, password: DEMO_PASSWORD }, { 'x-forwarded-for': ip });
    expect(blocked.status).toBe(429);
    // The account itself is not blocked: from another address its owner gets in.
    const elsewhere = await c.post('/login', { email: nikola, password: DEMO_PASSWORD }, { 'x-forwarded-for': '192.0.2.201' });
    expect(elsewhere.status).toBe(302);
  });
});

describe('tenant isolation through HTTP', () => {
  const agencyPages = ['/t/business-registers-agency', '/t/business-registers-agency/inbox', '/t/business-registers-agency/profile'];

  it("gives a Surdulica user 404 and nothing of the agency's data on every agency page", async () => {
    const c = await signedIn(nikola);
    for (const page of agencyPages) {
      const res = await c.get(page);
      expect(res.status, page).toBe(404);
      const html = await res.text();
      for (const secret of ['Агенција за привредне регистре', 'Весна Поповић', 'Сектор за регистрацију', 'vesna.popovic']) {
        expect(html, `${page} leaks ${secret}`).not.toContain(secret);
      }
    }
  });

  it('answers the same for a tenant that does not exist (no existence oracle)', async () => {
    const c = await signedIn(nikola);
    expect((await c.get('/t/no-such-town/inbox')).status).toBe(404);
  });

  it('keeps the national area to national-office staff', async () => {
    const c = await signedIn(nikola);
    expect((await c.get('/national')).status).toBe(404);
  });

  it('sends anonymous visitors to sign in, remembering where they were going', async () => {
    const res = await new Client(app.url).get('/t/surdulica/inbox');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?redirectTo=%2Ft%2Fsurdulica%2Finbox');
  });
});

describe('sessions', () => {
  it('ends a session left idle past its expiry', async () => {
    const c = await signedIn('snezana.mitic@surdulica.test');
    await app.owner.db.execute(sql`update sessions set expires_at = now() - interval '1 minute'
      where user_id = (select id from users where email = 'snezana.mitic@surdulica.test')`);
    const res = await c.get('/t/surdulica/inbox');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain('expired=1');
  });

  it('ends a session past its absolute lifetime even while in use', async () => {
    const c = await signedIn('ivana.stankovic@surdulica.test');
    await app.owner.db.execute(sql`update sessions set created_at = now() - interval '13 hours'
      where user_id = (select id from users where email = 'ivana.stankovic@surdulica.test')`);
    const res = await c.get('/t/surdulica/inbox');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain('expired=1');
  });

  it('stores only a hash of the cookie token', async () => {
    const c = await signedIn('zoran.ilic@surdulica.test');
    const token = c.cookieHeader().split('=')[1];
    const rows = await app.owner.db.execute(sql`select id from sessions where id = ${token}`);
    expect(rows).toHaveLength(0);
  });

  it('signs out on every device', async () => {
    const laptop = await signedIn('milos.tomic@surdulica.test');
    const phone = await signedIn('milos.tomic@surdulica.test');
    expect((await phone.get('/t/surdulica/inbox')).status).toBe(200);
    const out = await laptop.post('/logout', { scope: 'everywhere' });
    expect(out.headers.get('location')).toBe('/login?signedOut=1');
    expect((await phone.get('/t/surdulica/inbox')).status).toBe(302);
    expect((await laptop.get('/t/surdulica/inbox')).status).toBe(302);
  });
});

describe('cross-site requests', () => {
  it('refuses a POST from another origin and leaves the session alone', async () => {
    const c = await signedIn('dragan.jovanovic@surdulica.test');
    const res = await c.post('/logout', {}, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    expect((await c.get('/t/surdulica/inbox')).status).toBe(200);
  });

  it('answers an address it cannot decode with a translated 400 and nothing of the error', async () => {
    const c = await signedIn(nikola);
    for (const [method, path] of [
      ['GET', '/signup/x%ED%BF%BFy'],
      ['GET', '/t/surdulica/%E0%A4%A'],
      ['POST', '/t/surdulica/documents/%FF'],
    ]) {
      const res = await c.request(path, { method, headers: { origin: app.url, 'content-type': 'application/x-www-form-urlencoded' }, body: method === 'POST' ? 'intent=save' : undefined });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text, path).toContain('Послато није образац који ова страница може да прочита');
      expect(text, path).not.toMatch(/URIError|decode|at \w+ \(/);
    }
  });
});

describe('languages', () => {
  it('switches language, remembers it on the device and on the account', async () => {
    const c = await signedIn('ljiljana.cvetkovic@surdulica.test');
    const res = await c.post('/locale', { locale: 'en', redirectTo: '/t/surdulica/profile' });
    expect(res.headers.get('location')).toBe('/t/surdulica/profile');
    const page = await (await c.get('/t/surdulica/profile')).text();
    expect(page).toContain('lang="en"');
    expect(page).toContain('Ljiljana Cvetković');
    const latin = await c.post('/locale', { locale: 'sr-Latn', redirectTo: '/t/surdulica/profile' });
    expect(latin.status).toBe(302);
    const latinPage = await (await c.get('/t/surdulica/profile')).text();
    expect(latinPage).toContain('Odeljenje za opštu upravu i zajedničke poslove');
    // A new device without the cookie gets the account's language.
    const other = await signedIn('ljiljana.cvetkovic@surdulica.test');
    expect(await (await other.get('/t/surdulica/inbox')).text()).toContain('Prijemno sanduče');
  });

  it('never redirects off-site', async () => {
    const res = await new Client(app.url).post('/locale', { locale: 'en', redirectTo: '//evil.example/x' });
    expect(res.headers.get('location')).toBe('/');
  });
});
