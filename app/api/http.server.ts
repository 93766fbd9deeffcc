// The public API's HTTP layer (ADR 014), shared by every /api/v1 route: the bearer token and
// the per-client rate limit, the scope, the request's work in one tenant transaction with its
// audit event (the client as actor), problem+json errors (RFC 9457), ETags, and a JSON body read
// with a size limit. Whatever a request carries, the answer is a 4xx or a valid reply, never a
// 500 that input could cause.
import type { AppLoadContext } from '@remix-run/node';
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import type { ApiScope } from '#db/schema';
import { db, withTenant } from '../db.server';
import { AppError, httpStatus } from '../errors';
import type { Locale } from '../i18n/resources';
import type { Actor } from '../workflow/engine/actor';
import { authenticate, type AuthenticatedClient } from './credentials.server';

export const API_BODY_LIMIT = 64 * 1024;

/** Problem types: documented on the reference page under `#problem-<code>`. */
export const problemCodes = {
  unauthorized: { status: 401, title: 'Missing, malformed, unknown, revoked or expired API token' },
  insufficientScope: { status: 403, title: 'The client lacks the scope this call needs' },
  notFound: { status: 404, title: 'No such resource for this client' },
  methodNotAllowed: { status: 405, title: 'The resource does not answer this method' },
  notAcceptable: { status: 406, title: 'Not acceptable' },
  forbidden: { status: 403, title: 'The client may not do this to this resource' },
  conflict: { status: 409, title: 'The resource is not in a state that allows this' },
  preconditionFailed: { status: 412, title: 'The resource changed since the version named in If-Match' },
  tooLarge: { status: 413, title: 'The request body is larger than the limit' },
  unsupportedMediaType: { status: 415, title: 'The request body must be application/json' },
  malformed: { status: 400, title: 'The request could not be read' },
  invalid: { status: 422, title: 'The request was read but its values are not valid' },
  idempotencyMismatch: { status: 422, title: 'The Idempotency-Key was used before with another request' },
  rateLimited: { status: 429, title: 'Too many requests for this client; retry after the given time' },
  internal: { status: 500, title: 'The server failed; the request may be retried' },
  unavailable: { status: 503, title: 'Temporarily unavailable; retry after the given time' },
} as const;
export type ProblemCode = keyof typeof problemCodes;

export class ApiProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? problemCodes[code].title);
    this.name = 'ApiProblem';
  }
}

export const problemType = (code: ProblemCode) => `/api/v1/reference#problem-${code}`;

export function problemResponse(p: ApiProblem, instance?: string): Response {
  const { status, title } = problemCodes[p.code];
  const body = { type: problemType(p.code), title, status, ...(p.detail ? { detail: p.detail } : {}), ...(instance ? { instance } : {}), ...p.extra };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...p.headers },
  });
}

/** A domain error as the API answers it. */
function problemOfAppError(e: AppError): ApiProblem {
  const status = httpStatus(e.code);
  const details = (e.details ?? {}) as Record<string, unknown>;
  if (status === 404) return new ApiProblem('notFound', e.message);
  if (status === 403) return new ApiProblem('forbidden', e.message);
  if (status === 409) return new ApiProblem('conflict', e.message, { state: details.state, version: details.version });
  return new ApiProblem('invalid', e.message, { errors: details.fieldErrors ?? {}, ...(details.code ? { reason: details.code } : {}) });
}

/** What a route's work answers: JSON, or bytes (a PDF, an attachment). */
export type ApiReply =
  | { status?: number; json: unknown; headers?: Record<string, string>; etag?: boolean | string }
  | { status?: number; bytes: Uint8Array; contentType: string; headers?: Record<string, string> }
  /** Bytes that are made after the transaction (e.g. a first seal), when the answer needs more than the tenant's rows. */
  | { later: () => Promise<Response> };

export interface ApiCall {
  client: AuthenticatedClient;
  actor: Actor;
  request: Request;
  url: URL;
  params: Record<string, string | undefined>;
  /** The JSON body, when the route reads one (`body: true`). */
  body: unknown;
}

export interface ApiRouteSpec {
  scope: ApiScope;
  /** Read a JSON body (POST) before the transaction starts. */
  body?: boolean;
}

/** The client's preferred language for field messages: Serbian Latin, Serbian Cyrillic, or English (the default). */
export function localeOf(request: Request): Locale {
  const header = (request.headers.get('accept-language') ?? '').toLowerCase();
  if (/\bsr-latn\b/.test(header)) return 'sr-Latn';
  if (/\bsr\b|\bsr-cyrl\b|\bsr-rs\b/.test(header)) return 'sr-Cyrl';
  return 'en';
}

/** Reads at most `limit` bytes of a JSON body; anything else is a problem, not an exception. */
export async function readJsonBody(request: Request, limit = API_BODY_LIMIT): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new ApiProblem('unsupportedMediaType', 'Send the body as application/json.');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new ApiProblem('tooLarge', `The body may have at most ${limit} bytes.`, { limit });
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw new ApiProblem('tooLarge', `The body may have at most ${limit} bytes.`, { limit });
      }
      chunks.push(value);
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiProblem('malformed', 'The body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiProblem('malformed', 'The body is not valid JSON.');
  }
}

/** A zod parse whose failure is a 422 problem listing each field's messages. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what = 'body'): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (errors[issue.path.map(String).join('.') || what] ??= []).push(issue.message);
  throw new ApiProblem('invalid', `The ${what} is not valid.`, { errors });
}

/** An entity tag of the bytes (or the JSON text) an answer carries. */
export const etagOf = (bytes: Uint8Array | string) => `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;

/** Whether If-None-Match names this entity tag (weak comparison, RFC 9110 §13.1.2). */
export function matchesNoneMatch(request: Request, etag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => bare(t) === bare(etag));
}

function replyResponse(reply: Exclude<ApiReply, { later: unknown }>, request: Request): Response {
  const status = reply.status ?? 200;
  if ('json' in reply) {
    const text = JSON.stringify(reply.json);
    const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-cache', ...reply.headers };
    if (request.method === 'GET' && status === 200 && reply.etag !== false) {
      const etag = typeof reply.etag === 'string' ? reply.etag : etagOf(text);
      headers.ETag = etag;
      if (matchesNoneMatch(request, etag)) return new Response(null, { status: 304, headers: { ETag: etag, 'Cache-Control': headers['Cache-Control'] } });
    }
    return new Response(text, { status, headers });
  }
  const etag = etagOf(reply.bytes);
  const headers = { 'Content-Type': reply.contentType, 'Content-Length': String(reply.bytes.byteLength), 'Cache-Control': 'private, no-cache', ETag: etag, 'X-Content-Type-Options': 'nosniff', ...reply.headers };
  if (request.method === 'GET' && matchesNoneMatch(request, etag)) return new Response(null, { status: 304, headers: { ETag: etag, 'Cache-Control': headers['Cache-Control'] } });
  return new Response(new Uint8Array(reply.bytes), { status, headers });
}

function rateHeaders(client: AuthenticatedClient): Record<string, string> {
  const { limit, used, resetSeconds } = client.rate;
  return { 'RateLimit-Limit': String(limit), 'RateLimit-Remaining': String(Math.max(0, limit - used)), 'RateLimit-Reset': String(resetSeconds) };
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
  return response;
}

interface RouteArgs {
  request: Request;
  context: AppLoadContext;
  params: Record<string, string | undefined>;
}

/**
 * Serves one API call: authenticates, counts and limits it, checks the scope, reads the body,
 * then runs `work` in a savepoint of one tenant transaction that also appends the call's audit
 * event — so a failed call's changes roll back and its audit event stays.
 */
export async function serveApi(args: RouteArgs, spec: ApiRouteSpec, work: (tx: Tx, call: ApiCall) => Promise<ApiReply>): Promise<Response> {
  const { request, context } = args;
  const url = new URL(request.url);
  try {
    const header = request.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const unauthorized = { 'WWW-Authenticate': 'Bearer realm="delovod"' };
    if (!token) throw new ApiProblem('unauthorized', 'Send the client’s token as Authorization: Bearer <token>.', {}, unauthorized);
    const auth = await authenticate(db(), token);
    if (!auth.ok) throw new ApiProblem('unauthorized', 'The token is not valid: unknown, revoked or expired.', {}, { ...unauthorized, 'WWW-Authenticate': 'Bearer realm="delovod", error="invalid_token"' });
    const client = auth.client;
    context.setTenant(client.tenantSlug);
    const limits = rateHeaders(client);
    if (client.rate.used > client.rate.limit) {
      return problemResponse(new ApiProblem('rateLimited', `At most ${client.rate.limit} calls a minute.`, {}, { ...limits, 'Retry-After': String(client.rate.resetSeconds) }));
    }
    if (!client.scopes.includes(spec.scope)) {
      // Refused calls are audited too: the scope check is part of the call.
      await auditCall(client, context, request, url, 403);
      return withHeaders(problemResponse(new ApiProblem('insufficientScope', `This call needs the scope ${spec.scope}.`, { scope: spec.scope })), limits);
    }
    let body: unknown = undefined;
    if (spec.body) {
      try {
        body = await readJsonBody(request);
      } catch (error) {
        if (!(error instanceof ApiProblem)) throw error;
        await auditCall(client, context, request, url, problemCodes[error.code].status);
        return withHeaders(problemResponse(error), limits);
      }
    }
    const actor: Actor = { tenantId: client.tenantId, userId: client.userId, membershipId: client.membershipId, ip: context.ip, userAgent: context.userAgent, locale: localeOf(request) };
    const call: ApiCall = { client, actor, request, url, params: args.params, body };
    const reply = await withTenant(
      client.tenantId,
      async (tx) => {
        let outcome: ApiReply | ApiProblem;
        try {
          outcome = await tx.transaction((sp) => work(sp as unknown as Tx, call));
        } catch (error) {
          if (error instanceof ApiProblem) outcome = error;
          else if (error instanceof AppError) outcome = problemOfAppError(error);
          else throw error;
        }
        const status = outcome instanceof ApiProblem ? problemCodes[outcome.code].status : 'later' in outcome ? 200 : (outcome.status ?? 200);
        await appendAudit(tx, client.tenantId, auditEvent(client, context, request, url, status));
        return outcome;
      },
      { userId: client.userId },
    );
    if (reply instanceof ApiProblem) return withHeaders(problemResponse(reply), limits);
    if ('later' in reply) return withHeaders(await reply.later(), limits);
    return withHeaders(replyResponse(reply, request), limits);
  } catch (error) {
    if (error instanceof ApiProblem) return problemResponse(error);
    context.log.error({ err: error, path: url.pathname }, 'API call failed');
    return problemResponse(new ApiProblem('internal'));
  }
}

function auditEvent(client: AuthenticatedClient, context: AppLoadContext, request: Request, url: URL, status: number) {
  return {
    type: 'api.request',
    subjectType: 'apiClient',
    subjectId: client.clientId,
    // The client is the actor: it is not a user. The member it acts as is in the data.
    actorUserId: null,
    ip: context.ip,
    userAgent: context.userAgent,
    data: { clientId: client.clientId, clientName: client.name, actingMembershipId: client.membershipId, method: request.method, path: url.pathname, status },
  };
}

async function auditCall(client: AuthenticatedClient, context: AppLoadContext, request: Request, url: URL, status: number): Promise<void> {
  await withTenant(client.tenantId, (tx) => appendAudit(tx, client.tenantId, auditEvent(client, context, request, url, status)), { userId: client.userId });
}

/** A resource that does not answer the request's method. */
export function methodNotAllowed(allow: string): Response {
  return problemResponse(new ApiProblem('methodNotAllowed', `This resource answers ${allow}.`, {}, { Allow: allow }));
}

// Cursor pagination: an opaque base64url JSON position; limit 1–100.
export const pageLimit = (url: URL): number => {
  const raw = url.searchParams.get('limit');
  if (raw === null) return 25;
  const n = Number(raw);
  if (!/^\d{1,3}$/.test(raw) || n < 1 || n > 100) throw new ApiProblem('malformed', 'limit must be a whole number from 1 to 100.', { errors: { limit: ['1–100'] } });
  return n;
};

/** A creation time in a cursor: ISO 8601, within what PostgreSQL takes (it has no year 0). */
export const cursorTime = z.iso.datetime().refine((s) => s >= '1900');

export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(url: URL, schema: z.ZodType<T>): T | undefined {
  const raw = url.searchParams.get('cursor');
  if (raw === null || raw === '') return undefined;
  try {
    if (!/^[A-Za-z0-9_-]{1,400}$/.test(raw)) throw new Error('cursor');
    const parsed = schema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // reported below
  }
  throw new ApiProblem('malformed', 'cursor is not one this API gave out.', { errors: { cursor: ['unknown cursor'] } });
}

/** The URL of the next page, with the request's other parameters kept. */
export function nextLink(url: URL, cursor: string | null): string | null {
  if (!cursor) return null;
  const next = new URL(url.pathname, 'http://x');
  for (const [k, v] of url.searchParams) if (k !== 'cursor') next.searchParams.append(k, v);
  next.searchParams.set('cursor', cursor);
  return next.pathname + next.search;
}
