// The input boundary (ADR 016): every route's loader and action of the server build passes
// through `guardBuild`, so no route can forget it. Before a route's own code runs:
// - its URL parameters are checked by name (uuid, slug, number, token): a malformed one is 404;
// - an action's body must be a form (urlencoded; multipart only where the route takes files),
//   in UTF-8, no longer than the route's limit, counted while the stream is read (a chunked
//   body too), with a bounded number of fields;
// - every text value is normalised once: no NUL or other control characters (tab and line
//   breaks stay), no lone surrogates, NFC; invalid UTF-8 and malformed percent-escapes are
//   refused. (Dates: each form's schema, with `isDate` of app/workflow/template/datetime.ts, 1900–2100.)
// Afterwards, what a route throws is mapped to HTTP in one place (`app/errors.ts`): domain
// errors to their status, a database's refusal of a value (SQLSTATE class 22) to 400. A browser
// whose form is refused as a whole gets its page back with the refusal in its error summary
// (ADR 018); other clients get the translated error page.
// Routes `routes/api.*` read JSON bodies of their own and are exempt from the form rules.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type ServerBuild } from '@remix-run/node';
import { CSV_MAX_BYTES } from '#tenants/csv';
import { API_BODY_LIMIT, ApiProblem, problemResponse } from '../api/http.server';
import { httpResponseOf } from '../errors';
import { i18nFor } from '../i18n/i18n';
import { REFUSAL_KEY, type PageRefusal } from '../framework/refusal';
import { isUuid } from '../ids';
import { SLUG } from '../workflow/template/schema';

const KiB = 1024;
const MiB = 1024 * KiB;

/** What an action's body may be. */
export interface BodyPolicy {
  /** Bytes of an urlencoded form, counted as they arrive. */
  maxBytes: number;
  /** Bytes of a multipart/form-data body (files), where the route accepts one. */
  multipartMaxBytes?: number;
}

/** Ordinary forms: a few fields of text. */
export const FORM_POLICY: BodyPolicy = { maxBytes: 64 * KiB };

/** Routes whose bodies are larger, or carry files. Route ids are the build's (`routes/<file>`). */
const POLICIES: Record<string, BodyPolicy> = {
  // A document's draft, its fields and its attachments (the engine checks each field's own limit; 50 MB the largest).
  'routes/t.$tenant.documents.$id': { maxBytes: 256 * KiB, multipartMaxBytes: 51 * MiB },
  // Staff CSV import (the CSV also comes back base64 in a form, to import its valid rows).
  'routes/t.$tenant.admin.staff._index': { maxBytes: 2 * CSV_MAX_BYTES, multipartMaxBytes: CSV_MAX_BYTES + 64 * KiB },
  // The signup wizard (an anonymous visitor): its steps, and the CSV files of units and staff.
  'routes/signup.$step': { maxBytes: 2 * CSV_MAX_BYTES, multipartMaxBytes: CSV_MAX_BYTES + 64 * KiB },
  'routes/signup._index': { maxBytes: 16 * KiB },
  // The template editor posts a whole definition.
  'routes/national.templates.$key.v.$version': { maxBytes: 1 * MiB },
  'routes/national.templates.new': { maxBytes: 1 * MiB },
};

export function bodyPolicyOf(routeId: string): BodyPolicy {
  return POLICIES[routeId] ?? FORM_POLICY;
}

/** Routes that read their own (JSON) bodies: the API (issue 28). */
export function isApiRoute(routeId: string): boolean {
  return routeId.startsWith('routes/api.');
}

/** The most fields a form may have, and the longest field name. */
export const MAX_FIELDS = 2000;
const MAX_NAME = 200;

const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;
/** URL parameters by name: a value that does not match names nothing, so the answer is 404. */
const PARAMS: Record<string, (value: string) => boolean> = {
  tenant: (v) => v.length <= 64 && SLUG.test(v),
  key: (v) => v.length <= 64 && SLUG.test(v),
  id: isUuid,
  attachmentId: isUuid,
  version: (v) => /^[1-9][0-9]{0,5}$/.test(v),
  token: (v) => TOKEN.test(v),
  step: (v) => /^[a-z][a-z-]{0,31}$/.test(v),
  file: (v) => /^[\w.-]{1,200}$/.test(v),
};

export function paramsValid(params: Record<string, string | undefined>): boolean {
  return Object.entries(params).every(([name, value]) => value === undefined || !(name in PARAMS) || PARAMS[name](value));
}

/** A refusal of the request as sent: the translated error page with this status. */
export class InputRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 413 | 415,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'InputRefused';
  }
}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as Delovod stores it: well-formed UTF-16, no control characters but tab and line breaks, NFC. */
export function normaliseText(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, '').normalize('NFC');
}

/** The same for a JSON value's every string (keys too), as it goes into a jsonb column. */
export function normaliseJson(value: unknown): unknown {
  if (typeof value === 'string') return normaliseText(value);
  if (Array.isArray(value)) return value.map(normaliseJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [normaliseText(k), normaliseJson(v)]));
  return value;
}

/**
 * Reads a body stream, refusing it (413) as soon as it exceeds `maxBytes`. The rest is left
 * unread, not cancelled: cancelling the request's stream destroys its socket before the answer
 * is written. The server drops the rest after the answer (app/security/unread-body.server.ts).
 */
export async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(new ArrayBuffer(0));
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.releaseLock();
      throw new InputRefused(413, 'body too large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(new ArrayBuffer(size));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new InputRefused(400, 'malformed form encoding');
  }
}

/** An urlencoded body, strictly: UTF-8, well-formed escapes. */
export function parseUrlencoded(bytes: Uint8Array): [string, string][] {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new InputRefused(400, 'form is not UTF-8');
  }
  if (!text) return [];
  return text
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [decodeComponent(pair), ''] : [decodeComponent(pair.slice(0, eq)), decodeComponent(pair.slice(eq + 1))];
    });
}

function checkedEntries(entries: Iterable<[string, FormDataEntryValue]>): [string, FormDataEntryValue][] {
  const out: [string, FormDataEntryValue][] = [];
  for (const [rawName, value] of entries) {
    if (out.length >= MAX_FIELDS) throw new InputRefused(413, 'too many fields');
    const name = normaliseText(rawName);
    if (!name || name.length > MAX_NAME) throw new InputRefused(400, 'malformed field name');
    if (typeof value !== 'string') {
      out.push([name, value]);
      continue;
    }
    out.push([name, normaliseText(value)]);
  }
  return out;
}

/** The content type's media type and charset, lower-cased. */
function mediaTypeOf(header: string | null): { type: string; charset: string | null } {
  if (!header) return { type: '', charset: null };
  const [type, ...params] = header.split(';').map((p) => p.trim());
  const charset = params.find((p) => /^charset=/i.test(p));
  return { type: type.toLowerCase(), charset: charset ? charset.slice(8).replace(/^"|"$/g, '').toLowerCase() : null };
}

/**
 * An action's request, read and checked against the route's policy: a new request whose body
 * is the normalised form (urlencoded, or multipart with the files as they came).
 */
export async function checkedRequest(request: Request, policy: BodyPolicy): Promise<Request> {
  const { type, charset } = mediaTypeOf(request.headers.get('content-type'));
  const isMultipart = type === 'multipart/form-data';
  const maxBytes = isMultipart ? policy.multipartMaxBytes ?? 0 : policy.maxBytes;
  const declared = request.headers.get('content-length');
  // Refused before reading: the server drops the unread rest after the answer.
  if (declared !== null && Number(declared) > Math.max(maxBytes, policy.maxBytes)) throw new InputRefused(413, 'body too large');
  const wrongType = type !== 'application/x-www-form-urlencoded' && !(isMultipart && policy.multipartMaxBytes);
  const wrongCharset = charset !== null && charset !== 'utf-8' && charset !== 'utf8';
  if (wrongType || wrongCharset) throw new InputRefused(415, wrongType ? 'not a form' : 'not UTF-8');
  const bytes = await readLimited(request.body, maxBytes);
  const headers = new Headers(request.headers);
  headers.delete('content-length');
  const init = { method: request.method, headers, signal: request.signal };
  if (!isMultipart) {
    const form = checkedEntries(parseUrlencoded(bytes));
    headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    return new Request(request.url, { ...init, body: new URLSearchParams(form as [string, string][]).toString() });
  }
  let parsed: FormData;
  try {
    parsed = await new Request(request.url, { method: 'POST', headers: { 'content-type': request.headers.get('content-type')! }, body: bytes }).formData();
  } catch {
    throw new InputRefused(400, 'malformed multipart body');
  }
  const form = new FormData();
  for (const [name, value] of checkedEntries(parsed)) form.append(name, value);
  // The new body's own boundary goes with it.
  headers.delete('content-type');
  return new Request(request.url, { ...init, body: form });
}

const refusalText: Record<InputRefused['status'], string> = {
  400: 'Bad Request',
  404: 'Not Found',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
};

function refusalResponse(refused: InputRefused): Response {
  return new Response(refusalText[refused.status], { status: refused.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

type Handler<A> = (args: A) => unknown;

/** What a loader or action throws, as the response Remix should render: a Response stays one. */
function mapped(error: unknown, args: { context: LoaderFunctionArgs['context'] }): unknown {
  if (error instanceof InputRefused) {
    args.context.log?.info({ status: error.status, reason: error.reason }, 'input refused');
    return refusalResponse(error);
  }
  const response = httpResponseOf(error);
  if (response && response.status === 400) args.context.log?.warn({ err: error }, 'a value the database refused reached it: check it at the boundary');
  return response ?? error;
}

function guardedLoader(routeId: string, loader: Handler<LoaderFunctionArgs>): Handler<LoaderFunctionArgs> {
  // The API checks its parameters itself and answers problem+json (app/api/http.server.ts).
  const api = isApiRoute(routeId);
  return async (args) => {
    try {
      if (!api && !paramsValid(args.params)) throw new InputRefused(404, 'malformed URL parameter');
      return await loader(args);
    } catch (error) {
      throw mapped(error, args);
    }
  };
}

/**
 * An API request with its body read (up to the API's limit) before the route runs, so that a
 * route answering without reading it (a 405, a 401) does not leave the body to be parsed by the
 * route. Over the limit: the API's 413 problem, at once; the server drops the unread rest.
 */
async function bufferedApiRequest(request: Request): Promise<Request> {
  if (!request.body) return request;
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > API_BODY_LIMIT) throw new InputRefused(413, 'body too large');
  const body = await readLimited(request.body, API_BODY_LIMIT);
  return new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
}

/**
 * A browser's own request: a page navigation, or the page's script (a browser sends fetch
 * metadata, `Sec-Fetch-Site`, with both), or one that asks for HTML. Other clients (scripts,
 * curl, Node's fetch, which sends only `Sec-Fetch-Mode`) get the plain translated error page.
 */
export function fromBrowser(request: Request): boolean {
  return request.headers.has('sec-fetch-site') || /\btext\/html\b/i.test(request.headers.get('accept') ?? '');
}

/** Refusals of a form as a whole that the page itself reports (a malformed URL names no page: 404 stays the error page). */
const PAGE_REFUSALS = new Set<number>([400, 409, 413, 415]);

/**
 * A refusal a page shows in its own error summary (app/ui/refusal.tsx reads it from the action
 * data), with the refusal's status: the page and what the user typed stay on the screen. Null
 * when the error page answers instead.
 */
function refusalAsPage(response: unknown, request: Request): Response | null {
  if (!(response instanceof Response) || !PAGE_REFUSALS.has(response.status) || !fromBrowser(request)) return null;
  const refusal: PageRefusal = { status: response.status as PageRefusal['status'] };
  // Returned, not thrown: Remix renders the page (its loaders run) with this as its action data.
  return data({ [REFUSAL_KEY]: refusal }, { status: response.status }) as unknown as Response;
}

function guardedAction(routeId: string, action: Handler<ActionFunctionArgs>, isPage: boolean): Handler<ActionFunctionArgs> {
  const policy = bodyPolicyOf(routeId);
  const api = isApiRoute(routeId);
  return async (args) => {
    try {
      if (api) {
        const request = await bufferedApiRequest(args.request).catch((error: unknown) => {
          if (!(error instanceof InputRefused)) throw error;
          return problemResponse(new ApiProblem('tooLarge', `The body may have at most ${API_BODY_LIMIT} bytes.`, { limit: API_BODY_LIMIT }));
        });
        return request instanceof Response ? request : await action({ ...args, request });
      }
      // The body first (its refusal answers whatever the URL), then the URL's parameters.
      const request = await checkedRequest(args.request, policy);
      if (!paramsValid(args.params)) throw new InputRefused(404, 'malformed URL parameter');
      return await action({ ...args, request });
    } catch (error) {
      const response = mapped(error, args);
      const onPage = isPage ? refusalAsPage(response, args.request) : null;
      if (onPage) return onPage;
      throw response;
    }
  };
}

/**
 * The loader of a route that only takes posts (a script's endpoint, no page): a GET of its address
 * is `405` with `Allow: POST`, where Remix would answer `400` and report an error of the server.
 */
const postOnly: Handler<LoaderFunctionArgs> = ({ context }) => {
  throw new Response(i18nFor(context.locale).t('errors.postOnly'), { status: 405, headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' } });
};

/** The server build with every route's loader and action behind the boundary. */
export function guardBuild(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const { loader, action, default: page } = route.module as { loader?: Handler<LoaderFunctionArgs>; action?: Handler<ActionFunctionArgs>; default?: unknown };
      const onlyPosts = action && !loader && page === undefined && !isApiRoute(id);
      const module = {
        ...route.module,
        ...(loader ? { loader: guardedLoader(id, loader) } : onlyPosts ? { loader: postOnly } : {}),
        ...(action ? { action: guardedAction(id, action, typeof page === 'function') } : {}),
      };
      return [id, { ...route, module }];
    }),
  );
  return { ...build, routes } as ServerBuild;
}
