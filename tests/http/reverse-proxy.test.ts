// Behind a reverse proxy, the origin check and Remix's own CSRF check agree: a form post the
// origin check lets through is never a 500 from Remix, and one it refuses is a 403. Forwarded
// headers count only from a trusted proxy (TRUST_PROXY).
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  ['trusting the proxy on this machine (the default)', {}],
  ['trusting no proxy', { TRUST_PROXY: 'false' }],
])('a form post %s', (_, env) => {
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
});
