// The API's documents (ADR 014): the registered documents and the client's own, one document
// with its values, its sealed PDF and attachments, a draft created from an adopted template and
// submitted — through the document engine itself, so a value is validated exactly as the form
// validates it and every transition is the engine's, audited and notified as from the UI.
import { and, desc, eq, isNotNull, lt, or, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Tx } from '#db/client';
import { apiIdempotency, documentAttachments, documents, documentStates, sealedDocuments, templates, templateVersions } from '#db/schema';
import { db } from '../db.server';
import { isUuid } from '../ids';
import { canReadDocument } from '../workflow/documents/access.server';
import { pdfFileName } from '../workflow/documents/pdf.server';
import { definitionOf } from '../workflow/engine/definitions.server';
import { createDocument } from '../workflow/engine/create-document.server';
import { saveDraft } from '../workflow/engine/save-draft.server';
import { submitDocument } from '../workflow/engine/submit-document.server';
import type { DocumentRow, RawValues } from '../workflow/engine/transition.server';
import { sealedDocumentPdf } from '../workflow/sealing/seal-document.server';
import { submissionSchema } from '../workflow/template/form';
import { SLUG } from '../workflow/template/schema';
import { ApiProblem, cursorTime, decodeCursor, etagOf, encodeCursor, nextLink, pageLimit, parseInput, problemResponse, type ApiCall, type ApiReply } from './http.server';

const documentPath = (id: string) => `/api/v1/documents/${id}`;

interface Summary {
  id: string;
  templateKey: string;
  templateVersion: number;
  state: string;
  version: number;
  registryNumber: string | null;
  registeredAt: Date | null;
  submittedAt: Date | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const summaryColumns = {
  id: documents.id,
  templateKey: templates.key,
  templateVersion: templateVersions.version,
  state: documents.state,
  version: documents.version,
  registryNumber: documents.registryNumber,
  registeredAt: documents.registeredAt,
  submittedAt: documents.submittedAt,
  decidedAt: documents.decidedAt,
  createdAt: documents.createdAt,
  updatedAt: documents.updatedAt,
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function summaryJson(s: Summary) {
  return {
    id: s.id,
    template: { key: s.templateKey, version: s.templateVersion },
    state: s.state,
    version: s.version,
    registryNumber: s.registryNumber,
    registeredAt: iso(s.registeredAt),
    submittedAt: iso(s.submittedAt),
    decidedAt: iso(s.decidedAt),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    links: { self: documentPath(s.id), ...(s.state === 'registered' ? { pdf: `${documentPath(s.id)}/pdf` } : {}) },
  };
}

const listCursor = z.object({ c: cursorTime, i: z.uuid() });
const listQuery = z.object({
  state: z.enum(documentStates).optional(),
  template: z.string().max(64).regex(SLUG).optional(),
});

/** The documents a client sees: those in the registry, and those of the member it acts as. */
const visibleTo = (call: ApiCall) =>
  and(eq(documents.tenantId, call.client.tenantId), or(isNotNull(documents.registryNumber), eq(documents.authorId, call.client.membershipId)));

function fromDocuments(tx: Tx) {
  return tx
    .select(summaryColumns)
    .from(documents)
    .innerJoin(templates, eq(templates.id, documents.templateId))
    .innerJoin(templateVersions, eq(templateVersions.id, documents.versionId));
}

/** GET /documents: newest first, by cursor. */
export async function listDocuments(tx: Tx, call: ApiCall): Promise<ApiReply> {
  const limit = pageLimit(call.url);
  const filter = parseInput(listQuery, Object.fromEntries([...call.url.searchParams].filter(([k]) => k === 'state' || k === 'template')), 'query');
  const after = decodeCursor(call.url, listCursor);
  const rows = await fromDocuments(tx)
    .where(
      and(
        visibleTo(call),
        filter.state ? eq(documents.state, filter.state) : undefined,
        filter.template ? eq(templates.key, filter.template) : undefined,
        after
          ? or(lt(documents.createdAt, new Date(after.c)), and(eq(documents.createdAt, new Date(after.c)), sql`${documents.id} < ${after.i}`))
          : undefined,
      ),
    )
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const cursor = rows.length > limit && last ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id }) : null;
  return { json: { items: page.map(summaryJson), next: nextLink(call.url, cursor) } };
}

async function readable(tx: Tx, call: ApiCall, id: string | undefined): Promise<string> {
  if (!isUuid(id)) throw new ApiProblem('notFound', 'No such document.');
  // The registry office's view (numbered documents) and the acting member's own.
  const ok = await canReadDocument(tx, { tenantId: call.client.tenantId, membershipId: call.client.membershipId, registryOffice: true }, id);
  if (!ok) throw new ApiProblem('notFound', 'No such document.');
  return id;
}

async function detailJson(tx: Tx, call: ApiCall, id: string) {
  const [[row], [values], files] = await Promise.all([
    fromDocuments(tx).where(and(eq(documents.tenantId, call.client.tenantId), eq(documents.id, id))),
    tx.select({ values: documents.values, computed: documents.computed, computedParameters: documents.computedParameters }).from(documents).where(and(eq(documents.tenantId, call.client.tenantId), eq(documents.id, id))),
    tx
      .select({ id: documentAttachments.id, field: documentAttachments.field, fileName: documentAttachments.fileName, contentType: documentAttachments.contentType, size: documentAttachments.size, sha256: documentAttachments.sha256 })
      .from(documentAttachments)
      .where(and(eq(documentAttachments.tenantId, call.client.tenantId), eq(documentAttachments.documentId, id))),
  ]);
  if (!row) throw new ApiProblem('notFound', 'No such document.');
  return {
    ...summaryJson(row),
    values: values.values as Record<string, unknown>,
    computed: values.computed as Record<string, unknown>,
    computedParameters: values.computedParameters ?? null,
    attachments: files.map((f) => ({ ...f, href: `${documentPath(id)}/attachments/${f.id}` })),
  };
}

/** GET /documents/{id} */
export async function readDocument(tx: Tx, call: ApiCall): Promise<ApiReply> {
  const id = await readable(tx, call, call.params.id);
  const json = await detailJson(tx, call, id);
  // Every change of a document moves its version: the version is its entity tag, and If-Match takes it.
  return { json, etag: `"v${json.version}"` };
}

/** GET /documents/{id}/pdf: a registered document's sealed original (sealed now if its job has not yet). */
export async function documentPdfReply(tx: Tx, call: ApiCall): Promise<ApiReply> {
  const id = await readable(tx, call, call.params.id);
  const [doc] = await tx.select({ state: documents.state, registryNumber: documents.registryNumber }).from(documents).where(and(eq(documents.tenantId, call.client.tenantId), eq(documents.id, id)));
  if (doc?.state !== 'registered' || !doc.registryNumber) throw new ApiProblem('notFound', 'Only a registered document has a PDF.');
  const disposition = { 'Content-Disposition': `attachment; filename="${pdfFileName(doc.registryNumber)}"` };
  const [sealed] = await tx.select({ pdf: sealedDocuments.pdf }).from(sealedDocuments).where(and(eq(sealedDocuments.tenantId, call.client.tenantId), eq(sealedDocuments.documentId, id)));
  if (sealed) return { bytes: sealed.pdf, contentType: 'application/pdf', headers: disposition };
  const tenantId = call.client.tenantId;
  return {
    later: async () => {
      try {
        const made = await sealedDocumentPdf(db(), { tenantId, documentId: id });
        if (!made) return problemResponse(new ApiProblem('notFound', 'No such document.'));
        // The same headers as every later download of these bytes, their ETag included.
        return new Response(new Uint8Array(made.pdf), {
          headers: { 'Content-Type': 'application/pdf', 'Content-Length': String(made.pdf.byteLength), 'Cache-Control': 'private, no-cache', ETag: etagOf(made.pdf), 'X-Content-Type-Options': 'nosniff', ...disposition },
        });
      } catch {
        return problemResponse(new ApiProblem('unavailable', 'The document could not be sealed now.', {}, { 'Retry-After': '60' }));
      }
    },
  };
}

/** GET /documents/{id}/attachments/{attachmentId} */
export async function attachmentReply(tx: Tx, call: ApiCall): Promise<ApiReply> {
  const id = await readable(tx, call, call.params.id);
  const attachmentId = call.params.attachmentId;
  if (!isUuid(attachmentId)) throw new ApiProblem('notFound', 'No such attachment.');
  const [file] = await tx
    .select()
    .from(documentAttachments)
    .where(and(eq(documentAttachments.tenantId, call.client.tenantId), eq(documentAttachments.documentId, id), eq(documentAttachments.id, attachmentId)));
  if (!file) throw new ApiProblem('notFound', 'No such attachment.');
  const ascii = file.fileName.normalize('NFKD').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return {
    bytes: file.content,
    contentType: file.contentType,
    headers: { 'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}` },
  };
}

// A value as JSON may give it; the form's own parser (submissionSchema) then decides.
const jsonValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null(), z.array(z.string().max(200)).max(50)]);
export const createDraftBody = z.strictObject({
  template: z.string().max(64).regex(SLUG),
  values: z.record(z.string().max(64), jsonValue).default({}),
});

/** JSON values as the form sends them: text, 'on' for a ticked box, lists for multi-valued fields. */
function rawValues(values: Record<string, z.infer<typeof jsonValue>>): RawValues {
  const raw: RawValues = {};
  for (const [name, v] of Object.entries(values)) {
    if (v === null) raw[name] = '';
    else if (typeof v === 'boolean') raw[name] = v ? 'on' : '';
    else if (typeof v === 'number') raw[name] = String(v);
    else raw[name] = v;
  }
  return raw;
}

const idempotencyKey = (request: Request): string | null => {
  const key = request.headers.get('idempotency-key');
  if (key === null) return null;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new ApiProblem('malformed', 'Idempotency-Key must be 1–255 visible ASCII characters.');
  return key;
};

/**
 * Claims an Idempotency-Key for this request: null if it is new, else the stored answer of the
 * first request with it. A concurrent second request waits on the key's row until the first
 * commits (then gets its answer) or rolls back (then takes the key itself).
 */
async function claimKey(tx: Tx, call: ApiCall, key: string): Promise<ApiReply | null> {
  const requestSha256 = createHash('sha256').update(`${call.request.method} ${call.url.pathname}\n${JSON.stringify(call.body)}`).digest('hex');
  const [claimed] = await tx
    .insert(apiIdempotency)
    .values({ tenantId: call.client.tenantId, clientId: call.client.clientId, key, requestSha256 })
    .onConflictDoNothing()
    .returning({ key: apiIdempotency.key });
  if (claimed) return null;
  const [first] = await tx
    .select()
    .from(apiIdempotency)
    .where(and(eq(apiIdempotency.tenantId, call.client.tenantId), eq(apiIdempotency.clientId, call.client.clientId), eq(apiIdempotency.key, key)));
  if (!first || first.requestSha256 !== requestSha256) throw new ApiProblem('idempotencyMismatch', 'This Idempotency-Key was used with another request.');
  // The first answer as it was given, its Location included.
  const id = (first.body as { id?: unknown } | null)?.id;
  return { status: first.status ?? 201, json: first.body, headers: { 'Idempotent-Replayed': 'true', ...(typeof id === 'string' ? { Location: documentPath(id) } : {}) } };
}

/** POST /documents: a draft of an adopted template, its values checked by the form's own rules (all but "required", which submission checks). */
export async function createDraft(tx: Tx, call: ApiCall): Promise<ApiReply> {
  const input = parseInput(createDraftBody, call.body);
  const key = idempotencyKey(call.request);
  if (key) {
    const replay = await claimKey(tx, call, key);
    if (replay) return replay;
  }
  const created = await createDocument(tx, call.actor, { templateKey: input.template });
  const def = await definitionOf(tx, created.versionId);
  const draftFields = new Map(def.fields.filter((f) => f.editableAt.includes('draft')).map((f) => [f.name, f]));
  const errors: Record<string, string[]> = {};
  for (const name of Object.keys(input.values)) {
    const field = draftFields.get(name);
    if (!field) errors[name] = ['Not a field the author fills in this template.'];
    else if (field.type === 'attachment') errors[name] = ['Attachments cannot be sent through the API yet.'];
  }
  const raw = rawValues(input.values);
  const parsed = submissionSchema(def, { locale: call.actor.locale, partial: true }).safeParse(raw);
  if (!parsed.success) for (const issue of parsed.error.issues) if (String(issue.path[0]) in raw) (errors[String(issue.path[0])] ??= []).push(issue.message);
  if (Object.keys(errors).length) throw new ApiProblem('invalid', 'Some values are not valid for this template.', { errors });
  const saved: DocumentRow = await saveDraft(tx, call.actor, created.id, created.version, raw);
  const json = await detailJson(tx, call, saved.id);
  const headers = { Location: documentPath(saved.id) };
  if (key) {
    await tx
      .update(apiIdempotency)
      .set({ status: 201, body: json })
      .where(and(eq(apiIdempotency.tenantId, call.client.tenantId), eq(apiIdempotency.clientId, call.client.clientId), eq(apiIdempotency.key, key)));
  }
  return { status: 201, json, headers };
}

/** The version If-Match names, if it names one (the document's ETag is not a version: `"v<version>"` is). */
function ifMatchVersion(request: Request): number | null {
  const header = request.headers.get('if-match');
  if (header === null) return null;
  const m = /^\s*(?:W\/)?"v(\d{1,9})"\s*$/.exec(header);
  if (!m) throw new ApiProblem('preconditionFailed', 'If-Match must be "v<version>" with the document’s version.');
  return Number(m[1]);
}

/** POST /documents/{id}/submit: the engine's submission, with every check the form's submission has. */
export async function submitDraft(tx: Tx, call: ApiCall): Promise<ApiReply> {
  const id = await readable(tx, call, call.params.id);
  const [doc] = await tx.select({ version: documents.version, authorId: documents.authorId }).from(documents).where(and(eq(documents.tenantId, call.client.tenantId), eq(documents.id, id)));
  if (!doc || doc.authorId !== call.client.membershipId) throw new ApiProblem('forbidden', 'Only drafts of the member the client acts as can be submitted.');
  const expected = ifMatchVersion(call.request);
  if (expected !== null && expected !== doc.version) throw new ApiProblem('preconditionFailed', `The document is at version ${doc.version}.`, { version: doc.version });
  const result = await submitDocument(tx, call.actor, id, expected ?? doc.version, {});
  if (!result.ok) {
    throw new ApiProblem('invalid', 'The document cannot be submitted as it is.', { errors: result.fieldErrors, formErrors: result.formErrors });
  }
  return { json: await detailJson(tx, call, id) };
}
