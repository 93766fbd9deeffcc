// The API's whole error matrix (ADR 014), built from what the server itself declares: every
// operation of the served OpenAPI document (which must be every API route file) × every class of
// answer — success and 304, 401 for each way a token fails, 403 for a missing scope, 404 for
// another tenant's ids, 400/422 for bad input, 409/412, 429, idempotent replays — each answer
// checked against the operation's documented statuses and JSON Schemas, and each authenticated
// call found in the tenant's hash chain with its client as actor. Then generated input of every
// kind against every endpoint: never a 500, never an undocumented answer.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { and, eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApiClient } from '#app/api/clients.server';
import type { Actor } from '#app/workflow/engine/actor';
import { createDocument } from '#app/workflow/engine/create-document.server';
import { saveDraft } from '#app/workflow/engine/save-draft.server';
import { submitDocument } from '#app/workflow/engine/submit-document.server';
import type { DocumentRow } from '#app/workflow/engine/transition.server';
import { verifyAuditChain } from '#db/audit';
import { rowsOf } from '#db/rows';
import { apiScopes, auditEvents, reports, sealedDocuments, type ApiScope } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { pdfsig } from '#tests/support/seal';
import { startApp, type RunningApp } from '#tests/support/server';

type Operation = { 'x-required-scope': ApiScope; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const DOC_ID = 'https://delovod.test/openapi.json';
const NONE = '00000000-0000-4000-8000-000000000000';

let app: RunningApp;
let doc: OpenApi;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

let admin: Actor, nikola: Actor, jelena: Actor, aprAdmin: Actor;
/** Ids in this tenant (Surdulica) and in another (the Business Registers Agency). */
const own = { registered: '', mail: '', attachment: '', draft: '', report: '', queued: '' };
const other = { registered: '', mail: '', attachment: '', report: '' };
let all: string;
let registeredDoc: DocumentRow;
let hr: Actor;

/** Every call a client made that its tenant's chain must show: client id → [method, path, status]. */
const audited = new Map<string, Array<[string, string, number]>>();
const clientIds = new Map<string, string>();
/** Clients whose calls are generated: not every one reaches the API (405, unknown paths), so their calls are not listed. */
const unlisted = new Set<string>();

async function clientFor(actor: Actor, scopes: readonly ApiScope[], options: { rate?: number; actsAs?: Actor } = {}): Promise<string> {
  const created = await inTenant(app.app.db, actor, (tx) =>
    addApiClient(tx, actor, { name: `matrix ${scopes.join(' ')}`, scopes: [...scopes], membershipId: (options.actsAs ?? actor).membershipId, expiresOn: '', rateLimitPerMinute: options.rate ?? 1000 }),
  );
  clientIds.set(created!.token, created!.id);
  audited.set(created!.id, []);
  return created!.token;
}

/** The operation a concrete path and method fall under, if the document has one. */
function operationOf(method: string, path: string): { template: string; operation: Operation } | null {
  const bare = path.split('?')[0].replace(/^\/api\/v1/, '');
  for (const [template, ops] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(bare) && ops[method.toLowerCase()]) return { template, operation: ops[method.toLowerCase()] };
  }
  return null;
}

/** Checks an answer against the document: its status is documented, and so are its media type and body. */
async function documented(method: string, path: string, res: Response): Promise<void> {
  const found = operationOf(method, path);
  expect(found, `${method} ${path} is documented`).toBeTruthy();
  const response = found!.operation.responses[String(res.status)];
  expect(response, `${method} ${path} answered ${res.status}, which ${found!.template} does not document`).toBeTruthy();
  if (res.status === 304 || method === 'HEAD') return;
  const type = (res.headers.get('content-type') ?? '').split(';')[0];
  const media = response.content?.[type] ?? response.content?.['*/*'];
  expect(media, `${method} ${path} ${res.status} answered ${type}`).toBeTruthy();
  if (type.endsWith('json')) {
    const body: unknown = await res.clone().json();
    const validate = ajv.getSchema(`${DOC_ID}${media!.schema.$ref}`)!;
    expect(validate(body), `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }
}

/** One call: its answer is checked against the document, and remembered for the audit check unless nobody is authenticated (401, 413) or it was not served (429). */
async function call(token: string | null, method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  const res = await fetch(new URL(path, app.url), { method, headers, body: init.body, redirect: 'manual' });
  await documented(method, path, res);
  const clientId = token === null ? undefined : clientIds.get(token);
  // A body over the limit is refused at the server's input boundary, before the token is read (ADR 014): like a 401, nobody to audit.
  if (clientId && res.status !== 401 && res.status !== 429 && res.status !== 413) audited.get(clientId)!.push([method, path.split('?')[0], res.status === 304 ? 200 : res.status]);
  return res;
}

async function problem(res: Response, status: number, code?: string): Promise<{ detail?: string; errors?: Record<string, string[]>; scope?: string }> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as { type: string; status: number; detail?: string; errors?: Record<string, string[]>; scope?: string };
  expect(body.status).toBe(status);
  if (code) expect(body.type).toBe(`/api/v1/reference#problem-${code}`);
  return body;
}

const jsonInit = (body: unknown, headers: Record<string, string> = {}) => ({ body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
const draftValues = { date: '2026-12-16', plannedStart: '16:00', plannedEnd: '18:00', ground: 'workloadIncrease', description: 'Припрема буџета' };

interface Endpoint {
  method: 'GET' | 'POST';
  template: string;
  /** A call that succeeds (its path, and what it sends). */
  ok: () => { path: string; init?: { headers?: Record<string, string>; body?: string } };
  /** The same endpoint on another tenant's resources (ids), for endpoints that take ids. */
  elsewhere?: () => string[];
  /** Bad input, with the status and problem code it must get. */
  bad?: () => Array<{ path: string; init?: { headers?: Record<string, string>; body?: BodyInit }; status: number; code: string }>;
}

const endpoints: Endpoint[] = [
  {
    method: 'GET',
    template: '/documents',
    ok: () => ({ path: '/api/v1/documents?limit=2' }),
    bad: () => [
      { path: '/api/v1/documents?limit=0', status: 400, code: 'malformed' },
      { path: '/api/v1/documents?limit=1e2', status: 400, code: 'malformed' },
      { path: '/api/v1/documents?cursor=zzz', status: 400, code: 'malformed' },
      { path: '/api/v1/documents?state=flying', status: 422, code: 'invalid' },
      { path: '/api/v1/documents?template=NOT%20A%20KEY', status: 422, code: 'invalid' },
    ],
  },
  {
    method: 'POST',
    template: '/documents',
    ok: () => ({ path: '/api/v1/documents', init: jsonInit({ template: 'overtime-request', values: draftValues }) }),
    bad: () => [
      { path: '/api/v1/documents', init: { body: 'template=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, status: 415, code: 'unsupportedMediaType' },
      { path: '/api/v1/documents', init: { body: '{"template":' , headers: { 'content-type': 'application/json' } }, status: 400, code: 'malformed' },
      { path: '/api/v1/documents', init: { body: new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]), headers: { 'content-type': 'application/json' } }, status: 400, code: 'malformed' },
      { path: '/api/v1/documents', init: jsonInit({ template: 'overtime-request' }, { 'idempotency-key': 'with space' }), status: 400, code: 'malformed' },
      { path: '/api/v1/documents', init: jsonInit({ template: 5, values: [] }), status: 422, code: 'invalid' },
      { path: '/api/v1/documents', init: jsonInit({ template: 'overtime-request', values: draftValues, extra: 1 }), status: 422, code: 'invalid' },
      { path: '/api/v1/documents', init: jsonInit({ template: 'overtime-request', values: { ...draftValues, plannedEnd: '24:61' } }), status: 422, code: 'invalid' },
      { path: '/api/v1/documents', init: jsonInit({ template: 'no-such-template', values: {} }), status: 404, code: 'notFound' },
      { path: '/api/v1/documents', init: jsonInit({ template: 'overtime-request', values: { description: 'ж'.repeat(40_000) } }), status: 413, code: 'tooLarge' },
    ],
  },
  {
    method: 'GET',
    template: '/documents/{id}',
    ok: () => ({ path: `/api/v1/documents/${own.registered}` }),
    elsewhere: () => [`/api/v1/documents/${other.registered}`, `/api/v1/documents/${other.mail}`],
    bad: () => [
      { path: `/api/v1/documents/${NONE}`, status: 404, code: 'notFound' },
      { path: '/api/v1/documents/not-a-uuid', status: 404, code: 'notFound' },
    ],
  },
  {
    method: 'GET',
    template: '/documents/{id}/pdf',
    ok: () => ({ path: `/api/v1/documents/${own.registered}/pdf` }),
    elsewhere: () => [`/api/v1/documents/${other.registered}/pdf`],
    // The acting member's own draft is readable, but has no PDF.
    bad: () => [
      { path: `/api/v1/documents/${own.draft}/pdf`, status: 404, code: 'notFound' },
      { path: '/api/v1/documents/x/pdf', status: 404, code: 'notFound' },
    ],
  },
  {
    method: 'GET',
    template: '/documents/{id}/attachments/{attachmentId}',
    ok: () => ({ path: `/api/v1/documents/${own.mail}/attachments/${own.attachment}` }),
    elsewhere: () => [`/api/v1/documents/${other.mail}/attachments/${other.attachment}`, `/api/v1/documents/${own.mail}/attachments/${other.attachment}`],
    bad: () => [
      { path: `/api/v1/documents/${own.registered}/attachments/${own.attachment}`, status: 404, code: 'notFound' },
      { path: `/api/v1/documents/${own.mail}/attachments/x`, status: 404, code: 'notFound' },
    ],
  },
  {
    method: 'POST',
    template: '/documents/{id}/submit',
    ok: () => ({ path: `/api/v1/documents/${own.draft}/submit`, init: { headers: { 'if-match': '"v2"' } } }),
    elsewhere: () => [`/api/v1/documents/${other.registered}/submit`],
    bad: () => [
      { path: `/api/v1/documents/${NONE}/submit`, status: 404, code: 'notFound' },
      // Registered, readable, but not the acting member's.
      { path: `/api/v1/documents/${own.mail}/submit`, status: 403, code: 'forbidden' },
      // The acting member's own, but registered long ago; and If-Match that names no version.
      { path: `/api/v1/documents/${own.registered}/submit`, status: 409, code: 'conflict' },
      { path: `/api/v1/documents/${own.registered}/submit`, init: { headers: { 'if-match': 'v3' } }, status: 412, code: 'preconditionFailed' },
    ],
  },
  {
    method: 'GET',
    template: '/registry',
    ok: () => ({ path: '/api/v1/registry?limit=1' }),
    bad: () => [
      { path: '/api/v1/registry?limit=101', status: 400, code: 'malformed' },
      { path: '/api/v1/registry?cursor=%25%25', status: 400, code: 'malformed' },
      { path: '/api/v1/registry?year=abc', status: 422, code: 'invalid' },
      { path: '/api/v1/registry?from=2026-02-30', status: 422, code: 'invalid' },
      { path: '/api/v1/registry?order=sideways', status: 422, code: 'invalid' },
    ],
  },
  {
    method: 'GET',
    template: '/reports',
    ok: () => ({ path: '/api/v1/reports' }),
    bad: () => [
      { path: '/api/v1/reports?limit=-1', status: 400, code: 'malformed' },
      { path: '/api/v1/reports?cursor=e30', status: 400, code: 'malformed' },
      { path: '/api/v1/reports?period=2026-13', status: 422, code: 'invalid' },
    ],
  },
  {
    method: 'GET',
    template: '/reports/{id}',
    ok: () => ({ path: `/api/v1/reports/${own.report}` }),
    elsewhere: () => [`/api/v1/reports/${other.report}`],
    bad: () => [
      { path: `/api/v1/reports/${own.registered}`, status: 404, code: 'notFound' },
      { path: '/api/v1/reports/2026-11', status: 404, code: 'notFound' },
    ],
  },
  {
    method: 'GET',
    template: '/reports/{id}/csv',
    ok: () => ({ path: `/api/v1/reports/${own.report}/csv` }),
    elsewhere: () => [`/api/v1/reports/${other.report}/csv`],
    bad: () => [
      { path: `/api/v1/reports/${own.queued}/csv`, status: 409, code: 'conflict' },
      { path: `/api/v1/reports/${NONE}/csv`, status: 404, code: 'notFound' },
    ],
  },
  {
    method: 'GET',
    template: '/reports/{id}/pdf',
    ok: () => ({ path: `/api/v1/reports/${own.report}/pdf` }),
    elsewhere: () => [`/api/v1/reports/${other.report}/pdf`],
    bad: () => [
      { path: `/api/v1/reports/${own.queued}/pdf`, status: 409, code: 'conflict' },
      { path: `/api/v1/reports/${NONE}/pdf`, status: 404, code: 'notFound' },
    ],
  },
];

/** An incoming mail with a scan: registered on receipt by a registry clerk, or (with `draft`) kept as the author's draft. */
async function mailWithScan(author: Actor, draft = false): Promise<{ id: string; attachment: string }> {
  return inTenant(app.app.db, author, async (tx) => {
    const made = await createDocument(tx, author, { templateKey: 'incoming-mail' });
    const values = { sender: 'Министарство', receivedOn: '2026-12-01', delivery: 'post', subject: 'Допис' };
    const uploads = { scan: [{ fileName: 'акт.pdf', contentType: 'application/pdf', content: Buffer.from(`%PDF-1.4 скениран акт ${author.tenantId}`) }] };
    if (draft) await saveDraft(tx, author, made.id, made.version, values, { uploads });
    else {
      const result = await submitDocument(tx, author, made.id, made.version, values, { uploads });
      if (!result.ok) throw new Error(JSON.stringify(result));
    }
    const [row] = rowsOf<{ id: string }>(await tx.execute(sql`select id from document_attachments where tenant_id = ${author.tenantId} and document_id = ${made.id}`));
    return { id: made.id, attachment: row.id };
  });
}

async function report(actor: Actor, period: string, done: boolean): Promise<string> {
  const [row] = await inTenant(app.app.db, actor, (tx) =>
    tx
      .insert(reports)
      .values(
        done
          ? { tenantId: actor.tenantId, kind: 'overtime-monthly', period, status: 'done', progress: 100, csv: Buffer.from('a;b\n1;2\n'), pdf: Buffer.from('%PDF-1.4'), finishedAt: new Date() }
          : { tenantId: actor.tenantId, kind: 'overtime-monthly', period, status: 'queued' },
      )
      .returning({ id: reports.id }),
  );
  return row.id;
}

beforeAll(async () => {
  app = await startApp();
  const db = app.app.db;
  let marija: Actor, clerk: Actor, stefan: Actor;
  [admin, nikola, marija, jelena, clerk] = await Promise.all(
    ['milos.tomic', 'nikola.petrovic', 'marija.stojanovic', 'jelena.djordjevic', 'ljiljana.cvetkovic'].map((n) => actorOf(db, 'surdulica', `${n}@surdulica.test`)),
  );
  [aprAdmin, stefan] = await Promise.all(['milica.savic', 'stefan.lazic'].map((n) => actorOf(db, 'business-registers-agency', `${n}@apr.test`)));
  registeredDoc = await acted(db, marija, await submitted(db, nikola, 'overtime-request', overtimeRequest('2026-12-02', '16:00', '19:00')), 'approved');
  own.registered = registeredDoc.id;
  hr = await actorOf(db, 'surdulica', 'snezana.mitic@surdulica.test');
  // The agency has no HR office nor registry clerk: its documents here are its staff's drafts, which RLS hides from every other tenant all the same.
  other.registered = (await inTenant(db, stefan, (tx) => createDocument(tx, stefan, { templateKey: 'overtime-request' }))).id;
  ({ id: own.mail, attachment: own.attachment } = await mailWithScan(clerk));
  ({ id: other.mail, attachment: other.attachment } = await mailWithScan(stefan, true));
  own.report = await report(admin, '2026-11', true);
  own.queued = await report(admin, '2026-12', false);
  other.report = await report(aprAdmin, '2026-11', true);
  all = await clientFor(admin, apiScopes, { actsAs: nikola });
  // The draft the matrix submits: version 2 once its values are saved.
  const made = await fetch(new URL('/api/v1/documents', app.url), { method: 'POST', ...jsonInit({ template: 'overtime-request', values: draftValues }, { authorization: `Bearer ${all}` }) });
  const draft = (await made.json()) as { id: string; version: number };
  expect(draft.version).toBe(2);
  own.draft = draft.id;
  audited.get(clientIds.get(all)!)!.push(['POST', '/api/v1/documents', 201]);
  doc = (await (await fetch(new URL('/api/v1/openapi.json', app.url))).json()) as OpenApi;
  ajv.addSchema({ ...doc, $id: DOC_ID } as never);
});
afterAll(() => app?.stop());

describe('the matrix covers the whole API', () => {
  it('has a row for every operation the document declares, and the document one for every API route file', () => {
    const declared = Object.entries(doc.paths).flatMap(([template, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${template}`));
    expect(endpoints.map((e) => `${e.method} ${e.template}`).sort()).toEqual(declared.sort());
    const routes = readdirSync(fileURLToPath(new URL('../../app/routes/', import.meta.url)))
      .filter((f) => f.startsWith('api.v1.') && !['api.v1.$.ts', 'api.v1.openapi[.]json.ts', 'api.v1.reference.tsx'].includes(f))
      .map((f) =>
        `/${f
          .replace(/^api\.v1\./, '')
          .replace(/\.tsx?$/, '')
          .split('.')
          .filter((s) => s !== '_index')
          .map((s) => (s.startsWith('$') ? `{${s.slice(1)}}` : s))
          .join('/')}`,
      );
    expect(routes.sort()).toEqual(Object.keys(doc.paths).sort());
    // Each operation names the scope it needs, and every scope is needed by some operation.
    const scopes = new Set(Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o['x-required-scope'])));
    expect([...scopes].sort()).toEqual([...apiScopes].sort());
  });
});

describe('every endpoint', () => {
  it('answers a well-formed call as documented, and a GET again with 304 to its ETag', async () => {
    for (const e of endpoints) {
      const { path, init } = e.ok();
      const res = await call(all, e.method, path, init);
      expect(res.status, `${e.method} ${path}`).toBe(e.method === 'POST' && e.template === '/documents' ? 201 : 200);
      for (const h of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']) expect(res.headers.get(h), h).toMatch(/^\d+$/);
      if (e.method === 'GET') {
        const etag = res.headers.get('etag');
        expect(etag ?? '', `${path} has an ETag`).toMatch(/^"[^"]+"$/);
        const again = await call(all, 'GET', path, { headers: { 'if-none-match': `W/"other", ${etag}` } });
        expect(again.status, `${path} If-None-Match`).toBe(304);
        expect(again.headers.get('etag')).toBe(etag);
      }
    }
  });

  it('refuses every kind of failed token with 401 on every endpoint, and audits none of them', async () => {
    const db = app.app.db;
    const revoked = await clientFor(admin, apiScopes, { actsAs: nikola });
    const expired = await clientFor(admin, apiScopes, { actsAs: nikola });
    const leaver = await clientFor(admin, apiScopes, { actsAs: jelena });
    const suspended = await clientFor(aprAdmin, apiScopes);
    await withTenantOn(db, { tenantId: admin.tenantId }, async (tx) => {
      await tx.execute(sql`update api_clients set revoked_at = now() where id = ${clientIds.get(revoked)!}`);
      await tx.execute(sql`update api_clients set expires_at = now() - interval '1 second' where id = ${clientIds.get(expired)!}`);
      await tx.execute(sql`update memberships set active = false where id = ${jelena.membershipId}`);
    });
    await app.owner.db.execute(sql`update tenants set status = 'suspended' where id = ${aprAdmin.tenantId}`);
    const [a, b] = all.split('.');
    const forged = `${a}.${Buffer.alloc(32, 7).toString('base64url')}`;
    // Another tenant's id in a token whose client lives elsewhere: the lookup runs in the wrong tenant and finds nothing.
    const ids = Buffer.from(a.slice(4), 'base64url');
    const swapped = `dlv_${Buffer.concat([Buffer.from(aprAdmin.tenantId.replace(/-/g, ''), 'hex'), ids.subarray(16)]).toString('base64url')}.${b}`;
    const failures: Array<[string, Record<string, string>]> = [
      ['none', {}],
      ['basic', { authorization: 'Basic bWlsb3M6c2VjcmV0' }],
      ['empty bearer', { authorization: 'Bearer ' }],
      ['malformed', { authorization: 'Bearer dlv_nonsense' }],
      ['unknown client', { authorization: `Bearer dlv_${Buffer.alloc(32, 1).toString('base64url')}.${b}` }],
      ['forged secret', { authorization: `Bearer ${forged}` }],
      ['another tenant', { authorization: `Bearer ${swapped}` }],
      ['revoked', { authorization: `Bearer ${revoked}` }],
      ['expired', { authorization: `Bearer ${expired}` }],
      ['member gone', { authorization: `Bearer ${leaver}` }],
      ['tenant suspended', { authorization: `Bearer ${suspended}` }],
    ];
    try {
      for (const e of endpoints) {
        const { path, init } = e.ok();
        for (const [what, headers] of failures) {
          const res = await call(null, e.method, path, { ...init, headers: { ...init?.headers, ...headers } });
          await problem(res, 401, 'unauthorized');
          expect(res.headers.get('www-authenticate'), `${what}: ${e.method} ${path}`).toMatch(/^Bearer realm="delovod"/);
        }
      }
    } finally {
      await withTenantOn(db, { tenantId: admin.tenantId }, (tx) => tx.execute(sql`update memberships set active = true where id = ${jelena.membershipId}`));
      await app.owner.db.execute(sql`update tenants set status = 'active' where id = ${aprAdmin.tenantId}`);
    }
    const events = await withTenantOn(db, { tenantId: admin.tenantId }, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.tenantId, admin.tenantId), eq(auditEvents.type, 'api.request'), inArray(auditEvents.subjectId, [revoked, expired, leaver].map((t) => clientIds.get(t)!)))),
    );
    expect(events).toEqual([]);
  });

  it('refuses a client without the endpoint’s scope with 403 naming it', async () => {
    for (const e of endpoints) {
      const { path, init } = e.ok();
      const scope = operationOf(e.method, path)!.operation['x-required-scope'];
      const without = await clientFor(admin, apiScopes.filter((s) => s !== scope), { actsAs: nikola });
      const body = await problem(await call(without, e.method, path, init), 403, 'insufficientScope');
      expect(body.scope).toBe(scope);
    }
  });

  it('answers 404 for another tenant’s ids, as for ids that do not exist, both ways round', async () => {
    const theirs = await clientFor(aprAdmin, apiScopes);
    for (const e of endpoints.filter((x) => x.elsewhere)) {
      for (const path of e.elsewhere!()) await problem(await call(all, e.method, path), 404, 'notFound');
      // The other tenant's client on this tenant's resources.
      await problem(await call(theirs, e.method, e.ok().path, e.ok().init), 404, 'notFound');
    }
  });

  it('answers bad input with the documented 4xx problem', async () => {
    for (const e of endpoints) {
      for (const b of e.bad?.() ?? []) await problem(await call(all, e.method, b.path, b.init), b.status, b.code);
    }
  });

  it('limits each client’s calls on every endpoint: 429 with Retry-After and RateLimit headers instead of the answer it would have got', async () => {
    for (const e of endpoints) {
      const limited = await clientFor(admin, apiScopes, { rate: 1, actsAs: nikola });
      const { path, init } = e.ok();
      // A harmless first call (a GET of the list, or a refused body), then the limit.
      await call(limited, 'GET', '/api/v1/reports');
      const statuses: number[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await call(limited, e.method, path, init);
        statuses.push(res.status);
        if (res.status !== 429) continue;
        await problem(res, 429, 'rateLimited');
        const retry = Number(res.headers.get('retry-after'));
        expect(retry).toBeGreaterThanOrEqual(1);
        expect(retry).toBeLessThanOrEqual(60);
        expect(res.headers.get('ratelimit-limit')).toBe('1');
        expect(res.headers.get('ratelimit-remaining')).toBe('0');
      }
      // Two calls over a limit of one: at least one is refused even if a minute turns between them.
      expect(statuses, `${e.method} ${path}`).toContain(429);
    }
  });
});

describe('conditional and repeated writes', () => {
  it('submits only the version If-Match names (412 otherwise), and a submitted document only once (409)', async () => {
    const made = await call(all, 'POST', '/api/v1/documents', jsonInit({ template: 'overtime-request', values: { ...draftValues, date: '2026-12-17' } }));
    const draft = (await made.json()) as { id: string; version: number };
    const path = `/api/v1/documents/${draft.id}/submit`;
    const stale = await problem(await call(all, 'POST', path, { headers: { 'if-match': `"v${draft.version - 1}"` } }), 412, 'preconditionFailed');
    expect(stale.detail).toContain(`version ${draft.version}`);
    await problem(await call(all, 'POST', path, { headers: { 'if-match': '*' } }), 412, 'preconditionFailed');
    await problem(await call(all, 'POST', path, { headers: { 'if-match': `"${draft.version}"` } }), 412, 'preconditionFailed');
    const sent = await call(all, 'POST', path, { headers: { 'if-match': `"v${draft.version}"` } });
    expect(sent.status).toBe(200);
    await problem(await call(all, 'POST', path, { headers: { 'if-match': `"v${draft.version}"` } }), 412, 'preconditionFailed');
    await problem(await call(all, 'POST', path), 409, 'conflict');
    // A draft missing required values: the form's messages, by field.
    const bare = (await (await call(all, 'POST', '/api/v1/documents', jsonInit({ template: 'overtime-request', values: { date: '2026-12-18' } }))).json()) as { id: string };
    const missing = await problem(await call(all, 'POST', `/api/v1/documents/${bare.id}/submit`), 422, 'invalid');
    expect(Object.keys(missing.errors!)).toEqual(expect.arrayContaining(['plannedStart', 'plannedEnd', 'ground']));
  });

  it('replays a repeated Idempotency-Key with the stored answer, refuses it with another body, and keeps keys per client', async () => {
    const key = `matrix-${Date.now()}`;
    const body = jsonInit({ template: 'overtime-request', values: { ...draftValues, date: '2026-12-21' } }, { 'idempotency-key': key });
    const first = await call(all, 'POST', '/api/v1/documents', body);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const created = (await first.json()) as { id: string };
    const replay = await call(all, 'POST', '/api/v1/documents', body);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('location')).toBe(first.headers.get('location'));
    expect(((await replay.json()) as { id: string }).id).toBe(created.id);
    await problem(await call(all, 'POST', '/api/v1/documents', jsonInit({ template: 'overtime-request', values: { ...draftValues, date: '2026-12-22' } }, { 'idempotency-key': key })), 422, 'idempotencyMismatch');
    // The same key from another client is that client's own.
    const another = await clientFor(admin, ['create:drafts'], { actsAs: nikola });
    const theirs = await call(another, 'POST', '/api/v1/documents', body);
    expect(theirs.status).toBe(201);
    expect(((await theirs.json()) as { id: string }).id).not.toBe(created.id);
    // A refused first attempt does not use up its key.
    const retryKey = `${key}-retry`;
    await problem(await call(all, 'POST', '/api/v1/documents', jsonInit({ template: 'overtime-request', values: { date: 'soon' } }, { 'idempotency-key': retryKey })), 422, 'invalid');
    expect((await call(all, 'POST', '/api/v1/documents', jsonInit({ template: 'overtime-request', values: draftValues }, { 'idempotency-key': retryKey }))).status).toBe(201);
  });
});

describe('the sealed PDF through the API', () => {
  it('is the stored sealed original, which pdfsig finds valid and whole, and finds modified after one byte changes; later steps change none of its bytes', async () => {
    const res = await call(all, 'GET', `/api/v1/documents/${own.registered}/pdf`);
    const pdf = Buffer.from(await res.arrayBuffer());
    const [stored] = await withTenantOn(app.app.db, { tenantId: admin.tenantId }, (tx) =>
      tx.select().from(sealedDocuments).where(and(eq(sealedDocuments.tenantId, admin.tenantId), eq(sealedDocuments.documentId, own.registered))),
    );
    expect(pdf.equals(stored.pdf)).toBe(true);
    const report = pdfsig(pdf);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Total document signed');
    const changed = Buffer.from(pdf);
    changed[changed.indexOf('stream', 200) + 20] ^= 0x01;
    expect(pdfsig(changed)).not.toContain('Signature is Valid.');
    // HR acknowledges the registered request afterwards: the document moves on, its sealed original does not.
    const acknowledged = await acted(app.app.db, hr, registeredDoc, 'acknowledged');
    expect(acknowledged.version).toBeGreaterThan(registeredDoc.version);
    const later = await call(all, 'GET', `/api/v1/documents/${own.registered}/pdf`);
    expect(Buffer.from(await later.arrayBuffer()).equals(pdf)).toBe(true);
    expect(later.headers.get('etag')).toBe(res.headers.get('etag'));
  });
});

describe('any input', () => {
  it('never gets a 500 nor an undocumented answer: generated methods, paths, ids, queries, headers, tokens and bodies', async () => {
    const fuzz = await clientFor(admin, apiScopes, { rate: 10_000, actsAs: nikola });
    const narrow = await clientFor(admin, ['read:registry'], { rate: 10_000, actsAs: nikola });
    for (const t of [fuzz, narrow]) unlisted.add(clientIds.get(t)!);
    const id = fc.oneof(
      fc.constantFrom(own.registered, own.mail, own.draft, own.report, other.registered, other.report, NONE),
      fc.uuid(),
      fc.string({ maxLength: 50 }).map(encodeURIComponent),
    );
    const path = fc.oneof(
      fc.constantFrom('/api/v1/documents', '/api/v1/registry', '/api/v1/reports'),
      id.map((i) => `/api/v1/documents/${i}`),
      fc.tuple(id, fc.constantFrom('pdf', 'submit')).map(([i, r]) => `/api/v1/documents/${i}/${r}`),
      fc.tuple(id, id).map(([i, a]) => `/api/v1/documents/${i}/attachments/${a}`),
      fc.tuple(id, fc.constantFrom('', '/csv', '/pdf')).map(([i, r]) => `/api/v1/reports/${i}${r}`),
    );
    const keys = ['limit', 'cursor', 'state', 'template', 'year', 'from', 'to', 'q', 'order', 'period', 'classification'];
    const numbers = fc.oneof(fc.integer().map(String), fc.bigInt().map(String), fc.constantFrom('99999999999999999999', '-0', '1e309', 'NaN', 'Infinity', '0x10', '2026-02-29', '0000-01-01', '9999-12-31'));
    const query = fc.dictionary(fc.constantFrom(...keys), fc.oneof(fc.string({ maxLength: 30 }), numbers, fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url'))));
    const visible = (s: string) => s.replace(/[^\x20-\x7e]/g, '').trim();
    const token = fc.oneof(fc.constant(fuzz), fc.constant(narrow), fc.string({ maxLength: 80 }).map((s) => `Bearer ${visible(s)}`), fc.constant(null));
    const headers = fc.record(
      {
        'if-match': fc.oneof(fc.string({ maxLength: 20 }).map(visible), fc.nat(20).map((n) => `"v${n}"`)),
        'if-none-match': fc.string({ maxLength: 20 }).map(visible),
        'idempotency-key': fc.string({ maxLength: 300 }).map(visible),
        'accept-language': fc.constantFrom('sr', 'sr-Latn', 'en', '*', 'xx;q=oops'),
        'content-type': fc.constantFrom('application/json', 'application/json; charset=latin1', 'text/plain', 'multipart/form-data; boundary=x', ''),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), fc.string({ maxLength: 200 }), fc.record({ template: fc.constantFrom('overtime-request', 'incoming-mail', 'x'), values: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })) }).map((v) => JSON.stringify(v)));
    const method = fc.constantFrom('GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
    await fc.assert(
      fc.asyncProperty(method, path, query, token, headers, body, async (m, p, q, t, h, b) => {
        const search = new URLSearchParams(q).toString();
        const url = `${p}${search ? `?${search}` : ''}`;
        const init: RequestInit = { method: m, headers: { ...h, ...(t === null ? {} : { authorization: t.startsWith('Bearer ') ? t : `Bearer ${t}` }) }, redirect: 'manual' };
        if (m !== 'GET' && m !== 'HEAD') init.body = b;
        const target = new URL(url, app.url);
        const res = await fetch(target, init);
        expect(res.status, `${m} ${url}`).toBeLessThan(500);
        if (res.status >= 400 && m !== 'HEAD') {
          expect(res.headers.get('content-type'), `${m} ${url}`).toBe('application/problem+json');
          expect(((await res.clone().json()) as { status: number }).status).toBe(res.status);
        }
        // An answer of a documented operation is documented, whatever was sent.
        // (Judged by the path the server sees: `..` segments are resolved before the request is sent.)
        if (operationOf(m, target.pathname) && res.status !== 405) await documented(m, target.pathname + target.search, res);
        await res.arrayBuffer();
      }),
      { numRuns: 300 },
    );
  });

  it('never gets a 500 for a forged cursor: any JSON, base64url-encoded, on every paged list', async () => {
    const fuzz = await clientFor(admin, apiScopes, { rate: 10_000, actsAs: nikola });
    unlisted.add(clientIds.get(fuzz)!);
    const positions = fc.oneof(
      fc.jsonValue(),
      fc.record({
        c: fc.oneof(
          fc.constantFrom('0000-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999999Z'),
          fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        i: fc.oneof(fc.uuid(), fc.string()),
      }),
      fc.record({
        y: fc.oneof(fc.integer({ min: 1890, max: 3010 }), fc.integer(), fc.double()),
        k: fc.oneof(fc.constantFrom('1', '11', '114'), fc.string({ maxLength: 4 })),
        s: fc.oneof(fc.nat(1000), fc.integer({ min: 2 ** 31 - 2, max: 2 ** 31 + 2 }), fc.maxSafeNat(), fc.double()),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/v1/documents', '/api/v1/registry', '/api/v1/reports'), positions, async (p, position) => {
        const url = `${p}?cursor=${Buffer.from(JSON.stringify(position) ?? 'null').toString('base64url')}`;
        const res = await fetch(new URL(url, app.url), { headers: { authorization: `Bearer ${fuzz}` } });
        expect([200, 400], `${url} (${JSON.stringify(position)})`).toContain(res.status);
        await documented('GET', url, res);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the audit trail', () => {
  it('holds every authenticated call of every client above, with the client as actor and the status it got, in an intact chain', async () => {
    const ids = [...audited.keys()];
    const events = [];
    for (const tenantId of [admin.tenantId, aprAdmin.tenantId]) {
      events.push(
        ...(await withTenantOn(app.app.db, { tenantId }, (tx) =>
          tx
            .select()
            .from(auditEvents)
            .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.type, 'api.request'), inArray(auditEvents.subjectId, ids)))
            .orderBy(auditEvents.seq),
        )),
      );
    }
    let total = 0;
    for (const [clientId, calls] of audited) {
      const mine = events.filter((e) => e.subjectId === clientId);
      if (unlisted.has(clientId)) {
        expect(mine.length, 'generated calls are audited too').toBeGreaterThan(0);
        continue;
      }
      const seen = mine.map((e) => {
        const d = e.data as { method: string; path: string; status: number };
        return [d.method, d.path, d.status];
      });
      expect(seen, clientId).toEqual(calls);
      for (const e of mine) {
        expect(e.actorUserId).toBeNull();
        expect(e.subjectType).toBe('apiClient');
        expect(e.data).toMatchObject({ clientId });
      }
      total += calls.length;
    }
    expect(total).toBeGreaterThan(80);
    for (const tenantId of [admin.tenantId, aprAdmin.tenantId]) {
      const verdict = await withTenantOn(app.app.db, { tenantId }, (tx) => verifyAuditChain(tx, tenantId));
      expect(verdict.ok).toBe(true);
    }
  });
});
