// The closed lists of values some columns hold, as plain constants: the pages list them too (the
// scopes an API client may get, the events a webhook may receive), and a page's module reaches
// the browser, where the tables and drizzle must not (db/schema/integration.ts uses them).

/** What an API client may be allowed to do (ADR 014). */
export const apiScopes = ['read:registry', 'read:documents', 'create:drafts', 'submit:documents', 'read:reports'] as const;
export type ApiScope = (typeof apiScopes)[number];

/** The events a webhook subscription may receive (ADR 014). */
export const webhookEventTypes = ['document.submitted', 'document.returned', 'document.approved', 'document.registered', 'report.ready'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
