// The webhook address guard as an attacker meets it (ADR 014), with private addresses NOT
// allowed (the default): a subscription whose host is, or resolves to, a loopback, private or
// link-local address — a DNS name, an address written out, an IPv4-mapped IPv6 one, a number —
// is refused when it is made and, should it get in anyway (a DNS answer that changed after the
// subscription was checked), at delivery: no connection is opened, the delivery fails at once
// and is not tried again.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { BlockedAddress, guardedLookup, refusedLiteral } from '#app/api/webhooks/address-guard.server';
import { emitDocumentEvent, WEBHOOK_DELIVERY_JOB } from '#app/api/webhooks/events.server';
import { addressProblem, addSubscription } from '#app/api/webhooks/subscriptions.server';
import { hashPassword } from '#app/auth/password.server';
import { createDocument } from '#app/workflow/engine/create-document.server';
import type { Actor } from '#app/workflow/engine/actor';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { webhookDeliveries } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { seedDemo } from '#tenants/demo';
import { actorOf } from '#tests/support/actors';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { createMailer } from '../email/transport';
import { runJob } from '../run';

vi.hoisted(() => {
  delete process.env.WEBHOOK_ALLOW_PRIVATE;
});

let database: TestDatabase;
let app: DatabaseHandle;
let owner: ReturnType<typeof postgres>;
let admin: Actor;
/** A listener on loopback that counts the connections it gets: none may come. */
let trap: Server;
let port: number;
const connections: Socket[] = [];

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 4 });
  owner = postgres(database.ownerUrl, { max: 1, onnotice: () => {} });
  await seedDemo(app.db, hashPassword);
  admin = await actorOf(app.db, 'surdulica', 'milos.tomic@surdulica.test');
  trap = createServer((socket) => {
    connections.push(socket);
    socket.destroy();
  });
  await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
  port = (trap.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => trap?.close(r));
  await owner?.end();
  await app?.close();
  await database?.drop();
});

const inner = () => [
  `https://localhost:${port}/hook`,
  `https://LOCALHOST:${port}/hook`,
  `https://127.0.0.1:${port}/hook`,
  `https://2130706433:${port}/hook`,
  `https://0x7f.1:${port}/hook`,
  `https://[::ffff:127.0.0.1]:${port}/hook`,
  `https://[::1]:${port}/hook`,
  'https://10.20.30.40/hook',
  'https://192.168.0.1/hook',
  'https://169.254.169.254/latest/meta-data/',
  'https://[fd00::1]/hook',
  'https://100.64.0.1/hook',
];

describe('the address guard, private addresses not allowed', () => {
  it('refuses every inner address when a subscription is made, also behind a DNS name', async () => {
    for (const url of inner()) expect(await addressProblem(url), url).toBe('api.webhooks.errors.privateUrl');
  });

  it('refuses a DNS name that resolves to loopback in the connection’s own lookup', async () => {
    const refused = await new Promise<Error | null>((resolve) => guardedLookup('localhost', { family: 0 }, (err) => resolve(err)));
    expect(refused).toBeInstanceOf(BlockedAddress);
    expect(refusedLiteral(new URL('https://[::ffff:7f00:1]/'))).toBeInstanceOf(BlockedAddress);
    expect(refusedLiteral(new URL('https://93.184.215.14/'))).toBeNull();
    expect(refusedLiteral(new URL('https://example.org/'))).toBeNull();
  });

  it('opens no connection to a subscription that got an inner address anyway, fails its delivery at once and does not try it again', async () => {
    // As if each address had been public when the subscription was checked.
    const subscriptions = await withTenantOn(app.db, { tenantId: admin.tenantId }, async (tx) => {
      const made = [];
      for (const url of inner()) made.push(await addSubscription(tx, admin, { url, events: ['document.submitted'] }));
      return made;
    });
    const doc = await withTenantOn(app.db, { tenantId: admin.tenantId }, async (tx) => {
      const draft = await createDocument(tx, admin, { templateKey: 'overtime-request' });
      await emitDocumentEvent(tx, admin.tenantId, 'document.submitted', draft.id);
      return draft;
    });
    const deliveries = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) =>
      tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, admin.tenantId), eq(webhookDeliveries.subjectId, doc.id))),
    );
    expect(deliveries).toHaveLength(subscriptions.length);
    const ctx = { db: app.db, mailer: createMailer({ mailDir: mkdtempSync(join(tmpdir(), 'delovod-guard-')), from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date() };
    const started = Date.now();
    for (const d of deliveries) await runJob(WEBHOOK_DELIVERY_JOB, { tenantId: admin.tenantId, deliveryId: d.id }, ctx, { outboxId: d.id, attempt: 1 });
    // Refused before connecting: no time-out was waited for (link-local and private addresses do not answer here).
    expect(Date.now() - started).toBeLessThan(5000);
    expect(connections).toHaveLength(0);
    const after = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) =>
      tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, admin.tenantId), eq(webhookDeliveries.subjectId, doc.id))),
    );
    for (const d of after) {
      const url = subscriptions.find((s) => s.id === d.subscriptionId);
      expect(d, JSON.stringify(url)).toMatchObject({ status: 'failed', attempts: 1, lastStatus: null, lastError: expect.stringMatching(/is not a public address$/) });
    }
    const retries = await owner`select id from outbox where job = ${WEBHOOK_DELIVERY_JOB} and payload->>'deliveryId' in ${owner(after.map((d) => d.id))}`;
    // Only the rows the event itself wrote: a refused address is not tried again.
    expect(retries).toHaveLength(after.length);
    const still = await withTenantOn(app.db, { tenantId: admin.tenantId }, (tx) =>
      tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, admin.tenantId), inArray(webhookDeliveries.id, after.map((d) => d.id)), eq(webhookDeliveries.status, 'pending'))),
    );
    expect(still).toEqual([]);
  });
});
