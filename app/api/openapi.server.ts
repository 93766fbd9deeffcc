// The OpenAPI 3.1 description of /api/v1 (ADR 014), served at /api/v1/openapi.json and rendered
// by the reference page. The draft body's schema is the zod schema the API parses with; the
// tests validate this document and check the answers actually served against its schemas.
import * as z from 'zod';
import { apiScopes, documentStates, webhookEventTypes, type ApiScope } from '#db/schema';
import { createDraftBody } from './documents.server';
import { API_BODY_LIMIT, problemCodes, problemType, type ProblemCode } from './http.server';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });
const dateTime = { type: 'string', format: 'date-time' };
const uuid = { type: 'string', format: 'uuid' };

const schemas = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details.',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string', description: 'A URI reference to the problem type’s description on the reference page.' },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      instance: { type: 'string' },
      errors: { type: 'object', description: 'Messages by field (values) or parameter (query).', additionalProperties: { type: 'array', items: { type: 'string' } } },
      formErrors: { type: 'array', items: { type: 'string' } },
      scope: { type: 'string', enum: [...apiScopes] },
    },
  },
  DocumentSummary: {
    type: 'object',
    required: ['id', 'template', 'state', 'version', 'registryNumber', 'registeredAt', 'submittedAt', 'decidedAt', 'createdAt', 'updatedAt', 'links'],
    properties: {
      id: uuid,
      template: { type: 'object', required: ['key', 'version'], properties: { key: { type: 'string' }, version: { type: 'integer', minimum: 1 } } },
      state: { type: 'string', enum: [...documentStates] },
      version: { type: 'integer', minimum: 1, description: 'Moves with every change; the document’s ETag is "v<version>".' },
      registryNumber: nullable('string'),
      registeredAt: nullable('string', { format: 'date-time' }),
      submittedAt: nullable('string', { format: 'date-time' }),
      decidedAt: nullable('string', { format: 'date-time' }),
      createdAt: dateTime,
      updatedAt: dateTime,
      links: { type: 'object', required: ['self'], properties: { self: { type: 'string' }, pdf: { type: 'string' } } },
    },
  },
  Document: {
    allOf: [
      ref('DocumentSummary'),
      {
        type: 'object',
        required: ['values', 'computed', 'computedParameters', 'attachments'],
        properties: {
          values: { type: 'object', description: 'The values as the form holds them, by field name.' },
          computed: { type: 'object', description: 'Values the template computes from them.' },
          computedParameters: nullable('object', {
            additionalProperties: { type: 'number' },
            description: "The organisation's parameters (premiums, rates) the computed values were computed with, kept with the document; null for documents computed before they were kept.",
          }),
          attachments: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'field', 'fileName', 'contentType', 'size', 'sha256', 'href'],
              properties: { id: uuid, field: { type: 'string' }, fileName: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer', minimum: 0 }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, href: { type: 'string' } },
            },
          },
        },
      },
    ],
  },
  DocumentList: {
    type: 'object',
    required: ['items', 'next'],
    properties: { items: { type: 'array', items: ref('DocumentSummary') }, next: nullable('string', { description: 'The next page, or null on the last.' }) },
  },
  CreateDraft: z.toJSONSchema(createDraftBody, { target: 'draft-2020-12', io: 'input' }),
  RegistryEntry: {
    type: 'object',
    required: ['documentId', 'registryNumber', 'year', 'classification', 'seq', 'registeredAt', 'state', 'template', 'title', 'author', 'unit', 'links'],
    properties: {
      documentId: uuid,
      registryNumber: { type: 'string' },
      year: { type: 'integer' },
      classification: { type: 'string' },
      seq: { type: 'integer', minimum: 1 },
      registeredAt: dateTime,
      state: { type: 'string', enum: [...documentStates] },
      template: { type: 'string' },
      title: { type: 'object', required: ['sr-Cyrl', 'en'], properties: { 'sr-Cyrl': { type: 'string' }, en: { type: 'string' } } },
      author: { type: 'string' },
      unit: nullable('string'),
      links: { type: 'object', required: ['document'], properties: { document: { type: 'string' } } },
    },
  },
  RegistryPage: {
    type: 'object',
    required: ['total', 'items', 'next'],
    properties: { total: { type: 'integer', minimum: 0 }, items: { type: 'array', items: ref('RegistryEntry') }, next: nullable('string') },
  },
  Report: {
    type: 'object',
    required: ['id', 'kind', 'period', 'status', 'progress', 'createdAt', 'finishedAt', 'links'],
    properties: {
      id: uuid,
      kind: { type: 'string', enum: ['overtime-monthly'] },
      period: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
      status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
      progress: { type: 'integer', minimum: 0, maximum: 100 },
      createdAt: dateTime,
      finishedAt: nullable('string', { format: 'date-time' }),
      links: { type: 'object', required: ['self'], properties: { self: { type: 'string' }, csv: { type: 'string' }, pdf: { type: 'string' } } },
    },
  },
  ReportList: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: ref('Report') }, next: nullable('string') } },
  WebhookEvent: {
    type: 'object',
    description: 'The body of every webhook call (Standard Webhooks).',
    required: ['type', 'timestamp', 'data'],
    properties: {
      type: { type: 'string', enum: [...webhookEventTypes] },
      timestamp: dateTime,
      data: {
        type: 'object',
        properties: {
          documentId: uuid,
          template: { type: 'string' },
          state: { type: 'string', enum: [...documentStates] },
          registryNumber: nullable('string'),
          reportId: uuid,
          period: { type: 'string' },
          links: { type: 'object' },
        },
      },
    },
  },
};

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const jsonOf = (name: string, description = 'OK') => ({ description, headers: { ETag: { schema: { type: 'string' } } }, content: { 'application/json': { schema: ref(name) } } });
const bytes = (type: string) => ({ description: 'The file', headers: { ETag: { schema: { type: 'string' } } }, content: { [type]: { schema: { type: 'string', contentMediaType: type } } } });

const common = {
  '401': problem(problemCodes.unauthorized.title),
  '403': problem(`${problemCodes.insufficientScope.title}, or may not act on this resource`),
  '429': { ...problem(problemCodes.rateLimited.title), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
  '500': problem(problemCodes.internal.title),
};
const reads = { '304': { description: 'Not modified (If-None-Match matched the ETag)' }, '400': problem(problemCodes.malformed.title) };
const id = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: uuid });
const query = (name: string, schema: Record<string, unknown>, description: string) => ({ name, in: 'query', required: false, description, schema });
const paging = [
  query('limit', { type: 'integer', minimum: 1, maximum: 100, default: 25 }, 'Items per page.'),
  query('cursor', { type: 'string' }, 'Where the page starts: the `next` of the previous page.'),
];

interface Operation {
  scope: ApiScope;
  summary: string;
  [key: string]: unknown;
}
const op = ({ scope, summary, ...rest }: Operation) => ({
  summary,
  description: `Needs the scope \`${scope}\`.`,
  'x-required-scope': scope,
  security: [{ bearer: [] }],
  ...rest,
  responses: { ...(rest.responses as object), ...common },
});

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Delovod API',
      version: '1.0.0',
      summary: 'Registered documents, the registry log, drafts and monthly reports of one municipality.',
      description: 'Every call acts in the municipality of the API client whose token it carries. See /api/v1/reference.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/api/v1' }],
    tags: [{ name: 'documents' }, { name: 'registry' }, { name: 'reports' }],
    paths: {
      '/documents': {
        get: op({
          scope: 'read:documents',
          summary: 'The registered documents and the acting member’s own, newest first',
          operationId: 'listDocuments',
          tags: ['documents'],
          parameters: [...paging, query('state', { type: 'string', enum: [...documentStates] }, 'Only documents in this state.'), query('template', { type: 'string' }, 'Only documents of this template key.')],
          responses: { '200': jsonOf('DocumentList'), ...reads, '422': problem(problemCodes.invalid.title) },
        }),
        post: op({
          scope: 'create:drafts',
          summary: 'Create a draft from an adopted template, its values checked as the form checks them',
          operationId: 'createDraft',
          tags: ['documents'],
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'A repeated request with the same key gets the first answer.', schema: { type: 'string', minLength: 1, maxLength: 255 } }],
          requestBody: { required: true, description: `At most ${API_BODY_LIMIT} bytes.`, content: { 'application/json': { schema: ref('CreateDraft') } } },
          responses: {
            '201': { description: 'Created', headers: { Location: { schema: { type: 'string' } } }, content: { 'application/json': { schema: ref('Document') } } },
            '400': problem(problemCodes.malformed.title),
            '404': problem('The template is not adopted by this municipality'),
            '413': problem(problemCodes.tooLarge.title),
            '415': problem(problemCodes.unsupportedMediaType.title),
            '422': problem(problemCodes.invalid.title),
          },
        }),
      },
      '/documents/{id}': {
        get: op({
          scope: 'read:documents',
          summary: 'One document with its values and attachments',
          operationId: 'readDocument',
          tags: ['documents'],
          parameters: [id('id', 'The document')],
          responses: { '200': jsonOf('Document'), ...reads, '404': problem(problemCodes.notFound.title) },
        }),
      },
      '/documents/{id}/pdf': {
        get: op({
          scope: 'read:documents',
          summary: 'A registered document’s sealed PDF (PAdES), the same bytes on every download',
          operationId: 'documentPdf',
          tags: ['documents'],
          parameters: [id('id', 'The document')],
          responses: { '200': bytes('application/pdf'), ...reads, '404': problem(problemCodes.notFound.title), '503': problem(problemCodes.unavailable.title) },
        }),
      },
      '/documents/{id}/attachments/{attachmentId}': {
        get: op({
          scope: 'read:documents',
          summary: 'An attachment of a document, as uploaded',
          operationId: 'documentAttachment',
          tags: ['documents'],
          parameters: [id('id', 'The document'), id('attachmentId', 'The attachment')],
          responses: { '200': { description: 'The file, with its own content type', content: { '*/*': { schema: { type: 'string' } } } }, ...reads, '404': problem(problemCodes.notFound.title) },
        }),
      },
      '/documents/{id}/submit': {
        post: op({
          scope: 'submit:documents',
          summary: 'Submit a draft (or a returned document) of the acting member onto its approval line',
          operationId: 'submitDocument',
          tags: ['documents'],
          parameters: [id('id', 'The document'), { name: 'If-Match', in: 'header', required: false, description: 'The document’s ETag, "v<version>": refused with 412 if it has changed since.', schema: { type: 'string' } }],
          responses: {
            '200': jsonOf('Document', 'Submitted'),
            '404': problem(problemCodes.notFound.title),
            '409': problem(problemCodes.conflict.title),
            '412': problem(problemCodes.preconditionFailed.title),
            '422': problem('The document cannot be submitted as it is: the messages name the fields'),
          },
        }),
      },
      '/registry': {
        get: op({
          scope: 'read:registry',
          summary: 'The registry log (delovodnik) in registry-number order',
          operationId: 'listRegistry',
          tags: ['registry'],
          parameters: [
            ...paging,
            query('year', { type: 'integer' }, 'Registry year.'),
            query('classification', { type: 'string' }, 'Classification code.'),
            query('template', { type: 'string' }, 'Template key.'),
            query('from', { type: 'string', format: 'date' }, 'Registered on or after (Belgrade).'),
            query('to', { type: 'string', format: 'date' }, 'Registered on or before (Belgrade).'),
            query('q', { type: 'string', maxLength: 200 }, 'Text in the number, title or author’s name, in either script.'),
            query('order', { type: 'string', enum: ['asc', 'desc'], default: 'desc' }, 'Oldest or newest first.'),
          ],
          responses: { '200': jsonOf('RegistryPage'), ...reads, '422': problem(problemCodes.invalid.title) },
        }),
      },
      '/reports': {
        get: op({
          scope: 'read:reports',
          summary: 'Monthly reports, newest first',
          operationId: 'listReports',
          tags: ['reports'],
          parameters: [...paging, query('period', { type: 'string', pattern: '^\\d{4}-\\d{2}$' }, 'Only this month.')],
          responses: { '200': jsonOf('ReportList'), ...reads, '422': problem(problemCodes.invalid.title) },
        }),
      },
      '/reports/{id}': {
        get: op({
          scope: 'read:reports',
          summary: 'One monthly report',
          operationId: 'readReport',
          tags: ['reports'],
          parameters: [id('id', 'The report')],
          responses: { '200': jsonOf('Report'), ...reads, '404': problem(problemCodes.notFound.title) },
        }),
      },
      '/reports/{id}/csv': {
        get: op({
          scope: 'read:reports',
          summary: 'A finished report as CSV',
          operationId: 'reportCsv',
          tags: ['reports'],
          parameters: [id('id', 'The report')],
          responses: { '200': bytes('text/csv'), ...reads, '404': problem(problemCodes.notFound.title), '409': problem('The report is not finished') },
        }),
      },
      '/reports/{id}/pdf': {
        get: op({
          scope: 'read:reports',
          summary: 'A finished report as PDF',
          operationId: 'reportPdf',
          tags: ['reports'],
          parameters: [id('id', 'The report')],
          responses: { '200': bytes('application/pdf'), ...reads, '404': problem(problemCodes.notFound.title), '409': problem('The report is not finished') },
        }),
      },
    },
    webhooks: Object.fromEntries(
      webhookEventTypes.map((type) => [
        type,
        {
          post: {
            summary: `The event ${type}`,
            description: 'Signed by the Standard Webhooks specification: webhook-id, webhook-timestamp, webhook-signature (v1, HMAC-SHA256 of id.timestamp.body).',
            parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({ name, in: 'header', required: true, schema: { type: 'string' } })),
            requestBody: { required: true, content: { 'application/json': { schema: ref('WebhookEvent') } } },
            responses: { '2XX': { description: 'Received; any other answer is retried with backoff' } },
          },
        },
      ]),
    ),
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API client’s token, dlv_…' } },
    },
  };
}

/** The problem types the reference page lists, with their statuses. */
export const problemList = (Object.keys(problemCodes) as ProblemCode[]).map((code) => ({ code, type: problemType(code), ...problemCodes[code] }));
