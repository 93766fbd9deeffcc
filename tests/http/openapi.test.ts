// The OpenAPI document (ADR 014): valid OpenAPI 3.1 by a maintained validator, and a true
// description of what the server answers — every call below, successes and errors, is checked
// against the operation's documented statuses, media types and JSON Schemas (ajv, 2020-12).
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApiClient } from '#app/api/clients.server';
import type { Actor } from '#app/workflow/engine/actor';
import type { DocumentRow } from '#app/workflow/engine/transition.server';
import { apiScopes, reports } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { actorOf } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { startApp, type RunningApp } from '#tests/support/server';

type Doc = {
  paths: Record<string, Record<string, { parameters?: unknown[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
};

let app: RunningApp;
let doc: Doc;
let token: string;
let narrow: string;
let registered: DocumentRow;
let reportId: string;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const checked = new Set<string>();

beforeAll(async () => {
  app = await startApp();
  const db = app.app.db;
  const [admin, nikola, marija] = await Promise.all(['milos.tomic', 'nikola.petrovic', 'marija.stojanovic'].map((n) => actorOf(db, 'surdulica', `${n}@surdulica.test`)));
  registered = await acted(db, marija, await submitted(db, nikola, 'overtime-request', overtimeRequest('2026-12-09', '16:00', '18:00')), 'approved');
  const make = (actor: Actor, scopes: string[]) =>
    withTenantOn(db, { tenantId: actor.tenantId }, (tx) => addApiClient(tx, admin, { name: 'openapi', scopes: scopes as never, membershipId: nikola.membershipId, expiresOn: '', rateLimitPerMinute: 1000 }));
  token = (await make(admin, [...apiScopes]))!.token;
  narrow = (await make(admin, ['read:reports']))!.token;
  [{ id: reportId }] = await withTenantOn(db, { tenantId: admin.tenantId }, (tx) =>
    tx.insert(reports).values({ tenantId: admin.tenantId, kind: 'overtime-monthly', period: '2026-11', status: 'done', progress: 100, csv: Buffer.from('x\n'), pdf: Buffer.from('%PDF-1.4'), finishedAt: new Date() }).returning({ id: reports.id }),
  );
  doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as Doc;
  ajv.addSchema({ ...doc, $id: 'https://delovod.test/openapi.json' } as never);
});
afterAll(() => app?.stop());

/** Calls the API and checks the answer against the operation `method template` documents. */
async function conforms(method: string, template: string, path: string, init: RequestInit & { auth?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.auth !== null) headers.set('authorization', `Bearer ${init.auth ?? token}`);
  const res = await fetch(`${app.url}/api/v1${path}`, { ...init, method, headers });
  const operation = doc.paths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is documented`).toBeTruthy();
  const response = operation.responses[String(res.status)];
  expect(response, `${method} ${path} answered ${res.status}, which ${template} does not document`).toBeTruthy();
  checked.add(`${method} ${template} ${res.status}`);
  if (res.status === 304) return res;
  const type = (res.headers.get('content-type') ?? '').split(';')[0];
  const content = response.content ?? {};
  const media = content[type] ?? content['*/*'];
  expect(media, `${method} ${path} ${res.status} answered ${type}, documented: ${Object.keys(content).join(', ')}`).toBeTruthy();
  if (type.endsWith('json')) {
    const body: unknown = await res.clone().json();
    const schema = media.schema as { $ref?: string };
    const validate = ajv.getSchema(`https://delovod.test/openapi.json${schema.$ref}`)!;
    expect(validate(body), `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }
  return res;
}

const jsonBody = (body: unknown, headers: Record<string, string> = {}) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? null).toBeNull();
    expect(result.valid).toBe(true);
    expect((doc as unknown as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('describes every answer the server gives, successes and errors', async () => {
    const none = '00000000-0000-4000-8000-000000000000';
    await conforms('GET', '/documents', '/documents?limit=1');
    await conforms('GET', '/documents', '/documents', { auth: null });
    await conforms('GET', '/documents', '/documents', { auth: narrow });
    await conforms('GET', '/documents', '/documents?cursor=zzz');
    await conforms('GET', '/documents', '/documents?state=flying');
    const created = await conforms('POST', '/documents', '/documents', jsonBody({ template: 'overtime-request', values: { date: '2026-12-21' } }, { 'idempotency-key': 'k1' }));
    expect(created.status).toBe(201);
    const draft = (await created.json()) as { id: string };
    await conforms('POST', '/documents', '/documents', jsonBody({ template: 'overtime-request', values: { date: 'soon' } }));
    await conforms('POST', '/documents', '/documents', jsonBody({ template: 'unknown-one' }));
    await conforms('POST', '/documents', '/documents', { body: '{', headers: { 'content-type': 'application/json' } });
    await conforms('POST', '/documents', '/documents', { body: 'x', headers: { 'content-type': 'text/plain' } });
    await conforms('POST', '/documents', '/documents', jsonBody({ template: 'x'.repeat(70_000) }));
    const one = await conforms('GET', '/documents/{id}', `/documents/${registered.id}`);
    await conforms('GET', '/documents/{id}', `/documents/${registered.id}`, { headers: { 'if-none-match': one.headers.get('etag')! } });
    await conforms('GET', '/documents/{id}', `/documents/${none}`);
    await conforms('GET', '/documents/{id}/pdf', `/documents/${registered.id}/pdf`);
    await conforms('GET', '/documents/{id}/pdf', `/documents/${none}/pdf`);
    await conforms('GET', '/documents/{id}/attachments/{attachmentId}', `/documents/${registered.id}/attachments/${none}`);
    await conforms('POST', '/documents/{id}/submit', `/documents/${draft.id}/submit`);
    await conforms('POST', '/documents/{id}/submit', `/documents/${draft.id}/submit`, { headers: { 'if-match': '"v999"' } });
    await conforms('POST', '/documents/{id}/submit', `/documents/${registered.id}/submit`);
    const full = (await (await conforms('POST', '/documents', '/documents', jsonBody({ template: 'overtime-request', values: { date: '2026-12-22', plannedStart: '16:00', plannedEnd: '17:00', ground: 'workloadIncrease', description: 'x' } }))).json()) as { id: string };
    await conforms('POST', '/documents/{id}/submit', `/documents/${full.id}/submit`);
    await conforms('POST', '/documents/{id}/submit', `/documents/${full.id}/submit`);
    await conforms('GET', '/registry', '/registry?limit=1');
    await conforms('GET', '/registry', '/registry?year=x');
    await conforms('GET', '/reports', '/reports');
    await conforms('GET', '/reports', '/reports?period=x');
    await conforms('GET', '/reports/{id}', `/reports/${reportId}`);
    await conforms('GET', '/reports/{id}', `/reports/${none}`);
    await conforms('GET', '/reports/{id}/csv', `/reports/${reportId}/csv`);
    await conforms('GET', '/reports/{id}/pdf', `/reports/${reportId}/pdf`);
    // The schemas bite: a body missing what they require is refused.
    expect(ajv.getSchema('https://delovod.test/openapi.json#/components/schemas/Document')!({ id: none })).toBe(false);
    // Every documented operation was called at least once.
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) expect([...checked].some((c) => c.startsWith(`${method.toUpperCase()} ${template} `)), `${method} ${template}`).toBe(true);
    }
  });

  it('is rendered as a readable reference page without scripts from elsewhere', async () => {
    const res = await fetch(`${app.url}/api/v1/reference`, { headers: { 'accept-language': 'en', cookie: 'locale=en' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>');
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`<code>/api/v1${path}</code>`);
    expect(html).toContain('id="problem-rateLimited"');
    expect(html).toContain('href="/api/v1/openapi.json"');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
  });
});
