// Jobs under failure (issue 24, ADR 015), against a Redis this test starts and kills on its own
// port, a real SMTP sink, and `npm run worker`'s own process: Redis restarted empty, Redis killed
// with jobs waiting, the worker SIGKILLed mid-batch, SMTP down. Each counts the emails at the
// sink against the outbox: none lost, duplicates at most the SMTP pool size per kill, and prints
// how long recovery took.
import type { ChildProcess } from 'node:child_process';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import type { Actor } from '#app/workflow/engine/actor';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { seedDemo } from '#tenants/demo';
import { actorOf } from '#tests/support/actors';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { freePort } from '#tests/support/ports';
import { startRedis, type TestRedis } from '#tests/support/redis';
import { countDeliveries, requestEmails as requestEmails_ } from '#tests/support/outbox-emails';
import { startSmtp, until, type TestSmtp } from '#tests/support/smtp';
import { workerProcess } from '#tests/support/worker';

/** nodemailer's pool in the worker (jobs/email/transport.ts). */
const POOL = 5;
const PREFIX = '{faults}';

let database: TestDatabase;
let app: DatabaseHandle;
let owner: ReturnType<typeof postgres>;
let redis: TestRedis;
let smtpPort: number;
/** Every sink this test has run (SMTP goes down and comes back as a new one on the same port). */
const sinks: TestSmtp[] = [];
let marija: Actor;
let worker: ChildProcess | null = null;
let healthPort: number;

const sink = () => sinks[sinks.length - 1];

function startWorker(): ChildProcess {
  const child = workerProcess({
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.appUrl,
      REDIS_URL: redis.url,
      SMTP_URL: sink().url,
      QUEUE_PREFIX: PREFIX,
      WORKER_LOCK_SECONDS: '3',
      OUTBOX_RECONCILE_SECONDS: '5',
      WORKER_HEALTH_PORT: String(healthPort),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r())));

async function health(): Promise<{ status: number; ms: number; body: unknown }> {
  const started = performance.now();
  try {
    const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, ms: performance.now() - started, body: await res.json() };
  } catch {
    return { status: 0, ms: performance.now() - started, body: null };
  }
}

const requestEmails = (n: number) => requestEmails_(app, owner, marija, n);
const counted = (outboxIds: string[]) => countDeliveries(sinks.flatMap((s) => s.delivered), outboxIds);

const allDelivered = (ids: string[], timeoutMs = 150_000) => until(`all ${ids.length} emails`, () => counted(ids).lost === 0, timeoutMs);

function report(what: string, since: number, ids: string[]) {
  const c = counted(ids);
  console.log(`[jobs-faults] ${what}: ${ids.length} emails, ${c.lost} lost, ${c.duplicates} duplicates, recovered in ${((performance.now() - since) / 1000).toFixed(1)} s`);
  return c;
}

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 4 });
  owner = postgres(database.ownerUrl, { max: 2, onnotice: () => {} });
  await seedDemo(app.db, hashPassword);
  // The demo's own emails are not what this test counts.
  await owner`update outbox set relayed_at = now(), completed_at = now()`;
  marija = await actorOf(app.db, 'surdulica', 'marija.stojanovic@surdulica.test');
  redis = await startRedis();
  sinks.push(await startSmtp());
  smtpPort = Number(new URL(sink().url).port);
  healthPort = await freePort();
  worker = startWorker();
  await until('the worker to be ready', async () => (await health()).status === 200, 90_000);
}, 180_000);

afterAll(async () => {
  if (worker) {
    worker.kill('SIGKILL');
    await exited(worker);
  }
  for (const s of sinks) await s.close().catch(() => {});
  await redis?.stop();
  await owner?.end();
  await app?.close();
  await database?.drop();
});

describe('jobs under failure', () => {
  it('resume by themselves when Redis comes back empty: schedulers re-asserted, nothing lost', async () => {
    const before = await requestEmails(20);
    await allDelivered(before);
    await redis.kill();
    // The worker says so within a second, and so does nothing else wrong: the web is not asked.
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(1000);
    const ids = await requestEmails(30);
    const since = performance.now();
    await redis.start();
    await allDelivered(ids);
    const c = report('Redis restarted empty', since, ids);
    expect(c).toMatchObject({ lost: 0, duplicates: 0 });
    expect(performance.now() - since).toBeLessThan(60_000);
    await until('the worker healthy again', async () => (await health()).status === 200, 30_000);
  }, 240_000);

  it('relay again what Redis lost when it died with jobs waiting', async () => {
    // A slow SMTP server: the jobs pile up in Redis.
    sink().delay(() => true, 150);
    const ids = await requestEmails(60);
    await until('every row relayed', async () => (await owner`select count(*)::int as n from outbox where id = any(${ids}) and relayed_at is null`)[0].n === 0, 60_000);
    await until('a few emails out', () => counted(ids).delivered >= 5, 60_000);
    const since = performance.now();
    await redis.restart();
    sink().delay(() => false, 0);
    await allDelivered(ids);
    const c = report('Redis killed with jobs waiting', since, ids);
    expect(c.lost).toBe(0);
    expect(c.duplicates).toBeLessThanOrEqual(POOL);
  }, 240_000);

  it('resend at most what was on the wire when the worker is SIGKILLed mid-batch', async () => {
    sink().delay(() => true, 100);
    const ids = await requestEmails(60);
    await until('some emails out', () => counted(ids).delivered >= 10, 90_000);
    worker!.kill('SIGKILL');
    await exited(worker!);
    const since = performance.now();
    sink().delay(() => false, 0);
    worker = startWorker();
    await allDelivered(ids);
    const c = report('worker SIGKILL mid-batch', since, ids);
    expect(c.lost).toBe(0);
    expect(c.duplicates).toBeLessThanOrEqual(POOL);
  }, 240_000);

  it('deliver everything once SMTP is back', async () => {
    await sink().close();
    const ids = await requestEmails(20);
    // Down for a while: the sends fail and are retried with backoff.
    await new Promise((r) => setTimeout(r, 4000));
    expect(counted(ids).delivered).toBe(0);
    const since = performance.now();
    sinks.push(await startSmtp(smtpPort));
    await allDelivered(ids);
    const c = report('SMTP down', since, ids);
    expect(c).toMatchObject({ lost: 0, duplicates: 0 });
  }, 240_000);
});
