// Behind a reverse proxy, the origin check and Remix's own CSRF check agree: a form post the
// origin check lets through is never a 500 from Remix, and one it refuses is a 403. Forwarded
// headers count only from a trusted proxy (TRUST_PROXY): the client address that sign-in
// throttling counts is the one a trusted proxy names, and a forged one helps nobody.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

/** A form post over node:http (fetch may not set Host). */
function post(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = 'locale=en&redirectTo=%2F';
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, base),
      { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length), ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.each([
  ['trusting the proxy on this machine (the default)', {}, true],
  ['trusting no proxy', { TRUST_PROXY: 'false' }, false],
])('a form post %s', (_, env, forwardedCounts) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(env);
  });
  afterAll(() => app?.stop());

  it('is accepted from the public origin whatever Host and X-Forwarded-Host the proxy passed on', async () => {
    const host = new URL(app.url).host;
    for (const headers of [
      { origin: app.url },
      { origin: app.url, host: '127.0.0.1:1' },
      { origin: app.url, 'x-forwarded-host': 'internal.example' },
      { origin: app.url, host: 'backend:3000', 'x-forwarded-host': host, 'x-forwarded-proto': 'http' },
    ] as Record<string, string>[]) {
      const res = await post(app.url, '/locale', headers);
      expect(res.status, JSON.stringify(headers)).toBe(302);
    }
  });

  it('is refused with 403, never 500, from another origin or a malformed one', async () => {
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'not a url' },
      { origin: app.url, 'sec-fetch-site': 'cross-site' },
    ] as Record<string, string>[]) {
      const res = await post(app.url, '/locale', headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body).not.toMatch(/Error|stack|at /);
    }
  });

  it(`counts sign-in failures against ${forwardedCounts ? 'the address the proxy names' : 'the connection’s address, whatever X-Forwarded-For says'}`, async () => {
    const c = new Client(app.url);
    const signIn = (i: number, forwardedFor: string) => c.post('/login', { email: `sprayed.${i}@nowhere.test`, password: 'Leto2026!Leto' }, { 'x-forwarded-for': forwardedFor });
    for (let i = 0; i < 30; i++) expect((await signIn(i, '198.51.100.9')).status).toBe(401);
    expect((await signIn(30, '198.51.100.9')).status).toBe(429);
    // Another forwarded address is another client only when the proxy that says so is trusted.
    expect((await signIn(31, '198.51.100.10')).status).toBe(forwardedCounts ? 401 : 429);
  });
});
