// The bounded contexts of Delovod from the bottom up (.dependency-cruiser.mjs says the rule).
// A module is in the first context whose path matches it.
export const contexts = [
  // The database: schema, tenant scope, audit chain.
  { name: 'db', path: '^db/' },
  // What every context uses: errors, ids, environment, logging, time, CSV, i18n machinery.
  // The texts modules of each context are data the i18n resources gather (see `texts` below).
  { name: 'platform', path: '^app/(errors|ids|env\\.server|logger\\.server|db\\.server)\\.ts$|^app/(time|csv|crypto|i18n|framework)/|^app/workflow/money\\.ts$' },
  // The typed outbox: job kinds and `enqueue` in the caller's transaction (jobs/kinds.ts), the
  // notification and webhook-event rows written with it.
  { name: 'outbox', path: '^jobs/(kinds|notify)\\.ts$|^app/api/webhooks/events\\.server\\.ts$' },
  // Roles and what they permit: a vocabulary the engine and the guards share.
  { name: 'permissions', path: '^app/auth/permissions\\.ts$' },
  { name: 'calendar', path: '^app/workflow/calendar/' },
  { name: 'templates', path: '^app/workflow/(template|catalog|publishing)/' },
  { name: 'registry', path: '^app/onboarding/registry-format\\.ts$|^app/workflow/engine/registry\\.server\\.ts$' },
  { name: 'documents', path: '^app/workflow/(engine|documents|sealing)/' },
  { name: 'api', path: '^app/api/' },
  { name: 'auth', path: '^app/auth/' },
  // Shared components; the pages that put them together are `web`.
  { name: 'ui', path: '^app/ui/' },
  { name: 'tenancy', path: '^(tenants|app/onboarding)/' },
  { name: 'security', path: '^app/security/' },
  { name: 'reports', path: '^app/reports/|^jobs/reports/' },
  { name: 'jobs', path: '^jobs/' },
  // The national office's view of the running system: the job queues and the development mailbox.
  { name: 'operations', path: '^app/operations/' },
  { name: 'web', path: '^app/(routes|guide)/|^app/(root|entry\\.client|entry\\.server)\\.tsx$|^app/context\\.server\\.ts$' },
];

// Feature texts are plain data that app/i18n/resources.ts gathers into one catalogue: an import
// of one is no dependency on its context.
export const texts = '(^|/)(texts|[a-z-]+-texts)\\.ts$|^app/workflow/template/messages\\.ts$';
