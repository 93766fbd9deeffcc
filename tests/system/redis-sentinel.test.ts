// The same jobs on a Redis Sentinel group (issue 24): a master, its replica and two sentinels
// this test starts on its own ports, and `npm run worker`'s own process configured as an
// operator would (REDIS_SENTINELS, REDIS_SENTINEL_NAME). Emails go end to end through the
// sentinels' master, and again while the sentinels fail the master over to the replica
// (SENTINEL FAILOVER): counted at a real SMTP sink against the outbox, none lost.
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
import { startSentinelGroup, type TestSentinelGroup } from '#tests/support/redis';
import { countDeliveries, requestEmails as requestEmails_ } from '#tests/support/outbox-emails';
import { startSmtp, until, type TestSmtp } from '#tests/support/smtp';
import { workerProcess } from '#tests/support/worker';

/** nodemailer's pool in the worker (jobs/email/transport.ts). */
const POOL = 5;

let database: TestDatabase;
let app: DatabaseHandle;
let owner: ReturnType<typeof postgres>;
let group: TestSentinelGroup;
let smtp: TestSmtp;
let marija: Actor;
let worker: ChildProcess | null = null;
let healthPort: number;

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r())));

async function health(): Promise<{ status: number; body: { checks?: Record<string, string> } | null }> {
  try {
    const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: (await res.json()) as { checks?: Record<string, string> } };
  } catch {
    return { status: 0, body: null };
  }
}

/** Connections to the Redis on `port` other than the sentinels' and this question's own. */
async function clientsOf(port: number): Promise<number> {
  const list = await group.cli(port, 'client', 'list');
  return list.split('\n').filter((line) => line && !/ name=sentinel-/.test(line) && !/ cmd=client\|list/.test(line)).length;
}

const requestEmails = (n: number) => requestEmails_(app, owner, marija, n);
const counted = (outboxIds: string[]) => countDeliveries(smtp.delivered, outboxIds);

/** The environment without REDIS_URL: the sentinels are the only Redis the worker is given. */
function withoutRedisUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { REDIS_URL: _, ...rest } = env;
  return rest;
}

beforeAll(async () => {
  [group, smtp, database] = await Promise.all([startSentinelGroup(), startSmtp(), createTestDatabase(inject('templateDatabase'))]);
  app = connectPostgres(database.appUrl, { max: 4 });
  owner = postgres(database.ownerUrl, { max: 2, onnotice: () => {} });
  await seedDemo(app.db, hashPassword);
  // The demo's own emails are not what this test counts.
  await owner`update outbox set relayed_at = now(), completed_at = now()`;
  marija = await actorOf(app.db, 'surdulica', 'marija.stojanovic@surdulica.test');
  healthPort = await freePort();
  worker = workerProcess({
    env: {
      ...withoutRedisUrl(process.env),
      NODE_ENV: 'test',
      DATABASE_URL: database.appUrl,
      REDIS_SENTINELS: group.sentinels,
      REDIS_SENTINEL_NAME: group.name,
      SMTP_URL: smtp.url,
      QUEUE_PREFIX: '{sentinel-test}',
      WORKER_LOCK_SECONDS: '3',
      OUTBOX_RECONCILE_SECONDS: '5',
      WORKER_HEALTH_PORT: String(healthPort),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await until('the worker to be ready', async () => (await health()).status === 200, 90_000);
}, 180_000);

afterAll(async () => {
  if (worker) {
    worker.kill('SIGKILL');
    await exited(worker);
  }
  await smtp?.close();
  await group?.stop();
  await owner?.end();
  await app?.close();
  await database?.drop();
});

describe('jobs on a Redis Sentinel group', () => {
  it('run end to end through the master the sentinels name', async () => {
    const ids = await requestEmails(20);
    await until('all 20 emails', () => counted(ids).lost === 0, 60_000);
    expect(counted(ids)).toMatchObject({ lost: 0, duplicates: 0 });
    // The queues and the schedulers are on the master: the replica holds a copy, not its own.
    const [master, replica] = group.ports;
    expect(await group.masterPort()).toBe(master);
    expect(await group.cli(master, 'zscore', '{sentinel-test}:schedule:repeat', 'outbox.relay')).not.toBe('');
    expect(await group.cli(replica, 'role')).toMatch(/^slave/);
    expect((await health()).body?.checks).toMatchObject({ redis: 'ok', schedulers: 'ok' });
  }, 120_000);

  it('lose nothing when the master fails over to the replica', async () => {
    // A slow SMTP server: jobs are waiting and running in Redis when the master changes.
    smtp.delay(() => true, 100);
    const ids = await requestEmails(80);
    await until('a few emails out', () => counted(ids).delivered >= 5, 60_000);
    const since = performance.now();
    const promoted = await group.failover();
    smtp.delay(() => false, 0);
    expect(promoted).toBe(group.ports[1]);
    // The worker leaves the old master as soon as the sentinels announce the new one: until
    // they get round to demoting the old master (seconds later), whatever it wrote there would
    // be lost when the old master copies the new one's data.
    await until('the worker connected to the new master', async () => (await clientsOf(promoted)) > 0, 5_000);
    // And work requested after the failover goes through the new master.
    const after = await requestEmails(20);
    const all = [...ids, ...after];
    await until(`all ${all.length} emails`, () => counted(all).lost === 0, 150_000);
    const c = counted(all);
    console.log(`[redis-sentinel] failover: ${all.length} emails, ${c.lost} lost, ${c.duplicates} duplicates, all out ${((performance.now() - since) / 1000).toFixed(1)} s after it began`);
    expect(c.lost).toBe(0);
    expect(c.duplicates).toBeLessThanOrEqual(POOL);
    // The worker follows the new master: its schedulers are there and it answers healthy.
    await until('the worker healthy on the new master', async () => (await health()).status === 200, 30_000);
    expect(await group.cli(promoted, 'zscore', '{sentinel-test}:schedule:repeat', 'outbox.relay')).not.toBe('');
    // PostgreSQL knows every one of them finished: nothing is left for the reconciler.
    await until('every job recorded completed', async () => (await owner<{ n: number }[]>`select count(*)::int as n from outbox where id = any(${all}) and completed_at is null`)[0].n === 0, 30_000);
  }, 240_000);
});
