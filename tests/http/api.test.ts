// The public API (ADR 014) through HTTP against the built server: every endpoint, every scope
// and every class of error, the audit of each call with the client as actor, and no 500 for any
// input.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApiClient } from '#app/api/clients.server';
import type { Actor } from '#app/workflow/engine/actor';
import type { DocumentRow } from '#app/workflow/engine/transition.server';
import { verifyAuditChain } from '#db/audit';
import { auditEvents, apiScopes, reports, type ApiScope } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { DEMO_PASSWORD } from '#tenants/demo';
import { actorOf } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
let admin: Actor, nikola: Actor, marija: Actor, apr: Actor;
let registered: DocumentRow;
let elsewhere: DocumentRow;

async function clientFor(actor: Actor, scopes: readonly ApiScope[], options: { rate?: number; actsAs?: Actor; expiresOn?: string } = {}): Promise<{ id: string; token: string }> {
  const created = await withTenantOn(app.app.db, { tenantId: actor.tenantId }, (tx) =>
    addApiClient(tx, actor, {
      name: `test ${scopes.join(' ')}`,
      scopes: [...scopes],
      membershipId: (options.actsAs ?? actor).membershipId,
      expiresOn: options.expiresOn ?? '',
      rateLimitPerMinute: options.rate ?? 1000,
    }),
  );
  return created!;
}

function api(token: string | null, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  return fetch(new URL(path, app.url), { ...init, headers, redirect: 'manual' });
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as { type: string; title: string; status: number; detail?: string; errors?: Record<string, string[]> };
  expect(body.status).toBe(status);
  expect(body.type).toMatch(/^\/api\/v1\/reference#problem-/);
  return body;
}

let all: string;

beforeAll(async () => {
  app = await startApp();
  const db = app.app.db;
  [admin, nikola, marija] = await Promise.all(['milos.tomic', 'nikola.petrovic', 'marija.stojanovic'].map((n) => actorOf(db, 'surdulica', `${n}@surdulica.test`)));
  apr = await actorOf(db, 'business-registers-agency', 'milica.savic@apr.test');
  registered = await acted(db, marija, await submitted(db, nikola, 'overtime-request', overtimeRequest('2026-12-02', '16:00', '19:00')), 'approved');
  elsewhere = await submitted(db, nikola, 'overtime-request', overtimeRequest('2026-12-04', '16:00', '17:00'));
  all = (await clientFor(admin, apiScopes, { actsAs: nikola })).token;
});
afterAll(() => app?.stop());

describe('authentication', () => {
  it('refuses a call without a token, with a malformed one, an unknown one and a forged secret, as 401 problems', async () => {
    for (const token of [null, 'nonsense', `dlv_${'A'.repeat(43)}.${'B'.repeat(43)}`, all.slice(0, -4) + 'AAAA']) {
      const res = await api(token, '/api/v1/documents');
      const body = await problem(res, 401);
      expect(body.title).toMatch(/token/i);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('refuses a revoked client and an expired one', async () => {
    const revoked = await clientFor(admin, ['read:documents']);
    expect((await api(revoked.token, '/api/v1/documents')).status).toBe(200);
    const page = new Client(app.url);
    expect((await page.signIn('milos.tomic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
    const res = await page.post('/t/surdulica/admin/api', { intent: 'revoke', id: revoked.id });
    expect(res.status).toBe(302);
    await problem(await api(revoked.token, '/api/v1/documents'), 401);
    const expired = await clientFor(admin, ['read:documents']);
    await withTenantOn(app.app.db, { tenantId: admin.tenantId }, (tx) => tx.execute(sql`update api_clients set expires_at = now() - interval '1 second' where id = ${expired.id}`));
    await problem(await api(expired.token, '/api/v1/documents'), 401);
  });
});

describe('registered documents', () => {
  it('lists the registered documents and the acting member’s own, newest first, by cursor', async () => {
    const first = await api(all, '/api/v1/documents?limit=1');
    expect(first.status).toBe(200);
    const page = (await first.json()) as { items: Array<{ id: string; state: string; links: { self: string } }>; next: string | null };
    expect(page.items).toHaveLength(1);
    expect(page.next).toMatch(/^\/api\/v1\/documents\?limit=1&cursor=/);
    const seen = [...page.items];
    for (let next = page.next; next; ) {
      const more = (await (await api(all, next)).json()) as typeof page;
      seen.push(...more.items);
      next = more.next;
    }
    const ids = seen.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(registered.id);
    expect(ids).toContain(elsewhere.id);
    const filtered = (await (await api(all, '/api/v1/documents?state=registered')).json()) as typeof page;
    expect(filtered.items.every((d) => d.state === 'registered')).toBe(true);
  });

  it('reads a document with its values, and answers 304 to its ETag', async () => {
    const res = await api(all, `/api/v1/documents/${registered.id}`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { id: string; state: string; registryNumber: string; version: number; values: Record<string, unknown>; template: { key: string }; links: { pdf: string } };
    expect(doc).toMatchObject({ id: registered.id, state: 'registered', registryNumber: registered.registryNumber, template: { key: 'overtime-request' } });
    expect(doc.values.plannedStart).toBe('16:00');
    // The parameters its values were computed with, exactly as kept with the document.
    expect(doc).toHaveProperty('computedParameters');
    expect((doc as { computedParameters?: unknown }).computedParameters).toEqual(registered.computedParameters ?? null);
    const etag = res.headers.get('etag')!;
    expect(etag).toBe(`"v${doc.version}"`);
    const again = await api(all, `/api/v1/documents/${registered.id}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('downloads the sealed PDF of a registered document, the same bytes every time', async () => {
    const res = await api(all, `/api/v1/documents/${registered.id}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const second = await api(all, `/api/v1/documents/${registered.id}/pdf`);
    expect(Buffer.from(await second.arrayBuffer()).equals(bytes)).toBe(true);
    const etag = second.headers.get('etag')!;
    expect((await api(all, `/api/v1/documents/${registered.id}/pdf`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    await problem(await api(all, `/api/v1/documents/${elsewhere.id}/pdf`), 404);
  });

  it('downloads an attachment of a registered document', async () => {
    const clerk = await actorOf(app.app.db, 'surdulica', 'ljiljana.cvetkovic@surdulica.test');
    const content = Buffer.from('%PDF-1.4 скениран акт');
    const mail = await withTenantOn(app.app.db, { tenantId: clerk.tenantId }, async (tx) => {
      const { createDocument } = await import('#app/workflow/engine/create-document.server');
      const { submitDocument } = await import('#app/workflow/engine/submit-document.server');
      const draft = await createDocument(tx, clerk, { templateKey: 'incoming-mail' });
      const values = { sender: 'Министарство', receivedOn: '2026-12-01', delivery: 'post', subject: 'Допис' };
      const result = await submitDocument(tx, clerk, draft.id, draft.version, values, { uploads: { scan: [{ fileName: 'акт.pdf', contentType: 'application/pdf', content }] } });
      if (!result.ok) throw new Error(JSON.stringify(result));
      return result.document;
    });
    const doc = (await (await api(all, `/api/v1/documents/${mail.id}`)).json()) as { attachments: Array<{ href: string; fileName: string; size: number }> };
    expect(doc.attachments).toHaveLength(1);
    expect(doc.attachments[0]).toMatchObject({ fileName: 'акт.pdf', size: content.length });
    const file = await api(all, doc.attachments[0].href);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(content)).toBe(true);
    await problem(await api(all, `/api/v1/documents/${mail.id}/attachments/${registered.id}`), 404);
    await problem(await api(all, `/api/v1/documents/${mail.id}/attachments/nonsense`), 404);
  });

  it('shows another tenant’s client nothing of this tenant', async () => {
    const theirs = (await clientFor(apr, apiScopes)).token;
    await problem(await api(theirs, `/api/v1/documents/${registered.id}`), 404);
    await problem(await api(theirs, `/api/v1/documents/${registered.id}/pdf`), 404);
    const list = (await (await api(theirs, '/api/v1/documents')).json()) as { items: Array<{ id: string }> };
    expect(list.items.map((d) => d.id)).not.toContain(registered.id);
    const log = (await (await api(theirs, '/api/v1/registry')).json()) as { total: number };
    expect(log.total).toBe(0);
  });
});

describe('drafts', () => {
  const values = { date: '2026-12-16', plannedStart: '16:00', plannedEnd: '18:00', ground: 'workloadIncrease', description: 'Припрема буџета' };

  it('creates a draft with the form’s values and submits it onto its approval line', async () => {
    const res = await api(all, '/api/v1/documents', json({ template: 'overtime-request', values }));
    expect(res.status).toBe(201);
    const draft = (await res.json()) as { id: string; state: string; version: number; values: Record<string, unknown> };
    expect(res.headers.get('location')).toBe(`/api/v1/documents/${draft.id}`);
    expect(draft.state).toBe('draft');
    expect(draft.values).toMatchObject(values);
    const stale = await api(all, `/api/v1/documents/${draft.id}/submit`, { method: 'POST', headers: { 'if-match': `"v${draft.version + 5}"` } });
    await problem(stale, 412);
    const sent = await api(all, `/api/v1/documents/${draft.id}/submit`, { method: 'POST', headers: { 'if-match': `"v${draft.version}"` } });
    expect(sent.status).toBe(200);
    expect(((await sent.json()) as { state: string }).state).toBe('in_approval');
    const again = await problem(await api(all, `/api/v1/documents/${draft.id}/submit`, { method: 'POST' }), 409);
    expect(again.detail).toBeTruthy();
  });

  it('refuses values exactly as the form does, field by field, and creates nothing', async () => {
    const before = ((await (await api(all, '/api/v1/documents?state=draft&limit=100')).json()) as { items: unknown[] }).items.length;
    const res = await api(all, '/api/v1/documents', json({ template: 'overtime-request', values: { ...values, date: '2026-02-30', plannedStart: '25:00', ground: 'boredom', nope: 'x' } }, { 'accept-language': 'sr' }));
    const body = await problem(res, 422);
    expect(Object.keys(body.errors!).sort()).toEqual(['date', 'ground', 'nope', 'plannedStart']);
    expect(body.errors!.date[0]).toMatch(/[А-Яа-я]/);
    const after = ((await (await api(all, '/api/v1/documents?state=draft&limit=100')).json()) as { items: unknown[] }).items.length;
    expect(after).toBe(before);
  });

  it('submits only what the form would submit: missing required values are named', async () => {
    const draft = (await (await api(all, '/api/v1/documents', json({ template: 'overtime-request', values: { date: '2026-12-17' } }))).json()) as { id: string };
    const body = await problem(await api(all, `/api/v1/documents/${draft.id}/submit`, { method: 'POST' }), 422);
    expect(Object.keys(body.errors!)).toEqual(expect.arrayContaining(['plannedStart', 'plannedEnd', 'ground']));
  });

  it('answers a repeated Idempotency-Key with the first answer and creates one draft', async () => {
    const key = `draft-${Date.now()}`;
    const body = { template: 'overtime-request', values: { ...values, date: '2026-12-18' } };
    const [a, b] = await Promise.all([api(all, '/api/v1/documents', json(body, { 'idempotency-key': key })), api(all, '/api/v1/documents', json(body, { 'idempotency-key': key }))]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const [da, db] = (await Promise.all([a.json(), b.json()])) as Array<{ id: string }>;
    expect(da.id).toBe(db.id);
    expect([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')]).toContain('true');
    const other = await api(all, '/api/v1/documents', json({ ...body, values: { ...body.values, date: '2026-12-19' } }, { 'idempotency-key': key }));
    await problem(other, 422);
  });

  it('refuses a template the tenant has not adopted, and a draft of another member (which it does not see)', async () => {
    await problem(await api(all, '/api/v1/documents', json({ template: 'no-such-template', values: {} })), 404);
    const asAdmin = (await clientFor(admin, ['submit:documents', 'read:documents'])).token;
    const draft = (await (await api(all, '/api/v1/documents', json({ template: 'overtime-request', values }))).json()) as { id: string };
    await problem(await api(asAdmin, `/api/v1/documents/${draft.id}`), 404);
    await problem(await api(asAdmin, `/api/v1/documents/${draft.id}/submit`, { method: 'POST' }), 404);
    // A document it may read (a registered one) but did not write.
    await problem(await api(asAdmin, `/api/v1/documents/${registered.id}/submit`, { method: 'POST' }), 403);
  });

  it('reads bodies safely: wrong media type, malformed JSON, wrong types, too large', async () => {
    await problem(await api(all, '/api/v1/documents', { method: 'POST', body: 'template=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
    await problem(await api(all, '/api/v1/documents', { method: 'POST', body: '{"template":', headers: { 'content-type': 'application/json' } }), 400);
    await problem(await api(all, '/api/v1/documents', { method: 'POST', body: Buffer.from([0x7b, 0xff, 0x7d]), headers: { 'content-type': 'application/json' } }), 400);
    await problem(await api(all, '/api/v1/documents', json({ template: 5, values: [] })), 422);
    await problem(await api(all, '/api/v1/documents', json([1, 2, 3])), 422);
    await problem(await api(all, '/api/v1/documents', json({ template: 'overtime-request', values: { description: 'x'.repeat(70_000) } })), 413);
  });
});

describe('the registry log and reports', () => {
  it('pages the registry log and filters it; a filter it cannot use is a 422', async () => {
    const res = await api(all, '/api/v1/registry?limit=1');
    expect(res.status).toBe(200);
    const page = (await res.json()) as { total: number; items: Array<{ registryNumber: string; documentId: string }>; next: string | null };
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect(page.items).toHaveLength(1);
    const next = (await (await api(all, page.next!)).json()) as typeof page;
    expect(next.items[0].registryNumber).not.toBe(page.items[0].registryNumber);
    const year = Number(registered.registryNumber!.split('/').at(-1));
    const ofYear = (await (await api(all, `/api/v1/registry?year=${year}&limit=100`)).json()) as typeof page;
    expect(ofYear.items.map((e) => e.documentId)).toContain(registered.id);
    const bad = await problem(await api(all, '/api/v1/registry?year=abc&from=2026-13-45'), 422);
    expect(Object.keys(bad.errors!).sort()).toEqual(['from', 'year']);
    await problem(await api(all, '/api/v1/registry?cursor=%%%'), 400);
    await problem(await api(all, '/api/v1/registry?limit=0'), 400);
  });

  it('lists monthly reports and downloads a finished one', async () => {
    const [done, queued] = await withTenantOn(app.app.db, { tenantId: admin.tenantId }, (tx) =>
      tx
        .insert(reports)
        .values([
          { tenantId: admin.tenantId, kind: 'overtime-monthly', period: '2026-11', status: 'done', progress: 100, csv: Buffer.from('a;b\n1;2\n'), pdf: Buffer.from('%PDF-1.4'), finishedAt: new Date() },
          { tenantId: admin.tenantId, kind: 'overtime-monthly', period: '2026-12', status: 'queued' },
        ])
        .returning({ id: reports.id }),
    );
    const list = (await (await api(all, '/api/v1/reports?period=2026-11')).json()) as { items: Array<{ id: string; status: string; links: { csv?: string } }> };
    expect(list.items.map((r) => r.id)).toEqual([done.id]);
    const one = (await (await api(all, `/api/v1/reports/${done.id}`)).json()) as { links: { csv: string; pdf: string } };
    const csv = await api(all, one.links.csv);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toBe('a;b\n1;2\n');
    expect((await api(all, one.links.pdf)).headers.get('content-type')).toBe('application/pdf');
    await problem(await api(all, `/api/v1/reports/${queued.id}/csv`), 409);
    await problem(await api(all, `/api/v1/reports/${registered.id}`), 404);
    await problem(await api(all, '/api/v1/reports?period=2026-13'), 422);
  });
});

describe('scopes, limits and the audit trail', () => {
  const calls: Array<[ApiScope, string, RequestInit?]> = [
    ['read:documents', '/api/v1/documents'],
    ['read:documents', `/api/v1/documents/00000000-0000-4000-8000-000000000000`],
    ['read:documents', `/api/v1/documents/00000000-0000-4000-8000-000000000000/pdf`],
    ['read:documents', `/api/v1/documents/00000000-0000-4000-8000-000000000000/attachments/00000000-0000-4000-8000-000000000000`],
    ['create:drafts', '/api/v1/documents', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }],
    ['submit:documents', `/api/v1/documents/00000000-0000-4000-8000-000000000000/submit`, { method: 'POST' }],
    ['read:registry', '/api/v1/registry'],
    ['read:reports', '/api/v1/reports'],
    ['read:reports', '/api/v1/reports/00000000-0000-4000-8000-000000000000'],
    ['read:reports', '/api/v1/reports/00000000-0000-4000-8000-000000000000/csv'],
    ['read:reports', '/api/v1/reports/00000000-0000-4000-8000-000000000000/pdf'],
  ];

  it('refuses every endpoint to a client without its scope, and lets one with it past the check', async () => {
    for (const scope of apiScopes) {
      const others = (await clientFor(admin, apiScopes.filter((s) => s !== scope))).token;
      const only = (await clientFor(admin, [scope])).token;
      for (const [needed, path, init] of calls.filter(([s]) => s === scope)) {
        const refused = await problem(await api(others, path, init), 403);
        expect(refused.detail).toContain(needed);
        expect((await api(only, path, init)).status).not.toBe(403);
      }
    }
  });

  it('limits each client’s calls per minute with 429 and Retry-After, other clients unaffected', async () => {
    const limited = (await clientFor(admin, ['read:registry'], { rate: 2 })).token;
    expect((await api(limited, '/api/v1/registry')).status).toBe(200);
    expect((await api(limited, '/api/v1/registry')).status).toBe(200);
    const res = await api(limited, '/api/v1/registry');
    await problem(res, 429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await api(all, '/api/v1/registry')).status).toBe(200);
  });

  it('records every call in the tenant’s hash chain with the client as actor', async () => {
    const client = await clientFor(admin, ['read:registry']);
    await api(client.token, '/api/v1/registry');
    await api(client.token, '/api/v1/documents');
    const events = await withTenantOn(app.app.db, { tenantId: admin.tenantId }, (tx) =>
      // In the chain's order: without it, the rows come in whatever order the table's pages hold them.
      tx.select().from(auditEvents).where(and(eq(auditEvents.tenantId, admin.tenantId), eq(auditEvents.subjectType, 'apiClient'), eq(auditEvents.subjectId, client.id))).orderBy(auditEvents.seq),
    );
    expect(events.map((e) => [e.type, (e.data as { path?: string }).path, (e.data as { status?: number }).status])).toEqual([
      ['apiClient.created', undefined, undefined],
      ['api.request', '/api/v1/registry', 200],
      ['api.request', '/api/v1/documents', 403],
    ]);
    expect(events[1].actorUserId).toBeNull();
    expect(events[1].data).toMatchObject({ clientId: client.id, method: 'GET' });
    const verdict = await withTenantOn(app.app.db, { tenantId: admin.tenantId }, (tx) => verifyAuditChain(tx, admin.tenantId));
    expect(verdict.ok).toBe(true);
  });

  it('answers unknown paths and methods as problems', async () => {
    await problem(await api(all, '/api/v1/nothing-here'), 404);
    const res = await api(all, '/api/v1/documents', { method: 'DELETE' });
    await problem(res, 405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    await problem(await api(all, `/api/v1/documents/${registered.id}/submit`), 405);
  });
});

describe('the administration page', () => {
  it('creates a client without JavaScript, shows its token once, and refuses bad input beside the fields', async () => {
    const page = new Client(app.url);
    expect((await page.signIn('milos.tomic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
    const html = await (await page.get('/t/surdulica/admin/api')).text();
    expect(html).toContain('<h1>API клијенти</h1>');
    expect(html).toMatch(/<label for="client-name">Назив<\/label>/);
    const post = (form: URLSearchParams) => page.request('/t/surdulica/admin/api', { method: 'POST', body: form, headers: { origin: app.url } });
    const bad = await post(new URLSearchParams([['intent', 'create'], ['name', 'Обрачун зарада'], ['membershipId', nikola.membershipId], ['expiresOn', '2001-01-01'], ['rateLimitPerMinute', '0']]));
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('href="#client-scopes"');
    expect(badHtml).toContain('Изаберите бар једну радњу');
    expect(badHtml).toContain('href="#client-expires"');
    expect(badHtml).toContain('href="#client-rate"');
    expect(badHtml).toContain('value="Обрачун зарада"');
    const good = await post(
      new URLSearchParams([['intent', 'create'], ['name', 'Обрачун зарада'], ['scopes', 'read:registry'], ['scopes', 'read:reports'], ['membershipId', nikola.membershipId], ['expiresOn', ''], ['rateLimitPerMinute', '60']]),
    );
    expect(good.status).toBe(200);
    expect(good.headers.get('cache-control')).toContain('no-store');
    const token = /value="(dlv_[^"]+)"/.exec(await good.text())![1];
    expect((await api(token, '/api/v1/registry')).status).toBe(200);
    await problem(await api(token, '/api/v1/documents'), 403);
    const later = await (await page.get('/t/surdulica/admin/api')).text();
    expect(later).toContain('Обрачун зарада');
    expect(later).not.toContain(token);
    const stored = await withTenantOn(app.app.db, { tenantId: admin.tenantId }, (tx) => tx.execute(sql`select * from api_clients where name = 'Обрачун зарада'`));
    expect(JSON.stringify(stored)).not.toContain(token.split('.')[1]);
  });

  it('is for tenant administrators only', async () => {
    const page = new Client(app.url);
    expect((await page.signIn('nikola.petrovic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
    expect((await page.get('/t/surdulica/admin/api')).status).toBe(403);
  });
});

describe('the webhooks page', () => {
  it('subscribes a public address, shows the secret once, refuses inner addresses beside the field, and lists and redelivers deliveries', async () => {
    const page = new Client(app.url);
    expect((await page.signIn('milos.tomic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
    const post = (form: URLSearchParams) => page.request('/t/surdulica/admin/webhooks', { method: 'POST', body: form, headers: { origin: app.url } });
    // Addresses written out, and names that resolve to loopback.
    for (const url of ['https://127.0.0.1/hook', 'https://10.1.2.3/hook', 'https://169.254.169.254/latest', 'https://[::1]/hook', 'https://[::ffff:127.0.0.1]/hook', 'https://2130706433/hook', 'https://localhost/hook', 'https://LOCALHOST:8443/hook']) {
      const refused = await post(new URLSearchParams([['intent', 'create'], ['url', url], ['events', 'document.submitted']]));
      expect(refused.status, url).toBe(400);
      const html = await refused.text();
      expect(html).toContain('href="#webhook-url"');
      expect(html).toContain('приватну или локалну мрежу');
    }
    const plain = await post(new URLSearchParams([['intent', 'create'], ['url', 'http://93.184.215.14/hook']]));
    expect(plain.status).toBe(400);
    const plainHtml = await plain.text();
    expect(plainHtml).toContain('https://');
    expect(plainHtml).toContain('href="#webhook-events"');
    const made = await post(new URLSearchParams([['intent', 'create'], ['url', 'https://93.184.215.14/hook'], ['events', 'document.submitted']]));
    expect(made.status).toBe(200);
    const secret = /value="(whsec_[^"]+)"/.exec(await made.text())![1];
    const doc = await submitted(app.app.db, nikola, 'overtime-request', overtimeRequest('2026-12-23', '16:00', '17:00'));
    const listed = await (await page.get('/t/surdulica/admin/webhooks')).text();
    expect(listed).not.toContain(secret);
    expect(listed).toContain('<code>https://93.184.215.14/hook</code>');
    expect(listed).toContain('Документ послат');
    const deliveryId = /name="id" value="([0-9a-f-]{36})"\/><button type="submit" name="intent" value="redeliver"/.exec(listed)![1];
    const again = await post(new URLSearchParams([['intent', 'redeliver'], ['id', deliveryId]]));
    expect(again.status).toBe(302);
    expect(again.headers.get('location')).toBe('/t/surdulica/admin/webhooks?notice=redelivered');
    const rows = await withTenantOn(app.app.db, { tenantId: admin.tenantId }, (tx) => tx.execute(sql`select subject_id from webhook_deliveries where id = ${deliveryId}`));
    expect(JSON.stringify(rows)).toContain(doc.id);
  });
});

describe('any input', () => {
  it('never gets a 500: random JSON bodies, query strings, ids and headers', async () => {
    const fc = await import('fast-check');
    const fuzz = (await clientFor(admin, apiScopes, { rate: 10_000, actsAs: nikola })).token;
    const ok = (res: Response) => {
      expect(res.status).toBeLessThan(500);
      return res.text();
    };
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json(), fc.string(), fc.constant('{"template":"overtime-request","values":{"date":{"x":1}}}')), fc.option(fc.string({ maxLength: 40 })), async (body, key) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (key !== null) headers['idempotency-key'] = key.replace(/[\r\n]/g, '');
        await ok(await api(fuzz, '/api/v1/documents', { method: 'POST', body, headers }).catch(() => new Response(null, { status: 400 })));
      }),
      { numRuns: 60 },
    );
    const paths = ['/api/v1/documents', '/api/v1/registry', '/api/v1/reports'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.dictionary(fc.constantFrom('limit', 'cursor', 'state', 'template', 'year', 'from', 'to', 'q', 'order', 'period', 'classification'), fc.string({ maxLength: 30 })), async (path, query) => {
        await ok(await api(fuzz, `${path}?${new URLSearchParams(query)}`));
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 60 }), fc.constantFrom('', '/pdf', '/submit', '/attachments/x'), async (id, rest) => {
        const path = `/api/v1/documents/${encodeURIComponent(id)}${rest}`;
        await ok(await api(fuzz, path, rest === '/submit' ? { method: 'POST', headers: { 'if-match': id.replace(/[^\x20-\x7e]/g, '') } } : {}));
      }),
      { numRuns: 60 },
    );
  });
});
