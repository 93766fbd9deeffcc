// Row 4: submit and approve as real transitions, POSTed as the browser posts the card's forms
// (urlencoded, Origin and Sec-Fetch-Site, the session cookie). Each request needs a document of
// its own, so the pools are made first through the engine: drafts for the submits (employees of
// the approver's unit, so their requests go to the approver), and the submitted documents — plus
// more made through the engine when those are too few — for the approvals. A short unmeasured run
// of each estimates its rate, so the measured run gets about --duration seconds of documents.
import { DateTime } from 'luxon';
import type { Sql } from 'postgres';
import type { Actor } from '#app/workflow/engine/actor';
import { createDocument } from '#app/workflow/engine/create-document.server';
import { submitDocument } from '#app/workflow/engine/submit-document.server';
import type { RawValues } from '#app/workflow/engine/transition.server';
import { withdrawDocument } from '#app/workflow/engine/withdraw-document.server';
import type { Database } from '#db/client';
import { withTenantOn } from '#db/tenant';
import { browserHeaders, load, type LoadResult } from './load';
import type { Person } from './scene';

const CONNECTIONS = 8;
const DESCRIPTION = 'Delovod bench: припрема документације';

interface Draft {
  id: string;
  version: number;
  author: Author;
  values: RawValues;
}

interface Author extends Person {
  cookie: string;
  unitId: string | null;
  actor: Actor;
  slots: number;
}

interface Pending {
  documentId: string;
  stepId: string;
  version: number;
  author: Author;
}

export interface ActionsResult {
  submit: LoadResult & { transitions: number };
  approve: LoadResult & { transitions: number };
  /** Documents made through the engine beforehand, and those withdrawn afterwards (unused). */
  prepared: { drafts: number; submittedByEngine: number; withdrawn: number };
}

export interface ActionsContext {
  admin: Sql;
  app: Database;
  base: string;
  slug: string;
  tenantId: string;
  approver: Person & { cookie: string };
  authors: Array<Person & { cookie: string; unitId: string | null }>;
  duration: number;
  maxActions: number;
  quick: boolean;
}

/** Runs `fn` over `items`, `width` at a time. */
async function inParallel<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

export async function measureActions(c: ActionsContext): Promise<ActionsResult> {
  if (!c.authors.length) throw new Error('no employee in the approver unit to submit documents');
  // One hour of overtime each, two a day, four days a week per employee: the daily (12 h with
  // regular hours) and weekly (8 h) caps never refuse one. Weeks after any earlier bench run's.
  const [{ last }] = await c.admin<{ last: string | null }[]>`
    select max(values->>'date') as last from documents
    where tenant_id = ${c.tenantId} and values->>'description' = ${DESCRIPTION}`;
  const firstMonday = (last ? DateTime.fromISO(last, { zone: 'utc' }).plus({ weeks: 1 }) : DateTime.fromISO('2040-01-02', { zone: 'utc' })).startOf('week');
  const authors: Author[] = c.authors.map((a) => ({
    ...a,
    slots: 0,
    actor: { tenantId: c.tenantId, userId: a.userId, membershipId: a.membershipId, ip: '127.0.0.1', userAgent: 'delovod-bench', locale: 'sr-Cyrl' },
  }));
  let turn = 0;
  const valuesFor = (author: Author): RawValues => {
    const slot = author.slots++;
    const date = firstMonday.plus({ weeks: Math.floor(slot / 8), days: Math.floor((slot % 8) / 2) }).toISODate()!;
    const [plannedStart, plannedEnd] = slot % 2 === 0 ? ['16:00', '17:00'] : ['17:00', '18:00'];
    return { employee: author.membershipId, unit: author.unitId ?? '', date, plannedStart, plannedEnd, ground: 'workloadIncrease', description: DESCRIPTION };
  };
  const makeDrafts = (n: number) =>
    inParallel(Array.from({ length: n }, () => authors[turn++ % authors.length]), CONNECTIONS, async (author) => {
      const doc = await withTenantOn(c.app, { tenantId: c.tenantId, userId: author.userId }, (tx) => createDocument(tx, author.actor, { templateKey: 'overtime-request' }));
      return { id: doc.id, version: doc.version, author, values: valuesFor(author) } satisfies Draft;
    });
  const postHeaders = (cookie: string) => ({
    ...browserHeaders,
    cookie,
    origin: c.base,
    'content-type': 'application/x-www-form-urlencoded',
  });
  const submitRequest = (d: Draft) => ({
    path: `/t/${c.slug}/documents/${d.id}`,
    method: 'POST',
    // In the order the card's form sends them: the hidden version, the fields, the button.
    body: new URLSearchParams({ version: String(d.version), ...(d.values as Record<string, string>), intent: 'submit' }).toString(),
    headers: postHeaders(d.author.cookie),
  });
  const approveRequest = (p: Pending) => ({
    path: `/t/${c.slug}/documents/${p.documentId}`,
    method: 'POST',
    body: new URLSearchParams({ intent: 'act', version: String(p.version), stepRowId: p.stepId, comment: '', outcome: 'approved' }).toString(),
    headers: postHeaders(c.approver.cookie),
  });
  const run = async <T>(items: T[], request: (item: T) => ReturnType<typeof submitRequest>) => {
    let i = 0;
    return load({ url: c.base, connections: Math.min(CONNECTIONS, items.length), duration: 0, amount: items.length, expect: 302, next: () => request(items[i++ % items.length]) });
  };
  /** One request through fetch first, so a refusal shows its page instead of a count. */
  const probe = async (req: ReturnType<typeof submitRequest>) => {
    const res = await fetch(`${c.base}${req.path}`, { method: 'POST', body: req.body, headers: req.headers, redirect: 'manual' });
    if (res.status !== 302 || /[?&]done=/.test(res.headers.get('location') ?? '') === false) {
      throw new Error(`POST ${req.path} answered ${res.status} ${res.headers.get('location') ?? ''}\n${(await res.text()).slice(0, 2000)}`);
    }
  };
  const needed = (rate: LoadResult) => c.quick ? 4 : Math.max(2 * CONNECTIONS, Math.min(c.maxActions, Math.ceil(rate.reqPerSec * c.duration * 1.2)));
  const warmCount = c.quick ? 2 : 2 * CONNECTIONS;

  // Submit: probe, estimate, measure.
  const [first] = await makeDrafts(1);
  await probe(submitRequest(first));
  const warmDrafts = await makeDrafts(warmCount);
  const submitRate = await run(warmDrafts, submitRequest);
  const drafts = await makeDrafts(needed(submitRate));
  const submit = await run(drafts, submitRequest);
  const submittedIds = [first, ...warmDrafts, ...drafts].map((d) => d.id);
  const submitTransitions = await countStates(c.admin, c.tenantId, drafts.map((d) => d.id), ['in_approval']);

  // Approve: the approver's steps on what was just submitted, more through the engine if needed.
  const byId = new Map([first, ...warmDrafts, ...drafts].map((d) => [d.id, d.author]));
  const pendingOn = async (ids: string[]) =>
    (
      await c.admin<{ documentId: string; stepId: string; version: number }[]>`
        select s.document_id as "documentId", s.id as "stepId", d.version
        from document_steps s join documents d on d.tenant_id = s.tenant_id and d.id = s.document_id
        where s.tenant_id = ${c.tenantId} and s.assignee_id = ${c.approver.membershipId} and s.state = 'pending' and d.state = 'in_approval'
          and s.document_id = any(${ids}::uuid[])`
    ).map((p) => ({ ...p, author: byId.get(p.documentId)! }));
  let pool: Pending[] = await pendingOn(submittedIds);
  if (!pool.length) throw new Error(`the submitted documents did not reach ${c.approver.email}: is the approver the head of the authors' unit?`);
  await probe(approveRequest(pool[0]));
  const approveWarm = pool.slice(1, 1 + warmCount);
  const approveRate = await run(approveWarm, approveRequest);
  pool = pool.slice(1 + approveWarm.length);
  const want = needed(approveRate);
  let submittedByEngine = 0;
  if (pool.length < want) {
    const extra = await makeDrafts(want - pool.length);
    await inParallel(extra, CONNECTIONS, async (d) => {
      const result = await withTenantOn(c.app, { tenantId: c.tenantId, userId: d.author.userId }, (tx) => submitDocument(tx, d.author.actor, d.id, d.version, d.values));
      if (!result.ok) throw new Error(`the engine refused a bench document: ${JSON.stringify(result.fieldErrors)} ${result.formErrors.join(' ')}`);
    });
    submittedByEngine = extra.length;
    for (const d of extra) byId.set(d.id, d.author);
    pool = [...pool, ...(await pendingOn(extra.map((d) => d.id)))];
  }
  const approving = pool.slice(0, want);
  const approve = await run(approving, approveRequest);
  const approveTransitions = await countStates(c.admin, c.tenantId, approving.map((p) => p.documentId), ['approved', 'registered']);

  // What was submitted and not approved goes back out of the approver's inbox.
  const leftovers = pool.slice(want);
  await inParallel(leftovers, CONNECTIONS, async (p) => {
    const [doc] = await c.admin<{ version: number }[]>`select version from documents where tenant_id = ${c.tenantId} and id = ${p.documentId}`;
    await withTenantOn(c.app, { tenantId: c.tenantId, userId: p.author.userId }, (tx) => withdrawDocument(tx, p.author.actor, p.documentId, doc.version));
  });
  return {
    submit: { ...submit, transitions: submitTransitions },
    approve: { ...approve, transitions: approveTransitions },
    prepared: { drafts: submittedIds.length + submittedByEngine, submittedByEngine, withdrawn: leftovers.length },
  };
}

async function countStates(admin: Sql, tenantId: string, ids: string[], states: string[]): Promise<number> {
  const [{ n }] = await admin<{ n: number }[]>`
    select count(*)::int as n from documents where tenant_id = ${tenantId} and id = any(${ids}::uuid[]) and state::text = any(${states}::text[])`;
  return n;
}
