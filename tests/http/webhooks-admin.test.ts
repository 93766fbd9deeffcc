// The webhook delivery log and redelivery as a tenant administrator uses them, without
// JavaScript, against the built server and a receiver this test runs on loopback (allowed by
// WEBHOOK_ALLOW_PRIVATE, in the server and in this process, which runs the jobs as the embedded
// runner does): a failed call shows in the log with its answer, "Deliver again" sends the same
// delivery (same webhook-id, a valid Standard Webhooks signature) and the log then says
// delivered; a redirect is never followed; another tenant's administrator sees none of it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '#app/workflow/engine/actor';
import { webhookDeliveries } from '#db/schema';
import { createMailer } from '#jobs/email/transport';
import { drainOutbox } from '#jobs/inline';
import { DEMO_PASSWORD } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { Client } from '#tests/support/http';
import { scratchDir } from '#tests/support/seal';
import { startApp, type RunningApp } from '#tests/support/server';

vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE = '1';
  // The automatic retry waits an hour: within this test only the administrator's redelivery sends again.
  process.env.WEBHOOK_RETRY_SECONDS = '3600';
});

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let app: RunningApp;
let receiver: Server;
let base: string;
let admin: Client;
let nikola: Actor, marija: Actor;
let mailDir: ReturnType<typeof scratchDir>;
const received: Received[] = [];
/** Per path: the status of the nth call (and, for a redirect, where to). */
const answers = new Map<string, (n: number) => { status: number; location?: string }>();
const at = (path: string) => received.filter((r) => r.path === path);

const runJobs = () => drainOutbox({ db: app.app.db, mailer: createMailer({ mailDir: mailDir.path, from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date() });
const page = async (client = admin) => {
  const res = await client.get('/t/surdulica/admin/webhooks');
  expect(res.status).toBe(200);
  return res.text();
};
/** The delivery log's row of one delivery, as its cells' text. */
function rowOf(html: string, deliveryId: string): string[] {
  const row = html.split('<tr').find((r) => r.includes(`value="${deliveryId}"`));
  expect(row, `the log lists ${deliveryId}`).toBeTruthy();
  return [...row!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
}

async function subscribe(path: string, events: string[]): Promise<string> {
  const form = new URLSearchParams([['intent', 'create'], ['url', `${base}${path}`], ...events.map((e) => ['events', e])]);
  const res = await admin.request('/t/surdulica/admin/webhooks', { method: 'POST', body: form, headers: { origin: app.url } });
  expect(res.status).toBe(200);
  return /value="(whsec_[^"]+)"/.exec(await res.text())![1];
}

beforeAll(async () => {
  mailDir = scratchDir();
  app = await startApp({ WEBHOOK_ALLOW_PRIVATE: '1' });
  [nikola, marija] = await Promise.all(['nikola.petrovic', 'marija.stojanovic'].map((n) => actorOf(app.app.db, 'surdulica', `${n}@surdulica.test`)));
  // What the demo's seeding asked for is not this test's business.
  await runJobs();
  receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const answer = (answers.get(path) ?? (() => ({ status: 204 })))(at(path).length) as { status: number; location?: string };
      received.push({ path, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer.status, answer.location ? { location: answer.location } : {}).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  admin = new Client(app.url);
  expect((await admin.signIn('milos.tomic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
});

afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  await app?.stop();
  mailDir?.remove();
});

describe('the delivery log', () => {
  it('shows a failed call with its answer, delivers it again on request with the same id and a valid signature, then shows it delivered', async () => {
    answers.set('/hook', (n) => ({ status: n === 0 ? 500 : 204 }));
    const secret = await subscribe('/hook', ['document.submitted']);
    const doc = await submitted(app.app.db, nikola, 'overtime-request', overtimeRequest('2026-12-09', '16:00', '18:00'));
    await runJobs();
    expect(at('/hook')).toHaveLength(1);
    const [delivery] = await inTenant(app.app.db, nikola, (tx) => tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.subjectId, doc.id)));
    const failed = rowOf(await page(), delivery.id);
    expect(failed).toEqual([expect.any(String), 'Документ послат', `${base}/hook`, 'На чекању', '1', '500', expect.any(String)]);

    const again = await admin.post('/t/surdulica/admin/webhooks', { intent: 'redeliver', id: delivery.id });
    expect(again.status).toBe(302);
    expect(again.headers.get('location')).toBe('/t/surdulica/admin/webhooks?notice=redelivered');
    expect(await (await admin.get(again.headers.get('location')!)).text()).toContain('Позив ће бити поновљен.');
    await runJobs();
    const calls = at('/hook');
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.headers['webhook-id'])).toEqual([delivery.id, delivery.id]);
    for (const c of calls) {
      const event = new Webhook(secret).verify(c.body, c.headers) as { type: string; data: { documentId: string } };
      expect(event).toMatchObject({ type: 'document.submitted', data: { documentId: doc.id } });
    }
    expect(rowOf(await page(), delivery.id).slice(3, 6)).toEqual(['Испоручен', '2', '204']);

    // A delivery that was already delivered can be sent again too: the receiver drops it by its id.
    expect((await admin.post('/t/surdulica/admin/webhooks', { intent: 'redeliver', id: delivery.id })).status).toBe(302);
    await runJobs();
    expect(at('/hook').map((c) => c.headers['webhook-id'])).toEqual([delivery.id, delivery.id, delivery.id]);
    expect(rowOf(await page(), delivery.id).slice(3, 5)).toEqual(['Испоручен', '3']);
  });

  it('never follows a redirect: a 3xx is a failed call, and the address it names is not called', async () => {
    answers.set('/moved', () => ({ status: 307, location: `${base}/inside` }));
    await subscribe('/moved', ['document.approved']);
    const doc = await acted(app.app.db, marija, await submitted(app.app.db, nikola, 'overtime-request', overtimeRequest('2026-12-10', '16:00', '18:00')), 'approved');
    await runJobs();
    expect(at('/moved')).toHaveLength(1);
    expect(at('/inside')).toEqual([]);
    const deliveries = await inTenant(app.app.db, nikola, (tx) => tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.subjectId, doc.id)));
    const moved = deliveries.find((d) => d.lastStatus === 307)!;
    expect(moved).toMatchObject({ status: 'pending', attempts: 1, deliveredAt: null });
    expect(rowOf(await page(), moved.id).slice(1, 6)).toEqual(['Документ одобрен', `${base}/moved`, 'На чекању', '1', '307']);
  });

  it('is the tenant’s own: another tenant’s administrator sees none of it and cannot redeliver it', async () => {
    const [delivery] = await inTenant(app.app.db, nikola, (tx) => tx.select().from(webhookDeliveries).limit(1));
    const other = new Client(app.url);
    expect((await other.signIn('milica.savic@apr.test', DEMO_PASSWORD)).status).toBe(302);
    const theirs = await (await other.get('/t/business-registers-agency/admin/webhooks')).text();
    expect(theirs).not.toContain(base);
    expect(theirs).not.toContain(delivery.id);
    expect((await other.post('/t/business-registers-agency/admin/webhooks', { intent: 'redeliver', id: delivery.id })).status).toBe(404);
    const before = received.length;
    await runJobs();
    expect(received.length).toBe(before);
  });
});
