// Webhook deliveries end to end against the machine's PostgreSQL and Redis and a receiver this
// test runs on loopback (allowed here by WEBHOOK_ALLOW_PRIVATE): signatures checked with an
// independent implementation (the `standardwebhooks` package), retries with backoff, the order
// of one document's events, and no loss when the worker is killed in the middle of a call.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import postgres from 'postgres';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { addApiClient } from '#app/api/clients.server';
import { isPublicAddress } from '#app/api/webhooks/address-guard.server';
import { emitDocumentEvent, redeliver } from '#app/api/webhooks/events.server';
import { createDocument } from '#app/workflow/engine/create-document.server';
import { addSubscription } from '#app/api/webhooks/subscriptions.server';
import { hashPassword } from '#app/auth/password.server';
import type { Actor } from '#app/workflow/engine/actor';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { reports, webhookDeliveries, webhookEvents, type WebhookEventType } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { seedDemo } from '#tenants/demo';
import { actorOf } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { until } from '#tests/support/smtp';
import { buildReport } from '../definitions/reports';
import { createMailer } from '../email/transport';
import { closeQueues, type Queues } from '../queues';
import { startWorker, type RunningWorker } from '../worker';
import { workerProcess } from '#tests/support/worker';

vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE = '1';
  process.env.WEBHOOK_RETRY_SECONDS = '1';
});

const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = () => `{w${randomBytes(5).toString('hex')}}`;
const log = pino({ level: 'silent' });
const mailDir = mkdtempSync(join(tmpdir(), 'delovod-webhooks-'));

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  answered: number | null;
  /** When it arrived (ms). */
  at: number;
}

let database: TestDatabase;
let app: DatabaseHandle;
let owner: ReturnType<typeof postgres>;
let nikola: Actor, marija: Actor, admin: Actor;
let receiver: Server;
let base: string;
const received: Received[] = [];
/** Per path: how the receiver answers the nth call (default 204). */
const behaviour = new Map<string, (n: number, res: ServerResponse) => number | null>();
const opened: Queues[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 6 });
  owner = postgres(database.ownerUrl, { max: 2, onnotice: () => {} });
  await seedDemo(app.db, hashPassword);
  [nikola, marija, admin] = await Promise.all(['nikola.petrovic', 'marija.stojanovic', 'milos.tomic'].map((n) => actorOf(app.db, 'surdulica', `${n}@surdulica.test`)));
  await owner`update outbox set relayed_at = now()`;
  receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const n = received.filter((r) => r.path === path).length;
      const entry: Received = { path, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), answered: null, at: Date.now() };
      received.push(entry);
      const status = (behaviour.get(path) ?? (() => 204))(n, res);
      if (status === null) return; // never answered
      entry.answered = status;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  for (const q of opened) {
    await Promise.all(Object.values(q).map((x) => x.obliterate({ force: true }).catch(() => {})));
    await closeQueues(q);
  }
  await owner?.end();
  await app?.close();
  await database?.drop();
});

async function subscribe(path: string, events: WebhookEventType[]) {
  return withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) => addSubscription(tx, admin, { url: `${base}${path}`, events }));
}

async function worker(): Promise<RunningWorker> {
  const w = await startWorker({
    db: app.db,
    redis: REDIS,
    prefix: prefix(),
    concurrency: { email: 2, work: 4 },
    lockMs: 5000,
    ctx: { mailer: createMailer({ mailDir, from: 'test@delovod.test' }), log, now: () => new Date() },
  });
  opened.push(w.queues);
  return w;
}

const at = (path: string) => received.filter((r) => r.path === path);
const typesOf = (list: Received[], documentId: string) =>
  list.filter((r) => r.answered !== null && r.answered < 300).map((r) => JSON.parse(r.body) as { type: string; data: { documentId?: string } }).filter((e) => e.data.documentId === documentId).map((e) => e.type);

describe('webhook deliveries', () => {
  it('sends each subscribed event of a document, in order, signed as Standard Webhooks specifies', async () => {
    const { secret } = await subscribe('/all', ['document.submitted', 'document.approved', 'document.registered', 'document.returned']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const only = await subscribe('/registered-only', ['document.registered']);
    const doc = await acted(app.db, marija, await submitted(app.db, nikola, 'overtime-request', overtimeRequest('2027-03-01', '16:00', '18:00')), 'approved');
    const w = await worker();
    try {
      await until('three events', () => typesOf(at('/all'), doc.id).length >= 3);
      await until('the registered event', () => typesOf(at('/registered-only'), doc.id).length >= 1);
    } finally {
      await w.close();
    }
    expect(typesOf(at('/all'), doc.id)).toEqual(['document.submitted', 'document.approved', 'document.registered']);
    expect(typesOf(at('/registered-only'), doc.id)).toEqual(['document.registered']);
    const verifier = new Webhook(secret);
    for (const call of at('/all')) {
      const event = verifier.verify(call.body, call.headers) as { type: string; timestamp: string; data: { documentId: string; registryNumber: string | null; state: string } };
      expect(event.data.documentId).toBe(doc.id);
      if (event.type === 'document.registered') expect(event.data).toMatchObject({ registryNumber: doc.registryNumber, state: 'registered' });
      expect(call.headers['content-type']).toBe('application/json');
    }
    // The independent implementation refuses what was not signed so: a changed body, another secret.
    const first = at('/all')[0];
    expect(() => verifier.verify(first.body.replace('document', 'documenT'), first.headers)).toThrow();
    expect(() => new Webhook(only.secret).verify(first.body, first.headers)).toThrow();
  });

  it('tries a failed call again with growing pauses, and holds a document’s later events until the earlier one is through', async () => {
    behaviour.set('/flaky', (n) => (n < 2 ? 503 : 200));
    await subscribe('/flaky', ['document.submitted', 'document.approved', 'document.registered']);
    const doc = await acted(app.db, marija, await submitted(app.db, nikola, 'overtime-request', overtimeRequest('2027-03-08', '16:00', '18:00')), 'approved');
    const w = await worker();
    try {
      await until('all three through', () => typesOf(at('/flaky'), doc.id).length >= 3, 40_000);
    } finally {
      await w.close();
    }
    const calls = at('/flaky');
    // The first event failed twice; nothing later went before it.
    expect(calls.slice(0, 3).map((c) => [(JSON.parse(c.body) as { type: string }).type, c.answered])).toEqual([
      ['document.submitted', 503],
      ['document.submitted', 503],
      ['document.submitted', 200],
    ]);
    expect(typesOf(calls, doc.id)).toEqual(['document.submitted', 'document.approved', 'document.registered']);
    // The same webhook-id on every try of one delivery.
    const ids = calls.slice(0, 3).map((c) => c.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    const [row] = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) => tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, admin.tenantId), eq(webhookDeliveries.id, ids[0]))));
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200 });
    // The pauses as the job asked for them (the outbox rows of its retries): 1 s, then 2 s — doubling, not constant.
    const asked = await owner`select extract(epoch from available_at - created_at)::float8 as pause from outbox where job = 'webhooks.deliver' and payload->>'deliveryId' = ${ids[0]} order by created_at`;
    const pauses = asked.map((r) => Number(r.pause));
    expect(pauses).toHaveLength(3);
    expect(pauses[0]).toBeLessThan(0.5);
    expect(pauses[1]).toBeGreaterThanOrEqual(0.95);
    expect(pauses[1]).toBeLessThan(1.5);
    expect(pauses[2]).toBeGreaterThanOrEqual(1.95);
    expect(pauses[2]).toBeLessThan(2.5);
    // And the receiver waited at least that long between the tries.
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(900);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(1900);
  }, 60_000);

  it('gives up after its attempts, records why, and delivers again when an administrator asks', async () => {
    behaviour.set('/down', () => 500);
    const down = await subscribe('/down', ['document.returned']);
    const doc = await acted(app.db, marija, await submitted(app.db, nikola, 'overtime-request', overtimeRequest('2027-03-15', '16:00', '18:00')), 'returned', { comment: 'Допуните опис' });
    const [pending] = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) =>
      tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, admin.tenantId), eq(webhookDeliveries.subjectId, doc.id), eq(webhookDeliveries.subscriptionId, down.id))),
    );
    // As after its last attempt.
    await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) => tx.update(webhookDeliveries).set({ attempts: 7 }).where(eq(webhookDeliveries.id, pending.id)));
    const w = await worker();
    try {
      const failed = await until('the failed delivery', async () => {
        const [row] = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) => tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, pending.id)));
        return row.status === 'failed' && row;
      });
      expect(failed).toMatchObject({ attempts: 8, lastStatus: 500, lastError: 'HTTP 500' });
      behaviour.set('/down', () => 200);
      await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) => redeliver(tx, admin.tenantId, pending.id));
      await until('the redelivery', () => at('/down').some((c) => c.answered === 200));
    } finally {
      await w.close();
    }
    const [row] = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) => tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, pending.id)));
    expect(row).toMatchObject({ status: 'delivered', attempts: 9 });
    expect(new Set(at('/down').map((c) => c.headers['webhook-id']))).toEqual(new Set([pending.id]));
  });

  it('loses nothing when the worker is killed in the middle of a call: another worker sends it, with the same webhook-id', async () => {
    behaviour.set('/slow', (n) => (n === 0 ? null : 204));
    await subscribe('/slow', ['document.submitted']);
    const doc = await submitted(app.db, nikola, 'overtime-request', overtimeRequest('2027-03-22', '16:00', '18:00'));
    const p = prefix();
    const spawnWorker = (): ChildProcess =>
      workerProcess({
        env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: database.appUrl, REDIS_URL: REDIS, QUEUE_PREFIX: p, WORKER_LOCK_SECONDS: '2', LOG_LEVEL: 'error', MAIL_DIR: mailDir, SMTP_URL: '', WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_RETRY_SECONDS: '1' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    const exited = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)));
    const first = spawnWorker();
    try {
      await until('the first call to arrive', () => at('/slow').length >= 1, 90_000);
    } finally {
      first.kill('SIGKILL');
      await exited(first);
    }
    const second = spawnWorker();
    try {
      await until('the call again', () => at('/slow').some((c) => c.answered === 204), 90_000);
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
    const calls = at('/slow');
    expect(new Set(calls.map((c) => c.headers['webhook-id'])).size).toBe(1);
    expect((JSON.parse(calls[0].body) as { data: { documentId: string } }).data.documentId).toBe(doc.id);
    const [row] = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) => tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, calls[0].headers['webhook-id'])));
    expect(row.status).toBe('delivered');
  }, 240_000);
});

describe('the report event', () => {
  it('is written once, when a monthly report is finished', async () => {
    const hook = await subscribe('/reports', ['report.ready']);
    const [report] = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) => tx.insert(reports).values({ tenantId: admin.tenantId, kind: 'overtime-monthly', period: '2027-02', requestedBy: admin.membershipId }).returning());
    const ctx = { db: app.db, mailer: createMailer({ mailDir, from: 'test@delovod.test' }), log, now: () => new Date() };
    await buildReport.handler({ tenantId: admin.tenantId, reportId: report.id }, ctx, { outboxId: report.id, attempt: 1 });
    await buildReport.handler({ tenantId: admin.tenantId, reportId: report.id }, ctx, { outboxId: report.id, attempt: 2 });
    const events = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) => tx.select().from(webhookEvents).where(and(eq(webhookEvents.tenantId, admin.tenantId), eq(webhookEvents.subjectId, report.id))));
    expect(events.map((e) => [e.type, (e.data as { period: string }).period])).toEqual([['report.ready', '2027-02']]);
    const deliveries = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) => tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, events[0].id)));
    expect(deliveries.map((d) => d.subscriptionId)).toEqual([hook.id]);
    const queued = await owner`select payload from outbox where job = 'webhooks.deliver' and payload->>'deliveryId' = ${deliveries[0].id}`;
    expect(queued).toHaveLength(1);
  });
});

describe('a tenant’s deletion', () => {
  it('takes its API clients, subscriptions, events and deliveries with it', async () => {
    const apr = await actorOf(app.db, 'business-registers-agency', 'milica.savic@apr.test');
    await withTenantOn(app.db, { tenantId: apr.tenantId }, async (tx) => {
      await addApiClient(tx, apr, { name: 'x', scopes: ['read:registry'], membershipId: apr.membershipId, expiresOn: '', rateLimitPerMinute: 10 });
      await addSubscription(tx, apr, { url: `${base}/apr`, events: ['document.submitted'] });
    });
    await withTenantOn(app.db, { tenantId: apr.tenantId }, async (tx) => {
      const draft = await createDocument(tx, apr, { templateKey: 'overtime-request' });
      await emitDocumentEvent(tx, apr.tenantId, 'document.submitted', draft.id);
    });
    const count = () =>
      owner.begin(async (t) => {
        await t`select set_config('app.tenant_id', ${apr.tenantId}, true)`;
        const [row] = await t`select (select count(*) from api_clients) + (select count(*) from webhook_subscriptions) + (select count(*) from webhook_events) + (select count(*) from webhook_deliveries) as n`;
        return Number(row.n);
      });
    expect(await count()).toBe(4);
    await owner.begin(async (t) => {
      await t`select set_config('delovod.offboarding', 'on', true)`;
      await t`delete from tenants where id = ${apr.tenantId}`;
    });
    expect(await count()).toBe(0);
  });
});

describe('the address guard', () => {
  it('takes only public unicast addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '224.0.0.1', 'nonsense']) expect(isPublicAddress(a), a).toBe(false);
    for (const a of ['93.184.215.14', '8.8.8.8', '2a00:1450:4001::1']) expect(isPublicAddress(a), a).toBe(true);
  });
});
