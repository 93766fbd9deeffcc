// Web readiness (issue 24, ADR 015): /readyz is about PostgreSQL alone — answering 503 within a
// second when the database hangs, whatever Redis does — and /healthz about the process. The web
// reaches PostgreSQL through a proxy this test can cut (connections dropped, new ones left
// hanging, as a database host that vanished does).
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '#tests/support/server';
import { until } from '#tests/support/smtp';

let app: RunningApp;
let proxy: Server;
let cut = false;
const sockets = new Set<Socket>();

beforeAll(async () => {
  proxy = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (cut) return; // accepted, never answered
    const upstream = connect(5432, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  // The test database through the proxy; Redis configured but nowhere to be found.
  app = await startApp({ REDIS_URL: 'redis://127.0.0.1:1' }, {
    databaseUrl: (appUrl) => {
      const url = new URL(appUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
  });
}, 180_000);

afterAll(async () => {
  await app?.stop();
  for (const s of sockets) s.destroy();
  proxy?.close();
});

const readyz = async () => {
  const started = performance.now();
  const res = await fetch(`${app.url}/readyz`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, ms: performance.now() - started, body: (await res.json()) as { ready: boolean; checks: Record<string, string> } };
};

describe('readiness', () => {
  it('does not depend on Redis: ready with a Redis that does not answer', async () => {
    const r = await readyz();
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ready: true, checks: { database: 'ok (postgres)' } });
  });

  it('answers 503 within a second when PostgreSQL hangs, and 200 again once it is back', async () => {
    cut = true;
    for (const s of sockets) s.destroy();
    const down = await until('readiness to fail', async () => {
      const r = await readyz();
      return r.status === 503 ? r : undefined;
    }, 20_000);
    expect(down.body.checks.database).toBe('unavailable');
    // Every answer while it is down comes within the second, not after a connection timeout.
    for (let i = 0; i < 3; i++) {
      const r = await readyz();
      expect(r.status).toBe(503);
      expect(r.ms).toBeLessThan(1000);
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    cut = false;
    // Ready again within seconds: a connection attempt left hanging is given up after 10 s
    // (db/client.ts), not postgres.js's 30, and the queries queued behind it go out.
    const back = performance.now();
    await until('readiness back', async () => (await readyz()).status === 200, 30_000);
    expect(performance.now() - back).toBeLessThan(15_000);
  }, 60_000);
});
